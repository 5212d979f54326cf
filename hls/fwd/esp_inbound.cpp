#include "esp_stage.hpp"
#include "forward.hpp"
#include "frame_bytes.hpp"
#include "ip_header.hpp"
#include "mplsec/spi_hash.hpp"
#include "sa_accounting.hpp"

namespace mplsec::hls_fwd {
namespace {

using regs::Reason;

constexpr uint32_t kNoSa = ~uint32_t{0};
constexpr uint32_t kEspBufBytes = kBufBeats * kBeatBytes;

uint32_t get32(const uint8_t* p) {
    return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3];
}

// SPI lookup: both slots read together, way 0 first.
uint32_t find_sa(const SpiHashWords* spi_hash, uint32_t spi) {
    uint32_t found = kNoSa;
    for (uint32_t way = kSpiHashWays; way-- > 0;) {
#pragma HLS UNROLL
        const auto slot = regs::SpiHashEntry::unpack(spi_hash[spi_hash_slot(spi, way)].w);
        if (slot.valid && slot.spi == spi) found = static_cast<uint32_t>(slot.sa);
    }
    return found;
}

// The decrypted inner packet's version from the ESP next header, checked
// against its own version nibble and step 5.1; none when it fails.
IpVersion inner_version(uint8_t next_header, const uint8_t* inner, uint32_t inner_len) {
    const IpVersion v = next_header == hls_esp::kNextHeaderIpv4   ? IpVersion::v4
                        : next_header == hls_esp::kNextHeaderIpv6 ? IpVersion::v6
                                                                  : IpVersion::none;
    if (v == IpVersion::none || inner_len == 0 || ip_version(inner) != v || !ip_valid(v, inner, inner_len))
        return IpVersion::none;
    return v;
}

// The header window of the inner packet, as decide would see it arriving.
FrameHead inner_head(const uint8_t* inner, uint32_t inner_len, uint8_t port) {
    FrameHead f;
    for (int i = 0; i < kHeadBytes; ++i) f.h[i] = static_cast<uint32_t>(i) < inner_len ? inner[i] : 0;
    f.len = inner_len;
    f.port = port;
    return f;
}

}  // namespace

RewriteDesc esp_inbound(const EspContext& ctx, const EspJob& job, uint32_t frame_len, uint8_t port,
                        const Beat in[kBufBeats], Beat out[kOutBufBeats]) {
    const uint32_t esp_len = job.ip_off + job.ip_len - job.esp_off;
    if (esp_len < hls_esp::kEspMinBytes) return esp_drop(Reason::bad_frame);
    uint8_t esp[kEspBufBytes];
    load_frame_bytes(in, job.esp_off, esp_len, esp);

    const uint32_t spi = get32(esp);
    const uint32_t found = find_sa(ctx.t.spi_hash, spi);
    if (found == kNoSa) return esp_drop(Reason::esp_no_sa);
    const uint32_t index = found % kSaDepth;  // a 12-bit field: always below kSaDepth
    const auto sa = regs::SaEntry::unpack(ctx.t.sa[index].w);
    if (!sa.valid || !sa.inbound || sa.spi != spi) return esp_drop(Reason::esp_no_sa);
    SaState& state = ctx.sa_state[index];
    if (state.stopped) return esp_drop(Reason::esp_sa_expired);

    // Sequence number (ESN high half inferred from the window), then the
    // ICV, then anti-replay, then padding: the window moves for authentic
    // packets only.
    const uint64_t window = replay_window_size(static_cast<uint32_t>(sa.replay_log2));
    const uint32_t seq_lo = get32(esp + 4);
    const uint32_t seq_hi = sa.esn ? infer_seq_hi(state.window.top, window, seq_lo) : 0;
    const uint64_t seq = uint64_t{seq_hi} << 32 | seq_lo;
    uint8_t inner[kEspBufBytes];
    const hls_esp::EspDecryptResult res = hls_esp::esp_decrypt(esp_sa(sa, state), seq_hi, esp, esp_len, inner);
    if (res.status == hls_esp::EspStatus::auth_failed) {
        ctx.c.sa_auth_failed[index].add(frame_len);
        return esp_drop(Reason::esp_auth_failed);
    }
    if (!replay_acceptable(state.window, window, seq)) {
        ctx.c.sa_replay[index].add(frame_len);
        return esp_drop(Reason::esp_replay);
    }
    replay_mark(state.window, seq);
    if (res.status != hls_esp::EspStatus::ok) {
        ctx.c.sa_bad_padding[index].add(frame_len);
        return esp_drop(Reason::esp_bad_padding);
    }

    const auto decrypted = static_cast<uint32_t>(res.inner_len);
    const IpVersion v = inner_version(res.next_header, inner, decrypted);
    if (v == IpVersion::none) return esp_drop(Reason::bad_frame);
    const uint32_t inner_len = ip_length(v, inner);  // TFC padding after it is not sent
    store_frame_bytes(out, inner, inner_len);
    count_sa_packet(ctx.t.sa_lifetime[index], ctx.c.sa[index], state, index, inner_len, ctx.events);

    const FrameHead head = inner_head(inner, inner_len, port);
    const Decision d = route_decrypted(ctx.t, head, job.vrf);
    if (d.route_hit >= 0) ctx.c.route[d.route_hit].add(frame_len);
    return rewrite(ctx.t, d, head);
}

}  // namespace mplsec::hls_fwd
