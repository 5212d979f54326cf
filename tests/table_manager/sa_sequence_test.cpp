// Outbound sequence numbers across card reloads (host/runtime sa_sequence.hpp,
// docs/runtime.md "Sequence numbers across reloads"): the record file, the
// resume arithmetic, and the table manager resuming or refusing an SA on a
// reloaded card so that no sequence number is sent twice under one key.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mplsec/apply.hpp"
#include "mplsec/sa_sequence.hpp"
#include "support/card_harness.hpp"

namespace mplsec::test {
namespace {

using runtime::SaStart;
using runtime::SequenceRecord;
using runtime::SequenceStore;
using std::chrono::system_clock;

constexpr const char* kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

regs::SaEntry outbound_entry(uint32_t salt, uint32_t key_word0 = 0x1c1d1e1f) {
    regs::SaEntry e{};
    e.valid = 1;
    e.aes256 = 1;
    e.spi = 0x1001;
    e.salt = salt;
    e.key[0] = key_word0;
    return e;
}

class TempDir {
public:
    TempDir() {
        char pattern[] = "/tmp/sa_sequence_test.XXXXXX";
        path_ = mkdtemp(pattern);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    std::string file(const char* name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

TEST(SaSequence, KeyIdNamesKeyAndSaltButHoldsNeither) {
    const std::string id = runtime::sa_key_id(outbound_entry(0x01020304));
    EXPECT_EQ(id.size(), 64u) << "hex SHA-256";
    EXPECT_EQ(id, runtime::sa_key_id(outbound_entry(0x01020304))) << "stable";
    EXPECT_NE(id, runtime::sa_key_id(outbound_entry(0x01020305))) << "another salt is another nonce space";
    EXPECT_NE(id, runtime::sa_key_id(outbound_entry(0x01020304, 0x1c1d1e1e))) << "another key";
    regs::SaEntry other_spi = outbound_entry(0x01020304);
    other_spi.spi = 0x2002;
    EXPECT_EQ(id, runtime::sa_key_id(other_spi)) << "the nonce does not hold the SPI: same key, same floor";
    EXPECT_EQ(id.find("1c1d1e1f"), std::string::npos);
}

TEST(SaSequence, RecordsRoundTripThroughTheFileWithoutKeyMaterial) {
    TempDir dir;
    const std::string path = dir.file("sa-sequence-model.json");
    SequenceStore store;
    store.note({"to-pe2", 0x1001, runtime::sa_key_id(outbound_entry(1)), 12345, 1700000000000, false});
    store.note({"old", 0x1002, runtime::sa_key_id(outbound_entry(2)), 0, 1700000000001, true});
    store.save(path);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp")) << "the temporary file was renamed over";
    using std::filesystem::perms;
    EXPECT_EQ(std::filesystem::status(path).permissions() & perms::all, perms::owner_read | perms::owner_write)
        << "state files are the daemon's alone";
    const auto loaded = SequenceStore::load(path);
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->records().size(), 2u);
    const SequenceRecord& r = loaded->records()[0];
    EXPECT_EQ(r.sa, "to-pe2");
    EXPECT_EQ(r.spi, 0x1001u);
    EXPECT_EQ(r.next_seq, 12345u);
    EXPECT_EQ(r.observed_at_ms, 1700000000000);
    EXPECT_FALSE(r.history_lost);
    EXPECT_TRUE(loaded->records()[1].history_lost);
    const std::string text = read_text(path);
    EXPECT_EQ(text.find("1c1d1e1f"), std::string::npos) << "no key bytes on disk";
    EXPECT_EQ(text.find(kKeyHex), std::string::npos);
}

TEST(SaSequence, MissingFileIsNoHistoryAndAnUnusableOneAClearError) {
    TempDir dir;
    EXPECT_FALSE(SequenceStore::load(dir.file("none.json"))) << "first run: nothing installed before";
    const std::string good_id = runtime::sa_key_id(outbound_entry(1));
    const std::string record = R"({"sa":"a","spi":1,"key_id":")" + good_id + R"(","next_seq":5,"observed_at_ms":1,"history_lost":false})";
    const std::pair<const char*, std::string> bad[] = {
        {"not JSON", "{truncated"},
        {"not a sequence record file", R"({"format":"mplsec-table-image","format_version":1})"},
        {"not a sequence record file", R"({"format":"mplsec-sa-sequence","format_version":2,"records":[]})"},
        {"malformed record", R"({"format":"mplsec-sa-sequence","format_version":1,"records":[{"sa":"a"}]})"},
        {"key_id is not a hex SHA-256",
         R"({"format":"mplsec-sa-sequence","format_version":1,"records":[{"sa":"a","spi":1,"key_id":")" + std::string(kKeyHex).substr(0, 60) +
             R"(zz","next_seq":5,"observed_at_ms":1,"history_lost":false}]})"},
    };
    for (const auto& [why, text] : bad) {
        const std::string path = dir.file("bad.json");
        write_text(path, text);
        try {
            SequenceStore::load(path);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const runtime::SequenceStoreError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(path), std::string::npos) << what;
            EXPECT_NE(what.find(why), std::string::npos) << what;
        }
    }
    write_text(dir.file("ok.json"), R"({"format":"mplsec-sa-sequence","format_version":1,"records":[)" + record + "]}");
    EXPECT_EQ(SequenceStore::load(dir.file("ok.json"))->records().at(0).next_seq, 5u);
}

