#include "fwd_kernel.hpp"

#include <vector>

#include "forward.hpp"

namespace mplsec::hls_fwd {
namespace {

constexpr uint32_t kSlotsPerNode = 256;

const regs::TableInfo& info(regs::TableId id) { return regs::kTables[static_cast<std::size_t>(id)]; }

void init_raw(RawTable& table, regs::TableId id) { table.init(info(id).depth, info(id).words); }

template <std::size_t N>
void init_trie(TriePools& pools, regs::TableId id, const std::array<uint32_t, N>& nodes_per_level,
               uint32_t level_shift) {
    pools.levels.resize(N);
    for (std::size_t level = 0; level < N; ++level)
        pools.levels[level].init(nodes_per_level[level] * kSlotsPerNode, info(id).words);
    pools.level_shift = level_shift;
    pools.node_bits = level_shift - 8;
}

// Position of the level field in a trie table index, read off the
// generated index function rather than restated.
constexpr uint32_t shift_of(uint32_t level_one_index) {
    uint32_t shift = 0;
    while ((uint32_t{1} << shift) < level_one_index) ++shift;
    return shift;
}

RawTable* flat_table(Tables& t, regs::TableId id) {
    switch (id) {
        case regs::TableId::port: return &t.port;
        case regs::TableId::ilm: return &t.ilm;
        case regs::TableId::nhlfe: return &t.nhlfe;
        case regs::TableId::nexthop: return &t.nexthop;
        case regs::TableId::vrf: return &t.vrf;
        case regs::TableId::route: return &t.route;
        case regs::TableId::local_addr: return &t.local_addr;
        default: return nullptr;
    }
}

TriePools* trie_table(Tables& t, regs::TableId id) {
    if (id == regs::TableId::lpm4) return &t.lpm4;
    if (id == regs::TableId::lpm6) return &t.lpm6;
    return nullptr;
}

// The entry `index` names in table `id`, or nullptr when out of range.
uint32_t* locate(Tables& t, regs::TableId id, uint32_t index) {
    if (RawTable* flat = flat_table(t, id)) return index < flat->depth ? flat->entry(index) : nullptr;
    TriePools* trie = trie_table(t, id);
    if (!trie) return nullptr;
    const uint32_t level = index >> trie->level_shift;
    const uint32_t slot = index & ((uint32_t{1} << trie->level_shift) - 1);  // node << 8 | slot
    if (level >= trie->levels.size() || slot >= trie->levels[level].depth) return nullptr;
    return trie->levels[level].entry(slot);
}

// Reassembles one frame from `in`; false when no whole frame is waiting.
bool read_frame(hls::stream<AxisBeat>& in, std::vector<uint8_t>& frame, uint8_t& port, uint32_t& beats) {
    if (in.empty()) return false;
    frame.clear();
    beats = 0;
    for (;;) {
        const AxisBeat beat = in.read();
        if (beats == 0) port = static_cast<uint8_t>(beat.user & 0x3);
        ++beats;
        for (int i = 0; i < kBeatBytes; ++i)
            if ((beat.keep >> i) & 1) frame.push_back(beat.data.byte(i));
        if (beat.last) return true;
    }
}

void write_frame(hls::stream<AxisBeat>& out, const std::vector<uint8_t>& frame, uint16_t user) {
    for (std::size_t pos = 0; pos < frame.size(); pos += kBeatBytes) {
        AxisBeat beat;
        const std::size_t n = std::min<std::size_t>(kBeatBytes, frame.size() - pos);
        for (std::size_t i = 0; i < n; ++i) beat.data.set_byte(static_cast<int>(i), frame[pos + i]);
        beat.keep = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
        beat.last = pos + n == frame.size();
        beat.user = user;
        out.write(beat);
    }
}

}  // namespace

void init_tables(Tables& tables) {
    for (regs::TableId id : {regs::TableId::port, regs::TableId::ilm, regs::TableId::nhlfe,
                             regs::TableId::nexthop, regs::TableId::vrf, regs::TableId::route,
                             regs::TableId::local_addr})
        init_raw(*flat_table(tables, id), id);
    init_trie(tables.lpm4, regs::TableId::lpm4, regs::Lpm4Entry::kNodesPerLevel, shift_of(regs::lpm4_index(1, 0, 0)));
    init_trie(tables.lpm6, regs::TableId::lpm6, regs::Lpm6Entry::kNodesPerLevel, shift_of(regs::lpm6_index(1, 0, 0)));
}

void init_state(KernelState& state) {
    Counters& c = state.counters;
    c.port_rx.assign(info(regs::TableId::port).depth, {});
    c.port_tx.assign(info(regs::TableId::port).depth, {});
    c.reason.assign(256, {});
    c.nhlfe.assign(info(regs::TableId::nhlfe).depth, {});
    c.route.assign(info(regs::TableId::route).depth, {});
    state.beat_clock = 0;
    for (TokenBucket& bucket : state.policers) bucket.configure(kPolicerResetRate, kPolicerResetBurst);
}

bool write_table(Tables& tables, regs::TableId table, uint32_t index, const uint32_t* words) {
    uint32_t* entry = locate(tables, table, index);
    if (!entry) return false;
    std::copy(words, words + info(table).words, entry);
    return true;
}

bool read_table(const Tables& tables, regs::TableId table, uint32_t index, uint32_t* words) {
    const uint32_t* entry = locate(const_cast<Tables&>(tables), table, index);
    if (!entry) return false;
    std::copy(entry, entry + info(table).words, words);
    return true;
}

void mplsec_fwd(hls::stream<AxisBeat>& in, hls::stream<AxisBeat>& out, const Tables& tables,
                KernelState& state) {
#pragma HLS INTERFACE axis port = in
#pragma HLS INTERFACE axis port = out
    std::vector<uint8_t> frame;
    uint8_t port = 0;
    uint32_t beats = 0;
    Counters& counters = state.counters;
    const auto first_punt = static_cast<uint8_t>(regs::Reason::punt_control);
    for (;;) {
        const uint64_t arrival = state.beat_clock;
        if (!read_frame(in, frame, port, beats)) break;
        state.beat_clock += beats;
        const auto length = static_cast<uint32_t>(frame.size());
        counters.port_rx[port].add(length);

        Verdict verdict = forward_frame(tables, frame.data(), length, port, counters);
        if (verdict.kind == VerdictKind::punt) {
            const auto code = static_cast<uint8_t>(verdict.reason);
            if (!state.policers[code - first_punt].admit(arrival)) {
                verdict.kind = VerdictKind::drop;
                verdict.reason = regs::Reason::punt_policed;
            }
        }
        switch (verdict.kind) {
            case VerdictKind::forward:
                counters.port_tx[verdict.out_port].add(static_cast<uint32_t>(verdict.frame.size()));
                write_frame(out, verdict.frame, pack_out_user(false, verdict.out_port, 0));
                break;
            case VerdictKind::punt:
                counters.reason[static_cast<uint8_t>(verdict.reason)].add(length);
                write_frame(out, frame, pack_out_user(true, port, static_cast<uint8_t>(verdict.reason)));
                break;
            case VerdictKind::drop:
                counters.reason[static_cast<uint8_t>(verdict.reason)].add(length);
                break;
        }
    }
}

}  // namespace mplsec::hls_fwd
