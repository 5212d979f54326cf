// Longest-prefix match end to end: random IPv4 and IPv6 prefixes in two
// VRFs, compiled into tries by the table compiler, looked up by the
// datapath, checked against a brute-force search over the prefix list.
// Every route pushes its own label, so the label out names the route used.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <random>
#include <sstream>

#include "support/card_harness.hpp"

namespace mplsec::test {
namespace {

struct TestPrefix {
    bool v6;
    std::array<uint8_t, 16> addr;
    int len;
    uint32_t label;
};

std::string text(const TestPrefix& p) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(p.v6 ? AF_INET6 : AF_INET, p.addr.data(), buf, sizeof buf);
    return std::string(buf) + "/" + std::to_string(p.len);
}

bool covers(const TestPrefix& p, const std::array<uint8_t, 16>& a) {
    for (int bit = 0; bit < p.len; ++bit)
        if (((p.addr[bit / 8] ^ a[bit / 8]) >> (7 - bit % 8)) & 1) return false;
    return true;
}

class Lpm : public ::testing::TestWithParam<std::string> {};

TEST_P(Lpm, MatchesBruteForceOnRandomPrefixes) {
    std::mt19937 rng(7);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    // Prefixes cluster under a few tops so that they nest and overlap.
    std::vector<TestPrefix> prefixes;
    uint32_t next_label = 1000;
    for (int i = 0; i < 400; ++i) {
        TestPrefix p{};
        p.v6 = i % 4 == 3;
        const int max_len = p.v6 ? 128 : 32;
        p.len = pick(0, 9) == 0 ? pick(0, max_len) : pick(p.v6 ? 16 : 8, p.v6 ? 64 : 28);
        p.addr[0] = p.v6 ? 0x20 : static_cast<uint8_t>(10 + pick(0, 2));
        p.addr[1] = static_cast<uint8_t>(pick(0, 3));
        for (int b = 2; b < 16; ++b) p.addr[b] = static_cast<uint8_t>(pick(0, 3) == 0 ? 0 : pick(0, 255));
        if (!p.v6) std::fill(p.addr.begin() + 4, p.addr.end(), 0);
        for (int bit = p.len; bit < 128; ++bit) p.addr[bit / 8] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
        bool duplicate = false;
        for (const TestPrefix& q : prefixes) duplicate |= q.v6 == p.v6 && q.len == p.len && q.addr == p.addr;
        if (duplicate) continue;
        p.label = next_label++;
        prefixes.push_back(p);
    }
    std::ostringstream yaml;
    yaml << "ports:\n  - {id: 0, mac: \"02:00:00:00:00:01\", vrf: a}\n  - {id: 1, mac: \"02:00:00:00:01:01\"}\n"
         << "nexthops:\n  - {name: core, port: 1, mac: \"02:00:00:00:02:01\"}\n"
         << "vrfs:\n  - name: other\n    routes:\n      - {prefix: \"0.0.0.0/0\", nexthop: core, push: [999]}\n"
         << "  - name: a\n    routes:\n";
    for (const TestPrefix& p : prefixes)
        yaml << "      - {prefix: \"" << text(p) << "\", nexthop: core, push: [" << p.label << "]}\n";
    CardHarness card(GetParam(), yaml.str());

    int hits = 0, misses = 0;
    for (int i = 0; i < 3000; ++i) {
        // Destinations near the prefixes: start from one and flip some bits.
        const TestPrefix& base = prefixes[static_cast<std::size_t>(pick(0, static_cast<int>(prefixes.size()) - 1))];
        std::array<uint8_t, 16> dst = base.addr;
        const int bytes = base.v6 ? 16 : 4;
        // Byte 0 stays: flipping it could make a multicast address, which is punted.
        for (int f = pick(0, 3); f > 0; --f) dst[static_cast<std::size_t>(pick(1, bytes - 1))] ^= static_cast<uint8_t>(1 << pick(0, 7));
        const TestPrefix* best = nullptr;
        for (const TestPrefix& p : prefixes)
            if (p.v6 == base.v6 && covers(p, dst) && (!best || p.len > best->len)) best = &p;

        char buf[INET6_ADDRSTRLEN];
        inet_ntop(base.v6 ? AF_INET6 : AF_INET, dst.data(), buf, sizeof buf);
        FrameBuilder b;
        b.eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(base.v6 ? 0x86DD : 0x0800);
        if (base.v6)
            b.ipv6_udp("2001:db8::5", buf, 64, 10);
        else
            b.ipv4_udp("10.200.0.5", buf, 64, 10);
        Output out = card.run(0, {b.pad_to().build()});
        if (!best) {
            EXPECT_TRUE(out.sent.empty()) << buf << " has no route";
            ++misses;
            continue;
        }
        ASSERT_EQ(out.sent.size(), 1u) << buf << " should match " << text(*best);
        EXPECT_EQ(lse_at(out.sent[0].bytes, 14).label, best->label) << buf << " should match " << text(*best);
        ++hits;
    }
    EXPECT_GT(hits, 2000);
    std::cout << prefixes.size() << " prefixes, " << hits << " lookups matched, " << misses << " had no route\n";
}

INSTANTIATE_TEST_SUITE_P(Engines, Lpm, ::testing::ValuesIn(std::vector<std::string>{ENGINES}),
                         EngineName());

}  // namespace
}  // namespace mplsec::test
