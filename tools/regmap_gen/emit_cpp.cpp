// Header-only C++17 view of the register map for drivers/, host/ and hls/:
// constexpr addresses and fields, typed enums, and one struct per table entry
// that packs itself into the words the table window and DMA take.
#include <sstream>

#include "emit.hpp"
#include "names.hpp"
#include "text.hpp"

namespace regmap_gen {
namespace {

constexpr std::size_t kCommentWidth = 90;
const std::string kTop = "namespace mplsec::regs";

// Fixed part of the header: helpers the generated code below relies on.
const char* const kHelpers = R"(// Register field access. `bit` is the field's LSB (its shift).
constexpr std::uint32_t field_mask(unsigned bit, unsigned width) {
  return static_cast<std::uint32_t>(((std::uint64_t{1} << width) - 1) << bit);
}
constexpr std::uint32_t get_field(std::uint32_t reg, unsigned bit, unsigned width) {
  return (reg & field_mask(bit, width)) >> bit;
}
constexpr std::uint32_t set_field(std::uint32_t reg, unsigned bit, unsigned width,
                                  std::uint32_t value) {
  return (reg & ~field_mask(bit, width)) | ((value << bit) & field_mask(bit, width));
}

namespace detail {

// Low `width` bits set, width 0..64.
constexpr std::uint64_t low_mask(unsigned width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

// `value` masked to `width` bits and moved to `bit`: one part of an index.
constexpr std::uint32_t place(std::uint32_t value, unsigned bit, unsigned width) {
  return static_cast<std::uint32_t>((value & low_mask(width)) << bit);
}

// Bits of the word holding `bit` from `bit` upward, at most `left`.
constexpr unsigned chunk(unsigned bit, unsigned left) {
  return 32 - bit % 32 < left ? 32 - bit % 32 : left;
}

// ORs the low `width` (<= 64) bits of `value` into bits lsb.. of an entry
// whose word 0 holds bits 31:0.
constexpr void put_bits(std::uint32_t* words, unsigned lsb, unsigned width, std::uint64_t value) {
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done;
    const unsigned take = chunk(bit, width - done);
    words[bit / 32] |= static_cast<std::uint32_t>((value >> done) & low_mask(take)) << (bit % 32);
    done += take;
  }
}

constexpr std::uint64_t get_bits(const std::uint32_t* words, unsigned lsb, unsigned width) {
  std::uint64_t value = 0;
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done;
    const unsigned take = chunk(bit, width - done);
    value |= ((std::uint64_t{words[bit / 32]} >> (bit % 32)) & low_mask(take)) << done;
    done += take;
  }
  return value;
}

// Fields wider than 64 bits travel as 32-bit words, least significant first.
template <std::size_t N>
constexpr void put_wide(std::uint32_t* words, unsigned lsb, unsigned width,
                        const std::array<std::uint32_t, N>& value) {
  for (unsigned i = 0; i < N && 32 * i < width; ++i)
    put_bits(words, lsb + 32 * i, chunk(0, width - 32 * i), value[i]);
}

template <std::size_t N>
constexpr std::array<std::uint32_t, N> get_wide(const std::uint32_t* words, unsigned lsb,
                                                unsigned width) {
  std::array<std::uint32_t, N> value{};
  for (unsigned i = 0; i < N && 32 * i < width; ++i)
    value[i] = static_cast<std::uint32_t>(get_bits(words, lsb + 32 * i, chunk(0, width - 32 * i)));
  return value;
}

}  // namespace detail
)";

std::string underlying_type(unsigned width) {
  if (width <= 8) return "std::uint8_t";
  if (width <= 16) return "std::uint16_t";
  if (width <= 32) return "std::uint32_t";
  return "std::uint64_t";
}

std::string hex_u32(std::uint32_t value, int digits = 4) { return hex(value, digits); }

bool is_wide(const TableField& field) { return field.width > 64; }

class CppWriter {
 public:
  explicit CppWriter(const RegMap& regmap) : regmap_(regmap) {}

