// Checks relations between the objects of a register map that the reader
// cannot see one object at a time, and fills in derived values.
#pragma once

#include "model.hpp"

namespace regmap_gen {

// Throws InputError naming the line of the first inconsistency: overlapping
// registers, fields or blocks, duplicate names, codes or ids, table windows or
// entries that do not fit, index layouts that do not fit the depth. Sets
// Block::next and EnumDef::width.
void validate(RegMap& regmap);

}  // namespace regmap_gen
