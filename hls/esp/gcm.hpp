// AES-GCM (NIST SP 800-38D) with a 96-bit nonce and a 128-bit tag, the
// profile RFC 4106 gives ESP. Model of the card's GCM core:
//
//   J0 = nonce || 0x00000001, counter blocks inc32(J0), inc32^2(J0), ...
//   C  = P xor keystream, processed in 64-byte beats (four AES pipelines,
//        counters ctr..ctr+3, then ctr += 4)
//   S  = GHASH_H(A || pad || C || pad || len64(A) || len64(C))
//        (four blocks a beat, aggregated form, see ghash.hpp)
//   T  = AES_K(J0) xor S
//
// gcm_open computes the tag over the ciphertext, compares it in constant
// time and only then releases the plaintext: on a mismatch the output is
// zeroed and it returns false (the card drops the packet unseen).
#pragma once

#include <cstddef>
#include <cstdint>

#include "aes.hpp"
#include "ghash.hpp"

namespace mplsec::hls_esp {

constexpr int kGcmNonceBytes = 12;
constexpr int kGcmTagBytes = 16;
constexpr int kGcmBeatBytes = 64;  // 512-bit datapath

// Per-SA GCM state that does not change per packet: the AES round keys and
// the GHASH key (H = AES_K(0), its powers and tables).
struct GcmKey {
    AesKeySchedule aes;
    GhashKey ghash;
    bool valid() const { return aes.valid(); }
};

GcmKey gcm_key_init(const AesKeySchedule& aes);
GcmKey gcm_key_init(const uint8_t* key, int key_bytes);  // 16 or 32

// Encrypts len bytes of pt into ct (may alias) and writes the 16-byte tag.
void gcm_seal(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* pt, std::size_t len, uint8_t* ct,
              uint8_t tag[kGcmTagBytes]);

// Decrypts len bytes of ct into pt (may alias) if the tag verifies; on a
// mismatch returns false and leaves pt zeroed.
bool gcm_open(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* ct, std::size_t len,
              const uint8_t tag[kGcmTagBytes], uint8_t* pt);

// Same, with the AES key schedule only (H derived per call).
void gcm_seal(const AesKeySchedule& ks, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* pt, std::size_t len, uint8_t* ct,
              uint8_t tag[kGcmTagBytes]);
bool gcm_open(const AesKeySchedule& ks, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* ct, std::size_t len,
              const uint8_t tag[kGcmTagBytes], uint8_t* pt);

// Beat-level form, as the 512-bit datapath runs it: one GcmState per
// packet in flight, the AAD absorbed at the start, then one call per beat of
// payload. Every beat but the last carries exactly 64 bytes; the last carries
// 1..64. gcm_seal/gcm_open are this loop over a buffer.
struct GcmState {
    uint8_t nonce[kGcmNonceBytes];
    uint32_t ctr;       // counter of the next beat's first block (J0 + 1 at the start)
    Block128 x;         // running GHASH
    uint64_t aad_len;   // bytes
    uint64_t len;       // payload bytes so far
};

GcmState gcm_start(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
                   std::size_t aad_len);
// n (1..64) bytes of `in` to `out` (may alias); decrypt: GHASH reads `in`,
// else it reads `out`. Bytes of out past n are not written.
void gcm_beat(const GcmKey& key, GcmState& st, const uint8_t* in, int n, bool decrypt, uint8_t* out);
// The tag over everything absorbed.
void gcm_finish(const GcmKey& key, const GcmState& st, uint8_t tag[kGcmTagBytes]);

// Constant-time equality of two 16-byte tags (no data-dependent branch or
// early exit).
bool tag_equal(const uint8_t a[kGcmTagBytes], const uint8_t b[kGcmTagBytes]);

}  // namespace mplsec::hls_esp
