// Operator/developer documentation: one Markdown table per block, per table
// entry format and per code list.
#include <sstream>

#include "emit.hpp"
#include "text.hpp"

namespace regmap_gen {
namespace {

class MdWriter {
 public:
  explicit MdWriter(const RegMap& regmap) : regmap_(regmap) {}

  std::string run() {
    out_ << "<!-- " << generated_notice(regmap_.source) << " -->\n\n"
         << "# mplsec register map\n\n"
         << "Register map version **" << regmap_.version_major << "." << regmap_.version_minor
         << "** (`ident.REGMAP_VERSION` reads "
         << hex(regmap_.version_major << 16 | regmap_.version_minor, 8) << ").\n\n"
         << "One AXI4-Lite window of " << regmap_.address_space_bytes << " bytes with "
         << regmap_.data_width_bits << "-bit registers. The space is a linked list of "
         << "self-describing blocks: every block starts with TYPE (+0x00), VERSION (+0x04) and "
         << "NEXT (+0x08, the base of the next block, 0 at the end). Addresses below are "
         << "absolute byte addresses.\n";
    features();
    block_summary();
    for (const Block& block : regmap_.blocks) this->block(block);
    table_window();
    for (const Table& table : regmap_.tables) this->table(table);
    enums();
    reasons();
    codes("Counter banks", "id", regmap_.counter_banks);
    codes("Event codes", "code", regmap_.event_codes);
    return out_.str();
  }

 private:
  void heading(const std::string& title, int level = 2) {
    out_ << "\n" << std::string(level, '#') << " " << title << "\n\n";
  }

  void row(std::initializer_list<std::string> cells) {
    out_ << "|";
    for (const std::string& cell : cells) out_ << " " << cell << " |";
    out_ << "\n";
  }

  void header(std::initializer_list<std::string> cells) {
    row(cells);
    out_ << "|";
    for (std::size_t i = 0; i < cells.size(); ++i) out_ << "---|";
    out_ << "\n";
  }

  static std::string code(const std::string& text) { return "`" + text + "`"; }

  void features() {
    heading("Features");
    out_ << "Bits of `ident.FEATURES`.\n\n";
    header({"bit", "name", "description"});
    for (const Feature& feature : regmap_.features)
      row({std::to_string(feature.bit), code(feature.name), md_cell(feature.doc)});
  }

  void block_summary() {
    heading("Blocks");
    header({"base", "block", "type", "version", "description"});
    for (const Block& block : regmap_.blocks)
      row({hex(block.base), "[" + block.name + "](#block-" + block.name + ")", type_text(block),
           std::to_string(block.version), md_cell(block.doc)});
  }

  static std::string type_text(const Block& block) {
    const std::string code = fourcc(block.type);
    return hex(block.type, 8) + (code.empty() ? "" : " \"" + code + "\"");
  }

  // Register rows followed by one row per field. `base` is added to offsets.
  void register_rows(const std::vector<Register>& regs, std::uint32_t base) {
    for (const Register& reg : regs) {
      std::string name = code(reg.name);
      if (reg.count > 1)
        name += " ×" + std::to_string(reg.count) + " (" + hex(base + reg.offset) + ".." +
                hex(base + reg.end() - 4) + ")";
      const std::string reset = reg.reset ? " (reset " + std::to_string(*reg.reset) + ")" : "";
      row({hex(base + reg.offset), name, access_name(reg.access), "", md_cell(reg.doc) + reset});
      value_rows("", reg.values);
      for (const Field& field : reg.fields) {
        row({"", "", "", bit_range(field.msb, field.lsb) + " " + code(field.name),
             md_cell(field.doc)});
        value_rows(field.name + " ", field.values);
      }
    }
  }

  // Named values in the fields column: "= 1 `write`" or "enable = 1 `on`".
  void value_rows(const std::string& prefix, const std::vector<EnumValue>& values) {
    for (const EnumValue& value : values)
      row({"", "", "", prefix + "= " + std::to_string(value.value) + " " + code(value.name),
           md_cell(value.doc)});
  }

