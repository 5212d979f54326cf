// Unit tests of the HLS kernel's functions, one group per function.
#include <gtest/gtest.h>

#include <random>

#include "esp_stage.hpp"
#include "forward.hpp"
#include "fwd_kernel.hpp"
#include "ip_header.hpp"
#include "lpm.hpp"
#include "packet_path.hpp"
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
    LpmWalk() {
        init_tables(tables);
        init_state(state);
    }
    void slot(uint32_t level, uint32_t node, uint32_t s, bool child_valid, uint32_t child, bool route_valid, uint32_t route) {
        regs::Lpm4Entry e{};
        e.child_valid = child_valid;
        e.child = child;
        e.route_valid = route_valid;
        e.route = route;
        const auto w = e.pack();
        ASSERT_TRUE(write_table(tables, state, regs::TableId::lpm4, regs::lpm4_index(level, node, s), w.data()));
    }
    Tables tables;
    KernelState state;
};

TEST_F(LpmWalk, RemembersTheDeepestRouteOnThePath) {
    slot(0, 5, 10, true, 1, true, 100);   // VRF 5: 10/8 -> route 100, child node 1
    slot(1, 1, 2, true, 7, false, 0);     // 10.2/16: no route, child node 7
    slot(2, 7, 3, false, 0, true, 300);   // 10.2.3/24 -> route 300
    const uint8_t a[4] = {10, 2, 3, 4}, b[4] = {10, 2, 4, 4}, c[4] = {11, 0, 0, 0};
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4.data(), 5, a), 300);
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4.data(), 5, b), 100) << "falls back to the /8";
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4.data(), 5, c), kNoRoute);
    EXPECT_EQ(lpm_lookup<regs::Lpm4Entry>(tables.lpm4.data(), 6, a), kNoRoute) << "another VRF sees nothing";
}

TEST_F(LpmWalk, OutOfRangeTableIndexIsRefused) {
    const uint32_t words[1] = {0};
    EXPECT_FALSE(write_table(tables, state, regs::TableId::lpm4, regs::lpm4_index(0, 256, 0), words)) << "level 0 has 256 nodes";
    EXPECT_FALSE(write_table(tables, state, regs::TableId::ilm, 1u << 20, words));
    EXPECT_TRUE(write_table(tables, state, regs::TableId::ilm, (1u << 20) - 1, words));
}

// --- Stage tests -------------------------------------------------------------

std::vector<AxisBeat> to_beats(const std::vector<uint8_t>& frame, uint16_t user) {
    std::vector<AxisBeat> beats;
    for (std::size_t pos = 0; pos < frame.size(); pos += 64) {
        AxisBeat beat;
        const std::size_t n = std::min<std::size_t>(64, frame.size() - pos);
        for (std::size_t i = 0; i < n; ++i) beat.data.set_byte(static_cast<int>(i), frame[pos + i]);
        beat.keep = keep_mask(static_cast<int>(n));
        beat.last = pos + n == frame.size();
        beat.user = user;
        beats.push_back(beat);
    }
    return beats;
}

std::vector<uint8_t> from_beats(hls::stream<AxisBeat>& out, uint16_t* user = nullptr) {
    std::vector<uint8_t> bytes;
    while (!out.empty()) {
        const AxisBeat beat = out.read();
        if (user) *user = beat.user;
        for (int i = 0; i < 64; ++i)
            if ((beat.keep >> i) & 1) bytes.push_back(beat.data.byte(i));
            else EXPECT_EQ(beat.data.byte(i), 0) << "bytes past tkeep are zero";
        if (beat.last) break;
    }
    return bytes;
}

std::vector<uint8_t> random_bytes(std::mt19937& rng, std::size_t n) {
    std::vector<uint8_t> v(n);
    for (auto& b : v) b = static_cast<uint8_t>(rng());
    return v;
}

