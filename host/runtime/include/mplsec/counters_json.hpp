// Counters as JSON, in the shape `sim run`'s stats.json (DESIGN.md 5.1)
// and the daemon's `show` both print.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "mplsec/device.hpp"

namespace mplsec::runtime {

// {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes"} of one port.
nlohmann::json port_counters(drivers::Device& device, uint32_t port);

// {"packets", "bytes", "auth_failures", "replay_drops", "bad_padding"} of
// SA `index`: inner packets and bytes encrypted or decrypted, and the frames
// its inbound checks dropped.
nlohmann::json sa_counters(drivers::Device& device, uint32_t index);

// The name of an event code ("sa_soft_lifetime", ...), "unknown" for a code
// this runtime does not know.
const char* event_name(regs::EventCode code);

}  // namespace mplsec::runtime
