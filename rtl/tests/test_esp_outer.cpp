// Unit test of mplsec_esp_outer: the outer header, ESP header, IV,
// trailer, lengths, nonce and AAD of random outbound SAs (IPv4 and IPv6
// outers, UDP encapsulation, ESN) against a byte-level construction from
// docs/datapath.md step 4.1, and the IPv4 checksum verified on its own.
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <vector>

#include "Vmplsec_esp_outer.h"
#include "mplsec/regs.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

struct Case {
    regs::SaEntry sa;
    regs::SaTunnelEntry tun;
    uint64_t seq = 0;
    uint16_t inner_len = 0;
    uint8_t dscp = 0;
    bool inner_v6 = false;
};

struct Want {
    std::vector<uint8_t> hdr, trailer;
    uint16_t text_len = 0, outer_len = 0;
};

void put16(std::vector<uint8_t>& v, uint32_t x) {
    v.push_back(static_cast<uint8_t>(x >> 8));
    v.push_back(static_cast<uint8_t>(x));
}
void put32(std::vector<uint8_t>& v, uint32_t x) {
    put16(v, x >> 16);
    put16(v, x & 0xffff);
}
// Address field: first byte in the most significant bits of the used part.
void put_addr(std::vector<uint8_t>& v, const std::array<uint32_t, 4>& a, bool v6) {
    if (!v6) return put32(v, a[0]);
    for (int w = 3; w >= 0; --w) put32(v, a[w]);
}

Want expected(const Case& c) {
    Want w;
    const bool udp = c.sa.encap_udp && !c.sa.outer_v6;
    const unsigned pad = (4 - (c.inner_len + 2) % 4) % 4;
    w.text_len = static_cast<uint16_t>(c.inner_len + pad + 2);
    const unsigned esp_len = 16 + w.text_len + 16;
    const unsigned after_ip = esp_len + (udp ? 8 : 0);
    if (c.sa.outer_v6) {
        w.hdr = {static_cast<uint8_t>(0x60 | c.dscp >> 4), static_cast<uint8_t>(c.dscp << 4), 0, 0};
        put16(w.hdr, after_ip);
        w.hdr.push_back(50);
        w.hdr.push_back(64);
        put_addr(w.hdr, c.tun.src, true);
        put_addr(w.hdr, c.tun.dst, true);
    } else {
        w.hdr = {0x45, c.dscp};
        put16(w.hdr, 20 + after_ip);
        put16(w.hdr, c.seq & 0xffff);
        put16(w.hdr, 0);
        w.hdr.push_back(64);
        w.hdr.push_back(udp ? 17 : 50);
        put16(w.hdr, 0);
        put_addr(w.hdr, c.tun.src, false);
        put_addr(w.hdr, c.tun.dst, false);
        uint32_t sum = 0;
        for (int i = 0; i < 20; i += 2) sum += w.hdr[i] << 8 | w.hdr[i + 1];
        while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
        w.hdr[10] = static_cast<uint8_t>(~sum >> 8);
        w.hdr[11] = static_cast<uint8_t>(~sum);
    }
    if (udp) {
        put16(w.hdr, static_cast<uint32_t>(c.tun.udp_sport));
        put16(w.hdr, static_cast<uint32_t>(c.tun.udp_dport));
        put16(w.hdr, 8 + esp_len);
        put16(w.hdr, 0);
    }
    put32(w.hdr, static_cast<uint32_t>(c.sa.spi));
    put32(w.hdr, static_cast<uint32_t>(c.seq));
    put32(w.hdr, static_cast<uint32_t>(c.seq >> 32));
    put32(w.hdr, static_cast<uint32_t>(c.seq));
    w.outer_len = static_cast<uint16_t>(w.hdr.size() - 16 + esp_len);
    for (unsigned i = 1; i <= pad; ++i) w.trailer.push_back(static_cast<uint8_t>(i));
    w.trailer.push_back(static_cast<uint8_t>(pad));
    w.trailer.push_back(c.inner_v6 ? 41 : 4);
    return w;
}

template <typename Wide, std::size_t N>
void set_words(Wide& w, const std::array<uint32_t, N>& words) {
    for (std::size_t i = 0; i < N; ++i) w[i] = words[i];
}

