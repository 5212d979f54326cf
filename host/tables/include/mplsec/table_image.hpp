// Compiles a validated configuration into the card's table entries: the
// one place where config names become table indices and prefixes become
// trie nodes. The table manager writes the image; `show` and stats read
// its index maps to print names instead of numbers.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "mplsec/config.hpp"
#include "mplsec/regs.hpp"

namespace mplsec::tables {

struct TableWrite {
    regs::TableId table{};
    uint32_t index = 0;
    std::vector<uint32_t> words;
};

struct RouteRef {
    std::string vrf;
    std::string prefix;
};

struct TableImage {
    // In make-before-break order: what an entry points to is written
    // before the entry (next hops before NHLFEs before ILM entries; route
    // results and child nodes before the slots that lead to them).
    std::vector<TableWrite> writes;

    std::map<std::string, uint32_t> nexthop_index;  // by name
    std::map<std::string, uint32_t> vrf_index;      // by name
    std::map<std::string, uint32_t> sa_index;       // by name
    std::map<uint32_t, uint32_t> nhlfe_of_label;    // label -> NHLFE index
    std::vector<RouteRef> routes;                   // route index -> where it came from

    uint32_t policer_rate = 0;   // tokens per 2^16 cycles
    uint32_t policer_burst = 0;
};

// Throws config::ConfigError naming the item that does not fit the card
// (e.g. a VRF whose prefixes need more trie nodes than a level holds).
TableImage compile(const config::Config& config, uint32_t clock_khz);

}  // namespace mplsec::tables
