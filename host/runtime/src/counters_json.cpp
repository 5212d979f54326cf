#include "mplsec/counters_json.hpp"

namespace mplsec::runtime {

nlohmann::json port_counters(drivers::Device& device, uint32_t port) {
    const drivers::Counter rx = device.counter(regs::CounterBank::port_rx, port);
    const drivers::Counter tx = device.counter(regs::CounterBank::port_tx, port);
    return {{"rx_packets", rx.packets}, {"rx_bytes", rx.bytes}, {"tx_packets", tx.packets}, {"tx_bytes", tx.bytes}};
}

}  // namespace mplsec::runtime
