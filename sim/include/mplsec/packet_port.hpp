// Packet ports of the virtual card (sim/src/packet_port.cpp): what feeds a
// card port with frames and takes the frames the card transmits on it.
//
//   N=if:NAME          a live Linux interface (veth, TAP) through AF_PACKET
//   N=pcap:IN[,OUT]    frames of IN.pcap, offered when a client asks
//                      (port_replay); what the port transmits goes to OUT.pcap
//   N=pcap:,OUT        transmit only
//
// A live port sees frames as a MAC hands them to the datapath: Linux
// delivers them without FCS and may deliver fewer than 60 bytes, so a
// shorter frame is zero-padded to 60 as a real MAC pads it before the
// datapath sees it. A pcap port offers its frames exactly as recorded
// (runts included: they are test input).
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace mplsec::sim {

// A binding that cannot be made: bad spec, missing pcap, no such interface,
// no permission. The message is one line naming the port and the cause.
class PortError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct PortBinding {
    enum class Kind { pcap, interface };
    uint32_t port = 0;
    Kind kind = Kind::pcap;
    std::string interface;  // Kind::interface
    std::string in_pcap;    // Kind::pcap; empty: nothing to offer
    std::string out_pcap;   // Kind::pcap; empty: transmitted frames are discarded
};

// Parses "N=if:NAME" or "N=pcap:IN[,OUT]" (N a decimal port number).
// Throws PortError.
PortBinding parse_port_binding(const std::string& spec);

struct PortCounters {
    uint64_t rx_frames = 0;  // frames handed to the card
    uint64_t rx_bytes = 0;   // their bytes (after padding)
    uint64_t rx_padded = 0;  // frames shorter than 60 bytes that were padded
    uint64_t tx_frames = 0;  // frames the card transmitted that left the port
    uint64_t tx_bytes = 0;
    uint64_t tx_errors = 0;  // refused by the interface (over its MTU, link down, queue full)
};

// The shortest frame a MAC hands to the datapath (64 bytes on the wire less
// the FCS).
inline constexpr std::size_t kMinFrameBytes = 60;

class PacketPort {
public:
    virtual ~PacketPort() = default;

    // "if:veth0", "pcap:in.pcap,out.pcap": for messages and counters.
    virtual std::string describe() const = 0;

    // A descriptor that polls readable when receive() has frames; -1 when
    // the port has no live input.
    virtual int fd() const { return -1; }
    // Frames waiting now (never blocks; at most a bounded batch).
    virtual std::vector<std::vector<uint8_t>> receive() { return {}; }
    // The recorded input, offered once per call (pcap ports).
    virtual std::vector<std::vector<uint8_t>> replay() { return {}; }

    virtual void transmit(const std::vector<uint8_t>& frame) = 0;
    // Makes everything transmitted so far visible (writes OUT.pcap).
    virtual void flush() {}

    const PortCounters& counters() const { return counters_; }

protected:
    PortCounters counters_;
};

// Opens the binding; throws PortError.
std::unique_ptr<PacketPort> open_port(const PortBinding& binding);

}  // namespace mplsec::sim
