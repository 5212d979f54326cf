// Typed, located access to a parsed YAML document. Every value is read
// through a Field, which knows its file, key path and line, so that each
// error can say where it is without the section readers having to.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mplsec/config.hpp"
#include "text.hpp"

namespace mplsec::config::detail {

// The 1-based line of a node, or `fallback` when the node has no position.
int line_of(const YAML::Node& node, int fallback);

// What a node is, in words for an error: "a list", "a mapping", "nothing",
// "'abc'" or "the quoted string \"100\"".
std::string describe(const YAML::Node& node);

// One YAML node and where it sits.
class Field {
public:
    // `source` is the file name; it must outlive the Field (the loader's
    // argument does).
    Field(const std::string& source, YAML::Node node, std::string path, int line);

    const YAML::Node& node() const { return node_; }
    const std::string& path() const { return path_; }
    int line() const { return line_; }
    const std::string& source() const { return *source_; }

    // The value of `key` in this mapping, written at `line`.
    Field child(std::string_view key, YAML::Node value, int line) const;
    // Item `index` of this list.
    Field item(std::size_t index, YAML::Node value) const;

    [[noreturn]] void fail(std::string message) const;
    // An error about `key` of this mapping when there is no Field for it
    // (the key is missing).
    [[noreturn]] void fail_key(std::string_view key, std::string message) const;

private:
    const std::string* source_;
    YAML::Node node_;
    std::string path_;
    int line_;
};

std::string child_path(const std::string& path, std::string_view key);

// The keys of one mapping, checked on construction: the node is a mapping,
// every key is a plain word written once, and every key is one of `allowed`.
class MapFields {
public:
    MapFields(const Field& map, const std::vector<std::string_view>& allowed);

    bool has(std::string_view key) const { return find(key) != nullptr; }
    std::optional<Field> optional(std::string_view key) const;
    Field required(std::string_view key) const;
    const Field& self() const { return map_; }

    // Item path and line, and the line of every key, for the typed item.
    Origin origin() const;

private:
    const Field* find(std::string_view key) const;

    Field map_;
    std::vector<std::pair<std::string, Field>> fields_;  // in file order
};

// ---- Scalars and lists. Each fails with "expected ..., got ..." on a wrong
// type and with the reason on a bad value. ------------------------------------

std::string read_string(const Field& field);  // any scalar, non-empty
std::string read_name(const Field& field);    // a string that is_valid_name()
bool read_bool(const Field& field);           // true or false, unquoted
Integer read_integer(const Field& field);     // an unquoted integer
uint64_t read_uint(const Field& field, uint64_t min, uint64_t max);
std::vector<Field> read_list(const Field& field);

// The index in `names` of the field's value.
std::size_t read_choice(const Field& field, const std::vector<std::string_view>& names);

template <class Enum>
using Choices = std::vector<std::pair<std::string_view, Enum>>;

template <class Enum>
Enum read_enum(const Field& field, const Choices<Enum>& choices) {
    std::vector<std::string_view> names;
    for (const auto& choice : choices) names.push_back(choice.first);
    return choices[read_choice(field, names)].second;
}

// ---- Network values. -------------------------------------------------------

Label read_label(const Field& field);                // kMinLabel..kMaxLabel
std::vector<Label> read_labels(const Field& field);  // a list of labels, any length
Mac read_mac(const Field& field);
IpAddr read_ip(const Field& field);
Prefix read_prefix(const Field& field);
// Exactly `digits` hex digits; `what` names the value in the length error.
// Errors never quote the value: it is key material.
std::vector<uint8_t> read_secret_hex(const Field& field, std::size_t digits, std::string_view what);

}  // namespace mplsec::config::detail
