// Unit test of mplsec_gcm_share (through tb_esp_units): outbound and
// inbound frames offered at once to the encrypt and the decrypt unit,
// which share one AES-GCM core; every encrypted frame and every decrypted
// text (with its verdict) must come out as when each unit has a core of
// its own, with output backpressure on both sides.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "Vtb_esp_units.h"
#include "esp_tb_util.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;

TEST(EspUnitsTest, EncryptAndDecryptShareTheCore) {
    auto t = std::make_unique<Vtb_esp_units>();
    t->buf_we_i = 0;
    t->key_wr_i = 0;
    t->job_valid_i = 0;
    t->d_job_valid_i = 0;
    t->m_ready_i = 1;
    t->p_ready_i = 1;
    reset(*t);
    const std::vector<GcmKey> keys = install_keys(*t, 4, 77);
    std::mt19937 rng(41);

    // Frames of both directions laid out one after the other in the buffer.
    std::vector<EncJob> enc;
    std::vector<std::pair<EspPayload, uint32_t>> dec;  // payload, base
    const Flaw flaws[] = {Flaw::none, Flaw::none, Flaw::icv, Flaw::pad_byte};
    uint32_t base = 0;
    for (int i = 0; i < 24; ++i) {
        enc.push_back(make_enc_job(rng, keys, base, i % 7 == 0 ? 3000 : 20 + rng() % 600, 0));
        store_frame(*t, enc.back().frame, base, kBufBeats);
        base = (base + static_cast<uint32_t>((enc.back().frame.size() + 63) / 64)) % kBufBeats;
        const std::size_t inner = i % 5 == 0 ? 2500 : 20 + rng() % 600;
        EspPayload p = make_esp_payload(rng, keys, inner, (4 - (inner + 2) % 4) % 4, flaws[i % 4]);
        store_frame(*t, p.frame, base, kBufBeats);
        dec.emplace_back(std::move(p), base);
        base = (base + static_cast<uint32_t>((dec.back().first.frame.size() + 63) / 64)) % kBufBeats;
    }

    std::size_t e_next = 0, d_next = 0, e_done = 0, d_done = 0;
    Bytes e_got, d_got;
    for (uint64_t cycle = 0; e_done < enc.size() || d_done < dec.size(); ++cycle) {
        ASSERT_LT(cycle, 1'000'000u) << "no progress: " << e_done << " encrypted, " << d_done << " decrypted";
        t->job_valid_i = e_next < enc.size();
        if (e_next < enc.size()) drive_encrypt_job(*t, enc[e_next]);
        t->d_job_valid_i = d_next < dec.size();
        if (d_next < dec.size()) {
            const auto& [p, b] = dec[d_next];
            t->d_job_sa_i = p.sa;
            set_be(t->d_job_nonce_i, p.nonce, 96);
            set_be(t->d_job_aad_i, p.aad, 96);
            t->d_job_aad12_i = p.aad.size() == 12;
            t->d_job_buf_base_i = b;
            t->d_job_ct_off_i = p.ct_off;
            t->d_job_ct_len_i = p.ct_len;
        }
        t->m_ready_i = rng() % 4 != 0;
        t->p_ready_i = rng() % 5 != 0;
        t->clk_i = 0;
        t->eval();
        const bool e_pop = t->job_valid_i && t->job_pop_o, d_pop = t->d_job_valid_i && t->d_job_pop_o;
        auto take = [](auto& data, uint64_t keep, Bytes& into) {
            const int n = keep == ~uint64_t{0} ? 64 : __builtin_popcountll(keep);
            for (int i = 0; i < n; ++i) into.push_back(get_byte(data, i));
        };
        if (t->m_valid_o && t->m_ready_i) {
            take(t->m_data_o, t->m_keep_o, e_got);
            if (t->m_last_o) {
                ASSERT_TRUE(e_got == enc[e_done].want) << "encrypted frame " << e_done;
                EXPECT_EQ(t->m_user_o, enc[e_done].user);
                e_got.clear();
                ++e_done;
            }
        }
        if (t->p_valid_o && t->p_ready_i) {
            take(t->p_data_o, t->p_keep_o, d_got);
            if (t->p_last_o) {
                const EspPayload& p = dec[d_done].first;
                ASSERT_TRUE(d_got == p.plain) << "decrypted frame " << d_done;
                EXPECT_EQ(t->p_auth_ok_o, p.auth_ok) << "decrypted frame " << d_done;
                EXPECT_EQ(t->p_pad_ok_o, p.pad_ok) << "decrypted frame " << d_done;
                d_got.clear();
                ++d_done;
            }
        }
        t->clk_i = 1;
        t->eval();
        e_next += e_pop;
        d_next += d_pop;
    }
}

}  // namespace
}  // namespace mplsec::rtltest
