// Identifier rules and case conversions shared by the reader and emitters.
#pragma once

#include <string>

namespace regmap_gen {

// snake_case names (blocks, fields, tables, enum values, reasons, ...):
// [a-z][a-z0-9]* words joined by single underscores.
bool is_lower_name(const std::string& name);
// UPPER_SNAKE register names.
bool is_upper_name(const std::string& name);
// Lower-case names are emitted verbatim as C++ namespaces, enumerators and
// struct members, and (table fields) as SystemVerilog struct members.
bool is_cpp_keyword(const std::string& name);
bool is_sv_keyword(const std::string& name);

std::string to_upper(const std::string& snake);   // nhlfe_op -> NHLFE_OP
std::string to_pascal(const std::string& snake);  // nhlfe_op -> NhlfeOp, CNT_LO -> CntLo

}  // namespace regmap_gen
