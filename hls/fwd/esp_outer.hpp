// The outer header an outbound SA puts in front of ESP (docs/datapath.md
// step 4.1): IPv4 or IPv6 from sa_tunnel, optionally RFC 3948 UDP.
#pragma once

#include <array>
#include <cstdint>

#include "ip_header.hpp"
#include "mplsec/regs.hpp"

namespace mplsec::hls_fwd {

// UDP encapsulation is for IPv4 outers only (Notes on ESP).
inline bool sa_encap_udp(const regs::SaEntry& sa) { return sa.encap_udp && !sa.outer_v6; }

// Bytes in front of the ESP header.
inline uint32_t outer_header_bytes(const regs::SaEntry& sa) {
    return (sa.outer_v6 ? 40u : 20u) + (sa_encap_udp(sa) ? kUdpHeaderBytes : 0u);
}

// `bytes` address bytes of a 128-bit table field whose first byte sits in
// bit 8*bytes-1 (IPv4 in 31:0, IPv6 in 127:0).
inline void put_address(uint8_t* p, const std::array<uint32_t, 4>& field, int bytes) {
    for (int b = 0; b < bytes; ++b) {
        const int bit = 8 * (bytes - 1 - b);
        p[b] = static_cast<uint8_t>(field[bit / 32] >> (bit % 32));
    }
}

// Writes outer_header_bytes(sa) bytes for an ESP payload of esp_len bytes
// sent with sequence number `seq`.
inline void write_outer_header(const regs::SaEntry& sa, const regs::SaTunnelEntry& tunnel, uint32_t esp_len,
                               uint8_t dscp, uint64_t seq, uint8_t* out) {
    const bool udp = sa_encap_udp(sa);
    const uint32_t after_ip = esp_len + (udp ? kUdpHeaderBytes : 0);
    uint8_t* next = out;
    if (sa.outer_v6) {
        next[0] = static_cast<uint8_t>(0x60 | dscp >> 4);
        next[1] = static_cast<uint8_t>(dscp << 4);
        next[2] = next[3] = 0;
        wr16(next + 4, static_cast<uint16_t>(after_ip));
        next[6] = kIpProtoEsp;
        next[7] = kEspOuterTtl;
        put_address(next + 8, tunnel.src, 16);
        put_address(next + 24, tunnel.dst, 16);
        next += 40;
    } else {
        next[0] = 0x45;
        next[1] = dscp;
        wr16(next + 2, static_cast<uint16_t>(20 + after_ip));
        wr16(next + 4, static_cast<uint16_t>(seq));
        wr16(next + 6, 0);  // DF clear, no fragment
        next[8] = kEspOuterTtl;
        next[9] = udp ? kIpProtoUdp : kIpProtoEsp;
        wr16(next + 10, 0);
        put_address(next + 12, tunnel.src, 4);
        put_address(next + 16, tunnel.dst, 4);
        wr16(next + 10, static_cast<uint16_t>(~ones_sum(next, 20)));
        next += 20;
    }
    if (udp) {
        wr16(next, static_cast<uint16_t>(tunnel.udp_sport));
        wr16(next + 2, static_cast<uint16_t>(tunnel.udp_dport));
        wr16(next + 4, static_cast<uint16_t>(kUdpHeaderBytes + esp_len));
        wr16(next + 6, 0);  // no checksum (RFC 3948 2.1 allows zero over IPv4)
    }
}

}  // namespace mplsec::hls_fwd
