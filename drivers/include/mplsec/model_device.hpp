// The in-process card backend (see model_device.cpp).
#pragma once

#include <memory>

#include "mplsec/device.hpp"

namespace mplsec::drivers {

// hls_model and rtl: the software register file in front of that engine;
// rtl_card: the Verilated card top (RTL register file and datapath).
enum class ModelEngine { hls_model, rtl, rtl_card };

std::unique_ptr<Device> make_model_device(ModelEngine engine);

}  // namespace mplsec::drivers
