// The card top (rtl/card/mplsec_card.sv) through its AXI4-Lite register
// map and its stream ports: the block list as Device::check_identity()
// walks it, bus responses, every register block, and frames forwarded,
// punted, injected and dropped at a disabled ingress. The behaviour
// expected is that of the software register file
// (sim/src/card_registers.cpp) where both have it.
#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "mplsec/rtl_card.hpp"
#include "rtl_test_util.hpp"

namespace mplsec::rtltest {
namespace {

using regs::CounterBank;
using regs::NhlfeOp;
using regs::Reason;

constexpr uint64_t kMacPort0 = 0x020000000001;
constexpr uint64_t kMacPort1 = 0x020000000101;
constexpr uint64_t kMacNext = 0x020000000201;
constexpr uint64_t kMacPeer = 0x0200000009aa;
constexpr uint32_t kNexthop = 1;
constexpr uint32_t kNhlfe = 1;
constexpr uint32_t kInLabel = 100, kOutLabel = 200;

// The card seen as an Engine through its registers only, as
// drivers/src/device.cpp drives them: enough for the table, policer and
// counter functions of rtl_test_util.hpp.
class CardEngine final : public sim::Engine {
public:
    explicit CardEngine(sim::RtlCard& card) : card_(card) {}

    std::string name() const override { return "card"; }

    void write_table(regs::TableId table, uint32_t index, const uint32_t* words) override {
        const uint32_t window = regs::tables::window_base(table);
        for (uint32_t w = 0; w < regs::table_info(table).words; ++w)
            card_.write(window + regs::tables::kData0 + 4 * w, words[w]);
        card_.write(window + regs::tables::kIndex, index);
        card_.write(window + regs::tables::kCmd, regs::tables::kCmdWrite);
        if (card_.read(window + regs::tables::kStatus).data & 1) throw std::out_of_range("table write refused");
    }

    void read_table(regs::TableId table, uint32_t index, uint32_t* words) override {
        const uint32_t window = regs::tables::window_base(table);
        card_.write(window + regs::tables::kIndex, index);
        card_.write(window + regs::tables::kCmd, regs::tables::kCmdRead);
        if (card_.read(window + regs::tables::kStatus).data & 1) throw std::out_of_range("table read refused");
        for (uint32_t w = 0; w < regs::table_info(table).words; ++w)
            words[w] = card_.read(window + regs::tables::kData0 + 4 * w).data;
    }

    void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) override {
        card_.write(regs::punt::kPolicerSelect, static_cast<uint32_t>(reason));
        card_.write(regs::punt::kPolicerRate, rate);
        card_.write(regs::punt::kPolicerBurst, burst);
    }

    void send(uint8_t port, const std::vector<uint8_t>& frame) override { card_.send(port, frame); }
    std::vector<sim::OutFrame> run() override { return card_.run(); }

    sim::CounterValue counter(regs::CounterBank bank, uint32_t index) override {
        card_.write(regs::counters::kCntSelect, static_cast<uint32_t>(bank) << 24 | (index & 0xffffff));
        auto word64 = [&](uint32_t lo, uint32_t hi) {
            return uint64_t{card_.read(lo).data} | uint64_t{card_.read(hi).data} << 32;
        };
        return {word64(regs::counters::kCntPacketsLo, regs::counters::kCntPacketsHi),
                word64(regs::counters::kCntBytesLo, regs::counters::kCntBytesHi)};
    }

    uint64_t in_beats() const override { return card_.in_beats(); }
    uint64_t cycles() const override { return card_.cycles(); }

private:
    sim::RtlCard& card_;
};

class CardTest : public ::testing::Test {
protected:
    std::unique_ptr<sim::RtlCard> card = sim::make_rtl_card();
    CardEngine engine{*card};

    uint32_t read(uint32_t address) { return card->read(address).data; }
    uint32_t write(uint32_t address, uint32_t value, uint32_t strb = 0xf, unsigned aw_lead = 0) {
        return card->write(address, value, strb, aw_lead);
    }

    // Label kInLabel, accepted on port 0, is swapped to kOutLabel and sent
    // to a next hop on port 1.
    void install_swap() {
        set_port(engine, 0, kMacPort0, 1500);
        set_port(engine, 1, kMacPort1, 1500);
        set_nexthop(engine, kNexthop, 1, kMacNext);
        set_nhlfe(engine, kNhlfe, NhlfeOp::swap, {kOutLabel}, kNexthop);
        set_ilm(engine, kInLabel, 0b01, kNhlfe);
    }

