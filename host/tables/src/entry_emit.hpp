// Helpers the table compilers share: appending an entry to an image, and
// the card's encoding of an IP address in a 128-bit field.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mplsec/config.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::tables {

template <typename Entry>
void emit(TableImage& image, uint32_t index, const Entry& entry, bool redirect = false) {
    const auto words = entry.pack();
    image.writes.push_back(
        TableWrite{Entry::kTable, index, std::vector<uint32_t>(words.begin(), words.end()), redirect});
}

// First address byte in the most significant bits of the address's own
// width: IPv4 in bits 31:0, IPv6 in 127:0.
inline std::array<uint32_t, 4> address_field(const config::IpAddr& ip) {
    std::array<uint32_t, 4> field{};
    const int bytes = ip.v6 ? 16 : 4;
    for (int b = 0; b < bytes; ++b) {
        const int bit = 8 * (bytes - 1 - b);
        field[bit / 32] |= uint32_t{ip.bytes[b]} << (bit % 32);
    }
    return field;
}

}  // namespace mplsec::tables
