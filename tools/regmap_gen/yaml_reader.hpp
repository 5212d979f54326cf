// Reads regmap YAML into the model, checking the schema as it goes: unknown
// or duplicate keys, wrong types, malformed names and out-of-range numbers.
// Relations between objects (overlaps, duplicates, fits) are validate()'s job.
#pragma once

#include <string>

#include "model.hpp"

namespace regmap_gen {

// Throws InputError on the first problem found.
RegMap read_regmap(const std::string& path);

}  // namespace regmap_gen
