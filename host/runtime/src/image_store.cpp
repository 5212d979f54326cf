#include "mplsec/image_store.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "durable_file.hpp"
#include "mplsec/regs.hpp"

namespace mplsec::runtime {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "mplsec-table-image";
constexpr int kFormatVersion = 1;

std::string regmap_version() {
    return std::to_string(regs::kRegmapVersionMajor) + "." + std::to_string(regs::kRegmapVersionMinor);
}

// Trie node paths are bytes (VRF index, then address bytes): stored as hex.
std::string to_hex(const std::string& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string from_hex(const std::string& text) {
    if (text.size() % 2) throw ImageStoreError("trie node path '" + text + "' is not hex");
    auto nibble = [&](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        throw ImageStoreError("trie node path '" + text + "' is not hex");
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); i += 2) out += static_cast<char>(nibble(text[i]) << 4 | nibble(text[i + 1]));
    return out;
}

json nodes_to_json(const std::map<std::string, uint32_t>& nodes) {
    json out = json::object();
    for (const auto& [path, index] : nodes) out[to_hex(path)] = index;
    return out;
}

std::map<std::string, uint32_t> nodes_from_json(const json& j) {
    std::map<std::string, uint32_t> out;
    for (const auto& [path, index] : j.items()) out[from_hex(path)] = index.get<uint32_t>();
    return out;
}

}  // namespace

json image_to_json(const tables::TableImage& image) {
    json writes = json::array();
    for (const tables::TableWrite& w : image.writes)
        writes.push_back({static_cast<uint32_t>(w.table), w.index, w.words, w.redirect});
    json nhlfe_of_label = json::array();
    for (const auto& [label, index] : image.nhlfe_of_label) nhlfe_of_label.push_back({label, index});
    json routes = json::array();
    for (const tables::RouteRef& r : image.routes) routes.push_back({r.vrf, r.prefix});
    return {{"format", kFormat},
            {"format_version", kFormatVersion},
            {"regmap_version", regmap_version()},
            {"writes", writes},
            {"nexthop_index", image.nexthop_index},
            {"vrf_index", image.vrf_index},
            {"sa_index", image.sa_index},
            {"nhlfe_of_label", nhlfe_of_label},
            {"routes", routes},
            {"addr_index", image.addr_index},
            {"lpm4_nodes", nodes_to_json(image.lpm4_nodes)},
            {"lpm6_nodes", nodes_to_json(image.lpm6_nodes)},
            {"policer_rate", image.policer_rate},
            {"policer_burst", image.policer_burst}};
}

tables::TableImage image_from_json(const json& j) {
    if (!j.is_object() || j.value("format", "") != kFormat || j.value("format_version", 0) != kFormatVersion)
        throw ImageStoreError(std::string("not a saved table image (expected format ") + kFormat + " version " +
                              std::to_string(kFormatVersion) + ")");
    if (j.value("regmap_version", "") != regmap_version())
        throw ImageStoreError("saved for register map " + j.value("regmap_version", std::string("?")) +
                              ", this runtime speaks " + regmap_version());
    tables::TableImage image;
    try {
        for (const json& w : j.at("writes")) {
            const auto table = w.at(0).get<uint32_t>();
            if (table >= regs::kTables.size()) throw ImageStoreError("entry of table " + std::to_string(table) + ", which the card does not have");
            tables::TableWrite write{static_cast<regs::TableId>(table), w.at(1).get<uint32_t>(),
                                     w.at(2).get<std::vector<uint32_t>>(), w.at(3).get<bool>()};
            const regs::TableInfo& info = regs::table_info(write.table);
            if (write.index >= info.depth || write.words.size() != info.words)
                throw ImageStoreError(std::string("entry ") + std::to_string(write.index) + " of table " + info.name +
                                      " does not fit the table");
            image.writes.push_back(std::move(write));
        }
        image.nexthop_index = j.at("nexthop_index").get<std::map<std::string, uint32_t>>();
        image.vrf_index = j.at("vrf_index").get<std::map<std::string, uint32_t>>();
        image.sa_index = j.at("sa_index").get<std::map<std::string, uint32_t>>();
        for (const json& p : j.at("nhlfe_of_label")) image.nhlfe_of_label[p.at(0).get<uint32_t>()] = p.at(1).get<uint32_t>();
        for (const json& r : j.at("routes")) image.routes.push_back({r.at(0).get<std::string>(), r.at(1).get<std::string>()});
        image.addr_index = j.at("addr_index").get<std::map<std::string, uint32_t>>();
        image.lpm4_nodes = nodes_from_json(j.at("lpm4_nodes"));
        image.lpm6_nodes = nodes_from_json(j.at("lpm6_nodes"));
        image.policer_rate = j.at("policer_rate").get<uint32_t>();
        image.policer_burst = j.at("policer_burst").get<uint32_t>();
    } catch (const json::exception& e) {
        throw ImageStoreError(std::string("malformed saved image: ") + e.what());
    }
    return image;
}

void save_image(const std::string& path, const tables::TableImage& image) {
    if (const auto error = replace_file_durably(path, image_to_json(image).dump() + "\n")) throw ImageStoreError(*error);
}

std::optional<tables::TableImage> load_image(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return std::nullopt;
        throw ImageStoreError(path + ": cannot read: " + std::strerror(errno));
    }
    try {
        return image_from_json(json::parse(in));
    } catch (const json::exception& e) {
        throw ImageStoreError(path + ": not JSON: " + e.what());
    } catch (const ImageStoreError& e) {
        throw ImageStoreError(path + ": " + e.what());
    }
}

}  // namespace mplsec::runtime
