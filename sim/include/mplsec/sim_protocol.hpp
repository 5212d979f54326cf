// The wire protocol between the virtual card process (mplsec-sim) and the
// `sim` device backend: PCIe-like transactions on a Unix stream socket.
//
// Every message, either way, is a 12-byte header and a payload:
//
//   offset 0  u32 magic    "MPSC" (0x4353504d)
//   offset 4  u16 version  kVersion
//   offset 6  u16 opcode   request opcode; a reply carries opcode | kReply,
//                          an error reply carries kError
//   offset 8  u32 length   payload bytes that follow (requests: at most
//                          kMaxRequestPayload)
//
// All integers are little-endian. Requests and their payloads:
//
//   hello        -                          -> u32 version, u32 num_ports, engine name (rest)
//   read32       u32 address                -> u32 value
//   write32      u32 address, u32 value     -> -
//   write_table  u32 table, u32 first, u32 count, count * stride u32 words -> u32 count
//   port_send    u32 port, frame bytes (rest) -> -
//   port_run     -                          -> u32 n, n * {u32 port, u32 length, bytes}
//   stats        -                          -> u64 in_beats, u64 cycles, u64 sim_time_ps,
//                                              u64 mmio_reads, u64 mmio_writes, u64 dma_bytes
//   port_replay  -                          -> u32 offered, u32 transmitted
//
// Ports bound to a pcap file or an interface (mplsec-sim --port) transmit
// through their binding: port_run lists only frames of unbound ports (also
// those of runs the card made for live traffic since, up to 65,536).
// port_replay offers the input pcaps of every bound port back to back,
// runs until idle and writes the output pcaps (a card with no pcap input
// offers nothing).
//
// An error reply's payload is u32 ErrorCode and a message (rest). A header
// that cannot be trusted (bad magic or version, a length over the limit) is
// answered with an error and the connection is closed; any other bad request
// is answered with an error and the connection stays usable.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace mplsec::sim::proto {

inline constexpr uint32_t kMagic = 0x4353504d;  // bytes "MPSC"
inline constexpr uint16_t kVersion = 1;
inline constexpr std::size_t kHeaderBytes = 12;
// Largest request: a bulk write of the whole ILM (2^20 one-word entries) fits.
inline constexpr uint32_t kMaxRequestPayload = 16u << 20;
// Largest reply a client accepts (a port_run of a long offered batch).
inline constexpr uint32_t kMaxReplyPayload = 1u << 30;
// Largest frame port_send takes (jumbo frames are 9600 bytes).
inline constexpr uint32_t kMaxFrameBytes = 16384;

enum class Opcode : uint16_t {
    hello = 1,
    read32 = 2,
    write32 = 3,
    write_table = 4,
    port_send = 5,
    port_run = 6,
    stats = 7,
    port_replay = 8,
};
inline constexpr uint16_t kReply = 0x8000;
inline constexpr uint16_t kError = 0x7fff;

enum class ErrorCode : uint32_t {
    bad_magic = 1,
    bad_version = 2,
    bad_length = 3,       // payload over the limit, or wrong for the opcode
    unknown_opcode = 4,
    bad_address = 5,      // misaligned, or outside the 64 KiB register space
    bad_argument = 6,     // port, table id, frame size
    table_range = 7,      // entries beyond the table's depth
    internal = 8,
};

struct Header {
    uint32_t magic = kMagic;
    uint16_t version = kVersion;
    uint16_t opcode = 0;
    uint32_t length = 0;
};

class ProtocolError : public std::runtime_error {
public:
    ProtocolError(ErrorCode code, const std::string& what) : std::runtime_error(what), code_(code) {}
    ErrorCode code() const { return code_; }

private:
    ErrorCode code_;
};

inline void put_u16(std::vector<uint8_t>& out, uint16_t v) {
    out.push_back(static_cast<uint8_t>(v));
    out.push_back(static_cast<uint8_t>(v >> 8));
}
inline void put_u32(std::vector<uint8_t>& out, uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline void put_u64(std::vector<uint8_t>& out, uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
inline uint16_t get_u16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | p[1] << 8); }
inline uint32_t get_u32(const uint8_t* p) {
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}
inline uint64_t get_u64(const uint8_t* p) { return uint64_t{get_u32(p)} | uint64_t{get_u32(p + 4)} << 32; }

// A message under construction: header first, length patched by finish().
class Message {
public:
    explicit Message(uint16_t opcode) {
        bytes_.reserve(64);
        put_u32(bytes_, kMagic);
        put_u16(bytes_, kVersion);
        put_u16(bytes_, opcode);
        put_u32(bytes_, 0);
    }
    Message& u32(uint32_t v) { return put_u32(bytes_, v), *this; }
    Message& u64(uint64_t v) { return put_u64(bytes_, v), *this; }
    Message& raw(const void* data, std::size_t n) {
        const auto* p = static_cast<const uint8_t*>(data);
        bytes_.insert(bytes_.end(), p, p + n);
        return *this;
    }
    Message& words(const uint32_t* w, std::size_t n) {
        bytes_.reserve(bytes_.size() + 4 * n);
        for (std::size_t i = 0; i < n; ++i) put_u32(bytes_, w[i]);
        return *this;
    }
    // Patches the length and hands the bytes over (the message is spent).
    std::vector<uint8_t> finish() {
        const auto n = static_cast<uint32_t>(bytes_.size() - kHeaderBytes);
        for (int i = 0; i < 4; ++i) bytes_[8 + i] = static_cast<uint8_t>(n >> (8 * i));
        return std::move(bytes_);
    }

private:
    std::vector<uint8_t> bytes_;
};

inline Header decode_header(const uint8_t* p) {
    Header h;
    h.magic = get_u32(p);
    h.version = get_u16(p + 4);
    h.opcode = get_u16(p + 6);
    h.length = get_u32(p + 8);
    return h;
}

// Bounds-checked reading of a payload.
class Reader {
public:
    Reader(const uint8_t* data, std::size_t size) : p_(data), n_(size) {}
    uint32_t u32() { return get_u32(take(4)); }
    uint64_t u64() { return get_u64(take(8)); }
    const uint8_t* take(std::size_t n) {
        if (n > n_ - pos_) throw ProtocolError(ErrorCode::bad_length, "payload too short");
        const uint8_t* at = p_ + pos_;
        pos_ += n;
        return at;
    }
    std::size_t left() const { return n_ - pos_; }
    void expect_end() const {
        if (pos_ != n_) throw ProtocolError(ErrorCode::bad_length, "payload longer than the request takes");
    }

private:
    const uint8_t* p_;
    std::size_t n_;
    std::size_t pos_ = 0;
};

inline const char* error_name(ErrorCode code) {
    switch (code) {
        case ErrorCode::bad_magic: return "bad_magic";
        case ErrorCode::bad_version: return "bad_version";
        case ErrorCode::bad_length: return "bad_length";
        case ErrorCode::unknown_opcode: return "unknown_opcode";
        case ErrorCode::bad_address: return "bad_address";
        case ErrorCode::bad_argument: return "bad_argument";
        case ErrorCode::table_range: return "table_range";
        case ErrorCode::internal: return "internal";
    }
    return "unknown_error";
}

}  // namespace mplsec::sim::proto
