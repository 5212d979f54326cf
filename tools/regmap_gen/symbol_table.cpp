#include "emit.hpp"
#include "error.hpp"

namespace regmap_gen {

void SymbolTable::claim(const std::string& scope, const std::string& name, int line) {
  auto [it, inserted] = lines_.emplace(std::make_pair(scope, name), line);
  if (inserted) return;
  const std::string other = it->second > 0 ? "the one generated from line " +
                                                 std::to_string(it->second)
                                           : "a fixed name of the generated code";
  throw InputError(line, "generated identifier " + name + " in " + scope + " clashes with " + other);
}

}  // namespace regmap_gen
