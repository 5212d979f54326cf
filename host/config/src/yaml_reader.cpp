#include "yaml_reader.hpp"

#include <algorithm>

namespace mplsec::config::detail {
namespace {

// yaml-cpp gives an unquoted scalar the tag "?" and a quoted one "!". Only
// unquoted scalars are numbers and booleans: "100" in quotes is a string in
// YAML and JSON alike.
bool is_plain(const YAML::Node& node) { return node.Tag() == "?"; }

bool has_tag(const YAML::Node& node, std::string_view type) {
    return node.Tag() == "tag:yaml.org,2002:" + std::string(type);
}

std::string join(const std::vector<std::string_view>& words) {
    std::string joined;
    for (std::string_view word : words) {
        if (!joined.empty()) joined += ", ";
        joined += word;
    }
    return joined;
}

std::string suggestion(std::string_view typo, const std::vector<std::string_view>& candidates) {
    const std::optional<std::string_view> near = closest_match(typo, candidates);
    if (near) return "did you mean '" + std::string(*near) + "'?";
    return "expected one of: " + join(candidates);
}

void require_scalar(const Field& field, std::string_view expected) {
    if (!field.node().IsScalar()) {
        field.fail("expected " + std::string(expected) + ", got " + describe(field.node()));
    }
}

// A scalar that is unquoted or carries `type`'s explicit tag.
void require_plain_scalar(const Field& field, std::string_view expected, std::string_view type) {
    require_scalar(field, expected);
    if (!is_plain(field.node()) && !has_tag(field.node(), type)) {
        field.fail("expected " + std::string(expected) + ", got " + describe(field.node()));
    }
}

std::string signed_text(const Integer& value) {
    return (value.negative && value.magnitude != 0 ? "-" : "") + std::to_string(value.magnitude);
}

std::string label_range() {
    return "labels are " + std::to_string(kMinLabel) + ".." + std::to_string(kMaxLabel);
}

}  // namespace

int line_of(const YAML::Node& node, int fallback) {
    const YAML::Mark mark = node.Mark();
    return mark.is_null() ? fallback : mark.line + 1;
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Null: return "nothing";
        case YAML::NodeType::Sequence: return "a list";
        case YAML::NodeType::Map: return "a mapping";
        case YAML::NodeType::Scalar: break;
        case YAML::NodeType::Undefined: return "nothing";
    }
    constexpr std::size_t kMaxShown = 40;
    std::string text = node.Scalar();
    if (text.size() > kMaxShown) text = text.substr(0, kMaxShown) + "...";
    if (is_plain(node)) return "'" + text + "'";
    return "the quoted string \"" + text + "\"";
}

// ---- Field. ----------------------------------------------------------------

Field::Field(const std::string& source, YAML::Node node, std::string path, int line)
    : source_(&source), node_(std::move(node)), path_(std::move(path)), line_(line) {}

Field Field::child(std::string_view key, YAML::Node value, int line) const {
    return Field(*source_, std::move(value), child_path(path_, key), line);
}

Field Field::item(std::size_t index, YAML::Node value) const {
    // An empty item ("- " alone) has no position of its own; cite the list.
    const int line = line_of(value, line_);
    return Field(*source_, std::move(value), path_ + "[" + std::to_string(index) + "]", line);
}

void Field::fail(std::string message) const {
    throw ConfigError(*source_, line_, path_, std::move(message));
}

void Field::fail_key(std::string_view key, std::string message) const {
    throw ConfigError(*source_, line_, child_path(path_, key), std::move(message));
}

std::string child_path(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// ---- MapFields. ------------------------------------------------------------

MapFields::MapFields(const Field& map, const std::vector<std::string_view>& allowed) : map_(map) {
    if (!map.node().IsMap()) map.fail("expected a mapping, got " + describe(map.node()));
    for (auto it = map.node().begin(); it != map.node().end(); ++it) {
        const int key_line = line_of(it->first, map.line());
        if (!it->first.IsScalar()) {
            Field(map.source(), it->first, map.path(), key_line)
                .fail("keys must be plain words, got " + describe(it->first));
        }
        const std::string key = it->first.Scalar();
        Field field = map.child(key, it->second, key_line);
        if (const Field* first = find(key)) {
            field.fail("duplicate key (first at line " + std::to_string(first->line()) + ")");
        }
        if (key == "<<") field.fail("YAML merge keys are not supported; write the keys out");
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            field.fail("unknown key; " + suggestion(key, allowed));
        }
        fields_.emplace_back(key, std::move(field));
    }
}

const Field* MapFields::find(std::string_view key) const {
    for (const auto& [name, field] : fields_) {
        if (name == key) return &field;
    }
    return nullptr;
}

std::optional<Field> MapFields::optional(std::string_view key) const {
    const Field* field = find(key);
    if (!field) return std::nullopt;
    return *field;
}

