// Engine-level tests of the Verilated forwarding pipeline through
// make_rtl_engine(): every label operation, IP routing with push, VLAN
// push, each drop and punt reason reachable without ESP (each followed by
// a good frame that must still go through), counters, and back-to-back
// throughput.
#include <gtest/gtest.h>

#include "mplsec/engine.hpp"
#include "rtl_test_util.hpp"

namespace mplsec::rtltest {
namespace {

using regs::CounterBank;
using regs::NhlfeOp;
using regs::Reason;

constexpr uint64_t kMacPort0 = 0x020000000001;
constexpr uint64_t kMacPort1 = 0x020000000101;
constexpr uint64_t kMacPort2 = 0x020000000201;
constexpr uint64_t kMacP1 = 0x020000000201ull + 0x10000;
constexpr uint64_t kMacCe = 0x020000000301;
constexpr uint64_t kMacPeer = 0x0200000009aa;

constexpr uint32_t kBlue = 1;
constexpr uint32_t kRed = 2;  // require_esp

Bytes v4addr(uint32_t a) {
    return {static_cast<uint8_t>(a >> 24), static_cast<uint8_t>(a >> 16), static_cast<uint8_t>(a >> 8),
            static_cast<uint8_t>(a)};
}

std::array<uint8_t, 16> v6addr(uint16_t w0, uint16_t w1, uint16_t w2, uint16_t last) {
    std::array<uint8_t, 16> a{};
    a[0] = static_cast<uint8_t>(w0 >> 8);
    a[1] = static_cast<uint8_t>(w0);
    a[2] = static_cast<uint8_t>(w1 >> 8);
    a[3] = static_cast<uint8_t>(w1);
    a[4] = static_cast<uint8_t>(w2 >> 8);
    a[5] = static_cast<uint8_t>(w2);
    a[14] = static_cast<uint8_t>(last >> 8);
    a[15] = static_cast<uint8_t>(last);
    return a;
}

// Rewrites TTL (and the IPv4 checksum, recomputed) of the IP packet at `off`.
void set_ip_ttl(Bytes& b, std::size_t off, uint8_t ttl) {
    if ((b[off] >> 4) == 6) {
        b[off + 7] = ttl;
        return;
    }
    b[off + 8] = ttl;
    b[off + 10] = 0;
    b[off + 11] = 0;
    const uint16_t c = static_cast<uint16_t>(~ones_sum(&b[off], 4u * (b[off] & 0xf)));
    b[off + 10] = static_cast<uint8_t>(c >> 8);
    b[off + 11] = static_cast<uint8_t>(c);
}

Bytes padded(Bytes b) {
    if (b.size() < 60) b.resize(60, 0);
    return b;
}

class RtlEngineTest : public ::testing::Test {
protected:
    void SetUp() override {
        e_ = sim::make_rtl_engine();
        sim::Engine& e = *e_;
        set_port(e, 0, kMacPort0, 1500, true, kBlue);
        set_port(e, 1, kMacPort1, 1500);
        set_port(e, 2, kMacPort2, 100);
        set_nexthop(e, 1, 1, kMacP1);
        set_nexthop(e, 2, 0, kMacCe, true, 10);
        set_nexthop(e, 3, 2, kMacP1);
        set_vrf(e, kBlue);
        set_vrf(e, kRed, true);

        set_ilm(e, 100, 0b0010, 1);
        set_nhlfe(e, 1, NhlfeOp::swap, {200}, 1);
        set_ilm(e, 101, 0b0010, 2);
        set_nhlfe(e, 2, NhlfeOp::swap, {201, 202, 203}, 1, 0, false, true, 5);
        set_ilm(e, 102, 0b0010, 3);
        set_nhlfe(e, 3, NhlfeOp::pop, {}, 1);
        set_ilm(e, 103, 0b0010, 4);
        set_nhlfe(e, 4, NhlfeOp::pop, {}, 1, 0, true);
        set_ilm(e, 16, 0b0010, 5);
        set_nhlfe(e, 5, NhlfeOp::pop_lookup, {}, 0, kBlue);
        set_ilm(e, 17, 0b0010, 6);
        set_nhlfe(e, 6, NhlfeOp::pop_lookup, {}, 0, kBlue, true);
        set_ilm(e, 18, 0b0010, 7);
        set_nhlfe(e, 7, NhlfeOp::pop_lookup, {}, 0, kRed);
        set_ilm(e, 104, 0b0010, 8);
        set_nhlfe(e, 8, NhlfeOp::drop, {}, 1);
        set_ilm(e, 105, 0b0010, 9);
        set_nhlfe(e, 9, NhlfeOp::punt, {}, 1);
        set_ilm(e, 106, 0b0010, 10);
        set_nhlfe(e, 10, NhlfeOp::swap, {206}, 3);
        set_ilm(e, 107, 0b0010, 11);
        set_nhlfe(e, 11, NhlfeOp::swap, {207}, 4);  // next hop 4 not installed

        Trie4 t4(e);
        t4.add(kBlue, v4addr(0x0a010000), 16, 1);
        t4.add(kBlue, v4addr(0x0a020000), 16, 2);
        t4.add(kBlue, v4addr(0x0a030000), 16, 3);
        t4.add(kBlue, v4addr(0x0a040000), 16, 4);
        t4.add(kBlue, v4addr(0x0a050000), 24, 5);
        t4.add(kBlue, v4addr(0x0a060000), 16, 9);  // route 9 not installed
        set_route(e, 1, 2, {});
        set_route(e, 2, 1, {100, 16});
        set_route(e, 3, 1, {500}, true);
        set_route(e, 4, 1, {100}, false, true);
        set_route(e, 5, 1, {501, 502, 503});
        Trie6 t6(e);
        const auto p1 = v6addr(0x2001, 0x0db8, 0x0001, 0);
        const auto p2 = v6addr(0x2001, 0x0db8, 0x0002, 0);
        t6.add(kBlue, Bytes(p1.begin(), p1.end()), 48, 6);
        t6.add(kBlue, Bytes(p2.begin(), p2.end()), 48, 7);
        set_route(e, 6, 2, {});
        set_route(e, 7, 1, {600});

        std::array<uint8_t, 16> local{};
        local[0] = 192;
        local[1] = 0;
        local[2] = 2;
        local[3] = 1;
        set_local(e, 0, false, local, 4);
    }

