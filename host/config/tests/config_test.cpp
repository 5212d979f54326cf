// Tests of the configuration loader: what a valid file turns into, and one
// case per kind of error, each checking the file, line, key path and reason.
#include <gtest/gtest.h>

#include <algorithm>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mplsec/config.hpp"
#include "mplsec/config_json.hpp"

namespace cfg = mplsec::config;

namespace {

const std::string kFile = "test.yaml";
const std::string kKey256 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const std::string kKey128 = "00112233445566778899AABBCCDDEEFF";

// A complete, valid configuration in which every item sits on a line of its
// own. Each error case below breaks one thing in it, so that the error it
// expects is the only one in the file.
const std::string kValid =
    R"(device: sim
ports:
  - {id: 0, mac: "02:00:00:00:00:01", vrf: blue}
  - {id: 1, mac: "02:00:00:00:01:01", mtu: 9000}
addresses: ["192.0.2.1", "2001:db8::1"]
nexthops:
  - {name: p1, port: 1, mac: "02:00:00:00:02:01"}
  - {name: ce1, port: 0, mac: "02:00:00:00:03:01", vlan: 10}
ilm:
  - {label: 100, action: swap, out_labels: [200], nexthop: p1, ports: [1]}
  - {label: 101, action: pop, nexthop: p1, ttl: pipe, tc: 5}
  - {label: 16, action: pop-lookup, vrf: blue, ports: [1]}
  - {label: 102, action: punt}
vrfs:
  - name: blue
    require_esp: true
    routes:
      - {prefix: "10.2.0.0/16", nexthop: p1, push: [100, 16], sa: to-pe2}
      - {prefix: "10.1.0.0/16", nexthop: ce1}
      - {prefix: "2001:db8:1::/48", nexthop: ce1}
  - name: red
    routes:
      - {nexthop: p1, prefix: "10.1.0.0/16"}
sas:
  - {name: to-pe2, dir: out, spi: 0x1001, cipher: aes-256-gcm, key: ")" +
    kKey256 + R"(", salt: "01020304", tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
  - {name: from-pe2, dir: in, spi: 8193, cipher: aes-128-gcm, key: ")" +
    kKey128 +
    R"(", salt: "0a0b0c0d", tunnel: {src: "192.0.2.2", dst: "192.0.2.1"}, replay_window: 2048, esn: false, encap: udp, lifetime: {soft_bytes: 1000000, hard_bytes: 2000000, hard_packets: 5000}}
punt_policer: {rate_pps: 5000, burst: 32}
)";

int line_at(const std::string& text, std::size_t offset) {
    return 1 + static_cast<int>(std::count(
                   text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

struct Edit {
    std::string from;
    std::string to;
};

// `text` with each edit applied; `last_line` is the line of the last edit.
std::string apply(std::string text, const std::vector<Edit>& edits, int* last_line = nullptr) {
    for (const Edit& edit : edits) {
        const std::size_t at = text.find(edit.from);
        if (at == std::string::npos || text.find(edit.from, at + 1) != std::string::npos) {
            ADD_FAILURE() << "edit target not found exactly once: " << edit.from;
            return text;
        }
        text.replace(at, edit.from.size(), edit.to);
        if (last_line) *last_line = line_at(text, at);
    }
    return text;
}

std::string edited(const std::vector<Edit>& edits) { return apply(kValid, edits); }

// The error that loading `text` raises; fails the test when there is none.
cfg::ConfigError error_of(const std::string& text) {
    try {
        cfg::load_string(text, kFile);
    } catch (const cfg::ConfigError& error) {
        return error;
    }
    ADD_FAILURE() << "loaded without error:\n" << text;
    return cfg::ConfigError(kFile, 0, "", "(no error)");
}

// The error is at `line` and `key`, its message contains `reason`, and
// what() is the one-line "FILE:LINE: key 'KEY': MESSAGE".
testing::AssertionResult is_error(const cfg::ConfigError& error, int line, const std::string& key,
                                  const std::string& reason) {
    const std::string what = error.what();
    const std::string location = kFile + ":" + std::to_string(line) + ": key '" + key + "': ";
    if (what.rfind(location, 0) != 0) {
        return testing::AssertionFailure()
               << "expected it to start with \"" << location << "\", got: " << what;
    }
    if (error.message().find(reason) == std::string::npos) {
        return testing::AssertionFailure() << "expected \"" << reason << "\" in: " << what;
    }
    if (what != location + error.message() || what.find('\n') != std::string::npos) {
        return testing::AssertionFailure() << "not one well-formed line: " << what;
    }
    return testing::AssertionSuccess();
}

cfg::Config load_valid() { return cfg::load_string(kValid, kFile); }

std::string reloaded_json(const std::string& text) {
    return cfg::to_json(cfg::load_string(text, kFile), cfg::Secrets::reveal).dump();
}

}  // namespace

// ---- What a valid file turns into. -----------------------------------------

TEST(Load, ReadsEverySection) {
    const cfg::Config config = load_valid();
    EXPECT_EQ(config.source, kFile);
    EXPECT_EQ(config.device, "sim");
    ASSERT_EQ(config.ports.size(), 2u);
    EXPECT_EQ(config.ports[0].mac, (cfg::Mac{2, 0, 0, 0, 0, 1}));
    EXPECT_EQ(config.ports[0].vrf, "blue");
    EXPECT_EQ(config.ports[1].mtu, 9000);
    ASSERT_EQ(config.addresses.size(), 2u);
    EXPECT_EQ(cfg::to_string(config.addresses[1].ip), "2001:db8::1");
    EXPECT_EQ(config.nexthops[1].vlan, 10);
    EXPECT_FALSE(config.nexthops[0].vlan);

    ASSERT_EQ(config.ilm.size(), 4u);
    EXPECT_EQ(config.ilm[0].action, cfg::LabelAction::swap);
    EXPECT_EQ(config.ilm[0].out_labels, std::vector<cfg::Label>{200});
    EXPECT_EQ(config.ilm[0].nexthop, "p1");
    EXPECT_EQ(config.ilm[1].ttl, cfg::TtlMode::pipe);
    EXPECT_EQ(config.ilm[1].tc, 5);
    EXPECT_EQ(config.ilm[2].action, cfg::LabelAction::pop_lookup);
    EXPECT_EQ(config.ilm[2].vrf, "blue");
    EXPECT_EQ(config.ilm[3].action, cfg::LabelAction::punt);

    ASSERT_EQ(config.vrfs.size(), 2u);
    const cfg::Vrf& blue = config.vrfs[0];
    EXPECT_TRUE(blue.require_esp);
    ASSERT_EQ(blue.routes.size(), 3u);
    EXPECT_EQ(cfg::to_string(blue.routes[0].prefix), "10.2.0.0/16");
    EXPECT_EQ(blue.routes[0].push, (std::vector<cfg::Label>{100, 16}));
    EXPECT_EQ(blue.routes[0].sa, "to-pe2");
    EXPECT_EQ(cfg::to_string(blue.routes[2].prefix), "2001:db8:1::/48");
    EXPECT_TRUE(blue.routes[2].prefix.addr.v6);
    EXPECT_FALSE(config.vrfs[1].require_esp);

    ASSERT_EQ(config.sas.size(), 2u);
    const cfg::Sa& out = config.sas[0];
    EXPECT_EQ(out.spi, 0x1001u);
    EXPECT_EQ(out.cipher, cfg::Cipher::aes_256_gcm);
    ASSERT_EQ(out.key.size(), 32u);
    EXPECT_EQ(out.key[31], 0x1f);
    EXPECT_EQ(out.salt, (std::array<uint8_t, 4>{1, 2, 3, 4}));
    EXPECT_EQ(cfg::to_string(out.tunnel.dst), "192.0.2.2");
    const cfg::Sa& in = config.sas[1];
    EXPECT_EQ(in.spi, 8193u);
    EXPECT_EQ(in.key.size(), 16u);
    EXPECT_EQ(in.key[15], 0xff);
    EXPECT_EQ(in.replay_window, 2048u);
    EXPECT_FALSE(in.esn);
    EXPECT_EQ(in.encap, cfg::Encap::udp);
    ASSERT_TRUE(in.lifetime);
    EXPECT_EQ(in.lifetime->soft_bytes, 1000000u);
    EXPECT_EQ(in.lifetime->hard_packets, 5000u);
    EXPECT_FALSE(in.lifetime->soft_packets);

    EXPECT_EQ(config.punt_policer.rate_pps, 5000u);
    EXPECT_EQ(config.punt_policer.burst, 32u);
}

TEST(Load, FillsInDefaults) {
    const cfg::Config config = load_valid();
    EXPECT_EQ(config.ports[0].mtu, cfg::kDefaultMtu);
    EXPECT_EQ(config.ilm[0].ttl, cfg::TtlMode::uniform);
    EXPECT_FALSE(config.ilm[0].tc);
    EXPECT_EQ(config.sas[0].esn, true);
    EXPECT_EQ(config.sas[0].encap, cfg::Encap::none);
    EXPECT_FALSE(config.sas[0].lifetime);

    const cfg::Config bare = cfg::load_string("{}", kFile);
    EXPECT_EQ(bare.device, "");
    EXPECT_EQ(bare.punt_policer.rate_pps, 10000u);
    EXPECT_EQ(bare.punt_policer.burst, 64u);

    const std::string in_sa = R"(sas:
  - {name: a, dir: in, spi: 300, cipher: aes-128-gcm, key: ")" +
                              kKey128 +
                              R"(", salt: "01020304", tunnel: {src: "::1", dst: "2001:db8::2"}}
)";
    const cfg::Sa sa = cfg::load_string(in_sa, kFile).sas.at(0);
    EXPECT_EQ(sa.replay_window, 1024u);
    EXPECT_TRUE(sa.esn);
    EXPECT_TRUE(sa.tunnel.src.v6);
}

// A label is taken from customer ports only when an entry lists them.
TEST(Load, IlmPortsDefaultToCorePorts) {
    const cfg::Config config = load_valid();
    EXPECT_EQ(config.ilm[1].ports, std::vector<uint8_t>{1});  // port 0 faces VRF blue
    EXPECT_EQ(config.ilm[3].ports, std::vector<uint8_t>{1});
    EXPECT_EQ(config.ilm[0].ports, std::vector<uint8_t>{1});
}

TEST(Load, KeepsSourceLines) {
    const cfg::Config config = load_valid();
    EXPECT_EQ(config.origin.line_of("ilm"), 9);
    EXPECT_EQ(config.ilm[2].origin.path, "ilm[2]");
    EXPECT_EQ(config.ilm[2].origin.line, 12);
    EXPECT_EQ(config.ilm[2].origin.line_of("vrf"), 12);
    EXPECT_EQ(config.vrfs[0].origin.line_of("require_esp"), 16);
    EXPECT_EQ(config.vrfs[0].routes[1].origin.path, "vrfs[0].routes[1]");
    EXPECT_EQ(config.vrfs[0].routes[1].origin.line, 19);
    EXPECT_EQ(config.sas[1].tunnel.origin.path, "sas[1].tunnel");
    EXPECT_EQ(config.addresses[1].origin.path, "addresses[1]");
}

TEST(Load, ErrorAtCitesAnItemForLaterStages) {
    const cfg::Config config = load_valid();
    const cfg::ConfigError error =
        cfg::error_at(config, config.ilm[1].origin, "label", "no room in the ILM");
    EXPECT_STREQ(error.what(), "test.yaml:11: key 'ilm[1].label': no room in the ILM");
    EXPECT_EQ(error.line(), 11);
    EXPECT_EQ(error.key(), "ilm[1].label");
}

TEST(Load, FindsItemsByKey) {
    const cfg::Config config = load_valid();
    ASSERT_NE(config.find_port(1), nullptr);
    EXPECT_EQ(config.find_port(1)->mtu, 9000);
    EXPECT_EQ(config.find_port(3), nullptr);
    EXPECT_EQ(config.find_nexthop("ce1")->port, 0);
    EXPECT_EQ(config.find_vrf("red")->routes.size(), 1u);
    EXPECT_EQ(config.find_sa("from-pe2")->dir, cfg::SaDir::in);
    EXPECT_EQ(config.find_sa("nope"), nullptr);
}

TEST(Load, AcceptsIntegersInDecimalAndHex) {
    EXPECT_EQ(cfg::load_string(edited({{"spi: 0x1001", "spi: 4097"}}), kFile).sas[0].spi, 0x1001u);
    EXPECT_EQ(cfg::load_string(edited({{"spi: 0x1001", "spi: 0xFFFFFFFF"}}), kFile).sas[0].spi,
              0xFFFFFFFFu);
    EXPECT_EQ(cfg::load_string(edited({{"label: 100,", "label: 0xfffff,"}}), kFile).ilm[0].label,
              cfg::kMaxLabel);
}

TEST(Load, AcceptsEveryDeviceForm) {
    for (const char* device : {"sim", "model", "xrt:0", "xrt:12", "xrt:3b:00.0", "xrt:0000:3b:00.0",
                               "xrt:0000:D8:1f.7"}) {
        const std::string quoted =
            edited({{"device: sim", std::string("device: \"") + device + "\""}});
        EXPECT_EQ(cfg::load_string(quoted, kFile).device, device);
        const std::string plain = edited({{"device: sim", std::string("device: ") + device}});
        EXPECT_EQ(cfg::load_string(plain, kFile).device, device);
    }
}

// YAML 1.1 reads 02:00:00 as a base-60 number; the loader reads it as text.
TEST(Load, AcceptsUnquotedMacs) {
    const std::string text = edited({{"mac: \"02:00:00:00:03:01\"", "mac: 02:00:00:00:03:01"}});
    EXPECT_EQ(cfg::load_string(text, kFile).nexthops[1].mac, (cfg::Mac{2, 0, 0, 0, 3, 1}));
}

// The same prefix may be in two VRFs, and two peers may choose the same
// SPI for the SAs towards them.
TEST(Load, AcceptsWhatOnlyLooksLikeADuplicate) {
    const std::string text =
        edited({{"punt_policer:",
                 R"(  - {name: to-pe3, dir: out, spi: 0x1001, cipher: aes-256-gcm, key: ")" +
                     kKey256 + R"(", salt: "01020304", tunnel: {src: "192.0.2.1", dst: "192.0.2.3"}}
punt_policer:)"}});
    const cfg::Config config = cfg::load_string(text, kFile);
    EXPECT_EQ(config.sas.size(), 3u);
    EXPECT_EQ(config.vrfs[1].routes[0].prefix, config.vrfs[0].routes[1].prefix);
}

// ---- JSON: the same shape, written as JSON, is accepted. -------------------

TEST(Json, LoadsWhatToJsonWrites) {
    const std::string yaml_view = reloaded_json(kValid);
    const std::string as_json = cfg::to_json(load_valid(), cfg::Secrets::reveal).dump(2);
    EXPECT_EQ(reloaded_json(as_json), yaml_view);
}

TEST(Json, LoadsCompactAndTabIndentedJson) {
    const std::string compact =
        R"({"device":"model","ports":[{"id":1,"mac":"02:00:00:00:01:01"}],"nexthops":[{"name":"p1","port":1,"mac":"02:00:00:00:02:01"}],)"
        R"("ilm":[{"label":100,"action":"swap","out_labels":[200,300],"nexthop":"p1"}],"vrfs":[{"name":"v","require_esp":false,"routes":[]}]})";
    const cfg::Config config = cfg::load_string(compact, kFile);
    EXPECT_EQ(config.device, "model");
    EXPECT_EQ(config.ilm.at(0).out_labels, (std::vector<cfg::Label>{200, 300}));

    const std::string tabbed =
        "{\n\t\"ports\": [\n\t\t{\"id\": 0, \"mac\": \"02:00:00:00:00:01\"}\n\t]\n}\n";
    EXPECT_EQ(cfg::load_string(tabbed, kFile).ports.at(0).id, 0);
}

TEST(Json, ErrorsCiteJsonLines) {
    const std::string text =
        "{\n  \"ports\": [\n    {\"id\": 0, \"mac\": \"02:00:00:00:00:01\"}\n  ],\n"
        "  \"ilm\": [\n    {\"label\": 7, \"action\": \"drop\"}\n  ]\n}\n";
    EXPECT_TRUE(is_error(error_of(text), 6, "ilm[0].label", "label 7 is reserved (0-15)"));
}

// A string is a string in JSON: "100" is not the number 100.
TEST(Json, RefusesQuotedNumbers) {
    const std::string text = R"({"ilm": [{"label": "100", "action": "drop"}]})";
    EXPECT_TRUE(is_error(error_of(text), 1, "ilm[0].label",
                         "expected an integer, got the quoted string \"100\""));
}

TEST(Json, ToJsonRedactsSecretsUnlessAsked) {
    const nlohmann::json shown = cfg::to_json(load_valid());
    EXPECT_EQ(shown["sas"][0]["key"], "<redacted>");
    EXPECT_EQ(shown["sas"][0]["salt"], "<redacted>");
    EXPECT_EQ(shown.dump().find(kKey256), std::string::npos);

    const nlohmann::json revealed = cfg::to_json(load_valid(), cfg::Secrets::reveal);
    EXPECT_EQ(revealed["sas"][0]["key"], kKey256);
    EXPECT_EQ(revealed["sas"][1]["key"], "00112233445566778899aabbccddeeff");
    EXPECT_EQ(revealed["sas"][1]["salt"], "0a0b0c0d");
}

TEST(Json, ToJsonShowsDefaultsAndLeavesOutAbsentValues) {
    const nlohmann::json shown = cfg::to_json(load_valid());
    EXPECT_EQ(shown["device"], "sim");
    EXPECT_EQ(shown["ports"][0]["mtu"], 9586);
    EXPECT_EQ(shown["ilm"][0]["ttl"], "uniform");
    EXPECT_EQ(shown["ilm"][1]["ports"], nlohmann::json::array({1}));
    EXPECT_EQ(shown["ilm"][2]["action"], "pop-lookup");
    EXPECT_FALSE(shown["ilm"][0].contains("tc"));
    EXPECT_FALSE(shown["ilm"][0].contains("vrf"));
    EXPECT_FALSE(shown["ilm"][3].contains("ttl"));  // punt: the loader refuses ttl there
    EXPECT_EQ(shown["vrfs"][0]["routes"][0]["sa"], "to-pe2");
    EXPECT_EQ(shown["sas"][0]["spi"], 0x1001);
    EXPECT_FALSE(shown["sas"][0].contains("replay_window"));  // outbound
    EXPECT_EQ(shown["sas"][1]["replay_window"], 2048);
    EXPECT_EQ(shown["punt_policer"]["burst"], 32);
}

// ---- The examples shipped in examples/. ------------------------------------

TEST(Examples, PRouterLoads) {
    const cfg::Config config = cfg::load_file(MPLSEC_EXAMPLES_DIR "/p-router.yaml");
    EXPECT_TRUE(config.vrfs.empty());
    EXPECT_TRUE(config.sas.empty());
    bool swaps = false, pops = false;
    for (const cfg::IlmEntry& entry : config.ilm) {
        swaps |= entry.action == cfg::LabelAction::swap;
        pops |= entry.action == cfg::LabelAction::pop;
    }
    EXPECT_TRUE(swaps);
    EXPECT_TRUE(pops);
}

// Each PE's outbound SA is the other's inbound one: same SPI, cipher, key,
// salt and tunnel ends.
TEST(Examples, Pe1AndPe2SasMirrorEachOther) {
    const cfg::Config pe1 = cfg::load_file(MPLSEC_EXAMPLES_DIR "/pe1.yaml");
    const cfg::Config pe2 = cfg::load_file(MPLSEC_EXAMPLES_DIR "/pe2.yaml");
    ASSERT_EQ(pe1.sas.size(), 2u);
    ASSERT_EQ(pe2.sas.size(), 2u);
    for (const auto& [out_side, in_side] : {std::pair{&pe1, &pe2}, std::pair{&pe2, &pe1}}) {
        for (const cfg::Sa& out : out_side->sas) {
            if (out.dir != cfg::SaDir::out) continue;
            const auto in = std::find_if(in_side->sas.begin(), in_side->sas.end(), [&](const cfg::Sa& sa) {
                return sa.dir == cfg::SaDir::in && sa.spi == out.spi;
            });
            ASSERT_NE(in, in_side->sas.end()) << out.name << " has no inbound peer";
            EXPECT_EQ(in->key, out.key) << out.name;
            EXPECT_EQ(in->salt, out.salt) << out.name;
            EXPECT_EQ(in->cipher, out.cipher) << out.name;
            EXPECT_EQ(in->tunnel.src, out.tunnel.src) << out.name;
            EXPECT_EQ(in->tunnel.dst, out.tunnel.dst) << out.name;
        }
    }
}

TEST(Examples, Pe1Loads) {
    const cfg::Config config = cfg::load_file(MPLSEC_EXAMPLES_DIR "/pe1.yaml");
    ASSERT_EQ(config.vrfs.size(), 1u);
    EXPECT_FALSE(config.vrfs[0].routes.empty());
    bool pop_lookup = false, pushes = false;
    for (const cfg::IlmEntry& entry : config.ilm) {
        pop_lookup |= entry.action == cfg::LabelAction::pop_lookup;
    }
    for (const cfg::Route& route : config.vrfs[0].routes) pushes |= !route.push.empty();
    EXPECT_TRUE(pop_lookup);
    EXPECT_TRUE(pushes);
}

// ---- Errors that concern the file as a whole. ------------------------------

TEST(FileErrors, UnreadableFile) {
    try {
        cfg::load_file("/nonexistent/mplsec.yaml");
        FAIL() << "loaded a file that does not exist";
    } catch (const cfg::ConfigError& error) {
        EXPECT_STREQ(error.what(),
                     "/nonexistent/mplsec.yaml: cannot read: No such file or directory");
    }
    EXPECT_THROW(cfg::load_file(MPLSEC_EXAMPLES_DIR), cfg::ConfigError);
}

TEST(FileErrors, ControlCharactersAreRefusedBeforeParsing) {
    // ",\x01\x00" sent yaml-cpp 0.7 into an endless loop (found by fuzz_config).
    const cfg::ConfigError error = error_of(std::string(",\x01\x00", 3));
    EXPECT_STREQ(error.what(), "test.yaml:1: control character 0x01 is not allowed in a YAML or JSON file");
    const cfg::ConfigError second_line = error_of(std::string("device: sim\nports: [\x07]\n"));
    EXPECT_EQ(second_line.line(), 2);
}

TEST(FileErrors, InputTheYamlParserCannotFinishIsAnError) {
    // yaml-cpp 0.7 loops on this one (found by fuzz_config).
    const cfg::ConfigError error = error_of(std::string("&\rrfs,"));
    EXPECT_NE(std::string(error.what()).find("YAML syntax error"), std::string::npos) << error.what();
}

TEST(FileErrors, LeadingCommaIsASyntaxErrorNotAHang) {
    // yaml-cpp 0.7 allocates without bound or loops on these (found by fuzz_config).
    for (const char* text : {",", ",O{", " ,[", "# comment\n---\n,{", "!/,", "&a !t ,x"}) {
        const cfg::ConfigError error = error_of(text);
        EXPECT_NE(std::string(error.what()).find("YAML syntax error: ',' outside a flow collection"), std::string::npos)
            << error.what();
    }
    // A comma that starts a line inside a flow collection is ordinary JSON.
    try {
        cfg::load_string("{\"device\": \"model\"\n, \"addresses\": [\"192.0.2.1\"]}\n", "t.json");
    } catch (const cfg::ConfigError& error) {
        EXPECT_EQ(std::string(error.what()).find("outside a flow"), std::string::npos) << error.what();
    }
}

TEST(FileErrors, YamlSyntaxError) {
    const cfg::ConfigError error =
        error_of("ports:\n  - {id: 0, mac: \"02:00:00:00:00:01\"\nilm: []\n");
    EXPECT_EQ(std::string(error.what()).rfind("test.yaml:3: YAML syntax error: ", 0), 0u)
        << error.what();
    EXPECT_EQ(error.key(), "");
}

TEST(FileErrors, EmptyFile) {
    EXPECT_STREQ(error_of("# nothing\n").what(),
                 "test.yaml:1: the file is empty; expected a mapping of configuration keys");
}

TEST(FileErrors, SecondDocument) {
    EXPECT_STREQ(error_of("device: sim\n---\ndevice: model\n").what(),
                 "test.yaml:3: a second YAML document; a configuration is a single document");
}

TEST(FileErrors, TopLevelIsNotAMapping) {
    EXPECT_STREQ(error_of("- device: sim\n").what(), "test.yaml:1: expected a mapping, got a list");
}

TEST(FileErrors, MessageIsOneLineEvenForMultiLineValues) {
    const cfg::ConfigError error = error_of("device: \"sim\\nmodel\"\n");
    EXPECT_EQ(std::string(error.what()).find('\n'), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("'sim\\nmodel' is not a device"), std::string::npos)
        << error.what();
}

// ---- One broken thing at a time. -------------------------------------------

struct BadConfig {
    std::string name;         // the test's name
    std::vector<Edit> edits;  // made to kValid; the error is on the line of the last
    std::string key;          // the key path the error names
    std::string reason;       // part of the message
    int line = 0;             // when not the last edit's line
};

void PrintTo(const BadConfig& bad, std::ostream* out) { *out << bad.name; }

class Rejects : public testing::TestWithParam<BadConfig> {};

TEST_P(Rejects, NamingFileLineAndKey) {
    const BadConfig& bad = GetParam();
    int line = 0;
    const std::string text = apply(kValid, bad.edits, &line);
    EXPECT_TRUE(is_error(error_of(text), bad.line ? bad.line : line, bad.key, bad.reason));
}

const std::string kSa3Prefix =
    R"(  - {name: from-pe3, dir: in, spi: 0x3001, cipher: aes-256-gcm, key: ")" + kKey256 +
    R"(", salt: "01020304", tunnel: {src: "192.0.2.3", dst: "192.0.2.1"})";

