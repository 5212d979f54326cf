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

}  // namespace mplsec::drivers
