// Table manager (DESIGN.md 4): stable indices across compiles, a
// make-before-break transaction checked under traffic one register write
// at a time, reconcile after a card reload and after corruption, a
// full NHLFE table from a config, and the whole 2^20-label ILM in bulk runs.
#include <gtest/gtest.h>

#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>

#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/image_store.hpp"
#include "mplsec/table_diff.hpp"
#include "support/card_harness.hpp"

namespace mplsec::test {
namespace {

using tables::TableImage;

// ---------------------------------------------------------------- configs

struct Lsp {
    uint32_t label = 0;
    std::string yaml;  // the rest of the ILM line
};

struct Pfx {
    std::string vrf, prefix, yaml;  // yaml: the rest of the route line
    std::string probe;              // a destination only this prefix covers (in A and B)
};

struct Net {
    std::vector<std::string> nexthops;  // whole lines
    std::vector<std::string> vrfs;      // names, in order
    std::vector<Lsp> lsps;
    std::vector<Pfx> routes;
    std::string port2_vrf = "red";
    std::vector<std::string> addresses{"192.0.2.1", "2001:db8::1"};

    std::string yaml() const {
        std::ostringstream y;
        y << "device: model\nports:\n"
          << "  - {id: 0, mac: \"02:00:00:00:00:01\", vrf: blue}\n"
          << "  - {id: 1, mac: \"02:00:00:00:01:01\", mtu: 1500}\n"
          << "  - {id: 2, mac: \"02:00:00:00:02:01\", vrf: " << port2_vrf << "}\n";
        y << "addresses: [";
        for (std::size_t i = 0; i < addresses.size(); ++i) y << (i ? ", " : "") << '"' << addresses[i] << '"';
        y << "]\nnexthops:\n";
        for (const std::string& nh : nexthops) y << "  - " << nh << "\n";
        y << "ilm:\n";
        for (const Lsp& l : lsps) y << "  - {label: " << l.label << ", " << l.yaml << "}\n";
        y << "vrfs:\n";
        for (const std::string& v : vrfs) {
            y << "  - name: " << v << "\n    routes:\n";
            for (const Pfx& r : routes)
                if (r.vrf == v) y << "      - {prefix: \"" << r.prefix << "\", " << r.yaml << "}\n";
        }
        return y.str();
    }
};

std::string nh_line(const std::string& name, int port, int n) {
    char mac[32];
    std::snprintf(mac, sizeof mac, "02:00:00:00:%02x:%02x", 0x10 + port, n & 0xff);
    return "{name: " + name + ", port: " + std::to_string(port) + ", mac: \"" + mac + "\"}";
}

Net net_a() {
    Net n;
    for (int i = 0; i < 10; ++i) n.nexthops.push_back(nh_line("nh" + std::to_string(i), 1, i));
    n.nexthops.push_back(nh_line("ce0", 0, 0x80));
    n.vrfs = {"blue", "red"};
    n.lsps.push_back({16, "action: pop-lookup, vrf: blue, ports: [1]"});
    n.lsps.push_back({17, "action: pop-lookup, vrf: red, ports: [1]"});
    for (uint32_t i = 0; i < 60; ++i)
        n.lsps.push_back({1000 + i, "action: swap, out_labels: [" + std::to_string(5000 + i) + "], nexthop: nh" +
                                        std::to_string(i % 10) + ", ports: [1]"});
    auto route = [&](const std::string& vrf, const std::string& prefix, const std::string& nh, uint32_t push,
                     const std::string& probe) {
        n.routes.push_back({vrf, prefix, "nexthop: " + nh + ", push: [" + std::to_string(push) + "]", probe});
    };
    for (int i = 0; i < 20; ++i) {
        const std::string s = std::to_string(i);
        route("blue", "10." + s + ".0.0/16", "nh" + std::to_string(i % 10), 6000 + i, "10." + s + ".200.1");
        if (i % 2 == 0) {
            const std::string t = std::to_string(i + 1);
            route("blue", "10." + s + "." + t + ".0/24", "nh" + std::to_string((i + 3) % 10), 7000 + i,
                  "10." + s + "." + t + ".1");
        }
    }
    route("blue", "172.16.0.0/12", "nh2", 6100, "172.16.200.1");
    route("blue", "2001:db9:1::/48", "nh1", 8100, "2001:db9:1:ff::1");  // a v6 subtree B leaves alone
    for (int i = 0; i < 10; ++i) {
        const std::string s = std::to_string(i);
        route("blue", "2001:db8:" + s + "::/48", "nh" + s, 8000 + i, "2001:db8:" + s + ":ff::1");
        route("red", "10." + s + ".0.0/16", "nh" + std::to_string(9 - i), 9000 + i, "10." + s + ".200.1");
    }
    return n;
}

// A with objects removed and added in the middle of every list, so that a
// positional compile renumbers what follows them.
Net net_b() {
    Net n = net_a();
    n.nexthops.insert(n.nexthops.begin(), nh_line("nhx", 1, 0x40));
    n.vrfs.insert(n.vrfs.begin(), "green");
    n.port2_vrf = "green";
    n.addresses.insert(n.addresses.begin(), "198.51.100.7");
    std::vector<Lsp> lsps;
    for (const Lsp& l : n.lsps) {
        if (l.label == 1005 || l.label == 1017 || l.label == 1030) continue;
        if (l.label == 1010)
            for (uint32_t k = 0; k < 10; ++k)
                lsps.push_back({1100 + k, "action: swap, out_labels: [" + std::to_string(5100 + k) + "], nexthop: nhx, ports: [1]"});
        lsps.push_back(l);
        if (l.label == 1040) lsps.back().yaml = "action: swap, out_labels: [4444], nexthop: nh0, ports: [1]";
    }
    lsps.insert(lsps.begin(), Lsp{18, "action: pop-lookup, vrf: green, ports: [1]"});
    n.lsps = lsps;
    std::vector<Pfx> routes;
    routes.push_back({"green", "10.0.0.0/8", "nexthop: nhx, push: [9999]", ""});
    routes.push_back({"red", "10.50.0.0/16", "nexthop: nhx, push: [9500]", ""});
    for (const Pfx& r : n.routes) {
        if (r.vrf == "blue" && (r.prefix == "10.5.0.0/16" || r.prefix == "2001:db8:6::/48")) continue;
        if (r.vrf == "blue" && r.prefix == "10.7.0.0/16") {
            routes.push_back({"blue", "10.7.9.0/24", "nexthop: nhx, push: [7777]", ""});
            routes.push_back({"blue", "10.30.0.0/16", "nexthop: nhx, push: [7778]", ""});
            routes.push_back({"blue", "11.0.0.0/8", "nexthop: nhx, push: [7779]", ""});
            routes.push_back({"blue", "2001:db8:3:5::/64", "nexthop: nhx, push: [7780]", ""});
        }
        routes.push_back(r);
        if (r.vrf == "blue" && r.prefix == "10.12.0.0/16") routes.back().yaml = "nexthop: nh1, push: [6666]";
    }
    n.routes = routes;
    return n;
}

config::Config parse(const Net& n, const char* name) { return config::load_string(n.yaml(), name); }

// Frames for every LSP and prefix that A and B both have unchanged.
std::vector<std::pair<uint8_t, Bytes>> probes(const Net& a, const Net& b) {
    std::set<std::string> in_b;
    for (const Lsp& l : b.lsps) in_b.insert(std::to_string(l.label) + l.yaml);
    for (const Pfx& r : b.routes) in_b.insert(r.vrf + r.prefix + r.yaml);
    std::vector<std::pair<uint8_t, Bytes>> out;
    auto ip = [](FrameBuilder& f, const std::string& dst) {
        if (dst.find(':') != std::string::npos)
            f.ipv6_udp("2001:db8:99::5", dst, 64, 20);
        else
            f.ipv4_udp("10.200.0.5", dst, 64, 20);
    };
    for (const Lsp& l : a.lsps) {
        if (!in_b.count(std::to_string(l.label) + l.yaml) || l.label < 1000) continue;
        FrameBuilder f;
        f.eth("02:00:00:00:01:01", "02:00:00:00:11:99").ethertype(0x8847).label(l.label, 64, true);
        ip(f, "10.1.200.1");
        out.emplace_back(1, f.pad_to().build());
    }
    for (const Pfx& r : a.routes) {
        if (r.probe.empty() || !in_b.count(r.vrf + r.prefix + r.yaml)) continue;
        const bool v6 = r.probe.find(':') != std::string::npos;
        if (r.vrf == "blue") {  // unlabeled on the blue port
            FrameBuilder f;
            f.eth("02:00:00:00:00:01", "02:00:00:00:10:80").ethertype(v6 ? 0x86DD : 0x0800);
            ip(f, r.probe);
            out.emplace_back(0, f.pad_to().build());
        }
        // and through the pop-lookup LSP of its VRF
        FrameBuilder f;
        f.eth("02:00:00:00:01:01", "02:00:00:00:11:99").ethertype(0x8847).label(r.vrf == "blue" ? 16 : 17, 64, true);
        ip(f, r.probe);
        out.emplace_back(1, f.pad_to().build());
    }
    return out;
}

std::vector<drivers::TxFrame> send_all(drivers::Device& d, const std::vector<std::pair<uint8_t, Bytes>>& frames) {
    for (const auto& [port, bytes] : frames) d.port_send(port, bytes);
    return d.port_run();
}

bool same(const std::vector<drivers::TxFrame>& a, const std::vector<drivers::TxFrame>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].port != b[i].port || a[i].bytes != b[i].bytes) return false;
    return true;
}

