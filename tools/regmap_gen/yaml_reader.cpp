#include "yaml_reader.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "error.hpp"
#include "names.hpp"
#include "text.hpp"

namespace regmap_gen {
namespace {

constexpr unsigned kRegisterBits = 32;  // the only data width the generator supports
constexpr std::uint64_t kMaxAddressSpace = 0x10000;  // XRT's s_axilite limit

int line_of(const YAML::Node& node) {
  return node.Mark().is_null() ? 0 : node.Mark().line + 1;
}

[[noreturn]] void fail(const YAML::Node& at, const std::string& message) {
  throw InputError(line_of(at), message);
}

std::string scalar(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) fail(node, what + " must be a scalar");
  return node.Scalar();
}

// Decimal or 0x-prefixed hex, nothing else: yaml-cpp's own conversion would
// also take octal ("010" == 8) and signs.
std::uint64_t number(const YAML::Node& node, const std::string& what, std::uint64_t max) {
  const std::string text = scalar(node, what);
  const bool is_hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  const std::string digits = is_hex ? text.substr(2) : text;
  const char* allowed = is_hex ? "0123456789abcdefABCDEF" : "0123456789";
  if (digits.empty() || digits.find_first_not_of(allowed) != std::string::npos)
    fail(node, what + " must be a decimal or 0x hex number, not '" + text + "'");
  errno = 0;
  const unsigned long long value = std::strtoull(digits.c_str(), nullptr, is_hex ? 16 : 10);
  if (errno == ERANGE || value > max)
    fail(node, what + " is " + text + ", above the maximum " + std::to_string(max));
  return value;
}

std::vector<YAML::Node> sequence(const YAML::Node& node, const std::string& what) {
  if (!node.IsDefined() || node.IsNull()) return {};
  if (!node.IsSequence()) fail(node, what + " must be a list");
  return std::vector<YAML::Node>(node.begin(), node.end());
}

struct Entry {
  std::string key;
  YAML::Node key_node;  // for its line
  YAML::Node value;
};

// The key/value pairs of a mapping in file order; duplicate keys are errors
// (yaml-cpp keeps both and lookups would silently take the first).
std::vector<Entry> entries(const YAML::Node& node, const std::string& what) {
  if (!node.IsMap()) fail(node, what + " must be a mapping");
  std::vector<Entry> out;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const std::string key = scalar(it->first, "a key in " + what);
    for (const Entry& seen : out)
      if (seen.key == key) fail(it->first, "duplicate key '" + key + "' in " + what);
    out.push_back({key, it->first, it->second});
  }
  return out;
}

// A mapping with a fixed set of keys. Unknown keys are rejected up front (a
// misspelt key is an error, never a silently ignored setting, and is reported
// before the "missing key" it causes); duplicate keys by entries().
class MapReader {
 public:
  MapReader(const YAML::Node& node, std::string what, std::vector<std::string> keys)
      : node_(node), what_(std::move(what)), keys_(std::move(keys)), entries_(entries(node, what_)) {
    for (const Entry& entry : entries_) {
      if (std::find(keys_.begin(), keys_.end(), entry.key) != keys_.end()) continue;
      std::string expected;
      for (const std::string& key : keys_) expected += (expected.empty() ? "" : ", ") + key;
      fail(entry.key_node,
           "unknown key '" + entry.key + "' in " + what_ + " (expected " + expected + ")");
    }
  }

  // Names the object in later messages once its name is known.
  void set_what(std::string what) { what_ = std::move(what); }
  const std::string& what() const { return what_; }
  const YAML::Node& node() const { return node_; }

  YAML::Node required(const std::string& key) const {
    YAML::Node value = optional(key);
    if (!value.IsDefined()) fail(node_, what_ + " lacks the key '" + key + "'");
    return value;
  }

  // An undefined node when the key is absent.
  YAML::Node optional(const std::string& key) const {
    if (std::find(keys_.begin(), keys_.end(), key) == keys_.end())
      throw std::logic_error("MapReader: key '" + key + "' is not declared for " + what_);
    for (const Entry& entry : entries_)
      if (entry.key == key) return entry.value;
    return YAML::Node(YAML::NodeType::Undefined);
  }

