// Prints how fast the HLS C-model forwards on this machine (wall clock)
// and how fast tables load through the register window. Figures only.
#include <chrono>
#include <cstdio>
#include <vector>

#include "support/card_harness.hpp"

using namespace mplsec;
using namespace mplsec::test;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void forwarding(const char* name, const std::vector<std::size_t>& payloads, int frames) {
    CardHarness card("model", kPeConfig);
    std::vector<Bytes> mix;
    for (std::size_t p : payloads)
        mix.push_back(FrameBuilder().eth("02:00:00:00:01:01", "02:00:00:00:02:01").ethertype(0x8847)
                          .label(100, 64, true).ipv4_udp("10.2.0.5", "10.1.0.7", 64, p).pad_to().build());
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) card.device().port_send(1, mix[static_cast<std::size_t>(i) % mix.size()]);
    const auto sent = card.device().port_run();
    const double s = seconds_since(t0);
    std::printf("model forwarding %-10s %8d frames  %9.0f frames/s  %6.2f Gbit/s of frames (wall clock)\n", name,
                frames, frames / s, [&] {
                    double bits = 0;
                    for (const auto& f : sent) bits += 8.0 * f.bytes.size();
                    return bits / s / 1e9;
                }());
}

// PE2 for the ESP figures: decrypts what kPeConfig's to-pe2 encrypts.
const char* const kDecryptConfig = R"(
device: model
ports:
  - {id: 0, mac: "02:00:00:00:04:00", vrf: blue}
  - {id: 1, mac: "02:00:00:00:04:01"}
addresses: ["192.0.2.2"]
nexthops:
  - {name: ce2, port: 0, mac: "02:00:00:00:05:01"}
ilm:
  - {label: 16, action: pop-lookup, vrf: blue, ports: [1]}
vrfs:
  - name: blue
    routes:
      - {prefix: "10.9.0.0/16", nexthop: ce2}
sas:
  - {name: from-pe1, dir: in, spi: 0x1001, cipher: aes-256-gcm,
     key: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", salt: "01020304",
     tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, replay_window: 4096}
)";

double gbits(const std::vector<drivers::TxFrame>& frames, double s) {
    double bits = 0;
    for (const auto& f : frames) bits += 8.0 * f.bytes.size();
    return bits / s / 1e9;
}

// AES-256-GCM through the ESP stage: customer frames encrypted by the test
// PE (route 10.9/16, SA to-pe2), then decrypted by a second card after the
// transport label is popped (as the P router's PHP would).
void esp(const char* name, std::size_t payload, int frames) {
    CardHarness pe1("model", kPeConfig);
    CardHarness pe2("model", kDecryptConfig);
    const Bytes customer = FrameBuilder().eth("02:00:00:00:00:01", "02:00:00:00:03:01").ethertype(0x0800)
                               .ipv4_udp("10.1.0.7", "10.9.0.1", 64, payload).pad_to().build();
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < frames; ++i) pe1.device().port_send(0, customer);
    const auto encrypted = pe1.device().port_run();
    double s = seconds_since(t0);
    std::printf("model ESP encrypt  %-10s %8zu frames  %9.0f frames/s  %6.2f Gbit/s of frames (wall clock)\n", name,
                encrypted.size(), static_cast<double>(encrypted.size()) / s, gbits(encrypted, s));
    std::vector<Bytes> core;
    for (const auto& f : encrypted) {
        Bytes popped(f.bytes.begin(), f.bytes.begin() + 14);
        popped.insert(popped.end(), f.bytes.begin() + 18, f.bytes.end());
        core.push_back(std::move(popped));
    }
    t0 = std::chrono::steady_clock::now();
    for (const Bytes& f : core) pe2.device().port_send(1, f);
    const auto decrypted = pe2.device().port_run();
    s = seconds_since(t0);
    std::printf("model ESP decrypt  %-10s %8zu frames  %9.0f frames/s  %6.2f Gbit/s of frames (wall clock)\n", name,
                decrypted.size(), static_cast<double>(decrypted.size()) / s, gbits(decrypted, s));
}

}  // namespace

int main() {
    forwarding("64B", {18}, 200000);
    forwarding("1500B", {1454}, 50000);
    // IMIX 7:4:1 of 64, 594 and 1518-byte frames.
    forwarding("IMIX", {18, 18, 18, 18, 18, 18, 18, 548, 548, 548, 548, 1472}, 120000);
    esp("64B", 18, 50000);
    esp("1442B", 1400, 20000);  // the largest that fits the core MTU of 1500 once encrypted

    auto dev = drivers::open_device("model");
    const int entries = 100000;
    regs::IlmEntry entry{};
    entry.valid = 1;
    entry.port_mask = 3;
    entry.nhlfe = 7;
    const auto packed = entry.pack();
    const std::vector<uint32_t> words(packed.begin(), packed.end());
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < entries; ++i) dev->write_entry(regs::TableId::ilm, 16 + static_cast<uint32_t>(i), words);
    const double s = seconds_since(t0);
    std::printf("ILM load through the register window (in-process model device, no bus latency): %.0f entries/s\n",
                entries / s);
    return 0;
}
