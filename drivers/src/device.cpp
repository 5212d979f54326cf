// Table, counter, punt, inject and event access on top of the register
// interface, exactly as docs/regmap.md describes the card.
#include "mplsec/device.hpp"

#include <sstream>

namespace mplsec::drivers {
namespace {


uint64_t read64(Device& dev, uint32_t lo, uint32_t hi) {
    const uint64_t low = dev.read32(lo);
    return low | uint64_t{dev.read32(hi)} << 32;
}

}  // namespace

std::string hex(uint32_t value) {
    std::ostringstream out;
    out << "0x" << std::hex << value;
    return out.str();
}

void Device::write_entry(regs::TableId table, uint32_t index, const std::vector<uint32_t>& words) {
    if (words.size() != regs::table_info(table).words)
        throw DeviceError(std::string("table ") + regs::table_info(table).name + ": entry has " + std::to_string(words.size()) +
                          " words, the card expects " + std::to_string(regs::table_info(table).words));
    write_entries(table, index, 1, words.data());
}

void Device::write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) {
    const uint32_t window = regs::tables::window_base(table);
    const uint32_t stride = regs::table_info(table).words;
    for (uint32_t n = 0; n < count; ++n) {
        for (uint32_t w = 0; w < stride; ++w) write32(window + regs::tables::kData0 + 4 * w, words[n * stride + w]);
        write32(window + regs::tables::kIndex, first + n);
        write32(window + regs::tables::kCmd, regs::tables::kCmdWrite);
        if (read32(window + regs::tables::kStatus) & 1)
            throw DeviceError(std::string("table ") + regs::table_info(table).name + ": write to index " +
                              std::to_string(first + n) + " refused (depth " + std::to_string(regs::table_info(table).depth) + ")");
    }
}

void Device::check_bulk_range(regs::TableId table, uint32_t first, uint32_t count) {
    const regs::TableInfo& info = regs::table_info(table);
    if (uint64_t{first} + count > info.depth)
        throw DeviceError(std::string("table ") + info.name + ": bulk load of " + std::to_string(count) +
                          " entries at index " + std::to_string(first) + " runs past the depth " +
                          std::to_string(info.depth));
}

std::vector<uint32_t> Device::read_entry(regs::TableId table, uint32_t index) {
    const uint32_t window = regs::tables::window_base(table);
    write32(window + regs::tables::kIndex, index);
    write32(window + regs::tables::kCmd, regs::tables::kCmdRead);
    if (read32(window + regs::tables::kStatus) & 1)
        throw DeviceError(std::string("table ") + regs::table_info(table).name + ": read of index " + std::to_string(index) +
                          " refused (depth " + std::to_string(regs::table_info(table).depth) + ")");
    std::vector<uint32_t> words(regs::table_info(table).words);
    for (uint32_t w = 0; w < words.size(); ++w) words[w] = read32(window + regs::tables::kData0 + 4 * w);
    return words;
}

Counter Device::counter(regs::CounterBank bank, uint32_t index) {
    write32(regs::counters::kCntSelect, static_cast<uint32_t>(bank) << 24 | (index & 0xffffff));
    Counter c;
    c.packets = read64(*this, regs::counters::kCntPacketsLo, regs::counters::kCntPacketsHi);
    c.bytes = read64(*this, regs::counters::kCntBytesLo, regs::counters::kCntBytesHi);
    return c;
}

std::optional<PuntedFrame> Device::pop_punt() {
    if (read32(regs::punt::kPuntCount) == 0) return std::nullopt;
    const uint32_t meta = read32(regs::punt::kPuntMeta);
    PuntedFrame frame;
    const uint32_t length = meta & 0x3fff;
    frame.reason = static_cast<regs::Reason>((meta >> 16) & 0xff);
    frame.port = static_cast<uint8_t>((meta >> 24) & 0xf);
    frame.bytes.reserve(length);
    for (uint32_t pos = 0; pos < length; pos += 4) {
        const uint32_t word = read32(regs::punt::kPuntData);
        for (uint32_t b = 0; b < 4 && pos + b < length; ++b) frame.bytes.push_back(static_cast<uint8_t>(word >> (8 * b)));
    }
    write32(regs::punt::kPuntPop, 1);
    return frame;
}

