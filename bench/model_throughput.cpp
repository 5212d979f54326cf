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

}  // namespace

int main() {
    forwarding("64B", {18}, 200000);
    forwarding("1500B", {1454}, 50000);
    // IMIX 7:4:1 of 64, 594 and 1518-byte frames.
    forwarding("IMIX", {18, 18, 18, 18, 18, 18, 18, 548, 548, 548, 548, 1472}, 120000);

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