 private:
  YAML::Node node_;
  std::string what_;
  std::vector<std::string> keys_;
  std::vector<Entry> entries_;
};

std::string lower_name(const YAML::Node& node, const std::string& what) {
  const std::string name = scalar(node, what + " name");
  if (!is_lower_name(name))
    fail(node, what + " name '" + name + "' must be snake_case ([a-z][a-z0-9_]*)");
  if (is_cpp_keyword(name)) fail(node, what + " name '" + name + "' is a C++ keyword");
  return name;
}

std::string upper_name(const YAML::Node& node, const std::string& what) {
  const std::string name = scalar(node, what + " name");
  if (!is_upper_name(name))
    fail(node, what + " name '" + name + "' must be UPPER_SNAKE ([A-Z][A-Z0-9_]*)");
  return name;
}

// Names that become struct members in both generated languages.
std::string member_name(const YAML::Node& node, const std::string& what) {
  const std::string name = lower_name(node, what);
  if (is_sv_keyword(name)) fail(node, what + " name '" + name + "' is a SystemVerilog keyword");
  // pack()/unpack() and the names they use for locals and parameters.
  for (const char* taken : {"pack", "unpack", "words", "entry", "other"})
    if (name == taken)
      fail(node, what + " name '" + name + "' is taken by the generated entry struct");
  return name;
}

std::string doc(const MapReader& map) {
  const YAML::Node node = map.required("doc");
  const std::string text = scalar(node, map.what() + " doc");
  if (text.empty()) fail(node, map.what() + " doc is empty");
  return text;
}

std::uint32_t word_offset(const YAML::Node& node, const std::string& what) {
  const auto value = static_cast<std::uint32_t>(number(node, what, kMaxAddressSpace));
  if (value % 4 != 0) fail(node, what + " " + std::to_string(value) + " is not a multiple of 4");
  return value;
}

Access access(const YAML::Node& node, const std::string& what) {
  const std::string text = scalar(node, what + " access");
  if (text == "ro") return Access::ro;
  if (text == "rw") return Access::rw;
  if (text == "wo") return Access::wo;
  fail(node, what + " access '" + text + "' must be ro, rw or wo");
}

// "msb:lsb" or a single bit number.
void parse_bits(const YAML::Node& node, const std::string& what, Field& field) {
  const std::string text = scalar(node, what + " bits");
  const std::size_t colon = text.find(':');
  auto part = [&](const std::string& digits) {
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos ||
        digits.size() > 3)
      fail(node, what + " bits '" + text + "' must be \"msb:lsb\" or a bit number");
    return static_cast<unsigned>(std::stoul(digits));
  };
  field.msb = part(text.substr(0, colon));
  field.lsb = colon == std::string::npos ? field.msb : part(text.substr(colon + 1));
  if (field.msb < field.lsb) fail(node, what + " bits '" + text + "' have msb below lsb");
  if (field.msb >= kRegisterBits)
    fail(node, what + " bits '" + text + "' go beyond bit " + std::to_string(kRegisterBits - 1) +
                   " of the 32-bit register");
}

// [{name, value, doc}]: enum values and the named values of registers and
// fields. `bits` is how wide a value may be.
std::vector<EnumValue> read_values(const YAML::Node& node, const std::string& what, unsigned bits) {
  std::vector<EnumValue> values;
  const std::uint64_t max = bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  for (const YAML::Node& value_node : sequence(node, what)) {
    MapReader map(value_node, "an entry of " + what, {"name", "value", "doc"});
    EnumValue value;
    value.line = line_of(value_node);
    value.name = lower_name(map.required("name"), "value");
    map.set_what(what + " " + value.name);
    value.value = number(map.required("value"), map.what() + " value", max);
    value.doc = doc(map);
    values.push_back(value);
  }
  return values;
}

