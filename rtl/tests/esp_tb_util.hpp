// Helpers for the benches of the ESP payload units (tb_esp_units,
// tb_esp_inbound): AES-GCM by OpenSSL as the reference, big-endian fields
// into wide ports, and key installs into the core.
#pragma once

#include <openssl/evp.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "vtb.hpp"

namespace mplsec::rtltest {

using Bytes = std::vector<uint8_t>;

struct GcmKey {
    bool aes256 = false;
    Bytes key;
};

// ciphertext || tag of `text` (RFC 4106: 12-byte nonce, 16-byte tag).
inline Bytes gcm_encrypt(const GcmKey& k, const Bytes& nonce, const Bytes& aad, const Bytes& text) {
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    EVP_EncryptInit_ex(ctx, k.aes256 ? EVP_aes_256_gcm() : EVP_aes_128_gcm(), nullptr, nullptr, nullptr);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, 12, nullptr);
    EVP_EncryptInit_ex(ctx, nullptr, nullptr, k.key.data(), nonce.data());
    int n = 0;
    EVP_EncryptUpdate(ctx, nullptr, &n, aad.data(), static_cast<int>(aad.size()));
    Bytes out(text.size() + 16);
    EVP_EncryptUpdate(ctx, out.data(), &n, text.data(), static_cast<int>(text.size()));
    EVP_EncryptFinal_ex(ctx, out.data() + n, &n);
    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, out.data() + text.size());
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

// Bytes as a big-endian field of `bits` bits: first byte most significant.
template <typename Wide>
void set_be(Wide& w, const Bytes& b, unsigned bits) {
    for (unsigned i = 0; i < (bits + 31) / 32; ++i) w[i] = 0;
    for (std::size_t i = 0; i < b.size(); ++i) {
        const unsigned bit = bits - 8 * (i + 1);
        w[bit / 32] |= uint32_t{b[i]} << (bit % 32);
    }
}

inline Bytes random_bytes(std::mt19937& rng, std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
}

// Installs `count` random keys (AES-128 for even SAs, AES-256 for odd) and
// waits for each install to finish.
template <typename Top>
std::vector<GcmKey> install_keys(Top& t, uint32_t count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<GcmKey> keys;
    for (uint32_t sa = 0; sa < count; ++sa) {
        GcmKey k;
        k.aes256 = sa % 2;
        k.key = random_bytes(rng, k.aes256 ? 32 : 16);
        Bytes field = k.key;
        field.resize(32, 0);  // AES-128 in 255:128
        t.key_wr_i = 1;
        t.key_sa_i = sa;
        t.key_aes256_i = k.aes256;
        set_be(t.key_i, field, 256);
        tick(t);
        t.key_wr_i = 0;
        for (int c = 0; c < 10000 && t.key_busy_o; ++c) tick(t);
        keys.push_back(k);
    }
    return keys;
}

// Writes `frame` into the packet buffer from beat `base` on (wrapping).
template <typename Top>
void store_frame(Top& t, const Bytes& frame, uint32_t base, uint32_t buf_beats) {
    for (std::size_t k = 0; 64 * k < frame.size(); ++k) {
        t.buf_we_i = 1;
        t.buf_waddr_i = static_cast<uint32_t>((base + k) % buf_beats);
        set_bytes(t.buf_wdata_i, frame, 64, 64 * k);
        tick(t);
    }
    t.buf_we_i = 0;
}

