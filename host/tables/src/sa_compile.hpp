// Config SAs -> sa, sa_tunnel, sa_lifetime and spi_hash entries.
#pragma once

#include "mplsec/table_image.hpp"

namespace mplsec::tables {

// Emits every SA's sa_tunnel and sa_lifetime entry, then its sa entry (the
// card expands the key when sa is written, so sa comes last), then the
// spi_hash slots of the inbound SAs (a slot the card already uses as a
// redirect). image.sa_index must be
// assigned. With `previous`, an inbound SPI keeps its slot; a new SPI takes
// a free one of its two slots, moving one occupant to its other slot when
// both are full (one cuckoo step). Throws config::ConfigError when an SPI
// finds no slot.
void compile_sas(const config::Config& config, TableImage& image, const TableImage* previous);

}  // namespace mplsec::tables
