#include "gcm.hpp"

namespace mplsec::hls_esp {

namespace {

// Counter block: nonce || 32-bit big-endian counter (inc32 wraps mod 2^32).
inline void counter_block(const uint8_t nonce[kGcmNonceBytes], uint32_t c, uint8_t out[16]) {
    for (int i = 0; i < kGcmNonceBytes; ++i) out[i] = nonce[i];
    out[12] = static_cast<uint8_t>(c >> 24);
    out[13] = static_cast<uint8_t>(c >> 16);
    out[14] = static_cast<uint8_t>(c >> 8);
    out[15] = static_cast<uint8_t>(c);
}

// One 64-byte beat of keystream for counters ctr..ctr+3 (four AES pipelines).
void keystream_beat(const AesKeySchedule& aes, const uint8_t nonce[kGcmNonceBytes], uint32_t ctr,
                    uint8_t ks[kGcmBeatBytes]) {
#pragma HLS INLINE
    for (int lane = 0; lane < kGhashLanes; ++lane) {
#pragma HLS UNROLL
        uint8_t cb[16];
        counter_block(nonce, ctr + static_cast<uint32_t>(lane), cb);
        aes_encrypt_block(aes, cb, ks + 16 * lane);
    }
}

// Absorbs one beat of `n` bytes (1..64) of ciphertext into GHASH.
Block128 ghash_beat(const GhashKey& gk, Block128 x, const uint8_t* c, int n) {
#pragma HLS INLINE
    Block128 blocks[kGhashLanes];
    const int nb = (n + 15) / 16;
    for (int i = 0; i < kGhashLanes; ++i) {
#pragma HLS UNROLL
        const int at = 16 * i;
        blocks[i] = i < nb ? load_partial(c + at, static_cast<std::size_t>(n - at < 16 ? n - at : 16))
                           : Block128{};
    }
    return ghash_absorb4(gk, x, blocks, nb);
}

// The one-shot pass: counter mode plus GHASH over the ciphertext, beat by beat.
void gcm_core(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* in, std::size_t len, uint8_t* out, bool decrypt,
              uint8_t tag[kGcmTagBytes]) {
    GcmState st = gcm_start(key, nonce, aad, aad_len);
    for (std::size_t off = 0; off < len; off += kGcmBeatBytes) {
        const int n = static_cast<int>(len - off < kGcmBeatBytes ? len - off : kGcmBeatBytes);
        gcm_beat(key, st, in + off, n, decrypt, out + off);
    }
    gcm_finish(key, st, tag);
}

}  // namespace

GcmState gcm_start(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
                   std::size_t aad_len) {
    GcmState st{};
    for (int i = 0; i < kGcmNonceBytes; ++i) st.nonce[i] = nonce[i];
    st.ctr = 2;  // J0 = nonce || 1; the payload starts at inc32(J0)
    st.x = ghash_bytes(key.ghash, Block128{}, aad, aad_len);
    st.aad_len = aad_len;
    st.len = 0;
    return st;
}

void gcm_beat(const GcmKey& key, GcmState& st, const uint8_t* in, int n, bool decrypt, uint8_t* out) {
#pragma HLS PIPELINE II=1
    uint8_t ks[kGcmBeatBytes];
#pragma HLS ARRAY_PARTITION variable=ks complete
    keystream_beat(key.aes, st.nonce, st.ctr, ks);
    st.ctr += kGhashLanes;
    if (decrypt) st.x = ghash_beat(key.ghash, st.x, in, n);  // before out may overwrite in
    for (int i = 0; i < kGcmBeatBytes; ++i) {
#pragma HLS UNROLL
        // tkeep: bytes past the end of the data are not written.
        if (i < n) out[i] = static_cast<uint8_t>(in[i] ^ ks[i]);
    }
    if (!decrypt) st.x = ghash_beat(key.ghash, st.x, out, n);
    st.len += static_cast<uint64_t>(n);
}

void gcm_finish(const GcmKey& key, const GcmState& st, uint8_t tag[kGcmTagBytes]) {
    const Block128 s = ghash_step(key.ghash, st.x, Block128{st.aad_len * 8, st.len * 8});
    uint8_t cb[16];
    uint8_t ekj0[16];
    counter_block(st.nonce, 1, cb);
    aes_encrypt_block(key.aes, cb, ekj0);
    uint8_t sb[16];
    store_block(s, sb);
    for (int i = 0; i < kGcmTagBytes; ++i) {
#pragma HLS UNROLL
        tag[i] = static_cast<uint8_t>(ekj0[i] ^ sb[i]);
    }
}

GcmKey gcm_key_init(const AesKeySchedule& aes) {
    GcmKey key{};
    key.aes = aes;
    if (!aes.valid()) return key;
    const uint8_t zero[16] = {};
    uint8_t h[16];
    aes_encrypt_block(aes, zero, h);
    key.ghash = ghash_key_init(load_block(h));
    return key;
}

GcmKey gcm_key_init(const uint8_t* key, int key_bytes) {
    return gcm_key_init(expand_key(key, key_bytes));
}

bool tag_equal(const uint8_t a[kGcmTagBytes], const uint8_t b[kGcmTagBytes]) {
    unsigned diff = 0;
    for (int i = 0; i < kGcmTagBytes; ++i) {
#pragma HLS UNROLL
        diff |= static_cast<unsigned>(a[i] ^ b[i]);
    }
    // diff is 0..255; (diff - 1) >> 8 is 1 exactly when diff == 0.
    return ((diff - 1u) >> 8) & 1u;
}

void gcm_seal(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* pt, std::size_t len, uint8_t* ct,
              uint8_t tag[kGcmTagBytes]) {
    gcm_core(key, nonce, aad, aad_len, pt, len, ct, false, tag);
}

bool gcm_open(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* ct, std::size_t len,
              const uint8_t tag[kGcmTagBytes], uint8_t* pt) {
    uint8_t computed[kGcmTagBytes];
    gcm_core(key, nonce, aad, aad_len, ct, len, pt, true, computed);
    const bool ok = tag_equal(computed, tag);
    // Release nothing on failure; a mask keeps the loop branch-free.
    const uint8_t keep = static_cast<uint8_t>(0u - static_cast<unsigned>(ok));
    for (std::size_t i = 0; i < len; ++i) pt[i] = static_cast<uint8_t>(pt[i] & keep);
    return ok;
}

void gcm_seal(const AesKeySchedule& ks, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* pt, std::size_t len, uint8_t* ct,
              uint8_t tag[kGcmTagBytes]) {
    gcm_seal(gcm_key_init(ks), nonce, aad, aad_len, pt, len, ct, tag);
}

bool gcm_open(const AesKeySchedule& ks, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* ct, std::size_t len,
              const uint8_t tag[kGcmTagBytes], uint8_t* pt) {
    return gcm_open(gcm_key_init(ks), nonce, aad, aad_len, ct, len, tag, pt);
}

}  // namespace mplsec::hls_esp
