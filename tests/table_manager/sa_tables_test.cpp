// SAs in the table compiler and the transaction (DESIGN.md 4, docs/datapath.md
// "ESP"): entry contents, make-before-break order, SPI placement in the
// two-way hash, and an SA whose keys did not change staying untouched (its
// sequence number runs on).
#include <gtest/gtest.h>

#include <algorithm>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/spi_hash.hpp"
#include "mplsec/table_diff.hpp"
#include "support/card_harness.hpp"

namespace mplsec::test {
namespace {

using tables::TableImage;

constexpr const char* kKeyA = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kKeyB = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

std::string config_yaml(const std::string& out_key, const std::string& extra_sas = "", bool route_sa = true) {
    return std::string(R"(
device: model
ports:
  - {id: 0, mac: "02:00:00:00:00:01", vrf: blue}
  - {id: 1, mac: "02:00:00:00:01:01"}
addresses: ["192.0.2.1"]
nexthops:
  - {name: core, port: 1, mac: "02:00:00:00:02:01"}
vrfs:
  - name: blue
    routes:
      - {prefix: "10.2.0.0/16", nexthop: core, push: [24001])") +
           (route_sa ? ", sa: to-pe2" : "") + R"(}
sas:
  - {name: to-pe2, dir: out, spi: 0x1001, cipher: aes-256-gcm, key: ")" + out_key + R"(", salt: "01020304",
     tunnel: {src: "2001:db8::1", dst: "2001:db8::2"}, lifetime: {soft_bytes: 1000, hard_packets: 9}}
  - {name: from-pe2, dir: in, spi: 0x2001, cipher: aes-128-gcm, key: "000102030405060708090a0b0c0d0e0f",
     salt: "0a0b0c0d", tunnel: {src: "192.0.2.2", dst: "192.0.2.1"}, replay_window: 256, esn: false}
)" + extra_sas;
}

TableImage compile_yaml(const std::string& yaml, const TableImage* previous = nullptr) {
    return tables::compile(config::load_string(yaml, "test.yaml"), 322266, previous);
}

// Position of the last write of (table, index) in the image, or -1.
long position(const TableImage& image, regs::TableId table, uint32_t index) {
    for (std::size_t i = image.writes.size(); i-- > 0;)
        if (image.writes[i].table == table && image.writes[i].index == index) return static_cast<long>(i);
    return -1;
}

const std::vector<uint32_t>& words_of(const TableImage& image, regs::TableId table, uint32_t index) {
    return image.writes.at(static_cast<std::size_t>(position(image, table, index))).words;
}

TEST(SaTables, EntriesCarryTheConfig) {
    const TableImage image = compile_yaml(config_yaml(kKeyA));
    const uint32_t out = image.sa_index.at("to-pe2"), in = image.sa_index.at("from-pe2");

    const auto sa = regs::SaEntry::unpack(words_of(image, regs::TableId::sa, out).data());
    EXPECT_TRUE(sa.valid);
    EXPECT_FALSE(sa.inbound);
    EXPECT_TRUE(sa.aes256);
    EXPECT_TRUE(sa.esn);
    EXPECT_TRUE(sa.outer_v6);
    EXPECT_EQ(sa.spi, 0x1001u);
    EXPECT_EQ(sa.salt, 0x01020304u);
    EXPECT_EQ(sa.key[7], 0x00010203u) << "first key byte in bits 255:248";
    EXPECT_EQ(sa.key[0], 0x1c1d1e1fu);
    const auto tunnel = regs::SaTunnelEntry::unpack(words_of(image, regs::TableId::sa_tunnel, out).data());
    EXPECT_EQ(tunnel.src[3], 0x20010db8u) << "IPv6 first bytes in bits 127:96";
    EXPECT_EQ(tunnel.src[0], 1u);
    EXPECT_EQ(tunnel.dst[0], 2u);
    EXPECT_EQ(regs::SaTunnelEntry::unpack(words_of(image, regs::TableId::sa_tunnel, in).data()).dst[0], 0u)
        << "inbound SAs leave sa_tunnel zero";
    const auto life = regs::SaLifetimeEntry::unpack(words_of(image, regs::TableId::sa_lifetime, out).data());
    EXPECT_EQ(life.soft_bytes, 1000u);
    EXPECT_EQ(life.hard_packets, 9u);
    EXPECT_EQ(life.hard_bytes, 0u) << "no limit";

    const auto in_sa = regs::SaEntry::unpack(words_of(image, regs::TableId::sa, in).data());
    EXPECT_TRUE(in_sa.inbound);
    EXPECT_FALSE(in_sa.aes256);
    EXPECT_FALSE(in_sa.esn);
    EXPECT_EQ(in_sa.replay_log2, 8u);
    EXPECT_EQ(in_sa.key[7], 0x00010203u);
    EXPECT_EQ(in_sa.key[4], 0x0c0d0e0fu) << "AES-128 in bits 255:128";
    EXPECT_EQ(in_sa.key[3], 0u);
    const uint32_t slot = spi_hash_slot(0x2001, 0);
    const auto hash = regs::SpiHashEntry::unpack(words_of(image, regs::TableId::spi_hash, slot).data());
    EXPECT_TRUE(hash.valid);
    EXPECT_EQ(hash.spi, 0x2001u);
    EXPECT_EQ(hash.sa, in);
    EXPECT_EQ(image.spi_slot.at(0x2001), slot);
    EXPECT_EQ(position(image, regs::TableId::spi_hash, spi_hash_slot(0x1001, 0)), -1) << "outbound SAs are not looked up";
}

TEST(SaTables, TunnelAndLifetimeBeforeSaBeforeTheRouteAndTheHashSlot) {
    const TableImage image = compile_yaml(config_yaml(kKeyA));
    const uint32_t out = image.sa_index.at("to-pe2"), in = image.sa_index.at("from-pe2");
    EXPECT_LT(position(image, regs::TableId::sa_tunnel, out), position(image, regs::TableId::sa, out));
    EXPECT_LT(position(image, regs::TableId::sa_lifetime, out), position(image, regs::TableId::sa, out));
    EXPECT_LT(position(image, regs::TableId::sa, out), position(image, regs::TableId::route, 0));
    EXPECT_LT(position(image, regs::TableId::sa, in), position(image, regs::TableId::spi_hash, spi_hash_slot(0x2001, 0)));
}

TEST(SaTables, TwoSpisShareABucketAThirdIsAConfigError) {
    // XOR with 0x4002 or 0x8004 changes neither hash: the three SPIs share
    // their way-0 and their way-1 slot (docs/datapath.md, Notes on ESP).
    const uint32_t second = 0x2001 ^ 0x4002, third = 0x2001 ^ 0x8004;
    ASSERT_EQ(spi_hash_slot(second, 0), spi_hash_slot(0x2001, 0));
    ASSERT_EQ(spi_hash_slot(third, 1), spi_hash_slot(0x2001, 1));
    auto inbound = [](const std::string& name, uint32_t spi) {
        return "  - {name: " + name + ", dir: in, spi: " + std::to_string(spi) +
               ", cipher: aes-128-gcm, key: \"000102030405060708090a0b0c0d0e0f\", salt: \"0a0b0c0d\", "
               "tunnel: {src: \"192.0.2.2\", dst: \"192.0.2.1\"}}\n";
    };
    const TableImage two = compile_yaml(config_yaml(kKeyA, inbound("second", second)));
    EXPECT_EQ(two.spi_slot.at(0x2001), spi_hash_slot(0x2001, 0));
    EXPECT_EQ(two.spi_slot.at(second), spi_hash_slot(second, 1)) << "the other way";
    try {
        compile_yaml(config_yaml(kKeyA, inbound("second", second) + inbound("third", third)));
        FAIL() << "a third SPI for a full bucket compiled";
    } catch (const config::ConfigError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("spi"), std::string::npos) << what;
        EXPECT_NE(what.find("no free spi_hash slot"), std::string::npos) << what;
        EXPECT_NE(what.find("0x2001"), std::string::npos) << what;
    }
}

TEST(SaTables, ApplyLeavesAnUnchangedSaAloneAndRekeysInPlace) {
    CardHarness card("model", config_yaml(kKeyA));
    const uint32_t out = card.image().sa_index.at("to-pe2");
    const Bytes frame = FrameBuilder().eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(0x0800)
                            .ipv4_udp("10.1.0.7", "10.2.0.9", 64, 26).pad_to().build();
    ASSERT_EQ(card.run(0, {frame, frame}).sent.size(), 2u);
    auto next_seq = [&] {
        return regs::SaSeqEntry::unpack(card.device().read_entry(regs::TableId::sa_seq, out).data()).next_seq;
    };
    ASSERT_EQ(next_seq(), 3u);

    // Another route, same SAs: no SA table entry is written.
    std::string more = config_yaml(kKeyA);
    more.replace(more.find("sas:"), 4, "      - {prefix: \"10.3.0.0/16\", nexthop: core}\nsas:");
    const TableImage same_sas = compile_yaml(more, &card.image());
    const runtime::TableDiff diff = runtime::diff_images(card.image(), same_sas);
    for (const runtime::EntryChange& c : diff.changes)
        EXPECT_TRUE(c.table == regs::TableId::route || c.table == regs::TableId::lpm4) << regs::table_info(c.table).name;
    runtime::apply_diff(card.device(), diff, same_sas);
    EXPECT_EQ(next_seq(), 3u) << "the sequence runs on";

    // A new key rewrites sa in place (same index): the SA restarts.
    const TableImage rekeyed = compile_yaml(config_yaml(kKeyB), &same_sas);
    EXPECT_EQ(rekeyed.sa_index.at("to-pe2"), out);
    const runtime::TableDiff rekey = runtime::diff_images(same_sas, rekeyed);
    EXPECT_TRUE(std::any_of(rekey.changes.begin(), rekey.changes.end(), [&](const runtime::EntryChange& c) {
        return c.table == regs::TableId::sa && c.index == out && c.kind == runtime::ChangeKind::changed;
    }));
    runtime::apply_diff(card.device(), rekey, rekeyed);
    EXPECT_EQ(next_seq(), 1u);

    // No route names it any more and it goes: the route first, the SA after.
    std::string gone = config_yaml(kKeyB, "", false);
    gone.erase(gone.find("  - {name: to-pe2"), gone.find("  - {name: from-pe2") - gone.find("  - {name: to-pe2"));
    const TableImage without = compile_yaml(gone, &rekeyed);
    const runtime::TableDiff removal = runtime::diff_images(rekeyed, without);
    long route_at = -1, sa_at = -1;
    for (std::size_t i = 0; i < removal.changes.size(); ++i) {
        if (removal.changes[i].table == regs::TableId::route) route_at = static_cast<long>(i);
        if (removal.changes[i].table == regs::TableId::sa && removal.changes[i].index == out) {
            sa_at = static_cast<long>(i);
            EXPECT_EQ(removal.changes[i].kind, runtime::ChangeKind::removed);
        }
    }
    ASSERT_GE(route_at, 0);
    ASSERT_GE(sa_at, 0);
    EXPECT_LT(route_at, sa_at) << "an SA is removed only after no route names it";
    runtime::apply_diff(card.device(), removal, without);
}

}  // namespace
}  // namespace mplsec::test
