#include "server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>
#include <vector>

#include <spdlog/spdlog.h>

namespace mplsec::daemon {
namespace {

constexpr std::size_t kMaxConnections = 64;
constexpr std::size_t kReadChunk = 64 * 1024;

std::system_error sys_error(const std::string& what) { return std::system_error(errno, std::generic_category(), what); }

sockaddr_un address_of(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof addr.sun_path)
        throw std::runtime_error(path + ": a socket path is 1.." + std::to_string(sizeof addr.sun_path - 1) + " bytes");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

// A socket file left by a daemon that died is removed; one that still
// answers belongs to a running daemon and is left alone.
void clear_stale_socket(const std::string& path) {
    struct stat st{};
    if (lstat(path.c_str(), &st) != 0) return;
    if (!S_ISSOCK(st.st_mode)) throw std::runtime_error(path + ": exists and is not a socket");
    const sockaddr_un addr = address_of(path);
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool live = fd >= 0 && connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    if (fd >= 0) close(fd);
    if (live) throw std::runtime_error(path + ": another mplsecd is serving it");
    unlink(path.c_str());
}

}  // namespace

Server::Server(std::string path, Answer answer) : path_(std::move(path)), answer_(std::move(answer)) {}

Server::~Server() {
    for (const auto& entry : connections_) close(entry.first);
    if (listen_fd_ < 0) return;
    close(listen_fd_);
    struct stat st{};
    if (lstat(path_.c_str(), &st) == 0 && st.st_ino == inode_) unlink(path_.c_str());
}

void Server::open() {
    const std::filesystem::path dir = std::filesystem::path(path_).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir);
    clear_stale_socket(path_);
    const sockaddr_un addr = address_of(path_);
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) throw sys_error("socket");
    if (bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) throw sys_error("bind " + path_);
    // Anyone may connect: what a peer may do is decided per request from
    // its SO_PEERCRED uid, and viewers are meant to get in.
    if (chmod(path_.c_str(), 0666) != 0) throw sys_error("chmod " + path_);
    struct stat st{};
    if (lstat(path_.c_str(), &st) != 0) throw sys_error("stat " + path_);
    inode_ = st.st_ino;
    if (listen(listen_fd_, 16) != 0) throw sys_error("listen " + path_);
    spdlog::info("serving API v{} on {}", api::kVersion, path_);
}

void Server::run(int wake_fd, const OnWake& on_wake) {
    for (;;) {
        std::vector<pollfd> fds{{wake_fd, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
        for (const auto& [fd, c] : connections_)
            fds.push_back({fd, static_cast<short>(c.out.empty() ? (c.closing ? 0 : POLLIN) : POLLOUT), 0});
        if (poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;  // the signal's byte is in wake_fd
            throw sys_error("poll");
        }
        if (fds[0].revents && !on_wake()) return;
        if (fds[1].revents & POLLIN) accept_one();
        for (std::size_t i = 2; i < fds.size(); ++i) {
            const auto it = connections_.find(fds[i].fd);
            if (it == connections_.end() || !fds[i].revents) continue;
            if (fds[i].revents & POLLOUT) {
                if (!on_writable(fds[i].fd, it->second)) drop(fds[i].fd);
            } else if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
                on_readable(fds[i].fd, it->second);
            }
        }
    }
}

void Server::accept_one() {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;  // the peer gave up already, or out of fds: poll tells us again
    if (connections_.size() >= kMaxConnections) {
        spdlog::warn("refusing a connection: {} already open", kMaxConnections);
        close(fd);
        return;
    }
    try {
        const Caller caller = caller_of_socket(fd);
        spdlog::debug("connection from uid {} pid {} as {}", caller.uid, caller.pid, to_string(caller.role));
        connections_.emplace(fd, Connection{caller, api::LineReader(), "", false});
    } catch (const std::system_error& e) {
        spdlog::warn("refusing a connection: {}", e.what());
        close(fd);
    }
}

void Server::on_readable(int fd, Connection& c) {
    char buf[kReadChunk];
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    if (n <= 0) {
        drop(fd);  // the peer closed (or reset); unanswered partial lines go with it
        return;
    }
    c.in.append(buf, static_cast<std::size_t>(n));
    answer_lines(c);
}

void Server::answer_lines(Connection& c) {
    if (!c.out.empty()) return;  // one answer in flight at a time
    if (auto line = c.in.next_line()) {
        c.out = answer_(*line, c.caller);
    } else if (c.in.too_large()) {
        spdlog::warn("uid {}: request line over {} bytes; closing the connection", c.caller.uid, api::kMaxLineBytes);
        c.out = api::encode_error(nullptr, api::ErrorCode::too_large,
                                  "request line over " + std::to_string(api::kMaxLineBytes) + " bytes");
        c.closing = true;
    }
}

bool Server::on_writable(int fd, Connection& c) {
    const ssize_t n = send(fd, c.out.data(), c.out.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EINTR;
    c.out.erase(0, static_cast<std::size_t>(n));
    if (!c.out.empty()) return true;
    if (c.closing) return false;
    answer_lines(c);  // requests that arrived while we were answering
    return true;
}

void Server::drop(int fd) {
    close(fd);
    connections_.erase(fd);
}

}  // namespace mplsec::daemon
