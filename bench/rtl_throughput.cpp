// Throughput and latency of the Verilated forwarding pipeline
// (make_rtl_engine()): beats per cycle for back-to-back 64 B, 65 B,
// 1500 B and IMIX (7:4:1 of 64/594/1518) label-swapped frames, packets
// per cycle at 64 B, latency in cycles of one swap, pop-lookup and push
// frame through an idle pipeline, and simulated cycles per wall-clock
// second. Prints figures only.
#include <chrono>
#include <cstdio>
#include <vector>

#include "mplsec/engine.hpp"
#include "rtl_test_util.hpp"

namespace {

using namespace mplsec;
using namespace mplsec::rtltest;

constexpr uint64_t kMacCore = 0x020000000101;
constexpr uint64_t kMacVrf = 0x020000000001;
constexpr uint64_t kMacPeer = 0x020000000201;
constexpr int kPackets = 100000;
constexpr int kBatch = 20000;  // frames offered per run(); runs start from an empty pipeline

std::unique_ptr<sim::Engine> make_card() {
    auto e = sim::make_rtl_engine();
    set_port(*e, 0, kMacVrf, 9600, true, 1);
    set_port(*e, 1, kMacCore, 9600);
    set_nexthop(*e, 1, 1, kMacPeer);
    set_nexthop(*e, 2, 0, 0x020000000301, true, 10);
    set_vrf(*e, 1);
    set_ilm(*e, 100, 0xf, 1);
    set_nhlfe(*e, 1, regs::NhlfeOp::swap, {200}, 1);
    set_ilm(*e, 16, 0xf, 2);
    set_nhlfe(*e, 2, regs::NhlfeOp::pop_lookup, {}, 0, 1);
    Trie4 t(*e);
    t.add(1, {10, 1, 0, 0}, 16, 1);
    t.add(1, {10, 2, 0, 0}, 16, 2);
    set_route(*e, 1, 2, {});
    set_route(*e, 2, 1, {300, 16});
    return e;
}

Bytes swap_frame(std::size_t size) {
    return pad_to(cat(cat(eth(kMacCore, kMacPeer, {}, 0x8847), labels({lse(100, 0, true, 64)})),
                      ipv4(0xc0000202, 0x0a010203, 64, 17, 0, 46)),
                  size);
}

struct Result {
    double beats_per_cycle = 0;
    double packets_per_cycle = 0;
    uint64_t cycles = 0;
    double wall_s = 0;
};

Result run_sizes(const std::vector<std::size_t>& pattern) {
    auto e = make_card();
    std::vector<Bytes> frames;
    for (std::size_t s : pattern) frames.push_back(swap_frame(s));
    const auto t0 = std::chrono::steady_clock::now();
    uint64_t out = 0;
    for (int sent = 0; sent < kPackets;) {
        const int n = std::min(kBatch, kPackets - sent);
        for (int i = 0; i < n; ++i) e->send(1, frames[static_cast<std::size_t>(sent + i) % frames.size()]);
        sent += n;
        out += e->run().size();
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    Result r;
    r.cycles = e->cycles();
    r.beats_per_cycle = static_cast<double>(e->in_beats()) / static_cast<double>(r.cycles);
    r.packets_per_cycle = static_cast<double>(out) / static_cast<double>(r.cycles);
    r.wall_s = wall;
    return r;
}

uint64_t latency(uint8_t port, const Bytes& frame) {
    auto e = make_card();
    e->send(port, frame);
    const auto out = e->run();
    return out.size() == 1 ? e->cycles() : 0;
}

}  // namespace

int main() {
    uint64_t total_cycles = 0;
    double total_wall = 0;
    struct Load {
        const char* name;
        std::vector<std::size_t> pattern;
    };
    std::vector<std::size_t> imix;
    for (int i = 0; i < 7; ++i) imix.push_back(64);
    for (int i = 0; i < 4; ++i) imix.push_back(594);
    imix.push_back(1518);
    const Load loads[] = {{"64 B", {64}}, {"65 B", {65}}, {"1500 B", {1500}}, {"IMIX 7:4:1", imix}};
    std::printf("back-to-back label swap, %d packets each:\n", kPackets);
    for (const Load& l : loads) {
        const Result r = run_sizes(l.pattern);
        std::printf("  %-11s beats/cycle %.4f  packets/cycle %.4f  (%llu cycles)\n", l.name, r.beats_per_cycle,
                    r.packets_per_cycle, static_cast<unsigned long long>(r.cycles));
        total_cycles += r.cycles;
        total_wall += r.wall_s;
    }
    const Bytes pop_lookup = pad_to(cat(cat(eth(kMacCore, kMacPeer, {}, 0x8847), labels({lse(16, 0, true, 64)})),
                                        ipv4(0xc0000202, 0x0a010203, 64, 17, 0, 46)),
                                    64);
    const Bytes push = pad_to(cat(eth(kMacVrf, 0x020000000301, {}, 0x0800), ipv4(0x0a010101, 0x0a020304, 64, 17, 0, 46)), 64);
    std::printf("latency, first beat in to last beat out, 64 B frame on an idle pipeline:\n");
    std::printf("  swap        %llu cycles\n", static_cast<unsigned long long>(latency(1, swap_frame(64))));
    std::printf("  pop-lookup  %llu cycles\n", static_cast<unsigned long long>(latency(1, pop_lookup)));
    std::printf("  push 2      %llu cycles\n", static_cast<unsigned long long>(latency(0, push)));
    std::printf("simulation speed: %.0f cycles per wall-clock second\n",
                static_cast<double>(total_cycles) / total_wall);
    return 0;
}
