// Builds the stride-8 multibit trie of one address family for every VRF
// (docs/datapath.md step 5.3): prefix expansion inside a node, a child node
// per byte that longer prefixes go through, no leaf pushing (the walker
// remembers the last route it passed).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mplsec::tables {

struct TrieSlot {
    bool child_valid = false;
    uint32_t child = 0;
    bool route_valid = false;
    uint32_t route = 0;
    uint8_t route_len = 0;  // length of the prefix stored in `route`

    bool empty() const { return !child_valid && !route_valid; }
};

class TrieBuilder {
public:
    // `nodes_per_level[0]` is the number of VRFs; node n of level 0 is
    // VRF n's root.
    explicit TrieBuilder(std::vector<uint32_t> nodes_per_level);

    // Inserts prefix `bytes`/`len` of VRF `vrf` with result `route`. Throws
    // std::length_error when a level runs out of nodes. Prefixes must come
    // shortest first so that a longer one overwrites the slots it covers.
    void insert(uint32_t vrf, const uint8_t* bytes, uint8_t len, uint32_t route);

    // Calls `emit(level, node, slot, entry)` for every non-empty slot, the
    // deepest level first so children exist before a slot points to them.
    void for_each_slot(const std::function<void(uint32_t, uint32_t, uint32_t, const TrieSlot&)>& emit) const;

    using Node = std::vector<TrieSlot>;  // 256 slots

    uint32_t levels() const { return static_cast<uint32_t>(levels_.size()); }
    uint32_t capacity(uint32_t level) const { return capacity_[level]; }
    // The nodes of a level by their (builder) index.
    const std::map<uint32_t, Node>& nodes(uint32_t level) const { return levels_[level]; }
    // Where a node sits: the VRF index as one byte, then the address bytes
    // that lead to it (so level L's paths are L + 1 bytes long). The table
    // compiler keys node ownership by it from one compile to the next.
    const std::string& path(uint32_t level, uint32_t index) const { return paths_[level].at(index); }

private:
    Node& node(uint32_t level, uint32_t index);
    uint32_t allocate(uint32_t level);

    std::vector<uint32_t> capacity_;
    std::vector<std::map<uint32_t, Node>> levels_;  // allocated nodes per level
    std::vector<uint32_t> next_free_;
    std::vector<std::map<uint32_t, std::string>> paths_;
};

}  // namespace mplsec::tables
