// Packet ports of the virtual card (sim/include/mplsec/packet_port.hpp):
// binding specs, bindings that cannot be made, pcap replay through a
// running mplsec-sim, and a live veth port (root only, in a private
// network namespace).
#include <gtest/gtest.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "mplsec/packet_port.hpp"
#include "mplsec/pcap_io.hpp"
#include "mplsec/regs.hpp"
#include "sim_device.hpp"

namespace {

using mplsec::sim::open_port;
using mplsec::sim::parse_port_binding;
using mplsec::sim::PortBinding;
using mplsec::sim::PortError;

std::string temp_dir() {
    char dir[] = "/tmp/mplsec-porttest-XXXXXX";
    if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp");
    return dir;
}

// An Ethernet frame of `length` bytes with `ethertype`, the rest zero.
std::vector<uint8_t> frame(std::size_t length, uint16_t ethertype, uint8_t fill = 0) {
    std::vector<uint8_t> f(length, fill);
    for (int i = 0; i < 6; ++i) f[static_cast<std::size_t>(i)] = 0xff;
    f[6] = 0x02;
    f[12] = static_cast<uint8_t>(ethertype >> 8);
    f[13] = static_cast<uint8_t>(ethertype);
    return f;
}

struct Exit {
    int status = -1;
    std::string err;
};

// Runs mplsec-sim with `args` to its end; the card never starts serving
// for these (the test is about refusing the command line).
Exit run_sim(const std::vector<std::string>& args) {
    int pipe_fds[2];
    if (::pipe(pipe_fds) != 0) throw std::runtime_error("pipe");
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(pipe_fds[1], STDERR_FILENO);
        const int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, STDOUT_FILENO);
        std::vector<char*> argv{const_cast<char*>(MPLSEC_SIM_BINARY)};
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(MPLSEC_SIM_BINARY, argv.data());
        ::_exit(127);
    }
    ::close(pipe_fds[1]);
    Exit e;
    char buf[512];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) e.err.append(buf, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    e.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return e;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(PortBindingSpec, GoodSpecsAreParsed) {
    PortBinding b = parse_port_binding("1=if:veth-pe1-p");
    EXPECT_EQ(b.port, 1u);
    EXPECT_EQ(b.kind, PortBinding::Kind::interface);
    EXPECT_EQ(b.interface, "veth-pe1-p");

    b = parse_port_binding("0=pcap:in.pcap,out.pcap");
    EXPECT_EQ(b.port, 0u);
    EXPECT_EQ(b.kind, PortBinding::Kind::pcap);
    EXPECT_EQ(b.in_pcap, "in.pcap");
    EXPECT_EQ(b.out_pcap, "out.pcap");

    b = parse_port_binding("3=pcap:/a/in.pcap");
    EXPECT_EQ(b.in_pcap, "/a/in.pcap");
    EXPECT_EQ(b.out_pcap, "");

    b = parse_port_binding("2=pcap:,out.pcap");
    EXPECT_EQ(b.in_pcap, "");
    EXPECT_EQ(b.out_pcap, "out.pcap");
}

TEST(PortBindingSpec, BadSpecsAreErrorsNamingTheSpec) {
    for (const std::string spec : {"", "0", "=if:eth0", "x=if:eth0", "-1=if:eth0", "123=if:eth0", "0=if:",
                                   "0=if:an-interface-name-too-long", "0=pcap:", "0=pcap:,", "0=pcap:a,b,c",
                                   "0=tap:tap0", "0=eth0", "0:if:eth0"}) {
        try {
            parse_port_binding(spec);
            ADD_FAILURE() << "'" << spec << "' was accepted";
        } catch (const PortError& e) {
            EXPECT_NE(std::string(e.what()).find("'" + spec + "'"), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
        }
    }
}

TEST(PortOpen, MissingOrBadPcapIsAnErrorNamingTheFile) {
    const std::string dir = temp_dir();
    try {
        open_port(parse_port_binding("0=pcap:" + dir + "/missing.pcap"));
        ADD_FAILURE() << "a missing pcap was accepted";
    } catch (const PortError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.pcap"), std::string::npos) << e.what();
    }
    std::ofstream(dir + "/junk.pcap") << "not a capture";
    EXPECT_THROW(open_port(parse_port_binding("0=pcap:" + dir + "/junk.pcap")), PortError);
    // An output in a directory that does not exist is refused at once, not at the end.
    EXPECT_THROW(open_port(parse_port_binding("0=pcap:," + dir + "/no/such/dir/out.pcap")), PortError);
    std::system(("rm -rf " + dir).c_str());
}

TEST(PortOpen, NonexistentInterfaceIsAnErrorNamingIt) {
    try {
        open_port(parse_port_binding("1=if:mplsec-nope0"));
        ADD_FAILURE() << "a missing interface was accepted";
    } catch (const PortError& e) {
        EXPECT_EQ(std::string(e.what()), "port 1: no such interface 'mplsec-nope0'");
    }
}

TEST(SimCommandLine, BadBindingsAreOneLineAndExitStatus2) {
    const std::string dir = temp_dir();
    const std::string sock = dir + "/card.sock";
    struct Case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<Case> cases = {
        {{"--port", "0=bogus"}, "--port '0=bogus'"},
        {{"--port", "0=pcap:" + dir + "/missing.pcap"}, "missing.pcap"},
        {{"--port", "1=if:mplsec-nope0"}, "no such interface 'mplsec-nope0'"},
        {{"--port", "2=if:lo"}, "the card has ports 0..1"},
        {{"--port", "0=pcap:," + dir + "/a.pcap", "--port", "0=pcap:," + dir + "/b.pcap"}, "bound twice"},
    };
    for (const Case& c : cases) {
        std::vector<std::string> args = {"--socket", sock, "--engine", "model"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        const Exit e = run_sim(args);
        EXPECT_EQ(e.status, 2) << c.says << ": " << e.err;
        EXPECT_EQ(first_line(e.err).rfind("mplsec-sim: ", 0), 0u) << e.err;
        EXPECT_NE(first_line(e.err).find(c.says), std::string::npos) << e.err;
    }
    // The card never started: no socket was left behind.
    EXPECT_NE(::access(sock.c_str(), F_OK), 0);
    const Exit help = run_sim({"--help"});
    EXPECT_EQ(help.status, 0);
    std::system(("rm -rf " + dir).c_str());
}

bool readable(int fd);

// Offers a recorded pcap through a running card; no tables are loaded, so
// an ARP frame is punted and a runt is dropped as recorded (pcap ports
// do not pad: runts are test input).
TEST(PcapPort, ReplayOffersTheRecordingAsIsAndWritesTheOutputs) {
    const std::string dir = temp_dir();
    const std::vector<mplsec::pcap::Frame> input = {frame(60, 0x0806), frame(42, 0x0806), frame(60, 0x0806)};
    mplsec::pcap::write_file(dir + "/in.pcap", input);
    {
        auto card = mplsec::drivers::SimDevice::spawn(
            "model", {"--port", "0=pcap:" + dir + "/in.pcap," + dir + "/out0.pcap", "--port", "1=pcap:," + dir + "/out1.pcap"});
        const auto replay = card->replay_ports();
        EXPECT_EQ(replay.offered, 3u);
        EXPECT_EQ(replay.transmitted, 0u);
        int punts = 0;
        while (auto punt = card->pop_punt()) {
            EXPECT_EQ(punt->port, 0);
            EXPECT_EQ(punt->bytes.size(), 60u);
            ++punts;
        }
        EXPECT_EQ(punts, 2);
        const auto bad = card->counter(mplsec::regs::CounterBank::reason,
                                       static_cast<uint32_t>(mplsec::regs::Reason::bad_frame));
        EXPECT_EQ(bad.packets, 1u);
        EXPECT_EQ(bad.bytes, 42u);
        // The outputs are whole captures once the replay has returned.
        EXPECT_TRUE(mplsec::pcap::read_file(dir + "/out0.pcap").empty());
        EXPECT_TRUE(mplsec::pcap::read_file(dir + "/out1.pcap").empty());
        // A client may still offer frames on a bound port; they run as any other.
        card->port_send(1, frame(60, 0x0806));
        EXPECT_TRUE(card->port_run().empty());
        EXPECT_TRUE(card->pop_punt());
    }
    std::system(("rm -rf " + dir).c_str());
}

// SIGUSR1 reports the bound ports' counters and the card serves on.
TEST(PcapPort, Sigusr1ReportsCountersAndTheCardGoesOn) {
    const std::string dir = temp_dir();
    mplsec::pcap::write_file(dir + "/in.pcap", {frame(60, 0x0806)});
    int err[2];
    ASSERT_EQ(::pipe(err), 0);
    const std::string sock = dir + "/card.sock", binding = "0=pcap:" + dir + "/in.pcap";
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::dup2(err[1], STDERR_FILENO);
        ::execl(MPLSEC_SIM_BINARY, MPLSEC_SIM_BINARY, "--socket", sock.c_str(), "--engine", "model", "--port",
                binding.c_str(), "--quiet", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::close(err[1]);
    std::unique_ptr<mplsec::drivers::SimDevice> card;
    for (int i = 0; i < 2000 && !card; ++i) {
        try {
            card = mplsec::drivers::SimDevice::attach(sock);
        } catch (const mplsec::drivers::DeviceError&) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));  // not serving yet
        }
    }
    ASSERT_TRUE(card) << "mplsec-sim did not serve " << sock;
    EXPECT_EQ(card->replay_ports().offered, 1u);
    ::kill(pid, SIGUSR1);
    std::string report;
    char buf[512];
    while (report.find('\n') == std::string::npos && readable(err[0])) {
        const ssize_t n = ::read(err[0], buf, sizeof buf);
        if (n <= 0) break;
        report.append(buf, static_cast<std::size_t>(n));
    }
    EXPECT_NE(report.find("port 0 (pcap:" + dir + "/in.pcap): rx 1 frames / 60 bytes"), std::string::npos) << report;
    EXPECT_EQ(card->read32(mplsec::regs::ident::kNumPorts), 2u);  // still serving
    card.reset();
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    ::close(err[0]);
    std::system(("rm -rf " + dir).c_str());
}

// --- a live port on a veth pair, in a network namespace of its own ---------

// Waits until `fd` is readable (at most 2 s).
bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 2000) > 0;
}

