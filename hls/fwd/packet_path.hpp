// The beat-level stages of the kernel: ingress stores a frame in the packet
// buffer and hands its header window to the decide stage; egress sends the
// rewritten frame from the buffer. Neither looks inside a header: all
// protocol knowledge is in forward.cpp.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"

namespace mplsec::hls_fwd {

// Stage 1: accepts the beats of one frame from `in` (through tlast), stores
// the first kBufBeats of them in `buf` with bytes past tkeep zeroed, and
// emits the frame's header descriptor. `beat_clock` counts every beat
// accepted; its value at the first beat is the frame's policer time.
void ingress(hls::stream<AxisBeat>& in, Beat buf[kBufBeats], hls::stream<HeaderDesc>& heads,
             uint64_t* beat_clock);

// 64 bytes starting at byte `off` (0..63) of the 128-byte window lo:hi; the
// realignment step of egress.
Beat funnel(const Beat& lo, const Beat& hi, int off);

// Stage 3: sends the frame a rewrite descriptor describes: the new header,
// then the buffer from byte `skip` on, realigned by skip - head_len, padded
// with zeros to kMinFrame. A drop sends nothing.
void egress(hls::stream<RewriteDesc>& rewrites, const Beat buf[kOutBufBeats], hls::stream<AxisBeat>& out);

}  // namespace mplsec::hls_fwd
