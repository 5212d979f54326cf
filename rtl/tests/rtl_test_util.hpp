// Frame builders and table helpers shared by the RTL tests and the RTL
// bench: Ethernet/VLAN/MPLS/IPv4/IPv6 frames built byte by byte, table
// entries written through regs::<Table>Entry::pack(), and a small trie
// builder for lpm4/lpm6 routes.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "mplsec/engine.hpp"
#include "mplsec/regs.hpp"

namespace mplsec::rtltest {

using Bytes = std::vector<uint8_t>;

inline void put16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}
inline void put32(Bytes& b, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}
inline void put_mac(Bytes& b, uint64_t mac) {
    for (int s = 40; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(mac >> s));
}

inline uint32_t lse(uint32_t label, uint32_t tc, bool s, uint32_t ttl) {
    return (label & 0xfffff) << 12 | (tc & 7) << 9 | uint32_t{s} << 8 | (ttl & 0xff);
}

// Ethernet header with optional VLAN tags (TPID 0x8100) and ethertype.
inline Bytes eth(uint64_t dmac, uint64_t smac, const std::vector<uint16_t>& vlans, uint16_t ethertype) {
    Bytes b;
    put_mac(b, dmac);
    put_mac(b, smac);
    for (uint16_t v : vlans) {
        put16(b, 0x8100);
        put16(b, v);
    }
    put16(b, ethertype);
    return b;
}

