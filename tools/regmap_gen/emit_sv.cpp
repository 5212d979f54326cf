// SystemVerilog package in lowRISC style: localparams for every address,
// field and table dimension, typed enums for codes, packed structs for table
// entries so that the RTL never slices an entry by hand.
#include <algorithm>
#include <sstream>
#include <vector>

#include "emit.hpp"
#include "names.hpp"
#include "text.hpp"

namespace regmap_gen {
namespace {

constexpr std::size_t kCommentWidth = 96;

// "32'h0000_010C": addresses, masks and block types read best as grouped hex.
std::string sv_hex32(std::uint32_t value) {
  std::string digits = hex(value, 8).substr(2);
  return "32'h" + digits.substr(0, 4) + "_" + digits.substr(4);
}

std::string logic_type(unsigned width) {
  return width == 1 ? "logic" : "logic [" + std::to_string(width - 1) + ":0]";
}

class SvWriter {
 public:
  explicit SvWriter(const RegMap& regmap) : regmap_(regmap) {}

  std::string run() {
    out_ << "// " << generated_notice(regmap_.source) << "\n"
         << "//\n"
         << "// mplsec register map, table entry formats and reason codes. Register\n"
         << "// *_OFFSET values are absolute byte addresses in the card's AXI4-Lite\n"
         << "// window, except *_WIN_* offsets, which are relative to a table window.\n\n"
         << "package mplsec_regs_pkg;\n\n"
         // A constants package always has unused parameters; without the
         // waiver every -Wall lint of a design that imports it would list them.
         << "  /* verilator lint_off UNUSEDPARAM */\n";
    version();
    features();
    for (const Block& block : regmap_.blocks) this->block(block);
    tables();
    enums();
    codes();
    for (const Table& table : regmap_.tables) entry_struct(table);
    for (const Table& table : regmap_.tables)
      if (!table.index_fields.empty()) index_struct(table);
    out_ << "\n  /* verilator lint_on UNUSEDPARAM */\n\nendpackage : mplsec_regs_pkg\n";
    return out_.str();
  }

 private:
  void banner(const std::string& title) {
    const std::string rule(title.size() + 6, '/');
    out_ << "\n  " << rule << "\n  // " << title << " //\n  " << rule << "\n";
  }

  void comment(const std::string& text, const std::string& indent = "  ") {
    for (const std::string& line : wrap(text, kCommentWidth)) out_ << indent << "// " << line << "\n";
  }

  void param(const std::string& name, const std::string& value, int line,
             const std::string& doc = "") {
    symbols_.claim("package mplsec_regs_pkg", name, line);
    if (!doc.empty()) comment(doc);
    out_ << "  localparam int unsigned " << name << " = " << value << ";\n";
  }

  void param(const std::string& name, std::uint64_t value, int line, const std::string& doc = "") {
    param(name, std::to_string(value), line, doc);
  }

  void version() {
    banner("Register map version and layout");
    param("REGMAP_VERSION_MAJOR", regmap_.version_major, 0);
    param("REGMAP_VERSION_MINOR", regmap_.version_minor, 0);
    param("REGMAP_VERSION", sv_hex32(regmap_.version_major << 16 | regmap_.version_minor), 0,
          "value of ident.REGMAP_VERSION: major in 31:16, minor in 15:0");
    param("REG_DATA_WIDTH", regmap_.data_width_bits, 0);
    param("ADDRESS_SPACE_BYTES", sv_hex32(regmap_.address_space_bytes), 0);
    comment("Common header of every block, relative to the block base.");
    param("BLOCK_TYPE_OFFSET", sv_hex32(kBlockTypeOffset), 0);
    param("BLOCK_VERSION_OFFSET", sv_hex32(kBlockVersionOffset), 0);
    param("BLOCK_NEXT_OFFSET", sv_hex32(kBlockNextOffset), 0);
  }

  void features() {
    banner("Feature bits of ident.FEATURES");
    for (const Feature& feature : regmap_.features)
      param("FEATURE_" + to_upper(feature.name) + "_BIT", feature.bit, feature.line, feature.doc);
  }

  void fields(const std::string& prefix, const Register& reg) {
    for (const Field& field : reg.fields) {
      const std::string name = prefix + "_" + to_upper(field.name);
      comment(reg.name + "." + field.name + " [" + bit_range(field.msb, field.lsb) + "]: " +
              one_line(field.doc));
      param(name + "_BIT", field.lsb, field.line);
      param(name + "_WIDTH", field.width(), field.line);
      param(name + "_MASK", sv_hex32(field_mask(field.lsb, field.width())), field.line);
      values(name, field.values);
    }
  }