TEST(Ingress, StoresTheFrameZeroesPastKeepAndCapturesTheHeader) {
    std::mt19937 rng(2);
    const auto frame = random_bytes(rng, 130);
    hls::stream<AxisBeat> in;
    for (AxisBeat beat : to_beats(frame, 2)) {
        if (beat.last) beat.data.set_byte(63, 0x5a);  // junk past tkeep
        in.write(beat);
    }
    Beat buf[kBufBeats];
    hls::stream<HeaderDesc> heads;
    uint64_t clock = 1000;
    ingress(in, buf, heads, &clock);
    EXPECT_TRUE(in.empty());
    EXPECT_EQ(clock, 1003u);
    const HeaderDesc desc = heads.read();
    EXPECT_EQ(desc.length, 130u);
    EXPECT_EQ(desc.port, 2);
    EXPECT_EQ(desc.arrival, 1000u);
    for (std::size_t i = 0; i < frame.size(); ++i) EXPECT_EQ(buf[i / 64].byte(static_cast<int>(i % 64)), frame[i]);
    EXPECT_EQ(buf[2].byte(63), 0) << "junk past tkeep is not stored";
    for (int i = 0; i < kHeadBytes; ++i) EXPECT_EQ(desc.head[i / 64].byte(i % 64), frame[static_cast<std::size_t>(i)]);
}

TEST(Ingress, OversizeFrameIsConsumedButNotStoredPastTheBuffer) {
    hls::stream<AxisBeat> in;
    const std::vector<uint8_t> frame(64 * 160, 0x11);
    for (const AxisBeat& beat : to_beats(frame, 0)) in.write(beat);
    Beat buf[kBufBeats];
    hls::stream<HeaderDesc> heads;
    uint64_t clock = 0;
    ingress(in, buf, heads, &clock);
    EXPECT_TRUE(in.empty()) << "every beat consumed";
    EXPECT_EQ(clock, 160u);
    EXPECT_EQ(heads.read().length, 64u * 160);
}

TEST(Egress, FunnelTakesSixtyFourBytesAtAnOffset) {
    Beat lo, hi;
    for (int i = 0; i < 64; ++i) {
        lo.set_byte(i, static_cast<uint8_t>(i));
        hi.set_byte(i, static_cast<uint8_t>(64 + i));
    }
    for (int off : {0, 1, 13, 63}) {
        const Beat got = funnel(lo, hi, off);
        for (int i = 0; i < 64; ++i) EXPECT_EQ(got.byte(i), off + i) << "off " << off << " byte " << i;
    }
}

// The realignment against the byte-level definition: new header, then the
// original from `skip`, padded to 60.
TEST(Egress, RealignsThePayloadBehindAnyHeaderAndPads) {
    std::mt19937 rng(3);
    for (int trial = 0; trial < 2000; ++trial) {
        const auto length = static_cast<uint32_t>(60 + rng() % 700);
        const auto frame = random_bytes(rng, length);
        Beat buf[kOutBufBeats];
        const auto beats = to_beats(frame, 0);
        for (std::size_t i = 0; i < beats.size(); ++i) buf[i] = beats[i].data;
        RewriteDesc r;
        r.action = Action::forward;
        r.length = length;
        r.head_len = static_cast<uint8_t>(rng() % 65);
        r.skip = static_cast<uint8_t>(rng() % 60);
        r.user = pack_out_user(false, 3, 0);
        std::vector<uint8_t> expected = random_bytes(rng, r.head_len);
        for (int i = 0; i < r.head_len; ++i) r.head.set_byte(i, expected[static_cast<std::size_t>(i)]);
        expected.insert(expected.end(), frame.begin() + r.skip, frame.end());
        if (expected.size() < 60) expected.resize(60, 0);

        hls::stream<RewriteDesc> rewrites;
        rewrites.write(r);
        hls::stream<AxisBeat> out;
        egress(rewrites, buf, out);
        uint16_t user = 0;
        ASSERT_EQ(from_beats(out, &user), expected) << "head " << int{r.head_len} << " skip " << int{r.skip};
        EXPECT_TRUE(out.empty());
        EXPECT_EQ(user, r.user);
    }
}

