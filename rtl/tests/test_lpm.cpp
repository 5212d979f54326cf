// Unit test of mplsec_lpm with the lpm4 geometry (through tb_lpm4):
// random prefixes in several VRFs against a reference longest-prefix
// match, one lookup a cycle, a child outside its pool, table read-back.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

#include "Vtb_lpm4.h"
#include "mplsec/regs.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

struct Prefix {
    uint32_t vrf, addr;
    unsigned len;
    uint32_t route;
};

class LpmTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_lpm4>();
        t_->valid_i = 0;
        t_->tbl_we_i = 0;
        t_->tbl_re_i = 0;
        reset(*t_);
        next_.fill(0);
    }

    void write(uint32_t index, const regs::Lpm4Entry& e) {
        const auto w = e.pack();
        t_->tbl_we_i = 1;
        t_->tbl_index_i = index;
        t_->tbl_wdata_i = uint64_t{w[0]} | uint64_t{w[1]} << 32;
        tick(*t_);
        t_->tbl_we_i = 0;
    }

    // Same trie construction as the control plane: expand into slots,
    // shorter prefixes first.
    void add(const Prefix& p) {
        uint32_t node = p.vrf;
        unsigned level = 0;
        while ((level + 1) * 8 < p.len) {
            const uint32_t idx = regs::lpm4_index(level, node, (p.addr >> (24 - 8 * level)) & 0xff);
            regs::Lpm4Entry& s = shadow_[idx];
            if (!s.child_valid) {
                s.child_valid = 1;
                s.child = next_[level + 1]++;
                write(idx, s);
            }
            node = static_cast<uint32_t>(s.child);
            ++level;
        }
        const unsigned rem = (level + 1) * 8 - p.len;
        const uint32_t first = ((p.addr >> (24 - 8 * level)) & 0xff) & ~((1u << rem) - 1);
        for (uint32_t slot = first; slot < first + (1u << rem); ++slot) {
            const uint32_t idx = regs::lpm4_index(level, node, slot);
            regs::Lpm4Entry& s = shadow_[idx];
            s.route_valid = 1;
            s.route = p.route;
            write(idx, s);
        }
    }

    std::unique_ptr<Vtb_lpm4> t_;
    std::map<uint32_t, regs::Lpm4Entry> shadow_;
    std::array<uint32_t, 4> next_{};
};

TEST_F(LpmTest, RandomPrefixesOneLookupPerCycle) {
    std::mt19937 rng(7);
    std::vector<Prefix> prefixes;
    for (int i = 0; i < 200; ++i) {
        Prefix p;
        p.vrf = rng() % 3;
        p.len = 1 + rng() % 32;
        p.addr = (0x0a000000u | (rng() & 0x0003ffffu)) & (p.len == 32 ? ~0u : ~(~0u >> p.len));
        p.route = rng() % 131072;
        prefixes.push_back(p);
    }
    std::stable_sort(prefixes.begin(), prefixes.end(), [](const Prefix& a, const Prefix& b) { return a.len < b.len; });
    for (const Prefix& p : prefixes) add(p);

    auto reference = [&](uint32_t vrf, uint32_t addr, uint32_t& route) {
        int best = -1;
        for (const Prefix& p : prefixes) {
            const uint32_t mask = p.len == 32 ? ~0u : ~(~0u >> p.len);
            if (p.vrf == vrf && (addr & mask) == p.addr && static_cast<int>(p.len) >= best) {
                best = static_cast<int>(p.len);
                route = p.route;
            }
        }
        return best >= 0;
    };

    constexpr int kLookups = 3000;
    std::vector<std::pair<uint32_t, uint32_t>> keys;
    for (int i = 0; i < kLookups; ++i) {
        const Prefix& p = prefixes[rng() % prefixes.size()];
        const uint32_t addr = rng() % 4 ? p.addr | (rng() & (p.len == 32 ? 0u : ~0u >> p.len)) : rng();
        keys.push_back({p.vrf, addr});
    }
    int got = 0;
    for (int c = 0; c < kLookups + 8; ++c) {
        t_->valid_i = c < kLookups;
        t_->lookup_i = c < kLookups && c % 10 != 9;  // every tenth frame passes without a lookup
        if (c < kLookups) {
            t_->tag_i = static_cast<uint16_t>(c);
            t_->root_i = keys[c].first;
            t_->addr_i = keys[c].second;
        }
        tick(*t_);
        if (t_->valid_o) {
            const int i = t_->tag_o;
            ASSERT_EQ(i, got) << "lookups must come out in order, one a cycle";
            uint32_t route = 0;
            const bool match = i % 10 != 9 && reference(keys[i].first, keys[i].second, route);
            ASSERT_EQ(static_cast<bool>(t_->match_o), match) << i;
            if (match) {
                EXPECT_EQ(t_->route_o, route) << i;
            }
            ++got;
        }
    }
    EXPECT_EQ(got, kLookups);
}

TEST_F(LpmTest, ChildOutsideItsPoolEndsTheWalk) {
    regs::Lpm4Entry e;
    e.route_valid = 1;
    e.route = 42;
    e.child_valid = 1;
    e.child = 5000;  // level 1 has 4096 nodes
    write(regs::lpm4_index(0, 1, 10), e);
    t_->valid_i = 1;
    t_->lookup_i = 1;
    t_->root_i = 1;
    t_->addr_i = 0x0a000000;
    tick(*t_);
    t_->valid_i = 0;
    for (int i = 0; i < 4; ++i) tick(*t_);
    ASSERT_TRUE(t_->valid_o);
    EXPECT_TRUE(t_->match_o);
    EXPECT_EQ(t_->route_o, 42u);
}

TEST_F(LpmTest, ReadBackAndRange) {
    regs::Lpm4Entry e;
    e.route_valid = 1;
    e.route = 77;
    write(regs::lpm4_index(3, 8191, 255), e);
    t_->tbl_re_i = 1;
    t_->tbl_index_i = regs::lpm4_index(3, 8191, 255);
    tick(*t_);
    t_->tbl_re_i = 0;
    EXPECT_EQ(regs::Lpm4Entry::unpack(std::array<uint32_t, 2>{static_cast<uint32_t>(t_->tbl_rdata_o),
                                                               static_cast<uint32_t>(t_->tbl_rdata_o >> 32)})
                  .route,
              77u);
    t_->tbl_index_i = regs::lpm4_index(1, 4096, 0);
    t_->eval();
    EXPECT_TRUE(t_->tbl_bad_o);
    t_->tbl_index_i = regs::lpm4_index(1, 4095, 0);
    t_->eval();
    EXPECT_FALSE(t_->tbl_bad_o);
}

}  // namespace
}  // namespace mplsec::rtltest
