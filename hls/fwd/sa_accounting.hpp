// Per-SA accounting after a packet was encrypted and sent or decrypted and
// accepted (docs/datapath.md, "ESP", Lifetimes): the `sa` counter, then the
// soft and hard lifetimes and their events.
#pragma once

#include <cstdint>

#include "fwd_types.hpp"
#include "sa_state.hpp"

namespace mplsec::hls_fwd {

inline void raise_event(const EventRing& events, regs::EventCode code, uint32_t sa) {
    events.ring[*events.written % kEventRingSize] = event_word(code, sa);
    ++*events.written;
}

// A limit of 0 is no limit.
inline bool lifetime_reached(const Counter& counter, uint64_t packets, uint64_t bytes) {
    return (packets != 0 && counter.packets >= packets) || (bytes != 0 && counter.bytes >= bytes);
}

inline void count_sa_packet(const SaLifetimeWords& lifetime_words, Counter& counter, SaState& state, uint32_t sa,
                            uint32_t inner_len, const EventRing& events) {
    counter.add(inner_len);
    const auto lifetime = regs::SaLifetimeEntry::unpack(lifetime_words.w);
    if (!state.soft_raised && lifetime_reached(counter, lifetime.soft_packets, lifetime.soft_bytes)) {
        state.soft_raised = true;
        raise_event(events, regs::EventCode::sa_soft_lifetime, sa);
    }
    if (!state.stopped && lifetime_reached(counter, lifetime.hard_packets, lifetime.hard_bytes)) {
        state.stopped = true;
        raise_event(events, regs::EventCode::sa_hard_lifetime, sa);
    }
}

}  // namespace mplsec::hls_fwd
