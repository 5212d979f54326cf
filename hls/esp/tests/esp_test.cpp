// ESP tunnel-mode payload (RFC 4303 + RFC 4106): round trips, the wire
// layout read back with OpenSSL, packets built by OpenSSL as an independent
// encoder, and every drop status.
#include <gtest/gtest.h>

#include "esp.hpp"
#include "test_util.hpp"

namespace mplsec::hls_esp {
namespace {

using test::Bytes;
using test::from_hex;
using test::random_bytes;
using test::to_hex;

void put32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

uint32_t get32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) << 24 | static_cast<uint32_t>(p[1]) << 16 |
           static_cast<uint32_t>(p[2]) << 8 | p[3];
}

// A plausible inner packet: version nibble 4 or 6, random rest.
Bytes inner_packet(std::mt19937_64& rng, int version, std::size_t len) {
    Bytes p = random_bytes(rng, len);
    if (len) p[0] = static_cast<uint8_t>(version << 4 | (p[0] & 0x0f));
    return p;
}

struct SaParams {
    Bytes key;
    uint8_t salt[4];
    uint32_t spi;
    bool esn;
};

SaParams random_sa(std::mt19937_64& rng, int key_bytes, bool esn) {
    SaParams p{random_bytes(rng, static_cast<std::size_t>(key_bytes)), {}, static_cast<uint32_t>(rng()), esn};
    const Bytes salt = random_bytes(rng, 4);
    for (int i = 0; i < 4; ++i) p.salt[i] = salt[static_cast<std::size_t>(i)];
    return p;
}

EspSa make_sa(const SaParams& p) {
    return esp_sa_init(p.spi, p.key.data(), static_cast<int>(p.key.size()), p.salt, p.esn);
}

Bytes encrypt(const EspSa& sa, uint64_t seq, const Bytes& inner) {
    Bytes out(esp_encrypted_len(inner.size()));
    const std::size_t n = esp_encrypt(sa, seq, inner.data(), inner.size(), out.data());
    out.resize(n);
    return out;
}

// Independent encoder: the RFC 4106 packet built with OpenSSL from an
// explicit plaintext payload (inner || padding || pad length || nh).
Bytes ossl_packet(const SaParams& p, uint64_t seq, const Bytes& payload) {
    Bytes pkt(16 + payload.size() + 16);
    put32(pkt.data(), p.spi);
    put32(pkt.data() + 4, static_cast<uint32_t>(seq));
    put32(pkt.data() + 8, static_cast<uint32_t>(seq >> 32));
    put32(pkt.data() + 12, static_cast<uint32_t>(seq));
    uint8_t nonce[12];
    for (int i = 0; i < 4; ++i) nonce[i] = p.salt[i];
    for (int i = 0; i < 8; ++i) nonce[4 + i] = pkt[8 + static_cast<std::size_t>(i)];
    uint8_t aad[12];
    std::size_t aad_len = 8;
    put32(aad, p.spi);
    if (p.esn) {
        put32(aad + 4, static_cast<uint32_t>(seq >> 32));
        put32(aad + 8, static_cast<uint32_t>(seq));
        aad_len = 12;
    } else {
        put32(aad + 4, static_cast<uint32_t>(seq));
    }
    Bytes ct(payload.size() + 16);
    test::ossl_seal(p.key, nonce, aad, aad_len, payload.data(), payload.size(), ct.data(),
                    pkt.data() + 16 + payload.size());
    std::copy(ct.begin(), ct.begin() + static_cast<long>(payload.size()), pkt.begin() + 16);
    return pkt;
}

Bytes rfc_payload(const Bytes& inner, uint8_t nh) {
    Bytes pl = inner;
    const std::size_t pad = (4 - (inner.size() + 2) % 4) % 4;
    for (std::size_t i = 0; i < pad; ++i) pl.push_back(static_cast<uint8_t>(i + 1));
    pl.push_back(static_cast<uint8_t>(pad));
    pl.push_back(nh);
    return pl;
}