Field read_field(const YAML::Node& node, const std::string& reg_what) {
  MapReader map(node, "a field of " + reg_what, {"name", "bits", "doc", "values"});
  Field field;
  field.line = line_of(node);
  field.name = lower_name(map.required("name"), "field");
  map.set_what("field " + reg_what + "." + field.name);
  parse_bits(map.required("bits"), map.what(), field);
  field.doc = doc(map);
  field.values = read_values(map.optional("values"), map.what() + " values", field.width());
  return field;
}

// `first_offset` is where registers may start: after the block header for
// block registers, 0 inside a table window.
Register read_register(const YAML::Node& node, const std::string& scope,
                       std::uint32_t first_offset) {
  MapReader map(node, "a register of " + scope,
                {"name", "offset", "access", "count", "doc", "fields", "values", "reset"});
  Register reg;
  reg.line = line_of(node);
  reg.name = upper_name(map.required("name"), "register");
  map.set_what("register " + scope + "." + reg.name);
  reg.offset = word_offset(map.required("offset"), map.what() + " offset");
  if (reg.offset < first_offset)
    fail(map.required("offset"), map.what() + " offset " + hex(reg.offset) +
                                     " lies in the block header (TYPE, VERSION, NEXT); "
                                     "registers start at 0x0C");
  reg.access = access(map.required("access"), map.what());
  const YAML::Node count = map.optional("count");
  if (count.IsDefined())
    reg.count = static_cast<unsigned>(number(count, map.what() + " count", kMaxAddressSpace / 4));
  if (reg.count == 0) fail(count, map.what() + " count must be at least 1");
  reg.doc = doc(map);
  for (const YAML::Node& field : sequence(map.optional("fields"), map.what() + " fields"))
    reg.fields.push_back(read_field(field, scope + "." + reg.name));
  reg.values = read_values(map.optional("values"), map.what() + " values", kRegisterBits);
  const YAML::Node reset = map.optional("reset");
  if (reset.IsDefined())
    reg.reset = static_cast<std::uint32_t>(number(reset, map.what() + " reset", 0xFFFFFFFFu));
  return reg;
}

std::optional<TableWindow> read_window(const MapReader& block_map, const std::string& block_name) {
  const YAML::Node stride = block_map.optional("window_stride");
  const YAML::Node registers = block_map.optional("window_registers");
  const YAML::Node offset = block_map.optional("window_offset");
  if (!stride.IsDefined() && !registers.IsDefined() && !offset.IsDefined()) return std::nullopt;
  if (!stride.IsDefined() || !registers.IsDefined())
    fail(block_map.node(), block_map.what() + " needs both window_stride and window_registers");
  TableWindow window;
  window.line = line_of(stride);
  window.stride = word_offset(stride, block_map.what() + " window_stride");
  if (window.stride == 0) fail(stride, block_map.what() + " window_stride must not be 0");
  if (offset.IsDefined()) window.offset = word_offset(offset, block_map.what() + " window_offset");
  for (const YAML::Node& reg :
       sequence(registers, block_map.what() + " window_registers"))
    window.registers.push_back(read_register(reg, block_name + " window", 0));
  if (window.registers.empty())
    fail(registers, block_map.what() + " window_registers must not be empty");
  return window;
}

Block read_block(const YAML::Node& node) {
  MapReader map(node, "a block",
                {"name", "base", "type", "version", "doc", "registers", "window_offset",
                 "window_stride", "window_registers"});
  Block block;
  block.line = line_of(node);
  block.name = lower_name(map.required("name"), "block");
  map.set_what("block " + block.name);
  block.base = word_offset(map.required("base"), map.what() + " base");
  block.type =
      static_cast<std::uint32_t>(number(map.required("type"), map.what() + " type", 0xFFFFFFFF));
  block.version = static_cast<std::uint32_t>(
      number(map.required("version"), map.what() + " version", 0xFFFFFFFF));
  block.doc = doc(map);
  for (const YAML::Node& reg : sequence(map.optional("registers"), map.what() + " registers"))
    block.registers.push_back(read_register(reg, block.name, kBlockHeaderBytes));
  block.window = read_window(map, block.name);
  return block;
}

