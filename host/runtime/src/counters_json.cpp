#include "mplsec/counters_json.hpp"

namespace mplsec::runtime {

nlohmann::json port_counters(drivers::Device& device, uint32_t port) {
    const drivers::Counter rx = device.counter(regs::CounterBank::port_rx, port);
    const drivers::Counter tx = device.counter(regs::CounterBank::port_tx, port);
    return {{"rx_packets", rx.packets}, {"rx_bytes", rx.bytes}, {"tx_packets", tx.packets}, {"tx_bytes", tx.bytes}};
}

const char* event_name(regs::EventCode code) {
    switch (code) {
        case regs::EventCode::sa_soft_lifetime: return "sa_soft_lifetime";
        case regs::EventCode::sa_hard_lifetime: return "sa_hard_lifetime";
        case regs::EventCode::sa_seq_exhausted: return "sa_seq_exhausted";
    }
    return "unknown";
}

nlohmann::json sa_counters(drivers::Device& device, uint32_t index) {
    const drivers::Counter sa = device.counter(regs::CounterBank::sa, index);
    return {{"packets", sa.packets},
            {"bytes", sa.bytes},
            {"auth_failures", device.counter(regs::CounterBank::sa_auth_failed, index).packets},
            {"replay_drops", device.counter(regs::CounterBank::sa_replay, index).packets},
            {"bad_padding", device.counter(regs::CounterBank::sa_bad_padding, index).packets}};
}

}  // namespace mplsec::runtime
