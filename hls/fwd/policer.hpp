// Token-bucket policer, one bucket per punt reason (docs/datapath.md,
// "Policer"). Time is in datapath cycles; `rate` tokens arrive every 2^16
// cycles so the hardware needs no divider.
#pragma once

#include <algorithm>
#include <cstdint>

#include "mplsec/regs.hpp"

namespace mplsec::hls_fwd {

constexpr int kPolicerEpochBits = 16;
// Reset values come from the register map (punt.POLICER_RATE/BURST).
constexpr uint32_t kPolicerResetRate = regs::punt::kPolicerRateReset;
constexpr uint32_t kPolicerResetBurst = regs::punt::kPolicerBurstReset;

class TokenBucket {
public:
    void configure(uint32_t rate, uint32_t burst) {
        rate_ = rate;
        burst_ = burst;
        tokens_ = burst;
    }

    // True when a frame at cycle `now` may pass; takes its token.
    bool admit(uint64_t now) {
        const uint64_t epoch = now >> kPolicerEpochBits;
        if (epoch > epoch_) {
            const uint64_t refill = (epoch - epoch_) * rate_;
            tokens_ = static_cast<uint32_t>(std::min<uint64_t>(burst_, tokens_ + refill));
            epoch_ = epoch;
        }
        if (tokens_ == 0) return false;
        --tokens_;
        return true;
    }

private:
    uint32_t rate_ = 0;
    uint32_t burst_ = 0;
    uint32_t tokens_ = 0;
    uint64_t epoch_ = 0;
};

}  // namespace mplsec::hls_fwd
