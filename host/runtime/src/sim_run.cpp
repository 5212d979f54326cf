#include "mplsec/sim_run.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/counters_json.hpp"
#include "mplsec/model_device.hpp"
#include "mplsec/pcap_io.hpp"
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
    std::vector<pcap::Frame> frames;
    try {
        frames = pcap::read_file(options.in_pcap);
    } catch (const pcap::PcapError& e) {
        throw UsageError(e.what());
    }
    if (options.out_dir.empty()) throw UsageError("--out-dir: missing");
    if (fs::exists(options.out_dir) && !fs::is_directory(options.out_dir))
        throw UsageError(options.out_dir + ": exists and is not a directory");

    auto device = drivers::make_model_device(options.engine == "rtl" ? drivers::ModelEngine::rtl
                                                                      : drivers::ModelEngine::hls_model);
    const drivers::Identity id = device->check_identity();
    if (options.in_port >= id.num_ports)
        throw UsageError("--in-port " + std::to_string(options.in_port) + ": the card has ports 0.." +
                         std::to_string(id.num_ports - 1));
    tables::TableImage image;
    try {
        image = tables::compile(config, id.clock_khz);
    } catch (const config::ConfigError& e) {
        throw UsageError(e.what());
    }
    apply_image(*device, image);

    for (const pcap::Frame& frame : frames) device->port_send(static_cast<uint8_t>(options.in_port), frame);
    std::vector<std::vector<pcap::Frame>> per_port(id.num_ports);
    for (drivers::TxFrame& tx : device->port_run())
        if (tx.port < per_port.size()) per_port[tx.port].push_back(std::move(tx.bytes));
    std::vector<pcap::Frame> punted;
    while (auto punt = device->pop_punt()) punted.push_back(std::move(punt->bytes));
    const json stats = stats_document(*device, config, image);

    fs::create_directories(options.out_dir);
    const fs::path dir(options.out_dir);
    for (std::size_t p = 0; p < per_port.size(); ++p)
        write_atomically(dir / ("port" + std::to_string(p) + ".pcap"),
                         [&](const fs::path& tmp) { pcap::write_file(tmp.string(), per_port[p]); });
    write_atomically(dir / "punt.pcap", [&](const fs::path& tmp) { pcap::write_file(tmp.string(), punted); });
    write_atomically(dir / "stats.json", [&](const fs::path& tmp) {
        std::ofstream out(tmp);
        out << stats.dump(2) << '\n';
        if (!out) throw std::runtime_error(tmp.string() + ": write failed");
    });
    return stats;
}

}  // namespace mplsec::runtime
