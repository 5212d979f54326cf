// The three generated outputs. Each returns the whole file's text; nothing
// is written until all of them have been produced without error.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "model.hpp"

namespace regmap_gen {

std::string emit_sv(const RegMap& regmap);   // rtl/pkg/mplsec_regs_pkg.sv
std::string emit_cpp(const RegMap& regmap);  // drivers/include/mplsec/regs.hpp
std::string emit_md(const RegMap& regmap);   // docs/regmap.md

// Generated identifiers by scope. Distinct YAML names can still map to the
// same identifier (a register X with field Y_Z and a register X_Y with field
// Z both give X_Y_Z_BIT); claiming one twice is an input error naming the
// YAML line of the second.
class SymbolTable {
 public:
  void claim(const std::string& scope, const std::string& name, int line);

 private:
  std::map<std::pair<std::string, std::string>, int> lines_;
};

}  // namespace regmap_gen
