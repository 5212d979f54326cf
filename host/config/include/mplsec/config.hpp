// mplsec configuration: the typed form of the YAML file of DESIGN.md
// section 5.2, and the loader that checks it.
//
// The loader accepts a file only when it is complete and consistent: every
// name it uses is declared, every value is in range for the datapath, and no
// two items claim the same label, name, port, prefix or inbound SPI. A
// Config that load_file() returns can therefore be written to the card
// without further checks of its own shape; what is left to later stages is
// capacity (table sizes) and the state of the card.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mplsec::config {

// ---- Limits: the datapath's (DESIGN.md section 3) and the RFCs'. ----------

inline constexpr uint32_t kMinLabel = 16;        // 0..15 are reserved (RFC 3032)
inline constexpr uint32_t kMaxLabel = 0xFFFFF;   // 20-bit label field
inline constexpr std::size_t kMaxLabelsWritten = 3;  // an NHLFE swaps in or pushes at most 3
inline constexpr uint8_t kMaxPortId = 3;
inline constexpr uint16_t kMinMtu = 68;          // RFC 791: the least every IPv4 link carries
inline constexpr uint16_t kMaxMtu = 9586;        // 9600-byte frame less the 14-byte Ethernet header
inline constexpr uint16_t kDefaultMtu = kMaxMtu;
inline constexpr uint16_t kMinVlan = 1;          // 0 is a priority tag, not a VLAN
inline constexpr uint16_t kMaxVlan = 4094;       // 4095 is reserved (IEEE 802.1Q)
inline constexpr uint8_t kMaxTc = 7;             // 3-bit traffic class
inline constexpr uint32_t kMinSpi = 256;         // RFC 4303: 0 is invalid, 1..255 IANA-reserved
inline constexpr uint32_t kMinReplayWindow = 64;
inline constexpr uint32_t kMaxReplayWindow = 4096;
inline constexpr uint32_t kDefaultReplayWindow = 1024;
inline constexpr bool kDefaultEsn = true;        // the datapath keeps 64-bit sequence numbers
inline constexpr uint32_t kDefaultPuntRatePps = 10000;
inline constexpr uint32_t kDefaultPuntBurst = 64;
inline constexpr std::size_t kMaxNameLength = 63;

// ---- Basic values. ---------------------------------------------------------

using Label = uint32_t;
using Mac = std::array<uint8_t, 6>;

struct IpAddr {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // network order; IPv4 uses bytes[0..3], the rest stay 0

    friend bool operator==(const IpAddr& a, const IpAddr& b) {
        return a.v6 == b.v6 && a.bytes == b.bytes;
    }
    friend bool operator!=(const IpAddr& a, const IpAddr& b) { return !(a == b); }
};

struct Prefix {
    IpAddr addr;      // host bits are always zero (the loader refuses anything else)
    uint8_t len = 0;  // 0..32 for IPv4, 0..128 for IPv6

    friend bool operator==(const Prefix& a, const Prefix& b) {
        return a.addr == b.addr && a.len == b.len;
    }
    friend bool operator!=(const Prefix& a, const Prefix& b) { return !(a == b); }
};

// Where an item came from in the file: its key path ("ilm[2]"), the line of
// the item and the line of each key written in it. Kept so that later stages
// (table manager, capacity checks) can report against the file too; see
// error_at().
struct Origin {
    std::string path;                              // "" for the top level
    int line = 0;                                  // 1-based; 0 when not read from a file
    std::map<std::string, int, std::less<>> key_lines;

    int line_of(std::string_view key) const;       // the item's line when the key was not written
    std::string path_of(std::string_view key) const;  // "ilm[2]" + "label" -> "ilm[2].label"
};

// ---- The items of the file, in the order of DESIGN.md section 5.2. --------

struct Port {
    uint8_t id = 0;                  // 0..kMaxPortId
    Mac mac{};                       // a unicast address: it is the source MAC of every frame sent
    std::optional<std::string> vrf;  // set on a port that faces a customer
    uint16_t mtu = kDefaultMtu;      // bytes after the Ethernet header and any VLAN tags
    Origin origin;
};

// One of the card's own addresses: traffic to it is punted to the host.
struct Address {
    IpAddr ip;
    Origin origin;
};

struct Nexthop {
    std::string name;
    uint8_t port = 0;                // a declared Port::id
    Mac mac{};                       // destination MAC
    std::optional<uint16_t> vlan;    // kMinVlan..kMaxVlan; absent = untagged
    Origin origin;
};

enum class LabelAction { swap, pop, pop_lookup, punt, drop };  // config spelling: pop-lookup
enum class TtlMode { uniform, pipe };                          // RFC 3443

// One incoming-label map entry. Which of the optional members are set
// follows from the action, and the loader enforces it:
//   swap        out_labels (1..3), nexthop
//   pop         nexthop
//   pop_lookup  vrf
//   punt, drop  none of them
struct IlmEntry {
    Label label = 0;
    LabelAction action = LabelAction::drop;
    std::vector<Label> out_labels;       // outermost first
    std::optional<std::string> nexthop;
    std::optional<std::string> vrf;
    std::vector<uint8_t> ports;          // ports the label is accepted on; when the file does
                                         // not say, every core port (one with no vrf)
    TtlMode ttl = TtlMode::uniform;
    std::optional<uint8_t> tc;           // 0..7 written into the labels sent; absent = keep
    Origin origin;
};