    static Bytes labeled_frame(uint32_t label, std::size_t size = 128) {
        Bytes f = cat(eth(kMacPort0, kMacPeer, {}, 0x8847), labels({lse(label, 0, true, 64)}));
        return pad_to(cat(f, ipv4(0x0a000001, 0x0a000002, 64, 17, 0, 60)), size);
    }

    static Bytes arp_frame(uint8_t tag) {
        Bytes f = eth(0xffffffffffff, kMacPeer, {}, 0x0806);
        for (int i = 0; i < 28; ++i) f.push_back(static_cast<uint8_t>(tag + i));
        return pad_to(f, 60);
    }

    sim::CounterValue counter(CounterBank bank, uint32_t index) { return engine.counter(bank, index); }

    std::vector<uint8_t> read_punt_frame(uint32_t length) {
        std::vector<uint8_t> bytes;
        while (bytes.size() < length) {
            const uint32_t word = read(regs::punt::kPuntData);
            for (int b = 0; b < 4 && bytes.size() < length; ++b) bytes.push_back(static_cast<uint8_t>(word >> (8 * b)));
        }
        return bytes;
    }
};

// --- identity and bus ---------------------------------------------------------

TEST_F(CardTest, BlockListWalksLikeCheckIdentity) {
    uint32_t address = 0;
    std::size_t found = 0;
    for (int guard = 0; guard < 64; ++guard) {
        const uint32_t type = read(address);
        const uint32_t version = read(address + 4);
        const uint32_t next = read(address + 8);
        ASSERT_LT(found, regs::kBlocks.size());
        const regs::BlockInfo& block = regs::kBlocks[found];
        EXPECT_EQ(address, block.base) << block.name;
        EXPECT_EQ(type, block.type) << block.name;
        EXPECT_EQ(version, block.version) << block.name;
        EXPECT_EQ(next, block.next) << block.name;
        ++found;
        if (next == 0) break;
        address = next;
    }
    EXPECT_EQ(found, regs::kBlocks.size());
    EXPECT_EQ(read(regs::ident::kRegmapVersion), regs::kRegmapVersion);
    EXPECT_EQ(read(regs::ident::kFeatures),
              1u << regs::kFeatureMpls | 1u << regs::kFeatureVrfIpv4 | 1u << regs::kFeatureVrfIpv6 |
                  1u << regs::kFeatureEspGcm | 1u << regs::kFeatureTableDma);
    EXPECT_EQ(read(regs::ident::kNumPorts), 2u);
    EXPECT_EQ(read(regs::ident::kClockKhz), 322266u);
}

TEST_F(CardTest, ScratchHonoursByteStrobes) {
    EXPECT_EQ(write(regs::ctrl::kScratch, 0x11223344), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::ctrl::kScratch), 0x11223344u);
    EXPECT_EQ(write(regs::ctrl::kScratch, 0xaabbccdd, 0b0101), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::ctrl::kScratch), 0x11bb33ddu);
    EXPECT_EQ(write(regs::ctrl::kScratch, 0xeeff0000, 0b1000, /*aw_lead=*/3), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::ctrl::kScratch), 0xeebb33ddu);
    EXPECT_EQ(write(regs::ctrl::kScratch, 0x12345678, 0), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::ctrl::kScratch), 0xeebb33ddu);
}

TEST_F(CardTest, UnmappedAddressesAnswerSlverr) {
    const uint32_t past_windows = regs::tables::window_base(regs::TableId::spi_hash) + regs::tables::kWindowStride;
    for (uint32_t address : {regs::ident::kBuildId + 4, regs::ctrl::kBase + 0x20, regs::dma::kBase + 0x28,
                             regs::tables::kBase + 0x0c, regs::tables::window_base(regs::TableId::ilm) + 0x0c,
                             past_windows, uint32_t{0xfffc}}) {
        const sim::RtlCard::ReadResult r = card->read(address);
        EXPECT_EQ(r.resp, sim::RtlCard::kSlverr) << std::hex << address;
        EXPECT_EQ(r.data, 0u) << std::hex << address;
        EXPECT_EQ(write(address, 1), sim::RtlCard::kSlverr) << std::hex << address;
    }
    // Read-only registers refuse writes and keep their value; write-only
    // registers read as zero.
    EXPECT_EQ(write(regs::ident::kFeatures, 0), sim::RtlCard::kSlverr);
    EXPECT_NE(read(regs::ident::kFeatures), 0u);
    EXPECT_EQ(write(regs::tables::kBase, 0), sim::RtlCard::kSlverr);
    const sim::RtlCard::ReadResult pop = card->read(regs::punt::kPuntPop);
    EXPECT_EQ(pop.resp, sim::RtlCard::kOkay);
    EXPECT_EQ(pop.data, 0u);
    // The bus still works.
    EXPECT_EQ(write(regs::ctrl::kScratch, 7), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::ctrl::kScratch), 7u);
}