  std::string run() {
    out_ << "// " << generated_notice(regmap_.source) << "\n"
         << "//\n"
         << "// mplsec register map, table entry formats and reason codes. Register\n"
         << "// constants are absolute byte addresses in the card's AXI4-Lite window;\n"
         << "// table window registers are relative to tables::window_base().\n"
         << "#ifndef MPLSEC_REGS_HPP_\n#define MPLSEC_REGS_HPP_\n\n"
         << "#include <array>\n#include <cstddef>\n#include <cstdint>\n\n"
         << kTop << " {\n";
    version();
    features();
    claim(kTop, "field_mask", 0);
    claim(kTop, "get_field", 0);
    claim(kTop, "set_field", 0);
    claim(kTop, "detail", 0);
    section("Register fields and entry packing");
    out_ << "\n" << kHelpers;
    table_ids();
    for (const EnumDef& def : regmap_.enums) user_enum(def);
    code_enums();
    block_list();
    for (const Block& block : regmap_.blocks) this->block(block);
    reasons();
    table_list();
    for (const Table& table : regmap_.tables) entry_struct(table);
    out_ << "\n}  // " << kTop << "\n\n#endif  // MPLSEC_REGS_HPP_\n";
    return out_.str();
  }

 private:
  void claim(const std::string& scope, const std::string& name, int line) {
    symbols_.claim(scope, name, line);
  }

  void comment(const std::string& text, const std::string& indent = "") {
    for (const std::string& line : wrap(text, kCommentWidth)) out_ << indent << "// " << line << "\n";
  }

  void section(const std::string& title) { out_ << "\n// --- " << title << " ---\n"; }

  void constant(const std::string& scope, const std::string& name, const std::string& value,
                int line, const std::string& doc = "") {
    claim(scope, name, line);
    if (!doc.empty()) comment(doc);
    out_ << "inline constexpr std::uint32_t " << name << " = " << value << ";\n";
  }

  void constant(const std::string& scope, const std::string& name, std::uint64_t value, int line,
                const std::string& doc = "") {
    constant(scope, name, std::to_string(value), line, doc);
  }

  void version() {
    section("Register map version and layout");
    out_ << "\n";
    constant(kTop, "kRegmapVersionMajor", regmap_.version_major, 0);
    constant(kTop, "kRegmapVersionMinor", regmap_.version_minor, 0);
    constant(kTop, "kRegmapVersion", "(kRegmapVersionMajor << 16) | kRegmapVersionMinor", 0,
             "The value ident::kRegmapVersion reads back.");
    constant(kTop, "kDataWidthBits", regmap_.data_width_bits, 0);
    constant(kTop, "kAddressSpaceBytes", hex_u32(regmap_.address_space_bytes), 0);
    claim(kTop, "is_register_address", 0);
    out_ << "// A 32-bit register of the card: aligned and inside the address space.\n"
         << "constexpr bool is_register_address(std::uint64_t address) {\n"
         << "  return address % 4 == 0 && address < kAddressSpaceBytes;\n}\n";
    comment("Common header of every block, relative to its base.");
    constant(kTop, "kBlockTypeOffset", hex_u32(kBlockTypeOffset, 2), 0);
    constant(kTop, "kBlockVersionOffset", hex_u32(kBlockVersionOffset, 2), 0);
    constant(kTop, "kBlockNextOffset", hex_u32(kBlockNextOffset, 2), 0);
  }

  void features() {
    section("Features: bit numbers in ident::kFeatures");
    out_ << "\n";
    std::uint32_t known = 0;
    for (const Feature& feature : regmap_.features) {
      constant(kTop, "kFeature" + to_pascal(feature.name), feature.bit, feature.line, feature.doc);
      known |= std::uint32_t{1} << feature.bit;
    }
    constant(kTop, "kFeaturesKnown", hex_u32(known, 8), 0,
             "Mask of every feature bit this header knows.");
    claim(kTop, "FeatureInfo", 0);
    claim(kTop, "kFeatures", 0);
    out_ << "\nstruct FeatureInfo {\n  const char* name;\n  unsigned bit;\n  const char* doc;\n};\n\n"
         << "inline constexpr std::array<FeatureInfo, " << regmap_.features.size() << "> kFeatures"
         << (regmap_.features.empty() ? "{};\n" : "{{\n");
    for (const Feature& feature : regmap_.features)
      out_ << "    {\"" << feature.name << "\", " << feature.bit << ", " << cpp_string(feature.doc)
           << "},\n";
    if (!regmap_.features.empty()) out_ << "}};\n";
  }

