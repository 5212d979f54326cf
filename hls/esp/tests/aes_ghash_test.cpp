// AES forward cipher against FIPS 197 and OpenSSL; GF(2^128) multipliers
// and the aggregated 4-block GHASH against the serial Horner form.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "aes.hpp"
#include "ghash.hpp"
#include "test_util.hpp"

namespace mplsec::hls_esp {
namespace {

using test::Bytes;
using test::from_hex;
using test::random_bytes;
using test::to_hex;

std::string aes_hex(const Bytes& key, const Bytes& pt) {
    const AesKeySchedule ks = expand_key(key.data(), static_cast<int>(key.size()));
    uint8_t out[16];
    aes_encrypt_block(ks, pt.data(), out);
    return to_hex(out, 16);
}

TEST(Aes, Fips197AppendixC) {
    const Bytes pt = from_hex("00112233445566778899aabbccddeeff");
    EXPECT_EQ(aes_hex(from_hex("000102030405060708090a0b0c0d0e0f"), pt),
              "69c4e0d86a7b0430d8cdb78070b4c55a");
    EXPECT_EQ(aes_hex(from_hex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), pt),
              "8ea2b7ca516745bfeafc49904b496089");
}

TEST(Aes, Fips197KeyExpansionLastWords) {
    // FIPS 197 A.1 / A.3: w[43] and w[59].
    const AesKeySchedule k128 = expand_key(from_hex("2b7e151628aed2a6abf7158809cf4f3c").data(), 16);
    EXPECT_EQ(k128.rounds, 10);
    EXPECT_EQ(to_hex(k128.rk[10] + 12, 4), "b6630ca6");
    const AesKeySchedule k256 = expand_key(
        from_hex("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4").data(), 32);
    EXPECT_EQ(k256.rounds, 14);
    EXPECT_EQ(to_hex(k256.rk[14] + 12, 4), "706c631e");
}

TEST(Aes, BadKeyLengthIsInvalid) {
    const Bytes key(24, 0x11);
    EXPECT_FALSE(expand_key(key.data(), 24).valid());
    EXPECT_FALSE(expand_key(key.data(), 0).valid());
    EXPECT_TRUE(expand_key(key.data(), 16).valid());
}

TEST(Aes, RandomBlocksMatchOpenSsl) {
    std::mt19937_64 rng(0xae5);
    for (int i = 0; i < 2000; ++i) {
        const Bytes key = random_bytes(rng, i % 2 ? 32 : 16);
        const Bytes pt = random_bytes(rng, 16);
        uint8_t ref[32];
        int n = 0;
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        ASSERT_EQ(EVP_EncryptInit_ex(ctx, key.size() == 16 ? EVP_aes_128_ecb() : EVP_aes_256_ecb(),
                                     nullptr, key.data(), nullptr), 1);
        EVP_CIPHER_CTX_set_padding(ctx, 0);
        ASSERT_EQ(EVP_EncryptUpdate(ctx, ref, &n, pt.data(), 16), 1);
        EVP_CIPHER_CTX_free(ctx);
        ASSERT_EQ(aes_hex(key, pt), to_hex(ref, 16)) << "key " << to_hex(key);
    }
}

TEST(Aes, InPlace) {
    const AesKeySchedule ks = expand_key(from_hex("000102030405060708090a0b0c0d0e0f").data(), 16);
    Bytes buf = from_hex("00112233445566778899aabbccddeeff");
    aes_encrypt_block(ks, buf.data(), buf.data());
    EXPECT_EQ(to_hex(buf), "69c4e0d86a7b0430d8cdb78070b4c55a");
}

Block128 random_block(std::mt19937_64& rng) { return {rng(), rng()}; }

TEST(Ghash, SerialMultiplyKnownProduct) {
    // One is x^0 (MSB of byte 0); x^127 * x = x^128 = x^7 + x^2 + x + 1.
    const Block128 one{0x8000000000000000ULL, 0};
    const Block128 a{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
    EXPECT_EQ(gf_mul_serial(one, a), a);
    EXPECT_EQ(gf_mul_serial(a, one), a);
    const Block128 x{0x4000000000000000ULL, 0};
    const Block128 x127{0, 1};
    EXPECT_EQ(gf_mul_serial(x127, x), (Block128{0xe100000000000000ULL, 0}));
    // GCM spec test case 2: H = AES_0(0); GHASH(H, {}, C) with one block.
    const Block128 h = load_block(from_hex("66e94bd4ef8a2c3b884cfa59ca342b2e").data());
    const Block128 c = load_block(from_hex("0388dace60b6a392f328c2b971b2fe78").data());
    const Block128 blocks[2] = {c, Block128{0, 128}};
    uint8_t out[16];
    store_block(ghash_serial(h, Block128{}, blocks, 2), out);
    EXPECT_EQ(to_hex(out, 16), "f38cbb1ad69223dcc3457ae5b6b0f885" /* S in the GCM spec */)
        << "GHASH(H, {}, C) of McGrew-Viega test case 2";
}

TEST(Ghash, TableMultiplyEqualsSerial) {
    std::mt19937_64 rng(0x6f);
    for (int i = 0; i < 300; ++i) {
        const Block128 h = random_block(rng);
        const GhashKey key = ghash_key_init(h);
        for (int p = 1; p <= 4; ++p) {
            const Block128 x = random_block(rng);
            ASSERT_EQ(gf_mul_table(key, p, x), gf_mul_serial(x, key.pow[p - 1]));
        }
        ASSERT_EQ(key.pow[3], gf_mul_serial(gf_mul_serial(h, h), gf_mul_serial(h, h)));
    }
}

TEST(Ghash, AggregatedFourBlocksEqualsSerial) {
    std::mt19937_64 rng(0x4b);
    for (int i = 0; i < 2000; ++i) {
        const Block128 h = random_block(rng);
        const GhashKey key = ghash_key_init(h);
        const int n = 1 + static_cast<int>(rng() % 4);
        Block128 b[4];
        for (auto& blk : b) blk = random_block(rng);
        const Block128 x = random_block(rng);
        ASSERT_EQ(ghash_absorb4(key, x, b, n), ghash_serial(h, x, b, static_cast<std::size_t>(n)))
            << "n=" << n;
    }
}

TEST(Ghash, AggregatedStreamEqualsSerialOnRandomData) {
    std::mt19937_64 rng(0x5e);
    for (int i = 0; i < 500; ++i) {
        const Block128 h = random_block(rng);
        const GhashKey key = ghash_key_init(h);
        const std::size_t len = rng() % 1200;
        const Bytes data = random_bytes(rng, len);
        std::vector<Block128> blocks;
        for (std::size_t off = 0; off < len; off += 16)
            blocks.push_back(load_partial(data.data() + off, len - off < 16 ? len - off : 16));
        const Block128 x0 = random_block(rng);
        ASSERT_EQ(ghash_bytes(key, x0, data.data(), len),
                  ghash_serial(h, x0, blocks.data(), blocks.size()))
            << "len=" << len;
    }
}

}  // namespace
}  // namespace mplsec::hls_esp