// Runs a bench cycle by cycle: offers the jobs in order (drive(job) sets
// the job ports while job_valid_i), takes output beats while m_ready_i
// (low in stall_pct % of the cycles), hands each frame to
// on_frame(index, bytes), which checks it and returns whether it was
// right, and calls each_cycle() once a cycle before the clock edge. Runs
// until `frames` frames have left (or the first wrong one); returns the
// cycles taken.
template <typename Top, typename Job, typename Drive, typename OnFrame, typename EachCycle>
uint64_t run_jobs(Top& t, const std::vector<Job>& jobs, std::size_t frames, unsigned stall_pct, std::mt19937& rng,
                  Drive drive, OnFrame on_frame, EachCycle each_cycle) {
    std::size_t next = 0, done = 0;
    Bytes got;
    uint64_t cycles = 0;
    while (done < frames || next < jobs.size()) {
        if (++cycles > 2'000'000) {
            ADD_FAILURE() << "no progress after " << done << " frames";
            return cycles;
        }
        t.job_valid_i = next < jobs.size();
        if (next < jobs.size()) drive(jobs[next]);
        t.m_ready_i = rng() % 100 >= stall_pct;
        t.clk_i = 0;
        t.eval();
        each_cycle();
        const bool popped = t.job_valid_i && t.job_pop_o;
        if (t.m_valid_o && t.m_ready_i) {
            const uint64_t keep = t.m_keep_o;
            const int n = keep == ~uint64_t{0} ? 64 : __builtin_popcountll(keep);
            for (int i = 0; i < n; ++i) got.push_back(get_byte(t.m_data_o, i));
            if (t.m_last_o) {
                if (!on_frame(done, got)) return cycles;
                got.clear();
                ++done;
            }
        }
        t.clk_i = 1;
        t.eval();
        if (popped) ++next;
    }
    t.job_valid_i = 0;
    for (int c = 0; c < 8 || (t.busy_o && c < 100'000); ++c) {
        t.clk_i = 0;
        t.eval();
        each_cycle();
        t.clk_i = 1;
        t.eval();
    }
    EXPECT_FALSE(t.busy_o);
    return cycles;
}

// One output frame a job.
template <typename Top, typename Job, typename Drive, typename OnFrame>
uint64_t run_jobs(Top& t, const std::vector<Job>& jobs, unsigned stall_pct, std::mt19937& rng, Drive drive,
                  OnFrame on_frame) {
    return run_jobs(t, jobs, jobs.size(), stall_pct, rng, drive, on_frame, [] {});
}

// An outbound frame for the encrypt unit and the frame it must send.
struct EncJob {
    uint32_t sa = 0;
    Bytes nonce, aad;  // aad: 8 or 12 bytes
    uint32_t base = 0, ip_off = 0;
    Bytes frame;       // as stored in the buffer from beat `base`
    uint32_t inner_len = 0;
    Bytes trailer, hdr;
    uint16_t user = 0;
    Bytes want;
};

// Random SA, nonce, AAD, offset, header and trailer (trailer_len 0: 2..5).
inline EncJob make_enc_job(std::mt19937& rng, const std::vector<GcmKey>& keys, uint32_t base,
                           std::size_t inner_len, std::size_t trailer_len) {
    EncJob j;
    j.sa = rng() % static_cast<uint32_t>(keys.size());
    j.nonce = random_bytes(rng, 12);
    j.aad = random_bytes(rng, rng() % 2 ? 12 : 8);
    j.base = base;
    j.ip_off = 14 + rng() % 100;
    j.inner_len = static_cast<uint32_t>(inner_len);
    j.frame = random_bytes(rng, j.ip_off + inner_len + rng() % 40);
    j.trailer = random_bytes(rng, trailer_len ? trailer_len : 2 + rng() % 4);
    j.hdr = random_bytes(rng, 36 + rng() % 85);
    j.user = static_cast<uint16_t>(rng());
    Bytes text(j.frame.begin() + j.ip_off, j.frame.begin() + j.ip_off + inner_len);
    text.insert(text.end(), j.trailer.begin(), j.trailer.end());
    j.want = j.hdr;
    const Bytes ct = gcm_encrypt(keys[j.sa], j.nonce, j.aad, text);
    j.want.insert(j.want.end(), ct.begin(), ct.end());
    return j;
}

// The job ports of the encrypt bench.
template <typename Top>
void drive_encrypt_job(Top& t, const EncJob& j) {
    t.job_sa_i = j.sa;
    set_be(t.job_nonce_i, j.nonce, 96);
    set_be(t.job_aad_i, j.aad, 96);
    t.job_aad12_i = j.aad.size() == 12;
    t.job_buf_base_i = j.base;
    t.job_ip_off_i = j.ip_off;
    t.job_inner_len_i = j.inner_len;
    uint64_t tr = 0;
    for (std::size_t i = 0; i < j.trailer.size(); ++i) tr |= uint64_t{j.trailer[i]} << (8 * i);
    t.job_trailer_i = tr;
    t.job_trailer_len_i = static_cast<uint8_t>(j.trailer.size());
    t.job_hdr_len_i = static_cast<uint8_t>(j.hdr.size());
    set_bytes(t.job_hdr_i, j.hdr, 128);
    t.job_user_i = j.user;
}

// An ESP payload (ciphertext || ICV) in a frame, built with OpenSSL, with
// at most one flaw, and what decrypting it must give.
enum class Flaw { none, ciphertext, icv, pad_byte, pad_len, odd_length, next_header };

struct EspPayload {
    uint32_t sa = 0;
    Bytes nonce, aad;
    uint32_t ct_off = 0, ct_len = 0;
    Bytes frame;   // from frame byte 0
    Bytes plain;   // what the core gives back
    bool auth_ok = true, pad_ok = true;
    uint8_t next_hdr = 0;
    uint32_t text_len = 0;  // before the padding
};

inline EspPayload make_esp_payload(std::mt19937& rng, const std::vector<GcmKey>& keys, std::size_t inner_len,
                                   unsigned pad, Flaw flaw) {
    EspPayload j;
    j.sa = rng() % static_cast<uint32_t>(keys.size());
    j.nonce = random_bytes(rng, 12);
    j.aad = random_bytes(rng, rng() % 2 ? 12 : 8);
    j.ct_off = 20 + rng() % 172;
    Bytes text = random_bytes(rng, inner_len);
    for (unsigned i = 1; i <= pad; ++i) text.push_back(static_cast<uint8_t>(i));
    text.push_back(static_cast<uint8_t>(pad));
    text.push_back(flaw == Flaw::next_header ? 17 : rng() % 2 ? 4 : 41);
    if (flaw == Flaw::pad_byte && pad > 0) text[inner_len + rng() % pad] ^= 0x80;
    if (flaw == Flaw::pad_len) text[text.size() - 2] = static_cast<uint8_t>(text.size() - 1);
    if (flaw == Flaw::odd_length) text.insert(text.begin(), 0x45);
    Bytes ct = gcm_encrypt(keys[j.sa], j.nonce, j.aad, text);
    j.ct_len = static_cast<uint32_t>(text.size());
    j.plain = text;
    if (flaw == Flaw::ciphertext) {
        const std::size_t at = rng() % j.ct_len;
        ct[at] ^= 0x01;
        j.plain[at] ^= 0x01;  // counter mode: the flip shows through
    }
    if (flaw == Flaw::icv) ct[j.ct_len + rng() % 16] ^= 0x10;
    j.frame = random_bytes(rng, j.ct_off);
    j.frame.insert(j.frame.end(), ct.begin(), ct.end());
    const Bytes tail = random_bytes(rng, rng() % 30);
    j.frame.insert(j.frame.end(), tail.begin(), tail.end());

    j.auth_ok = flaw != Flaw::ciphertext && flaw != Flaw::icv;
    const uint8_t pad_len = j.plain[j.ct_len - 2];
    j.pad_ok = j.ct_len % 4 == 0 && pad_len + 2u <= j.ct_len;
    for (unsigned i = 1; j.pad_ok && i <= pad_len; ++i) j.pad_ok = j.plain[j.ct_len - 2 - pad_len + i - 1] == i;
    j.next_hdr = j.plain[j.ct_len - 1];
    j.text_len = j.ct_len - 2 - pad_len;
    return j;
}

// The job ports every ESP decrypt bench has.
template <typename Top>
void drive_decrypt_job(Top& t, const EspPayload& p, uint32_t base) {
    t.job_sa_i = p.sa;
    set_be(t.job_nonce_i, p.nonce, 96);
    set_be(t.job_aad_i, p.aad, 96);
    t.job_aad12_i = p.aad.size() == 12;
    t.job_buf_base_i = base;
    t.job_ct_off_i = p.ct_off;
    t.job_ct_len_i = p.ct_len;
}

}  // namespace mplsec::rtltest
