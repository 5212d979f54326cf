#include "mplsec/identity_json.hpp"

#include <string>

namespace mplsec::runtime {

nlohmann::json identity_json(const drivers::Identity& id) {
    nlohmann::json features = nlohmann::json::array();
    for (const regs::FeatureInfo& f : regs::kFeatures)
        if (id.features >> f.bit & 1) features.push_back(f.name);
    return {{"regmap_version", std::to_string(id.regmap_version >> 16) + "." + std::to_string(id.regmap_version & 0xffff)},
            {"features", features},
            {"num_ports", id.num_ports},
            {"clock_khz", id.clock_khz},
            {"build_id", id.build_id}};
}

}  // namespace mplsec::runtime
