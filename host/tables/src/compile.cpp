// Config -> table entries. Index assignment is positional (the n-th next
// hop of the file is next hop n), so the same file always gives the same
// image and a diff of two images is a diff of two files.
#include <algorithm>

#include "mplsec/table_image.hpp"
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
void emit(TableImage& image, uint32_t index, const Entry& entry) {
    const auto words = entry.pack();
    image.writes.push_back(TableWrite{Entry::kTable, index, std::vector<uint32_t>(words.begin(), words.end())});
}

template <typename Entry>
void set_labels(Entry& entry, const std::vector<config::Label>& labels) {
    entry.label0 = labels.size() > 0 ? labels[0] : 0;
    entry.label1 = labels.size() > 1 ? labels[1] : 0;
    entry.label2 = labels.size() > 2 ? labels[2] : 0;
}

void compile_ports(const Config& c, TableImage& image) {
    for (const config::Port& port : c.ports) {
        regs::PortEntry e{};
        e.mac = mac_field(port.mac);
        e.vrf_valid = port.vrf.has_value();
        e.vrf = port.vrf ? image.vrf_index.at(*port.vrf) : 0;
        e.mtu = port.mtu;
        emit(image, port.id, e);
    }
}

void compile_nexthops(const Config& c, TableImage& image) {
    for (const config::Nexthop& nh : c.nexthops) {
        const auto index = static_cast<uint32_t>(image.nexthop_index.size());
        if (index >= regs::kTables[static_cast<std::size_t>(regs::TableId::nexthop)].depth)
            throw config::error_at(c, nh.origin, "name", "more next hops than the card holds");
        image.nexthop_index[nh.name] = index;
        regs::NexthopEntry e{};
        e.valid = 1;
        e.port = nh.port;
        e.dmac = mac_field(nh.mac);
        e.vlan_valid = nh.vlan.has_value();
        e.vlan = nh.vlan.value_or(0);
        emit(image, index, e);
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
    const uint32_t nhlfe_depth = regs::kTables[static_cast<std::size_t>(regs::TableId::nhlfe)].depth;
    for (const config::IlmEntry& entry : c.ilm) {
        const auto nhlfe_index = static_cast<uint32_t>(image.nhlfe_of_label.size());
        // One NHLFE per label keeps a counter per label.
        if (nhlfe_index >= nhlfe_depth)
            throw config::error_at(c, entry.origin, "label",
                                   "more ILM entries than the card has NHLFEs (" + std::to_string(nhlfe_depth) + ")");
        image.nhlfe_of_label[entry.label] = nhlfe_index;
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
        ilm_writes.push_back(TableWrite{regs::TableId::ilm, entry.label, {words.begin(), words.end()}});
    }
    image.writes.insert(image.writes.end(), ilm_writes.begin(), ilm_writes.end());
}

template <typename SlotEntry>
void emit_trie(TableImage& image, const TrieBuilder& trie, uint32_t (*index_of)(uint32_t, uint32_t, uint32_t)) {
    trie.for_each_slot([&](uint32_t level, uint32_t node, uint32_t slot, const TrieSlot& s) {
        SlotEntry e{};
        e.child_valid = s.child_valid;
        e.child = s.child;
        e.route_valid = s.route_valid;
        e.route = s.route;
        emit(image, index_of(level, node, slot), e);
    });
}

template <std::size_t N>
std::vector<uint32_t> to_vector(const std::array<uint32_t, N>& a) {
    return std::vector<uint32_t>(a.begin(), a.end());
}

void compile_vrfs(const Config& c, TableImage& image) {
    TrieBuilder trie4(to_vector(regs::Lpm4Entry::kNodesPerLevel));
    TrieBuilder trie6(to_vector(regs::Lpm6Entry::kNodesPerLevel));
    const uint32_t route_depth = regs::kTables[static_cast<std::size_t>(regs::TableId::route)].depth;

    for (const config::Vrf& vrf : c.vrfs) {
        const uint32_t vrf_index = image.vrf_index.at(vrf.name);
        // Shortest prefixes first: a longer one then overwrites the slots it covers.
        std::vector<const config::Route*> order;
        for (const config::Route& r : vrf.routes) order.push_back(&r);
        std::stable_sort(order.begin(), order.end(),
                         [](const config::Route* a, const config::Route* b) { return a->prefix.len < b->prefix.len; });
        for (const config::Route* r : order) {
            const auto route_index = static_cast<uint32_t>(image.routes.size());
            if (route_index >= route_depth) throw config::error_at(c, r->origin, "prefix", "more routes than the card holds");
            image.routes.push_back(RouteRef{vrf.name, config::to_string(r->prefix)});
            regs::RouteEntry e{};
            e.valid = 1;
            e.nexthop = image.nexthop_index.at(r->nexthop);
            e.n_push = r->push.size();
            set_labels(e, r->push);
            e.ttl_pipe = r->ttl == config::TtlMode::pipe;
            e.sa_valid = r->sa.has_value();
            e.sa = r->sa ? image.sa_index.at(*r->sa) : 0;
            emit(image, route_index, e);
            try {
                (r->prefix.addr.v6 ? trie6 : trie4).insert(vrf_index, r->prefix.addr.bytes.data(), r->prefix.len, route_index);
            } catch (const std::length_error& full) {
                throw config::error_at(c, r->origin, "prefix", std::string("no room on the card: ") + full.what());
            }
        }
    }
    emit_trie<regs::Lpm4Entry>(image, trie4, [](uint32_t l, uint32_t n, uint32_t s) { return regs::lpm4_index(l, n, s); });
    emit_trie<regs::Lpm6Entry>(image, trie6, [](uint32_t l, uint32_t n, uint32_t s) { return regs::lpm6_index(l, n, s); });

    for (const config::Vrf& vrf : c.vrfs) {
        regs::VrfEntry e{};
        e.valid = 1;
        e.require_esp = vrf.require_esp;
        emit(image, image.vrf_index.at(vrf.name), e);
    }
}

void compile_addresses(const Config& c, TableImage& image) {
    const uint32_t depth = regs::kTables[static_cast<std::size_t>(regs::TableId::local_addr)].depth;
    uint32_t index = 0;
    for (const config::Address& a : c.addresses) {
        if (index >= depth)
            throw config::error_at(c, a.origin, "", "more addresses than the card holds (" + std::to_string(depth) + ")");
        regs::LocalAddrEntry e{};
        e.valid = 1;
        e.is_v6 = a.ip.v6;
        const int bytes = a.ip.v6 ? 16 : 4;
        for (int b = 0; b < bytes; ++b) {
            const int bit = 8 * (bytes - 1 - b);  // first byte most significant
            e.addr[bit / 32] |= uint32_t{a.ip.bytes[b]} << (bit % 32);
        }
        emit(image, index++, e);
    }
}

}  // namespace

TableImage compile(const Config& c, uint32_t clock_khz) {
    TableImage image;
    for (const config::Vrf& vrf : c.vrfs) {
        const auto index = static_cast<uint32_t>(image.vrf_index.size());
        if (index >= regs::kTables[static_cast<std::size_t>(regs::TableId::vrf)].depth)
            throw config::error_at(c, vrf.origin, "name", "more VRFs than the card holds");
        image.vrf_index[vrf.name] = index;
    }
    for (const config::Sa& sa : c.sas) image.sa_index[sa.name] = static_cast<uint32_t>(image.sa_index.size());

    compile_nexthops(c, image);
    compile_ports(c, image);
    compile_ilm(c, image);
    compile_vrfs(c, image);
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