uint32_t clock_khz() {
    static const uint32_t clock = drivers::open_device("model")->check_identity().clock_khz;
    return clock;
}

// ---------------------------------------------------------------- (a) stability

TEST(TableManager, UnchangedObjectsKeepTheirIndices) {
    const Net na = net_a(), nb = net_b();
    const TableImage a = tables::compile(parse(na, "a.yaml"), clock_khz());
    const TableImage b = tables::compile(parse(nb, "b.yaml"), clock_khz(), &a);

    auto same_where_both = [](const auto& old_map, const auto& new_map, const char* what) {
        std::set<uint32_t> old_indices;
        for (const auto& [key, index] : old_map) old_indices.insert(index);
        int kept = 0;
        for (const auto& [key, index] : new_map) {
            const auto it = old_map.find(key);
            if (it != old_map.end()) {
                EXPECT_EQ(index, it->second) << what << " " << key << " moved";
                ++kept;
            } else {
                EXPECT_FALSE(old_indices.count(index)) << what << " " << key << " took index " << index
                                                       << ", which the previous image still uses";
            }
        }
        return kept;
    };
    EXPECT_EQ(same_where_both(a.nexthop_index, b.nexthop_index, "next hop"), 11);
    EXPECT_EQ(same_where_both(a.vrf_index, b.vrf_index, "VRF"), 2);
    EXPECT_EQ(same_where_both(a.nhlfe_of_label, b.nhlfe_of_label, "NHLFE of label"), 59);
    EXPECT_EQ(same_where_both(a.addr_index, b.addr_index, "local address"), 2);
    std::map<std::string, uint32_t> ra, rb;
    for (uint32_t i = 0; i < a.routes.size(); ++i)
        if (!a.routes[i].vrf.empty()) ra[a.routes[i].vrf + " " + a.routes[i].prefix] = i;
    for (uint32_t i = 0; i < b.routes.size(); ++i)
        if (!b.routes[i].vrf.empty()) rb[b.routes[i].vrf + " " + b.routes[i].prefix] = i;
    EXPECT_EQ(same_where_both(ra, rb, "route"), static_cast<int>(ra.size()) - 2);

    // Trie nodes: a node index of level > 0 that both images own is the
    // same node (same path) with the same content; unchanged subtrees keep
    // their nodes; changed ones got fresh indices.
    std::map<std::pair<regs::TableId, uint32_t>, std::vector<uint32_t>> wa, wb;
    for (const auto& w : a.writes) wa[{w.table, w.index}] = w.words;
    for (const auto& w : b.writes) wb[{w.table, w.index}] = w.words;
    for (const auto& [nodes_a, nodes_b, table] :
         {std::tuple{&a.lpm4_nodes, &b.lpm4_nodes, regs::TableId::lpm4},
          std::tuple{&a.lpm6_nodes, &b.lpm6_nodes, regs::TableId::lpm6}}) {
        std::map<std::pair<std::size_t, uint32_t>, std::string> owner_a;
        for (const auto& [path, index] : *nodes_a) owner_a[{path.size(), index}] = path;
        int kept = 0, fresh = 0;
        for (const auto& [path, index] : *nodes_b) {
            if (path.size() == 1) continue;  // VRF roots are fixed
            const auto it = owner_a.find({path.size(), index});
            if (it == owner_a.end()) {
                ++fresh;
                continue;
            }
            ++kept;
            EXPECT_EQ(it->second, path) << "a node index moved to another path";
            const uint32_t level = static_cast<uint32_t>(path.size() - 1);
            for (uint32_t s = 0; s < 256; ++s) {
                const uint32_t e = table == regs::TableId::lpm4 ? regs::lpm4_index(level, index, s)
                                                                : regs::lpm6_index(level, index, s);
                const auto x = wa.find({table, e});
                const auto y = wb.find({table, e});
                ASSERT_EQ(x == wa.end(), y == wb.end());
                if (x != wa.end()) {
                    EXPECT_EQ(x->second, y->second) << "kept node rewritten";
                }
            }
        }
        EXPECT_GT(kept, 0) << regs::table_info(table).name;
        EXPECT_GT(fresh, 0) << regs::table_info(table).name;
    }
    // The blue 10.2/16 node (holding 10.2.3.0/24) is untouched by B.
    const std::string blue_10_2 = std::string(1, char(a.vrf_index.at("blue"))) + char(10) + char(2);
    EXPECT_EQ(a.lpm4_nodes.at(blue_10_2), b.lpm4_nodes.at(blue_10_2));

    // Every in-place change is to the same object, or a redirect.
    const runtime::TableDiff diff = runtime::diff_images(a, b);
    std::set<uint32_t> changed_nhlfe, changed_route;
    for (const runtime::EntryChange& c : diff.changes) {
        if (c.kind != runtime::ChangeKind::changed) continue;
        switch (c.table) {
            case regs::TableId::ilm:
            case regs::TableId::port: break;
            case regs::TableId::lpm4: EXPECT_EQ(c.index >> regs::Lpm4Entry::kIndexLevelBit, 0u); break;
            case regs::TableId::lpm6: EXPECT_EQ(c.index >> regs::Lpm6Entry::kIndexLevelBit, 0u); break;
            case regs::TableId::nhlfe: changed_nhlfe.insert(c.index); break;
            case regs::TableId::route: changed_route.insert(c.index); break;
            default: ADD_FAILURE() << "unexpected in-place change of " << regs::table_info(c.table).name << " "
                                   << c.index;
        }
    }
    EXPECT_EQ(changed_nhlfe, (std::set<uint32_t>{b.nhlfe_of_label.at(1040)}));
    EXPECT_EQ(changed_route, (std::set<uint32_t>{rb.at("blue 10.12.0.0/16")}));
}

