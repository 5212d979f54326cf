// Drives a Verilated AES-GCM core (mplsec_gcm or mplsec_gcm_core): key
// installs, and streams of texts offered back to back with optional input
// gaps and output backpressure, collected into ciphertext/plaintext and
// tag per text. Checks the output protocol as it goes (order, sop/last,
// keep, zero bytes past keep) and throws on a violation. Shared by the RTL
// test and the crypto bench.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "vtb.hpp"

namespace mplsec::rtltest {

using GcmBytes = std::vector<uint8_t>;

struct GcmText {
    uint16_t sa = 0;
    bool decrypt = false;
    std::array<uint8_t, 12> nonce{};
    GcmBytes aad;            // 8 or 12 bytes in in_aad_i, or any length with aad_beats
    bool aad_beats = false;  // AAD as leading beats (mplsec_gcm_core's in_aad_beat_i)
    GcmBytes in;             // the text, 0..9600 bytes
};

struct GcmOut {
    GcmBytes text;
    std::array<uint8_t, 16> tag{};
};

struct GcmStreamOptions {
    double offer = 1.0;  // chance that a waiting beat is offered in a cycle
    double ready = 1.0;  // chance that out_ready_i is high in a cycle
    uint64_t seed = 1;
};

// Figures of the last stream.
struct GcmStreamStats {
    uint64_t in_beats = 0;
    uint64_t cycles = 0;  // first cycle a beat was offered to the last beat out
    uint64_t latency_min = 0, latency_max = 0;  // cycles from a beat in to its beat out
};

// Byte j of `b` (n bytes) at bits 8*(width_bytes-1-j): first byte most significant.
template <typename Wide>
void set_be(Wide& w, const uint8_t* b, std::size_t n, std::size_t width_bytes) {
    for (std::size_t i = 0; i < (width_bytes + 3) / 4; ++i) w[i] = 0;
    for (std::size_t j = 0; j < n && j < width_bytes; ++j) {
        const std::size_t bit = 8 * (width_bytes - 1 - j);
        w[bit / 32] |= uint32_t{b[j]} << (bit % 32);
    }
}

template <typename Wide>
uint8_t get_be(const Wide& w, std::size_t j, std::size_t width_bytes) {
    const std::size_t bit = 8 * (width_bytes - 1 - j);
    return static_cast<uint8_t>(w[bit / 32] >> (bit % 32));
}

template <typename Top, typename = void>
struct HasAadBeats : std::false_type {};
template <typename Top>
struct HasAadBeats<Top, std::void_t<decltype(std::declval<Top&>().in_aad_beat_i)>> : std::true_type {};

template <typename Top>
class GcmDriver {
public:
    static constexpr std::size_t kBeat = 64;

    explicit GcmDriver(Top& top) : t_(top) {
        idle();
        t_.out_ready_i = 1;
        reset(t_);
    }

    uint64_t cycles() const { return cycles_; }
    const GcmStreamStats& stats() const { return stats_; }

    // Starts an install (one cycle of key_wr_i); ignored by the core if busy.
    void write_key(uint16_t sa, const GcmBytes& key) {
        if (key.size() != 16 && key.size() != 32)
            throw std::invalid_argument("GCM key must be 16 or 32 bytes, got " + std::to_string(key.size()));
        t_.key_wr_i = 1;
        t_.key_sa_i = sa;
        t_.key_aes256_i = key.size() == 32;
        set_be(t_.key_i, key.data(), key.size(), 32);
        step();
        t_.key_wr_i = 0;
    }

    // Waits until no install runs; returns the cycles waited.
    unsigned wait_key_done() {
        unsigned n = 0;
        while (t_.key_busy_o) {
            step();
            if (++n > 10000) throw std::runtime_error("key install does not finish");
        }
        return n;
    }

    // Installs a key; returns the cycles from key_wr_i until the SA is complete.
    unsigned install(uint16_t sa, const GcmBytes& key) {
        wait_key_done();
        write_key(sa, key);
        return 1 + wait_key_done();
    }

    std::vector<GcmOut> stream(const std::vector<GcmText>& texts, const GcmStreamOptions& opt = {}) {
        const std::vector<Beat> beats = split(texts);
        std::vector<GcmOut> outs(texts.size());
        std::vector<uint64_t> in_cycle;
        std::mt19937_64 rng(opt.seed);
        std::uniform_real_distribution<double> coin(0.0, 1.0);
        stats_ = GcmStreamStats{};
        stats_.in_beats = beats.size();
        stats_.latency_min = ~uint64_t{0};
        const uint64_t start = cycles_;
        std::size_t next = 0, done = 0;
        while (done < beats.size()) {
            const bool offer = next < beats.size() && coin(rng) < opt.offer;
            if (offer) drive(beats[next], texts[beats[next].text]);
            else idle();
            t_.out_ready_i = coin(rng) < opt.ready;
            t_.clk_i = 0;
            t_.eval();
            if (t_.out_valid_o && t_.out_ready_i) {
                if (done >= beats.size()) throw std::runtime_error("GCM core: more beats out than in");
                take(beats[done], outs[beats[done].text]);
                const uint64_t lat = cycles_ - in_cycle[done];
                stats_.latency_min = std::min(stats_.latency_min, lat);
                stats_.latency_max = std::max(stats_.latency_max, lat);
                ++done;
            }
            if (offer && t_.in_ready_o) {
                in_cycle.push_back(cycles_);
                ++next;
            }
            t_.clk_i = 1;
            t_.eval();
            ++cycles_;
            if (cycles_ - start > 100 * beats.size() + 10000) throw std::runtime_error("GCM core: stream stalls");
        }
        idle();
        stats_.cycles = cycles_ - start;
        return outs;
    }

private:
    struct Beat {
        std::size_t text;
        bool sop, last, aad;
        std::size_t from, bytes;  // in the AAD (aad) or the text
    };

