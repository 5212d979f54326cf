// The decide stage of the kernel (docs/datapath.md, steps 1-6): parse the
// header window, label operation or VRF route, next-hop rewrite, punt
// policer. It never touches payload bytes: it emits a rewrite descriptor
// (new header, bytes of the original it replaces) that the egress stage
// applies while streaming the frame out of the packet buffer, or, for a
// frame to encrypt or decrypt, an ESP job for the ESP stage (esp_stage.hpp).
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
    EspJob esp;                    // op != none: the ESP stage finishes the frame
    int32_t route_hit = -1;        // valid route entry the lookup matched; the ESP stage counts it
};

// Unpacks a header descriptor into bytes.
FrameHead frame_head(const HeaderDesc& desc);

// Steps 1-5 for one frame; counts the NHLFE it used (the route it matched
// is in the decision, route_hit). May edit
// head.h (TTL, IPv4 checksum, a label's TTL) within [l3_off, l3_off+l3_edit).
Decision forward_decision(const TableRefs& t, FrameHead& head, const CounterRefs& counters);

// The tail of step 3 pop-lookup for an inner packet the ESP stage has just
// decrypted (head = the inner packet from byte 0): VRF check, then the
// lookup of step 5.3/5.4 without a TTL rule; a route that would encrypt
// again is no_route.
Decision route_decrypted(const TableRefs& t, const FrameHead& head, uint32_t vrf);

// Step 6, MTU, and the new header. A forward may still become a
// drop here (no_route, mtu_exceeded).
RewriteDesc rewrite(const TableRefs& t, const Decision& decision, const FrameHead& head);

// The whole stage for one frame: decision, rewrite, policer, port_rx and
// NHLFE counters; the route matched and the outcome are counted by the ESP
// stage, which finishes every frame (one writer per counter bank).
void decide(hls::stream<HeaderDesc>& heads, const TableRefs& t, const CounterRefs& counters,
            TokenBucket* policers, hls::stream<FrameVerdict>& verdicts);

}  // namespace mplsec::hls_fwd
