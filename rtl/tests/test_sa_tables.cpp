// Unit test of mplsec_sa_tables: the two-way SPI lookup against the
// host's placement (mplsec/spi_hash.hpp; one lookup a cycle, way 0 before way 1,
// misses), next_seq (restart to 1 by an sa write, consecutive numbers for
// back-to-back frames of one SA, the host's write winning a collision,
// live read-back through sa_seq), and the control port's range checks.
#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <random>

#include "Vmplsec_sa_tables.h"
#include "mplsec/regs.hpp"
#include "mplsec/spi_hash.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

class SaTablesTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vmplsec_sa_tables>();
        t_->tbl_we_i = 0;
        t_->tbl_re_i = 0;
        t_->sa_rd_i = 0;
        t_->seq_take_i = 0;
        t_->spi_rd_i = 0;
        reset(*t_);
    }

    // Puts a control write on the port for the next edge (the caller ticks).
    template <typename Words>
    void drive_write(regs::TableId table, uint32_t index, const Words& words) {
        t_->tbl_we_i = 1;
        t_->tbl_id_i = static_cast<uint8_t>(table);
        t_->tbl_index_i = index;
        for (uint32_t w = 0; w < regs::tables::kDataCount; ++w)
            t_->tbl_wdata_i[w] = w < words.size() ? words[w] : 0;
    }

    template <typename Words>
    void write(regs::TableId table, uint32_t index, const Words& words) {
        drive_write(table, index, words);
        tick(*t_);
        t_->tbl_we_i = 0;
    }

    // Returns the words read, or nothing when the port flagged an error.
    std::optional<std::vector<uint32_t>> read(regs::TableId table, uint32_t index) {
        t_->tbl_re_i = 1;
        t_->tbl_id_i = static_cast<uint8_t>(table);
        t_->tbl_index_i = index;
        tick(*t_);
        t_->tbl_re_i = 0;
        tick(*t_);
        if (t_->tbl_err_o) return std::nullopt;
        std::vector<uint32_t> words(regs::table_info(table).words);
        for (std::size_t w = 0; w < words.size(); ++w) words[w] = t_->tbl_rdata_o[w];
        return words;
    }

    void place(uint32_t way, uint32_t spi, uint32_t sa) {
        regs::SpiHashEntry e;
        e.valid = 1;
        e.spi = spi;
        e.sa = sa;
        write(regs::TableId::spi_hash, spi_hash_slot(spi, way), e.pack());
    }

    void restart(uint32_t sa) {
        regs::SaEntry e;
        e.valid = 1;
        e.spi = 0x100 + sa;
        write(regs::TableId::sa, sa, e.pack());
    }

    std::unique_ptr<Vmplsec_sa_tables> t_;
};

TEST_F(SaTablesTest, SpiLookupFindsEverySaOneACycle) {
    std::mt19937 rng(5);
    std::map<uint32_t, uint32_t> sa_of;  // spi -> sa
    std::map<uint32_t, bool> used;       // slot index -> taken
    for (uint32_t sa = 0; sa < 600; ++sa) {
        const uint32_t spi = rng();
        const uint32_t s0 = spi_hash_slot(spi, 0), s1 = spi_hash_slot(spi, 1);
        if (sa_of.count(spi) || (used[s0] && used[s1])) continue;
        const uint32_t way = used[s0] ? 1 : rng() % 2 == 0 || used[s1] ? 0 : 1;
        place(way, spi, sa);
        used[way ? s1 : s0] = true;
        sa_of[spi] = sa;
    }
    ASSERT_GT(sa_of.size(), 500u);

    std::vector<uint32_t> queries;
    for (const auto& [spi, sa] : sa_of) {
        queries.push_back(spi);
        queries.push_back(rng());  // almost surely not installed
    }
    std::deque<uint32_t> in_flight;
    std::size_t hits = 0, checked = 0;
    for (std::size_t i = 0; i < queries.size() + 1; ++i) {
        t_->spi_rd_i = i < queries.size();
        if (i < queries.size()) t_->spi_i = queries[i];
        tick(*t_);
        in_flight.push_back(i < queries.size() ? queries[i] : 0);
        if (in_flight.size() == 2) {  // the second edge after the request
            const uint32_t spi = in_flight.front();
            in_flight.pop_front();
            const auto it = sa_of.find(spi);
            ASSERT_EQ(t_->spi_hit_o, it != sa_of.end()) << std::hex << spi;
            if (it != sa_of.end()) {
                EXPECT_EQ(t_->spi_sa_o, it->second);
                ++hits;
            }
            ++checked;
        }
    }
    EXPECT_EQ(hits, sa_of.size());
    EXPECT_EQ(checked, queries.size());
}