  struct Enumerator {
    std::string name;
    std::uint64_t value;
    std::string doc;
    int line;
  };

  void enum_class(const std::string& type, const std::string& underlying,
                  const std::vector<Enumerator>& items, int line, const std::string& doc) {
    claim(kTop, type, line);
    out_ << "\n";
    comment(doc);
    out_ << "enum class " << type << " : " << underlying << " {\n";
    for (const Enumerator& item : items) {
      claim("enum " + type, item.name, item.line);
      if (!item.doc.empty()) comment(item.doc, "  ");
      out_ << "  " << item.name << " = " << item.value << ",\n";
    }
    out_ << "};\n";
  }

  std::vector<Enumerator> code_items(const std::vector<Code>& codes) {
    std::vector<Enumerator> items;
    for (const Code& code : codes) items.push_back({code.name, code.code, code.doc, code.line});
    return items;
  }

  void table_ids() {
    section("Enumerations");
    std::vector<Enumerator> items;
    for (const Table& table : tables_by_id())
      items.push_back({table.name, table.id, "", table.line});
    enum_class("TableId", "std::uint8_t", items, 0, "Table ids: window index and DMA_TABLE value.");
  }

  void user_enum(const EnumDef& def) {
    std::vector<Enumerator> items;
    for (const EnumValue& value : def.values)
      items.push_back({value.name, value.value, value.doc, value.line});
    enum_class(to_pascal(def.name), underlying_type(def.width), items, def.line,
               "enum " + def.name + " (" + std::to_string(def.width) + " bits in table entries)");
  }

  void code_enums() {
    std::vector<Enumerator> reasons = code_items(regmap_.drop_reasons);
    for (Enumerator& punt : code_items(regmap_.punt_reasons)) {
      punt.doc = "punt: " + punt.doc;
      reasons.push_back(punt);
    }
    enum_class("Reason", "std::uint8_t", reasons, 0,
               "Drop and punt reasons: one code space, fixed names (see kReasons).");
    enum_class("CounterBank", "std::uint8_t", code_items(regmap_.counter_banks), 0,
               "Counter banks.");
    enum_class("EventCode", "std::uint8_t", code_items(regmap_.event_codes), 0, "Event codes.");
  }

  void block_list() {
    section("Blocks");
    claim(kTop, "BlockInfo", 0);
    claim(kTop, "kBlocks", 0);
    out_ << "\n";
    comment("What a driver expects when it walks the block list from address 0.");
    out_ << "struct BlockInfo {\n  const char* name;\n  std::uint32_t base;\n"
         << "  std::uint32_t type;\n  std::uint32_t version;\n"
         << "  std::uint32_t next;  // base of the following block, 0 for the last\n};\n\n"
         << "inline constexpr std::array<BlockInfo, " << regmap_.blocks.size() << "> kBlocks{{\n";
    for (const Block& block : regmap_.blocks)
      out_ << "    {\"" << block.name << "\", " << hex_u32(block.base) << ", "
           << hex_u32(block.type, 8) << ", " << block.version << ", " << hex_u32(block.next)
           << "},\n";
    out_ << "}};\n";
  }

  void fields(const std::string& scope, const Register& reg) {
    for (const Field& field : reg.fields) {
      const std::string name = "k" + to_pascal(reg.name) + to_pascal(field.name);
      comment(reg.name + "." + field.name + " [" + bit_range(field.msb, field.lsb) + "]: " +
              one_line(field.doc));
      constant(scope, name + "Bit", field.lsb, field.line);
      constant(scope, name + "Width", field.width(), field.line);
      constant(scope, name + "Mask", hex_u32(field_mask(field.lsb, field.width()), 8), field.line);
      values(scope, name, field.values);
    }
  }

  void values(const std::string& scope, const std::string& prefix,
              const std::vector<EnumValue>& named) {
    for (const EnumValue& value : named)
      constant(scope, prefix + to_pascal(value.name), value.value, value.line, value.doc);
  }