// --- tables ---------------------------------------------------------------------

TEST_F(CardTest, TableWindowWritesAndReadsBack) {
    regs::NhlfeEntry n;
    n.op = static_cast<uint64_t>(NhlfeOp::swap);
    n.n_labels = 3;
    n.label0 = 0xabcde;
    n.label1 = 0x12345;
    n.label2 = 0xfedcb;
    n.nexthop = 0x777;
    n.tc_set = 1;
    n.tc = 5;
    const auto words = n.pack();
    engine.write_table(regs::TableId::nhlfe, 4242, words.data());

    // Overwrite the window's DATA, then read the entry back into it.
    const uint32_t window = regs::tables::window_base(regs::TableId::nhlfe);
    for (uint32_t w = 0; w < regs::tables::kDataCount; ++w) write(window + regs::tables::kData0 + 4 * w, 0x5a5a5a5a);
    write(window + regs::tables::kIndex, 4242);
    write(window + regs::tables::kCmd, regs::tables::kCmdRead);
    EXPECT_EQ(read(window + regs::tables::kStatus), 0u);
    for (uint32_t w = 0; w < words.size(); ++w) EXPECT_EQ(read(window + regs::tables::kData0 + 4 * w), words[w]) << w;
    // Words past the entry keep what the host wrote.
    EXPECT_EQ(read(window + regs::tables::kData0 + 4 * words.size()), 0x5a5a5a5au);

    // Another window keeps its own INDEX.
    EXPECT_EQ(read(regs::tables::window_base(regs::TableId::ilm) + regs::tables::kIndex), 0u);
    EXPECT_EQ(read(window + regs::tables::kIndex), 4242u);
}

TEST_F(CardTest, TableWindowStatusFlagsAnIndexOutOfRange) {
    const uint32_t window = regs::tables::window_base(regs::TableId::port);
    write(window + regs::tables::kIndex, regs::table_info(regs::TableId::port).depth);
    write(window + regs::tables::kCmd, regs::tables::kCmdWrite);
    EXPECT_EQ(read(window + regs::tables::kStatus), 1u);
    write(window + regs::tables::kIndex, 0x1000000);  // past the 24-bit index
    write(window + regs::tables::kCmd, regs::tables::kCmdRead);
    EXPECT_EQ(read(window + regs::tables::kStatus), 1u);
    write(window + regs::tables::kIndex, 1);
    write(window + regs::tables::kCmd, regs::tables::kCmdWrite);
    EXPECT_EQ(read(window + regs::tables::kStatus), 0u);
    uint32_t words[regs::tables::kDataCount] = {};
    EXPECT_THROW(engine.read_table(regs::TableId::port, 4, words), std::out_of_range);
}

// --- traffic --------------------------------------------------------------------

TEST_F(CardTest, LabeledFrameLeavesOnItsNextHopsPort) {
    install_swap();
    const Bytes in = labeled_frame(kInLabel);
    card->send(0, in);
    const std::vector<sim::OutFrame> out = engine.run();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, 1);
    Bytes want = in;
    for (int i = 0; i < 6; ++i) {
        want[i] = static_cast<uint8_t>(kMacNext >> (40 - 8 * i));
        want[6 + i] = static_cast<uint8_t>(kMacPort1 >> (40 - 8 * i));
    }
    const uint32_t entry = lse(kOutLabel, 0, true, 63);
    for (int i = 0; i < 4; ++i) want[14 + i] = static_cast<uint8_t>(entry >> (24 - 8 * i));
    EXPECT_EQ(out[0].bytes, want);

    // The same label on port 1, where it is not accepted, goes nowhere.
    card->send(1, in);
    EXPECT_TRUE(engine.run().empty());
    EXPECT_EQ(counter(CounterBank::reason, static_cast<uint32_t>(Reason::label_spoofed)).packets, 1u);
}

