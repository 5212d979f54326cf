#include "mplsec/sa_sequence.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include <openssl/evp.h>

#include "durable_file.hpp"

namespace mplsec::runtime {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "mplsec-sa-sequence";
constexpr int kFormatVersion = 1;
// Domain separation: this hash names a key in a file and is used for
// nothing else.
constexpr const char* kKeyIdLabel = "mplsec sa sequence key id v1";

std::string hex(const unsigned char* bytes, std::size_t n) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

// The key field's bytes, first byte first (bits 255:248 of the field).
std::vector<unsigned char> key_bytes(const regs::SaEntry& entry) {
    std::vector<unsigned char> bytes(32);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const std::size_t bit = 8 * (31 - i);
        bytes[i] = static_cast<unsigned char>(entry.key[bit / 32] >> (bit % 32));
    }
    return bytes;
}

json record_to_json(const SequenceRecord& r) {
    return {{"sa", r.sa},
            {"spi", r.spi},
            {"key_id", r.key_id},
            {"next_seq", r.next_seq},
            {"observed_at_ms", r.observed_at_ms},
            {"history_lost", r.history_lost}};
}

SequenceRecord record_from_json(const json& j) {
    SequenceRecord r;
    r.sa = j.at("sa").get<std::string>();
    r.spi = j.at("spi").get<uint32_t>();
    r.key_id = j.at("key_id").get<std::string>();
    r.next_seq = j.at("next_seq").get<uint64_t>();
    r.observed_at_ms = j.at("observed_at_ms").get<int64_t>();
    r.history_lost = j.at("history_lost").get<bool>();
    if (r.key_id.size() != 64 || r.key_id.find_first_not_of("0123456789abcdef") != std::string::npos)
        throw SequenceStoreError("record of SA '" + r.sa + "': key_id is not a hex SHA-256");
    return r;
}

bool same_sa(const SequenceRecord& a, const SequenceRecord& b) {
    return a.sa == b.sa && a.spi == b.spi && a.key_id == b.key_id;
}

}  // namespace

std::string sa_key_id(const regs::SaEntry& entry) {
    const std::vector<unsigned char> key = key_bytes(entry);
    const unsigned char salt[4] = {static_cast<unsigned char>(entry.salt >> 24), static_cast<unsigned char>(entry.salt >> 16),
                                   static_cast<unsigned char>(entry.salt >> 8), static_cast<unsigned char>(entry.salt)};
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) &&
                    EVP_DigestUpdate(ctx, kKeyIdLabel, std::strlen(kKeyIdLabel)) &&
                    EVP_DigestUpdate(ctx, key.data(), key.size()) && EVP_DigestUpdate(ctx, salt, sizeof salt) &&
                    EVP_DigestFinal_ex(ctx, digest, &length);
    EVP_MD_CTX_free(ctx);
    if (!ok) throw std::runtime_error("SHA-256 unavailable in OpenSSL");
    return hex(digest, length);
}

uint64_t sequence_limit(bool esn) { return esn ? UINT64_MAX : uint64_t{1} << 32; }

uint64_t sequence_margin(std::chrono::duration<double> elapsed, uint32_t num_ports) {
    constexpr double kClockSlackSeconds = 0.1;
    const double seconds = std::max(elapsed.count(), 0.0) + kClockSlackSeconds;
    const double packets = std::ceil(seconds * kLineRateFramesPerPort * std::max<uint32_t>(num_ports, 1));
    return packets >= 18446744073709551615.0 ? UINT64_MAX : static_cast<uint64_t>(packets);
}

int64_t unix_ms(std::chrono::system_clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::optional<uint64_t> resume_point(const SequenceRecord& floor, std::chrono::system_clock::time_point now,
                                     uint32_t num_ports, bool esn) {
    if (floor.history_lost) return std::nullopt;
    const auto elapsed = std::chrono::milliseconds(unix_ms(now) - floor.observed_at_ms);
    const uint64_t margin = sequence_margin(elapsed, num_ports);
    if (floor.next_seq > UINT64_MAX - margin) return std::nullopt;
    const uint64_t resume = floor.next_seq + margin;
    if (resume >= sequence_limit(esn)) return std::nullopt;
    return resume;
}

std::optional<SequenceRecord> SequenceStore::floor_of(const std::string& key_id) const {
    std::optional<SequenceRecord> floor;
    for (const SequenceRecord& r : records_) {
        if (r.key_id != key_id) continue;
        if (!floor || r.history_lost || (!floor->history_lost && r.next_seq > floor->next_seq)) floor = r;
        if (floor->history_lost) break;
    }
    return floor;
}

void SequenceStore::note(const SequenceRecord& record) {
    const auto it = std::find_if(records_.begin(), records_.end(),
                                 [&](const SequenceRecord& r) { return same_sa(r, record); });
    if (it == records_.end()) {
        records_.push_back(record);
        return;
    }
    // A read from the card clears a lost history only when it is a live
    // value of this key (the caller reads SAs it installed itself).
    if (it->history_lost && !record.history_lost) {
        *it = record;
        return;
    }
    if (record.next_seq >= it->next_seq && !it->history_lost) *it = record;
}

json SequenceStore::to_json() const {
    json records = json::array();
    for (const SequenceRecord& r : records_) records.push_back(record_to_json(r));
    return {{"format", kFormat}, {"format_version", kFormatVersion}, {"records", records}};
}

SequenceStore SequenceStore::from_json(const json& j) {
    if (!j.is_object() || j.value("format", "") != kFormat || j.value("format_version", 0) != kFormatVersion)
        throw SequenceStoreError(std::string("not a sequence record file (expected format ") + kFormat + " version " +
                                 std::to_string(kFormatVersion) + ")");
    SequenceStore store;
    try {
        for (const json& r : j.at("records")) store.records_.push_back(record_from_json(r));
    } catch (const json::exception& e) {
        throw SequenceStoreError(std::string("malformed record: ") + e.what());
    }
    return store;
}

void SequenceStore::save(const std::string& path) const {
    if (const auto error = replace_file_durably(path, to_json().dump() + "\n")) throw SequenceStoreError(*error);
}

std::optional<SequenceStore> SequenceStore::load(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (errno == ENOENT) return std::nullopt;
        throw SequenceStoreError(path + ": cannot read: " + std::strerror(errno));
    }
    try {
        return from_json(json::parse(in));
    } catch (const json::exception& e) {
        throw SequenceStoreError(path + ": not JSON: " + e.what());
    } catch (const SequenceStoreError& e) {
        throw SequenceStoreError(path + ": " + e.what());
    }
}

}  // namespace mplsec::runtime
