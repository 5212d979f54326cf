// `mplsec sim run` (DESIGN.md section 5.1): one pcap through a fresh
// virtual card, outputs and stats into a directory.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace mplsec::runtime {

struct SimRunOptions {
    std::string config_path;
    std::string in_pcap;
    std::string out_dir;
    unsigned in_port = 0;
    std::string engine = "rtl";  // rtl | model
};

// Bad input (config, pcap, port, engine): thrown as UsageError, and
// nothing is written.
class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs and returns the stats.json document it wrote.
nlohmann::json sim_run(const SimRunOptions& options);

}  // namespace mplsec::runtime