TEST(TableManager, WithoutPreviousTheImageIsPositionalAndRepeatable) {
    const config::Config c = parse(net_a(), "a.yaml");
    const TableImage x = tables::compile(c, clock_khz());
    const TableImage y = tables::compile(c, clock_khz());
    EXPECT_TRUE(runtime::diff_images(x, y).empty());
    EXPECT_EQ(x.nexthop_index.at("nh0"), 0u);
    EXPECT_EQ(x.nhlfe_of_label.at(16), 0u);
    // Compiling against itself changes nothing either.
    EXPECT_TRUE(runtime::diff_images(x, tables::compile(c, clock_khz(), &x)).empty());
}

TEST(TableManager, DiffPhasesCreateThenRedirectThenRemove) {
    const TableImage a = tables::compile(parse(net_a(), "a.yaml"), clock_khz());
    const TableImage b = tables::compile(parse(net_b(), "b.yaml"), clock_khz(), &a);
    std::map<std::pair<regs::TableId, uint32_t>, bool> redirect;
    for (const auto& w : b.writes) redirect[{w.table, w.index}] = w.redirect;
    const runtime::TableDiff diff = runtime::diff_images(a, b);
    int phase = 0;
    for (const runtime::EntryChange& c : diff.changes) {
        const int p = c.kind == runtime::ChangeKind::removed ? 2 : redirect.at({c.table, c.index}) ? 1 : 0;
        EXPECT_GE(p, phase) << "phase went back at " << regs::table_info(c.table).name << " " << c.index;
        phase = std::max(phase, p);
    }
    EXPECT_EQ(phase, 2);
}

