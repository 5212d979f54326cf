// The ESP stage (docs/datapath.md step 4, "ESP", "Notes on ESP") on every
// engine that has it: two cards, PE1 encrypting customer traffic and PE2
// decrypting it, plus packets built by an independent encoder (OpenSSL,
// support/esp_reference.hpp) for what a correct PE1 never sends.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "support/card_harness.hpp"
#include "mplsec/spi_hash.hpp"
#include "support/esp_reference.hpp"

namespace mplsec::test {
namespace {

using regs::Reason;

constexpr const char* kKey256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kKey128 = "f0e0d0c0b0a090807060504030201000";

// PE1: customers on port 0 (VRF blue), the core on port 1. One outbound SA
// per outer shape; from-pe2 decrypts what PE2 sends back.
const char* const kPe1 = R"(
device: model
ports:
  - {id: 0, mac: "02:00:00:00:01:00", vrf: blue}
  - {id: 1, mac: "02:00:00:00:01:01", mtu: 1500}
addresses: ["192.0.2.1", "2001:db8::1"]
nexthops:
  - {name: core, port: 1, mac: "02:00:00:00:02:01"}
  - {name: ce1, port: 0, mac: "02:00:00:00:03:01"}
ilm:
  - {label: 24000, action: pop-lookup, vrf: blue, ports: [1]}
vrfs:
  - name: blue
    require_esp: true
    routes:
      - {prefix: "10.1.0.0/16", nexthop: ce1}
      - {prefix: "10.2.0.0/16", nexthop: core, push: [24001], sa: to-pe2}
      - {prefix: "10.3.0.0/16", nexthop: core, push: [24001], sa: to-pe2-v6}
      - {prefix: "10.4.0.0/16", nexthop: core, push: [24001], sa: to-pe2-udp}
      - {prefix: "10.5.0.0/16", nexthop: core, sa: to-pe2-128}
      - {prefix: "10.6.0.0/16", nexthop: core, push: [24001], sa: to-pe2-short, ttl: pipe}
      - {prefix: "10.7.0.0/16", nexthop: core, push: [24001], sa: to-pe2-life}
      - {prefix: "10.8.0.0/16", nexthop: core, push: [24001], sa: to-pe2}
      - {prefix: "2001:db8:2::/48", nexthop: core, push: [24001], sa: to-pe2}
sas:
  - {name: to-pe2, dir: out, spi: 0x1001, cipher: aes-256-gcm, key: "KEY256", salt: "01020304",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
  - {name: to-pe2-v6, dir: out, spi: 0x1002, cipher: aes-256-gcm, key: "KEY256", salt: "05060708",
     tunnel: {src: "2001:db8::1", dst: "2001:db8::2"}}
  - {name: to-pe2-udp, dir: out, spi: 0x1003, cipher: aes-256-gcm, key: "KEY256", salt: "090a0b0c",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, encap: udp}
  - {name: to-pe2-128, dir: out, spi: 0x1004, cipher: aes-128-gcm, key: "KEY128", salt: "0d0e0f10",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
  - {name: to-pe2-short, dir: out, spi: 0x1005, cipher: aes-256-gcm, key: "KEY256", salt: "11121314",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, esn: false}
  - {name: to-pe2-life, dir: out, spi: 0x1006, cipher: aes-256-gcm, key: "KEY256", salt: "15161718",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, lifetime: {soft_packets: 2, hard_packets: 3}}
  - {name: from-pe2, dir: in, spi: 0x2001, cipher: aes-256-gcm, key: "KEY256", salt: "21222324",
     tunnel: {src: "192.0.2.2", dst: "192.0.2.1"}}
)";

// PE2: the mirror image. Its inbound SAs are PE1's outbound ones.
const char* const kPe2 = R"(
device: model
ports:
  - {id: 0, mac: "02:00:00:00:04:00", vrf: blue}
  - {id: 1, mac: "02:00:00:00:04:01"}
addresses: ["192.0.2.2", "2001:db8::2"]
nexthops:
  - {name: core, port: 1, mac: "02:00:00:00:02:02"}
  - {name: ce2, port: 0, mac: "02:00:00:00:05:01"}
ilm:
  - {label: 24001, action: pop-lookup, vrf: blue, ports: [1]}
vrfs:
  - name: blue
    require_esp: true
    routes:
      - {prefix: "10.0.0.0/8", nexthop: ce2}
      - {prefix: "2001:db8:2::/48", nexthop: ce2}
      - {prefix: "10.1.0.0/16", nexthop: core, push: [24000], sa: to-pe1}
      - {prefix: "10.8.0.0/16", nexthop: core, push: [500]}
sas:
  - {name: from-pe1, dir: in, spi: 0x1001, cipher: aes-256-gcm, key: "KEY256", salt: "01020304",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, replay_window: 64}
  - {name: from-pe1-v6, dir: in, spi: 0x1002, cipher: aes-256-gcm, key: "KEY256", salt: "05060708",
     tunnel: {src: "2001:db8::1", dst: "2001:db8::2"}}
  - {name: from-pe1-udp, dir: in, spi: 0x1003, cipher: aes-256-gcm, key: "KEY256", salt: "090a0b0c",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, encap: udp}
  - {name: from-pe1-128, dir: in, spi: 0x1004, cipher: aes-128-gcm, key: "KEY128", salt: "0d0e0f10",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
  - {name: from-pe1-short, dir: in, spi: 0x1005, cipher: aes-256-gcm, key: "KEY256", salt: "11121314",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, esn: false, replay_window: 64}
  - {name: from-pe1-life, dir: in, spi: 0x1006, cipher: aes-256-gcm, key: "KEY256", salt: "15161718",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, lifetime: {soft_packets: 1, hard_packets: 2}}
  - {name: to-pe1, dir: out, spi: 0x2001, cipher: aes-256-gcm, key: "KEY256", salt: "21222324",
     tunnel: {src: "192.0.2.2", dst: "192.0.2.1"}}
  - {name: from-pe3, dir: in, spi: 0x5003, cipher: aes-128-gcm, key: "KEY128", salt: "31323334",
     tunnel: {src: "192.0.2.3", dst: "192.0.2.2"}}
)";

std::string with_keys(std::string yaml) {
    for (const auto& [name, value] : {std::pair{"KEY256", kKey256}, std::pair{"KEY128", kKey128}})
        for (std::size_t at; (at = yaml.find(name)) != std::string::npos;) yaml.replace(at, 6, value);
    return yaml;
}

Bytes hex(const std::string& text) {
    Bytes out;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
    return out;
}

EspKey key_of(const std::string& key_hex, uint32_t salt, uint32_t spi, bool esn) {
    EspKey k;
    k.key = hex(key_hex);
    for (int i = 0; i < 4; ++i) k.salt[i] = static_cast<uint8_t>(salt >> (24 - 8 * i));
    k.spi = spi;
    k.esn = esn;
    return k;
}

uint32_t be32(const Bytes& b, std::size_t at) { return uint32_t{be16(b, at)} << 16 | be16(b, at + 2); }

// The IP packet of a frame whose IP header starts at `at` (its own length).
// Throws (a test failure) when the frame is too short to hold it, so a
// wrong frame from a new engine fails the test instead of reading past it.
Bytes ip_packet(const Bytes& frame, std::size_t at) {
    if (frame.size() < at + 40) throw std::runtime_error("frame of " + std::to_string(frame.size()) + " bytes: no IP header at " + std::to_string(at));
    const std::size_t len = (frame[at] >> 4) == 4 ? be16(frame, at + 2) : 40u + be16(frame, at + 4);
    if (at + len > frame.size()) throw std::runtime_error("IP packet runs past the frame's end");
    return Bytes(frame.begin() + static_cast<long>(at), frame.begin() + static_cast<long>(at + len));
}

class Esp : public ::testing::TestWithParam<std::string> {
protected:
    Esp() : pe1(GetParam(), with_keys(kPe1)), pe2(GetParam(), with_keys(kPe2)) {}

    // An engine without the ESP stage has no SA tables (the runtime leaves
    // them out), so every test here would only see esp_no_sa drops: skip it,
    // saying so. The feature bit is read through the device, as the runtime
    // reads it (ident.FEATURES). The C-model always has the stage; for it a
    // missing bit is a failure, not a skip, so this suite can never pass by
    // skipping everywhere.
    void SetUp() override {
        for (CardHarness* card : {&pe1, &pe2}) {
            const uint32_t features = card->device().identity().features;
            if (features >> regs::kFeatureEspGcm & 1) continue;
            if (GetParam() == "model") FAIL() << "the C-model reports no esp_gcm in ident.FEATURES";
            GTEST_SKIP() << "the " << GetParam() << " datapath does not report esp_gcm in ident.FEATURES "
                         << "(no ESP stage yet): ESP tests skipped";
        }
    }

    static Bytes customer(const std::string& dst, std::size_t payload = 26, uint8_t tos = 0, uint8_t ttl = 64) {
        return FrameBuilder().eth("02:00:00:00:01:00", "02:00:00:00:03:01").ethertype(0x0800)
            .ipv4_udp("10.1.0.7", dst, ttl, payload, tos).pad_to().build();
    }
    static Bytes customer6(const std::string& dst, std::size_t payload = 26) {
        return FrameBuilder().eth("02:00:00:00:01:00", "02:00:00:00:03:01").ethertype(0x86DD)
            .ipv6_udp("2001:db8:1::7", dst, 64, payload).pad_to().build();
    }
    // What PE2 receives from the core: its VPN label over an outer IPv4
    // packet to PE2 carrying `esp` (protocol 50, or UDP to 4500).
    static Bytes to_pe2(const Bytes& esp, bool udp = false, uint16_t frag = 0, const char* dst = "192.0.2.2") {
        Bytes ip(20, 0);
        const std::size_t after = esp.size() + (udp ? 8 : 0);
        ip[0] = 0x45;
        ip[2] = static_cast<uint8_t>((20 + after) >> 8);
        ip[3] = static_cast<uint8_t>(20 + after);
        ip[6] = static_cast<uint8_t>(frag >> 8);
        ip[7] = static_cast<uint8_t>(frag);
        ip[8] = 64;
        ip[9] = udp ? 17 : 50;
        const Bytes src = {192, 0, 2, 1};
        std::copy(src.begin(), src.end(), ip.begin() + 12);
        unsigned a, b, c, d;
        std::sscanf(dst, "%u.%u.%u.%u", &a, &b, &c, &d);
        ip[16] = static_cast<uint8_t>(a), ip[17] = static_cast<uint8_t>(b), ip[18] = static_cast<uint8_t>(c);
        ip[19] = static_cast<uint8_t>(d);
        const uint16_t sum = ipv4_checksum(ip.data(), 20);
        ip[10] = static_cast<uint8_t>(sum >> 8);
        ip[11] = static_cast<uint8_t>(sum);
        if (udp) {
            const Bytes header = {0x11, 0x94, 0x11, 0x94, static_cast<uint8_t>((8 + esp.size()) >> 8),
                                  static_cast<uint8_t>(8 + esp.size()), 0, 0};
            ip.insert(ip.end(), header.begin(), header.end());
        }
        ip.insert(ip.end(), esp.begin(), esp.end());
        return FrameBuilder().eth("02:00:00:00:04:01", "02:00:00:00:02:01").ethertype(0x8847)
            .label(24001, 64, true).raw(ip).pad_to().build();
    }
    // ESP bytes of a frame PE1 sent: after Ethernet, `labels` entries and
    // the outer header of `outer` bytes.
    static Bytes esp_of(const Bytes& frame, std::size_t labels, std::size_t outer) {
        const std::size_t ip = 14 + 4 * labels;
        if (frame.size() < ip + outer) throw std::runtime_error("frame too short for its outer header");
        const std::size_t end = ip + ((frame[ip] >> 4) == 4 ? be16(frame, ip + 2) : 40u + be16(frame, ip + 4));
        if (end > frame.size() || end < ip + outer) throw std::runtime_error("outer IP length does not fit the frame");
        return Bytes(frame.begin() + static_cast<long>(ip + outer), frame.begin() + static_cast<long>(end));
    }

    // Exactly one frame must come out; anything else ends the test (an
    // exception is a failure), so no check runs on a frame that is not there.
    drivers::TxFrame one_from(CardHarness& card, uint8_t port, const Bytes& frame) {
        Output out = card.run(port, {frame});
        EXPECT_TRUE(out.punted.empty());
        if (out.sent.size() != 1)
            throw std::runtime_error("expected one frame out, got " + std::to_string(out.sent.size()) + " (" +
                                     std::to_string(out.punted.size()) + " punted)");
        if (out.sent.front().bytes.size() < 60) throw std::runtime_error("a frame shorter than 60 bytes came out");
        return out.sent.front();
    }
    uint32_t sa(CardHarness& card, const std::string& name) { return card.image().sa_index.at(name); }
    drivers::Counter sa_counter(CardHarness& card, regs::CounterBank bank, const std::string& name) {
        return card.device().counter(bank, sa(card, name));
    }
    void set_next_seq(CardHarness& card, const std::string& name, uint64_t next) {
        regs::SaSeqEntry e{};
        e.next_seq = next;
        const auto w = e.pack();
        card.device().write_entry(regs::TableId::sa_seq, sa(card, name), {w.begin(), w.end()});
    }
    uint64_t next_seq(CardHarness& card, const std::string& name) {
        return regs::SaSeqEntry::unpack(card.device().read_entry(regs::TableId::sa_seq, sa(card, name)).data()).next_seq;
    }
    // Sends a frame PE2 must drop for `reason`, then a good one from PE1
    // that must still come out decrypted.
    void expect_pe2_drop(const Bytes& frame, Reason reason) {
        const uint64_t before = pe2.reason_count(reason);
        pe2.device().port_send(1, frame);
        const drivers::TxFrame sent = one_from(pe1, 0, customer("10.2.0.9"));
        Output out = pe2.run(1, {sent.bytes});
        EXPECT_EQ(pe2.reason_count(reason), before + 1) << "reason code " << static_cast<int>(reason);
        ASSERT_EQ(out.sent.size(), 1u) << "the good frame after the bad one goes through";
        EXPECT_EQ(ip_packet(out.sent[0].bytes, 14)[19], 9) << "to 10.2.0.9";
    }

    CardHarness pe1, pe2;
    const EspKey k_to_pe2 = key_of(kKey256, 0x01020304, 0x1001, true);
};

// --- 4.1 outbound ------------------------------------------------------------

TEST_P(Esp, OutboundFrameHasLabelOuterIpv4EspAndDecryptsWithOpenSsl) {
    const Bytes in = customer("10.2.0.9", 26, 0xb9 /* DSCP 46, ECN 1 */);
    for (uint64_t seq = 1; seq <= 2; ++seq) {
        const drivers::TxFrame out = one_from(pe1, 0, in);
        const Bytes& f = out.bytes;
        EXPECT_EQ(out.port, 1);
        EXPECT_EQ(Bytes(f.begin(), f.begin() + 6), mac("02:00:00:00:02:01"));
        EXPECT_EQ(be16(f, 12), 0x8847);
        const Lse label = lse_at(f, 14);
        EXPECT_EQ(label.label, 24001u);
        EXPECT_EQ(label.tc, 0xb8 >> 5) << "outer precedence = DSCP >> 3";
        EXPECT_EQ(label.ttl, 64) << "uniform: the outer TTL";
        EXPECT_TRUE(label.bos);
        const std::size_t ip = 18;
        EXPECT_EQ(f[ip], 0x45);
        EXPECT_EQ(f[ip + 1], 0xb8) << "DSCP copied, ECN 0";
        const std::size_t esp_len = 8 + 8 + 54 + 0 + 2 + 16;  // inner 54: pad 0
        EXPECT_EQ(be16(f, ip + 2), 20 + esp_len);
        EXPECT_EQ(be16(f, ip + 4), seq) << "identification = seq";
        EXPECT_EQ(be16(f, ip + 6), 0) << "DF clear";
        EXPECT_EQ(f[ip + 8], 64);
        EXPECT_EQ(f[ip + 9], 50);
        EXPECT_EQ(ipv4_checksum(&f[ip], 20), 0);
        EXPECT_EQ(be32(f, ip + 12), 0xc0000201u);
        EXPECT_EQ(be32(f, ip + 16), 0xc0000202u);
        EXPECT_EQ(f.size(), 18 + 20 + esp_len);

        const auto opened = esp_open(k_to_pe2, esp_of(f, 1, 20), 0);
        ASSERT_TRUE(opened) << "OpenSSL verifies the ICV";
        EXPECT_EQ(opened->spi, 0x1001u);
        EXPECT_EQ(opened->seq_lo, seq);
        EXPECT_EQ(opened->iv, seq);
        EXPECT_EQ(opened->next_header(), 4);
        Bytes expected = ip_packet(in, 14);
        expected[8] -= 1;  // routed once at PE1
        expected[10] = expected[11] = 0;
        const uint16_t sum = ipv4_checksum(expected.data(), 20);
        expected[10] = static_cast<uint8_t>(sum >> 8), expected[11] = static_cast<uint8_t>(sum);
        EXPECT_EQ(opened->inner(), expected) << "the Ethernet padding is not encrypted";
    }
    EXPECT_EQ(sa_counter(pe1, regs::CounterBank::sa, "to-pe2").packets, 2u);
    EXPECT_EQ(sa_counter(pe1, regs::CounterBank::sa, "to-pe2").bytes, 2u * 54);
    EXPECT_EQ(next_seq(pe1, "to-pe2"), 3u) << "sa_seq reads the live next sequence number";
}

TEST_P(Esp, PaddingIsTheMinimumWithBytesOneTwoThree) {
    for (std::size_t payload : {26, 27, 28, 29}) {
        const drivers::TxFrame out = one_from(pe1, 0, customer("10.2.0.9", payload));
        const auto opened = esp_open(k_to_pe2, esp_of(out.bytes, 1, 20));
        ASSERT_TRUE(opened);
        const std::size_t inner = 28 + payload;
        const std::size_t pad = (4 - (inner + 2) % 4) % 4;
        ASSERT_EQ(opened->plaintext.size(), inner + pad + 2);
        for (std::size_t i = 0; i < pad; ++i) EXPECT_EQ(opened->plaintext[inner + i], i + 1);
        EXPECT_EQ(opened->plaintext[inner + pad], pad);
    }
}

TEST_P(Esp, OuterIpv6UdpEncapAes128AndPipeShapes) {
    // IPv6 outer: traffic class = DSCP, hop limit 64, next header 50.
    const drivers::TxFrame v6 = one_from(pe1, 0, customer("10.3.0.1", 26, 0x28));
    EXPECT_EQ(v6.bytes[18] >> 4, 6);
    EXPECT_EQ(((v6.bytes[18] & 0xf) << 4 | v6.bytes[19] >> 4), 0x28);
    EXPECT_EQ(v6.bytes[18 + 6], 50);
    EXPECT_EQ(v6.bytes[18 + 7], 64);
    EXPECT_TRUE(esp_open(key_of(kKey256, 0x05060708, 0x1002, true), esp_of(v6.bytes, 1, 40)));

    // RFC 3948: IPv4 protocol 17, ports 4500, length, checksum 0.
    const drivers::TxFrame udp = one_from(pe1, 0, customer("10.4.0.1"));
    EXPECT_EQ(udp.bytes[18 + 9], 17);
    EXPECT_EQ(be16(udp.bytes, 38), 4500);
    EXPECT_EQ(be16(udp.bytes, 40), 4500);
    EXPECT_EQ(be16(udp.bytes, 42), be16(udp.bytes, 20) - 20);
    EXPECT_EQ(be16(udp.bytes, 44), 0);
    EXPECT_TRUE(esp_open(key_of(kKey256, 0x090a0b0c, 0x1003, true), esp_of(udp.bytes, 1, 28)));

    // No labels: the outer ethertype; AES-128.
    const drivers::TxFrame bare = one_from(pe1, 0, customer("10.5.0.1"));
    EXPECT_EQ(be16(bare.bytes, 12), 0x0800);
    EXPECT_TRUE(esp_open(key_of(kKey128, 0x0d0e0f10, 0x1004, true), esp_of(bare.bytes, 0, 20)));

    // Pipe: the label TTL is 255, the AAD has no seq_hi without ESN.
    const drivers::TxFrame pipe = one_from(pe1, 0, customer("10.6.0.1"));
    EXPECT_EQ(lse_at(pipe.bytes, 14).ttl, 255);
    EXPECT_TRUE(esp_open(key_of(kKey256, 0x11121314, 0x1005, false), esp_of(pipe.bytes, 1, 20)));
}

TEST_P(Esp, OutboundDropsInOrderAndOnlySentFramesTakeASequenceNumber) {
    // MTU: the frame as it would leave is too big; no sequence number used.
    const Bytes big = customer("10.2.0.9", 1500 - 28 - 20);  // inner 1480 fits, the ESP frame does not
    const uint64_t mtu_before = pe1.reason_count(Reason::mtu_exceeded);
    EXPECT_TRUE(pe1.run(0, {big}).sent.empty());
    EXPECT_EQ(pe1.reason_count(Reason::mtu_exceeded), mtu_before + 1);
    EXPECT_EQ(next_seq(pe1, "to-pe2"), 1u);

    // The SA's entry removed: esp_no_sa, never plaintext.
    const std::vector<uint32_t> zero(regs::SaEntry::kWords, 0);
    pe1.device().write_entry(regs::TableId::sa, sa(pe1, "to-pe2-128"), zero);
    const uint64_t no_sa = pe1.reason_count(Reason::esp_no_sa);
    EXPECT_TRUE(pe1.run(0, {customer("10.5.0.1")}).sent.empty());
    EXPECT_EQ(pe1.reason_count(Reason::esp_no_sa), no_sa + 1);

    // An SA that decrypts named by a route: esp_no_sa.
    for (uint32_t i = 0; i < pe1.image().routes.size(); ++i) {
        if (pe1.image().routes[i].prefix != "10.5.0.0/16") continue;
        auto entry = regs::RouteEntry::unpack(pe1.device().read_entry(regs::TableId::route, i).data());
        entry.sa = sa(pe1, "from-pe2");
        const auto w = entry.pack();
        pe1.device().write_entry(regs::TableId::route, i, {w.begin(), w.end()});
    }
    EXPECT_TRUE(pe1.run(0, {customer("10.5.0.1")}).sent.empty());
    EXPECT_EQ(pe1.reason_count(Reason::esp_no_sa), no_sa + 2);
    // The next hop gone: no_route, after the SA checks, before a sequence number.
    const uint32_t core = pe1.image().nexthop_index.at("core");
    const auto nexthop = pe1.device().read_entry(regs::TableId::nexthop, core);
    pe1.device().write_entry(regs::TableId::nexthop, core, std::vector<uint32_t>(nexthop.size(), 0));
    const uint64_t no_route = pe1.reason_count(Reason::no_route);
    EXPECT_TRUE(pe1.run(0, {customer("10.2.0.9")}).sent.empty());
    EXPECT_EQ(pe1.reason_count(Reason::no_route), no_route + 1);
    EXPECT_EQ(next_seq(pe1, "to-pe2"), 1u);
    pe1.device().write_entry(regs::TableId::nexthop, core, nexthop);

    const drivers::TxFrame ok = one_from(pe1, 0, customer("10.2.0.9"));
    EXPECT_EQ(be32(esp_of(ok.bytes, 1, 20), 4), 1u) << "the first frame sent takes sequence number 1";
}

TEST_P(Esp, SequenceExhaustionDropsAndRaisesOneEvent) {
    // Without ESN the last sequence number is 2^32 - 1.
    set_next_seq(pe1, "to-pe2-short", 0xffffffffull);
    const drivers::TxFrame last = one_from(pe1, 0, customer("10.6.0.1"));
    EXPECT_EQ(be32(esp_of(last.bytes, 1, 20), 4), 0xffffffffu);
    for (int i = 0; i < 2; ++i) {
        const uint64_t before = pe1.reason_count(Reason::esp_seq_overflow);
        EXPECT_TRUE(pe1.run(0, {customer("10.6.0.1")}).sent.empty());
        EXPECT_EQ(pe1.reason_count(Reason::esp_seq_overflow), before + 1);
    }
    const auto event = pe1.device().pop_event();
    ASSERT_TRUE(event) << "the first overflow drop raises sa_seq_exhausted";
    EXPECT_EQ(event->code, regs::EventCode::sa_seq_exhausted);
    EXPECT_EQ(event->index, sa(pe1, "to-pe2-short"));
    EXPECT_FALSE(pe1.device().pop_event()) << "only once";

    // With ESN, 2^64 - 1 is the last.
    set_next_seq(pe1, "to-pe2", ~uint64_t{0});
    const drivers::TxFrame esn_last = one_from(pe1, 0, customer("10.2.0.1"));
    const auto opened = esp_open(k_to_pe2, esp_of(esn_last.bytes, 1, 20), 0xffffffffu);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->iv, ~uint64_t{0});
    EXPECT_TRUE(pe1.run(0, {customer("10.2.0.1")}).sent.empty());
    ASSERT_TRUE(pe1.device().pop_event());
}

TEST_P(Esp, LifetimesRaiseSoftThenHardAndStopTheSa) {
    for (int i = 0; i < 3; ++i) one_from(pe1, 0, customer("10.7.0.1"));
    const auto soft = pe1.device().pop_event();
    const auto hard = pe1.device().pop_event();
    ASSERT_TRUE(soft && hard);
    EXPECT_EQ(soft->code, regs::EventCode::sa_soft_lifetime);
    EXPECT_EQ(hard->code, regs::EventCode::sa_hard_lifetime);
    EXPECT_EQ(soft->index, sa(pe1, "to-pe2-life"));
    EXPECT_EQ(hard->index, sa(pe1, "to-pe2-life"));
    const uint64_t before = pe1.reason_count(Reason::esp_sa_expired);
    EXPECT_TRUE(pe1.run(0, {customer("10.7.0.1")}).sent.empty());
    EXPECT_EQ(pe1.reason_count(Reason::esp_sa_expired), before + 1);
    EXPECT_FALSE(pe1.device().pop_event());

    // Rewriting the sa entry restarts it.
    const auto words = pe1.device().read_entry(regs::TableId::sa, sa(pe1, "to-pe2-life"));
    pe1.device().write_entry(regs::TableId::sa, sa(pe1, "to-pe2-life"), words);
    EXPECT_EQ(next_seq(pe1, "to-pe2-life"), 1u);
    EXPECT_EQ(sa_counter(pe1, regs::CounterBank::sa, "to-pe2-life").packets, 0u);
    one_from(pe1, 0, customer("10.7.0.1"));
}

// --- 4.2 inbound -------------------------------------------------------------

TEST_P(Esp, Pe1ToPe2InnerPacketsArriveUnchanged) {
    const std::vector<Bytes> inputs = {customer("10.2.0.9", 26, 0x20), customer("10.2.3.4", 700),
                                       customer("10.3.0.5", 100), customer("10.4.0.6", 1200),
                                       customer("10.6.0.8", 61),
                                       customer6("2001:db8:2::5", 300)};
    for (const Bytes& in : inputs) {
        const drivers::TxFrame encrypted = one_from(pe1, 0, in);
        ASSERT_FALSE(encrypted.bytes.empty()) << "PE1 encrypts";
        const drivers::TxFrame out = one_from(pe2, 1, encrypted.bytes);
        ASSERT_FALSE(out.bytes.empty()) << "PE2 decrypts";
        EXPECT_EQ(out.port, 0);
        EXPECT_EQ(Bytes(out.bytes.begin(), out.bytes.begin() + 6), mac("02:00:00:00:05:01"));
        Bytes expected = ip_packet(in, 14);
        if ((expected[0] >> 4) == 4) {
            expected[8] -= 1;
            expected[10] = expected[11] = 0;
            const uint16_t sum = ipv4_checksum(expected.data(), 20);
            expected[10] = static_cast<uint8_t>(sum >> 8), expected[11] = static_cast<uint8_t>(sum);
        } else {
            expected[7] -= 1;
        }
        EXPECT_EQ(ip_packet(out.bytes, 14), expected) << "one decrement, at PE1; none at PE2";
        const std::size_t sent_len = std::max<std::size_t>(60, 14 + expected.size());
        EXPECT_EQ(out.bytes.size(), sent_len) << "the inner packet only, padded to 60";
    }
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").packets, 3u);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").bytes, 54u + 728 + 348);
}

