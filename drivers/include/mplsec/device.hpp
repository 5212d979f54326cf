// The one interface between the host runtime and a card. Backends: `model`
// (the HLS C-model in process), `sim` (the virtual card process) and `xrt`
// (an Alveo card). The runtime never knows which one it talks to.
//
// Registers are the card's AXI4-Lite space (regs.hpp). Table, counter,
// punt, inject and event access are defined on top of the registers in
// device.cpp, so every backend gets them right by construction; a backend
// overrides one only to do it faster (bulk tables by DMA).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "mplsec/regs.hpp"

namespace mplsec::drivers {

// A failed device operation: says what failed and with what input.
class DeviceError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An xclbin refused before it went near the card (bad input, not a failed
// operation): names the file and the fault.
class XclbinRefused : public DeviceError {
public:
    using DeviceError::DeviceError;
};

// "0x1f0": how device errors print addresses and register values.
std::string hex(uint32_t value);

struct Counter {
    uint64_t packets = 0;
    uint64_t bytes = 0;
};

struct PuntedFrame {
    uint8_t port = 0;  // ingress port
    regs::Reason reason = regs::Reason::punt_control;
    std::vector<uint8_t> bytes;
};

struct Event {
    regs::EventCode code{};
    uint32_t index = 0;
};

// A frame a port transmitted (virtual cards only).
struct TxFrame {
    uint8_t port = 0;
    std::vector<uint8_t> bytes;
};

// What a loaded card says about itself (the ident block).
struct Identity {
    uint32_t regmap_version = 0;
    uint32_t features = 0;
    uint32_t num_ports = 0;
    uint32_t clock_khz = 0;
    uint32_t build_id = 0;
};

class Device {
public:
    virtual ~Device() = default;

    virtual std::string name() const = 0;

    // --- register access (32-bit, byte addresses) ---
    virtual uint32_t read32(uint32_t address) = 0;
    virtual void write32(uint32_t address, uint32_t value) = 0;

    // --- tables ---
    void write_entry(regs::TableId table, uint32_t index, const std::vector<uint32_t>& words);
    std::vector<uint32_t> read_entry(regs::TableId table, uint32_t index);
    // `count` entries from `first`, packed at the table's word stride.
    // Through the register window here; a backend with a bulk path (DMA)
    // takes runs of at least kBulkMinEntries that way.
    virtual void write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words);
    static constexpr uint32_t kBulkMinEntries = 64;
    // Throws DeviceError unless entries first..first+count-1 exist.
    static void check_bulk_range(regs::TableId table, uint32_t first, uint32_t count);

    // --- counters, punt/inject, events ---
    Counter counter(regs::CounterBank bank, uint32_t index);
    std::optional<PuntedFrame> pop_punt();
    void inject(uint8_t port, const std::vector<uint8_t>& frame);
    std::optional<Event> pop_event();
    void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst);

    // Programs the card from an xclbin that check_xclbin() accepted, as a
    // card reload does: every table empty, every counter zero; then returns
    // check_identity() of the card as it comes up. An Alveo card loads the
    // file; a virtual card reinitialises itself (its datapath is not in the
    // file). Throws DeviceError, by default that the backend cannot.
    virtual Identity reload(const std::string& xclbin_path);

    Identity identity();
    // Walks the block list and throws DeviceError unless the card speaks
    // this runtime's register map (same major version, every block known).
    Identity check_identity();

    // --- packet ports, for virtual cards; a real card's ports are cables ---
    virtual bool has_packet_ports() const { return false; }
    virtual void port_send(uint8_t port, const std::vector<uint8_t>& frame);
    // Lets the card process everything offered; returns frames transmitted.
    virtual std::vector<TxFrame> port_run();
    // Beats offered and datapath cycles used so far (0 where unknown).
    virtual uint64_t in_beats() const { return 0; }
    virtual uint64_t cycles() const { return 0; }
};

// Opens a backend by the config's `device` string: "model", "model:rtl",
// "sim", "xrt:0", "xrt:0000:3b:00.0".
std::unique_ptr<Device> open_device(const std::string& spec);

// PCI addresses of the Alveo cards bound to xocl under `sysfs_root`, in
// the order of their "xrt:N" index (none when this build has no XRT backend).
std::vector<std::string> list_alveo_cards(const std::string& sysfs_root = "/sys");

// The device to open when neither a config nor a command line names one:
// "xrt:0" when this build has the XRT backend and an Alveo card is bound
// to xocl under `sysfs_root`, else "sim" (the virtual card).
std::string default_device_spec(const std::string& sysfs_root = "/sys");

// Checks `xclbin_path` as an mplsec bitstream for `device` (for an Alveo
// card: built for its platform), then reloads the card from it
// (Device::reload) and returns the identity it comes up with. Throws
// XclbinRefused for a file that fails the check, DeviceError otherwise.
Identity load_bitstream(Device& device, const std::string& xclbin_path);

}  // namespace mplsec::drivers
