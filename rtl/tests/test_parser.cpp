// Unit test of mplsec_parser (through tb_parser): Ethernet with 0-2 VLAN
// tags, label stacks up to and past 8 entries, IPv4/IPv6 header fields
// and validation, runt and oversize lengths.
#include <gtest/gtest.h>

#include <memory>

#include "Vtb_parser.h"
#include "rtl_test_util.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

constexpr int kLatency = 3;  // cycles from valid_i to valid_o

class ParserTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_parser>();
        t_->valid_i = 0;
        reset(*t_);
    }
    void parse(const Bytes& frame, uint32_t len = 0) {
        set_bytes(t_->hdr_i, frame, 192);
        t_->len_i = len ? len : static_cast<uint32_t>(frame.size());
        t_->valid_i = 1;
        tick(*t_);
        t_->valid_i = 0;
        for (int i = 0; i < kLatency - 1; ++i) tick(*t_);
        ASSERT_TRUE(t_->valid_o);
    }
    std::unique_ptr<Vtb_parser> t_;
};

Bytes v4(uint8_t ttl = 64, uint32_t dst = 0x0a000001, uint16_t total = 46) {
    return ipv4(0x01020304, dst, ttl, 6, 0xe0, total);
}

TEST_F(ParserTest, UntaggedIpv4) {
    parse(pad_to(cat(eth(1, 2, {}, 0x0800), v4(33, 0x0a0b0c0d)), 64));
    EXPECT_FALSE(t_->len_bad_o);
    EXPECT_EQ(t_->ethertype_o, 0x0800);
    EXPECT_EQ(t_->l2_len_o, 14);
    EXPECT_EQ(t_->ip_off_o, 14);
    EXPECT_FALSE(t_->ip_v6_o);
    EXPECT_TRUE(t_->ip_full_ok_o);
    EXPECT_EQ(t_->ip_ttl_o, 33);
    EXPECT_EQ(t_->ip_proto_o, 6);
    EXPECT_EQ(t_->ip_prec_o, 7);
    EXPECT_EQ(t_->ip_dst_o[0], 0x0a0b0c0du);
    EXPECT_FALSE(t_->ip_mcast_o);
    EXPECT_EQ(t_->ip_len_o, 46);
    EXPECT_EQ(t_->ip_dscp_o, 0xe0);
}

TEST_F(ParserTest, DscpDropsEcnAndLengthIsTheIpLength) {
    parse(pad_to(cat(eth(1, 2, {}, 0x0800), ipv4(0x01020304, 0x0a000001, 64, 6, 0x2b, 46)), 80));
    EXPECT_EQ(t_->ip_dscp_o, 0x28);
    EXPECT_EQ(t_->ip_len_o, 46) << "Ethernet padding is not part of the IP packet";
    std::array<uint8_t, 16> dst{};
    dst[0] = 0x20;
    parse(cat(eth(1, 2, {}, 0x86DD), ipv6(dst, 9, 17, 0x4f, 30)));
    EXPECT_EQ(t_->ip_dscp_o, 0x4c);
    EXPECT_EQ(t_->ip_len_o, 70);
}

