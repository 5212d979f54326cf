// Small helpers for driving a Verilated unit-test bench: clocking and
// moving bytes in and out of wide (VlWide) ports.
#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

namespace mplsec::rtltest {

template <typename Top>
void tick(Top& t) {
    t.clk_i = 0;
    t.eval();
    t.clk_i = 1;
    t.eval();
}

template <typename Top>
void reset(Top& t) {
    t.rst_ni = 0;
    tick(t);
    tick(t);
    t.rst_ni = 1;
    tick(t);
}

// Byte i of `bytes` into bits 8i+7:8i of a wide port of `nbytes` bytes.
template <typename Wide>
void set_bytes(Wide& w, const std::vector<uint8_t>& bytes, std::size_t nbytes, std::size_t from = 0) {
    for (std::size_t i = 0; i < nbytes / 4; ++i) w[i] = 0;
    for (std::size_t i = 0; i < nbytes && from + i < bytes.size(); ++i)
        w[i / 4] |= uint32_t{bytes[from + i]} << (8 * (i % 4));
}

template <typename Wide>
uint8_t get_byte(const Wide& w, std::size_t i) {
    return static_cast<uint8_t>(w[i / 4] >> (8 * (i % 4)));
}

}  // namespace mplsec::rtltest
