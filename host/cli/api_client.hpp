// The CLI's side of the mplsecd API: one connection, requests in order.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "mplsec/api_protocol.hpp"

namespace mplsec::cli {

// The daemon could not be reached or hung up; what() names the socket.
class Unreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// --socket when given, else $MPLSEC_SOCKET, else the default path.
std::string resolve_socket(const std::string& option);

// Help text of every command's --socket option.
inline constexpr const char* kSocketHelp = "mplsecd's socket (default $MPLSEC_SOCKET, else /run/mplsec/mplsecd.sock)";

// Sends one request for `mplsec <command>`. Returns 0 with `result` set, or
// the exit status after printing the one-line error: a config or xclbin
// the daemon refused, or a request it could not read, is bad input (2);
// anything else is a failed operation (1).
int call_daemon(const std::string& command, const std::string& socket, const std::string& method,
                const nlohmann::json& params, nlohmann::json& result);

class ApiClient {
public:
    explicit ApiClient(std::string socket_path);  // connects; throws Unreachable
    ~ApiClient();
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;

    api::Response call(const std::string& method, const nlohmann::json& params);

private:
    std::string read_line();

    std::string path_;
    int fd_ = -1;
    uint64_t next_id_ = 1;
    std::string pending_;
};

}  // namespace mplsec::cli