struct Route {
    Prefix prefix;
    std::string nexthop;
    std::vector<Label> push;             // outermost first, at most kMaxLabelsWritten
    std::optional<std::string> sa;       // an outbound SA: encrypt before pushing
    TtlMode ttl = TtlMode::uniform;
    Origin origin;
};

struct Vrf {
    std::string name;
    bool require_esp = false;            // drop plaintext that reaches this VRF from the core
    std::vector<Route> routes;
    Origin origin;
};

enum class SaDir { in, out };
enum class Cipher { aes_128_gcm, aes_256_gcm };  // RFC 4106, 16-byte ICV
enum class Encap { none, udp };                  // udp: RFC 3948, port 4500

struct Tunnel {
    IpAddr src;                          // both IPv4 or both IPv6
    IpAddr dst;
    Origin origin;
};

// SA lifetimes; each limit is optional, and a soft limit lies below its hard one.
struct Lifetime {
    std::optional<uint64_t> soft_bytes;
    std::optional<uint64_t> hard_bytes;
    std::optional<uint64_t> soft_packets;
    std::optional<uint64_t> hard_packets;
    Origin origin;
};

struct Sa {
    std::string name;
    SaDir dir = SaDir::out;
    uint32_t spi = 0;                    // kMinSpi..2^32-1; unique among inbound SAs
    Cipher cipher = Cipher::aes_256_gcm;
    std::vector<uint8_t> key;            // 16 or 32 bytes, as the cipher says
    std::array<uint8_t, 4> salt{};       // RFC 4106 nonce salt
    Tunnel tunnel;
    uint32_t replay_window = kDefaultReplayWindow;  // inbound only; a power of two, 64..4096
    bool esn = kDefaultEsn;              // 64-bit extended sequence numbers (RFC 4303 2.2.1)
    Encap encap = Encap::none;
    std::optional<Lifetime> lifetime;
    Origin origin;
};

// Limits what the card sends to the host, so that a flood of punts cannot
// starve LDP and IKE.
struct PuntPolicer {
    uint32_t rate_pps = kDefaultPuntRatePps;
    uint32_t burst = kDefaultPuntBurst;
    Origin origin;
};

struct Config {
    std::string source;        // the file name errors cite
    std::string device;        // sim | model | xrt:N | xrt:BDF; "" = not given (the runtime chooses)
    std::vector<Port> ports;
    std::vector<Address> addresses;
    std::vector<Nexthop> nexthops;
    std::vector<IlmEntry> ilm;
    std::vector<Vrf> vrfs;
    std::vector<Sa> sas;
    PuntPolicer punt_policer;
    Origin origin;             // lines of the top-level keys

    // Lookups by key; nullptr when absent. Names are exact (case-sensitive).
    const Port* find_port(uint8_t id) const;
    const Nexthop* find_nexthop(std::string_view name) const;
    const Vrf* find_vrf(std::string_view name) const;
    const Sa* find_sa(std::string_view name) const;
};

// ---- Errors. ---------------------------------------------------------------

// Every problem with a configuration. what() is one line:
//   FILE:LINE: key 'ilm[2].label': label 5 is reserved (0-15); labels are 16..1048575
// The "key '...'" part is left out when no key is involved (a YAML syntax
// error), and ":LINE" when no line is (a file that cannot be read).
class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string file, int line, std::string key, std::string message);

    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_; }                      // 1-based; 0 = none
    const std::string& key() const noexcept { return key_; }         // "ilm[2].label"; "" = none
    const std::string& message() const noexcept { return message_; } // the text after the key

private:
    std::string file_;
    int line_;
    std::string key_;
    std::string message_;
};

// An error about `key` of the item at `origin` of `config`, for stages after
// loading (e.g. "no room for label 100 in the ILM").
ConfigError error_at(const Config& config, const Origin& origin, std::string_view key,
                     std::string message);

// ---- Loading. --------------------------------------------------------------

// Reads, parses and checks a YAML (or JSON) configuration. Throws ConfigError.
Config load_file(const std::string& path);

// The same for text already in memory; name_for_errors stands for the file
// name in errors.
Config load_string(const std::string& text, const std::string& name_for_errors);

// ---- Text forms, as the configuration file writes them. --------------------

std::string to_string(const Mac& mac);        // "02:00:00:00:00:01"
std::string to_string(const IpAddr& addr);    // "192.0.2.1", "2001:db8::1"
std::string to_string(const Prefix& prefix);  // "10.1.0.0/16"
std::string_view to_string(LabelAction action);  // "pop-lookup"
std::string_view to_string(TtlMode mode);
std::string_view to_string(SaDir dir);
std::string_view to_string(Cipher cipher);       // "aes-256-gcm"
std::string_view to_string(Encap encap);

std::size_t key_bytes(Cipher cipher);  // 16 or 32

}  // namespace mplsec::config
