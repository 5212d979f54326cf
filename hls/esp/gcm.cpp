#include "gcm.hpp"

namespace mplsec::hls_esp {

namespace {

// Counter block: nonce || 32-bit big-endian counter.
struct Counter {
    uint8_t nonce[kGcmNonceBytes];
    uint32_t ctr;

    void block(uint32_t add, uint8_t out[16]) const {
        const uint32_t c = ctr + add;  // inc32: wraps mod 2^32
        for (int i = 0; i < kGcmNonceBytes; ++i) out[i] = nonce[i];
        out[12] = static_cast<uint8_t>(c >> 24);
        out[13] = static_cast<uint8_t>(c >> 16);
        out[14] = static_cast<uint8_t>(c >> 8);
        out[15] = static_cast<uint8_t>(c);
    }
};

Counter make_j0(const uint8_t nonce[kGcmNonceBytes]) {
    Counter j0{};
    for (int i = 0; i < kGcmNonceBytes; ++i) j0.nonce[i] = nonce[i];
    j0.ctr = 1;
    return j0;
}

Block128 length_block(std::size_t aad_len, std::size_t len) {
    return {static_cast<uint64_t>(aad_len) * 8, static_cast<uint64_t>(len) * 8};
}

// One 64-byte beat of keystream for counters ctr..ctr+3 (four AES pipelines).
void keystream_beat(const AesKeySchedule& aes, const Counter& ctr, uint8_t ks[kGcmBeatBytes]) {
#pragma HLS INLINE
    for (int lane = 0; lane < kGhashLanes; ++lane) {
#pragma HLS UNROLL
        uint8_t cb[16];
        ctr.block(static_cast<uint32_t>(lane), cb);
        aes_encrypt_block(aes, cb, ks + 16 * lane);
    }
}

// Absorbs one beat of `n` bytes (1..64) of ciphertext into GHASH.
Block128 ghash_beat(const GhashKey& gk, Block128 x, const uint8_t* c, std::size_t n) {
    Block128 blocks[kGhashLanes];
    const int nb = static_cast<int>((n + 15) / 16);
    for (int i = 0; i < nb; ++i) {
        const std::size_t at = static_cast<std::size_t>(16 * i);
        blocks[i] = load_partial(c + at, n - at < 16 ? n - at : 16);
    }
    return ghash_absorb4(gk, x, blocks, nb);
}

void final_tag(const GcmKey& key, const Counter& j0, Block128 s, uint8_t tag[kGcmTagBytes]) {
    uint8_t cb[16];
    uint8_t ekj0[16];
    j0.block(0, cb);
    aes_encrypt_block(key.aes, cb, ekj0);
    uint8_t sb[16];
    store_block(s, sb);
    for (int i = 0; i < 16; ++i) tag[i] = static_cast<uint8_t>(ekj0[i] ^ sb[i]);
}

// The shared pass: counter mode plus GHASH over the ciphertext. `decrypt`
// picks which side of the xor is the ciphertext GHASH reads.
void gcm_core(const GcmKey& key, const uint8_t nonce[kGcmNonceBytes], const uint8_t* aad,
              std::size_t aad_len, const uint8_t* in, std::size_t len, uint8_t* out, bool decrypt,
              uint8_t tag[kGcmTagBytes]) {
    const Counter j0 = make_j0(nonce);
    Block128 x = ghash_bytes(key.ghash, Block128{}, aad, aad_len);

    Counter ctr = j0;
    ctr.ctr = j0.ctr + 1;
    for (std::size_t off = 0; off < len; off += kGcmBeatBytes) {
#pragma HLS PIPELINE II=1
        const std::size_t n = len - off < kGcmBeatBytes ? len - off : kGcmBeatBytes;
        uint8_t ks[kGcmBeatBytes];
        keystream_beat(key.aes, ctr, ks);
        ctr.ctr += kGhashLanes;
        if (decrypt) x = ghash_beat(key.ghash, x, in + off, n);  // before out may overwrite in
        for (std::size_t i = 0; i < n; ++i) out[off + i] = static_cast<uint8_t>(in[off + i] ^ ks[i]);
        if (!decrypt) x = ghash_beat(key.ghash, x, out + off, n);
    }
    x = ghash_step(key.ghash, x, length_block(aad_len, len));
    final_tag(key, j0, x, tag);
}

}  // namespace

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
