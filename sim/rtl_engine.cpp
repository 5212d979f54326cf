// The Verilated RTL (rtl/fwd/mplsec_fwd.sv) as an Engine.
//
// Drives the model cycle by cycle: frames are offered back to back, one
// beat a cycle, in the order send() queued them; the output is always
// ready. run() returns when every queued beat is in and the datapath is
// idle with nothing left on its output. Cycles are counted from the cycle
// the first beat is offered to the cycle the last output beat leaves.
#include <algorithm>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>

#include "Vmplsec_fwd.h"
#include "axis_beat.hpp"
#include "mplsec/engine.hpp"
#include "verilated.h"

namespace mplsec::sim {
namespace {

constexpr uint64_t kStuckCycles = 1'000'000;  // no progress for this long: a hung datapath

class RtlEngine final : public Engine {
public:
    RtlEngine() : ctx_(std::make_unique<VerilatedContext>()) {
        ctx_->randReset(0);
        top_ = std::make_unique<Vmplsec_fwd>(ctx_.get(), "mplsec_fwd");
        idle_inputs();
        top_->rst_ni = 0;
        for (int i = 0; i < 4; ++i) tick();
        top_->rst_ni = 1;
        tick();
    }

    ~RtlEngine() override { top_->final(); }

    std::string name() const override { return "rtl"; }

    uint32_t features() const override { return Engine::features() | 1u << regs::kFeatureEspGcm; }

    void write_table(regs::TableId table, uint32_t index, const uint32_t* words) override {
        const uint32_t n = regs::table_info(table).words;
        top_->tbl_we_i = 1;
        top_->tbl_id_i = static_cast<uint8_t>(table);
        top_->tbl_index_i = index & 0xffffff;
        for (uint32_t w = 0; w < regs::tables::kDataCount; ++w) top_->tbl_wdata_i[w] = w < n ? words[w] : 0;
        const bool in_range = index <= 0xffffff;
        tick();
        top_->tbl_we_i = 0;
        tick();
        if (!in_range || top_->tbl_err_o)
            throw std::out_of_range("table write outside the table: index " + std::to_string(index));
        // An sa write installs its key (about 64 cycles); the next write
        // waits for it, as the card's table port does.
        while (top_->tbl_busy_o) tick();
    }

    void read_table(regs::TableId table, uint32_t index, uint32_t* words) override {
        const uint32_t n = regs::table_info(table).words;
        top_->tbl_re_i = 1;
        top_->tbl_id_i = static_cast<uint8_t>(table);
        top_->tbl_index_i = index & 0xffffff;
        tick();
        top_->tbl_re_i = 0;
        tick();
        if (index > 0xffffff || top_->tbl_err_o)
            throw std::out_of_range("table read outside the table: index " + std::to_string(index));
        for (uint32_t w = 0; w < n; ++w) words[w] = top_->tbl_rdata_o[w];
    }

