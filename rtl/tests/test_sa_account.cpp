// Unit test of mplsec_sa_account against a reference of docs/datapath.md
// "ESP" (Lifetimes, counters) and "Notes on ESP" (soft before hard, one
// hard event, exhausted once, events in order, full queue drops the
// newest): random steps one a cycle on a few SAs (so most hit an SA
// written the cycle before), restarts in between, the flags query, the
// host's counter reads and the event queue.
#include <gtest/gtest.h>

#include <array>
#include <deque>
#include <memory>
#include <random>

#include "Vmplsec_sa_account.h"
#include "mplsec/regs.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

enum Kind { kSent = 0, kAuth = 1, kReplay = 2, kPad = 3, kExhausted = 4 };

struct RefSa {
    std::array<uint64_t, 4> packets{}, bytes{};
    bool soft = false, stopped = false, exhausted = false;
};

struct Lifetime {
    uint64_t soft_bytes = 0, hard_bytes = 0, soft_packets = 0, hard_packets = 0;
};

bool reached(uint64_t p, uint64_t b, uint64_t lp, uint64_t lb) { return (lp && p >= lp) || (lb && b >= lb); }

uint32_t event_word(regs::EventCode code, uint32_t sa) { return static_cast<uint32_t>(code) << 24 | sa; }

class SaAccountTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vmplsec_sa_account>();
        t_->restart_i = 0;
        t_->acct_i = 0;
        t_->q_i = 0;
        t_->evt_pop_i = 0;
        t_->rd_i = 0;
        reset(*t_);
    }

    void step(RefSa& ref, uint32_t sa, Kind kind, uint32_t len, const Lifetime& life) {
        t_->acct_i = 1;
        t_->acct_kind_i = kind;
        t_->acct_sa_i = sa;
        t_->acct_len_i = len;
        regs::SaLifetimeEntry e;
        e.soft_bytes = life.soft_bytes;
        e.hard_bytes = life.hard_bytes;
        e.soft_packets = life.soft_packets;
        e.hard_packets = life.hard_packets;
        const auto w = e.pack();
        for (std::size_t i = 0; i < w.size(); ++i) t_->lifetime_i[i] = w[i];
        if (kind == kExhausted) {
            if (!ref.exhausted) events_.push_back(event_word(regs::EventCode::sa_seq_exhausted, sa));
            ref.exhausted = true;
            return;
        }
        ref.packets[kind] += 1;
        ref.bytes[kind] += len;
        if (kind != kSent) return;
        if (!ref.soft && reached(ref.packets[0], ref.bytes[0], life.soft_packets, life.soft_bytes)) {
            ref.soft = true;
            events_.push_back(event_word(regs::EventCode::sa_soft_lifetime, sa));
        }
        if (!ref.stopped && reached(ref.packets[0], ref.bytes[0], life.hard_packets, life.hard_bytes)) {
            ref.stopped = true;
            events_.push_back(event_word(regs::EventCode::sa_hard_lifetime, sa));
        }
    }

    void clock() {
        tick(*t_);
        t_->acct_i = 0;
        t_->restart_i = 0;
        t_->q_i = 0;
        t_->evt_pop_i = 0;
    }

    std::pair<uint64_t, uint64_t> read(uint32_t bank, uint32_t index) {
        t_->rd_i = 1;
        t_->rd_bank_i = bank;
        t_->rd_index_i = index;
        tick(*t_);
        t_->rd_i = 0;
        tick(*t_);
        return {t_->rd_packets_o, t_->rd_bytes_o};
    }

    std::vector<uint32_t> drain_events() {
        std::vector<uint32_t> got;
        while (t_->evt_valid_o) {
            got.push_back(t_->evt_o);
            t_->evt_pop_i = 1;
            clock();
        }
        return got;
    }

    std::unique_ptr<Vmplsec_sa_account> t_;
    std::vector<uint32_t> events_;
    std::size_t seen_ = 0, raised_ = 0;
};

