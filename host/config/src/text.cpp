#include "text.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <limits>
#include <numeric>

namespace mplsec::config {
namespace detail {
namespace {

std::string quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_decimal_digit(char c) { return c >= '0' && c <= '9'; }

bool all_hex(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return hex_value(c) >= 0; });
}

bool all_decimal(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), is_decimal_digit);
}

// Digits in `base` (10 or 16) to a number; nullopt on a bad digit or overflow.
std::optional<uint64_t> digits_to_number(std::string_view digits, unsigned base) {
    constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
    uint64_t number = 0;
    for (char c : digits) {
        int digit = base == 16 ? hex_value(c) : (is_decimal_digit(c) ? c - '0' : -1);
        if (digit < 0) return std::nullopt;
        if (number > (kMax - static_cast<unsigned>(digit)) / base) return std::nullopt;
        number = number * base + static_cast<unsigned>(digit);
    }
    return number;
}

bool has_hex_prefix(std::string_view text) {
    return text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
}

// Whether every bit of `addr` past the first `len` is zero.
bool host_bits_clear(const IpAddr& addr, unsigned len) {
    const unsigned total_bits = addr.v6 ? 128 : 32;
    for (unsigned bit = len; bit < total_bits; ++bit) {
        if (addr.bytes[bit / 8] & (0x80u >> (bit % 8))) return false;
    }
    return true;
}

IpAddr clear_host_bits(IpAddr addr, unsigned len) {
    for (unsigned bit = len; bit < 128; ++bit) {
        addr.bytes[bit / 8] = static_cast<uint8_t>(addr.bytes[bit / 8] & ~(0x80u >> (bit % 8)));
    }
    return addr;
}

// A PCI address as lspci writes it: [DDDD:]BB:DD.F, device 0..1f, function 0..7.
bool is_pci_address(std::string_view text) {
    if (text.size() == 12) {
        if (!all_hex(text.substr(0, 4)) || text[4] != ':') return false;
        text.remove_prefix(5);
    }
    if (text.size() != 7 || text[2] != ':' || text[5] != '.') return false;
    const std::string_view bus = text.substr(0, 2);
    const std::string_view device = text.substr(3, 2);
    const char function = text[6];
    return all_hex(bus) && all_hex(device) && hex_value(device[0]) <= 1 && function >= '0' &&
           function <= '7';
}

bool is_device_index(std::string_view text) {
    return all_decimal(text) && text.size() <= 3 && (text.size() == 1 || text[0] != '0');
}

}  // namespace

Parsed<Integer> parse_integer(std::string_view text) {
    Integer result;
    std::string_view digits = text;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
        result.negative = digits[0] == '-';
        digits.remove_prefix(1);
    }
    const bool hex = has_hex_prefix(digits);
    if (hex) digits.remove_prefix(2);
    if (!(hex ? all_hex(digits) : all_decimal(digits))) {
        return Parsed<Integer>::fail(quoted(text) + " is not an integer");
    }
    if (!hex && digits.size() > 1 && digits[0] == '0') {
        return Parsed<Integer>::fail(quoted(text) +
                                     " has a leading zero, which YAML 1.1 reads as octal; "
                                     "write it in decimal without one, or in hex with 0x");
    }
    const std::optional<uint64_t> magnitude = digits_to_number(digits, hex ? 16 : 10);
    if (!magnitude) return Parsed<Integer>::fail(quoted(text) + " is too large");
    result.magnitude = *magnitude;
    return Parsed<Integer>::ok(result);
}

Parsed<Mac> parse_mac(std::string_view text) {
    const auto refuse = [&] {
        return Parsed<Mac>::fail(quoted(text) +
                                 " is not a MAC address (six hex pairs like 02:00:00:00:00:01)");
    };
    constexpr std::size_t kTextLength = 17;  // "xx:" five times, then "xx"
    if (text.size() != kTextLength) return refuse();
    Mac mac{};
    for (std::size_t i = 0; i < mac.size(); ++i) {
        const std::string_view pair = text.substr(i * 3, 2);
        if (!all_hex(pair)) return refuse();
        if (i + 1 < mac.size() && text[i * 3 + 2] != ':') return refuse();
        mac[i] = static_cast<uint8_t>(hex_value(pair[0]) * 16 + hex_value(pair[1]));
    }
    return Parsed<Mac>::ok(mac);
}

Parsed<IpAddr> parse_ip(std::string_view text) {
    const std::string nul_terminated(text);
    IpAddr addr;
    // inet_pton is strict where it matters: no leading zeros or short forms in
    // IPv4 ("010.1" is refused), no zone index in IPv6.
    if (inet_pton(AF_INET, nul_terminated.c_str(), addr.bytes.data()) == 1) {
        return Parsed<IpAddr>::ok(addr);
    }
    addr.v6 = true;
    if (inet_pton(AF_INET6, nul_terminated.c_str(), addr.bytes.data()) == 1) {
        return Parsed<IpAddr>::ok(addr);
    }
    return Parsed<IpAddr>::fail(quoted(text) + " is not an IPv4 or IPv6 address");
}

