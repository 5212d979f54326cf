// `mplsec sim run` (DESIGN.md 5.1) on examples/pe1.yaml, its output opened
// with OpenSSL EVP (support/esp_reference.hpp, nothing of hls/esp): every
// customer packet for site B leaves on the core port as ESP that decrypts
// to the packet that came in, routed once; stats.json counts it per SA.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "mplsec/config.hpp"
#include "mplsec/pcap_io.hpp"
#include "mplsec/sim_run.hpp"
#include "support/esp_reference.hpp"
#include "frame_builder.hpp"

namespace mplsec::test {
namespace {

namespace fs = std::filesystem;
using namespace mplsec::framegen;  // NOLINT: frames

uint16_t get16(const Bytes& b, std::size_t at) { return static_cast<uint16_t>(b[at] << 8 | b[at + 1]); }

// The IP packet at `at`, by its own length.
Bytes ip_packet(const Bytes& frame, std::size_t at) {
    const std::size_t len = (frame[at] >> 4) == 4 ? get16(frame, at + 2) : 40u + get16(frame, at + 4);
    return Bytes(frame.begin() + static_cast<long>(at), frame.begin() + static_cast<long>(at + len));
}

// What PE1 encrypts: the packet with its TTL / hop limit decremented.
Bytes routed(Bytes ip) {
    if ((ip[0] >> 4) == 6) {
        ip[7] -= 1;
        return ip;
    }
    ip[8] -= 1;
    ip[10] = ip[11] = 0;
    const uint16_t sum = ipv4_checksum(ip.data(), 20);
    ip[10] = static_cast<uint8_t>(sum >> 8);
    ip[11] = static_cast<uint8_t>(sum);
    return ip;
}

TEST(EspSimRun, OpenSslDecryptsWhatPe1Sends) {
    const fs::path dir = fs::temp_directory_path() / ("mplsec-esp-sim-run-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::vector<pcap::Frame> in;
    for (std::size_t size : {0, 3, 46, 700, 1400}) {
        in.push_back(FrameBuilder().eth("02:00:00:00:01:00", "02:00:00:00:03:01").ethertype(0x0800)
                         .ipv4_udp("10.1.0.7", "10.2.0.9", 64, size, static_cast<uint8_t>(size)).pad_to().build());
        in.push_back(FrameBuilder().eth("02:00:00:00:01:00", "02:00:00:00:03:01").ethertype(0x86DD)
                         .ipv6_udp("2001:db8:a::7", "2001:db8:b::9", 64, size).pad_to().build());
    }
    pcap::write_file((dir / "in.pcap").string(), in);

    runtime::SimRunOptions options;
    options.config_path = MPLSEC_EXAMPLES_DIR "/pe1.yaml";
    options.in_pcap = (dir / "in.pcap").string();
    options.out_dir = (dir / "out").string();
    options.in_port = 0;
    options.engine = "model";
    const nlohmann::json stats = runtime::sim_run(options);

    const config::Config config = config::load_file(options.config_path);
    EspKey key;
    for (const config::Sa& sa : config.sas) {
        if (sa.name != "to-pe2") continue;
        key.key = sa.key;
        std::copy(sa.salt.begin(), sa.salt.end(), key.salt);
        key.spi = sa.spi;
        key.esn = sa.esn;
    }
    const std::vector<pcap::Frame> out = pcap::read_file((dir / "out" / "port1.pcap").string());
    ASSERT_EQ(out.size(), in.size());
    uint64_t inner_bytes = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const Bytes& f = out[i];
        ASSERT_EQ(get16(f, 12), 0x8847);
        const std::size_t outer = 14 + 8;  // two labels: transport, VPN
        const Bytes esp(f.begin() + static_cast<long>(outer + 20), f.begin() + static_cast<long>(outer + get16(f, outer + 2)));
        const auto opened = esp_open(key, esp, 0);
        ASSERT_TRUE(opened) << "frame " << i << ": the ICV verifies";
        EXPECT_EQ(opened->seq_lo, i + 1) << "frame " << i;
        const Bytes expected = routed(ip_packet(in[i], 14));
        EXPECT_EQ(opened->inner(), expected) << "frame " << i;
        EXPECT_EQ(opened->next_header(), (expected[0] >> 4) == 4 ? 4 : 41);
        inner_bytes += expected.size();
    }
    EXPECT_EQ(stats["sas"]["to-pe2"]["packets"], in.size());
    EXPECT_EQ(stats["sas"]["to-pe2"]["bytes"], inner_bytes);
    EXPECT_EQ(stats["sas"]["from-pe2"]["packets"], 0);
    fs::remove_all(dir);
}

// Lifetime events reach stats.json by SA name, in the order raised.
TEST(EspSimRun, StatsListTheEventsTheCardRaised) {
    const fs::path dir = fs::temp_directory_path() / ("mplsec-esp-events-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ifstream example(MPLSEC_EXAMPLES_DIR "/pe1.yaml");
    std::string config((std::istreambuf_iterator<char>(example)), std::istreambuf_iterator<char>());
    const std::string tunnel = R"(tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}})";
    ASSERT_NE(config.find(tunnel), std::string::npos);
    config.replace(config.find(tunnel), tunnel.size(),
                   R"(tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, lifetime: {soft_packets: 2, hard_packets: 3}})");
    std::ofstream(dir / "pe1.yaml") << config;
    const Bytes customer = FrameBuilder().eth("02:00:00:00:01:00", "02:00:00:00:03:01").ethertype(0x0800)
                               .ipv4_udp("10.1.0.7", "10.2.0.9", 64, 30).pad_to().build();
    pcap::write_file((dir / "in.pcap").string(), std::vector<pcap::Frame>(5, customer));

    runtime::SimRunOptions options;
    options.config_path = (dir / "pe1.yaml").string();
    options.in_pcap = (dir / "in.pcap").string();
    options.out_dir = (dir / "out").string();
    options.engine = "model";
    const nlohmann::json stats = runtime::sim_run(options);
    EXPECT_EQ(stats["sas"]["to-pe2"]["packets"], 3);
    EXPECT_EQ(stats["drops"]["esp_sa_expired"], 2);
    const nlohmann::json want = nlohmann::json::parse(
        R"([{"event": "sa_soft_lifetime", "sa": "to-pe2"}, {"event": "sa_hard_lifetime", "sa": "to-pe2"}])");
    EXPECT_EQ(stats["events"], want);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace mplsec::test
