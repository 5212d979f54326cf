// Table manager figures (wall clock, this machine). On the model card: ILM
// entries per second through single register-window writes, the time to
// parse, compile and load 65,000 labels and 64,000 routes, and the size and
// time of a one-route change compiled against the running image. On the
// virtual card (the `sim` backend, a separate process): ILM entries per
// second programmed one MMIO transaction at a time, one bulk transfer per
// entry, and in bulk runs (its DMA path), and the time to load the whole
// 2^20-label ILM (with its 2^16 NHLFEs). Figures only; nothing is asserted.
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>
#include <algorithm>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/table_image.hpp"

using namespace mplsec;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void single_writes() {
    auto card = drivers::open_device("model");
    constexpr uint32_t kEntries = 200000;
    const auto t0 = std::chrono::steady_clock::now();
    for (uint32_t label = 16; label < 16 + kEntries; ++label)
        card->write_entry(regs::TableId::ilm, label, {regs::IlmEntry{1, 2, label & 0xffff}.pack()[0]});
    const double w = seconds_since(t0);
    const auto t1 = std::chrono::steady_clock::now();
    uint32_t sum = 0;
    for (uint32_t label = 16; label < 16 + kEntries; ++label) sum += card->read_entry(regs::TableId::ilm, label)[0];
    const double r = seconds_since(t1);
    std::printf("ILM single writes:  %u entries  %10.0f entries/s written  %10.0f entries/s read back  (%u)\n",
                kEntries, kEntries / w, kEntries / r, sum & 1);
}

std::string big_config(uint32_t labels, uint32_t routes, bool extra_route) {
    std::ostringstream y;
    y << "device: model\nports:\n  - {id: 0, mac: \"02:00:00:00:00:01\", vrf: blue}\n"
      << "  - {id: 1, mac: \"02:00:00:00:01:01\"}\nnexthops:\n"
      << "  - {name: p, port: 1, mac: \"02:00:00:00:02:01\"}\nilm:\n";
    for (uint32_t i = 0; i < labels; ++i)
        y << "  - {label: " << 16 + i << ", action: swap, out_labels: [" << 100000 + i << "], nexthop: p, ports: [1]}\n";
    y << "vrfs:\n  - name: blue\n    routes:\n";
    if (extra_route) y << "      - {prefix: \"10.7.7.128/25\", nexthop: p, push: [99]}\n";
    for (uint32_t i = 0; i < routes; ++i)
        y << "      - {prefix: \"10." << (i >> 8) << '.' << (i & 255) << ".0/24\", nexthop: p, push: [" << 200000 + i
          << "]}\n";
    return y.str();
}

void full_load() {
    constexpr uint32_t kLabels = 65000, kRoutes = 64000;
    auto card = drivers::open_device("model");
    const uint32_t clock = card->check_identity().clock_khz;
    const std::string text = big_config(kLabels, kRoutes, false);
    auto t = std::chrono::steady_clock::now();
    const config::Config c = config::load_string(text, "big.yaml");
    const double parse = seconds_since(t);
    t = std::chrono::steady_clock::now();
    const tables::TableImage image = tables::compile(c, clock);
    const double compile = seconds_since(t);
    t = std::chrono::steady_clock::now();
    const runtime::ApplyReport report = runtime::apply_image(*card, image);
    const double load = seconds_since(t);
    std::printf("%u labels + %u routes: parse %.2f s, compile %.2f s, write + read back %.2f s (%zu entries, %.0f/s)\n",
                kLabels, kRoutes, parse, compile, load, report.entries_written, report.entries_written / load);

    // One more route, compiled against the running image and applied.
    const config::Config c2 = config::load_string(big_config(kLabels, kRoutes, true), "big2.yaml");
    t = std::chrono::steady_clock::now();
    const tables::TableImage next = tables::compile(c2, clock, &image);
    const double compile2 = seconds_since(t);
    t = std::chrono::steady_clock::now();
    const runtime::TableDiff diff = runtime::diff_images(image, next);
    const double diff_time = seconds_since(t);
    t = std::chrono::steady_clock::now();
    runtime::apply_diff(*card, diff, next);
    const double apply = seconds_since(t);
    std::printf("one route added:    compile against previous %.2f s, diff %.2f s (%zu entries), apply %.4f s\n",
                compile2, diff_time, diff.changes.size(), apply);
    t = std::chrono::steady_clock::now();
    const runtime::TableDiff fixed = runtime::reconcile(*card, next, &image);
    std::printf("reconcile (nothing to fix): %.2f s, %zu entries differed\n", seconds_since(t), fixed.changes.size());
}

