// AES-GCM against published vectors, ESP profile only (96-bit IV, 128-bit
// tag, 128/256-bit keys): Project Wycheproof and NIST CAVP.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "cavp.hpp"
#include "gcm.hpp"
#include "test_util.hpp"

namespace mplsec::hls_esp {
namespace {

using test::Bytes;
using test::CavpRecord;
using test::esp_profile;
using test::parse_rsp;
using test::from_hex;
using test::to_hex;

struct Vector {
    Bytes key, iv, aad, pt, ct, tag;
};

// Model seal: ct and tag as hex.
void model_seal(const Vector& v, std::string* ct_hex, std::string* tag_hex) {
    const GcmKey key = gcm_key_init(v.key.data(), static_cast<int>(v.key.size()));
    Bytes ct(v.pt.size());
    uint8_t tag[16];
    gcm_seal(key, v.iv.data(), v.aad.data(), v.aad.size(), v.pt.data(), v.pt.size(), ct.data(), tag);
    *ct_hex = to_hex(ct);
    *tag_hex = to_hex(tag, 16);
}

bool model_open(const Vector& v, Bytes* pt) {
    const GcmKey key = gcm_key_init(v.key.data(), static_cast<int>(v.key.size()));
    pt->assign(v.ct.size(), 0xee);
    return gcm_open(key, v.iv.data(), v.aad.data(), v.aad.size(), v.ct.data(), v.ct.size(),
                    v.tag.data(), pt->data());
}

TEST(GcmVectors, Wycheproof) {
    std::ifstream in(MPLSEC_WYCHEPROOF_GCM);
    ASSERT_TRUE(in) << "cannot open " << MPLSEC_WYCHEPROOF_GCM;
    const nlohmann::json doc = nlohmann::json::parse(in);
    int valid = 0, invalid = 0, skipped = 0;
    for (const auto& group : doc.at("testGroups")) {
        const int iv_bits = group.at("ivSize");
        const int key_bits = group.at("keySize");
        const int tag_bits = group.at("tagSize");
        const bool profile = iv_bits == 96 && tag_bits == 128 && (key_bits == 128 || key_bits == 256);
        for (const auto& t : group.at("tests")) {
            if (!profile) {
                ++skipped;
                continue;
            }
            const int id = t.at("tcId");
            const std::string result = t.at("result");
            Vector v{from_hex(t.at("key")), from_hex(t.at("iv")), from_hex(t.at("aad")),
                     from_hex(t.at("msg")), from_hex(t.at("ct")), from_hex(t.at("tag"))};
            Bytes pt;
            const bool opened = model_open(v, &pt);
            if (result == "valid") {
                std::string ct_hex, tag_hex;
                model_seal(v, &ct_hex, &tag_hex);
                EXPECT_EQ(ct_hex, to_hex(v.ct)) << "tcId " << id;
                EXPECT_EQ(tag_hex, to_hex(v.tag)) << "tcId " << id;
                EXPECT_TRUE(opened) << "tcId " << id;
                EXPECT_EQ(to_hex(pt), to_hex(v.pt)) << "tcId " << id;
                ++valid;
            } else {
                ASSERT_EQ(result, "invalid") << "tcId " << id;
                EXPECT_FALSE(opened) << "tcId " << id;
                EXPECT_EQ(pt, Bytes(v.ct.size(), 0)) << "tcId " << id << ": plaintext released";
                ++invalid;
            }
        }
    }
    std::cout << "Wycheproof aes_gcm_test.json: " << valid << " valid + " << invalid
              << " invalid vectors checked, " << skipped << " outside the ESP profile\n";
    RecordProperty("wycheproof_checked", valid + invalid);
    EXPECT_GT(valid, 0);
    EXPECT_GT(invalid, 0);
}

Vector to_vector(const CavpRecord& r) {
    auto get = [&](const char* k) {
        auto it = r.field.find(k);
        return it == r.field.end() ? Bytes{} : from_hex(it->second);
    };
    return Vector{get("Key"), get("IV"), get("AAD"), get("PT"), get("CT"), get("Tag")};
}

std::string cavp_file(const char* name) { return std::string(MPLSEC_CAVP_GCM_DIR) + "/" + name; }

class CavpGcm : public ::testing::TestWithParam<const char*> {};

TEST_P(CavpGcm, File) {
    if (std::string(MPLSEC_CAVP_GCM_DIR).empty())
        GTEST_SKIP() << "NIST CAVP GCM vectors not found at configure time: install the Debian package "
                        "python3-cryptography-vectors and re-run cmake";
    const std::string name = GetParam();
    const bool encrypt = name.find("Encrypt") != std::string::npos;
    const auto records = parse_rsp(cavp_file(name.c_str()));
    ASSERT_FALSE(records.empty());
    int pass = 0, fail_cases = 0;
    for (const auto& r : records) {
        if (!esp_profile(r)) continue;
        const Vector v = to_vector(r);
        const std::string where = name + " Keylen=" + r.section.at("Keylen") + " PTlen=" +
                                  r.section.at("PTlen") + " AADlen=" + r.section.at("AADlen") +
                                  " Count=" + r.field.at("Count");
        Bytes pt;
        const bool opened = model_open(v, &pt);
        if (r.fail) {
            ASSERT_FALSE(encrypt) << where;
            EXPECT_FALSE(opened) << where;
            ++fail_cases;
        } else {
            EXPECT_TRUE(opened) << where;
            EXPECT_EQ(to_hex(pt), to_hex(v.pt)) << where;
            std::string ct_hex, tag_hex;
            model_seal(v, &ct_hex, &tag_hex);
            EXPECT_EQ(ct_hex, to_hex(v.ct)) << where;
            EXPECT_EQ(tag_hex, to_hex(v.tag)) << where;
        }
        ++pass;
    }
    std::cout << "CAVP " << name << ": " << pass << " vectors (96-bit IV, 128-bit tag) checked, "
              << fail_cases << " of them FAIL cases\n";
    RecordProperty("cavp_checked", pass);
    EXPECT_GT(pass, 0);
}

INSTANTIATE_TEST_SUITE_P(Nist, CavpGcm,
                         ::testing::Values("gcmEncryptExtIV128.rsp", "gcmEncryptExtIV256.rsp",
                                           "gcmDecrypt128.rsp", "gcmDecrypt256.rsp"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                             std::string s = info.param;
                             return s.substr(0, s.find('.'));
                         });

}  // namespace
}  // namespace mplsec::hls_esp
