#include "mplsec/table_diff.hpp"

#include "mplsec/apply.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <utility>

namespace mplsec::runtime {
namespace {

using tables::TableImage;
using Key = std::pair<regs::TableId, uint32_t>;


// Final contents of every entry an image writes (a later write of the same
// entry wins, as it does on the card).
std::map<Key, const std::vector<uint32_t>*> contents(const TableImage& image) {
    std::map<Key, const std::vector<uint32_t>*> out;
    for (const tables::TableWrite& w : image.writes) out[{w.table, w.index}] = &w.words;
    return out;
}

template <typename Map>
std::string name_of(const Map& names, uint32_t index) {
    for (const auto& [name, i] : names)
        if (i == index) return name;
    return "#" + std::to_string(index);
}

std::string label_of_nhlfe(const TableImage& image, uint32_t index) {
    for (const auto& [label, i] : image.nhlfe_of_label)
        if (i == index) return "label " + std::to_string(label);
    return "";
}

std::string entry_name(regs::TableId table, uint32_t index, const TableImage& image) {
    switch (table) {
        case regs::TableId::port: return "port " + std::to_string(index);
        case regs::TableId::ilm: return "label " + std::to_string(index);
        case regs::TableId::nhlfe: return label_of_nhlfe(image, index);
        case regs::TableId::nexthop: return name_of(image.nexthop_index, index);
        case regs::TableId::vrf: return name_of(image.vrf_index, index);
        case regs::TableId::route:
            return index < image.routes.size() ? image.routes[index].vrf + " " + image.routes[index].prefix : "";
        default: return "";
    }
}

std::string labels(uint64_t n, uint64_t l0, uint64_t l1, uint64_t l2) {
    const uint64_t all[3] = {l0, l1, l2};
    std::string out = "[";
    for (uint64_t i = 0; i < n && i < 3; ++i) out += (i ? "," : "") + std::to_string(all[i]);
    return out + "]";
}

std::string mac(uint64_t value) {
    char buf[18];
    std::snprintf(buf, sizeof buf, "%02x:%02x:%02x:%02x:%02x:%02x", unsigned(value >> 40 & 0xff),
                  unsigned(value >> 32 & 0xff), unsigned(value >> 24 & 0xff), unsigned(value >> 16 & 0xff),
                  unsigned(value >> 8 & 0xff), unsigned(value & 0xff));
    return buf;
}

std::string hex_words(const std::vector<uint32_t>& words) {
    std::string out;
    for (auto it = words.rbegin(); it != words.rend(); ++it) {  // most significant word first
        char buf[12];
        std::snprintf(buf, sizeof buf, "%s%08x", out.empty() ? "0x" : "_", *it);
        out += buf;
    }
    return out;
}

const char* op_name(uint64_t op) {
    switch (static_cast<regs::NhlfeOp>(op)) {
        case regs::NhlfeOp::swap: return "swap";
        case regs::NhlfeOp::pop: return "pop";
        case regs::NhlfeOp::pop_lookup: return "pop-lookup";
        case regs::NhlfeOp::punt: return "punt";
        case regs::NhlfeOp::drop: break;
    }
    return "drop";
}

std::string describe_nhlfe(const regs::NhlfeEntry& e, const TableImage& image) {
    std::string out = op_name(e.op);
    const auto op = static_cast<regs::NhlfeOp>(e.op);
    if (op == regs::NhlfeOp::swap) out += " " + labels(e.n_labels, e.label0, e.label1, e.label2);
    if (op == regs::NhlfeOp::swap || op == regs::NhlfeOp::pop)
        out += " via " + name_of(image.nexthop_index, static_cast<uint32_t>(e.nexthop));
    if (op == regs::NhlfeOp::pop_lookup) out += " vrf " + name_of(image.vrf_index, static_cast<uint32_t>(e.vrf));
    if (e.ttl_pipe) out += " ttl pipe";
    if (e.tc_set) out += " tc " + std::to_string(e.tc);
    return out;
}

std::string describe_route(const regs::RouteEntry& e, const TableImage& image) {
    std::string out = "via " + name_of(image.nexthop_index, static_cast<uint32_t>(e.nexthop));
    if (e.n_push) out += " push " + labels(e.n_push, e.label0, e.label1, e.label2);
    if (e.sa_valid) out += " sa " + name_of(image.sa_index, static_cast<uint32_t>(e.sa));
    if (e.ttl_pipe) out += " ttl pipe";
    return out;
}

std::string describe_valid(regs::TableId table, const std::vector<uint32_t>& w, const TableImage& image) {
    switch (table) {
        case regs::TableId::port: {
            const auto e = regs::PortEntry::unpack(w.data());
            return "mac " + mac(e.mac) + (e.vrf_valid ? " vrf " + name_of(image.vrf_index, uint32_t(e.vrf)) : "") +
                   " mtu " + std::to_string(e.mtu);
        }
        case regs::TableId::ilm: {
            const auto e = regs::IlmEntry::unpack(w.data());
            std::string ports;
            for (unsigned p = 0; p < 4; ++p)
                if (e.port_mask >> p & 1) ports += (ports.empty() ? "" : ",") + std::to_string(p);
            return "nhlfe " + std::to_string(e.nhlfe) + " on ports [" + ports + "]";
        }
        case regs::TableId::nhlfe: return describe_nhlfe(regs::NhlfeEntry::unpack(w.data()), image);
        case regs::TableId::nexthop: {
            const auto e = regs::NexthopEntry::unpack(w.data());
            return "port " + std::to_string(e.port) + " mac " + mac(e.dmac) +
                   (e.vlan_valid ? " vlan " + std::to_string(e.vlan) : "");
        }
        case regs::TableId::vrf:
            return regs::VrfEntry::unpack(w.data()).require_esp ? "require_esp" : "plaintext allowed";
        case regs::TableId::route: return describe_route(regs::RouteEntry::unpack(w.data()), image);
        default: return hex_words(w);
    }
}

}  // namespace

const char* to_string(ChangeKind kind) {
    switch (kind) {
        case ChangeKind::added: return "added";
        case ChangeKind::changed: return "changed";
        case ChangeKind::removed: break;
    }
    return "removed";
}

std::string describe_entry(regs::TableId table, const std::vector<uint32_t>& words, const TableImage& image) {
    if (words.size() < regs::table_info(table).words) return "-";
    if (std::all_of(words.begin(), words.end(), [](uint32_t w) { return w == 0; })) return "empty";
    return describe_valid(table, words, image);
}

TableDiff diff_images(const TableImage& from, const TableImage& to) {
    TableDiff diff;
    const auto old_entries = contents(from);
    const auto new_entries = contents(to);
    std::set<Key> seen;
    // Phase 1 creates (and changes in place) what the datapath reaches
    // only through a pointer, phase 2 redirects (ILM entries, ports, the
    // root slots of existing VRFs); each in the image's order, targets
    // before pointers.
    for (const bool redirect : {false, true}) {
        for (const tables::TableWrite& w : to.writes) {
            if (w.redirect != redirect) continue;
            const Key key{w.table, w.index};
            if (!seen.insert(key).second) continue;
            const std::vector<uint32_t>& now = *new_entries.at(key);
            const auto before = old_entries.find(key);
            if (before != old_entries.end() && *before->second == now) continue;
            EntryChange c{before == old_entries.end() ? ChangeKind::added : ChangeKind::changed, w.table, w.index,
                          entry_name(w.table, w.index, to), {}, now};
            if (before != old_entries.end()) c.old_words = *before->second;
            diff.changes.push_back(std::move(c));
        }
    }
    // Phase 3: removals, pointers before what they point to.
    for (auto it = from.writes.rbegin(); it != from.writes.rend(); ++it) {
        const Key key{it->table, it->index};
        if (new_entries.count(key) || !seen.insert(key).second) continue;
        diff.changes.push_back(EntryChange{ChangeKind::removed, it->table, it->index,
                                           entry_name(it->table, it->index, from), *old_entries.at(key), {}});
    }
    diff.policer_changed = from.policer_rate != to.policer_rate || from.policer_burst != to.policer_burst;
    return diff;
}

void apply_diff(drivers::Device& device, const TableDiff& diff, const TableImage& to, const Progress& progress,
                const SaStartPolicy& sa_start) {
    // diff.changes is already in transaction order (creates, redirects,
    // removals); written in runs, each read back before the next, so a
    // mismatch stops the transaction before anything relies on the entry.
    std::vector<tables::TableWrite> entries;
    entries.reserve(diff.changes.size());
    for (const EntryChange& c : diff.changes)
        entries.push_back({c.table, c.index,
                           c.kind == ChangeKind::removed ? std::vector<uint32_t>(regs::table_info(c.table).words, 0)
                                                         : c.new_words,
                           false});
    write_entries_verified(device, with_sa_starts(entries, sa_start), progress);
    if (diff.policer_changed) set_punt_policers(device, to);
}

}  // namespace mplsec::runtime
