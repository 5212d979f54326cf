// mplsec-sim: one virtual card as its own process.
//
//   mplsec-sim --socket PATH [--engine rtl|model] [--regfile sw|rtl] [--ports N]
//              [--pcie-time on|off] [--port N=if:NAME | --port N=pcap:IN[,OUT]]... [--quiet]
//
// Builds the SystemC card (virtual_card.hpp) around the chosen datapath
// engine — with the software register file (sw, the default) or, with
// --regfile rtl, the whole RTL card top (rtl/card: register file, queues and
// datapath; --engine rtl only) — binds its packet ports (packet_port.hpp) and serves PCIe-like
// transactions (sim_protocol.hpp) on the Unix stream socket PATH until
// SIGTERM/SIGINT, then removes the socket. Run one process per router; each
// needs its own socket path.
#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sysc/kernel/sc_externs.h>

#include "mplsec/packet_port.hpp"
#include "mplsec/sim_server.hpp"
#include "mplsec/virtual_card.hpp"

namespace {

constexpr const char* kUsage =
    "usage: mplsec-sim --socket PATH [--engine rtl|model] [--regfile sw|rtl] [--ports N]\n"
    "                  [--pcie-time on|off] [--port N=if:NAME | --port N=pcap:IN[,OUT]]... [--quiet]\n";

constexpr const char* kHelp =
    "One virtual card (SystemC, 322.265625 MHz) serving the sim device protocol on PATH.\n"
    "\n"
    "  --socket PATH          Unix socket the host (mplsecd --device sim:PATH) attaches to\n"
    "  --engine rtl|model     datapath: Verilated RTL (default) or the HLS C-model\n"
    "  --regfile sw|rtl       register file: software (default) or the RTL card top (rtl/card,\n"
    "                         every register an AXI4-Lite transaction; --engine rtl, 2 ports)\n"
    "  --ports N              card ports, 1..4 (default 2)\n"
    "  --pcie-time on|off     annotate PCIe latency on register and DMA transactions (default on)\n"
    "  --port N=if:NAME       bind port N to a Linux interface (veth, TAP) through AF_PACKET:\n"
    "                         promiscuous, frames under 60 bytes padded to 60; needs CAP_NET_RAW\n"
    "  --quiet                print errors only\n"
    "  --port N=pcap:IN[,OUT] bind port N to pcap files: IN is offered on port_replay (mplsec\n"
    "                         sim run), what port N transmits is written to OUT\n"
    "\n"
    "Runs until SIGTERM, SIGINT or SIGHUP; SIGUSR1 prints the bound ports' counters on stderr.\n"
    "Exit status: 0 stopped by a signal, 1 failure,\n"
    "2 bad usage (options, port bindings, missing pcap or interface).\n";

int usage(const std::string& message) {
    std::cerr << "mplsec-sim: " << message << '\n' << kUsage;
    return 2;
}

struct Options {
    std::string socket_path;
    std::string engine = "rtl";
    std::string regfile = "sw";
    unsigned long ports = 2;
    bool pcie_time = true;
    bool quiet = false;
    std::vector<mplsec::sim::PortBinding> bindings;
};

// -1: go on; otherwise the exit status (help printed, or bad usage reported).
int parse_options(int argc, char* argv[], Options& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") return std::cout << kUsage << '\n' << kHelp, 0;
        if (arg == "--quiet") {
            o.quiet = true;
            continue;
        }
        if (i + 1 >= argc) return usage("option " + arg + " needs a value");
        const std::string value = argv[++i];
        if (arg == "--socket") {
            o.socket_path = value;
        } else if (arg == "--engine") {
            o.engine = value;
        } else if (arg == "--regfile") {
            o.regfile = value;
        } else if (arg == "--ports") {
            char* end = nullptr;
            o.ports = std::strtoul(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || o.ports < 1 || o.ports > 4) return usage("--ports takes 1 to 4");
        } else if (arg == "--pcie-time") {
            if (value != "on" && value != "off") return usage("--pcie-time takes on or off");
            o.pcie_time = value == "on";
        } else if (arg == "--port") {
            try {
                o.bindings.push_back(mplsec::sim::parse_port_binding(value));
            } catch (const mplsec::sim::PortError& e) {
                return usage(e.what());
            }
        } else {
            return usage("unknown option " + arg);
        }
    }
    if (o.socket_path.empty()) return usage("--socket is required");
    if (o.engine != "rtl" && o.engine != "model") return usage("--engine takes rtl or model");
    if (o.regfile != "sw" && o.regfile != "rtl") return usage("--regfile takes sw or rtl");
    if (o.regfile == "rtl" && o.engine != "rtl") return usage("--regfile rtl is the RTL card top: it needs --engine rtl");
    if (o.regfile == "rtl" && o.ports != mplsec::sim::CardModel::kNumPorts)
        return usage("--regfile rtl: the RTL card top has 2 ports");
    return -1;
}