void Device::inject(uint8_t port, const std::vector<uint8_t>& frame) {
    if (frame.empty() || frame.size() > 9600)
        throw DeviceError("inject: frame of " + std::to_string(frame.size()) + " bytes (1..9600 allowed)");
    write32(regs::punt::kInjectMeta, static_cast<uint32_t>(frame.size()) | uint32_t{port} << 24);
    for (std::size_t pos = 0; pos < frame.size(); pos += 4) {
        uint32_t word = 0;
        for (std::size_t b = 0; b < 4 && pos + b < frame.size(); ++b) word |= uint32_t{frame[pos + b]} << (8 * b);
        write32(regs::punt::kInjectData, word);
    }
    write32(regs::punt::kInjectPush, 1);
}

std::optional<Event> Device::pop_event() {
    if (read32(regs::event::kEvtCount) == 0) return std::nullopt;
    const uint32_t head = read32(regs::event::kEvtHead);
    write32(regs::event::kEvtPop, 1);
    return Event{static_cast<regs::EventCode>(head >> 24), head & 0xffffff};
}

void Device::set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) {
    write32(regs::punt::kPolicerSelect, static_cast<uint32_t>(reason));
    write32(regs::punt::kPolicerRate, rate);
    write32(regs::punt::kPolicerBurst, burst);
}

Identity Device::identity() {
    Identity id;
    id.regmap_version = read32(regs::ident::kRegmapVersion);
    id.features = read32(regs::ident::kFeatures);
    id.num_ports = read32(regs::ident::kNumPorts);
    id.clock_khz = read32(regs::ident::kClockKhz);
    id.build_id = read32(regs::ident::kBuildId);
    return id;
}

Identity Device::check_identity() {
    // Walk the self-describing block list: every block this runtime needs
    // must be present at a version it speaks.
    uint32_t address = 0;
    std::size_t found = 0;
    for (int guard = 0; guard < 64; ++guard) {
        const uint32_t type = read32(address);
        const uint32_t version = read32(address + 4);
        const uint32_t next = read32(address + 8);
        bool known = false;
        for (const regs::BlockInfo& block : regs::kBlocks) {
            if (block.type != type) continue;
            known = true;
            if (block.base != address || version != block.version)
                throw DeviceError(std::string(name()) + ": block " + block.name + " at " + hex(address) +
                                  " has version " + std::to_string(version) + ", this runtime speaks version " +
                                  std::to_string(block.version) + " at " + hex(block.base));
            ++found;
        }
        if (!known)
            throw DeviceError(name() + ": unknown register block type " + hex(type) + " at " + hex(address) +
                              " (not an mplsec bitstream, or one newer than this runtime)");
        if (next == 0) break;
        address = next;
    }
    if (found != regs::kBlocks.size())
        throw DeviceError(name() + ": the card offers " + std::to_string(found) + " of the " +
                          std::to_string(regs::kBlocks.size()) + " register blocks this runtime needs");
    Identity id = identity();
    if ((id.regmap_version >> 16) != regs::kRegmapVersionMajor)
        throw DeviceError(name() + ": register map version " + std::to_string(id.regmap_version >> 16) + "." +
                          std::to_string(id.regmap_version & 0xffff) + ", this runtime speaks " +
                          std::to_string(regs::kRegmapVersionMajor) + "." + std::to_string(regs::kRegmapVersionMinor));
    return id;
}

Identity Device::reload(const std::string& xclbin_path) {
    throw DeviceError(name() + ": cannot be reloaded (from '" + xclbin_path + "')");
}

void Device::port_send(uint8_t, const std::vector<uint8_t>&) {
    throw DeviceError(name() + ": has no packet ports the host can drive");
}

std::vector<TxFrame> Device::port_run() { throw DeviceError(name() + ": has no packet ports the host can drive"); }

}  // namespace mplsec::drivers