TEST(SaSequence, AFloorNeverGoesDownAndALostHistoryStaysUntilALiveRead) {
    const std::string id = runtime::sa_key_id(outbound_entry(1));
    SequenceStore store;
    EXPECT_FALSE(store.floor_of(id)) << "a key never installed starts fresh";
    store.note({"to-pe2", 0x1001, id, 500, 1000, false});
    store.note({"to-pe2", 0x1001, id, 7, 2000, false});  // a reset card read before the reset was seen
    EXPECT_EQ(store.floor_of(id)->next_seq, 500u);
    EXPECT_EQ(store.floor_of(id)->observed_at_ms, 1000);
    store.note({"renamed", 0x1002, id, 900, 3000, false});
    EXPECT_EQ(store.floor_of(id)->next_seq, 900u) << "the highest of the key's records, whatever its name or SPI";

    const std::string lost_id = runtime::sa_key_id(outbound_entry(2));
    store.note({"lost", 0x1003, lost_id, 0, 1000, true});
    EXPECT_TRUE(store.floor_of(lost_id)->history_lost);
    store.note({"lost", 0x1003, lost_id, 42, 4000, false});
    EXPECT_FALSE(store.floor_of(lost_id)->history_lost) << "a card that kept the SA says where it is";
    EXPECT_EQ(store.floor_of(lost_id)->next_seq, 42u);
}

TEST(SaSequence, ResumeCoversLineRateSinceTheRecordAndStopsAtTheLimit) {
    const system_clock::time_point now{std::chrono::milliseconds(1'700'000'010'000)};
    const SequenceRecord ten_seconds_ago{"to-pe2", 0x1001, std::string(64, 'a'), 1000, 1'700'000'000'000, false};
    const uint64_t two_ports_10_1_s = static_cast<uint64_t>(std::ceil(10.1 * runtime::kLineRateFramesPerPort * 2));
    EXPECT_EQ(runtime::resume_point(ten_seconds_ago, now, 2, true), 1000 + two_ports_10_1_s);
    EXPECT_EQ(runtime::resume_point(ten_seconds_ago, now, 2, false), 1000 + two_ports_10_1_s)
        << "3.0 billion packets in 10 s on two ports: still below 2^32";
    const SequenceRecord twenty_seconds_ago{"to-pe2", 0x1001, std::string(64, 'a'), 1000, 1'700'000'000'000 - 10'000,
                                            false};
    EXPECT_FALSE(runtime::resume_point(twenty_seconds_ago, now, 2, false))
        << "6 billion packets may have gone in 20 s at line rate: past 2^32 without ESN";

    const SequenceRecord just_now{"to-pe2", 0x1001, std::string(64, 'a'), 1000, 1'700'000'010'000, false};
    const uint64_t resume = *runtime::resume_point(just_now, now, 1, false);
    EXPECT_GT(resume, 1000u + static_cast<uint64_t>(0.1 * runtime::kLineRateFramesPerPort) - 1);
    EXPECT_LT(resume, uint64_t{1} << 32);

    const SequenceRecord near_limit{"to-pe2", 0x1001, std::string(64, 'a'), (uint64_t{1} << 32) - 100,
                                    1'700'000'010'000, false};
    EXPECT_FALSE(runtime::resume_point(near_limit, now, 1, false)) << "exhausted without ESN";
    EXPECT_TRUE(runtime::resume_point(near_limit, now, 1, true)) << "ESN has room";
    SequenceRecord lost = just_now;
    lost.history_lost = true;
    EXPECT_FALSE(runtime::resume_point(lost, now, 1, true));
    EXPECT_FALSE(runtime::resume_point({"x", 1, std::string(64, 'a'), UINT64_MAX - 5, 1'700'000'010'000, false}, now, 1,
                                       true))
        << "no wrap past 2^64";
}

// --- on a card: what the table manager writes -------------------------------

