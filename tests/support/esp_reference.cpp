#include "support/esp_reference.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace mplsec::test {
namespace {

constexpr std::size_t kIcv = 16;

void put32(Bytes& out, uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<uint8_t>(v >> s));
}
uint32_t get32(const uint8_t* p) { return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | p[3]; }

const EVP_CIPHER* cipher_for(const Bytes& key) {
    if (key.size() == 16) return EVP_aes_128_gcm();
    if (key.size() == 32) return EVP_aes_256_gcm();
    throw std::invalid_argument("ESP key must be 16 or 32 bytes");
}

Bytes aad_of(const EspKey& k, uint32_t seq_hi, uint32_t seq_lo) {
    Bytes aad;
    put32(aad, k.spi);
    if (k.esn) put32(aad, seq_hi);
    put32(aad, seq_lo);
    return aad;
}

using Ctx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// One GCM pass; returns false when decrypting and the tag does not verify.
bool gcm(const EspKey& k, bool encrypt, const uint8_t iv[8], const Bytes& aad, const uint8_t* in, std::size_t len,
         uint8_t* out, uint8_t* tag) {
    Ctx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    uint8_t nonce[12];
    for (int i = 0; i < 4; ++i) nonce[i] = k.salt[i];
    for (int i = 0; i < 8; ++i) nonce[4 + i] = iv[i];
    int n = 0;
    if (EVP_CipherInit_ex(ctx.get(), cipher_for(k.key), nullptr, nullptr, nullptr, encrypt) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, 12, nullptr) != 1 ||
        EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, k.key.data(), nonce, encrypt) != 1 ||
        EVP_CipherUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad.size())) != 1)
        throw std::runtime_error("OpenSSL GCM set-up failed");
    if (len > 0 && EVP_CipherUpdate(ctx.get(), out, &n, in, static_cast<int>(len)) != 1)
        throw std::runtime_error("OpenSSL GCM update failed");
    if (!encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kIcv, tag) != 1)
        throw std::runtime_error("OpenSSL GCM tag failed");
    uint8_t end[16];
    if (EVP_CipherFinal_ex(ctx.get(), end, &n) != 1) return false;
    if (encrypt && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kIcv, tag) != 1)
        throw std::runtime_error("OpenSSL GCM tag failed");
    return true;
}

}  // namespace

Bytes esp_seal(const EspKey& k, uint64_t seq, const Bytes& payload, const Bytes& pad, uint8_t next_header) {
    Bytes plain = payload;
    plain.insert(plain.end(), pad.begin(), pad.end());
    plain.push_back(static_cast<uint8_t>(pad.size()));
    plain.push_back(next_header);
    return esp_seal_plaintext(k, seq, plain);
}

Bytes esp_seal_plaintext(const EspKey& k, uint64_t seq, const Bytes& plain) {
    Bytes out;
    put32(out, k.spi);
    put32(out, static_cast<uint32_t>(seq));
    put32(out, static_cast<uint32_t>(seq >> 32));  // IV = the 64-bit sequence number
    put32(out, static_cast<uint32_t>(seq));
    const std::size_t ct_at = out.size();
    out.resize(ct_at + plain.size() + kIcv);
    gcm(k, true, &out[8], aad_of(k, static_cast<uint32_t>(seq >> 32), static_cast<uint32_t>(seq)), plain.data(),
        plain.size(), &out[ct_at], &out[ct_at + plain.size()]);
    return out;
}

Bytes esp_seal_minimal(const EspKey& k, uint64_t seq, const Bytes& inner, uint8_t next_header) {
    Bytes pad;
    while ((inner.size() + pad.size() + 2) % 4 != 0) pad.push_back(static_cast<uint8_t>(pad.size() + 1));
    return esp_seal(k, seq, inner, pad, next_header);
}

Bytes EspOpened::inner() const {
    if (plaintext.size() < 2 || plaintext[plaintext.size() - 2] + 2u > plaintext.size()) return {};
    return Bytes(plaintext.begin(), plaintext.end() - 2 - plaintext[plaintext.size() - 2]);
}

std::optional<EspOpened> esp_open(const EspKey& k, const Bytes& packet, uint32_t seq_hi) {
    if (packet.size() < 16 + kIcv) return std::nullopt;
    EspOpened opened;
    opened.spi = get32(&packet[0]);
    opened.seq_lo = get32(&packet[4]);
    opened.iv = uint64_t{get32(&packet[8])} << 32 | get32(&packet[12]);
    const std::size_t ct_len = packet.size() - 16 - kIcv;
    opened.plaintext.resize(ct_len);
    Bytes tag(packet.end() - kIcv, packet.end());
    EspKey as_sent = k;
    as_sent.spi = opened.spi;
    if (!gcm(as_sent, false, &packet[8], aad_of(as_sent, seq_hi, opened.seq_lo), &packet[16], ct_len,
             opened.plaintext.data(), tag.data()))
        return std::nullopt;
    return opened;
}

}  // namespace mplsec::test
