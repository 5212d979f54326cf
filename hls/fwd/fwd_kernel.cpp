#include "fwd_kernel.hpp"

#include <algorithm>

#include "esp_stage.hpp"
#include "forward.hpp"
#include "packet_path.hpp"

namespace mplsec::hls_fwd {
namespace {

// The m_axi depths in the pragmas below are literals (the pragma wants a
// number); these keep them equal to the register map.
static_assert(kIlmDepth == 1048576 && kNhlfeDepth == 65536 && kRouteDepth == 131072, "m_axi depth");
static_assert(kLpm4Slots == 5308416 && kLpm6Slots == 3080192, "m_axi depth");
static_assert(kPortDepth == 4 && kNexthopDepth == 4096 && kVrfDepth == 256 && kLocalAddrDepth == 16, "m_axi depth");
static_assert(kReasonSlots == 256 && kNumPuntReasons == 3, "m_axi depth");
static_assert(kSaDepth == 4096 && kSpiHashDepth == 16384, "m_axi depth");

// The decide stage as a dataflow process: takes the table and counter
// ports one by one so that the dataflow region holds nothing but channel
// declarations and process calls, and gathers them for the stage code.
void decide_stage(hls::stream<HeaderDesc>& heads, const PortWords* port, const IlmWords* ilm,
                  const NhlfeWords* nhlfe, const NexthopWords* nexthop, const VrfWords* vrf,
                  const RouteWords* route, const LocalAddrWords* local_addr, const Lpm4Words* lpm4,
                  const Lpm6Words* lpm6, Counter* port_rx, Counter* nhlfe_cnt, TokenBucket* policers,
                  hls::stream<FrameVerdict>& verdicts) {
    const TableRefs tables{port, ilm, nhlfe, nexthop, vrf, route, local_addr, lpm4, lpm6,
                           nullptr, nullptr, nullptr, nullptr};
    const CounterRefs counters{port_rx, nullptr, nullptr, nhlfe_cnt, nullptr, nullptr, nullptr, nullptr, nullptr};
    decide(heads, tables, counters, policers, verdicts);
}

// The ESP stage as a dataflow process. It routes decrypted inner packets,
// so it reads the routing tables too, and it is the one writer of the
// route, port_tx, reason and SA counters.
void esp_stage_proc(hls::stream<FrameVerdict>& verdicts, const Beat* in, const PortWords* port,
                    const NexthopWords* nexthop, const VrfWords* vrf, const RouteWords* route,
                    const Lpm4Words* lpm4, const Lpm6Words* lpm6, const SaWords* sa, const SaTunnelWords* sa_tunnel,
                    const SaLifetimeWords* sa_lifetime, const SpiHashWords* spi_hash, SaState* sa_state,
                    Counter* port_tx, Counter* reason, Counter* route_cnt, Counter* sa_cnt, Counter* sa_auth_failed,
                    Counter* sa_replay, Counter* sa_bad_padding, uint32_t* event_ring, uint64_t* events_written,
                    hls::stream<RewriteDesc>& rewrites, Beat* out) {
    const TableRefs tables{port,  nullptr, nullptr, nexthop,   vrf,         route,   nullptr,
                           lpm4,  lpm6,    sa,      sa_tunnel, sa_lifetime, spi_hash};
    const CounterRefs counters{nullptr, port_tx, reason, nullptr, route_cnt, sa_cnt, sa_auth_failed,
                               sa_replay, sa_bad_padding};
    const EspContext ctx{tables, counters, sa_state, EventRing{event_ring, events_written}};
    esp_stage(verdicts, in, ctx, rewrites, out);
}

}  // namespace

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
                uint64_t* beat_clock) {
// Frames in and out as 512-bit AXI4-Stream (tdata, tkeep, tlast, tuser).
#pragma HLS INTERFACE axis port = in
#pragma HLS INTERFACE axis port = out
// The big tables live in HBM, one AXI master each so that the ILM, NHLFE,
// route and trie reads of different frames proceed in parallel (the ILM is
// 2^20 x 21 bits, the tries ~270 Mbit; see hls/README.md).
#pragma HLS INTERFACE m_axi port = ilm bundle = ilm offset = slave depth = 1048576 latency = 64
#pragma HLS INTERFACE m_axi port = nhlfe bundle = nhlfe offset = slave depth = 65536 latency = 64
#pragma HLS INTERFACE m_axi port = route bundle = route offset = slave depth = 131072 latency = 64
#pragma HLS INTERFACE m_axi port = lpm4 bundle = lpm4 offset = slave depth = 5308416 latency = 64
#pragma HLS INTERFACE m_axi port = lpm6 bundle = lpm6 offset = slave depth = 3080192 latency = 64
#pragma HLS INTERFACE m_axi port = nhlfe_cnt bundle = cnt offset = slave depth = 65536 latency = 64
#pragma HLS INTERFACE m_axi port = route_cnt bundle = cnt offset = slave depth = 131072 latency = 64
// SA tables and state: 4096 SAs, the expanded keys (round keys and H..H^4)
// and replay bitmaps next to them; one bundle, in HBM.
#pragma HLS INTERFACE m_axi port = sa bundle = sa offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_tunnel bundle = sa offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_lifetime bundle = sa offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = spi_hash bundle = sa offset = slave depth = 16384 latency = 64
#pragma HLS INTERFACE m_axi port = sa_state bundle = sa_state offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_cnt bundle = sa_cnt offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_auth_failed bundle = sa_cnt offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_replay bundle = sa_cnt offset = slave depth = 4096 latency = 64
#pragma HLS INTERFACE m_axi port = sa_bad_padding bundle = sa_cnt offset = slave depth = 4096 latency = 64
// Small tables, counters and policer buckets: the Vitis kernel flow gives
// every array argument an AXI master; these share two, which the link step
// maps onto PLRAM (on-chip RAM), not HBM (hls/README.md).
#pragma HLS INTERFACE m_axi port = port bundle = small offset = slave depth = 4
#pragma HLS INTERFACE m_axi port = nexthop bundle = small offset = slave depth = 4096
#pragma HLS INTERFACE m_axi port = vrf bundle = small offset = slave depth = 256
#pragma HLS INTERFACE m_axi port = local_addr bundle = small offset = slave depth = 16
#pragma HLS INTERFACE m_axi port = port_rx bundle = state offset = slave depth = 4
#pragma HLS INTERFACE m_axi port = port_tx bundle = state offset = slave depth = 4
#pragma HLS INTERFACE m_axi port = reason bundle = state offset = slave depth = 256
#pragma HLS INTERFACE m_axi port = policers bundle = state offset = slave depth = 3
#pragma HLS INTERFACE m_axi port = event_ring bundle = state offset = slave depth = 256
#pragma HLS INTERFACE s_axilite port = events_written
#pragma HLS INTERFACE s_axilite port = beat_clock
#pragma HLS INTERFACE s_axilite port = return
#pragma HLS DATAFLOW
    // Packet buffers: ingress -> ESP stage (the frame as received) and ESP
    // stage -> egress (the frame as it leaves: encrypted, decrypted or the
    // same). DATAFLOW makes an array passed between two processes a
    // ping-pong pair, so one frame is stored while the previous one leaves.
    Beat buf[kBufBeats];
    Beat out_buf[kOutBufBeats];
    hls::stream<HeaderDesc> heads("heads");
    hls::stream<FrameVerdict> verdicts("verdicts");
    hls::stream<RewriteDesc> rewrites("rewrites");
#pragma HLS STREAM variable = heads depth = 2
#pragma HLS STREAM variable = verdicts depth = 2
#pragma HLS STREAM variable = rewrites depth = 2

    // decide reads the header window only; the ESP stage is the one that
    // touches payload bytes; ingress and egress move beats.
    ingress(in, buf, heads, beat_clock);
    decide_stage(heads, port, ilm, nhlfe, nexthop, vrf, route, local_addr, lpm4, lpm6, port_rx, nhlfe_cnt, policers,
                 verdicts);
    esp_stage_proc(verdicts, buf, port, nexthop, vrf, route, lpm4, lpm6, sa, sa_tunnel, sa_lifetime, spi_hash,
                   sa_state, port_tx, reason, route_cnt, sa_cnt, sa_auth_failed, sa_replay, sa_bad_padding,
                   event_ring, events_written, rewrites, out_buf);
    egress(rewrites, out_buf, out);
}

