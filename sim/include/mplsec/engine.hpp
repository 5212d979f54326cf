// The datapath engine: one implementation of docs/datapath.md that a
// virtual card drives. Two exist: the HLS C-model (hls/) and the Verilated
// RTL (rtl/). Both see the same table writes and the same frames and must
// produce the same output, which is what the differential tests check.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "mplsec/regs.hpp"

namespace mplsec::sim {

// A frame as it leaves the datapath: on an Ethernet port, or to the host.
struct OutFrame {
    bool punt = false;         // true: went to the host punt queue
    uint8_t port = 0;          // output port, or ingress port of a punt
    regs::Reason reason = regs::Reason::punt_control;  // punts only
    std::vector<uint8_t> bytes;
};

struct CounterValue {
    uint64_t packets = 0;
    uint64_t bytes = 0;
};

class Engine {
public:
    virtual ~Engine() = default;

    virtual std::string name() const = 0;

    // ident.FEATURES bits (regs::kFeature*): what this datapath implements.
    // An engine without the ESP stage has no SA tables.
    virtual uint32_t features() const {
        return 1u << regs::kFeatureMpls | 1u << regs::kFeatureVrfIpv4 | 1u << regs::kFeatureVrfIpv6;
    }

    // Table access, entry words as regs::<Table>Entry::pack() lays them out.
    virtual void write_table(regs::TableId table, uint32_t index, const uint32_t* words) = 0;
    virtual void read_table(regs::TableId table, uint32_t index, uint32_t* words) = 0;

    // Punt policer settings for one punt reason (regs::punt block semantics).
    virtual void set_policer(regs::Reason reason, uint32_t rate, uint32_t burst) = 0;

    // Offers frames on an ingress port, back to back; run() processes them.
    virtual void send(uint8_t port, const std::vector<uint8_t>& frame) = 0;

    // Processes every frame sent so far until the datapath is idle and
    // returns what left it, in order of departure.
    virtual std::vector<OutFrame> run() = 0;

    virtual CounterValue counter(regs::CounterBank bank, uint32_t index) = 0;

    // CONTROL.counter_clear: every counter of every bank (port_rx, port_tx,
    // reason, nhlfe, route and the four SA banks) reads zero afterwards.
    // Counters only: SA state (next sequence number, replay window,
    // lifetimes), tables and policers are untouched. A datapath without
    // the clear throws.
    virtual void clear_counters() {
        throw std::runtime_error("counter clear is not supported by this datapath (" + name() + ")");
    }

    // Events the datapath raised since the last call (SA lifetimes,
    // sequence exhaustion), oldest first, as EVT_HEAD words: code << 24 |
    // index. The register file queues them for the host.
    virtual std::vector<uint32_t> take_events() { return {}; }

    // Beats offered and cycles from the first beat in to the last beat out
    // over every run() so far (0 cycles where the engine has no clock).
    virtual uint64_t in_beats() const = 0;
    virtual uint64_t cycles() const = 0;
};

std::unique_ptr<Engine> make_model_engine();
std::unique_ptr<Engine> make_rtl_engine();  // throws if built without Verilator

}  // namespace mplsec::sim
