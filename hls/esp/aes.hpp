// AES forward cipher (FIPS 197) for the ESP stage: AES-128 and AES-256,
// encryption only (GCM runs AES in counter mode and never decrypts a block).
//
// This is the hardware's own implementation, not a wrapper: the key schedule
// is expanded once per SA (when the host installs the SA) and stored next to
// it; a block encryption is a fixed chain of kAesMaxRounds round stages over
// a 16-byte state, each stage 16 S-box ROM lookups, ShiftRows (wiring),
// MixColumns (xor/xtime) and the round-key xor. AES-128 SAs bypass stages
// 10..13, so both key sizes share one 14-stage pipeline with II=1 and a
// constant latency. With g++ the pragmas are ignored and this is the
// bit-exact golden model.
#pragma once

#include <cstdint>

namespace mplsec::hls_esp {

constexpr int kAesBlockBytes = 16;
constexpr int kAesMaxRounds = 14;  // AES-256; AES-128 has 10

// Round keys 0..rounds, each 16 bytes in state order (byte i of the block
// is state[i % 4][i / 4], as FIPS 197 lays out the input).
struct AesKeySchedule {
    uint8_t rk[kAesMaxRounds + 1][kAesBlockBytes];
    int rounds;  // 10 (AES-128), 14 (AES-256), 0 = no key (bad key length)
    bool valid() const { return rounds == 10 || rounds == 14; }
};

// The FIPS 197 S-box, an HLS ROM (read-only, initialised, one per lookup
// after array partitioning).
extern const uint8_t kAesSbox[256];

// Expands a 16-byte (AES-128) or 32-byte (AES-256) key; any other length
// gives a schedule with rounds = 0 (valid() false) and zero round keys.
AesKeySchedule expand_key(const uint8_t* key, int key_bytes);

// One block: out = AES_K(in). `in` and `out` may be the same buffer.
// Precondition: ks.valid().
void aes_encrypt_block(const AesKeySchedule& ks, const uint8_t in[kAesBlockBytes],
                       uint8_t out[kAesBlockBytes]);

}  // namespace mplsec::hls_esp
