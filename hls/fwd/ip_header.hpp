// IPv4/IPv6 header access used by the forwarding kernel: field reads,
// validation and TTL rewrites with the RFC 1624 incremental checksum update.
#pragma once

#include <cstdint>

namespace mplsec::hls_fwd {

inline uint16_t rd16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }
inline void wr16(uint8_t* p, uint16_t v) {
    p[0] = static_cast<uint8_t>(v >> 8);
    p[1] = static_cast<uint8_t>(v);
}

constexpr uint16_t kEthertypeIpv4 = 0x0800;
constexpr uint16_t kEthertypeIpv6 = 0x86DD;
constexpr uint16_t kEthertypeMpls = 0x8847;
constexpr uint8_t kIpProtoUdp = 17;
constexpr uint8_t kIpProtoEsp = 50;
constexpr uint32_t kUdpHeaderBytes = 8;
constexpr uint16_t kUdpPortIpsecNat = 4500;  // RFC 3948 ESP-in-UDP
constexpr uint8_t kEspOuterTtl = 64;         // ESP tunnel outer TTL / hop limit

enum class IpVersion : uint8_t { none = 0, v4 = 4, v6 = 6 };

inline IpVersion ip_version(const uint8_t* ip) {
    switch (ip[0] >> 4) {
        case 4: return IpVersion::v4;
        case 6: return IpVersion::v6;
        default: return IpVersion::none;
    }
}

inline uint16_t ip_ethertype(IpVersion v) { return v == IpVersion::v4 ? kEthertypeIpv4 : kEthertypeIpv6; }

inline uint32_t ip_min_header(IpVersion v) { return v == IpVersion::v4 ? 20 : 40; }
inline uint8_t ip_ttl(IpVersion v, const uint8_t* ip) { return v == IpVersion::v4 ? ip[8] : ip[7]; }

// IP precedence: the top three bits of the TOS / traffic class.
inline uint8_t ip_precedence(IpVersion v, const uint8_t* ip) {
    return v == IpVersion::v4 ? ip[1] >> 5 : (ip[0] & 0x0f) >> 1;
}

// One's-complement sum of `len` bytes (len even), folded to 16 bits.
inline uint16_t ones_sum(const uint8_t* p, uint32_t len) {
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2) sum += rd16(p + i);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(sum);
}

// Writes a new TTL / hop limit. For IPv4 the header checksum follows by
// RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m'), over the 16-bit word TTL|protocol,
// so a header whose checksum was wrong stays exactly as wrong.
inline void ip_set_ttl(IpVersion v, uint8_t* ip, uint8_t ttl) {
    if (v == IpVersion::v6) {
        ip[7] = ttl;
        return;
    }
    const uint16_t old_word = rd16(ip + 8);
    ip[8] = ttl;
    const uint16_t new_word = rd16(ip + 8);
    uint32_t sum = static_cast<uint16_t>(~rd16(ip + 10)) + static_cast<uint16_t>(~old_word) + new_word;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    wr16(ip + 10, static_cast<uint16_t>(~sum));
}

// Full validation of an IP packet starting at `ip` with `avail` bytes left
// in the frame (docs/datapath.md step 5.1).
inline bool ip_valid(IpVersion v, const uint8_t* ip, uint32_t avail) {
    if (v == IpVersion::v4) {
        if (avail < 20) return false;
        const uint32_t header = 4u * (ip[0] & 0x0f);
        const uint32_t total = rd16(ip + 2);
        if (header < 20 || total < header || total > avail) return false;
        return ones_sum(ip, header) == 0xffff;
    }
    if (v == IpVersion::v6) return avail >= 40 && 40u + rd16(ip + 4) <= avail;
    return false;
}

// Destination address bytes (4 or 16) of a header already known to be long
// enough.
inline const uint8_t* ip_dst(IpVersion v, const uint8_t* ip) { return v == IpVersion::v4 ? ip + 16 : ip + 24; }

inline bool ip_is_multicast(IpVersion v, const uint8_t* ip) {
    const uint8_t first = ip_dst(v, ip)[0];
    return v == IpVersion::v4 ? (first & 0xf0) == 0xe0 : first == 0xff;
}

inline uint8_t ip_protocol(IpVersion v, const uint8_t* ip) { return v == IpVersion::v4 ? ip[9] : ip[6]; }

// Bytes of the IP packet by its own length field (total_length, or 40 +
// payload_length): what follows it in a frame is Ethernet padding.
inline uint32_t ip_length(IpVersion v, const uint8_t* ip) {
    return v == IpVersion::v4 ? rd16(ip + 2) : 40u + rd16(ip + 4);
}

// Bytes of the fixed header (IPv4 with its options; IPv6 extension headers
// are not walked).
inline uint32_t ip_header_length(IpVersion v, const uint8_t* ip) {
    return v == IpVersion::v4 ? 4u * (ip[0] & 0x0f) : 40u;
}

// DSCP in place in the TOS / traffic class byte (ECN bits cleared).
inline uint8_t ip_dscp(IpVersion v, const uint8_t* ip) {
    const uint8_t tos = v == IpVersion::v4 ? ip[1] : static_cast<uint8_t>((ip[0] & 0x0f) << 4 | ip[1] >> 4);
    return tos & 0xfc;
}

// IPv4 fragment: MF set or a fragment offset. IPv6 fragments live in an
// extension header, which the card does not walk.
inline bool ip_is_fragment(IpVersion v, const uint8_t* ip) {
    return v == IpVersion::v4 && (rd16(ip + 6) & 0x3fff) != 0;
}

}  // namespace mplsec::hls_fwd