// A -> B -> A again, each compiled against the one before: indices freed
// by one transaction may be used by the next (never by the same one), and
// the card ends up forwarding exactly like a card loaded with A directly.
TEST(TableManager, ChainOfTransactionsForwardsLikeAFreshLoad) {
    const Net na = net_a(), nb = net_b();
    auto card = drivers::open_device("model");
    const TableImage a = tables::compile(parse(na, "a.yaml"), clock_khz());
    const TableImage b = tables::compile(parse(nb, "b.yaml"), clock_khz(), &a);
    const TableImage a2 = tables::compile(parse(na, "a.yaml"), clock_khz(), &b);
    runtime::apply_image(*card, a);
    runtime::apply_diff(*card, runtime::diff_images(a, b), b);
    runtime::apply_diff(*card, runtime::diff_images(b, a2), a2);

    std::set<uint32_t> used_by_b;
    for (const auto& [label, index] : b.nhlfe_of_label) used_by_b.insert(index);
    for (uint32_t label : {1005u, 1017u, 1030u}) EXPECT_FALSE(used_by_b.count(a2.nhlfe_of_label.at(label))) << label;

    auto fresh = drivers::open_device("model");
    runtime::apply_image(*fresh, a);
    const auto frames = probes(na, na);
    EXPECT_TRUE(same(send_all(*card, frames), send_all(*fresh, frames)));
    EXPECT_TRUE(runtime::reconcile(*card, a2, &b).changes.empty()) << "the card holds exactly a2";
}

