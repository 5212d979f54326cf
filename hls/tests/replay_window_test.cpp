// The anti-replay window and ESN inference (hls/fwd/replay_window.hpp)
// against their definitions: a set of seen numbers with the exact
// acceptance rule of docs/datapath.md 4.2, and RFC 4303 appendix A2.2.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "replay_window.hpp"

namespace mplsec::hls_fwd {
namespace {

// The definition: accept iff seq > T, or T - W < seq <= T and unseen;
// seq 0 never.
class ReferenceWindow {
public:
    explicit ReferenceWindow(uint64_t w) : w_(w) {}
    bool acceptable(uint64_t seq) const {
        if (seq == 0) return false;
        if (seq > top_) return true;
        if (top_ >= w_ && seq <= top_ - w_) return false;
        return seen_.count(seq) == 0;
    }
    void mark(uint64_t seq) {
        seen_.insert(seq);
        if (seq > top_) top_ = seq;
    }

private:
    uint64_t w_;
    uint64_t top_ = 0;
    std::set<uint64_t> seen_;
};

TEST(ReplayWindow, WindowSizeIsClampedTo64Through4096) {
    EXPECT_EQ(replay_window_size(0), 64u);
    EXPECT_EQ(replay_window_size(6), 64u);
    EXPECT_EQ(replay_window_size(10), 1024u);
    EXPECT_EQ(replay_window_size(12), 4096u);
    EXPECT_EQ(replay_window_size(15), 4096u);
}

TEST(ReplayWindow, EqualsTheDefinitionOnRandomTrafficForEveryWindowSize) {
    for (uint32_t log2 = kReplayMinLog2; log2 <= kReplayMaxLog2; ++log2) {
        const uint64_t w = replay_window_size(log2);
        std::mt19937_64 rng(log2);
        ReplayWindow window;
        ReferenceWindow reference(w);
        uint64_t head = 1;
        int accepted = 0, seen = 0, too_old = 0;
        std::vector<uint64_t> recent;  // the last 32 accepted, for replays
        for (int i = 0; i < 60000; ++i) {
            // Mostly near the top (in order, reordered, replayed, just
            // outside), sometimes a jump ahead of any size.
            uint64_t seq;
            switch (rng() % 8) {
                case 0: seq = head + rng() % (3 * w); break;
                case 1: seq = head + (rng() % 16 == 0 ? uint64_t{1} << (rng() % 40) : 1); break;
                case 2: seq = head > 2 * w ? head - w - rng() % 3 : rng() % (head + 1); break;  // at the left edge
                case 3:
                case 4: seq = recent.empty() ? head : recent[rng() % recent.size()]; break;  // a replay
                default: seq = head > w ? head - rng() % (w + 2) : rng() % (head + 1); break;
            }
            const bool want = reference.acceptable(seq);
            ASSERT_EQ(replay_acceptable(window, w, seq), want) << "W " << w << " seq " << seq << " step " << i;
            accepted += want;
            seen += !want && seq > head - std::min(head, w);
            too_old += !want && seq <= head - std::min(head, w);
            if (want) {
                recent.push_back(seq);
                if (recent.size() > 32) recent.erase(recent.begin());
                replay_mark(window, seq);
                reference.mark(seq);
                head = std::max(head, seq);
            }
        }
        // The traffic must exercise every outcome, not only acceptance.
        EXPECT_GT(accepted, 5000) << "W " << w;
        EXPECT_GT(seen, 2000) << "W " << w;
        EXPECT_GT(too_old, 1000) << "W " << w;
    }
}

TEST(ReplayWindow, AJumpOfManyBlocksForgetsEverythingBehindIt) {
    ReplayWindow window;
    const uint64_t w = 4096;
    for (uint64_t s = 1; s <= 5000; ++s) replay_mark(window, s);
    replay_mark(window, 5000 + 100000);
    EXPECT_TRUE(replay_acceptable(window, w, 105000 - 4095)) << "inside the new window, never seen";
    EXPECT_FALSE(replay_acceptable(window, w, 105000 - 4096)) << "left of it";
    EXPECT_FALSE(replay_acceptable(window, w, 105000));
}

// RFC 4303 A2.2, both cases, at and around the 2^32 boundary.
TEST(EsnInference, FollowsRfc4303AppendixA2) {
    const uint64_t w = 64;
    // Case A: the window lies in one 2^32 subspace.
    EXPECT_EQ(infer_seq_hi(uint64_t{5} << 32 | 1000, w, 990), 5u) << "inside the window";
    EXPECT_EQ(infer_seq_hi(uint64_t{5} << 32 | 1000, w, 2000), 5u) << "ahead";
    EXPECT_EQ(infer_seq_hi(uint64_t{5} << 32 | 1000, w, 10), 6u) << "below the window: the next subspace";
    EXPECT_EQ(infer_seq_hi(uint64_t{5} << 32 | 0xffffffff, w, 3), 6u) << "wrapped";
    // Case B: the window spans two subspaces (Tl < W - 1).
    EXPECT_EQ(infer_seq_hi(uint64_t{6} << 32 | 10, w, 0xfffffff0u), 5u) << "the previous subspace";
    EXPECT_EQ(infer_seq_hi(uint64_t{6} << 32 | 10, w, 5), 6u);
    EXPECT_EQ(infer_seq_hi(uint64_t{6} << 32 | 10, w, 500), 6u);
    // A fresh SA: T = 0, Th - 1 wraps modulo 2^32.
    EXPECT_EQ(infer_seq_hi(0, w, 1), 0u);
    EXPECT_EQ(infer_seq_hi(0, w, 0xffffffffu), 0xffffffffu);
}

}  // namespace
}  // namespace mplsec::hls_fwd
