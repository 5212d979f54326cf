// Packet ports of the virtual card (see packet_port.hpp).
#include "mplsec/packet_port.hpp"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "mplsec/pcap_io.hpp"

namespace mplsec::sim {
namespace {

// Frames taken from one interface before the card runs: bounds the time
// one busy port can hold the serving loop.
constexpr std::size_t kReceiveBatch = 256;
// Large enough for any frame a Linux interface hands over (GSO is off on
// the topology's veths; a jumbo frame is 9600 bytes).
constexpr std::size_t kReceiveBuffer = 65536;
// Socket buffer for bursts that arrive while the card is busy.
constexpr int kSocketBufferBytes = 4 << 20;

[[noreturn]] void fail(uint32_t port, const std::string& what) {
    throw PortError("port " + std::to_string(port) + ": " + what);
}

// --- pcap ------------------------------------------------------------------

class PcapPort final : public PacketPort {
public:
    explicit PcapPort(const PortBinding& b) : binding_(b) {
        if (!b.in_pcap.empty()) {
            try {
                input_ = pcap::read_file(b.in_pcap);
            } catch (const pcap::PcapError& e) {
                fail(b.port, e.what());
            }
        }
        // An output that cannot be created is reported now, not at the end.
        if (!b.out_pcap.empty()) flush();
    }

    std::string describe() const override {
        return "pcap:" + binding_.in_pcap + (binding_.out_pcap.empty() ? "" : "," + binding_.out_pcap);
    }

    std::vector<std::vector<uint8_t>> replay() override {
        for (const auto& frame : input_) {
            ++counters_.rx_frames;
            counters_.rx_bytes += frame.size();
        }
        return input_;
    }

    void transmit(const std::vector<uint8_t>& frame) override {
        ++counters_.tx_frames;
        counters_.tx_bytes += frame.size();
        if (!binding_.out_pcap.empty()) output_.push_back(frame);
    }

    // Rewrites OUT through a temporary name, so a reader never sees half a file.
    void flush() override {
        if (binding_.out_pcap.empty()) return;
        const std::string tmp = binding_.out_pcap + ".tmp";
        try {
            pcap::write_file(tmp, output_);
        } catch (const pcap::PcapError& e) {
            fail(binding_.port, e.what());
        }
        if (std::rename(tmp.c_str(), binding_.out_pcap.c_str()) != 0)
            fail(binding_.port, binding_.out_pcap + ": " + std::strerror(errno));
    }

private:
    PortBinding binding_;
    std::vector<std::vector<uint8_t>> input_;
    std::vector<std::vector<uint8_t>> output_;
};

// --- live interface (AF_PACKET) --------------------------------------------

class InterfacePort final : public PacketPort {
public:
    explicit InterfacePort(const PortBinding& b) : binding_(b), buffer_(kReceiveBuffer) {
        ifindex_ = if_nametoindex(b.interface.c_str());
        if (ifindex_ == 0) fail(b.port, "no such interface '" + b.interface + "'");
        fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
        if (fd_ < 0) {
            if (errno == EPERM || errno == EACCES)
                fail(b.port, "interface '" + b.interface + "': no permission for a raw socket (needs root or CAP_NET_RAW)");
            fail(b.port, "interface '" + b.interface + "': socket: " + std::strerror(errno));
        }
        sockaddr_ll addr{};
        addr.sll_family = AF_PACKET;
        addr.sll_protocol = htons(ETH_P_ALL);
        addr.sll_ifindex = static_cast<int>(ifindex_);
        if (::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
            close_and_fail("bind: " + std::string(std::strerror(errno)));
        // The card takes every frame on its wire, whatever the destination MAC.
        packet_mreq promisc{};
        promisc.mr_ifindex = static_cast<int>(ifindex_);
        promisc.mr_type = PACKET_MR_PROMISC;
        if (::setsockopt(fd_, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &promisc, sizeof promisc) != 0)
            close_and_fail("promiscuous mode: " + std::string(std::strerror(errno)));
        // FORCE (root) lifts the rmem_max cap; without it the plain call is capped.
        if (::setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &kSocketBufferBytes, sizeof kSocketBufferBytes) != 0)
            ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &kSocketBufferBytes, sizeof kSocketBufferBytes);
    }
    ~InterfacePort() override {
        if (fd_ >= 0) ::close(fd_);
    }
    InterfacePort(const InterfacePort&) = delete;
    InterfacePort& operator=(const InterfacePort&) = delete;

