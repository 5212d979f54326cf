// generated from regmap/mplsec.yaml by mplsec-regmap-gen; do not edit
//
// mplsec register map, table entry formats and reason codes. Register
// constants are absolute byte addresses in the card's AXI4-Lite window;
// table window registers are relative to tables::window_base().
#ifndef MPLSEC_REGS_HPP_
#define MPLSEC_REGS_HPP_

#include <array>
#include <cstddef>
#include <cstdint>

namespace mplsec::regs {

// --- Register map version and layout ---

inline constexpr std::uint32_t kRegmapVersionMajor = 1;
inline constexpr std::uint32_t kRegmapVersionMinor = 1;
// The value ident::kRegmapVersion reads back.
inline constexpr std::uint32_t kRegmapVersion = (kRegmapVersionMajor << 16) | kRegmapVersionMinor;
inline constexpr std::uint32_t kDataWidthBits = 32;
inline constexpr std::uint32_t kAddressSpaceBytes = 0x10000;
// A 32-bit register of the card: aligned and inside the address space.
constexpr bool is_register_address(std::uint64_t address) {
  return address % 4 == 0 && address < kAddressSpaceBytes;
}
// Common header of every block, relative to its base.
inline constexpr std::uint32_t kBlockTypeOffset = 0x00;
inline constexpr std::uint32_t kBlockVersionOffset = 0x04;
inline constexpr std::uint32_t kBlockNextOffset = 0x08;

// --- Features: bit numbers in ident::kFeatures ---

// ILM and NHLFE label switching
inline constexpr std::uint32_t kFeatureMpls = 0;
// per-VRF IPv4 longest-prefix match
inline constexpr std::uint32_t kFeatureVrfIpv4 = 1;
// per-VRF IPv6 longest-prefix match
inline constexpr std::uint32_t kFeatureVrfIpv6 = 2;
// ESP AES-GCM encrypt/decrypt with anti-replay
inline constexpr std::uint32_t kFeatureEspGcm = 3;
// bulk table loads by DMA
inline constexpr std::uint32_t kFeatureTableDma = 4;
// Mask of every feature bit this header knows.
inline constexpr std::uint32_t kFeaturesKnown = 0x0000001F;

struct FeatureInfo {
  const char* name;
  unsigned bit;
  const char* doc;
};

inline constexpr std::array<FeatureInfo, 5> kFeatures{{
    {"mpls", 0, "ILM and NHLFE label switching"},
    {"vrf_ipv4", 1, "per-VRF IPv4 longest-prefix match"},
    {"vrf_ipv6", 2, "per-VRF IPv6 longest-prefix match"},
    {"esp_gcm", 3, "ESP AES-GCM encrypt/decrypt with anti-replay"},
    {"table_dma", 4, "bulk table loads by DMA"},
}};

// --- Register fields and entry packing ---

// Register field access. `bit` is the field's LSB (its shift).
constexpr std::uint32_t field_mask(unsigned bit, unsigned width) {
  return static_cast<std::uint32_t>(((std::uint64_t{1} << width) - 1) << bit);
}
constexpr std::uint32_t get_field(std::uint32_t reg, unsigned bit, unsigned width) {
  return (reg & field_mask(bit, width)) >> bit;
}
constexpr std::uint32_t set_field(std::uint32_t reg, unsigned bit, unsigned width,
                                  std::uint32_t value) {
  return (reg & ~field_mask(bit, width)) | ((value << bit) & field_mask(bit, width));
}

namespace detail {

// Low `width` bits set, width 0..64.
constexpr std::uint64_t low_mask(unsigned width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

// `value` masked to `width` bits and moved to `bit`: one part of an index.
constexpr std::uint32_t place(std::uint32_t value, unsigned bit, unsigned width) {
  return static_cast<std::uint32_t>((value & low_mask(width)) << bit);
}

// Bits of the word holding `bit` from `bit` upward, at most `left`.
constexpr unsigned chunk(unsigned bit, unsigned left) {
  return 32 - bit % 32 < left ? 32 - bit % 32 : left;
}

// ORs the low `width` (<= 64) bits of `value` into bits lsb.. of an entry
// whose word 0 holds bits 31:0.
constexpr void put_bits(std::uint32_t* words, unsigned lsb, unsigned width, std::uint64_t value) {
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done;
    const unsigned take = chunk(bit, width - done);
    words[bit / 32] |= static_cast<std::uint32_t>((value >> done) & low_mask(take)) << (bit % 32);
    done += take;
  }
}

constexpr std::uint64_t get_bits(const std::uint32_t* words, unsigned lsb, unsigned width) {
  std::uint64_t value = 0;
  for (unsigned done = 0; done < width;) {
    const unsigned bit = lsb + done;
    const unsigned take = chunk(bit, width - done);
    value |= ((std::uint64_t{words[bit / 32]} >> (bit % 32)) & low_mask(take)) << done;
    done += take;
  }
  return value;
}

// Fields wider than 64 bits travel as 32-bit words, least significant first.
template <std::size_t N>
constexpr void put_wide(std::uint32_t* words, unsigned lsb, unsigned width,
                        const std::array<std::uint32_t, N>& value) {
  for (unsigned i = 0; i < N && 32 * i < width; ++i)
    put_bits(words, lsb + 32 * i, chunk(0, width - 32 * i), value[i]);
}

template <std::size_t N>
constexpr std::array<std::uint32_t, N> get_wide(const std::uint32_t* words, unsigned lsb,
                                                unsigned width) {
  std::array<std::uint32_t, N> value{};
  for (unsigned i = 0; i < N && 32 * i < width; ++i)
    value[i] = static_cast<std::uint32_t>(get_bits(words, lsb + 32 * i, chunk(0, width - 32 * i)));
  return value;
}

}  // namespace detail

// --- Enumerations ---

// Table ids: window index and DMA_TABLE value.
enum class TableId : std::uint8_t {
  port = 0,
  ilm = 1,
  nhlfe = 2,
  nexthop = 3,
  vrf = 4,
  route = 5,
  lpm4 = 6,
  lpm6 = 7,
  local_addr = 8,
  sa = 9,
  sa_tunnel = 10,
  sa_lifetime = 11,
  sa_seq = 12,
  spi_hash = 13,
};

// enum nhlfe_op (3 bits in table entries)
enum class NhlfeOp : std::uint8_t {
  // drop (counted as action_drop)
  drop = 0,
  // replace the top label by 1..3 labels
  swap = 1,
  // remove the top label, send the rest to the next hop
  pop = 2,
  // remove the top label, look the IP packet up in a VRF
  pop_lookup = 3,
  // send to the host (punt_control)
  punt = 4,
};

// Drop and punt reasons: one code space, fixed names (see kReasons).
enum class Reason : std::uint8_t {
  // runt, oversize, truncated or malformed header, unsupported ethertype
  bad_frame = 0,
  // top label not installed, or a reserved label with no meaning here
  no_label = 1,
  // label arrived on a port it was not advertised to
  label_spoofed = 2,
  // no bottom-of-stack within the supported depth
  stack_too_deep = 3,
  // no VRF route for the destination
  no_route = 4,
  // the frame to send exceeds the output port's MTU
  mtu_exceeded = 5,
  // no SA for the SPI, or the route's SA is not installed
  esp_no_sa = 6,
  // ICV check failed
  esp_auth_failed = 7,
  // sequence number replayed or left of the window
  esp_replay = 8,
  // padding bytes are not 1, 2, 3, ...
  esp_bad_padding = 9,
  // outbound sequence number exhausted
  esp_seq_overflow = 10,
  // plaintext reached a VRF that demands ESP
  esp_required = 11,
  // the punt policer refused the frame
  punt_policed = 12,
  // the NHLFE says drop
  action_drop = 13,
  // the SA passed its hard lifetime and is stopped until the host rekeys it
  esp_sa_expired = 14,
  // punt: for the card's own addresses, multicast control traffic, ARP, or the punt action
  punt_control = 16,
  // punt: TTL would reach zero; the original frame goes to the host for ICMP
  ttl_expired = 17,
  // punt: router alert label (1) on top
  router_alert = 18,
};

// Counter banks.
enum class CounterBank : std::uint8_t {
  // per port: frames and bytes received
  port_rx = 0,
  // per port: frames and bytes transmitted
  port_tx = 1,
  // per drop/punt reason code
  reason = 2,
  // per NHLFE: frames and bytes switched
  nhlfe = 3,
  // per route: frames and bytes forwarded
  route = 4,
  // per SA: inner packets and their bytes encrypted and sent, or decrypted and accepted
  sa = 5,
  // per inbound SA: frames dropped esp_auth_failed (bytes = frame length)
  sa_auth_failed = 6,
  // per inbound SA: frames dropped esp_replay
  sa_replay = 7,
  // per inbound SA: frames dropped esp_bad_padding
  sa_bad_padding = 8,
};

// Event codes.
enum class EventCode : std::uint8_t {
  // SA reached its soft byte or packet limit
  sa_soft_lifetime = 1,
  // SA reached its hard limit and stopped
  sa_hard_lifetime = 2,
  // SA sequence number exhausted: raised at its first esp_seq_overflow drop
  sa_seq_exhausted = 3,
};

// --- Blocks ---

// What a driver expects when it walks the block list from address 0.
struct BlockInfo {
  const char* name;
  std::uint32_t base;
  std::uint32_t type;
  std::uint32_t version;
  std::uint32_t next;  // base of the following block, 0 for the last
};

inline constexpr std::array<BlockInfo, 7> kBlocks{{
    {"ident", 0x0000, 0x4D504944, 1, 0x0100},
    {"ctrl", 0x0100, 0x4D504354, 1, 0x0200},
    {"counters", 0x0200, 0x4D50434E, 1, 0x0300},
    {"punt", 0x0300, 0x4D505054, 1, 0x0400},
    {"event", 0x0400, 0x4D504556, 1, 0x0500},
    {"dma", 0x0500, 0x4D50444D, 1, 0x1000},
    {"tables", 0x1000, 0x4D505442, 1, 0x0000},
}};

// Block ident: Identity of the bitstream: what it is and what it offers.
namespace ident {
inline constexpr std::uint32_t kBase = 0x0000;
// "MPID"
inline constexpr std::uint32_t kType = 0x4D504944;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0100;
// REGMAP_VERSION (ro): register map version: major in 31:16, minor in 15:0
inline constexpr std::uint32_t kRegmapVersion = 0x000C;
// FEATURES (ro): feature bitmap (see features)
inline constexpr std::uint32_t kFeatures = 0x0010;
// NUM_PORTS (ro): number of Ethernet ports
inline constexpr std::uint32_t kNumPorts = 0x0014;
// CLOCK_KHZ (ro): datapath clock in kHz
inline constexpr std::uint32_t kClockKhz = 0x0018;
// BUILD_ID (ro): low 32 bits of the source revision the bitstream was built from
inline constexpr std::uint32_t kBuildId = 0x001C;
}  // namespace ident

// Block ctrl: Datapath control and status.
namespace ctrl {
inline constexpr std::uint32_t kBase = 0x0100;
// "MPCT"
inline constexpr std::uint32_t kType = 0x4D504354;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0200;
// CONTROL (rw): datapath control
inline constexpr std::uint32_t kControl = 0x010C;
// CONTROL.enable [0]: 1 = forward traffic; 0 = drop at ingress
inline constexpr std::uint32_t kControlEnableBit = 0;
inline constexpr std::uint32_t kControlEnableWidth = 1;
inline constexpr std::uint32_t kControlEnableMask = 0x00000001;
// CONTROL.counter_clear [1]: write 1: clear every counter (self-clearing)
inline constexpr std::uint32_t kControlCounterClearBit = 1;
inline constexpr std::uint32_t kControlCounterClearWidth = 1;
inline constexpr std::uint32_t kControlCounterClearMask = 0x00000002;
// STATUS (ro): datapath status
inline constexpr std::uint32_t kStatus = 0x0110;
// STATUS.idle [0]: no packet inside the pipeline
inline constexpr std::uint32_t kStatusIdleBit = 0;
inline constexpr std::uint32_t kStatusIdleWidth = 1;
inline constexpr std::uint32_t kStatusIdleMask = 0x00000001;
// STATUS.table_busy [1]: a table write or DMA load is in progress
inline constexpr std::uint32_t kStatusTableBusyBit = 1;
inline constexpr std::uint32_t kStatusTableBusyWidth = 1;
inline constexpr std::uint32_t kStatusTableBusyMask = 0x00000002;
// SCRATCH (rw): scratch register for access tests
inline constexpr std::uint32_t kScratch = 0x0114;
// CYCLES_LO (ro): free-running datapath cycle counter, low word (reading latches HI)
inline constexpr std::uint32_t kCyclesLo = 0x0118;
// CYCLES_HI (ro): cycle counter, high word as latched by CYCLES_LO
inline constexpr std::uint32_t kCyclesHi = 0x011C;
}  // namespace ctrl

// Block counters: Counter read port. Write CNT_SELECT, then read the latched values.
namespace counters {
inline constexpr std::uint32_t kBase = 0x0200;
// "MPCN"
inline constexpr std::uint32_t kType = 0x4D50434E;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0300;
// CNT_SELECT (rw): selects a counter and latches it into CNT_*
inline constexpr std::uint32_t kCntSelect = 0x020C;
// CNT_SELECT.index [23:0]: entry within the bank
inline constexpr std::uint32_t kCntSelectIndexBit = 0;
inline constexpr std::uint32_t kCntSelectIndexWidth = 24;
inline constexpr std::uint32_t kCntSelectIndexMask = 0x00FFFFFF;
// CNT_SELECT.bank [31:24]: counter bank (see counter_banks)
inline constexpr std::uint32_t kCntSelectBankBit = 24;
inline constexpr std::uint32_t kCntSelectBankWidth = 8;
inline constexpr std::uint32_t kCntSelectBankMask = 0xFF000000;
// CNT_PACKETS_LO (ro): packets, low word
inline constexpr std::uint32_t kCntPacketsLo = 0x0210;
// CNT_PACKETS_HI (ro): packets, high word
inline constexpr std::uint32_t kCntPacketsHi = 0x0214;
// CNT_BYTES_LO (ro): bytes, low word
inline constexpr std::uint32_t kCntBytesLo = 0x0218;
// CNT_BYTES_HI (ro): bytes, high word
inline constexpr std::uint32_t kCntBytesHi = 0x021C;
}  // namespace counters

// Block punt: Punt queue (card to host) and inject queue (host to card), one frame at a time
// through a word window.
namespace punt {
inline constexpr std::uint32_t kBase = 0x0300;
// "MPPT"
inline constexpr std::uint32_t kType = 0x4D505054;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0400;
// PUNT_COUNT (ro): frames waiting in the punt queue
inline constexpr std::uint32_t kPuntCount = 0x030C;
// PUNT_META (ro): metadata of the frame at the head of the punt queue
inline constexpr std::uint32_t kPuntMeta = 0x0310;
// PUNT_META.length [13:0]: frame length in bytes
inline constexpr std::uint32_t kPuntMetaLengthBit = 0;
inline constexpr std::uint32_t kPuntMetaLengthWidth = 14;
inline constexpr std::uint32_t kPuntMetaLengthMask = 0x00003FFF;
// PUNT_META.reason [23:16]: punt reason code (see punt_reasons)
inline constexpr std::uint32_t kPuntMetaReasonBit = 16;
inline constexpr std::uint32_t kPuntMetaReasonWidth = 8;
inline constexpr std::uint32_t kPuntMetaReasonMask = 0x00FF0000;
// PUNT_META.port [27:24]: port the frame arrived on
inline constexpr std::uint32_t kPuntMetaPortBit = 24;
inline constexpr std::uint32_t kPuntMetaPortWidth = 4;
inline constexpr std::uint32_t kPuntMetaPortMask = 0x0F000000;
// PUNT_DATA (ro): next 4 bytes of the head frame (first byte in 7:0)
inline constexpr std::uint32_t kPuntData = 0x0314;
// PUNT_POP (wo): write 1: discard the head frame
inline constexpr std::uint32_t kPuntPop = 0x0318;
// INJECT_META (rw): length and port of the frame being injected
inline constexpr std::uint32_t kInjectMeta = 0x031C;
// INJECT_META.length [13:0]: frame length in bytes
inline constexpr std::uint32_t kInjectMetaLengthBit = 0;
inline constexpr std::uint32_t kInjectMetaLengthWidth = 14;
inline constexpr std::uint32_t kInjectMetaLengthMask = 0x00003FFF;
// INJECT_META.port [27:24]: output port
inline constexpr std::uint32_t kInjectMetaPortBit = 24;
inline constexpr std::uint32_t kInjectMetaPortWidth = 4;
inline constexpr std::uint32_t kInjectMetaPortMask = 0x0F000000;
// INJECT_DATA (wo): next 4 bytes of the injected frame (first byte in 7:0)
inline constexpr std::uint32_t kInjectData = 0x0320;
// INJECT_PUSH (wo): write 1: transmit the injected frame
inline constexpr std::uint32_t kInjectPush = 0x0324;
// POLICER_SELECT (rw): punt reason whose policer POLICER_RATE/BURST address
inline constexpr std::uint32_t kPolicerSelect = 0x0328;
// POLICER_SELECT.reason [7:0]: punt reason code
inline constexpr std::uint32_t kPolicerSelectReasonBit = 0;
inline constexpr std::uint32_t kPolicerSelectReasonWidth = 8;
inline constexpr std::uint32_t kPolicerSelectReasonMask = 0x000000FF;
// POLICER_RATE (rw): tokens (packets) added every 2^16 cycles; 2 is about 9,800 frames/s at
// 322.27 MHz
inline constexpr std::uint32_t kPolicerRate = 0x032C;
// POLICER_RATE after reset
inline constexpr std::uint32_t kPolicerRateReset = 2;
// POLICER_BURST (rw): bucket depth in packets; buckets start full
inline constexpr std::uint32_t kPolicerBurst = 0x0330;
// POLICER_BURST after reset
inline constexpr std::uint32_t kPolicerBurstReset = 64;
}  // namespace punt

// Block event: Event queue (card to host): SA lifetimes, sequence exhaustion.
namespace event {
inline constexpr std::uint32_t kBase = 0x0400;
// "MPEV"
inline constexpr std::uint32_t kType = 0x4D504556;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0500;
// EVT_COUNT (ro): events waiting
inline constexpr std::uint32_t kEvtCount = 0x040C;
// EVT_HEAD (ro): event at the head of the queue
inline constexpr std::uint32_t kEvtHead = 0x0410;
// EVT_HEAD.index [23:0]: object index (e.g. SA index)
inline constexpr std::uint32_t kEvtHeadIndexBit = 0;
inline constexpr std::uint32_t kEvtHeadIndexWidth = 24;
inline constexpr std::uint32_t kEvtHeadIndexMask = 0x00FFFFFF;
// EVT_HEAD.code [31:24]: event code (see event_codes)
inline constexpr std::uint32_t kEvtHeadCodeBit = 24;
inline constexpr std::uint32_t kEvtHeadCodeWidth = 8;
inline constexpr std::uint32_t kEvtHeadCodeMask = 0xFF000000;
// EVT_POP (wo): write 1: discard the head event
inline constexpr std::uint32_t kEvtPop = 0x0414;
}  // namespace event

// Block dma: Bulk table load: copies COUNT entries from host memory into a table.
namespace dma {
inline constexpr std::uint32_t kBase = 0x0500;
// "MPDM"
inline constexpr std::uint32_t kType = 0x4D50444D;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x1000;
// DMA_TABLE (rw): table id (see tables)
inline constexpr std::uint32_t kDmaTable = 0x050C;
// DMA_INDEX (rw): first entry index
inline constexpr std::uint32_t kDmaIndex = 0x0510;
// DMA_COUNT (rw): number of entries
inline constexpr std::uint32_t kDmaCount = 0x0514;
// DMA_ADDR_LO (rw): host buffer address, low word; entries packed at the table's stride
inline constexpr std::uint32_t kDmaAddrLo = 0x0518;
// DMA_ADDR_HI (rw): host buffer address, high word
inline constexpr std::uint32_t kDmaAddrHi = 0x051C;
// DMA_START (wo): write 1: start the transfer
inline constexpr std::uint32_t kDmaStart = 0x0520;
// DMA_STATUS (ro): transfer status
inline constexpr std::uint32_t kDmaStatus = 0x0524;
// DMA_STATUS.busy [0]: transfer in progress
inline constexpr std::uint32_t kDmaStatusBusyBit = 0;
inline constexpr std::uint32_t kDmaStatusBusyWidth = 1;
inline constexpr std::uint32_t kDmaStatusBusyMask = 0x00000001;
// DMA_STATUS.error [1]: last transfer failed (bad table or range)
inline constexpr std::uint32_t kDmaStatusErrorBit = 1;
inline constexpr std::uint32_t kDmaStatusErrorWidth = 1;
inline constexpr std::uint32_t kDmaStatusErrorMask = 0x00000002;
}  // namespace dma

// Block tables: Table write windows, one per table at tables.base + 0x40 * (table id + 1),
// after the block header. Write the entry's words to DATA0.., its index to INDEX, then 1
// (write) or 2 (read back into DATA) to CMD.
namespace tables {
inline constexpr std::uint32_t kBase = 0x1000;
// "MPTB"
inline constexpr std::uint32_t kType = 0x4D505442;
inline constexpr std::uint32_t kVersion = 1;
// base of the next block, 0 at the end
inline constexpr std::uint32_t kNext = 0x0000;
// Table windows: the window of table id i starts at kBase + kWindowOffset + kWindowStride *
// i. The registers below are relative to window_base().
inline constexpr std::uint32_t kWindowOffset = 0x0040;
inline constexpr std::uint32_t kWindowStride = 0x0040;
// INDEX (rw): entry index
inline constexpr std::uint32_t kIndex = 0x0000;
// CMD (wo): 1 = write DATA to INDEX, 2 = read INDEX into DATA
inline constexpr std::uint32_t kCmd = 0x0004;
// write DATA0.. to the entry at INDEX
inline constexpr std::uint32_t kCmdWrite = 1;
// read the entry at INDEX into DATA0..
inline constexpr std::uint32_t kCmdRead = 2;
// STATUS (ro): bit 0: last command failed (index out of range)
inline constexpr std::uint32_t kStatus = 0x0008;
// DATA0 (rw): entry word 0 (bits 31:0)
inline constexpr std::uint32_t kData0 = 0x0010;
inline constexpr std::uint32_t kDataCount = 12;
constexpr std::uint32_t window_base(TableId id) {
  return kBase + kWindowOffset + kWindowStride * static_cast<std::uint32_t>(id);
}
}  // namespace tables

// --- Drop and punt reasons ---

struct ReasonInfo {
  Reason code;
  const char* name;
  bool drop;  // else punt
  const char* doc;
};

inline constexpr std::uint32_t kNumDropReasons = 15;
inline constexpr std::uint32_t kNumPuntReasons = 3;
// Highest reason code + 1: entries of the reason counter bank.
inline constexpr std::uint32_t kNumReasonCodes = 19;

// Every reason in register-map order: drops, then punts.
inline constexpr std::array<ReasonInfo, 18> kReasons{{
    {Reason::bad_frame, "bad_frame", true,
     "runt, oversize, truncated or malformed header, unsupported ethertype"},
    {Reason::no_label, "no_label", true,
     "top label not installed, or a reserved label with no meaning here"},
    {Reason::label_spoofed, "label_spoofed", true,
     "label arrived on a port it was not advertised to"},
    {Reason::stack_too_deep, "stack_too_deep", true,
     "no bottom-of-stack within the supported depth"},
    {Reason::no_route, "no_route", true,
     "no VRF route for the destination"},
    {Reason::mtu_exceeded, "mtu_exceeded", true,
     "the frame to send exceeds the output port's MTU"},
    {Reason::esp_no_sa, "esp_no_sa", true,
     "no SA for the SPI, or the route's SA is not installed"},
    {Reason::esp_auth_failed, "esp_auth_failed", true,
     "ICV check failed"},
    {Reason::esp_replay, "esp_replay", true,
     "sequence number replayed or left of the window"},
    {Reason::esp_bad_padding, "esp_bad_padding", true,
     "padding bytes are not 1, 2, 3, ..."},
    {Reason::esp_seq_overflow, "esp_seq_overflow", true,
     "outbound sequence number exhausted"},
    {Reason::esp_required, "esp_required", true,
     "plaintext reached a VRF that demands ESP"},
    {Reason::punt_policed, "punt_policed", true,
     "the punt policer refused the frame"},
    {Reason::action_drop, "action_drop", true,
     "the NHLFE says drop"},
    {Reason::esp_sa_expired, "esp_sa_expired", true,
     "the SA passed its hard lifetime and is stopped until the host rekeys it"},
    {Reason::punt_control, "punt_control", false,
     "for the card's own addresses, multicast control traffic, ARP, or the punt action"},
    {Reason::ttl_expired, "ttl_expired", false,
     "TTL would reach zero; the original frame goes to the host for ICMP"},
    {Reason::router_alert, "router_alert", false,
     "router alert label (1) on top"},
}};

constexpr bool is_drop(Reason reason) {
  switch (reason) {
    case Reason::bad_frame:
    case Reason::no_label:
    case Reason::label_spoofed:
    case Reason::stack_too_deep:
    case Reason::no_route:
    case Reason::mtu_exceeded:
    case Reason::esp_no_sa:
    case Reason::esp_auth_failed:
    case Reason::esp_replay:
    case Reason::esp_bad_padding:
    case Reason::esp_seq_overflow:
    case Reason::esp_required:
    case Reason::punt_policed:
    case Reason::action_drop:
    case Reason::esp_sa_expired:
      return true;
    default:
      return false;
  }
}

constexpr bool is_punt(Reason reason) {
  switch (reason) {
    case Reason::punt_control:
    case Reason::ttl_expired:
    case Reason::router_alert:
      return true;
    default:
      return false;
  }
}

// The fixed name (counters, JSON), or nullptr for a code that is no reason.
constexpr const char* reason_name(Reason reason) {
  for (const ReasonInfo& info : kReasons)
    if (info.code == reason) return info.name;
  return nullptr;
}

// --- Tables ---

struct TableInfo {
  const char* name;
  TableId id;
  std::uint32_t depth;
  std::uint32_t width_bits;
  std::uint32_t words;  // per entry, in the window and in DMA buffers
  int feature;  // bit in ident.FEATURES a card must set to have the table; -1: every card
};

// Indexed by TableId.
inline constexpr std::array<TableInfo, 14> kTables{{
    {"port", TableId::port, 4, 71, 3, -1},
    {"ilm", TableId::ilm, 1048576, 21, 1, -1},
    {"nhlfe", TableId::nhlfe, 65536, 90, 3, -1},
    {"nexthop", TableId::nexthop, 4096, 64, 2, -1},
    {"vrf", TableId::vrf, 256, 2, 1, -1},
    {"route", TableId::route, 131072, 89, 3, -1},
    {"lpm4", TableId::lpm4, 16777216, 33, 2, -1},
    {"lpm6", TableId::lpm6, 16777216, 31, 1, -1},
    {"local_addr", TableId::local_addr, 16, 130, 5, -1},
    {"sa", TableId::sa, 4096, 330, 11, 3},
    {"sa_tunnel", TableId::sa_tunnel, 4096, 288, 9, 3},
    {"sa_lifetime", TableId::sa_lifetime, 4096, 256, 8, 3},
    {"sa_seq", TableId::sa_seq, 4096, 64, 2, 3},
    {"spi_hash", TableId::spi_hash, 16384, 45, 2, 3},
}};

constexpr const TableInfo& table_info(TableId id) {
  return kTables[static_cast<std::size_t>(id)];
}

// Entry of table port (id 0; 71 bits in 3 words, word 0 holds bits 31:0).
// Per-port settings.
struct PortEntry {
  static constexpr TableId kTable = TableId::port;
  static constexpr unsigned kWidthBits = 71;
  static constexpr unsigned kWords = 3;

