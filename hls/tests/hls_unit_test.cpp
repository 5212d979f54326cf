// Unit tests of the HLS kernel's functions, one group per function.
#include <gtest/gtest.h>

#include <random>

#include "forward.hpp"
#include "fwd_kernel.hpp"
#include "ip_header.hpp"
#include "lpm.hpp"
#include "policer.hpp"

namespace mplsec::hls_fwd {
namespace {

// Recomputes an IPv4 header checksum from scratch: the reference the
// incremental update must agree with.
uint16_t full_checksum(std::vector<uint8_t> h) {
    h[10] = h[11] = 0;
    return static_cast<uint16_t>(~ones_sum(h.data(), static_cast<uint32_t>(h.size())));
}

TEST(IpHeader, IncrementalTtlUpdateEqualsFullRecompute) {
    std::mt19937 rng(1);
    for (int i = 0; i < 10000; ++i) {
        std::vector<uint8_t> h(20);
        for (auto& b : h) b = static_cast<uint8_t>(rng());
        h[0] = 0x45;
        wr16(&h[10], full_checksum(h));
        const auto ttl = static_cast<uint8_t>(rng());
        ip_set_ttl(IpVersion::v4, h.data(), ttl);
        EXPECT_EQ(h[8], ttl);
        EXPECT_EQ(ones_sum(h.data(), 20), 0xffff) << "header still sums to all ones";
    }
}

TEST(IpHeader, Ipv6HopLimitHasNoChecksum) {
    std::vector<uint8_t> h(40, 0);
    h[0] = 0x60;
    ip_set_ttl(IpVersion::v6, h.data(), 17);
    EXPECT_EQ(h[7], 17);
}

TEST(IpHeader, ValidationRejectsWhatTheSpecRejects) {
    std::vector<uint8_t> h(40, 0);
    h[0] = 0x45;
    wr16(&h[2], 40);
    wr16(&h[10], full_checksum(std::vector<uint8_t>(h.begin(), h.begin() + 20)));
    EXPECT_TRUE(ip_valid(IpVersion::v4, h.data(), 40));
    EXPECT_FALSE(ip_valid(IpVersion::v4, h.data(), 39)) << "total length beyond the frame";
    h[5] ^= 1;
    EXPECT_FALSE(ip_valid(IpVersion::v4, h.data(), 40)) << "bad checksum";
    h[5] ^= 1;
    h[0] = 0x44;
    EXPECT_FALSE(ip_valid(IpVersion::v4, h.data(), 40)) << "IHL < 5";
    std::vector<uint8_t> v6(60, 0);
    v6[0] = 0x60;
    wr16(&v6[4], 20);
    EXPECT_TRUE(ip_valid(IpVersion::v6, v6.data(), 60));
    EXPECT_FALSE(ip_valid(IpVersion::v6, v6.data(), 59));
}

TEST(IpHeader, PrecedenceAndMulticast) {
    uint8_t v4[20] = {0x45, 0xb8};
    v4[16] = 239;
    EXPECT_EQ(ip_precedence(IpVersion::v4, v4), 5);
    EXPECT_TRUE(ip_is_multicast(IpVersion::v4, v4));
    uint8_t v6[40] = {0x6e, 0x00};
    v6[24] = 0xfe;
    EXPECT_EQ(ip_precedence(IpVersion::v6, v6), 7);
    EXPECT_FALSE(ip_is_multicast(IpVersion::v6, v6));
}

TEST(Policer, BurstThenRateTokensPerEpoch) {
    TokenBucket bucket;
    bucket.configure(3, 5);
    int admitted = 0;
    for (int i = 0; i < 10; ++i) admitted += bucket.admit(100);
    EXPECT_EQ(admitted, 5) << "a full bucket lets the burst through";
    EXPECT_FALSE(bucket.admit(65535)) << "no refill inside the epoch";
    admitted = 0;
    for (int i = 0; i < 10; ++i) admitted += bucket.admit(65536);
    EXPECT_EQ(admitted, 3) << "one epoch adds `rate` tokens";
    admitted = 0;
    for (int i = 0; i < 10; ++i) admitted += bucket.admit(65536ull * 100);
    EXPECT_EQ(admitted, 5) << "refill stops at the burst";
}

class LpmWalk : public ::testing::Test {
protected:
    LpmWalk() { init_tables(tables); }
    void slot(uint32_t level, uint32_t node, uint32_t s, bool child_valid, uint32_t child, bool route_valid, uint32_t route) {
        regs::Lpm4Entry e{};
        e.child_valid = child_valid;
        e.child = child;
        e.route_valid = route_valid;
        e.route = route;
        const auto w = e.pack();
        ASSERT_TRUE(write_table(tables, regs::TableId::lpm4, regs::lpm4_index(level, node, s), w.data()));
    }
    Tables tables;
};

TEST_F(LpmWalk, RemembersTheDeepestRouteOnThePath) {
    slot(0, 5, 10, true, 1, true, 100);   // VRF 5: 10/8 -> route 100, child node 1
    slot(1, 1, 2, true, 7, false, 0);     // 10.2/16: no route, child node 7
    slot(2, 7, 3, false, 0, true, 300);   // 10.2.3/24 -> route 300
    const uint8_t a[4] = {10, 2, 3, 4}, b[4] = {10, 2, 4, 4}, c[4] = {11, 0, 0, 0};
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4, 5, a), 300);
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4, 5, b), 100) << "falls back to the /8";
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4, 5, c), kNoRoute);
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4, 6, a), kNoRoute) << "another VRF sees nothing";
}