TEST(Esp, RoundTripBothKeySizesEsnAndInnerVersions) {
    std::mt19937_64 rng(0xe5b);
    for (int i = 0; i < 600; ++i) {
        const int key_bytes = i % 2 ? 32 : 16;
        const bool esn = (i / 2) % 2;
        const int version = (i / 4) % 2 ? 6 : 4;
        const SaParams p = random_sa(rng, key_bytes, esn);
        const EspSa sa = make_sa(p);
        ASSERT_TRUE(sa.key.valid());
        const uint64_t seq = esn ? rng() : (rng() & 0xffffffffULL);
        const Bytes inner = inner_packet(rng, version, 1 + rng() % 1500);
        const Bytes pkt = encrypt(sa, seq, inner);
        ASSERT_EQ(pkt.size(), esp_encrypted_len(inner.size()));
        Bytes out(pkt.size(), 0xee);
        const auto r = esp_decrypt(sa, static_cast<uint32_t>(seq >> 32), pkt.data(), pkt.size(), out.data());
        ASSERT_EQ(r.status, EspStatus::ok) << to_string(r.status) << " case " << i;
        ASSERT_EQ(r.inner_len, inner.size());
        EXPECT_EQ(r.next_header, version == 4 ? kNextHeaderIpv4 : kNextHeaderIpv6);
        EXPECT_EQ(r.spi, p.spi);
        EXPECT_EQ(r.seq_lo, static_cast<uint32_t>(seq));
        out.resize(r.inner_len);
        ASSERT_EQ(out, inner) << "case " << i;
    }
}

TEST(Esp, WireLayoutRfc4303And4106) {
    std::mt19937_64 rng(0x1a7);
    for (int esn = 0; esn < 2; ++esn) {
        for (std::size_t len = 20; len < 60; ++len) {
            const SaParams p = random_sa(rng, 32, esn);
            const EspSa sa = make_sa(p);
            const uint64_t seq = esn ? 0x0000000500000007ULL : 0x00000000deadbeefULL;
            const Bytes inner = inner_packet(rng, 4, len);
            const Bytes pkt = encrypt(sa, seq, inner);
            // Header: SPI, low 32 bits of seq. IV: the 64-bit seq, big-endian.
            EXPECT_EQ(get32(pkt.data()), p.spi);
            EXPECT_EQ(get32(pkt.data() + 4), static_cast<uint32_t>(seq));
            EXPECT_EQ(get32(pkt.data() + 8), static_cast<uint32_t>(seq >> 32));
            EXPECT_EQ(get32(pkt.data() + 12), static_cast<uint32_t>(seq));
            // Minimum padding: ciphertext a multiple of 4, pad 0..3.
            const std::size_t ct_len = pkt.size() - 32;
            EXPECT_EQ(ct_len % 4, 0u);
            EXPECT_GE(ct_len, len + 2);
            EXPECT_LE(ct_len, len + 5);
            // OpenSSL opens it with nonce = salt || IV and AAD = SPI || [seq_hi ||] seq_lo.
            uint8_t nonce[12];
            for (int i = 0; i < 4; ++i) nonce[i] = p.salt[i];
            for (int i = 0; i < 8; ++i) nonce[4 + i] = pkt[8 + static_cast<std::size_t>(i)];
            Bytes aad(pkt.begin(), pkt.begin() + 4);
            if (esn) {
                for (int s = 56; s >= 0; s -= 8) aad.push_back(static_cast<uint8_t>(seq >> s));
            } else {
                aad.insert(aad.end(), pkt.begin() + 4, pkt.begin() + 8);
            }
            Bytes payload(ct_len);
            ASSERT_TRUE(test::ossl_open(p.key, nonce, aad.data(), aad.size(), pkt.data() + 16, ct_len,
                                        pkt.data() + 16 + ct_len, payload.data()))
                << "len " << len << " esn " << esn;
            EXPECT_EQ(payload, rfc_payload(inner, 4)) << "len " << len;
        }
    }
}

TEST(Esp, KnownPaddingAndSizes) {
    EXPECT_EQ(esp_pad_len(20), 2u);   // 20 + 2 + 2 = 24
    EXPECT_EQ(esp_pad_len(21), 1u);
    EXPECT_EQ(esp_pad_len(22), 0u);
    EXPECT_EQ(esp_pad_len(1500), 2u);
    EXPECT_EQ(esp_pad_len(23), 3u);
    EXPECT_EQ(esp_encrypted_len(1500), 8u + 8u + 1500u + 2u + 2u + 16u);
    EXPECT_EQ(esp_next_header(nullptr, 0), 0);
}

