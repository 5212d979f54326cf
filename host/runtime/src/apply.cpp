#include "mplsec/apply.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace mplsec::runtime {
namespace {

bool all_zero(const std::vector<uint32_t>& words) {
    return std::all_of(words.begin(), words.end(), [](uint32_t w) { return w == 0; });
}

bool is_sa_table(regs::TableId table) {
    switch (table) {
        case regs::TableId::sa:
        case regs::TableId::sa_tunnel:
        case regs::TableId::sa_lifetime:
        case regs::TableId::sa_seq:
        case regs::TableId::spi_hash: return true;
        default: return false;
    }
}

}  // namespace

CardTables::CardTables(drivers::Device& device)
    : esp_(device.identity().features >> regs::kFeatureEspGcm & 1) {}

bool CardTables::has(regs::TableId table) const { return esp_ || !is_sa_table(table); }

namespace {

}  // namespace

void write_verified(drivers::Device& device, regs::TableId table, uint32_t index, const std::vector<uint32_t>& words) {
    device.write_entry(table, index, words);
    if (device.read_entry(table, index) != words)
        throw drivers::DeviceError(device.name() + ": table " + regs::table_info(table).name + " entry " +
                                   std::to_string(index) + " reads back different from what was written");
}

void set_punt_policers(drivers::Device& device, const tables::TableImage& image) {
    for (const regs::ReasonInfo& reason : regs::kReasons)
        if (!reason.drop) device.set_policer(reason.code, image.policer_rate, image.policer_burst);
}

ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image) {
    ApplyReport report;
    const CardTables card(device);
    // The image is in make-before-break order, so each entry is checked
    // before anything written after it can point at it.
    for (const tables::TableWrite& w : image.writes) {
        if (!card.has(w.table)) continue;
        write_verified(device, w.table, w.index, w.words);
        ++report.entries_written;
    }
    set_punt_policers(device, image);
    return report;
}

TableDiff reconcile(drivers::Device& device, const tables::TableImage& desired, const tables::TableImage* previous) {
    using Key = std::pair<regs::TableId, uint32_t>;
    TableDiff diff;
    std::map<Key, const std::vector<uint32_t>*> wanted;
    for (const tables::TableWrite& w : desired.writes) wanted[{w.table, w.index}] = &w.words;

    std::set<Key> seen;
    const CardTables card(device);
    for (const bool redirect : {false, true}) {
        for (const tables::TableWrite& w : desired.writes) {
            if (!card.has(w.table) || w.redirect != redirect || !seen.insert({w.table, w.index}).second) continue;
            const std::vector<uint32_t>& now = *wanted.at({w.table, w.index});
            std::vector<uint32_t> card = device.read_entry(w.table, w.index);
            if (card == now) continue;
            diff.changes.push_back(EntryChange{all_zero(card) ? ChangeKind::added : ChangeKind::changed, w.table, w.index,
                                               "", std::move(card), now});
        }
    }
    auto remove_if_set = [&](regs::TableId table, uint32_t index) {
        if (!card.has(table) || !seen.insert({table, index}).second) return;
        std::vector<uint32_t> card = device.read_entry(table, index);
        if (!all_zero(card)) diff.changes.push_back(EntryChange{ChangeKind::removed, table, index, "", std::move(card), {}});
    };
    if (previous)
        for (auto it = previous->writes.rbegin(); it != previous->writes.rend(); ++it) remove_if_set(it->table, it->index);
    // Small tables are read whole, pointers (ports) before targets.
    for (const regs::TableId table :
         {regs::TableId::port, regs::TableId::vrf, regs::TableId::nexthop, regs::TableId::local_addr}) {
        const uint32_t depth = regs::table_info(table).depth;
        for (uint32_t i = 0; i < depth; ++i) remove_if_set(table, i);
    }
    diff.policer_changed = true;  // unknown: the policers are write-only
    apply_diff(device, diff, desired);
    diff.policer_changed = false;
    return diff;
}

}  // namespace mplsec::runtime
