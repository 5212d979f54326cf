// Socket server of the virtual card (see sim_server.hpp, sim_protocol.hpp).
#include "mplsec/sim_server.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <vector>

#include "mplsec/regs.hpp"
#include "mplsec/sim_protocol.hpp"

namespace mplsec::sim {
namespace {

using proto::ErrorCode;
using proto::Opcode;

constexpr int kSendTimeoutMs = 10'000;  // a client that stops reading its replies is dropped
constexpr std::size_t kReadChunk = 256 * 1024;
// Frames of unbound ports held for the next port_run reply.
constexpr std::size_t kMaxHeldFrames = 1 << 16;

std::runtime_error sys_error(const std::string& what) {
    return std::runtime_error(what + ": " + std::strerror(errno));
}

sockaddr_un make_address(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(addr.sun_path))
        throw std::runtime_error("socket path '" + path + "' is empty or longer than " +
                                 std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    return addr;
}

}  // namespace

struct SimServer::Connection {
    int fd = -1;
    std::vector<uint8_t> rx;
    ~Connection() {
        if (fd >= 0) ::close(fd);
    }
};

SimServer::SimServer(VirtualCard& card, std::string socket_path) : card_(card), path_(std::move(socket_path)) {
    const sockaddr_un addr = make_address(path_);
    struct stat st{};
    if (::lstat(path_.c_str(), &st) == 0) {
        if (!S_ISSOCK(st.st_mode)) throw std::runtime_error("'" + path_ + "' exists and is not a socket");
        // A live server answers a connect; a stale socket file does not.
        const int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        const bool live = probe >= 0 && ::connect(probe, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
        if (probe >= 0) ::close(probe);
        if (live) throw std::runtime_error("another virtual card is serving '" + path_ + "'");
        ::unlink(path_.c_str());
    }
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (listen_fd_ < 0) throw sys_error("socket");
    if (::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const auto err = sys_error("bind " + path_);
        ::close(listen_fd_);
        throw err;
    }
    if (::listen(listen_fd_, 16) != 0) {
        const auto err = sys_error("listen " + path_);
        ::close(listen_fd_);
        ::unlink(path_.c_str());
        throw err;
    }
}

SimServer::~SimServer() {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    ::unlink(path_.c_str());
}

int SimServer::serve() {
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigaddset(&mask, SIGHUP);
    sigaddset(&mask, SIGUSR1);
    if (::sigprocmask(SIG_BLOCK, &mask, nullptr) != 0) throw sys_error("sigprocmask");
    const int sig_fd = ::signalfd(-1, &mask, SFD_CLOEXEC);
    if (sig_fd < 0) throw sys_error("signalfd");
    std::vector<std::unique_ptr<Connection>> connections;
    for (;;) {
        std::vector<pollfd> fds;
        fds.push_back({sig_fd, POLLIN, 0});
        fds.push_back({listen_fd_, POLLIN, 0});
        for (const auto& c : connections) fds.push_back({c->fd, POLLIN, 0});
        std::vector<uint32_t> live_ports;  // card port of fds[first_port + i]
        const std::size_t first_port = fds.size();
        for (uint32_t p = 0; p < ports_.size(); ++p) {
            if (!ports_[p] || ports_[p]->fd() < 0) continue;
            fds.push_back({ports_[p]->fd(), POLLIN, 0});
            live_ports.push_back(p);
        }
        if (::poll(fds.data(), fds.size(), -1) < 0) {
            if (errno == EINTR) continue;
            ::close(sig_fd);
            throw sys_error("poll");
        }
        if (fds[0].revents & POLLIN) {
            signalfd_siginfo info{};
            const ssize_t n = ::read(sig_fd, &info, sizeof info);
            if (n == sizeof info && info.ssi_signo == SIGUSR1) {
                report_ports(std::cerr);
                continue;
            }
            ::close(sig_fd);
            for (const auto& port : ports_)
                if (port) port->flush();
            return n == sizeof info ? static_cast<int>(info.ssi_signo) : SIGTERM;
        }
        // Frames on the wire first: they do not wait for table loads.
        bool received = false;
        for (std::size_t i = 0; i < live_ports.size(); ++i) {
            // POLLERR too: reading takes a pending socket error (link went
            // down), which poll would otherwise report again at once, forever.
            if (!(fds[first_port + i].revents & (POLLIN | POLLERR))) continue;
            receive_from(live_ports[i]);
            received = true;
        }
        if (received) run_card();
        // Serve the connections that were polled before accepting new ones.
        std::vector<bool> drop(connections.size(), false);
        for (std::size_t i = 0; i < connections.size(); ++i)
            if (fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR)) drop[i] = !on_readable(*connections[i]);
        for (std::size_t i = connections.size(); i-- > 0;)
            if (drop[i]) connections.erase(connections.begin() + static_cast<std::ptrdiff_t>(i));
        // A reply the host injected (punt block) leaves without waiting for traffic.
        if (card_.injections_pending()) run_card();
        if (fds[1].revents & POLLIN) {
            const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
            if (fd >= 0) {
                auto c = std::make_unique<Connection>();
                c->fd = fd;
                connections.push_back(std::move(c));
            }
        }
    }
}

void SimServer::report_ports(std::ostream& out) const {
    for (std::size_t p = 0; p < ports_.size(); ++p) {
        if (!ports_[p]) continue;
        const PortCounters& c = ports_[p]->counters();
        out << "mplsec-sim: port " << p << " (" << ports_[p]->describe() << "): rx " << c.rx_frames << " frames / "
            << c.rx_bytes << " bytes (" << c.rx_padded << " padded to 60), tx " << c.tx_frames << " frames / "
            << c.tx_bytes << " bytes, " << c.tx_errors << " tx errors\n";
    }
    out.flush();
}

void SimServer::bind_ports(std::vector<std::unique_ptr<PacketPort>> ports) {
    if (ports.size() > card_.ports())
        throw std::invalid_argument(std::to_string(ports.size()) + " port bindings for a card with " +
                                    std::to_string(card_.ports()) + " ports");
    ports_ = std::move(ports);
}

void SimServer::run_card() {
    for (OutFrame& frame : card_.run()) {
        if (frame.port < ports_.size() && ports_[frame.port])
            ports_[frame.port]->transmit(frame.bytes);
        else if (unbound_.size() < kMaxHeldFrames)
            unbound_.push_back(std::move(frame));
        // else: no client collects this port's output; a live card must not grow without bound.
    }
}

void SimServer::receive_from(uint32_t port) {
    for (const std::vector<uint8_t>& frame : ports_[port]->receive()) card_.port_send(port, frame);
}

std::pair<uint32_t, uint32_t> SimServer::replay() {
    uint32_t offered = 0;
    for (uint32_t p = 0; p < ports_.size(); ++p) {
        if (!ports_[p]) continue;
        for (const std::vector<uint8_t>& frame : ports_[p]->replay()) {
            card_.port_send(p, frame);
            ++offered;
        }
    }
    uint64_t before = 0;
    for (const auto& port : ports_)
        if (port) before += port->counters().tx_frames;
    run_card();
    uint64_t after = 0;
    for (const auto& port : ports_)
        if (port) {
            after += port->counters().tx_frames;
            port->flush();
        }
    return {offered, static_cast<uint32_t>(after - before)};
}

bool SimServer::on_readable(Connection& c) {
    const std::size_t old = c.rx.size();
    c.rx.resize(old + kReadChunk);
    const ssize_t n = ::recv(c.fd, c.rx.data() + old, kReadChunk, 0);
    if (n < 0) {
        c.rx.resize(old);
        return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    }
    c.rx.resize(old + static_cast<std::size_t>(n));
    if (n == 0) return false;  // closed, possibly in the middle of a message: nothing to answer
    std::size_t pos = 0;
    bool keep = true;
    while (keep && c.rx.size() - pos >= proto::kHeaderBytes) {
        const proto::Header h = proto::decode_header(c.rx.data() + pos);
        // A header that cannot be trusted leaves no way to find the next message.
        if (h.magic != proto::kMagic)
            return send_error(c, static_cast<uint32_t>(ErrorCode::bad_magic), "bad magic: not an mplsec-sim message"), false;
        if (h.version != proto::kVersion)
            return send_error(c, static_cast<uint32_t>(ErrorCode::bad_version),
                              "protocol version " + std::to_string(h.version) + ", this card speaks " +
                                  std::to_string(proto::kVersion)),
                   false;
        if (h.length > proto::kMaxRequestPayload)
            return send_error(c, static_cast<uint32_t>(ErrorCode::bad_length),
                              "payload of " + std::to_string(h.length) + " bytes, at most " +
                                  std::to_string(proto::kMaxRequestPayload) + " allowed"),
                   false;
        if (c.rx.size() - pos - proto::kHeaderBytes < h.length) {
            c.rx.reserve(pos + proto::kHeaderBytes + h.length);
            break;
        }
        keep = handle(c, h.opcode, c.rx.data() + pos + proto::kHeaderBytes, h.length);
        pos += proto::kHeaderBytes + h.length;
    }
    c.rx.erase(c.rx.begin(), c.rx.begin() + static_cast<std::ptrdiff_t>(pos));
    return keep;
}

bool SimServer::handle(Connection& c, uint16_t opcode, const uint8_t* payload, uint32_t length) {
    proto::Reader in(payload, length);
    proto::Message reply(static_cast<uint16_t>(opcode | proto::kReply));
    try {
        switch (static_cast<Opcode>(opcode)) {
            case Opcode::hello: {
                in.expect_end();
                const std::string engine = card_.engine_name();
                reply.u32(proto::kVersion).u32(card_.ports()).raw(engine.data(), engine.size());
                break;
            }
            case Opcode::read32: {
                const uint32_t address = in.u32();
                in.expect_end();
                uint32_t value = 0;
                if (!card_.read32(address, value))
                    throw proto::ProtocolError(ErrorCode::bad_address, "read32: address " + std::to_string(address) +
                                                                           " is not a register of the 64 KiB space");
                reply.u32(value);
                break;
            }
            case Opcode::write32: {
                const uint32_t address = in.u32();
                const uint32_t value = in.u32();
                in.expect_end();
                if (!card_.write32(address, value))
                    throw proto::ProtocolError(ErrorCode::bad_address, "write32: address " + std::to_string(address) +
                                                                           " is not a register of the 64 KiB space");
                break;
            }
            case Opcode::write_table: {
                const uint32_t table = in.u32();
                const uint32_t first = in.u32();
                const uint32_t count = in.u32();
                if (table >= regs::kTables.size())
                    throw proto::ProtocolError(ErrorCode::bad_argument, "write_table: no table " + std::to_string(table));
                const uint64_t words = uint64_t{count} * regs::kTables[table].words;
                if (words * 4 != in.left())
                    throw proto::ProtocolError(ErrorCode::bad_length,
                                               "write_table: " + std::to_string(count) + " entries of table " +
                                                   regs::kTables[table].name + " take " + std::to_string(words * 4) +
                                                   " bytes, the payload holds " + std::to_string(in.left()));
                std::vector<uint32_t> packed(words);
                const uint8_t* p = in.take(words * 4);
                for (uint64_t w = 0; w < words; ++w) packed[w] = proto::get_u32(p + 4 * w);
                card_.write_table(table, first, count, packed.data());
                reply.u32(count);
                break;
            }
            case Opcode::port_send: {
                const uint32_t port = in.u32();
                if (port >= card_.ports())
                    throw proto::ProtocolError(ErrorCode::bad_argument, "port_send: no port " + std::to_string(port) +
                                                                            " (the card has " +
                                                                            std::to_string(card_.ports()) + ")");
                if (in.left() > proto::kMaxFrameBytes)
                    throw proto::ProtocolError(ErrorCode::bad_argument, "port_send: frame of " +
                                                                            std::to_string(in.left()) + " bytes, at most " +
                                                                            std::to_string(proto::kMaxFrameBytes));
                const std::size_t n = in.left();
                const uint8_t* p = in.take(n);
                card_.port_send(port, std::vector<uint8_t>(p, p + n));
                break;
            }
            case Opcode::port_run: {
                in.expect_end();
                run_card();
                const std::vector<OutFrame> frames = std::move(unbound_);
                unbound_.clear();
                reply.u32(static_cast<uint32_t>(frames.size()));
                for (const OutFrame& f : frames)
                    reply.u32(f.port).u32(static_cast<uint32_t>(f.bytes.size())).raw(f.bytes.data(), f.bytes.size());
                break;
            }
            case Opcode::stats: {
                in.expect_end();
                const CardStats s = card_.stats();
                reply.u64(s.in_beats).u64(s.cycles).u64(s.sim_time_ps).u64(s.mmio_reads).u64(s.mmio_writes).u64(
                    s.dma_bytes);
                break;
            }
            case Opcode::port_replay: {
                in.expect_end();
                const auto [offered, transmitted] = replay();
                reply.u32(offered).u32(transmitted);
                break;
            }
            default:
                throw proto::ProtocolError(ErrorCode::unknown_opcode, "unknown opcode " + std::to_string(opcode));
        }
    } catch (const proto::ProtocolError& e) {
        return send_error(c, static_cast<uint32_t>(e.code()), e.what());
    } catch (const std::out_of_range& e) {
        return send_error(c, static_cast<uint32_t>(ErrorCode::table_range), e.what());
    } catch (const std::invalid_argument& e) {
        return send_error(c, static_cast<uint32_t>(ErrorCode::bad_argument), e.what());
    } catch (const std::exception& e) {
        return send_error(c, static_cast<uint32_t>(ErrorCode::internal), e.what());
    }
    return send_all(c, reply.finish());
}

bool SimServer::send_error(Connection& c, uint32_t code, const std::string& message) {
    proto::Message reply(proto::kError);
    reply.u32(code).raw(message.data(), message.size());
    return send_all(c, reply.finish());
}

bool SimServer::send_all(Connection& c, const std::vector<uint8_t>& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::send(c.fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
        if (n > 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            pollfd p{c.fd, POLLOUT, 0};
            if (::poll(&p, 1, kSendTimeoutMs) > 0) continue;
        }
        return false;
    }
    return true;
}

}  // namespace mplsec::sim
