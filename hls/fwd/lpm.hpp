// Per-VRF longest-prefix match over the stride-8 multibit tries (lpm4,
// lpm6). One level a pipeline stage on the card: the walk below is fully
// unrolled and reads one slot per level, so II=1 holds with one memory read
// port per level (the pools of a trie sit end to end in one array; on the
// card each level is its own HBM pseudo-channel or bank).
#pragma once

#include <cstdint>

#include "fwd_types.hpp"

namespace mplsec::hls_fwd {

constexpr int32_t kNoRoute = -1;

// Route index of the longest prefix in VRF `vrf` covering `addr` (4 or 16
// bytes, network order), or kNoRoute. `trie` is the whole trie: level l's
// pool starts at TrieGeometry::level_base(l).
template <typename SlotEntry, typename SlotWords>
int32_t lpm_lookup(const SlotWords* trie, uint32_t vrf, const uint8_t* addr) {
    using Geometry = TrieGeometry<SlotEntry>;
    int32_t best = kNoRoute;
    uint32_t node = vrf;  // level 0 holds one root node per VRF
    bool walking = true;
    for (uint32_t level = 0; level < Geometry::kLevels; ++level) {
#pragma HLS UNROLL
        // A child past the next pool ends the walk with the best route so
        // far (datapath.md, Notes: LPM), as does a slot without a child.
        const uint32_t slot_index = node * Geometry::kSlotsPerNode + addr[level];
        walking = walking && slot_index < Geometry::level_slots(level);
        if (!walking) break;
        const SlotEntry slot = SlotEntry::unpack(trie[Geometry::level_base(level) + slot_index].w);
        if (slot.route_valid) best = static_cast<int32_t>(slot.route);
        walking = slot.child_valid;
        node = static_cast<uint32_t>(slot.child);
    }
    return best;
}

}  // namespace mplsec::hls_fwd
