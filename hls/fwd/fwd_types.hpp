// Stream and table types of the forwarding kernel (docs/datapath.md).
// Table word layouts come from the register map (regs.hpp); this file only
// says how the kernel holds them.
#pragma once

#include <cstdint>
#include <vector>

#include "ap_int.h"
#include "hls_stream.h"
#include "mplsec/regs.hpp"

namespace mplsec::hls_fwd {

constexpr int kBeatBytes = 64;
constexpr uint32_t kMinFrame = 60;
constexpr uint32_t kMaxFrame = 9600;
constexpr int kMaxLabels = 8;

// One 512-bit AXI4-Stream beat. On input `user` holds the ingress port; on
// output it holds OutUser packed by pack_out_user().
struct AxisBeat {
    ap_uint<512> data;
    uint64_t keep = 0;
    bool last = false;
    uint16_t user = 0;
};

// Output tuser: bit 15 = punt, bits 11:8 = port (egress, or ingress of a
// punt), bits 7:0 = punt reason code.
inline uint16_t pack_out_user(bool punt, uint8_t port, uint8_t reason) {
    return static_cast<uint16_t>((punt ? 0x8000 : 0) | ((port & 0xf) << 8) | reason);
}
inline bool out_user_punt(uint16_t user) { return user & 0x8000; }
inline uint8_t out_user_port(uint16_t user) { return (user >> 8) & 0xf; }
inline uint8_t out_user_reason(uint16_t user) { return user & 0xff; }

// A table held as raw entry words, `words` per entry, as the table write
// window and DMA deliver them. On the card these are on-chip RAMs (small
// tables) or HBM/DDR behind m_axi (ILM, LPM pools).
struct RawTable {
    uint32_t depth = 0;
    uint32_t words = 0;
    std::vector<uint32_t> mem;

    void init(uint32_t entries, uint32_t words_per_entry) {
        depth = entries;
        words = words_per_entry;
        mem.assign(std::size_t{entries} * words_per_entry, 0);
    }
    const uint32_t* entry(uint32_t index) const { return &mem[std::size_t{index} * words]; }
    uint32_t* entry(uint32_t index) { return &mem[std::size_t{index} * words]; }
};

// LPM trie: one node pool per level, 256 slots a node.
struct TriePools {
    std::vector<RawTable> levels;
    uint32_t node_bits = 0;   // width of the node field of the table index
    uint32_t level_shift = 0; // position of the level field of the table index
};

struct Tables {
    RawTable port, ilm, nhlfe, nexthop, vrf, route, local_addr;
    TriePools lpm4, lpm6;
};

// One counter: frames and bytes.
struct Counter {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    void add(uint32_t length) {
        ++packets;
        bytes += length;
    }
};

struct Counters {
    std::vector<Counter> port_rx, port_tx, reason, nhlfe, route;
};

}  // namespace mplsec::hls_fwd
