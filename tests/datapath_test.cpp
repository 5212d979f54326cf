// Behaviour of the forwarding datapath (docs/datapath.md), run on every
// engine: the same expectations hold for the HLS C-model and the RTL.
#include <gtest/gtest.h>

#include "support/card_harness.hpp"

namespace mplsec::test {
namespace {

using regs::Reason;

constexpr const char* kCardMac = "02:00:00:00:01:01";
constexpr const char* kPeerMac = "02:00:00:00:02:01";

class Datapath : public ::testing::TestWithParam<std::string> {
protected:
    Datapath() : card(GetParam(), kPeConfig) {}

    // A labeled frame from the core: Ethernet, `labels`, IPv4/UDP.
    static Bytes labeled(std::vector<Lse> labels, std::size_t payload = 26, uint8_t ip_ttl = 64) {
        FrameBuilder b;
        b.eth(kCardMac, kPeerMac).ethertype(0x8847);
        for (const Lse& l : labels) b.label(l.label, l.ttl, l.bos, l.tc);
        return b.ipv4_udp("10.2.0.5", "10.1.0.7", ip_ttl, payload).pad_to().build();
    }
    static Bytes from_customer(const std::string& dst, uint8_t ttl = 64, std::size_t payload = 26, uint8_t tos = 0) {
        return FrameBuilder().eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(0x0800)
            .ipv4_udp("10.1.0.7", dst, ttl, payload, tos).pad_to().build();
    }

    // Sends one frame and expects exactly one frame out on a port.
    drivers::TxFrame forward_one(uint8_t port, const Bytes& frame) {
        Output out = card.run(port, {frame});
        EXPECT_TRUE(out.punted.empty());
        EXPECT_EQ(out.sent.size(), 1u);
        return out.sent.empty() ? drivers::TxFrame{} : out.sent.front();
    }

    // Sends a frame that must be dropped for `reason`, then a good one that
    // must still go through.
    void expect_drop(uint8_t port, const Bytes& frame, Reason reason) {
        const uint64_t before = card.reason_count(reason);
        card.device().port_send(port, frame);
        Output out = card.run(1, {labeled({{100, 0, true, 64}})});
        EXPECT_EQ(card.reason_count(reason), before + 1) << "reason code " << static_cast<int>(reason);
        ASSERT_EQ(out.sent.size(), 1u) << "the good frame after the bad one must go through";
        EXPECT_EQ(lse_at(out.sent[0].bytes, 14).label, 200u);
    }

