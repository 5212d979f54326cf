// Writes a compiled table image to a card and checks it by reading every
// entry back, and reconciles a card of unknown contents with an image.
// Changes to a running card go through table_diff.hpp (the transaction);
// the image the daemon keeps is the shadow copy.
#pragma once

#include "mplsec/device.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::runtime {

// The tables a card has: a card without the ESP stage (ident.FEATURES bit
// esp_gcm clear) has no SA tables, so an image's SA entries are not written
// to it; its routes that name an SA drop that traffic as esp_no_sa, never
// sending in the clear what the operator asked to encrypt.
class CardTables {
public:
    explicit CardTables(drivers::Device& device);
    bool has(regs::TableId table) const;

private:
    bool esp_;
};

// Writes one entry and reads it back; throws drivers::DeviceError on a
// mismatch, naming the table and index.
void write_verified(drivers::Device& device, regs::TableId table, uint32_t index, const std::vector<uint32_t>& words);

// Sets every punt reason's policer to the image's rate and burst.
void set_punt_policers(drivers::Device& device, const tables::TableImage& image);

struct ApplyReport {
    std::size_t entries_written = 0;
};

// Throws drivers::DeviceError when an entry is refused or reads back
// different from what was written.
ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image);

// Makes the card equal to `desired` whatever it holds (after a card reload,
// a daemon restart, or entries corrupted behind the runtime's back): reads
// every entry `desired` writes, every entry `previous` wrote (the image the
// card is believed to hold, if any) and every entry of the small tables
// (port, next hop, VRF, local address), then writes what differs in the
// order of a transaction (creates, redirects, removals; each read back) and
// sets the punt policers (which cannot be read back). Returns what differed:
// old_words are what the card held. Throws drivers::DeviceError.
TableDiff reconcile(drivers::Device& device, const tables::TableImage& desired,
                    const tables::TableImage* previous = nullptr);

}  // namespace mplsec::runtime
