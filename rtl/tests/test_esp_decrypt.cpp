// Unit test of mplsec_esp_decrypt with the AES-GCM core (through
// tb_esp_decrypt): ESP payloads built with OpenSSL — good ones, a flipped
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

#include "Vtb_esp_decrypt.h"
#include "esp_tb_util.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;

enum class Flaw { none, ciphertext, icv, pad_byte, pad_len, odd_length };

struct Job {
    uint32_t sa = 0;
    Bytes nonce, aad;
    uint32_t base = 0, ct_off = 0, ct_len = 0;
    Bytes frame;
    Bytes plain;  // what the core must give back
    bool auth_ok = true, pad_ok = true;
    uint8_t next_hdr = 0;
    uint32_t text_len = 0;
};

class EspDecryptTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_esp_decrypt>();
        t_->buf_we_i = 0;
        t_->key_wr_i = 0;
        t_->job_valid_i = 0;
        t_->m_ready_i = 1;
        reset(*t_);
        keys_ = install_keys(*t_, 4, 7);
        ASSERT_FALSE(t_->key_busy_o);
    }

    Job make_job(std::mt19937& rng, uint32_t base, std::size_t inner_len, unsigned pad, Flaw flaw) {
        Job j;
        j.sa = rng() % 4;
        j.nonce = random_bytes(rng, 12);
        j.aad = random_bytes(rng, rng() % 2 ? 12 : 8);
        j.base = base;
        j.ct_off = 20 + rng() % 172;
        Bytes text = random_bytes(rng, inner_len);
        for (unsigned i = 1; i <= pad; ++i) text.push_back(static_cast<uint8_t>(i));
        text.push_back(static_cast<uint8_t>(pad));
        text.push_back(rng() % 2 ? 4 : 41);
        if (flaw == Flaw::pad_byte && pad > 0) text[inner_len + rng() % pad] ^= 0x80;
        if (flaw == Flaw::pad_len) text[text.size() - 2] = static_cast<uint8_t>(text.size() - 1);
        if (flaw == Flaw::odd_length) text.insert(text.begin(), 0x45);
        Bytes ct = gcm_encrypt(keys_[j.sa], j.nonce, j.aad, text);
        j.ct_len = static_cast<uint32_t>(text.size());
        j.plain = text;
        if (flaw == Flaw::ciphertext) {
            const std::size_t at = rng() % j.ct_len;
            ct[at] ^= 0x01;
            j.plain[at] ^= 0x01;  // counter mode: the flip shows through
        }
        if (flaw == Flaw::icv) ct[j.ct_len + rng() % 16] ^= 0x10;
        j.frame = random_bytes(rng, j.ct_off);
        j.frame.insert(j.frame.end(), ct.begin(), ct.end());
        const Bytes tail = random_bytes(rng, rng() % 30);
        j.frame.insert(j.frame.end(), tail.begin(), tail.end());

        j.auth_ok = flaw != Flaw::ciphertext && flaw != Flaw::icv;
        const uint8_t pad_len = j.plain[j.ct_len - 2];
        j.pad_ok = j.ct_len % 4 == 0 && pad_len + 2u <= j.ct_len;
        for (unsigned i = 1; j.pad_ok && i <= pad_len; ++i) j.pad_ok = j.plain[j.ct_len - 2 - pad_len + i - 1] == i;
        j.next_hdr = j.plain[j.ct_len - 1];
        j.text_len = j.ct_len - 2 - pad_len;
        return j;
    }

    void drive_job(const Job& j) {
        t_->job_sa_i = j.sa;
        set_be(t_->job_nonce_i, j.nonce, 96);
        set_be(t_->job_aad_i, j.aad, 96);
        t_->job_aad12_i = j.aad.size() == 12;
        t_->job_buf_base_i = j.base;
        t_->job_ct_off_i = j.ct_off;
        t_->job_ct_len_i = j.ct_len;
    }

    void run(const std::vector<Job>& jobs, unsigned stall_pct, std::mt19937& rng) {
        run_jobs(*t_, jobs, stall_pct, rng, [&](const Job& j) { drive_job(j); },
                 [&](std::size_t index, const Bytes& got) {
                     const Job& j = jobs[index];
                     const std::string what = "frame " + std::to_string(index) + " ct_len " +
                                              std::to_string(j.ct_len) + " ct_off " + std::to_string(j.ct_off);
                     EXPECT_TRUE(got == j.plain) << what;
                     EXPECT_EQ(t_->p_auth_ok_o, j.auth_ok) << what;
                     EXPECT_EQ(t_->p_pad_ok_o, j.pad_ok) << what;
                     EXPECT_EQ(t_->p_next_hdr_o, j.next_hdr) << what;
                     if (j.pad_ok) EXPECT_EQ(t_->p_text_len_o, j.text_len) << what;
                     return !::testing::Test::HasFailure();
                 });
    }

    void add(std::vector<Job>& jobs, uint32_t& base, Job j) {
        store_frame(*t_, j.frame, base, kBufBeats);
        base = (base + static_cast<uint32_t>((j.frame.size() + 63) / 64)) % kBufBeats;
        jobs.push_back(std::move(j));
    }

    std::unique_ptr<Vtb_esp_decrypt> t_;
    std::vector<GcmKey> keys_;
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
