#include "names.hpp"

#include <cctype>
#include <set>

namespace regmap_gen {
namespace {

// Words of [first][rest]* separated by single underscores, no leading or
// trailing underscore: "a_b1" is fine, "a__b", "_a", "a_" are not. Single
// underscores keep the Pascal-case form unambiguous enough for the symbol
// tables to catch the remaining clashes.
bool is_snake(const std::string& name, bool upper) {
  auto is_letter = [upper](char c) {
    return upper ? (c >= 'A' && c <= 'Z') : (c >= 'a' && c <= 'z');
  };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (name.empty() || !is_letter(name.front()) || name.back() == '_') return false;
  for (std::size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    if (c == '_') {
      if (name[i - 1] == '_') return false;
    } else if (!is_letter(c) && !is_digit(c)) {
      return false;
    }
  }
  return true;
}

// C++17 keywords and alternative tokens.
const std::set<std::string>& cpp_keywords() {
  static const std::set<std::string> words = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char16_t", "char32_t", "class", "compl", "const", "constexpr",
      "const_cast", "continue", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "return", "short", "signed", "sizeof", "static", "static_assert",
      "static_cast", "struct", "switch", "template", "this", "thread_local", "throw", "true", "try",
      "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
      "wchar_t", "while", "xor", "xor_eq",
  };
  return words;
}

// IEEE 1800-2017 keywords.
const std::set<std::string>& sv_keywords() {
  static const std::set<std::string> words = {
      "accept_on", "alias", "always", "always_comb", "always_ff", "always_latch", "and", "assert", "assign",
      "assume", "automatic", "before", "begin", "bind", "bins", "binsof", "bit", "break",
      "buf", "bufif0", "bufif1", "byte", "case", "casex", "casez", "cell", "chandle",
      "checker", "class", "clocking", "cmos", "config", "const", "constraint", "context",
      "continue", "cover", "covergroup", "coverpoint", "cross", "deassign", "default",
      "defparam", "design", "disable", "dist", "do", "edge", "else", "end", "endcase",
      "endchecker", "endclass", "endclocking", "endconfig", "endfunction", "endgenerate",
      "endgroup", "endinterface", "endmodule", "endpackage", "endprimitive", "endprogram",
      "endproperty", "endspecify", "endsequence", "endtable", "endtask", "enum", "event",
      "eventually", "expect", "export", "extends", "extern", "final", "first_match", "for",
      "force", "foreach", "forever", "fork", "forkjoin", "function", "generate", "genvar",
      "global", "highz0", "highz1", "if", "iff", "ifnone", "ignore_bins", "illegal_bins",
      "implements", "implies", "import", "incdir", "include", "initial", "inout", "input",
      "inside", "instance", "int", "integer", "interconnect", "interface", "intersect", "join",
      "join_any", "join_none", "large", "let", "liblist", "library", "local", "localparam",
      "logic", "longint", "macromodule", "matches", "medium", "modport", "module", "nand",
      "negedge", "nettype", "new", "nexttime", "nmos", "nor", "noshowcancelled", "not",
      "notif0", "notif1", "null", "or", "output", "package", "packed", "parameter", "pmos",
      "posedge", "primitive", "priority", "program", "property", "protected", "pull0", "pull1",
      "pulldown", "pullup", "pulsestyle_ondetect", "pulsestyle_onevent", "pure", "rand",
      "randc", "randcase", "randsequence", "rcmos", "real", "realtime", "ref", "reg",
      "reject_on", "release", "repeat", "restrict", "return", "rnmos", "rpmos", "rtran",
      "rtranif0", "rtranif1", "s_always", "s_eventually", "s_nexttime", "s_until",
      "s_until_with", "scalared", "sequence", "shortint", "shortreal", "showcancelled",
      "signed", "small", "soft", "solve", "specify", "specparam", "static", "string", "strong",
      "strong0", "strong1", "struct", "super", "supply0", "supply1", "sync_accept_on",
      "sync_reject_on", "table", "tagged", "task", "this", "throughout", "time",
      "timeprecision", "timeunit", "tran", "tranif0", "tranif1", "tri", "tri0", "tri1",
      "triand", "trior", "trireg", "type", "typedef", "union", "unique", "unique0", "unsigned",
      "until", "until_with", "untyped", "use", "uwire", "var", "vectored", "virtual", "void",
      "wait", "wait_order", "wand", "weak", "weak0", "weak1", "while", "wildcard", "wire",
      "with", "within", "wor", "xnor", "xor",
  };
  return words;
}

}  // namespace

bool is_lower_name(const std::string& name) { return is_snake(name, false); }
bool is_upper_name(const std::string& name) { return is_snake(name, true); }
bool is_cpp_keyword(const std::string& name) { return cpp_keywords().count(name) != 0; }
bool is_sv_keyword(const std::string& name) { return sv_keywords().count(name) != 0; }

std::string to_upper(const std::string& snake) {
  std::string out = snake;
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string to_pascal(const std::string& snake) {
  std::string out;
  bool start_of_word = true;
  for (char c : snake) {
    if (c == '_') {
      start_of_word = true;
      continue;
    }
    auto uc = static_cast<unsigned char>(c);
    out += static_cast<char>(start_of_word ? std::toupper(uc) : std::tolower(uc));
    start_of_word = false;
  }
  return out;
}

}  // namespace regmap_gen