#ifndef __SYNTHESIS__
namespace {

// The entry words `index` names in a flat table, or nullptr when out of
// range.
template <typename Words, uint32_t N>
uint32_t* flat_entry(FixedArray<Words, N>& table, uint32_t index) {
    return index < N ? table[index].w : nullptr;
}

// The same for a trie: the index is level | node << 8 | slot, the level
// field from the register map.
template <typename SlotEntry, typename Words, uint32_t N>
uint32_t* trie_entry(FixedArray<Words, N>& trie, uint32_t index) {
    using Geometry = TrieGeometry<SlotEntry>;
    const uint32_t level = index >> SlotEntry::kIndexLevelBit;
    const uint32_t slot = index & ((uint32_t{1} << SlotEntry::kIndexLevelBit) - 1);  // node << 8 | slot
    if (level >= Geometry::kLevels || slot >= Geometry::level_slots(level)) return nullptr;
    return trie[Geometry::level_base(level) + slot].w;
}

// The stored entry of a plain table; nullptr for sa_seq, which is not
// stored but lives in the SA state.
uint32_t* locate(Tables& t, regs::TableId id, uint32_t index) {
    switch (id) {
        case regs::TableId::port: return flat_entry(t.port, index);
        case regs::TableId::ilm: return flat_entry(t.ilm, index);
        case regs::TableId::nhlfe: return flat_entry(t.nhlfe, index);
        case regs::TableId::nexthop: return flat_entry(t.nexthop, index);
        case regs::TableId::vrf: return flat_entry(t.vrf, index);
        case regs::TableId::route: return flat_entry(t.route, index);
        case regs::TableId::local_addr: return flat_entry(t.local_addr, index);
        case regs::TableId::lpm4: return trie_entry<regs::Lpm4Entry>(t.lpm4, index);
        case regs::TableId::lpm6: return trie_entry<regs::Lpm6Entry>(t.lpm6, index);
        case regs::TableId::sa: return flat_entry(t.sa, index);
        case regs::TableId::sa_tunnel: return flat_entry(t.sa_tunnel, index);
        case regs::TableId::sa_lifetime: return flat_entry(t.sa_lifetime, index);
        case regs::TableId::spi_hash: return flat_entry(t.spi_hash, index);
        case regs::TableId::sa_seq: return nullptr;
    }
    return nullptr;
}

// An SA's counters start from zero when its sa entry is written.
void clear_sa_counters(Counters& c, uint32_t index) {
    c.sa[index] = Counter{};
    c.sa_auth_failed[index] = Counter{};
    c.sa_replay[index] = Counter{};
    c.sa_bad_padding[index] = Counter{};
}

}  // namespace