TEST_F(LpmWalk, OutOfRangeTableIndexIsRefused) {
    const uint32_t words[1] = {0};
    EXPECT_FALSE(write_table(tables, regs::TableId::lpm4, regs::lpm4_index(0, 256, 0), words)) << "level 0 has 256 nodes";
    EXPECT_FALSE(write_table(tables, regs::TableId::ilm, 1u << 20, words));
    EXPECT_TRUE(write_table(tables, regs::TableId::ilm, (1u << 20) - 1, words));
}

TEST(Kernel, RuntAndOversizeAreBadFrames) {
    Tables tables;
    init_tables(tables);
    KernelState state;
    init_state(state);
    std::vector<uint8_t> runt(59, 0), jumbo(9601, 0);
    EXPECT_EQ(forward_frame(tables, runt.data(), 59, 0, state.counters).reason, regs::Reason::bad_frame);
    EXPECT_EQ(forward_frame(tables, jumbo.data(), 9601, 0, state.counters).reason, regs::Reason::bad_frame);
}

TEST(Kernel, StreamInterfaceSplitsAndJoinsBeats) {
    Tables tables;
    init_tables(tables);
    KernelState state;
    init_state(state);
    hls::stream<AxisBeat> in, out;
    // An ARP frame of 130 bytes: 3 beats in, punted whole.
    std::vector<uint8_t> arp(130, 0xab);
    arp[12] = 0x08;
    arp[13] = 0x06;
    for (std::size_t pos = 0; pos < arp.size(); pos += 64) {
        AxisBeat beat;
        const std::size_t n = std::min<std::size_t>(64, arp.size() - pos);
        for (std::size_t i = 0; i < n; ++i) beat.data.set_byte(static_cast<int>(i), arp[pos + i]);
        beat.keep = n == 64 ? ~0ull : (1ull << n) - 1;
        beat.last = pos + n == arp.size();
        beat.user = 1;
        in.write(beat);
    }
    mplsec_fwd(in, out, tables, state);
    ASSERT_EQ(out.size(), 3u);
    std::vector<uint8_t> got;
    uint16_t user = 0;
    while (!out.empty()) {
        const AxisBeat beat = out.read();
        user = beat.user;
        for (int i = 0; i < 64; ++i)
            if ((beat.keep >> i) & 1) got.push_back(beat.data.byte(i));
    }
    EXPECT_EQ(got, arp);
    EXPECT_TRUE(out_user_punt(user));
    EXPECT_EQ(out_user_port(user), 1);
    EXPECT_EQ(out_user_reason(user), static_cast<uint8_t>(regs::Reason::punt_control));
    EXPECT_EQ(state.beat_clock, 3u);
}

}  // namespace
}  // namespace mplsec::hls_fwd
