#include "model.hpp"

#include <algorithm>

namespace regmap_gen {

std::uint32_t TableWindow::size() const {
  std::uint32_t end = 0;
  for (const Register& reg : registers) end = std::max(end, reg.end());
  return end;
}

const Register* TableWindow::find(const std::string& name) const {
  for (const Register& reg : registers)
    if (reg.name == name) return &reg;
  return nullptr;
}

unsigned Table::width_bits() const {
  unsigned width = 0;
  for (const TableField& field : fields) width += field.width;
  return width;
}

const IndexField* Table::find_index_field(const std::string& field_name) const {
  for (const IndexField& field : index_fields)
    if (field.name == field_name) return &field;
  return nullptr;
}

const Block* RegMap::window_block() const {
  for (const Block& block : blocks)
    if (block.window) return &block;
  return nullptr;
}

const EnumDef* RegMap::find_enum(const std::string& enum_name) const {
  for (const EnumDef& def : enums)
    if (def.name == enum_name) return &def;
  return nullptr;
}

unsigned RegMap::max_table_id() const {
  unsigned max_id = 0;
  for (const Table& table : tables) max_id = std::max(max_id, table.id);
  return max_id;
}

unsigned RegMap::reason_code_count() const {
  unsigned count = 0;
  for (const auto* list : {&drop_reasons, &punt_reasons})
    for (const Code& reason : *list) count = std::max(count, reason.code + 1);
  return count;
}

}  // namespace regmap_gen
