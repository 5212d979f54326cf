#include "frame_builder.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <stdexcept>

namespace mplsec::framegen {
namespace {

void put16(Bytes& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v >> 8));
    b.push_back(static_cast<uint8_t>(v));
}

// UDP checksum over the pseudo-header (RFC 768 / RFC 8200 8.1); `udp`
// starts at the UDP header, `addrs` are source then destination.
void fill_udp_checksum(uint8_t* udp, std::size_t udp_len, const uint8_t* addrs, std::size_t addr_bytes) {
    uint32_t sum = 17 + static_cast<uint32_t>(udp_len);
    for (std::size_t i = 0; i < 2 * addr_bytes; i += 2) sum += uint32_t{addrs[i]} << 8 | addrs[i + 1];
    for (std::size_t i = 0; i < udp_len; i += 2)
        sum += uint32_t{udp[i]} << 8 | (i + 1 < udp_len ? udp[i + 1] : 0);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    uint16_t check = static_cast<uint16_t>(~sum);
    if (check == 0) check = 0xffff;
    udp[6] = static_cast<uint8_t>(check >> 8);
    udp[7] = static_cast<uint8_t>(check);
}

}  // namespace

Bytes mac(const std::string& text) {
    unsigned m[6];
    if (std::sscanf(text.c_str(), "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6)
        throw std::invalid_argument("bad MAC " + text);
    return Bytes(m, m + 6);
}

uint16_t be16(const Bytes& frame, std::size_t offset) {
    return static_cast<uint16_t>(frame.at(offset) << 8 | frame.at(offset + 1));
}

Lse lse_at(const Bytes& f, std::size_t o) {
    const uint32_t w = uint32_t{f.at(o)} << 24 | uint32_t{f.at(o + 1)} << 16 | uint32_t{f.at(o + 2)} << 8 | f.at(o + 3);
    return Lse{w >> 12, static_cast<uint8_t>((w >> 9) & 7), ((w >> 8) & 1) != 0, static_cast<uint8_t>(w)};
}

uint16_t ipv4_checksum(const uint8_t* h, std::size_t len) {
    uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < len; i += 2) sum += uint32_t{h[i]} << 8 | h[i + 1];
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
}

FrameBuilder& FrameBuilder::eth(const std::string& dst, const std::string& src) {
    const Bytes d = mac(dst), s = mac(src);
    bytes_.insert(bytes_.end(), d.begin(), d.end());
    bytes_.insert(bytes_.end(), s.begin(), s.end());
    return *this;
}

FrameBuilder& FrameBuilder::vlan(uint16_t vid, uint16_t tpid) {
    put16(bytes_, tpid);
    put16(bytes_, vid & 0xfff);
    return *this;
}

FrameBuilder& FrameBuilder::ethertype(uint16_t type) {
    put16(bytes_, type);
    return *this;
}

FrameBuilder& FrameBuilder::label(uint32_t label, uint8_t ttl, bool bos, uint8_t tc) {
    const uint32_t w = label << 12 | uint32_t{tc} << 9 | uint32_t{bos} << 8 | ttl;
    for (int s = 24; s >= 0; s -= 8) bytes_.push_back(static_cast<uint8_t>(w >> s));
    return *this;
}

FrameBuilder& FrameBuilder::ipv4_udp(const std::string& src, const std::string& dst, uint8_t ttl,
                                     std::size_t payload_len, uint8_t tos, uint16_t dport) {
    Bytes h(20, 0);
    h[0] = 0x45;
    h[1] = tos;
    const auto total = static_cast<uint16_t>(20 + 8 + payload_len);
    h[2] = static_cast<uint8_t>(total >> 8);
    h[3] = static_cast<uint8_t>(total);
    h[8] = ttl;
    h[9] = 17;
    if (inet_pton(AF_INET, src.c_str(), &h[12]) != 1 || inet_pton(AF_INET, dst.c_str(), &h[16]) != 1)
        throw std::invalid_argument("bad IPv4 address");
    const uint16_t sum = ipv4_checksum(h.data(), 20);
    h[10] = static_cast<uint8_t>(sum >> 8);
    h[11] = static_cast<uint8_t>(sum);
    bytes_.insert(bytes_.end(), h.begin(), h.end());
    put16(bytes_, 12345);
    put16(bytes_, dport);
    put16(bytes_, static_cast<uint16_t>(8 + payload_len));
    put16(bytes_, 0);
    for (std::size_t i = 0; i < payload_len; ++i) bytes_.push_back(static_cast<uint8_t>(i * 7 + 3));
    const std::size_t ip_at = bytes_.size() - payload_len - 28;
    fill_udp_checksum(&bytes_[ip_at + 20], 8 + payload_len, &bytes_[ip_at + 12], 4);
    return *this;
}

FrameBuilder& FrameBuilder::ipv6_udp(const std::string& src, const std::string& dst, uint8_t hop_limit,
                                     std::size_t payload_len, uint8_t traffic_class, uint16_t dport) {
    Bytes h(40, 0);
    h[0] = static_cast<uint8_t>(0x60 | traffic_class >> 4);
    h[1] = static_cast<uint8_t>(traffic_class << 4);
    const auto plen = static_cast<uint16_t>(8 + payload_len);
    h[4] = static_cast<uint8_t>(plen >> 8);
    h[5] = static_cast<uint8_t>(plen);
    h[6] = 17;
    h[7] = hop_limit;
    if (inet_pton(AF_INET6, src.c_str(), &h[8]) != 1 || inet_pton(AF_INET6, dst.c_str(), &h[24]) != 1)
        throw std::invalid_argument("bad IPv6 address");
    bytes_.insert(bytes_.end(), h.begin(), h.end());
    put16(bytes_, 12345);
    put16(bytes_, dport);
    put16(bytes_, plen);
    put16(bytes_, 0);
    for (std::size_t i = 0; i < payload_len; ++i) bytes_.push_back(static_cast<uint8_t>(i * 5 + 1));
    const std::size_t ip_at = bytes_.size() - payload_len - 48;
    fill_udp_checksum(&bytes_[ip_at + 40], 8 + payload_len, &bytes_[ip_at + 8], 16);
    return *this;
}

FrameBuilder& FrameBuilder::raw(const Bytes& bytes) {
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    return *this;
}

FrameBuilder& FrameBuilder::pad_to(std::size_t len) {
    if (bytes_.size() < len) bytes_.resize(len, 0);
    return *this;
}

}  // namespace mplsec::framegen