TEST_P(Esp, HostileTrafficIsDroppedCountedPerSaAndTheNextPacketPasses) {
    const Bytes good = one_from(pe1, 0, customer("10.2.0.9")).bytes;
    const Bytes esp = esp_of(good, 1, 20);
    auto flipped = [&](std::size_t at) {
        Bytes e = esp;
        e[at] ^= 0x01;
        return to_pe2(e);
    };
    expect_pe2_drop(flipped(20), Reason::esp_auth_failed);               // ciphertext
    expect_pe2_drop(flipped(esp.size() - 1), Reason::esp_auth_failed);   // tag
    expect_pe2_drop(flipped(9), Reason::esp_auth_failed);                // IV
    expect_pe2_drop(to_pe2(Bytes(esp.begin(), esp.end() - 1)), Reason::esp_auth_failed);  // truncated
    expect_pe2_drop(to_pe2(Bytes(esp.begin(), esp.begin() + 33)), Reason::bad_frame);    // shorter than 34
    Bytes wrong_spi = esp;
    wrong_spi[3] = 0x77;
    expect_pe2_drop(to_pe2(wrong_spi), Reason::esp_no_sa);
    const auto auth = sa_counter(pe2, regs::CounterBank::sa_auth_failed, "from-pe1");
    EXPECT_EQ(auth.packets, 4u);
    EXPECT_EQ(auth.bytes, 3 * to_pe2(esp).size() + to_pe2(Bytes(esp.begin(), esp.end() - 1)).size())
        << "frame lengths";

    // good (seq 1) was never delivered: it is accepted once, then replayed.
    Output first = pe2.run(1, {good});
    EXPECT_EQ(first.sent.size(), 1u);
    expect_pe2_drop(good, Reason::esp_replay);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_replay, "from-pe1").packets, 1u);

    // Left of the window (64 packets). Without ESN: a replay drop.
    const Bytes old = one_from(pe1, 0, customer("10.6.0.9")).bytes;  // not delivered yet
    for (int i = 0; i < 70; ++i) one_from(pe2, 1, one_from(pe1, 0, customer("10.6.0.9")).bytes);
    expect_pe2_drop(old, Reason::esp_replay);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_replay, "from-pe1-short").packets, 1u);
    // With ESN, RFC 4303 A2.2 reads a sequence number left of the window as
    // the next 2^32 epoch: the ICV fails.
    const Bytes old_esn = one_from(pe1, 0, customer("10.2.0.9")).bytes;
    for (int i = 0; i < 70; ++i) one_from(pe2, 1, one_from(pe1, 0, customer("10.2.0.9")).bytes);
    expect_pe2_drop(old_esn, Reason::esp_auth_failed);
}

