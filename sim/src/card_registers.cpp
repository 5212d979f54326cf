#include "mplsec/card_registers.hpp"

#include <stdexcept>

namespace mplsec::sim {
namespace {

constexpr uint32_t kPuntReasonBase = static_cast<uint32_t>(regs::Reason::punt_control);
constexpr uint32_t kNumPuntReasons = regs::kNumPuntReasons;
// Event queue depth (docs/datapath.md, Notes on ESP): when more events
// wait, the oldest are lost.
constexpr std::size_t kEventQueueDepth = 256;

}  // namespace

CardRegisters::CardRegisters(std::unique_ptr<Engine> engine)
    : engine_(std::move(engine)),
      windows_(regs::kTables.size()),
      policer_rate_(kNumPuntReasons, regs::punt::kPolicerRateReset),
      policer_burst_(kNumPuntReasons, regs::punt::kPolicerBurstReset),
      dma_regs_(16, 0) {
    for (std::size_t id = 0; id < windows_.size(); ++id) windows_[id].data.assign(regs::tables::kDataCount, 0);
}

// Every block starts with TYPE, VERSION, NEXT.
bool CardRegisters::block_header(uint32_t address, uint32_t& value) const {
    for (const regs::BlockInfo& block : regs::kBlocks) {
        if (address == block.base) return value = block.type, true;
        if (address == block.base + 4) return value = block.version, true;
        if (address == block.base + 8) return value = block.next, true;
    }
    return false;
}

uint32_t CardRegisters::read(uint32_t address) {
    uint32_t value = 0;
    if (block_header(address, value)) return value;
    if (address >= regs::tables::kBase) return read_table_window(address);
    switch (address) {
        case regs::ident::kRegmapVersion: return regs::kRegmapVersion;
        case regs::ident::kFeatures: return engine_->features();
        case regs::ident::kNumPorts: return kNumPorts;
        case regs::ident::kClockKhz: return kClockKhz;
        case regs::ident::kBuildId: return 0;
        case regs::ctrl::kControl: return control_;
        case regs::ctrl::kStatus: return 1;  // idle: run() drains the datapath
        case regs::ctrl::kScratch: return scratch_;
        case regs::ctrl::kCyclesLo:
            cycles_hi_latch_ = static_cast<uint32_t>(engine_->cycles() >> 32);
            return static_cast<uint32_t>(engine_->cycles());
        case regs::ctrl::kCyclesHi: return cycles_hi_latch_;
        case regs::counters::kCntSelect: return counter_select_;
        case regs::counters::kCntPacketsLo: return static_cast<uint32_t>(counter_latch_.packets);
        case regs::counters::kCntPacketsHi: return static_cast<uint32_t>(counter_latch_.packets >> 32);
        case regs::counters::kCntBytesLo: return static_cast<uint32_t>(counter_latch_.bytes);
        case regs::counters::kCntBytesHi: return static_cast<uint32_t>(counter_latch_.bytes >> 32);
        case regs::punt::kPuntCount: return static_cast<uint32_t>(punts_.size());
        case regs::punt::kPuntMeta: {
            if (punts_.empty()) return 0;
            const OutFrame& head = punts_.front();
            return static_cast<uint32_t>(head.bytes.size()) | uint32_t{static_cast<uint8_t>(head.reason)} << 16 |
                   uint32_t{head.port} << 24;
        }
        case regs::punt::kPuntData: return read_punt_data();
        case regs::punt::kInjectMeta: return injection_.meta;
        case regs::punt::kPolicerSelect: return policer_select_;
        case regs::punt::kPolicerRate:
        case regs::punt::kPolicerBurst: {
            const uint32_t slot = policer_select_ - kPuntReasonBase;
            if (slot >= kNumPuntReasons) return 0;
            return address == regs::punt::kPolicerRate ? policer_rate_[slot] : policer_burst_[slot];
        }
        case regs::event::kEvtCount: return static_cast<uint32_t>(events_.size());
        case regs::event::kEvtHead: return events_.empty() ? 0 : events_.front();
        default: break;
    }
    if (address >= regs::dma::kBase && address < regs::dma::kBase + 0x40) {
        if (address == regs::dma::kDmaStatus) return 0;
        return dma_regs_[(address - regs::dma::kBase) / 4 % dma_regs_.size()];
    }
    return 0;  // unmapped reads return zero, as the AXI-Lite slave does
}

void CardRegisters::write(uint32_t address, uint32_t value) {
    if (address >= regs::tables::kBase) return write_table_window(address, value);
    switch (address) {
        case regs::ctrl::kControl:
            // counter_clear is self-clearing: it acts on the write and reads 0.
            control_ = value & regs::ctrl::kControlEnableMask;
            if (value & regs::ctrl::kControlCounterClearMask) engine_->clear_counters();
            return;
        case regs::ctrl::kScratch: scratch_ = value; return;
        case regs::counters::kCntSelect:
            counter_select_ = value;
            counter_latch_ = engine_->counter(static_cast<regs::CounterBank>(value >> 24), value & 0xffffff);
            return;
        case regs::punt::kPuntPop:
            if ((value & 1) && !punts_.empty()) {
                punts_.pop_front();
                punt_read_pos_ = 0;
            }
            return;
        case regs::punt::kInjectMeta:
            injection_.meta = value;
            injection_.bytes.clear();
            return;
        case regs::punt::kInjectData:
            for (int b = 0; b < 4; ++b) injection_.bytes.push_back(static_cast<uint8_t>(value >> (8 * b)));
            return;
        case regs::punt::kInjectPush: {
            if (!(value & 1)) return;
            OutFrame frame;
            frame.port = static_cast<uint8_t>((injection_.meta >> 24) & 0xf);
            frame.bytes = injection_.bytes;
            frame.bytes.resize(injection_.meta & 0x3fff);
            injected_.push_back(std::move(frame));
            injection_ = Injection{};
            return;
        }
        case regs::punt::kPolicerSelect: policer_select_ = value & 0xff; return;
        case regs::punt::kPolicerRate:
        case regs::punt::kPolicerBurst: {
            const uint32_t slot = policer_select_ - kPuntReasonBase;
            if (slot >= kNumPuntReasons) return;
            (address == regs::punt::kPolicerRate ? policer_rate_ : policer_burst_)[slot] = value;
            engine_->set_policer(static_cast<regs::Reason>(policer_select_), policer_rate_[slot], policer_burst_[slot]);
            return;
        }
        case regs::event::kEvtPop:
            if ((value & 1) && !events_.empty()) events_.pop_front();
            return;
        default: break;
    }
    if (address >= regs::dma::kBase && address < regs::dma::kBase + 0x40)
        dma_regs_[(address - regs::dma::kBase) / 4 % dma_regs_.size()] = value;
}

// The window `address` falls in, with the register offset inside it;
// nullptr for an address before the first window or past the last.
CardRegisters::Window* CardRegisters::window_at(uint32_t address, uint32_t& offset, regs::TableId& table) {
    const uint32_t first_window = regs::tables::window_base(regs::TableId{});
    if (address < first_window) return nullptr;
    const uint32_t id = (address - first_window) / regs::tables::kWindowStride;
    if (id >= windows_.size()) return nullptr;
    offset = (address - first_window) % regs::tables::kWindowStride;
    table = static_cast<regs::TableId>(id);
    return &windows_[id];
}

// The DATA word an offset names, or nullptr.
uint32_t* CardRegisters::Window::data_word(uint32_t offset) {
    const uint32_t end = regs::tables::kData0 + 4 * regs::tables::kDataCount;
    return offset >= regs::tables::kData0 && offset < end ? &data[(offset - regs::tables::kData0) / 4] : nullptr;
}

uint32_t CardRegisters::read_table_window(uint32_t address) {
    uint32_t offset = 0;
    regs::TableId table{};
    Window* window = window_at(address, offset, table);
    if (!window) return 0;
    if (offset == regs::tables::kIndex) return window->index;
    if (offset == regs::tables::kStatus) return window->status;
    const uint32_t* word = window->data_word(offset);
    return word ? *word : 0;
}

void CardRegisters::write_table_window(uint32_t address, uint32_t value) {
    uint32_t offset = 0;
    regs::TableId table{};
    Window* window = window_at(address, offset, table);
    if (!window) return;
    if (offset == regs::tables::kIndex) {
        window->index = value;
    } else if (uint32_t* word = window->data_word(offset)) {
        *word = value;
    } else if (offset == regs::tables::kCmd) {
        window->status = 0;
        try {
            if (value == regs::tables::kCmdWrite) engine_->write_table(table, window->index, window->data.data());
            if (value == regs::tables::kCmdRead) engine_->read_table(table, window->index, window->data.data());
        } catch (const std::out_of_range&) {
            window->status = 1;
        }
    }
}

uint32_t CardRegisters::read_punt_data() {
    if (punts_.empty()) return 0;
    const std::vector<uint8_t>& bytes = punts_.front().bytes;
    uint32_t word = 0;
    for (int b = 0; b < 4 && punt_read_pos_ < bytes.size(); ++b) word |= uint32_t{bytes[punt_read_pos_++]} << (8 * b);
    return word;
}

std::vector<OutFrame> CardRegisters::run() {
    std::vector<OutFrame> port_frames;
    for (OutFrame& frame : engine_->run()) {
        if (frame.punt)
            punts_.push_back(std::move(frame));
        else
            port_frames.push_back(std::move(frame));
    }
    for (uint32_t event : engine_->take_events()) {
        if (events_.size() == kEventQueueDepth) events_.pop_front();
        events_.push_back(event);
    }
    for (OutFrame& frame : injected_) port_frames.push_back(std::move(frame));
    injected_.clear();
    return port_frames;
}

}  // namespace mplsec::sim
