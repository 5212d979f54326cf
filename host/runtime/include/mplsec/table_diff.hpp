// The difference between two compiled table images, and the transaction
// that turns a card holding the first into one holding the second.
//
// Images are compared entry by entry at (table, index). Compile the new
// image with the old one as `previous` (tables::compile): objects then keep
// their indices, a one-line edit of the file gives a small diff, and no
// entry of an unchanged LSP or prefix is rewritten.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mplsec/device.hpp"
#include "mplsec/sa_sequence.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::runtime {

enum class ChangeKind { added, changed, removed };

struct EntryChange {
    ChangeKind kind = ChangeKind::added;
    regs::TableId table{};
    uint32_t index = 0;
    std::string name;                 // "label 24000", "blue 10.2.0.0/16", "p"; "" when it has none
    std::vector<uint32_t> old_words;  // empty when added
    std::vector<uint32_t> new_words;  // empty when removed
};

struct TableDiff {
    // The transaction, in the order it is written:
    //   1. create: added and changed entries that are reached only through
    //      a pointer (next hops, routes, trie nodes, VRFs, NHLFEs, local
    //      addresses, root slots of new VRFs), targets first;
    //   2. redirect: ILM entries, ports, root slots of existing VRFs;
    //   3. removals (zeroed) in the reverse of the old image's order, so a
    //      pointer is cleared before what it points to.
    // (When SAs land in the tables: a new SA in phase 1, an old one only in
    // phase 3, after no route uses it.)
    std::vector<EntryChange> changes;
    bool policer_changed = false;

    bool empty() const { return changes.empty() && !policer_changed; }
};

TableDiff diff_images(const tables::TableImage& from, const tables::TableImage& to);

// Writes the diff in its order, batched and read back run by run
// (apply.hpp, write_entries_verified), then the punt policers if they
// changed. Every valid outbound sa entry it writes is shown to `sa_start`
// (sa_sequence.hpp): resumed SAs get their sa_seq write right after the sa
// entry, before any later entry (a route) can name the SA; refused ones are
// written empty. Throws drivers::DeviceError on a refused write or a
// read-back mismatch.
void apply_diff(drivers::Device& device, const TableDiff& diff, const tables::TableImage& to,
                const std::function<void(std::size_t done, std::size_t total)>& progress = {},
                const SaStartPolicy& sa_start = {});

// "added" / "changed" / "removed".
const char* to_string(ChangeKind kind);

// One line naming what an entry does, in the image's own names
// ("pop-lookup vrf blue", "swap [200] via p"); hex words for the tables
// that have no readable form (trie slots, local addresses).
std::string describe_entry(regs::TableId table, const std::vector<uint32_t>& words, const tables::TableImage& image);

}  // namespace mplsec::runtime