TableField read_table_field(const YAML::Node& node, const std::string& table_name) {
  MapReader map(node, "a field of table " + table_name, {"name", "width", "enum", "doc"});
  TableField field;
  field.line = line_of(node);
  field.name = member_name(map.required("name"), "table field");
  map.set_what("field " + table_name + "." + field.name);
  field.width = static_cast<unsigned>(number(map.required("width"), map.what() + " width", 4096));
  if (field.width == 0) fail(node, map.what() + " width must be at least 1");
  const YAML::Node enum_name = map.optional("enum");
  if (enum_name.IsDefined()) field.enum_name = lower_name(enum_name, map.what() + " enum");
  field.doc = doc(map);
  return field;
}

// {slot: 8, node: 14, level: 2}: parts of the entry index from bit 0 upward.
std::vector<IndexField> read_index_fields(const YAML::Node& node, const std::string& what) {
  std::vector<IndexField> fields;
  unsigned lsb = 0;
  for (const Entry& entry : entries(node, what)) {
    IndexField field;
    field.name = member_name(entry.key_node, what + " key");
    field.line = line_of(entry.value);
    field.width = static_cast<unsigned>(number(entry.value, what + " " + entry.key, 32));
    if (field.width == 0) fail(entry.value, what + " " + entry.key + " must be at least 1 bit");
    field.lsb = lsb;
    lsb += field.width;
    fields.push_back(field);
  }
  return fields;
}

Table read_table(const YAML::Node& node) {
  MapReader map(node, "a table",
                {"name", "id", "depth", "doc", "feature", "index_fields", "nodes_per_level", "fields"});
  Table table;
  table.line = line_of(node);
  table.name = lower_name(map.required("name"), "table");
  map.set_what("table " + table.name);
  table.id = static_cast<unsigned>(number(map.required("id"), map.what() + " id", 255));
  table.depth = number(map.required("depth"), map.what() + " depth", 0xFFFFFFFF);
  if (table.depth == 0) fail(node, map.what() + " depth must be at least 1");
  table.doc = doc(map);
  const YAML::Node feature = map.optional("feature");
  if (feature.IsDefined()) {
    table.feature_line = line_of(feature);
    table.feature = lower_name(feature, map.what() + " feature");
  }
  unsigned lsb = 0;
  for (const YAML::Node& field : sequence(map.required("fields"), map.what() + " fields")) {
    table.fields.push_back(read_table_field(field, table.name));
    table.fields.back().lsb = lsb;
    lsb += table.fields.back().width;
  }
  if (table.fields.empty()) fail(node, map.what() + " has no fields");
  const YAML::Node index = map.optional("index_fields");
  if (index.IsDefined()) {
    table.index_fields_line = line_of(index);
    table.index_fields = read_index_fields(index, map.what() + " index_fields");
  }
  const YAML::Node nodes = map.optional("nodes_per_level");
  if (nodes.IsDefined()) {
    table.nodes_per_level_line = line_of(nodes);
    for (const YAML::Node& count : sequence(nodes, map.what() + " nodes_per_level"))
      table.nodes_per_level.push_back(number(count, map.what() + " nodes_per_level entry", 0xFFFFFFFF));
  }
  return table;
}

std::vector<EnumDef> read_enums(const YAML::Node& node) {
  std::vector<EnumDef> enums;
  if (!node.IsDefined()) return enums;
  for (const Entry& entry : entries(node, "enums")) {
    const std::string& key = entry.key;
    const YAML::Node& values = entry.value;
    EnumDef def;
    def.name = lower_name(entry.key_node, "enum");
    def.line = line_of(entry.key_node);
    def.values = read_values(values, "enum " + key, 32);
    if (def.values.empty()) fail(values, "enum " + key + " has no values");
    enums.push_back(def);
  }
  return enums;
}

