// The HLS C-model as an Engine: the kernel of hls/fwd run in process.
#include <stdexcept>

#include "fwd_kernel.hpp"
#include "mplsec/engine.hpp"

namespace mplsec::sim {
namespace {

namespace hf = mplsec::hls_fwd;

class ModelEngine final : public Engine {
public:
    ModelEngine() {
        hf::init_tables(tables_);
        hf::init_state(state_);
    }

    std::string name() const override { return "model"; }

    uint32_t features() const override { return Engine::features() | 1u << regs::kFeatureEspGcm; }

    void write_table(regs::TableId table, uint32_t index, const uint32_t* words) override {
        if (!hf::write_table(tables_, state_, table, index, words))
            throw std::out_of_range("table write outside the table: index " + std::to_string(index));
    }

    void read_table(regs::TableId table, uint32_t index, uint32_t* words) override {
        if (!hf::read_table(tables_, state_, table, index, words))
            throw std::out_of_range("table read outside the table: index " + std::to_string(index));
    }

    void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) override {
        const int slot = static_cast<int>(reason) - static_cast<int>(regs::Reason::punt_control);
        if (slot < 0 || slot >= hf::kNumPuntReasons) throw std::invalid_argument("not a punt reason");
        state_.policers[static_cast<std::size_t>(slot)].configure(rate, burst);
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override {
        for (std::size_t pos = 0; pos < frame.size() || pos == 0; pos += hf::kBeatBytes) {
            hf::AxisBeat beat;
            const std::size_t n = std::min<std::size_t>(hf::kBeatBytes, frame.size() - pos);
            for (std::size_t i = 0; i < n; ++i) beat.data.set_byte(static_cast<int>(i), frame[pos + i]);
            beat.keep = hf::keep_mask(static_cast<int>(n));
            beat.last = pos + n >= frame.size();
            beat.user = port;
            in_.write(beat);
            ++in_beats_;
            if (frame.empty()) break;
        }
    }

    std::vector<OutFrame> run() override {
        hf::mplsec_fwd(in_, out_, tables_, state_);
        std::vector<OutFrame> frames;
        OutFrame current;
        bool open = false;
        while (!out_.empty()) {
            const hf::AxisBeat beat = out_.read();
            if (!open) {
                current = OutFrame{};
                current.punt = hf::out_user_punt(beat.user);
                current.port = hf::out_user_port(beat.user);
                current.reason = static_cast<regs::Reason>(hf::out_user_reason(beat.user));
                open = true;
            }
            for (int i = 0; i < hf::kBeatBytes; ++i)
                if ((beat.keep >> i) & 1) current.bytes.push_back(beat.data.byte(i));
            if (beat.last) {
                frames.push_back(std::move(current));
                open = false;
            }
        }
        // An II=1 pipeline takes one cycle a beat; the model's estimate.
        cycles_ = state_.beat_clock;
        return frames;
    }

    CounterValue counter(regs::CounterBank bank, uint32_t index) override {
        const hf::Counter* c = hf::find_counter(state_.counters, bank, index);
        if (!c) return {};
        return {c->packets, c->bytes};
    }

    // Counter arrays only; state_.sa_state (sequence numbers, replay
    // windows) is not a counter.
    void clear_counters() override { hf::clear_counters(state_.counters); }

    std::vector<uint32_t> take_events() override { return hf::take_events(state_); }

    uint64_t in_beats() const override { return in_beats_; }
    uint64_t cycles() const override { return cycles_; }

private:
    hf::Tables tables_;
    hf::KernelState state_;
    hls::stream<hf::AxisBeat> in_, out_;
    uint64_t in_beats_ = 0;
    uint64_t cycles_ = 0;
};

}  // namespace

std::unique_ptr<Engine> make_model_engine() { return std::make_unique<ModelEngine>(); }

}  // namespace mplsec::sim
