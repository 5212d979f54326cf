// Builds frames for tests, benches and the traffic generator byte by byte, independently of the datapath code:
// Ethernet, VLAN tags, label stacks, IPv4/IPv6 with UDP payloads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mplsec::framegen {

using Bytes = std::vector<uint8_t>;

struct Lse {
    uint32_t label;
    uint8_t tc;
    bool bos;
    uint8_t ttl;
};

Bytes mac(const std::string& text);  // "02:00:00:00:00:01"

class FrameBuilder {
public:
    FrameBuilder& eth(const std::string& dst, const std::string& src);
    FrameBuilder& vlan(uint16_t vid, uint16_t tpid = 0x8100);
    FrameBuilder& ethertype(uint16_t type);
    FrameBuilder& label(uint32_t label, uint8_t ttl, bool bos, uint8_t tc = 0);
    // IPv4 header (20 bytes, checksum filled) + UDP + payload of `payload_len` bytes.
    FrameBuilder& ipv4_udp(const std::string& src, const std::string& dst, uint8_t ttl, std::size_t payload_len,
                           uint8_t tos = 0, uint16_t dport = 9);
    FrameBuilder& ipv6_udp(const std::string& src, const std::string& dst, uint8_t hop_limit, std::size_t payload_len,
                           uint8_t traffic_class = 0, uint16_t dport = 9);
    FrameBuilder& raw(const Bytes& bytes);
    // Pads with zeros to at least `len` bytes (Ethernet minimum 60).
    FrameBuilder& pad_to(std::size_t len = 60);
    Bytes build() const { return bytes_; }

private:
    Bytes bytes_;
};

// Reads a label stack entry at `offset`.
Lse lse_at(const Bytes& frame, std::size_t offset);
uint16_t be16(const Bytes& frame, std::size_t offset);
uint16_t ipv4_checksum(const uint8_t* header, std::size_t len);  // 0 when valid

}  // namespace mplsec::framegen
