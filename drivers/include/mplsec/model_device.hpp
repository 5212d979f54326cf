// The in-process card backend (see model_device.cpp).
#pragma once

#include <memory>

#include "mplsec/device.hpp"

namespace mplsec::drivers {

enum class ModelEngine { hls_model, rtl };

std::unique_ptr<Device> make_model_device(ModelEngine engine);

}  // namespace mplsec::drivers