// ESP for the card: SPI, sequence number and IV after the IP header
// (options skipped), after UDP 4500 when its marker is not zero and lies
// inside the packet; the fragment bits.
TEST_F(ParserTest, EspFieldsBehindTheOuterHeader) {
    auto esp_at = [](Bytes ip, std::size_t off) {
        const uint8_t esp[16] = {0x11, 0x22, 0x33, 0x44, 0, 0, 0, 5, 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7};
        for (std::size_t i = 0; i < 16; ++i) ip[off + i] = esp[i];
        return ip;
    };
    Bytes ip = esp_at(ipv4(0x01020304, 0x0a000001, 64, 50, 0, 100), 20);
    parse(cat(cat(eth(1, 2, {}, 0x8847), Bytes{0x00, 0x10, 0x01, 0x40}), ip));
    EXPECT_FALSE(t_->esp_udp_o);
    EXPECT_FALSE(t_->ip_frag_o) << "DF alone is not a fragment";
    EXPECT_EQ(t_->esp_off_o, 14 + 4 + 20);
    EXPECT_EQ(t_->esp_len_o, 80);
    EXPECT_EQ(t_->esp_spi_o, 0x11223344u);
    EXPECT_EQ(t_->esp_seq_lo_o, 5u);
    EXPECT_EQ(t_->esp_iv_o, 0xa0a1a2a3a4a5a6a7ull);

    // UDP 4500, marker not zero: ESP starts after the UDP header.
    Bytes udp = ipv4(0x01020304, 0x0a000001, 64, 17, 0, 100);
    udp[22] = 0x11;  // destination port 4500
    udp[23] = 0x94;
    udp = esp_at(udp, 28);
    parse(cat(eth(1, 2, {}, 0x0800), udp));
    EXPECT_TRUE(t_->esp_udp_o);
    EXPECT_EQ(t_->esp_off_o, 14 + 28);
    EXPECT_EQ(t_->esp_len_o, 72);
    EXPECT_EQ(t_->esp_spi_o, 0x11223344u);
    // The zero non-ESP marker, another port, or a marker past the packet.
    Bytes zero = udp;
    zero[28] = zero[29] = zero[30] = zero[31] = 0;
    parse(cat(eth(1, 2, {}, 0x0800), zero));
    EXPECT_FALSE(t_->esp_udp_o);
    Bytes other = udp;
    other[23] = 0x95;
    parse(cat(eth(1, 2, {}, 0x0800), other));
    EXPECT_FALSE(t_->esp_udp_o);
    Bytes keepalive = ipv4(0x01020304, 0x0a000001, 64, 17, 0, 29);
    keepalive[22] = 0x11;
    keepalive[23] = 0x94;
    keepalive[28] = 0xff;
    parse(pad_to(cat(cat(eth(1, 2, {}, 0x0800), keepalive), Bytes{1, 2, 3, 4}), 64));
    EXPECT_FALSE(t_->esp_udp_o) << "the marker must lie inside the packet";

    // More fragments, or an offset: a fragment.
    Bytes frag = ip;
    frag[6] = 0x20;
    parse(cat(eth(1, 2, {}, 0x0800), frag));
    EXPECT_TRUE(t_->ip_frag_o);
    frag[6] = 0x00;
    frag[7] = 0x01;
    parse(cat(eth(1, 2, {}, 0x0800), frag));
    EXPECT_TRUE(t_->ip_frag_o);
}

TEST_F(ParserTest, Ipv4Validation) {
    Bytes f = pad_to(cat(eth(1, 2, {}, 0x0800), v4()), 64);
    f[14 + 11] ^= 1;  // checksum
    parse(f);
    EXPECT_FALSE(t_->ip_full_ok_o);
    f = cat(eth(1, 2, {}, 0x0800), v4(64, 0x0a000001, 100));
    parse(f, 14 + 99);  // total_length past the frame
    EXPECT_FALSE(t_->ip_full_ok_o);
    // IHL 6 with a correct checksum over the option word.
    Bytes ip = v4(64, 0xe0000001, 60);
    ip[0] = 0x46;
    ip[10] = ip[11] = 0;
    const uint16_t c = static_cast<uint16_t>(~ones_sum(ip.data(), 24));
    ip[10] = static_cast<uint8_t>(c >> 8);
    ip[11] = static_cast<uint8_t>(c);
    parse(cat(eth(1, 2, {}, 0x0800), ip));
    EXPECT_TRUE(t_->ip_full_ok_o);
    EXPECT_TRUE(t_->ip_mcast_o);
    // Wrong version under ethertype 0x0800.
    ip = v4();
    ip[0] = 0x65;
    parse(pad_to(cat(eth(1, 2, {}, 0x0800), ip), 64));
    EXPECT_FALSE(t_->ip_full_ok_o);
}

TEST_F(ParserTest, VlanTagsAndIpv6) {
    std::array<uint8_t, 16> dst{};
    dst[0] = 0xff;
    dst[15] = 7;
    parse(cat(eth(1, 2, {100}, 0x86DD), ipv6(dst, 9, 58, 0xa0, 20)));
    EXPECT_EQ(t_->ethertype_o, 0x86DD);
    EXPECT_EQ(t_->l2_len_o, 18);
    EXPECT_TRUE(t_->ip_v6_o);
    EXPECT_TRUE(t_->ip_full_ok_o);
    EXPECT_EQ(t_->ip_ttl_o, 9);
    EXPECT_EQ(t_->ip_proto_o, 58);
    EXPECT_EQ(t_->ip_prec_o, 5);
    EXPECT_TRUE(t_->ip_mcast_o);
    EXPECT_EQ(t_->ip_dst_o[3], 0xff000000u);
    EXPECT_EQ(t_->ip_dst_o[0], 7u);
    // 0x88A8 + 0x8100, then a third tag is the ethertype.
    Bytes f = eth(1, 2, {1, 2}, 0x8100);
    f[12] = 0x88;
    f[13] = 0xa8;
    parse(pad_to(f, 60));
    EXPECT_EQ(t_->l2_len_o, 22);
    EXPECT_EQ(t_->ethertype_o, 0x8100);
}