  void values(const std::string& prefix, const std::vector<EnumValue>& named) {
    for (const EnumValue& value : named)
      param(prefix + "_" + to_upper(value.name), value.value, value.line, value.doc);
  }

  // `base` is added to each offset: the block base, or 0 inside a window.
  void registers(const std::string& prefix, const std::vector<Register>& regs, std::uint32_t base) {
    for (const Register& reg : regs) {
      const std::string name = prefix + "_" + reg.name;
      param(name + "_OFFSET", sv_hex32(base + reg.offset), reg.line,
            reg.name + " (" + access_name(reg.access) + "): " + one_line(reg.doc));
      if (reg.count > 1) param(prefix + "_" + count_name(reg) + "_COUNT", reg.count, reg.line);
      if (reg.reset) param(name + "_RESET", *reg.reset, reg.line, reg.name + " after reset");
      values(name, reg.values);
      fields(name, reg);
    }
  }

  void block(const Block& block) {
    const std::string prefix = to_upper(block.name);
    banner("Block " + block.name);
    comment(block.doc);
    param(prefix + "_BASE", sv_hex32(block.base), block.line);
    const std::string code = fourcc(block.type);
    param(prefix + "_TYPE", sv_hex32(block.type), block.line, code.empty() ? "" : "\"" + code + "\"");
    param(prefix + "_VERSION", block.version, block.line);
    param(prefix + "_NEXT", sv_hex32(block.next), block.line, "base of the next block, 0 at the end");
    registers(prefix, block.registers, block.base);
    if (!block.window) return;
    const TableWindow& window = *block.window;
    comment("Table windows: window of table id i at " + prefix + "_BASE + " + prefix +
            "_WINDOW_OFFSET + " + prefix + "_WINDOW_STRIDE * i; the " + prefix +
            "_WIN_* offsets are relative to a window.");
    param(prefix + "_WINDOW_OFFSET", sv_hex32(window.offset), window.line);
    param(prefix + "_WINDOW_STRIDE", sv_hex32(window.stride), window.line);
    registers(prefix + "_WIN", window.registers, 0);
  }

  void tables() {
    banner("Tables");
    const Block* window_block = regmap_.window_block();
    param("NUM_TABLES", regmap_.tables.size(), 0);
    param("NUM_TABLE_WINDOWS", regmap_.tables.empty() ? 0 : regmap_.max_table_id() + 1, 0,
          "table ids are below this");
    for (const Table& table : regmap_.tables) {
      const std::string prefix = "TBL_" + to_upper(table.name);
      comment(table.name + ": " + one_line(table.doc));
      param(prefix + "_ID", table.id, table.line);
      param(prefix + "_DEPTH", table.depth, table.line);
      param(prefix + "_WIDTH", table.width_bits(), table.line);
      param(prefix + "_WORDS", table.words(), table.line);
      const TableWindow& window = *window_block->window;
      param(prefix + "_WINDOW", sv_hex32(window_block->base + window.offset + window.stride * table.id),
            table.line);
      index_params(prefix, table);
    }
    words_by_id();
  }

  // Entry words indexed by table id (0 where no table has the id), for
  // logic that serves every table window with one piece of hardware.
  void words_by_id() {
    if (regmap_.tables.empty()) return;
    std::vector<unsigned> words(regmap_.max_table_id() + 1, 0);
    for (const Table& table : regmap_.tables) words[table.id] = table.words();
    std::string list;
    for (std::size_t id = 0; id < words.size(); ++id) list += (id ? ", " : "") + std::to_string(words[id]);
    symbols_.claim("package mplsec_regs_pkg", "TBL_WORDS", 0);
    comment("entry words of each table, indexed by table id");
    out_ << "  localparam int unsigned TBL_WORDS [" << words.size() << "] = '{" << list << "};\n";
  }

  void index_params(const std::string& prefix, const Table& table) {
    for (const IndexField& field : table.index_fields) {
      param(prefix + "_IDX_" + to_upper(field.name) + "_BIT", field.lsb, field.line);
      param(prefix + "_IDX_" + to_upper(field.name) + "_WIDTH", field.width, field.line);
    }
    if (table.nodes_per_level.empty()) return;
    const int line = table.nodes_per_level_line;
    param(prefix + "_LEVELS", table.nodes_per_level.size(), line);
    std::string list;
    for (std::size_t level = 0; level < table.nodes_per_level.size(); ++level) {
      param(prefix + "_NODES_L" + std::to_string(level), table.nodes_per_level[level], line);
      list += (level ? ", " : "") + std::to_string(table.nodes_per_level[level]);
    }
    const std::string array = prefix + "_NODES_PER_LEVEL";
    symbols_.claim("package mplsec_regs_pkg", array, line);
    out_ << "  localparam int unsigned " << array << " [" << table.nodes_per_level.size()
         << "] = '{" << list << "};\n";
  }

