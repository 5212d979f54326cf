// Column-aligned text tables for the human form of CLI output.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mplsec::cli {

using TextRow = std::vector<std::string>;

void print_table(std::ostream& out, const TextRow& header, const std::vector<TextRow>& rows);

// A JSON value as a table cell: "-" for null and empty lists, lists as
// "[a,b]", strings bare.
std::string cell(const nlohmann::json& value);

}  // namespace mplsec::cli