TEST(Egress, DropSendsNothing) {
    Beat buf[kOutBufBeats];
    hls::stream<RewriteDesc> rewrites;
    RewriteDesc r;
    r.action = Action::drop;
    r.length = 100;
    rewrites.write(r);
    hls::stream<AxisBeat> out;
    egress(rewrites, buf, out);
    EXPECT_TRUE(out.empty());
}

class Decide : public ::testing::Test {
protected:
    Decide() {
        init_tables(tables);
        init_state(state);
        t = table_refs(tables);
        c = counter_refs(state.counters);
    }
    FrameHead head_of(const std::vector<uint8_t>& frame, uint8_t port) {
        FrameHead f{};
        for (std::size_t i = 0; i < frame.size() && i < sizeof f.h; ++i) f.h[i] = frame[i];
        f.len = static_cast<uint32_t>(frame.size());
        f.port = port;
        return f;
    }
    // An MPLS frame: top label `label` (TTL 64, S=1), an IPv4 header.
    static std::vector<uint8_t> mpls_frame(uint32_t label) {
        std::vector<uint8_t> f(100, 0);
        f[12] = 0x88;
        f[13] = 0x47;
        const uint32_t lse = label << 12 | 1u << 8 | 64;
        for (int i = 0; i < 4; ++i) f[14 + static_cast<std::size_t>(i)] = static_cast<uint8_t>(lse >> (24 - 8 * i));
        f[18] = 0x45;
        return f;
    }
    void swap_label(uint32_t label, uint32_t out_label, uint32_t nexthop) {
        regs::IlmEntry ilm{};
        ilm.valid = 1;
        ilm.port_mask = 0xf;
        ilm.nhlfe = 9;
        ASSERT_TRUE(write_table(tables, state, regs::TableId::ilm, label, ilm.pack().data()));
        regs::NhlfeEntry n{};
        n.op = static_cast<uint8_t>(regs::NhlfeOp::swap);
        n.n_labels = 1;
        n.label0 = out_label;
        n.nexthop = nexthop;
        ASSERT_TRUE(write_table(tables, state, regs::TableId::nhlfe, 9, n.pack().data()));
    }
    void nexthop(uint32_t index, uint8_t port, bool vlan, uint32_t mtu) {
        regs::NexthopEntry nh{};
        nh.valid = 1;
        nh.port = port;
        nh.dmac = 0x0a0b0c0d0e0f;
        nh.vlan_valid = vlan;
        nh.vlan = 0x123;
        ASSERT_TRUE(write_table(tables, state, regs::TableId::nexthop, index, nh.pack().data()));
        regs::PortEntry p{};
        p.mac = 0x020000000001;
        p.mtu = mtu;
        ASSERT_TRUE(write_table(tables, state, regs::TableId::port, port, p.pack().data()));
    }
    Tables tables;
    KernelState state;
    TableRefs t{};
    CounterRefs c{};
};

TEST_F(Decide, RuntAndOversizeAreBadFrames) {
    FrameHead runt = head_of(std::vector<uint8_t>(59, 0), 0);
    FrameHead jumbo = head_of(std::vector<uint8_t>(64, 0), 0);
    jumbo.len = 9601;
    EXPECT_EQ(forward_decision(t, runt, c).reason, regs::Reason::bad_frame);
    EXPECT_EQ(forward_decision(t, jumbo, c).reason, regs::Reason::bad_frame);
}

