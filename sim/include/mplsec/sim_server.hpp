// The virtual card's socket server (sim/src/sim_server.cpp): serves the
// sim_protocol.hpp transactions on a Unix stream socket for one
// VirtualCard, and moves frames between the card and its bound packet
// ports (packet_port.hpp). Single-threaded, one poll loop over the stop
// signals, the socket, its clients and the live ports: several clients may
// be connected, their requests are served one at a time in arrival order;
// frames arriving on a live port are run through the card as soon as the
// loop sees them, and what the card transmits leaves through the bound
// port at once.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mplsec/packet_port.hpp"

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

    // Binds packet ports, indexed by card port (null: unbound). Before serve().
    void bind_ports(std::vector<std::unique_ptr<PacketPort>> ports);
    const std::vector<std::unique_ptr<PacketPort>>& ports() const { return ports_; }

    // Serves until SIGTERM, SIGINT or SIGHUP (blocked here and taken through
    // a signalfd), then flushes the ports. Returns the signal number.
    // SIGUSR1 writes the ports' counters to stderr and serving goes on.
    int serve();

    // One line a bound port: what it took in and sent out.
    void report_ports(std::ostream& out) const;

private:
    struct Connection;
    bool on_readable(Connection& c);  // false: drop the connection
    bool handle(Connection& c, uint16_t opcode, const uint8_t* payload, uint32_t length);
    bool send_all(Connection& c, const std::vector<uint8_t>& bytes);
    bool send_error(Connection& c, uint32_t code, const std::string& message);
    // Runs the card until idle; frames of bound ports leave through them,
    // frames of unbound ports wait in unbound_ for the next port_run reply.
    void run_card();
    void receive_from(uint32_t port);
    std::pair<uint32_t, uint32_t> replay();  // {offered, transmitted}

    VirtualCard& card_;
    std::string path_;
    int listen_fd_ = -1;
    std::vector<std::unique_ptr<PacketPort>> ports_;
    std::vector<OutFrame> unbound_;
};

}  // namespace mplsec::sim
