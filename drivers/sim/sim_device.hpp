// The `sim` backend: a Device that talks to a virtual card process
// (mplsec-sim) over its Unix socket (sim/include/mplsec/sim_protocol.hpp).
//
//   open_device("sim")        $MPLSEC_SIM_SOCKET if set, else a private
//                             mplsec-sim child on a temporary socket,
//                             stopped when the device is destroyed
//                             ($MPLSEC_SIM_ENGINE: rtl (default) or model;
//                             $MPLSEC_SIM_PCIE_TIME: off for no annotated
//                             PCIe latency; $MPLSEC_SIM_BIN: the binary)
//   open_device("sim:PATH")   attach to the card serving PATH
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mplsec/device.hpp"

namespace mplsec::drivers {

class SimDevice final : public Device {
public:
    struct Stats {
        uint64_t in_beats = 0;
        uint64_t cycles = 0;
        uint64_t sim_time_ps = 0;  // SystemC time of the card
        uint64_t mmio_reads = 0;
        uint64_t mmio_writes = 0;
        uint64_t dma_bytes = 0;
    };

    static std::unique_ptr<SimDevice> attach(const std::string& socket_path);
    // `extra_args` go to mplsec-sim's command line (e.g. {"--pcie-time", "off"}).
    static std::unique_ptr<SimDevice> spawn(const std::string& engine = "rtl",
                                            const std::vector<std::string>& extra_args = {});
    ~SimDevice() override;

    std::string name() const override { return "sim"; }
    uint32_t read32(uint32_t address) override;
    void write32(uint32_t address, uint32_t value) override;
    // One DMA-like bulk message per up to 16 MiB of entries.
    void write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) override;
    // A card this device started is replaced by a fresh one (same engine and
    // options): tables and counters empty, as after a bitstream load.
    Identity reload(const std::string& xclbin_path) override;

    bool has_packet_ports() const override { return true; }
    void port_send(uint8_t port, const std::vector<uint8_t>& frame) override;
    std::vector<TxFrame> port_run() override;
    uint64_t in_beats() const override;
    uint64_t cycles() const override;

    Stats stats() const;

    // For a card started with pcap-bound ports (mplsec-sim --port
    // N=pcap:IN[,OUT]): offers every bound port's input back to back, runs
    // until idle and has the output pcaps written before it returns.
    struct Replay {
        uint32_t offered = 0;      // frames offered
        uint32_t transmitted = 0;  // frames that left through bound ports
    };
    Replay replay_ports();
    const std::string& socket_path() const { return path_; }
    const std::string& engine() const { return engine_; }
    uint32_t num_ports() const { return ports_; }

private:
    SimDevice() = default;
    void connect(const std::string& path);
    std::vector<uint8_t> transact(const std::vector<uint8_t>& request, uint16_t opcode) const;
    [[noreturn]] void lost(const std::string& what) const;
    void stop_child();
    void take_card(SimDevice& other);  // swaps connection and child process

    int fd_ = -1;
    std::string path_;
    std::string engine_;
    uint32_t ports_ = 0;
    pid_t child_ = -1;
    std::string temp_dir_;
    std::string spawn_engine_;  // what spawn() was given, for reload()
    std::vector<std::string> spawn_args_;
};

// open_device's `sim` branch.
std::unique_ptr<Device> open_sim_device(const std::string& spec);

}  // namespace mplsec::drivers