class SequenceOnCard : public ::testing::Test {
protected:
    uint32_t out_sa() const { return card.image().sa_index.at("to-pe2"); }
    uint64_t next_seq() {
        return regs::SaSeqEntry::unpack(card.device().read_entry(regs::TableId::sa_seq, out_sa()).data()).next_seq;
    }
    // A customer packet to 10.9.0.9: encrypted by to-pe2, pushed [300, 16].
    static Bytes customer() {
        return FrameBuilder().eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(0x0800)
            .ipv4_udp("10.1.0.7", "10.9.0.9", 64, 26).pad_to().build();
    }
    // The ESP sequence number of a frame sent with two labels and an IPv4 outer header.
    static uint32_t esp_seq(const Bytes& frame) {
        const std::size_t seq_at = 14 + 8 + 20 + 4;
        return uint32_t{frame.at(seq_at)} << 24 | uint32_t{frame.at(seq_at + 1)} << 16 | uint32_t{frame.at(seq_at + 2)} << 8 |
               frame.at(seq_at + 3);
    }
    std::vector<uint32_t> sent_seqs(std::size_t frames) {
        const Output out = card.run(0, std::vector<Bytes>(frames, customer()));
        std::vector<uint32_t> seqs;
        for (const drivers::TxFrame& f : out.sent) seqs.push_back(esp_seq(f.bytes));
        return seqs;
    }
    // The card reloads: every table empty, every SA back to sequence 1.
    void reload_and_reconcile(const runtime::SaStartPolicy& policy) {
        card.device().reload("");
        runtime::reconcile(card.device(), card.image(), &card.image(), policy);
    }

    CardHarness card{"model", kPeConfig};
};

TEST_F(SequenceOnCard, AResumedSaContinuesAboveEverySequenceNumberSentBefore) {
    EXPECT_EQ(sent_seqs(3), (std::vector<uint32_t>{1, 2, 3}));
    const uint64_t before = next_seq();
    ASSERT_EQ(before, 4u);
    std::vector<std::pair<uint32_t, uint64_t>> asked;
    reload_and_reconcile([&](uint32_t index, const regs::SaEntry&) {
        asked.emplace_back(index, before);
        return SaStart{SaStart::Kind::resume, before + 1000};
    });
    EXPECT_EQ(asked.size(), 1u) << "asked once, for the one outbound SA";
    EXPECT_EQ(next_seq(), before + 1000);
    const std::vector<uint32_t> after = sent_seqs(2);
    EXPECT_EQ(after, (std::vector<uint32_t>{static_cast<uint32_t>(before + 1000), static_cast<uint32_t>(before + 1001)}));
}

TEST_F(SequenceOnCard, WithoutAPolicyAReloadedSaStartsAtOne) {
    sent_seqs(3);
    reload_and_reconcile({});
    EXPECT_EQ(next_seq(), 1u) << "the card keeps nothing across a reload: the host must";
}

TEST_F(SequenceOnCard, TheSequenceWriteFollowsTheSaEntryBeforeAnyRouteNamesIt) {
    const auto starts = [](uint32_t, const regs::SaEntry&) { return SaStart{SaStart::Kind::resume, 77}; };
    const std::vector<tables::TableWrite> writes = runtime::with_sa_starts(card.image().writes, starts);
    ASSERT_EQ(writes.size(), card.image().writes.size() + 1);
    std::size_t sa_at = writes.size(), seq_at = writes.size(), first_route = writes.size();
    for (std::size_t i = 0; i < writes.size(); ++i) {
        if (writes[i].table == regs::TableId::sa && writes[i].index == out_sa()) sa_at = i;
        if (writes[i].table == regs::TableId::sa_seq) seq_at = i;
        if (writes[i].table == regs::TableId::route && first_route == writes.size()) first_route = i;
    }
    EXPECT_EQ(seq_at, sa_at + 1) << "right after the sa entry that resets it";
    EXPECT_LT(seq_at, first_route) << "before any route can send on the SA";
    EXPECT_EQ(regs::SaSeqEntry::unpack(writes[seq_at].words.data()).next_seq, 77u);
}

TEST_F(SequenceOnCard, ARefusedSaIsNotOnTheCardAndNothingIsSent) {
    sent_seqs(2);
    reload_and_reconcile([](uint32_t, const regs::SaEntry&) { return SaStart{SaStart::Kind::refuse, 0}; });
    const auto held = card.device().read_entry(regs::TableId::sa, out_sa());
    EXPECT_TRUE(std::all_of(held.begin(), held.end(), [](uint32_t w) { return w == 0; })) << "no key on the card";
    const uint64_t no_sa_before = card.reason_count(regs::Reason::esp_no_sa);
    EXPECT_TRUE(sent_seqs(3).empty()) << "nothing goes out with a reused nonce";
    EXPECT_EQ(card.reason_count(regs::Reason::esp_no_sa), no_sa_before + 3);
}

}  // namespace
}  // namespace mplsec::test