  // `base` is added to each offset: the block base, or 0 inside a window.
  void registers(const std::string& scope, const std::vector<Register>& regs, std::uint32_t base) {
    for (const Register& reg : regs) {
      constant(scope, "k" + to_pascal(reg.name), hex_u32(base + reg.offset), reg.line,
               reg.name + " (" + access_name(reg.access) + "): " + one_line(reg.doc));
      if (reg.count > 1)
        constant(scope, "k" + to_pascal(count_name(reg)) + "Count", reg.count, reg.line);
      if (reg.reset)
        constant(scope, "k" + to_pascal(reg.name) + "Reset", *reg.reset, reg.line,
                 reg.name + " after reset");
      values(scope, "k" + to_pascal(reg.name), reg.values);
      fields(scope, reg);
    }
  }

  void block(const Block& block) {
    const std::string scope = kTop + "::" + block.name;
    claim(kTop, block.name, block.line);
    out_ << "\n";
    comment("Block " + block.name + ": " + one_line(block.doc));
    out_ << "namespace " << block.name << " {\n";
    constant(scope, "kBase", hex_u32(block.base), block.line);
    const std::string code = fourcc(block.type);
    constant(scope, "kType", hex_u32(block.type, 8), block.line, code.empty() ? "" : "\"" + code + "\"");
    constant(scope, "kVersion", block.version, block.line);
    constant(scope, "kNext", hex_u32(block.next), block.line, "base of the next block, 0 at the end");
    registers(scope, block.registers, block.base);
    if (block.window) window(scope, *block.window);
    out_ << "}  // namespace " << block.name << "\n";
  }

  void window(const std::string& scope, const TableWindow& window) {
    comment("Table windows: the window of table id i starts at kBase + kWindowOffset + "
            "kWindowStride * i. The registers below are relative to window_base().");
    constant(scope, "kWindowOffset", hex_u32(window.offset), window.line);
    constant(scope, "kWindowStride", hex_u32(window.stride), window.line);
    registers(scope, window.registers, 0);
    claim(scope, "window_base", window.line);
    out_ << "constexpr std::uint32_t window_base(TableId id) {\n"
         << "  return kBase + kWindowOffset + kWindowStride * static_cast<std::uint32_t>(id);\n"
         << "}\n";
  }

  void reasons() {
    section("Drop and punt reasons");
    out_ << "\n";
    for (const char* name : {"ReasonInfo", "kReasons", "is_drop", "is_punt", "reason_name"})
      claim(kTop, name, 0);
    out_ << "struct ReasonInfo {\n  Reason code;\n  const char* name;\n  bool drop;  // else punt\n"
         << "  const char* doc;\n};\n\n";
    constant(kTop, "kNumDropReasons", regmap_.drop_reasons.size(), 0);
    constant(kTop, "kNumPuntReasons", regmap_.punt_reasons.size(), 0);
    constant(kTop, "kNumReasonCodes", regmap_.reason_code_count(), 0,
             "Highest reason code + 1: entries of the reason counter bank.");
    out_ << "\n";
    comment("Every reason in register-map order: drops, then punts.");
    const std::size_t count = regmap_.drop_reasons.size() + regmap_.punt_reasons.size();
    out_ << "inline constexpr std::array<ReasonInfo, " << count << "> kReasons"
         << (count == 0 ? "{};\n\n" : "{{\n");
    for (const Code& reason : regmap_.drop_reasons) reason_info(reason, true);
    for (const Code& reason : regmap_.punt_reasons) reason_info(reason, false);
    if (count != 0) out_ << "}};\n\n";
    out_ << "constexpr bool is_drop(Reason reason) {\n  switch (reason) {\n";
    for (const Code& reason : regmap_.drop_reasons)
      out_ << "    case Reason::" << reason.name << ":\n";
    if (!regmap_.drop_reasons.empty()) out_ << "      return true;\n";
    out_ << "    default:\n      return false;\n  }\n}\n\n"
         << "constexpr bool is_punt(Reason reason) {\n  switch (reason) {\n";
    for (const Code& reason : regmap_.punt_reasons)
      out_ << "    case Reason::" << reason.name << ":\n";
    if (!regmap_.punt_reasons.empty()) out_ << "      return true;\n";
    out_ << "    default:\n      return false;\n  }\n}\n\n"
         << "// The fixed name (counters, JSON), or nullptr for a code that is no reason.\n"
         << "constexpr const char* reason_name(Reason reason) {\n"
         << "  for (const ReasonInfo& info : kReasons)\n"
         << "    if (info.code == reason) return info.name;\n"
         << "  return nullptr;\n}\n";
  }