    void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) override {
        const int slot = static_cast<int>(reason) - static_cast<int>(regs::Reason::punt_control);
        if (slot < 0 || slot >= static_cast<int>(regs::kNumPuntReasons)) throw std::invalid_argument("not a punt reason");
        top_->pol_we_i = 1;
        top_->pol_idx_i = static_cast<uint8_t>(slot);
        top_->pol_rate_i = rate;
        top_->pol_burst_i = burst;
        tick();
        top_->pol_we_i = 0;
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override {
        const std::vector<AxisBeat> beats = to_beats(frame, port & 3);
        pending_.insert(pending_.end(), beats.begin(), beats.end());
        in_beats_ += beats.size();
    }

    std::vector<OutFrame> run() override {
        std::vector<OutFrame> frames;
        if (pending_.empty() && top_->idle_o && !top_->m_axis_tvalid_o) return frames;
        OutFrame current;
        bool open = false;
        uint64_t cycle = 0, last_progress = 0;
        uint64_t first_in = 0, last_out = 0;
        bool any_in = false, any_out = false;
        top_->m_axis_tready_i = 1;
        for (;; ++cycle) {
            const bool offering = !pending_.empty();
            if (offering) drive_beat(pending_.front());
            else top_->s_axis_tvalid_i = 0;
            top_->clk_i = 0;
            top_->eval();  // settle combinational outputs before the edge
            const bool took = offering && top_->s_axis_tready_o;
            const bool out = top_->m_axis_tvalid_o;
            if (offering && !any_in) {
                any_in = true;
                first_in = cycle;
            }
            if (out) {
                collect(current, open, frames);
                any_out = true;
                last_out = cycle;
            }
            top_->clk_i = 1;
            top_->eval();
            if (took) pending_.pop_front();
            if (took || out) last_progress = cycle;
            if (pending_.empty() && top_->idle_o && !top_->m_axis_tvalid_o) break;
            if (cycle - last_progress > kStuckCycles)
                throw std::runtime_error("rtl engine: datapath made no progress for " +
                                         std::to_string(kStuckCycles) + " cycles");
        }
        top_->s_axis_tvalid_i = 0;
        // First beat offered to the last beat out, both cycles included; a
        // run whose frames were all dropped counts until the datapath idled.
        cycles_ += any_out ? last_out - first_in + 1 : cycle + 1 - first_in;
        return frames;
    }

    CounterValue counter(regs::CounterBank bank, uint32_t index) override {
        top_->cnt_rd_i = 1;
        top_->cnt_bank_i = static_cast<uint8_t>(bank);
        top_->cnt_index_i = index & 0xffffff;
        tick();
        top_->cnt_rd_i = 0;
        tick();
        if (index > 0xffffff) return {};
        return {top_->cnt_packets_o, top_->cnt_bytes_o};
    }

    // Drains the datapath's event queue (SA lifetimes, sequence
    // exhaustion), one EVT_HEAD word a cycle.
    std::vector<uint32_t> take_events() override {
        std::vector<uint32_t> events;
        while (top_->evt_valid_o) {
            events.push_back(top_->evt_o);
            top_->evt_pop_i = 1;
            tick();
            top_->evt_pop_i = 0;
        }
        return events;
    }

    uint64_t in_beats() const override { return in_beats_; }
    uint64_t cycles() const override { return cycles_; }

private:
    void tick() {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
    }

    void idle_inputs() {
        top_->clk_i = 0;
        top_->s_axis_tvalid_i = 0;
        top_->s_axis_tlast_i = 0;
        top_->s_axis_tkeep_i = 0;
        top_->s_axis_tuser_i = 0;
        top_->m_axis_tready_i = 1;
        top_->tbl_we_i = 0;
        top_->tbl_re_i = 0;
        top_->pol_we_i = 0;
        top_->cnt_rd_i = 0;
        top_->evt_pop_i = 0;
    }

    void drive_beat(const AxisBeat& beat) {
        put_tdata(top_->s_axis_tdata_i, beat);
        top_->s_axis_tkeep_i = beat.keep;
        top_->s_axis_tlast_i = beat.last;
        top_->s_axis_tuser_i = beat.port;
        top_->s_axis_tvalid_i = 1;
    }

    void collect(OutFrame& current, bool& open, std::vector<OutFrame>& frames) {
        const uint32_t user = top_->m_axis_tuser_o;
        if (!open) {
            current = OutFrame{};
            current.punt = (user >> 15) & 1;
            current.port = static_cast<uint8_t>((user >> 8) & 0xf);
            current.reason = static_cast<regs::Reason>(user & 0xff);
            open = true;
        }
        append_tdata(current.bytes, top_->m_axis_tdata_o, top_->m_axis_tkeep_o);
        if (top_->m_axis_tlast_o) {
            frames.push_back(std::move(current));
            current = OutFrame{};
            open = false;
        }
    }

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vmplsec_fwd> top_;
    std::deque<AxisBeat> pending_;
    uint64_t in_beats_ = 0;
    uint64_t cycles_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_rtl_engine() { return std::make_unique<RtlEngine>(); }

}  // namespace mplsec::sim
