// Unit test of mplsec_replay_window against the spec's definition of
// acceptance (docs/datapath.md step 4.2): seq > T, or T - W < seq <= T and
// not seen before, never 0; with a set of seen numbers rather than a
// bitmap. Back-to-back checks of few SAs (forwarding), jumps small and
// past the 4096-bit ring, every window size incl. clamped fields, ESN
// inference around 2^32 boundaries (RFC 4303 A2.2), and restarts.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "Vmplsec_replay_window.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

uint64_t window_size(unsigned log2) { return uint64_t{1} << std::min(12u, std::max(6u, log2)); }

struct RefWindow {
    uint64_t top = 0;
    std::set<uint64_t> seen;

    bool check(uint64_t w, uint64_t seq) {
        if (seq == 0) return false;
        if (seq <= top && (top - seq >= w || seen.count(seq))) return false;
        seen.insert(seq);
        top = std::max(top, seq);
        return true;
    }
};

uint32_t ref_seq_hi(uint64_t top, uint64_t w, uint32_t lo) {
    const auto th = static_cast<uint32_t>(top >> 32), tl = static_cast<uint32_t>(top);
    const auto bottom = static_cast<uint32_t>(tl - static_cast<uint32_t>(w) + 1);
    if (tl >= w - 1) return lo >= bottom ? th : th + 1;
    return lo >= bottom ? th - 1 : th;
}

struct Expect {
    bool valid = false;
    bool ok = false;
    uint64_t seq = 0;
};

class ReplayWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vmplsec_replay_window>();
        t_->clear_i = 0;
        t_->infer_i = 0;
        t_->check_i = 0;
        reset(*t_);
    }

    // One cycle: what was driven goes in; answers due now are compared.
    void cycle(const Expect& check, const Expect& infer) {
        tick(*t_);
        t_->check_i = 0;
        t_->infer_i = 0;
        t_->clear_i = 0;
        checks_.push_back(check);
        infers_.push_back(infer);
        if (checks_.size() == 2) {
            const Expect c = checks_.front(), i = infers_.front();
            checks_.pop_front();
            infers_.pop_front();
            ASSERT_EQ(t_->check_valid_o, c.valid);
            if (c.valid) {
                ASSERT_EQ(t_->check_ok_o, c.ok) << "seq " << c.seq;
                ++checked_;
                accepted_ += c.ok;
            }
            ASSERT_EQ(t_->infer_valid_o, i.valid);
            if (i.valid) {
                ASSERT_EQ(t_->infer_seq_o, i.seq);
            }
        }
    }

    Expect drive_check(RefWindow& ref, unsigned sa, unsigned log2, uint64_t seq) {
        t_->check_i = 1;
        t_->check_sa_i = sa;
        t_->check_log2_i = log2;
        t_->check_seq_i = seq;
        return {true, ref.check(window_size(log2), seq), seq};
    }

    Expect drive_infer(const RefWindow& ref, unsigned sa, unsigned log2, bool esn, uint32_t lo) {
        t_->infer_i = 1;
        t_->infer_sa_i = sa;
        t_->infer_log2_i = log2;
        t_->infer_esn_i = esn;
        t_->infer_seq_lo_i = lo;
        const uint64_t hi = esn ? ref_seq_hi(ref.top, window_size(log2), lo) : 0;
        return {true, false, hi << 32 | lo};
    }

    void drain() {
        for (int i = 0; i < 2; ++i) cycle({}, {});
    }

    std::unique_ptr<Vmplsec_replay_window> t_;
    std::deque<Expect> checks_, infers_;
    uint64_t checked_ = 0, accepted_ = 0;
};

TEST_F(ReplayWindowTest, BackToBackChecksMatchTheDefinition) {
    std::mt19937_64 rng(3);
    constexpr unsigned kSas = 3;
    std::array<RefWindow, kSas> ref;
    std::array<unsigned, kSas> log2 = {6, 12, 9};
    for (int c = 0; c < 30000; ++c) {
        const unsigned sa = rng() % kSas;
        if (c % 10000 == 5000) log2[sa] = rng() % 16;  // a rewrite may change W; clamped fields too
        const uint64_t top = ref[sa].top;
        uint64_t seq;
        switch (rng() % 8) {
            case 0: seq = top + 1; break;
            case 1: seq = top + 1 + rng() % 100; break;
            case 2: seq = top + 4000 + rng() % 200; break;           // near and past the ring
            case 3: seq = top - std::min<uint64_t>(top, rng() % 80); break;
            case 4: seq = top - std::min<uint64_t>(top, rng() % 5000); break;
            case 5: seq = rng() % 4 == 0 ? 0 : top; break;
            case 6: seq = top + (rng() % 64 == 0 ? uint64_t{1} << 32 : 2); break;
            default: seq = top - std::min<uint64_t>(top, window_size(log2[sa]) - 1 + rng() % 3); break;
        }
        const Expect e = drive_check(ref[sa], sa, log2[sa], seq);
        cycle(e, {});
        if (HasFatalFailure()) return;
    }
    drain();
    EXPECT_EQ(checked_, 30000u);
    EXPECT_GT(accepted_, 8000u);
    EXPECT_LT(accepted_, 25000u);
}

