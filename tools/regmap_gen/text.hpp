// Text formatting shared by the emitters.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model.hpp"

namespace regmap_gen {

// The first line of every generated file (inside the language's comment).
std::string generated_notice(const std::string& source);

// Collapses runs of white space (YAML folded docs keep newlines) into one space.
std::string one_line(const std::string& text);

// Splits text into lines of at most `width` characters at word boundaries.
std::vector<std::string> wrap(const std::string& text, std::size_t width);

// "0x010C": at least `digits` hex digits, upper case.
std::string hex(std::uint64_t value, int digits = 4);

// A C++ string literal with quotes and backslashes escaped.
std::string cpp_string(const std::string& text);

// Text safe inside a Markdown table cell.
std::string md_cell(const std::string& text);

// "MPID" when all four bytes of a block type are printable ASCII, else "".
std::string fourcc(std::uint32_t type);

// "ro", "rw" or "wo".
const char* access_name(Access access);

// The name of a register's word count: DATA0 with count 8 -> DATA (as in
// DATA_COUNT), other names unchanged.
std::string count_name(const Register& reg);

// Mask of `width` bits starting at `lsb` in a 32-bit register.
std::uint32_t field_mask(unsigned lsb, unsigned width);

// "1 word", "3 words".
std::string words_text(unsigned words);

// "47:0" or "3" for a one-bit range.
std::string bit_range(unsigned msb, unsigned lsb);

}  // namespace regmap_gen
