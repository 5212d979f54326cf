// One virtual card in SystemC time (sim/src/virtual_card.cpp): the
// register file (CardRegisters) in front of an Engine, or the RTL card top
// (card_model.hpp), behind a TLM-2.0
// target socket that stands for the PCIe BAR, a second target socket for
// the DMA engine that loads tables, and a 322.265625 MHz sc_clock that
// paces the datapath. The host side (this class's methods) is a TLM
// initiator; each transaction carries the PCIe latency annotated below and
// SystemC time advances by it (loosely timed, with a quantum keeper).
//
// SystemC allows one simulation per process: construct at most one
// VirtualCard, from sc_main, before anything else touches SystemC.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mplsec/card_model.hpp"
#include "mplsec/engine.hpp"

namespace mplsec::sim {

// Annotated PCIe figures (gen3 x16 Alveo through XRT, conservative end of
// the published range; see TOOLCHAIN.md):
//   MMIO read (non-posted, round trip)      1 us
//   MMIO write (posted)                     250 ns
//   DMA transfer                            2 us set-up + 0.1 ns a byte (10 GB/s)
struct PcieTiming {
    static constexpr uint64_t kMmioReadPs = 1'000'000;
    static constexpr uint64_t kMmioWritePs = 250'000;
    static constexpr uint64_t kDmaSetupPs = 2'000'000;
    static constexpr uint64_t kDmaPsPerByte = 100;  // 10 GB/s
};

// Datapath clock: 322.265625 MHz (the UltraScale+ CMAC clock).
inline constexpr uint64_t kClockPeriodFs = 3'103'030;  // 1e15 / 322.265625e6, rounded

struct CardStats {
    uint64_t in_beats = 0;
    uint64_t cycles = 0;       // datapath cycles (first beat in .. last beat out)
    uint64_t sim_time_ps = 0;  // SystemC time, host transactions included
    uint64_t mmio_reads = 0;
    uint64_t mmio_writes = 0;
    uint64_t dma_bytes = 0;
};

class VirtualCard {
public:
    // `ports`: 1..4 Ethernet ports (the ident block reports it).
    // `pcie_time`: annotate PcieTiming on host transactions. Off, register
    // and DMA transactions take no simulated time: SystemC then only
    // simulates the clock while the datapath runs, which makes register
    // access several times faster in wall time (see sim/README.md).
    VirtualCard(std::unique_ptr<Engine> engine, uint32_t ports, bool pcie_time = true);
    // The same around another card model (make_rtl_register_card(): the
    // RTL card top, register file included).
    VirtualCard(std::unique_ptr<CardModel> card, uint32_t ports, bool pcie_time = true);
    ~VirtualCard();
    VirtualCard(const VirtualCard&) = delete;
    VirtualCard& operator=(const VirtualCard&) = delete;

    std::string engine_name() const;
    uint32_t ports() const;

    // False when the address is not a 32-bit register of the 64 KiB space.
    bool read32(uint32_t address, uint32_t& value);
    bool write32(uint32_t address, uint32_t value);

    // DMA of `count` packed entries; throws std::out_of_range beyond the
    // table and std::invalid_argument for an unknown table.
    void write_table(uint32_t table, uint32_t first, uint32_t count, const uint32_t* words);

    // Throws std::invalid_argument for a port the card does not have.
    void port_send(uint32_t port, const std::vector<uint8_t>& frame);
    // Runs the datapath until idle; punts join the punt queue (registers),
    // frames sent on Ethernet ports are returned in order.
    std::vector<OutFrame> run();
    // The host injected frames (punt block) that only a run() sends.
    bool injections_pending() const;

    CardStats stats();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace mplsec::sim
