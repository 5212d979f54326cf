// mplsec stats [--watch [--interval S] [--count N]]: the running card's port
// and reason counters, with per-second rates between refreshes.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <thread>

#include "api_client.hpp"
#include "commands.hpp"
#include "text_table.hpp"

namespace po = boost::program_options;
using nlohmann::json;

namespace mplsec::cli {
namespace {

struct Sample {
    json stats;  // the daemon's `show stats` result
    std::chrono::steady_clock::time_point taken;
};

// Per second between two readings of one counter; null before the second sample.
json rate(const json& now, const json* before, const char* key, double seconds) {
    if (!before || seconds <= 0) return nullptr;
    const double delta = now[key].get<double>() - (*before)[key].get<double>();
    return std::round(delta / seconds * 10) / 10;  // a counter cleared in between gives a negative rate, shown as is
}

// One refresh as JSON: the counters with `_per_s` rates beside them.
json with_rates(const Sample& now, const std::optional<Sample>& before) {
    const double seconds = before ? std::chrono::duration<double>(now.taken - before->taken).count() : 0;
    json out = {{"interval_s", before ? json(std::round(seconds * 1000) / 1000) : json(nullptr)},
                {"ports", json::array()},
                {"reasons", json::array()}};
    const json& ports = now.stats["ports"];
    for (std::size_t i = 0; i < ports.size(); ++i) {
        const json* old = before && i < before->stats["ports"].size() ? &before->stats["ports"][i] : nullptr;
        json row = ports[i];
        for (const char* key : {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes"})
            row[std::string(key) + "_per_s"] = rate(ports[i], old, key, seconds);
        out["ports"].push_back(std::move(row));
    }
    const json& reasons = now.stats["reasons"];
    for (std::size_t i = 0; i < reasons.size(); ++i) {
        const json* old = before && i < before->stats["reasons"].size() ? &before->stats["reasons"][i] : nullptr;
        json row = reasons[i];
        row["packets_per_s"] = rate(reasons[i], old, "packets", seconds);
        out["reasons"].push_back(std::move(row));
    }
    return out;
}

std::string rate_cell(const json& value) {
    if (value.is_null()) return "-";
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value.get<double>());
    return text;
}

void print_human(const json& refresh) {
    std::vector<TextRow> ports;
    for (const json& p : refresh["ports"])
        ports.push_back({p["id"].dump(), p["rx_packets"].dump(), rate_cell(p["rx_packets_per_s"]), p["rx_bytes"].dump(),
                         rate_cell(p["rx_bytes_per_s"]), p["tx_packets"].dump(), rate_cell(p["tx_packets_per_s"]),
                         p["tx_bytes"].dump(), rate_cell(p["tx_bytes_per_s"])});
    print_table(std::cout, {"PORT", "RX-PACKETS", "RX-PPS", "RX-BYTES", "RX-BYTES/S", "TX-PACKETS", "TX-PPS", "TX-BYTES", "TX-BYTES/S"},
                ports);
    std::cout << '\n';
    std::vector<TextRow> reasons;
    for (const json& r : refresh["reasons"])
        reasons.push_back({cell(r["kind"]), cell(r["name"]), r["packets"].dump(), rate_cell(r["packets_per_s"]),
                           r["bytes"].dump()});
    print_table(std::cout, {"KIND", "REASON", "PACKETS", "PPS", "BYTES"}, reasons);
}

}  // namespace

int run_stats(const std::vector<std::string>& args) {
    std::string socket;
    double interval = 1.0;
    long count = 0;
    po::options_description options("options");
    options.add_options()("watch", "refresh until interrupted (or --count refreshes)")(
        "interval", po::value(&interval)->default_value(1.0), "seconds between refreshes")(
        "count", po::value(&count), "stop after this many refreshes (default: 1, or unlimited with --watch)")(
        "json", "print one JSON object per refresh, one a line")("socket", po::value(&socket), kSocketHelp);
    po::variables_map vm;
    if (!parse_args("stats", "[--watch] [--interval S] [--count N] [--json] [--socket PATH]", args, options, {}, vm))
        return 0;
    if (!(interval > 0) || interval > 3600) {
        std::cerr << "mplsec stats: --interval " << interval << ": expected seconds in (0, 3600]\n";
        return 2;
    }
    if (vm.count("count") && count < 1) {
        std::cerr << "mplsec stats: --count " << count << ": expected 1 or more\n";
        return 2;
    }
    const bool watch = vm.count("watch") > 0;
    const bool as_json = vm.count("json") > 0;
    if (!vm.count("count")) count = watch ? -1 : 1;  // -1: until interrupted
    // A terminal gets the screen redrawn in place; a file or pipe gets one
    // block per refresh.
    const bool redraw = watch && !as_json && ::isatty(STDOUT_FILENO);

    std::optional<Sample> before;
    const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(interval));
    auto next = std::chrono::steady_clock::now();
    for (long n = 0; count < 0 || n < count; ++n) {
        if (n > 0) {
            next += period;
            std::this_thread::sleep_until(next);
        }
        Sample now;
        if (const int status = call_daemon("stats", socket, "show", {{"what", "stats"}}, now.stats)) return status;
        now.taken = std::chrono::steady_clock::now();
        const json refresh = with_rates(now, before);
        if (as_json) {
            std::cout << refresh.dump() << std::endl;  // one line a refresh, flushed for a reader on a pipe
        } else {
            if (redraw) std::cout << "\033[H\033[2J";
            else if (n > 0) std::cout << '\n';
            print_human(refresh);
            std::cout.flush();
        }
        before = std::move(now);
    }
    return 0;
}

}  // namespace mplsec::cli
