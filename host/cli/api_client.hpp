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
