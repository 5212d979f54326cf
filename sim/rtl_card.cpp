// The Verilated card top (rtl/card/mplsec_card.sv) as an RtlCard.
//
// Every cycle serves the stream ports: the head beat of each rx queue is
// offered, tx beats are collected. Bus transactions are cycle-accurate
// AXI4-Lite handshakes on top of that, so traffic and register access
// interleave as on the card.
#include <array>
#include <cstring>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>

#include "Vmplsec_card.h"
#include "axis_beat.hpp"
#include "mplsec/card_model.hpp"
#include "mplsec/regs.hpp"
#include "mplsec/rtl_card.hpp"
#include "verilated.h"

namespace mplsec::sim {
namespace {

constexpr uint64_t kStuckCycles = 1'000'000;  // no progress for this long: a hung card

class VerilatedCard final : public RtlCard {
public:
    VerilatedCard() : ctx_(std::make_unique<VerilatedContext>()) {
        ctx_->randReset(0);
        top_ = std::make_unique<Vmplsec_card>(ctx_.get(), "mplsec_card");
        top_->ap_rst_n = 0;
        ticks(4);
        top_->ap_rst_n = 1;
        ticks(1);
        cycle_ = 0;
    }
    ~VerilatedCard() override { top_->final(); }

    uint32_t write(uint32_t address, uint32_t value, uint32_t strb, unsigned aw_lead) override {
        auto& t = *top_;
        t.s_axi_control_awaddr = static_cast<uint16_t>(address);
        t.s_axi_control_wdata = value;
        t.s_axi_control_wstrb = static_cast<uint8_t>(strb);
        t.s_axi_control_awvalid = 1;
        t.s_axi_control_bready = 1;
        bool aw_done = false, w_done = false;
        for (uint64_t c = 0; !(aw_done && w_done); ++c) {
            t.s_axi_control_wvalid = c >= aw_lead && !w_done;
            settle();
            const bool aw = t.s_axi_control_awvalid && t.s_axi_control_awready;
            const bool w = t.s_axi_control_wvalid && t.s_axi_control_wready;
            tick();
            aw_done |= aw;
            w_done |= w;
            if (aw) t.s_axi_control_awvalid = 0;
            stuck(c, "write address or data");
        }
        t.s_axi_control_wvalid = 0;
        wait_for([&] { return bool(t.s_axi_control_bvalid); }, "write response");
        const uint32_t resp = t.s_axi_control_bresp;
        tick();
        t.s_axi_control_bready = 0;
        return resp;
    }