    CardHarness card;
};

TEST_P(Datapath, SwapWritesLabelTtlAndMacs) {
    const drivers::TxFrame out = forward_one(1, labeled({{100, 3, true, 64}}));
    EXPECT_EQ(out.port, 1);
    EXPECT_EQ(Bytes(out.bytes.begin(), out.bytes.begin() + 6), mac(kPeerMac));
    EXPECT_EQ(Bytes(out.bytes.begin() + 6, out.bytes.begin() + 12), mac(kCardMac));
    EXPECT_EQ(be16(out.bytes, 12), 0x8847);
    const Lse top = lse_at(out.bytes, 14);
    EXPECT_EQ(top.label, 200u);
    EXPECT_EQ(top.ttl, 63);
    EXPECT_EQ(top.tc, 3) << "TC kept";
    EXPECT_TRUE(top.bos);
}

TEST_P(Datapath, SwapToThreeLabelsSetsTcAndKeepsPayload) {
    const Bytes in = labeled({{101, 1, true, 10}}, 200);
    const drivers::TxFrame out = forward_one(1, in);
    ASSERT_EQ(out.bytes.size(), in.size() + 8);
    const uint32_t expected[] = {201, 202, 203};
    for (int i = 0; i < 3; ++i) {
        const Lse l = lse_at(out.bytes, 14 + 4 * i);
        EXPECT_EQ(l.label, expected[i]);
        EXPECT_EQ(l.tc, 5);
        EXPECT_EQ(l.ttl, 9);
        EXPECT_EQ(l.bos, i == 2);
    }
    EXPECT_TRUE(std::equal(in.begin() + 18, in.end(), out.bytes.begin() + 26)) << "payload unchanged";
}

TEST_P(Datapath, PopToNextLabelCopiesTtlInUniformModel) {
    FrameBuilder b;
    b.eth(kCardMac, kPeerMac).ethertype(0x8847).label(102, 40, false).label(555, 200, true);
    const Bytes in = b.ipv4_udp("10.2.0.5", "10.1.0.7", 64, 30).build();
    const drivers::TxFrame out = forward_one(1, in);
    ASSERT_EQ(out.bytes.size(), in.size() - 4);
    const Lse top = lse_at(out.bytes, 14);
    EXPECT_EQ(top.label, 555u);
    EXPECT_EQ(top.ttl, 39);
    EXPECT_TRUE(top.bos);
}

TEST_P(Datapath, PhpToIpv4WritesTtlAndFixesChecksum) {
    const drivers::TxFrame out = forward_one(1, labeled({{102, 0, true, 20}}));
    EXPECT_EQ(be16(out.bytes, 12), 0x0800);
    EXPECT_EQ(out.bytes[14 + 8], 19) << "IP TTL := label TTL - 1";
    EXPECT_EQ(ipv4_checksum(&out.bytes[14], 20), 0) << "checksum still valid";
}

TEST_P(Datapath, PhpInPipeModelLeavesIpTtl) {
    const drivers::TxFrame out = forward_one(1, labeled({{103, 0, true, 20}}, 26, 77));
    EXPECT_EQ(out.bytes[14 + 8], 77);
}

TEST_P(Datapath, PhpToIpv6WritesHopLimit) {
    FrameBuilder b;
    b.eth(kCardMac, kPeerMac).ethertype(0x8847).label(102, 50, true);
    const Bytes in = b.ipv6_udp("2001:db8:2::5", "2001:db8:1::7", 64, 20).build();
    const drivers::TxFrame out = forward_one(1, in);
    EXPECT_EQ(be16(out.bytes, 12), 0x86DD);
    EXPECT_EQ(out.bytes[14 + 7], 49) << "hop limit := label TTL - 1";
}

TEST_P(Datapath, PopLookupRoutesInVrfToVlanNexthop) {
    const Bytes in = labeled({{16, 0, true, 30}});
    const drivers::TxFrame out = forward_one(1, in);
    EXPECT_EQ(out.port, 0);
    EXPECT_EQ(Bytes(out.bytes.begin(), out.bytes.begin() + 6), mac("02:00:00:00:03:01"));
    EXPECT_EQ(Bytes(out.bytes.begin() + 6, out.bytes.begin() + 12), mac("02:00:00:00:00:01"));
    EXPECT_EQ(be16(out.bytes, 12), 0x8100);
    EXPECT_EQ(be16(out.bytes, 14) & 0xfff, 10);
    EXPECT_EQ(be16(out.bytes, 16), 0x0800);
    EXPECT_EQ(out.bytes[18 + 8], 29) << "one decrement for the whole LSP, none in the VRF";
    EXPECT_EQ(ipv4_checksum(&out.bytes[18], 20), 0);
}

TEST_P(Datapath, PopLookupPipeDecrementsIpTtl) {
    const drivers::TxFrame out = forward_one(1, labeled({{18, 0, true, 30}}, 26, 50));
    EXPECT_EQ(out.bytes[18 + 8], 49);
}

TEST_P(Datapath, CustomerPacketGetsTwoLabelsLongestPrefixWins) {
    drivers::TxFrame out = forward_one(0, from_customer("10.2.7.7", 64, 26, 0xa0));
    EXPECT_EQ(out.port, 1);
    EXPECT_EQ(be16(out.bytes, 12), 0x8847);
    Lse l0 = lse_at(out.bytes, 14), l1 = lse_at(out.bytes, 18);
    EXPECT_EQ(l0.label, 300u);
    EXPECT_FALSE(l0.bos);
    EXPECT_EQ(l1.label, 16u);
    EXPECT_TRUE(l1.bos);
    EXPECT_EQ(l0.ttl, 63) << "uniform: decremented IP TTL";
    EXPECT_EQ(l0.tc, 5) << "IP precedence";
    EXPECT_EQ(out.bytes[22 + 8], 63);
    EXPECT_EQ(ipv4_checksum(&out.bytes[22], 20), 0);

    out = forward_one(0, from_customer("10.2.3.9"));
    EXPECT_EQ(lse_at(out.bytes, 14).label, 301u) << "the /24 beats the /16";
    EXPECT_TRUE(lse_at(out.bytes, 14).bos);
}

TEST_P(Datapath, CustomerIpv6IsRouted) {
    const Bytes in = FrameBuilder().eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(0x86DD)
                         .ipv6_udp("2001:db8:1::7", "2001:db8:2::9", 10, 20).build();
    const drivers::TxFrame out = forward_one(0, in);
    EXPECT_EQ(lse_at(out.bytes, 14).label, 300u);
    EXPECT_EQ(lse_at(out.bytes, 14).ttl, 9);
    EXPECT_EQ(out.bytes[22 + 7], 9);
}

TEST_P(Datapath, DropsAreCountedAndTheNextFrameGoesThrough) {
    expect_drop(1, Bytes(59, 0), Reason::bad_frame);
    expect_drop(1, labeled({{999, 0, true, 64}}), Reason::no_label);
    expect_drop(0, labeled({{100, 0, true, 64}}), Reason::label_spoofed);
    FrameBuilder deep;
    deep.eth(kCardMac, kPeerMac).ethertype(0x8847);
    for (int i = 0; i < 9; ++i) deep.label(100, 64, false);
    expect_drop(1, deep.pad_to(80).build(), Reason::stack_too_deep);
    expect_drop(0, from_customer("10.77.0.1"), Reason::no_route);
    expect_drop(1, labeled({{100, 0, true, 64}}, 1480), Reason::mtu_exceeded);
    expect_drop(1, labeled({{105, 0, true, 64}}), Reason::action_drop);
    // A card without the ESP stage has no SA tables and drops what it
    // would have to encrypt; one with it encrypts (esp_datapath_test.cpp).
    if (!(card.device().identity().features >> regs::kFeatureEspGcm & 1))
        expect_drop(0, from_customer("10.9.0.1"), Reason::esp_no_sa);
    expect_drop(1, labeled({{17, 0, true, 64}}), Reason::esp_required);
    expect_drop(1, labeled({{3, 0, true, 64}}), Reason::no_label);
}

TEST_P(Datapath, PuntsCarryTheOriginalFrameAndReason) {
    const Bytes expired = labeled({{100, 0, true, 1}});
    const Bytes alert = labeled({{1, 0, false, 64}, {100, 0, true, 64}});
    const Bytes local = from_customer("192.0.2.1");
    const Bytes action = labeled({{104, 0, true, 64}});
    Output out = card.run(1, {expired, alert, action});
    Output out0 = card.run(0, {local, from_customer("10.2.0.1", 1)});
    ASSERT_EQ(out.punted.size(), 3u);
    EXPECT_EQ(out.punted[0].reason, Reason::ttl_expired);
    EXPECT_EQ(out.punted[0].bytes, expired);
    EXPECT_EQ(out.punted[0].port, 1);
    EXPECT_EQ(out.punted[1].reason, Reason::router_alert);
    EXPECT_EQ(out.punted[2].reason, Reason::punt_control);
    ASSERT_EQ(out0.punted.size(), 2u);
    EXPECT_EQ(out0.punted[0].reason, Reason::punt_control);
    EXPECT_EQ(out0.punted[0].bytes, local);
    EXPECT_EQ(out0.punted[1].reason, Reason::ttl_expired);
    EXPECT_TRUE(out.sent.empty());
    EXPECT_TRUE(out0.sent.empty());
}

TEST_P(Datapath, PolicerLimitsAPuntFlood) {
    std::vector<Bytes> flood(100, labeled({{104, 0, true, 64}}));
    Output out = card.run(1, flood);
    EXPECT_EQ(out.punted.size(), 64u) << "the bucket holds 64 frames and refills slowly";
    EXPECT_EQ(card.reason_count(Reason::punt_policed), 36u);
}

TEST_P(Datapath, ShortOutputIsPaddedTo60Bytes) {
    const drivers::TxFrame out = forward_one(1, labeled({{102, 0, true, 64}}, 18));
    EXPECT_EQ(out.bytes.size(), 60u);
}

TEST_P(Datapath, PortCountersCountFramesAndBytes) {
    const Bytes in = labeled({{100, 0, true, 64}}, 100);
    card.run(1, {in, in});
    const drivers::Counter rx = card.device().counter(regs::CounterBank::port_rx, 1);
    const drivers::Counter tx = card.device().counter(regs::CounterBank::port_tx, 1);
    EXPECT_EQ(rx.packets, 2u);
    EXPECT_EQ(rx.bytes, 2 * in.size());
    EXPECT_EQ(tx.packets, 2u);
    EXPECT_EQ(tx.bytes, 2 * in.size());
    const uint32_t nhlfe = card.image().nhlfe_of_label.at(100);
    EXPECT_EQ(card.device().counter(regs::CounterBank::nhlfe, nhlfe).packets, 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, Datapath, ::testing::ValuesIn(std::vector<std::string>{ENGINES}),
                         EngineName());

}  // namespace
}  // namespace mplsec::test
