// Writes a compiled table image to a card and checks it by reading every
// entry back, and reconciles a card of unknown contents with an image.
// Changes to a running card go through table_diff.hpp (the transaction);
// the image the daemon keeps is the shadow copy.
#pragma once

#include <cstddef>
#include <functional>

#include "mplsec/device.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::runtime {

// The tables a card has: a table the register map ties to a feature exists
// only on a card whose ident.FEATURES sets it. A card without the ESP stage
// (esp_gcm clear) has no SA tables, so an image's SA entries are not written
// to it; its routes that name an SA drop that traffic as esp_no_sa, never
// sending in the clear what the operator asked to encrypt.
class CardTables {
public:
    explicit CardTables(drivers::Device& device);
    bool has(regs::TableId table) const;

private:
    uint32_t features_;  // ident.FEATURES
};

// Sets every punt reason's policer to the image's rate and burst.
void set_punt_policers(drivers::Device& device, const tables::TableImage& image);

// Entries written so far and the total, after each run (for progress bars
// and logs of long loads).
using Progress = std::function<void(std::size_t done, std::size_t total)>;

struct ApplyReport {
    std::size_t entries_written = 0;
    std::size_t runs = 0;  // Device::write_entries calls: one bulk transfer each
};

// Writes `entries` in their order, in runs: consecutive entries of one
// table at consecutive indices (up to kMaxRun) go to the card in one
// Device::write_entries call, which each backend carries out as a bulk
// transfer (DMA on an Alveo card with table_dma, one write_table message on
// the virtual card, a direct table load on the model). Every entry of a run
// is read back before the next run is written, so nothing that points at an
// entry is written before the entry is checked (make-before-break holds
// across runs because the order of `entries` is kept). An sa_seq entry
// reads back right when it holds at least what was written (a live SA
// counts on). Throws
// drivers::DeviceError on a refused write or a read-back mismatch, naming
// the first entry that differs.
ApplyReport write_entries_verified(drivers::Device& device, const std::vector<tables::TableWrite>& entries,
                                   const Progress& progress = {});
inline constexpr std::size_t kMaxRun = std::size_t{1} << 16;

// The whole image, batched as above, then the punt policers. Throws
// drivers::DeviceError.
ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image, const Progress& progress = {});

// Makes the card equal to `desired` whatever it holds (after a card reload,
// a daemon restart, or entries corrupted behind the runtime's back): reads
// every entry `desired` writes, every entry `previous` wrote (the image the
// card is believed to hold, if any) and every entry of the small tables
// (port, next hop, VRF, local address), then writes what differs in the
// order of a transaction (creates, redirects, removals; each read back) and
// sets the punt policers (which cannot be read back). Outbound SAs it
// writes start where `sa_start` says (apply_diff). Returns what differed:
// old_words are what the card held. Throws drivers::DeviceError.
TableDiff reconcile(drivers::Device& device, const tables::TableImage& desired,
                    const tables::TableImage* previous = nullptr, const SaStartPolicy& sa_start = {});

// `entries` as a transaction writes them under `sa_start`: each valid
// outbound sa entry followed by its sa_seq entry when the SA resumes, or
// replaced by an empty entry when it is refused. Unchanged without a policy.
std::vector<tables::TableWrite> with_sa_starts(const std::vector<tables::TableWrite>& entries,
                                               const SaStartPolicy& sa_start);

}  // namespace mplsec::runtime