    // A labeled IPv4 frame from the core (port 1).
    static Bytes labeled(const std::vector<uint32_t>& stack, uint8_t ip_ttl = 50, uint16_t ip_total = 46,
                         uint32_t dst = 0x0a010203, uint8_t proto = 17) {
        return pad_to(cat(cat(eth(kMacPort1, kMacPeer, {}, 0x8847), labels(stack)),
                          ipv4(0xc0000202, dst, ip_ttl, proto, 0xb8, ip_total)),
                      60);
    }

    static Bytes swap_probe() { return labeled({lse(100, 2, true, 64)}); }

    Bytes swap_expect() const {
        Bytes b = cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels({lse(200, 2, true, 63)}));
        const Bytes in = swap_probe();
        b.insert(b.end(), in.begin() + 18, in.end());
        return padded(b);
    }

    std::vector<sim::OutFrame> send1(uint8_t port, const Bytes& f) {
        e_->send(port, f);
        return e_->run();
    }

    uint64_t reason_count(Reason r) { return e_->counter(CounterBank::reason, static_cast<uint32_t>(r)).packets; }

    // The frame is dropped for `r`, and a good frame right after it goes through.
    void expect_drop(uint8_t port, const Bytes& f, Reason r) {
        const uint64_t before = reason_count(r);
        e_->send(port, f);
        e_->send(1, swap_probe());
        const auto out = e_->run();
        ASSERT_EQ(out.size(), 1u) << "reason " << static_cast<int>(r);
        EXPECT_FALSE(out[0].punt);
        EXPECT_EQ(out[0].bytes, swap_expect());
        EXPECT_EQ(reason_count(r), before + 1) << "reason " << static_cast<int>(r);
    }

    void expect_punt(uint8_t port, const Bytes& f, Reason r) {
        const uint64_t before = reason_count(r);
        e_->send(port, f);
        e_->send(1, swap_probe());
        const auto out = e_->run();
        ASSERT_EQ(out.size(), 2u) << "reason " << static_cast<int>(r);
        EXPECT_TRUE(out[0].punt);
        EXPECT_EQ(out[0].port, port);
        EXPECT_EQ(out[0].reason, r);
        EXPECT_EQ(out[0].bytes, f);
        EXPECT_FALSE(out[1].punt);
        EXPECT_EQ(out[1].bytes, swap_expect());
        EXPECT_EQ(reason_count(r), before + 1);
    }

