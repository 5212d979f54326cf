#include "forward.hpp"

#include "ip_header.hpp"
#include "lpm.hpp"

namespace mplsec::hls_fwd {
namespace {

using regs::Reason;

constexpr uint16_t kEthertypeIpv4 = 0x0800;
constexpr uint16_t kEthertypeIpv6 = 0x86DD;
constexpr uint16_t kEthertypeArp = 0x0806;
constexpr uint16_t kEthertypeMpls = 0x8847;
constexpr uint16_t kTpidCtag = 0x8100;
constexpr uint16_t kTpidStag = 0x88A8;
constexpr uint8_t kIpProtoEsp = 50;

constexpr uint32_t kLabelIpv4ExplicitNull = 0;
constexpr uint32_t kLabelRouterAlert = 1;
constexpr uint32_t kLabelIpv6ExplicitNull = 2;
constexpr uint32_t kFirstUnreservedLabel = 16;

Verdict drop(Reason reason) {
    Verdict v;
    v.kind = VerdictKind::drop;
    v.reason = reason;
    return v;
}

Verdict punt(Reason reason) {
    Verdict v;
    v.kind = VerdictKind::punt;
    v.reason = reason;
    return v;
}

// A label stack entry (RFC 3032).
struct Lse {
    uint32_t label = 0;
    uint8_t tc = 0;
    bool bos = false;
    uint8_t ttl = 0;
};

Lse read_lse(const uint8_t* p) {
    const uint32_t word = uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
    return Lse{word >> 12, static_cast<uint8_t>((word >> 9) & 7), ((word >> 8) & 1) != 0,
               static_cast<uint8_t>(word)};
}

void append_lse(std::vector<uint8_t>& out, const Lse& lse) {
    const uint32_t word = (lse.label & 0xfffff) << 12 | uint32_t{lse.tc & 7u} << 9 |
                          uint32_t{lse.bos} << 8 | lse.ttl;
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(word >> shift));
}

uint32_t nth_label(uint64_t label0, uint64_t label1, uint64_t label2, int index) {
    const uint64_t labels[3] = {label0, label1, label2};
    return static_cast<uint32_t>(labels[index]);
}

uint16_t ip_ethertype(IpVersion v) { return v == IpVersion::v4 ? kEthertypeIpv4 : kEthertypeIpv6; }

// The forwarding state of one frame: the tables, the frame, and the
// bytes that will follow the new Ethernet header.
class FrameForwarder {
public:
    FrameForwarder(const Tables& tables, const uint8_t* frame, uint32_t len, uint8_t in_port,
                   Counters& counters)
        : t_(tables), f_(frame), len_(len), in_port_(in_port), counters_(counters) {}

    Verdict run() {
        if (len_ < kMinFrame || len_ > kMaxFrame) return drop(Reason::bad_frame);
        uint32_t off = 12;
        uint16_t ethertype = rd16(f_ + off);
        for (int tag = 0; tag < 2 && (ethertype == kTpidCtag || ethertype == kTpidStag); ++tag) {
            off += 4;
            ethertype = rd16(f_ + off);
        }
        off += 2;
        switch (ethertype) {
            case kEthertypeArp: return punt(Reason::punt_control);
            case kEthertypeMpls: return label_switch(off);
            case kEthertypeIpv4: return ip_from_port(off, IpVersion::v4, -1);
            case kEthertypeIpv6: return ip_from_port(off, IpVersion::v6, -1);
            default: return drop(Reason::bad_frame);
        }
    }

private:
    // Step 3: the label stack.
    Verdict label_switch(uint32_t stack_off) {
        bool bos_found = false;
        for (int i = 0; i < kMaxLabels && !bos_found; ++i) {
            if (stack_off + 4u * i + 4 > len_) return drop(Reason::bad_frame);
            bos_found = read_lse(f_ + stack_off + 4 * i).bos;
        }
        if (!bos_found) return drop(Reason::stack_too_deep);

        const Lse top = read_lse(f_ + stack_off);
        const uint32_t below = stack_off + 4;  // first byte under the top entry
        if (top.label == kLabelRouterAlert) return punt(Reason::router_alert);
        if (top.label == kLabelIpv4ExplicitNull || top.label == kLabelIpv6ExplicitNull) {
            if (!top.bos) return drop(Reason::no_label);
            const IpVersion expected = top.label == kLabelIpv4ExplicitNull ? IpVersion::v4 : IpVersion::v6;
            return ip_from_port(below, expected, top.ttl);
        }
        if (top.label < kFirstUnreservedLabel) return drop(Reason::no_label);

        const auto ilm = regs::IlmEntry::unpack(t_.ilm.entry(top.label));
        if (!ilm.valid) return drop(Reason::no_label);
        if (!((ilm.port_mask >> in_port_) & 1)) return drop(Reason::label_spoofed);

        const uint32_t nhlfe_index = static_cast<uint32_t>(ilm.nhlfe);
        const auto nhlfe = regs::NhlfeEntry::unpack(t_.nhlfe.entry(nhlfe_index));
        const auto op = static_cast<regs::NhlfeOp>(nhlfe.op);
        if (op == regs::NhlfeOp::punt) return punt(Reason::punt_control);
        if (op != regs::NhlfeOp::swap && op != regs::NhlfeOp::pop && op != regs::NhlfeOp::pop_lookup)
            return drop(Reason::action_drop);
        if (top.ttl <= 1) return punt(Reason::ttl_expired);
        counters_.nhlfe[nhlfe_index].add(len_);

        switch (op) {
            case regs::NhlfeOp::swap: return swap(top, below, nhlfe);
            case regs::NhlfeOp::pop: return pop(top, below, nhlfe);
            default: return pop_lookup(top, below, nhlfe);
        }
    }