// ---------------------------------------------------------------- (b) under traffic

// Forwards every register access to a card and calls `step` after each
// register write.
class SteppedDevice final : public drivers::Device {
public:
    SteppedDevice(drivers::Device& inner, std::function<void()> step) : inner_(inner), step_(std::move(step)) {}
    std::string name() const override { return inner_.name(); }
    uint32_t read32(uint32_t address) override { return inner_.read32(address); }
    void write32(uint32_t address, uint32_t value) override {
        inner_.write32(address, value);
        step_();
    }

private:
    drivers::Device& inner_;
    std::function<void()> step_;
};

struct TrafficResult {
    std::size_t steps = 0, frames = 0, bad_steps = 0;
    double seconds = 0;
};

TrafficResult transaction_under_traffic(const std::string& engine, bool stable) {
    const Net na = net_a(), nb = net_b();
    auto card = drivers::open_device(engine);
    const uint32_t clock = card->check_identity().clock_khz;
    const TableImage a = tables::compile(parse(na, "a.yaml"), clock);
    const TableImage b = tables::compile(parse(nb, "b.yaml"), clock, stable ? &a : nullptr);
    runtime::apply_image(*card, a);
    const auto frames = probes(na, nb);
    const auto before = send_all(*card, frames);
    EXPECT_EQ(before.size(), frames.size()) << "every probe is forwarded on A";

    TrafficResult r;
    const auto start = std::chrono::steady_clock::now();
    SteppedDevice stepped(*card, [&] {
        ++r.steps;
        r.frames += frames.size();
        if (!same(send_all(*card, frames), before)) ++r.bad_steps;
    });
    runtime::apply_diff(stepped, runtime::diff_images(a, b), b);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // The card now holds B.
    for (const auto& w : b.writes) EXPECT_EQ(card->read_entry(w.table, w.index), w.words);
    return r;
}

class Traffic : public ::testing::TestWithParam<std::string> {};

TEST_P(Traffic, UnchangedLspsAndPrefixesForwardIdenticallyThroughEveryWrite) {
    const TrafficResult r = transaction_under_traffic(GetParam(), true);
    EXPECT_EQ(r.bad_steps, 0u);
    EXPECT_GT(r.steps, 100u);
    std::cout << GetParam() << ": " << r.steps << " register writes, " << r.frames << " probe frames, "
              << r.bad_steps << " writes disturbed traffic, " << r.seconds << " s\n";
}

// The defect this manager fixes: positional indices rewrite neighbours'
// entries in place, which the same check catches.
TEST_P(Traffic, PositionalIndicesWouldDisturbTraffic) {
    const TrafficResult r = transaction_under_traffic(GetParam(), false);
    EXPECT_GT(r.bad_steps, 0u);
    std::cout << GetParam() << " (positional): " << r.bad_steps << " of " << r.steps << " writes disturbed traffic\n";
}

INSTANTIATE_TEST_SUITE_P(Engines, Traffic, ::testing::ValuesIn(std::vector<std::string>{ENGINES}),
                         EngineName());

