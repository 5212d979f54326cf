// Unit test of mplsec_policer: random punts of the three reasons over
// advancing time against a reference token bucket (the C-model's
// semantics: lazy refill of rate per 2^16-beat epoch, clamped to burst),
// configuration changes refilling a bucket, the reset state, and
// back-to-back punts of one reason (forwarding between the two stages).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <memory>
#include <random>

#include "Vmplsec_policer.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

struct RefBucket {
    uint64_t rate = 2, burst = 64, tokens = 64, epoch = 0;
    bool admit(uint64_t e) {
        if (e > epoch) {
            tokens = std::min<uint64_t>(burst, tokens + (e - epoch) * rate);
            epoch = e;
        }
        if (tokens == 0) return false;
        --tokens;
        return true;
    }
};

TEST(PolicerTest, MatchesReferenceBucket) {
    auto t = std::make_unique<Vmplsec_policer>();
    t->cfg_we_i = 0;
    t->req_i = 0;
    reset(*t);
    std::array<RefBucket, 3> ref;
    std::mt19937 rng(11);
    uint64_t epoch = 0;
    int admitted = 0, refused = 0;
    bool pending = false, expect = false;
    for (int c = 0; c < 200000; ++c) {
        t->cfg_we_i = 0;
        t->req_i = 0;
        if (c % 50000 == 25000) {
            const unsigned i = rng() % 3;
            t->cfg_we_i = 1;
            t->cfg_idx_i = i;
            t->cfg_rate_i = 1 + rng() % 5;
            t->cfg_burst_i = rng() % 10;
            ref[i].rate = t->cfg_rate_i;
            ref[i].burst = t->cfg_burst_i;
            ref[i].tokens = t->cfg_burst_i;
        } else if ((c + 1) % 50000 != 25000 && rng() % 3 != 0) {  // mostly back to back; none in flight at a config write
            if (rng() % 500 == 0) epoch += rng() % 50 == 0 ? (uint64_t{1} << 33) : 1 + rng() % 3;
            const unsigned i = rng() % 3;
            t->req_i = 1;
            t->req_idx_i = i;
            t->req_epoch_i = epoch;
            expect = ref[i].admit(epoch);
            pending = true;
        }
        tick(*t);
        // The answer comes the cycle after the request.
        t->req_i = 0;
        t->cfg_we_i = 0;
        t->eval();
        if (pending) {
            ASSERT_EQ(static_cast<bool>(t->admit_o), expect) << "cycle " << c;
            (expect ? admitted : refused)++;
            pending = false;
        } else {
            ASSERT_FALSE(t->admit_o);
        }
    }
    EXPECT_GT(admitted, 100);
    EXPECT_GT(refused, 100);
}

}  // namespace
}  // namespace mplsec::rtltest
