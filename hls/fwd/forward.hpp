// The decide stage of the kernel (docs/datapath.md, steps 1-6): parse the
// header window, label operation or VRF route, next-hop rewrite, punt
// policer, counters. It never touches payload bytes: it emits a rewrite
// descriptor (new header, bytes of the original it replaces) that the
// egress stage applies while streaming the frame out of the packet buffer.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"
#include "policer.hpp"

namespace mplsec::hls_fwd {

// The frame as the decision sees it: the header window as bytes (edited in
// place by TTL rewrites), the frame length and the ingress port.
struct FrameHead {
    uint8_t h[kHeadBytes];
    uint32_t len;
    uint8_t port;
};

// Outcome of steps 1-5: drop, punt, or forward to a next hop with a new
// label stack in front of the original bytes from `l3_off` on.
struct Decision {
    Action action = Action::drop;
    regs::Reason reason = regs::Reason::bad_frame;  // drop or punt
    uint32_t nexthop = 0;
    uint16_t ethertype = 0;
    uint8_t n_push = 0;
    uint32_t push[kMaxPush] = {};  // label stack entries, outermost first
    uint32_t l3_off = 0;           // first original byte after the new labels
    uint32_t l3_edit = 0;          // bytes from l3_off the decision may have edited
};

// Unpacks a header descriptor into bytes.
FrameHead frame_head(const HeaderDesc& desc);

// Steps 1-5 for one frame; counts the NHLFE and route it used. May edit
// head.h (TTL, IPv4 checksum, a label's TTL) within [l3_off, l3_off+l3_edit).
Decision forward_decision(const TableRefs& t, FrameHead& head, const CounterRefs& counters);

// Step 6: next hop, MTU, and the new header. A forward may still become a
// drop here (no_route, mtu_exceeded).
RewriteDesc rewrite(const TableRefs& t, const Decision& decision, const FrameHead& head);

// The whole stage for one frame: decision, rewrite, policer, counters.
void decide(hls::stream<HeaderDesc>& heads, const TableRefs& t, const CounterRefs& counters,
            TokenBucket* policers, hls::stream<RewriteDesc>& rewrites);

}  // namespace mplsec::hls_fwd
