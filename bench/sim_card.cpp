// Virtual card over its socket: how fast the host can talk to mplsec-sim.
// Prints figures; asserts nothing.
//
//   bench_sim_card [rtl|model|both] [on|off]   (default both engines, on:
//                                              annotated PCIe latency)
//
// Starts a private mplsec-sim per engine (or uses $MPLSEC_SIM_SOCKET) and measures
// register reads and writes per second, table entries per second written
// through the register window, one bulk message an entry, and in bulk, and
// the SystemC card's simulated datapath cycles per wall second with the
// engine inside (frames offered back to back, then run until idle).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "mplsec/device.hpp"
#include "sim_device.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace regs = mplsec::regs;
using mplsec::drivers::SimDevice;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::vector<uint8_t> mpls_frame(std::size_t size, uint32_t label) {
    std::vector<uint8_t> f(size, 0);
    const uint8_t head[] = {0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02, 0x88, 0x47};
    for (std::size_t i = 0; i < sizeof head; ++i) f[i] = head[i];
    const uint32_t entry = label << 12 | 1u << 8 | 64;  // bottom of stack, TTL 64
    for (int b = 0; b < 4; ++b) f[14 + b] = static_cast<uint8_t>(entry >> (24 - 8 * b));
    return f;
}

void bench(const std::string& engine, const std::string& pcie_time) {
    std::unique_ptr<SimDevice> dev;
    if (const char* s = std::getenv("MPLSEC_SIM_SOCKET"); s && *s)
        dev = SimDevice::attach(s);
    else
        dev = SimDevice::spawn(engine, {"--pcie-time", pcie_time});
    std::printf("bench_sim_card: engine %s, PCIe latency annotation %s, socket %s\n", dev->engine().c_str(),
                pcie_time.c_str(), dev->socket_path().c_str());

    const int kRegOps = 20000;
    auto t0 = Clock::now();
    for (int i = 0; i < kRegOps; ++i) dev->write32(regs::ctrl::kScratch, static_cast<uint32_t>(i));
    const double writes_s = kRegOps / seconds_since(t0);
    t0 = Clock::now();
    uint32_t sink = 0;
    for (int i = 0; i < kRegOps; ++i) sink += dev->read32(regs::ctrl::kScratch);
    const double reads_s = kRegOps / seconds_since(t0);
    std::printf("register writes   %10.0f /s\nregister reads    %10.0f /s   (checksum %u)\n", writes_s, reads_s, sink);

    // nexthop: 2 words an entry.
    const regs::TableId table = regs::TableId::nexthop;
    const uint32_t stride = regs::table_info(table).words;
    const uint32_t depth = regs::table_info(table).depth;
    std::vector<uint32_t> words(std::size_t{depth} * stride);
    for (std::size_t i = 0; i < words.size(); ++i) words[i] = static_cast<uint32_t>(i * 2654435761u);
    const uint32_t kWindowEntries = 1000;
    t0 = Clock::now();
    dev->Device::write_entries(table, 0, kWindowEntries, words.data());  // register window, read-back of status
    const double window_s = kWindowEntries / seconds_since(t0);
    const uint32_t kSingle = 2000;
    t0 = Clock::now();
    for (uint32_t i = 0; i < kSingle; ++i) dev->write_entries(table, i, 1, words.data() + std::size_t{i} * stride);
    const double single_s = kSingle / seconds_since(t0);
    t0 = Clock::now();
    dev->write_entries(table, 0, depth, words.data());
    const double bulk_s = depth / seconds_since(t0);
    // The ILM: 2^20 one-word entries in bulk.
    const uint32_t ilm_depth = regs::table_info(regs::TableId::ilm).depth;
    std::vector<uint32_t> ilm(ilm_depth, 0);
    t0 = Clock::now();
    dev->write_entries(regs::TableId::ilm, 0, ilm_depth, ilm.data());
    const double ilm_wall = seconds_since(t0);
    std::printf("table entries     %10.0f /s   nexthop through the register window (5 writes + 1 read each)\n",
                window_s);
    std::printf("table entries     %10.0f /s   nexthop, one bulk message an entry\n", single_s);
    std::printf("table entries     %10.0f /s   nexthop, %u entries in one bulk message\n", bulk_s, depth);
    std::printf("table entries     %10.0f /s   ilm, %u entries in bulk (%.2f s)\n", ilm_depth / ilm_wall, ilm_depth,
                ilm_wall);
    std::printf("bulk (DMA) vs register window: %.0fx more entries a second\n", bulk_s / window_s);

    // Datapath: frames of 1500 bytes (24 beats) with no ILM entry: each is a
    // counted no_label drop, the pipeline still takes a beat a cycle.
    const SimDevice::Stats before = dev->stats();
    const int kFrames = 20000;
    const std::vector<uint8_t> frame = mpls_frame(1500, 100);
    t0 = Clock::now();
    for (int i = 0; i < kFrames; ++i) dev->port_send(static_cast<uint8_t>(i & 1), frame);
    const double send_wall = seconds_since(t0);
    const auto t1 = Clock::now();
    dev->port_run();
    const double run_wall = seconds_since(t1);
    const SimDevice::Stats after = dev->stats();
    const double cycles = static_cast<double>(after.cycles - before.cycles);
    const double beats = static_cast<double>(after.in_beats - before.in_beats);
    const double sim_us = static_cast<double>(after.sim_time_ps - before.sim_time_ps) / 1e6;
    std::printf("frames offered    %10.0f /s   (port_send messages)\n", kFrames / send_wall);
    std::printf("datapath          %.0f beats in %.0f cycles (%.3f beats/cycle), %.1f us simulated\n", beats, cycles,
                cycles > 0 ? beats / cycles : 0.0, sim_us);
    std::printf("simulated cycles  %10.0f /s wall (run until idle, SystemC + %s)\n", cycles / run_wall,
                dev->engine().c_str());
    std::printf("simulated time    %10.3f us per wall second\n", sim_us / run_wall);
    std::printf("card totals       %llu MMIO reads, %llu MMIO writes, %llu DMA bytes, %.3f ms simulated\n",
                static_cast<unsigned long long>(after.mmio_reads), static_cast<unsigned long long>(after.mmio_writes),
                static_cast<unsigned long long>(after.dma_bytes), after.sim_time_ps / 1e9);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string which = argc > 1 ? argv[1] : "both";
    const std::string pcie_time = argc > 2 ? argv[2] : "on";
    if (which != "rtl" && which != "model" && which != "both") {
        std::fprintf(stderr, "usage: bench_sim_card [rtl|model|both] [on|off]\n");
        return 2;
    }
    for (const std::string engine : {"rtl", "model"}) {
        if (which != "both" && which != engine) continue;
        bench(engine, pcie_time);
        std::printf("\n");
    }
    return 0;
}