    std::unique_ptr<sim::Engine> e_;
};

TEST_F(RtlEngineTest, TableReadBack) {
    regs::NhlfeEntry n;
    e_->read_table(regs::TableId::nhlfe, 2, nullptr == nullptr ? std::array<uint32_t, 3>{}.data() : nullptr);
    std::array<uint32_t, regs::NhlfeEntry::kWords> w{};
    e_->read_table(regs::TableId::nhlfe, 2, w.data());
    n = regs::NhlfeEntry::unpack(w.data());
    EXPECT_EQ(n.op, static_cast<uint64_t>(NhlfeOp::swap));
    EXPECT_EQ(n.label2, 203u);
    EXPECT_EQ(n.tc, 5u);
    std::array<uint32_t, regs::Lpm4Entry::kWords> l{};
    e_->read_table(regs::TableId::lpm4, regs::lpm4_index(0, kBlue, 10), l.data());
    EXPECT_EQ(regs::Lpm4Entry::unpack(l.data()).child_valid, 1u);
    EXPECT_THROW(e_->read_table(regs::TableId::lpm4, regs::lpm4_index(1, 5000, 0), l.data()), std::out_of_range);
    EXPECT_THROW(e_->write_table(regs::TableId::port, 4, w.data()), std::out_of_range);
}

TEST_F(RtlEngineTest, SwapOneLabel) {
    for (std::size_t size : {60u, 64u, 65u, 127u, 128u, 129u, 191u, 192u, 1500u}) {
        Bytes in = pad_to(swap_probe(), size);
        Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels({lse(200, 2, true, 63)}));
        want.insert(want.end(), in.begin() + 18, in.end());
        const auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u) << size;
        EXPECT_FALSE(out[0].punt);
        EXPECT_EQ(out[0].port, 1);
        EXPECT_EQ(out[0].bytes, want) << size;
    }
    EXPECT_EQ(e_->counter(CounterBank::nhlfe, 1).packets, 9u);
}

TEST_F(RtlEngineTest, SwapToThreeLabelsSetsTcAndKeepsStack) {
    for (std::size_t size : {60u, 64u, 100u, 120u, 130u, 600u}) {
        // Top of a two-entry stack: S of the last new entry stays 0.
        Bytes in = pad_to(labeled({lse(101, 1, false, 10), lse(999, 3, true, 9)}), size);
        Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x8847),
                         labels({lse(201, 5, false, 9), lse(202, 5, false, 9), lse(203, 5, false, 9)}));
        want.insert(want.end(), in.begin() + 18, in.end());
        const auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].bytes, padded(want)) << size;
    }
}

TEST_F(RtlEngineTest, PopToLabelUniformAndPipe) {
    for (std::size_t size : {60u, 64u, 66u, 130u, 1000u}) {
        Bytes in = pad_to(labeled({lse(102, 1, false, 30), lse(777, 4, true, 200)}), size);
        Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels({lse(777, 4, true, 29)}));
        want.insert(want.end(), in.begin() + 22, in.end());
        auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].bytes, padded(want)) << size;

        in = pad_to(labeled({lse(103, 1, false, 30), lse(777, 4, true, 200)}), size);
        want = cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels({lse(777, 4, true, 200)}));
        want.insert(want.end(), in.begin() + 22, in.end());
        out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].bytes, padded(want)) << size;
    }
}

TEST_F(RtlEngineTest, PhpToIpv4CopiesTtlAndFixesChecksum) {
    for (uint16_t total : {20, 46, 47, 110, 111, 1400}) {
        Bytes in = labeled({lse(102, 0, true, 33)}, 99, total);
        Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x0800), Bytes(in.begin() + 18, in.end()));
        set_ip_ttl(want, 14, 32);
        const auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].bytes, padded(want)) << total;
    }
    // Pipe: the IP header is untouched.
    Bytes in = labeled({lse(103, 0, true, 33)}, 99, 200);
    Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x0800), Bytes(in.begin() + 18, in.end()));
    const auto out = send1(1, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, want);
}

