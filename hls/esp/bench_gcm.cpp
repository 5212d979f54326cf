// Throughput of the ESP AES-GCM C-model against OpenSSL (one core), for
// 1500-byte packets with an 8-byte ESP AAD. Prints figures only: the model
// is a golden reference, not the datapath (the card does 64 bytes a cycle).
#include <openssl/evp.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include "esp.hpp"
#include "gcm.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kPacket = 1500;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

template <typename F>
double mb_per_s(F&& one_packet, double min_seconds) {
    long packets = 0;
    const auto t0 = Clock::now();
    double elapsed = 0;
    do {
        for (int i = 0; i < 64; ++i) one_packet();
        packets += 64;
        elapsed = seconds_since(t0);
    } while (elapsed < min_seconds);
    return static_cast<double>(packets) * kPacket / elapsed / 1e6;
}

}  // namespace

int main() {
    using namespace mplsec::hls_esp;
    std::vector<uint8_t> key(32), pt(kPacket), ct(kPacket + 64);
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
    for (std::size_t i = 0; i < pt.size(); ++i) pt[i] = static_cast<uint8_t>(i);
    uint8_t nonce[12] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0, 0, 0, 0, 1};
    const uint8_t aad[8] = {0, 0, 0x10, 0x01, 0, 0, 0, 1};
    uint8_t tag[16];
    volatile uint8_t sink = 0;

    std::printf("AES-GCM, %zu-byte packets, 8-byte AAD, one core\n", kPacket);
    for (int key_bytes : {16, 32}) {
        const GcmKey gk = gcm_key_init(key.data(), key_bytes);
        const double seal = mb_per_s([&] {
            gcm_seal(gk, nonce, aad, 8, pt.data(), kPacket, ct.data(), tag);
            ++nonce[11];
            sink = static_cast<uint8_t>(sink ^ tag[0]);
        }, 1.0);
        const double open = mb_per_s([&] {
            sink = static_cast<uint8_t>(sink ^ gcm_open(gk, nonce, aad, 8, ct.data(), kPacket, tag, pt.data()));
        }, 1.0);
        std::printf("  model  aes-%d-gcm  seal %8.1f MB/s   open %8.1f MB/s\n", key_bytes * 8, seal, open);
    }
    {
        const uint8_t salt[4] = {0xca, 0xfe, 0xba, 0xbe};
        const EspSa sa = esp_sa_init(0x1001, key.data(), 32, salt, true);
        std::vector<uint8_t> inner(kPacket - 36, 0), pkt(esp_encrypted_len(kPacket));
        inner[0] = 0x45;
        uint64_t seq = 1;
        const double enc = mb_per_s([&] {
            sink = static_cast<uint8_t>(sink ^ esp_encrypt(sa, seq++, inner.data(), inner.size(), pkt.data()));
        }, 1.0);
        std::printf("  model  esp_encrypt aes-256-gcm (inner %zu B) %8.1f MB/s\n", inner.size(), enc);
    }
    {
        EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, key.data(), nullptr);
        const double ossl = mb_per_s([&] {
            int n = 0;
            EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, nonce);
            EVP_EncryptUpdate(ctx, nullptr, &n, aad, 8);
            EVP_EncryptUpdate(ctx, ct.data(), &n, pt.data(), static_cast<int>(kPacket));
            EVP_EncryptFinal_ex(ctx, ct.data() + kPacket, &n);
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
            ++nonce[11];
            sink = static_cast<uint8_t>(sink ^ tag[0]);
        }, 1.0);
        EVP_CIPHER_CTX_free(ctx);
        std::printf("  OpenSSL aes-256-gcm seal (EVP, single core) %8.1f MB/s\n", ossl);
    }
    std::printf("  card datapath: 64 B/cycle x 322.27 MHz = %.0f MB/s per port\n", 64 * 322.265625);
    return sink == 0xff ? 1 : 0;  // keep the work observable
}
