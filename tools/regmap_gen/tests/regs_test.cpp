// Tests of the generated drivers/include/mplsec/regs.hpp: every table entry
// survives pack()/unpack(), fields sit where the register map says, and the
// reason list keeps the fixed names of DESIGN.md section 3.
#include <mplsec/regs.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace regs = mplsec::regs;

namespace {

// Random words with every bit above the entry width clear: exactly the set
// of words some entry packs into.
template <typename Entry>
std::array<std::uint32_t, Entry::kWords> random_words(std::mt19937_64& rng) {
  std::array<std::uint32_t, Entry::kWords> words{};
  for (std::uint32_t& word : words) word = static_cast<std::uint32_t>(rng());
  const unsigned spare_bits = Entry::kWords * 32 - Entry::kWidthBits;
  words.back() &= 0xFFFFFFFFu >> spare_bits;
  return words;
}

template <typename Entry>
class EntryTest : public ::testing::Test {};

using EntryTypes =
    ::testing::Types<regs::PortEntry, regs::IlmEntry, regs::NhlfeEntry, regs::NexthopEntry,
                     regs::VrfEntry, regs::RouteEntry, regs::Lpm4Entry, regs::Lpm6Entry,
                     regs::LocalAddrEntry>;
TYPED_TEST_SUITE(EntryTest, EntryTypes);

// unpack() of random words gives an entry with random field values; packing
// it must give the words back, and unpacking those the same entry.
TYPED_TEST(EntryTest, RandomEntriesRoundTrip) {
  std::mt19937_64 rng(0x6D706C73 + TypeParam::kWidthBits);  // fixed seed: reproducible
  for (int i = 0; i < 2000; ++i) {
    const auto words = random_words<TypeParam>(rng);
    const TypeParam entry = TypeParam::unpack(words);
    ASSERT_EQ(entry.pack(), words) << "iteration " << i;
    ASSERT_EQ(TypeParam::unpack(entry.pack()), entry) << "iteration " << i;
    ASSERT_EQ(TypeParam::unpack(words.data()), entry) << "iteration " << i;
  }
}

TYPED_TEST(EntryTest, DefaultEntryPacksToZero) {
  const std::array<std::uint32_t, TypeParam::kWords> zero{};
  EXPECT_EQ(TypeParam{}.pack(), zero);
}

TYPED_TEST(EntryTest, MatchesTableListAndWindow) {
  const regs::TableInfo& info = regs::kTables[static_cast<std::size_t>(TypeParam::kTable)];
  EXPECT_EQ(info.id, TypeParam::kTable);
  EXPECT_EQ(info.width_bits, TypeParam::kWidthBits);
  EXPECT_EQ(info.words, TypeParam::kWords);
  EXPECT_EQ(info.words, (info.width_bits + 31) / 32);
  EXPECT_LE(TypeParam::kWords, regs::tables::kDataCount);
}

TEST(Entry, PackMasksEachFieldToItsWidth) {
  regs::PortEntry port;
  port.mtu = ~std::uint64_t{0};  // 14 bits at 70:57
  const std::array<std::uint32_t, 3> expected{0, 0xFE000000u, 0x7Fu};
  EXPECT_EQ(port.pack(), expected);
  EXPECT_EQ(regs::PortEntry::unpack(port.pack()).mtu, 0x3FFFu);
}

TEST(Entry, FirstFieldSitsAtBitZero) {
  regs::NhlfeEntry nhlfe;
  nhlfe.op = static_cast<std::uint64_t>(regs::NhlfeOp::pop_lookup);
  nhlfe.label0 = 0xFFFFF;  // 20 bits at 24:5
  EXPECT_EQ(nhlfe.pack()[0], 3u | 0xFFFFFu << 5);
  EXPECT_EQ(regs::NhlfeEntry::kOpBit, 0u);
  EXPECT_EQ(regs::NhlfeEntry::kLabel1Bit, 25u);
}

// local_addr.addr is 128 bits from bit 2: every word straddles two entry words.
TEST(Entry, WideFieldIsLeastSignificantWordFirst) {
  regs::LocalAddrEntry entry;
  entry.valid = 1;
  entry.addr = {0x11111111u, 0x22222222u, 0x33333333u, 0x44444444u};
  const std::array<std::uint32_t, 5> expected{0x44444445u, 0x88888888u, 0xCCCCCCCCu,
                                              0x11111110u, 0x1u};
  EXPECT_EQ(entry.pack(), expected);
  EXPECT_EQ(regs::LocalAddrEntry::unpack(expected), entry);
}

TEST(Entry, PackIsConstexpr) {
  constexpr regs::IlmEntry ilm{1, 0x5, 0x1234};
  static_assert(ilm.pack()[0] == (1u | 0x5u << 1 | 0x1234u << 5));
  static_assert(regs::IlmEntry::unpack(ilm.pack()).nhlfe == 0x1234);
}

TEST(Registers, FieldMasksAndHelpers) {
  EXPECT_EQ(regs::ctrl::kControlEnableMask, 0x1u);
  EXPECT_EQ(regs::counters::kCntSelectBankMask, 0xFF000000u);
  EXPECT_EQ(regs::counters::kCntSelectIndexMask, 0x00FFFFFFu);
  EXPECT_EQ(regs::punt::kPuntMetaReasonMask, 0x00FF0000u);
  EXPECT_EQ(regs::punt::kPuntMetaReasonMask,
            regs::field_mask(regs::punt::kPuntMetaReasonBit, regs::punt::kPuntMetaReasonWidth));
  std::uint32_t select = 0;
  select = regs::set_field(select, regs::counters::kCntSelectBankBit,
                           regs::counters::kCntSelectBankWidth,
                           static_cast<std::uint32_t>(regs::CounterBank::reason));
  select = regs::set_field(select, regs::counters::kCntSelectIndexBit,
                           regs::counters::kCntSelectIndexWidth, 0x1234567);  // too wide: masked
  EXPECT_EQ(select, 0x02234567u);
  EXPECT_EQ(regs::get_field(select, regs::counters::kCntSelectBankBit,
                            regs::counters::kCntSelectBankWidth),
            2u);
}

TEST(Registers, VersionAndAbsoluteAddresses) {
  EXPECT_EQ(regs::kRegmapVersion, regs::kRegmapVersionMajor << 16 | regs::kRegmapVersionMinor);
  EXPECT_EQ(regs::ctrl::kControl, regs::ctrl::kBase + 0x0C);
  EXPECT_EQ(regs::ident::kBase, 0u);
}

// The blocks form the linked list a driver walks from address 0.
TEST(Registers, BlocksChainThroughNext) {
  ASSERT_FALSE(regs::kBlocks.empty());
  EXPECT_EQ(regs::kBlocks.front().base, 0u);
  for (std::size_t i = 0; i + 1 < regs::kBlocks.size(); ++i)
    EXPECT_EQ(regs::kBlocks[i].next, regs::kBlocks[i + 1].base) << regs::kBlocks[i].name;
  EXPECT_EQ(regs::kBlocks.back().next, 0u);
}

TEST(Tables, WindowsClearTheBlockHeaderAndFitTheSpace) {
  for (const regs::TableInfo& table : regs::kTables) {
    const std::uint32_t window = regs::tables::window_base(table.id);
    EXPECT_GE(window, regs::tables::kBase + 0x0C) << table.name;
    EXPECT_LE(window + regs::tables::kData0 + 4 * regs::tables::kDataCount,
              regs::kAddressSpaceBytes)
        << table.name;
  }
  EXPECT_EQ(regs::tables::window_base(regs::TableId::ilm) -
                regs::tables::window_base(regs::TableId::port),
            regs::tables::kWindowStride);
}

TEST(Tables, KTablesIsIndexedById) {
  for (std::size_t i = 0; i < regs::kTables.size(); ++i)
    EXPECT_EQ(static_cast<std::size_t>(regs::kTables[i].id), i);
}

TEST(Tables, SaTablesExistOnlyWithTheEspFeature) {
  for (const regs::TableInfo& t : regs::kTables) {
    const bool sa = t.id == regs::TableId::sa || t.id == regs::TableId::sa_tunnel ||
                    t.id == regs::TableId::sa_lifetime || t.id == regs::TableId::sa_seq ||
                    t.id == regs::TableId::spi_hash;
    EXPECT_EQ(t.feature, sa ? static_cast<int>(regs::kFeatureEspGcm) : -1) << t.name;
  }
}

TEST(Tables, LpmIndexFollowsIndexFields) {
  EXPECT_EQ(regs::lpm4_index(3, 0x2ABC, 0x5D), 3u << 22 | 0x2ABCu << 8 | 0x5Du);
  EXPECT_EQ(regs::lpm6_index(15, 0xABC, 0x5D), 15u << 20 | 0xABCu << 8 | 0x5Du);
  EXPECT_EQ(regs::lpm4_index(0, 0, 0x1FF), 0xFFu);  // each part masked to its width
  EXPECT_EQ(regs::lpm4_index(3, 0x3FFF, 0xFF) + 1,
            regs::kTables[static_cast<std::size_t>(regs::TableId::lpm4)].depth);
}

TEST(Tables, NodesPerLevelFitTheIndex) {
  EXPECT_EQ(regs::Lpm4Entry::kNodesPerLevel.size(), 4u);   // IPv4: 32 bits, stride 8
  EXPECT_EQ(regs::Lpm6Entry::kNodesPerLevel.size(), 16u);  // IPv6: 128 bits, stride 8
  // Level-0 node n is the root of VRF n.
  const std::uint32_t vrfs = regs::kTables[static_cast<std::size_t>(regs::TableId::vrf)].depth;
  EXPECT_EQ(regs::Lpm4Entry::kNodesPerLevel[0], vrfs);
  EXPECT_EQ(regs::Lpm6Entry::kNodesPerLevel[0], vrfs);
  for (std::uint32_t nodes : regs::Lpm4Entry::kNodesPerLevel)
    EXPECT_LE(nodes, 1u << regs::Lpm4Entry::kIndexNodeWidth);
  for (std::uint32_t nodes : regs::Lpm6Entry::kNodesPerLevel)
    EXPECT_LE(nodes, 1u << regs::Lpm6Entry::kIndexNodeWidth);
}

std::vector<std::string> reason_names(bool drop) {
  std::vector<std::string> names;
  for (const regs::ReasonInfo& reason : regs::kReasons)
    if (reason.drop == drop) names.emplace_back(reason.name);
  return names;
}

// DESIGN.md section 3 fixes these names (counters, JSON output).
const std::vector<std::string> kDesignDrops = {
    "bad_frame",       "no_label",         "label_spoofed", "stack_too_deep", "no_route",
    "mtu_exceeded",    "esp_no_sa",        "esp_auth_failed", "esp_replay",   "esp_bad_padding",
    "esp_seq_overflow", "esp_required",    "punt_policed"};
const std::vector<std::string> kDesignPunts = {"ttl_expired", "punt_control", "router_alert"};

TEST(Reasons, DropsAreDesignSection3InOrderThenActionDrop) {
  std::vector<std::string> expected = kDesignDrops;
  expected.push_back("action_drop");     // the register map's NHLFE drop operation
  expected.push_back("esp_sa_expired");  // an SA stopped by its hard lifetime
  EXPECT_EQ(reason_names(true), expected);
}

// DESIGN.md names the punts in prose (ttl_expired, punt_control,
// router_alert); the register map numbers punt_control first.
TEST(Reasons, PuntsAreDesignSection3) {
  EXPECT_EQ(reason_names(false),
            (std::vector<std::string>{"punt_control", "ttl_expired", "router_alert"}));
  std::vector<std::string> sorted = reason_names(false);
  std::vector<std::string> design = kDesignPunts;
  std::sort(sorted.begin(), sorted.end());
  std::sort(design.begin(), design.end());
  EXPECT_EQ(sorted, design);
}

TEST(Reasons, DropsComeFirstAndHelpersAgree) {
  bool seen_punt = false;
  for (const regs::ReasonInfo& reason : regs::kReasons) {
    EXPECT_FALSE(seen_punt && reason.drop) << reason.name << " follows a punt";
    seen_punt = seen_punt || !reason.drop;
    EXPECT_EQ(regs::is_drop(reason.code), reason.drop) << reason.name;
    EXPECT_EQ(regs::is_punt(reason.code), !reason.drop) << reason.name;
    EXPECT_STREQ(regs::reason_name(reason.code), reason.name);
    EXPECT_LT(static_cast<unsigned>(reason.code), regs::kNumReasonCodes);
  }
  EXPECT_EQ(regs::kReasons.size(), regs::kNumDropReasons + regs::kNumPuntReasons);
  EXPECT_EQ(regs::reason_name(static_cast<regs::Reason>(15)), nullptr);  // a gap in the codes
  EXPECT_EQ(static_cast<unsigned>(regs::Reason::punt_control), 16u);
}

TEST(Features, BitNumbersMatchTheList) {
  std::uint32_t mask = 0;
  for (const regs::FeatureInfo& feature : regs::kFeatures) mask |= 1u << feature.bit;
  EXPECT_EQ(mask, regs::kFeaturesKnown);
  EXPECT_EQ(regs::kFeatureMpls, 0u);
  EXPECT_STREQ(regs::kFeatures[regs::kFeatureEspGcm].name, "esp_gcm");
}

}  // namespace