TEST_P(Esp, WindowAcceptsOutOfOrderWithinItExactlyOnce) {
    std::vector<Bytes> sent;
    for (int i = 0; i < 64; ++i) sent.push_back(one_from(pe1, 0, customer("10.2.0.9")).bytes);
    // Newest first: every one is inside the 64-packet window of the newest.
    for (auto it = sent.rbegin(); it != sent.rend(); ++it) one_from(pe2, 1, *it);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").packets, 64u);
    EXPECT_TRUE(pe2.run(1, {sent[10]}).sent.empty()) << "seen";
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_replay, "from-pe1").packets, 1u);
}

TEST_P(Esp, PacketsFromAnIndependentEncoderDecrypt) {
    // PE1's own frames (the good ones after each drop) run ahead of the
    // handmade ones, which stay inside PE2's 64-packet window.
    set_next_seq(pe1, "to-pe2", 1000);
    // (c) OpenSSL builds what PE1 would have sent: PE2 takes it.
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    const Bytes frame = to_pe2(esp_seal_minimal(k_to_pe2, 965, inner, 4));
    const drivers::TxFrame out = one_from(pe2, 1, frame);
    EXPECT_EQ(ip_packet(out.bytes, 14), inner);

    // Authentic but bad padding: the window moves (seq 6 then replays).
    const Bytes bad_pad = to_pe2(esp_seal(k_to_pe2, 966, inner, {1, 2, 4}, 4));
    expect_pe2_drop(bad_pad, Reason::esp_bad_padding);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_bad_padding, "from-pe1").packets, 1u);
    expect_pe2_drop(bad_pad, Reason::esp_replay);
    // Pad length past the data, ciphertext not a multiple of 4.
    expect_pe2_drop(to_pe2(esp_seal_plaintext(k_to_pe2, 967, {0, 0, 9, 4})), Reason::esp_bad_padding);
    expect_pe2_drop(to_pe2(esp_seal_plaintext(k_to_pe2, 968, {0x45, 0, 0, 0, 4})), Reason::esp_bad_padding);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_bad_padding, "from-pe1").packets, 3u);
    // Next header not IP, not the inner's version, inner not a valid IPv4.
    expect_pe2_drop(to_pe2(esp_seal_minimal(k_to_pe2, 969, inner, 59)), Reason::bad_frame);
    expect_pe2_drop(to_pe2(esp_seal_minimal(k_to_pe2, 970, inner, 41)), Reason::bad_frame);
    Bytes broken = inner;
    broken[10] ^= 0xff;
    expect_pe2_drop(to_pe2(esp_seal_minimal(k_to_pe2, 971, broken, 4)), Reason::bad_frame);
    // TFC padding after the inner packet is not sent.
    Bytes tfc = inner;
    tfc.insert(tfc.end(), 30, 0xee);
    const drivers::TxFrame trimmed = one_from(pe2, 1, to_pe2(esp_seal_minimal(k_to_pe2, 972, tfc, 4)));
    EXPECT_EQ(ip_packet(trimmed.bytes, 14), inner);
    EXPECT_EQ(trimmed.bytes.size(), 14 + inner.size());
}

