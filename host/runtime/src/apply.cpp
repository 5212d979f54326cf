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

}  // namespace

CardTables::CardTables(drivers::Device& device) : features_(device.read32(regs::ident::kFeatures)) {}

bool CardTables::has(regs::TableId table) const {
    const int feature = regs::table_info(table).feature;
    return feature < 0 || (features_ >> feature & 1);
}

void set_punt_policers(drivers::Device& device, const tables::TableImage& image) {
    for (const regs::ReasonInfo& reason : regs::kReasons)
        if (!reason.drop) device.set_policer(reason.code, image.policer_rate, image.policer_burst);
}

namespace {

// One past the last entry of the run that starts at `first`: same table,
// consecutive indices, at most kMaxRun entries.
std::size_t run_end(const std::vector<tables::TableWrite>& entries, std::size_t first) {
    std::size_t end = first + 1;
    while (end < entries.size() && end - first < kMaxRun && entries[end].table == entries[first].table &&
           entries[end].index == entries[end - 1].index + 1)
        ++end;
    return end;
}

// The run's words back to back, as Device::write_entries takes them.
void pack_run(const std::vector<tables::TableWrite>& entries, std::size_t first, std::size_t end,
              std::vector<uint32_t>& packed) {
    const regs::TableInfo& info = regs::table_info(entries[first].table);
    packed.clear();
    for (std::size_t n = first; n < end; ++n) {
        if (entries[n].words.size() != info.words)
            throw drivers::DeviceError(std::string("table ") + info.name + ": entry " + std::to_string(entries[n].index) +
                                       " has " + std::to_string(entries[n].words.size()) + " words, the card expects " +
                                       std::to_string(info.words));
        packed.insert(packed.end(), entries[n].words.begin(), entries[n].words.end());
    }
}

// sa_seq is the card's live next_seq: an SA that sends between the write
// and the read has counted on from what was written.
bool reads_back_as_written(const tables::TableWrite& written, const std::vector<uint32_t>& held) {
    if (written.table != regs::TableId::sa_seq || held.size() != written.words.size()) return held == written.words;
    return regs::SaSeqEntry::unpack(held.data()).next_seq >= regs::SaSeqEntry::unpack(written.words.data()).next_seq;
}

void verify_run(drivers::Device& device, const std::vector<tables::TableWrite>& entries, std::size_t first,
                std::size_t end) {
    for (std::size_t n = first; n < end; ++n)
        if (!reads_back_as_written(entries[n], device.read_entry(entries[n].table, entries[n].index)))
            throw drivers::DeviceError(device.name() + ": table " + regs::table_info(entries[n].table).name +
                                       " entry " + std::to_string(entries[n].index) +
                                       " reads back different from what was written");
}

}  // namespace

ApplyReport write_entries_verified(drivers::Device& device, const std::vector<tables::TableWrite>& entries,
                                   const Progress& progress) {
    // Entries of tables the card lacks are passed over in place (a 2^20
    // entry load is not copied to filter it).
    const CardTables card(device);
    const std::size_t total = static_cast<std::size_t>(std::count_if(
        entries.begin(), entries.end(), [&](const tables::TableWrite& w) { return card.has(w.table); }));
    ApplyReport report;
    std::vector<uint32_t> packed;
    for (std::size_t first = 0; first < entries.size();) {
        const std::size_t end = run_end(entries, first);
        if (card.has(entries[first].table)) {
            pack_run(entries, first, end, packed);
            device.write_entries(entries[first].table, entries[first].index, static_cast<uint32_t>(end - first),
                                 packed.data());
            ++report.runs;
            verify_run(device, entries, first, end);
            report.entries_written += end - first;
            if (progress) progress(report.entries_written, total);
        }
        first = end;
    }
    return report;
}

ApplyReport apply_image(drivers::Device& device, const tables::TableImage& image, const Progress& progress) {
    // The image is in make-before-break order, and runs keep it.
    const ApplyReport report = write_entries_verified(device, image.writes, progress);
    set_punt_policers(device, image);
    return report;
}

namespace {

bool is_outbound_sa(const tables::TableWrite& w, regs::SaEntry& entry) {
    if (w.table != regs::TableId::sa || w.words.size() != regs::SaEntry::kWords) return false;
    entry = regs::SaEntry::unpack(w.words.data());
    return entry.valid && !entry.inbound;
}

tables::TableWrite sa_seq_write(uint32_t index, uint64_t next_seq) {
    regs::SaSeqEntry seq{};
    seq.next_seq = next_seq;
    const auto words = seq.pack();
    return {regs::TableId::sa_seq, index, std::vector<uint32_t>(words.begin(), words.end()), false};
}

}  // namespace

std::vector<tables::TableWrite> with_sa_starts(const std::vector<tables::TableWrite>& entries,
                                               const SaStartPolicy& sa_start) {
    if (!sa_start) return entries;
    std::vector<tables::TableWrite> out;
    out.reserve(entries.size());
    for (const tables::TableWrite& w : entries) {
        regs::SaEntry entry;
        if (!is_outbound_sa(w, entry)) {
            out.push_back(w);
            continue;
        }
        const SaStart start = sa_start(w.index, entry);
        switch (start.kind) {
            case SaStart::Kind::fresh: out.push_back(w); break;
            case SaStart::Kind::resume:
                out.push_back(w);
                out.push_back(sa_seq_write(w.index, start.next_seq));
                break;
            case SaStart::Kind::refuse:
                out.push_back({w.table, w.index, std::vector<uint32_t>(w.words.size(), 0), w.redirect});
                break;
        }
    }
    return out;
}

TableDiff reconcile(drivers::Device& device, const tables::TableImage& desired, const tables::TableImage* previous,
                    const SaStartPolicy& sa_start) {
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
            std::vector<uint32_t> held = device.read_entry(w.table, w.index);
            if (held == now) continue;
            diff.changes.push_back(EntryChange{all_zero(held) ? ChangeKind::added : ChangeKind::changed, w.table, w.index,
                                               "", std::move(held), now});
        }
    }
    auto remove_if_set = [&](regs::TableId table, uint32_t index) {
        if (!card.has(table) || !seen.insert({table, index}).second) return;
        std::vector<uint32_t> held = device.read_entry(table, index);
        if (!all_zero(held)) diff.changes.push_back(EntryChange{ChangeKind::removed, table, index, "", std::move(held), {}});
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
    apply_diff(device, diff, desired, {}, sa_start);
    diff.policer_changed = false;
    return diff;
}

}  // namespace mplsec::runtime
