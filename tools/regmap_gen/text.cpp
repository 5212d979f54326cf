#include "text.hpp"

#include <cstdio>
#include <sstream>

namespace regmap_gen {

std::string generated_notice(const std::string& source) {
  return "generated from " + source + " by mplsec-regmap-gen; do not edit";
}

std::string one_line(const std::string& text) {
  std::istringstream words(text);
  std::string word;
  std::string out;
  while (words >> word) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

std::vector<std::string> wrap(const std::string& text, std::size_t width) {
  std::istringstream words(text);
  std::vector<std::string> lines;
  std::string line;
  std::string word;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string hex(std::uint64_t value, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llX", digits, static_cast<unsigned long long>(value));
  return buf;
}

std::string cpp_string(const std::string& text) {
  std::string out = "\"";
  for (char c : one_line(text)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string md_cell(const std::string& text) {
  std::string out;
  for (char c : one_line(text)) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

std::string fourcc(std::uint32_t type) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    char c = static_cast<char>((type >> shift) & 0xFF);
    if (c < 0x20 || c > 0x7E) return "";
    out += c;
  }
  return out;
}

const char* access_name(Access access) {
  switch (access) {
    case Access::ro: return "ro";
    case Access::rw: return "rw";
    case Access::wo: return "wo";
  }
  return "?";
}

std::string count_name(const Register& reg) {
  const std::string& name = reg.name;
  const bool numbered_first = reg.count > 1 && name.size() > 1 && name.back() == '0' &&
                              name[name.size() - 2] >= 'A' && name[name.size() - 2] <= 'Z';
  return numbered_first ? name.substr(0, name.size() - 1) : name;
}

std::uint32_t field_mask(unsigned lsb, unsigned width) {
  return static_cast<std::uint32_t>(((std::uint64_t{1} << width) - 1) << lsb);
}

std::string words_text(unsigned words) {
  return std::to_string(words) + (words == 1 ? " word" : " words");
}

std::string bit_range(unsigned msb, unsigned lsb) {
  return msb == lsb ? std::to_string(lsb) : std::to_string(msb) + ":" + std::to_string(lsb);
}

}  // namespace regmap_gen