Field MapFields::required(std::string_view key) const {
    const Field* field = find(key);
    if (!field) map_.fail_key(key, "required key is missing");
    return *field;
}

Origin MapFields::origin() const {
    Origin origin;
    origin.path = map_.path();
    origin.line = map_.line();
    for (const auto& [name, field] : fields_) origin.key_lines.emplace(name, field.line());
    return origin;
}

// ---- Scalars and lists. ----------------------------------------------------

std::string read_string(const Field& field) {
    require_scalar(field, "a string");
    if (field.node().Scalar().empty()) field.fail("must not be empty");
    return field.node().Scalar();
}

std::string read_name(const Field& field) {
    std::string name = read_string(field);
    if (!is_valid_name(name)) {
        field.fail("'" + name + "' is not a valid name (up to " + std::to_string(kMaxNameLength) +
                   " letters, digits, '-', '_' or '.', starting with a letter or digit)");
    }
    return name;
}

bool read_bool(const Field& field) {
    require_plain_scalar(field, "true or false", "bool");
    // YAML 1.1 also reads yes/no/on/off as booleans; refusing them keeps the
    // file unambiguous to every parser.
    const std::string& text = field.node().Scalar();
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    field.fail("expected true or false, got " + describe(field.node()));
}

Integer read_integer(const Field& field) {
    require_plain_scalar(field, "an integer", "int");
    const Parsed<Integer> parsed = parse_integer(field.node().Scalar());
    if (!parsed) field.fail(parsed.why());
    return parsed.value();
}

uint64_t read_uint(const Field& field, uint64_t min, uint64_t max) {
    const Integer value = read_integer(field);
    const bool below = value.negative ? value.magnitude != 0 || min > 0 : value.magnitude < min;
    if (below || value.magnitude > max) {
        field.fail("must be " + std::to_string(min) + ".." + std::to_string(max) + ", got " +
                   signed_text(value));
    }
    return value.magnitude;
}

std::vector<Field> read_list(const Field& field) {
    if (!field.node().IsSequence()) field.fail("expected a list, got " + describe(field.node()));
    std::vector<Field> items;
    std::size_t index = 0;
    for (const YAML::Node& item : field.node()) items.push_back(field.item(index++, item));
    return items;
}

std::size_t read_choice(const Field& field, const std::vector<std::string_view>& names) {
    require_scalar(field, "one of " + join(names));
    const std::string& text = field.node().Scalar();
    const auto match = std::find(names.begin(), names.end(), text);
    if (match == names.end()) field.fail("'" + text + "' is not valid; " + suggestion(text, names));
    return static_cast<std::size_t>(match - names.begin());
}

// ---- Network values. -------------------------------------------------------

Label read_label(const Field& field) {
    const Integer value = read_integer(field);
    const std::string text = signed_text(value);
    if (!value.negative && value.magnitude < kMinLabel) {
        // 3 is implicit null: it is advertised, never sent. Asking for it is
        // asking for penultimate-hop popping.
        const std::string hint = value.magnitude == 3 ? " (for PHP use action pop)" : "";
        field.fail("label " + text + " is reserved (0-15); " + label_range() + hint);
    }
    if (value.negative || value.magnitude > kMaxLabel) {
        field.fail("label " + text + " is out of range; " + label_range());
    }
    return static_cast<Label>(value.magnitude);
}

std::vector<Label> read_labels(const Field& field) {
    std::vector<Label> labels;
    for (const Field& item : read_list(field)) labels.push_back(read_label(item));
    return labels;
}

Mac read_mac(const Field& field) {
    const Parsed<Mac> mac = parse_mac(read_string(field));
    if (!mac) field.fail(mac.why());
    return mac.value();
}

IpAddr read_ip(const Field& field) {
    const Parsed<IpAddr> addr = parse_ip(read_string(field));
    if (!addr) field.fail(addr.why());
    return addr.value();
}

Prefix read_prefix(const Field& field) {
    const Parsed<Prefix> prefix = parse_prefix(read_string(field));
    if (!prefix) field.fail(prefix.why());
    return prefix.value();
}

std::vector<uint8_t> read_secret_hex(const Field& field, std::size_t digits,
                                     std::string_view what) {
    require_scalar(field, "a hex string");
    const std::string& text = field.node().Scalar();
    if (text.size() != digits) {
        field.fail(std::string(what) + " needs " + std::to_string(digits) + " hex digits (" +
                   std::to_string(digits / 2) + " bytes), got " + std::to_string(text.size()));
    }
    const Parsed<std::vector<uint8_t>> bytes = parse_hex(text);
    if (!bytes) field.fail("bad hex: " + bytes.why());
    return bytes.value();
}

}  // namespace mplsec::config::detail
