// Throughput and latency of the RTL ESP payload units with the AES-GCM
// core (rtl/esp: mplsec_esp_encrypt, mplsec_esp_decrypt, through their
// unit-test benches; decrypt up to the plaintext it hands the hold):
// beats per cycle for back-to-back 64 B, 1500 B and
// IMIX (7:4:1 of 64/594/1518) customer frames, and the cycles from a job
// to the last beat out for one 64 B frame on an idle unit. The beats
// counted are those of the frame as it arrives at the card (the customer
// frame for encrypt, the ESP frame for decrypt). Prints figures only.
#include <cstdio>
#include <random>
#include <type_traits>
#include <vector>

#include "Vtb_esp_units.h"
#include "Vtb_esp_inbound.h"
#include "esp_tb_util.hpp"

namespace {

using namespace mplsec::rtltest;

constexpr int kFrames = 3000;
constexpr uint32_t kEthBytes = 14;
constexpr uint32_t kLabelBytes = 4;
constexpr uint32_t kOuterBytes = 20 + 16;  // IPv4, ESP header, IV

uint32_t trailer_len(uint32_t inner) { return 2 + (4 - (inner + 2) % 4) % 4; }
uint64_t beats(uint64_t bytes) { return (bytes + 63) / 64; }

struct Figure {
    uint64_t in_beats = 0, cycles = 0;
};

template <typename Top>
std::unique_ptr<Top> make_bench() {
    auto t = std::make_unique<Top>();
    t->buf_we_i = 0;
    t->key_wr_i = 0;
    t->job_valid_i = 0;
    t->m_ready_i = 1;
    if constexpr (std::is_same_v<Top, Vtb_esp_inbound>) t->clear_i = 0;
    if constexpr (std::is_same_v<Top, Vtb_esp_units>) {
        t->d_job_valid_i = 0;
        t->p_ready_i = 1;
    }
    reset(*t);
    install_keys(*t, 2, 1);
    std::mt19937 rng(2);
    store_frame(*t, random_bytes(rng, 64 * 1024), 0, 1024);  // contents do not matter for timing
    return t;
}

// The cycle a frame's last beat leaves the unit: encrypt on m_*, decrypt
// into the hold (its contents here are random, so the hold drops them).
bool frame_out(Vtb_esp_units& t) { return t.m_valid_o && t.m_last_o; }
bool frame_out(Vtb_esp_inbound& t) { return t.p_take_o && t.p_last_o; }

// Offers one job per customer frame size, back to back, until every
// frame's last beat has left; cycles from the first offer to that beat.
template <typename Top, typename Drive>
uint64_t stream(Top& t, const std::vector<uint32_t>& sizes, Drive drive) {
    std::size_t next = 0, done = 0;
    uint64_t cycles = 0;
    t.m_ready_i = 1;
    while (done < sizes.size() && cycles < 100'000'000) {
        ++cycles;
        t.job_valid_i = next < sizes.size();
        if (next < sizes.size()) drive(t, sizes[next]);
        t.clk_i = 0;
        t.eval();
        const bool popped = t.job_valid_i && t.job_pop_o;
        if (frame_out(t)) ++done;
        t.clk_i = 1;
        t.eval();
        if (popped) ++next;
    }
    t.job_valid_i = 0;
    return cycles;
}

void drive_encrypt(Vtb_esp_units& t, uint32_t frame) {
    const uint32_t inner = frame - kEthBytes;
    t.job_sa_i = 1;
    t.job_aad12_i = 1;
    t.job_buf_base_i = 0;
    t.job_ip_off_i = kEthBytes;
    t.job_inner_len_i = inner;
    t.job_trailer_i = 0x0400;
    t.job_trailer_len_i = trailer_len(inner);
    t.job_hdr_len_i = kEthBytes + kLabelBytes + kOuterBytes;
}

uint32_t esp_frame(uint32_t frame) {
    const uint32_t inner = frame - kEthBytes;
    return kEthBytes + kLabelBytes + kOuterBytes + inner + trailer_len(inner) + 16;
}

void drive_decrypt(Vtb_esp_inbound& t, uint32_t frame) {
    static uint64_t seq = 0;
    const uint32_t inner = frame - kEthBytes;
    t.job_seq_i = ++seq;
    t.job_replay_log2_i = 12;
    t.job_frame_len_i = esp_frame(frame);
    t.job_sa_i = 1;
    t.job_aad12_i = 1;
    t.job_buf_base_i = 0;
    t.job_ct_off_i = kEthBytes + kLabelBytes + kOuterBytes;
    t.job_ct_len_i = inner + trailer_len(inner);
}

}  // namespace

int main() {
    std::vector<uint32_t> imix;
    for (int i = 0; i < 7; ++i) imix.push_back(64);
    for (int i = 0; i < 4; ++i) imix.push_back(594);
    imix.push_back(1518);
    struct Load {
        const char* name;
        std::vector<uint32_t> pattern;
    };
    const Load loads[] = {{"64 B", {64}}, {"1500 B", {1500}}, {"IMIX 7:4:1", imix}};

    std::printf("ESP payload units with the AES-GCM core, %d frames each, output always ready:\n", kFrames);
    std::printf("  %-11s %-28s %s\n", "", "encrypt (customer beats)", "decrypt (ESP frame beats)");
    for (const Load& l : loads) {
        std::vector<uint32_t> sizes;
        uint64_t enc_beats = 0, dec_beats = 0;
        for (int i = 0; i < kFrames; ++i) {
            const uint32_t s = l.pattern[static_cast<std::size_t>(i) % l.pattern.size()];
            sizes.push_back(s);
            enc_beats += beats(s);
            dec_beats += beats(esp_frame(s));
        }
        auto enc = make_bench<Vtb_esp_units>();
        auto dec = make_bench<Vtb_esp_inbound>();
        const uint64_t enc_cycles = stream(*enc, sizes, drive_encrypt);
        const uint64_t dec_cycles = stream(*dec, sizes, drive_decrypt);
        std::printf("  %-11s beats/cycle %.4f %9s beats/cycle %.4f\n", l.name,
                    static_cast<double>(enc_beats) / static_cast<double>(enc_cycles), "",
                    static_cast<double>(dec_beats) / static_cast<double>(dec_cycles));
    }
    auto enc = make_bench<Vtb_esp_units>();
    auto dec = make_bench<Vtb_esp_inbound>();
    std::printf("latency, job to last beat out, one 64 B frame on an idle unit:\n");
    std::printf("  encrypt     %llu cycles\n", static_cast<unsigned long long>(stream(*enc, {64}, drive_encrypt)));
    std::printf("  decrypt     %llu cycles\n", static_cast<unsigned long long>(stream(*dec, {64}, drive_decrypt)));
    return 0;
}
