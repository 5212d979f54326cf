// A Config as JSON, in the shape of the configuration file itself
// (DESIGN.md section 5.2), for `mplsec show` and for tools.
#pragma once

#include <nlohmann/json.hpp>

#include "mplsec/config.hpp"

namespace mplsec::config {

// Whether SA keys and salts appear in the output.
enum class Secrets {
    redact,  // written as "<redacted>": the output is safe to show and to log
    reveal,  // written as hex: the output loads back into the same Config
};

// Every value, defaults included (so the output shows what the card will
// do, not only what the file said); optional values that are absent are
// left out. Source lines are not part of it.
nlohmann::json to_json(const Config& config, Secrets secrets = Secrets::redact);

}  // namespace mplsec::config
