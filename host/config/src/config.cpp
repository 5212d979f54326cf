// Loading: YAML text -> typed Config. Each item reader checks what can be
// checked inside the item (types, ranges, which keys an action takes);
// validate() then checks what spans items (names, duplicates).
#include <algorithm>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <csignal>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>

#include "mplsec/config.hpp"
#include "validate.hpp"
#include "yaml_reader.hpp"

namespace mplsec::config {
namespace {

using namespace detail;

// Upper bounds of the punt policer: a host takes a few million packets a
// second at best, and a burst larger than the punt queue only hides drops.
constexpr uint64_t kMaxPuntRatePps = 10'000'000;
constexpr uint64_t kMaxPuntBurst = 65535;

const Choices<LabelAction> kLabelActions = {{"swap", LabelAction::swap},
                                            {"pop", LabelAction::pop},
                                            {"pop-lookup", LabelAction::pop_lookup},
                                            {"punt", LabelAction::punt},
                                            {"drop", LabelAction::drop}};
const Choices<TtlMode> kTtlModes = {{"uniform", TtlMode::uniform}, {"pipe", TtlMode::pipe}};
const Choices<SaDir> kSaDirs = {{"in", SaDir::in}, {"out", SaDir::out}};
const Choices<Cipher> kCiphers = {{"aes-128-gcm", Cipher::aes_128_gcm},
                                  {"aes-256-gcm", Cipher::aes_256_gcm}};
const Choices<Encap> kEncaps = {{"none", Encap::none}, {"udp", Encap::udp}};

template <class Number>
Number read_number(const Field& field, uint64_t min = 0,
                   uint64_t max = std::numeric_limits<Number>::max()) {
    return static_cast<Number>(read_uint(field, min, max));
}

template <class Item>
std::vector<Item> read_items(const MapFields& map, std::string_view key,
                             Item (*read_item)(const Field&)) {
    std::vector<Item> items;
    if (const std::optional<Field> list = map.optional(key)) {
        for (const Field& item : read_list(*list)) items.push_back(read_item(item));
    }
    return items;
}

bool is_multicast(const IpAddr& addr) {
    return addr.v6 ? addr.bytes[0] == 0xff : (addr.bytes[0] & 0xf0) == 0xe0;
}

bool is_unspecified(const IpAddr& addr) { return addr == IpAddr{addr.v6, {}}; }

// ---- device, ports, addresses, nexthops. -----------------------------------

std::string read_device(const Field& field) {
    std::string device = read_string(field);
    if (!is_device_spec(device)) {
        field.fail("'" + device +
                   "' is not a device; expected sim, model, xrt:N (card index) or xrt:BDF "
                   "(PCI address, e.g. xrt:0000:3b:00.0)");
    }
    return device;
}

// A port's MAC is the source of every frame it sends, so it must be a
// single station's address.
Mac read_station_mac(const Field& field) {
    const Mac mac = read_mac(field);
    if (mac[0] & 0x01) {
        field.fail(to_string(mac) + " is a group address; a port needs a unicast MAC");
    }
    if (mac == Mac{}) field.fail("00:00:00:00:00:00 is not a station address");
    return mac;
}

Port read_port(const Field& field) {
    const MapFields map(field, {"id", "mac", "vrf", "mtu"});
    Port port;
    port.id = read_number<uint8_t>(map.required("id"), 0, kMaxPortId);
    port.mac = read_station_mac(map.required("mac"));
    if (const auto vrf = map.optional("vrf")) port.vrf = read_name(*vrf);
    if (const auto mtu = map.optional("mtu")) {
        port.mtu = read_number<uint16_t>(*mtu, kMinMtu, kMaxMtu);
    }
    port.origin = map.origin();
    return port;
}

Address read_address(const Field& field) {
    Address address;
    address.ip = read_ip(field);
    if (is_unspecified(address.ip)) field.fail("the unspecified address cannot be the card's own");
    if (is_multicast(address.ip)) field.fail(to_string(address.ip) + " is a multicast address");
    address.origin.path = field.path();
    address.origin.line = field.line();
    return address;
}

Nexthop read_nexthop(const Field& field) {
    const MapFields map(field, {"name", "port", "mac", "vlan"});
    Nexthop nexthop;
    nexthop.name = read_name(map.required("name"));
    nexthop.port = read_number<uint8_t>(map.required("port"), 0, kMaxPortId);
    nexthop.mac = read_mac(map.required("mac"));
    if (const auto vlan = map.optional("vlan")) {
        nexthop.vlan = read_number<uint16_t>(*vlan, kMinVlan, kMaxVlan);
    }
    nexthop.origin = map.origin();
    return nexthop;
}

// ---- ilm. ------------------------------------------------------------------

// The keys beyond label, action and ports that each action takes. A key an
// action does not use is an error rather than ignored: it means the entry
// says something the card will not do.
struct ActionKeys {
    std::vector<std::string_view> required;
    std::vector<std::string_view> optional;
};

ActionKeys keys_of(LabelAction action) {
    switch (action) {
        case LabelAction::swap: return {{"out_labels", "nexthop"}, {"ttl", "tc"}};
        case LabelAction::pop: return {{"nexthop"}, {"ttl", "tc"}};
        case LabelAction::pop_lookup: return {{"vrf"}, {"ttl"}};
        case LabelAction::punt:
        case LabelAction::drop: return {{}, {}};
    }
    return {};
}

bool contains(const std::vector<std::string_view>& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

void check_keys_for_action(const MapFields& map, LabelAction action) {
    const std::string action_name(to_string(action));
    const ActionKeys keys = keys_of(action);
    for (std::string_view key : {"out_labels", "nexthop", "vrf", "ttl", "tc"}) {
        const bool used = contains(keys.required, key) || contains(keys.optional, key);
        if (!used && map.has(key)) map.required(key).fail("not used by action " + action_name);
    }
    for (std::string_view key : keys.required) {
        if (!map.has(key)) {
            map.self().fail_key(key, "missing; action " + action_name + " requires it");
        }
    }
}

std::vector<Label> read_out_labels(const Field& field) {
    const std::vector<Label> labels = read_labels(field);
    if (labels.empty() || labels.size() > kMaxLabelsWritten) {
        field.fail("swap writes 1 to " + std::to_string(kMaxLabelsWritten) + " labels, got " +
                   std::to_string(labels.size()));
    }
    return labels;
}

std::vector<uint8_t> read_accepting_ports(const Field& field) {
    const std::vector<Field> items = read_list(field);
    if (items.empty()) {
        field.fail("empty: the label would be taken on no port; omit the key for every core port");
    }
    std::vector<uint8_t> ports;
    for (const Field& item : items) {
        const uint8_t port = read_number<uint8_t>(item, 0, kMaxPortId);
        if (std::find(ports.begin(), ports.end(), port) != ports.end()) {
            item.fail("port " + std::to_string(port) + " is listed twice");
        }
        ports.push_back(port);
    }
    return ports;
}

IlmEntry read_ilm_entry(const Field& field) {
    const MapFields map(field,
                        {"label", "action", "out_labels", "nexthop", "vrf", "ports", "ttl", "tc"});
    IlmEntry entry;
    entry.label = read_label(map.required("label"));
    entry.action = read_enum(map.required("action"), kLabelActions);
    check_keys_for_action(map, entry.action);
    if (const auto labels = map.optional("out_labels")) entry.out_labels = read_out_labels(*labels);
    if (const auto nexthop = map.optional("nexthop")) entry.nexthop = read_name(*nexthop);
    if (const auto vrf = map.optional("vrf")) entry.vrf = read_name(*vrf);
    if (const auto ports = map.optional("ports")) entry.ports = read_accepting_ports(*ports);
    if (const auto ttl = map.optional("ttl")) entry.ttl = read_enum(*ttl, kTtlModes);
    if (const auto tc = map.optional("tc")) entry.tc = read_number<uint8_t>(*tc, 0, kMaxTc);
    entry.origin = map.origin();
    return entry;
}

// ---- vrfs. -----------------------------------------------------------------

std::vector<Label> read_push(const Field& field) {
    const std::vector<Label> labels = read_labels(field);
    if (labels.size() > kMaxLabelsWritten) {
        field.fail("a route pushes at most " + std::to_string(kMaxLabelsWritten) + " labels, got " +
                   std::to_string(labels.size()));
    }
    return labels;
}

Route read_route(const Field& field) {
    const MapFields map(field, {"prefix", "nexthop", "push", "sa", "ttl"});
    Route route;
    route.prefix = read_prefix(map.required("prefix"));
    route.nexthop = read_name(map.required("nexthop"));
    if (const auto push = map.optional("push")) route.push = read_push(*push);
    if (const auto sa = map.optional("sa")) route.sa = read_name(*sa);
    if (const auto ttl = map.optional("ttl")) route.ttl = read_enum(*ttl, kTtlModes);
    route.origin = map.origin();
    return route;
}

Vrf read_vrf(const Field& field) {
    const MapFields map(field, {"name", "require_esp", "routes"});
    Vrf vrf;
    vrf.name = read_name(map.required("name"));
    if (const auto require_esp = map.optional("require_esp")) {
        vrf.require_esp = read_bool(*require_esp);
    }
    vrf.routes = read_items(map, "routes", read_route);
    vrf.origin = map.origin();
    return vrf;
}

// ---- sas. ------------------------------------------------------------------

uint32_t read_spi(const Field& field) {
    const Integer spi = read_integer(field);
    const std::string range = "; SPIs are " + std::to_string(kMinSpi) + "..4294967295";
    if (!spi.negative && spi.magnitude == 0) field.fail("SPI 0 is invalid (RFC 4303)" + range);
    if (!spi.negative && spi.magnitude < kMinSpi) {
        field.fail("SPI " + std::to_string(spi.magnitude) + " is reserved (1-255, RFC 4303)" +
                   range);
    }
    return read_number<uint32_t>(field, kMinSpi);
}

Tunnel read_tunnel(const Field& field) {
    const MapFields map(field, {"src", "dst"});
    Tunnel tunnel;
    tunnel.src = read_ip(map.required("src"));
    tunnel.dst = read_ip(map.required("dst"));
    if (tunnel.src.v6 != tunnel.dst.v6) {
        map.required("dst").fail(std::string("dst is ") + (tunnel.dst.v6 ? "IPv6" : "IPv4") +
                                 " but src is " + (tunnel.src.v6 ? "IPv6" : "IPv4") +
                                 "; both ends of a tunnel are of one family");
    }
    tunnel.origin = map.origin();
    return tunnel;
}

// A soft limit warns the host to rekey before the hard one stops the SA, so
// it must come first.
void check_soft_below_hard(const MapFields& map, const std::optional<uint64_t>& soft,
                           std::string_view soft_key, const std::optional<uint64_t>& hard,
                           std::string_view hard_key) {
    if (soft && hard && *soft >= *hard) {
        map.required(soft_key).fail("must be below " + std::string(hard_key) + " (" +
                                    std::to_string(*hard) + ")");
    }
}

Lifetime read_lifetime(const Field& field) {
    const MapFields map(field, {"soft_bytes", "hard_bytes", "soft_packets", "hard_packets"});
    Lifetime lifetime;
    const auto read_limit = [&](std::string_view key) -> std::optional<uint64_t> {
        if (const auto limit = map.optional(key)) return read_number<uint64_t>(*limit, 1);
        return std::nullopt;
    };
    lifetime.soft_bytes = read_limit("soft_bytes");
    lifetime.hard_bytes = read_limit("hard_bytes");
    lifetime.soft_packets = read_limit("soft_packets");
    lifetime.hard_packets = read_limit("hard_packets");
    check_soft_below_hard(map, lifetime.soft_bytes, "soft_bytes", lifetime.hard_bytes,
                          "hard_bytes");
    check_soft_below_hard(map, lifetime.soft_packets, "soft_packets", lifetime.hard_packets,
                          "hard_packets");
    lifetime.origin = map.origin();
    return lifetime;
}

uint32_t read_replay_window(const Field& field, SaDir dir) {
    if (dir != SaDir::in) field.fail("only an inbound SA has a replay window");
    const uint32_t window = read_number<uint32_t>(field, kMinReplayWindow, kMaxReplayWindow);
    if ((window & (window - 1)) != 0) {
        field.fail("must be a power of two in " + std::to_string(kMinReplayWindow) + ".." +
                   std::to_string(kMaxReplayWindow) + ", got " + std::to_string(window));
    }
    return window;
}

Sa read_sa(const Field& field) {
    const MapFields map(field, {"name", "dir", "spi", "cipher", "key", "salt", "tunnel",
                                "replay_window", "esn", "encap", "lifetime"});
    Sa sa;
    sa.name = read_name(map.required("name"));
    sa.dir = read_enum(map.required("dir"), kSaDirs);
    sa.spi = read_spi(map.required("spi"));
    sa.cipher = read_enum(map.required("cipher"), kCiphers);
    const std::string cipher_name(to_string(sa.cipher));
    sa.key = read_secret_hex(map.required("key"), 2 * key_bytes(sa.cipher), cipher_name + " key");
    const std::vector<uint8_t> salt =
        read_secret_hex(map.required("salt"), 2 * sa.salt.size(), "salt");
    std::copy(salt.begin(), salt.end(), sa.salt.begin());
    sa.tunnel = read_tunnel(map.required("tunnel"));
    if (const auto window = map.optional("replay_window")) {
        sa.replay_window = read_replay_window(*window, sa.dir);
    }
    if (const auto esn = map.optional("esn")) sa.esn = read_bool(*esn);
    if (const auto encap = map.optional("encap")) {
        sa.encap = read_enum(*encap, kEncaps);
        if (sa.encap == Encap::udp && sa.tunnel.src.v6)
            encap->fail("udp encapsulation (RFC 3948) is for IPv4 tunnels; this tunnel is IPv6");
    }
    if (const auto lifetime = map.optional("lifetime")) sa.lifetime = read_lifetime(*lifetime);
    sa.origin = map.origin();
    return sa;
}

// ---- punt_policer and the top level. ---------------------------------------

PuntPolicer read_punt_policer(const Field& field) {
    const MapFields map(field, {"rate_pps", "burst"});
    PuntPolicer policer;
    if (const auto rate = map.optional("rate_pps")) {
        policer.rate_pps = read_number<uint32_t>(*rate, 1, kMaxPuntRatePps);
    }
    if (const auto burst = map.optional("burst")) {
        policer.burst = read_number<uint32_t>(*burst, 1, kMaxPuntBurst);
    }
    policer.origin = map.origin();
    return policer;
}

Config read_config(const Field& top) {
    const MapFields map(
        top, {"device", "ports", "addresses", "nexthops", "ilm", "vrfs", "sas", "punt_policer"});
    Config config;
    config.source = top.source();
    if (const auto device = map.optional("device")) config.device = read_device(*device);
    config.ports = read_items(map, "ports", read_port);
    config.addresses = read_items(map, "addresses", read_address);
    config.nexthops = read_items(map, "nexthops", read_nexthop);
    config.ilm = read_items(map, "ilm", read_ilm_entry);
    config.vrfs = read_items(map, "vrfs", read_vrf);
    config.sas = read_items(map, "sas", read_sa);
    if (const auto policer = map.optional("punt_policer")) {
        config.punt_policer = read_punt_policer(*policer);
    }
    config.origin = map.origin();
    return config;
}

// YAML admits no C0 control character but tab, line feed and carriage
// return (YAML 1.2, 5.1). Refusing them before yaml-cpp sees the text also
// keeps its 0.7 parser out of a loop that never ends on inputs such as
// ",\x01\x00" (found by tests/fuzz/fuzz_config).
void refuse_control_characters(const std::string& text, const std::string& name) {
    int line = 1;
    for (const char ch : text) {
        const auto byte = static_cast<unsigned char>(ch);
        if (byte == '\n') ++line;
        if (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') {
            char hex[8];
            std::snprintf(hex, sizeof hex, "0x%02x", byte);
            throw ConfigError(name, line, "", std::string("control character ") + hex +
                                                  " is not allowed in a YAML or JSON file");
        }
    }
}

// A ',' as the first token of a document (after any tag or anchor) is a
// syntax error, but yaml-cpp 0.7 answers it by allocating without bound or
// looping (",", ",O{", " ,[", "!/," — found by tests/fuzz/fuzz_config), so
// it is refused here first.
void refuse_leading_comma(const std::string& text, const std::string& name) {
    int line = 1;
    bool at_document_start = true;
    std::size_t pos = 0;
    while (pos < text.size() && at_document_start) {
        const char ch = text[pos];
        if (ch == '\n') {
            ++line;
            ++pos;
        } else if (ch == ' ' || ch == '\t' || ch == '\r') {
            ++pos;
        } else if (ch == '#' || ch == '%') {  // comment or directive: skip the line
            while (pos < text.size() && text[pos] != '\n') ++pos;
        } else if (text.compare(pos, 3, "---") == 0) {
            pos += 3;
        } else if (ch == '!' || ch == '&') {  // a tag or anchor: the node itself follows
            while (pos < text.size() && !std::isspace(static_cast<unsigned char>(text[pos])) && text[pos] != ',') ++pos;
        } else {
            if (ch == ',')
                throw ConfigError(name, line, "", "YAML syntax error: ',' outside a flow collection");
            at_document_start = false;
        }
    }
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MPLSEC_HAS_ASAN 1
#endif
#endif
#ifndef MPLSEC_HAS_ASAN
#define MPLSEC_HAS_ASAN 0
#endif

// yaml-cpp 0.7 never returns on some malformed inputs (tests/fuzz/
// fuzz_config keeps finding more, e.g. "&\rrfs,"), and a config loader must
// answer every input. So the text is parsed first in a child process with
// a memory limit and a deadline; only when that child finishes is the text
// parsed here. The cost is one fork per load.
void refuse_what_the_parser_cannot_finish(const std::string& text, const std::string& name) {
    // Room for the tree of a large real file (a 11 MB file with 164K
    // entries peaks near 850 MB), scaled with the text; a runaway parse
    // meets the limit instead of the machine's memory.
    const rlim_t memory_bytes = (rlim_t{1} << 30) + 200 * static_cast<rlim_t>(text.size());
    const unsigned seconds = 10 + static_cast<unsigned>(text.size() >> 20);
    std::fflush(nullptr);
    const pid_t child = fork();
    if (child < 0) return;  // no process to spare: parse in place as before
    if (child == 0) {
        // AddressSanitizer reserves terabytes of address space for its
        // shadow, so under it only the deadline applies.
#if !defined(__SANITIZE_ADDRESS__) && !MPLSEC_HAS_ASAN
        const rlimit memory{memory_bytes, memory_bytes};
        setrlimit(RLIMIT_AS, &memory);
#else
        (void)memory_bytes;
#endif
        std::signal(SIGALRM, SIG_DFL);  // not a handler the parent installed
        alarm(seconds);
        // Finishing means returning a tree or a syntax error; running out
        // of the memory limit means the parser would have run away here.
        try {
            (void)YAML::LoadAll(text);
        } catch (const YAML::Exception&) {
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw ConfigError(name, 0, "", "YAML syntax error: the parser could not finish on this input");
}

// The one document of the text. JSON is YAML (1.2) too, so it takes the
// same path.
YAML::Node parse_document(const std::string& text, const std::string& name) {
    refuse_control_characters(text, name);
    refuse_leading_comma(text, name);
    refuse_what_the_parser_cannot_finish(text, name);
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(text);
    } catch (const YAML::Exception& error) {
        const int line = error.mark.is_null() ? 0 : error.mark.line + 1;
        throw ConfigError(name, line, "", "YAML syntax error: " + error.msg);
    } catch (const std::bad_alloc&) {
        // yaml-cpp 0.7 can exhaust memory on malformed input it should reject.
        throw ConfigError(name, 0, "", "YAML parser ran out of memory on malformed input");
    }
    if (documents.empty() || documents[0].IsNull()) {
        throw ConfigError(name, 1, "",
                          "the file is empty; expected a mapping of configuration keys");
    }
    if (documents.size() > 1) {
        throw ConfigError(name, line_of(documents[1], 0), "",
                          "a second YAML document; a configuration is a single document");
    }
    return documents[0];
}

std::string read_whole_file(const std::string& path) {
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw ConfigError(path, 0, "", "cannot read: it is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError(path, 0, "", std::string("cannot read: ") + std::strerror(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        throw ConfigError(path, 0, "", std::string("cannot read: ") + std::strerror(errno));
    }
    return text;
}

}  // namespace

Config load_string(const std::string& text, const std::string& name_for_errors) {
    const YAML::Node document = parse_document(text, name_for_errors);
    const Field top(name_for_errors, document, "", line_of(document, 1));
    Config config = read_config(top);
    detail::validate(config);
    detail::fill_defaults(config);
    return config;
}

Config load_file(const std::string& path) { return load_string(read_whole_file(path), path); }

}  // namespace mplsec::config