TEST_F(RtlEngineTest, PhpToIpv6CopiesHopLimit) {
    for (uint16_t payload : {0, 6, 30, 100, 1000}) {
        Bytes in = pad_to(cat(cat(eth(kMacPort1, kMacPeer, {}, 0x8847), labels({lse(102, 0, true, 7)})),
                              ipv6(v6addr(0x2001, 0x0db8, 0x0009, 1), 64, 17, 0x20, payload)),
                          60);
        Bytes want = cat(eth(kMacP1, kMacPort1, {}, 0x86DD), Bytes(in.begin() + 18, in.end()));
        want[14 + 7] = 6;
        const auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].bytes, padded(want)) << payload;
    }
}

TEST_F(RtlEngineTest, PopLookupIntoVrfToCustomerWithVlan) {
    for (uint16_t total : {20, 40, 46, 100, 1000}) {
        // Uniform: IP TTL := label TTL - 1, no second decrement.
        Bytes in = labeled({lse(16, 0, true, 20)}, 77, total, 0x0a0100fe);
        Bytes want = cat(eth(kMacCe, kMacPort0, {10}, 0x0800), Bytes(in.begin() + 18, in.end()));
        set_ip_ttl(want, 18, 19);
        auto out = send1(1, in);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].port, 0);
        EXPECT_EQ(out[0].bytes, padded(want)) << total;
    }
    // Pipe: IP TTL - 1.
    Bytes in = labeled({lse(17, 0, true, 20)}, 77, 300, 0x0a0100fe);
    Bytes want = cat(eth(kMacCe, kMacPort0, {10}, 0x0800), Bytes(in.begin() + 18, in.end()));
    set_ip_ttl(want, 18, 76);
    auto out = send1(1, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, want);
    // IPv6 into the VRF.
    in = cat(cat(eth(kMacPort1, kMacPeer, {}, 0x8847), labels({lse(16, 0, true, 9)})),
             ipv6(v6addr(0x2001, 0x0db8, 0x0001, 5), 64, 6, 0, 80));
    want = cat(eth(kMacCe, kMacPort0, {10}, 0x86DD), Bytes(in.begin() + 18, in.end()));
    want[18 + 7] = 8;
    out = send1(1, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, want);
    EXPECT_EQ(e_->counter(CounterBank::route, 6).packets, 1u);
    EXPECT_EQ(e_->counter(CounterBank::route, 1).packets, 6u);
}

TEST_F(RtlEngineTest, PushFromIp) {
    struct Case {
        uint32_t dst;
        std::vector<uint32_t> push;
        bool pipe;
    };
    for (const Case& c : {Case{0x0a020304, {100, 16}, false}, Case{0x0a030304, {500}, true},
                          Case{0x0a050001, {501, 502, 503}, false}}) {
        for (uint16_t total : {20, 46, 47, 64, 100, 1486}) {
            Bytes in = pad_to(cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(0x0a010101, c.dst, 64, 6, 0xa0, total)), 60);
            Bytes ip(in.begin() + 14, in.end());
            set_ip_ttl(ip, 0, 63);
            std::vector<uint32_t> st;
            for (std::size_t i = 0; i < c.push.size(); ++i)
                st.push_back(lse(c.push[i], 5, i + 1 == c.push.size(), c.pipe ? 255 : 63));
            Bytes want = cat(cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels(st)), ip);
            const auto out = send1(0, in);
            if (want.size() - 14 > 1500) {
                EXPECT_TRUE(out.empty());
                continue;
            }
            ASSERT_EQ(out.size(), 1u);
            EXPECT_EQ(out[0].bytes, padded(want)) << total << " push " << c.push.size();
        }
    }
}

TEST_F(RtlEngineTest, Ipv6PushAndVlanTaggedInput) {
    // Two VLAN tags on input are not carried; the next hop's tag is.
    Bytes in = cat(eth(kMacPort0, kMacCe, {5, 6}, 0x86DD), ipv6(v6addr(0x2001, 0x0db8, 0x0002, 9), 10, 17, 0xe0, 50));
    Bytes ip(in.begin() + 22, in.end());
    ip[7] = 9;
    Bytes want = cat(cat(eth(kMacP1, kMacPort1, {}, 0x8847), labels({lse(600, 7, true, 9)})), ip);
    auto out = send1(0, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, want);
    // VLAN push toward the customer, IPv4 from one tagged port to another.
    in = pad_to(cat(eth(kMacPort0, kMacCe, {7}, 0x0800), ipv4(0x0a020202, 0x0a010909, 5, 17, 0, 26)), 60);
    ip.assign(in.begin() + 18, in.end());
    set_ip_ttl(ip, 0, 4);
    want = cat(eth(kMacCe, kMacPort0, {10}, 0x0800), ip);
    out = send1(0, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, padded(want));
}