  // [47:0] port MAC, source of every frame sent (first wire byte in 47:40)
  std::uint64_t mac{};
  static constexpr unsigned kMacBit = 0;
  static constexpr unsigned kMacWidth = 48;

  // [48] the port faces a customer VRF
  std::uint64_t vrf_valid{};
  static constexpr unsigned kVrfValidBit = 48;
  static constexpr unsigned kVrfValidWidth = 1;

  // [56:49] VRF index of a customer port
  std::uint64_t vrf{};
  static constexpr unsigned kVrfBit = 49;
  static constexpr unsigned kVrfWidth = 8;

  // [70:57] largest L3/MPLS payload sent after the Ethernet and VLAN headers
  std::uint64_t mtu{};
  static constexpr unsigned kMtuBit = 57;
  static constexpr unsigned kMtuWidth = 14;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kMacBit, kMacWidth, mac);
    detail::put_bits(words.data(), kVrfValidBit, kVrfValidWidth, vrf_valid);
    detail::put_bits(words.data(), kVrfBit, kVrfWidth, vrf);
    detail::put_bits(words.data(), kMtuBit, kMtuWidth, mtu);
    return words;
  }

  static constexpr PortEntry unpack(const std::uint32_t* words) {
    PortEntry entry{};
    entry.mac = detail::get_bits(words, kMacBit, kMacWidth);
    entry.vrf_valid = detail::get_bits(words, kVrfValidBit, kVrfValidWidth);
    entry.vrf = detail::get_bits(words, kVrfBit, kVrfWidth);
    entry.mtu = detail::get_bits(words, kMtuBit, kMtuWidth);
    return entry;
  }
  static constexpr PortEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const PortEntry& other) const {
    return mac == other.mac &&
           vrf_valid == other.vrf_valid &&
           vrf == other.vrf &&
           mtu == other.mtu;
  }
  bool operator!=(const PortEntry& other) const { return !(*this == other); }
};