std::vector<uint32_t> ilm_words(uint32_t first, uint32_t count) {
    std::vector<uint32_t> words(count);
    for (uint32_t n = 0; n < count; ++n) words[n] = regs::IlmEntry{1, 2, (first + n) & 0xffff}.pack()[0];
    return words;
}

void virtual_card() {
    auto card = drivers::open_device("sim");
    constexpr uint32_t kSingle = 20000;
    const std::vector<uint32_t> some = ilm_words(16, kSingle);

    // Register window: DATA0, INDEX, CMD written and STATUS read, per entry.
    auto t = std::chrono::steady_clock::now();
    for (uint32_t n = 0; n < kSingle; ++n) card->drivers::Device::write_entries(regs::TableId::ilm, 16 + n, 1, &some[n]);
    const double mmio = seconds_since(t);
    // One bulk transfer per entry.
    t = std::chrono::steady_clock::now();
    for (uint32_t n = 0; n < kSingle; ++n) card->write_entries(regs::TableId::ilm, 16 + n, 1, &some[n]);
    const double single_bulk = seconds_since(t);
    // Read back one entry at a time (INDEX, CMD, STATUS, DATA0).
    t = std::chrono::steady_clock::now();
    uint32_t differ = 0;
    for (uint32_t n = 0; n < kSingle; ++n) differ += card->read_entry(regs::TableId::ilm, 16 + n)[0] != some[n];
    const double read_back = seconds_since(t);
    std::printf("sim ILM, %u entries: register window %9.0f entries/s, one bulk transfer each %9.0f entries/s, "
                "read back %9.0f entries/s (%u differ)\n",
                kSingle, kSingle / mmio, kSingle / single_bulk, kSingle / read_back, differ);

    // The whole ILM and every NHLFE, in runs of the table manager's size.
    const uint32_t labels = regs::table_info(regs::TableId::ilm).depth - 16;
    const uint32_t nhlfes = regs::table_info(regs::TableId::nhlfe).depth;
    const std::vector<uint32_t> all = ilm_words(16, labels);
    std::vector<uint32_t> nhlfe_words;
    for (uint32_t i = 0; i < nhlfes; ++i) {
        regs::NhlfeEntry e;
        e.op = static_cast<uint64_t>(regs::NhlfeOp::swap);
        e.n_labels = 1;
        e.label0 = 16 + i;
        for (uint32_t w : e.pack()) nhlfe_words.push_back(w);
    }
    const uint32_t run = static_cast<uint32_t>(runtime::kMaxRun);
    t = std::chrono::steady_clock::now();
    for (uint32_t done = 0; done < nhlfes; done += run)
        card->write_entries(regs::TableId::nhlfe, done, std::min(run, nhlfes - done), &nhlfe_words[std::size_t{done} * 3]);
    const double nhlfe_load = seconds_since(t);
    t = std::chrono::steady_clock::now();
    for (uint32_t done = 0; done < labels; done += run)
        card->write_entries(regs::TableId::ilm, 16 + done, std::min(run, labels - done), &all[done]);
    const double ilm_load = seconds_since(t);
    std::printf("sim full table by bulk runs of %u: %u ILM entries in %.2f s (%.0f entries/s), %u NHLFEs in %.2f s; "
                "by register window it would take %.0f s, read back one by one %.0f s\n",
                run, labels, ilm_load, labels / ilm_load, nhlfes, nhlfe_load, labels * mmio / kSingle,
                labels * read_back / kSingle);
    // Spot check that the bulk load landed.
    std::printf("sim spot check: label 1048575 -> %s\n",
                card->read_entry(regs::TableId::ilm, 1048575)[0] == all.back() ? "as written" : "DIFFERENT");
}

// The same whole-ILM load on the model card, through the table manager
// (bulk runs, every entry read back).
void model_full_ilm() {
    auto card = drivers::open_device("model");
    const uint32_t labels = regs::table_info(regs::TableId::ilm).depth - 16;
    std::vector<tables::TableWrite> entries;
    entries.reserve(labels);
    for (uint32_t label = 16; label < 16 + labels; ++label)
        entries.push_back({regs::TableId::ilm, label, {regs::IlmEntry{1, 2, label & 0xffff}.pack()[0]}, true});
    const auto t = std::chrono::steady_clock::now();
    const runtime::ApplyReport report = runtime::write_entries_verified(*card, entries);
    const double s = seconds_since(t);
    std::printf("model full ILM through the table manager: %zu entries in %zu runs, written and read back in %.2f s "
                "(%.0f entries/s)\n",
                report.entries_written, report.runs, s, report.entries_written / s);
}

}  // namespace

int main() {
    single_writes();
    full_load();
    model_full_ilm();
    virtual_card();
    return 0;
}
