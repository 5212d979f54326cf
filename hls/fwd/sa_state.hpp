// The card's own state per SA (docs/datapath.md, "ESP"): the expanded key,
// the next outbound sequence number, the anti-replay window and the
// lifetime flags. The host never writes it directly: writing the SA's `sa`
// entry resets it (sa_install) and `sa_seq` reads and sets next_seq.
#pragma once

#include <cstdint>

#include "esp.hpp"
#include "mplsec/regs.hpp"
#include "replay_window.hpp"

namespace mplsec::hls_fwd {

struct SaState {
    hls_esp::GcmKey key;     // round keys and H..H^4, computed once at sa write
    uint64_t next_seq = 1;   // outbound: the sequence number the next frame takes
    ReplayWindow window;     // inbound
    bool soft_raised = false;
    bool stopped = false;    // hard lifetime reached: esp_sa_expired until rewritten
    bool exhausted = false;  // sa_seq_exhausted raised
};

// The AES key of an sa entry as bytes (first byte in key bits 255:248) and
// its length: 32 for AES-256, 16 for AES-128 (bits 255:128).
inline int sa_key_bytes(const regs::SaEntry& sa, uint8_t key[32]) {
    for (int i = 0; i < 32; ++i) {
        const int bit = 8 * (31 - i);
        key[i] = static_cast<uint8_t>(sa.key[bit / 32] >> (bit % 32));
    }
    return sa.aes256 ? 32 : 16;
}

// The crypto view of an SA for hls_esp (key material from the state).
inline hls_esp::EspSa esp_sa(const regs::SaEntry& sa, const SaState& state) {
    hls_esp::EspSa esp;
    esp.key = state.key;
    esp.spi = static_cast<uint32_t>(sa.spi);
    for (int i = 0; i < 4; ++i) esp.salt[i] = static_cast<uint8_t>(sa.salt >> (24 - 8 * i));
    esp.esn = sa.esn != 0;
    return esp;
}

// A write of the SA's `sa` entry: (re)start it.
inline void sa_install(SaState& state, const regs::SaEntry& sa) {
    state = SaState{};
    uint8_t key[32];
    const int bytes = sa_key_bytes(sa, key);
    state.key = hls_esp::gcm_key_init(key, bytes);
}

}  // namespace mplsec::hls_fwd