TEST_F(Decide, SwapReplacesTheTopLabelAndCountsTheNhlfe) {
    swap_label(100, 200, 5);
    FrameHead f = head_of(mpls_frame(100), 1);
    const Decision d = forward_decision(t, f, c);
    ASSERT_EQ(d.action, Action::forward);
    EXPECT_EQ(d.nexthop, 5u);
    EXPECT_EQ(d.n_push, 1);
    EXPECT_EQ(d.push[0], 200u << 12 | 1u << 8 | 63) << "S from the old top, TTL - 1";
    EXPECT_EQ(d.l3_off, 18u);
    EXPECT_EQ(state.counters.nhlfe[9].packets, 1u);
}

TEST_F(Decide, RewriteBuildsTheEthernetHeaderAndChecksTheMtu) {
    nexthop(5, 2, true, 1500);
    swap_label(100, 200, 5);
    FrameHead f = head_of(mpls_frame(100), 1);
    const RewriteDesc r = rewrite(t, forward_decision(t, f, c), f);
    ASSERT_EQ(r.action, Action::forward);
    EXPECT_EQ(r.head_len, 22) << "MACs, 802.1Q tag, ethertype, one label";
    EXPECT_EQ(r.skip, 18) << "the old top label goes";
    const uint8_t want[22] = {0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x02, 0, 0, 0, 0, 1, 0x81, 0x00, 0x01, 0x23,
                              0x88, 0x47, 0x00, 0x0c, 0x81, 63};
    for (int i = 0; i < 22; ++i) EXPECT_EQ(r.head.byte(i), want[i]) << "byte " << i;
    EXPECT_EQ(out_user_port(r.user), 2);

    nexthop(5, 2, true, 85);  // 4 label bytes + 82 bytes after the old top
    EXPECT_EQ(rewrite(t, forward_decision(t, f, c), f).reason, static_cast<uint8_t>(regs::Reason::mtu_exceeded));
    regs::NexthopEntry invalid{};
    ASSERT_TRUE(write_table(tables, state, regs::TableId::nexthop, 5, invalid.pack().data()));
    const RewriteDesc gone = rewrite(t, forward_decision(t, f, c), f);
    EXPECT_EQ(gone.action, Action::drop);
    EXPECT_EQ(gone.reason, static_cast<uint8_t>(regs::Reason::no_route));
}

TEST_F(Decide, StageCountsAndPolicesPunts) {
    state.policers[0].configure(0, 1);  // punt_control: one token, no refill
    std::vector<uint8_t> arp(64, 0);
    arp[12] = 0x08;
    arp[13] = 0x06;
    hls::stream<HeaderDesc> heads;
    hls::stream<FrameVerdict> verdicts;
    hls::stream<RewriteDesc> rewrites;
    Beat in[kBufBeats], out[kOutBufBeats];
    const EspContext esp{t, c, state.sa_state.data(), EventRing{state.event_ring.data(), &state.events_written}};
    for (int i = 0; i < 2; ++i) {
        HeaderDesc desc;
        for (int b = 0; b < 64; ++b) desc.head[0].set_byte(b, arp[static_cast<std::size_t>(b)]);
        desc.length = 64;
        desc.port = 3;
        heads.write(desc);
        decide(heads, t, c, state.policers.data(), verdicts);
        esp_stage(verdicts, in, esp, rewrites, out);  // counts the outcome
    }
    const RewriteDesc first = rewrites.read(), second = rewrites.read();
    EXPECT_EQ(first.action, Action::punt);
    EXPECT_EQ(first.user, pack_out_user(true, 3, static_cast<uint8_t>(regs::Reason::punt_control)));
    EXPECT_EQ(second.action, Action::drop);
    EXPECT_EQ(second.reason, static_cast<uint8_t>(regs::Reason::punt_policed));
    EXPECT_EQ(state.counters.port_rx[3].packets, 2u);
    EXPECT_EQ(state.counters.reason[static_cast<uint8_t>(regs::Reason::punt_control)].packets, 1u);
    EXPECT_EQ(state.counters.reason[static_cast<uint8_t>(regs::Reason::punt_policed)].bytes, 64u);
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
