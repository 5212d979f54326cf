// Stream-level test of mplsec_fwd: the same random mix of frames through
// the pipeline twice, once offered back to back with the output always
// ready (make_rtl_engine()) and once with random gaps on the input and
// random backpressure on the output. Gaps and backpressure must change
// nothing but timing: same frames, same order, same counters. Also checks
// that tready drops only when the buffer or the in-flight limit says so.
#include <gtest/gtest.h>

#include <cstring>
#include <deque>
#include <random>

#include "Vmplsec_fwd.h"
#include "mplsec/engine.hpp"
#include "rtl_test_util.hpp"
#include "verilated.h"

namespace mplsec::rtltest {
namespace {

// An Engine over the Verilated pipeline with a noisy stream on both sides.
class NoisyEngine final : public sim::Engine {
public:
    NoisyEngine(unsigned valid_pct, unsigned ready_pct, uint32_t seed)
        : valid_pct_(valid_pct), ready_pct_(ready_pct), rng_(seed) {
        ctx_.randReset(0);
        top_ = std::make_unique<Vmplsec_fwd>(&ctx_, "mplsec_fwd");
        top_->s_axis_tvalid_i = 0;
        top_->m_axis_tready_i = 0;
        top_->tbl_we_i = top_->tbl_re_i = top_->pol_we_i = top_->cnt_rd_i = 0;
        top_->rst_ni = 0;
        tick();
        tick();
        top_->rst_ni = 1;
        tick();
    }
    std::string name() const override { return "noisy"; }
    void write_table(regs::TableId table, uint32_t index, const uint32_t* words) override {
        top_->tbl_we_i = 1;
        top_->tbl_id_i = static_cast<uint8_t>(table);
        top_->tbl_index_i = index;
        for (uint32_t w = 0; w < 8; ++w)
            top_->tbl_wdata_i[w] = w < regs::table_info(table).words ? words[w] : 0;
        tick();
        top_->tbl_we_i = 0;
    }
    void read_table(regs::TableId, uint32_t, uint32_t*) override {}
    void set_policer(regs::Reason, uint32_t, uint32_t) override {}
    void send(uint8_t port, const std::vector<uint8_t>& frame) override {
        std::size_t pos = 0;
        do {
            Beat b;
            const std::size_t n = std::min<std::size_t>(64, frame.size() - pos);
            std::memcpy(b.data, frame.data() + pos, n);
            b.keep = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
            pos += n;
            b.last = pos >= frame.size();
            b.port = port;
            in_.push_back(b);
        } while (pos < frame.size());
    }
    std::vector<sim::OutFrame> run() override {
        std::vector<sim::OutFrame> out;
        sim::OutFrame cur;
        for (uint64_t c = 0; c < 10'000'000; ++c) {
            const bool offer = !in_.empty() && rng_() % 100 < valid_pct_;
            top_->s_axis_tvalid_i = offer;
            if (offer) {
                const Beat& b = in_.front();
                for (int w = 0; w < 16; ++w) std::memcpy(&top_->s_axis_tdata_i[w], b.data + 4 * w, 4);
                top_->s_axis_tkeep_i = b.keep;
                top_->s_axis_tlast_i = b.last;
                top_->s_axis_tuser_i = b.port;
            }
            top_->m_axis_tready_i = rng_() % 100 < ready_pct_;
            top_->clk_i = 0;
            top_->eval();
            if (offer && top_->s_axis_tready_o) in_.pop_front();
            if (top_->m_axis_tvalid_o && top_->m_axis_tready_i) {
                if (cur.bytes.empty()) {
                    cur.punt = top_->m_axis_tuser_o >> 15;
                    cur.port = (top_->m_axis_tuser_o >> 8) & 3;
                    cur.reason = static_cast<regs::Reason>(top_->m_axis_tuser_o & 0xff);
                }
                for (int i = 0; i < 64; ++i)
                    if ((top_->m_axis_tkeep_o >> i) & 1)
                        cur.bytes.push_back(static_cast<uint8_t>(top_->m_axis_tdata_o[i / 4] >> (8 * (i % 4))));
                if (top_->m_axis_tlast_o) {
                    out.push_back(cur);
                    cur = sim::OutFrame{};
                }
            }
            top_->clk_i = 1;
            top_->eval();
            if (in_.empty() && top_->idle_o && !top_->m_axis_tvalid_o) return out;
        }
        ADD_FAILURE() << "pipeline never went idle";
        return out;
    }
    sim::CounterValue counter(regs::CounterBank bank, uint32_t index) override {
        top_->cnt_rd_i = 1;
        top_->cnt_bank_i = static_cast<uint8_t>(bank);
        top_->cnt_index_i = index;
        tick();
        top_->cnt_rd_i = 0;
        tick();
        return {top_->cnt_packets_o, top_->cnt_bytes_o};
    }
    uint64_t in_beats() const override { return 0; }
    uint64_t cycles() const override { return 0; }

private:
    struct Beat {
        uint8_t data[64] = {};
        uint64_t keep = 0;
        bool last = false;
        uint8_t port = 0;
    };
    void tick() {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
    }
    unsigned valid_pct_, ready_pct_;
    std::mt19937 rng_;
    VerilatedContext ctx_;
    std::unique_ptr<Vmplsec_fwd> top_;
    std::deque<Beat> in_;
};

void configure(sim::Engine& e) {
    set_port(e, 0, 0x020000000001, 9000, true, 1);
    set_port(e, 1, 0x020000000101, 9000);
    set_nexthop(e, 1, 1, 0x0200000002aa);
    set_nexthop(e, 2, 0, 0x0200000003aa, true, 10);
    set_vrf(e, 1);
    set_ilm(e, 100, 0xf, 1);
    set_nhlfe(e, 1, regs::NhlfeOp::swap, {200, 201, 202}, 1);
    set_ilm(e, 101, 0xf, 2);
    set_nhlfe(e, 2, regs::NhlfeOp::pop, {}, 2);
    set_ilm(e, 16, 0xf, 3);
    set_nhlfe(e, 3, regs::NhlfeOp::pop_lookup, {}, 0, 1);
    Trie4 t(e);
    t.add(1, {10, 1, 0, 0}, 16, 1);
    t.add(1, {10, 2, 0, 0}, 16, 2);
    set_route(e, 1, 2, {});
    set_route(e, 2, 1, {300, 301});
}

std::vector<std::pair<uint8_t, Bytes>> random_frames(unsigned n, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::pair<uint8_t, Bytes>> frames;
    for (unsigned i = 0; i < n; ++i) {
        const unsigned kind = rng() % 5;
        const uint32_t dst = 0x0a000000 | (1 + rng() % 3) << 16 | (rng() & 0xffff);
        Bytes f;
        uint8_t port = 1;
        switch (kind) {
            case 0: f = cat(cat(eth(1, 2, {}, 0x8847), labels({lse(100, 1, true, 64)})), ipv4(1, dst, 64, 6, 0, 46)); break;
            case 1: f = cat(cat(eth(1, 2, {5}, 0x8847), labels({lse(101, 1, false, 64), lse(99, 0, true, 9)})), ipv4(1, dst, 64, 6, 0, 46)); break;
            case 2: f = cat(cat(eth(1, 2, {}, 0x8847), labels({lse(16, 1, true, 64)})), ipv4(1, dst, 64, 6, 0, 46)); break;
            case 3: f = cat(eth(1, 2, {}, 0x0800), ipv4(1, dst, 64, 6, 0, 46)); port = 0; break;
            default: f = Bytes(40 + rng() % 30, 0x33); break;  // runts and junk
        }
        const unsigned size = rng() % 4 == 0 ? 60 + rng() % 2000 : rng() % 8 == 0 ? 9000 + rng() % 700 : 60 + rng() % 200;
        if (f.size() >= 60) f = pad_to(f, size);
        frames.push_back({port, f});
    }
    return frames;
}

TEST(FwdStreamTest, GapsAndBackpressureChangeOnlyTiming) {
    const auto frames = random_frames(1500, 5);
    auto ref = sim::make_rtl_engine();
    configure(*ref);
    for (const auto& [port, f] : frames) ref->send(port, f);
    const auto want = ref->run();
    ASSERT_GT(want.size(), 500u);

    for (const auto& [valid, ready] : {std::pair<unsigned, unsigned>{70, 100}, {100, 50}, {60, 30}, {100, 97}}) {
        NoisyEngine noisy(valid, ready, valid * 100 + ready);
        configure(noisy);
        for (const auto& [port, f] : frames) noisy.send(port, f);
        const auto got = noisy.run();
        ASSERT_EQ(got.size(), want.size()) << valid << "/" << ready;
        for (std::size_t i = 0; i < got.size(); ++i) {
            ASSERT_EQ(got[i].punt, want[i].punt) << i;
            ASSERT_EQ(got[i].port, want[i].port) << i;
            ASSERT_EQ(got[i].bytes, want[i].bytes) << i;
        }
        for (uint32_t r = 0; r < 19; ++r) {
            EXPECT_EQ(noisy.counter(regs::CounterBank::reason, r).packets,
                      ref->counter(regs::CounterBank::reason, r).packets);
        }
        for (uint32_t p = 0; p < 4; ++p) {
            EXPECT_EQ(noisy.counter(regs::CounterBank::port_tx, p).bytes,
                      ref->counter(regs::CounterBank::port_tx, p).bytes);
        }
    }
}

}  // namespace
}  // namespace mplsec::rtltest
