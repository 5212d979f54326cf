// A bench for the Verilated card top (rtl/card/mplsec_card.sv): an
// AXI4-Lite bus-functional master on s_axi_control, and the card's AXI4-
// Stream ports driven every cycle in the background (frames queued per
// rx port are offered back to back; tx ports are always ready and their
// frames collected). CardEngine puts the bench behind sim::Engine so that
// the table helpers of rtl_test_util.hpp configure the card through its
// table windows, as the host does.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "Vmplsec_card.h"
#include "mplsec/engine.hpp"
#include "mplsec/regs.hpp"
#include "verilated.h"

namespace mplsec::rtltest {

constexpr uint32_t kOkay = 0;
constexpr uint32_t kSlverr = 2;

struct AxilRead {
    uint32_t data = 0;
    uint32_t resp = 0;
};

class CardBench {
public:
    static constexpr int kPorts = 2;
    static constexpr int kBeatBytes = 64;

    CardBench() : ctx_(std::make_unique<VerilatedContext>()) {
        ctx_->randReset(0);
        top_ = std::make_unique<Vmplsec_card>(ctx_.get(), "mplsec_card");
        top_->ap_rst_n = 0;
        for (int i = 0; i < 4; ++i) tick();
        top_->ap_rst_n = 1;
        tick();
    }
    ~CardBench() { top_->final(); }

    // One clock cycle with the stream ports served.
    void tick() {
        drive_rx();
        top_->m_axis_tx0_tready = 1;
        top_->m_axis_tx1_tready = 1;
        top_->ap_clk = 0;
        top_->eval();
        bool took[kPorts] = {top_->s_axis_rx0_tvalid && top_->s_axis_rx0_tready,
                             top_->s_axis_rx1_tvalid && top_->s_axis_rx1_tready};
        collect(0, top_->m_axis_tx0_tvalid, top_->m_axis_tx0_tdata, top_->m_axis_tx0_tkeep, top_->m_axis_tx0_tlast);
        collect(1, top_->m_axis_tx1_tvalid, top_->m_axis_tx1_tdata, top_->m_axis_tx1_tkeep, top_->m_axis_tx1_tlast);
        top_->ap_clk = 1;
        top_->eval();
        for (int p = 0; p < kPorts; ++p)
            if (took[p]) rx_[p].pop_front();
        ++cycle_;
    }

    void ticks(int n) {
        for (int i = 0; i < n; ++i) tick();
    }

    // --- AXI4-Lite master ------------------------------------------------

    // Address and data offered together, or the address `aw_lead` cycles
    // before the data.
    uint32_t write(uint32_t address, uint32_t value, uint32_t strb = 0xf, int aw_lead = 0) {
        auto& t = *top_;
        t.s_axi_control_awaddr = address;
        t.s_axi_control_wdata = value;
        t.s_axi_control_wstrb = strb;
        t.s_axi_control_awvalid = 1;
        t.s_axi_control_wvalid = aw_lead == 0;
        t.s_axi_control_bready = 1;
        bool aw_done = false, w_done = false;
        for (int c = 0; !(aw_done && w_done); ++c) {
            guard(c, "write address/data");
            if (c >= aw_lead) t.s_axi_control_wvalid = !w_done;
            settle();
            const bool aw = t.s_axi_control_awvalid && t.s_axi_control_awready;
            const bool w = t.s_axi_control_wvalid && t.s_axi_control_wready;
            tick();
            aw_done |= aw;
            w_done |= w;
            if (aw) t.s_axi_control_awvalid = 0;
            if (w) t.s_axi_control_wvalid = 0;
        }
        for (int c = 0;; ++c) {
            guard(c, "write response");
            settle();
            if (t.s_axi_control_bvalid) {
                const uint32_t resp = t.s_axi_control_bresp;
                tick();
                t.s_axi_control_bready = 0;
                return resp;
            }
            tick();
        }
    }

    AxilRead read_resp(uint32_t address) {
        auto& t = *top_;
        t.s_axi_control_araddr = address;
        t.s_axi_control_arvalid = 1;
        t.s_axi_control_rready = 1;
        for (int c = 0;; ++c) {
            guard(c, "read address");
            settle();
            const bool ar = t.s_axi_control_arready;
            tick();
            if (ar) break;
        }
        t.s_axi_control_arvalid = 0;
        for (int c = 0;; ++c) {
            guard(c, "read data");
            settle();
            if (t.s_axi_control_rvalid) {
                AxilRead r{t.s_axi_control_rdata, t.s_axi_control_rresp};
                tick();
                t.s_axi_control_rready = 0;
                return r;
            }
            tick();
        }
    }

    uint32_t read(uint32_t address) { return read_resp(address).data; }

    // --- streams ---------------------------------------------------------

    void send(int port, const std::vector<uint8_t>& frame) {
        std::size_t pos = 0;
        do {
            Beat beat;
            const std::size_t n = std::min<std::size_t>(kBeatBytes, frame.size() - pos);
            std::memcpy(beat.data, frame.data() + pos, n);
            beat.keep = n == kBeatBytes ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
            pos += n;
            beat.last = pos >= frame.size();
            rx_[port].push_back(beat);
        } while (pos < frame.size());
    }

    // Runs until every queued beat is in and the card reports idle.
    void drain() {
        for (int c = 0;; ++c) {
            guard(c, "drain");
            tick();
            if (rx_[0].empty() && rx_[1].empty() && (read(regs::ctrl::kStatus) & regs::ctrl::kStatusIdleMask)) return;
        }
    }

