#include "show.hpp"

#include "mplsec/apply.hpp"
#include "mplsec/counters_json.hpp"

#include <map>
#include <utility>

namespace mplsec::daemon {
namespace {

using nlohmann::json;

json counter(drivers::Device& device, regs::CounterBank bank, uint32_t index) {
    const drivers::Counter c = device.counter(bank, index);
    return {{"packets", c.packets}, {"bytes", c.bytes}};
}

template <typename T>
json optional(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json ilm_rows(const ShowSource& s) {
    json rows = json::array();
    for (const config::IlmEntry& e : s.config.ilm) {
        const uint32_t nhlfe = s.image.nhlfe_of_label.at(e.label);
        rows.push_back({{"label", e.label},
                        {"action", config::to_string(e.action)},
                        {"out_labels", e.out_labels},
                        {"nexthop", optional(e.nexthop)},
                        {"vrf", optional(e.vrf)},
                        {"ports", e.ports},
                        {"ttl", config::to_string(e.ttl)},
                        {"tc", optional(e.tc)},
                        {"nhlfe", nhlfe},
                        {"counter", counter(s.device, regs::CounterBank::nhlfe, nhlfe)}});
    }
    return rows;
}

json route_rows(const ShowSource& s) {
    // compile() numbers routes in its own order (shortest prefix first);
    // its route list says which index each (vrf, prefix) got.
    std::map<std::pair<std::string, std::string>, uint32_t> index_of;
    for (uint32_t i = 0; i < s.image.routes.size(); ++i) index_of[{s.image.routes[i].vrf, s.image.routes[i].prefix}] = i;
    json rows = json::array();
    for (const config::Vrf& vrf : s.config.vrfs)
        for (const config::Route& r : vrf.routes) {
            const std::string prefix = config::to_string(r.prefix);
            const uint32_t index = index_of.at({vrf.name, prefix});
            rows.push_back({{"vrf", vrf.name},
                            {"prefix", prefix},
                            {"nexthop", r.nexthop},
                            {"push", r.push},
                            {"sa", optional(r.sa)},
                            {"ttl", config::to_string(r.ttl)},
                            {"route", index},
                            {"counter", counter(s.device, regs::CounterBank::route, index)}});
        }
    return rows;
}

json lifetime(const std::optional<config::Lifetime>& l) {
    if (!l) return nullptr;
    return {{"soft_bytes", optional(l->soft_bytes)},
            {"hard_bytes", optional(l->hard_bytes)},
            {"soft_packets", optional(l->soft_packets)},
            {"hard_packets", optional(l->hard_packets)}};
}

// An outbound SA's live next sequence number, and whether it needs a new
// key before it can be installed (docs/runtime.md, "Sequence numbers
// across reloads").
json sequence_of(const ShowSource& s, const config::Sa& sa, uint32_t index) {
    const auto refused = s.refused_sas.find(sa.name);
    json out = {{"next_seq", nullptr}, {"refused", refused == s.refused_sas.end() ? json(nullptr) : json(refused->second)}};
    if (sa.dir == config::SaDir::out && refused == s.refused_sas.end() &&
        runtime::CardTables(s.device).has(regs::TableId::sa_seq))
        out["next_seq"] = regs::SaSeqEntry::unpack(s.device.read_entry(regs::TableId::sa_seq, index).data()).next_seq;
    return out;
}

// Keys and salts never leave the daemon: a viewer may call show.
json sa_rows(const ShowSource& s) {
    json rows = json::array();
    for (const config::Sa& sa : s.config.sas) {
        json row = {{"name", sa.name},
                    {"dir", config::to_string(sa.dir)},
                    {"spi", sa.spi},
                    {"cipher", config::to_string(sa.cipher)},
                    {"tunnel_src", config::to_string(sa.tunnel.src)},
                    {"tunnel_dst", config::to_string(sa.tunnel.dst)},
                    {"esn", sa.esn},
                    {"encap", config::to_string(sa.encap)},
                    {"lifetime", lifetime(sa.lifetime)}};
        row["replay_window"] = sa.dir == config::SaDir::in ? json(sa.replay_window) : json(nullptr);
        const uint32_t index = s.image.sa_index.at(sa.name);
        row["sa"] = index;
        row["counter"] = runtime::sa_counters(s.device, index);
        row.update(sequence_of(s, sa, index));
        rows.push_back(std::move(row));
    }
    return rows;
}

json port_rows(const ShowSource& s) {
    json rows = json::array();
    for (const config::Port& p : s.config.ports) {
        json row = {{"id", p.id}, {"mac", config::to_string(p.mac)}, {"vrf", optional(p.vrf)}, {"mtu", p.mtu}};
        row.update(runtime::port_counters(s.device, p.id));
        rows.push_back(std::move(row));
    }
    return rows;
}

// Every port the card has (not only the configured ones) and every reason.
json stats(const ShowSource& s) {
    json ports = json::array();
    const uint32_t num_ports = s.device.identity().num_ports;
    for (uint32_t p = 0; p < num_ports; ++p) {
        json row = {{"id", p}};
        row.update(runtime::port_counters(s.device, p));
        ports.push_back(std::move(row));
    }
    json reasons = json::array();
    for (const regs::ReasonInfo& r : regs::kReasons) {
        const drivers::Counter c = s.device.counter(regs::CounterBank::reason, static_cast<uint32_t>(r.code));
        reasons.push_back({{"name", r.name},
                           {"kind", r.drop ? "drop" : "punt"},
                           {"packets", c.packets},
                           {"bytes", c.bytes}});
    }
    return {{"ports", ports}, {"reasons", reasons}};
}

}  // namespace

json show(const ShowSource& source, const std::string& what) {
    if (what == "stats") return stats(source);
    json rows;
    if (what == "ilm") rows = ilm_rows(source);
    else if (what == "routes") rows = route_rows(source);
    else if (what == "sas") rows = sa_rows(source);
    else if (what == "ports") rows = port_rows(source);
    else return nullptr;
    return {{"rows", rows}};
}

}  // namespace mplsec::daemon