TEST_F(CardTest, CountersFollowTraffic) {
    install_swap();
    const Bytes in = labeled_frame(kInLabel, 200);
    for (int i = 0; i < 3; ++i) card->send(0, in);
    ASSERT_EQ(engine.run().size(), 3u);
    const sim::CounterValue rx = counter(CounterBank::port_rx, 0);
    EXPECT_EQ(rx.packets, 3u);
    EXPECT_EQ(rx.bytes, 600u);
    EXPECT_EQ(counter(CounterBank::port_tx, 1).packets, 3u);
    EXPECT_EQ(counter(CounterBank::nhlfe, kNhlfe).packets, 3u);
    EXPECT_EQ(counter(CounterBank::port_rx, 1).packets, 0u);
    // CNT_SELECT reads back; the latch holds until the next select.
    EXPECT_EQ(read(regs::counters::kCntSelect), static_cast<uint32_t>(CounterBank::port_rx) << 24 | 1);
    card->send(1, in);
    engine.run();
    EXPECT_EQ(read(regs::counters::kCntPacketsLo), 0u);
    EXPECT_EQ(counter(CounterBank::port_rx, 1).packets, 1u);
    // counter_clear is self-clearing: CONTROL reads back enable only.
    write(regs::ctrl::kControl, regs::ctrl::kControlEnableMask | regs::ctrl::kControlCounterClearMask);
    EXPECT_EQ(read(regs::ctrl::kControl), regs::ctrl::kControlEnableMask);
}

TEST_F(CardTest, DisabledIngressDropsWholeFrames) {
    install_swap();
    EXPECT_EQ(read(regs::ctrl::kControl), regs::ctrl::kControlEnableMask);  // enabled from reset
    write(regs::ctrl::kControl, 0);
    card->send(0, labeled_frame(kInLabel, 300));
    EXPECT_TRUE(engine.run().empty());
    EXPECT_EQ(counter(CounterBank::port_rx, 0).packets, 0u);
    write(regs::ctrl::kControl, regs::ctrl::kControlEnableMask);
    card->send(0, labeled_frame(kInLabel, 300));
    EXPECT_EQ(engine.run().size(), 1u);
    EXPECT_EQ(counter(CounterBank::port_rx, 0).packets, 1u);
}

TEST_F(CardTest, PuntedFramesAreReadThroughThePuntBlock) {
    install_swap();
    EXPECT_EQ(read(regs::punt::kPuntCount), 0u);
    EXPECT_EQ(read(regs::punt::kPuntMeta), 0u);
    const Bytes arp0 = arp_frame(1);
    const Bytes arp1 = pad_to(arp_frame(2), 131);
    card->send(0, arp0);
    card->send(1, arp1);
    EXPECT_TRUE(engine.run().empty());
    ASSERT_EQ(read(regs::punt::kPuntCount), 2u);

    const uint32_t reason = static_cast<uint32_t>(Reason::punt_control);
    EXPECT_EQ(read(regs::punt::kPuntMeta), uint32_t(arp0.size()) | reason << 16 | 0u << 24);
    EXPECT_EQ(read_punt_frame(arp0.size()), arp0);
    EXPECT_EQ(read(regs::punt::kPuntData), 0u);  // past the end
    write(regs::punt::kPuntPop, 1);

    ASSERT_EQ(read(regs::punt::kPuntCount), 1u);
    EXPECT_EQ(read(regs::punt::kPuntMeta), uint32_t(arp1.size()) | reason << 16 | 1u << 24);
    EXPECT_EQ(read_punt_frame(arp1.size()), arp1);
    write(regs::punt::kPuntPop, 0);  // only bit 0 pops
    EXPECT_EQ(read(regs::punt::kPuntCount), 1u);
    write(regs::punt::kPuntPop, 1);
    EXPECT_EQ(read(regs::punt::kPuntCount), 0u);
    EXPECT_EQ(read(regs::punt::kPuntData), 0u);
    EXPECT_EQ(counter(CounterBank::reason, reason).packets, 2u);
}

