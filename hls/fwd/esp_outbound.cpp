#include "esp_outer.hpp"
#include "esp_stage.hpp"
#include "forward.hpp"
#include "frame_bytes.hpp"
#include "sa_accounting.hpp"

namespace mplsec::hls_fwd {
namespace {

using regs::Reason;

constexpr uint32_t kFrameBytes = kOutBufBeats * kBeatBytes;
constexpr uint64_t kSeq32Limit = uint64_t{1} << 32;

// Without ESN only sequence numbers below 2^32 go out; with ESN next_seq
// wraps to 0 after 2^64 - 1.
bool seq_exhausted(const regs::SaEntry& sa, uint64_t next_seq) {
    return sa.esn ? next_seq == 0 : next_seq >= kSeq32Limit;
}

}  // namespace

RewriteDesc esp_outbound(const EspContext& ctx, const EspJob& job, uint8_t port, const Beat in[kBufBeats],
                         Beat out[kOutBufBeats]) {
    const uint32_t index = job.sa % kSaDepth;
    const auto sa = regs::SaEntry::unpack(ctx.t.sa[index].w);
    if (!sa.valid || sa.inbound) return esp_drop(Reason::esp_no_sa);
    SaState& state = ctx.sa_state[index];
    if (state.stopped) return esp_drop(Reason::esp_sa_expired);
    if (seq_exhausted(sa, state.next_seq)) {
        if (!state.exhausted) {
            state.exhausted = true;
            raise_event(ctx.events, regs::EventCode::sa_seq_exhausted, index);
        }
        return esp_drop(Reason::esp_seq_overflow);
    }

    // Next hop and MTU on the frame as it will leave; only then does the
    // frame take a sequence number.
    const uint32_t outer_bytes = outer_header_bytes(sa);
    const auto esp_len = static_cast<uint32_t>(hls_esp::esp_encrypted_len(job.ip_len));
    Decision d;
    d.action = Action::forward;
    d.nexthop = job.nexthop;
    d.ethertype = job.n_push > 0 ? kEthertypeMpls : ip_ethertype(sa.outer_v6 ? IpVersion::v6 : IpVersion::v4);
    d.n_push = job.n_push;
    for (int i = 0; i < kMaxPush; ++i) d.push[i] = job.push[i];
    FrameHead outer{};
    outer.len = outer_bytes + esp_len;
    outer.port = port;
    const RewriteDesc r = rewrite(ctx.t, d, outer);
    if (r.action != Action::forward) return r;

    const uint64_t seq = state.next_seq++;
    uint8_t inner[kBufBeats * kBeatBytes];
    uint8_t frame[kFrameBytes];
    load_frame_bytes(in, job.ip_off, job.ip_len, inner);
    for (uint32_t i = 0; i < kIpEditBytes; ++i) inner[i] = job.ip_head[i];  // the TTL decrement
    const auto tunnel = regs::SaTunnelEntry::unpack(ctx.t.sa_tunnel[index].w);
    write_outer_header(sa, tunnel, esp_len, job.dscp, seq, frame);
    hls_esp::esp_encrypt(esp_sa(sa, state), seq, inner, job.ip_len, frame + outer_bytes);
    store_frame_bytes(out, frame, outer.len);
    count_sa_packet(ctx.t.sa_lifetime[index], ctx.c.sa[index], state, index, job.ip_len, ctx.events);
    return r;
}

}  // namespace mplsec::hls_fwd