TEST_F(RtlEngineTest, ExplicitNullIsRoutedAsIp) {
    Bytes in = cat(cat(eth(kMacPort0, kMacCe, {}, 0x8847), labels({lse(0, 0, true, 40)})),
                   ipv4(0x0a020202, 0x0a010909, 200, 17, 0, 100));
    Bytes ip(in.begin() + 18, in.end());
    set_ip_ttl(ip, 0, 39);
    Bytes want = cat(eth(kMacCe, kMacPort0, {10}, 0x0800), ip);
    const auto out = send1(0, in);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].bytes, want);
}

TEST_F(RtlEngineTest, DropReasons) {
    // bad_frame: runt, unknown ethertype, bad IPv4 checksum, truncated IP.
    expect_drop(1, Bytes(59, 0x11), Reason::bad_frame);
    expect_drop(1, pad_to(eth(kMacPort1, kMacPeer, {}, 0x9000), 64), Reason::bad_frame);
    Bytes bad_csum = cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0x0a010101, 9, 6, 0, 46));
    bad_csum[24] ^= 0x40;
    expect_drop(0, bad_csum, Reason::bad_frame);
    expect_drop(0, pad_to(eth(kMacPort0, kMacCe, {}, 0x0800), 9601), Reason::bad_frame);
    expect_drop(0, Bytes(20000, 0x55), Reason::bad_frame);
    // no_label: not installed, reserved, explicit null not at the bottom.
    expect_drop(1, labeled({lse(555, 0, true, 9)}), Reason::no_label);
    expect_drop(1, labeled({lse(7, 0, true, 9)}), Reason::no_label);
    expect_drop(1, labeled({lse(0, 0, false, 9), lse(100, 0, true, 9)}), Reason::no_label);
    expect_drop(0, labeled({lse(100, 0, true, 9)}), Reason::label_spoofed);
    std::vector<uint32_t> deep;
    for (int i = 0; i < 8; ++i) deep.push_back(lse(100 + i, 0, false, 9));
    expect_drop(1, labeled(deep), Reason::stack_too_deep);
    expect_drop(1, pad_to(eth(kMacPort1, kMacPeer, {}, 0x0800), 64), Reason::bad_frame);
    // no_route: core port has no VRF, no prefix, route not installed, next hop not installed.
    expect_drop(1, cat(eth(kMacPort1, kMacPeer, {}, 0x0800), ipv4(1, 0x0a010101, 9, 6, 0, 46)), Reason::no_route);
    expect_drop(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0x0b010101, 9, 6, 0, 46)), Reason::no_route);
    expect_drop(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0x0a060101, 9, 6, 0, 46)), Reason::no_route);
    expect_drop(1, labeled({lse(107, 0, true, 9)}), Reason::no_route);
    expect_drop(1, pad_to(labeled({lse(106, 0, true, 9)}), 115), Reason::mtu_exceeded);
    expect_drop(1, labeled({lse(104, 0, true, 9)}), Reason::action_drop);
    expect_drop(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0x0a040101, 9, 6, 0, 46)), Reason::esp_no_sa);
    expect_drop(1, labeled({lse(18, 0, true, 9)}), Reason::esp_required);
    // A frame just at the MTU passes (100 bytes after Ethernet).
    const auto out = send1(1, pad_to(labeled({lse(106, 0, true, 9)}), 114));
    ASSERT_EQ(out.size(), 1u);
}

TEST_F(RtlEngineTest, PuntReasons) {
    expect_punt(1, pad_to(eth(~0ull & 0xffffffffffff, kMacPeer, {}, 0x0806), 60), Reason::punt_control);
    expect_punt(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0xc0000201, 9, 6, 0, 46)), Reason::punt_control);
    expect_punt(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0xe0000005, 9, 6, 0, 46)), Reason::punt_control);
    expect_punt(1, labeled({lse(105, 0, true, 9)}), Reason::punt_control);
    expect_punt(1, labeled({lse(100, 0, true, 1)}), Reason::ttl_expired);
    expect_punt(1, labeled({lse(17, 0, true, 9)}, 1), Reason::ttl_expired);
    expect_punt(0, cat(eth(kMacPort0, kMacCe, {}, 0x0800), ipv4(1, 0x0a010101, 1, 6, 0, 46)), Reason::ttl_expired);
    expect_punt(1, labeled({lse(1, 0, false, 9), lse(100, 0, true, 9)}), Reason::router_alert);
}