template <typename Wide>
uint64_t get64(const Wide& w, unsigned word) {
    return uint64_t{w[word]} | uint64_t{w[word + 1]} << 32;
}

TEST(EspOuterTest, RandomSasMatchTheWireFormat) {
    auto t = std::make_unique<Vmplsec_esp_outer>();
    t->valid_i = 0;
    reset(*t);
    std::mt19937_64 rng(17);
    int v4 = 0, v6 = 0, udp = 0;
    for (int n = 0; n < 3000; ++n) {
        Case c;
        c.sa.valid = 1;
        c.sa.outer_v6 = rng() % 2;
        c.sa.encap_udp = rng() % 2;
        c.sa.esn = rng() % 2;
        c.sa.spi = static_cast<uint32_t>(rng());
        c.sa.salt = static_cast<uint32_t>(rng());
        for (auto& k : c.sa.key) k = static_cast<uint32_t>(rng());
        for (auto& a : c.tun.src) a = static_cast<uint32_t>(rng());
        for (auto& a : c.tun.dst) a = static_cast<uint32_t>(rng());
        c.tun.udp_sport = rng() % 65536;
        c.tun.udp_dport = rng() % 65536;
        c.seq = rng() % 4 == 0 ? rng() : 1 + rng() % 100000;
        c.inner_len = static_cast<uint16_t>(20 + rng() % 9500);
        c.dscp = static_cast<uint8_t>(rng() & 0xfc);
        c.inner_v6 = rng() % 2;

        set_words(t->sa_i, c.sa.pack());
        set_words(t->tunnel_i, c.tun.pack());
        t->seq_i = c.seq;
        t->inner_len_i = c.inner_len;
        t->dscp_i = c.dscp;
        t->inner_v6_i = c.inner_v6;
        t->valid_i = 1;
        tick(*t);
        t->valid_i = 0;
        ASSERT_TRUE(t->valid_o);

        const Want w = expected(c);
        ASSERT_EQ(t->hdr_len_o, w.hdr.size());
        for (std::size_t i = 0; i < w.hdr.size(); ++i)
            ASSERT_EQ(get_byte(t->hdr_o, i), w.hdr[i]) << "case " << n << " header byte " << i;
        ASSERT_EQ(t->trailer_len_o, w.trailer.size());
        for (std::size_t i = 0; i < w.trailer.size(); ++i)
            ASSERT_EQ(static_cast<uint8_t>(t->trailer_o >> (8 * i)), w.trailer[i]) << "trailer byte " << i;
        ASSERT_EQ(t->text_len_o, w.text_len);
        ASSERT_EQ(t->outer_len_o, w.outer_len);
        ASSERT_EQ((c.inner_len + w.trailer.size()) % 4, 0u);

        // Nonce = salt || IV; AAD = SPI || [seq_hi ||] seq_lo, first byte high.
        EXPECT_EQ(get64(t->nonce_o, 0), c.seq);
        EXPECT_EQ(t->nonce_o[2], static_cast<uint32_t>(c.sa.salt));
        EXPECT_EQ(t->aad_o[2], static_cast<uint32_t>(c.sa.spi));
        EXPECT_EQ(t->aad12_o, c.sa.esn);
        if (c.sa.esn) EXPECT_EQ(get64(t->aad_o, 0), c.seq);
        else EXPECT_EQ(get64(t->aad_o, 0), (c.seq & 0xffffffffu) << 32);

        // An IPv4 header checks out by itself: the one's-complement sum is 0xffff.
        if (!c.sa.outer_v6) {
            uint32_t sum = 0;
            for (int i = 0; i < 20; i += 2) sum += get_byte(t->hdr_o, i) << 8 | get_byte(t->hdr_o, i + 1);
            while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
            EXPECT_EQ(sum, 0xffffu);
        }
        (c.sa.outer_v6 ? v6 : v4) += 1;
        udp += c.sa.encap_udp && !c.sa.outer_v6;
    }
    EXPECT_GT(v4, 1000);
    EXPECT_GT(v6, 1000);
    EXPECT_GT(udp, 500);
}

}  // namespace
}  // namespace mplsec::rtltest
