// mplsec sim run (DESIGN.md section 5.1).
#include <iostream>

#include "commands.hpp"
#include "mplsec/device.hpp"
#include "mplsec/sim_run.hpp"

namespace po = boost::program_options;

namespace mplsec::cli {
namespace {

void print_summary(const nlohmann::json& stats, const std::string& out_dir) {
    for (const auto& port : stats["ports"])
        std::cout << "port " << port["id"] << ": rx " << port["rx_packets"] << " frames / " << port["rx_bytes"]
                  << " bytes, tx " << port["tx_packets"] << " frames / " << port["tx_bytes"] << " bytes\n";
    for (const char* group : {"drops", "punts"}) {
        std::string line;
        for (const auto& [name, count] : stats[group].items())
            if (count.get<uint64_t>() > 0) line += " " + name + "=" + std::to_string(count.get<uint64_t>());
        std::cout << group << ":" << (line.empty() ? " none" : line) << '\n';
    }
    std::cout << "beats in " << stats["in_beats"] << ", cycles " << stats["cycles"] << '\n'
              << "wrote " << out_dir << "/{port0.pcap,port1.pcap,punt.pcap,stats.json}\n";
}

}  // namespace

int run_sim(const std::vector<std::string>& args) {
    runtime::SimRunOptions o;
    po::options_description options("options");
    options.add_options()
        ("config", po::value(&o.config_path)->required(), "configuration file (YAML or JSON)")
        ("in-port", po::value(&o.in_port)->required(), "port the frames arrive on")
        ("in", po::value(&o.in_pcap)->required(), "pcap of Ethernet frames to offer")
        ("out-dir", po::value(&o.out_dir)->required(), "directory for port<N>.pcap, punt.pcap, stats.json")
        ("engine", po::value(&o.engine)->default_value("rtl"), "datapath: rtl (Verilated RTL) or model (HLS C-model)")
        ("json", "print stats.json to stdout instead of a summary");
    po::variables_map vm;
    if (!parse_args("sim run", "--config CONFIG --in-port N --in IN.pcap --out-dir DIR [--engine rtl|model] [--json]",
                    args, options, {}, vm))
        return 0;
    try {
        const nlohmann::json stats = runtime::sim_run(o);
        for (const auto& warning : stats["warnings"])
            std::cerr << "mplsec sim run: warning: " << warning.get<std::string>() << '\n';
        if (vm.count("json"))
            std::cout << stats.dump(2) << '\n';
        else
            print_summary(stats, o.out_dir);
        return 0;
    } catch (const runtime::UsageError& e) {
        std::cerr << "mplsec sim run: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "mplsec sim run: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace mplsec::cli