TEST_F(RtlEngineTest, PuntPolicer) {
    e_->set_policer(Reason::ttl_expired, 1, 2);
    const Bytes f = labeled({lse(100, 0, true, 1)});
    for (int i = 0; i < 4; ++i) e_->send(1, f);
    e_->send(1, swap_probe());
    const auto out = e_->run();
    ASSERT_EQ(out.size(), 3u);
    EXPECT_TRUE(out[0].punt);
    EXPECT_TRUE(out[1].punt);
    EXPECT_EQ(out[2].bytes, swap_expect());
    EXPECT_EQ(reason_count(Reason::punt_policed), 2u);
    EXPECT_EQ(reason_count(Reason::ttl_expired), 2u);
    // 2^16 beats later one token is back.
    const Bytes big = pad_to(swap_probe(), 1514);
    for (int i = 0; i < 2731; ++i) e_->send(1, big);  // 2731 * 24 beats > 65536
    e_->send(1, f);
    e_->send(1, f);
    const auto out2 = e_->run();
    ASSERT_EQ(out2.size(), 2732u);
    EXPECT_TRUE(out2[2731].punt);
    EXPECT_EQ(reason_count(Reason::punt_policed), 3u);
}

TEST_F(RtlEngineTest, Counters) {
    const Bytes in = swap_probe();
    for (int i = 0; i < 5; ++i) e_->send(1, in);
    e_->send(1, Bytes(59, 0));
    const auto out = e_->run();
    ASSERT_EQ(out.size(), 5u);
    EXPECT_EQ(e_->counter(CounterBank::port_rx, 1).packets, 6u);
    EXPECT_EQ(e_->counter(CounterBank::port_rx, 1).bytes, 5 * in.size() + 59);
    EXPECT_EQ(e_->counter(CounterBank::port_tx, 1).packets, 5u);
    EXPECT_EQ(e_->counter(CounterBank::port_tx, 1).bytes, 5 * swap_expect().size());
    EXPECT_EQ(e_->counter(CounterBank::nhlfe, 1).packets, 5u);
    EXPECT_EQ(e_->counter(CounterBank::nhlfe, 1).bytes, 5 * in.size());
    EXPECT_EQ(e_->counter(CounterBank::reason, 0).bytes, 59u);
}

TEST_F(RtlEngineTest, BackToBack64ByteFramesRunAtLineRate) {
    const Bytes in = pad_to(swap_probe(), 64);
    constexpr int kFrames = 2000;
    for (int i = 0; i < kFrames; ++i) e_->send(1, in);
    const auto out = e_->run();
    ASSERT_EQ(out.size(), static_cast<std::size_t>(kFrames));
    const double rate = static_cast<double>(e_->in_beats()) / static_cast<double>(e_->cycles());
    EXPECT_GT(rate, 0.97) << e_->in_beats() << " beats in " << e_->cycles() << " cycles";
}

TEST_F(RtlEngineTest, BackToBackMixedSizesKeepOrderAndBytes) {
    std::vector<Bytes> sent;
    for (int i = 0; i < 300; ++i) {
        const std::size_t size = 60 + static_cast<std::size_t>((i * 977) % 1440);
        Bytes f = pad_to(i % 3 == 0 ? labeled({lse(101, 1, true, 30)}) : swap_probe(), size);
        f[40] = static_cast<uint8_t>(i);
        sent.push_back(f);
        e_->send(1, f);
    }
    const auto out = e_->run();
    ASSERT_EQ(out.size(), sent.size());
    for (std::size_t i = 0; i < sent.size(); ++i) {
        const std::size_t grow = i % 3 == 0 ? 8 : 0;
        ASSERT_EQ(out[i].bytes.size(), sent[i].size() + grow) << i;
        EXPECT_TRUE(std::equal(sent[i].begin() + 18, sent[i].end(), out[i].bytes.begin() + 18 + grow)) << i;
    }
}

}  // namespace
}  // namespace mplsec::rtltest