TEST_F(SaTablesTest, WayZeroWinsAndAnInvalidSlotNeverMatches) {
    const uint32_t spi = 0x00c0ffee;
    place(0, spi, 7);
    place(1, spi, 9);
    t_->spi_rd_i = 1;
    t_->spi_i = spi;
    tick(*t_);
    t_->spi_rd_i = 0;
    tick(*t_);
    ASSERT_TRUE(t_->spi_hit_o);
    EXPECT_EQ(t_->spi_sa_o, 7);

    regs::SpiHashEntry empty;
    empty.spi = spi;  // right SPI, not valid
    write(regs::TableId::spi_hash, spi_hash_slot(spi, 0), empty.pack());
    write(regs::TableId::spi_hash, spi_hash_slot(spi, 1), empty.pack());
    t_->spi_rd_i = 1;
    tick(*t_);
    t_->spi_rd_i = 0;
    tick(*t_);
    EXPECT_FALSE(t_->spi_hit_o);
}

TEST_F(SaTablesTest, BackToBackFramesTakeConsecutiveSequenceNumbers) {
    restart(3);
    restart(4);
    ASSERT_TRUE(t_->sa_restart_o);
    EXPECT_EQ(t_->sa_restart_idx_o, 4);
    // Frames alternate between SA 3 (every frame taking) and SA 4 (every
    // other frame taking), one read a cycle, take the cycle after.
    uint64_t want3 = 1, want4 = 1;
    int prev_sa = -1;
    bool prev_take = false;
    for (int c = 0; c < 400; ++c) {
        const int sa = (c % 3 == 2) ? 4 : 3;
        t_->sa_rd_i = 1;
        t_->sa_idx_i = sa;
        t_->seq_take_i = prev_take;
        tick(*t_);
        const bool take = sa == 3 || c % 2 == 0;
        uint64_t& want = sa == 3 ? want3 : want4;
        ASSERT_EQ(t_->seq_o, want) << "cycle " << c << " sa " << sa << " after sa " << prev_sa;
        if (take) ++want;
        prev_take = take;
        prev_sa = sa;
    }
    t_->sa_rd_i = 0;
    t_->seq_take_i = prev_take;
    tick(*t_);
    t_->seq_take_i = 0;
    const auto seq3 = read(regs::TableId::sa_seq, 3);
    const auto seq4 = read(regs::TableId::sa_seq, 4);
    ASSERT_TRUE(seq3 && seq4);
    EXPECT_EQ((*seq3)[0] | uint64_t{(*seq3)[1]} << 32, want3);
    EXPECT_EQ((*seq4)[0] | uint64_t{(*seq4)[1]} << 32, want4);
}

TEST_F(SaTablesTest, HostWriteWinsOverATakeOfTheSameSa) {
    restart(10);
    t_->sa_rd_i = 1;
    t_->sa_idx_i = 10;
    tick(*t_);
    t_->sa_rd_i = 0;
    ASSERT_EQ(t_->seq_o, 1u);
    // The frame takes 1 in the same cycle as the host sets 0xffffffff.
    regs::SaSeqEntry seq;
    seq.next_seq = 0xffffffffu;
    t_->seq_take_i = 1;
    drive_write(regs::TableId::sa_seq, 10, seq.pack());
    tick(*t_);
    t_->seq_take_i = 0;
    t_->tbl_we_i = 0;
    t_->sa_rd_i = 1;
    tick(*t_);
    t_->sa_rd_i = 0;
    EXPECT_EQ(t_->seq_o, 0xffffffffu);
    // Rewriting sa restarts the sequence.
    restart(10);
    const auto live = read(regs::TableId::sa_seq, 10);
    ASSERT_TRUE(live);
    EXPECT_EQ((*live)[0], 1u);
    EXPECT_EQ((*live)[1], 0u);
}

TEST_F(SaTablesTest, EntriesReadBackAndOutOfRangeIsAnError) {
    regs::SaTunnelEntry tun;
    tun.src = {0xc0000201, 0, 0, 0};
    tun.udp_sport = 4500;
    write(regs::TableId::sa_tunnel, 4095, tun.pack());
    const auto back = read(regs::TableId::sa_tunnel, 4095);
    ASSERT_TRUE(back);
    const auto want = tun.pack();
    EXPECT_EQ(*back, std::vector<uint32_t>(want.begin(), want.end()));
    EXPECT_FALSE(read(regs::TableId::sa, 4096));
    EXPECT_FALSE(read(regs::TableId::spi_hash, 16384));
    EXPECT_TRUE(read(regs::TableId::spi_hash, 16383));
    // Not one of the SA tables: no data, no error, not ours.
    t_->tbl_id_i = static_cast<uint8_t>(regs::TableId::ilm);
    t_->eval();
    EXPECT_FALSE(t_->tbl_mine_o);
    const auto other = read(regs::TableId::ilm, 5);
    ASSERT_TRUE(other);
    EXPECT_EQ((*other)[0], 0u);
}

}  // namespace
}  // namespace mplsec::rtltest
