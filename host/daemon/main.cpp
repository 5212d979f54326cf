// mplsecd: keeps a card's tables equal to a configuration file.
// Loads and checks the file, opens the device it names (the virtual card
// when it names none), writes the tables with read-back, then waits;
// SIGHUP reloads the file, SIGTERM/SIGINT stop it.
#include <unistd.h>

#include <csignal>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/spdlog.h>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/table_image.hpp"
#include "mplsec/version.hpp"

namespace po = boost::program_options;

namespace {

volatile std::sig_atomic_t g_stop = 0;
volatile std::sig_atomic_t g_reload = 0;

void on_signal(int sig) {
    if (sig == SIGHUP)
        g_reload = 1;
    else
        g_stop = 1;
}

void apply_config(mplsec::drivers::Device& device, const mplsec::config::Config& config) {
    const auto id = device.identity();
    const auto image = mplsec::tables::compile(config, id.clock_khz);
    const auto report = mplsec::runtime::apply_image(device, image);
    spdlog::info("applied {}: {} table entries written and read back", config.source, report.entries_written);
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    std::string device_override;
    po::options_description options("usage: mplsecd --config CONFIG [options]\n\noptions");
    options.add_options()("help,h", "show this help")("version", "print the version")(
        "config", po::value(&config_path), "configuration file (YAML or JSON)")(
        "device", po::value(&device_override), "device to open, overriding the file's `device` (model, sim, xrt:N)")(
        "check", "load and apply once, then exit (for scripts and tests)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "mplsecd: " << e.what() << "; see 'mplsecd --help'\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << options << '\n';
        return 0;
    }
    if (vm.count("version")) {
        std::cout << "mplsecd " << mplsec::kVersion << '\n';
        return 0;
    }
    if (config_path.empty()) {
        std::cerr << "mplsecd: --config is required; see 'mplsecd --help'\n";
        return 2;
    }

    mplsec::config::Config config;
    try {
        config = mplsec::config::load_file(config_path);
    } catch (const mplsec::config::ConfigError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    }
    const std::string spec = !device_override.empty() ? device_override : (config.device.empty() ? "sim" : config.device);
    std::unique_ptr<mplsec::drivers::Device> device;
    try {
        device = mplsec::drivers::open_device(spec);
        const auto id = device->check_identity();
        spdlog::info("opened {}: register map {}.{}, {} ports", device->name(), id.regmap_version >> 16,
                     id.regmap_version & 0xffff, id.num_ports);
        apply_config(*device, config);
    } catch (const mplsec::config::ConfigError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
    if (vm.count("check")) return 0;

    std::signal(SIGHUP, on_signal);
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    spdlog::info("running; SIGHUP reloads {}, SIGTERM stops", config_path);
    while (!g_stop) {
        pause();
        if (g_reload) {
            g_reload = 0;
            try {
                apply_config(*device, mplsec::config::load_file(config_path));
            } catch (const std::exception& e) {
                spdlog::error("reload refused, the card keeps its tables: {}", e.what());
            }
        }
    }
    spdlog::info("stopped");
    return 0;
}