  struct EnumItem {
    std::string name;
    std::uint64_t value;
    std::string doc;
    int line;
  };

  void typed_enum(const std::string& type, unsigned width, const std::vector<EnumItem>& items,
                  int line, const std::string& doc) {
    symbols_.claim("package mplsec_regs_pkg", type, line);
    out_ << "\n";
    comment(doc);
    out_ << "  typedef enum " << logic_type(width) << " {\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
      const EnumItem& item = items[i];
      symbols_.claim("package mplsec_regs_pkg", item.name, item.line);
      comment(item.doc, "    ");
      out_ << "    " << item.name << " = " << width << "'d" << item.value
           << (i + 1 < items.size() ? "," : "") << "\n";
    }
    out_ << "  } " << type << ";\n";
  }

  std::vector<EnumItem> code_items(const std::string& prefix, const std::vector<Code>& codes) {
    std::vector<EnumItem> items;
    for (const Code& code : codes)
      items.push_back({prefix + to_upper(code.name), code.code, code.doc, code.line});
    return items;
  }

  void enums() {
    banner("Enumerations");
    for (const EnumDef& def : regmap_.enums) {
      std::vector<EnumItem> items;
      for (const EnumValue& value : def.values)
        items.push_back({to_upper(def.name) + "_" + to_upper(value.name), value.value, value.doc,
                         value.line});
      typed_enum(def.name + "_e", def.width, items, def.line, "enum " + def.name);
    }
  }

  void codes() {
    banner("Reasons, counter banks, event codes");
    param("NUM_DROP_REASONS", regmap_.drop_reasons.size(), 0);
    param("NUM_PUNT_REASONS", regmap_.punt_reasons.size(), 0);
    param("NUM_REASON_CODES", regmap_.reason_code_count(), 0,
          "highest reason code + 1: entries of the reason counter bank");
    std::vector<EnumItem> reasons = code_items("REASON_", regmap_.drop_reasons);
    for (EnumItem& punt : code_items("REASON_", regmap_.punt_reasons)) {
      punt.doc = "punt: " + punt.doc;
      reasons.push_back(punt);
    }
    if (!reasons.empty())
      typed_enum("reason_e", kCodeBits, reasons, 0,
                 "Drop and punt reasons: one code space, fixed names.");
    if (!regmap_.counter_banks.empty())
      typed_enum("counter_bank_e", kCodeBits, code_items("COUNTER_BANK_", regmap_.counter_banks),
                 0, "Counter banks.");
    if (!regmap_.event_codes.empty())
      typed_enum("event_code_e", kCodeBits, code_items("EVENT_CODE_", regmap_.event_codes), 0,
                 "Event codes.");
  }

  std::string field_type(const TableField& field) {
    return field.enum_name.empty() ? logic_type(field.width) : field.enum_name + "_e";
  }

  // Packed structs list their first member at the most significant end, so
  // the fields go in reverse: the first YAML field lands at bit 0.
  void entry_struct(const Table& table) {
    const std::string type = table.name + "_entry_t";
    symbols_.claim("package mplsec_regs_pkg", type, table.line);
    std::size_t type_width = 0;
    for (const TableField& field : table.fields)
      type_width = std::max(type_width, field_type(field).size());
    out_ << "\n";
    comment("Entry of table " + table.name + " (" + std::to_string(table.width_bits()) +
            " bits, " + words_text(table.words()) + "; word 0 holds bits 31:0).");
    out_ << "  typedef struct packed {\n";
    for (auto it = table.fields.rbegin(); it != table.fields.rend(); ++it) {
      comment("[" + bit_range(it->msb(), it->lsb) + "] " + one_line(it->doc), "    ");
      std::string field_type_text = field_type(*it);
      field_type_text.resize(type_width, ' ');
      out_ << "    " << field_type_text << " " << it->name << ";\n";
    }
    out_ << "  } " << type << ";\n";
  }

  void index_struct(const Table& table) {
    const std::string type = table.name + "_index_t";
    symbols_.claim("package mplsec_regs_pkg", type, table.index_fields_line);
    out_ << "\n";
    comment("Entry index of table " + table.name + ", first index field at bit 0.");
    out_ << "  typedef struct packed {\n";
    for (auto it = table.index_fields.rbegin(); it != table.index_fields.rend(); ++it)
      out_ << "    " << logic_type(it->width) << " " << it->name << ";\n";
    out_ << "  } " << type << ";\n";
  }

  const RegMap& regmap_;
  std::ostringstream out_;
  SymbolTable symbols_;
};

}  // namespace

std::string emit_sv(const RegMap& regmap) { return SvWriter(regmap).run(); }

}  // namespace regmap_gen
