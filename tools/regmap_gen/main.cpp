// mplsec-regmap-gen: generates the SystemVerilog package, the C++ header and
// the Markdown table from regmap/mplsec.yaml, the one source of the card's
// register map, table entry formats and reason codes.
//
// Exit status: 0 on success, 1 when an output cannot be written, 2 on bad
// usage or bad input (one line on stderr, "file:line: error: ...").
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "emit.hpp"
#include "error.hpp"
#include "validate.hpp"
#include "yaml_reader.hpp"

namespace {

constexpr int kExitFailed = 1;  // an output could not be written, or a generator bug
constexpr int kExitBadInput = 2;

const char* const kUsage =
    R"(usage: mplsec-regmap-gen --in REGMAP.yaml [--sv OUT.sv] [--cpp OUT.hpp] [--md OUT.md]

Validates the register map and writes the requested outputs:
  --in FILE    register map source (regmap/mplsec.yaml)
  --sv FILE    SystemVerilog package mplsec_regs_pkg
  --cpp FILE   C++17 header (namespace mplsec::regs)
  --md FILE    Markdown documentation
  --help       this text

Without outputs it only validates. Exit status 2 on bad usage or input.
)";

struct Options {
  std::string in;
  std::optional<std::string> sv;
  std::optional<std::string> cpp;
  std::optional<std::string> md;
  bool help = false;
};

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Accepts "--opt VALUE" and "--opt=VALUE".
Options parse_args(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.help = true;
      continue;
    }
    std::string value;
    const std::size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg.resize(eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      throw UsageError("option " + arg + " needs a value");
    }
    if (value.empty()) throw UsageError("option " + arg + " needs a value");
    if (arg == "--in") options.in = value;
    else if (arg == "--sv") options.sv = value;
    else if (arg == "--cpp") options.cpp = value;
    else if (arg == "--md") options.md = value;
    else throw UsageError("unknown option '" + arg + "'");
  }
  if (!options.help && options.in.empty()) throw UsageError("--in is required");
  return options;
}

// Leaves an up-to-date file untouched so that its timestamp does not trigger
// rebuilds of everything that includes it.
void write_if_changed(const std::string& path, const std::string& text) {
  {
    std::ifstream existing(path, std::ios::binary);
    if (existing) {
      std::ostringstream current;
      current << existing.rdbuf();
      if (current.str() == text) return;
    }
  }
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::filesystem::path temp = target.string() + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + temp.string());
  }
  std::filesystem::rename(temp, target);  // never leaves a half-written output
}

struct Outputs {
  std::string sv;
  std::string cpp;
  std::string md;
};

// Everything is generated before anything is written: an identifier clash
// found by one emitter must not leave the other outputs updated.
Outputs generate(const Options& options) {
  regmap_gen::RegMap regmap = regmap_gen::read_regmap(options.in);
  regmap_gen::validate(regmap);
  Outputs outputs;
  outputs.sv = regmap_gen::emit_sv(regmap);
  outputs.cpp = regmap_gen::emit_cpp(regmap);
  outputs.md = regmap_gen::emit_md(regmap);
  return outputs;
}

void write_outputs(const Options& options, const Outputs& outputs) {
  if (options.sv) write_if_changed(*options.sv, outputs.sv);
  if (options.cpp) write_if_changed(*options.cpp, outputs.cpp);
  if (options.md) write_if_changed(*options.md, outputs.md);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse_args(argc, argv);
  } catch (const UsageError& e) {
    std::cerr << "mplsec-regmap-gen: " << e.what() << " (see --help)\n";
    return kExitBadInput;
  }
  if (options.help) {
    std::cout << kUsage;
    return 0;
  }
  Outputs outputs;
  try {
    outputs = generate(options);
  } catch (const regmap_gen::InputError& e) {
    std::cerr << options.in;
    if (e.line() > 0) std::cerr << ":" << e.line();
    std::cerr << ": error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "mplsec-regmap-gen: internal error: " << e.what() << "\n";
    return kExitFailed;
  }
  try {
    write_outputs(options, outputs);
  } catch (const std::exception& e) {
    std::cerr << "mplsec-regmap-gen: " << e.what() << "\n";
    return kExitFailed;
  }
  return 0;
}