  void reason_info(const Code& reason, bool drop) {
    out_ << "    {Reason::" << reason.name << ", \"" << reason.name << "\", "
         << (drop ? "true" : "false") << ",\n     " << cpp_string(reason.doc) << "},\n";
  }

  void table_list() {
    section("Tables");
    claim(kTop, "TableInfo", 0);
    claim(kTop, "kTables", 0);
    out_ << "\nstruct TableInfo {\n  const char* name;\n  TableId id;\n  std::uint32_t depth;\n"
         << "  std::uint32_t width_bits;\n  std::uint32_t words;  // per entry, in the window and "
            "in DMA buffers\n"
         << "  int feature;  // bit in ident.FEATURES a card must set to have the table; -1: every card\n"
         << "};\n\n"
         << "// Indexed by TableId.\n"
         << "inline constexpr std::array<TableInfo, " << regmap_.tables.size() << "> kTables"
         << (regmap_.tables.empty() ? "{};\n" : "{{\n");
    for (const Table& table : tables_by_id())
      out_ << "    {\"" << table.name << "\", TableId::" << table.name << ", " << table.depth
           << ", " << table.width_bits() << ", " << table.words() << ", " << feature_bit(table) << "},\n";
    if (!regmap_.tables.empty()) out_ << "}};\n";
    claim(kTop, "table_info", 0);
    out_ << "\nconstexpr const TableInfo& table_info(TableId id) {\n"
         << "  return kTables[static_cast<std::size_t>(id)];\n}\n";
  }

  // validate() checked that the feature exists.
  int feature_bit(const Table& table) const {
    for (const Feature& feature : regmap_.features)
      if (feature.name == table.feature) return static_cast<int>(feature.bit);
    return -1;
  }

  // validate() made the ids dense: 0..N-1.
  std::vector<Table> tables_by_id() const {
    std::vector<Table> sorted(regmap_.tables.size());
    for (const Table& table : regmap_.tables) sorted[table.id] = table;
    return sorted;
  }

  std::string member_type(const TableField& field) {
    if (!is_wide(field)) return "std::uint64_t";
    return "std::array<std::uint32_t, " + std::to_string((field.width + 31) / 32) + ">";
  }

  void entry_struct(const Table& table) {
    const std::string type = to_pascal(table.name) + "Entry";
    const std::string scope = "struct " + type;
    claim(kTop, type, table.line);
    for (const char* name : {"kTable", "kWidthBits", "kWords", "pack", "unpack"})
      claim(scope, name, table.line);
    out_ << "\n";
    comment("Entry of table " + table.name + " (id " + std::to_string(table.id) + "; " +
            std::to_string(table.width_bits()) + " bits in " + words_text(table.words()) +
            ", word 0 holds bits 31:0).");
    comment(one_line(table.doc));
    out_ << "struct " << type << " {\n"
         << "  static constexpr TableId kTable = TableId::" << table.name << ";\n"
         << "  static constexpr unsigned kWidthBits = " << table.width_bits() << ";\n"
         << "  static constexpr unsigned kWords = " << table.words() << ";\n";
    entry_members(scope, table);
    index_members(scope, table);
    pack_function(table);
    unpack_function(type, table);
    equality(type, table);
    out_ << "};\n";
    if (!table.index_fields.empty()) index_function(table);
  }

  void entry_members(const std::string& scope, const Table& table) {
    for (const TableField& field : table.fields) {
      const std::string name = "k" + to_pascal(field.name);
      claim(scope, field.name, field.line);
      claim(scope, name + "Bit", field.line);
      claim(scope, name + "Width", field.line);
      std::string doc = "[" + bit_range(field.msb(), field.lsb) + "] " + one_line(field.doc);
      if (!field.enum_name.empty()) doc += " (" + to_pascal(field.enum_name) + ")";
      out_ << "\n";
      comment(doc, "  ");
      out_ << "  " << member_type(field) << " " << field.name << "{};\n"
           << "  static constexpr unsigned " << name << "Bit = " << field.lsb << ";\n"
           << "  static constexpr unsigned " << name << "Width = " << field.width << ";\n";
    }
  }