// Lists of {name, <number_key>, doc}: reasons, counter banks, event codes.
std::vector<Code> read_codes(const YAML::Node& node, const std::string& what,
                             const std::string& number_key) {
  std::vector<Code> codes;
  for (const YAML::Node& item : sequence(node, what)) {
    MapReader map(item, "an entry of " + what, {"name", number_key, "doc"});
    Code code;
    code.line = line_of(item);
    code.name = lower_name(map.required("name"), what);
    map.set_what(what + " " + code.name);
    code.code = static_cast<unsigned>(
        number(map.required(number_key), map.what() + " " + number_key, (1u << kCodeBits) - 1));
    code.doc = doc(map);
    codes.push_back(code);
  }
  return codes;
}

std::vector<Feature> read_features(const YAML::Node& node) {
  std::vector<Feature> features;
  for (const YAML::Node& item : sequence(node, "features")) {
    MapReader map(item, "a feature", {"name", "bit", "doc"});
    Feature feature;
    feature.line = line_of(item);
    feature.name = lower_name(map.required("name"), "feature");
    map.set_what("feature " + feature.name);
    feature.bit = static_cast<unsigned>(number(map.required("bit"), map.what() + " bit", kRegisterBits - 1));
    feature.doc = doc(map);
    features.push_back(feature);
  }
  return features;
}

void read_version(const YAML::Node& node, RegMap& regmap) {
  MapReader map(node, "regmap_version", {"major", "minor"});
  regmap.version_major = static_cast<unsigned>(number(map.required("major"), "regmap_version major", 0xFFFF));
  regmap.version_minor = static_cast<unsigned>(number(map.required("minor"), "regmap_version minor", 0xFFFF));
}

YAML::Node load(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(0, "cannot open the file");
  try {
    return YAML::Load(in);
  } catch (const YAML::ParserException& e) {
    throw InputError(e.mark.is_null() ? 0 : e.mark.line + 1, "YAML syntax: " + e.msg);
  }
}

}  // namespace

RegMap read_regmap(const std::string& path) {
  const YAML::Node root = load(path);
  if (!root.IsMap()) throw InputError(line_of(root), "the file must hold a YAML mapping");
  MapReader map(root, "the top level",
                {"regmap_version", "data_width_bits", "address_space_bytes", "features", "blocks",
                 "tables", "enums", "drop_reasons", "punt_reasons", "counter_banks",
                 "event_codes"});
  RegMap regmap;
  regmap.source = path;
  read_version(map.required("regmap_version"), regmap);

  const YAML::Node width = map.required("data_width_bits");
  regmap.data_width_bits = static_cast<unsigned>(number(width, "data_width_bits", 1024));
  if (regmap.data_width_bits != kRegisterBits) fail(width, "data_width_bits must be 32");

  const YAML::Node space = map.required("address_space_bytes");
  regmap.address_space_bytes =
      static_cast<std::uint32_t>(number(space, "address_space_bytes", kMaxAddressSpace));
  if (regmap.address_space_bytes < kBlockHeaderBytes || regmap.address_space_bytes % 4 != 0)
    fail(space, "address_space_bytes must be a multiple of 4 and hold at least one block header");

  regmap.features = read_features(map.optional("features"));
  for (const YAML::Node& block : sequence(map.required("blocks"), "blocks"))
    regmap.blocks.push_back(read_block(block));
  if (regmap.blocks.empty()) fail(map.required("blocks"), "blocks must not be empty");
  for (const YAML::Node& table : sequence(map.optional("tables"), "tables"))
    regmap.tables.push_back(read_table(table));
  regmap.enums = read_enums(map.optional("enums"));
  regmap.drop_reasons = read_codes(map.optional("drop_reasons"), "drop_reasons", "code");
  regmap.punt_reasons = read_codes(map.optional("punt_reasons"), "punt_reasons", "code");
  regmap.counter_banks = read_codes(map.optional("counter_banks"), "counter_banks", "id");
  regmap.event_codes = read_codes(map.optional("event_codes"), "event_codes", "code");
  return regmap;
}

}  // namespace regmap_gen
