// 10,000 random AES-GCM cases against OpenSSL EVP (aes-128-gcm and
// aes-256-gcm): key, nonce, AAD and plaintext of 0..2000 bytes.
#include <gtest/gtest.h>

#include <iostream>

#include "gcm.hpp"
#include "test_util.hpp"

namespace mplsec::hls_esp {
namespace {

using test::Bytes;
using test::random_bytes;
using test::to_hex;

TEST(GcmRandom, TenThousandCasesMatchOpenSsl) {
    constexpr int kCases = 10000;
    const uint64_t seed = 0x6d706c73656321ULL;
    std::mt19937_64 rng(seed);
    int tampered = 0;
    for (int i = 0; i < kCases; ++i) {
        const Bytes key = random_bytes(rng, rng() % 2 ? 32 : 16);
        const Bytes nonce = random_bytes(rng, 12);
        // AAD: mostly the ESP sizes (8, 12), sometimes anything up to 100.
        const std::size_t aad_len = rng() % 3 == 0 ? rng() % 101 : (rng() % 2 ? 8 : 12);
        const Bytes aad = random_bytes(rng, aad_len);
        const std::size_t len = rng() % 2001;
        const Bytes pt = random_bytes(rng, len);
        const std::string what = "case " + std::to_string(i) + " seed " + std::to_string(seed) +
                                 " key " + std::to_string(key.size() * 8) + " aad " +
                                 std::to_string(aad_len) + " len " + std::to_string(len);

        Bytes ref_ct(len + 16);
        uint8_t ref_tag[16];
        test::ossl_seal(key, nonce.data(), aad.data(), aad_len, pt.data(), len, ref_ct.data(), ref_tag);
        ref_ct.resize(len);

        const GcmKey gk = gcm_key_init(key.data(), static_cast<int>(key.size()));
        Bytes ct(len);
        uint8_t tag[16];
        gcm_seal(gk, nonce.data(), aad.data(), aad_len, pt.data(), len, ct.data(), tag);
        ASSERT_EQ(to_hex(ct), to_hex(ref_ct)) << what;
        ASSERT_EQ(to_hex(tag, 16), to_hex(ref_tag, 16)) << what;

        // Open in place.
        Bytes buf = ct;
        ASSERT_TRUE(gcm_open(gk, nonce.data(), aad.data(), aad_len, buf.data(), len, tag, buf.data()))
            << what;
        ASSERT_EQ(buf, pt) << what;

        // Every tenth case: one flipped bit anywhere (AAD, ciphertext, tag) fails.
        if (i % 10 == 0) {
            Bytes a2 = aad, c2 = ct;
            uint8_t t2[16];
            for (int k = 0; k < 16; ++k) t2[k] = tag[k];
            const std::size_t where = rng() % (aad_len + len + 16);
            const uint8_t bit = static_cast<uint8_t>(1u << (rng() % 8));
            if (where < aad_len) a2[where] ^= bit;
            else if (where < aad_len + len) c2[where - aad_len] ^= bit;
            else t2[where - aad_len - len] ^= bit;
            Bytes out(len, 0xee);
            ASSERT_FALSE(gcm_open(gk, nonce.data(), a2.data(), aad_len, c2.data(), len, t2, out.data()))
                << what;
            ASSERT_EQ(out, Bytes(len, 0)) << what << ": plaintext released";
            ++tampered;
        }
    }
    std::cout << "random: " << kCases << " cases equal to OpenSSL EVP, " << tampered
              << " tampered cases rejected\n";
}

TEST(GcmRandom, CounterStartsAtJ0PlusOneAndWrapsMod2to32) {
    // Nonce with a 32-bit counter near the wrap is impossible with a 96-bit
    // nonce (J0 counter is 1), so check that the keystream of block i is
    // AES_K(nonce || i+2) by comparing against OpenSSL over 5 beats.
    std::mt19937_64 rng(7);
    const Bytes key = random_bytes(rng, 32);
    const Bytes nonce = random_bytes(rng, 12);
    const Bytes zeros(320, 0);
    Bytes ks(320), ref(336);
    uint8_t tag[16], ref_tag[16];
    const GcmKey gk = gcm_key_init(key.data(), 32);
    gcm_seal(gk, nonce.data(), nullptr, 0, zeros.data(), zeros.size(), ks.data(), tag);
    test::ossl_seal(key, nonce.data(), nullptr, 0, zeros.data(), zeros.size(), ref.data(), ref_tag);
    ref.resize(320);
    EXPECT_EQ(ks, ref);
    EXPECT_EQ(to_hex(tag, 16), to_hex(ref_tag, 16));
}

TEST(GcmRandom, BeatApiEqualsOneShot) {
    std::mt19937_64 rng(0xbea7);
    for (int i = 0; i < 300; ++i) {
        const Bytes key = random_bytes(rng, i % 2 ? 32 : 16);
        const Bytes nonce = random_bytes(rng, 12);
        const Bytes aad = random_bytes(rng, 8 + 4 * (rng() % 2));
        const std::size_t len = 1 + rng() % 1600;
        const Bytes pt = random_bytes(rng, len);
        const GcmKey gk = gcm_key_init(key.data(), static_cast<int>(key.size()));
        Bytes ref(len);
        uint8_t ref_tag[16];
        gcm_seal(gk, nonce.data(), aad.data(), aad.size(), pt.data(), len, ref.data(), ref_tag);

        GcmState st = gcm_start(gk, nonce.data(), aad.data(), aad.size());
        Bytes ct(len);
        for (std::size_t off = 0; off < len; off += 64) {
            const int n = static_cast<int>(len - off < 64 ? len - off : 64);
            gcm_beat(gk, st, pt.data() + off, n, false, ct.data() + off);
        }
        uint8_t tag[16];
        gcm_finish(gk, st, tag);
        ASSERT_EQ(ct, ref);
        ASSERT_EQ(to_hex(tag, 16), to_hex(ref_tag, 16));

        GcmState dst = gcm_start(gk, nonce.data(), aad.data(), aad.size());
        for (std::size_t off = 0; off < len; off += 64) {
            const int n = static_cast<int>(len - off < 64 ? len - off : 64);
            gcm_beat(gk, dst, ct.data() + off, n, true, ct.data() + off);  // in place
        }
        gcm_finish(gk, dst, tag);
        ASSERT_EQ(ct, pt);
        ASSERT_EQ(to_hex(tag, 16), to_hex(ref_tag, 16));
    }
}

TEST(GcmRandom, TagEqualIsExact) {
    uint8_t a[16] = {}, b[16] = {};
    EXPECT_TRUE(tag_equal(a, b));
    for (int i = 0; i < 16; ++i)
        for (int bit = 0; bit < 8; ++bit) {
            b[i] = static_cast<uint8_t>(1u << bit);
            EXPECT_FALSE(tag_equal(a, b));
            b[i] = 0;
        }
}

}  // namespace
}  // namespace mplsec::hls_esp
