// An independent ESP AES-GCM codec for tests (RFC 4303 + RFC 4106), built on
// OpenSSL EVP and nothing of hls/esp: it decrypts what the card sends and
// builds packets for the card to decrypt, including malformed ones (any
// padding, any next header) that the card's own encoder never makes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mplsec::test {

using Bytes = std::vector<uint8_t>;

struct EspKey {
    Bytes key;                    // 16 or 32 bytes
    uint8_t salt[4] = {};
    uint32_t spi = 0;
    bool esn = false;
};

// The ESP packet (SPI .. ICV) for `seq`: IV = seq, AAD = SPI || [seq_hi] ||
// seq_lo, plaintext = payload || pad || pad_len || next_header exactly as
// given (the caller chooses the padding).
Bytes esp_seal(const EspKey& k, uint64_t seq, const Bytes& payload, const Bytes& pad, uint8_t next_header);

// The same with the whole plaintext given, trailer included (for trailers
// that lie about their own length).
Bytes esp_seal_plaintext(const EspKey& k, uint64_t seq, const Bytes& plaintext);

// The same with RFC 4303's minimal padding 1, 2, 3, ...
Bytes esp_seal_minimal(const EspKey& k, uint64_t seq, const Bytes& inner, uint8_t next_header);

struct EspOpened {
    uint32_t spi = 0;
    uint32_t seq_lo = 0;
    uint64_t iv = 0;
    Bytes plaintext;  // inner || pad || pad_len || next_header
    Bytes inner() const;  // plaintext without the trailer
    uint8_t next_header() const { return plaintext.empty() ? 0 : plaintext.back(); }
};

// Verifies and decrypts with `seq_hi` in the AAD (ESN); nullopt when the
// ICV does not verify.
std::optional<EspOpened> esp_open(const EspKey& k, const Bytes& packet, uint32_t seq_hi = 0);

}  // namespace mplsec::test