TEST_P(Esp, InboundShapesFragmentsAndNonEspMarker) {
    set_next_seq(pe1, "to-pe2", 1000);  // PE1's good frames stay clear of the handmade one
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    const Bytes esp = esp_seal_minimal(k_to_pe2, 990, inner, 4);
    expect_pe2_drop(to_pe2(esp, false, 0x2000 /* MF */), Reason::bad_frame);
    expect_pe2_drop(to_pe2(esp, false, 0x0010 /* offset */), Reason::bad_frame);
    // ESP in UDP to 4500 is ESP for the card whatever the SA's encap says.
    EXPECT_EQ(one_from(pe2, 1, to_pe2(esp, true)).bytes.size(), 14 + inner.size());
    // Four zero bytes after the UDP header: not ESP; plaintext from the
    // core for a VRF that requires ESP.
    Bytes marker(40, 0);
    expect_pe2_drop(to_pe2(marker, true), Reason::esp_required);
    // ESP not addressed to the card is plaintext too.
    expect_pe2_drop(to_pe2(esp, false, 0, "192.0.2.99"), Reason::esp_required);
}

TEST_P(Esp, SpiSlotMustNameAValidInboundSaWithThatSpi) {
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    const Bytes frame = to_pe2(esp_seal_minimal(k_to_pe2, 1, inner, 4));
    const uint32_t slot = pe2.image().spi_slot.at(0x1001);
    const auto original = pe2.device().read_entry(regs::TableId::spi_hash, slot);
    auto point_at = [&](const std::string& sa_name, uint32_t spi) {
        regs::SpiHashEntry e{};
        e.valid = 1;
        e.spi = spi;
        e.sa = sa(pe2, sa_name);
        const auto w = e.pack();
        pe2.device().write_entry(regs::TableId::spi_hash, slot, {w.begin(), w.end()});
    };
    // (The good frame after each drop is the last one: every from-pe1
    // frame uses the slot under test.)
    point_at("to-pe1", 0x1001);  // an outbound SA
    EXPECT_TRUE(pe2.run(1, {frame}).sent.empty());
    EXPECT_EQ(pe2.reason_count(Reason::esp_no_sa), 1u);
    point_at("from-pe1-v6", 0x1001);  // an inbound SA with another SPI
    EXPECT_TRUE(pe2.run(1, {frame}).sent.empty());
    EXPECT_EQ(pe2.reason_count(Reason::esp_no_sa), 2u);
    pe2.device().write_entry(regs::TableId::spi_hash, slot, original);
    const std::vector<uint32_t> zero(regs::SaEntry::kWords, 0);
    const auto from_pe1 = pe2.device().read_entry(regs::TableId::sa, sa(pe2, "from-pe1"));
    pe2.device().write_entry(regs::TableId::sa, sa(pe2, "from-pe1"), zero);  // the SA itself gone
    EXPECT_TRUE(pe2.run(1, {frame}).sent.empty());
    EXPECT_EQ(pe2.reason_count(Reason::esp_no_sa), 3u);
    pe2.device().write_entry(regs::TableId::sa, sa(pe2, "from-pe1"), from_pe1);
    EXPECT_EQ(ip_packet(one_from(pe2, 1, frame).bytes, 14), inner) << "rewritten, it decrypts again";
}