TEST_F(ReplayWindowTest, EsnInferenceAroundTheWrap) {
    std::mt19937_64 rng(9);
    RefWindow ref;
    const unsigned log2 = 10;
    const uint64_t w = window_size(log2);
    // Walk T across several 2^32 boundaries; infer right after each check
    // (same cycle as its write) and for seq_lo values near both edges.
    // T climbs about 2000 in 1000 steps from 1500 below a boundary, then
    // jumps to 1500 below the next one.
    uint64_t t = (uint64_t{1} << 32) - 1500;
    uint64_t low_t = 0;
    for (int step = 0; step < 4000; ++step) {
        t += 1 + rng() % 3;
        if (step % 1000 == 999) t = (t | 0xffffffffu) + 1 + (uint64_t{1} << 32) - 1500;
        low_t += static_cast<uint32_t>(t) < w - 1;
        const Expect c = drive_check(ref, 1, log2, t);
        const uint32_t tl = static_cast<uint32_t>(ref.top);
        uint32_t lo;
        switch (rng() % 4) {
            case 0: lo = tl - static_cast<uint32_t>(w) + static_cast<uint32_t>(rng() % 3); break;
            case 1: lo = tl + static_cast<uint32_t>(rng() % 5000); break;
            case 2: lo = static_cast<uint32_t>(rng() % 3000); break;
            default: lo = static_cast<uint32_t>(rng()); break;
        }
        // The inference is issued one cycle after the check, so the check's
        // write is forwarded to it.
        cycle(c, {});
        const Expect i = drive_infer(ref, 1, log2, true, lo);
        cycle({}, i);
        if (HasFatalFailure()) return;
    }
    // Without ESN the high half is zero whatever T is.
    const Expect i = drive_infer(ref, 1, log2, false, 0x12345678);
    cycle({}, i);
    drain();
    EXPECT_EQ(checked_, 4000u);
    EXPECT_GT(low_t, 500u) << "the walk must spend time just past a boundary (Tl < W - 1)";
}

TEST_F(ReplayWindowTest, RestartEmptiesTheWindowAndWinsACollision) {
    RefWindow ref;
    cycle(drive_check(ref, 5, 6, 100), {});
    cycle(drive_check(ref, 5, 6, 100), {});  // replay
    drain();
    EXPECT_EQ(accepted_, 1u);
    // The check of 101 writes in the cycle the host restarts SA 5: the
    // restart wins, so afterwards 100 and 101 are both new again.
    cycle(drive_check(ref, 5, 6, 101), {});
    t_->clear_i = 1;
    t_->clear_sa_i = 5;
    tick(*t_);
    t_->clear_i = 0;
    checks_.clear();
    infers_.clear();
    tick(*t_);  // the verdict of 101 (accepted before the restart) leaves
    ref = RefWindow{};
    cycle(drive_check(ref, 5, 6, 101), {});
    cycle(drive_check(ref, 5, 6, 100), {});
    cycle(drive_check(ref, 5, 6, 100), {});
    drain();
    EXPECT_EQ(accepted_, 3u);  // 100, then 101 and 100 after the restart
}

