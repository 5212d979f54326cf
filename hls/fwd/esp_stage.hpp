// The ESP stage of the kernel (docs/datapath.md step 4): between decide and
// egress. A frame with an ESP job is encrypted (4.1, esp_outbound.cpp) or
// decrypted and routed (4.2, esp_inbound.cpp) from the packet buffer into
// the output buffer; every other frame passes through unchanged. It is the
// last stage that knows a frame's fate, so it counts the outcome (port_tx
// or the reason) and the route matched of every frame: each counter bank
// has one writer in the dataflow.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"
#include "sa_state.hpp"

namespace mplsec::hls_fwd {

// What the ESP paths read and update besides the frame.
struct EspContext {
    const TableRefs& t;
    const CounterRefs& c;
    SaState* sa_state;  // kSaDepth entries
    EventRing events;
};

inline RewriteDesc esp_drop(regs::Reason reason) {
    RewriteDesc r;
    r.action = Action::drop;
    r.reason = static_cast<uint8_t>(reason);
    return r;
}

// Step 4.1: encrypts the inner packet job.ip_off.. of `in` into `out` (from
// the outer header on) and returns the rewrite that puts Ethernet and the
// labels in front, or the drop.
RewriteDesc esp_outbound(const EspContext& ctx, const EspJob& job, uint8_t port, const Beat in[kBufBeats],
                         Beat out[kOutBufBeats]);

// Step 4.2: authenticates and decrypts the ESP packet of the job, writes
// the inner packet to `out` from byte 0 and returns its route's rewrite, or
// the drop. `frame_len` is L.
RewriteDesc esp_inbound(const EspContext& ctx, const EspJob& job, uint32_t frame_len, uint8_t port,
                        const Beat in[kBufBeats], Beat out[kOutBufBeats]);

// The stage for one frame.
void esp_stage(hls::stream<FrameVerdict>& verdicts, const Beat in[kBufBeats], const EspContext& ctx,
               hls::stream<RewriteDesc>& rewrites, Beat out[kOutBufBeats]);

}  // namespace mplsec::hls_fwd