// Entry of table ilm (id 1; 21 bits in 1 word, word 0 holds bits 31:0).
// Incoming label map, direct-indexed by the 20-bit label.
struct IlmEntry {
  static constexpr TableId kTable = TableId::ilm;
  static constexpr unsigned kWidthBits = 21;
  static constexpr unsigned kWords = 1;

  // [0] label is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [4:1] bit p set: the label is accepted on port p
  std::uint64_t port_mask{};
  static constexpr unsigned kPortMaskBit = 1;
  static constexpr unsigned kPortMaskWidth = 4;

  // [20:5] index of the NHLFE
  std::uint64_t nhlfe{};
  static constexpr unsigned kNhlfeBit = 5;
  static constexpr unsigned kNhlfeWidth = 16;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kPortMaskBit, kPortMaskWidth, port_mask);
    detail::put_bits(words.data(), kNhlfeBit, kNhlfeWidth, nhlfe);
    return words;
  }

  static constexpr IlmEntry unpack(const std::uint32_t* words) {
    IlmEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.port_mask = detail::get_bits(words, kPortMaskBit, kPortMaskWidth);
    entry.nhlfe = detail::get_bits(words, kNhlfeBit, kNhlfeWidth);
    return entry;
  }
  static constexpr IlmEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const IlmEntry& other) const {
    return valid == other.valid &&
           port_mask == other.port_mask &&
           nhlfe == other.nhlfe;
  }
  bool operator!=(const IlmEntry& other) const { return !(*this == other); }
};