// An extra SA before punt_policer, with `extra` added to its keys.
Edit add_sa(const std::string& extra) {
    return {"punt_policer:", kSa3Prefix + extra + "}\npunt_policer:"};
}

const std::vector<BadConfig> kUnknownKeys = {
    {"UnknownTopLevelKey",
     {{"device: sim", "devices: sim"}},
     "devices",
     "unknown key; did you mean 'device'?"},
    {"UnknownPortKey", {{"mtu: 9000", "mru: 9000"}}, "ports[1].mru", "did you mean 'mtu'?"},
    {"UnknownNexthopKey", {{"vlan: 10", "vlan_id: 10"}}, "nexthops[1].vlan_id", "unknown key"},
    {"UnknownIlmKey",
     {{"label: 102, action", "lable: 102, action"}},
     "ilm[3].lable",
     "did you mean 'label'?"},
    {"UnknownVrfKey",
     {{"require_esp: true", "requires_esp: true"}},
     "vrfs[0].requires_esp",
     "did you mean 'require_esp'?"},
    {"UnknownRouteKey",
     {{"push: [100, 16]", "labels: [100, 16]"}},
     "vrfs[0].routes[0].labels",
     "expected one of: prefix, nexthop, push, sa, ttl"},
    {"UnknownSaKey", {{"esn: false", "esn: false, pfs: true"}}, "sas[1].pfs", "unknown key"},
    {"UnknownTunnelKey",
     {{"dst: \"192.0.2.2\"", "dest: \"192.0.2.2\""}},
     "sas[0].tunnel.dest",
     "did you mean 'dst'?"},
    {"UnknownLifetimeKey",
     {{"hard_packets: 5000", "hard_pkts: 5000"}},
     "sas[1].lifetime.hard_pkts",
     "unknown key"},
    {"UnknownPuntPolicerKey", {{"burst: 32", "bucket: 32"}}, "punt_policer.bucket", "unknown key"},
    {"DuplicateYamlKey",
     {{"label: 102, action: punt", "label: 102, action: punt, label: 103"}},
     "ilm[3].label",
     "duplicate key (first at line 13)"},
    {"MergeKey",
     {{"{label: 102, action: punt}", "{<<: {label: 102}, action: punt}"}},
     "ilm[3].<<",
     "merge keys are not supported"},
};