// Frames of our test ethertype that `port` delivers within 2 s.
std::vector<std::vector<uint8_t>> receive_test_frames(mplsec::sim::PacketPort& port, uint16_t ethertype) {
    std::vector<std::vector<uint8_t>> got;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (got.empty() && std::chrono::steady_clock::now() < deadline) {
        if (!readable(port.fd())) break;
        for (auto& f : port.receive())
            if (f.size() >= 14 && f[12] == (ethertype >> 8) && f[13] == (ethertype & 0xff)) got.push_back(std::move(f));
    }
    return got;
}

// Runs in a child that has its own network namespace; returns "" or what failed.
std::string veth_checks() {
    constexpr uint16_t kTestType = 0x88b5;  // IEEE local experimental
    std::ofstream("/proc/sys/net/ipv6/conf/default/disable_ipv6") << "1";
    if (std::system("ip link add pt0 type veth peer name pt1 && ip link set pt0 up && ip link set pt1 up") != 0)
        return "cannot make a veth pair";
    auto port = open_port(parse_port_binding("0=if:pt0"));
    const int peer = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = htons(ETH_P_ALL);
    addr.sll_ifindex = static_cast<int>(if_nametoindex("pt1"));
    if (peer < 0 || ::bind(peer, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "peer socket";

    // A 42-byte frame from the wire reaches the card padded to 60 with zeros.
    const std::vector<uint8_t> runt = frame(42, kTestType, 0xab);
    if (::send(peer, runt.data(), runt.size(), 0) != 42) return "send on pt1";
    auto got = receive_test_frames(*port, kTestType);
    if (got.size() != 1) return "expected 1 frame on pt0, got " + std::to_string(got.size());
    std::vector<uint8_t> padded = runt;
    padded.resize(60, 0);
    if (got[0] != padded) return "the runt was not padded to 60 with zeros";
    if (port->counters().rx_padded != 1) return "rx_padded is not 1";

    // What the card transmits leaves on the wire, and the card does not read it back.
    const std::vector<uint8_t> out = frame(100, kTestType, 0xcd);
    port->transmit(out);
    if (port->counters().tx_frames != 1) return "transmit was not counted";
    std::vector<uint8_t> buf(2048);
    bool seen = false;
    while (!seen && readable(peer)) {
        const ssize_t n = ::recv(peer, buf.data(), buf.size(), 0);
        seen = n == 100 && std::equal(out.begin(), out.end(), buf.begin());
    }
    if (!seen) return "the transmitted frame did not arrive on pt1";
    if (!receive_test_frames(*port, kTestType).empty()) return "the card read back its own transmission";
    return "";
}

TEST(InterfacePort, VethFramesArePaddedAndTransmissionsAreNotReadBack) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for a network namespace and raw sockets";
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::close(pipe_fds[0]);
        std::string failure = ::unshare(CLONE_NEWNET) == 0 ? "" : "unshare(CLONE_NEWNET) failed";
        if (failure.empty()) {
            try {
                failure = veth_checks();
            } catch (const std::exception& e) {
                failure = e.what();
            }
        }
        if (failure == "unshare(CLONE_NEWNET) failed") failure = "SKIP " + failure;
        [[maybe_unused]] const ssize_t n = ::write(pipe_fds[1], failure.data(), failure.size());
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    std::string failure;
    char buf[256];
    for (ssize_t n; (n = ::read(pipe_fds[0], buf, sizeof buf)) > 0;) failure.append(buf, static_cast<std::size_t>(n));
    ::close(pipe_fds[0]);
    ::waitpid(pid, nullptr, 0);
    if (failure.rfind("SKIP ", 0) == 0) GTEST_SKIP() << failure.substr(5);
    EXPECT_EQ(failure, "");
}

}  // namespace
