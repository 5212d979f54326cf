// The `sim` backend (see sim_device.hpp).
#include "sim_device.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "mplsec/sim_protocol.hpp"

namespace mplsec::drivers {
namespace {

namespace proto = mplsec::sim::proto;
using proto::Opcode;

constexpr auto kStartTimeout = std::chrono::seconds(30);
constexpr auto kStopTimeout = std::chrono::seconds(5);

bool read_full(int fd, uint8_t* p, std::size_t n) {
    while (n > 0) {
        const ssize_t got = ::recv(fd, p, n, 0);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) return false;
        p += got;
        n -= static_cast<std::size_t>(got);
    }
    return true;
}

bool write_full(int fd, const uint8_t* p, std::size_t n) {
    while (n > 0) {
        const ssize_t put = ::send(fd, p, n, MSG_NOSIGNAL);
        if (put < 0 && errno == EINTR) continue;
        if (put <= 0) return false;
        p += put;
        n -= static_cast<std::size_t>(put);
    }
    return true;
}

int try_connect(const std::string& path) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.empty() || path.size() >= sizeof(addr.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        const int err = errno;
        ::close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

bool executable(const std::string& path) { return !path.empty() && ::access(path.c_str(), X_OK) == 0; }

// $MPLSEC_SIM_BIN, then beside this executable, then the build tree, then $PATH.
std::string find_sim_binary() {
    if (const char* env = std::getenv("MPLSEC_SIM_BIN"); env && *env) return env;
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        std::string dir(self, static_cast<std::size_t>(n));
        dir.erase(dir.rfind('/') + 1);
        if (executable(dir + "mplsec-sim")) return dir + "mplsec-sim";
    }
#ifdef MPLSEC_SIM_BUILD_BINARY
    if (executable(MPLSEC_SIM_BUILD_BINARY)) return MPLSEC_SIM_BUILD_BINARY;
#endif
    return "mplsec-sim";
}

}  // namespace

std::unique_ptr<SimDevice> SimDevice::attach(const std::string& socket_path) {
    std::unique_ptr<SimDevice> dev(new SimDevice());
    dev->connect(socket_path);
    return dev;
}