TEST_P(Esp, AnSaInHashWayOneIsFound) {
    // 0x5003 has 0x1001's way-0 slot, which from-pe1 holds: the host put it in way 1.
    ASSERT_EQ(pe2.image().spi_slot.at(0x5003), 1u << 13 | spi_hash_way1(0x5003));
    const EspKey k = key_of(kKey128, 0x31323334, 0x5003, true);
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    const drivers::TxFrame out = one_from(pe2, 1, to_pe2(esp_seal_minimal(k, 1, inner, 4)));
    EXPECT_EQ(ip_packet(out.bytes, 14), inner);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe3").packets, 1u);
    one_from(pe2, 1, one_from(pe1, 0, customer("10.2.0.9")).bytes);  // and way 0 still
}

TEST_P(Esp, DecryptedPacketTakesItsLabelsFromTheInnerHeader) {
    // PE2 sends 10.8/16 on into the core under label 500 (a hub, say).
    const Bytes in = customer("10.8.0.1", 26, 0xa0 /* precedence 5 */, 64);
    const drivers::TxFrame out = one_from(pe2, 1, one_from(pe1, 0, in).bytes);
    EXPECT_EQ(out.port, 1);
    EXPECT_EQ(be16(out.bytes, 12), 0x8847);
    const Lse label = lse_at(out.bytes, 14);
    EXPECT_EQ(label.label, 500u);
    EXPECT_EQ(label.tc, 5);
    EXPECT_EQ(label.ttl, 63) << "the inner TTL, decremented once at PE1, not again";
    EXPECT_TRUE(label.bos);
    EXPECT_EQ(ip_packet(out.bytes, 18)[8], 63);
}

