// Throughput and latency of the Verilated forwarding pipeline
// (make_rtl_engine()): beats per cycle for back-to-back 64 B, 65 B,
// 1500 B and IMIX (7:4:1 of 64/594/1518) label-swapped frames, packets
// per cycle at 64 B, latency in cycles of one swap, pop-lookup and push
// frame through an idle pipeline, and simulated cycles per wall-clock
// second. Then ESP (docs/datapath.md step 4), when the engine reports
// esp_gcm in its features: outbound encrypt and inbound decrypt
// (AES-256-GCM, ESN, IPv4 outer; the inbound frames sealed by OpenSSL),
// back-to-back 64 B, 1500 B and IMIX (7:4:1 of 64/576/1500; the sizes of
// the customer frames, which decrypt gives back), with the frames that
// came out, and the latency one frame adds over the same frame without
// ESP. Prints figures only.
//
// usage: bench_rtl_throughput [--engine rtl|model]
// (model: the C-model engine, whose clock is its beat count; a check that
// the set-up forwards what it should, not a measurement)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "mplsec/engine.hpp"
#include "mplsec/spi_hash.hpp"
#include "rtl_test_util.hpp"
#include "support/esp_reference.hpp"

namespace {

using namespace mplsec;
using namespace mplsec::rtltest;

constexpr uint64_t kMacCore = 0x020000000101;
constexpr uint64_t kMacVrf = 0x020000000001;
constexpr uint64_t kMacPeer = 0x020000000201;
constexpr int kPackets = 100000;
constexpr int kBatch = 20000;  // frames offered per run(); runs start from an empty pipeline
// ESP cases: fewer frames. The AES-GCM core alone simulates at about 33k
// cycles per second (bench_gcm_core), and the pipeline carries it on every
// cycle; 20,000 frames still make the start-up of a run negligible.
constexpr int kEspPackets = 20000;

std::function<std::unique_ptr<sim::Engine>()> g_make_engine = sim::make_rtl_engine;

void add_esp(sim::Engine& e);

// `esp`: also the ESP tables (add_esp) and 10.9/16 into them.
std::unique_ptr<sim::Engine> make_card(bool esp = false) {
    auto e = g_make_engine();
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
    if (esp) t.add(1, {10, 9, 0, 0}, 16, 3);
    set_route(*e, 1, 2, {});
    set_route(*e, 2, 1, {300, 16});
    if (esp) add_esp(*e);
    return e;
}

// --- ESP ---------------------------------------------------------------------

constexpr uint32_t kSaOut = 1, kSaIn = 2;
// The SAs use 64-bit sequence numbers (ESN) unless a table says otherwise:
// an inbound ESN frame waits until the frames before it are checked.
bool g_esn = true;
constexpr uint32_t kSpiOut = 0x1001, kSpiIn = 0x2001;
constexpr uint32_t kSalt = 0x01020304;
constexpr uint32_t kCardV4 = 0xc0000201, kPeerV4 = 0xc0000202;  // 192.0.2.1, 192.0.2.2

test::EspKey esp_key(uint32_t spi) {
    test::EspKey k;
    for (int i = 0; i < 32; ++i) k.key.push_back(static_cast<uint8_t>(0x40 + 3 * i));
    for (int i = 0; i < 4; ++i) k.salt[i] = static_cast<uint8_t>(kSalt >> (24 - 8 * i));
    k.spi = spi;
    k.esn = g_esn;
    return k;
}

void set_sa(sim::Engine& e, uint32_t index, bool inbound, uint32_t spi) {
    regs::SaTunnelEntry t{};
    if (!inbound) t.src[0] = kCardV4, t.dst[0] = kPeerV4;
    put(e, index, t);
    put(e, index, regs::SaLifetimeEntry{});
    regs::SaEntry sa{};
    sa.valid = 1;
    sa.inbound = inbound;
    sa.aes256 = 1;
    sa.esn = g_esn;
    sa.replay_log2 = inbound ? 10 : 0;
    sa.spi = spi;
    sa.salt = kSalt;
    const test::EspKey k = esp_key(spi);
    for (std::size_t i = 0; i < k.key.size(); ++i) {
        const std::size_t bit = 8 * (31 - i);  // first byte in 255:248
        sa.key[bit / 32] |= uint32_t{k.key[i]} << (bit % 32);
    }
    put(e, index, sa);
    if (inbound) {
        regs::SpiHashEntry h{};
        h.valid = 1;
        h.spi = spi;
        h.sa = index;
        put(e, spi_hash_slot(spi, 0), h);
    }
}

// The card as PE: 192.0.2.1 its address, outbound SA 1 on route 3
// (10.9/16, labels 300 16 to the core), inbound SA 2 for ESP from
// 192.0.2.2 under the VPN label 16 (pop-lookup into VRF 1).
void add_esp(sim::Engine& e) {
    set_local(e, 0, false, {192, 0, 2, 1}, 4);
    set_sa(e, kSaOut, false, kSpiOut);
    set_sa(e, kSaIn, true, kSpiIn);
    regs::RouteEntry r{};
    r.valid = 1;
    r.nexthop = 1;
    r.n_push = 2;
    r.label0 = 300;
    r.label1 = 16;
    r.sa_valid = 1;
    r.sa = kSaOut;
    put(e, 3, r);
    // Writing sa starts a key install beside the datapath (about 130
    // cycles on the RTL); traffic comes after it, as from a host. A table
    // read takes two cycles.
    uint32_t words[regs::SaSeqEntry::kWords];
    for (int i = 0; i < 200; ++i) e.read_table(regs::TableId::sa_seq, kSaOut, words);
}

bool has_esp(const sim::Engine& e) { return e.features() >> regs::kFeatureEspGcm & 1; }

// A customer frame of `size` bytes on port 0 (all IPv4: total = size - 14)
// to 10.9.3.4 (encrypted) or, `plain`, to 10.2.3.4 (the same route
// without the SA).
Bytes customer_frame(std::size_t size, bool plain = false) {
    return cat(eth(kMacVrf, 0x020000000301, {}, 0x0800),
               ipv4(0x0a010101, plain ? 0x0a020304 : 0x0a090304, 64, 17, 0, static_cast<uint16_t>(size - 14)));
}

// What the peer PE sends for a customer frame of `size` bytes: label 16,
// outer IPv4 192.0.2.2 -> 192.0.2.1, ESP sealed by OpenSSL with `seq`; the
// inner packet goes to 10.1.2.3 (port 0). `plain`: the same inner packet
// under label 16 without ESP.
Bytes core_frame(std::size_t size, uint64_t seq, bool plain = false) {
    const Bytes inner = ipv4(0x0a020202, 0x0a010203, 64, 17, 0, static_cast<uint16_t>(size - 14));
    const Bytes head = cat(eth(kMacCore, kMacPeer, {}, 0x8847), labels({lse(16, 0, true, 64)}));
    if (plain) return cat(head, inner);
    const Bytes esp = test::esp_seal_minimal(esp_key(kSpiIn), seq, inner, 4);
    Bytes outer = ipv4(kPeerV4, kCardV4, 64, 50, 0, static_cast<uint16_t>(20 + esp.size()));
    outer.resize(20);  // the header; ESP follows
    return cat(cat(head, outer), esp);
}

struct EspResult {
    uint64_t in = 0, out = 0, out_beats = 0, cycles = 0, forged = 0;
    double beats_per_cycle = 0, out_beats_per_cycle = 0, packets_per_cycle = 0, wall_s = 0;
    std::string error;  // the engine threw (a hung datapath, say)
};

// An inbound frame an attacker without the key sends: a sequence number
// half the space ahead of `seq` and a tag that does not hold.
Bytes forged_frame(std::size_t size, uint64_t seq) {
    Bytes f = core_frame(size, seq + (uint64_t{1} << 31));
    f.back() ^= 0x01;
    return f;
}

// kEspPackets frames of the sizes in `pattern`, back to back, in batches of
// kBatch; inbound frames are sealed batch by batch (sequence 1, 2, ...).
// With `forge_every`, every such frame inbound is a forgery instead.
EspResult run_esp(bool inbound, const std::vector<std::size_t>& pattern, int forge_every = 0) {
    auto e = make_card(true);
    std::vector<Bytes> outbound_frames;
    for (std::size_t size : pattern) outbound_frames.push_back(customer_frame(size));
    EspResult r;
    double wall = 0;
    for (int sent = 0; sent < kEspPackets;) {
        const int n = std::min(kBatch, kEspPackets - sent);
        std::vector<Bytes> batch;
        for (int i = 0; i < n; ++i) {
            const std::size_t k = static_cast<std::size_t>(sent + i) % pattern.size();
            const auto seq = static_cast<uint64_t>(sent + i) + 1;
            const bool forged = inbound && forge_every && (sent + i) % forge_every == forge_every - 1;
            if (forged) ++r.forged;
            batch.push_back(forged ? forged_frame(pattern[k], seq)
                                   : inbound ? core_frame(pattern[k], seq) : outbound_frames[k]);
        }
        const auto t0 = std::chrono::steady_clock::now();
        for (const Bytes& f : batch) e->send(inbound ? 1 : 0, f);
        sent += n;
        try {
            for (const auto& f : e->run()) {
                ++r.out;
                r.out_beats += (f.bytes.size() + 63) / 64;
            }
        } catch (const std::exception& ex) {
            r.error = ex.what();
            r.in = static_cast<uint64_t>(sent);
            return r;
        }
        wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    r.in = kEspPackets;
    r.cycles = e->cycles();
    r.beats_per_cycle = r.cycles ? static_cast<double>(e->in_beats()) / static_cast<double>(r.cycles) : 0;
    r.packets_per_cycle = r.cycles ? static_cast<double>(r.out) / static_cast<double>(r.cycles) : 0;
    r.out_beats_per_cycle = r.cycles ? static_cast<double>(r.out_beats) / static_cast<double>(r.cycles) : 0;
    r.wall_s = wall;
    return r;
}

// Cycles of one frame through an idle pipeline, or 0 when it did not come
// out (dropped, or the engine threw).
uint64_t esp_latency(uint8_t port, const Bytes& frame) {
    auto e = make_card(true);
    e->send(port, frame);
    try {
        const auto out = e->run();
        return out.size() == 1 ? e->cycles() : 0;
    } catch (const std::exception&) {
        return 0;
    }
}

std::string cycles_text(uint64_t cycles) { return cycles ? std::to_string(cycles) : std::string("no frame"); }

// The ESP table; returns the simulated cycles and wall time it took.
std::pair<uint64_t, double> esp_section() {
    {
        auto probe = make_card(true);
        if (!has_esp(*probe)) {
            std::printf("ESP: the %s engine does not report esp_gcm in its features (no ESP stage yet): no ESP figures\n",
                        probe->name().c_str());
            return {0, 0.0};
        }
    }
    std::vector<std::size_t> imix;
    for (int i = 0; i < 7; ++i) imix.push_back(64);
    for (int i = 0; i < 4; ++i) imix.push_back(576);
    imix.push_back(1500);
    struct Load {
        const char* name;
        std::vector<std::size_t> pattern;
    };
    const Load loads[] = {{"64 B", {64}}, {"1500 B", {1500}}, {"IMIX 7:4:1", imix}};
    std::printf("ESP, AES-256-GCM with ESN, IPv4 outer, back to back, %d frames each (sizes: the customer frame):\n",
                kEspPackets);
    std::printf("  %-10s %-11s %10s %10s %12s %12s %14s %12s\n", "", "load", "frames in", "frames out", "beats/cycle",
                "out beats/c", "packets/cycle", "cycles");
    uint64_t cycles = 0;
    double wall = 0;
    // Encrypt and decrypt with ESN, decrypt with 32-bit sequence numbers,
    // then decrypt with ESN while one frame in 16 is a forgery numbered
    // half the space ahead (it holds the frames behind it back: their
    // seq_hi is no longer sure before the forgery's check).
    for (int pass = 0; pass < 4; ++pass) {
        const bool inbound = pass > 0;
        g_esn = pass != 2;
        const int forge_every = pass == 3 ? 16 : 0;
        const char* what = pass == 0 ? "encrypt" : pass == 1 ? "decrypt" : pass == 2 ? "dec/noESN" : "dec/forged";
        for (const Load& l : loads) {
            const EspResult r = run_esp(inbound, l.pattern, forge_every);
            if (!r.error.empty()) {
                std::printf("  %-10s %-11s engine error with %llu frames offered: %s\n", what, l.name,
                            static_cast<unsigned long long>(r.in), r.error.c_str());
                continue;
            }
            std::printf("  %-10s %-11s %10llu %10llu %12.4f %12.4f %14.4f %12llu%s\n", what, l.name,
                        static_cast<unsigned long long>(r.in), static_cast<unsigned long long>(r.out), r.beats_per_cycle,
                        r.out_beats_per_cycle, r.packets_per_cycle, static_cast<unsigned long long>(r.cycles),
                        r.out + r.forged == r.in ? "" : "  <- not every frame came out");
            cycles += r.cycles;
            wall += r.wall_s;
        }
    }
    g_esn = true;
    std::printf("ESP latency, first beat in to last beat out on an idle pipeline, vs the same frame without ESP:\n");
    for (std::size_t size : {std::size_t{64}, std::size_t{1500}}) {
        const uint64_t enc = esp_latency(0, customer_frame(size)), plain = esp_latency(0, customer_frame(size, true));
        const uint64_t dec = esp_latency(1, core_frame(size, 1)), plain_in = esp_latency(1, core_frame(size, 1, true));
        std::printf("  encrypt %4zu B  %8s cycles, without ESP %8s, added %lld\n", size, cycles_text(enc).c_str(),
                    cycles_text(plain).c_str(), static_cast<long long>(enc) - static_cast<long long>(plain));
        std::printf("  decrypt %4zu B  %8s cycles, without ESP %8s, added %lld\n", size, cycles_text(dec).c_str(),
                    cycles_text(plain_in).c_str(), static_cast<long long>(dec) - static_cast<long long>(plain_in));
    }
    return {cycles, wall};
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

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // every line out as it is printed, even into a file
    if (argc == 3 && std::strcmp(argv[1], "--engine") == 0 && std::strcmp(argv[2], "model") == 0) {
        g_make_engine = sim::make_model_engine;
    } else if (argc != 1 && !(argc == 3 && std::strcmp(argv[1], "--engine") == 0 && std::strcmp(argv[2], "rtl") == 0)) {
        std::fprintf(stderr, "usage: %s [--engine rtl|model]\n", argv[0]);
        return 2;
    }
    const std::string engine = make_card()->name();
    std::printf("engine: %s%s\n", engine.c_str(),
                engine == "model" ? " (its clock is its beat count: the figures check the set-up, they measure nothing)" : "");
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
    const auto [esp_cycles, esp_wall] = esp_section();
    total_cycles += esp_cycles;
    total_wall += esp_wall;
    std::printf("simulation speed: %.0f cycles per wall-clock second\n",
                static_cast<double>(total_cycles) / total_wall);
    return 0;
}