    std::vector<std::vector<uint8_t>> take_tx(int port) {
        std::vector<std::vector<uint8_t>> frames;
        frames.swap(tx_done_[port]);
        return frames;
    }

    uint64_t cycle() const { return cycle_; }

private:
    struct Beat {
        uint8_t data[kBeatBytes] = {};
        uint64_t keep = 0;
        bool last = false;
    };

    void settle() {
        top_->ap_clk = 0;
        top_->eval();
    }

    static void guard(int cycles, const char* what) {
        if (cycles > 200000) throw std::runtime_error(std::string("card bench: no progress on ") + what);
    }

    template <typename Wide>
    static void put_beat(Wide& w, const Beat& b) {
        for (int i = 0; i < 16; ++i) std::memcpy(&w[i], b.data + 4 * i, 4);  // little-endian host
    }

    void drive_rx() {
        auto& t = *top_;
        t.s_axis_rx0_tvalid = !rx_[0].empty();
        if (!rx_[0].empty()) {
            put_beat(t.s_axis_rx0_tdata, rx_[0].front());
            t.s_axis_rx0_tkeep = rx_[0].front().keep;
            t.s_axis_rx0_tlast = rx_[0].front().last;
        }
        t.s_axis_rx1_tvalid = !rx_[1].empty();
        if (!rx_[1].empty()) {
            put_beat(t.s_axis_rx1_tdata, rx_[1].front());
            t.s_axis_rx1_tkeep = rx_[1].front().keep;
            t.s_axis_rx1_tlast = rx_[1].front().last;
        }
    }

    template <typename Wide>
    void collect(int port, bool valid, const Wide& data, uint64_t keep, bool last) {
        if (!valid) return;
        const int n = keep == ~uint64_t{0} ? kBeatBytes : __builtin_popcountll(keep);
        uint8_t beat[kBeatBytes];
        for (int i = 0; i < 16; ++i) std::memcpy(beat + 4 * i, &data[i], 4);
        tx_open_[port].insert(tx_open_[port].end(), beat, beat + n);
        if (last) {
            tx_done_[port].push_back(std::move(tx_open_[port]));
            tx_open_[port].clear();
        }
    }

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vmplsec_card> top_;
    std::array<std::deque<Beat>, kPorts> rx_;
    std::array<std::vector<uint8_t>, kPorts> tx_open_;
    std::array<std::vector<std::vector<uint8_t>>, kPorts> tx_done_;
    uint64_t cycle_ = 0;
};

// The card seen as an Engine, through its registers only (as
// drivers/src/device.cpp drives them): enough for the table, policer and
// counter helpers of rtl_test_util.hpp. Frames go through the bench.
class CardEngine final : public sim::Engine {
public:
    explicit CardEngine(CardBench& bench) : bench_(bench) {}

    std::string name() const override { return "card"; }

    void write_table(regs::TableId table, uint32_t index, const uint32_t* words) override {
        const uint32_t window = regs::tables::window_base(table);
        for (uint32_t w = 0; w < regs::table_info(table).words; ++w)
            bench_.write(window + regs::tables::kData0 + 4 * w, words[w]);
        bench_.write(window + regs::tables::kIndex, index);
        bench_.write(window + regs::tables::kCmd, regs::tables::kCmdWrite);
        if (bench_.read(window + regs::tables::kStatus) & 1) throw std::out_of_range("table write refused");
    }

    void read_table(regs::TableId table, uint32_t index, uint32_t* words) override {
        const uint32_t window = regs::tables::window_base(table);
        bench_.write(window + regs::tables::kIndex, index);
        bench_.write(window + regs::tables::kCmd, regs::tables::kCmdRead);
        if (bench_.read(window + regs::tables::kStatus) & 1) throw std::out_of_range("table read refused");
        for (uint32_t w = 0; w < regs::table_info(table).words; ++w)
            words[w] = bench_.read(window + regs::tables::kData0 + 4 * w);
    }

    void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) override {
        bench_.write(regs::punt::kPolicerSelect, static_cast<uint32_t>(reason));
        bench_.write(regs::punt::kPolicerRate, rate);
        bench_.write(regs::punt::kPolicerBurst, burst);
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override { bench_.send(port, frame); }

    std::vector<sim::OutFrame> run() override {
        bench_.drain();
        std::vector<sim::OutFrame> out;
        for (int p = 0; p < CardBench::kPorts; ++p) {
            for (auto& bytes : bench_.take_tx(p)) {
                sim::OutFrame f;
                f.port = static_cast<uint8_t>(p);
                f.bytes = std::move(bytes);
                out.push_back(std::move(f));
            }
        }
        return out;
    }

    sim::CounterValue counter(regs::CounterBank bank, uint32_t index) override {
        bench_.write(regs::counters::kCntSelect, static_cast<uint32_t>(bank) << 24 | (index & 0xffffff));
        auto word64 = [&](uint32_t lo, uint32_t hi) {
            return uint64_t{bench_.read(lo)} | uint64_t{bench_.read(hi)} << 32;
        };
        return {word64(regs::counters::kCntPacketsLo, regs::counters::kCntPacketsHi),
                word64(regs::counters::kCntBytesLo, regs::counters::kCntBytesHi)};
    }

    uint64_t in_beats() const override { return 0; }
    uint64_t cycles() const override { return 0; }

private:
    CardBench& bench_;
};

}  // namespace mplsec::rtltest