const std::vector<BadConfig> kMissingKeys = {
    {"PortWithoutId", {{"{id: 1, mac", "{mac"}}, "ports[1].id", "required key is missing"},
    {"PortWithoutMac",
     {{"id: 1, mac: \"02:00:00:00:01:01\", mtu", "id: 1, mtu"}},
     "ports[1].mac",
     "required key is missing"},
    {"NexthopWithoutPort",
     {{"name: p1, port: 1, mac", "name: p1, mac"}},
     "nexthops[0].port",
     "required key is missing"},
    {"IlmWithoutAction",
     {{"label: 102, action: punt", "label: 102"}},
     "ilm[3].action",
     "required key is missing"},
    {"IlmWithoutLabel",
     {{"label: 102, action: punt", "action: punt"}},
     "ilm[3].label",
     "required key is missing"},
    {"RouteWithoutNexthop",
     {{"{prefix: \"10.1.0.0/16\", nexthop: ce1}", "{prefix: \"10.1.0.0/16\"}"}},
     "vrfs[0].routes[1].nexthop",
     "required key is missing"},
    {"RouteWithoutPrefix",
     {{"- {nexthop: p1, prefix: \"10.1.0.0/16\"}", "- {nexthop: p1}"}},
     "vrfs[1].routes[0].prefix",
     "required key is missing"},
    {"VrfWithoutName",
     {{"  - name: red\n    routes:", "  - routes:"}},
     "vrfs[1].name",
     "required key is missing"},
    {"SaWithoutKey", {{"key: \"" + kKey128 + "\", ", ""}}, "sas[1].key", "required key is missing"},
    {"SaWithoutSalt", {{"salt: \"01020304\", ", ""}}, "sas[0].salt", "required key is missing"},
    {"SaWithoutDir", {{"dir: out, ", ""}}, "sas[0].dir", "required key is missing"},
    {"SaWithoutTunnel",
     {{", tunnel: {src: \"192.0.2.1\", dst: \"192.0.2.2\"}", ""}},
     "sas[0].tunnel",
     "required key is missing"},
    {"TunnelWithoutSrc",
     {{"src: \"192.0.2.1\", ", ""}},
     "sas[0].tunnel.src",
     "required key is missing"},
};