// Entry of table nhlfe (id 2; 90 bits in 3 words, word 0 holds bits 31:0).
// Next-hop label forwarding entries.
struct NhlfeEntry {
  static constexpr TableId kTable = TableId::nhlfe;
  static constexpr unsigned kWidthBits = 90;
  static constexpr unsigned kWords = 3;

  // [2:0] operation (NhlfeOp)
  std::uint64_t op{};
  static constexpr unsigned kOpBit = 0;
  static constexpr unsigned kOpWidth = 3;

  // [4:3] labels written by swap (1..3)
  std::uint64_t n_labels{};
  static constexpr unsigned kNLabelsBit = 3;
  static constexpr unsigned kNLabelsWidth = 2;

  // [24:5] outermost out label
  std::uint64_t label0{};
  static constexpr unsigned kLabel0Bit = 5;
  static constexpr unsigned kLabel0Width = 20;

  // [44:25] second out label
  std::uint64_t label1{};
  static constexpr unsigned kLabel1Bit = 25;
  static constexpr unsigned kLabel1Width = 20;

  // [64:45] third out label
  std::uint64_t label2{};
  static constexpr unsigned kLabel2Bit = 45;
  static constexpr unsigned kLabel2Width = 20;

  // [76:65] next hop index (swap, pop)
  std::uint64_t nexthop{};
  static constexpr unsigned kNexthopBit = 65;
  static constexpr unsigned kNexthopWidth = 12;

