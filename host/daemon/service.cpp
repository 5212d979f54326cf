#include "service.hpp"

#include <array>
#include <cctype>
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
    const runtime::TableDiff fixed = runtime::reconcile(*device_, image_, previous);
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
    if (seen == marker_) return;
    spdlog::warn("{}: the card no longer holds mplsecd's marker (SCRATCH {}, expected {}): reloaded or reset by "
                 "something else; putting the tables back",
                 device_->name(), drivers::hex(seen), drivers::hex(marker_));
    identity_ = device_->check_identity();
    reconcile_card(&image_, "card reset");
    mark_card();
}

// One file per card, so daemons of different cards sharing a state
// directory never reconcile against each other's tables.
std::string Service::state_file() const {
    std::string card = device_spec_;
    for (char& c : card)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') c = '_';
    return state_dir_ + "/running-image-" + card + ".json";
}

void Service::save_state() const {
    if (state_dir_.empty()) return;
    try {
        runtime::save_image(state_file(), image_);
    } catch (const runtime::ImageStoreError& e) {
        spdlog::warn("running image not saved (a restart will compile positionally): {}", e.what());
    }
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
            {"caller", {{"uid", caller.uid}, {"role", to_string(caller.role)}}}};
}

json Service::do_show(const json& params, const Caller&) {
    const std::string what = param<std::string>(params, "what", "");
    json result = show(ShowSource{config_, image_, *device_}, what);
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
        runtime::apply_diff(*device_, diff, image);
    } catch (const drivers::DeviceError& e) {
        // Undo exactly the entries the diff touches, whatever got written.
        try {
            runtime::apply_diff(*device_, runtime::diff_images(image, image_), image_);
        } catch (const drivers::DeviceError& again) {
            throw ApiError(ErrorCode::device_error, std::string(e.what()) + "; restoring failed too: " + again.what());
        }
        throw ApiError(ErrorCode::device_error, std::string(e.what()) + "; the previous tables were restored");
    }
    config_ = config;
    image_ = std::move(image);
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
