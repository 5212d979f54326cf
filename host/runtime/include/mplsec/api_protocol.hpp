// The mplsecd management protocol, version 1: the codec only (no sockets,
// no method semantics), shared by the daemon and the CLI.
//
// Framing: one JSON object per line over a Unix stream socket.
//   request   {"v":1,"id":N,"method":"show","params":{...}}
//   response  {"v":1,"id":N,"result":...}
//          or {"v":1,"id":N,"error":{"code":"forbidden","message":"..."}}
// A response whose request could not be read far enough to find its id
// carries "id":null.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace mplsec::api {

inline constexpr int kVersion = 1;
inline constexpr std::size_t kMaxLineBytes = std::size_t{1} << 20;  // without the newline
inline constexpr const char* kDefaultSocket = "/run/mplsec/mplsecd.sock";
inline constexpr const char* kSocketEnv = "MPLSEC_SOCKET";

enum class ErrorCode { bad_request, unknown_method, bad_config, device_error, too_large, forbidden, bad_xclbin };

const char* to_string(ErrorCode code);
std::optional<ErrorCode> error_code_from(std::string_view text);

// A request refused with a protocol error; id is null when unknown.
class ApiError : public std::runtime_error {
public:
    ApiError(ErrorCode code, const std::string& message, nlohmann::json id = nullptr)
        : std::runtime_error(message), code_(code), id_(std::move(id)) {}
    ErrorCode code() const { return code_; }
    const nlohmann::json& id() const { return id_; }

private:
    ErrorCode code_;
    nlohmann::json id_;
};

struct Request {
    uint64_t id = 0;
    std::string method;
    nlohmann::json params = nlohmann::json::object();
};

struct Response {
    nlohmann::json id;
    nlohmann::json result;                 // null when error is set
    std::optional<ErrorCode> error;
    std::string message;                   // the error's message
};

// Daemon side. parse_request throws ApiError(bad_request) for anything that
// is not a version-1 request object.
Request parse_request(std::string_view line);
std::string encode_result(uint64_t id, const nlohmann::json& result);
std::string encode_error(const nlohmann::json& id, ErrorCode code, const std::string& message);

// Client side. decode_response throws std::runtime_error when the line is
// not a version-1 response.
std::string encode_request(uint64_t id, const std::string& method, const nlohmann::json& params);
Response decode_response(std::string_view line);

// Splits a byte stream into lines and notices a line that grows past
// kMaxLineBytes before its newline arrives, so a peer cannot make the
// reader buffer without bound.
class LineReader {
public:
    explicit LineReader(std::size_t max_line = kMaxLineBytes) : max_line_(max_line) {}
    void append(const char* data, std::size_t size) { buffer_.append(data, size); }
    // The next complete line without its newline; nullopt when none is
    // complete yet or the next one is too large.
    std::optional<std::string> next_line();
    bool too_large() const;

private:
    std::size_t max_line_;
    std::string buffer_;
};

}  // namespace mplsec::api
