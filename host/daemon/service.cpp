#include "service.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <map>
#include <random>

#include <spdlog/spdlog.h>

#include "mplsec/apply.hpp"
#include "mplsec/identity_json.hpp"
#include "mplsec/image_store.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/version.hpp"
#include "show.hpp"

namespace mplsec::daemon {
namespace {

using api::ApiError;
using api::ErrorCode;
using nlohmann::json;

json diff_json(const runtime::TableDiff& diff, const tables::TableImage& from, const tables::TableImage& to) {
    json changes = json::array();
    json summary = json::object();
    for (const runtime::EntryChange& c : diff.changes) {
        const char* kind = runtime::to_string(c.kind);
        changes.push_back({{"kind", kind},
                           {"table", regs::table_info(c.table).name},
                           {"index", c.index},
                           {"name", c.name},
                           {"old", c.old_words.empty() ? json(nullptr) : json(runtime::describe_entry(c.table, c.old_words, from))},
                           {"new", c.new_words.empty() ? json(nullptr) : json(runtime::describe_entry(c.table, c.new_words, to))}});
        json& counts = summary[regs::table_info(c.table).name];
        if (counts.is_null()) counts = {{"added", 0}, {"changed", 0}, {"removed", 0}};
        counts[kind] = counts[kind].get<int>() + 1;
    }
    return {{"changes", changes}, {"summary", summary}, {"policer_changed", diff.policer_changed}};
}

template <typename T>
T param(const json& params, const char* key, T fallback) {
    const auto it = params.find(key);
    if (it == params.end() || it->is_null()) return fallback;
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        throw ApiError(ErrorCode::bad_request, std::string("params.") + key + " has the wrong type");
    }
}

std::optional<std::string> optional_string(const json& params, const char* key) {
    if (!params.contains(key) || params.at(key).is_null()) return std::nullopt;
    return param<std::string>(params, key, "");
}

std::string name_of_sa(const tables::TableImage& image, uint32_t index) {
    for (const auto& [name, i] : image.sa_index)
        if (i == index) return name;
    return "#" + std::to_string(index);
}

// Valid outbound sa entries of an image, by index.
std::map<uint32_t, regs::SaEntry> outbound_sas(const tables::TableImage& image) {
    std::map<uint32_t, regs::SaEntry> out;
    for (const tables::TableWrite& w : image.writes) {
        if (w.table != regs::TableId::sa) continue;
        const auto entry = regs::SaEntry::unpack(w.words.data());
        if (entry.valid && !entry.inbound) out[w.index] = entry;
    }
    return out;
}

std::string spi_text(uint32_t spi) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", spi);
    return buf;
}

}  // namespace

Service::Service(std::string config_path, std::string device_override, std::string state_dir)
    : config_path_(std::move(config_path)),
      device_override_(std::move(device_override)),
      state_dir_(std::move(state_dir)) {}

void Service::start() {
    config_ = config::load_file(config_path_);
    std::string spec = device_override_.empty() ? config_.device : device_override_;
    if (spec.empty()) {
        spec = drivers::default_device_spec();
        spdlog::info("no device named: opening {}", spec == "sim" ? "the virtual card (no Alveo card found)" : spec);
    }
    device_ = drivers::open_device(spec);
    device_spec_ = spec;
    identity_ = device_->check_identity();
    spdlog::info("opened {}: register map {}.{}, {} ports", device_->name(), identity_.regmap_version >> 16,
                 identity_.regmap_version & 0xffff, identity_.num_ports);
    // What the last run applied, if it saved it: compiling against it keeps
    // every unchanged object at the index the card already holds it at.
    std::optional<tables::TableImage> previous;
    if (!state_dir_.empty()) {
        try {
            previous = runtime::load_image(state_file());
            if (previous) spdlog::info("last run's image: {} ({} entries)", state_file(), previous->writes.size());
        } catch (const runtime::ImageStoreError& e) {
            spdlog::warn("last run's image not used: {}", e.what());
        }
    }
    image_ = tables::compile(config_, identity_.clock_khz, previous ? &*previous : nullptr);
    load_sequences();
    // The card's contents are unknown at start (a fresh card, or one a
    // previous daemon left loaded): reconcile reads every entry the image
    // needs (and every entry the previous image wrote) and writes only
    // what differs, each run read back.
    reconcile_card(previous ? &*previous : nullptr, "start");
    mark_card();
    applied_from_ = config_path_;
    started_ = std::chrono::steady_clock::now();
    save_state();
}