// Every label the ILM can hold. The card has 2^16 NHLFEs, so a 2^20-label
// ILM shares them (label -> NHLFE label mod 2^16); compile() gives each
// configured label its own NHLFE, so this image is built here, in the
// order compile() writes (NHLFEs before the ILM entries that point at them).
TableImage full_ilm_image() {
    TableImage image;
    const uint32_t nhlfes = regs::table_info(regs::TableId::nhlfe).depth;
    const uint32_t labels = regs::table_info(regs::TableId::ilm).depth;
    image.writes.reserve(nhlfes + labels);
    for (uint32_t i = 0; i < nhlfes; ++i) {
        regs::NhlfeEntry e;
        e.op = static_cast<uint64_t>(regs::NhlfeOp::swap);
        e.n_labels = 1;
        e.label0 = 16 + i;
        const auto words = e.pack();
        image.writes.push_back({regs::TableId::nhlfe, i, {words.begin(), words.end()}, false});
    }
    for (uint32_t label = 16; label < labels; ++label) {
        const auto words = regs::IlmEntry{1, 2, label % nhlfes}.pack();
        image.writes.push_back({regs::TableId::ilm, label, {words.begin(), words.end()}, true});
    }
    return image;
}

// Counts how the table manager reaches the card: bulk runs and register
// writes (the read-back of each run writes INDEX and CMD).
class CountingDevice final : public drivers::Device {
public:
    explicit CountingDevice(drivers::Device& inner) : inner_(inner) {}
    std::string name() const override { return inner_.name(); }
    uint32_t read32(uint32_t address) override { return inner_.read32(address); }
    void write32(uint32_t address, uint32_t value) override {
        ++register_writes;
        inner_.write32(address, value);
    }
    void write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) override {
        ++runs;
        smallest_run = std::min<std::size_t>(smallest_run, count);
        inner_.write_entries(table, first, count, words);
    }
    std::size_t register_writes = 0, runs = 0, smallest_run = SIZE_MAX;

private:
    drivers::Device& inner_;
};

class FullIlm : public ::testing::TestWithParam<std::string> {};

TEST_P(FullIlm, EveryLabelLoadsInBulkRunsAndReadsBack) {
    const TableImage image = full_ilm_image();
    auto card = drivers::open_device(GetParam());
    CountingDevice counting(*card);
    std::size_t progress_calls = 0, last_done = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const runtime::ApplyReport report =
        runtime::write_entries_verified(counting, image.writes, [&](std::size_t done, std::size_t total) {
            EXPECT_GT(done, last_done);
            EXPECT_EQ(total, image.writes.size());
            last_done = done;
            ++progress_calls;
        });
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_EQ(report.entries_written, image.writes.size());
    EXPECT_EQ(last_done, image.writes.size());
    // 2^16 NHLFEs and 2^20 - 16 ILM entries: one run per kMaxRun entries of a table.
    EXPECT_EQ(report.runs, 1u + (regs::table_info(regs::TableId::ilm).depth - 16 + runtime::kMaxRun - 1) / runtime::kMaxRun);
    EXPECT_EQ(counting.runs, report.runs);
    EXPECT_EQ(progress_calls, report.runs);
    EXPECT_GE(counting.smallest_run, drivers::Device::kBulkMinEntries) << "every run takes the bulk path";
    // No entry went through the register window: the only register writes
    // are the read-back's (INDEX and CMD per entry).
    EXPECT_EQ(counting.register_writes, 2 * image.writes.size());
    // Spot checks straight from the card, past the counting wrapper.
    for (const uint32_t label : {16u, 65551u, 524288u, 1048575u})
        EXPECT_EQ(card->read_entry(regs::TableId::ilm, label)[0], (regs::IlmEntry{1, 2, label % 65536}.pack()[0])) << label;
    std::cout << GetParam() << ": " << report.entries_written << " entries in " << report.runs
              << " bulk runs, written and read back in " << seconds << " s\n";
}

INSTANTIATE_TEST_SUITE_P(Engines, FullIlm, ::testing::ValuesIn(std::vector<std::string>{ENGINES}), EngineName());

// ---------------------------------------------------------------- (c) reconcile

TEST(TableManager, ReconcileAfterCardReload) {
    const TableImage a = tables::compile(parse(net_a(), "a.yaml"), clock_khz());
    auto loaded = drivers::open_device("model");
    runtime::apply_image(*loaded, a);
    const auto frames = probes(net_a(), net_a());
    const auto expected = send_all(*loaded, frames);

    auto fresh = drivers::open_device("model");
    runtime::apply_image(*fresh, a);
    fresh->reload("mplsec.xclbin");  // as a bitstream load leaves it: empty tables
    EXPECT_EQ(fresh->read_entry(regs::TableId::ilm, 1000), std::vector<uint32_t>{0});
    const runtime::TableDiff fixed = runtime::reconcile(*fresh, a, &a);
    EXPECT_EQ(fixed.changes.size(), a.writes.size());
    for (const auto& c : fixed.changes) EXPECT_EQ(c.kind, runtime::ChangeKind::added);
    for (const auto& w : a.writes) EXPECT_EQ(fresh->read_entry(w.table, w.index), w.words);
    EXPECT_TRUE(same(send_all(*fresh, frames), expected));
    EXPECT_TRUE(runtime::reconcile(*fresh, a, &a).changes.empty()) << "a second reconcile finds nothing";
}

