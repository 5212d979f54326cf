#include "validate.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "text.hpp"

namespace mplsec::config::detail {
namespace {

[[noreturn]] void fail(const Config& config, const Origin& origin, std::string_view key,
                       std::string message) {
    throw error_at(config, origin, key, std::move(message));
}

// An error about element `index` of the list under `key`.
[[noreturn]] void fail_element(const Config& config, const Origin& origin, std::string_view key,
                               std::size_t index, std::string message) {
    throw ConfigError(config.source, origin.line_of(key),
                      origin.path_of(key) + "[" + std::to_string(index) + "]", std::move(message));
}

std::string first_at(const Origin& origin, std::string_view key) {
    return "(first at line " + std::to_string(origin.line_of(key)) + ")";
}

std::string spi_text(uint32_t spi) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%x", spi);
    return text;
}

// The first item seen for each key, to report a clash against it.
template <class Key, class Item>
class FirstSeen {
public:
    // The earlier item with this key, or nullptr when `item` is the first.
    const Item* add(const Key& key, const Item& item) {
        const auto [slot, inserted] = first_.emplace(key, &item);
        return inserted ? nullptr : slot->second;
    }
    const Item* find(const Key& key) const {
        const auto found = first_.find(key);
        return found == first_.end() ? nullptr : found->second;
    }
    std::vector<Key> keys() const {
        std::vector<Key> keys;
        for (const auto& entry : first_) keys.push_back(entry.first);
        return keys;
    }

private:
    std::map<Key, const Item*> first_;
};

template <class Item>
using ByName = FirstSeen<std::string_view, Item>;

// The declared items by key. References are checked against it, so that
// checking N references costs N lookups rather than N scans: a full-size PE
// has 64K routes and 4K SAs.
struct Declared {
    FirstSeen<uint8_t, Port> ports;
    ByName<Nexthop> nexthops;
    ByName<Vrf> vrfs;
    ByName<Sa> sas;
};

template <class Item>
ByName<Item> index_names(const Config& config, const std::vector<Item>& items,
                         std::string_view kind) {
    ByName<Item> index;
    for (const Item& item : items) {
        if (const Item* first = index.add(item.name, item)) {
            fail(config, item.origin, "name",
                 std::string(kind) + " '" + item.name + "' is declared twice " +
                     first_at(first->origin, "name"));
        }
    }
    return index;
}

FirstSeen<uint8_t, Port> index_ports(const Config& config) {
    FirstSeen<uint8_t, Port> index;
    for (const Port& port : config.ports) {
        if (const Port* first = index.add(port.id, port)) {
            fail(config, port.origin, "id",
                 "port " + std::to_string(port.id) + " is declared twice " +
                     first_at(first->origin, "id"));
        }
    }
    return index;
}

Declared index_declared(const Config& config) {
    Declared declared;
    declared.ports = index_ports(config);
    declared.nexthops = index_names(config, config.nexthops, "nexthop");
    declared.vrfs = index_names(config, config.vrfs, "VRF");
    declared.sas = index_names(config, config.sas, "SA");
    return declared;
}

// ---- References. -----------------------------------------------------------

template <class Item>
std::string undeclared(std::string_view kind, std::string_view name, const ByName<Item>& declared) {
    std::string message =
        "no " + std::string(kind) + " named '" + std::string(name) + "' is declared";
    const std::vector<std::string_view> names = declared.keys();
    if (names.empty()) return message + " (there are none)";
    if (const auto near = closest_match(name, names)) {
        return message + "; did you mean '" + std::string(*near) + "'?";
    }
    return message;
}

std::string undeclared_port(const Declared& declared, uint8_t id) {
    std::string ids;
    for (uint8_t port : declared.ports.keys()) {
        ids += (ids.empty() ? "" : ", ") + std::to_string(port);
    }
    return "port " + std::to_string(id) + " is not declared under ports" +
           (ids.empty() ? " (there are none)" : " (declared: " + ids + ")");
}

// Checks the name under `key` of the item at `origin` and returns what it names.
template <class Item>
const Item& resolve(const Config& config, const Origin& origin, std::string_view key,
                    std::string_view kind, const std::string& name, const ByName<Item>& declared) {
    const Item* item = declared.find(name);
    if (!item) fail(config, origin, key, undeclared(kind, name, declared));
    return *item;
}

void check_ports(const Config& config, const Declared& declared) {
    for (const Port& port : config.ports) {
        if (port.vrf) resolve(config, port.origin, "vrf", "VRF", *port.vrf, declared.vrfs);
    }
}

void check_addresses(const Config& config) {
    FirstSeen<std::string, Address> seen;
    for (const Address& address : config.addresses) {
        if (const Address* first = seen.add(to_string(address.ip), address)) {
            fail(config, address.origin, "",
                 to_string(address.ip) + " is listed twice " + first_at(first->origin, ""));
        }
    }
}

void check_nexthops(const Config& config, const Declared& declared) {
    for (const Nexthop& nexthop : config.nexthops) {
        if (!declared.ports.find(nexthop.port)) {
            fail(config, nexthop.origin, "port", undeclared_port(declared, nexthop.port));
        }
    }
}

void check_ilm_entry(const Config& config, const Declared& declared, const IlmEntry& entry) {
    if (entry.nexthop) {
        resolve(config, entry.origin, "nexthop", "nexthop", *entry.nexthop, declared.nexthops);
    }
    if (entry.vrf) resolve(config, entry.origin, "vrf", "VRF", *entry.vrf, declared.vrfs);
    for (std::size_t i = 0; i < entry.ports.size(); ++i) {
        if (!declared.ports.find(entry.ports[i])) {
            fail_element(config, entry.origin, "ports", i,
                         undeclared_port(declared, entry.ports[i]));
        }
    }
}

void check_ilm(const Config& config, const Declared& declared) {
    FirstSeen<Label, IlmEntry> labels;
    for (const IlmEntry& entry : config.ilm) {
        if (const IlmEntry* first = labels.add(entry.label, entry)) {
            fail(config, entry.origin, "label",
                 "label " + std::to_string(entry.label) + " is already in the ILM " +
                     first_at(first->origin, "label"));
        }
        check_ilm_entry(config, declared, entry);
    }
}

void check_route(const Config& config, const Declared& declared, const Route& route) {
    resolve(config, route.origin, "nexthop", "nexthop", route.nexthop, declared.nexthops);
    if (!route.sa) return;
    const Sa& sa = resolve(config, route.origin, "sa", "SA", *route.sa, declared.sas);
    if (sa.dir != SaDir::out) {
        fail(config, route.origin, "sa",
             "SA '" + sa.name + "' is inbound (dir: in); a route encrypts with an outbound SA");
    }
}

void check_vrf_routes(const Config& config, const Declared& declared, const Vrf& vrf) {
    FirstSeen<std::string, Route> prefixes;
    for (const Route& route : vrf.routes) {
        if (const Route* first = prefixes.add(to_string(route.prefix), route)) {
            fail(config, route.origin, "prefix",
                 to_string(route.prefix) + " is already routed in VRF '" + vrf.name + "' " +
                     first_at(first->origin, "prefix"));
        }
        check_route(config, declared, route);
    }
}

void check_vrfs(const Config& config, const Declared& declared) {
    for (const Vrf& vrf : config.vrfs) check_vrf_routes(config, declared, vrf);
}

// The card finds an inbound SA by SPI alone, so inbound SPIs are unique.
// Outbound SPIs are chosen by each receiver, so two peers may pick the same
// one; only the same SPI to the same peer is a clash.
void check_sa_spis(const Config& config) {
    FirstSeen<uint32_t, Sa> inbound;
    FirstSeen<std::pair<uint32_t, std::string>, Sa> outbound;
    for (const Sa& sa : config.sas) {
        const Sa* first = sa.dir == SaDir::in
                              ? inbound.add(sa.spi, sa)
                              : outbound.add({sa.spi, to_string(sa.tunnel.dst)}, sa);
        if (!first) continue;
        const std::string whose = sa.dir == SaDir::in
                                      ? "inbound SA '" + first->name + "'"
                                      : "SA '" + first->name + "' to " + to_string(sa.tunnel.dst);
        fail(config, sa.origin, "spi",
             "SPI " + spi_text(sa.spi) + " is already used by " + whose + " " +
                 first_at(first->origin, "spi"));
    }
}

}  // namespace

void validate(const Config& config) {
    const Declared declared = index_declared(config);
    check_ports(config, declared);
    check_addresses(config);
    check_nexthops(config, declared);
    check_ilm(config, declared);
    check_vrfs(config, declared);
    check_sa_spis(config);
}

void fill_defaults(Config& config) {
    // Labels are not taken from customer-facing ports unless an entry says
    // so: a customer must not be able to inject into an LSP or a VRF.
    std::vector<uint8_t> core_ports;
    for (const Port& port : config.ports) {
        if (!port.vrf) core_ports.push_back(port.id);
    }
    for (IlmEntry& entry : config.ilm) {
        if (entry.ports.empty()) entry.ports = core_ports;
    }
}

}  // namespace mplsec::config::detail