    Verdict swap(const Lse& top, uint32_t below, const regs::NhlfeEntry& nhlfe) {
        std::vector<uint8_t> l3;
        const int count = static_cast<int>(nhlfe.n_labels);
        for (int i = 0; i < count; ++i) {
            Lse out;
            out.label = nth_label(nhlfe.label0, nhlfe.label1, nhlfe.label2, i);
            out.tc = nhlfe.tc_set ? static_cast<uint8_t>(nhlfe.tc) : top.tc;
            out.bos = (i == count - 1) && top.bos;
            out.ttl = static_cast<uint8_t>(top.ttl - 1);
            append_lse(l3, out);
        }
        l3.insert(l3.end(), f_ + below, f_ + len_);
        return egress(static_cast<uint32_t>(nhlfe.nexthop), kEthertypeMpls, std::move(l3));
    }

    Verdict pop(const Lse& top, uint32_t below, const regs::NhlfeEntry& nhlfe) {
        std::vector<uint8_t> l3(f_ + below, f_ + len_);
        const bool uniform = !nhlfe.ttl_pipe;
        if (!top.bos) {
            if (uniform) l3[3] = static_cast<uint8_t>(top.ttl - 1);  // TTL byte of the new top
            return egress(static_cast<uint32_t>(nhlfe.nexthop), kEthertypeMpls, std::move(l3));
        }
        const IpVersion v = ip_version(l3.data());
        if (v == IpVersion::none || l3.size() < ip_min_header(v)) return drop(Reason::bad_frame);
        if (uniform) ip_set_ttl(v, l3.data(), static_cast<uint8_t>(top.ttl - 1));
        return egress(static_cast<uint32_t>(nhlfe.nexthop), ip_ethertype(v), std::move(l3));
    }

    Verdict pop_lookup(const Lse& top, uint32_t below, const regs::NhlfeEntry& nhlfe) {
        if (!top.bos) return drop(Reason::bad_frame);
        std::vector<uint8_t> l3(f_ + below, f_ + len_);
        const IpVersion v = ip_version(l3.data());
        if (v == IpVersion::none || l3.size() < ip_min_header(v)) return drop(Reason::bad_frame);
        if (!nhlfe.ttl_pipe) {
            ip_set_ttl(v, l3.data(), static_cast<uint8_t>(top.ttl - 1));
        } else {
            const uint8_t ttl = ip_ttl(v, l3.data());
            if (ttl <= 1) return punt(Reason::ttl_expired);
            ip_set_ttl(v, l3.data(), static_cast<uint8_t>(ttl - 1));
        }
        const uint32_t vrf = static_cast<uint32_t>(nhlfe.vrf);
        // No SA table yet: ESP addressed to this card cannot be decrypted.
        if (ip_protocol(v, l3.data()) == kIpProtoEsp && is_local(v, l3.data())) return drop(Reason::esp_no_sa);
        const auto vrf_entry = regs::VrfEntry::unpack(t_.vrf.entry(vrf));
        if (!vrf_entry.valid) return drop(Reason::no_route);
        if (vrf_entry.require_esp) return drop(Reason::esp_required);
        return route(vrf, v, std::move(l3));
    }

    // Step 5: an IP packet at `ip_off`, unlabeled (ttl_override < 0) or
    // under an explicit null whose TTL it takes.
    Verdict ip_from_port(uint32_t ip_off, IpVersion expected, int ttl_override) {
        const uint8_t* ip = f_ + ip_off;
        if (ip_version(ip) != expected || !ip_valid(expected, ip, len_ - ip_off)) return drop(Reason::bad_frame);
        std::vector<uint8_t> l3(ip, f_ + len_);
        if (ttl_override >= 0) ip_set_ttl(expected, l3.data(), static_cast<uint8_t>(ttl_override));
        if (is_local(expected, l3.data()) || ip_is_multicast(expected, l3.data())) return punt(Reason::punt_control);

        const auto port = regs::PortEntry::unpack(t_.port.entry(in_port_));
        if (!port.vrf_valid) return drop(Reason::no_route);
        const uint8_t ttl = ip_ttl(expected, l3.data());
        if (ttl <= 1) return punt(Reason::ttl_expired);
        ip_set_ttl(expected, l3.data(), static_cast<uint8_t>(ttl - 1));
        return route(static_cast<uint32_t>(port.vrf), expected, std::move(l3));
    }

