// The AES-GCM core against published vectors (NIST CAVP, Project
// Wycheproof), OpenSSL EVP and the HLS model (hls/esp), streamed back to
// back through one Verilated instance: texts of different SAs and key sizes
// with no gap, random lengths, input gaps and output backpressure. The ESP
// form runs on both tops, the datapath's mplsec_gcm and mplsec_gcm_core;
// the vectors whose AAD is not 8 or 12 bytes need the core's AAD beats.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

#include "Vmplsec_gcm.h"
#include "Vmplsec_gcm_core.h"
#include "cavp.hpp"
#include "gcm.hpp"
#include "gcm_driver.hpp"
#include "test_util.hpp"

namespace mplsec::rtltest {
namespace {

using hls_esp::test::from_hex;
using hls_esp::test::to_hex;
using Core = Vmplsec_gcm_core;

// A text for the core and what must come out of it.
struct Case {
    std::string name;
    GcmText text;
    GcmBytes want_text;                 // plaintext or ciphertext
    std::array<uint8_t, 16> want_tag{};
    bool tag_must_differ = false;       // a forged or corrupted input (decrypt)
};

std::array<uint8_t, 12> nonce_of(const GcmBytes& iv) {
    std::array<uint8_t, 12> n{};
    std::copy(iv.begin(), iv.end(), n.begin());
    return n;
}

std::array<uint8_t, 16> tag_of(const GcmBytes& t) {
    std::array<uint8_t, 16> a{};
    std::copy(t.begin(), t.end(), a.begin());
    return a;
}

// Installs every key (SA = index of the key), streams every case, and
// checks each output. Returns the number checked.
template <typename Top>
void run_cases(GcmDriver<Top>& d, const std::vector<Case>& cases, const GcmStreamOptions& opt = {}) {
    std::vector<GcmText> texts;
    for (const Case& c : cases) texts.push_back(c.text);
    const std::vector<GcmOut> outs = d.stream(texts, opt);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[i];
        const std::string got_tag = to_hex(outs[i].tag.data(), 16);
        const std::string want_tag = to_hex(c.want_tag.data(), 16);
        if (c.tag_must_differ) {
            EXPECT_NE(got_tag, want_tag) << c.name << ": forged tag accepted";
        } else {
            EXPECT_EQ(to_hex(outs[i].text), to_hex(c.want_text)) << c.name;
            EXPECT_EQ(got_tag, want_tag) << c.name;
        }
    }
}

class GcmCore : public ::testing::Test {
protected:
    Core top;
    GcmDriver<Core> drv{top};
};

TEST_F(GcmCore, NistCavp) {
    if (std::string(MPLSEC_CAVP_GCM_DIR).empty())
        GTEST_SKIP() << "NIST CAVP GCM vectors not found at configure time: install the Debian package "
                        "python3-cryptography-vectors and re-run cmake";
    std::vector<Case> cases;
    int fail_cases = 0;
    for (const char* file : {"gcmEncryptExtIV128.rsp", "gcmEncryptExtIV256.rsp", "gcmDecrypt128.rsp",
                             "gcmDecrypt256.rsp"}) {
        const bool decrypt = std::string(file).find("Decrypt") != std::string::npos;
        for (const auto& r : hls_esp::test::parse_rsp(std::string(MPLSEC_CAVP_GCM_DIR) + "/" + file)) {
            if (!hls_esp::test::esp_profile(r)) continue;
            auto get = [&](const char* k) {
                auto it = r.field.find(k);
                return it == r.field.end() ? GcmBytes{} : from_hex(it->second);
            };
            const uint16_t sa = static_cast<uint16_t>(cases.size());
            ASSERT_LT(sa, 4096);
            drv.install(sa, get("Key"));
            Case c;
            c.name = std::string(file) + " Keylen=" + r.section.at("Keylen") + " PTlen=" + r.section.at("PTlen") +
                     " AADlen=" + r.section.at("AADlen") + " Count=" + r.field.at("Count");
            // CAVP AADs are 0, 16, 20, 48 or 90 bytes: they go in as AAD beats.
            c.text = GcmText{sa, decrypt, nonce_of(get("IV")), get("AAD"), true, decrypt ? get("CT") : get("PT")};
            c.want_text = decrypt ? get("PT") : get("CT");
            c.want_tag = tag_of(get("Tag"));
            c.tag_must_differ = r.fail;
            fail_cases += r.fail;
            cases.push_back(c);
        }
    }
    run_cases(drv, cases);
    std::cout << "CAVP: " << cases.size() << " vectors (96-bit IV, 128-bit tag) through the core, " << fail_cases
              << " of them FAIL cases (tag must not match)\n";
    EXPECT_EQ(cases.size(), 1500u);
    EXPECT_GT(fail_cases, 0);
}

TEST_F(GcmCore, Wycheproof) {
    std::ifstream in(MPLSEC_WYCHEPROOF_GCM);
    ASSERT_TRUE(in) << "cannot open " << MPLSEC_WYCHEPROOF_GCM;
    const nlohmann::json doc = nlohmann::json::parse(in);
    std::vector<Case> cases;
    int esp_aad = 0, beat_aad = 0, invalid = 0, outside = 0;
    for (const auto& group : doc.at("testGroups")) {
        const int key_bits = group.at("keySize");
        if (group.at("ivSize") != 96 || group.at("tagSize") != 128 || (key_bits != 128 && key_bits != 256)) {
            outside += static_cast<int>(group.at("tests").size());
            continue;
        }
        for (const auto& t : group.at("tests")) {
            const uint16_t sa = static_cast<uint16_t>(cases.size());
            drv.install(sa, from_hex(t.at("key")));
            const GcmBytes aad = from_hex(t.at("aad")), msg = from_hex(t.at("msg")), ct = from_hex(t.at("ct"));
            // 8- or 12-byte AADs take the ESP path (in_aad_i); others go in as AAD beats.
            const bool beats = aad.size() != 8 && aad.size() != 12;
            (beats ? beat_aad : esp_aad)++;
            const std::string name = "tcId " + std::to_string(int(t.at("tcId")));
            const bool valid = t.at("result") == "valid";
            const std::array<uint8_t, 12> nonce = nonce_of(from_hex(t.at("iv")));
            if (valid) cases.push_back({name + " seal", {sa, false, nonce, aad, beats, msg}, ct, tag_of(from_hex(t.at("tag")))});
            cases.push_back({name + " open", {sa, true, nonce, aad, beats, ct}, msg, tag_of(from_hex(t.at("tag"))), !valid});
            invalid += !valid;
        }
    }
    run_cases(drv, cases);
    std::cout << "Wycheproof aes_gcm_test.json: " << esp_aad + beat_aad << " vectors in the ESP profile run ("
              << esp_aad << " with an 8/12-byte AAD through in_aad_i, " << beat_aad
              << " with other AAD lengths as AAD beats; " << invalid << " invalid), " << outside
              << " skipped (IV not 96 bits, tag not 128 bits or a 192-bit key)\n";
    EXPECT_GT(esp_aad, 0);
    EXPECT_GT(invalid, 0);
}

// The ESP-form tests, on both tops.
template <typename Top>
class GcmEsp : public ::testing::Test {
protected:
    Top top;
    GcmDriver<Top> drv{top};
};

struct TopName {
    template <typename Top>
    static std::string GetName(int) {
        return std::is_same_v<Top, Vmplsec_gcm> ? "mplsec_gcm" : "mplsec_gcm_core";
    }
};
using Tops = ::testing::Types<Vmplsec_gcm, Vmplsec_gcm_core>;
TYPED_TEST_SUITE(GcmEsp, Tops, TopName);

// Random ESP texts: random SAs of both key sizes (a new SA nearly every
// text), lengths 0..9600, encrypt and decrypt, ESN or not.
template <typename Top>
std::vector<Case> random_cases(GcmDriver<Top>& d, std::mt19937_64& rng, int n_sa, int n_text) {
    std::vector<GcmBytes> keys;
    for (int s = 0; s < n_sa; ++s) {
        keys.push_back(hls_esp::test::random_bytes(rng, s % 2 ? 32 : 16));
        d.install(static_cast<uint16_t>(100 + s), keys.back());
    }
    std::vector<Case> cases;
    for (int i = 0; i < n_text; ++i) {
        const int s = static_cast<int>(rng() % n_sa);
        const unsigned pick = rng() % 10;
        const std::size_t len = pick < 5 ? rng() % 129 : pick < 9 ? rng() % 1601 : rng() % 9601;
        Case c;
        c.name = "random text " + std::to_string(i);
        c.text.sa = static_cast<uint16_t>(100 + s);
        c.text.decrypt = rng() % 2;
        const GcmBytes nonce = hls_esp::test::random_bytes(rng, 12);
        c.text.nonce = nonce_of(nonce);
        c.text.aad = hls_esp::test::random_bytes(rng, rng() % 2 ? 12 : 8);
        const GcmBytes pt = hls_esp::test::random_bytes(rng, len);
        GcmBytes ct(len);
        hls_esp::test::ossl_seal(keys[s], nonce.data(), c.text.aad.data(), c.text.aad.size(), pt.data(), len,
                                 ct.data(), c.want_tag.data());
        // The HLS model must agree with OpenSSL, so the core is checked against both.
        GcmBytes model_ct(len);
        std::array<uint8_t, 16> model_tag{};
        const hls_esp::GcmKey mk = hls_esp::gcm_key_init(keys[s].data(), static_cast<int>(keys[s].size()));
        hls_esp::gcm_seal(mk, nonce.data(), c.text.aad.data(), c.text.aad.size(), pt.data(), len, model_ct.data(),
                          model_tag.data());
        EXPECT_EQ(model_ct, ct) << c.name;
        EXPECT_EQ(model_tag, c.want_tag) << c.name;
        c.text.in = c.text.decrypt ? ct : pt;
        c.want_text = c.text.decrypt ? pt : ct;
        cases.push_back(c);
    }
    return cases;
}

TYPED_TEST(GcmEsp, BackToBackSasAtFullRate) {
    std::mt19937_64 rng(11);
    const std::vector<Case> cases = random_cases(this->drv, rng, 16, 200);
    run_cases(this->drv, cases);
    const GcmStreamStats& s = this->drv.stats();
    // One beat a cycle: the stream takes its beats plus the fill of the pipeline.
    EXPECT_EQ(s.cycles, s.in_beats + s.latency_min) << "bubbles between texts";
    EXPECT_EQ(s.latency_min, s.latency_max) << "latency not constant";
    std::cout << s.in_beats << " beats in " << s.cycles << " cycles, latency " << s.latency_min << " cycles\n";
}

// Every length around the block and beat edges, ESP AAD of both sizes,
// both key sizes, both directions, and a tampered ciphertext for each.
TYPED_TEST(GcmEsp, BlockAndBeatEdges) {
    std::mt19937_64 rng(15);
    const GcmBytes keys[2] = {hls_esp::test::random_bytes(rng, 16), hls_esp::test::random_bytes(rng, 32)};
    this->drv.install(20, keys[0]);
    this->drv.install(21, keys[1]);
    std::vector<Case> cases;
    for (std::size_t len : {0, 1, 15, 16, 17, 31, 32, 48, 63, 64, 65, 79, 127, 128, 129, 191, 192, 255, 256, 9599, 9600}) {
        for (int k = 0; k < 2; ++k) {
            const GcmBytes nonce = hls_esp::test::random_bytes(rng, 12);
            const GcmBytes aad = hls_esp::test::random_bytes(rng, len % 2 ? 12 : 8);
            const GcmBytes pt = hls_esp::test::random_bytes(rng, len);
            GcmBytes ct(len);
            std::array<uint8_t, 16> tag{};
            hls_esp::test::ossl_seal(keys[k], nonce.data(), aad.data(), aad.size(), pt.data(), len, ct.data(),
                                     tag.data());
            const uint16_t sa = static_cast<uint16_t>(20 + k);
            const std::string name = std::to_string(len) + " bytes, AES-" + (k ? "256" : "128");
            cases.push_back({name + " seal", {sa, false, nonce_of(nonce), aad, false, pt}, ct, tag});
            cases.push_back({name + " open", {sa, true, nonce_of(nonce), aad, false, ct}, pt, tag});
            // A flipped bit in the ciphertext (or, for an empty text, the AAD) must change the tag.
            Case forged{name + " open, tampered", {sa, true, nonce_of(nonce), aad, false, ct}, {}, tag, true};
            if (len) forged.text.in[rng() % len] ^= 0x10;
            else forged.text.aad[3] ^= 0x01;
            cases.push_back(forged);
        }
    }
    run_cases(this->drv, cases);
}

TYPED_TEST(GcmEsp, GapsAndBackpressure) {
    std::mt19937_64 rng(12);
    const std::vector<Case> cases = random_cases(this->drv, rng, 8, 150);
    run_cases(this->drv, cases, GcmStreamOptions{0.8, 0.6, 5});
    run_cases(this->drv, cases, GcmStreamOptions{1.0, 0.3, 6});
}

TYPED_TEST(GcmEsp, LatencyIsTheSameForBothKeySizes) {
    std::mt19937_64 rng(13);
    uint64_t latency[2];
    for (int aes256 = 0; aes256 < 2; ++aes256) {
        const GcmBytes key = hls_esp::test::random_bytes(rng, aes256 ? 32 : 16);
        this->drv.install(7, key);
        Case c;
        c.text = GcmText{7, false, {}, GcmBytes(8, 1), false, GcmBytes(100, 2)};
        c.want_text.resize(100);
        hls_esp::test::ossl_seal(key, c.text.nonce.data(), c.text.aad.data(), 8, c.text.in.data(), 100,
                                 c.want_text.data(), c.want_tag.data());
        run_cases(this->drv, {c});
        latency[aes256] = this->drv.stats().latency_max;
        EXPECT_EQ(this->drv.stats().latency_min, latency[aes256]);
    }
    EXPECT_EQ(latency[0], latency[1]);
}

TYPED_TEST(GcmEsp, KeyInstall) {
    std::mt19937_64 rng(14);
    const GcmBytes key_a = hls_esp::test::random_bytes(rng, 16);
    const GcmBytes key_b = hls_esp::test::random_bytes(rng, 32);
    const GcmBytes key_c = hls_esp::test::random_bytes(rng, 32);
    const unsigned cycles128 = this->drv.install(5, key_a);
    // An install asked for while one runs is ignored.
    this->drv.write_key(6, key_b);
    EXPECT_TRUE(this->top.key_busy_o);
    this->drv.write_key(7, key_c);
    const unsigned cycles256 = 2 + this->drv.wait_key_done();
    EXPECT_GT(cycles128, 10u);
    EXPECT_GT(cycles256, cycles128);  // four more rounds to expand

    auto seal_case = [&](uint16_t sa, const GcmBytes& key) {
        Case c;
        c.name = "SA " + std::to_string(sa);
        c.text = GcmText{sa, false, {9, 9, 9}, GcmBytes(12, 3), false, GcmBytes(70, 4)};
        c.want_text.resize(70);
        hls_esp::test::ossl_seal(key, c.text.nonce.data(), c.text.aad.data(), 12, c.text.in.data(), 70,
                                 c.want_text.data(), c.want_tag.data());
        return c;
    };
    Case ignored = seal_case(7, key_c);
    ignored.tag_must_differ = true;
    run_cases(this->drv, {seal_case(5, key_a), seal_case(6, key_b), ignored});
    // A new key (and key size) for an SA replaces the old one.
    this->drv.install(5, key_b);
    run_cases(this->drv, {seal_case(5, key_b)});
    std::cout << "key install: AES-128 " << cycles128 << " cycles, AES-256 " << cycles256 << " cycles\n";
}

TYPED_TEST(GcmEsp, RejectsBadInput) {
    EXPECT_THROW(this->drv.write_key(1, GcmBytes(24)), std::invalid_argument);
    EXPECT_THROW(this->drv.stream({GcmText{1, false, {}, GcmBytes(10), false, GcmBytes(4)}}), std::invalid_argument);
}

}  // namespace
}  // namespace mplsec::rtltest
