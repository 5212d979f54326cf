#include "validate.hpp"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "error.hpp"
#include "text.hpp"

namespace regmap_gen {
namespace {

// "0x010C..0x010F": the bytes [begin, end) as an inclusive range.
std::string span(std::uint32_t begin, std::uint32_t end) {
  return hex(begin) + ".." + hex(end - 1);
}

// Rejects a second item with the name of an earlier one.
template <typename Item>
void check_unique_names(const std::vector<const Item*>& items, const std::string& what) {
  std::map<std::string, int> first_line;
  for (const Item* item : items) {
    auto [it, inserted] = first_line.emplace(item->name, item->line);
    if (!inserted)
      throw InputError(item->line, "duplicate " + what + " name '" + item->name +
                                       "' (first at line " + std::to_string(it->second) + ")");
  }
}

template <typename Item>
std::vector<const Item*> pointers(const std::vector<Item>& items) {
  std::vector<const Item*> out;
  for (const Item& item : items) out.push_back(&item);
  return out;
}

// Rejects a second item carrying the number of an earlier one.
template <typename Item, typename Number>
void check_unique_numbers(const std::vector<const Item*>& items, Number number,
                          const std::string& what) {
  std::map<std::uint64_t, const Item*> first;
  for (const Item* item : items) {
    auto [it, inserted] = first.emplace(number(*item), item);
    if (!inserted)
      throw InputError(item->line, what + " " + std::to_string(number(*item)) + " of '" +
                                       item->name + "' is already used by '" + it->second->name +
                                       "' (line " + std::to_string(it->second->line) + ")");
  }
}

void check_values(const std::vector<EnumValue>& values, const std::string& what) {
  check_unique_names(pointers(values), "value of " + what);
  check_unique_numbers(
      pointers(values), [](const EnumValue& v) { return v.value; }, "value of " + what);
}

void check_fields(const Register& reg, const std::string& scope) {
  check_unique_names(pointers(reg.fields), "field of register " + scope + "." + reg.name);
  check_values(reg.values, "register " + scope + "." + reg.name);
  for (const Field& field : reg.fields)
    check_values(field.values, "field " + scope + "." + reg.name + "." + field.name);
  std::vector<const Field*> by_lsb = pointers(reg.fields);
  std::sort(by_lsb.begin(), by_lsb.end(),
            [](const Field* a, const Field* b) { return a->lsb < b->lsb; });
  for (std::size_t i = 1; i < by_lsb.size(); ++i) {
    const Field& low = *by_lsb[i - 1];
    const Field& high = *by_lsb[i];
    if (high.lsb <= low.msb) {
      const Field& later = low.line > high.line ? low : high;
      const Field& earlier = low.line > high.line ? high : low;
      throw InputError(later.line, "field " + scope + "." + reg.name + "." + later.name +
                                       " (bits " + bit_range(later.msb, later.lsb) +
                                       ") overlaps field " + earlier.name + " (bits " +
                                       bit_range(earlier.msb, earlier.lsb) + ")");
    }
  }
}

// Registers of one block (or one table window) must not share a byte.
void check_registers(const std::vector<Register>& registers, const std::string& scope) {
  check_unique_names(pointers(registers), "register of " + scope);
  for (const Register& reg : registers) {
    if (reg.name == "TYPE" || reg.name == "VERSION" || reg.name == "NEXT")
      throw InputError(reg.line, "register " + scope + "." + reg.name +
                                     " repeats the name of an implied block header register");
    check_fields(reg, scope);
  }
  std::vector<const Register*> by_offset = pointers(registers);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const Register* a, const Register* b) { return a->offset < b->offset; });
  for (std::size_t i = 1; i < by_offset.size(); ++i) {
    const Register& low = *by_offset[i - 1];
    const Register& high = *by_offset[i];
    if (high.offset < low.end()) {
      const Register& later = low.line > high.line ? low : high;
      const Register& earlier = low.line > high.line ? high : low;
      throw InputError(later.line, "register " + scope + "." + later.name + " (" +
                                       span(later.offset, later.end()) + ") overlaps register " +
                                       earlier.name + " (" + span(earlier.offset, earlier.end()) +
                                       ")");
    }
  }
}

// Byte offsets [begin, end) of table `id`'s window inside the window block.
struct WindowSpan {
  std::uint32_t begin;
  std::uint32_t end;
};

WindowSpan window_span(const TableWindow& window, unsigned id) {
  const std::uint32_t begin = window.offset + window.stride * id;
  return {begin, begin + window.size()};
}

// One past the last byte the block uses, relative to its base.
std::uint32_t block_extent(const Block& block, const RegMap& regmap) {
  std::uint32_t end = kBlockHeaderBytes;
  for (const Register& reg : block.registers) end = std::max(end, reg.end());
  if (block.window) {
    end = std::max(end, block.window->offset + block.window->size());
    for (const Table& table : regmap.tables)
      end = std::max(end, window_span(*block.window, table.id).end);
  }
  return end;
}