  // [84:77] VRF index (pop_lookup)
  std::uint64_t vrf{};
  static constexpr unsigned kVrfBit = 77;
  static constexpr unsigned kVrfWidth = 8;

  // [85] 1 = RFC 3443 pipe model, 0 = uniform
  std::uint64_t ttl_pipe{};
  static constexpr unsigned kTtlPipeBit = 85;
  static constexpr unsigned kTtlPipeWidth = 1;

  // [86] 1 = write tc into new labels, 0 = keep the incoming TC
  std::uint64_t tc_set{};
  static constexpr unsigned kTcSetBit = 86;
  static constexpr unsigned kTcSetWidth = 1;

  // [89:87] traffic class written when tc_set
  std::uint64_t tc{};
  static constexpr unsigned kTcBit = 87;
  static constexpr unsigned kTcWidth = 3;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kOpBit, kOpWidth, op);
    detail::put_bits(words.data(), kNLabelsBit, kNLabelsWidth, n_labels);
    detail::put_bits(words.data(), kLabel0Bit, kLabel0Width, label0);
    detail::put_bits(words.data(), kLabel1Bit, kLabel1Width, label1);
    detail::put_bits(words.data(), kLabel2Bit, kLabel2Width, label2);
    detail::put_bits(words.data(), kNexthopBit, kNexthopWidth, nexthop);
    detail::put_bits(words.data(), kVrfBit, kVrfWidth, vrf);
    detail::put_bits(words.data(), kTtlPipeBit, kTtlPipeWidth, ttl_pipe);
    detail::put_bits(words.data(), kTcSetBit, kTcSetWidth, tc_set);
    detail::put_bits(words.data(), kTcBit, kTcWidth, tc);
    return words;
  }

  static constexpr NhlfeEntry unpack(const std::uint32_t* words) {
    NhlfeEntry entry{};
    entry.op = detail::get_bits(words, kOpBit, kOpWidth);
    entry.n_labels = detail::get_bits(words, kNLabelsBit, kNLabelsWidth);
    entry.label0 = detail::get_bits(words, kLabel0Bit, kLabel0Width);
    entry.label1 = detail::get_bits(words, kLabel1Bit, kLabel1Width);
    entry.label2 = detail::get_bits(words, kLabel2Bit, kLabel2Width);
    entry.nexthop = detail::get_bits(words, kNexthopBit, kNexthopWidth);
    entry.vrf = detail::get_bits(words, kVrfBit, kVrfWidth);
    entry.ttl_pipe = detail::get_bits(words, kTtlPipeBit, kTtlPipeWidth);
    entry.tc_set = detail::get_bits(words, kTcSetBit, kTcSetWidth);
    entry.tc = detail::get_bits(words, kTcBit, kTcWidth);
    return entry;
  }
  static constexpr NhlfeEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const NhlfeEntry& other) const {
    return op == other.op &&
           n_labels == other.n_labels &&
           label0 == other.label0 &&
           label1 == other.label1 &&
           label2 == other.label2 &&
           nexthop == other.nexthop &&
           vrf == other.vrf &&
           ttl_pipe == other.ttl_pipe &&
           tc_set == other.tc_set &&
           tc == other.tc;
  }
  bool operator!=(const NhlfeEntry& other) const { return !(*this == other); }
};

// Entry of table nexthop (id 3; 64 bits in 2 words, word 0 holds bits 31:0).
// Next hops: output port and Ethernet rewrite.
struct NexthopEntry {
  static constexpr TableId kTable = TableId::nexthop;
  static constexpr unsigned kWidthBits = 64;
  static constexpr unsigned kWords = 2;

  // [0] entry is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [2:1] output port
  std::uint64_t port{};
  static constexpr unsigned kPortBit = 1;
  static constexpr unsigned kPortWidth = 2;

  // [50:3] destination MAC (first wire byte in 47:40)
  std::uint64_t dmac{};
  static constexpr unsigned kDmacBit = 3;
  static constexpr unsigned kDmacWidth = 48;

  // [51] push an 802.1Q tag
  std::uint64_t vlan_valid{};
  static constexpr unsigned kVlanValidBit = 51;
  static constexpr unsigned kVlanValidWidth = 1;

  // [63:52] VLAN id of the pushed tag
  std::uint64_t vlan{};
  static constexpr unsigned kVlanBit = 52;
  static constexpr unsigned kVlanWidth = 12;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kPortBit, kPortWidth, port);
    detail::put_bits(words.data(), kDmacBit, kDmacWidth, dmac);
    detail::put_bits(words.data(), kVlanValidBit, kVlanValidWidth, vlan_valid);
    detail::put_bits(words.data(), kVlanBit, kVlanWidth, vlan);
    return words;
  }

  static constexpr NexthopEntry unpack(const std::uint32_t* words) {
    NexthopEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.port = detail::get_bits(words, kPortBit, kPortWidth);
    entry.dmac = detail::get_bits(words, kDmacBit, kDmacWidth);
    entry.vlan_valid = detail::get_bits(words, kVlanValidBit, kVlanValidWidth);
    entry.vlan = detail::get_bits(words, kVlanBit, kVlanWidth);
    return entry;
  }
  static constexpr NexthopEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const NexthopEntry& other) const {
    return valid == other.valid &&
           port == other.port &&
           dmac == other.dmac &&
           vlan_valid == other.vlan_valid &&
           vlan == other.vlan;
  }
  bool operator!=(const NexthopEntry& other) const { return !(*this == other); }
};

// Entry of table vrf (id 4; 2 bits in 1 word, word 0 holds bits 31:0).
// Per-VRF settings. The VRF index is also its root node in level 0 of both LPM tries.
struct VrfEntry {
  static constexpr TableId kTable = TableId::vrf;
  static constexpr unsigned kWidthBits = 2;
  static constexpr unsigned kWords = 1;

  // [0] VRF is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [1] plaintext arriving from the core for this VRF is dropped (esp_required)
  std::uint64_t require_esp{};
  static constexpr unsigned kRequireEspBit = 1;
  static constexpr unsigned kRequireEspWidth = 1;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kRequireEspBit, kRequireEspWidth, require_esp);
    return words;
  }

  static constexpr VrfEntry unpack(const std::uint32_t* words) {
    VrfEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.require_esp = detail::get_bits(words, kRequireEspBit, kRequireEspWidth);
    return entry;
  }
  static constexpr VrfEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const VrfEntry& other) const {
    return valid == other.valid &&
           require_esp == other.require_esp;
  }
  bool operator!=(const VrfEntry& other) const { return !(*this == other); }
};

// Entry of table route (id 5; 89 bits in 3 words, word 0 holds bits 31:0).
// Route results, pointed to by LPM trie slots.
struct RouteEntry {
  static constexpr TableId kTable = TableId::route;
  static constexpr unsigned kWidthBits = 89;
  static constexpr unsigned kWords = 3;

  // [0] entry is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [12:1] next hop index
  std::uint64_t nexthop{};
  static constexpr unsigned kNexthopBit = 1;
  static constexpr unsigned kNexthopWidth = 12;

  // [14:13] labels to push (0..3)
  std::uint64_t n_push{};
  static constexpr unsigned kNPushBit = 13;
  static constexpr unsigned kNPushWidth = 2;

  // [34:15] outermost pushed label
  std::uint64_t label0{};
  static constexpr unsigned kLabel0Bit = 15;
  static constexpr unsigned kLabel0Width = 20;

  // [54:35] second pushed label
  std::uint64_t label1{};
  static constexpr unsigned kLabel1Bit = 35;
  static constexpr unsigned kLabel1Width = 20;

  // [74:55] third pushed label
  std::uint64_t label2{};
  static constexpr unsigned kLabel2Bit = 55;
  static constexpr unsigned kLabel2Width = 20;

