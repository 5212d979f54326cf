#include "mplsec/config_json.hpp"

#include <string>

namespace mplsec::config {
namespace {

using nlohmann::json;

constexpr const char* kRedacted = "<redacted>";

template <class Container>
std::string hex(const Container& bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (uint8_t byte : bytes) {
        text += kDigits[byte >> 4];
        text += kDigits[byte & 0x0f];
    }
    return text;
}

template <class Item>
json array_of(const std::vector<Item>& items, json (*item_json)(const Item&)) {
    json array = json::array();
    for (const Item& item : items) array.push_back(item_json(item));
    return array;
}

json port_json(const Port& port) {
    json out = {{"id", port.id}, {"mac", to_string(port.mac)}, {"mtu", port.mtu}};
    if (port.vrf) out["vrf"] = *port.vrf;
    return out;
}

json address_json(const Address& address) { return to_string(address.ip); }

json nexthop_json(const Nexthop& nexthop) {
    json out = {{"name", nexthop.name}, {"port", nexthop.port}, {"mac", to_string(nexthop.mac)}};
    if (nexthop.vlan) out["vlan"] = *nexthop.vlan;
    return out;
}

json ilm_json(const IlmEntry& entry) {
    json out = {{"label", entry.label}, {"action", to_string(entry.action)}};
    // Empty only when there is no core port to default to; the file cannot
    // say "ports: []", so leave the key out and let the default apply again.
    if (!entry.ports.empty()) out["ports"] = entry.ports;
    if (!entry.out_labels.empty()) out["out_labels"] = entry.out_labels;
    if (entry.nexthop) out["nexthop"] = *entry.nexthop;
    if (entry.vrf) out["vrf"] = *entry.vrf;
    // ttl is meaningless for punt and drop, and the loader refuses it there.
    const bool forwards = entry.action != LabelAction::punt && entry.action != LabelAction::drop;
    if (forwards) out["ttl"] = to_string(entry.ttl);
    if (entry.tc) out["tc"] = *entry.tc;
    return out;
}

json route_json(const Route& route) {
    json out = {{"prefix", to_string(route.prefix)},
                {"nexthop", route.nexthop},
                {"push", route.push},
                {"ttl", to_string(route.ttl)}};
    if (route.sa) out["sa"] = *route.sa;
    return out;
}

json vrf_json(const Vrf& vrf) {
    return {{"name", vrf.name},
            {"require_esp", vrf.require_esp},
            {"routes", array_of(vrf.routes, route_json)}};
}

json lifetime_json(const Lifetime& lifetime) {
    json out = json::object();
    if (lifetime.soft_bytes) out["soft_bytes"] = *lifetime.soft_bytes;
    if (lifetime.hard_bytes) out["hard_bytes"] = *lifetime.hard_bytes;
    if (lifetime.soft_packets) out["soft_packets"] = *lifetime.soft_packets;
    if (lifetime.hard_packets) out["hard_packets"] = *lifetime.hard_packets;
    return out;
}

json sa_json(const Sa& sa, Secrets secrets) {
    const bool reveal = secrets == Secrets::reveal;
    json out = {{"name", sa.name},
                {"dir", to_string(sa.dir)},
                {"spi", sa.spi},
                {"cipher", to_string(sa.cipher)},
                {"key", reveal ? hex(sa.key) : kRedacted},
                {"salt", reveal ? hex(sa.salt) : kRedacted},
                {"tunnel", {{"src", to_string(sa.tunnel.src)}, {"dst", to_string(sa.tunnel.dst)}}},
                {"esn", sa.esn},
                {"encap", to_string(sa.encap)}};
    if (sa.dir == SaDir::in) out["replay_window"] = sa.replay_window;
    if (sa.lifetime) out["lifetime"] = lifetime_json(*sa.lifetime);
    return out;
}

}  // namespace

json to_json(const Config& config, Secrets secrets) {
    json out = {
        {"ports", array_of(config.ports, port_json)},
        {"addresses", array_of(config.addresses, address_json)},
        {"nexthops", array_of(config.nexthops, nexthop_json)},
        {"ilm", array_of(config.ilm, ilm_json)},
        {"vrfs", array_of(config.vrfs, vrf_json)},
        {"punt_policer",
         {{"rate_pps", config.punt_policer.rate_pps}, {"burst", config.punt_policer.burst}}}};
    json sas = json::array();
    for (const Sa& sa : config.sas) sas.push_back(sa_json(sa, secrets));
    out["sas"] = std::move(sas);
    if (!config.device.empty()) out["device"] = config.device;
    return out;
}

}  // namespace mplsec::config