// Inference while earlier packets are still on their way to their checks,
// as mplsec_esp_inbound drives it: a packet inferred "safe" must carry the
// number the inference would give at its own check, whatever the packets
// ahead of it did to T meanwhile. One that is not safe is inferred again
// once nothing is ahead of it (resync), which must be final; the packets
// behind it were inferred before that and are stale: each is inferred
// again (an ordinary inference) when it is the oldest, and no new packet
// is inferred until they all have been. Numbers walk across 2^32
// boundaries, jump, come late, and some are forged (never authentic, so
// never checked).
TEST_F(ReplayWindowTest, SpeculativeInferenceIsFinalWhenItSaysSo) {
    struct Packet {
        uint64_t intended;  // 0: forged
        uint32_t lo;
        uint64_t first = 0, inferred = 0;  // first inference, latest one
        bool answered = false, safe = false, first_safe = false, stale = false, resync = false;
    };
    std::mt19937_64 rng(21);
    const unsigned log2 = 6;
    const uint64_t w = window_size(log2);
    RefWindow ref;
    std::deque<Packet> flight;      // inferred and not yet checked, oldest first
    std::size_t base = 0;           // id of flight.front()
    std::deque<std::size_t> asked;  // ids whose answers are on their way
    uint64_t next = (uint64_t{1} << 32) - 300;
    unsigned safe = 0, unsafe = 0, caught = 0, resyncs = 0, reasks = 0, checks = 0;
    const auto ask = [&](std::size_t id, bool resync) {
        t_->infer_i = 1;
        t_->infer_resync_i = resync;
        t_->infer_sa_i = 2;
        t_->infer_esn_i = 1;
        t_->infer_log2_i = log2;
        t_->infer_seq_lo_i = flight[id - base].lo;
        asked.push_back(id);
    };
    for (int c = 0; c < 80000; ++c) {
        t_->infer_i = 0;
        t_->infer_resync_i = 0;
        t_->check_i = 0;
        bool port_busy = false;
        if (!flight.empty() && flight.front().answered) {
            Packet& head = flight.front();
            if (head.stale || !head.safe) {
                // Stale: ask again. Not safe: nothing is ahead of it now,
                // so resync; everything behind it becomes stale.
                const bool resync = !head.stale;
                head.answered = false;
                head.stale = false;
                head.resync = resync;
                if (resync) {
                    for (std::size_t i = 1; i < flight.size(); ++i) flight[i].stale = true;
                    ++resyncs;
                } else {
                    ++reasks;
                }
                ask(base, resync);
                port_busy = true;
            } else if (rng() % 2) {
                const uint64_t exact = uint64_t{ref_seq_hi(ref.top, w, head.lo)} << 32 | head.lo;
                ASSERT_EQ(head.inferred, exact) << "an inference said final changed before its check";
                caught += !head.first_safe && head.first != exact;
                if (exact == head.intended) {  // authentic: its ICV holds
                    t_->check_i = 1;
                    t_->check_sa_i = 2;
                    t_->check_log2_i = log2;
                    t_->check_seq_i = exact;
                    ref.check(w, exact);
                    ++checks;
                }
                flight.pop_front();
                ++base;
            }
        }
        const bool any_stale = std::any_of(flight.begin(), flight.end(), [](const Packet& p) { return p.stale; });
        if (!port_busy && !any_stale && flight.size() < 12 && rng() % 3) {
            uint64_t seq;
            const unsigned kind = rng() % 16;
            switch (kind) {
                case 0: seq = next + (uint64_t{1} << 31) + rng() % 1000; break;  // half way round
                case 1: seq = next - std::min<uint64_t>(next - 1, rng() % 100); break;  // late
                case 2: seq = next + 1000 + rng() % 3000; break;
                case 3: seq = rng(); break;  // forged: any seq_lo
                default: seq = next + 1 + rng() % 3; break;
            }
            if (kind != 3) next = std::max(next, seq);
            flight.push_back(Packet{kind == 3 ? 0 : seq, static_cast<uint32_t>(seq)});
            ask(base + flight.size() - 1, false);
        }
        tick(*t_);
        if (t_->infer_valid_o) {
            ASSERT_FALSE(asked.empty());
            const std::size_t id = asked.front();
            asked.pop_front();
            ASSERT_GE(id, base);
            Packet& p = flight[id - base];
            p.inferred = t_->infer_seq_o;
            p.safe = t_->infer_safe_o;
            p.answered = true;
            if (p.resync) {
                EXPECT_TRUE(p.safe) << "an inference with nothing ahead is final";
            } else if (p.first == 0) {
                p.first = p.inferred;
                p.first_safe = p.safe;
                (p.safe ? safe : unsafe) += 1;
            }
        }
    }
    std::printf("checks %u, first inferences safe %u, not safe %u (%u of them did change), resyncs %u, "
                "stale ones asked again %u\n", checks, safe, unsafe, caught, resyncs, reasks);
    EXPECT_GT(checks, 5000u);
    EXPECT_GT(safe, 2 * unsafe) << "mostly safe, even with one forgery in 16";
    EXPECT_GT(caught, 20u) << "packets whose number did change were held back";
    EXPECT_GT(resyncs, 50u);
    EXPECT_GT(reasks, 50u);
}

}  // namespace
}  // namespace mplsec::rtltest