  // [75] 1 = pushed labels carry TTL 255 (pipe), 0 = copy the IP TTL (uniform)
  std::uint64_t ttl_pipe{};
  static constexpr unsigned kTtlPipeBit = 75;
  static constexpr unsigned kTtlPipeWidth = 1;

  // [76] encrypt with the outbound SA sa
  std::uint64_t sa_valid{};
  static constexpr unsigned kSaValidBit = 76;
  static constexpr unsigned kSaValidWidth = 1;

  // [88:77] outbound SA index
  std::uint64_t sa{};
  static constexpr unsigned kSaBit = 77;
  static constexpr unsigned kSaWidth = 12;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kNexthopBit, kNexthopWidth, nexthop);
    detail::put_bits(words.data(), kNPushBit, kNPushWidth, n_push);
    detail::put_bits(words.data(), kLabel0Bit, kLabel0Width, label0);
    detail::put_bits(words.data(), kLabel1Bit, kLabel1Width, label1);
    detail::put_bits(words.data(), kLabel2Bit, kLabel2Width, label2);
    detail::put_bits(words.data(), kTtlPipeBit, kTtlPipeWidth, ttl_pipe);
    detail::put_bits(words.data(), kSaValidBit, kSaValidWidth, sa_valid);
    detail::put_bits(words.data(), kSaBit, kSaWidth, sa);
    return words;
  }

  static constexpr RouteEntry unpack(const std::uint32_t* words) {
    RouteEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.nexthop = detail::get_bits(words, kNexthopBit, kNexthopWidth);
    entry.n_push = detail::get_bits(words, kNPushBit, kNPushWidth);
    entry.label0 = detail::get_bits(words, kLabel0Bit, kLabel0Width);
    entry.label1 = detail::get_bits(words, kLabel1Bit, kLabel1Width);
    entry.label2 = detail::get_bits(words, kLabel2Bit, kLabel2Width);
    entry.ttl_pipe = detail::get_bits(words, kTtlPipeBit, kTtlPipeWidth);
    entry.sa_valid = detail::get_bits(words, kSaValidBit, kSaValidWidth);
    entry.sa = detail::get_bits(words, kSaBit, kSaWidth);
    return entry;
  }
  static constexpr RouteEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const RouteEntry& other) const {
    return valid == other.valid &&
           nexthop == other.nexthop &&
           n_push == other.n_push &&
           label0 == other.label0 &&
           label1 == other.label1 &&
           label2 == other.label2 &&
           ttl_pipe == other.ttl_pipe &&
           sa_valid == other.sa_valid &&
           sa == other.sa;
  }
  bool operator!=(const RouteEntry& other) const { return !(*this == other); }
};

// Entry of table lpm4 (id 6; 33 bits in 2 words, word 0 holds bits 31:0).
// IPv4 multibit trie, stride 8, one node pool per level (levels 0..3). Index = level << 22 |
// node << 8 | slot. Level-0 node n is the root of VRF n. A slot holds the best route of
// length up to (level+1)*8 covering it and, when longer prefixes exist below it, the child
// node in the next level.
struct Lpm4Entry {
  static constexpr TableId kTable = TableId::lpm4;
  static constexpr unsigned kWidthBits = 33;
  static constexpr unsigned kWords = 2;

  // [0] a child node exists in the next level
  std::uint64_t child_valid{};
  static constexpr unsigned kChildValidBit = 0;
  static constexpr unsigned kChildValidWidth = 1;

  // [14:1] child node index
  std::uint64_t child{};
  static constexpr unsigned kChildBit = 1;
  static constexpr unsigned kChildWidth = 14;

  // [15] route holds the best match so far
  std::uint64_t route_valid{};
  static constexpr unsigned kRouteValidBit = 15;
  static constexpr unsigned kRouteValidWidth = 1;

  // [32:16] route index
  std::uint64_t route{};
  static constexpr unsigned kRouteBit = 16;
  static constexpr unsigned kRouteWidth = 17;

  // Entry index layout (see lpm4_index()).
  static constexpr unsigned kIndexSlotBit = 0;
  static constexpr unsigned kIndexSlotWidth = 8;
  static constexpr unsigned kIndexNodeBit = 8;
  static constexpr unsigned kIndexNodeWidth = 14;
  static constexpr unsigned kIndexLevelBit = 22;
  static constexpr unsigned kIndexLevelWidth = 2;
  static constexpr unsigned kLevels = 4;
  static constexpr std::array<std::uint32_t, kLevels> kNodesPerLevel{{256, 4096, 8192, 8192}};

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kChildValidBit, kChildValidWidth, child_valid);
    detail::put_bits(words.data(), kChildBit, kChildWidth, child);
    detail::put_bits(words.data(), kRouteValidBit, kRouteValidWidth, route_valid);
    detail::put_bits(words.data(), kRouteBit, kRouteWidth, route);
    return words;
  }

  static constexpr Lpm4Entry unpack(const std::uint32_t* words) {
    Lpm4Entry entry{};
    entry.child_valid = detail::get_bits(words, kChildValidBit, kChildValidWidth);
    entry.child = detail::get_bits(words, kChildBit, kChildWidth);
    entry.route_valid = detail::get_bits(words, kRouteValidBit, kRouteValidWidth);
    entry.route = detail::get_bits(words, kRouteBit, kRouteWidth);
    return entry;
  }
  static constexpr Lpm4Entry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const Lpm4Entry& other) const {
    return child_valid == other.child_valid &&
           child == other.child &&
           route_valid == other.route_valid &&
           route == other.route;
  }
  bool operator!=(const Lpm4Entry& other) const { return !(*this == other); }
};

// Entry index of table lpm4 from its parts, each masked to its width.
constexpr std::uint32_t lpm4_index(std::uint32_t level, std::uint32_t node, std::uint32_t slot) {
  return detail::place(level, Lpm4Entry::kIndexLevelBit, Lpm4Entry::kIndexLevelWidth) |
         detail::place(node, Lpm4Entry::kIndexNodeBit, Lpm4Entry::kIndexNodeWidth) |
         detail::place(slot, Lpm4Entry::kIndexSlotBit, Lpm4Entry::kIndexSlotWidth);
}

// Entry of table lpm6 (id 7; 31 bits in 1 word, word 0 holds bits 31:0).
// IPv6 multibit trie, stride 8, levels 0..15, same slot format as lpm4. Index = level << 20
// | node << 8 | slot.
struct Lpm6Entry {
  static constexpr TableId kTable = TableId::lpm6;
  static constexpr unsigned kWidthBits = 31;
  static constexpr unsigned kWords = 1;

  // [0] a child node exists in the next level
  std::uint64_t child_valid{};
  static constexpr unsigned kChildValidBit = 0;
  static constexpr unsigned kChildValidWidth = 1;

  // [12:1] child node index
  std::uint64_t child{};
  static constexpr unsigned kChildBit = 1;
  static constexpr unsigned kChildWidth = 12;

  // [13] route holds the best match so far
  std::uint64_t route_valid{};
  static constexpr unsigned kRouteValidBit = 13;
  static constexpr unsigned kRouteValidWidth = 1;

  // [30:14] route index
  std::uint64_t route{};
  static constexpr unsigned kRouteBit = 14;
  static constexpr unsigned kRouteWidth = 17;

  // Entry index layout (see lpm6_index()).
  static constexpr unsigned kIndexSlotBit = 0;
  static constexpr unsigned kIndexSlotWidth = 8;
  static constexpr unsigned kIndexNodeBit = 8;
  static constexpr unsigned kIndexNodeWidth = 12;
  static constexpr unsigned kIndexLevelBit = 20;
  static constexpr unsigned kIndexLevelWidth = 4;
  static constexpr unsigned kLevels = 16;
  static constexpr std::array<std::uint32_t, kLevels> kNodesPerLevel{{256, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 512, 512, 512, 512, 512, 512, 512}};

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kChildValidBit, kChildValidWidth, child_valid);
    detail::put_bits(words.data(), kChildBit, kChildWidth, child);
    detail::put_bits(words.data(), kRouteValidBit, kRouteValidWidth, route_valid);
    detail::put_bits(words.data(), kRouteBit, kRouteWidth, route);
    return words;
  }

  static constexpr Lpm6Entry unpack(const std::uint32_t* words) {
    Lpm6Entry entry{};
    entry.child_valid = detail::get_bits(words, kChildValidBit, kChildValidWidth);
    entry.child = detail::get_bits(words, kChildBit, kChildWidth);
    entry.route_valid = detail::get_bits(words, kRouteValidBit, kRouteValidWidth);
    entry.route = detail::get_bits(words, kRouteBit, kRouteWidth);
    return entry;
  }
  static constexpr Lpm6Entry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const Lpm6Entry& other) const {
    return child_valid == other.child_valid &&
           child == other.child &&
           route_valid == other.route_valid &&
           route == other.route;
  }
  bool operator!=(const Lpm6Entry& other) const { return !(*this == other); }
};

