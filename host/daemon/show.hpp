// What `show` returns: the running configuration in its own names, joined
// with the card's counters through the image's index maps.
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::daemon {

struct ShowSource {
    const config::Config& config;
    const tables::TableImage& image;
    drivers::Device& device;
    const std::map<std::string, std::string>& refused_sas;  // not on the card until rekeyed, and why
};

// what: ilm | routes | sas | stats | ports. Returns JSON null for
// anything else, so the caller can name the error.
nlohmann::json show(const ShowSource& source, const std::string& what);

// The names `show` answers, for help and error texts.
inline constexpr const char* kShowWhat = "ilm, routes, sas, stats, ports";

}  // namespace mplsec::daemon
