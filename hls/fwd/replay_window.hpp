// Anti-replay window of an inbound SA (RFC 4303 3.4.3, bitmap of RFC 6479)
// and the ESN high-half inference of RFC 4303 appendix A2.2
// (docs/datapath.md, step 4.2 and "Notes on ESP").
//
// The bitmap is a ring of 128 blocks of 64 bits indexed by seq >> 6: a
// slide clears whole blocks, never shifts bits, so a new top costs at most
// one block clear per block passed (one cycle a block on the card, all 128
// at once when the jump is that large). 128 blocks hold any window up to
// 4096 plus the partial block at each end; "too old" is decided from the
// top T and the size W, so acceptance is exact for every W from 64 to 4096.
#pragma once

#include <cstdint>

namespace mplsec::hls_fwd {

constexpr int kReplayBlockBits = 6;  // 64 sequence numbers a block
constexpr uint32_t kReplayBlocks = 128;
constexpr uint32_t kReplayMinLog2 = 6;
constexpr uint32_t kReplayMaxLog2 = 12;

struct ReplayWindow {
    uint64_t top = 0;  // T: highest authentic sequence number seen (0: none)
    uint64_t blocks[kReplayBlocks] = {};
};

// W = 2^replay_log2, the field clamped to 6..12.
inline uint64_t replay_window_size(uint32_t replay_log2) {
    const uint32_t log2 = replay_log2 < kReplayMinLog2   ? kReplayMinLog2
                          : replay_log2 > kReplayMaxLog2 ? kReplayMaxLog2
                                                         : replay_log2;
    return uint64_t{1} << log2;
}

// RFC 4303 A2.2: the high half of the 64-bit sequence number a packet
// carrying `seq_lo` has, given the window top T and size W. All arithmetic
// modulo 2^32.
inline uint32_t infer_seq_hi(uint64_t top, uint64_t w, uint32_t seq_lo) {
    const auto th = static_cast<uint32_t>(top >> 32);
    const auto tl = static_cast<uint32_t>(top);
    const auto bottom = static_cast<uint32_t>(tl - static_cast<uint32_t>(w) + 1);  // Tl - W + 1 mod 2^32
    if (tl >= w - 1) return seq_lo >= bottom ? th : th + 1;
    return seq_lo >= bottom ? th - 1 : th;
}

inline uint32_t replay_block(uint64_t seq) { return static_cast<uint32_t>(seq >> kReplayBlockBits) % kReplayBlocks; }
inline uint64_t replay_bit(uint64_t seq) { return uint64_t{1} << (seq & 63); }

// True when `seq` may be accepted: not 0, not left of the window, not seen.
inline bool replay_acceptable(const ReplayWindow& win, uint64_t w, uint64_t seq) {
    if (seq == 0) return false;
    if (seq > win.top) return true;
    if (win.top >= w && seq <= win.top - w) return false;  // too old
    return (win.blocks[replay_block(seq)] & replay_bit(seq)) == 0;
}

// Marks an acceptable, authentic `seq` as seen; slides the window when it
// is the new top.
inline void replay_mark(ReplayWindow& win, uint64_t seq) {
    if (seq > win.top) {
        const uint64_t passed = (seq >> kReplayBlockBits) - (win.top >> kReplayBlockBits);
        const uint64_t clear = passed < kReplayBlocks ? passed : kReplayBlocks;
        for (uint64_t i = 1; i <= clear; ++i) win.blocks[replay_block(win.top + (i << kReplayBlockBits))] = 0;
        win.top = seq;
    }
    win.blocks[replay_block(seq)] |= replay_bit(seq);
}

}  // namespace mplsec::hls_fwd
