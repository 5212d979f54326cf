// mplsec device list|info|load.
#include <filesystem>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "api_client.hpp"
#include "commands.hpp"
#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/identity_json.hpp"
#include "mplsec/table_image.hpp"
#include "progress.hpp"

namespace po = boost::program_options;
using nlohmann::json;

namespace mplsec::cli {
namespace {

void print_fields(const json& object) {
    for (const auto& [key, value] : object.items())
        std::cout << std::left << std::setw(16) << key << (value.is_string() ? value.get<std::string>() : value.dump())
                  << '\n';
}

// `device load --device D`: no daemon involved; the card is programmed (or,
// virtual, reinitialised) and optionally loaded with a config's tables.
int load_here(const std::string& xclbin, const std::string& spec, const std::string& config_path, bool as_json) {
    try {
        auto device = drivers::open_device(spec);
        json out = {{"device", device->name()}, {"xclbin", xclbin}};
        {
            ProgressBar bar("load", as_json);
            bar.phase("check and program " + xclbin, 1, 1);
            out["identity"] = runtime::identity_json(drivers::load_bitstream(*device, xclbin));
            bar.complete("programmed, identity checked");
        }
        if (!config_path.empty()) {
            const config::Config config = config::load_file(config_path);
            const tables::TableImage image = tables::compile(config, device->identity().clock_khz);
            ProgressBar bar("tables", as_json);
            const runtime::ApplyReport report = runtime::apply_image(
                *device, image, [&bar](std::size_t done, std::size_t total) { bar.update(done, total, "entries"); });
            bar.finish();
            out["tables"] = {{"config", config_path}, {"entries", report.entries_written}, {"bulk_runs", report.runs}};
        }
        if (as_json) {
            std::cout << out.dump(2) << '\n';
        } else {
            print_fields({{"device", out["device"]}, {"xclbin", xclbin}});
            print_fields(out["identity"]);
            if (out.contains("tables"))
                std::cout << "tables          " << out["tables"]["entries"] << " entries from " << config_path
                          << " written in " << out["tables"]["bulk_runs"] << " runs and read back\n";
        }
        return 0;
    } catch (const drivers::XclbinRefused& e) {
        std::cerr << "mplsec device load: " << e.what() << '\n';
        return 2;
    } catch (const config::ConfigError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const drivers::DeviceError& e) {
        std::cerr << "mplsec device load: " << e.what() << '\n';
        return 1;
    }
}

// `device load` with no --device: the running mplsecd loads its card and
// puts its running tables back (its reconcile path).
int load_through_daemon(const std::string& xclbin, const std::string& socket, bool as_json) {
    std::error_code ec;
    const std::string path = std::filesystem::absolute(xclbin, ec).string();  // the daemon has its own cwd
    json result;
    int status = 0;
    {
        ProgressBar bar("load", as_json);
        bar.phase("mplsecd checks, programs and restores its tables", 1, 1);
        status = call_daemon("device load", socket, "load", {{"xclbin", ec ? xclbin : path}}, result);
        if (status == 0) bar.complete("programmed, identity checked, tables restored");
    }
    if (status != 0) return status;
    if (as_json) {
        std::cout << result.dump(2) << '\n';
        return 0;
    }
    print_fields({{"device", result["device"]}, {"xclbin", xclbin}});
    print_fields(result["identity"]);
    std::cout << "tables          " << result["reconciled"]["changes"].size()
              << " entries written back by mplsecd (reconcile after the load)\n";
    return 0;
}

}  // namespace

int run_device_list(const std::vector<std::string>& args) {
    po::options_description options("options");
    options.add_options()("json", "print as JSON");
    po::variables_map vm;
    if (!parse_args("device list", "[--json]", args, options, {}, vm)) return 0;
    json devices = json::array();
    const std::vector<std::string> cards = drivers::list_alveo_cards();
    for (std::size_t i = 0; i < cards.size(); ++i)
        devices.push_back({{"device", "xrt:" + std::to_string(i)}, {"kind", "Alveo card at " + cards[i] + " (xocl)"}});
    devices.push_back({{"device", "model"}, {"kind", "in-process card, HLS C-model datapath"}});
    devices.push_back({{"device", "model:rtl"}, {"kind", "in-process card, Verilated RTL datapath"}});
    devices.push_back({{"device", "sim"}, {"kind", "virtual card process (mplsec-sim: SystemC top, Verilated RTL)"}});
    if (vm.count("json")) {
        std::cout << devices.dump(2) << '\n';
        return 0;
    }
    for (const auto& d : devices)
        std::cout << std::left << std::setw(12) << d["device"].get<std::string>() << d["kind"].get<std::string>()
                  << '\n';
    return 0;
}

int run_device_info(const std::vector<std::string>& args) {
    std::string spec = "model";
    po::options_description options("options");
    options.add_options()("device", po::value(&spec)->default_value("model"), "device to open (model, model:rtl, sim, xrt:N)")(
        "json", "print as JSON");
    po::variables_map vm;
    if (!parse_args("device info", "[--device SPEC] [--json]", args, options, {}, vm)) return 0;
    try {
        auto device = drivers::open_device(spec);
        json info = {{"device", device->name()}};
        info.update(runtime::identity_json(device->check_identity()));
        if (vm.count("json"))
            std::cout << info.dump(2) << '\n';
        else
            print_fields(info);
        return 0;
    } catch (const drivers::DeviceError& e) {
        std::cerr << "mplsec device info: " << e.what() << '\n';
        return 1;
    }
}

int run_device_load(const std::vector<std::string>& args) {
    std::string xclbin, spec, config_path, socket;
    po::options_description options("options");
    options.add_options()("xclbin", po::value(&xclbin)->required(), "the mplsec xclbin to load")(
        "device", po::value(&spec),
        "load this device here (model, model:rtl, sim, xrt:N) instead of the running mplsecd's card")(
        "config", po::value(&config_path), "with --device: then write this configuration's tables")(
        "json", "print as JSON")("socket", po::value(&socket), kSocketHelp);
    po::positional_options_description positionals;
    positionals.add("xclbin", 1);
    po::variables_map vm;
    if (!parse_args("device load", "XCLBIN [--device SPEC [--config CONFIG]] [--json] [--socket PATH]", args, options,
                    positionals, vm))
        return 0;
    const bool as_json = vm.count("json") > 0;
    if (spec.empty()) {
        if (!config_path.empty()) {
            std::cerr << "mplsec device load: --config goes with --device (mplsecd restores its own tables); see "
                         "'mplsec device load --help'\n";
            return 2;
        }
        return load_through_daemon(xclbin, socket, as_json);
    }
    return load_here(xclbin, spec, config_path, as_json);
}

}  // namespace mplsec::cli
