// The small behaviours of the public types: origins, errors and lookups.
#include <algorithm>

#include "mplsec/config.hpp"

namespace mplsec::config {
namespace {

// Errors are one line: a value quoted in a message cannot break it.
std::string one_line(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
            case '\n': escaped += "\\n"; break;
            case '\r': escaped += "\\r"; break;
            case '\t': escaped += "\\t"; break;
            default: escaped += c;
        }
    }
    return escaped;
}

std::string format_error(const std::string& file, int line, const std::string& key,
                         const std::string& message) {
    std::string text = file;
    if (line > 0) text += ":" + std::to_string(line);
    text += ": ";
    if (!key.empty()) text += "key '" + key + "': ";
    return text + message;
}

template <class Item>
const Item* find_named(const std::vector<Item>& items, std::string_view name) {
    const auto match = std::find_if(items.begin(), items.end(),
                                    [&](const Item& item) { return item.name == name; });
    return match == items.end() ? nullptr : &*match;
}

}  // namespace

int Origin::line_of(std::string_view key) const {
    const auto found = key_lines.find(key);
    return found == key_lines.end() ? line : found->second;
}

std::string Origin::path_of(std::string_view key) const {
    if (key.empty()) return path;
    if (path.empty()) return std::string(key);
    return path + "." + std::string(key);
}

ConfigError::ConfigError(std::string file, int line, std::string key, std::string message)
    : std::runtime_error(one_line(format_error(file, line, key, message))),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      message_(one_line(std::move(message))) {}

ConfigError error_at(const Config& config, const Origin& origin, std::string_view key,
                     std::string message) {
    return ConfigError(config.source, origin.line_of(key), origin.path_of(key), std::move(message));
}

const Port* Config::find_port(uint8_t id) const {
    const auto match =
        std::find_if(ports.begin(), ports.end(), [&](const Port& port) { return port.id == id; });
    return match == ports.end() ? nullptr : &*match;
}

const Nexthop* Config::find_nexthop(std::string_view name) const {
    return find_named(nexthops, name);
}

const Vrf* Config::find_vrf(std::string_view name) const { return find_named(vrfs, name); }

const Sa* Config::find_sa(std::string_view name) const { return find_named(sas, name); }

}  // namespace mplsec::config
