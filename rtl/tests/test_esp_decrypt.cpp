// Unit test of mplsec_esp_decrypt with the AES-GCM core (through
// tb_esp_inbound, watching what the unit hands the hold): ESP payloads built with OpenSSL — good ones, a flipped
// ciphertext or ICV byte, wrong pad bytes, a pad length past the text, a
// text length not a multiple of 4, up to 255 pad bytes over several beats,
// ciphertext at any offset of the frame and any length, the ICV in the
// last ciphertext beat, straddling, or in a beat of its own — back to
// back, with and without backpressure. Every frame's plaintext must be the
// decryption of its ciphertext and its verdict what the bytes say.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "Vtb_esp_inbound.h"
#include "esp_tb_util.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;

struct Job {
    EspPayload p;
    uint32_t base = 0;
};

class EspDecryptTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_esp_inbound>();
        t_->clear_i = 0;
        t_->buf_we_i = 0;
        t_->key_wr_i = 0;
        t_->job_valid_i = 0;
        t_->m_ready_i = 1;
        reset(*t_);
        keys_ = install_keys(*t_, 4, 7);
        ASSERT_FALSE(t_->key_busy_o);
    }

    Job make_job(std::mt19937& rng, uint32_t base, std::size_t inner_len, unsigned pad, Flaw flaw) {
        return {make_esp_payload(rng, keys_, inner_len, pad, flaw), base};
    }

    // Sequence numbers only grow, so the hold's replay check passes every
    // authentic frame; the checks here are on the unit's output.
    void run(const std::vector<Job>& jobs, unsigned stall_pct, std::mt19937& rng) {
        std::size_t index = 0;
        Bytes got;
        run_jobs(
            *t_, jobs, 0, stall_pct, rng,
            [&](const Job& j) {
                drive_decrypt_job(*t_, j.p, j.base);
                t_->job_seq_i = ++seq_;
                t_->job_replay_log2_i = 12;
                t_->job_frame_len_i = static_cast<uint32_t>(j.p.frame.size());
            },
            [](std::size_t, const Bytes&) { return true; },
            [&] {
                if (!t_->p_take_o || HasFailure()) return;
                const uint64_t keep = t_->p_keep_o;
                const int n = keep == ~uint64_t{0} ? 64 : __builtin_popcountll(keep);
                for (int i = 0; i < n; ++i) got.push_back(get_byte(t_->p_data_o, i));
                if (!t_->p_last_o) return;
                ASSERT_LT(index, jobs.size());
                const EspPayload& j = jobs[index].p;
                const std::string what = "frame " + std::to_string(index) + " ct_len " + std::to_string(j.ct_len) +
                                         " ct_off " + std::to_string(j.ct_off);
                EXPECT_TRUE(got == j.plain) << what;
                EXPECT_EQ(t_->p_auth_ok_o, j.auth_ok) << what;
                EXPECT_EQ(t_->p_pad_ok_o, j.pad_ok) << what;
                EXPECT_EQ(t_->p_next_hdr_o, j.next_hdr) << what;
                if (j.pad_ok) {
                    EXPECT_EQ(t_->p_text_len_o, j.text_len) << what;
                }
                got.clear();
                ++index;
            });
        EXPECT_EQ(index, jobs.size());
    }

    void add(std::vector<Job>& jobs, uint32_t& base, Job j) {
        store_frame(*t_, j.p.frame, base, kBufBeats);
        base = (base + static_cast<uint32_t>((j.p.frame.size() + 63) / 64)) % kBufBeats;
        jobs.push_back(std::move(j));
    }

    std::unique_ptr<Vtb_esp_inbound> t_;
    std::vector<GcmKey> keys_;
    uint64_t seq_ = 0;
};

TEST_F(EspDecryptTest, GoodAndHostilePayloadsBackToBack) {
    std::mt19937 rng(11);
    const Flaw flaws[] = {Flaw::none, Flaw::none, Flaw::ciphertext, Flaw::icv, Flaw::pad_byte, Flaw::pad_len,
                          Flaw::odd_length};
    for (int round = 0; round < 3; ++round) {
        std::vector<Job> jobs;
        uint32_t base = 990;
        for (int i = 0; i < 14; ++i) {
            const std::size_t inner = i == 6 ? 8900 : 20 + rng() % 1500;
            const unsigned pad = (4 - (inner + 2) % 4) % 4 + (rng() % 3 == 0 ? 4 * (rng() % 60) : 0);
            add(jobs, base, make_job(rng, base, inner, pad, flaws[(i + round) % 7]));
        }
        run(jobs, round == 2 ? 30 : 0, rng);
        if (HasFailure()) return;
    }
}

TEST_F(EspDecryptTest, EveryTextEndAndTheLongestPadding) {
    // Ciphertext lengths ending at every lane (the ICV inside, straddling,
    // or after the last ciphertext beat), with 255 pad bytes over five
    // beats, then short texts without padding.
    std::mt19937 rng(12);
    std::vector<Job> jobs;
    uint32_t base = 0;
    for (unsigned end = 0; end < 64; end += 4) add(jobs, base, make_job(rng, base, 67 + end, 255, Flaw::none));
    for (unsigned end = 2; end < 64; end += 4) add(jobs, base, make_job(rng, base, 128 + end - 2, 0, Flaw::none));
    run(jobs, 0, rng);
}

}  // namespace
}  // namespace mplsec::rtltest
