// The card's AXI4-Lite register space in software, in front of an Engine:
// ident, control, counters, punt/inject queues, event queue and the table
// windows of docs/regmap.md. The in-process model device and the virtual
// card both serve register transactions through it, so the host runtime
// sees the same card whichever engine runs the datapath.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "mplsec/engine.hpp"

namespace mplsec::sim {

class CardRegisters {
public:
    explicit CardRegisters(std::unique_ptr<Engine> engine);

    uint32_t read(uint32_t address);
    void write(uint32_t address, uint32_t value);

    Engine& engine() { return *engine_; }

    // Frames the datapath sent to the host join the punt queue; frames on
    // Ethernet ports are returned to the caller.
    std::vector<OutFrame> run();
    // Frames the host injected that wait for the next run().
    bool injections_pending() const { return !injected_.empty(); }

    static constexpr uint32_t kNumPorts = 2;
    static constexpr uint32_t kClockKhz = 322266;

private:
    struct Window {
        uint32_t index = 0;
        uint32_t status = 0;
        std::vector<uint32_t> data;
        uint32_t* data_word(uint32_t offset);
    };
    struct Injection {
        uint32_t meta = 0;
        std::vector<uint8_t> bytes;
    };

    bool block_header(uint32_t address, uint32_t& value) const;
    Window* window_at(uint32_t address, uint32_t& offset, regs::TableId& table);
    uint32_t read_table_window(uint32_t address);
    void write_table_window(uint32_t address, uint32_t value);
    uint32_t read_punt_data();

    std::unique_ptr<Engine> engine_;
    uint32_t control_ = 1;
    uint32_t scratch_ = 0;
    uint32_t cycles_hi_latch_ = 0;
    uint32_t counter_select_ = 0;
    CounterValue counter_latch_;
    std::vector<Window> windows_;
    std::deque<OutFrame> punts_;
    std::size_t punt_read_pos_ = 0;
    Injection injection_;
    std::vector<OutFrame> injected_;  // sent on their port at the next run()
    std::deque<uint32_t> events_;
    uint32_t policer_select_ = 0;
    std::vector<uint32_t> policer_rate_, policer_burst_;
    std::vector<uint32_t> dma_regs_;
};

}  // namespace mplsec::sim