void check_blocks(RegMap& regmap) {
  check_unique_names(pointers(regmap.blocks), "block");
  check_unique_numbers(
      pointers(regmap.blocks), [](const Block& b) { return b.type; }, "block type");
  for (std::size_t i = 0; i < regmap.blocks.size(); ++i) {
    Block& block = regmap.blocks[i];
    check_registers(block.registers, block.name);
    const std::uint64_t end = std::uint64_t{block.base} + block_extent(block, regmap);
    if (end > regmap.address_space_bytes)
      throw InputError(block.line, "block " + block.name + " ends at " + hex(end - 1) +
                                       ", beyond the " + hex(regmap.address_space_bytes) +
                                       "-byte address space");
    if (i + 1 < regmap.blocks.size()) {
      const Block& following = regmap.blocks[i + 1];
      if (following.base < end)
        throw InputError(following.line,
                         "block " + following.name + " at " + hex(following.base) +
                             " overlaps block " + block.name + " (" +
                             span(block.base, static_cast<std::uint32_t>(end)) +
                             "); blocks must be listed in address order without overlap");
      block.next = following.base;
    } else {
      block.next = 0;
    }
  }
}

// The registers the generated driver API names (tables::kIndex, kCmd, ...).
void check_window_registers(const TableWindow& window, const Block& block) {
  check_registers(window.registers, block.name + " window");
  for (const char* name : {"INDEX", "CMD", "STATUS", "DATA0"})
    if (!window.find(name))
      throw InputError(window.line, "block " + block.name + " window_registers lack " + name);
  if (window.size() > window.stride)
    throw InputError(window.line, "block " + block.name + " window registers end at " +
                                      hex(window.size()) + ", beyond window_stride " +
                                      hex(window.stride));
}

// Each table's window must stay clear of the block header and the block's
// own registers (and, via check_blocks, inside the address space).
void check_table_window(const Table& table, const Block& block, const TableWindow& window) {
  const WindowSpan win = window_span(window, table.id);
  const std::string what = "table window of '" + table.name + "' (id " +
                           std::to_string(table.id) + ") at " +
                           span(block.base + win.begin, block.base + win.end);
  if (win.begin < kBlockHeaderBytes)
    throw InputError(window.line,
                     what + " overlaps the header of block " + block.name + " (TYPE, VERSION, NEXT at " +
                         span(block.base, block.base + kBlockHeaderBytes) +
                         "); window i starts at base + window_offset (" + hex(window.offset) +
                         ") + window_stride * i, so window_offset must be at least 0x0C");
  for (const Register& reg : block.registers)
    if (reg.offset < win.end && win.begin < reg.end())
      throw InputError(reg.line, what + " overlaps register " + block.name + "." + reg.name);
}

void check_windows(const RegMap& regmap) {
  const Block* window_block = nullptr;
  for (const Block& block : regmap.blocks) {
    if (!block.window) continue;
    if (window_block)
      throw InputError(block.window->line, "block " + block.name + " has table windows, but block " +
                                               window_block->name + " already has them");
    window_block = &block;
    check_window_registers(*block.window, block);
  }
  if (regmap.tables.empty()) return;
  if (!window_block)
    throw InputError(regmap.tables.front().line,
                     "tables are defined but no block has window_stride/window_registers");
  for (const Table& table : regmap.tables)
    check_table_window(table, *window_block, *window_block->window);
}

void check_index_layout(const Table& table) {
  unsigned index_bits = 0;
  for (const IndexField& field : table.index_fields) index_bits += field.width;
  if (index_bits > 32)
    throw InputError(table.index_fields_line, "table " + table.name + " index_fields span " +
                                                  std::to_string(index_bits) +
                                                  " bits, more than the 32-bit INDEX register");
  if (!table.index_fields.empty() && (std::uint64_t{1} << index_bits) > table.depth)
    throw InputError(table.index_fields_line,
                     "table " + table.name + " index_fields span 2^" + std::to_string(index_bits) +
                         " entries, more than its depth " + std::to_string(table.depth));
  if (table.nodes_per_level.empty()) return;
  const IndexField* level = table.find_index_field("level");
  const IndexField* node = table.find_index_field("node");
  if (!level || !node)
    throw InputError(table.nodes_per_level_line, "table " + table.name +
                                                     " has nodes_per_level but its index_fields "
                                                     "lack 'level' or 'node'");
  if (table.nodes_per_level.size() > (std::uint64_t{1} << level->width))
    throw InputError(table.nodes_per_level_line,
                     "table " + table.name + " has " + std::to_string(table.nodes_per_level.size()) +
                         " levels, more than its " + std::to_string(level->width) +
                         "-bit level index can address");
  for (std::size_t i = 0; i < table.nodes_per_level.size(); ++i) {
    const std::uint64_t nodes = table.nodes_per_level[i];
    if (nodes == 0 || nodes > (std::uint64_t{1} << node->width))
      throw InputError(table.nodes_per_level_line,
                       "table " + table.name + " level " + std::to_string(i) + " has " +
                           std::to_string(nodes) + " nodes; the " + std::to_string(node->width) +
                           "-bit node index allows 1.." +
                           std::to_string(std::uint64_t{1} << node->width));
  }
}

