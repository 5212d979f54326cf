#include "forward.hpp"

#include "ip_header.hpp"
#include "lpm.hpp"

namespace mplsec::hls_fwd {
namespace {

using regs::Reason;

constexpr uint16_t kEthertypeArp = 0x0806;
constexpr uint16_t kTpidCtag = 0x8100;
constexpr uint16_t kTpidStag = 0x88A8;

constexpr uint32_t kLabelIpv4ExplicitNull = 0;
constexpr uint32_t kLabelRouterAlert = 1;
constexpr uint32_t kLabelIpv6ExplicitNull = 2;
constexpr uint32_t kFirstUnreservedLabel = 16;

// The new header carries the kIpEditBytes a TTL rewrite may touch; the
// rest of the packet streams from the buffer unchanged.
// Bytes of a label stack entry: a pop below the top edits the next TTL.
constexpr uint32_t kLseBytes = 4;

// Ethernet + 802.1Q + kMaxPush labels + the edited IP bytes must fit the
// one-beat header of the rewrite descriptor.
static_assert(18 + 4 * kMaxPush + kIpEditBytes <= kBeatBytes, "new header exceeds one beat");
// Every byte the decision reads lies in the header window (fwd_types.hpp).
static_assert(14 + 8 + 4 + 60 <= kHeadBytes, "header window too small");
static_assert(14 + 8 + 4 * kMaxLabels <= kHeadBytes, "header window too small for the stack");

Decision drop(Reason reason) {
    Decision d;
    d.action = Action::drop;
    d.reason = reason;
    return d;
}

Decision punt(Reason reason) {
    Decision d;
    d.action = Action::punt;
    d.reason = reason;
    return d;
}

// Forward toward `nexthop`: the new labels (if any) are added by the
// caller; the original bytes from l3_off on follow them.
Decision to_nexthop(uint32_t nexthop, uint16_t ethertype, uint32_t l3_off, uint32_t l3_edit) {
    Decision d;
    d.action = Action::forward;
    d.nexthop = nexthop;
    d.ethertype = ethertype;
    d.l3_off = l3_off;
    d.l3_edit = l3_edit;
    return d;
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

uint32_t lse_word(const Lse& lse) {
    return (lse.label & 0xfffff) << 12 | uint32_t{lse.tc & 7u} << 9 | uint32_t{lse.bos} << 8 | lse.ttl;
}

uint32_t nth_label(uint64_t label0, uint64_t label1, uint64_t label2, int index) {
    const uint64_t labels[kMaxPush] = {label0, label1, label2};
    return static_cast<uint32_t>(labels[index]);
}

// The card's own addresses (local_addr): IPv4 sits in addr bits 31:0,
// first byte most significant; IPv6 fills all 128 bits the same way. A
// fixed 16-entry scan, unrolled into parallel comparators on the card.
bool is_local(const LocalAddrWords* local_addr, IpVersion v, const uint8_t* ip) {
    const uint8_t* dst = ip_dst(v, ip);
    const int bytes = v == IpVersion::v4 ? 4 : 16;
    bool found = false;
    for (uint32_t i = 0; i < kLocalAddrDepth; ++i) {
#pragma HLS UNROLL
        const auto entry = regs::LocalAddrEntry::unpack(local_addr[i].w);
        if (!entry.valid || entry.is_v6 != (v == IpVersion::v6)) continue;
        bool same = true;
        for (int b = 0; b < bytes && same; ++b) {
            const int bit = 8 * (bytes - 1 - b);
            same = static_cast<uint8_t>(entry.addr[bit / 32] >> (bit % 32)) == dst[b];
        }
        found = found || same;
    }
    return found;
}

// Step 2: Ethernet and up to two VLAN tags. Returns the ethertype and sets
// `l2_len` to the first byte after it.
uint16_t parse_ethernet(const uint8_t* h, uint32_t& l2_len) {
    uint32_t off = 12;
    uint16_t ethertype = rd16(h + off);
    for (int tag = 0; tag < 2; ++tag) {
#pragma HLS UNROLL
        if (ethertype != kTpidCtag && ethertype != kTpidStag) break;
        off += 4;
        ethertype = rd16(h + off);
    }
    l2_len = off + 2;
    return ethertype;
}

// Label stack entries for a push from a route: n labels, outermost first,
// all with TC `tc` and TTL `ttl`, S on the last.
void push_route_labels(const regs::RouteEntry& r, uint8_t tc, uint8_t ttl, uint8_t& n_push,
                       uint32_t push[kMaxPush]) {
    const int count = static_cast<int>(r.n_push);
    n_push = static_cast<uint8_t>(count);
    for (int i = 0; i < kMaxPush; ++i) {
#pragma HLS UNROLL
        Lse lse;
        lse.label = nth_label(r.label0, r.label1, r.label2, i);
        lse.tc = tc;
        lse.bos = i == count - 1;
        lse.ttl = ttl;
        push[i] = i < count ? lse_word(lse) : 0;
    }
}

// Step 5.4 with `sa_valid`: the ESP stage encrypts (step 4.1). The labels
// go on after encryption with the outer precedence (the inner DSCP >> 3)
// and the outer TTL 64 (uniform) or 255 (pipe). Only an inner packet that
// lies wholly in the frame is encrypted: a pop-lookup validates no more
// than the header minimum, and bytes past the frame are not the packet's.
Decision encrypt(const regs::RouteEntry& r, IpVersion v, const uint8_t* ip, uint32_t ip_off, uint32_t frame_len) {
    if (ip_off + ip_length(v, ip) > frame_len) return drop(Reason::bad_frame);
    Decision d = to_nexthop(static_cast<uint32_t>(r.nexthop), 0, ip_off, 0);
    EspJob& job = d.esp;
    job.op = EspOp::encrypt;
    job.sa = static_cast<uint16_t>(r.sa);
    job.ip_off = ip_off;
    job.ip_len = ip_length(v, ip);
    job.dscp = ip_dscp(v, ip);
    for (uint32_t i = 0; i < kIpEditBytes; ++i) job.ip_head[i] = ip[i];
    job.nexthop = d.nexthop;
    push_route_labels(r, ip_precedence(v, ip), r.ttl_pipe ? 255 : kEspOuterTtl, job.n_push, job.push);
    return d;
}

// Steps 5.3 and 5.4: VRF lookup of the IP packet at `ip_off` (TTL already
// handled), then the label push or encryption; route_hit names the matched
// entry. A packet that was just decrypted is never encrypted again.
Decision route(const TableRefs& t, const FrameHead& f, uint32_t vrf, IpVersion v, uint32_t ip_off,
               bool decrypted) {
    const uint8_t* ip = f.h + ip_off;
    const uint8_t* dst = ip_dst(v, ip);
    const int32_t index = v == IpVersion::v4 ? lpm_lookup<regs::Lpm4Entry>(t.lpm4, vrf, dst)
                                             : lpm_lookup<regs::Lpm6Entry>(t.lpm6, vrf, dst);
    if (index == kNoRoute || static_cast<uint32_t>(index) >= kRouteDepth) return drop(Reason::no_route);
    const auto r = regs::RouteEntry::unpack(t.route[index].w);
    if (!r.valid) return drop(Reason::no_route);
    Decision d;
    if (r.sa_valid) {
        d = decrypted ? drop(Reason::no_route) : encrypt(r, v, ip, ip_off, f.len);
    } else {
        d = to_nexthop(static_cast<uint32_t>(r.nexthop), r.n_push > 0 ? kEthertypeMpls : ip_ethertype(v), ip_off,
                       kIpEditBytes);
        push_route_labels(r, ip_precedence(v, ip), r.ttl_pipe ? 255 : ip_ttl(v, ip), d.n_push, d.push);
    }
    d.route_hit = index;
    return d;
}

// Step 5: an IP packet at `ip_off`, unlabeled (ttl_override < 0) or under
// an explicit null whose TTL it takes.
Decision ip_from_port(const TableRefs& t, FrameHead& f, uint32_t ip_off, IpVersion expected, int ttl_override) {
    uint8_t* ip = f.h + ip_off;
    if (ip_version(ip) != expected || !ip_valid(expected, ip, f.len - ip_off)) return drop(Reason::bad_frame);
    if (ttl_override >= 0) ip_set_ttl(expected, ip, static_cast<uint8_t>(ttl_override));
    if (is_local(t.local_addr, expected, ip) || ip_is_multicast(expected, ip)) return punt(Reason::punt_control);

    const auto port = regs::PortEntry::unpack(t.port[f.port].w);
    if (!port.vrf_valid) return drop(Reason::no_route);
    const uint8_t ttl = ip_ttl(expected, ip);
    if (ttl <= 1) return punt(Reason::ttl_expired);
    ip_set_ttl(expected, ip, static_cast<uint8_t>(ttl - 1));
    return route(t, f, static_cast<uint32_t>(port.vrf), expected, ip_off, false);
}

// NHLFE swap: the top entry becomes n_labels new entries.
Decision label_swap(const Lse& top, uint32_t below, const regs::NhlfeEntry& nhlfe) {
    const int count = static_cast<int>(nhlfe.n_labels);
    Decision d = to_nexthop(static_cast<uint32_t>(nhlfe.nexthop), kEthertypeMpls, below, 0);
    d.n_push = static_cast<uint8_t>(count);
    for (int i = 0; i < kMaxPush; ++i) {
#pragma HLS UNROLL
        Lse out;
        out.label = nth_label(nhlfe.label0, nhlfe.label1, nhlfe.label2, i);
        out.tc = nhlfe.tc_set ? static_cast<uint8_t>(nhlfe.tc) : top.tc;
        out.bos = (i == count - 1) && top.bos;
        out.ttl = static_cast<uint8_t>(top.ttl - 1);
        d.push[i] = i < count ? lse_word(out) : 0;
    }
    return d;
}

// True when the payload under a bottom-of-stack pop starts with an IP
// header of at least its minimum size within the frame.
bool popped_ip_ok(const FrameHead& f, uint32_t below, IpVersion& v) {
    v = ip_version(f.h + below);
    return v != IpVersion::none && f.len - below >= ip_min_header(v);
}

// NHLFE pop: the next entry becomes the top, or (PHP) the IP payload goes
// out bare.
Decision label_pop(FrameHead& f, const Lse& top, uint32_t below, const regs::NhlfeEntry& nhlfe) {
    const bool uniform = !nhlfe.ttl_pipe;
    const auto nexthop = static_cast<uint32_t>(nhlfe.nexthop);
    if (!top.bos) {
        if (uniform) f.h[below + 3] = static_cast<uint8_t>(top.ttl - 1);  // TTL byte of the new top
        return to_nexthop(nexthop, kEthertypeMpls, below, kLseBytes);
    }
    IpVersion v;
    if (!popped_ip_ok(f, below, v)) return drop(Reason::bad_frame);
    if (uniform) ip_set_ttl(v, f.h + below, static_cast<uint8_t>(top.ttl - 1));
    return to_nexthop(nexthop, ip_ethertype(v), below, kIpEditBytes);
}

// Step 4.2, the test for "ESP for this card" on an outer packet at `ip_off`
// addressed to one of the card's own addresses. A packet that may be ESP
// (protocol 50, or UDP) must pass step 5.1 first (Notes on ESP); then ESP,
// or UDP to port 4500 whose first four payload bytes are not RFC 3948's
// zero non-ESP marker, is for the card: a fragment of it is bad_frame,
// anything else becomes a decrypt job. Returns a forward decision with
// no ESP job when the packet continues as plaintext.
Decision esp_for_card(const FrameHead& f, IpVersion v, uint32_t ip_off, uint32_t vrf) {
    const uint8_t* ip = f.h + ip_off;
    const uint8_t protocol = ip_protocol(v, ip);
    Decision plaintext = to_nexthop(0, 0, ip_off, 0);
    if (protocol != kIpProtoEsp && protocol != kIpProtoUdp) return plaintext;
    if (!ip_valid(v, ip, f.len - ip_off)) return drop(Reason::bad_frame);
    const uint32_t ip_len = ip_length(v, ip);
    uint32_t esp_off = ip_off + ip_header_length(v, ip);
    if (protocol == kIpProtoUdp) {
        const uint32_t marker = esp_off + kUdpHeaderBytes;
        if (marker + 4 > ip_off + ip_len || rd16(f.h + esp_off + 2) != kUdpPortIpsecNat) return plaintext;
        if ((f.h[marker] | f.h[marker + 1] | f.h[marker + 2] | f.h[marker + 3]) == 0) return plaintext;
        esp_off = marker;
    }
    if (ip_is_fragment(v, ip)) return drop(Reason::bad_frame);
    Decision d = to_nexthop(0, 0, ip_off, 0);
    d.esp.op = EspOp::decrypt;
    d.esp.ip_off = ip_off;
    d.esp.ip_len = ip_len;
    d.esp.esp_off = esp_off;
    d.esp.vrf = vrf;
    return d;
}

// NHLFE pop_lookup: pop the last label and route the IP packet in a VRF.
Decision label_pop_lookup(const TableRefs& t, FrameHead& f, const Lse& top, uint32_t below,
                          const regs::NhlfeEntry& nhlfe) {
    if (!top.bos) return drop(Reason::bad_frame);
    IpVersion v;
    if (!popped_ip_ok(f, below, v)) return drop(Reason::bad_frame);
    uint8_t* ip = f.h + below;
    if (!nhlfe.ttl_pipe) {
        ip_set_ttl(v, ip, static_cast<uint8_t>(top.ttl - 1));
    } else {
        const uint8_t ttl = ip_ttl(v, ip);
        if (ttl <= 1) return punt(Reason::ttl_expired);
        ip_set_ttl(v, ip, static_cast<uint8_t>(ttl - 1));
    }
    const auto vrf = static_cast<uint32_t>(nhlfe.vrf);
    if (is_local(t.local_addr, v, ip)) {
        const Decision esp = esp_for_card(f, v, below, vrf);
        if (esp.action != Action::forward || esp.esp.op == EspOp::decrypt) return esp;
    }
    const auto vrf_entry = regs::VrfEntry::unpack(t.vrf[vrf].w);
    if (!vrf_entry.valid) return drop(Reason::no_route);
    if (vrf_entry.require_esp) return drop(Reason::esp_required);
    return route(t, f, vrf, v, below, false);
}

// Step 3: the label stack at `stack_off`.
Decision label_switch(const TableRefs& t, const CounterRefs& c, FrameHead& f, uint32_t stack_off) {
    // Find the bottom of stack within kMaxLabels entries, each whole in the
    // frame; the scan is a fixed unrolled window over the header bytes.
    bool bos_found = false;
    bool truncated = false;
    for (int i = 0; i < kMaxLabels; ++i) {
#pragma HLS UNROLL
        if (bos_found || truncated) continue;
        if (stack_off + 4u * i + 4 > f.len) truncated = true;
        else bos_found = read_lse(f.h + stack_off + 4 * i).bos;
    }
    if (truncated) return drop(Reason::bad_frame);
    if (!bos_found) return drop(Reason::stack_too_deep);

    const Lse top = read_lse(f.h + stack_off);
    const uint32_t below = stack_off + 4;  // first byte under the top entry
    if (top.label == kLabelRouterAlert) return punt(Reason::router_alert);
    if (top.label == kLabelIpv4ExplicitNull || top.label == kLabelIpv6ExplicitNull) {
        if (!top.bos) return drop(Reason::no_label);
        const IpVersion expected = top.label == kLabelIpv4ExplicitNull ? IpVersion::v4 : IpVersion::v6;
        return ip_from_port(t, f, below, expected, top.ttl);
    }
    if (top.label < kFirstUnreservedLabel) return drop(Reason::no_label);

    const auto ilm = regs::IlmEntry::unpack(t.ilm[top.label].w);
    if (!ilm.valid) return drop(Reason::no_label);
    if (!((ilm.port_mask >> f.port) & 1)) return drop(Reason::label_spoofed);

    const auto nhlfe_index = static_cast<uint32_t>(ilm.nhlfe);
    const auto nhlfe = regs::NhlfeEntry::unpack(t.nhlfe[nhlfe_index].w);
    const auto op = static_cast<regs::NhlfeOp>(nhlfe.op);
    if (op == regs::NhlfeOp::punt) return punt(Reason::punt_control);
    if (op != regs::NhlfeOp::swap && op != regs::NhlfeOp::pop && op != regs::NhlfeOp::pop_lookup)
        return drop(Reason::action_drop);
    if (top.ttl <= 1) return punt(Reason::ttl_expired);
    c.nhlfe[nhlfe_index].add(f.len);

    switch (op) {
        case regs::NhlfeOp::swap: return label_swap(top, below, nhlfe);
        case regs::NhlfeOp::pop: return label_pop(f, top, below, nhlfe);
        default: return label_pop_lookup(t, f, top, below, nhlfe);
    }
}

void put16(Beat& beat, int at, uint16_t value) {
    set_beat_byte(beat, at, static_cast<uint8_t>(value >> 8));
    set_beat_byte(beat, at + 1, static_cast<uint8_t>(value));
}
void put32(Beat& beat, int at, uint32_t value) {
    put16(beat, at, static_cast<uint16_t>(value >> 16));
    put16(beat, at + 2, static_cast<uint16_t>(value));
}
void put_mac(Beat& beat, int at, uint64_t mac) {
    for (int i = 0; i < 6; ++i) set_beat_byte(beat, at + i, static_cast<uint8_t>(mac >> (40 - 8 * i)));
}

// The punt policer: true when the bucket of `reason` has a token at `now`.
bool police(TokenBucket* policers, Reason reason, uint64_t now) {
    const int slot = static_cast<int>(reason) - static_cast<int>(Reason::punt_control);
    return policers[slot].admit(now);
}

}  // namespace

FrameHead frame_head(const HeaderDesc& desc) {
    FrameHead f;
    for (int i = 0; i < kHeadBytes; ++i) {
#pragma HLS UNROLL
        f.h[i] = beat_byte(desc.head[i / kBeatBytes], i % kBeatBytes);
    }
    f.len = desc.length;
    f.port = desc.port;
    return f;
}

Decision forward_decision(const TableRefs& t, FrameHead& f, const CounterRefs& counters) {
    if (f.len < kMinFrame || f.len > kMaxFrame) return drop(Reason::bad_frame);
    uint32_t l2_len = 0;
    switch (parse_ethernet(f.h, l2_len)) {
        case kEthertypeArp: return punt(Reason::punt_control);
        case kEthertypeMpls: return label_switch(t, counters, f, l2_len);
        case kEthertypeIpv4: return ip_from_port(t, f, l2_len, IpVersion::v4, -1);
        case kEthertypeIpv6: return ip_from_port(t, f, l2_len, IpVersion::v6, -1);
        default: return drop(Reason::bad_frame);
    }
}

Decision route_decrypted(const TableRefs& t, const FrameHead& f, uint32_t vrf) {
    const auto vrf_entry = regs::VrfEntry::unpack(t.vrf[vrf].w);
    if (!vrf_entry.valid) return drop(Reason::no_route);
    return route(t, f, vrf, ip_version(f.h), 0, true);
}

RewriteDesc rewrite(const TableRefs& t, const Decision& d, const FrameHead& f) {
    RewriteDesc r;
    r.length = f.len;
    r.action = d.action;
    r.reason = static_cast<uint8_t>(d.reason);
    // A punt sends the original frame, unmodified, to the host; a drop
    // sends nothing.
    if (d.action == Action::punt) r.user = pack_out_user(true, f.port, r.reason);
    if (d.action != Action::forward) return r;

    r.action = Action::drop;
    r.reason = static_cast<uint8_t>(Reason::no_route);
    if (d.nexthop >= kNexthopDepth) return r;
    const auto nh = regs::NexthopEntry::unpack(t.nexthop[d.nexthop].w);
    if (!nh.valid) return r;
    const auto out_port = static_cast<uint8_t>(nh.port);
    const auto port = regs::PortEntry::unpack(t.port[out_port].w);
    // Bytes after the Ethernet (and VLAN) header: the new labels and the
    // original from l3_off on.
    const uint32_t l3_len = 4 * d.n_push + (f.len - d.l3_off);
    if (l3_len > port.mtu) {
        r.reason = static_cast<uint8_t>(Reason::mtu_exceeded);
        return r;
    }

    int at = 0;
    put_mac(r.head, at, nh.dmac);
    put_mac(r.head, at + 6, port.mac);
    at = 12;
    if (nh.vlan_valid) {
        put16(r.head, at, kTpidCtag);
        put16(r.head, at + 2, static_cast<uint16_t>(nh.vlan & 0xfff));
        at += 4;
    }
    put16(r.head, at, d.ethertype);
    at += 2;
    for (int i = 0; i < kMaxPush; ++i) {
#pragma HLS UNROLL
        if (i < d.n_push) {
            put32(r.head, at, d.push[i]);
            at += 4;
        }
    }
    // The bytes the decision may have edited travel in the new header.
    for (uint32_t i = 0; i < kIpEditBytes; ++i) {
#pragma HLS UNROLL
        if (i < d.l3_edit) set_beat_byte(r.head, at + static_cast<int>(i), f.h[d.l3_off + i]);
    }
    at += static_cast<int>(d.l3_edit);

    r.action = Action::forward;
    r.reason = 0;
    r.head_len = static_cast<uint8_t>(at);
    r.skip = static_cast<uint8_t>(d.l3_off + d.l3_edit);
    r.user = pack_out_user(false, out_port, 0);
    return r;
}

void decide(hls::stream<HeaderDesc>& heads, const TableRefs& t, const CounterRefs& counters,
            TokenBucket* policers, hls::stream<FrameVerdict>& verdicts) {
    const HeaderDesc desc = heads.read();
    FrameHead f = frame_head(desc);
    counters.port_rx[f.port].add(f.len);

    FrameVerdict v;
    v.length = f.len;
    v.port = f.port;
    const Decision decision = forward_decision(t, f, counters);
    v.route_hit = decision.route_hit;
    if (decision.action == Action::forward && decision.esp.op != EspOp::none) {
        v.esp = decision.esp;
        v.rewrite.length = f.len;
    } else {
        v.rewrite = rewrite(t, decision, f);
        if (v.rewrite.action == Action::punt && !police(policers, decision.reason, desc.arrival)) {
            v.rewrite.action = Action::drop;
            v.rewrite.reason = static_cast<uint8_t>(Reason::punt_policed);
        }
    }
    verdicts.write(v);
}

}  // namespace mplsec::hls_fwd
