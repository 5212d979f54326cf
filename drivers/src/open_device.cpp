#include <cstdlib>

#include "mplsec/device.hpp"
#include "mplsec/model_device.hpp"
#include "sim_device.hpp"
#ifdef MPLSEC_WITH_XRT
#include "mplsec/xrt_device.hpp"
#endif

namespace mplsec::drivers {

std::unique_ptr<Device> open_device(const std::string& spec) {
    if (spec == "model") return make_model_device(ModelEngine::hls_model);
    if (spec == "model:rtl") return make_model_device(ModelEngine::rtl);
    if (spec == "model:card") return make_model_device(ModelEngine::rtl_card);
    // `sim`: the virtual card process (drivers/sim/sim_device.hpp).
    if (spec == "sim" || spec.rfind("sim:", 0) == 0) return open_sim_device(spec);
    if (spec.rfind("xrt:", 0) == 0) {
#ifdef MPLSEC_WITH_XRT
        // "xrt:0" or "xrt:0000:3b:00.1". With MPLSEC_XCLBIN set, that xclbin
        // is validated and programmed; otherwise the card keeps the mplsec
        // xclbin it holds (reads fail with a clear message if it holds none).
        std::unique_ptr<XrtDevice> device = XrtDevice::open(spec.substr(4));
        if (const char* xclbin = std::getenv("MPLSEC_XCLBIN"); xclbin && *xclbin) device->load(xclbin);
        return device;
#else
        throw DeviceError("device '" + spec +
                          "': this build has no XRT backend (configure with libxrt-dev and uuid-dev installed, "
                          "MPLSEC_WITH_XRT=ON)");
#endif
    }
    throw DeviceError("device '" + spec + "': unknown backend (expected model, sim or xrt:N)");
}

std::vector<std::string> list_alveo_cards([[maybe_unused]] const std::string& sysfs_root) {
#ifdef MPLSEC_WITH_XRT
    return find_alveo_cards(sysfs_root).user_functions;
#else
    return {};
#endif
}

std::string default_device_spec(const std::string& sysfs_root) {
    return list_alveo_cards(sysfs_root).empty() ? "sim" : "xrt:0";
}

Identity load_bitstream(Device& device, const std::string& xclbin_path) {
#ifdef MPLSEC_WITH_XRT
    // A virtual card takes an xclbin of any platform: it checks the
    // container, the kernel and the register map version as a card would.
    const auto* card = dynamic_cast<const XrtDevice*>(&device);
    const XclbinCheck check = check_xclbin(xclbin_path, card ? card->platform() : "");
    if (!check.ok()) throw XclbinRefused(check.message);
    return device.reload(xclbin_path);
#else
    throw DeviceError(device.name() + ": cannot check '" + xclbin_path +
                      "': this build has no XRT backend, which reads xclbin files (install libxrt-dev uuid-dev)");
#endif
}

}  // namespace mplsec::drivers