void check_tables(const RegMap& regmap) {
  check_unique_names(pointers(regmap.tables), "table");
  check_unique_numbers(
      pointers(regmap.tables), [](const Table& t) { return t.id; }, "table id");
  // Ids are dense so that software can index its table list by id.
  for (const Table& table : regmap.tables)
    if (table.id >= regmap.tables.size())
      throw InputError(table.line, "table " + table.name + " has id " + std::to_string(table.id) +
                                       "; the " + std::to_string(regmap.tables.size()) +
                                       " tables must use the ids 0.." +
                                       std::to_string(regmap.tables.size() - 1));
  const Block* window_block = regmap.window_block();
  for (const Table& table : regmap.tables) {
    check_unique_names(pointers(table.fields), "field of table " + table.name);
    if (!table.feature.empty() &&
        std::none_of(regmap.features.begin(), regmap.features.end(),
                     [&](const Feature& f) { return f.name == table.feature; }))
      throw InputError(table.feature_line, "table " + table.name + " needs the unknown feature '" +
                                               table.feature + "'");
    for (const TableField& field : table.fields)
      if (!field.enum_name.empty() && !regmap.find_enum(field.enum_name))
        throw InputError(field.line, "field " + table.name + "." + field.name +
                                         " refers to the unknown enum '" + field.enum_name + "'");
    if (window_block) {
      const Register& data = *window_block->window->find("DATA0");
      if (table.words() > data.count)
        throw InputError(table.line, "table " + table.name + " entries are " +
                                         std::to_string(table.width_bits()) + " bits = " +
                                         std::to_string(table.words()) +
                                         " words, more than the window's " +
                                         std::to_string(data.count) + " DATA registers");
    }
    check_index_layout(table);
  }
}

unsigned bits_for(std::uint64_t value) {
  unsigned bits = 1;
  while (bits < 64 && (value >> bits) != 0) ++bits;
  return bits;
}

// An enum takes the width of the table fields that hold it; all of them must
// agree and every value must fit.
void check_enums(RegMap& regmap) {
  for (EnumDef& def : regmap.enums) {
    check_values(def.values, "enum " + def.name);
    std::uint64_t max_value = 0;
    for (const EnumValue& value : def.values) max_value = std::max(max_value, value.value);
    def.width = 0;
    for (const Table& table : regmap.tables)
      for (const TableField& field : table.fields) {
        if (field.enum_name != def.name) continue;
        if (def.width != 0 && field.width != def.width)
          throw InputError(field.line, "field " + table.name + "." + field.name + " holds enum " +
                                           def.name + " in " + std::to_string(field.width) +
                                           " bits, another field in " + std::to_string(def.width));
        if (field.width < 64 && (max_value >> field.width) != 0)
          throw InputError(field.line, "field " + table.name + "." + field.name + " (" +
                                           std::to_string(field.width) + " bits) cannot hold enum " +
                                           def.name + " value " + std::to_string(max_value));
        def.width = field.width;
      }
    if (def.width == 0) def.width = bits_for(max_value);
  }
}

void check_codes(const RegMap& regmap) {
  std::vector<const Code*> reasons = pointers(regmap.drop_reasons);
  for (const Code& punt : regmap.punt_reasons) reasons.push_back(&punt);
  check_unique_names(reasons, "reason");
  check_unique_numbers(reasons, [](const Code& c) { return c.code; }, "reason code");
  check_unique_names(pointers(regmap.counter_banks), "counter bank");
  check_unique_numbers(
      pointers(regmap.counter_banks), [](const Code& c) { return c.code; }, "counter bank id");
  check_unique_names(pointers(regmap.event_codes), "event code");
  check_unique_numbers(
      pointers(regmap.event_codes), [](const Code& c) { return c.code; }, "event code");
}

void check_features(const RegMap& regmap) {
  check_unique_names(pointers(regmap.features), "feature");
  check_unique_numbers(
      pointers(regmap.features), [](const Feature& f) { return f.bit; }, "feature bit");
}

}  // namespace

void validate(RegMap& regmap) {
  check_features(regmap);
  check_windows(regmap);
  check_blocks(regmap);
  check_tables(regmap);
  check_enums(regmap);
  check_codes(regmap);
}

}  // namespace regmap_gen
