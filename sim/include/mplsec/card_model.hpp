// The card as a host-side backend sees it: the register space, the
// Ethernet ports and the DMA path into the tables. Two exist: the software
// register file (CardRegisters) in front of a datapath Engine, and the
// Verilated card top (RtlCard), whose register file is RTL as well. The
// in-process device and the virtual card host either.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mplsec/engine.hpp"

namespace mplsec::sim {

class CardModel {
public:
    static constexpr uint32_t kNumPorts = 2;

    virtual ~CardModel() = default;

    // What it is: "model", "rtl" (software register file in front of that
    // engine) or "card" (the RTL card top).
    virtual std::string name() const = 0;

    virtual uint32_t read32(uint32_t address) = 0;
    virtual void write32(uint32_t address, uint32_t value) = 0;

    // One table entry by the DMA path; std::out_of_range past the table.
    virtual void dma_write(regs::TableId table, uint32_t index, const uint32_t* words) = 0;

    // Frames on port 0..kNumPorts-1, processed by run(), which returns the
    // frames sent on Ethernet ports (punts join the punt queue).
    virtual void send(uint8_t port, const std::vector<uint8_t>& frame) = 0;
    virtual std::vector<OutFrame> run() = 0;

    // The host committed a frame to inject that only a run() transmits.
    virtual bool injections_pending() const = 0;

    virtual uint64_t in_beats() const = 0;
    virtual uint64_t cycles() const = 0;
};

std::unique_ptr<CardModel> make_software_card(std::unique_ptr<Engine> engine);
std::unique_ptr<CardModel> make_rtl_register_card();  // throws if built without Verilator

}  // namespace mplsec::sim