TEST_F(ParserTest, LabelStacks) {
    for (unsigned depth = 1; depth <= 9; ++depth) {
        for (unsigned vlans = 0; vlans <= 2; ++vlans) {
            std::vector<uint32_t> st;
            for (unsigned i = 0; i < depth; ++i) st.push_back(lse(1000 + i, i & 7, i + 1 == depth, 200 - i));
            Bytes f = pad_to(cat(cat(eth(1, 2, std::vector<uint16_t>(vlans, 3), 0x8847), labels(st)), v4()), 128);
            parse(f);
            const unsigned l2 = 14 + 4 * vlans;
            EXPECT_EQ(t_->ethertype_o, 0x8847);
            EXPECT_EQ(t_->l2_len_o, l2);
            EXPECT_EQ(t_->lse0_o, st[0]);
            if (depth > 1) {
                EXPECT_EQ(t_->lse1_o, st[1]);
            }
            EXPECT_FALSE(t_->stk_trunc_o);
            EXPECT_EQ(t_->stk_deep_o, depth > 8) << depth;
            if (depth <= 8) {
                EXPECT_EQ(t_->ip_off_o, l2 + 4 * depth);
                EXPECT_TRUE(t_->ip_fam_ok_o);
                EXPECT_TRUE(t_->ip_min_ok_o);
                EXPECT_TRUE(t_->ip_full_ok_o);
                EXPECT_EQ(t_->ip_ttl_o, 64);
            }
        }
    }
}

TEST_F(ParserTest, PayloadFamilyUnderLabels) {
    std::array<uint8_t, 16> dst{};
    // Explicit null 2 expects IPv6 whatever the nibble says.
    parse(pad_to(cat(cat(eth(1, 2, {}, 0x8847), labels({lse(2, 0, true, 5)})), v4()), 80));
    EXPECT_TRUE(t_->ip_v6_o);
    EXPECT_FALSE(t_->ip_full_ok_o);
    // Otherwise the nibble decides (PHP).
    parse(cat(cat(eth(1, 2, {}, 0x8847), labels({lse(99, 0, true, 5)})), ipv6(dst, 3, 17, 0, 10)));
    EXPECT_TRUE(t_->ip_v6_o);
    EXPECT_TRUE(t_->ip_fam_ok_o);
    EXPECT_TRUE(t_->ip_min_ok_o);
    Bytes bad = pad_to(cat(eth(1, 2, {}, 0x8847), labels({lse(99, 0, true, 5)})), 60);
    bad[18] = 0x50;
    parse(bad);
    EXPECT_FALSE(t_->ip_fam_ok_o);
    // An IPv4 header that does not fit: two tags, eight labels, 60 bytes.
    std::vector<uint32_t> st;
    for (unsigned k = 0; k < 8; ++k) st.push_back(lse(99, 0, k == 7, 5));
    parse(pad_to(cat(cat(eth(1, 2, {1, 2}, 0x8847), labels(st)), v4()), 60), 60);
    EXPECT_EQ(t_->ip_off_o, 54);
    EXPECT_FALSE(t_->ip_min_ok_o);
}

TEST_F(ParserTest, Lengths) {
    const Bytes f = pad_to(cat(eth(1, 2, {}, 0x0800), v4()), 192);
    parse(f, 59);
    EXPECT_TRUE(t_->len_bad_o);
    parse(f, 60);
    EXPECT_FALSE(t_->len_bad_o);
    parse(f, 9600);
    EXPECT_FALSE(t_->len_bad_o);
    parse(f, 9601);
    EXPECT_TRUE(t_->len_bad_o);
}

TEST_F(ParserTest, BackToBack) {
    // A different frame every cycle: results come out in order, kLatency cycles later.
    std::vector<Bytes> frames;
    for (unsigned i = 0; i < 10; ++i)
        frames.push_back(pad_to(cat(cat(eth(1, 2, {}, 0x8847), labels({lse(16 + i, 0, true, i)})), v4()), 64));
    std::vector<uint32_t> seen;
    for (std::size_t c = 0; c < frames.size() + kLatency; ++c) {
        if (c < frames.size()) {
            set_bytes(t_->hdr_i, frames[c], 192);
            t_->len_i = 64;
            t_->valid_i = 1;
        } else {
            t_->valid_i = 0;
        }
        tick(*t_);
        if (t_->valid_o) seen.push_back(t_->lse0_o >> 12);
    }
    ASSERT_EQ(seen.size(), frames.size());
    for (unsigned i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 16 + i);
}

}  // namespace
}  // namespace mplsec::rtltest
