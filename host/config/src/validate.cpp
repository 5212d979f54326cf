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

private:
    std::map<Key, const Item*> first_;
};

template <class Item>
std::vector<std::string_view> names_of(const std::vector<Item>& items) {
    std::vector<std::string_view> names;
    for (const Item& item : items) names.push_back(item.name);
    return names;
}

std::string undeclared(std::string_view kind, std::string_view name,
                       const std::vector<std::string_view>& declared) {
    std::string message = "no " + std::string(kind) + " named '" + std::string(name) + "' is declared";
    if (declared.empty()) return message + " (there are none)";
    if (const auto near = closest_match(name, declared)) {
        return message + "; did you mean '" + std::string(*near) + "'?";
    }
    return message;
}

template <class Item>
void check_names_unique(const Config& config, const std::vector<Item>& items, std::string_view kind) {
    FirstSeen<std::string, Item> names;
    for (const Item& item : items) {
        if (const Item* first = names.add(item.name, item)) {
            fail(config, item.origin, "name",
                 std::string(kind) + " '" + item.name + "' is declared twice " +
                     first_at(first->origin, "name"));
        }
    }
}

void check_vrf_declared(const Config& config, const Origin& origin, std::string_view key,
                        const std::string& name) {
    if (!config.find_vrf(name)) fail(config, origin, key, undeclared("VRF", name, names_of(config.vrfs)));
}

void check_nexthop_declared(const Config& config, const Origin& origin, const std::string& name) {
    if (!config.find_nexthop(name)) {
        fail(config, origin, "nexthop", undeclared("nexthop", name, names_of(config.nexthops)));
    }
}

std::string undeclared_port(const Config& config, uint8_t id) {
    std::string declared;
    for (const Port& port : config.ports) declared += (declared.empty() ? "" : ", ") + std::to_string(port.id);
    return "port " + std::to_string(id) + " is not declared under ports" +
           (declared.empty() ? " (there are none)" : " (declared: " + declared + ")");
}

// ---- One check per section. ------------------------------------------------

void check_ports(const Config& config) {
    FirstSeen<uint8_t, Port> ids;
    for (const Port& port : config.ports) {
        if (const Port* first = ids.add(port.id, port)) {
            fail(config, port.origin, "id",
                 "port " + std::to_string(port.id) + " is declared twice " + first_at(first->origin, "id"));
        }
        if (port.vrf) check_vrf_declared(config, port.origin, "vrf", *port.vrf);
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

void check_nexthops(const Config& config) {
    check_names_unique(config, config.nexthops, "nexthop");
    for (const Nexthop& nexthop : config.nexthops) {
        if (!config.find_port(nexthop.port)) {
            fail(config, nexthop.origin, "port", undeclared_port(config, nexthop.port));
        }
    }
}

void check_ilm_entry(const Config& config, const IlmEntry& entry) {
    if (entry.nexthop) check_nexthop_declared(config, entry.origin, *entry.nexthop);
    if (entry.vrf) check_vrf_declared(config, entry.origin, "vrf", *entry.vrf);
    for (std::size_t i = 0; i < entry.ports.size(); ++i) {
        if (!config.find_port(entry.ports[i])) {
            fail_element(config, entry.origin, "ports", i, undeclared_port(config, entry.ports[i]));
        }
    }
}

void check_ilm(const Config& config) {
    FirstSeen<Label, IlmEntry> labels;
    for (const IlmEntry& entry : config.ilm) {
        if (const IlmEntry* first = labels.add(entry.label, entry)) {
            fail(config, entry.origin, "label",
                 "label " + std::to_string(entry.label) + " is already in the ILM " +
                     first_at(first->origin, "label"));
        }
        check_ilm_entry(config, entry);
    }
}

void check_route_sa(const Config& config, const Route& route) {
    const Sa* sa = config.find_sa(*route.sa);
    if (!sa) fail(config, route.origin, "sa", undeclared("SA", *route.sa, names_of(config.sas)));
    if (sa->dir != SaDir::out) {
        fail(config, route.origin, "sa",
             "SA '" + sa->name + "' is inbound (dir: in); a route encrypts with an outbound SA");
    }
}

void check_vrf_routes(const Config& config, const Vrf& vrf) {
    FirstSeen<std::string, Route> prefixes;
    for (const Route& route : vrf.routes) {
        if (const Route* first = prefixes.add(to_string(route.prefix), route)) {
            fail(config, route.origin, "prefix",
                 to_string(route.prefix) + " is already routed in VRF '" + vrf.name + "' " +
                     first_at(first->origin, "prefix"));
        }
        check_nexthop_declared(config, route.origin, route.nexthop);
        if (route.sa) check_route_sa(config, route);
    }
}

void check_vrfs(const Config& config) {
    check_names_unique(config, config.vrfs, "VRF");
    for (const Vrf& vrf : config.vrfs) check_vrf_routes(config, vrf);
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

void check_sas(const Config& config) {
    check_names_unique(config, config.sas, "SA");
    check_sa_spis(config);
}

}  // namespace

void validate(const Config& config) {
    check_ports(config);
    check_addresses(config);
    check_nexthops(config);
    check_ilm(config);
    check_vrfs(config);
    check_sas(config);
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