    ReadResult read(uint32_t address) override {
        auto& t = *top_;
        t.s_axi_control_araddr = static_cast<uint16_t>(address);
        t.s_axi_control_arvalid = 1;
        t.s_axi_control_rready = 1;
        wait_for([&] { return bool(t.s_axi_control_arready); }, "read address");
        tick();
        t.s_axi_control_arvalid = 0;
        wait_for([&] { return bool(t.s_axi_control_rvalid); }, "read data");
        const ReadResult r{t.s_axi_control_rdata, t.s_axi_control_rresp};
        tick();
        t.s_axi_control_rready = 0;
        return r;
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override {
        if (port >= kNumPorts) throw std::invalid_argument("rtl card: no port " + std::to_string(port));
        const std::vector<AxisBeat> beats = to_beats(frame, port);
        rx_[port].insert(rx_[port].end(), beats.begin(), beats.end());
        in_beats_ += beats.size();
    }

    std::vector<OutFrame> run() override {
        first_in_ = last_out_ = 0;
        any_in_ = any_out_ = false;
        const uint64_t start = cycle_;
        offering_ = true;
        for (;;) {
            tick();
            if (rx_[0].empty() && rx_[1].empty() && !top_->m_axis_tx0_tvalid && !top_->m_axis_tx1_tvalid &&
                (read(regs::ctrl::kStatus).data & regs::ctrl::kStatusIdleMask))
                break;
            if (cycle_ - std::max(last_progress_, start) > kStuckCycles) {
                offering_ = false;
                throw std::runtime_error("rtl card: no progress for " + std::to_string(kStuckCycles) + " cycles");
            }
        }
        offering_ = false;
        if (any_in_) cycles_ += (any_out_ ? last_out_ : cycle_) - first_in_ + 1;
        std::vector<OutFrame> frames;
        frames.swap(done_);
        return frames;
    }

    void put_device_memory(uint64_t address, const std::vector<uint8_t>& bytes) override {
        for (std::size_t i = 0; i < bytes.size(); ++i) {
            const uint64_t a = address + i;
            auto& beat = memory_[a / kBeatBytes];
            beat.resize(kBeatBytes);
            beat[a % kBeatBytes] = bytes[i];
        }
    }

    void ticks(uint64_t n) override {
        for (uint64_t i = 0; i < n; ++i) tick();
    }

    uint64_t cycle() const override { return cycle_; }
    uint64_t in_beats() const override { return in_beats_; }
    uint64_t cycles() const override { return cycles_; }

private:
    // Settles the inputs of this cycle with the clock low: outputs are then
    // what the rising edge will sample.
    void settle() {
        drive_rx();
        top_->m_axis_tx0_tready = 1;
        top_->m_axis_tx1_tready = 1;
        drive_memory();
        top_->ap_clk = 0;
        top_->eval();
    }

    // m_axi_dma: an address is always taken; its beat (one per request,
    // arlen 0) answers the cycle after.
    void drive_memory() {
        auto& t = *top_;
        t.m_axi_dma_arready = !read_pending_;
        t.m_axi_dma_rvalid = read_pending_;
        t.m_axi_dma_rlast = 1;
        if (!read_pending_) return;
        const auto beat = memory_.find(read_addr_ / kBeatBytes);
        t.m_axi_dma_rresp = beat == memory_.end() ? kSlverr : kOkay;
        AxisBeat data;
        if (beat != memory_.end()) std::memcpy(data.data, beat->second.data(), kBeatBytes);
        put_tdata(t.m_axi_dma_rdata, data);
    }

    void tick() {
        settle();
        auto& t = *top_;
        const std::array<bool, kNumPorts> took = {t.s_axis_rx0_tvalid && t.s_axis_rx0_tready,
                                                  t.s_axis_rx1_tvalid && t.s_axis_rx1_tready};
        const bool ar = t.m_axi_dma_arvalid && t.m_axi_dma_arready;
        const bool r = t.m_axi_dma_rvalid && t.m_axi_dma_rready;
        const uint64_t araddr = t.m_axi_dma_araddr;
        collect(0, t.m_axis_tx0_tvalid, t.m_axis_tx0_tdata, t.m_axis_tx0_tkeep, t.m_axis_tx0_tlast);
        collect(1, t.m_axis_tx1_tvalid, t.m_axis_tx1_tdata, t.m_axis_tx1_tkeep, t.m_axis_tx1_tlast);
        t.ap_clk = 1;
        t.eval();
        if (r) read_pending_ = false;
        if (ar) {
            read_pending_ = true;
            read_addr_ = araddr;
        }
        for (uint32_t p = 0; p < kNumPorts; ++p) {
            if (!took[p]) continue;
            if (!any_in_) first_in_ = cycle_;
            any_in_ = true;
            last_progress_ = cycle_;
            rx_[p].pop_front();
        }
        ++cycle_;
    }

    // Ticks until `ready` holds (settled, before the edge).
    template <typename Ready>
    void wait_for(Ready ready, const char* what) {
        for (uint64_t c = 0;; ++c) {
            settle();
            if (ready()) return;
            tick();
            stuck(c, what);
        }
    }

    static void stuck(uint64_t cycles, const char* what) {
        if (cycles > kStuckCycles)
            throw std::runtime_error(std::string("rtl card: AXI4-Lite ") + what + " never accepted");
    }

    void drive_rx() {
        auto& t = *top_;
        t.s_axis_rx0_tvalid = offering_ && !rx_[0].empty();
        if (!rx_[0].empty()) {
            put_tdata(t.s_axis_rx0_tdata, rx_[0].front());
            t.s_axis_rx0_tkeep = rx_[0].front().keep;
            t.s_axis_rx0_tlast = rx_[0].front().last;
        }
        t.s_axis_rx1_tvalid = offering_ && !rx_[1].empty();
        if (!rx_[1].empty()) {
            put_tdata(t.s_axis_rx1_tdata, rx_[1].front());
            t.s_axis_rx1_tkeep = rx_[1].front().keep;
            t.s_axis_rx1_tlast = rx_[1].front().last;
        }
    }

    template <typename Wide>
    void collect(uint8_t port, bool valid, const Wide& data, uint64_t keep, bool last) {
        if (!valid) return;
        any_out_ = true;
        last_out_ = cycle_;
        last_progress_ = cycle_;
        OutFrame& frame = open_[port];
        frame.port = port;
        append_tdata(frame.bytes, data, keep);
        if (last) {
            done_.push_back(std::move(frame));
            frame = OutFrame{};
        }
    }

    std::unique_ptr<VerilatedContext> ctx_;
    std::unique_ptr<Vmplsec_card> top_;
    std::array<std::deque<AxisBeat>, kNumPorts> rx_;
    std::array<OutFrame, kNumPorts> open_;
    std::vector<OutFrame> done_;
    uint64_t cycle_ = 0, last_progress_ = 0;
    uint64_t first_in_ = 0, last_out_ = 0;
    bool any_in_ = false, any_out_ = false;
    bool offering_ = false;  // rx queues are offered inside run() only
    std::map<uint64_t, std::vector<uint8_t>> memory_;  // device memory by 64-byte beat
    bool read_pending_ = false;
    uint64_t read_addr_ = 0;
    uint64_t in_beats_ = 0, cycles_ = 0;
};

// The RTL card as a host backend. A read the card answers with SLVERR gives
// the data it returned (zero), as a host read over PCIe would; table DMA
// goes through the table windows, the path a DMA engine would take.
class RtlRegisterCard final : public CardModel {
public:
    std::string name() const override { return "card"; }
    uint32_t read32(uint32_t address) override { return card_->read(address).data; }
    void write32(uint32_t address, uint32_t value) override {
        card_->write(address, value);
        // The card sends an injected frame as its clock runs, which here is
        // inside run().
        if (address == regs::punt::kInjectPush && (value & 1)) inject_pushed_ = true;
    }

