// mplsec-sim: one virtual card as its own process.
//
//   mplsec-sim --socket PATH [--engine rtl|model] [--regfile sw|rtl] [--ports N] [--pcie-time on|off]
//
// Builds the SystemC card (virtual_card.hpp) around the chosen datapath
// engine — with the software register file (sw, the default) or, with
// --regfile rtl, the whole RTL card top (rtl/card: register file, queues and
// datapath; --engine rtl only) — and serves PCIe-like transactions (sim_protocol.hpp) on the Unix
// stream socket PATH until SIGTERM/SIGINT, then removes the socket. Run one
// process per router; each needs its own socket path.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <string>

#include "mplsec/sim_server.hpp"
#include "mplsec/virtual_card.hpp"

namespace {

int usage(const char* message) {
    if (message) std::cerr << "mplsec-sim: " << message << '\n';
    std::cerr << "usage: mplsec-sim --socket PATH [--engine rtl|model] [--regfile sw|rtl] [--ports N] "
                 "[--pcie-time on|off]\n";
    return 2;
}

}  // namespace

// SystemC's main() calls sc_main (declared extern "C" by SystemC).
extern "C" int sc_main(int argc, char* argv[]) {
    // Stop signals go to the server's signalfd; block them before SystemC
    // starts any thread so that no thread takes them with the default action.
    sigset_t stop;
    sigemptyset(&stop);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&stop, sig);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    std::string socket_path, engine = "rtl", regfile = "sw";
    unsigned long ports = 2;
    bool pcie_time = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") return usage(nullptr), 0;
        if (i + 1 >= argc) return usage(("option " + arg + " needs a value").c_str());
        const std::string value = argv[++i];
        if (arg == "--socket") {
            socket_path = value;
        } else if (arg == "--engine") {
            engine = value;
        } else if (arg == "--regfile") {
            regfile = value;
        } else if (arg == "--ports") {
            char* end = nullptr;
            ports = std::strtoul(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || ports < 1 || ports > 4) return usage("--ports takes 1 to 4");
        } else if (arg == "--pcie-time") {
            if (value != "on" && value != "off") return usage("--pcie-time takes on or off");
            pcie_time = value == "on";
        } else {
            return usage(("unknown option " + arg).c_str());
        }
    }
    if (socket_path.empty()) return usage("--socket is required");
    if (engine != "rtl" && engine != "model") return usage("--engine takes rtl or model");
    if (regfile != "sw" && regfile != "rtl") return usage("--regfile takes sw or rtl");
    if (regfile == "rtl" && engine != "rtl") return usage("--regfile rtl is the RTL card top: it needs --engine rtl");
    if (regfile == "rtl" && ports != mplsec::sim::CardModel::kNumPorts)
        return usage("--regfile rtl: the RTL card top has 2 ports");
    try {
        std::unique_ptr<mplsec::sim::CardModel> model =
            regfile == "rtl" ? mplsec::sim::make_rtl_register_card()
                             : mplsec::sim::make_software_card(engine == "rtl" ? mplsec::sim::make_rtl_engine()
                                                                                : mplsec::sim::make_model_engine());
        mplsec::sim::VirtualCard card(std::move(model), static_cast<uint32_t>(ports), pcie_time);
        mplsec::sim::SimServer server(card, socket_path);
        std::cerr << "mplsec-sim: " << engine << " card (" << regfile << " register file) with " << ports
                  << " ports on " << socket_path << '\n';
        const int sig = server.serve();
        std::cerr << "mplsec-sim: signal " << sig << ", stopping\n";
    } catch (const std::exception& e) {
        std::cerr << "mplsec-sim: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
