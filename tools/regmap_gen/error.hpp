// Errors in the register map source.
#pragma once

#include <stdexcept>
#include <string>

namespace regmap_gen {

// A problem with the input file. `line` is 1-based, 0 when no line applies
// (e.g. the file cannot be opened); main() prints it as "file:line: error: ...".
class InputError : public std::runtime_error {
 public:
  InputError(int line, const std::string& message)
      : std::runtime_error(message), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

}  // namespace regmap_gen