TEST_F(CardTest, AFullPuntQueueDropsWholeFramesAndKeepsTheRest) {
    constexpr uint32_t kQueueFrames = 256;  // mplsec_punt_queue's Frames in the card top
    engine.set_policer(Reason::punt_control, 0, 1000);
    for (uint32_t i = 0; i < kQueueFrames + 4; ++i) card->send(0, arp_frame(static_cast<uint8_t>(i)));
    engine.run();
    EXPECT_EQ(read(regs::punt::kPuntCount), kQueueFrames);
    // Room for one: the next frame takes it, whole, behind the others.
    write(regs::punt::kPuntPop, 1);
    const Bytes last = pad_to(arp_frame(0xee), 100);
    card->send(1, last);
    engine.run();
    ASSERT_EQ(read(regs::punt::kPuntCount), kQueueFrames);
    EXPECT_EQ(read_punt_frame(60), arp_frame(1));
    for (uint32_t i = 1; i < kQueueFrames; ++i) write(regs::punt::kPuntPop, 1);
    EXPECT_EQ(read(regs::punt::kPuntMeta) & regs::punt::kPuntMetaPortMask, 1u << regs::punt::kPuntMetaPortBit);
    EXPECT_EQ(read_punt_frame(last.size()), last);
}

TEST_F(CardTest, InjectedFrameLeavesOnItsPort) {
    const Bytes frame = pad_to(eth(kMacPeer, kMacPort1, {}, 0x0800), 150);
    write(regs::punt::kInjectMeta, uint32_t(frame.size()) | 1u << regs::punt::kInjectMetaPortBit);
    EXPECT_EQ(read(regs::punt::kInjectMeta), uint32_t(frame.size()) | 1u << regs::punt::kInjectMetaPortBit);
    // Only the first 100 bytes are written: the rest goes out as zero.
    for (std::size_t i = 0; i < 100; i += 4)
        write(regs::punt::kInjectData,
                   uint32_t{frame[i]} | uint32_t{frame[i + 1]} << 8 | uint32_t{frame[i + 2]} << 16 | uint32_t{frame[i + 3]} << 24);
    write(regs::punt::kInjectPush, 1);
    EXPECT_EQ(read(regs::punt::kInjectMeta), 0u);
    const std::vector<sim::OutFrame> out = engine.run();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].port, 1);
    Bytes want = frame;
    std::fill(want.begin() + 100, want.end(), 0);
    EXPECT_EQ(out[0].bytes, want);

    // A frame for a port the card does not have is discarded.
    write(regs::punt::kInjectMeta, 64u | 3u << regs::punt::kInjectMetaPortBit);
    write(regs::punt::kInjectPush, 1);
    EXPECT_TRUE(engine.run().empty());
}

// --- policers, events, DMA, cycles --------------------------------------------

TEST_F(CardTest, PolicerRegistersDriveThePuntPolicer) {
    for (Reason r : {Reason::punt_control, Reason::ttl_expired, Reason::router_alert}) {
        write(regs::punt::kPolicerSelect, static_cast<uint32_t>(r));
        EXPECT_EQ(read(regs::punt::kPolicerRate), regs::punt::kPolicerRateReset);
        EXPECT_EQ(read(regs::punt::kPolicerBurst), regs::punt::kPolicerBurstReset);
    }
    // A drop reason has no policer: reads zero, writes change nothing.
    write(regs::punt::kPolicerSelect, static_cast<uint32_t>(Reason::no_label));
    write(regs::punt::kPolicerRate, 99);
    EXPECT_EQ(read(regs::punt::kPolicerRate), 0u);
    EXPECT_EQ(read(regs::punt::kPolicerSelect), static_cast<uint32_t>(Reason::no_label));

    // Burst 1, no refill: one ARP reaches the host, the rest are policed.
    engine.set_policer(Reason::punt_control, 0, 1);
    EXPECT_EQ(read(regs::punt::kPolicerBurst), 1u);
    for (int i = 0; i < 3; ++i) card->send(0, arp_frame(static_cast<uint8_t>(i)));
    engine.run();
    EXPECT_EQ(read(regs::punt::kPuntCount), 1u);
    EXPECT_EQ(counter(CounterBank::reason, static_cast<uint32_t>(Reason::punt_policed)).packets, 2u);
}

TEST_F(CardTest, EventQueueIsEmptyWithoutEsp) {
    EXPECT_EQ(read(regs::event::kEvtCount), 0u);
    EXPECT_EQ(read(regs::event::kEvtHead), 0u);
    EXPECT_EQ(write(regs::event::kEvtPop, 1), sim::RtlCard::kOkay);
    EXPECT_EQ(read(regs::event::kEvtCount), 0u);
}

