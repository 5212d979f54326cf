// mplsec device list|info.
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "mplsec/device.hpp"

namespace po = boost::program_options;

namespace mplsec::cli {

int run_device_list(const std::vector<std::string>& args) {
    po::options_description options("options");
    options.add_options()("json", "print as JSON");
    po::variables_map vm;
    if (!parse_args("device list", "[--json]", args, options, {}, vm)) return 0;
    // Alveo enumeration arrives with the XRT backend; the in-process cards
    // are always there.
    const nlohmann::json devices = nlohmann::json::array({
        {{"device", "model"}, {"kind", "in-process card, HLS C-model datapath"}},
        {{"device", "model:rtl"}, {"kind", "in-process card, Verilated RTL datapath"}},
        {{"device", "sim"}, {"kind", "virtual card process (mplsec-sim: SystemC top, Verilated RTL)"}},
    });
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
        const drivers::Identity id = device->check_identity();
        nlohmann::json info = {{"device", device->name()},
                               {"regmap_version", std::to_string(id.regmap_version >> 16) + "." +
                                                      std::to_string(id.regmap_version & 0xffff)},
                               {"features", nlohmann::json::array()},
                               {"num_ports", id.num_ports},
                               {"clock_khz", id.clock_khz},
                               {"build_id", id.build_id}};
        for (const regs::FeatureInfo& f : regs::kFeatures)
            if (id.features >> f.bit & 1) info["features"].push_back(f.name);
        if (vm.count("json")) {
            std::cout << info.dump(2) << '\n';
        } else {
            for (const auto& [key, value] : info.items()) std::cout << std::left << std::setw(16) << key << value << '\n';
        }
        return 0;
    } catch (const drivers::DeviceError& e) {
        std::cerr << "mplsec device info: " << e.what() << '\n';
        return 1;
    }
}

}  // namespace mplsec::cli