std::unique_ptr<SimDevice> SimDevice::spawn(const std::string& engine, const std::vector<std::string>& extra_args) {
    if (engine != "rtl" && engine != "model")
        throw DeviceError("sim: engine '" + engine + "' (expected rtl or model)");
    std::unique_ptr<SimDevice> dev(new SimDevice());
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/mplsec-sim-XXXXXX";
    if (!::mkdtemp(pattern.data())) throw DeviceError("sim: cannot make a directory for the card's socket: " + std::string(std::strerror(errno)));
    dev->temp_dir_ = pattern;
    const std::string socket_path = pattern + "/card.sock";
    if (socket_path.size() >= sizeof(sockaddr_un::sun_path)) throw DeviceError("sim: temporary socket path too long: " + socket_path);
    const std::string binary = find_sim_binary();
    // Everything the child needs is built before fork: only exec-safe calls after it.
    std::vector<std::string> args = {binary, "--socket", socket_path, "--engine", engine};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings = {"SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1"};
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=", 34) != 0) env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw DeviceError("sim: fork: " + std::string(std::strerror(errno)));
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);  // the card goes when its owner goes
        if (::getppid() != parent) ::_exit(127);
        ::dup2(STDERR_FILENO, STDOUT_FILENO);  // keep the owner's stdout clean (SystemC prints a banner)
        ::execvpe(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    dev->child_ = pid;
    dev->spawn_engine_ = engine;
    dev->spawn_args_ = extra_args;
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    for (;;) {
        const int fd = try_connect(socket_path);
        if (fd >= 0) {
            ::close(fd);
            break;
        }
        int status = 0;
        if (::waitpid(pid, &status, WNOHANG) == pid) {
            dev->child_ = -1;
            throw DeviceError("sim: " + binary + " exited before serving " + socket_path + " (status " +
                              std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) +
                              "; set MPLSEC_SIM_BIN or MPLSEC_SIM_SOCKET)");
        }
        if (std::chrono::steady_clock::now() > deadline)
            throw DeviceError("sim: " + binary + " did not serve " + socket_path + " within 30 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    dev->connect(socket_path);
    return dev;
}

SimDevice::~SimDevice() {
    if (fd_ >= 0) ::close(fd_);
    stop_child();
}

Identity SimDevice::reload(const std::string&) {
    if (child_ <= 0)
        throw DeviceError("sim: attached to the virtual card at '" + path_ +
                          "', which another process started; restart that mplsec-sim to reload it");
    std::unique_ptr<SimDevice> fresh = spawn(spawn_engine_, spawn_args_);
    take_card(*fresh);
    fresh.reset();  // stops the old card
    return check_identity();
}

void SimDevice::take_card(SimDevice& other) {
    std::swap(fd_, other.fd_);
    std::swap(path_, other.path_);
    std::swap(engine_, other.engine_);
    std::swap(ports_, other.ports_);
    std::swap(child_, other.child_);
    std::swap(temp_dir_, other.temp_dir_);
}

void SimDevice::stop_child() {
    if (child_ > 0) {
        ::kill(child_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
        int status = 0;
        while (::waitpid(child_, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > deadline) {
                ::kill(child_, SIGKILL);
                ::waitpid(child_, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        child_ = -1;
    }
    if (!temp_dir_.empty()) {
        ::unlink((temp_dir_ + "/card.sock").c_str());  // normally gone already: the card removes it
        ::rmdir(temp_dir_.c_str());
        temp_dir_.clear();
    }
}

void SimDevice::connect(const std::string& path) {
    path_ = path;
    fd_ = try_connect(path);
    if (fd_ < 0)
        throw DeviceError("sim: cannot connect to a virtual card at '" + path + "': " + std::strerror(errno) +
                          " (is mplsec-sim --socket " + path + " running?)");
    const std::vector<uint8_t> hello = proto::Message(static_cast<uint16_t>(Opcode::hello)).finish();
    const std::vector<uint8_t> reply = transact(hello, static_cast<uint16_t>(Opcode::hello));
    proto::Reader in(reply.data(), reply.size());
    try {
        const uint32_t version = in.u32();
        ports_ = in.u32();
        const std::size_t n = in.left();
        const uint8_t* name = in.take(n);
        engine_.assign(reinterpret_cast<const char*>(name), n);
        if (version != proto::kVersion) throw DeviceError("sim: card speaks protocol " + std::to_string(version));
    } catch (const proto::ProtocolError&) {
        lost("short hello reply");
    }
}

void SimDevice::lost(const std::string& what) const {
    throw DeviceError("sim: virtual card at '" + path_ + "': " + what);
}

std::vector<uint8_t> SimDevice::transact(const std::vector<uint8_t>& request, uint16_t opcode) const {
    if (fd_ < 0) lost("not connected");
    if (!write_full(fd_, request.data(), request.size())) lost(std::string("send failed: ") + std::strerror(errno));
    uint8_t head[proto::kHeaderBytes];
    if (!read_full(fd_, head, sizeof head)) lost("connection closed");
    const proto::Header h = proto::decode_header(head);
    if (h.magic != proto::kMagic || h.version != proto::kVersion) lost("reply is not an mplsec-sim message");
    if (h.length > proto::kMaxReplyPayload) lost("reply of " + std::to_string(h.length) + " bytes");
    std::vector<uint8_t> payload(h.length);
    if (!read_full(fd_, payload.data(), payload.size())) lost("connection closed in a reply");
    if (h.opcode == proto::kError) {
        if (payload.size() < 4) lost("short error reply");
        const auto code = static_cast<proto::ErrorCode>(proto::get_u32(payload.data()));
        throw DeviceError("sim: " + std::string(proto::error_name(code)) + ": " +
                          std::string(payload.begin() + 4, payload.end()));
    }
    if (h.opcode != (opcode | proto::kReply)) lost("reply to opcode " + std::to_string(h.opcode & 0x7fff));
    return payload;
}

uint32_t SimDevice::read32(uint32_t address) {
    const std::vector<uint8_t> req = proto::Message(static_cast<uint16_t>(Opcode::read32)).u32(address).finish();
    const std::vector<uint8_t> reply = transact(req, static_cast<uint16_t>(Opcode::read32));
    if (reply.size() != 4) lost("read32 reply of " + std::to_string(reply.size()) + " bytes");
    return proto::get_u32(reply.data());
}

void SimDevice::write32(uint32_t address, uint32_t value) {
    proto::Message m(static_cast<uint16_t>(Opcode::write32));
    transact(m.u32(address).u32(value).finish(), static_cast<uint16_t>(Opcode::write32));
}

void SimDevice::write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) {
    const uint32_t stride = regs::table_info(table).words;
    const uint32_t per_message = (proto::kMaxRequestPayload - 12) / (4 * stride);
    for (uint32_t done = 0; done < count || (count == 0 && done == 0);) {
        const uint32_t n = std::min(per_message, count - done);
        proto::Message m(static_cast<uint16_t>(Opcode::write_table));
        m.u32(static_cast<uint32_t>(table)).u32(first + done).u32(n).words(words + std::size_t{done} * stride,
                                                                           std::size_t{n} * stride);
        transact(m.finish(), static_cast<uint16_t>(Opcode::write_table));
        done += n;
        if (count == 0) break;
    }
}

void SimDevice::port_send(uint8_t port, const std::vector<uint8_t>& frame) {
    proto::Message m(static_cast<uint16_t>(Opcode::port_send));
    transact(m.u32(port).raw(frame.data(), frame.size()).finish(), static_cast<uint16_t>(Opcode::port_send));
}

SimDevice::Replay SimDevice::replay_ports() {
    const std::vector<uint8_t> req = proto::Message(static_cast<uint16_t>(Opcode::port_replay)).finish();
    const std::vector<uint8_t> reply = transact(req, static_cast<uint16_t>(Opcode::port_replay));
    Replay r;
    try {
        proto::Reader in(reply.data(), reply.size());
        r.offered = in.u32();
        r.transmitted = in.u32();
        in.expect_end();
    } catch (const proto::ProtocolError& e) {
        lost(std::string("malformed port_replay reply: ") + e.what());
    }
    return r;
}

std::vector<TxFrame> SimDevice::port_run() {
    const std::vector<uint8_t> req = proto::Message(static_cast<uint16_t>(Opcode::port_run)).finish();
    const std::vector<uint8_t> reply = transact(req, static_cast<uint16_t>(Opcode::port_run));
    std::vector<TxFrame> frames;
    try {
        proto::Reader in(reply.data(), reply.size());
        const uint32_t n = in.u32();
        for (uint32_t i = 0; i < n; ++i) {
            TxFrame f;
            f.port = static_cast<uint8_t>(in.u32());
            const uint32_t len = in.u32();
            const uint8_t* p = in.take(len);
            f.bytes.assign(p, p + len);
            frames.push_back(std::move(f));
        }
        in.expect_end();
    } catch (const proto::ProtocolError& e) {
        lost(std::string("malformed port_run reply: ") + e.what());
    }
    return frames;
}

SimDevice::Stats SimDevice::stats() const {
    const std::vector<uint8_t> req = proto::Message(static_cast<uint16_t>(Opcode::stats)).finish();
    const std::vector<uint8_t> reply = transact(req, static_cast<uint16_t>(Opcode::stats));
    if (reply.size() != 48) lost("stats reply of " + std::to_string(reply.size()) + " bytes");
    Stats s;
    s.in_beats = proto::get_u64(reply.data());
    s.cycles = proto::get_u64(reply.data() + 8);
    s.sim_time_ps = proto::get_u64(reply.data() + 16);
    s.mmio_reads = proto::get_u64(reply.data() + 24);
    s.mmio_writes = proto::get_u64(reply.data() + 32);
    s.dma_bytes = proto::get_u64(reply.data() + 40);
    return s;
}

uint64_t SimDevice::in_beats() const { return stats().in_beats; }
uint64_t SimDevice::cycles() const { return stats().cycles; }

std::unique_ptr<Device> open_sim_device(const std::string& spec) {
    if (spec.rfind("sim:", 0) == 0) {
        const std::string path = spec.substr(4);
        if (path.empty()) throw DeviceError("device '" + spec + "': sim: needs a socket path (sim:/path/to/socket)");
        return SimDevice::attach(path);
    }
    if (const char* env = std::getenv("MPLSEC_SIM_SOCKET"); env && *env) return SimDevice::attach(env);
    const char* engine = std::getenv("MPLSEC_SIM_ENGINE");
    std::vector<std::string> extra;
    if (const char* t = std::getenv("MPLSEC_SIM_PCIE_TIME"); t && *t) extra = {"--pcie-time", t};
    if (const char* r = std::getenv("MPLSEC_SIM_REGFILE"); r && *r) extra.insert(extra.end(), {"--regfile", r});
    return SimDevice::spawn(engine && *engine ? engine : "rtl", extra);
}

}  // namespace mplsec::drivers
