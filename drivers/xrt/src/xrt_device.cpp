// The `xrt` backend (see xrt_device.hpp and drivers/xrt/README.md for what
// only a real card exercises).
#include "mplsec/xrt_device.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>

#include <experimental/xrt_ip.h>
#include <experimental/xrt_system.h>
#include <experimental/xrt_xclbin.h>
#include <xclbin.h>
#include <xrt/xrt_bo.h>
#include <xrt/xrt_device.h>

namespace mplsec::drivers {
namespace fs = std::filesystem;

namespace {

bool all_digits(const std::string& text) {
    return !text.empty() && text.size() <= 4 &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> pci_functions_of(const fs::path& driver_dir) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(driver_dir, ec)) return out;
    for (const fs::directory_entry& entry : fs::directory_iterator(driver_dir, ec)) {
        const std::string name = normalize_pci_address(entry.path().filename().string());
        if (!name.empty()) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

// "mplsec_card:mplsec_card_1" -> "mplsec_card:{mplsec_card_1}", the form
// xrt::ip takes to name one compute unit.
std::string ip_open_name(const std::string& layout_name) {
    const std::size_t colon = layout_name.find(':');
    if (colon == std::string::npos) return layout_name;
    return layout_name.substr(0, colon) + ":{" + layout_name.substr(colon + 1) + "}";
}

}  // namespace

std::string normalize_pci_address(const std::string& text) {
    std::string t = text;
    std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const std::size_t colons = static_cast<std::size_t>(std::count(t.begin(), t.end(), ':'));
    if (colons == 1) t = "0000:" + t;
    else if (colons != 2) return "";
    // dddd:bb:dd.f
    if (t.size() != 12 || t[4] != ':' || t[7] != ':' || t[10] != '.') return "";
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (i == 4 || i == 7 || i == 10) continue;
        if (!std::isxdigit(static_cast<unsigned char>(t[i]))) return "";
    }
    if (t[11] > '7') return "";
    return t;
}

AlveoCards find_alveo_cards(const std::string& sysfs_root) {
    const fs::path drivers = fs::path(sysfs_root) / "bus" / "pci" / "drivers";
    return AlveoCards{pci_functions_of(drivers / "xocl"), pci_functions_of(drivers / "xclmgmt")};
}

std::string xrt_environment_problem() {
    const char* root = std::getenv("XILINX_XRT");
    if (!root || !*root)
        return "XILINX_XRT is not set; XRT needs it to name a directory whose lib/ holds libxrt_core.so.2 "
               "(/opt/xilinx/xrt for AMD's packages; on Debian make a directory whose lib links to "
               "/usr/lib/x86_64-linux-gnu)";
    std::error_code ec;
    const fs::path core = fs::path(root) / "lib" / "libxrt_core.so.2";
    if (!fs::exists(core, ec))
        return std::string("XILINX_XRT=") + root + " has no lib/libxrt_core.so.2, which XRT loads from there";
    return "";
}

std::string missing_card_message(const std::string& card, const AlveoCards& cards) {
    const std::size_t n = cards.user_functions.size();
    const std::string have = "this host has " + std::to_string(n) + (n == 1 ? " card" : " cards");
    std::string detail;
    if (n > 0) detail = " (" + join(cards.user_functions) + ")";
    else if (!cards.mgmt_functions.empty())
        detail = " bound to xocl; " + join(cards.mgmt_functions) +
                 " is bound to xclmgmt only (is the xocl driver loaded, is a shell flashed?)";
    else detail = " (no PCI function is bound to the xocl driver)";

    if (all_digits(card)) {
        const unsigned long index = std::stoul(card);
        if (index < n) return "";
        return "device 'xrt:" + card + "': no Alveo card at index " + card + "; " + have + detail;
    }
    const std::string address = normalize_pci_address(card);
    if (address.empty())
        return "device 'xrt:" + card + "': '" + card + "' is neither a card index nor a PCI address (0000:3b:00.1)";
    if (std::find(cards.user_functions.begin(), cards.user_functions.end(), address) != cards.user_functions.end())
        return "";
    if (std::find(cards.mgmt_functions.begin(), cards.mgmt_functions.end(), address) != cards.mgmt_functions.end())
        return "device 'xrt:" + card + "': " + address +
               " is an Alveo management function (xclmgmt); use the user function bound to xocl; " + have + detail;
    return "device 'xrt:" + card + "': no Alveo card at " + address + "; " + have + detail;
}

// ---------------------------------------------------------------------------

struct XrtDevice::Impl {
    std::string spec;      // "xrt:0"
    std::string bdf;
    std::string platform;  // card VBNV
    xrt::device device;
    xrt::uuid uuid;
    xrt::ip ip;
    bool has_ip = false;
    std::string kernel_instance;
    int mem_group = 0;
    xrt::bo buffer;
    std::size_t buffer_bytes = 0;
    int dma_feature = -1;  // -1 unknown, 0 no, 1 yes
};

XrtDevice::XrtDevice(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XrtDevice::~XrtDevice() = default;

namespace {

// Finds the kernel in the loaded xclbin's IP layout and the memory bank its
// DMA master reaches: CONNECTIVITY's entry for argument 0 (dma_buf on
// m_axi_dma, bitstreams/kernel.xml); bank 0 when it names none.
bool find_kernel(const xrt::device& device, const xrt::uuid& uuid, std::string& instance, int& mem_group) {
    const auto* layout = device.get_xclbin_section<const ip_layout*>(IP_LAYOUT, uuid);
    if (!layout) return false;
    const std::string prefix = std::string(kXclbinKernel) + ":";
    int found = -1;
    for (int i = 0; i < layout->m_count; ++i) {
        const ip_data& ip = layout->m_ip_data[i];
        const std::string name(reinterpret_cast<const char*>(ip.m_name),
                               strnlen(reinterpret_cast<const char*>(ip.m_name), sizeof ip.m_name));
        if (ip.m_type == IP_KERNEL && (name == kXclbinKernel || name.rfind(prefix, 0) == 0)) {
            instance = name;
            found = i;
            break;
        }
    }
    if (found < 0) return false;
    mem_group = 0;
    try {
        const auto* conn = device.get_xclbin_section<const connectivity*>(CONNECTIVITY, uuid);
        if (conn)
            for (int i = 0; i < conn->m_count; ++i)
                if (conn->m_connection[i].m_ip_layout_index == found && conn->m_connection[i].arg_index == 0) {
                    mem_group = conn->m_connection[i].mem_data_index;
                    break;
                }
    } catch (const std::exception&) {
        // no CONNECTIVITY section: bank 0
    }
    return true;
}

}  // namespace

std::unique_ptr<XrtDevice> XrtDevice::open(const std::string& card) {
    const std::string spec = "xrt:" + card;
    const std::string missing = missing_card_message(card, find_alveo_cards());
    if (!missing.empty()) throw DeviceError(missing);
    const std::string env = xrt_environment_problem();
    if (!env.empty()) throw DeviceError("device '" + spec + "': " + env);

    auto impl = std::make_unique<Impl>();
    impl->spec = spec;
    try {
        if (all_digits(card)) {
            const unsigned index = static_cast<unsigned>(std::stoul(card));
            const unsigned count = xrt::system::enumerate_devices();
            if (index >= count)
                throw DeviceError("device '" + spec + "': no Alveo card at index " + card + "; XRT sees " +
                                  std::to_string(count));
            impl->device = xrt::device(index);
        } else {
            impl->device = xrt::device(normalize_pci_address(card));
        }
        impl->bdf = impl->device.get_info<xrt::info::device::bdf>();
        impl->platform = impl->device.get_info<xrt::info::device::name>();
    } catch (const DeviceError&) {
        throw;
    } catch (const std::exception& e) {
        throw DeviceError("device '" + spec + "': XRT cannot open the card: " + e.what());
    }

    // Attach to an mplsec xclbin already on the card, if there is one.
    try {
        const xrt::uuid uuid = impl->device.get_xclbin_uuid();
        if (uuid && find_kernel(impl->device, uuid, impl->kernel_instance, impl->mem_group)) {
            impl->uuid = uuid;
            impl->ip = xrt::ip(impl->device, uuid, ip_open_name(impl->kernel_instance));
            impl->has_ip = true;
        }
    } catch (const std::exception&) {
        impl->has_ip = false;  // nothing usable loaded; load() will program one
    }
    return std::unique_ptr<XrtDevice>(new XrtDevice(std::move(impl)));
}

std::string XrtDevice::name() const {
    return impl_->spec + " (" + impl_->bdf + ", " + impl_->platform + ")";
}

bool XrtDevice::loaded() const { return impl_->has_ip; }
std::string XrtDevice::platform() const { return impl_->platform; }

Identity XrtDevice::load(const std::string& xclbin_path) {
    const XclbinCheck check = check_xclbin(xclbin_path, impl_->platform);
    if (!check.ok()) throw DeviceError(name() + ": " + check.message);
    impl_->has_ip = false;
    impl_->buffer = xrt::bo();
    impl_->buffer_bytes = 0;
    impl_->dma_feature = -1;
    try {
        const xrt::xclbin xclbin(xclbin_path);
        impl_->uuid = impl_->device.load_xclbin(xclbin);
        if (!find_kernel(impl_->device, impl_->uuid, impl_->kernel_instance, impl_->mem_group))
            throw DeviceError(name() + ": the loaded xclbin lacks the kernel '" + kXclbinKernel + "'");
        impl_->ip = xrt::ip(impl_->device, impl_->uuid, ip_open_name(impl_->kernel_instance));
        impl_->has_ip = true;
    } catch (const DeviceError&) {
        throw;
    } catch (const std::exception& e) {
        throw DeviceError(name() + ": loading '" + xclbin_path + "' failed: " + e.what());
    }
    return check_identity();
}

uint32_t XrtDevice::read32(uint32_t address) {
    if (!impl_->has_ip)
        throw DeviceError(name() + ": no mplsec xclbin on the card; load one (XrtDevice::load or MPLSEC_XCLBIN)");
    if (!regs::is_register_address(address))
        throw DeviceError(name() + ": register read at " + hex(address) + " outside the 64 KiB window or unaligned");
    try {
        return impl_->ip.read_register(address);
    } catch (const std::exception& e) {
        throw DeviceError(name() + ": register read at " + hex(address) + " failed: " + e.what());
    }
}

void XrtDevice::write32(uint32_t address, uint32_t value) {
    if (!impl_->has_ip)
        throw DeviceError(name() + ": no mplsec xclbin on the card; load one (XrtDevice::load or MPLSEC_XCLBIN)");
    if (!regs::is_register_address(address))
        throw DeviceError(name() + ": register write at " + hex(address) + " outside the 64 KiB window or unaligned");
    try {
        impl_->ip.write_register(address, value);
    } catch (const std::exception& e) {
        throw DeviceError(name() + ": register write of " + hex(value) + " at " + hex(address) + " failed: " + e.what());
    }
}

void XrtDevice::write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) {
    if (impl_->dma_feature < 0)
        impl_->dma_feature = (read32(regs::ident::kFeatures) >> regs::kFeatureTableDma) & 1;
    if (count < kDmaMinEntries || impl_->dma_feature == 0) {
        Device::write_entries(table, first, count, words);
        return;
    }
    check_bulk_range(table, first, count);
    const regs::TableInfo& info = regs::table_info(table);
    const std::size_t entry_bytes = std::size_t{info.words} * 4;
    const uint32_t per_chunk = static_cast<uint32_t>(kDmaChunkBytes / entry_bytes);
    for (uint32_t done = 0; done < count;) {
        const uint32_t n = std::min(per_chunk, count - done);
        dma_chunk(table, first + done, n, words + std::size_t{done} * info.words);
        done += n;
    }
}

void XrtDevice::dma_chunk(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) {
    const regs::TableInfo& info = regs::table_info(table);
    const std::size_t bytes = std::size_t{count} * info.words * 4;
    const std::string what = std::string("table ") + info.name + ": DMA of " + std::to_string(count) +
                             " entries at index " + std::to_string(first);
    uint64_t address = 0;
    try {
        if (impl_->buffer_bytes < bytes) {
            impl_->buffer = xrt::bo(impl_->device, kDmaChunkBytes, xrt::bo::flags::normal,
                                    static_cast<xrt::memory_group>(impl_->mem_group));
            impl_->buffer_bytes = kDmaChunkBytes;
        }
        std::memcpy(impl_->buffer.map<uint32_t*>(), words, bytes);
        impl_->buffer.sync(XCL_BO_SYNC_BO_TO_DEVICE, bytes, 0);
        address = impl_->buffer.address();
    } catch (const std::exception& e) {
        throw DeviceError(name() + ": " + what + ": buffer: " + e.what());
    }
    write32(regs::dma::kDmaTable, static_cast<uint32_t>(table));
    write32(regs::dma::kDmaIndex, first);
    write32(regs::dma::kDmaCount, count);
    write32(regs::dma::kDmaAddrLo, static_cast<uint32_t>(address));
    write32(regs::dma::kDmaAddrHi, static_cast<uint32_t>(address >> 32));
    write32(regs::dma::kDmaStart, 1);
    // ~10 GB/s: even 16 MiB is done in milliseconds; allow a generous second
    // plus one per 16 MiB before calling the card stuck.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1 + bytes / kDmaChunkBytes);
    uint32_t status = read32(regs::dma::kDmaStatus);
    while (status & regs::dma::kDmaStatusBusyMask) {
        if (std::chrono::steady_clock::now() > deadline)
            throw DeviceError(name() + ": " + what + " still busy after the deadline (DMA_STATUS " + hex(status) + ")");
        std::this_thread::sleep_for(std::chrono::microseconds(50));
        status = read32(regs::dma::kDmaStatus);
    }
    if (status & regs::dma::kDmaStatusErrorMask)
        throw DeviceError(name() + ": " + what + " refused by the card (DMA_STATUS " + hex(status) +
                          ": bad table or range)");
}

}  // namespace mplsec::drivers
