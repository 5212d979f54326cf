// Unit test of mplsec_counters (and mplsec_counter_ram): random events on
// all five banks every cycle, including the same NHLFE/route entry hit on
// consecutive cycles (the read-modify-write forwarding), against
// reference counts read back through the host port.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>

#include "Vmplsec_counters.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

struct Ref {
    uint64_t packets = 0, bytes = 0;
    void add(uint64_t len) {
        ++packets;
        bytes += len;
    }
};

TEST(CountersTest, RandomEventsMatchReference) {
    auto t = std::make_unique<Vmplsec_counters>();
    t->rx_i = t->tx_i = t->reason_i = t->nhlfe_i = t->route_i = t->rd_i = 0;
    reset(*t);
    std::map<std::pair<int, uint32_t>, Ref> ref;
    std::mt19937 rng(9);
    uint32_t last_nh = 0, last_rt = 0;
    for (int c = 0; c < 50000; ++c) {
        t->rx_i = rng() % 2;
        t->rx_port_i = rng() % 4;
        t->rx_len_i = 60 + rng() % 9000;
        t->tx_i = rng() % 2;
        t->tx_port_i = rng() % 4;
        t->tx_len_i = 60 + rng() % 9000;
        t->reason_i = rng() % 2;
        t->reason_code_i = rng() % 19;
        t->reason_len_i = rng() % 20000;
        t->nhlfe_i = rng() % 3 != 0;
        t->nhlfe_idx_i = last_nh = rng() % 4 == 0 ? rng() % 65536 : (rng() % 2 ? last_nh : rng() % 4);
        t->nhlfe_len_i = 60 + rng() % 1500;
        t->route_i = rng() % 3 != 0;
        t->route_idx_i = last_rt = rng() % 4 == 0 ? rng() % 131072 : (rng() % 2 ? last_rt : 131071 - rng() % 3);
        t->route_len_i = 60 + rng() % 1500;
        if (t->rx_i) ref[{0, t->rx_port_i}].add(t->rx_len_i);
        if (t->tx_i) ref[{1, t->tx_port_i}].add(t->tx_len_i);
        if (t->reason_i) ref[{2, t->reason_code_i}].add(t->reason_len_i);
        if (t->nhlfe_i) ref[{3, t->nhlfe_idx_i}].add(t->nhlfe_len_i);
        if (t->route_i) ref[{4, t->route_idx_i}].add(t->route_len_i);
        tick(*t);
    }
    t->rx_i = t->tx_i = t->reason_i = t->nhlfe_i = t->route_i = 0;
    tick(*t);
    tick(*t);
    for (const auto& [key, want] : ref) {
        t->rd_i = 1;
        t->rd_bank_i = key.first;
        t->rd_index_i = key.second;
        tick(*t);
        t->rd_i = 0;
        tick(*t);
        ASSERT_EQ(t->rd_packets_o, want.packets) << key.first << ":" << key.second;
        ASSERT_EQ(t->rd_bytes_o, want.bytes) << key.first << ":" << key.second;
    }
    // Out of range and unknown banks read zero.
    t->rd_i = 1;
    t->rd_bank_i = 0;
    t->rd_index_i = 4;
    tick(*t);
    tick(*t);
    EXPECT_EQ(t->rd_packets_o, 0u);
    t->rd_bank_i = 9;
    t->rd_index_i = 0;
    tick(*t);
    tick(*t);
    EXPECT_EQ(t->rd_packets_o, 0u);
}

}  // namespace
}  // namespace mplsec::rtltest
