// Parsers for the scalar forms of the configuration file: integers, MAC and
// IP addresses, prefixes, hex strings and device names. They know nothing of
// YAML; each says why it refused its input, and the YAML layer adds where.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mplsec/config.hpp"

namespace mplsec::config::detail {

// A parsed value, or the reason the text is not one.
template <class T>
class Parsed {
public:
    static Parsed ok(T value) { return Parsed(std::move(value), {}); }
    static Parsed fail(std::string why) { return Parsed(std::nullopt, std::move(why)); }

    explicit operator bool() const { return value_.has_value(); }
    const T& value() const { return *value_; }
    const std::string& why() const { return why_; }

private:
    Parsed(std::optional<T> value, std::string why)
        : value_(std::move(value)), why_(std::move(why)) {}
    std::optional<T> value_;
    std::string why_;
};

// An integer as written: sign and magnitude, so that "-1" and 2^64-1 both fit.
struct Integer {
    bool negative = false;
    uint64_t magnitude = 0;
};

// Decimal, or hex with 0x. A leading zero is refused: YAML 1.1 reads 010 as
// octal 8 and YAML 1.2 as decimal 10, and the file must not depend on which.
Parsed<Integer> parse_integer(std::string_view text);

Parsed<Mac> parse_mac(std::string_view text);        // six colon-separated hex pairs
Parsed<IpAddr> parse_ip(std::string_view text);      // dotted quad or RFC 4291 text
Parsed<Prefix> parse_prefix(std::string_view text);  // ADDRESS/LEN, host bits zero

// An even number of hex digits, any case. The reasons never quote the
// input: it is key material.
Parsed<std::vector<uint8_t>> parse_hex(std::string_view text);

// sim | model | xrt:N | xrt:[DDDD:]BB:DD.F
bool is_device_spec(std::string_view text);

// Letters, digits, '-', '_' and '.', starting with a letter or digit: names
// end up as JSON keys, CLI arguments and log fields.
bool is_valid_name(std::string_view text);

// The smallest number of edits that turn a into b, where an edit inserts,
// deletes or replaces one character or swaps two neighbouring ones.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `typo`, when it is close enough to be a likely typo.
std::optional<std::string_view> closest_match(std::string_view typo,
                                              const std::vector<std::string_view>& candidates);

}  // namespace mplsec::config::detail