    void dma_write(regs::TableId table, uint32_t index, const uint32_t* words) override {
        const uint32_t window = regs::tables::window_base(table);
        for (uint32_t w = 0; w < regs::table_info(table).words; ++w)
            card_->write(window + regs::tables::kData0 + 4 * w, words[w]);
        card_->write(window + regs::tables::kIndex, index);
        card_->write(window + regs::tables::kCmd, regs::tables::kCmdWrite);
        if (card_->read(window + regs::tables::kStatus).data & 1)
            throw std::out_of_range(std::string("table ") + regs::table_info(table).name + ": index " +
                                    std::to_string(index) + " refused");
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override { card_->send(port, frame); }
    std::vector<OutFrame> run() override {
        inject_pushed_ = false;
        return card_->run();
    }
    bool injections_pending() const override { return inject_pushed_; }
    uint64_t in_beats() const override { return card_->in_beats(); }
    uint64_t cycles() const override { return card_->cycles(); }

private:
    std::unique_ptr<RtlCard> card_ = std::make_unique<VerilatedCard>();
    bool inject_pushed_ = false;
};

static_assert(CardModel::kNumPorts == RtlCard::kNumPorts);

}  // namespace

std::unique_ptr<RtlCard> make_rtl_card() { return std::make_unique<VerilatedCard>(); }
std::unique_ptr<CardModel> make_rtl_register_card() { return std::make_unique<RtlRegisterCard>(); }

}  // namespace mplsec::sim
