// What a card says about itself (drivers::Identity) as JSON, as `device
// info`, `device load` and the daemon's status print it.
#pragma once

#include <nlohmann/json.hpp>

#include "mplsec/device.hpp"

namespace mplsec::runtime {

// {"regmap_version": "1.1", "features": ["mpls", ...], "num_ports", "clock_khz", "build_id"}
nlohmann::json identity_json(const drivers::Identity& id);

}  // namespace mplsec::runtime