void init_tables(Tables& t) {
    t.port.allocate();
    t.ilm.allocate();
    t.nhlfe.allocate();
    t.nexthop.allocate();
    t.vrf.allocate();
    t.route.allocate();
    t.local_addr.allocate();
    t.lpm4.allocate();
    t.lpm6.allocate();
    t.sa.allocate();
    t.sa_tunnel.allocate();
    t.sa_lifetime.allocate();
    t.spi_hash.allocate();
}

void init_state(KernelState& state) {
    Counters& c = state.counters;
    c.port_rx.allocate();
    c.port_tx.allocate();
    c.reason.allocate();
    c.nhlfe.allocate();
    c.route.allocate();
    c.sa.allocate();
    c.sa_auth_failed.allocate();
    c.sa_replay.allocate();
    c.sa_bad_padding.allocate();
    state.sa_state.allocate();
    state.event_ring.allocate();
    state.events_written = 0;
    state.events_taken = 0;
    state.beat_clock = 0;
    for (TokenBucket& bucket : state.policers) bucket.configure(kPolicerResetRate, kPolicerResetBurst);
}

TableRefs table_refs(const Tables& t) {
    return TableRefs{t.port.data(),      t.ilm.data(),         t.nhlfe.data(),       t.nexthop.data(),
                     t.vrf.data(),       t.route.data(),       t.local_addr.data(),  t.lpm4.data(),
                     t.lpm6.data(),      t.sa.data(),          t.sa_tunnel.data(),   t.sa_lifetime.data(),
                     t.spi_hash.data()};
}

CounterRefs counter_refs(Counters& c) {
    return CounterRefs{c.port_rx.data(), c.port_tx.data(),        c.reason.data(),
                       c.nhlfe.data(),   c.route.data(),          c.sa.data(),
                       c.sa_auth_failed.data(), c.sa_replay.data(), c.sa_bad_padding.data()};
}