// Entry index of table lpm6 from its parts, each masked to its width.
constexpr std::uint32_t lpm6_index(std::uint32_t level, std::uint32_t node, std::uint32_t slot) {
  return detail::place(level, Lpm6Entry::kIndexLevelBit, Lpm6Entry::kIndexLevelWidth) |
         detail::place(node, Lpm6Entry::kIndexNodeBit, Lpm6Entry::kIndexNodeWidth) |
         detail::place(slot, Lpm6Entry::kIndexSlotBit, Lpm6Entry::kIndexSlotWidth);
}

// Entry of table local_addr (id 8; 130 bits in 5 words, word 0 holds bits 31:0).
// The card's own addresses: IP packets to them are punted (punt_control).
struct LocalAddrEntry {
  static constexpr TableId kTable = TableId::local_addr;
  static constexpr unsigned kWidthBits = 130;
  static constexpr unsigned kWords = 5;

  // [0] entry is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [1] addr is IPv6 (else IPv4 in addr[31:0])
  std::uint64_t is_v6{};
  static constexpr unsigned kIsV6Bit = 1;
  static constexpr unsigned kIsV6Width = 1;

  // [129:2] address, network byte order with the first byte in the most significant bits
  std::array<std::uint32_t, 4> addr{};
  static constexpr unsigned kAddrBit = 2;
  static constexpr unsigned kAddrWidth = 128;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kIsV6Bit, kIsV6Width, is_v6);
    detail::put_wide(words.data(), kAddrBit, kAddrWidth, addr);
    return words;
  }

  static constexpr LocalAddrEntry unpack(const std::uint32_t* words) {
    LocalAddrEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.is_v6 = detail::get_bits(words, kIsV6Bit, kIsV6Width);
    entry.addr = detail::get_wide<4>(words, kAddrBit, kAddrWidth);
    return entry;
  }
  static constexpr LocalAddrEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const LocalAddrEntry& other) const {
    return valid == other.valid &&
           is_v6 == other.is_v6 &&
           addr == other.addr;
  }
  bool operator!=(const LocalAddrEntry& other) const { return !(*this == other); }
};

// Entry of table sa (id 9; 330 bits in 11 words, word 0 holds bits 31:0).
// Security associations (ESP AES-GCM, RFC 4303 with RFC 4106). Writing an entry (re)starts
// the SA: next outbound sequence number 1, replay window empty, lifetime state and the SA's
// counters cleared; the card expands the key and computes H..H^4 at that moment, never per
// packet. Write sa_tunnel and sa_lifetime before sa.
struct SaEntry {
  static constexpr TableId kTable = TableId::sa;
  static constexpr unsigned kWidthBits = 330;
  static constexpr unsigned kWords = 11;

  // [0] SA is installed
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [1] 1 = decrypts (found by SPI through spi_hash); 0 = encrypts (named by a route)
  std::uint64_t inbound{};
  static constexpr unsigned kInboundBit = 1;
  static constexpr unsigned kInboundWidth = 1;

  // [2] 1 = AES-256-GCM, 0 = AES-128-GCM (16-byte ICV either way)
  std::uint64_t aes256{};
  static constexpr unsigned kAes256Bit = 2;
  static constexpr unsigned kAes256Width = 1;

  // [3] 64-bit extended sequence numbers (RFC 4303 2.2.1)
  std::uint64_t esn{};
  static constexpr unsigned kEsnBit = 3;
  static constexpr unsigned kEsnWidth = 1;

  // [4] RFC 3948 UDP encapsulation (IPv4 tunnels only)
  std::uint64_t encap_udp{};
  static constexpr unsigned kEncapUdpBit = 4;
  static constexpr unsigned kEncapUdpWidth = 1;

  // [5] outbound: the outer header is IPv6 (else IPv4)
  std::uint64_t outer_v6{};
  static constexpr unsigned kOuterV6Bit = 5;
  static constexpr unsigned kOuterV6Width = 1;

  // [9:6] inbound: anti-replay window of 2^replay_log2 packets (6..12, 64..4096)
  std::uint64_t replay_log2{};
  static constexpr unsigned kReplayLog2Bit = 6;
  static constexpr unsigned kReplayLog2Width = 4;

  // [41:10] security parameter index
  std::uint64_t spi{};
  static constexpr unsigned kSpiBit = 10;
  static constexpr unsigned kSpiWidth = 32;

  // [73:42] RFC 4106 nonce salt, first byte in 31:24
  std::uint64_t salt{};
  static constexpr unsigned kSaltBit = 42;
  static constexpr unsigned kSaltWidth = 32;

  // [329:74] AES key, first byte in 255:248; AES-128 uses 255:128 and leaves 127:0 zero
  std::array<std::uint32_t, 8> key{};
  static constexpr unsigned kKeyBit = 74;
  static constexpr unsigned kKeyWidth = 256;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kInboundBit, kInboundWidth, inbound);
    detail::put_bits(words.data(), kAes256Bit, kAes256Width, aes256);
    detail::put_bits(words.data(), kEsnBit, kEsnWidth, esn);
    detail::put_bits(words.data(), kEncapUdpBit, kEncapUdpWidth, encap_udp);
    detail::put_bits(words.data(), kOuterV6Bit, kOuterV6Width, outer_v6);
    detail::put_bits(words.data(), kReplayLog2Bit, kReplayLog2Width, replay_log2);
    detail::put_bits(words.data(), kSpiBit, kSpiWidth, spi);
    detail::put_bits(words.data(), kSaltBit, kSaltWidth, salt);
    detail::put_wide(words.data(), kKeyBit, kKeyWidth, key);
    return words;
  }

  static constexpr SaEntry unpack(const std::uint32_t* words) {
    SaEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.inbound = detail::get_bits(words, kInboundBit, kInboundWidth);
    entry.aes256 = detail::get_bits(words, kAes256Bit, kAes256Width);
    entry.esn = detail::get_bits(words, kEsnBit, kEsnWidth);
    entry.encap_udp = detail::get_bits(words, kEncapUdpBit, kEncapUdpWidth);
    entry.outer_v6 = detail::get_bits(words, kOuterV6Bit, kOuterV6Width);
    entry.replay_log2 = detail::get_bits(words, kReplayLog2Bit, kReplayLog2Width);
    entry.spi = detail::get_bits(words, kSpiBit, kSpiWidth);
    entry.salt = detail::get_bits(words, kSaltBit, kSaltWidth);
    entry.key = detail::get_wide<8>(words, kKeyBit, kKeyWidth);
    return entry;
  }
  static constexpr SaEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const SaEntry& other) const {
    return valid == other.valid &&
           inbound == other.inbound &&
           aes256 == other.aes256 &&
           esn == other.esn &&
           encap_udp == other.encap_udp &&
           outer_v6 == other.outer_v6 &&
           replay_log2 == other.replay_log2 &&
           spi == other.spi &&
           salt == other.salt &&
           key == other.key;
  }
  bool operator!=(const SaEntry& other) const { return !(*this == other); }
};

// Entry of table sa_tunnel (id 10; 288 bits in 9 words, word 0 holds bits 31:0).
// Outer header of an outbound SA. Inbound SAs leave it zero.
struct SaTunnelEntry {
  static constexpr TableId kTable = TableId::sa_tunnel;
  static constexpr unsigned kWidthBits = 288;
  static constexpr unsigned kWords = 9;

