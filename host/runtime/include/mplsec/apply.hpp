// Writes a compiled table image to a card and checks it by reading every
// entry back. (The full table manager — shadow, transactions, reconcile —
// builds on this.)
#pragma once

#include "mplsec/device.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::runtime {

struct ApplyReport {
    std::size_t entries_written = 0;
};

// Throws drivers::DeviceError when an entry is refused or reads back
// different from what was written.
ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image);

}  // namespace mplsec::runtime