TEST_F(CardTest, DmaRegistersHoldTheirValues) {
    write(regs::dma::kDmaTable, 3);
    write(regs::dma::kDmaAddrHi, 0x12345678);
    write(regs::dma::kDmaAddrHi, 0xff, 0b0001);
    EXPECT_EQ(read(regs::dma::kDmaTable), 3u);
    EXPECT_EQ(read(regs::dma::kDmaAddrHi), 0x123456ffu);
    EXPECT_EQ(read(regs::dma::kDmaStatus), 0u);
    // A table id without a table fails at once.
    write(regs::dma::kDmaTable, regs::kTables.size());
    write(regs::dma::kDmaCount, 1);
    write(regs::dma::kDmaStart, 1);
    EXPECT_EQ(read(regs::dma::kDmaStatus), regs::dma::kDmaStatusErrorMask);
}

// Starts a transfer and waits for DMA_STATUS.busy to clear; returns STATUS.
uint32_t dma_load(sim::RtlCard& card, regs::TableId table, uint32_t index, uint32_t count, uint64_t address) {
    card.write(regs::dma::kDmaTable, static_cast<uint32_t>(table));
    card.write(regs::dma::kDmaIndex, index);
    card.write(regs::dma::kDmaCount, count);
    card.write(regs::dma::kDmaAddrLo, static_cast<uint32_t>(address));
    card.write(regs::dma::kDmaAddrHi, static_cast<uint32_t>(address >> 32));
    card.write(regs::dma::kDmaStart, 1);
    for (int i = 0; i < 10000; ++i) {
        const uint32_t status = card.read(regs::dma::kDmaStatus).data;
        if (!(status & regs::dma::kDmaStatusBusyMask)) return status;
    }
    ADD_FAILURE() << "DMA never finished";
    return ~0u;
}

TEST_F(CardTest, DmaLoadsEntriesFromDeviceMemory) {
    // Ten nhlfe entries (12 bytes each) from an address that is not
    // beat-aligned, so entries straddle beats.
    constexpr uint64_t kAddress = 0x1'0000'1008;
    std::vector<std::array<uint32_t, 3>> entries;
    Bytes image;
    for (uint32_t n = 0; n < 10; ++n) {
        regs::NhlfeEntry e;
        e.op = static_cast<uint64_t>(NhlfeOp::swap);
        e.n_labels = 1;
        e.label0 = 1000 + n;
        e.nexthop = n;
        entries.push_back(e.pack());
        for (uint32_t word : entries.back())
            for (int b = 0; b < 4; ++b) image.push_back(static_cast<uint8_t>(word >> (8 * b)));
    }
    card->put_device_memory(kAddress, image);
    EXPECT_EQ(dma_load(*card, regs::TableId::nhlfe, 500, 10, kAddress), 0u);
    for (uint32_t n = 0; n < 10; ++n) {
        uint32_t words[3];
        engine.read_table(regs::TableId::nhlfe, 500 + n, words);
        EXPECT_EQ((std::array<uint32_t, 3>{words[0], words[1], words[2]}), entries[n]) << n;
    }
    // Windows work again after the transfer.
    set_nexthop(engine, 7, 1, kMacNext);

    // The port table has 4 entries: the fifth is refused and the transfer
    // stops with the error; the fourth is written.
    EXPECT_EQ(dma_load(*card, regs::TableId::port, 3, 2, kAddress), regs::dma::kDmaStatusErrorMask);
    uint32_t port3[3];
    engine.read_table(regs::TableId::port, 3, port3);
    EXPECT_EQ(port3[0], entries[0][0]);
    // Memory that answers SLVERR fails the transfer.
    EXPECT_EQ(dma_load(*card, regs::TableId::nhlfe, 0, 1, 0x4000), regs::dma::kDmaStatusErrorMask);
    EXPECT_EQ(dma_load(*card, regs::TableId::nhlfe, 0, 1, kAddress), 0u);
}

TEST_F(CardTest, CyclesLoLatchesHi) {
    const uint64_t before = card->cycle();
    const uint32_t lo0 = read(regs::ctrl::kCyclesLo);
    card->ticks(1000);
    const uint32_t lo1 = read(regs::ctrl::kCyclesLo);
    const uint64_t elapsed = card->cycle() - before;
    EXPECT_GE(lo1 - lo0, 1000u);
    EXPECT_LE(lo1 - lo0, elapsed);
    EXPECT_EQ(read(regs::ctrl::kCyclesHi), 0u);  // < 2^32 cycles since reset
    EXPECT_EQ(read(regs::ctrl::kStatus) & regs::ctrl::kStatusIdleMask, regs::ctrl::kStatusIdleMask);
}

}  // namespace
}  // namespace mplsec::rtltest
