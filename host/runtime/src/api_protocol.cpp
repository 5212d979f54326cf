#include "mplsec/api_protocol.hpp"

#include <array>

namespace mplsec::api {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;  // keeps "v" and "id" first, as the spec writes them

constexpr std::array<std::pair<ErrorCode, const char*>, 7> kErrorNames{{
    {ErrorCode::bad_request, "bad_request"},
    {ErrorCode::unknown_method, "unknown_method"},
    {ErrorCode::bad_config, "bad_config"},
    {ErrorCode::device_error, "device_error"},
    {ErrorCode::too_large, "too_large"},
    {ErrorCode::forbidden, "forbidden"},
    {ErrorCode::bad_xclbin, "bad_xclbin"},
}};

std::string line_of(const ordered& object) {
    // dump() escapes control characters, so the object never spans lines.
    return object.dump(-1, ' ', false, ordered::error_handler_t::replace) + '\n';
}

json parse_object(std::string_view line) {
    json doc = json::parse(line.begin(), line.end(), nullptr, false);
    if (doc.is_discarded()) throw ApiError(ErrorCode::bad_request, "not valid JSON");
    if (!doc.is_object()) throw ApiError(ErrorCode::bad_request, "a request is a JSON object");
    return doc;
}

}  // namespace

const char* to_string(ErrorCode code) {
    for (const auto& [c, name] : kErrorNames)
        if (c == code) return name;
    return "bad_request";
}

std::optional<ErrorCode> error_code_from(std::string_view text) {
    for (const auto& [c, name] : kErrorNames)
        if (text == name) return c;
    return std::nullopt;
}

Request parse_request(std::string_view line) {
    const json doc = parse_object(line);
    const auto id = doc.find("id");
    if (id == doc.end() || !id->is_number_unsigned())
        throw ApiError(ErrorCode::bad_request, "\"id\" must be a non-negative integer");
    const auto v = doc.find("v");
    if (v == doc.end() || *v != kVersion)
        throw ApiError(ErrorCode::bad_request, "\"v\" must be " + std::to_string(kVersion), *id);
    const auto method = doc.find("method");
    if (method == doc.end() || !method->is_string())
        throw ApiError(ErrorCode::bad_request, "\"method\" must be a string", *id);
    Request request{id->get<uint64_t>(), method->get<std::string>(), json::object()};
    if (const auto params = doc.find("params"); params != doc.end() && !params->is_null()) {
        if (!params->is_object()) throw ApiError(ErrorCode::bad_request, "\"params\" must be an object", *id);
        request.params = *params;
    }
    return request;
}

std::string encode_result(uint64_t id, const json& result) {
    return line_of({{"v", kVersion}, {"id", id}, {"result", ordered(result)}});
}

std::string encode_error(const json& id, ErrorCode code, const std::string& message) {
    return line_of({{"v", kVersion}, {"id", ordered(id)}, {"error", {{"code", to_string(code)}, {"message", message}}}});
}

std::string encode_request(uint64_t id, const std::string& method, const json& params) {
    return line_of({{"v", kVersion}, {"id", id}, {"method", method}, {"params", ordered(params)}});
}

Response decode_response(std::string_view line) {
    const json doc = json::parse(line.begin(), line.end(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || doc.value("v", 0) != kVersion)
        throw std::runtime_error("the daemon's answer is not a version-1 response");
    Response response{doc.value("id", json()), doc.value("result", json()), std::nullopt, ""};
    if (const auto error = doc.find("error"); error != doc.end()) {
        response.error = error_code_from(error->value("code", "")).value_or(ErrorCode::bad_request);
        response.message = error->value("message", "");
    }
    return response;
}

std::optional<std::string> LineReader::next_line() {
    const std::size_t end = buffer_.find('\n');
    if (end == std::string::npos || end > max_line_) return std::nullopt;
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();  // tolerate socat/telnet CRLF
    return line;
}

bool LineReader::too_large() const {
    const std::size_t end = buffer_.find('\n');
    return (end == std::string::npos ? buffer_.size() : end) > max_line_;
}

}  // namespace mplsec::api
