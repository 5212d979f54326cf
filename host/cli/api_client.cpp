#include "api_client.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

namespace mplsec::cli {

std::string resolve_socket(const std::string& option) {
    if (!option.empty()) return option;
    const char* env = std::getenv(api::kSocketEnv);
    return env && *env ? env : api::kDefaultSocket;
}

int call_daemon(const std::string& command, const std::string& socket, const std::string& method,
                const nlohmann::json& params, nlohmann::json& result) {
    try {
        ApiClient client(resolve_socket(socket));
        const api::Response response = client.call(method, params);
        if (!response.error) {
            result = response.result;
            return 0;
        }
        if (*response.error == api::ErrorCode::bad_config) {
            std::cerr << response.message << '\n';
            return 2;
        }
        std::cerr << "mplsec " << command << ": " << response.message << " (" << api::to_string(*response.error) << ")\n";
        const bool bad_input = *response.error == api::ErrorCode::bad_request || *response.error == api::ErrorCode::bad_xclbin;
        return bad_input ? 2 : 1;
    } catch (const std::exception& e) {  // Unreachable, or an answer that is not the protocol
        std::cerr << "mplsec " << command << ": " << e.what() << '\n';
        return 1;
    }
}

ApiClient::ApiClient(std::string socket_path) : path_(std::move(socket_path)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path_.size() >= sizeof addr.sun_path) throw Unreachable("cannot reach mplsecd at " + path_ + ": path too long");
    std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0 || connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        throw Unreachable("cannot reach mplsecd at " + path_ + ": " + std::strerror(errno) +
                          " (is it running? --socket or $MPLSEC_SOCKET name another path)");
}

ApiClient::~ApiClient() {
    if (fd_ >= 0) close(fd_);
}

api::Response ApiClient::call(const std::string& method, const nlohmann::json& params) {
    const std::string line = api::encode_request(next_id_++, method, params);
    for (std::size_t sent = 0; sent < line.size();) {
        const ssize_t n = send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Unreachable("mplsecd at " + path_ + ": " + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }
    return api::decode_response(read_line());
}

// Answers have no size limit here: a large table's show is legitimately big.
std::string ApiClient::read_line() {
    for (;;) {
        if (const std::size_t end = pending_.find('\n'); end != std::string::npos) {
            std::string line = pending_.substr(0, end);
            pending_.erase(0, end + 1);
            return line;
        }
        char buf[65536];
        const ssize_t n = read(fd_, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) throw Unreachable("mplsecd at " + path_ + " closed the connection without an answer");
        pending_.append(buf, static_cast<std::size_t>(n));
    }
}

}  // namespace mplsec::cli
