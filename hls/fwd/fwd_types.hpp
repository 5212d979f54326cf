// Stream, descriptor and table types of the forwarding kernel
// (docs/datapath.md). Table word layouts come from the register map
// (regs.hpp); this file only says how the kernel holds them.
//
// Everything the kernel indexes has a size fixed at compile time: Vitis HLS
// turns a table into a BRAM/URAM array or an m_axi port of known depth, and
// cannot synthesise std::vector or dynamic allocation. The host-side owners
// (Tables, Counters) allocate the large arrays on the heap once, in
// init_tables()/init_state(); the kernel sees plain pointers.
#pragma once

#include <cstdint>
#ifndef __SYNTHESIS__
#include <memory>  // FixedArray: the host-side owners only
#endif

#include "ap_int.h"
#include "hls_stream.h"
#include "mplsec/regs.hpp"
#ifndef MPLSEC_COMPAT_AP_INT
#include "ap_axi_sdata.h"  // vendor AXI4-Stream side-channel types
#endif

namespace mplsec::hls_fwd {

constexpr int kBeatBytes = 64;
constexpr uint32_t kMinFrame = 60;
constexpr uint32_t kMaxFrame = 9600;
constexpr int kMaxLabels = 8;
constexpr int kNumPuntReasons = static_cast<int>(regs::kNumPuntReasons);  // punt_control, ttl_expired, router_alert
constexpr int kMaxPush = 3;         // labels a swap or a route may put on
// Bytes of an IP header a TTL rewrite may touch: IPv4 TTL (8) and checksum
// (10-11), IPv6 hop limit (7).
constexpr uint32_t kIpEditBytes = 12;

// Packet buffer: a frame of kMaxFrame bytes fills 150 beats; beats past
// that are consumed but not stored (such a frame is dropped anyway).
constexpr uint32_t kBufBeats = (kMaxFrame + kBeatBytes - 1) / kBeatBytes;
// Buffer between the ESP stage and egress: an encrypted frame grows by the
// outer header, ESP header, IV, padding and ICV (at most 40 + 8 + 16 + 3 +
// 2 + 16 bytes past a kMaxFrame input), so it holds two beats more.
constexpr uint32_t kOutBufBeats = kBufBeats + 2;
// Header window handed to the decide stage: every byte the decision reads
// lies in the first two beats (deepest: 2 VLAN tags, an explicit null and a
// 60-byte IPv4 header end at byte 86; an 8-deep stack ends at byte 54).
constexpr int kHeadBeats = 2;
constexpr int kHeadBytes = kHeadBeats * kBeatBytes;

using Beat = ap_uint<512>;

// One 512-bit AXI4-Stream beat. On input `user` holds the ingress port; on
// output it holds OutUser packed by pack_out_user().
#ifdef MPLSEC_COMPAT_AP_INT
struct AxisBeat {
    Beat data;
    uint64_t keep = 0;
    bool last = false;
    uint16_t user = 0;
};
#else
// With the vendor headers: the side-channel type, so that Vitis maps the
// fields onto TDATA/TKEEP/TLAST/TUSER (a plain struct would be packed whole
// into TDATA). Same field names as the model's struct.
using AxisBeat = ap_axiu<512, 16, 0, 0>;
#endif

// Output tuser: bit 15 = punt, bits 11:8 = port (egress, or ingress of a
// punt), bits 7:0 = punt reason code.
inline uint16_t pack_out_user(bool punt, uint8_t port, uint8_t reason) {
    return static_cast<uint16_t>((punt ? 0x8000 : 0) | ((port & 0xf) << 8) | reason);
}
inline bool out_user_punt(uint16_t user) { return user & 0x8000; }
inline uint8_t out_user_port(uint16_t user) { return (user >> 8) & 0xf; }
inline uint8_t out_user_reason(uint16_t user) { return user & 0xff; }

// --- Byte access to a beat -------------------------------------------------
// Byte i is tdata[8*i +: 8] (wire order). The compat type has a direct byte
// accessor; with the vendor type this is a part-select.
inline uint8_t beat_byte(const Beat& beat, int i) {
#ifdef MPLSEC_COMPAT_AP_INT
    return beat.byte(i);
#else
    return static_cast<uint8_t>(beat.range(8 * i + 7, 8 * i));
#endif
}
inline void set_beat_byte(Beat& beat, int i, uint8_t value) {
#ifdef MPLSEC_COMPAT_AP_INT
    beat.set_byte(i, value);
#else
    beat.range(8 * i + 7, 8 * i) = value;
#endif
}

// Bytes n..63 cleared (n <= 0: all, n >= 64: none). Two shifts rather than a
// byte loop: in hardware a barrel shifter, in the model eight word ops.
inline Beat keep_low_bytes(const Beat& beat, int n) {
    if (n <= 0) return Beat();
    if (n >= kBeatBytes) return beat;
    const int gap = 8 * (kBeatBytes - n);
    return (beat << gap) >> gap;
}
// Bytes 0..n-1 cleared.
inline Beat drop_low_bytes(const Beat& beat, int n) {
    if (n <= 0) return beat;
    if (n >= kBeatBytes) return Beat();
    return (beat >> (8 * n)) << (8 * n);
}
// tkeep for the first n bytes of a beat.
inline uint64_t keep_mask(int n) {
    if (n <= 0) return 0;
    return n >= kBeatBytes ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
}
// Bytes a tkeep marks. tkeep is contiguous from bit 0 (datapath.md, Bus).
inline int keep_count(uint64_t keep) {
#ifndef __SYNTHESIS__
    return __builtin_popcountll(keep);
#else
    int n = 0;
    for (int i = 0; i < kBeatBytes; ++i) {
#pragma HLS UNROLL
        n += (keep >> i) & 1;
    }
    return n;
#endif
}

// --- Tables ----------------------------------------------------------------

constexpr uint32_t table_depth(regs::TableId id) { return regs::table_info(id).depth; }

// One table entry as the table write window and DMA deliver it: `N` 32-bit
// words, unpacked by the regs::*Entry types. On the card an entry is one
// memory word of the table's RAM (or one m_axi burst).
template <unsigned N>
struct EntryWords {
    uint32_t w[N];
};
using PortWords = EntryWords<regs::PortEntry::kWords>;
using IlmWords = EntryWords<regs::IlmEntry::kWords>;
using NhlfeWords = EntryWords<regs::NhlfeEntry::kWords>;
using NexthopWords = EntryWords<regs::NexthopEntry::kWords>;
using VrfWords = EntryWords<regs::VrfEntry::kWords>;
using RouteWords = EntryWords<regs::RouteEntry::kWords>;
using LocalAddrWords = EntryWords<regs::LocalAddrEntry::kWords>;
using Lpm4Words = EntryWords<regs::Lpm4Entry::kWords>;
using Lpm6Words = EntryWords<regs::Lpm6Entry::kWords>;
using SaWords = EntryWords<regs::SaEntry::kWords>;
using SaTunnelWords = EntryWords<regs::SaTunnelEntry::kWords>;
using SaLifetimeWords = EntryWords<regs::SaLifetimeEntry::kWords>;
using SpiHashWords = EntryWords<regs::SpiHashEntry::kWords>;

constexpr uint32_t kPortDepth = table_depth(regs::TableId::port);
constexpr uint32_t kIlmDepth = table_depth(regs::TableId::ilm);
constexpr uint32_t kNhlfeDepth = table_depth(regs::TableId::nhlfe);
constexpr uint32_t kNexthopDepth = table_depth(regs::TableId::nexthop);
constexpr uint32_t kVrfDepth = table_depth(regs::TableId::vrf);
constexpr uint32_t kRouteDepth = table_depth(regs::TableId::route);
constexpr uint32_t kLocalAddrDepth = table_depth(regs::TableId::local_addr);
constexpr uint32_t kSaDepth = table_depth(regs::TableId::sa);
constexpr uint32_t kSpiHashDepth = table_depth(regs::TableId::spi_hash);
constexpr uint32_t kReasonSlots = 256;  // reason codes are 8 bits
static_assert(table_depth(regs::TableId::sa_tunnel) == kSaDepth && table_depth(regs::TableId::sa_lifetime) == kSaDepth &&
                  table_depth(regs::TableId::sa_seq) == kSaDepth,
              "SA tables share one index");

// Geometry of a stride-8 trie: one pool per level, 256 slots a node, the
// pools laid end to end in one array (one m_axi port / HBM region a trie).
template <typename SlotEntry>
struct TrieGeometry {
    static constexpr uint32_t kLevels = SlotEntry::kLevels;
    static constexpr uint32_t kSlotsPerNode = 256;
    static constexpr uint32_t level_slots(uint32_t level) {
        return SlotEntry::kNodesPerLevel[level] * kSlotsPerNode;
    }
    static constexpr uint32_t level_base(uint32_t level) {
        uint32_t base = 0;
        for (uint32_t l = 0; l < level; ++l) base += level_slots(l);
        return base;
    }
    static constexpr uint32_t kTotalSlots = level_base(kLevels);
};
constexpr uint32_t kLpm4Slots = TrieGeometry<regs::Lpm4Entry>::kTotalSlots;
constexpr uint32_t kLpm6Slots = TrieGeometry<regs::Lpm6Entry>::kTotalSlots;

#ifndef __SYNTHESIS__
// Host-side owner of one fixed-size kernel array: N elements, allocated
// (zeroed) once by allocate(); the kernel gets data().
template <typename T, uint32_t N>
class FixedArray {
public:
    static constexpr uint32_t kSize = N;
    void allocate() { data_ = std::make_unique<T[]>(N); }
    T* data() { return data_.get(); }
    const T* data() const { return data_.get(); }
    T& operator[](uint32_t i) { return data_[i]; }
    const T& operator[](uint32_t i) const { return data_[i]; }

private:
    std::unique_ptr<T[]> data_;
};

struct Tables {
    FixedArray<PortWords, kPortDepth> port;
    FixedArray<IlmWords, kIlmDepth> ilm;
    FixedArray<NhlfeWords, kNhlfeDepth> nhlfe;
    FixedArray<NexthopWords, kNexthopDepth> nexthop;
    FixedArray<VrfWords, kVrfDepth> vrf;
    FixedArray<RouteWords, kRouteDepth> route;
    FixedArray<LocalAddrWords, kLocalAddrDepth> local_addr;
    FixedArray<Lpm4Words, kLpm4Slots> lpm4;
    FixedArray<Lpm6Words, kLpm6Slots> lpm6;
    FixedArray<SaWords, kSaDepth> sa;
    FixedArray<SaTunnelWords, kSaDepth> sa_tunnel;
    FixedArray<SaLifetimeWords, kSaDepth> sa_lifetime;
    FixedArray<SpiHashWords, kSpiHashDepth> spi_hash;
};
#endif

// What the kernel reads: one pointer per table (one interface each).
struct TableRefs {
    const PortWords* port;
    const IlmWords* ilm;
    const NhlfeWords* nhlfe;
    const NexthopWords* nexthop;
    const VrfWords* vrf;
    const RouteWords* route;
    const LocalAddrWords* local_addr;
    const Lpm4Words* lpm4;
    const Lpm6Words* lpm6;
    const SaWords* sa;
    const SaTunnelWords* sa_tunnel;
    const SaLifetimeWords* sa_lifetime;
    const SpiHashWords* spi_hash;
};

// --- Counters --------------------------------------------------------------

// One counter: frames and bytes.
struct Counter {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    void add(uint32_t length) {
        ++packets;
        bytes += length;
    }
};

#ifndef __SYNTHESIS__
struct Counters {
    FixedArray<Counter, kPortDepth> port_rx;
    FixedArray<Counter, kPortDepth> port_tx;
    FixedArray<Counter, kReasonSlots> reason;
    FixedArray<Counter, kNhlfeDepth> nhlfe;
    FixedArray<Counter, kRouteDepth> route;
    FixedArray<Counter, kSaDepth> sa;
    FixedArray<Counter, kSaDepth> sa_auth_failed;
    FixedArray<Counter, kSaDepth> sa_replay;
    FixedArray<Counter, kSaDepth> sa_bad_padding;
};
#endif

// What the decide stage updates: one pointer per counter bank.
struct CounterRefs {
    Counter* port_rx;
    Counter* port_tx;
    Counter* reason;
    Counter* nhlfe;
    Counter* route;
    Counter* sa;
    Counter* sa_auth_failed;
    Counter* sa_replay;
    Counter* sa_bad_padding;
};

// --- Descriptors between the dataflow stages -------------------------------

// ingress -> decide, one per frame: the header window and what the decision
// needs to know about the frame as a whole.
struct HeaderDesc {
    Beat head[kHeadBeats];  // first beats, bytes past the frame zero
    uint32_t length = 0;    // L, bytes accepted
    uint8_t port = 0;       // ingress port (tuser of the first beat)
    uint64_t arrival = 0;   // beat clock at the first beat (policer time)
};

enum class Action : uint8_t { forward, drop, punt };

// decide -> egress, one per frame: what to send in place of the original
// first `skip` bytes. A punt sends the original (head_len = skip = 0); a
// drop sends nothing.
struct RewriteDesc {
    Action action = Action::drop;
    Beat head;              // new header bytes 0..head_len-1
    uint8_t head_len = 0;   // <= 64: Ethernet + VLAN + 3 labels + 12 IP bytes
    uint8_t skip = 0;       // original bytes the new header replaces
    uint32_t length = 0;    // L
    uint16_t user = 0;      // output tuser (pack_out_user)
    uint8_t reason = 0;     // drop or punt reason code, counted by the ESP stage
};

// What the ESP stage must do to a frame (docs/datapath.md step 4).
enum class EspOp : uint8_t { none, encrypt, decrypt };

struct EspJob {
    EspOp op = EspOp::none;
    uint16_t sa = 0;          // encrypt: the route's SA
    uint32_t ip_off = 0;      // encrypt: the inner packet; decrypt: the outer one
    uint32_t ip_len = 0;      // IP length of that packet (Ethernet padding excluded)
    uint8_t dscp = 0;         // encrypt: inner DSCP (TOS / traffic class & 0xFC)
    uint8_t ip_head[kIpEditBytes] = {};  // encrypt: the inner's first bytes as decide left them (TTL, checksum)
    uint32_t nexthop = 0;     // encrypt: the route's next hop
    uint8_t n_push = 0;       // encrypt: labels, complete entries, outermost first
    uint32_t push[kMaxPush] = {};
    uint32_t esp_off = 0;     // decrypt: first byte of the ESP header (the SPI)
    uint32_t vrf = 0;         // decrypt: VRF the inner packet is routed in
};

// decide -> ESP stage, one per frame: the rewrite when the frame needs no
// ESP work (or its drop/punt), else the ESP job; the frame length and
// ingress port either way.
struct FrameVerdict {
    RewriteDesc rewrite;
    EspJob esp;
    uint32_t length = 0;      // L
    uint8_t port = 0;         // ingress port
    int32_t route_hit = -1;   // route entry to count (L bytes), -1 none
};

// Event queue word (regmap block `event`, EVT_HEAD): code << 24 | index.
inline uint32_t event_word(regs::EventCode code, uint32_t index) {
    return uint32_t{static_cast<uint8_t>(code)} << 24 | (index & 0xffffff);
}

// Events leave the kernel through a ring in card memory: event n is
// ring[n % kEventRingSize], `written` counts every event raised. The card's
// register file (or the model's host side) takes what it has not seen yet;
// it must keep up, or the oldest events are overwritten.
constexpr uint32_t kEventRingSize = 256;
struct EventRing {
    uint32_t* ring;     // kEventRingSize words
    uint64_t* written;  // events raised so far
};

}  // namespace mplsec::hls_fwd
