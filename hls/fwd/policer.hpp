// Token-bucket policer, one bucket per punt reason (docs/datapath.md,
// "Policer"). Time is in datapath cycles; `rate` tokens arrive every 2^16
// cycles so the hardware needs no divider.
#pragma once

#include <algorithm>
#include <cstdint>

namespace mplsec::hls_fwd {

constexpr int kPolicerEpochBits = 16;
// Reset values: 2 tokens every 2^16 cycles is about 9,800 frames/s at
// 322.27 MHz, with a burst of 64 frames.
constexpr uint32_t kPolicerResetRate = 2;
constexpr uint32_t kPolicerResetBurst = 64;

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
