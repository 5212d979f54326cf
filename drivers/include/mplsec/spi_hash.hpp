// The two hash functions of the inbound SA lookup (docs/datapath.md, "ESP",
// SPI lookup). The card computes them per packet; the host computes them
// to place an SA in one of its two spi_hash slots. One definition for both.
#pragma once

#include <cstdint>

namespace mplsec {

constexpr uint32_t kSpiHashWays = 2;
constexpr uint32_t kSpiHashWayBits = 13;  // 8192 slots a way
constexpr uint32_t kSpiHashWaySlots = uint32_t{1} << kSpiHashWayBits;
constexpr uint32_t kSpiHashWayMask = kSpiHashWaySlots - 1;

// h0(spi) = spi[12:0] ^ spi[25:13] ^ {7'b0, spi[31:26]}
constexpr uint32_t spi_hash_way0(uint32_t spi) {
    return (spi & kSpiHashWayMask) ^ ((spi >> 13) & kSpiHashWayMask) ^ (spi >> 26);
}

// h1(spi) = spi[31:19] ^ spi[18:6] ^ {spi[5:0], 7'b0}
constexpr uint32_t spi_hash_way1(uint32_t spi) {
    return (spi >> 19) ^ ((spi >> 6) & kSpiHashWayMask) ^ ((spi & 0x3f) << 7);
}

// The spi_hash index of `spi`'s slot in `way` (0 or 1): way << 13 | h_way.
constexpr uint32_t spi_hash_slot(uint32_t spi, uint32_t way) {
    return way << kSpiHashWayBits | (way == 0 ? spi_hash_way0(spi) : spi_hash_way1(spi));
}

static_assert(spi_hash_way0(0xffffffff) <= kSpiHashWayMask && spi_hash_way1(0xffffffff) <= kSpiHashWayMask,
              "a hash fits its way");

}  // namespace mplsec
