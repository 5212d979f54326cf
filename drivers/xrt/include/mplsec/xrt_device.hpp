// The `xrt` backend: an Alveo card through XRT's native C++ API. Registers
// go through xrt::ip (32-bit, the user-managed RTL kernel's AXI4-Lite
// window), bulk table loads through an xrt::bo and the card's dma block.
// XRT types stay inside xrt_device.cpp: this header needs no XRT headers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mplsec/device.hpp"
#include "mplsec/xclbin_check.hpp"

namespace mplsec::drivers {

class XrtDevice : public Device {
public:
    // `card` is what follows "xrt:": a card index ("0") or a PCI address
    // ("0000:3b:00.1" or "3b:00.1"). Throws DeviceError when there is no such
    // card (checked before XRT is asked, so a host without cards gets a
    // message, not an abort). If the card already holds an xclbin with the
    // mplsec kernel, the device is attached to it; otherwise call load().
    static std::unique_ptr<XrtDevice> open(const std::string& card);
    ~XrtDevice() override;

    std::string name() const override;

    // Validates the xclbin against this card's platform (check_xclbin),
    // programs it, opens the kernel and walks the block list
    // (check_identity). Throws DeviceError with the first problem found.
    Identity load(const std::string& xclbin_path);
    Identity reload(const std::string& xclbin_path) override { return load(xclbin_path); }
    bool loaded() const;
    std::string platform() const;  // the card's platform name (VBNV)

    uint32_t read32(uint32_t address) override;
    void write32(uint32_t address, uint32_t value) override;
    // Runs of at least kDmaMinEntries entries go by DMA when the card has
    // the table_dma feature; shorter runs use the register window.
    void write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) override;

    static constexpr uint32_t kDmaMinEntries = kBulkMinEntries;
    static constexpr std::size_t kDmaChunkBytes = 16u << 20;  // one transfer's buffer

    struct Impl;

private:
    explicit XrtDevice(std::unique_ptr<Impl> impl);
    void dma_chunk(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words);
    std::unique_ptr<Impl> impl_;
};

// --- finding cards without XRT (XRT aborts the process when it has no
// environment to enumerate in) ---

struct AlveoCards {
    std::vector<std::string> user_functions;  // PCI addresses bound to xocl, sorted
    std::vector<std::string> mgmt_functions;  // PCI addresses bound to xclmgmt, sorted
};

// Reads <sysfs_root>/bus/pci/drivers/{xocl,xclmgmt}. Tests pass a fake tree.
AlveoCards find_alveo_cards(const std::string& sysfs_root = "/sys");

// "3b:00.1" -> "0000:3b:00.1"; lower-cases hex; "" if not a PCI address.
std::string normalize_pci_address(const std::string& text);

// Why XRT cannot run in this process ("" when it can): XILINX_XRT must name
// a directory whose lib/ holds libxrt_core.so.2.
std::string xrt_environment_problem();

// The DeviceError message for "xrt:<card>" when the card is not there, or
// "" when it is. Pure: takes the scan result.
std::string missing_card_message(const std::string& card, const AlveoCards& cards);

}  // namespace mplsec::drivers
