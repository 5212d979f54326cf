// In-memory form of regmap/mplsec.yaml after schema checks.
//
// Every object keeps the 1-based YAML line it came from so that the
// validator and the emitters can point at the offending line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace regmap_gen {

// Every block starts with TYPE, VERSION and NEXT; its own registers follow.
inline constexpr std::uint32_t kBlockTypeOffset = 0x00;
inline constexpr std::uint32_t kBlockVersionOffset = 0x04;
inline constexpr std::uint32_t kBlockNextOffset = 0x08;
inline constexpr std::uint32_t kBlockHeaderBytes = 0x0C;

// Reason codes, counter bank ids and event codes travel in 8-bit register
// fields (PUNT_META.reason, CNT_SELECT.bank, EVT_HEAD.code).
inline constexpr unsigned kCodeBits = 8;

enum class Access { ro, rw, wo };

// A named value: an enum value, or a value a register or field takes
// (e.g. tables CMD: write = 1, read = 2).
struct EnumValue {
  std::string name;
  std::uint64_t value = 0;
  std::string doc;
  int line = 0;
};

// Bits msb..lsb of a 32-bit register.
struct Field {
  std::string name;
  unsigned msb = 0;
  unsigned lsb = 0;
  std::string doc;
  std::vector<EnumValue> values;  // named values of the field
  int line = 0;

  unsigned width() const { return msb - lsb + 1; }
};

struct Register {
  std::string name;
  std::uint32_t offset = 0;  // from the block base (or the window base)
  Access access = Access::ro;
  unsigned count = 1;        // consecutive 32-bit words (e.g. DATA0..DATA7)
  std::string doc;
  std::vector<Field> fields;
  std::vector<EnumValue> values;  // named values of the whole register
  std::optional<std::uint32_t> reset;  // value after reset, where the hardware defines one
  int line = 0;

  std::uint32_t end() const { return offset + 4 * count; }  // one past the last byte
};

// The per-table register windows of the table block: window i starts at
// block base + offset + stride * i.
struct TableWindow {
  std::uint32_t offset = 0;
  std::uint32_t stride = 0;
  std::vector<Register> registers;
  int line = 0;

  // Bytes one window's registers occupy (end of the last register).
  std::uint32_t size() const;
  const Register* find(const std::string& name) const;
};

struct Block {
  std::string name;
  std::uint32_t base = 0;
  std::uint32_t type = 0;
  std::uint32_t version = 0;
  std::string doc;
  std::vector<Register> registers;
  std::optional<TableWindow> window;
  int line = 0;
  std::uint32_t next = 0;  // derived: base of the following block, 0 for the last
};

struct TableField {
  std::string name;
  unsigned width = 0;
  unsigned lsb = 0;          // derived: fields are listed from bit 0 upward
  std::string enum_name;     // empty unless the field holds an enum
  std::string doc;
  int line = 0;

  unsigned msb() const { return lsb + width - 1; }
};

// One part of a structured entry index (lpm tries: slot, node, level).
struct IndexField {
  std::string name;
  unsigned width = 0;
  unsigned lsb = 0;
  int line = 0;
};

struct Table {
  std::string name;
  unsigned id = 0;
  std::uint64_t depth = 0;
  std::string doc;
  std::vector<TableField> fields;
  std::vector<IndexField> index_fields;      // listed from bit 0 upward
  std::vector<std::uint64_t> nodes_per_level;
  std::string feature;  // the feature a card must offer to have the table ("" = every card)
  int feature_line = 0;
  int index_fields_line = 0;
  int nodes_per_level_line = 0;
  int line = 0;

  unsigned width_bits() const;
  unsigned words() const { return (width_bits() + 31) / 32; }
  const IndexField* find_index_field(const std::string& name) const;
};

struct EnumDef {
  std::string name;
  std::vector<EnumValue> values;
  int line = 0;
  unsigned width = 0;  // derived: width of the fields that hold it
};

// A named number: reason codes, counter bank ids, event codes.
struct Code {
  std::string name;
  unsigned code = 0;
  std::string doc;
  int line = 0;
};

struct Feature {
  std::string name;
  unsigned bit = 0;
  std::string doc;
  int line = 0;
};

struct RegMap {
  std::string source;  // input path as given; named in generated headers
  unsigned version_major = 0;
  unsigned version_minor = 0;
  unsigned data_width_bits = 0;
  std::uint32_t address_space_bytes = 0;
  std::vector<Feature> features;
  std::vector<Block> blocks;
  std::vector<Table> tables;
  std::vector<EnumDef> enums;
  std::vector<Code> drop_reasons;
  std::vector<Code> punt_reasons;
  std::vector<Code> counter_banks;
  std::vector<Code> event_codes;

  // The block holding the table windows; null when there is none.
  const Block* window_block() const;
  const EnumDef* find_enum(const std::string& name) const;
  unsigned max_table_id() const;
  // Highest reason code + 1: the size of the reason counter bank.
  unsigned reason_code_count() const;
};

}  // namespace regmap_gen