TEST(Esp, OpensPacketsFromOpenSslEncoder) {
    std::mt19937_64 rng(0x055);
    for (int i = 0; i < 200; ++i) {
        const bool esn = i % 2;
        const SaParams p = random_sa(rng, i % 4 < 2 ? 16 : 32, esn);
        const EspSa sa = make_sa(p);
        const uint64_t seq = esn ? (rng() | (1ULL << 40)) : (rng() & 0xffffffffULL);
        const int version = i % 3 ? 4 : 6;
        const Bytes inner = inner_packet(rng, version, 1 + rng() % 1400);
        const Bytes pkt = ossl_packet(p, seq, rfc_payload(inner, version == 4 ? 4 : 41));
        // The model's encoder produces the identical bytes.
        EXPECT_EQ(pkt, encrypt(sa, seq, inner)) << "case " << i;
        Bytes out(pkt.size());
        const auto r = esp_decrypt(sa, static_cast<uint32_t>(seq >> 32), pkt.data(), pkt.size(), out.data());
        ASSERT_EQ(r.status, EspStatus::ok) << to_string(r.status) << " case " << i;
        out.resize(r.inner_len);
        EXPECT_EQ(out, inner);
    }
}

TEST(Esp, FixedVectorFromOpenSsl) {
    // aes-128-gcm, key 00..0f, salt cafebabe, SPI 0x1001, seq 1, inner = a
    // 20-byte IPv4 header. The expected packet was built outside this code
    // with Python's cryptography AESGCM (nonce salt||IV, AAD SPI||seq,
    // payload inner || 01 02 || 02 || 04) and is pinned here as hex.
    SaParams p{from_hex("000102030405060708090a0b0c0d0e0f"), {0xca, 0xfe, 0xba, 0xbe}, 0x1001, false};
    const Bytes inner = from_hex("450000140000000040ff0000c0000201c0000202");
    const std::string expected =
        "00001001" "00000001" "0000000000000001"                       // SPI, seq, IV
        "f705198d4a7f51f4dbe4c11d867fab3613688342"                     // inner (encrypted)
        "b8f54a81"                                                     // pad 01 02, 02, 04
        "76581473c9fb6dc4154d0dcfc234aea4";                            // ICV
    const Bytes pkt = from_hex(expected);
    EXPECT_EQ(to_hex(ossl_packet(p, 1, rfc_payload(inner, 4))), expected);
    const EspSa sa = make_sa(p);
    EXPECT_EQ(to_hex(encrypt(sa, 1, inner)), to_hex(pkt));
    Bytes out(pkt.size());
    const auto r = esp_decrypt(sa, pkt.data(), pkt.size(), out.data());
    ASSERT_EQ(r.status, EspStatus::ok);
    EXPECT_EQ(r.inner_len, 20u);
    EXPECT_EQ(r.next_header, 4);
}

TEST(Esp, AnyFlippedBitIsAuthFailed) {
    std::mt19937_64 rng(0xbad);
    const SaParams p = random_sa(rng, 32, true);
    const EspSa sa = make_sa(p);
    const uint64_t seq = 0x0000000100000002ULL;
    const Bytes inner = inner_packet(rng, 4, 100);
    const Bytes pkt = encrypt(sa, seq, inner);
    for (std::size_t i = 0; i < pkt.size(); ++i) {
        Bytes bad = pkt;
        bad[i] ^= static_cast<uint8_t>(1u << (i % 8));
        Bytes out(bad.size(), 0xee);
        const auto r = esp_decrypt(sa, 1, bad.data(), bad.size(), out.data());
        ASSERT_EQ(r.status, EspStatus::auth_failed) << "byte " << i;
        ASSERT_EQ(Bytes(out.begin(), out.end() - 32), Bytes(bad.size() - 32, 0)) << "byte " << i;
    }
    // ESN: the wrong inferred high half fails the ICV; without ESN it is ignored.
    Bytes out(pkt.size());
    EXPECT_EQ(esp_decrypt(sa, 2, pkt.data(), pkt.size(), out.data()).status, EspStatus::auth_failed);
    EXPECT_EQ(esp_decrypt(sa, 1, pkt.data(), pkt.size(), out.data()).status, EspStatus::ok);
    SaParams q = p;
    q.esn = false;
    const EspSa sa32 = make_sa(q);
    const Bytes pkt32 = encrypt(sa32, 0x1234, inner);
    EXPECT_EQ(esp_decrypt(sa32, 99, pkt32.data(), pkt32.size(), out.data()).status, EspStatus::ok);
    // A different key fails.
    SaParams other = random_sa(rng, 32, true);
    other.spi = p.spi;
    EXPECT_EQ(esp_decrypt(make_sa(other), 1, pkt.data(), pkt.size(), out.data()).status,
              EspStatus::auth_failed);
}