  void index_members(const std::string& scope, const Table& table) {
    if (table.index_fields.empty()) return;
    out_ << "\n  // Entry index layout (see " << table.name << "_index()).\n";
    for (const IndexField& field : table.index_fields) {
      const std::string name = "kIndex" + to_pascal(field.name);
      claim(scope, name + "Bit", field.line);
      claim(scope, name + "Width", field.line);
      out_ << "  static constexpr unsigned " << name << "Bit = " << field.lsb << ";\n"
           << "  static constexpr unsigned " << name << "Width = " << field.width << ";\n";
    }
    if (table.nodes_per_level.empty()) return;
    claim(scope, "kLevels", table.nodes_per_level_line);
    claim(scope, "kNodesPerLevel", table.nodes_per_level_line);
    out_ << "  static constexpr unsigned kLevels = " << table.nodes_per_level.size() << ";\n"
         << "  static constexpr std::array<std::uint32_t, kLevels> kNodesPerLevel{{";
    for (std::size_t i = 0; i < table.nodes_per_level.size(); ++i)
      out_ << (i ? ", " : "") << table.nodes_per_level[i];
    out_ << "}};\n";
  }

  void pack_function(const Table& table) {
    out_ << "\n  // Each field is masked to its width.\n"
         << "  constexpr std::array<std::uint32_t, kWords> pack() const {\n"
         << "    std::array<std::uint32_t, kWords> words{};\n";
    for (const TableField& field : table.fields) {
      const std::string name = "k" + to_pascal(field.name);
      out_ << "    detail::" << (is_wide(field) ? "put_wide" : "put_bits") << "(words.data(), "
           << name << "Bit, " << name << "Width, " << field.name << ");\n";
    }
    out_ << "    return words;\n  }\n";
  }

  void unpack_function(const std::string& type, const Table& table) {
    out_ << "\n  static constexpr " << type << " unpack(const std::uint32_t* words) {\n"
         << "    " << type << " entry{};\n";
    for (const TableField& field : table.fields) {
      const std::string name = "k" + to_pascal(field.name);
      out_ << "    entry." << field.name << " = detail::";
      if (is_wide(field))
        out_ << "get_wide<" << (field.width + 31) / 32 << ">";
      else
        out_ << "get_bits";
      out_ << "(words, " << name << "Bit, " << name << "Width);\n";
    }
    out_ << "    return entry;\n  }\n"
         << "  static constexpr " << type
         << " unpack(const std::array<std::uint32_t, kWords>& words) {\n"
         << "    return unpack(words.data());\n  }\n";
  }

  void equality(const std::string& type, const Table& table) {
    out_ << "\n  bool operator==(const " << type << "& other) const {\n    return ";
    for (std::size_t i = 0; i < table.fields.size(); ++i)
      out_ << (i ? " &&\n           " : "") << table.fields[i].name << " == other."
           << table.fields[i].name;
    out_ << ";\n  }\n"
         << "  bool operator!=(const " << type << "& other) const { return !(*this == other); }\n";
  }

  // name_index(level, node, slot): the index parts from the most significant down.
  void index_function(const Table& table) {
    const std::string function = table.name + "_index";
    claim(kTop, function, table.index_fields_line);
    const std::string type = to_pascal(table.name) + "Entry";
    out_ << "\n";
    comment("Entry index of table " + table.name + " from its parts, each masked to its width.");
    out_ << "constexpr std::uint32_t " << function << "(";
    const auto& parts = table.index_fields;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it)
      out_ << (it == parts.rbegin() ? "" : ", ") << "std::uint32_t " << it->name;
    out_ << ") {\n  return ";
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      const std::string name = type + "::kIndex" + to_pascal(it->name);
      out_ << (it == parts.rbegin() ? "" : " |\n         ") << "detail::place(" << it->name << ", "
           << name << "Bit, " << name << "Width)";
    }
    out_ << ";\n}\n";
  }

  const RegMap& regmap_;
  std::ostringstream out_;
  SymbolTable symbols_;
};

}  // namespace

std::string emit_cpp(const RegMap& regmap) { return CppWriter(regmap).run(); }

}  // namespace regmap_gen