  void block(const Block& block) {
    heading("Block " + block.name, 3);
    out_ << one_line(block.doc) << "\n\nBase " << hex(block.base) << ", type " << type_text(block)
         << ", version " << block.version << ", next " << hex(block.next) << ".\n\n";
    header({"address", "register", "access", "fields", "description"});
    row({hex(block.base + kBlockTypeOffset), code("TYPE"), "ro", "", "block type"});
    row({hex(block.base + kBlockVersionOffset), code("VERSION"), "ro", "", "block version"});
    row({hex(block.base + kBlockNextOffset), code("NEXT"), "ro", "",
         "base of the next block (" + hex(block.next) + ")"});
    register_rows(block.registers, block.base);
  }

  void table_window() {
    const Block* block = regmap_.window_block();
    if (!block) return;
    const TableWindow& window = *block->window;
    heading("Table windows");
    out_ << "Table id *i* has a register window at `" << block->name << ".base` + "
         << hex(window.offset) << " + " << hex(window.stride) << " × *i* (block `" << block->name
         << "`). An entry of *w* bits occupies ceil(*w*/32) DATA words, word 0 holding bits "
         << "31:0; DMA buffers hold entries back to back in the same format. Offsets are "
         << "relative to the window.\n\n";
    header({"offset", "register", "access", "fields", "description"});
    register_rows(window.registers, 0);
    out_ << "\n";
    header({"id", "table", "window", "depth", "width (bits)", "words"});
    for (const Table& table : regmap_.tables)
      row({std::to_string(table.id), "[" + table.name + "](#table-" + table.name + ")",
           hex(block->base + window.offset + window.stride * table.id), std::to_string(table.depth),
           std::to_string(table.width_bits()), std::to_string(table.words())});
  }

  void table(const Table& table) {
    heading("Table " + table.name, 3);
    out_ << one_line(table.doc) << "\n\nId " << table.id << ", depth " << table.depth << ", "
         << table.width_bits() << " bits (" << table.words() << " words) per entry.";
    if (!table.feature.empty())
      out_ << " Present on a card that offers the feature `" << table.feature << "`.";
    out_ << "\n";
    if (!table.index_fields.empty()) {
      out_ << "\nEntry index:";
      for (auto it = table.index_fields.rbegin(); it != table.index_fields.rend(); ++it)
        out_ << " " << code(it->name) << " [" << bit_range(it->lsb + it->width - 1, it->lsb) << "]";
      out_ << ".";
      if (!table.nodes_per_level.empty()) {
        out_ << " Nodes per level:";
        for (std::size_t level = 0; level < table.nodes_per_level.size(); ++level)
          out_ << (level ? ", " : " ") << level << ": " << table.nodes_per_level[level];
        out_ << ".";
      }
      out_ << "\n";
    }
    out_ << "\n";
    header({"bits", "field", "description"});
    for (const TableField& field : table.fields) {
      std::string doc = md_cell(field.doc);
      if (!field.enum_name.empty())
        doc += " (enum [" + field.enum_name + "](#enum-" + field.enum_name + "))";
      row({bit_range(field.msb(), field.lsb), code(field.name), doc});
    }
  }

  void enums() {
    if (regmap_.enums.empty()) return;
    heading("Enumerations");
    for (const EnumDef& def : regmap_.enums) {
      heading("Enum " + def.name, 3);
      header({"value", "name", "description"});
      for (const EnumValue& value : def.values)
        row({std::to_string(value.value), code(value.name), md_cell(value.doc)});
    }
  }

  void reasons() {
    heading("Drop and punt reasons");
    out_ << "Drops and punts share one code space. Names are fixed (counters, JSON).\n\n";
    header({"code", "name", "kind", "description"});
    for (const Code& reason : regmap_.drop_reasons)
      row({std::to_string(reason.code), code(reason.name), "drop", md_cell(reason.doc)});
    for (const Code& reason : regmap_.punt_reasons)
      row({std::to_string(reason.code), code(reason.name), "punt", md_cell(reason.doc)});
  }

  void codes(const std::string& title, const std::string& number, const std::vector<Code>& list) {
    heading(title);
    header({number, "name", "description"});
    for (const Code& item : list) row({std::to_string(item.code), code(item.name), md_cell(item.doc)});
  }

  const RegMap& regmap_;
  std::ostringstream out_;
};

}  // namespace

std::string emit_md(const RegMap& regmap) { return MdWriter(regmap).run(); }

}  // namespace regmap_gen
