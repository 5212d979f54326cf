#include "ghash.hpp"

namespace mplsec::hls_esp {

namespace {

// Reduction of the four bits shifted out of the low end by a 4-bit right
// shift: bits b3..b0 (b0 = x^128 term) fold back as multiples of
// 0xE1 << 120 (x^0 + x^1 + x^2 + x^7). Entry i is the top 16 bits.
const uint16_t kLast4[16] = {0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0,
                             0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0};

// v * x: a right shift in GCM bit order, with reduction.
inline Block128 mul_x(Block128 v) {
    const uint64_t carry = v.lo & 1;
    Block128 r;
    r.lo = (v.lo >> 1) | (v.hi << 63);
    r.hi = (v.hi >> 1) ^ (carry ? 0xe100000000000000ULL : 0);
    return r;
}

inline uint64_t load_be64(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | p[i];
    return v;
}

inline void store_be64(uint64_t v, uint8_t* p) {
    for (int i = 7; i >= 0; --i) {
        p[i] = static_cast<uint8_t>(v);
        v >>= 8;
    }
}

}  // namespace

Block128 load_block(const uint8_t p[16]) { return {load_be64(p), load_be64(p + 8)}; }

Block128 load_partial(const uint8_t* p, std::size_t len) {
    uint8_t buf[16] = {};
    for (std::size_t i = 0; i < len && i < 16; ++i) buf[i] = p[i];
    return load_block(buf);
}

void store_block(Block128 b, uint8_t p[16]) {
    store_be64(b.hi, p);
    store_be64(b.lo, p + 8);
}

Block128 gf_mul_serial(Block128 x, Block128 y) {
    Block128 z;
    Block128 v = y;
    for (int i = 0; i < 128; ++i) {
        const uint64_t word = i < 64 ? x.hi : x.lo;
        const uint64_t bit = (word >> (63 - (i & 63))) & 1;
        if (bit) z = z ^ v;
        v = mul_x(v);
    }
    return z;
}

GhashKey ghash_key_init(Block128 h) {
    GhashKey key{};
    key.pow[0] = h;
    for (int k = 1; k < kGhashLanes; ++k) key.pow[k] = gf_mul_serial(key.pow[k - 1], h);

    for (int k = 0; k < kGhashLanes; ++k) {
        // Nibble i's bits, MSB first, are the coefficients of x^0..x^3:
        // entry 8 = P, 4 = P*x, 2 = P*x^2, 1 = P*x^3, others by xor.
        Block128 t[16];
        t[0] = Block128{};
        t[8] = key.pow[k];
        t[4] = mul_x(t[8]);
        t[2] = mul_x(t[4]);
        t[1] = mul_x(t[2]);
        for (int i = 2; i <= 8; i *= 2)
            for (int j = 1; j < i; ++j) t[i + j] = t[i] ^ t[j];
        for (int i = 0; i < 16; ++i) {
            key.tab_hi[k][i] = t[i].hi;
            key.tab_lo[k][i] = t[i].lo;
        }
    }
    return key;
}

Block128 gf_mul_table(const GhashKey& key, int power, Block128 x) {
    const uint64_t* th = key.tab_hi[power - 1];
    const uint64_t* tl = key.tab_lo[power - 1];
    uint8_t xb[16];
    store_block(x, xb);

    // Horner over nibbles from the highest power of x (last nibble) down:
    // Z <- Z * x^4 ^ nibble * P.
    uint64_t zh = 0, zl = 0;
    for (int i = 15; i >= 0; --i) {
        for (int half = 0; half < 2; ++half) {
            const int nib = half == 0 ? (xb[i] & 0xf) : (xb[i] >> 4);
            const unsigned rem = static_cast<unsigned>(zl & 0xf);
            zl = (zh << 60) | (zl >> 4);
            zh = (zh >> 4) ^ (static_cast<uint64_t>(kLast4[rem]) << 48);
            zh ^= th[nib];
            zl ^= tl[nib];
        }
    }
    return {zh, zl};
}

Block128 ghash_step(const GhashKey& key, Block128 x, Block128 b) {
    return gf_mul_table(key, 1, x ^ b);
}

Block128 ghash_absorb4(const GhashKey& key, Block128 x, const Block128 b[kGhashLanes], int n) {
#pragma HLS INLINE
    // Lane i multiplies by H^(n-i); lane 0 also carries the running X. In
    // hardware the four products are independent and meet in an xor tree.
    Block128 acc;
    for (int i = 0; i < kGhashLanes; ++i) {
#pragma HLS UNROLL
        if (i < n) {
            const Block128 in = i == 0 ? (x ^ b[0]) : b[i];
            acc = acc ^ gf_mul_table(key, n - i, in);
        }
    }
    return acc;
}

Block128 ghash_bytes(const GhashKey& key, Block128 x, const uint8_t* data, std::size_t len) {
    for (std::size_t off = 0; off < len; off += 16 * kGhashLanes) {
        const std::size_t chunk = len - off < 64 ? len - off : 64;
        Block128 blocks[kGhashLanes];
        const int n = static_cast<int>((chunk + 15) / 16);
        for (int i = 0; i < n; ++i) {
            const std::size_t at = static_cast<std::size_t>(16 * i);
            const std::size_t take = chunk - at < 16 ? chunk - at : 16;
            blocks[i] = load_partial(data + off + at, take);
        }
        x = ghash_absorb4(key, x, blocks, n);
    }
    return x;
}

Block128 ghash_serial(Block128 h, Block128 x, const Block128* blocks, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) x = gf_mul_serial(x ^ blocks[i], h);
    return x;
}

}  // namespace mplsec::hls_esp
