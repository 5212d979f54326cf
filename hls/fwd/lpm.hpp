// Per-VRF longest-prefix match over the stride-8 multibit tries (lpm4,
// lpm6). One level a pipeline stage on the card: the walk below reads one
// slot per level, so II=1 holds with one memory per level.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"

namespace mplsec::hls_fwd {

constexpr int32_t kNoRoute = -1;

// Route index of the longest prefix in VRF `vrf` covering `addr` (4 or 16
// bytes, network order), or kNoRoute.
template <typename SlotEntry>
int32_t lpm_lookup(const TriePools& pools, uint32_t vrf, const uint8_t* addr) {
    int32_t best = kNoRoute;
    uint32_t node = vrf;
    const uint32_t levels = static_cast<uint32_t>(pools.levels.size());
    for (uint32_t level = 0; level < levels; ++level) {
#pragma HLS UNROLL
        const RawTable& pool = pools.levels[level];
        const uint32_t slot_index = node * 256 + addr[level];
        if (slot_index >= pool.depth) break;
        const SlotEntry slot = SlotEntry::unpack(pool.entry(slot_index));
        if (slot.route_valid) best = static_cast<int32_t>(slot.route);
        if (!slot.child_valid) break;
        node = static_cast<uint32_t>(slot.child);
    }
    return best;
}

}  // namespace mplsec::hls_fwd