const std::vector<BadConfig> kWrongTypes = {
    {"PortsNotAList",
     {{"ports:\n  - {id: 0, mac: \"02:00:00:00:00:01\", vrf: blue}\n  - {id: 1, mac: "
       "\"02:00:00:00:01:01\", mtu: 9000}",
       "ports: {id: 0}"}},
     "ports",
     "expected a list, got a mapping"},
    {"IlmEmptyValue",
     {{"ilm:\n  - {label: 100, action: swap, out_labels: [200], nexthop: p1, ports: [1]}\n"
       "  - {label: 101, action: pop, nexthop: p1, ttl: pipe, tc: 5}\n"
       "  - {label: 16, action: pop-lookup, vrf: blue, ports: [1]}\n"
       "  - {label: 102, action: punt}\n",
       "ilm:\n"}},
     "ilm",
     "expected a list, got nothing"},
    {"LabelNotANumber",
     {{"label: 102,", "label: one-oh-two,"}},
     "ilm[3].label",
     "'one-oh-two' is not an integer"},
    {"LabelQuoted",
     {{"label: 102,", "label: \"102\","}},
     "ilm[3].label",
     "expected an integer, got the quoted string \"102\""},
    {"LabelWithLeadingZero",
     {{"label: 102,", "label: 0102,"}},
     "ilm[3].label",
     "has a leading zero"},
    {"LabelFractional",
     {{"label: 102,", "label: 102.5,"}},
     "ilm[3].label",
     "'102.5' is not an integer"},
    {"ItemNotAMapping",
     {{"- {label: 102, action: punt}", "- 102"}},
     "ilm[3]",
     "expected a mapping, got '102'"},
    {"OutLabelsNotAList",
     {{"out_labels: [200]", "out_labels: 200"}},
     "ilm[0].out_labels",
     "expected a list, got '200'"},
    {"NameNotAString",
     {{"name: ce1,", "name: [ce1],"}},
     "nexthops[1].name",
     "expected a string, got a list"},
    {"BoolNotABool",
     {{"require_esp: true", "require_esp: yes"}},
     "vrfs[0].require_esp",
     "expected true or false, got 'yes'"},
    {"BoolQuoted",
     {{"esn: false", "esn: \"false\""}},
     "sas[1].esn",
     "expected true or false, got the quoted string"},
    {"TunnelNotAMapping",
     {{"tunnel: {src: \"192.0.2.1\", dst: \"192.0.2.2\"}", "tunnel: \"192.0.2.2\""}},
     "sas[0].tunnel",
     "expected a mapping"},
    {"UnknownAction",
     {{"action: pop-lookup", "action: pop_lookup"}},
     "ilm[2].action",
     "'pop_lookup' is not valid; did you mean 'pop-lookup'?"},
    {"UnknownTtlMode",
     {{"ttl: pipe", "ttl: short-pipe"}},
     "ilm[1].ttl",
     "expected one of: uniform, pipe"},
    {"UnknownCipher",
     {{"cipher: aes-128-gcm", "cipher: aes-128-cbc"}},
     "sas[1].cipher",
     "not valid"},
    {"UnknownEncap", {{"encap: udp", "encap: tcp"}}, "sas[1].encap", "expected one of: none, udp"},
    {"UdpEncapOverIpv6",
     {{"tunnel: {src: \"192.0.2.2\", dst: \"192.0.2.1\"}", "tunnel: {src: \"2001:db8::2\", dst: \"2001:db8::1\"}"}},
     "sas[1].encap",
     "udp encapsulation (RFC 3948) is for IPv4 tunnels"},
    {"BadName",
     {{"name: red", "name: \"red vrf\""}},
     "vrfs[1].name",
     "'red vrf' is not a valid name"},
    {"EmptyString", {{"device: sim", "device: \"\""}}, "device", "must not be empty"},
};