TEST(Esp, BadPaddingAfterValidIcv) {
    std::mt19937_64 rng(0x9ad);
    const SaParams p = random_sa(rng, 16, false);
    const EspSa sa = make_sa(p);
    const Bytes inner = inner_packet(rng, 4, 21);  // one pad byte
    Bytes out(200);

    Bytes pl = rfc_payload(inner, 4);
    ASSERT_EQ(pl.size(), 24u);
    ASSERT_EQ(pl[21], 1);
    Bytes wrong = pl;
    wrong[21] = 0;  // pad byte must read 1
    Bytes pkt = ossl_packet(p, 5, wrong);
    EXPECT_EQ(esp_decrypt(sa, pkt.data(), pkt.size(), out.data()).status, EspStatus::bad_padding);

    wrong = pl;
    wrong[22] = 23;  // pad length beyond the data
    pkt = ossl_packet(p, 5, wrong);
    EXPECT_EQ(esp_decrypt(sa, pkt.data(), pkt.size(), out.data()).status, EspStatus::bad_padding);

    wrong = pl;
    wrong.insert(wrong.begin(), 0x45);  // 25 bytes: not a multiple of 4
    pkt = ossl_packet(p, 5, wrong);
    EXPECT_EQ(esp_decrypt(sa, pkt.data(), pkt.size(), out.data()).status, EspStatus::bad_padding);
    EXPECT_EQ(Bytes(out.begin(), out.begin() + 25), Bytes(25, 0)) << "plaintext released";

    // Longer-than-minimum but well-formed padding (1..5) is accepted.
    Bytes longer = inner;
    for (uint8_t i = 1; i <= 5; ++i) longer.push_back(i);
    longer.push_back(5);
    longer.push_back(4);
    ASSERT_EQ(longer.size() % 4, 0u);
    pkt = ossl_packet(p, 5, longer);
    const auto r = esp_decrypt(sa, pkt.data(), pkt.size(), out.data());
    EXPECT_EQ(r.status, EspStatus::ok);
    EXPECT_EQ(r.inner_len, inner.size());

    // A tampered packet with bad padding is auth_failed: the ICV goes first.
    wrong = pl;
    wrong[21] = 0;
    pkt = ossl_packet(p, 5, wrong);
    pkt.back() ^= 1;
    EXPECT_EQ(esp_decrypt(sa, pkt.data(), pkt.size(), out.data()).status, EspStatus::auth_failed);
}

TEST(Esp, TooShort) {
    std::mt19937_64 rng(0x5);
    const SaParams p = random_sa(rng, 16, false);
    const EspSa sa = make_sa(p);
    Bytes out(64);
    const Bytes junk = random_bytes(rng, kEspMinBytes);
    for (std::size_t len = 0; len < kEspMinBytes; ++len)
        EXPECT_EQ(esp_decrypt(sa, junk.data(), len, out.data()).status, EspStatus::too_short) << len;
    // Exactly the minimum is long enough to be judged by its ICV.
    EXPECT_EQ(esp_decrypt(sa, junk.data(), kEspMinBytes, out.data()).status, EspStatus::auth_failed);
    // An ESP packet shorter than its ICV.
    const Bytes pkt = encrypt(sa, 1, inner_packet(rng, 4, 40));
    EXPECT_EQ(esp_decrypt(sa, pkt.data(), 20, out.data()).status, EspStatus::too_short);
}

TEST(Esp, RefusesNonIpInner) {
    std::mt19937_64 rng(0x6);
    const EspSa sa = make_sa(random_sa(rng, 16, false));
    Bytes inner = random_bytes(rng, 40);
    inner[0] = 0x50;
    Bytes out(esp_encrypted_len(inner.size()));
    EXPECT_EQ(esp_encrypt(sa, 1, inner.data(), inner.size(), out.data()), 0u);
    EXPECT_EQ(esp_encrypt(sa, 1, inner.data(), 0, out.data()), 0u);
}

}  // namespace
}  // namespace mplsec::hls_esp
