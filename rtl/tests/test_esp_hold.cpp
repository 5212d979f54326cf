// Unit test of mplsec_esp_hold on the inbound payload path (through
// tb_esp_inbound: decrypt unit, AES-GCM core, hold, replay window):
// OpenSSL-built payloads with flaws and sequence numbers that repeat, go
// stale or are 0, on a few SAs with small windows, back to back with and
// without backpressure. The verdicts must come in frame order with the
// spec's precedence (ICV, then replay — the window moving for authentic
// packets only —, then padding, then next header), and only accepted
// frames may leave, as the text before their padding.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include "Vtb_esp_inbound.h"
#include "esp_tb_util.hpp"
#include "mplsec/regs.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;
constexpr unsigned kLog2 = 6;  // W = 64

struct Job {
    EspPayload p;
    uint32_t base = 0;
    uint64_t seq = 0;
    uint32_t frame_len = 0;
};

struct Verdict {
    bool accept = false;
    uint32_t reason = 0;
    uint32_t frame_len = 0;
    bool operator==(const Verdict& o) const {
        return accept == o.accept && frame_len == o.frame_len && (accept || reason == o.reason);
    }
};

struct RefWindow {
    uint64_t top = 0;
    std::set<uint64_t> seen;
    bool check(uint64_t seq) {
        const uint64_t w = uint64_t{1} << kLog2;
        if (seq == 0 || (seq <= top && (top - seq >= w || seen.count(seq)))) return false;
        seen.insert(seq);
        top = std::max(top, seq);
        return true;
    }
};

class EspHoldTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_esp_inbound>();
        t_->buf_we_i = 0;
        t_->key_wr_i = 0;
        t_->job_valid_i = 0;
        t_->clear_i = 0;
        t_->m_ready_i = 1;
        reset(*t_);
        keys_ = install_keys(*t_, 3, 8);
        ASSERT_FALSE(t_->key_busy_o);
    }

    // The verdict the spec gives, updating the reference window.
    Verdict expect(const Job& j) {
        using regs::Reason;
        Verdict v;
        v.frame_len = j.frame_len;
        if (!j.p.auth_ok) v.reason = static_cast<uint32_t>(Reason::esp_auth_failed);
        else if (!windows_[j.p.sa].check(j.seq)) v.reason = static_cast<uint32_t>(Reason::esp_replay);
        else if (!j.p.pad_ok) v.reason = static_cast<uint32_t>(Reason::esp_bad_padding);
        else if (j.p.next_hdr != 4 && j.p.next_hdr != 41) v.reason = static_cast<uint32_t>(Reason::bad_frame);
        else v.accept = true;
        return v;
    }

    void run(const std::vector<Job>& jobs, unsigned stall_pct, std::mt19937& rng) {
        std::vector<Verdict> want;
        std::vector<Bytes> accepted;
        for (const Job& j : jobs) {
            want.push_back(expect(j));
            replays_ += want.back().reason == static_cast<uint32_t>(regs::Reason::esp_replay);
            accepts_ += want.back().accept;
            if (want.back().accept) accepted.emplace_back(j.p.plain.begin(), j.p.plain.begin() + j.p.text_len);
        }
        std::vector<Verdict> got;
        run_jobs(
            *t_, jobs, accepted.size(), stall_pct, rng,
            [&](const Job& j) {
                drive_decrypt_job(*t_, j.p, j.base);
                t_->job_seq_i = j.seq;
                t_->job_replay_log2_i = kLog2;
                t_->job_frame_len_i = j.frame_len;
            },
            [&](std::size_t index, const Bytes& bytes) {
                EXPECT_TRUE(bytes == accepted[index]) << "accepted frame " << index;
                return bytes == accepted[index];
            },
            [&] {
                if (t_->v_valid_o) got.push_back({static_cast<bool>(t_->v_accept_o), t_->v_reason_o, t_->v_frame_len_o});
            });
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            EXPECT_TRUE(got[i] == want[i]) << "verdict " << i << ": accept " << got[i].accept << " reason "
                                           << got[i].reason << ", want accept " << want[i].accept << " reason "
                                           << want[i].reason;
    }

    std::unique_ptr<Vtb_esp_inbound> t_;
    std::vector<GcmKey> keys_;
    std::array<RefWindow, 3> windows_;
    int replays_ = 0, accepts_ = 0;  // verdicts expected so far
};

TEST_F(EspHoldTest, VerdictsInOrderAndOnlyAcceptedFramesLeave) {
    std::mt19937 rng(31);
    const Flaw flaws[] = {Flaw::none, Flaw::none, Flaw::none, Flaw::ciphertext, Flaw::icv,
                          Flaw::pad_byte, Flaw::odd_length, Flaw::next_header};
    std::array<uint64_t, 3> next_seq = {1, 1, 1};
    for (int round = 0; round < 3; ++round) {
        std::vector<Job> jobs;
        uint32_t base = 900;
        for (int i = 0; i < 40; ++i) {
            const std::size_t inner = i % 13 == 0 ? 6000 : 20 + rng() % 700;
            const unsigned pad = (4 - (inner + 2) % 4) % 4 + (rng() % 4 == 0 ? 4 * (rng() % 20) : 0);
            Job j;
            j.p = make_esp_payload(rng, keys_, inner, pad, flaws[rng() % 8]);
            j.base = base;
            uint64_t& n = next_seq[j.p.sa];
            switch (rng() % 6) {
                case 0: j.seq = n > 3 ? n - 1 - rng() % 3 : 0; break;   // replayed, or 0
                case 1: j.seq = n > 100 ? n - 80 : n; break;             // left of the window
                default: j.seq = n++; break;
            }
            j.frame_len = static_cast<uint32_t>(j.p.frame.size());
            store_frame(*t_, j.p.frame, base, kBufBeats);
            base = (base + static_cast<uint32_t>((j.p.frame.size() + 63) / 64)) % kBufBeats;
            jobs.push_back(std::move(j));
        }
        run(jobs, round == 1 ? 40 : 0, rng);
        if (HasFailure()) return;
    }
    EXPECT_GT(accepts_, 25);
    EXPECT_GT(replays_, 10);
}

}  // namespace
}  // namespace mplsec::rtltest
