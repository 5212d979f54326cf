#include "text_table.hpp"

#include <algorithm>

namespace mplsec::cli {

void print_table(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows) {
    std::vector<std::size_t> width(header.size(), 0);
    auto widen = [&](const TextRow& row) {
        for (std::size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], row[i].size());
    };
    widen(header);
    for (const TextRow& row : rows) widen(row);
    auto print = [&](const TextRow& row) {
        std::string line;
        for (std::size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out << line << '\n';
    };
    print(header);
    for (const TextRow& row : rows) print(row);
}

std::string cell(const nlohmann::json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_array()) {
        if (value.empty()) return "-";
        std::string out = "[";
        for (const auto& item : value) out += (out.size() > 1 ? "," : "") + cell(item);
        return out + "]";
    }
    return value.dump();
}

}  // namespace mplsec::cli