runtime::TableDiff Service::reconcile_card(const tables::TableImage* previous, const char* why) {
    const runtime::TableDiff fixed = runtime::reconcile(*device_, image_, previous, sa_start_for(image_));
    std::map<std::string, std::array<int, 3>> per_table;  // added, changed, removed
    for (const runtime::EntryChange& c : fixed.changes) {
        ++per_table[regs::table_info(c.table).name][static_cast<int>(c.kind)];
        spdlog::debug("reconcile ({}): {} {} entry {}: {} -> {}", why, runtime::to_string(c.kind),
                      regs::table_info(c.table).name, c.index,
                      c.old_words.empty() ? "-" : runtime::describe_entry(c.table, c.old_words, previous ? *previous : image_),
                      c.new_words.empty() ? "-" : runtime::describe_entry(c.table, c.new_words, image_));
    }
    std::string summary;
    for (const auto& [table, n] : per_table)
        summary += (summary.empty() ? "" : ", ") + table + " +" + std::to_string(n[0]) + " ~" + std::to_string(n[1]) +
                   " -" + std::to_string(n[2]);
    spdlog::info("reconcile ({}): {} table entries checked, {} differed{}", why, image_.writes.size(),
                 fixed.changes.size(), summary.empty() ? "" : " (" + summary + ")");
    last_reconcile_ = {{"why", why}, {"entries_differed", fixed.changes.size()}};
    return fixed;
}

void Service::mark_card() {
    std::random_device random;
    do marker_ = random();
    while (marker_ == 0);  // a card comes up with SCRATCH 0
    device_->write32(regs::ctrl::kScratch, marker_);
}

void Service::check_card() {
    const uint32_t seen = device_->read32(regs::ctrl::kScratch);
    if (seen == marker_) {
        save_sequences();
        return;
    }
    spdlog::warn("{}: the card no longer holds mplsecd's marker (SCRATCH {}, expected {}): reloaded or reset by "
                 "something else; putting the tables back",
                 device_->name(), drivers::hex(seen), drivers::hex(marker_));
    identity_ = device_->check_identity();
    reconcile_card(&image_, "card reset");
    mark_card();
}

void Service::stop() {
    try {
        save_sequences();
    } catch (const std::exception& e) {
        spdlog::error("sequence numbers not saved at shutdown: {}", e.what());
    }
}

// One file per card, so daemons of different cards sharing a state
// directory never reconcile against each other's tables.
std::string Service::card_file(const char* prefix) const {
    std::string card = device_spec_;
    for (char& c : card)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
    return state_dir_ + "/" + prefix + card + ".json";
}

std::string Service::state_file() const { return card_file("running-image-"); }

std::string Service::sequence_file() const { return card_file("sa-sequence-"); }

void Service::save_state() const {
    if (state_dir_.empty()) return;
    try {
        runtime::save_image(state_file(), image_);
    } catch (const runtime::ImageStoreError& e) {
        spdlog::warn("running image not saved (a restart will compile positionally): {}", e.what());
    }
}

// ---- outbound sequence numbers (sa_sequence.hpp) ---------------------------

void Service::load_sequences() {
    if (state_dir_.empty()) {
        spdlog::warn("no state directory: outbound sequence numbers are kept in memory only (a card reload is safe, a "
                     "daemon restart onto a fresh card starts static keys at 1 again)");
        return;
    }
    try {
        if (auto loaded = runtime::SequenceStore::load(sequence_file())) sequences_ = std::move(*loaded);
        return;
    } catch (const runtime::SequenceStoreError& e) {
        spdlog::error("outbound sequence records unreadable: {}", e.what());
    }
    const std::string aside = sequence_file() + ".unreadable";
    if (std::rename(sequence_file().c_str(), aside.c_str()) == 0) spdlog::error("kept the unreadable file as {}", aside);
    forget_lost_history("sequence records unreadable");
}

