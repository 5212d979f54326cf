#include "packet_path.hpp"

namespace mplsec::hls_fwd {
namespace {

int clamp_beat(int64_t bytes) {
    return bytes <= 0 ? 0 : bytes >= kBeatBytes ? kBeatBytes : static_cast<int>(bytes);
}

// Beat `index` of the stored frame; zero outside it (before the frame when
// the header grew, past it when the output is padded or longer).
Beat stored_beat(const Beat buf[kOutBufBeats], int64_t index, uint32_t stored) {
    return index >= 0 && index < stored ? buf[index] : Beat();
}

}  // namespace

void ingress(hls::stream<AxisBeat>& in, Beat buf[kBufBeats], hls::stream<HeaderDesc>& heads,
             uint64_t* beat_clock) {
    HeaderDesc desc;
    desc.arrival = *beat_clock;
    uint32_t beats = 0;
    uint32_t length = 0;
    bool last = false;
    while (!last) {
#pragma HLS PIPELINE II = 1
        const AxisBeat beat = in.read();
        const int bytes = keep_count(beat.keep);
        // Bytes past tkeep are not the frame's: zero them so that padding
        // and the header window never show stale data.
        const Beat data = keep_low_bytes(beat.data, bytes);
        if (beats == 0) desc.port = static_cast<uint8_t>(beat.user & 0x3);
        if (beats < kBufBeats) buf[beats] = data;
        if (beats < static_cast<uint32_t>(kHeadBeats)) desc.head[beats] = data;
        length += static_cast<uint32_t>(bytes);
        ++beats;
        last = beat.last;
    }
    *beat_clock = desc.arrival + beats;
    desc.length = length;
    heads.write(desc);
}

Beat funnel(const Beat& lo, const Beat& hi, int off) {
    if (off == 0) return lo;
    return (lo >> (8 * off)) | (hi << (8 * (kBeatBytes - off)));
}

void egress(hls::stream<RewriteDesc>& rewrites, const Beat buf[kOutBufBeats], hls::stream<AxisBeat>& out) {
    const RewriteDesc r = rewrites.read();
    if (r.action == Action::drop) return;

    // Output byte p >= head_len is buffer byte p + delta.
    const int32_t delta = static_cast<int32_t>(r.skip) - static_cast<int32_t>(r.head_len);
    const int64_t payload_end = int64_t{r.head_len} + r.length - r.skip;  // output bytes before padding
    const int64_t out_len = payload_end < kMinFrame ? kMinFrame : payload_end;
    const uint32_t out_beats = static_cast<uint32_t>((out_len + kBeatBytes - 1) / kBeatBytes);
    const uint32_t stored = r.length == 0 ? 0 : (r.length - 1) / kBeatBytes + 1;
    const uint32_t in_buf = stored < kOutBufBeats ? stored : kOutBufBeats;
    // Floor division: a header that grew puts the first payload byte in
    // the second half of the window starting one beat before the buffer.
    const int64_t first = delta >= 0 ? delta / kBeatBytes : -((kBeatBytes - 1 - delta) / kBeatBytes);
    const int off = static_cast<int>(delta - first * kBeatBytes);

    // One buffer read a cycle: `lo` carries the previous read over.
    Beat lo = stored_beat(buf, first, in_buf);
    for (uint32_t k = 0; k < out_beats; ++k) {
#pragma HLS PIPELINE II = 1
        const Beat hi = stored_beat(buf, first + k + 1, in_buf);
        const int64_t base = int64_t{k} * kBeatBytes;
        const int head_end = clamp_beat(r.head_len - base);
        const int payload_stop = clamp_beat(payload_end - base);
        const Beat payload = drop_low_bytes(keep_low_bytes(funnel(lo, hi, off), payload_stop), head_end);
        AxisBeat beat;
        beat.data = k == 0 ? keep_low_bytes(r.head, head_end) | payload : payload;
        beat.keep = keep_mask(clamp_beat(out_len - base));
        beat.last = k + 1 == out_beats;
        beat.user = r.user;
        out.write(beat);
        lo = hi;
    }
}

}  // namespace mplsec::hls_fwd
