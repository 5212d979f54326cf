#include "mplsec/device.hpp"
#include "mplsec/model_device.hpp"

namespace mplsec::drivers {

std::unique_ptr<Device> open_device(const std::string& spec) {
    if (spec == "model") return make_model_device(ModelEngine::hls_model);
    // Until the virtual card runs as its own process, `sim` is the same
    // card in this process with the Verilated RTL as its datapath.
    if (spec == "model:rtl" || spec == "sim") return make_model_device(ModelEngine::rtl);
    if (spec.rfind("xrt:", 0) == 0)
        throw DeviceError("device '" + spec + "': the XRT backend is not part of this build yet");
    throw DeviceError("device '" + spec + "': unknown backend (expected model, sim or xrt:N)");
}

}  // namespace mplsec::drivers