  // [127:0] outer source address (IPv4 in 31:0), first byte in the most significant bits
  std::array<std::uint32_t, 4> src{};
  static constexpr unsigned kSrcBit = 0;
  static constexpr unsigned kSrcWidth = 128;

  // [255:128] outer destination address, same encoding
  std::array<std::uint32_t, 4> dst{};
  static constexpr unsigned kDstBit = 128;
  static constexpr unsigned kDstWidth = 128;

  // [271:256] UDP source port when encap_udp (4500 unless NAT moved it)
  std::uint64_t udp_sport{};
  static constexpr unsigned kUdpSportBit = 256;
  static constexpr unsigned kUdpSportWidth = 16;

  // [287:272] UDP destination port when encap_udp
  std::uint64_t udp_dport{};
  static constexpr unsigned kUdpDportBit = 272;
  static constexpr unsigned kUdpDportWidth = 16;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_wide(words.data(), kSrcBit, kSrcWidth, src);
    detail::put_wide(words.data(), kDstBit, kDstWidth, dst);
    detail::put_bits(words.data(), kUdpSportBit, kUdpSportWidth, udp_sport);
    detail::put_bits(words.data(), kUdpDportBit, kUdpDportWidth, udp_dport);
    return words;
  }

  static constexpr SaTunnelEntry unpack(const std::uint32_t* words) {
    SaTunnelEntry entry{};
    entry.src = detail::get_wide<4>(words, kSrcBit, kSrcWidth);
    entry.dst = detail::get_wide<4>(words, kDstBit, kDstWidth);
    entry.udp_sport = detail::get_bits(words, kUdpSportBit, kUdpSportWidth);
    entry.udp_dport = detail::get_bits(words, kUdpDportBit, kUdpDportWidth);
    return entry;
  }
  static constexpr SaTunnelEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const SaTunnelEntry& other) const {
    return src == other.src &&
           dst == other.dst &&
           udp_sport == other.udp_sport &&
           udp_dport == other.udp_dport;
  }
  bool operator!=(const SaTunnelEntry& other) const { return !(*this == other); }
};

// Entry of table sa_lifetime (id 11; 256 bits in 8 words, word 0 holds bits 31:0).
// SA lifetimes, compared with the SA's own packet and byte counters (inner packets). 0 = no
// limit. Reaching a soft limit raises sa_soft_lifetime once; reaching a hard limit raises
// sa_hard_lifetime and stops the SA (esp_sa_expired) until the host writes its sa entry
// again.
struct SaLifetimeEntry {
  static constexpr TableId kTable = TableId::sa_lifetime;
  static constexpr unsigned kWidthBits = 256;
  static constexpr unsigned kWords = 8;

  // [63:0] soft byte limit
  std::uint64_t soft_bytes{};
  static constexpr unsigned kSoftBytesBit = 0;
  static constexpr unsigned kSoftBytesWidth = 64;

  // [127:64] hard byte limit
  std::uint64_t hard_bytes{};
  static constexpr unsigned kHardBytesBit = 64;
  static constexpr unsigned kHardBytesWidth = 64;

  // [191:128] soft packet limit
  std::uint64_t soft_packets{};
  static constexpr unsigned kSoftPacketsBit = 128;
  static constexpr unsigned kSoftPacketsWidth = 64;

  // [255:192] hard packet limit
  std::uint64_t hard_packets{};
  static constexpr unsigned kHardPacketsBit = 192;
  static constexpr unsigned kHardPacketsWidth = 64;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kSoftBytesBit, kSoftBytesWidth, soft_bytes);
    detail::put_bits(words.data(), kHardBytesBit, kHardBytesWidth, hard_bytes);
    detail::put_bits(words.data(), kSoftPacketsBit, kSoftPacketsWidth, soft_packets);
    detail::put_bits(words.data(), kHardPacketsBit, kHardPacketsWidth, hard_packets);
    return words;
  }

  static constexpr SaLifetimeEntry unpack(const std::uint32_t* words) {
    SaLifetimeEntry entry{};
    entry.soft_bytes = detail::get_bits(words, kSoftBytesBit, kSoftBytesWidth);
    entry.hard_bytes = detail::get_bits(words, kHardBytesBit, kHardBytesWidth);
    entry.soft_packets = detail::get_bits(words, kSoftPacketsBit, kSoftPacketsWidth);
    entry.hard_packets = detail::get_bits(words, kHardPacketsBit, kHardPacketsWidth);
    return entry;
  }
  static constexpr SaLifetimeEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const SaLifetimeEntry& other) const {
    return soft_bytes == other.soft_bytes &&
           hard_bytes == other.hard_bytes &&
           soft_packets == other.soft_packets &&
           hard_packets == other.hard_packets;
  }
  bool operator!=(const SaLifetimeEntry& other) const { return !(*this == other); }
};

// Entry of table sa_seq (id 12; 64 bits in 2 words, word 0 holds bits 31:0).
// Next outbound sequence number of an SA. Writing sa sets it to 1; a read gives the live
// value; a write continues a sequence (after a card reload, and in tests of exhaustion).
struct SaSeqEntry {
  static constexpr TableId kTable = TableId::sa_seq;
  static constexpr unsigned kWidthBits = 64;
  static constexpr unsigned kWords = 2;

  // [63:0] sequence number the next packet takes (without ESN only values below 2^32 are sent)
  std::uint64_t next_seq{};
  static constexpr unsigned kNextSeqBit = 0;
  static constexpr unsigned kNextSeqWidth = 64;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kNextSeqBit, kNextSeqWidth, next_seq);
    return words;
  }

  static constexpr SaSeqEntry unpack(const std::uint32_t* words) {
    SaSeqEntry entry{};
    entry.next_seq = detail::get_bits(words, kNextSeqBit, kNextSeqWidth);
    return entry;
  }
  static constexpr SaSeqEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const SaSeqEntry& other) const {
    return next_seq == other.next_seq;
  }
  bool operator!=(const SaSeqEntry& other) const { return !(*this == other); }
};

// Entry of table spi_hash (id 13; 45 bits in 2 words, word 0 holds bits 31:0).
// Inbound SA lookup by SPI: two ways of 8192 slots, index = way << 13 | hash_way(SPI)
// (docs/datapath.md, "SPI lookup"). The card reads both of a packet's slots at once; the
// host places each inbound SA in one of its two.
struct SpiHashEntry {
  static constexpr TableId kTable = TableId::spi_hash;
  static constexpr unsigned kWidthBits = 45;
  static constexpr unsigned kWords = 2;

  // [0] slot holds an SA
  std::uint64_t valid{};
  static constexpr unsigned kValidBit = 0;
  static constexpr unsigned kValidWidth = 1;

  // [32:1] SPI of the SA in this slot
  std::uint64_t spi{};
  static constexpr unsigned kSpiBit = 1;
  static constexpr unsigned kSpiWidth = 32;

  // [44:33] SA index
  std::uint64_t sa{};
  static constexpr unsigned kSaBit = 33;
  static constexpr unsigned kSaWidth = 12;

  // Each field is masked to its width.
  constexpr std::array<std::uint32_t, kWords> pack() const {
    std::array<std::uint32_t, kWords> words{};
    detail::put_bits(words.data(), kValidBit, kValidWidth, valid);
    detail::put_bits(words.data(), kSpiBit, kSpiWidth, spi);
    detail::put_bits(words.data(), kSaBit, kSaWidth, sa);
    return words;
  }

  static constexpr SpiHashEntry unpack(const std::uint32_t* words) {
    SpiHashEntry entry{};
    entry.valid = detail::get_bits(words, kValidBit, kValidWidth);
    entry.spi = detail::get_bits(words, kSpiBit, kSpiWidth);
    entry.sa = detail::get_bits(words, kSaBit, kSaWidth);
    return entry;
  }
  static constexpr SpiHashEntry unpack(const std::array<std::uint32_t, kWords>& words) {
    return unpack(words.data());
  }

  bool operator==(const SpiHashEntry& other) const {
    return valid == other.valid &&
           spi == other.spi &&
           sa == other.sa;
  }
  bool operator!=(const SpiHashEntry& other) const { return !(*this == other); }
};

}  // namespace mplsec::regs

#endif  // MPLSEC_REGS_HPP_
