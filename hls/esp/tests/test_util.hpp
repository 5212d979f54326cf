// Helpers for esp_crypto_test: hex, random bytes, OpenSSL EVP AES-GCM as
// the independent reference.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace mplsec::hls_esp::test {

using Bytes = std::vector<uint8_t>;

inline Bytes from_hex(const std::string& s) {
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        throw std::invalid_argument("bad hex digit");
    };
    if (s.size() % 2) throw std::invalid_argument("odd hex length");
    Bytes out(s.size() / 2);
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<uint8_t>(nib(s[2 * i]) << 4 | nib(s[2 * i + 1]));
    return out;
}

inline std::string to_hex(const uint8_t* p, std::size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += d[p[i] >> 4];
        s += d[p[i] & 15];
    }
    return s;
}
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }

inline Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
}

inline const EVP_CIPHER* ossl_gcm(std::size_t key_len) {
    return key_len == 16 ? EVP_aes_128_gcm() : EVP_aes_256_gcm();
}

// OpenSSL AES-GCM seal with a 12-byte nonce and a 16-byte tag.
inline void ossl_seal(const Bytes& key, const uint8_t* nonce, const uint8_t* aad, std::size_t aad_len,
                      const uint8_t* pt, std::size_t len, uint8_t* ct, uint8_t* tag) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    bool ok = EVP_EncryptInit_ex(ctx, ossl_gcm(key.size()), nullptr, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
              EVP_EncryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce) == 1;
    if (ok && aad_len) ok = EVP_EncryptUpdate(ctx, nullptr, &n, aad, static_cast<int>(aad_len)) == 1;
    if (ok && len) ok = EVP_EncryptUpdate(ctx, ct, &n, pt, static_cast<int>(len)) == 1;
    ok = ok && EVP_EncryptFinal_ex(ctx, ct + len, &n) == 1 &&
         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
    EVP_CIPHER_CTX_free(ctx);
    if (!ok) throw std::runtime_error("OpenSSL GCM seal failed");
}

// OpenSSL AES-GCM open; false on a tag mismatch.
inline bool ossl_open(const Bytes& key, const uint8_t* nonce, const uint8_t* aad, std::size_t aad_len,
                      const uint8_t* ct, std::size_t len, const uint8_t* tag, uint8_t* pt) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    uint8_t t[16];
    for (int i = 0; i < 16; ++i) t[i] = tag[i];
    bool ok = EVP_DecryptInit_ex(ctx, ossl_gcm(key.size()), nullptr, nullptr, nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) == 1 &&
              EVP_DecryptInit_ex(ctx, nullptr, nullptr, key.data(), nonce) == 1;
    if (ok && aad_len) ok = EVP_DecryptUpdate(ctx, nullptr, &n, aad, static_cast<int>(aad_len)) == 1;
    if (ok && len) ok = EVP_DecryptUpdate(ctx, pt, &n, ct, static_cast<int>(len)) == 1;
    ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, t) == 1 &&
         EVP_DecryptFinal_ex(ctx, pt + len, &n) == 1;
    EVP_CIPHER_CTX_free(ctx);
    return ok;
}

}  // namespace mplsec::hls_esp::test