const std::vector<BadConfig> kDanglingNames = {
    {"IlmNexthopUndeclared",
     {{"nexthop: p1, ttl", "nexthop: p9, ttl"}},
     "ilm[1].nexthop",
     "no nexthop named 'p9' is declared; did you mean 'p1'?"},
    {"IlmVrfUndeclared",
     {{"vrf: blue, ports", "vrf: green, ports"}},
     "ilm[2].vrf",
     "no VRF named 'green' is declared"},
    {"RouteNexthopUndeclared",
     {{"nexthop: p1, prefix", "nexthop: pe9, prefix"}},
     "vrfs[1].routes[0].nexthop",
     "no nexthop named 'pe9' is declared"},
    {"RouteSaUndeclared",
     {{"sa: to-pe2}", "sa: to-pe3}"}},
     "vrfs[0].routes[0].sa",
     "no SA named 'to-pe3' is declared"},
    {"PortVrfUndeclared",
     {{"vrf: blue}", "vrf: bleu}"}},
     "ports[0].vrf",
     "no VRF named 'bleu' is declared; did you mean 'blue'?"},
    {"NexthopPortUndeclared",
     {{"name: p1, port: 1,", "name: p1, port: 2,"}},
     "nexthops[0].port",
     "port 2 is not declared under ports (declared: 0, 1)"},
    {"IlmPortUndeclared",
     {{"vrf: blue, ports: [1]", "vrf: blue, ports: [1, 3]"}},
     "ilm[2].ports[1]",
     "port 3 is not declared under ports"},
};