TEST(TableManager, ReconcileRepairsCorruption) {
    const Net na = net_a(), nb = net_b();
    const TableImage a = tables::compile(parse(na, "a.yaml"), clock_khz());
    const TableImage b = tables::compile(parse(nb, "b.yaml"), clock_khz(), &a);
    auto reference = drivers::open_device("model");
    runtime::apply_image(*reference, b);
    const auto frames = probes(nb, nb);
    const auto expected = send_all(*reference, frames);

    // A card believed to hold A, with random entries of A and B corrupted
    // or cleared and stale entries in small tables; reconcile to B.
    auto card = drivers::open_device("model");
    runtime::apply_image(*card, a);
    std::mt19937 rng(42);
    std::vector<tables::TableWrite> targets = a.writes;
    targets.insert(targets.end(), b.writes.begin(), b.writes.end());
    std::set<std::pair<regs::TableId, uint32_t>> hit;
    for (int i = 0; i < 80; ++i) {
        const tables::TableWrite& w = targets[rng() % targets.size()];
        std::vector<uint32_t> junk(w.words.size());
        if (i % 3) for (uint32_t& x : junk) x = static_cast<uint32_t>(rng());
        card->write_entry(w.table, w.index, junk);
        hit.insert({w.table, w.index});
    }
    card->write_entry(regs::TableId::nexthop, 4000, {0x12345678u, 0x1u});
    card->write_entry(regs::TableId::vrf, 200, {1u});

    const runtime::TableDiff fixed = runtime::reconcile(*card, b, &a);
    EXPECT_GE(fixed.changes.size(), 2u);
    for (const auto& w : b.writes) EXPECT_EQ(card->read_entry(w.table, w.index), w.words);
    for (const auto& w : a.writes) {
        bool in_b = false;
        for (const auto& v : b.writes) in_b |= v.table == w.table && v.index == w.index;
        if (!in_b) {
            EXPECT_EQ(card->read_entry(w.table, w.index), std::vector<uint32_t>(w.words.size(), 0));
        }
    }
    EXPECT_EQ(card->read_entry(regs::TableId::nexthop, 4000), (std::vector<uint32_t>{0, 0}));
    EXPECT_EQ(card->read_entry(regs::TableId::vrf, 200), std::vector<uint32_t>{0});
    EXPECT_TRUE(same(send_all(*card, frames), expected)) << "the repaired card forwards like a freshly loaded one";
    EXPECT_TRUE(runtime::reconcile(*card, b, &a).changes.empty());
}

// ---------------------------------------------------------------- (d) the saved running image

bool same_image(const TableImage& x, const TableImage& y) {
    if (x.writes.size() != y.writes.size()) return false;
    for (std::size_t i = 0; i < x.writes.size(); ++i) {
        const auto &a = x.writes[i], &b = y.writes[i];
        if (a.table != b.table || a.index != b.index || a.words != b.words || a.redirect != b.redirect) return false;
    }
    auto same_routes = [&] {
        if (x.routes.size() != y.routes.size()) return false;
        for (std::size_t i = 0; i < x.routes.size(); ++i)
            if (x.routes[i].vrf != y.routes[i].vrf || x.routes[i].prefix != y.routes[i].prefix) return false;
        return true;
    };
    return x.nexthop_index == y.nexthop_index && x.vrf_index == y.vrf_index && x.sa_index == y.sa_index &&
           x.nhlfe_of_label == y.nhlfe_of_label && same_routes() && x.addr_index == y.addr_index &&
           x.lpm4_nodes == y.lpm4_nodes && x.lpm6_nodes == y.lpm6_nodes && x.policer_rate == y.policer_rate &&
           x.policer_burst == y.policer_burst;
}

