// Byte-level access to a frame held as beats in a packet buffer, for the
// ESP stage: the crypto core works on a byte stream that starts at the ESP
// header (or the inner packet), which does not sit on a beat boundary. On
// the card this is the realigning funnel in front of the GCM beat; in the
// model a copy.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"

namespace mplsec::hls_fwd {

// n bytes of the stored frame from byte `off` into `dst`.
inline void load_frame_bytes(const Beat* buf, uint32_t off, uint32_t n, uint8_t* dst) {
    for (uint32_t i = 0; i < n; ++i) {
        const uint32_t at = off + i;
        dst[i] = beat_byte(buf[at / kBeatBytes], static_cast<int>(at % kBeatBytes));
    }
}

// n bytes of `src` as bytes 0..n-1 of the frame in `buf`; the rest of the
// last beat is zero.
inline void store_frame_bytes(Beat* buf, const uint8_t* src, uint32_t n) {
    for (uint32_t beat = 0; beat * kBeatBytes < n; ++beat) {
        Beat data;
        for (int i = 0; i < kBeatBytes; ++i) {
            const uint32_t at = beat * kBeatBytes + static_cast<uint32_t>(i);
            set_beat_byte(data, i, at < n ? src[at] : 0);
        }
        buf[beat] = data;
    }
}

}  // namespace mplsec::hls_fwd
