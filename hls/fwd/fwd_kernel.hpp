// Top of the forwarding kernel: AXI4-Stream in, AXI4-Stream out (ports and
// punts, told apart by tuser), tables in card memory. For Vitis HLS the
// pointer form of mplsec_fwd is the kernel function (hls/README.md); for
// g++ it is the golden model the RTL is checked against, driven through
// the host-side helpers below.
#pragma once

#include <array>
#include <vector>

#include "fwd_types.hpp"
#include "policer.hpp"
#include "sa_state.hpp"

namespace mplsec::hls_fwd {

// The kernel top: one frame from `in` to `out` per call, as a dataflow of
// ingress -> decide -> ESP -> egress. On the card the call repeats back to
// back and consecutive frames overlap in the four stages. SA lifetime and
// sequence events go to the event ring (fwd_types.hpp, EventRing).
void mplsec_fwd(hls::stream<AxisBeat>& in, hls::stream<AxisBeat>& out,
                const PortWords port[kPortDepth], const IlmWords ilm[kIlmDepth],
                const NhlfeWords nhlfe[kNhlfeDepth], const NexthopWords nexthop[kNexthopDepth],
                const VrfWords vrf[kVrfDepth], const RouteWords route[kRouteDepth],
                const LocalAddrWords local_addr[kLocalAddrDepth], const Lpm4Words lpm4[kLpm4Slots],
                const Lpm6Words lpm6[kLpm6Slots], const SaWords sa[kSaDepth],
                const SaTunnelWords sa_tunnel[kSaDepth], const SaLifetimeWords sa_lifetime[kSaDepth],
                const SpiHashWords spi_hash[kSpiHashDepth], SaState sa_state[kSaDepth],
                Counter port_rx[kPortDepth], Counter port_tx[kPortDepth], Counter reason[kReasonSlots],
                Counter nhlfe_cnt[kNhlfeDepth], Counter route_cnt[kRouteDepth], Counter sa_cnt[kSaDepth],
                Counter sa_auth_failed[kSaDepth], Counter sa_replay[kSaDepth], Counter sa_bad_padding[kSaDepth],
                uint32_t event_ring[kEventRingSize], uint64_t* events_written, TokenBucket policers[kNumPuntReasons],
                uint64_t* beat_clock);

#ifndef __SYNTHESIS__
// --- Host side (C simulation, the model engine, tests) ----------------------

// State the kernel keeps between calls: counters, policers, the beat clock
// that times punts, the per-SA state and the events not yet taken.
struct KernelState {
    Counters counters;
    std::array<TokenBucket, kNumPuntReasons> policers;
    uint64_t beat_clock = 0;  // beats accepted so far
    FixedArray<SaState, kSaDepth> sa_state;
    FixedArray<uint32_t, kEventRingSize> event_ring;
    uint64_t events_written = 0;
    uint64_t events_taken = 0;  // by take_events()
};

// Events raised since the last call, oldest first (event_word()s).
std::vector<uint32_t> take_events(KernelState& state);

// Allocates (zeroed) the tables and counters, sized from the register map.
void init_tables(Tables& tables);
void init_state(KernelState& state);

TableRefs table_refs(const Tables& tables);
CounterRefs counter_refs(Counters& counters);

// Table write/read through the window semantics: false if `index` is out
// of range for the table (STATUS bit 0 on the card). A write of `sa`
// restarts the SA (sa_install); `sa_seq` is the live next_seq in the state.
bool write_table(Tables& tables, KernelState& state, regs::TableId table, uint32_t index, const uint32_t* words);
bool read_table(const Tables& tables, const KernelState& state, regs::TableId table, uint32_t index,
                uint32_t* words);

// Counter `index` of `bank`, or nullptr when out of range.
const Counter* find_counter(const Counters& counters, regs::CounterBank bank, uint32_t index);

// CONTROL.counter_clear: zeroes every counter bank, the SA banks included.
// The SA state (sequence numbers, replay windows) is not a counter and stays.
void clear_counters(Counters& counters);

// Runs the kernel over every whole frame waiting on `in`.
void mplsec_fwd(hls::stream<AxisBeat>& in, hls::stream<AxisBeat>& out, const Tables& tables,
                KernelState& state);
#endif

}  // namespace mplsec::hls_fwd