    // Steps 5.3 and 5.4: VRF lookup, then label push.
    Verdict route(uint32_t vrf, IpVersion v, std::vector<uint8_t> l3) {
        const uint8_t* dst = ip_dst(v, l3.data());
        const int32_t index = v == IpVersion::v4 ? lpm_lookup<regs::Lpm4Entry>(t_.lpm4, vrf, dst)
                                                 : lpm_lookup<regs::Lpm6Entry>(t_.lpm6, vrf, dst);
        if (index == kNoRoute || static_cast<uint32_t>(index) >= t_.route.depth) return drop(Reason::no_route);
        const auto r = regs::RouteEntry::unpack(t_.route.entry(static_cast<uint32_t>(index)));
        if (!r.valid) return drop(Reason::no_route);
        counters_.route[static_cast<uint32_t>(index)].add(len_);
        // The ESP stage is not in this datapath yet: never send in the clear
        // what the operator asked to encrypt.
        if (r.sa_valid) return drop(Reason::esp_no_sa);

        std::vector<uint8_t> out;
        const int count = static_cast<int>(r.n_push);
        for (int i = 0; i < count; ++i) {
            Lse lse;
            lse.label = nth_label(r.label0, r.label1, r.label2, i);
            lse.tc = ip_precedence(v, l3.data());
            lse.bos = i == count - 1;
            lse.ttl = r.ttl_pipe ? 255 : ip_ttl(v, l3.data());
            append_lse(out, lse);
        }
        out.insert(out.end(), l3.begin(), l3.end());
        return egress(static_cast<uint32_t>(r.nexthop), count > 0 ? kEthertypeMpls : ip_ethertype(v),
                      std::move(out));
    }

    // Step 6: Ethernet rewrite toward a next hop.
    Verdict egress(uint32_t nexthop_index, uint16_t ethertype, std::vector<uint8_t> l3) {
        if (nexthop_index >= t_.nexthop.depth) return drop(Reason::no_route);
        const auto nh = regs::NexthopEntry::unpack(t_.nexthop.entry(nexthop_index));
        if (!nh.valid) return drop(Reason::no_route);
        const uint8_t out_port = static_cast<uint8_t>(nh.port);
        const auto port = regs::PortEntry::unpack(t_.port.entry(out_port));
        if (l3.size() > port.mtu) return drop(Reason::mtu_exceeded);

        Verdict v;
        v.kind = VerdictKind::forward;
        v.out_port = out_port;
        std::vector<uint8_t>& out = v.frame;
        out.reserve(l3.size() + 18);
        append_mac(out, nh.dmac);
        append_mac(out, port.mac);
        if (nh.vlan_valid) {
            append16(out, kTpidCtag);
            append16(out, static_cast<uint16_t>(nh.vlan & 0xfff));
        }
        append16(out, ethertype);
        out.insert(out.end(), l3.begin(), l3.end());
        if (out.size() < kMinFrame) out.resize(kMinFrame, 0);
        return v;
    }

    // The card's own addresses (local_addr): IPv4 sits in addr bits 31:0,
    // first byte most significant; IPv6 fills all 128 bits the same way.
    bool is_local(IpVersion v, const uint8_t* ip) const {
        const uint8_t* dst = ip_dst(v, ip);
        const int bytes = v == IpVersion::v4 ? 4 : 16;
        for (uint32_t i = 0; i < t_.local_addr.depth; ++i) {
            const auto entry = regs::LocalAddrEntry::unpack(t_.local_addr.entry(i));
            if (!entry.valid || entry.is_v6 != (v == IpVersion::v6)) continue;
            bool same = true;
            for (int b = 0; b < bytes && same; ++b) {
                const int bit = 8 * (bytes - 1 - b);
                same = static_cast<uint8_t>(entry.addr[bit / 32] >> (bit % 32)) == dst[b];
            }
            if (same) return true;
        }
        return false;
    }

    static void append16(std::vector<uint8_t>& out, uint16_t value) {
        out.push_back(static_cast<uint8_t>(value >> 8));
        out.push_back(static_cast<uint8_t>(value));
    }
    static void append_mac(std::vector<uint8_t>& out, uint64_t mac) {
        for (int shift = 40; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(mac >> shift));
    }

    const Tables& t_;
    const uint8_t* f_;
    uint32_t len_;
    uint8_t in_port_;
    Counters& counters_;
};

}  // namespace

Verdict forward_frame(const Tables& tables, const uint8_t* frame, uint32_t len, uint8_t in_port,
                      Counters& counters) {
    return FrameForwarder(tables, frame, len, in_port, counters).run();
}

}  // namespace mplsec::hls_fwd