    std::string describe() const override { return "if:" + binding_.interface; }
    int fd() const override { return fd_; }

    std::vector<std::vector<uint8_t>> receive() override {
        std::vector<std::vector<uint8_t>> frames;
        while (frames.size() < kReceiveBatch) {
            sockaddr_ll from{};
            socklen_t from_len = sizeof from;
            const ssize_t n = ::recvfrom(fd_, buffer_.data(), buffer_.size(), MSG_TRUNC,
                                         reinterpret_cast<sockaddr*>(&from), &from_len);
            if (n < 0) break;  // EAGAIN: nothing more now; ENETDOWN and the like: taken, try again at the next poll
            // What the card itself sent comes back as PACKET_OUTGOING; frames
            // queued before bind() may come from other interfaces.
            if (from.sll_pkttype == PACKET_OUTGOING || from.sll_ifindex != static_cast<int>(ifindex_)) continue;
            // A frame longer than the buffer is handed over cut short; the
            // datapath drops anything over 9600 bytes as bad_frame anyway.
            std::vector<uint8_t> frame(buffer_.begin(), buffer_.begin() + std::min<ssize_t>(n, ssize_t(buffer_.size())));
            if (frame.size() < kMinFrameBytes) {
                frame.resize(kMinFrameBytes, 0);
                ++counters_.rx_padded;
            }
            ++counters_.rx_frames;
            counters_.rx_bytes += frame.size();
            frames.push_back(std::move(frame));
        }
        return frames;
    }

    void transmit(const std::vector<uint8_t>& frame) override {
        if (::send(fd_, frame.data(), frame.size(), MSG_DONTWAIT) == static_cast<ssize_t>(frame.size())) {
            ++counters_.tx_frames;
            counters_.tx_bytes += frame.size();
        } else {
            ++counters_.tx_errors;  // a wire drops what it cannot carry; so does this port
        }
    }

private:
    [[noreturn]] void close_and_fail(const std::string& what) {
        ::close(fd_);
        fd_ = -1;
        fail(binding_.port, "interface '" + binding_.interface + "': " + what);
    }

    PortBinding binding_;
    unsigned ifindex_ = 0;
    int fd_ = -1;
    std::vector<uint8_t> buffer_;
};

}  // namespace

PortBinding parse_port_binding(const std::string& spec) {
    const auto bad = [&spec](const std::string& why) -> PortError {
        return PortError("--port '" + spec + "': " + why + " (expected N=if:NAME or N=pcap:IN[,OUT])");
    };
    const std::size_t eq = spec.find('=');
    if (eq == std::string::npos) throw bad("no '='");
    const std::string number = spec.substr(0, eq);
    if (number.empty() || number.size() > 2 || number.find_first_not_of("0123456789") != std::string::npos)
        throw bad("port '" + number + "' is not a port number");
    PortBinding b;
    b.port = static_cast<uint32_t>(std::stoul(number));
    const std::string target = spec.substr(eq + 1);
    if (target.rfind("if:", 0) == 0) {
        b.kind = PortBinding::Kind::interface;
        b.interface = target.substr(3);
        if (b.interface.empty()) throw bad("no interface name");
        if (b.interface.size() >= IFNAMSIZ)
            throw bad("interface name longer than " + std::to_string(IFNAMSIZ - 1) + " characters");
        return b;
    }
    if (target.rfind("pcap:", 0) == 0) {
        b.kind = PortBinding::Kind::pcap;
        const std::string files = target.substr(5);
        const std::size_t comma = files.find(',');
        b.in_pcap = files.substr(0, comma);
        if (comma != std::string::npos) b.out_pcap = files.substr(comma + 1);
        if (b.in_pcap.empty() && b.out_pcap.empty()) throw bad("no pcap file");
        if (b.out_pcap.find(',') != std::string::npos) throw bad("more than two pcap files");
        return b;
    }
    throw bad("unknown kind '" + target.substr(0, target.find(':')) + "'");
}

std::unique_ptr<PacketPort> open_port(const PortBinding& binding) {
    if (binding.kind == PortBinding::Kind::interface) return std::make_unique<InterfacePort>(binding);
    return std::make_unique<PcapPort>(binding);
}

}  // namespace mplsec::sim