// Every outbound key of the file may have been on the card, at any
// sequence number: none is installed again (a card that still holds one
// keeps it, and its live value becomes the record again).
void Service::forget_lost_history(const char* why) {
    const int64_t now = runtime::unix_ms(std::chrono::system_clock::now());
    for (const auto& [index, entry] : outbound_sas(image_)) {
        runtime::SequenceRecord lost{name_of_sa(image_, index), static_cast<uint32_t>(entry.spi),
                                     runtime::sa_key_id(entry), 0, now, true};
        spdlog::error("SA {} (SPI {}): {}; it is not installed on a card that lost it until it gets a new key",
                      lost.sa, spi_text(lost.spi), why);
        sequences_.note(lost);
    }
    persist_sequences();
}

runtime::SaStartPolicy Service::sa_start_for(const tables::TableImage& image) {
    return [this, &image](uint32_t index, const regs::SaEntry& entry) { return sa_start(image, index, entry); };
}

// Runs before the sa entry is written: the record of where the SA starts
// is on disk before the card can send a packet with it.
runtime::SaStart Service::sa_start(const tables::TableImage& image, uint32_t index, const regs::SaEntry& entry) {
    const auto now = std::chrono::system_clock::now();
    runtime::SequenceRecord record{name_of_sa(image, index), static_cast<uint32_t>(entry.spi), runtime::sa_key_id(entry),
                                   1, runtime::unix_ms(now), false};
    runtime::SaStart start;
    if (const auto floor = sequences_.floor_of(record.key_id)) {
        const auto resume = runtime::resume_point(*floor, now, identity_.num_ports, entry.esn);
        if (!resume) {
            const std::string why = floor->history_lost
                                        ? "its sequence history was lost (unreadable records)"
                                        : "sequence numbers exhausted: it had reached " + std::to_string(floor->next_seq) +
                                              ", and with what it may have sent since no number below " +
                                              std::to_string(runtime::sequence_limit(entry.esn)) + " is left";
            spdlog::error("SA {} (SPI {}) not installed, needs a new key: {}; routes naming it drop esp_no_sa",
                          record.sa, spi_text(record.spi), why);
            refused_sas_[record.sa] = why;
            return {runtime::SaStart::Kind::refuse, 0};
        }
        start = {runtime::SaStart::Kind::resume, *resume};
        record.next_seq = *resume;
        spdlog::info("SA {} (SPI {}): key used before, resuming at sequence number {} (last seen {})", record.sa,
                     spi_text(record.spi), *resume, floor->next_seq);
    }
    refused_sas_.erase(record.sa);
    note_sequence(record);
    return start;
}

void Service::note_sequence(const runtime::SequenceRecord& record) {
    sequences_.note(record);
    persist_sequences();
}

// The records stay in memory when the file cannot be written: a card
// reload in this run still resumes, a restart may not.
void Service::persist_sequences() const {
    if (state_dir_.empty()) return;
    try {
        sequences_.save(sequence_file());
    } catch (const runtime::SequenceStoreError& e) {
        spdlog::error("outbound sequence records not saved (a restart onto a fresh card cannot resume): {}", e.what());
    }
}

// Reads the live next_seq of every outbound SA this daemon installed. A
// card that loses its marker meanwhile was reset: its values are not ours.
void Service::save_sequences() {
    if (!runtime::CardTables(*device_).has(regs::TableId::sa_seq)) return;
    const auto now = std::chrono::system_clock::now();
    std::vector<runtime::SequenceRecord> seen;
    for (const auto& [index, entry] : outbound_sas(image_)) {
        const std::string name = name_of_sa(image_, index);
        if (refused_sas_.count(name)) continue;
        const auto words = device_->read_entry(regs::TableId::sa_seq, index);
        seen.push_back({name, static_cast<uint32_t>(entry.spi), runtime::sa_key_id(entry),
                        regs::SaSeqEntry::unpack(words.data()).next_seq, runtime::unix_ms(now), false});
    }
    if (seen.empty() || device_->read32(regs::ctrl::kScratch) != marker_) return;
    for (const runtime::SequenceRecord& r : seen) sequences_.note(r);
    persist_sequences();
}

