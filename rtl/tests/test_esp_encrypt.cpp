// Unit test of mplsec_esp_encrypt with the AES-GCM core (through
// tb_esp_units, the decrypt unit idle): random outbound frames — customer packets at any offset
// of the packet buffer (across its wrap), lengths from 20 bytes to 9 KB,
// trailers of 2..5 bytes, headers in front of 36..120 bytes, AES-128 and
// AES-256, 8- and 12-byte AAD — queued back to back, with and without
// output backpressure; each frame sent must be the header, the OpenSSL
// AES-GCM ciphertext of packet || trailer, and its ICV.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "Vtb_esp_units.h"
#include "esp_tb_util.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;

using Job = EncJob;

class EspEncryptTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_esp_units>();
        t_->d_job_valid_i = 0;
        t_->p_ready_i = 1;
        t_->buf_we_i = 0;
        t_->key_wr_i = 0;
        t_->job_valid_i = 0;
        t_->m_ready_i = 1;
        reset(*t_);
        keys_ = install_keys(*t_, 4, 99);
        ASSERT_FALSE(t_->key_busy_o);
    }

    Job make_job(std::mt19937& rng, uint32_t base, std::size_t inner_len, std::size_t trailer_len = 0) {
        return make_enc_job(rng, keys_, base, inner_len, trailer_len);
    }

    void store(const Job& j) { store_frame(*t_, j.frame, j.base, kBufBeats); }

    void drive_job(const Job& j) { drive_encrypt_job(*t_, j); }

    // Offers the jobs back to back and checks the frames; returns cycles.
    uint64_t run(const std::vector<Job>& jobs, unsigned stall_pct, std::mt19937& rng) {
        return run_jobs(*t_, jobs, stall_pct, rng, [&](const Job& j) { drive_job(j); },
                        [&](std::size_t index, const Bytes& got) {
                            const Job& j = jobs[index];
                            EXPECT_EQ(t_->m_user_o, j.user);
                            std::size_t diff = 0;
                            while (diff < got.size() && diff < j.want.size() && got[diff] == j.want[diff]) ++diff;
                            EXPECT_TRUE(got == j.want)
                                << "first difference at byte " << diff << " of " << got.size() << ", frame " << index
                                << " sa " << j.sa << " inner " << j.inner_len << " hdr " << j.hdr.size()
                                << " trailer " << j.trailer.size() << " ip_off " << j.ip_off;
                            return got == j.want && t_->m_user_o == j.user;
                        });
    }

    std::unique_ptr<Vtb_esp_units> t_;
    std::vector<GcmKey> keys_;
};

TEST_F(EspEncryptTest, RandomFramesBackToBack) {
    std::mt19937 rng(5);
    for (int round = 0; round < 3; ++round) {
        std::vector<Job> jobs;
        uint32_t base = 1000 - round * 7;  // frames cross the buffer's wrap
        for (int i = 0; i < 12; ++i) {
            const std::size_t len = i == 5 ? 9000 : 20 + rng() % 1500;
            jobs.push_back(make_job(rng, base % kBufBeats, len));
            store(jobs.back());
            base += static_cast<uint32_t>((jobs.back().frame.size() + 63) / 64);
        }
        run(jobs, round == 2 ? 30 : 0, rng);
        if (HasFailure()) return;
    }
}

TEST_F(EspEncryptTest, EveryTextEndAroundTheIcvSpill) {
    // Text lengths (packet + trailer) that end at every lane of a beat,
    // so the ICV fits, straddles, or starts a beat of its own.
    std::mt19937 rng(6);
    std::vector<Job> jobs;
    uint32_t base = 0;
    for (uint32_t end = 0; end < 64; ++end) {
        const std::size_t trailer = 2 + end % 4;
        jobs.push_back(make_job(rng, base, 128 + end + 64 - trailer, trailer));
        store(jobs.back());
        base = (base + static_cast<uint32_t>((jobs.back().frame.size() + 63) / 64)) % kBufBeats;
    }
    run(jobs, 0, rng);
}

}  // namespace
}  // namespace mplsec::rtltest
