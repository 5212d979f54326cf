// The virtual card's socket server (sim/src/sim_server.cpp): serves the
// sim_protocol.hpp transactions on a Unix stream socket for one
// VirtualCard. Single-threaded: several clients may be connected, their
// requests are served one at a time in arrival order.
#pragma once

#include <cstdint>
#include <string>

#include "mplsec/virtual_card.hpp"

namespace mplsec::sim {

class SimServer {
public:
    // Binds `socket_path` (a stale socket file is replaced; a live server
    // on it is an error). Throws std::runtime_error on failure.
    SimServer(VirtualCard& card, std::string socket_path);
    ~SimServer();  // closes every connection and removes the socket file
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    // Serves until SIGTERM, SIGINT or SIGHUP (blocked here and taken through
    // a signalfd). Returns the signal number.
    int serve();

private:
    struct Connection;
    bool on_readable(Connection& c);  // false: drop the connection
    bool handle(Connection& c, uint16_t opcode, const uint8_t* payload, uint32_t length);
    bool send_all(Connection& c, const std::vector<uint8_t>& bytes);
    bool send_error(Connection& c, uint32_t code, const std::string& message);

    VirtualCard& card_;
    std::string path_;
    int listen_fd_ = -1;
};

}  // namespace mplsec::sim