Parsed<Prefix> parse_prefix(std::string_view text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) {
        return Parsed<Prefix>::fail(quoted(text) +
                                    " has no length (expected ADDRESS/LEN like 10.1.0.0/16)");
    }
    const Parsed<IpAddr> addr = parse_ip(text.substr(0, slash));
    if (!addr) return Parsed<Prefix>::fail(quoted(text) + ": " + addr.why());

    const std::string_view len_text = text.substr(slash + 1);
    const unsigned max_len = addr.value().v6 ? 128 : 32;
    const bool len_well_formed = all_decimal(len_text) && len_text.size() <= 3 &&
                                 (len_text.size() == 1 || len_text[0] != '0');
    const unsigned len =
        len_well_formed ? static_cast<unsigned>(*digits_to_number(len_text, 10)) : 0;
    if (!len_well_formed || len > max_len) {
        return Parsed<Prefix>::fail(quoted(text) + ": length must be 0.." +
                                    std::to_string(max_len) +
                                    (addr.value().v6 ? " for IPv6" : " for IPv4"));
    }
    if (!host_bits_clear(addr.value(), len)) {
        const Prefix meant{clear_host_bits(addr.value(), len), static_cast<uint8_t>(len)};
        return Parsed<Prefix>::fail(quoted(text) + " has host bits set; did you mean " +
                                    to_string(meant) + "?");
    }
    return Parsed<Prefix>::ok(Prefix{addr.value(), static_cast<uint8_t>(len)});
}

Parsed<std::vector<uint8_t>> parse_hex(std::string_view text) {
    using Result = Parsed<std::vector<uint8_t>>;
    if (text.empty()) return Result::fail("hex string is empty");
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (hex_value(text[i]) < 0) {
            return Result::fail("character " + std::to_string(i + 1) + " is not a hex digit");
        }
    }
    if (text.size() % 2 != 0) {
        return Result::fail("odd number of hex digits (" + std::to_string(text.size()) + ")");
    }
    std::vector<uint8_t> bytes(text.size() / 2);
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = static_cast<uint8_t>(hex_value(text[2 * i]) * 16 + hex_value(text[2 * i + 1]));
    }
    return Result::ok(std::move(bytes));
}

bool is_device_spec(std::string_view text) {
    if (text == "sim" || text == "model") return true;
    constexpr std::string_view kXrt = "xrt:";
    if (text.substr(0, kXrt.size()) != kXrt) return false;
    const std::string_view card = text.substr(kXrt.size());
    return is_device_index(card) || is_pci_address(card);
}

bool is_valid_name(std::string_view text) {
    const auto name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    };
    return !text.empty() && text.size() <= kMaxNameLength &&
           std::isalnum(static_cast<unsigned char>(text[0])) &&
           std::all_of(text.begin(), text.end(), name_char);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    // Optimal string alignment: Levenshtein plus the swap of two neighbours,
    // the commonest typo ("lable"). Three rows of the table suffice.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
    std::iota(previous.begin(), previous.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            row[j] = std::min({previous[j] + 1, row[j - 1] + 1, substitution});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                row[j] = std::min(row[j], before[j - 2] + 1);
            }
        }
        before.swap(previous);
        previous.swap(row);
    }
    return previous[b.size()];
}

std::optional<std::string_view> closest_match(std::string_view typo,
                                              const std::vector<std::string_view>& candidates) {
    // A third of the word, and never more than two edits: closer than that
    // is a typo, farther is a different word ("tcp" is not a misspelt "udp").
    constexpr std::size_t kMaxEdits = 2;
    std::optional<std::string_view> best;
    std::size_t best_distance = kMaxEdits + 1;
    for (std::string_view candidate : candidates) {
        const std::size_t allowed =
            std::min(kMaxEdits, std::max<std::size_t>(1, candidate.size() / 3));
        const std::size_t distance = edit_distance(typo, candidate);
        if (distance <= allowed && distance < best_distance) {
            best = candidate;
            best_distance = distance;
        }
    }
    return best;
}

}  // namespace detail

// ---- Public text forms. ----------------------------------------------------

std::string to_string(const Mac& mac) {
    char text[18];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
                  mac[3], mac[4], mac[5]);
    return text;
}

std::string to_string(const IpAddr& addr) {
    char text[INET6_ADDRSTRLEN];
    inet_ntop(addr.v6 ? AF_INET6 : AF_INET, addr.bytes.data(), text, sizeof text);
    return text;
}

std::string to_string(const Prefix& prefix) {
    return to_string(prefix.addr) + "/" + std::to_string(prefix.len);
}

std::string_view to_string(LabelAction action) {
    switch (action) {
        case LabelAction::swap: return "swap";
        case LabelAction::pop: return "pop";
        case LabelAction::pop_lookup: return "pop-lookup";
        case LabelAction::punt: return "punt";
        case LabelAction::drop: return "drop";
    }
    return "?";
}

std::string_view to_string(TtlMode mode) { return mode == TtlMode::pipe ? "pipe" : "uniform"; }

std::string_view to_string(SaDir dir) { return dir == SaDir::in ? "in" : "out"; }

std::string_view to_string(Cipher cipher) {
    return cipher == Cipher::aes_128_gcm ? "aes-128-gcm" : "aes-256-gcm";
}

std::string_view to_string(Encap encap) { return encap == Encap::udp ? "udp" : "none"; }

std::size_t key_bytes(Cipher cipher) { return cipher == Cipher::aes_128_gcm ? 16 : 32; }

}  // namespace mplsec::config