TEST_F(SaAccountTest, StepsOneACycleMatchTheReference) {
    std::mt19937_64 rng(21);
    constexpr uint32_t kSas[] = {0, 7, 4095};
    std::array<RefSa, 3> ref;
    std::array<Lifetime, 3> life;
    for (int c = 0; c < 20000; ++c) {
        const unsigned i = rng() % 3;
        const uint32_t sa = kSas[i];
        if (rng() % 400 == 0) {  // the host rewrites the SA (and may change its lifetimes)
            t_->restart_i = 1;
            t_->restart_sa_i = sa;
            ref[i] = RefSa{};
            life[i].soft_packets = rng() % 3 ? 0 : 1 + rng() % 100;
            life[i].hard_packets = rng() % 3 ? 0 : life[i].soft_packets + rng() % 100;
            life[i].soft_bytes = rng() % 3 ? 0 : 1 + rng() % 200000;
            life[i].hard_bytes = rng() % 3 ? 0 : 1 + rng() % 400000;
            clock();
            continue;
        }
        const unsigned r = rng() % 20;
        const Kind kind = r < 14 ? kSent : r < 16 ? kAuth : r < 18 ? kReplay : r < 19 ? kPad : kExhausted;
        // The query sees every step up to and including this cycle's: a
        // frame one cycle behind another of its SA sees that frame's step.
        step(ref[i], sa, kind, 60 + rng() % 1500, life[i]);
        t_->q_i = 1;
        t_->q_sa_i = sa;
        clock();
        ASSERT_EQ(t_->q_stopped_o, ref[i].stopped) << "cycle " << c;
        ASSERT_EQ(t_->q_exhausted_o, ref[i].exhausted) << "cycle " << c;
        raised_ += events_.size() - seen_;
        seen_ = events_.size();
        if (t_->evt_count_o > 200) {
            const auto got = drain_events();
            ASSERT_GE(events_.size(), got.size());
            ASSERT_EQ(got, std::vector<uint32_t>(events_.begin(), events_.begin() + got.size()));
            events_.erase(events_.begin(), events_.begin() + got.size());
            seen_ = events_.size();
        }
    }
    clock();
    clock();
    for (unsigned i = 0; i < 3; ++i) {
        t_->q_i = 1;
        t_->q_sa_i = kSas[i];
        clock();
        EXPECT_EQ(t_->q_stopped_o, ref[i].stopped);
        EXPECT_EQ(t_->q_exhausted_o, ref[i].exhausted);
        for (unsigned b = 0; b < 4; ++b) {
            const auto [p, by] = read(static_cast<uint32_t>(regs::CounterBank::sa) + b, kSas[i]);
            EXPECT_EQ(p, ref[i].packets[b]) << "sa " << kSas[i] << " bank " << b;
            EXPECT_EQ(by, ref[i].bytes[b]);
        }
    }
    EXPECT_EQ(drain_events(), events_);
    EXPECT_GT(raised_, 40u);
    EXPECT_EQ(read(static_cast<uint32_t>(regs::CounterBank::route), 7), std::make_pair(uint64_t{0}, uint64_t{0}));
}

TEST_F(SaAccountTest, SoftAndHardOfOnePacketInOrderAndOnlyOnce) {
    RefSa ref;
    Lifetime life;
    life.soft_packets = 3;
    life.hard_packets = 3;
    for (int i = 0; i < 5; ++i) {
        step(ref, 9, kSent, 100, life);
        clock();
    }
    clock();
    ASSERT_EQ(events_.size(), 2u);
    EXPECT_EQ(drain_events(), events_);
    t_->q_i = 1;
    t_->q_sa_i = 9;
    clock();
    EXPECT_TRUE(t_->q_stopped_o);
    // A restart in the very cycle of a step's write wins.
    step(ref, 9, kSent, 100, life);
    clock();
    t_->restart_i = 1;
    t_->restart_sa_i = 9;
    clock();
    EXPECT_EQ(read(static_cast<uint32_t>(regs::CounterBank::sa), 9), std::make_pair(uint64_t{0}, uint64_t{0}));
}

TEST_F(SaAccountTest, AFullQueueDropsTheNewest) {
    RefSa refs[300];
    Lifetime life;
    life.soft_packets = 1;
    for (uint32_t sa = 0; sa < 300; ++sa) {
        step(refs[sa], sa, kSent, 64, life);
        clock();
    }
    clock();
    EXPECT_EQ(t_->evt_count_o, 256u);
    const auto got = drain_events();
    ASSERT_EQ(got.size(), 256u);
    EXPECT_EQ(got, std::vector<uint32_t>(events_.begin(), events_.begin() + 256));
}

}  // namespace
}  // namespace mplsec::rtltest
