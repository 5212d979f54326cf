// Table manager figures on the model card (wall clock, this machine): ILM
// entries per second through single register-window writes, the time to
// parse, compile and load 65,000 labels and 64,000 routes, and the size and
// time of a one-route change compiled against the running image. Figures
// only; nothing is asserted.
#include <chrono>
#include <cstdio>
#include <sstream>
#include <string>

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

}  // namespace

int main() {
    single_writes();
    full_load();
    return 0;
}
