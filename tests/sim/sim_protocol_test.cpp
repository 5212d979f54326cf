// mplsec-sim as a process: its socket protocol under bad input, several
// clients in turn, clean exit on SIGTERM, and two cards side by side.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "mplsec/device.hpp"
#include "mplsec/regs.hpp"
#include "mplsec/sim_protocol.hpp"
#include "sim_device.hpp"

namespace {

namespace proto = mplsec::sim::proto;
namespace regs = mplsec::regs;
using mplsec::drivers::DeviceError;
using mplsec::drivers::SimDevice;

bool exists(const std::string& path) {
    struct stat st{};
    return ::lstat(path.c_str(), &st) == 0;
}

int connect_to(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return -1;
    }
    timeval tv{10, 0};  // a test never hangs on a silent server
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

// One mplsec-sim process on a socket of its own.
class SimProcess {
public:
    explicit SimProcess(const std::string& engine = "model") {
        char dir[] = "/tmp/mplsec-simtest-XXXXXX";
        if (!::mkdtemp(dir)) throw std::runtime_error("mkdtemp");
        dir_ = dir;
        path_ = dir_ + "/card.sock";
        pid_ = ::fork();
        if (pid_ == 0) {
            ::execl(MPLSEC_SIM_BINARY, MPLSEC_SIM_BINARY, "--socket", path_.c_str(), "--engine", engine.c_str(),
                    static_cast<char*>(nullptr));
            ::_exit(127);
        }
        for (int i = 0; i < 3000; ++i) {
            const int fd = connect_to(path_);
            if (fd >= 0) {
                ::close(fd);
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        throw std::runtime_error("mplsec-sim did not start");
    }
    ~SimProcess() {
        if (pid_ > 0) stop();
        ::unlink(path_.c_str());
        ::rmdir(dir_.c_str());
    }
    // SIGTERM; returns the exit status.
    int stop() {
        ::kill(pid_, SIGTERM);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        return status;
    }
    bool alive() const { return pid_ > 0 && ::kill(pid_, 0) == 0 && ::waitpid(pid_, nullptr, WNOHANG) == 0; }
    const std::string& path() const { return path_; }

private:
    std::string dir_, path_;
    pid_t pid_ = -1;
};

struct Reply {
    bool ok = false;  // a whole reply arrived
    proto::Header header;
    std::vector<uint8_t> payload;
    uint32_t error() const { return header.opcode == proto::kError && payload.size() >= 4 ? proto::get_u32(payload.data()) : 0; }
};

void send_bytes(int fd, const std::vector<uint8_t>& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

bool read_full(int fd, uint8_t* p, std::size_t n) {
    while (n) {
        const ssize_t got = ::recv(fd, p, n, 0);
        if (got <= 0) return false;
        p += got;
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

Reply read_reply(int fd) {
    Reply r;
    uint8_t head[proto::kHeaderBytes];
    if (!read_full(fd, head, sizeof head)) return r;
    r.header = proto::decode_header(head);
    if (r.header.length > (1u << 24)) return r;
    r.payload.resize(r.header.length);
    r.ok = read_full(fd, r.payload.data(), r.payload.size());
    return r;
}

// True once the server has closed this connection.
bool closed_by_server(int fd) {
    uint8_t byte;
    return ::recv(fd, &byte, 1, 0) == 0;
}

std::vector<uint8_t> header(uint32_t magic, uint16_t version, uint16_t opcode, uint32_t length) {
    std::vector<uint8_t> h;
    proto::put_u32(h, magic);
    proto::put_u16(h, version);
    proto::put_u16(h, opcode);
    proto::put_u32(h, length);
    return h;
}

std::vector<uint8_t> message(proto::Opcode op, std::vector<uint32_t> words = {}) {
    proto::Message m(static_cast<uint16_t>(op));
    for (uint32_t w : words) m.u32(w);
    return m.finish();
}

// A good client still gets its scratch register back.
void expect_card_answers(const std::string& path, uint32_t value) {
    auto dev = SimDevice::attach(path);
    dev->write32(regs::ctrl::kScratch, value);
    EXPECT_EQ(dev->read32(regs::ctrl::kScratch), value);
    EXPECT_EQ(dev->check_identity().num_ports, 2u);
}

class SimProtocol : public ::testing::Test {
protected:
    SimProcess sim;
};

TEST_F(SimProtocol, GoodRequestsAreAnswered) {
    const int fd = connect_to(sim.path());
    ASSERT_GE(fd, 0);
    send_bytes(fd, message(proto::Opcode::hello));
    Reply r = read_reply(fd);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.header.opcode, static_cast<uint16_t>(proto::Opcode::hello) | proto::kReply);
    ASSERT_GE(r.payload.size(), 8u);
    EXPECT_EQ(proto::get_u32(r.payload.data() + 4), 2u);
    send_bytes(fd, message(proto::Opcode::read32, {regs::ident::kClockKhz}));
    r = read_reply(fd);
    ASSERT_TRUE(r.ok && r.payload.size() == 4);
    EXPECT_EQ(proto::get_u32(r.payload.data()), 322266u);
    ::close(fd);
}

TEST_F(SimProtocol, ShortMessagesAndDisconnectsMidMessageAreSurvived) {
    for (std::size_t cut : {1u, 5u, 11u, 12u, 15u}) {
        const int fd = connect_to(sim.path());
        ASSERT_GE(fd, 0);
        std::vector<uint8_t> m = message(proto::Opcode::write32, {regs::ctrl::kScratch, 7});
        m.resize(cut);
        send_bytes(fd, m);
        ::close(fd);  // gone in the middle of the message
    }
    // A bulk table write cut off half-way.
    {
        const int fd = connect_to(sim.path());
        proto::Message m(static_cast<uint16_t>(proto::Opcode::write_table));
        m.u32(static_cast<uint32_t>(regs::TableId::ilm)).u32(0).u32(100000);
        std::vector<uint32_t> words(100000, 5);
        std::vector<uint8_t> bytes = m.words(words.data(), words.size()).finish();
        bytes.resize(bytes.size() / 2);
        send_bytes(fd, bytes);
        ::close(fd);
    }
    EXPECT_TRUE(sim.alive());
    expect_card_answers(sim.path(), 0x5a5a5a5a);
    // A client stalled in the middle of a message does not hold up the others.
    const int stalled = connect_to(sim.path());
    std::vector<uint8_t> part = message(proto::Opcode::read32, {regs::ctrl::kScratch});
    part.resize(7);
    send_bytes(stalled, part);
    expect_card_answers(sim.path(), 0x6b6b6b6b);
    ::close(stalled);
}

TEST_F(SimProtocol, PayloadTooShortOrTooLongForTheOpcodeIsAnError) {
    const int fd = connect_to(sim.path());
    proto::Message m(static_cast<uint16_t>(proto::Opcode::read32));
    send_bytes(fd, m.raw("\x01\x02", 2).finish());
    Reply r = read_reply(fd);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    send_bytes(fd, message(proto::Opcode::write32, {regs::ctrl::kScratch, 1, 2}));
    r = read_reply(fd);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    // Bulk write whose count does not match its words.
    send_bytes(fd, message(proto::Opcode::write_table, {static_cast<uint32_t>(regs::TableId::nexthop), 0, 3, 1, 2}));
    r = read_reply(fd);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    // port_replay takes no payload.
    send_bytes(fd, message(proto::Opcode::port_replay, {1}));
    r = read_reply(fd);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    // On a card with no bound ports it offers nothing.
    send_bytes(fd, message(proto::Opcode::port_replay));
    r = read_reply(fd);
    ASSERT_TRUE(r.ok && r.payload.size() == 8);
    EXPECT_EQ(proto::get_u32(r.payload.data()), 0u);
    // The connection is still usable.
    send_bytes(fd, message(proto::Opcode::read32, {regs::ident::kNumPorts}));
    r = read_reply(fd);
    ASSERT_TRUE(r.ok && r.payload.size() == 4);
    EXPECT_EQ(proto::get_u32(r.payload.data()), 2u);
    ::close(fd);
}

TEST_F(SimProtocol, UnknownOpcodeIsAnErrorAndTheConnectionGoesOn) {
    const int fd = connect_to(sim.path());
    std::vector<uint8_t> m = header(proto::kMagic, proto::kVersion, 0x1234, 3);
    m.insert(m.end(), {1, 2, 3});
    send_bytes(fd, m);
    Reply r = read_reply(fd);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.header.opcode, proto::kError);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::unknown_opcode));
    send_bytes(fd, message(proto::Opcode::hello));
    EXPECT_TRUE(read_reply(fd).ok);
    ::close(fd);
}

TEST_F(SimProtocol, GarbageIsAnsweredAndTheConnectionDropped) {
    for (const std::vector<uint8_t>& bad :
         {std::vector<uint8_t>{'G', 'E', 'T', ' ', '/', ' ', 'H', 'T', 'T', 'P', '/', '1', '.', '1', '\r', '\n'},
          header(proto::kMagic, 99, static_cast<uint16_t>(proto::Opcode::hello), 0)}) {
        const int fd = connect_to(sim.path());
        send_bytes(fd, bad);
        Reply r = read_reply(fd);
        ASSERT_TRUE(r.ok);
        EXPECT_EQ(r.header.opcode, proto::kError);
        EXPECT_TRUE(r.error() == static_cast<uint32_t>(proto::ErrorCode::bad_magic) ||
                    r.error() == static_cast<uint32_t>(proto::ErrorCode::bad_version));
        EXPECT_TRUE(closed_by_server(fd));
        ::close(fd);
    }
    // Random bytes.
    const int fd = connect_to(sim.path());
    std::vector<uint8_t> noise(4096);
    uint32_t x = 12345;
    for (uint8_t& b : noise) b = static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 16);
    ::send(fd, noise.data(), noise.size(), MSG_NOSIGNAL);
    ::close(fd);
    expect_card_answers(sim.path(), 1);
}

TEST_F(SimProtocol, A64MiBLengthIsRefusedWithoutReadingIt) {
    const int fd = connect_to(sim.path());
    send_bytes(fd, header(proto::kMagic, proto::kVersion, static_cast<uint16_t>(proto::Opcode::write_table), 64u << 20));
    Reply r = read_reply(fd);
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    EXPECT_TRUE(closed_by_server(fd));
    ::close(fd);
    // 0xffffffff too.
    const int fd2 = connect_to(sim.path());
    send_bytes(fd2, header(proto::kMagic, proto::kVersion, static_cast<uint16_t>(proto::Opcode::port_send), 0xffffffffu));
    EXPECT_EQ(read_reply(fd2).error(), static_cast<uint32_t>(proto::ErrorCode::bad_length));
    ::close(fd2);
    expect_card_answers(sim.path(), 2);
}

TEST_F(SimProtocol, OutOfRangeAddressesPortsTablesAndFramesAreErrors) {
    const int fd = connect_to(sim.path());
    auto expect_error = [&](const std::vector<uint8_t>& m, proto::ErrorCode code) {
        send_bytes(fd, m);
        const Reply r = read_reply(fd);
        ASSERT_TRUE(r.ok);
        EXPECT_EQ(r.error(), static_cast<uint32_t>(code));
    };
    expect_error(message(proto::Opcode::read32, {0x10000}), proto::ErrorCode::bad_address);
    expect_error(message(proto::Opcode::read32, {0xfffffffc}), proto::ErrorCode::bad_address);
    expect_error(message(proto::Opcode::read32, {0x102}), proto::ErrorCode::bad_address);
    expect_error(message(proto::Opcode::write32, {0x10000, 1}), proto::ErrorCode::bad_address);
    expect_error(message(proto::Opcode::write32, {0x3, 1}), proto::ErrorCode::bad_address);
    expect_error(message(proto::Opcode::write_table, {200, 0, 0}), proto::ErrorCode::bad_argument);
    expect_error(message(proto::Opcode::write_table, {static_cast<uint32_t>(regs::TableId::vrf), 256, 1, 0}),
                 proto::ErrorCode::table_range);
    expect_error(message(proto::Opcode::write_table, {static_cast<uint32_t>(regs::TableId::vrf), 0xffffffffu, 2, 0, 0}),
                 proto::ErrorCode::table_range);
    expect_error(message(proto::Opcode::port_send, {7, 0x01020304}), proto::ErrorCode::bad_argument);
    expect_error(message(proto::Opcode::port_send, {}), proto::ErrorCode::bad_length);
    std::vector<uint32_t> jumbo(1 + proto::kMaxFrameBytes / 4 + 1, 0);
    expect_error(message(proto::Opcode::port_send, jumbo), proto::ErrorCode::bad_argument);
    ::close(fd);
    expect_card_answers(sim.path(), 3);
}

TEST_F(SimProtocol, ClientsInTurnAndSideBySideShareOneCard) {
    {
        auto a = SimDevice::attach(sim.path());
        a->write32(regs::ctrl::kScratch, 11);
    }
    {
        auto b = SimDevice::attach(sim.path());
        EXPECT_EQ(b->read32(regs::ctrl::kScratch), 11u);
        auto c = SimDevice::attach(sim.path());  // two connected at once
        c->write32(regs::ctrl::kScratch, 12);
        EXPECT_EQ(b->read32(regs::ctrl::kScratch), 12u);
    }
}

TEST_F(SimProtocol, DeviceErrorsComeBackAsDeviceError) {
    auto dev = mplsec::drivers::open_device("sim:" + sim.path());
    EXPECT_THROW(dev->read32(0x10000), DeviceError);
    EXPECT_THROW(dev->port_send(5, std::vector<uint8_t>(60, 0)), DeviceError);
    EXPECT_EQ(dev->read32(regs::ident::kNumPorts), 2u);
}

TEST(SimProcessLifetime, SigtermExitsCleanlyAndRemovesTheSocket) {
    SimProcess sim;
    const std::string path = sim.path();
    const int idle = connect_to(path);  // a connected client does not hold it up
    ASSERT_TRUE(exists(path));
    const int status = sim.stop();
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    EXPECT_FALSE(exists(path));
    ::close(idle);
}

TEST(SimProcessLifetime, ASecondCardOnALiveSocketIsRefused) {
    SimProcess sim;
    const pid_t pid = ::fork();
    if (pid == 0) {
        ::execl(MPLSEC_SIM_BINARY, MPLSEC_SIM_BINARY, "--socket", sim.path().c_str(), "--engine", "model",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
    expect_card_answers(sim.path(), 4);
}

TEST(SimProcessLifetime, BadCommandLineIsExitStatus2) {
    for (std::vector<const char*> args : {std::vector<const char*>{"--engine", "rtl"},
                                          std::vector<const char*>{"--socket", "/tmp/x.sock", "--engine", "vhdl"},
                                          std::vector<const char*>{"--socket", "/tmp/x.sock", "--ports", "9"}}) {
        const pid_t pid = ::fork();
        if (pid == 0) {
            std::vector<char*> argv{const_cast<char*>(MPLSEC_SIM_BINARY)};
            for (const char* a : args) argv.push_back(const_cast<char*>(a));
            argv.push_back(nullptr);
            ::execv(MPLSEC_SIM_BINARY, argv.data());
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 2) << status;
    }
}

TEST(SimSideBySide, TwoCardsAreIndependent) {
    SimProcess r1("rtl"), r2("model");
    auto a = mplsec::drivers::open_device("sim:" + r1.path());
    auto b = mplsec::drivers::open_device("sim:" + r2.path());
    a->write32(regs::ctrl::kScratch, 0xaaaa);
    b->write32(regs::ctrl::kScratch, 0xbbbb);
    EXPECT_EQ(a->read32(regs::ctrl::kScratch), 0xaaaau);
    EXPECT_EQ(b->read32(regs::ctrl::kScratch), 0xbbbbu);
    const std::vector<uint32_t> nh = {0x11111111, 0x2222};
    a->write_entry(regs::TableId::nexthop, 9, nh);
    EXPECT_EQ(a->read_entry(regs::TableId::nexthop, 9), nh);
    EXPECT_NE(b->read_entry(regs::TableId::nexthop, 9), nh);
    // An ARP frame punted on one card only.
    std::vector<uint8_t> arp(60, 0);
    for (int i = 0; i < 6; ++i) arp[static_cast<std::size_t>(i)] = 0xff;
    arp[12] = 0x08;
    arp[13] = 0x06;
    a->port_send(0, arp);
    a->port_run();
    b->port_run();
    EXPECT_TRUE(a->pop_punt());
    EXPECT_FALSE(b->pop_punt());
}

TEST(SimSideBySide, PrivateCardsStartAndStopWithTheirDevice) {
    std::string path1, path2;
    {
        auto d1 = SimDevice::spawn("model");
        auto d2 = SimDevice::spawn("model");
        path1 = d1->socket_path();
        path2 = d2->socket_path();
        EXPECT_NE(path1, path2);
        EXPECT_TRUE(exists(path1) && exists(path2));
        d1->write32(regs::ctrl::kScratch, 1);
        d2->write32(regs::ctrl::kScratch, 2);
        EXPECT_EQ(d1->read32(regs::ctrl::kScratch), 1u);
        EXPECT_EQ(d2->read32(regs::ctrl::kScratch), 2u);
    }
    EXPECT_FALSE(exists(path1));
    EXPECT_FALSE(exists(path2));
}

TEST(SimOpen, NoCardAtThePathIsAClearError) {
    try {
        mplsec::drivers::open_device("sim:/nonexistent/card.sock");
        FAIL() << "expected DeviceError";
    } catch (const DeviceError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/card.sock"), std::string::npos) << e.what();
    }
}

}  // namespace