const Service::Method* Service::find_method(const std::string& name) {
    static const std::array<Method, 5> methods{{
        {"status", Role::viewer, &Service::do_status},
        {"show", Role::viewer, &Service::do_show},
        {"apply", Role::operator_, &Service::do_apply},
        {"reload", Role::operator_, &Service::do_reload},
        {"load", Role::admin, &Service::do_load},
    }};
    for (const Method& m : methods)
        if (name == m.name) return &m;
    return nullptr;
}

std::string Service::answer(const std::string& line, const Caller& caller) {
    api::Request request;
    try {
        request = api::parse_request(line);
    } catch (const ApiError& e) {
        spdlog::warn("uid {}: {}", caller.uid, e.what());
        return api::encode_error(e.id(), e.code(), e.what());
    }
    try {
        return api::encode_result(request.id, call(request, caller));
    } catch (const ApiError& e) {
        spdlog::warn("uid {} ({}) {}: {}", caller.uid, to_string(caller.role), request.method, e.what());
        return api::encode_error(request.id, e.code(), e.what());
    } catch (const std::exception& e) {
        // Anything else comes from below the runtime: the card or its driver.
        spdlog::error("uid {} {}: {}", caller.uid, request.method, e.what());
        return api::encode_error(request.id, ErrorCode::device_error, e.what());
    }
}

json Service::call(const api::Request& request, const Caller& caller) {
    const Method* method = find_method(request.method);
    if (!method) throw ApiError(ErrorCode::unknown_method, "no method '" + request.method + "'");
    if (!covers(caller.role, method->needs))
        throw ApiError(ErrorCode::forbidden, std::string("role ") + to_string(caller.role) + " may not call '" +
                                                 request.method + "' (needs " + to_string(method->needs) + ")");
    return (this->*method->handler)(request.params, caller);
}

json Service::do_status(const json&, const Caller& caller) {
    const auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
    return {{"version", kVersion},
            {"device", device_->name()},
            {"identity", runtime::identity_json(identity_)},
            {"config_file", config_path_},
            {"applied_from", applied_from_},
            {"uptime_seconds", uptime.count()},
            {"applied_entries", image_.writes.size()},
            {"state_file", state_dir_.empty() ? json(nullptr) : json(state_file())},
            {"last_reconcile", last_reconcile_},
            {"sa_sequence", {{"file", state_dir_.empty() ? json(nullptr) : json(sequence_file())},
                             {"refused", refused_sas_}}},
            {"caller", {{"uid", caller.uid}, {"role", to_string(caller.role)}}}};
}

json Service::do_show(const json& params, const Caller&) {
    const std::string what = param<std::string>(params, "what", "");
    json result = show(ShowSource{config_, image_, *device_, refused_sas_}, what);
    if (result.is_null()) throw ApiError(ErrorCode::bad_request, "params.what must be one of " + std::string(kShowWhat));
    result["what"] = what;
    return result;
}

config::Config Service::load_for_apply(const json& params, const Caller& caller) const {
    const auto text = optional_string(params, "config");
    const auto path = optional_string(params, "path");
    if (text.has_value() == path.has_value())
        throw ApiError(ErrorCode::bad_request, "give exactly one of params.config (text) and params.path");
    // The daemon reads a path with its own privileges, so only those who
    // could edit its config anyway may name one; others send the text.
    if (path && !covers(caller.role, Role::admin))
        throw ApiError(ErrorCode::forbidden, std::string("role ") + to_string(caller.role) +
                                                 " may not call 'apply' with a path (needs admin); send the text");
    try {
        return path ? config::load_file(*path) : config::load_string(*text, param<std::string>(params, "name", "<apply>"));
    } catch (const config::ConfigError& e) {
        throw ApiError(ErrorCode::bad_config, e.what());
    }
}