// Opens every binding before the card is built: a wrong interface name is
// one line and status 2, not a half-started card. -1: all open.
int open_ports(const Options& o, std::vector<std::unique_ptr<mplsec::sim::PacketPort>>& bound) {
    bound.resize(o.ports);
    for (const mplsec::sim::PortBinding& b : o.bindings) {
        if (b.port >= o.ports)
            return usage("--port " + std::to_string(b.port) + ": the card has ports 0.." + std::to_string(o.ports - 1));
        if (bound[b.port]) return usage("--port " + std::to_string(b.port) + " is bound twice");
        try {
            bound[b.port] = mplsec::sim::open_port(b);
        } catch (const mplsec::sim::PortError& e) {
            std::cerr << "mplsec-sim: " << e.what() << '\n';
            return 2;
        }
    }
    return -1;
}

}  // namespace

// SystemC's own main() would print its banner before sc_main runs; errors
// must be one line, so the banner is off unless the caller set the variable.
int main(int argc, char* argv[]) {
    ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}

// Called by sc_elab_and_sim (declared extern "C" by SystemC).
extern "C" int sc_main(int argc, char* argv[]) {
    // Stop signals go to the server's signalfd; block them before SystemC
    // starts any thread so that no thread takes them with the default action.
    sigset_t stop;
    sigemptyset(&stop);
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGUSR1}) sigaddset(&stop, sig);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    Options o;
    if (const int status = parse_options(argc, argv, o); status >= 0) return status;
    std::vector<std::unique_ptr<mplsec::sim::PacketPort>> bound;
    if (const int status = open_ports(o, bound); status >= 0) return status;
    try {
        std::unique_ptr<mplsec::sim::CardModel> model =
            o.regfile == "rtl" ? mplsec::sim::make_rtl_register_card()
                               : mplsec::sim::make_software_card(o.engine == "rtl" ? mplsec::sim::make_rtl_engine()
                                                                                  : mplsec::sim::make_model_engine());
        mplsec::sim::VirtualCard card(std::move(model), static_cast<uint32_t>(o.ports), o.pcie_time);
        mplsec::sim::SimServer server(card, o.socket_path);
        server.bind_ports(std::move(bound));
        if (!o.quiet) {
            std::cerr << "mplsec-sim: " << o.engine << " card (" << o.regfile << " register file) with " << o.ports << " ports on " << o.socket_path << '\n';
            for (const mplsec::sim::PortBinding& b : o.bindings)
                std::cerr << "mplsec-sim: port " << b.port << " bound to " << server.ports()[b.port]->describe() << '\n';
        }
        const int sig = server.serve();
        if (!o.quiet) {
            std::cerr << "mplsec-sim: signal " << sig << ", stopping\n";
            server.report_ports(std::cerr);
        }
    } catch (const std::exception& e) {
        std::cerr << "mplsec-sim: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
