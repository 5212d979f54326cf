#include "esp_stage.hpp"

namespace mplsec::hls_fwd {
namespace {

using regs::Reason;

// The outcome of one frame in port_tx or its reason counter (L bytes).
void count_outcome(const CounterRefs& c, const RewriteDesc& r, uint32_t frame_len) {
    switch (r.action) {
        case Action::forward: {
            const uint32_t sent = r.head_len + (r.length - r.skip);
            c.port_tx[out_user_port(r.user)].add(sent < kMinFrame ? kMinFrame : sent);
            break;
        }
        case Action::punt:
        case Action::drop: c.reason[r.reason].add(frame_len); break;
    }
}

// A frame without ESP work leaves as it was stored.
void pass_through(const Beat in[kBufBeats], uint32_t length, Beat out[kOutBufBeats]) {
    const uint32_t stored = length == 0 ? 0 : (length - 1) / kBeatBytes + 1;
    const uint32_t beats = stored < kBufBeats ? stored : kBufBeats;
    for (uint32_t i = 0; i < beats; ++i) {
#pragma HLS PIPELINE II = 1
        out[i] = in[i];
    }
}

}  // namespace

void esp_stage(hls::stream<FrameVerdict>& verdicts, const Beat in[kBufBeats], const EspContext& ctx,
               hls::stream<RewriteDesc>& rewrites, Beat out[kOutBufBeats]) {
    const FrameVerdict v = verdicts.read();
    if (v.route_hit >= 0) ctx.c.route[v.route_hit].add(v.length);
    RewriteDesc r;
    switch (v.esp.op) {
        case EspOp::none:
            r = v.rewrite;
            if (r.action != Action::drop) pass_through(in, v.length, out);
            break;
        case EspOp::encrypt: r = esp_outbound(ctx, v.esp, v.port, in, out); break;
        case EspOp::decrypt: r = esp_inbound(ctx, v.esp, v.length, v.port, in, out); break;
    }
    if (r.action == Action::drop) r.user = 0;
    count_outcome(ctx.c, r, v.length);
    rewrites.write(r);
}

}  // namespace mplsec::hls_fwd