const std::vector<BadConfig> kBadValues = {
    {"IlmLabelReserved",
     {{"label: 102,", "label: 5,"}},
     "ilm[3].label",
     "label 5 is reserved (0-15); labels are 16..1048575"},
    {"IlmLabelTooLarge",
     {{"label: 102,", "label: 1048576,"}},
     "ilm[3].label",
     "label 1048576 is out of range; labels are 16..1048575"},
    {"IlmLabelNegative",
     {{"label: 102,", "label: -1,"}},
     "ilm[3].label",
     "label -1 is out of range"},
    {"OutLabelImplicitNull",
     {{"out_labels: [200]", "out_labels: [200, 3]"}},
     "ilm[0].out_labels[1]",
     "label 3 is reserved (0-15); labels are 16..1048575 (for PHP use action pop)"},
    {"PushLabelReserved",
     {{"push: [100, 16]", "push: [100, 15]"}},
     "vrfs[0].routes[0].push[1]",
     "label 15 is reserved"},
    {"MacTooShort",
     {{"02:00:00:00:02:01", "02:00:00:00:02"}},
     "nexthops[0].mac",
     "'02:00:00:00:02' is not a MAC address"},
    {"MacBadDigit",
     {{"02:00:00:00:03:01", "02:00:00:00:03:0g"}},
     "nexthops[1].mac",
     "is not a MAC address"},
    {"MacDashes",
     {{"02:00:00:00:03:01", "02-00-00-00-03-01"}},
     "nexthops[1].mac",
     "is not a MAC address"},
    {"PortMacMulticast",
     {{"02:00:00:00:01:01", "01:00:5e:00:00:01"}},
     "ports[1].mac",
     "is a group address"},
    {"AddressInvalid",
     {{"\"192.0.2.1\", \"2001", "\"192.0.2.256\", \"2001"}},
     "addresses[0]",
     "'192.0.2.256' is not an IPv4 or IPv6 address"},
    {"AddressMulticast",
     {{"\"2001:db8::1\"]", "\"ff02::1\"]"}},
     "addresses[1]",
     "is a multicast address"},
    {"PrefixHostBits",
     {{"10.2.0.0/16", "10.2.0.1/16"}},
     "vrfs[0].routes[0].prefix",
     "'10.2.0.1/16' has host bits set; did you mean 10.2.0.0/16?"},
    {"PrefixV4TooLong",
     {{"10.2.0.0/16", "10.2.0.0/33"}},
     "vrfs[0].routes[0].prefix",
     "length must be 0..32 for IPv4"},
    {"PrefixV6TooLong",
     {{"2001:db8:1::/48", "2001:db8:1::/129"}},
     "vrfs[0].routes[2].prefix",
     "length must be 0..128 for IPv6"},
    {"PrefixWithoutLength",
     {{"10.2.0.0/16", "10.2.0.0"}},
     "vrfs[0].routes[0].prefix",
     "has no length"},
    {"PrefixBadAddress",
     {{"2001:db8:1::/48", "2001:db8:1:::/48"}},
     "vrfs[0].routes[2].prefix",
     "is not an IPv4 or IPv6 address"},
    {"TunnelBadAddress",
     {{"dst: \"192.0.2.2\"", "dst: \"192.0.2\""}},
     "sas[0].tunnel.dst",
     "'192.0.2' is not an IPv4 or IPv6 address"},
    {"TunnelMixedFamilies",
     {{"dst: \"192.0.2.2\"", "dst: \"2001:db8::2\""}},
     "sas[0].tunnel.dst",
     "dst is IPv6 but src is IPv4"},
    {"KeyBadHex",
     {{kKey256, kKey256.substr(0, 40) + "z" + kKey256.substr(41)}},
     "sas[0].key",
     "bad hex: character 41 is not a hex digit"},
    {"SaltBadHex",
     {{"salt: \"0a0b0c0d\"", "salt: \"0a0b0c0x\""}},
     "sas[1].salt",
     "bad hex: character 8 is not a hex digit"},
    {"SaltWrongLength",
     {{"salt: \"0a0b0c0d\"", "salt: \"0a0b0c\""}},
     "sas[1].salt",
     "salt needs 8 hex digits (4 bytes), got 6"},
    {"Key128For256",
     {{kKey256, kKey128}},
     "sas[0].key",
     "aes-256-gcm key needs 64 hex digits (32 bytes), got 32"},
    {"Key256For128",
     {{kKey128, kKey256}},
     "sas[1].key",
     "aes-128-gcm key needs 32 hex digits (16 bytes), got 64"},
    {"SpiZero", {{"spi: 0x1001", "spi: 0"}}, "sas[0].spi", "SPI 0 is invalid"},
    {"SpiReserved", {{"spi: 0x1001", "spi: 0xff"}}, "sas[0].spi", "SPI 255 is reserved (1-255"},
    {"SpiTooLarge",
     {{"spi: 0x1001", "spi: 0x100000000"}},
     "sas[0].spi",
     "must be 256..4294967295, got 4294967296"},
    {"ReplayWindowOnOutboundSa",
     {{"salt: \"01020304\", tunnel: {src: \"192.0.2.1\"",
       "salt: \"01020304\", replay_window: 64, tunnel: {src: \"192.0.2.1\""}},
     "sas[0].replay_window",
     "only an inbound SA has a replay window"},
    {"ReplayWindowNotPowerOfTwo",
     {{"replay_window: 2048", "replay_window: 1000"}},
     "sas[1].replay_window",
     "must be a power of two in 64..4096, got 1000"},
    {"ReplayWindowTooLarge",
     {{"replay_window: 2048", "replay_window: 8192"}},
     "sas[1].replay_window",
     "must be 64..4096"},
    {"SoftLifetimeNotBelowHard",
     {{"soft_bytes: 1000000", "soft_bytes: 2000000"}},
     "sas[1].lifetime.soft_bytes",
     "must be below hard_bytes (2000000)"},
    {"VlanZero", {{"vlan: 10", "vlan: 0"}}, "nexthops[1].vlan", "must be 1..4094, got 0"},
    {"Vlan4095", {{"vlan: 10", "vlan: 4095"}}, "nexthops[1].vlan", "must be 1..4094, got 4095"},
    {"PortIdTooLarge", {{"{id: 1, mac", "{id: 4, mac"}}, "ports[1].id", "must be 0..3, got 4"},
    {"MtuTooLarge", {{"mtu: 9000", "mtu: 9587"}}, "ports[1].mtu", "must be 68..9586, got 9587"},
    {"MtuTooSmall", {{"mtu: 9000", "mtu: 67"}}, "ports[1].mtu", "must be 68..9586, got 67"},
    {"TcTooLarge", {{"tc: 5", "tc: 8"}}, "ilm[1].tc", "must be 0..7, got 8"},
    {"PuntRateZero",
     {{"rate_pps: 5000", "rate_pps: 0"}},
     "punt_policer.rate_pps",
     "must be 1..10000000, got 0"},
    {"DeviceUnknown",
     {{"device: sim", "device: fpga"}},
     "device",
     "'fpga' is not a device; expected sim, model, xrt:N"},
    {"DeviceBadBdf",
     {{"device: sim", "device: \"xrt:0000:3b:20.0\""}},
     "device",
     "is not a device"},
    {"DeviceBadIndex", {{"device: sim", "device: \"xrt:x\""}}, "device", "is not a device"},
    {"DeviceIndexLeadingZero",
     {{"device: sim", "device: \"xrt:01\""}},
     "device",
     "is not a device"},
};

