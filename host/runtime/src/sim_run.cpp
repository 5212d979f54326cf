#include "mplsec/sim_run.hpp"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/counters_json.hpp"
#include "mplsec/card_registers.hpp"
#include "mplsec/pcap_io.hpp"
#include "sim_device.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::runtime {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json reason_counters(drivers::Device& device, bool drops) {
    json out = json::object();
    for (const regs::ReasonInfo& reason : regs::kReasons) {
        if (reason.drop != drops) continue;
        out[reason.name] = device.counter(regs::CounterBank::reason, static_cast<uint32_t>(reason.code)).packets;
    }
    return out;
}

json stats_document(drivers::Device& device, const config::Config& config, const tables::TableImage& image) {
    json stats;
    const uint32_t num_ports = device.identity().num_ports;
    stats["ports"] = json::array();
    for (uint32_t p = 0; p < num_ports; ++p) {
        json row = {{"id", p}};
        row.update(port_counters(device, p));
        stats["ports"].push_back(std::move(row));
    }
    stats["drops"] = reason_counters(device, true);
    stats["punts"] = reason_counters(device, false);
    // Every configured SA, by name (zero on a card without the ESP stage).
    stats["sas"] = json::object();
    for (const config::Sa& sa : config.sas) stats["sas"][sa.name] = sa_counters(device, image.sa_index.at(sa.name));
    // Events the card raised, oldest first, with the SA's name.
    std::map<uint32_t, std::string> sa_name;
    for (const auto& [name, index] : image.sa_index) sa_name[index] = name;
    stats["events"] = json::array();
    while (const auto event = device.pop_event()) {
        const auto name = sa_name.find(event->index);
        stats["events"].push_back({{"event", event_name(event->code)},
                                   {"sa", name == sa_name.end() ? json(event->index) : json(name->second)}});
    }
    stats["in_beats"] = device.in_beats();
    stats["cycles"] = device.cycles();
    return stats;
}

// Writes `path` through a temporary name in the same directory, so a
// reader never sees half a file.
template <typename WriteFn>
void write_atomically(const fs::path& path, WriteFn write) {
    const fs::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    write(tmp);
    fs::rename(tmp, path);
}

// A private directory where the card writes its port pcaps; removed on every
// way out, so a failed run leaves nothing behind.
class StagingDir {
public:
    StagingDir() {
        const char* tmp = std::getenv("TMPDIR");
        std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mplsec-sim-run-XXXXXX";
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot make a staging directory in " + pattern);
        path_ = pattern;
    }
    ~StagingDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    StagingDir(const StagingDir&) = delete;
    StagingDir& operator=(const StagingDir&) = delete;
    fs::path operator/(const std::string& name) const { return path_ / name; }

private:
    fs::path path_;
};

fs::path port_pcap(unsigned port) { return "port" + std::to_string(port) + ".pcap"; }

// mplsec-sim arguments that bind every port to a pcap in `staging`: the
// input on `in_port` (linked in, so a path with a comma cannot break the
// binding), an output on each.
std::vector<std::string> pcap_bindings(const StagingDir& staging, const std::string& in_pcap, unsigned in_port,
                                       unsigned ports) {
    const fs::path in = staging / "in.pcap";
    fs::create_symlink(fs::absolute(in_pcap), in);
    std::vector<std::string> args = {"--ports", std::to_string(ports)};
    for (unsigned p = 0; p < ports; ++p) {
        const std::string input = p == in_port ? in.string() : "";
        args.insert(args.end(), {"--port", std::to_string(p) + "=pcap:" + input + "," + (staging / port_pcap(p).string()).string()});
    }
    return args;
}

}  // namespace

json sim_run(const SimRunOptions& options) {
    // Everything that can be wrong with the input is checked before the
    // first byte is written.
    if (options.engine != "rtl" && options.engine != "model")
        throw UsageError("--engine " + options.engine + ": expected rtl or model");
    config::Config config;
    try {
        config = config::load_file(options.config_path);
    } catch (const config::ConfigError& e) {
        throw UsageError(e.what());
    }
    try {
        pcap::read_file(options.in_pcap);  // the card reads it again through its port
    } catch (const pcap::PcapError& e) {
        throw UsageError(e.what());
    }
    if (options.out_dir.empty()) throw UsageError("--out-dir: missing");
    if (fs::exists(options.out_dir) && !fs::is_directory(options.out_dir))
        throw UsageError(options.out_dir + ": exists and is not a directory");

    // The offline run is the live card with pcap-bound ports: the same
    // mplsec-sim process (SystemC top, socket server, port code) that a
    // router runs, loaded over its socket the way mplsecd loads it.
    constexpr unsigned kPorts = sim::CardRegisters::kNumPorts;
    if (options.in_port >= kPorts)
        throw UsageError("--in-port " + std::to_string(options.in_port) + ": the card has ports 0.." +
                         std::to_string(kPorts - 1));
    const StagingDir staging;
    std::vector<std::string> card_args = {"--pcie-time", "off", "--quiet"};
    for (std::string& arg : pcap_bindings(staging, options.in_pcap, options.in_port, kPorts))
        card_args.push_back(std::move(arg));
    auto device = drivers::SimDevice::spawn(options.engine, card_args);
    const drivers::Identity id = device->check_identity();
    tables::TableImage image;
    try {
        image = tables::compile(config, id.clock_khz);
    } catch (const config::ConfigError& e) {
        throw UsageError(e.what());
    }
    apply_image(*device, image);

    device->replay_ports();
    std::vector<pcap::Frame> punted;
    while (auto punt = device->pop_punt()) punted.push_back(std::move(punt->bytes));
    json stats = stats_document(*device, config, image);
    stats["warnings"] = json::array();
    // A datapath without the ESP stage drops what the SAs would carry (the
    // card never sends in the clear what the operator asked to encrypt);
    // say so, since the other engine would have sent it.
    if (!config.sas.empty() && !(id.features >> regs::kFeatureEspGcm & 1))
        stats["warnings"].push_back("the " + options.engine + " datapath has no ESP stage yet: traffic for the " +
                                    std::to_string(config.sas.size()) +
                                    " configured SAs drops as esp_no_sa (--engine model runs ESP)");

    fs::create_directories(options.out_dir);
    const fs::path dir(options.out_dir);
    for (unsigned p = 0; p < kPorts; ++p)
        write_atomically(dir / port_pcap(p), [&](const fs::path& tmp) {
            fs::copy_file(staging / port_pcap(p).string(), tmp, fs::copy_options::overwrite_existing);
        });
    write_atomically(dir / "punt.pcap", [&](const fs::path& tmp) { pcap::write_file(tmp.string(), punted); });
    write_atomically(dir / "stats.json", [&](const fs::path& tmp) {
        std::ofstream out(tmp);
        out << stats.dump(2) << '\n';
        if (!out) throw std::runtime_error(tmp.string() + ": write failed");
    });
    return stats;
}

}  // namespace mplsec::runtime