    static std::vector<Beat> split(const std::vector<GcmText>& texts) {
        std::vector<Beat> beats;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            const GcmText& x = texts[i];
            if (x.in.size() > 9600) throw std::invalid_argument("GCM text longer than 9600 bytes");
            if (!x.aad_beats && x.aad.size() != 8 && x.aad.size() != 12)
                throw std::invalid_argument("ESP AAD must be 8 or 12 bytes");
            if (x.aad_beats && !HasAadBeats<Top>::value)
                throw std::invalid_argument("this core takes no AAD beats");
            const std::size_t first = beats.size();
            if (x.aad_beats) {
                std::size_t off = 0;
                do {
                    const std::size_t n = std::min(kBeat, x.aad.size() - off);
                    beats.push_back({i, false, false, true, off, n});
                    off += n;
                } while (off < x.aad.size());
            }
            std::size_t off = 0;
            do {
                const std::size_t n = std::min(kBeat, x.in.size() - off);
                beats.push_back({i, false, false, false, off, n});
                off += n;
            } while (off < x.in.size());
            beats[first].sop = true;
            beats.back().last = true;
        }
        return beats;
    }

    void set_aad_beat(bool v) {
        if constexpr (HasAadBeats<Top>::value) t_.in_aad_beat_i = v;
        else (void)v;
    }

    void idle() {
        t_.in_valid_i = 0;
        t_.in_sop_i = 0;
        t_.in_last_i = 0;
        set_aad_beat(false);
    }

    void drive(const Beat& b, const GcmText& x) {
        t_.in_valid_i = 1;
        t_.in_sop_i = b.sop;
        t_.in_last_i = b.last;
        set_aad_beat(b.aad);
        t_.in_sa_i = x.sa;
        t_.in_decrypt_i = x.decrypt;
        set_be(t_.in_nonce_i, x.nonce.data(), 12, 12);
        const bool esp_aad = !x.aad_beats;
        set_be(t_.in_aad_i, x.aad.data(), esp_aad ? x.aad.size() : 0, 12);
        t_.in_aad12_i = esp_aad && x.aad.size() == 12;
        const GcmBytes& src = b.aad ? x.aad : x.in;
        set_bytes(t_.in_data_i, src, kBeat, b.from);
        // Bytes past keep are not part of the text: fill them so a leak shows.
        for (std::size_t i = b.bytes; i < kBeat; ++i) t_.in_data_i[i / 4] |= uint32_t{0xa5} << (8 * (i % 4));
        t_.in_keep_i = b.bytes == kBeat ? ~uint64_t{0} : (uint64_t{1} << b.bytes) - 1;
        t_.in_meta_i = static_cast<uint16_t>(b.text);
    }

    void take(const Beat& b, GcmOut& out) {
        const std::string where = "text " + std::to_string(b.text) + ": ";
        if (t_.out_meta_o != static_cast<uint16_t>(b.text)) throw std::runtime_error(where + "out of order");
        if (bool(t_.out_sop_o) != b.sop || bool(t_.out_last_o) != b.last)
            throw std::runtime_error(where + "sop/last wrong");
        if constexpr (HasAadBeats<Top>::value) {
            if (bool(t_.out_aad_beat_o) != b.aad) throw std::runtime_error(where + "AAD beat flag wrong");
        }
        const uint64_t keep = b.bytes == kBeat ? ~uint64_t{0} : (uint64_t{1} << b.bytes) - 1;
        if (t_.out_keep_o != keep) throw std::runtime_error(where + "keep wrong");
        for (std::size_t i = b.bytes; i < kBeat; ++i)
            if (get_byte(t_.out_data_o, i) != 0) throw std::runtime_error(where + "nonzero byte past keep");
        if (!b.aad)
            for (std::size_t i = 0; i < b.bytes; ++i) out.text.push_back(get_byte(t_.out_data_o, i));
        bool tag_zero = true;
        for (std::size_t j = 0; j < 16; ++j) {
            out.tag[j] = get_be(t_.out_tag_o, j, 16);
            tag_zero = tag_zero && out.tag[j] == 0;
        }
        if (!b.last && !tag_zero) throw std::runtime_error(where + "tag outside the last beat");
    }

    void step() {
        tick(t_);
        ++cycles_;
    }

    Top& t_;
    uint64_t cycles_ = 0;
    GcmStreamStats stats_;
};

}  // namespace mplsec::rtltest
