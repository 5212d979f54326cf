// Top of the forwarding kernel: AXI4-Stream in, AXI4-Stream out (ports and
// punts, told apart by tuser), tables in card memory. For Vitis HLS this is
// the kernel function; for g++ it is the golden model the RTL is checked
// against.
#pragma once

#include <array>

#include "fwd_types.hpp"
#include "policer.hpp"

namespace mplsec::hls_fwd {

constexpr int kNumPuntReasons = 3;

// State the kernel keeps between calls: counters, policers and the beat
// clock that times punts.
struct KernelState {
    Counters counters;
    std::array<TokenBucket, kNumPuntReasons> policers;
    uint64_t beat_clock = 0;  // beats accepted so far
};

// Sizes the tables and counters from the register map.
void init_tables(Tables& tables);
void init_state(KernelState& state);

// Table write/read through the window semantics: false if `index` is out
// of range for the table (STATUS bit 0 on the card).
bool write_table(Tables& tables, regs::TableId table, uint32_t index, const uint32_t* words);
bool read_table(const Tables& tables, regs::TableId table, uint32_t index, uint32_t* words);

// Consumes every whole frame waiting on `in` and writes the results to
// `out`.
void mplsec_fwd(hls::stream<AxisBeat>& in, hls::stream<AxisBeat>& out, const Tables& tables,
                KernelState& state);

}  // namespace mplsec::hls_fwd