TEST_P(Esp, DecryptedPacketIsNeverEncryptedAgain) {
    // PE2 routes 10.1/16 back through an SA: a decrypted packet to it is no_route.
    const Bytes inner = ip_packet(customer("10.1.0.1", 40), 14);
    expect_pe2_drop(to_pe2(esp_seal_minimal(k_to_pe2, 2, inner, 4)), Reason::no_route);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").packets, 2u) << "decrypted and accepted, then no route";
}

TEST_P(Esp, EsnInfersTheHighHalfAcrossTwoToThe32) {
    // Walk PE2's window up to the boundary in steps RFC 4303 A2.2 can follow.
    set_next_seq(pe1, "to-pe2", 0x80000000ull);
    one_from(pe2, 1, one_from(pe1, 0, customer("10.2.0.1")).bytes);
    set_next_seq(pe1, "to-pe2", 0xfffffffeull);
    std::vector<Bytes> sent;
    for (int i = 0; i < 4; ++i) sent.push_back(one_from(pe1, 0, customer("10.2.0.1")).bytes);
    EXPECT_EQ(be32(esp_of(sent[3], 1, 20), 4), 1u) << "seq_lo wrapped: 2^32 + 1";
    for (const Bytes& f : sent) one_from(pe2, 1, f);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").packets, 5u);
    expect_pe2_drop(sent[1], Reason::esp_replay);  // 2^32 - 1, below the new top
}

