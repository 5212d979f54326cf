// Compiles a validated configuration into the card's table entries: the
// one place where config names become table indices and prefixes become
// trie nodes. The table manager writes the image; `show` and stats read
// its index maps to print names instead of numbers.
//
// Indices are stable across compiles (DESIGN.md 4, make-before-break):
// given the image the card holds now, every object that still exists keeps
// its index, and a new object takes an index the previous image does not
// use, so no entry that something on the card may still point to is ever
// rewritten with another object's content in the same transaction.
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
    // Entries the datapath reaches by a fixed key (ILM entries by label,
    // ports, the level-0 trie slots of a VRF the previous image already
    // had): writing one redirects live traffic, so a transaction writes
    // them only after every entry that is created or changed in place.
    bool redirect = false;
};

struct RouteRef {
    std::string vrf;
    std::string prefix;
};

struct TableImage {
    // In make-before-break order: what an entry points to is written
    // before the entry: next hops, SAs (sa_tunnel, sa_lifetime, then sa),
    // spi_hash slots, routes, trie nodes (deepest level first), level-0
    // trie slots, VRFs, NHLFEs, ILM entries, ports, local addresses. Every
    // entry appears once.
    std::vector<TableWrite> writes;

    std::map<std::string, uint32_t> nexthop_index;  // by name
    std::map<std::string, uint32_t> vrf_index;      // by name
    std::map<std::string, uint32_t> sa_index;       // by name
    std::map<uint32_t, uint32_t> spi_slot;          // inbound SPI -> spi_hash index
    std::map<uint32_t, uint32_t> nhlfe_of_label;    // label -> NHLFE index
    std::vector<RouteRef> routes;                   // route index -> where it came from ({"", ""}: free)
    std::map<std::string, uint32_t> addr_index;     // local address (text) -> index

    // Trie node ownership: node path (the VRF index as one byte, then the
    // address bytes leading to the node; level = size - 1) -> node index on
    // that level. Nodes of a level not named here are free.
    std::map<std::string, uint32_t> lpm4_nodes;
    std::map<std::string, uint32_t> lpm6_nodes;

    uint32_t policer_rate = 0;   // tokens per 2^16 cycles
    uint32_t policer_burst = 0;
};

// Throws config::ConfigError naming the item that does not fit the card
// (e.g. a VRF whose prefixes need more trie nodes than a level holds).
//
// Without `previous`, indices are positional (the n-th next hop of the file
// is next hop n). With `previous` (the image the card holds), objects keep
// their index: next hop by name, NHLFE by label, route by (VRF, prefix),
// VRF by name, local address by address, SA by name; new objects take the
// lowest index `previous` does not use. Trie nodes are copy-on-write: a
// node whose content stays the same keeps its index; any other node of
// level > 0 gets a fresh one, so its parent changes too, up to the level-0
// slot of the VRF, which is written in place as the transaction's flip.
// The old nodes are left to the diff's removals.
TableImage compile(const config::Config& config, uint32_t clock_khz, const TableImage* previous = nullptr);

}  // namespace mplsec::tables
