// The forwarding decision for one frame (docs/datapath.md): parse, label
// operation or VRF route, next-hop rewrite. Store-and-forward: the kernel
// hands over a whole frame, so runt, length and MTU checks see its length
// before a byte leaves.
#pragma once

#include <cstdint>
#include <vector>

#include "fwd_types.hpp"

namespace mplsec::hls_fwd {

enum class VerdictKind : uint8_t { forward, drop, punt };

struct Verdict {
    VerdictKind kind = VerdictKind::drop;
    regs::Reason reason = regs::Reason::bad_frame;  // drop or punt reason
    uint8_t out_port = 0;                           // forward only
    std::vector<uint8_t> frame;                     // forward only: the rewritten frame
};

// Decides what happens to `frame` (len bytes) that arrived on `in_port` and
// counts the NHLFE and route it used. Reason counters are the caller's, as
// the punt policer may still turn a punt into a drop.
Verdict forward_frame(const Tables& tables, const uint8_t* frame, uint32_t len, uint8_t in_port,
                      Counters& counters);

}  // namespace mplsec::hls_fwd
