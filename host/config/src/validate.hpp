// Checks that span items: every name used is declared, and no two items
// claim the same label, name, port, address, prefix or inbound SPI.
#pragma once

#include "mplsec/config.hpp"

namespace mplsec::config::detail {

// Throws ConfigError at the second of two clashing items, or at the use of
// an undeclared name.
void validate(const Config& config);

// Fills in what the file may leave out and that depends on other items:
// an ILM entry without `ports` is accepted on every core port (a port with
// no VRF). Run after validate().
void fill_defaults(Config& config);

}  // namespace mplsec::config::detail