const std::vector<BadConfig> kDuplicates = {
    {"DuplicateIlmLabel",
     {{"label: 102,", "label: 100,"}},
     "ilm[3].label",
     "label 100 is already in the ILM (first at line 10)"},
    {"DuplicateNexthopName",
     {{"name: ce1,", "name: p1,"}},
     "nexthops[1].name",
     "nexthop 'p1' is declared twice (first at line 7)"},
    {"DuplicateVrfName",
     {{"name: red", "name: blue"}},
     "vrfs[1].name",
     "VRF 'blue' is declared twice (first at line 15)"},
    {"DuplicateSaName",
     {{"name: from-pe2", "name: to-pe2"}},
     "sas[1].name",
     "SA 'to-pe2' is declared twice (first at line 25)"},
    {"DuplicatePortId",
     {{"{id: 1, mac", "{id: 0, mac"}},
     "ports[1].id",
     "port 0 is declared twice (first at line 3)"},
    {"DuplicateAddress",
     {{"\"2001:db8::1\"]", "\"192.0.2.1\"]"}},
     "addresses[1]",
     "192.0.2.1 is listed twice (first at line 5)"},
    {"DuplicatePrefixInVrf",
     {{"2001:db8:1::/48", "10.2.0.0/16"}},
     "vrfs[0].routes[2].prefix",
     "10.2.0.0/16 is already routed in VRF 'blue' (first at line 18)"},
    {"DuplicatePrefixWrittenDifferently",
     {{"2001:db8:1::/48", "2001:0db8:0001:0000::/48"},
      {"10.1.0.0/16\", nexthop: ce1", "2001:db8:1::/48\", nexthop: ce1"}},
     "vrfs[0].routes[2].prefix",
     "2001:db8:1::/48 is already routed in VRF 'blue' (first at line 19)",
     20},
    {"DuplicateInboundSpi",
     {{"spi: 8193", "spi: 0x3001"}, add_sa("")},
     "sas[2].spi",
     "SPI 0x3001 is already used by inbound SA 'from-pe2' (first at line 26)"},
    {"DuplicateOutboundSpiToOnePeer",
     {{"punt_policer:", R"(  - {name: to-pe2b, dir: out, spi: 4097, cipher: aes-256-gcm, key: ")" +
                            kKey256 +
                            R"(", salt: "01020304", tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}
punt_policer:)"}},
     "sas[2].spi",
     "SPI 0x1001 is already used by SA 'to-pe2' to 192.0.2.2"},
    {"PortListedTwiceInIlm",
     {{"vrf: blue, ports: [1]", "vrf: blue, ports: [1, 1]"}},
     "ilm[2].ports[1]",
     "port 1 is listed twice"},
};