// A restarted daemon compiles against the image it saved: the round trip
// must give back an image that compiles to exactly what the original would.
TEST(ImageStore, RoundTripKeepsWhatCompileNeeds) {
    const TableImage a = tables::compile(parse(net_a(), "a.yaml"), clock_khz());
    const TableImage b = tables::compile(parse(net_b(), "b.yaml"), clock_khz(), &a);
    const TableImage restored = runtime::image_from_json(nlohmann::json::parse(runtime::image_to_json(b).dump()));
    EXPECT_TRUE(same_image(b, restored));
    const config::Config back = parse(net_a(), "a.yaml");
    EXPECT_TRUE(same_image(tables::compile(back, clock_khz(), &b), tables::compile(back, clock_khz(), &restored)));

    const std::string path = ::testing::TempDir() + "/running-image-test.json";
    runtime::save_image(path, b);
    const std::optional<TableImage> loaded = runtime::load_image(path);
    ASSERT_TRUE(loaded.has_value());
    EXPECT_TRUE(same_image(b, *loaded));
    std::remove(path.c_str());
    EXPECT_FALSE(runtime::load_image(path).has_value()) << "no file: no previous image";
}

TEST(ImageStore, RefusesWhatItCannotUse) {
    const TableImage a = tables::compile(parse(net_a(), "a.yaml"), clock_khz());
    const nlohmann::json good = runtime::image_to_json(a);
    auto refused = [](const nlohmann::json& doc, const std::string& says) {
        try {
            runtime::image_from_json(doc);
            ADD_FAILURE() << "accepted; expected: " << says;
        } catch (const runtime::ImageStoreError& e) {
            EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
        }
    };
    refused(nlohmann::json::array(), "not a saved table image");
    nlohmann::json doc = good;
    doc["regmap_version"] = "0.9";
    refused(doc, "register map 0.9");
    doc = good;
    doc["writes"][0][1] = regs::table_info(static_cast<regs::TableId>(doc["writes"][0][0].get<uint32_t>())).depth;
    refused(doc, "does not fit the table");
    doc = good;
    doc["writes"][0][2].push_back(1);
    refused(doc, "does not fit the table");
    doc = good;
    doc["writes"][0][0] = 99;
    refused(doc, "which the card does not have");
    doc = good;
    doc["lpm4_nodes"] = {{"zz", 1}};
    refused(doc, "is not hex");
    doc = good;
    doc.erase("routes");
    refused(doc, "malformed saved image");

    const std::string path = ::testing::TempDir() + "/running-image-bad.json";
    std::ofstream(path) << "{not json";
    try {
        runtime::load_image(path);
        ADD_FAILURE() << "a file that is not JSON was loaded";
    } catch (const runtime::ImageStoreError& e) {
        EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
    std::remove(path.c_str());
}

// ---------------------------------------------------------------- (e) a full NHLFE table from a config

std::string big_ilm(uint32_t labels) {
    std::ostringstream y;
    y << "device: model\nports:\n  - {id: 1, mac: \"02:00:00:00:01:01\"}\nnexthops:\n"
      << "  - {name: p, port: 1, mac: \"02:00:00:00:02:01\"}\nilm:\n";
    for (uint32_t i = 0; i < labels; ++i)
        y << "  - {label: " << 16 + i << ", action: swap, out_labels: [" << 100000 + i << "], nexthop: p, ports: [1]}\n";
    return y.str();
}

TEST(TableManager, LargeIlmLoadsAndReadsBack) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    const config::Config c = config::load_string(big_ilm(65000), "big.yaml");
    const auto t1 = clock::now();
    const TableImage image = tables::compile(c, clock_khz());
    auto card = drivers::open_device("model");
    const auto t2 = clock::now();
    const runtime::ApplyReport report = runtime::apply_image(*card, image);  // writes, then reads every entry back
    const auto t3 = clock::now();
    EXPECT_EQ(report.entries_written, 2u * 65000 + 2);
    EXPECT_EQ(image.nhlfe_of_label.size(), 65000u);
    const runtime::TableDiff again = runtime::reconcile(*card, image);
    const auto t4 = clock::now();
    EXPECT_TRUE(again.changes.empty());
    auto s = [](auto d) { return std::chrono::duration<double>(d).count(); };
    std::cout << "65000 labels: parse " << s(t1 - t0) << " s, compile " << s(t2 - t1) << " s, write + read back "
              << s(t3 - t2) << " s (" << report.entries_written << " entries), reconcile " << s(t4 - t3) << " s\n";

    try {
        tables::compile(config::load_string(big_ilm(70000), "too-big.yaml"), clock_khz());
        ADD_FAILURE() << "70000 labels compiled";
    } catch (const config::ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("more ILM entries than the card has NHLFEs (65536)"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace mplsec::test
