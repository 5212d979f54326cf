// mplsecd: keeps a card's tables equal to a configuration and serves the
// management API (mplsec/api_protocol.hpp) on a Unix socket.
// Loads and checks the file, opens the device it names (the virtual card
// when it names none), writes the tables with read-back, then serves;
// SIGHUP reloads the file, SIGTERM/SIGINT stop it and remove the socket.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>
#include <filesystem>
#include <cstdlib>
#include <iostream>

#include <boost/program_options.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "mplsec/api_protocol.hpp"
#include "mplsec/version.hpp"
#include "server.hpp"
#include "service.hpp"

namespace po = boost::program_options;

namespace {

struct Options {
    std::string config_path;
    std::string device_override;
    std::string socket_path;
    std::string state_dir = "/var/lib/mplsec";
    std::string log_level = "info";
    double card_check_seconds = 5;
    bool check = false;
};

// Signals only write their number into a pipe; the poll loop reads it, so
// reloads and shutdown happen between requests, never inside one.
int g_signal_pipe[2] = {-1, -1};

void on_signal(int sig) {
    const int saved = errno;
    const char byte = static_cast<char>(sig);
    [[maybe_unused]] const ssize_t n = write(g_signal_pipe[1], &byte, 1);
    errno = saved;
}

void install_signals() {
    if (pipe2(g_signal_pipe, O_CLOEXEC | O_NONBLOCK) != 0) throw std::runtime_error("pipe2 failed");
    struct sigaction sa{};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGHUP, SIGTERM, SIGINT}) sigaction(sig, &sa, nullptr);
    std::signal(SIGPIPE, SIG_IGN);  // a client that hangs up is an EPIPE, not a death
}

// The byte the card-check ticker writes into the signal pipe (no signal is 0).
constexpr char kCheckCard = 0;

// Wakes the poll loop every `seconds` to check the card, until stopped.
class CardCheckTicker {
public:
    explicit CardCheckTicker(double seconds) {
        if (seconds <= 0) return;
        thread_ = std::thread([this, seconds] {
            const auto period = std::chrono::duration<double>(seconds);
            std::unique_lock<std::mutex> lock(mutex_);
            while (!stop_.wait_for(lock, period, [this] { return stopping_; })) {
                [[maybe_unused]] const ssize_t n = write(g_signal_pipe[1], &kCheckCard, 1);
            }
        });
    }
    ~CardCheckTicker() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        stop_.notify_one();
        thread_.join();
    }

private:
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable stop_;
    bool stopping_ = false;
};

// Returns false when a stop signal arrived.
bool drain_signals(mplsec::daemon::Service& service) {
    char sig = 0;
    bool keep_running = true;
    while (read(g_signal_pipe[0], &sig, 1) == 1) {
        if (sig == kCheckCard) {
            try {
                service.check_card();
            } catch (const std::exception& e) {
                spdlog::error("card check: {}", e.what());
            }
            continue;
        }
        if (sig != SIGHUP) {
            spdlog::info("signal {}: stopping", static_cast<int>(sig));
            keep_running = false;
            continue;
        }
        try {
            service.reload();
        } catch (const std::exception& e) {
            spdlog::error("reload refused, the card keeps its tables: {}", e.what());
        }
    }
    return keep_running;
}

// 0 to go on, else the exit status.
int parse_options(int argc, char** argv, Options& opt, bool& done) {
    po::options_description options("usage: mplsecd --config CONFIG [options]\n\noptions");
    options.add_options()("help,h", "show this help")("version", "print the version")(
        "config", po::value(&opt.config_path), "configuration file (YAML or JSON)")(
        "device", po::value(&opt.device_override), "device to open, overriding the file's `device` (model, sim, xrt:N)")(
        "socket", po::value(&opt.socket_path),
        "management socket (default $MPLSEC_SOCKET, else /run/mplsec/mplsecd.sock)")(
        "state-dir", po::value(&opt.state_dir)->default_value(opt.state_dir),
        "where the running table image is kept, so a restart reconciles against it (\"\": nowhere)")(
        "foreground", "stay in the foreground, logging to stderr (the default; for systemd Type=simple)")(
        "card-check-interval", po::value(&opt.card_check_seconds)->default_value(opt.card_check_seconds),
        "seconds between checks that the card still holds mplsecd's tables (0: never)")(
        "log-level", po::value(&opt.log_level)->default_value("info"), "trace, debug, info, warn, error")(
        "check", "load and apply once, then exit (for scripts and tests)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "mplsecd: " << e.what() << "; see 'mplsecd --help'\n";
        return 2;
    }
    done = vm.count("help") || vm.count("version");
    if (vm.count("help")) std::cout << options << '\n';
    if (vm.count("version")) std::cout << "mplsecd " << mplsec::kVersion << '\n';
    if (done) return 0;
    if (opt.config_path.empty()) {
        std::cerr << "mplsecd: --config is required; see 'mplsecd --help'\n";
        return 2;
    }
    const auto level = spdlog::level::from_str(opt.log_level);
    if (level == spdlog::level::off && opt.log_level != "off") {
        std::cerr << "mplsecd: --log-level " << opt.log_level << ": not a level; see 'mplsecd --help'\n";
        return 2;
    }
    // Logs go to stderr (journald takes them from there under systemd);
    // stdout stays for --help and --version.
    spdlog::set_default_logger(spdlog::stderr_color_st("mplsecd"));
    spdlog::set_level(level);
    if (!(opt.card_check_seconds >= 0)) {
        std::cerr << "mplsecd: --card-check-interval " << opt.card_check_seconds << ": expected seconds, 0 for never\n";
        return 2;
    }
    opt.check = vm.count("check") > 0;
    if (opt.socket_path.empty()) {
        const char* env = std::getenv(mplsec::api::kSocketEnv);
        opt.socket_path = env && *env ? env : mplsec::api::kDefaultSocket;
    }
    return 0;
}

int serve(mplsec::daemon::Service& service, const std::string& socket_path, double card_check_seconds) {
    mplsec::daemon::Server server(socket_path, [&service](const std::string& line, const mplsec::daemon::Caller& caller) {
        return service.answer(line, caller);
    });
    try {
        install_signals();
        server.open();
        const CardCheckTicker ticker(card_check_seconds);
        server.run(g_signal_pipe[0], [&service] { return drain_signals(service); });
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        service.stop();
        return 1;
    }
    service.stop();
    spdlog::info("stopped");
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    bool done = false;
    if (const int status = parse_options(argc, argv, opt, done); status != 0 || done) return status;

    if (!opt.state_dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(opt.state_dir, ec);
        if (ec) spdlog::warn("state directory {}: {}", opt.state_dir, ec.message());
    }
    mplsec::daemon::Service service(opt.config_path, opt.device_override, opt.state_dir);
    try {
        service.start();
    } catch (const mplsec::config::ConfigError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return 1;
    }
    if (opt.check) {
        service.stop();
        return 0;
    }
    return serve(service, opt.socket_path, opt.card_check_seconds);
}