std::vector<uint32_t> take_events(KernelState& state) {
    std::vector<uint32_t> events;
    if (state.events_written - state.events_taken > kEventRingSize)
        state.events_taken = state.events_written - kEventRingSize;  // overwritten: the newest ring-full remain
    for (; state.events_taken < state.events_written; ++state.events_taken)
        events.push_back(state.event_ring[state.events_taken % kEventRingSize]);
    return events;
}

bool write_table(Tables& tables, KernelState& state, regs::TableId table, uint32_t index, const uint32_t* words) {
    if (table == regs::TableId::sa_seq) {
        if (index >= kSaDepth) return false;
        state.sa_state[index].next_seq = regs::SaSeqEntry::unpack(words).next_seq;
        return true;
    }
    uint32_t* entry = locate(tables, table, index);
    if (!entry) return false;
    std::copy(words, words + regs::table_info(table).words, entry);
    if (table == regs::TableId::sa) {
        sa_install(state.sa_state[index], regs::SaEntry::unpack(words));
        clear_sa_counters(state.counters, index);
    }
    return true;
}

bool read_table(const Tables& tables, const KernelState& state, regs::TableId table, uint32_t index,
                uint32_t* words) {
    if (table == regs::TableId::sa_seq) {
        if (index >= kSaDepth) return false;
        regs::SaSeqEntry seq;
        seq.next_seq = state.sa_state[index].next_seq;
        const auto packed = seq.pack();
        std::copy(packed.begin(), packed.end(), words);
        return true;
    }
    const uint32_t* entry = locate(const_cast<Tables&>(tables), table, index);
    if (!entry) return false;
    std::copy(entry, entry + regs::table_info(table).words, words);
    return true;
}

const Counter* find_counter(const Counters& c, regs::CounterBank bank, uint32_t index) {
    switch (bank) {
        case regs::CounterBank::port_rx: return index < kPortDepth ? &c.port_rx[index] : nullptr;
        case regs::CounterBank::port_tx: return index < kPortDepth ? &c.port_tx[index] : nullptr;
        case regs::CounterBank::reason: return index < kReasonSlots ? &c.reason[index] : nullptr;
        case regs::CounterBank::nhlfe: return index < kNhlfeDepth ? &c.nhlfe[index] : nullptr;
        case regs::CounterBank::route: return index < kRouteDepth ? &c.route[index] : nullptr;
        case regs::CounterBank::sa: return index < kSaDepth ? &c.sa[index] : nullptr;
        case regs::CounterBank::sa_auth_failed: return index < kSaDepth ? &c.sa_auth_failed[index] : nullptr;
        case regs::CounterBank::sa_replay: return index < kSaDepth ? &c.sa_replay[index] : nullptr;
        case regs::CounterBank::sa_bad_padding: return index < kSaDepth ? &c.sa_bad_padding[index] : nullptr;
    }
    return nullptr;
}

namespace {
template <typename Array>
void zero(Array& counters) {
    std::fill(counters.data(), counters.data() + Array::kSize, Counter{});
}
}  // namespace

void clear_counters(Counters& c) {
    zero(c.port_rx);
    zero(c.port_tx);
    zero(c.reason);
    zero(c.nhlfe);
    zero(c.route);
    zero(c.sa);
    zero(c.sa_auth_failed);
    zero(c.sa_replay);
    zero(c.sa_bad_padding);
}

void mplsec_fwd(hls::stream<AxisBeat>& in, hls::stream<AxisBeat>& out, const Tables& tables,
                KernelState& state) {
    const TableRefs t = table_refs(tables);
    Counters& c = state.counters;
    while (!in.empty())
        mplsec_fwd(in, out, t.port, t.ilm, t.nhlfe, t.nexthop, t.vrf, t.route, t.local_addr, t.lpm4,
                   t.lpm6, t.sa, t.sa_tunnel, t.sa_lifetime, t.spi_hash, state.sa_state.data(), c.port_rx.data(),
                   c.port_tx.data(), c.reason.data(), c.nhlfe.data(), c.route.data(), c.sa.data(),
                   c.sa_auth_failed.data(), c.sa_replay.data(), c.sa_bad_padding.data(), state.event_ring.data(),
                   &state.events_written, state.policers.data(), &state.beat_clock);
}
#endif

}  // namespace mplsec::hls_fwd
