#include "aes.hpp"

namespace mplsec::hls_esp {

const uint8_t kAesSbox[256] = {
    0x63, 0x7c, 0x77, 0x7b, 0xf2, 0x6b, 0x6f, 0xc5, 0x30, 0x01, 0x67, 0x2b, 0xfe, 0xd7, 0xab, 0x76,
    0xca, 0x82, 0xc9, 0x7d, 0xfa, 0x59, 0x47, 0xf0, 0xad, 0xd4, 0xa2, 0xaf, 0x9c, 0xa4, 0x72, 0xc0,
    0xb7, 0xfd, 0x93, 0x26, 0x36, 0x3f, 0xf7, 0xcc, 0x34, 0xa5, 0xe5, 0xf1, 0x71, 0xd8, 0x31, 0x15,
    0x04, 0xc7, 0x23, 0xc3, 0x18, 0x96, 0x05, 0x9a, 0x07, 0x12, 0x80, 0xe2, 0xeb, 0x27, 0xb2, 0x75,
    0x09, 0x83, 0x2c, 0x1a, 0x1b, 0x6e, 0x5a, 0xa0, 0x52, 0x3b, 0xd6, 0xb3, 0x29, 0xe3, 0x2f, 0x84,
    0x53, 0xd1, 0x00, 0xed, 0x20, 0xfc, 0xb1, 0x5b, 0x6a, 0xcb, 0xbe, 0x39, 0x4a, 0x4c, 0x58, 0xcf,
    0xd0, 0xef, 0xaa, 0xfb, 0x43, 0x4d, 0x33, 0x85, 0x45, 0xf9, 0x02, 0x7f, 0x50, 0x3c, 0x9f, 0xa8,
    0x51, 0xa3, 0x40, 0x8f, 0x92, 0x9d, 0x38, 0xf5, 0xbc, 0xb6, 0xda, 0x21, 0x10, 0xff, 0xf3, 0xd2,
    0xcd, 0x0c, 0x13, 0xec, 0x5f, 0x97, 0x44, 0x17, 0xc4, 0xa7, 0x7e, 0x3d, 0x64, 0x5d, 0x19, 0x73,
    0x60, 0x81, 0x4f, 0xdc, 0x22, 0x2a, 0x90, 0x88, 0x46, 0xee, 0xb8, 0x14, 0xde, 0x5e, 0x0b, 0xdb,
    0xe0, 0x32, 0x3a, 0x0a, 0x49, 0x06, 0x24, 0x5c, 0xc2, 0xd3, 0xac, 0x62, 0x91, 0x95, 0xe4, 0x79,
    0xe7, 0xc8, 0x37, 0x6d, 0x8d, 0xd5, 0x4e, 0xa9, 0x6c, 0x56, 0xf4, 0xea, 0x65, 0x7a, 0xae, 0x08,
    0xba, 0x78, 0x25, 0x2e, 0x1c, 0xa6, 0xb4, 0xc6, 0xe8, 0xdd, 0x74, 0x1f, 0x4b, 0xbd, 0x8b, 0x8a,
    0x70, 0x3e, 0xb5, 0x66, 0x48, 0x03, 0xf6, 0x0e, 0x61, 0x35, 0x57, 0xb9, 0x86, 0xc1, 0x1d, 0x9e,
    0xe1, 0xf8, 0x98, 0x11, 0x69, 0xd9, 0x8e, 0x94, 0x9b, 0x1e, 0x87, 0xe9, 0xce, 0x55, 0x28, 0xdf,
    0x8c, 0xa1, 0x89, 0x0d, 0xbf, 0xe6, 0x42, 0x68, 0x41, 0x99, 0x2d, 0x0f, 0xb0, 0x54, 0xbb, 0x16,
};

namespace {

// Round constants for the key schedule (x^(i-1) in GF(2^8)); AES-128 uses
// 10, AES-256 uses 7.
const uint8_t kRcon[11] = {0x00, 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0x1b, 0x36};

// Multiplication by x in GF(2^8) mod x^8 + x^4 + x^3 + x + 1.
inline uint8_t xtime(uint8_t a) {
    return static_cast<uint8_t>((a << 1) ^ ((a & 0x80) ? 0x1b : 0x00));
}

// SubBytes and ShiftRows in one step: state byte r + 4c comes from the
// S-box of byte r + 4((c + r) mod 4). In hardware ShiftRows is wiring.
inline void sub_shift(const uint8_t s[16], uint8_t t[16]) {
    for (int c = 0; c < 4; ++c) {
#pragma HLS UNROLL
        for (int r = 0; r < 4; ++r) {
#pragma HLS UNROLL
            t[r + 4 * c] = kAesSbox[s[r + 4 * ((c + r) & 3)]];
        }
    }
}

// MixColumns then AddRoundKey, column by column.
inline void mix_add(const uint8_t t[16], const uint8_t rk[16], uint8_t s[16]) {
    for (int c = 0; c < 4; ++c) {
#pragma HLS UNROLL
        const uint8_t a0 = t[4 * c], a1 = t[4 * c + 1], a2 = t[4 * c + 2], a3 = t[4 * c + 3];
        const uint8_t all = static_cast<uint8_t>(a0 ^ a1 ^ a2 ^ a3);
        // b_i = a_i ^ all ^ xtime(a_i ^ a_{i+1})  (= 2a_i ^ 3a_{i+1} ^ a_{i+2} ^ a_{i+3})
        s[4 * c] = static_cast<uint8_t>(a0 ^ all ^ xtime(static_cast<uint8_t>(a0 ^ a1)) ^ rk[4 * c]);
        s[4 * c + 1] = static_cast<uint8_t>(a1 ^ all ^ xtime(static_cast<uint8_t>(a1 ^ a2)) ^ rk[4 * c + 1]);
        s[4 * c + 2] = static_cast<uint8_t>(a2 ^ all ^ xtime(static_cast<uint8_t>(a2 ^ a3)) ^ rk[4 * c + 2]);
        s[4 * c + 3] = static_cast<uint8_t>(a3 ^ all ^ xtime(static_cast<uint8_t>(a3 ^ a0)) ^ rk[4 * c + 3]);
    }
}

}  // namespace

AesKeySchedule expand_key(const uint8_t* key, int key_bytes) {
    AesKeySchedule ks{};
    if (key_bytes != 16 && key_bytes != 32) {
        ks.rounds = 0;
        return ks;
    }
    const int nk = key_bytes / 4;  // key words: 4 or 8
    ks.rounds = nk + 6;            // 10 or 14
    const int total_words = 4 * (ks.rounds + 1);

    // w[i] as 4 bytes; 60 words cover AES-256.
    uint8_t w[4 * (kAesMaxRounds + 1)][4];
    for (int i = 0; i < nk; ++i)
        for (int b = 0; b < 4; ++b) w[i][b] = key[4 * i + b];

    for (int i = nk; i < total_words; ++i) {
        uint8_t t[4] = {w[i - 1][0], w[i - 1][1], w[i - 1][2], w[i - 1][3]};
        if (i % nk == 0) {
            // RotWord, SubWord, Rcon
            const uint8_t t0 = t[0];
            t[0] = static_cast<uint8_t>(kAesSbox[t[1]] ^ kRcon[i / nk]);
            t[1] = kAesSbox[t[2]];
            t[2] = kAesSbox[t[3]];
            t[3] = kAesSbox[t0];
        } else if (nk > 6 && i % nk == 4) {
            for (int b = 0; b < 4; ++b) t[b] = kAesSbox[t[b]];
        }
        for (int b = 0; b < 4; ++b) w[i][b] = static_cast<uint8_t>(w[i - nk][b] ^ t[b]);
    }
    for (int r = 0; r <= ks.rounds; ++r)
        for (int b = 0; b < 16; ++b) ks.rk[r][b] = w[4 * r + b / 4][b % 4];
    return ks;
}

void aes_encrypt_block(const AesKeySchedule& ks, const uint8_t in[kAesBlockBytes],
                       uint8_t out[kAesBlockBytes]) {
#pragma HLS INLINE off
#pragma HLS PIPELINE II=1
#pragma HLS ARRAY_PARTITION variable=ks.rk complete dim=0
    uint8_t s[16];
    uint8_t t[16];
#pragma HLS ARRAY_PARTITION variable=s complete
#pragma HLS ARRAY_PARTITION variable=t complete
    for (int i = 0; i < 16; ++i) {
#pragma HLS UNROLL
        s[i] = static_cast<uint8_t>(in[i] ^ ks.rk[0][i]);
    }
    // Rounds 1..13: full rounds. A 10-round key passes stages 10..13 through
    // unchanged (a mux per stage in hardware), so latency is key-independent.
    for (int r = 1; r < kAesMaxRounds; ++r) {
#pragma HLS UNROLL
        if (r < ks.rounds) {
            sub_shift(s, t);
            mix_add(t, ks.rk[r], s);
        }
    }
    // Final round: no MixColumns.
    sub_shift(s, t);
    const uint8_t* last = ks.rk[ks.rounds];
    for (int i = 0; i < 16; ++i) {
#pragma HLS UNROLL
        out[i] = static_cast<uint8_t>(t[i] ^ last[i]);
    }
}

}  // namespace mplsec::hls_esp
