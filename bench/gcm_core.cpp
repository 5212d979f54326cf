// The AES-GCM core (rtl/esp, Verilated mplsec_gcm): beats per cycle over
// back-to-back texts of alternating SAs and key sizes, latency, key-install
// cycles; and OpenSSL EVP AES-256-GCM on one core of this machine for
// comparison. Prints figures only.
#include <openssl/evp.h>

#include <cstdint>
#include <ctime>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "Vmplsec_gcm.h"
#include "gcm_driver.hpp"

namespace {

using mplsec::rtltest::GcmBytes;
using mplsec::rtltest::GcmDriver;
using mplsec::rtltest::GcmText;

constexpr double kClockMhz = 322.265625;  // UltraScale+ CMAC clock

struct Load {
    std::string name;
    std::vector<std::size_t> sizes;  // text sizes, repeated in order
    std::size_t texts;
};

const std::vector<Load> kLoads = {
    {"64 B", {64}, 20000},
    {"1500 B", {1500}, 1000},
    {"IMIX 7:4:1 (64/594/1518)", {64, 594, 64, 1518, 64, 594, 64, 594, 64, 64, 594, 64}, 3000},
};

// CPU seconds of this process (one thread): the machine is shared, so wall
// time would count other work.
double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

std::vector<GcmText> make_texts(const Load& load, const std::vector<uint16_t>& sas) {
    std::vector<GcmText> texts;
    for (std::size_t i = 0; i < load.texts; ++i) {
        GcmText t;
        t.sa = sas[i % sas.size()];
        t.nonce = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0, 0, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
        t.aad = {0, 0, 0x10, 0x01, 0, 0, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i)};
        t.in.assign(load.sizes[i % load.sizes.size()], static_cast<uint8_t>(i));
        texts.push_back(std::move(t));
    }
    return texts;
}

// OpenSSL AES-256-GCM seal of texts of the given sizes (8-byte AAD), MB/s.
double openssl_mb_per_s(const std::vector<std::size_t>& sizes) {
    std::vector<uint8_t> key(32, 0x5a), pt(9600, 0x11), ct(9600 + 16);
    uint8_t nonce[12] = {0xca, 0xfe, 0xba, 0xbe};
    const uint8_t aad[8] = {0, 0, 0x10, 0x01};
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
    uint64_t bytes = 0;
    const double t0 = cpu_seconds();
    double elapsed = 0;
    do {
        for (int rep = 0; rep < 256; ++rep) {
            const std::size_t len = sizes[rep % sizes.size()];
            int n = 0;
            ++nonce[11];
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce);
            EVP_EncryptUpdate(ctx, nullptr, &n, aad, 8);
            EVP_EncryptUpdate(ctx, ct.data(), &n, pt.data(), static_cast<int>(len));
            EVP_EncryptFinal_ex(ctx, ct.data() + len, &n);
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, ct.data() + len);
            bytes += len;
        }
        elapsed = cpu_seconds() - t0;
    } while (elapsed < 1.0);
    EVP_CIPHER_CTX_free(ctx);
    return static_cast<double>(bytes) / elapsed / 1e6;
}

}  // namespace

int main() {
    Vmplsec_gcm top;
    GcmDriver<Vmplsec_gcm> drv(top);

    std::mt19937_64 rng(1);
    GcmBytes k128(16), k256(32);
    for (auto& b : k128) b = static_cast<uint8_t>(rng());
    for (auto& b : k256) b = static_cast<uint8_t>(rng());
    const unsigned install128 = drv.install(1, k128);
    const unsigned install256 = drv.install(2, k256);
    std::printf("mplsec_gcm (Verilated), texts back to back, SAs alternating AES-128 / AES-256, output always ready\n");
    std::printf("  key install: AES-128 %u cycles, AES-256 %u cycles\n", install128, install256);
    std::printf("  %-26s %8s %9s %11s %12s %14s\n", "load", "texts", "beats", "cycles", "beats/cycle",
                "Gbit/s @322MHz");
    uint64_t latency = 0, sim_cycles = 0;
    double sim_seconds = 0;
    for (const Load& load : kLoads) {
        const std::vector<GcmText> texts = make_texts(load, {1, 2});
        uint64_t text_bytes = 0;
        for (const GcmText& t : texts) text_bytes += t.in.size();
        const double t0 = cpu_seconds();
        drv.stream(texts);
        sim_seconds += cpu_seconds() - t0;
        const auto& s = drv.stats();
        sim_cycles += s.cycles;
        latency = s.latency_max;
        // Beats per cycle once the pipeline is full (the stream's cycles
        // include one pipeline fill).
        const double bpc = static_cast<double>(s.in_beats) / static_cast<double>(s.cycles - s.latency_min);
        const double gbps = static_cast<double>(text_bytes) * 8 / static_cast<double>(s.cycles) * kClockMhz / 1e3;
        std::printf("  %-26s %8zu %9llu %11llu %12.4f %14.1f\n", load.name.c_str(), texts.size(),
                    static_cast<unsigned long long>(s.in_beats), static_cast<unsigned long long>(s.cycles), bpc,
                    gbps);
    }
    std::printf("  latency: %llu cycles (%.1f ns at %.0f MHz), first beat in to first beat out\n",
                static_cast<unsigned long long>(latency), static_cast<double>(latency) * 1e3 / kClockMhz, kClockMhz);
    std::printf("  Verilator speed: %.0f cycles per CPU second\n", static_cast<double>(sim_cycles) / sim_seconds);

    std::printf("OpenSSL EVP aes-256-gcm seal, one core of this machine (CPU time), 8-byte AAD\n");
    for (const Load& load : kLoads) {
        const double mbs = openssl_mb_per_s(load.sizes);
        std::printf("  %-26s %9.1f MB/s %7.2f Gbit/s\n", load.name.c_str(), mbs, mbs * 8 / 1e3);
    }
    return 0;
}
