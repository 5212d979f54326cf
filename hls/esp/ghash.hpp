// GHASH (NIST SP 800-38D, section 6.4) for the ESP stage.
//
// GF(2^128) with the GCM bit order: byte 0's most significant bit is the
// coefficient of x^0, the field polynomial is x^128 + x^7 + x^2 + x + 1.
//
// The card's datapath is 512 bits (four GCM blocks) a cycle, so GHASH
// cannot be the serial Horner chain X <- (X ^ B) * H, one multiply deep per
// block. Per SA it keeps H, H^2, H^3, H^4 and absorbs a beat of four blocks
// with the aggregated form
//     X' = (X ^ B1)*H^4 ^ B2*H^3 ^ B3*H^2 ^ B4*H
// (four independent multiplies and an xor tree; only one multiply sits on
// the X feedback path). A last beat with n < 4 blocks uses H^n..H.
//
// Two multipliers: gf_mul_serial is the bit-serial definition (SP 800-38D
// Algorithm 1), the reference; gf_mul_table is a 4-bit (Shoup) table
// multiply by a fixed power of H, the fast path the model runs. The tests
// prove them equal and the aggregated form equal to Horner's.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mplsec::hls_esp {

// One 128-bit GCM block: hi = bytes 0..7, lo = bytes 8..15, big-endian.
struct Block128 {
    uint64_t hi = 0;
    uint64_t lo = 0;
};

inline Block128 operator^(Block128 a, Block128 b) { return {a.hi ^ b.hi, a.lo ^ b.lo}; }
inline bool operator==(Block128 a, Block128 b) { return a.hi == b.hi && a.lo == b.lo; }
inline bool operator!=(Block128 a, Block128 b) { return !(a == b); }

Block128 load_block(const uint8_t p[16]);
// Loads `len` (0..16) bytes and pads with zeros to a block.
Block128 load_partial(const uint8_t* p, std::size_t len);
void store_block(Block128 b, uint8_t p[16]);

// x * y in GF(2^128), one bit a step (the reference).
Block128 gf_mul_serial(Block128 x, Block128 y);

constexpr int kGhashLanes = 4;  // blocks per 512-bit beat

// Per-SA GHASH key: the powers of H and their 4-bit multiplication tables.
struct GhashKey {
    Block128 pow[kGhashLanes];            // pow[k] = H^(k+1)
    uint64_t tab_hi[kGhashLanes][16];     // tab[k][i] = i * H^(k+1) for nibble i
    uint64_t tab_lo[kGhashLanes][16];     //   (bit order as in the block)
};

// Builds the key from H = AES_K(0^128).
GhashKey ghash_key_init(Block128 h);

// x * H^(power) with the key's table, power 1..4.
Block128 gf_mul_table(const GhashKey& key, int power, Block128 x);

// One Horner step: (x ^ b) * H.
Block128 ghash_step(const GhashKey& key, Block128 x, Block128 b);

// Absorbs n (1..4) blocks in one beat with the aggregated form:
//   (x ^ b[0])*H^n ^ b[1]*H^(n-1) ^ ... ^ b[n-1]*H.
// Equal to n Horner steps.
Block128 ghash_absorb4(const GhashKey& key, Block128 x, const Block128 b[kGhashLanes], int n = 4);

// Absorbs `len` bytes (zero-padded to whole blocks) in beats of 64 bytes.
Block128 ghash_bytes(const GhashKey& key, Block128 x, const uint8_t* data, std::size_t len);

// Reference: Horner's rule with the bit-serial multiplier over n blocks.
Block128 ghash_serial(Block128 h, Block128 x, const Block128* blocks, std::size_t n);

}  // namespace mplsec::hls_esp
