// Frames as 512-bit AXI4-Stream beats, for the Verilated models in sim/
// (rtl_engine.cpp, rtl_card.cpp): a frame cut into beats, and the bytes of
// a beat read back. Byte i of a beat is bits 8i+7:8i of tdata; tkeep is
// contiguous from bit 0.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mplsec::sim {

constexpr int kBeatBytes = 64;

struct AxisBeat {
    uint8_t data[kBeatBytes] = {};
    uint64_t keep = 0;
    bool last = false;
    uint8_t port = 0;  // tuser of the datapath's input
};

inline std::vector<AxisBeat> to_beats(const std::vector<uint8_t>& frame, uint8_t port) {
    std::vector<AxisBeat> beats;
    std::size_t pos = 0;
    do {
        AxisBeat beat;
        const std::size_t n = std::min<std::size_t>(kBeatBytes, frame.size() - pos);
        std::memcpy(beat.data, frame.data() + pos, n);
        beat.keep = n == kBeatBytes ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
        pos += n;
        beat.last = pos >= frame.size();
        beat.port = port;
        beats.push_back(beat);
    } while (pos < frame.size());
    return beats;
}

// tdata of a Verilated port (VlWide of 16 words) from a beat, and back.
template <typename Wide>
void put_tdata(Wide& tdata, const AxisBeat& beat) {
    for (int w = 0; w < kBeatBytes / 4; ++w) {
        uint32_t word;
        std::memcpy(&word, beat.data + 4 * w, 4);  // little-endian host: byte 4w in bits 7:0
        tdata[w] = word;
    }
}

// Appends the bytes tkeep marks.
template <typename Wide>
void append_tdata(std::vector<uint8_t>& bytes, const Wide& tdata, uint64_t keep) {
    const int n = keep == ~uint64_t{0} ? kBeatBytes : __builtin_popcountll(keep);
    uint8_t beat[kBeatBytes];
    for (int w = 0; w < kBeatBytes / 4; ++w) {
        const uint32_t word = tdata[w];
        std::memcpy(beat + 4 * w, &word, 4);
    }
    bytes.insert(bytes.end(), beat, beat + n);
}

}  // namespace mplsec::sim
