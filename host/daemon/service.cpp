#include "service.hpp"

#include <array>
#include <map>

#include <spdlog/spdlog.h>

#include "mplsec/apply.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/version.hpp"
#include "show.hpp"

namespace mplsec::daemon {
namespace {

using api::ApiError;
using api::ErrorCode;
using nlohmann::json;

json identity_json(const drivers::Identity& id) {
    json features = json::array();
    for (const regs::FeatureInfo& f : regs::kFeatures)
        if (id.features >> f.bit & 1) features.push_back(f.name);
    return {{"regmap_version", std::to_string(id.regmap_version >> 16) + "." + std::to_string(id.regmap_version & 0xffff)},
            {"features", features},
            {"num_ports", id.num_ports},
            {"clock_khz", id.clock_khz},
            {"build_id", id.build_id}};
}


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

Service::Service(std::string config_path, std::string device_override)
    : config_path_(std::move(config_path)), device_override_(std::move(device_override)) {}

void Service::start() {
    config_ = config::load_file(config_path_);
    const std::string spec = !device_override_.empty() ? device_override_ : (config_.device.empty() ? "sim" : config_.device);
    device_ = drivers::open_device(spec);
    identity_ = device_->check_identity();
    spdlog::info("opened {}: register map {}.{}, {} ports", device_->name(), identity_.regmap_version >> 16,
                 identity_.regmap_version & 0xffff, identity_.num_ports);
    image_ = tables::compile(config_, identity_.clock_khz);
    // The card's contents are unknown at start (a fresh card, or one a
    // previous daemon left loaded): reconcile reads every entry the image
    // needs and writes only those that differ (each read back), so a
    // restart over a card loaded from the same file writes nothing. (The
    // running image is not persisted: after applies, a restarted daemon's
    // positional indices can differ from the card's, and those entries
    // are rewritten in place.)
    const runtime::TableDiff fixed = runtime::reconcile(*device_, image_);
    applied_from_ = config_path_;
    started_ = std::chrono::steady_clock::now();
    spdlog::info("applied {}: {} table entries read back, {} written or cleared", config_path_, image_.writes.size(),
                 fixed.changes.size());
}

const Service::Method* Service::find_method(const std::string& name) {
    static const std::array<Method, 4> methods{{
        {"status", Role::viewer, &Service::do_status},
        {"show", Role::viewer, &Service::do_show},
        {"apply", Role::operator_, &Service::do_apply},
        {"reload", Role::operator_, &Service::do_reload},
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
            {"identity", identity_json(identity_)},
            {"config_file", config_path_},
            {"applied_from", applied_from_},
            {"uptime_seconds", uptime.count()},
            {"applied_entries", image_.writes.size()},
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

}  // namespace mplsec::daemon