tables::TableImage Service::compile(const config::Config& config) {
    try {
        // Against the running image: unchanged objects keep their entries.
        return tables::compile(config, identity_.clock_khz, &image_);
    } catch (const config::ConfigError& e) {
        throw ApiError(ErrorCode::bad_config, e.what());
    }
}

json Service::change_to(const config::Config& config, bool dry_run) {
    tables::TableImage image = compile(config);
    const runtime::TableDiff diff = runtime::diff_images(image_, image);
    json result = diff_json(diff, image_, image);
    result["dry_run"] = dry_run;
    result["entries"] = image.writes.size();
    if (dry_run) return result;
    try {
        runtime::apply_diff(*device_, diff, image, {}, sa_start_for(image));
    } catch (const drivers::DeviceError& e) {
        // Undo exactly the entries the diff touches, whatever got written.
        try {
            runtime::apply_diff(*device_, runtime::diff_images(image, image_), image_, {}, sa_start_for(image_));
        } catch (const drivers::DeviceError& again) {
            throw ApiError(ErrorCode::device_error, std::string(e.what()) + "; restoring failed too: " + again.what());
        }
        throw ApiError(ErrorCode::device_error, std::string(e.what()) + "; the previous tables were restored");
    }
    config_ = config;
    image_ = std::move(image);
    for (auto it = refused_sas_.begin(); it != refused_sas_.end();)
        it = image_.sa_index.count(it->first) ? std::next(it) : refused_sas_.erase(it);
    applied_from_ = config.source;
    save_state();
    return result;
}

json Service::do_apply(const json& params, const Caller& caller) {
    const bool dry_run = param<bool>(params, "dry_run", false);
    const config::Config config = load_for_apply(params, caller);
    if (!config.device.empty() && config.device != device_->name())
        spdlog::debug("apply: the daemon keeps its device {}; the file's device '{}' is not used", device_->name(), config.device);
    json result = change_to(config, dry_run);
    spdlog::info("uid {} ({}) apply {}{}: {} entries differ", caller.uid, to_string(caller.role), config.source,
                 dry_run ? " (dry run)" : "", result["changes"].size());
    return result;
}

json Service::reload() {
    config::Config config;
    try {
        config = config::load_file(config_path_);
    } catch (const config::ConfigError& e) {
        throw ApiError(ErrorCode::bad_config, e.what());
    }
    json result = change_to(config, false);
    spdlog::info("reloaded {}: {} entries differ", config_path_, result["changes"].size());
    return result;
}

json Service::do_reload(const json&, const Caller&) { return reload(); }

// A bitstream load empties the card: the running image goes back on it.
json Service::do_load(const json& params, const Caller& caller) {
    const std::string xclbin = param<std::string>(params, "xclbin", "");
    if (xclbin.empty()) throw ApiError(ErrorCode::bad_request, "params.xclbin (a path the daemon can read) is required");
    spdlog::info("uid {} ({}) load {} onto {}", caller.uid, to_string(caller.role), xclbin, device_->name());
    try {
        save_sequences();  // the last values the card will show: a load empties it
    } catch (const std::exception& e) {
        // A card that cannot be read is loaded anyway: the records of the
        // last check stand, and the margin covers the time since.
        spdlog::warn("sequence numbers not read before the load: {}", e.what());
    }
    try {
        identity_ = drivers::load_bitstream(*device_, xclbin);
    } catch (const drivers::XclbinRefused& e) {
        throw ApiError(ErrorCode::bad_xclbin, e.what());
    }
    const runtime::TableDiff fixed = reconcile_card(&image_, "load");
    mark_card();
    return {{"device", device_->name()},
            {"identity", runtime::identity_json(identity_)},
            {"reconciled", diff_json(fixed, image_, image_)}};
}

}  // namespace mplsec::daemon
