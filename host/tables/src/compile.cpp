// Config -> table entries. Without a previous image, index assignment is
// positional (the n-th next hop of the file is next hop n), so the same
// file always gives the same image. With the image the card holds, every
// object that still exists keeps its index and new ones take indices that
// image does not use (see table_image.hpp), so a diff of the two images is
// a make-before-break transaction.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "entry_emit.hpp"
#include "mplsec/table_image.hpp"
#include "sa_compile.hpp"
#include "trie_builder.hpp"

namespace mplsec::tables {
namespace {

using config::Config;
using config::ConfigError;

uint64_t mac_field(const config::Mac& mac) {
    uint64_t value = 0;
    for (uint8_t byte : mac) value = value << 8 | byte;  // first wire byte in 47:40
    return value;
}


template <typename Entry>
void set_labels(Entry& entry, const std::vector<config::Label>& labels) {
    entry.label0 = labels.size() > 0 ? labels[0] : 0;
    entry.label1 = labels.size() > 1 ? labels[1] : 0;
    entry.label2 = labels.size() > 2 ? labels[2] : 0;
}

// Free indices of one table for one transaction: everything the previous
// image uses stays taken (kept objects keep theirs; a freed one is not
// reused before the transaction that frees it is over). Lowest free first,
// so without a previous image the assignment is positional.
class IndexPool {
public:
    explicit IndexPool(uint32_t depth) : taken_(depth, false) {}
    void take(uint32_t index) {
        if (index < taken_.size()) taken_[index] = true;
    }
    // Returns false when the table is full.
    bool allocate(uint32_t& index) {
        while (next_ < taken_.size() && taken_[next_]) ++next_;
        if (next_ >= taken_.size()) return false;
        taken_[next_] = true;
        index = next_++;
        return true;
    }

private:
    std::vector<bool> taken_;
    uint32_t next_ = 0;
};

std::string route_key(const std::string& vrf, const std::string& prefix) { return vrf + " " + prefix; }

// Assigns `index_of[name]` for every name: the previous index when the
// previous image had the name, else a free one. `full(name)` throws.
template <typename Key, typename Full>
void assign(const std::vector<Key>& names, const std::map<Key, uint32_t>* previous, uint32_t depth,
            std::map<Key, uint32_t>& index_of, Full full) {
    IndexPool pool(depth);
    if (previous)
        for (const auto& [name, index] : *previous) pool.take(index);
    for (const Key& name : names) {
        if (!previous) continue;
        const auto old = previous->find(name);
        if (old != previous->end()) index_of[name] = old->second;
    }
    for (const Key& name : names) {
        if (index_of.count(name)) continue;
        uint32_t index = 0;
        if (!pool.allocate(index)) full(name, previous && names.size() <= depth);  // fits alone, not beside the old
        index_of[name] = index;
    }
}

const char* const kCoexist = " while the old and the new entries coexist during the change";

void assign_indices(const Config& c, TableImage& image, const TableImage* prev) {
    {
        std::vector<std::string> names;
        std::map<std::string, const config::Origin*> origin;
        for (const config::Vrf& v : c.vrfs) names.push_back(v.name), origin[v.name] = &v.origin;
        assign(names, prev ? &prev->vrf_index : nullptr, regs::table_info(regs::TableId::vrf).depth, image.vrf_index,
               [&](const std::string& n, bool both) {
                   throw config::error_at(c, *origin.at(n), "name",
                                          std::string("more VRFs than the card holds") + (both ? kCoexist : ""));
               });
    }
    {
        std::vector<std::string> names;
        std::map<std::string, const config::Origin*> origin;
        for (const config::Sa& sa : c.sas) names.push_back(sa.name), origin[sa.name] = &sa.origin;
        assign(names, prev ? &prev->sa_index : nullptr, regs::table_info(regs::TableId::sa).depth, image.sa_index,
               [&](const std::string& n, bool both) {
                   throw config::error_at(c, *origin.at(n), "name",
                                          std::string("more SAs than the card holds") + (both ? kCoexist : ""));
               });
    }
    {
        std::vector<std::string> names;
        std::map<std::string, const config::Origin*> origin;
        for (const config::Nexthop& nh : c.nexthops) names.push_back(nh.name), origin[nh.name] = &nh.origin;
        assign(names, prev ? &prev->nexthop_index : nullptr, regs::table_info(regs::TableId::nexthop).depth, image.nexthop_index,
               [&](const std::string& n, bool both) {
                   throw config::error_at(c, *origin.at(n), "name",
                                          std::string("more next hops than the card holds") + (both ? kCoexist : ""));
               });
    }
    {
        // One NHLFE per label keeps a counter per label.
        std::vector<uint32_t> labels;
        std::map<uint32_t, const config::Origin*> origin;
        for (const config::IlmEntry& e : c.ilm) labels.push_back(e.label), origin[e.label] = &e.origin;
        const uint32_t depth = regs::table_info(regs::TableId::nhlfe).depth;
        assign(labels, prev ? &prev->nhlfe_of_label : nullptr, depth, image.nhlfe_of_label,
               [&](uint32_t label, bool both) {
                   throw config::error_at(c, *origin.at(label), "label",
                                          "more ILM entries than the card has NHLFEs (" + std::to_string(depth) + ")" +
                                              (both ? kCoexist : ""));
               });
    }
    {
        // Routes: shortest prefixes first within a VRF (the trie's insert
        // order), VRFs in file order.
        std::vector<std::string> keys;
        std::map<std::string, const config::Origin*> origin;
        std::map<std::string, RouteRef> refs;
        for (const config::Vrf& vrf : c.vrfs) {
            std::vector<const config::Route*> order;
            for (const config::Route& r : vrf.routes) order.push_back(&r);
            std::stable_sort(order.begin(), order.end(), [](const config::Route* a, const config::Route* b) {
                return a->prefix.len < b->prefix.len;
            });
            for (const config::Route* r : order) {
                const std::string prefix = config::to_string(r->prefix);
                const std::string key = route_key(vrf.name, prefix);
                keys.push_back(key);
                origin[key] = &r->origin;
                refs[key] = RouteRef{vrf.name, prefix};
            }
        }
        std::map<std::string, uint32_t> previous;
        if (prev)
            for (uint32_t i = 0; i < prev->routes.size(); ++i)
                if (!prev->routes[i].vrf.empty()) previous[route_key(prev->routes[i].vrf, prev->routes[i].prefix)] = i;
        std::map<std::string, uint32_t> index_of;
        assign(keys, prev ? &previous : nullptr, regs::table_info(regs::TableId::route).depth, index_of,
               [&](const std::string& key, bool both) {
                   throw config::error_at(c, *origin.at(key), "prefix",
                                          std::string("more routes than the card holds") + (both ? kCoexist : ""));
               });
        for (const auto& [key, index] : index_of) {
            if (image.routes.size() <= index) image.routes.resize(index + 1);
            image.routes[index] = refs.at(key);
        }
    }
    {
        std::vector<std::string> names;
        std::map<std::string, const config::Origin*> origin;
        for (const config::Address& a : c.addresses) {
            const std::string text = config::to_string(a.ip);
            names.push_back(text);
            origin[text] = &a.origin;
        }
        const uint32_t depth = regs::table_info(regs::TableId::local_addr).depth;
        assign(names, prev ? &prev->addr_index : nullptr, depth, image.addr_index, [&](const std::string& n, bool both) {
            throw config::error_at(c, *origin.at(n), "",
                                   "more addresses than the card holds (" + std::to_string(depth) + ")" +
                                       (both ? kCoexist : ""));
        });
    }
}

void compile_ports(const Config& c, TableImage& image) {
    for (const config::Port& port : c.ports) {
        regs::PortEntry e{};
        e.mac = mac_field(port.mac);
        e.vrf_valid = port.vrf.has_value();
        e.vrf = port.vrf ? image.vrf_index.at(*port.vrf) : 0;
        e.mtu = port.mtu;
        emit(image, port.id, e, true);
    }
}

void compile_nexthops(const Config& c, TableImage& image) {
    for (const config::Nexthop& nh : c.nexthops) {
        regs::NexthopEntry e{};
        e.valid = 1;
        e.port = nh.port;
        e.dmac = mac_field(nh.mac);
        e.vlan_valid = nh.vlan.has_value();
        e.vlan = nh.vlan.value_or(0);
        emit(image, image.nexthop_index.at(nh.name), e);
    }
}

regs::NhlfeOp op_of(config::LabelAction action) {
    switch (action) {
        case config::LabelAction::swap: return regs::NhlfeOp::swap;
        case config::LabelAction::pop: return regs::NhlfeOp::pop;
        case config::LabelAction::pop_lookup: return regs::NhlfeOp::pop_lookup;
        case config::LabelAction::punt: return regs::NhlfeOp::punt;
        case config::LabelAction::drop: break;
    }
    return regs::NhlfeOp::drop;
}

void compile_ilm(const Config& c, TableImage& image) {
    // NHLFEs first, then the ILM entries that point to them.
    std::vector<TableWrite> ilm_writes;
    for (const config::IlmEntry& entry : c.ilm) {
        const uint32_t nhlfe_index = image.nhlfe_of_label.at(entry.label);
        regs::NhlfeEntry n{};
        n.op = static_cast<uint64_t>(op_of(entry.action));
        n.n_labels = entry.out_labels.size();
        set_labels(n, entry.out_labels);
        n.nexthop = entry.nexthop ? image.nexthop_index.at(*entry.nexthop) : 0;
        n.vrf = entry.vrf ? image.vrf_index.at(*entry.vrf) : 0;
        n.ttl_pipe = entry.ttl == config::TtlMode::pipe;
        n.tc_set = entry.tc.has_value();
        n.tc = entry.tc.value_or(0);
        emit(image, nhlfe_index, n);

        regs::IlmEntry i{};
        i.valid = 1;
        for (uint8_t port : entry.ports) i.port_mask |= 1u << port;
        i.nhlfe = nhlfe_index;
        const auto words = i.pack();
        ilm_writes.push_back(TableWrite{regs::TableId::ilm, entry.label, {words.begin(), words.end()}, true});
    }
    image.writes.insert(image.writes.end(), ilm_writes.begin(), ilm_writes.end());
}

template <std::size_t N>
std::vector<uint32_t> to_vector(const std::array<uint32_t, N>& a) {
    return std::vector<uint32_t>(a.begin(), a.end());
}

// Turns one family's trie (builder indices) into card nodes. Level 0 node n
// is VRF n's root, written in place. A node of a deeper level keeps the
// index it had in `prev` at the same path when its content (child indices
// resolved) is the same; otherwise it gets an index `prev` does not own,
// which changes its parent's content in turn, up to the root slot.
template <typename SlotEntry>
void emit_trie(TableImage& image, const TrieBuilder& trie, uint32_t (*index_of)(uint32_t, uint32_t, uint32_t),
               const std::map<std::string, uint32_t>* prev_nodes, const std::vector<TableWrite>* prev_writes,
               std::map<std::string, uint32_t>& nodes, const std::set<uint32_t>& old_vrfs,
               std::vector<TableWrite>& root_writes) {
    // Old content of this table's entries, and the nodes the old image owns.
    std::unordered_map<uint32_t, const std::vector<uint32_t>*> old_entries;
    std::vector<std::set<uint32_t>> old_owned(trie.levels());
    if (prev_nodes) {
        for (const TableWrite& w : *prev_writes)
            if (w.table == SlotEntry::kTable) old_entries[w.index] = &w.words;
        for (const auto& [path, index] : *prev_nodes)
            if (!path.empty() && path.size() <= trie.levels()) old_owned[path.size() - 1].insert(index);
    }
    const std::vector<uint32_t> zero(SlotEntry::kWords, 0);
    auto old_words = [&](uint32_t index) -> const std::vector<uint32_t>& {
        const auto it = old_entries.find(index);
        return it == old_entries.end() ? zero : *it->second;
    };

    std::map<uint32_t, uint32_t> below;  // builder index -> card index, for the level below
    for (uint32_t level = trie.levels(); level-- > 0;) {
        IndexPool pool(trie.capacity(level));
        for (uint32_t index : old_owned[level]) pool.take(index);
        std::map<uint32_t, uint32_t> here;
        for (const auto& [temp, node] : trie.nodes(level)) {
            std::vector<std::pair<uint32_t, std::vector<uint32_t>>> slots;
            for (uint32_t s = 0; s < node.size(); ++s) {
                if (node[s].empty()) continue;
                SlotEntry e{};
                e.child_valid = node[s].child_valid;
                e.child = node[s].child_valid ? below.at(node[s].child) : 0;
                e.route_valid = node[s].route_valid;
                e.route = node[s].route;
                const auto words = e.pack();
                slots.emplace_back(s, std::vector<uint32_t>(words.begin(), words.end()));
            }
            const std::string& path = trie.path(level, temp);
            uint32_t final_index = temp;
            if (level > 0 && prev_nodes) {
                bool keep = false;
                const auto old = prev_nodes->find(path);
                if (old != prev_nodes->end()) {
                    keep = true;
                    std::size_t k = 0;
                    for (uint32_t s = 0; s < 256 && keep; ++s) {
                        const bool used = k < slots.size() && slots[k].first == s;
                        keep = old_words(index_of(level, old->second, s)) == (used ? slots[k].second : zero);
                        if (used) ++k;
                    }
                }
                if (keep) {
                    final_index = old->second;
                } else if (!pool.allocate(final_index)) {
                    throw std::length_error("trie level " + std::to_string(level) + " is full (" +
                                            std::to_string(trie.capacity(level)) + " nodes)" + kCoexist);
                }
            }
            here[temp] = final_index;
            nodes[path] = final_index;
            // The root slots of a VRF the card already had carry traffic:
            // they are the transaction's flip. Everything else is new or a
            // node nothing points to yet.
            const bool redirect = level == 0 && old_vrfs.count(final_index);
            for (auto& [s, words] : slots) {
                TableWrite w{SlotEntry::kTable, index_of(level, final_index, s), std::move(words), redirect};
                (level == 0 ? root_writes : image.writes).push_back(std::move(w));
            }
        }
        below = std::move(here);
    }
}

void compile_vrfs(const Config& c, TableImage& image, const TableImage* prev) {
    TrieBuilder trie4(to_vector(regs::Lpm4Entry::kNodesPerLevel));
    TrieBuilder trie6(to_vector(regs::Lpm6Entry::kNodesPerLevel));

    std::map<std::string, uint32_t> route_of;
    for (uint32_t i = 0; i < image.routes.size(); ++i)
        if (!image.routes[i].vrf.empty()) route_of[route_key(image.routes[i].vrf, image.routes[i].prefix)] = i;

    // Routes, in index order.
    std::map<uint32_t, regs::RouteEntry> route_entries;
    for (const config::Vrf& vrf : c.vrfs) {
        const uint32_t vrf_index = image.vrf_index.at(vrf.name);
        // Shortest prefixes first: a longer one then overwrites the slots it covers.
        std::vector<const config::Route*> order;
        for (const config::Route& r : vrf.routes) order.push_back(&r);
        std::stable_sort(order.begin(), order.end(),
                         [](const config::Route* a, const config::Route* b) { return a->prefix.len < b->prefix.len; });
        for (const config::Route* r : order) {
            const uint32_t route_index = route_of.at(route_key(vrf.name, config::to_string(r->prefix)));
            regs::RouteEntry e{};
            e.valid = 1;
            e.nexthop = image.nexthop_index.at(r->nexthop);
            e.n_push = r->push.size();
            set_labels(e, r->push);
            e.ttl_pipe = r->ttl == config::TtlMode::pipe;
            // A route's SA is an entry it points to: a new SA is written
            // before the route, an old one removed only after no route
            // names it (the diff's phases).
            e.sa_valid = r->sa.has_value();
            e.sa = r->sa ? image.sa_index.at(*r->sa) : 0;
            route_entries[route_index] = e;
            try {
                (r->prefix.addr.v6 ? trie6 : trie4).insert(vrf_index, r->prefix.addr.bytes.data(), r->prefix.len, route_index);
            } catch (const std::length_error& full) {
                throw config::error_at(c, r->origin, "prefix", std::string("no room on the card: ") + full.what());
            }
        }
    }
    for (const auto& [index, e] : route_entries) emit(image, index, e);

    std::set<uint32_t> old_vrfs;
    if (prev)
        for (const auto& [name, index] : prev->vrf_index) old_vrfs.insert(index);
    std::vector<TableWrite> roots;
    try {
        emit_trie<regs::Lpm4Entry>(image, trie4, [](uint32_t l, uint32_t n, uint32_t s) { return regs::lpm4_index(l, n, s); },
                                   prev ? &prev->lpm4_nodes : nullptr, prev ? &prev->writes : nullptr, image.lpm4_nodes,
                                   old_vrfs, roots);
        emit_trie<regs::Lpm6Entry>(image, trie6, [](uint32_t l, uint32_t n, uint32_t s) { return regs::lpm6_index(l, n, s); },
                                   prev ? &prev->lpm6_nodes : nullptr, prev ? &prev->writes : nullptr, image.lpm6_nodes,
                                   old_vrfs, roots);
    } catch (const std::length_error& full) {
        throw config::error_at(c, config::Origin{}, "vrfs", std::string("no room on the card: ") + full.what());
    }
    image.writes.insert(image.writes.end(), roots.begin(), roots.end());

    for (const config::Vrf& vrf : c.vrfs) {
        regs::VrfEntry e{};
        e.valid = 1;
        e.require_esp = vrf.require_esp;
        emit(image, image.vrf_index.at(vrf.name), e);
    }
}

void compile_addresses(const Config& c, TableImage& image) {
    for (const config::Address& a : c.addresses) {
        regs::LocalAddrEntry e{};
        e.valid = 1;
        e.is_v6 = a.ip.v6;
        e.addr = address_field(a.ip);
        emit(image, image.addr_index.at(config::to_string(a.ip)), e);
    }
}

}  // namespace

TableImage compile(const Config& c, uint32_t clock_khz, const TableImage* previous) {
    TableImage image;
    assign_indices(c, image, previous);

    // Targets before what points to them (table_image.hpp).
    compile_nexthops(c, image);
    compile_sas(c, image, previous);   // sa_tunnel, sa_lifetime, sa, spi_hash
    compile_vrfs(c, image, previous);  // routes, trie nodes, root slots, VRF entries
    compile_ilm(c, image);             // NHLFEs, then ILM entries
    compile_ports(c, image);
    compile_addresses(c, image);

    // pps -> tokens per 2^16 cycles, at least one so a configured policer
    // never shuts the host out entirely.
    const uint64_t cycles_per_second = uint64_t{clock_khz} * 1000;
    const uint64_t rate = (uint64_t{c.punt_policer.rate_pps} << 16) / std::max<uint64_t>(cycles_per_second, 1);
    image.policer_rate = static_cast<uint32_t>(std::max<uint64_t>(rate, 1));
    image.policer_burst = c.punt_policer.burst;
    return image;
}

}  // namespace mplsec::tables
