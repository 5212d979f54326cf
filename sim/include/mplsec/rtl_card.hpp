// The card's RTL kernel (rtl/card/mplsec_card.sv), Verilated: register
// file, punt/inject/event queues and datapath all in RTL. The host side is
// an AXI4-Lite bus-functional master on s_axi_control; the wire side
// offers queued frames on the rx ports back to back and takes every tx
// beat (tready always high); m_axi_dma reads a device memory that
// put_device_memory() fills (other addresses answer SLVERR). The clock
// runs only inside these calls.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "mplsec/engine.hpp"

namespace mplsec::sim {

class RtlCard {
public:
    // AXI4-Lite responses.
    static constexpr uint32_t kOkay = 0;
    static constexpr uint32_t kSlverr = 2;
    static constexpr uint32_t kNumPorts = 2;

    struct ReadResult {
        uint32_t data = 0;
        uint32_t resp = kOkay;
    };

    virtual ~RtlCard() = default;

    // One transaction each; the address is offered `aw_lead` cycles before
    // the write data (0: together). Returns BRESP.
    virtual uint32_t write(uint32_t address, uint32_t value, uint32_t strb = 0xf, unsigned aw_lead = 0) = 0;
    virtual ReadResult read(uint32_t address) = 0;

    // Bytes at `address` of the device memory the table DMA reads.
    virtual void put_device_memory(uint64_t address, const std::vector<uint8_t>& bytes) = 0;

    // Queues a frame on an rx port (0..kNumPorts-1); run() offers it.
    virtual void send(uint8_t port, const std::vector<uint8_t>& frame) = 0;
    // Clocks the card until every queued beat is in and STATUS.idle;
    // returns the frames the tx ports sent, in order of their last beat.
    // Punted frames stay in the card's punt queue for the host.
    virtual std::vector<OutFrame> run() = 0;

    virtual void ticks(uint64_t n) = 0;
    virtual uint64_t cycle() const = 0;  // clock cycles since reset

    // As Engine: beats offered, and cycles from the first beat offered to
    // the last beat out over every run().
    virtual uint64_t in_beats() const = 0;
    virtual uint64_t cycles() const = 0;
};

std::unique_ptr<RtlCard> make_rtl_card();  // throws if built without Verilator

}  // namespace mplsec::sim