const std::vector<BadConfig> kActionRules = {
    {"SwapWithoutOutLabels",
     {{"out_labels: [200], ", ""}},
     "ilm[0].out_labels",
     "missing; action swap requires it"},
    {"SwapWithNoOutLabels",
     {{"out_labels: [200]", "out_labels: []"}},
     "ilm[0].out_labels",
     "swap writes 1 to 3 labels, got 0"},
    {"SwapWithFourOutLabels",
     {{"out_labels: [200]", "out_labels: [200, 201, 202, 203]"}},
     "ilm[0].out_labels",
     "swap writes 1 to 3 labels, got 4"},
    {"SwapWithoutNexthop",
     {{"nexthop: p1, ports: [1]", "ports: [1]"}},
     "ilm[0].nexthop",
     "missing; action swap requires it"},
    {"PopWithoutNexthop",
     {{"action: pop, nexthop: p1, ", "action: pop, "}},
     "ilm[1].nexthop",
     "missing; action pop requires it"},
    {"PopLookupWithoutVrf",
     {{"vrf: blue, ports: [1]", "ports: [1]"}},
     "ilm[2].vrf",
     "missing; action pop-lookup requires it"},
    {"PopWithOutLabels",
     {{"action: pop, nexthop: p1,", "action: pop, out_labels: [300], nexthop: p1,"}},
     "ilm[1].out_labels",
     "not used by action pop"},
    {"PopLookupWithNexthop",
     {{"vrf: blue, ports: [1]", "vrf: blue, nexthop: p1, ports: [1]"}},
     "ilm[2].nexthop",
     "not used by action pop-lookup"},
    {"PuntWithTtl",
     {{"action: punt}", "action: punt, ttl: pipe}"}},
     "ilm[3].ttl",
     "not used by action punt"},
    {"IlmPortsEmpty", {{"vrf: blue, ports: [1]", "vrf: blue, ports: []"}}, "ilm[2].ports", "empty"},
    {"RoutePushesFourLabels",
     {{"push: [100, 16]", "push: [100, 16, 17, 18]"}},
     "vrfs[0].routes[0].push",
     "a route pushes at most 3 labels, got 4"},
    {"RouteWithInboundSa",
     {{"sa: to-pe2}", "sa: from-pe2}"}},
     "vrfs[0].routes[0].sa",
     "SA 'from-pe2' is inbound (dir: in); a route encrypts with an outbound SA"},
};

std::string case_name(const testing::TestParamInfo<BadConfig>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(UnknownKeys, Rejects, testing::ValuesIn(kUnknownKeys), case_name);
INSTANTIATE_TEST_SUITE_P(MissingKeys, Rejects, testing::ValuesIn(kMissingKeys), case_name);
INSTANTIATE_TEST_SUITE_P(WrongTypes, Rejects, testing::ValuesIn(kWrongTypes), case_name);
INSTANTIATE_TEST_SUITE_P(DanglingNames, Rejects, testing::ValuesIn(kDanglingNames), case_name);
INSTANTIATE_TEST_SUITE_P(BadValues, Rejects, testing::ValuesIn(kBadValues), case_name);
INSTANTIATE_TEST_SUITE_P(Duplicates, Rejects, testing::ValuesIn(kDuplicates), case_name);
INSTANTIATE_TEST_SUITE_P(ActionRules, Rejects, testing::ValuesIn(kActionRules), case_name);

// Key material never appears in an error, even a bad key.
TEST(SecretHygiene, BadKeyIsNotQuoted) {
    const std::string bad_key = kKey256.substr(0, 63) + "q";
    const cfg::ConfigError error = error_of(edited({{kKey256, bad_key}}));
    EXPECT_EQ(std::string(error.what()).find(kKey256.substr(0, 20)), std::string::npos)
        << error.what();
}