TEST_P(Esp, EsnInferenceInABurstSeesEveryEarlierFrame) {
    // Frames back to back, so that the RTL has several in flight at once:
    // each one's high half must come from the window as the frames before
    // it left it, as if they had been taken one at a time. The window
    // (64) stands at 2^32 - 100; A (2^32 + 1000) moves it past 2^32, after
    // which seq_lo 0xffffff80 means 2^33 - 128 (not 2^32 - 128, as before
    // A); once that is the top, seq_lo 1001 means 2^33 + 1001.
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    const auto frame = [&](uint64_t seq) { return to_pe2(esp_seal_minimal(k_to_pe2, seq, inner, 4)); };
    one_from(pe2, 1, frame((uint64_t{1} << 32) - 100));
    const uint64_t a = (uint64_t{1} << 32) + 1000, b = (uint64_t{1} << 33) - 128;
    const Output out = pe2.run(1, {frame(a),
                                   frame((uint64_t{1} << 32) - 128),  // sealed with the old high half
                                   frame(b),
                                   frame(a + 1),  // sealed as 2^32 + 1001: read as 2^33 + 1001 now
                                   frame(b + 1), frame(b + 2), frame(b + 3)});
    EXPECT_EQ(out.sent.size(), 5u) << "all but the two sealed with a high half the window has left";
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa_auth_failed, "from-pe1").packets, 2u);
    EXPECT_EQ(sa_counter(pe2, regs::CounterBank::sa, "from-pe1").packets, 6u);
    set_next_seq(pe1, "to-pe2", b + 10);
    expect_pe2_drop(frame(b + 1), Reason::esp_replay);
}

TEST_P(Esp, InboundLifetimesStopTheSa) {
    const EspKey k = key_of(kKey256, 0x15161718, 0x1006, true);
    const Bytes inner = ip_packet(customer("10.2.0.44", 40), 14);
    for (uint64_t seq = 1; seq <= 2; ++seq) one_from(pe2, 1, to_pe2(esp_seal_minimal(k, seq, inner, 4)));
    const auto soft = pe2.device().pop_event(), hard = pe2.device().pop_event();
    ASSERT_TRUE(soft && hard);
    EXPECT_EQ(soft->code, regs::EventCode::sa_soft_lifetime);
    EXPECT_EQ(hard->code, regs::EventCode::sa_hard_lifetime);
    expect_pe2_drop(to_pe2(esp_seal_minimal(k, 3, inner, 4)), Reason::esp_sa_expired);
}

// Every engine and the RTL card top (register writes over AXI4-Lite, key
// installs waited for); each test skips on a datapath whose ident.FEATURES
// lacks esp_gcm.
INSTANTIATE_TEST_SUITE_P(Engines, Esp, ::testing::Values(ENGINES), EngineName());

}  // namespace
}  // namespace mplsec::test
