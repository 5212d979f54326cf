#include "trie_builder.hpp"

#include <string>

namespace mplsec::tables {

constexpr uint32_t kSlots = 256;

TrieBuilder::TrieBuilder(std::vector<uint32_t> nodes_per_level)
    : capacity_(std::move(nodes_per_level)), levels_(capacity_.size()), next_free_(capacity_.size(), 0), paths_(capacity_.size()) {}

TrieBuilder::Node& TrieBuilder::node(uint32_t level, uint32_t index) {
    Node& n = levels_[level][index];
    if (n.empty()) n.resize(kSlots);
    return n;
}

uint32_t TrieBuilder::allocate(uint32_t level) {
    if (next_free_[level] >= capacity_[level])
        throw std::length_error("trie level " + std::to_string(level) + " is full (" +
                                std::to_string(capacity_[level]) + " nodes)");
    const uint32_t index = next_free_[level]++;
    node(level, index);
    return index;
}

void TrieBuilder::insert(uint32_t vrf, const uint8_t* bytes, uint8_t len, uint32_t route) {
    if (vrf >= capacity_[0]) throw std::length_error("VRF index " + std::to_string(vrf) + " has no root node");
    // The level whose node holds the prefix: /0../8 in level 0, /9../16 in 1, ...
    const uint32_t target = len == 0 ? 0 : (len - 1u) / 8;
    if (target >= capacity_.size()) throw std::length_error("prefix longer than the trie");
    uint32_t index = vrf;
    paths_[0].emplace(vrf, std::string(1, static_cast<char>(vrf)));
    for (uint32_t level = 0; level < target; ++level) {
        // Nodes live in std::map, so `slot` stays valid while allocate()
        // adds a node to the next level.
        TrieSlot& slot = node(level, index)[bytes[level]];
        if (!slot.child_valid) {
            slot.child = allocate(level + 1);
            slot.child_valid = true;
            paths_[level + 1][slot.child] = paths_[level].at(index) + static_cast<char>(bytes[level]);
        }
        index = slot.child;
    }
    // Expand the prefix over the slots of its node it covers.
    const uint32_t bits_here = len - 8 * target;  // 0..8 bits of this level's byte are fixed
    const uint32_t span = 1u << (8 - bits_here);
    const uint32_t first = bits_here == 0 ? 0 : (bytes[target] & (0xffu << (8 - bits_here)) & 0xffu);
    Node& n = node(target, index);
    for (uint32_t s = first; s < first + span; ++s) {
        if (n[s].route_valid && n[s].route_len > len) continue;
        n[s].route_valid = true;
        n[s].route = route;
        n[s].route_len = len;
    }
}

void TrieBuilder::for_each_slot(
    const std::function<void(uint32_t, uint32_t, uint32_t, const TrieSlot&)>& emit) const {
    for (uint32_t level = static_cast<uint32_t>(levels_.size()); level-- > 0;)
        for (const auto& [index, n] : levels_[level])
            for (uint32_t s = 0; s < n.size(); ++s)
                if (!n[s].empty()) emit(level, index, s, n[s]);
}

}  // namespace mplsec::tables
