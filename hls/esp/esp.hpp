// ESP tunnel-mode payload with AES-GCM (RFC 4303 + RFC 4106), as
// DESIGN.md 5.1/5.2 fix it for the card:
//
//   0      4        8                16                              len-16   len
//   | SPI | seq_lo | IV = seq (64b BE) | E(inner | pad 1,2,.. | pad_len | nh) | ICV |
//
//   nonce = salt (4 bytes) || IV,  AAD = SPI || seq_lo  (SPI || seq_hi || seq_lo with ESN)
//   padding: the minimum bringing inner + pad + 2 to a multiple of 4, bytes 1, 2, 3, ...
//   next header: 4 (IPv4 inner) or 41 (IPv6 inner)
//
// Only the bytes after the outer IP header: the outer header, anti-replay
// and sequence-number bookkeeping belong to the ESP stage around this.
#pragma once

#include <cstddef>
#include <cstdint>

#include "gcm.hpp"

namespace mplsec::hls_esp {

constexpr std::size_t kEspHeaderBytes = 8;  // SPI, sequence number
constexpr std::size_t kEspIvBytes = 8;
constexpr std::size_t kEspIcvBytes = 16;
constexpr std::size_t kEspTrailerBytes = 2;  // pad length, next header
// Shortest packet that can hold a trailer: header, IV, pad length, next header, ICV.
constexpr std::size_t kEspMinBytes = kEspHeaderBytes + kEspIvBytes + kEspTrailerBytes + kEspIcvBytes;

constexpr uint8_t kNextHeaderIpv4 = 4;
constexpr uint8_t kNextHeaderIpv6 = 41;

enum class EspStatus : uint8_t { ok, auth_failed, bad_padding, too_short };

const char* to_string(EspStatus s);

// The per-SA state the crypto path needs.
struct EspSa {
    GcmKey key;
    uint32_t spi = 0;
    uint8_t salt[4] = {};
    bool esn = false;
};

// key_bytes 16 (aes-128-gcm) or 32 (aes-256-gcm); check sa.key.valid().
EspSa esp_sa_init(uint32_t spi, const uint8_t* key, int key_bytes, const uint8_t salt[4], bool esn);

// Padding bytes for an inner packet of inner_len bytes (0..3).
std::size_t esp_pad_len(std::size_t inner_len);
// Bytes esp_encrypt writes for an inner packet of inner_len bytes.
std::size_t esp_encrypted_len(std::size_t inner_len);
// 4 for an IPv4 inner packet, 41 for IPv6, 0 for anything else (or empty).
uint8_t esp_next_header(const uint8_t* inner, std::size_t inner_len);

// Encrypts `inner` (an IPv4 or IPv6 packet) as sequence number `seq` into
// `out` (room for esp_encrypted_len(inner_len) bytes, must not overlap
// inner). Returns the bytes written, or 0 if inner is not IPv4/IPv6.
std::size_t esp_encrypt(const EspSa& sa, uint64_t seq, const uint8_t* inner, std::size_t inner_len,
                        uint8_t* out);

struct EspDecryptResult {
    EspStatus status = EspStatus::too_short;
    std::size_t inner_len = 0;  // valid when ok
    uint8_t next_header = 0;    // valid when ok
    uint32_t spi = 0;           // from the header (when not too_short)
    uint32_t seq_lo = 0;        //   "
};

// Reads SPI and the low sequence number (for the SA lookup and the replay
// check, which happen before decryption). False if shorter than kEspMinBytes.
bool esp_peek(const uint8_t* packet, std::size_t len, uint32_t* spi, uint32_t* seq_lo);

// Verifies and decrypts `packet` (len bytes from the SPI to the end of the
// ICV). With ESN, seq_hi is the high half the anti-replay window infers for
// this seq_lo (RFC 4303 appendix A2); without ESN it is ignored.
// inner_out needs room for len - 32 bytes. Checks, in this order: length
// (too_short), ICV (auth_failed), padding (bad_padding: ciphertext not a
// multiple of 4, pad length beyond the data, pad bytes not 1, 2, 3, ...).
// On anything but ok the output holds no plaintext (zeroed).
EspDecryptResult esp_decrypt(const EspSa& sa, uint32_t seq_hi, const uint8_t* packet,
                             std::size_t len, uint8_t* inner_out);
inline EspDecryptResult esp_decrypt(const EspSa& sa, const uint8_t* packet, std::size_t len,
                                    uint8_t* inner_out) {
    return esp_decrypt(sa, 0, packet, len, inner_out);
}

// The AAD of a packet: 8 bytes (SPI, seq_lo) or 12 with ESN (SPI, seq_hi,
// seq_lo). Returns its length.
std::size_t esp_aad(const EspSa& sa, uint64_t seq, uint8_t aad[12]);
// The nonce: salt || 64-bit IV.
void esp_nonce(const EspSa& sa, const uint8_t iv[kEspIvBytes], uint8_t nonce[kGcmNonceBytes]);

}  // namespace mplsec::hls_esp
