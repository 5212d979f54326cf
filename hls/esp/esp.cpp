#include "esp.hpp"

namespace mplsec::hls_esp {

namespace {

inline void put32(uint8_t* p, uint32_t v) {
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

inline uint32_t get32(const uint8_t* p) {
    return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
           (static_cast<uint32_t>(p[2]) << 8) | p[3];
}

void zero(uint8_t* p, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) p[i] = 0;
}

}  // namespace

const char* to_string(EspStatus s) {
    switch (s) {
        case EspStatus::ok: return "ok";
        case EspStatus::auth_failed: return "auth_failed";
        case EspStatus::bad_padding: return "bad_padding";
        case EspStatus::too_short: return "too_short";
    }
    return "?";
}

EspSa esp_sa_init(uint32_t spi, const uint8_t* key, int key_bytes, const uint8_t salt[4], bool esn) {
    EspSa sa;
    sa.key = gcm_key_init(key, key_bytes);
    sa.spi = spi;
    for (int i = 0; i < 4; ++i) sa.salt[i] = salt[i];
    sa.esn = esn;
    return sa;
}

std::size_t esp_pad_len(std::size_t inner_len) { return (4 - (inner_len + kEspTrailerBytes) % 4) % 4; }

std::size_t esp_encrypted_len(std::size_t inner_len) {
    return kEspHeaderBytes + kEspIvBytes + inner_len + esp_pad_len(inner_len) + kEspTrailerBytes +
           kEspIcvBytes;
}

uint8_t esp_next_header(const uint8_t* inner, std::size_t inner_len) {
    if (inner_len == 0) return 0;
    switch (inner[0] >> 4) {
        case 4: return kNextHeaderIpv4;
        case 6: return kNextHeaderIpv6;
        default: return 0;
    }
}

std::size_t esp_aad(const EspSa& sa, uint64_t seq, uint8_t aad[12]) {
    put32(aad, sa.spi);
    if (sa.esn) {
        put32(aad + 4, static_cast<uint32_t>(seq >> 32));
        put32(aad + 8, static_cast<uint32_t>(seq));
        return 12;
    }
    put32(aad + 4, static_cast<uint32_t>(seq));
    return 8;
}

void esp_nonce(const EspSa& sa, const uint8_t iv[kEspIvBytes], uint8_t nonce[kGcmNonceBytes]) {
    for (int i = 0; i < 4; ++i) nonce[i] = sa.salt[i];
    for (std::size_t i = 0; i < kEspIvBytes; ++i) nonce[4 + i] = iv[i];
}

std::size_t esp_encrypt(const EspSa& sa, uint64_t seq, const uint8_t* inner, std::size_t inner_len,
                        uint8_t* out) {
    const uint8_t nh = esp_next_header(inner, inner_len);
    if (nh == 0) return 0;

    // Header and IV (the 64-bit sequence number, big-endian).
    put32(out, sa.spi);
    put32(out + 4, static_cast<uint32_t>(seq));
    uint8_t* iv = out + kEspHeaderBytes;
    put32(iv, static_cast<uint32_t>(seq >> 32));
    put32(iv + 4, static_cast<uint32_t>(seq));

    // Plaintext payload in place: inner, pad 1,2,3..., pad length, next header.
    uint8_t* payload = iv + kEspIvBytes;
    const std::size_t pad = esp_pad_len(inner_len);
    for (std::size_t i = 0; i < inner_len; ++i) payload[i] = inner[i];
    for (std::size_t i = 0; i < pad; ++i) payload[inner_len + i] = static_cast<uint8_t>(i + 1);
    payload[inner_len + pad] = static_cast<uint8_t>(pad);
    payload[inner_len + pad + 1] = nh;
    const std::size_t pt_len = inner_len + pad + kEspTrailerBytes;

    uint8_t aad[12];
    const std::size_t aad_len = esp_aad(sa, seq, aad);
    uint8_t nonce[kGcmNonceBytes];
    esp_nonce(sa, iv, nonce);
    gcm_seal(sa.key, nonce, aad, aad_len, payload, pt_len, payload, payload + pt_len);
    return kEspHeaderBytes + kEspIvBytes + pt_len + kEspIcvBytes;
}

bool esp_peek(const uint8_t* packet, std::size_t len, uint32_t* spi, uint32_t* seq_lo) {
    if (len < kEspMinBytes) return false;
    *spi = get32(packet);
    *seq_lo = get32(packet + 4);
    return true;
}

EspDecryptResult esp_decrypt(const EspSa& sa, uint32_t seq_hi, const uint8_t* packet,
                             std::size_t len, uint8_t* inner_out) {
    EspDecryptResult res;
    if (!esp_peek(packet, len, &res.spi, &res.seq_lo)) {
        res.status = EspStatus::too_short;
        return res;
    }
    const uint8_t* iv = packet + kEspHeaderBytes;
    const uint8_t* ct = iv + kEspIvBytes;
    const std::size_t ct_len = len - kEspHeaderBytes - kEspIvBytes - kEspIcvBytes;
    const uint8_t* icv = ct + ct_len;

    // AAD from the received SPI (the ICV covers the bytes on the wire, not
    // what the lookup matched) and, with ESN, the inferred high half.
    const uint64_t seq = (static_cast<uint64_t>(sa.esn ? seq_hi : 0) << 32) | res.seq_lo;
    uint8_t aad[12];
    const std::size_t aad_len = esp_aad(sa, seq, aad);
    for (int i = 0; i < 4; ++i) aad[i] = packet[i];
    uint8_t nonce[kGcmNonceBytes];
    esp_nonce(sa, iv, nonce);
    if (!gcm_open(sa.key, nonce, aad, aad_len, ct, ct_len, icv, inner_out)) {
        res.status = EspStatus::auth_failed;
        return res;
    }

    // Authentic: now the trailer. Pad bytes must read 1, 2, 3, ...
    const std::size_t pad = inner_out[ct_len - 2];
    bool pad_ok = (ct_len % 4 == 0) && pad + kEspTrailerBytes <= ct_len;
    if (pad_ok) {
        const std::size_t start = ct_len - kEspTrailerBytes - pad;
        for (std::size_t i = 0; i < pad; ++i)
            if (inner_out[start + i] != static_cast<uint8_t>(i + 1)) pad_ok = false;
    }
    if (!pad_ok) {
        zero(inner_out, ct_len);
        res.status = EspStatus::bad_padding;
        return res;
    }
    res.status = EspStatus::ok;
    res.next_header = inner_out[ct_len - 1];
    res.inner_len = ct_len - kEspTrailerBytes - pad;
    zero(inner_out + res.inner_len, ct_len - res.inner_len);  // trailer is not inner data
    return res;
}

}  // namespace mplsec::hls_esp
