// Outbound ESP sequence numbers across card reloads and daemon restarts.
//
// Writing an `sa` entry restarts the SA on the card at sequence number 1,
// and the card keeps no sequence state across a reload. The ESP IV is the
// sequence number and the AES-GCM nonce is salt||IV, so the same key and
// salt starting at 1 again would reuse nonces. The host therefore keeps,
// per outbound key, a floor: the last next_seq it read from the card (or
// wrote) and when. An SA whose key has a floor restarts at
// floor + what the card can have sent since (sequence_margin); one that
// cannot restart below its limit is refused until it gets a new key.
//
// The floors live in one JSON file per card beside the running image. A
// key is never stored: records name it by a SHA-256 over key and salt.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mplsec/regs.hpp"

namespace mplsec::runtime {

// What the table manager does when a transaction writes an outbound sa entry.
struct SaStart {
    enum class Kind {
        fresh,   // the card's own start: sequence number 1 (a key never used)
        resume,  // sa_seq := next_seq right after the sa entry, before any route names the SA
        refuse,  // the sa entry is written empty: routes naming it drop esp_no_sa
    };
    Kind kind = Kind::fresh;
    uint64_t next_seq = 1;
};

// Asked for every valid outbound sa entry a transaction writes, with the
// entry's index and content. Empty: every SA starts fresh.
using SaStartPolicy = std::function<SaStart(uint32_t index, const regs::SaEntry& entry)>;

// A file of floors that cannot be used: names the file and the fault.
class SequenceStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Hex SHA-256 over a fixed label, the key bits and the salt of an sa entry:
// the same key and salt give the same nonces, whatever SA name or SPI.
std::string sa_key_id(const regs::SaEntry& entry);

// The sequence number after the last one an SA can send (2^32 without ESN,
// 2^64 with it, which does not fit: the largest value is returned then).
uint64_t sequence_limit(bool esn);

// Packets the card can have sent in `elapsed` on one SA: every port at its
// minimum frame rate, 148,809,524 frames/s on 100GbE (64-byte frames plus
// preamble and gap), plus 0.1 s for clocks that are not read at the same
// instant. Saturates instead of overflowing.
uint64_t sequence_margin(std::chrono::duration<double> elapsed, uint32_t num_ports);
inline constexpr double kLineRateFramesPerPort = 148'809'524.0;

struct SequenceRecord {
    std::string sa;          // SA name when the record was written
    uint32_t spi = 0;
    std::string key_id;      // sa_key_id
    uint64_t next_seq = 1;   // the card's next_seq at `observed_at`, or a value it was set to then
    int64_t observed_at_ms = 0;  // Unix time, ms, taken before the read or write
    // The file holding this key's history could not be read: the key may
    // have sent any number of packets, so it is never installed again.
    bool history_lost = false;
};

class SequenceStore {
public:
    // Floors of a key: the highest next_seq any record of it holds, with the
    // time of that record. nullopt for a key never installed.
    std::optional<SequenceRecord> floor_of(const std::string& key_id) const;

    // Keeps the record for (sa, spi, key_id): replaces an older one unless
    // that one says more (a next_seq never goes down; a lost history stays).
    void note(const SequenceRecord& record);

    const std::vector<SequenceRecord>& records() const { return records_; }

    nlohmann::json to_json() const;
    // Throws SequenceStoreError for anything but a file this class wrote.
    static SequenceStore from_json(const nlohmann::json& json);

    // Writes a temporary file beside `path`, fsyncs it, renames it over
    // `path` and fsyncs the directory: after a crash the file holds the old
    // floors or the new ones. Throws SequenceStoreError.
    void save(const std::string& path) const;
    // nullopt when there is no file; SequenceStoreError when it cannot be used.
    static std::optional<SequenceStore> load(const std::string& path);

private:
    std::vector<SequenceRecord> records_;
};

// Where an SA whose key has the record `floor` restarts at `now`.
// nullopt when it cannot: a lost history, or a restart at or past
// sequence_limit(esn).
std::optional<uint64_t> resume_point(const SequenceRecord& floor, std::chrono::system_clock::time_point now,
                                     uint32_t num_ports, bool esn);

int64_t unix_ms(std::chrono::system_clock::time_point t);

}  // namespace mplsec::runtime