inline uint16_t ones_sum(const uint8_t* p, std::size_t len) {
    uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2) sum += uint32_t{p[i]} << 8 | p[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// IPv4 packet of `total` bytes (header 20 bytes, checksum correct).
inline Bytes ipv4(uint32_t src, uint32_t dst, uint8_t ttl, uint8_t proto, uint8_t tos, uint16_t total) {
    Bytes b;
    b.push_back(0x45);
    b.push_back(tos);
    put16(b, total);
    put16(b, 0x1234);
    put16(b, 0x4000);
    b.push_back(ttl);
    b.push_back(proto);
    put16(b, 0);
    put32(b, src);
    put32(b, dst);
    const uint16_t c = static_cast<uint16_t>(~ones_sum(b.data(), 20));
    b[10] = static_cast<uint8_t>(c >> 8);
    b[11] = static_cast<uint8_t>(c);
    for (uint16_t i = 20; i < total; ++i) b.push_back(static_cast<uint8_t>(i * 7 + 3));
    return b;
}

// IPv6 packet with `payload` bytes after the 40-byte header.
inline Bytes ipv6(const std::array<uint8_t, 16>& dst, uint8_t hop, uint8_t next, uint8_t tclass, uint16_t payload) {
    Bytes b;
    b.push_back(static_cast<uint8_t>(0x60 | tclass >> 4));
    b.push_back(static_cast<uint8_t>(tclass << 4));
    b.push_back(0);
    b.push_back(0);
    put16(b, payload);
    b.push_back(next);
    b.push_back(hop);
    for (int i = 0; i < 16; ++i) b.push_back(static_cast<uint8_t>(0x20 + i));  // source
    for (uint8_t v : dst) b.push_back(v);
    for (uint16_t i = 0; i < payload; ++i) b.push_back(static_cast<uint8_t>(i * 5 + 1));
    return b;
}

inline Bytes cat(Bytes a, const Bytes& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

inline Bytes labels(const std::vector<uint32_t>& entries) {
    Bytes b;
    for (uint32_t e : entries) put32(b, e);
    return b;
}

// Pads with a counting pattern (not zero, so shifts show) to `size` bytes.
inline Bytes pad_to(Bytes b, std::size_t size) {
    while (b.size() < size) b.push_back(static_cast<uint8_t>(0xa0 + b.size()));
    return b;
}

template <typename Entry>
void put(sim::Engine& e, uint32_t index, const Entry& entry) {
    const auto words = entry.pack();
    e.write_table(Entry::kTable, index, words.data());
}

inline void set_port(sim::Engine& e, uint32_t port, uint64_t mac, uint32_t mtu, bool vrf_valid = false,
                     uint32_t vrf = 0) {
    regs::PortEntry p;
    p.mac = mac;
    p.mtu = mtu;
    p.vrf_valid = vrf_valid;
    p.vrf = vrf;
    put(e, port, p);
}

inline void set_nexthop(sim::Engine& e, uint32_t index, uint32_t port, uint64_t dmac, bool vlan_valid = false,
                        uint32_t vlan = 0) {
    regs::NexthopEntry n;
    n.valid = 1;
    n.port = port;
    n.dmac = dmac;
    n.vlan_valid = vlan_valid;
    n.vlan = vlan;
    put(e, index, n);
}

inline void set_ilm(sim::Engine& e, uint32_t label, uint32_t port_mask, uint32_t nhlfe) {
    regs::IlmEntry i;
    i.valid = 1;
    i.port_mask = port_mask;
    i.nhlfe = nhlfe;
    put(e, label, i);
}

inline void set_nhlfe(sim::Engine& e, uint32_t index, regs::NhlfeOp op, const std::vector<uint32_t>& out,
                      uint32_t nexthop, uint32_t vrf = 0, bool pipe = false, bool tc_set = false, uint32_t tc = 0) {
    regs::NhlfeEntry n;
    n.op = static_cast<uint64_t>(op);
    n.n_labels = out.size();
    n.label0 = out.size() > 0 ? out[0] : 0;
    n.label1 = out.size() > 1 ? out[1] : 0;
    n.label2 = out.size() > 2 ? out[2] : 0;
    n.nexthop = nexthop;
    n.vrf = vrf;
    n.ttl_pipe = pipe;
    n.tc_set = tc_set;
    n.tc = tc;
    put(e, index, n);
}

inline void set_vrf(sim::Engine& e, uint32_t vrf, bool require_esp = false) {
    regs::VrfEntry v;
    v.valid = 1;
    v.require_esp = require_esp;
    put(e, vrf, v);
}

inline void set_route(sim::Engine& e, uint32_t index, uint32_t nexthop, const std::vector<uint32_t>& push,
                      bool pipe = false, bool sa_valid = false) {
    regs::RouteEntry r;
    r.valid = 1;
    r.nexthop = nexthop;
    r.n_push = push.size();
    r.label0 = push.size() > 0 ? push[0] : 0;
    r.label1 = push.size() > 1 ? push[1] : 0;
    r.label2 = push.size() > 2 ? push[2] : 0;
    r.ttl_pipe = pipe;
    r.sa_valid = sa_valid;
    put(e, index, r);
}

inline void set_local(sim::Engine& e, uint32_t index, bool v6, const std::array<uint8_t, 16>& addr_be,
                      unsigned bytes) {
    regs::LocalAddrEntry l;
    l.valid = 1;
    l.is_v6 = v6;
    // First byte most significant; IPv4 in addr[31:0].
    for (unsigned b = 0; b < bytes; ++b) {
        const unsigned bit = 8 * (bytes - 1 - b);
        l.addr[bit / 32] |= uint32_t{addr_be[b]} << (bit % 32);
    }
    put(e, index, l);
}

// Builds lpm4/lpm6 tries: nodes allocated per level, prefixes expanded
// into slots. Insert shorter prefixes before longer ones.
template <typename Entry, uint32_t (*Index)(uint32_t, uint32_t, uint32_t)>
class Trie {
public:
    explicit Trie(sim::Engine& e) : e_(e) { next_.fill(0); }

    void add(uint32_t vrf, const std::vector<uint8_t>& addr, unsigned len, uint32_t route) {
        uint32_t node = vrf;
        unsigned level = 0;
        while ((level + 1) * 8 < len) {
            const uint32_t idx = Index(level, node, addr[level]);
            Entry& slot = shadow_[idx];
            if (!slot.child_valid) {
                slot.child_valid = 1;
                slot.child = next_[level + 1]++;
                write(idx);
            }
            node = static_cast<uint32_t>(slot.child);
            ++level;
        }
        const unsigned rem = (level + 1) * 8 - len;  // free low bits of this byte
        const uint32_t first = addr[level] & ~((1u << rem) - 1) & 0xff;
        for (uint32_t s = first; s < first + (1u << rem); ++s) {
            const uint32_t idx = Index(level, node, s);
            Entry& slot = shadow_[idx];
            slot.route_valid = 1;
            slot.route = route;
            write(idx);
        }
    }

private:
    void write(uint32_t idx) {
        const auto words = shadow_[idx].pack();
        e_.write_table(Entry::kTable, idx, words.data());
    }

    sim::Engine& e_;
    std::map<uint32_t, Entry> shadow_;
    std::array<uint32_t, 16> next_{};
};

using Trie4 = Trie<regs::Lpm4Entry, regs::lpm4_index>;
using Trie6 = Trie<regs::Lpm6Entry, regs::lpm6_index>;

}  // namespace mplsec::rtltest
