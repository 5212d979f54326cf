// mplsec_fwd_pkg: constants and the structs that the stages of the
// forwarding pipeline (rtl/fwd) hand to each other. Table layouts and
// reason codes are not here: they come from mplsec_regs_pkg, generated from
// regmap/mplsec.yaml. This package only holds what the pipeline invents for
// itself (descriptors, parsed header fields, output packing).
`default_nettype none

package mplsec_fwd_pkg;

  import mplsec_regs_pkg::*;

  // Bus geometry (docs/datapath.md, "Bus").
  localparam int unsigned BeatBytes   = 64;
  localparam int unsigned DataW       = 8 * BeatBytes;
  localparam int unsigned KeepW       = BeatBytes;
  localparam int unsigned OutUserW    = 16;  // {punt, 3'b0, port[3:0], reason[7:0]}

  // Header window: the first three input beats are captured whole, so the
  // first two output beats (which hold every byte the rewrite can touch)
  // are built in the header pipeline from the captured bytes alone, even
  // when the header grows by 16 or shrinks by 12 bytes.
  localparam int unsigned InHdrBytes  = 192;
  localparam int unsigned OutHdrBytes = 128;
  localparam int unsigned IpWinBytes  = 60;   // largest IPv4 header
  localparam int unsigned PrefixBytes = 30;   // MACs + VLAN tag + ethertype + 3 labels

  localparam int unsigned MinFrame    = 60;
  localparam int unsigned MaxFrame    = 9600;
  localparam int unsigned MaxBeats    = 150;  // beats of a MaxFrame frame; later beats are not stored
  localparam int unsigned MaxLabels   = 8;

  localparam int unsigned LenW        = 24;   // input length, saturating
  localparam int unsigned OutLenW     = 14;
  localparam int unsigned ClockW      = 64;   // beat clock
  localparam int unsigned EpochShift  = 16;   // policer epoch = beat clock >> 16
  localparam int unsigned EpochW      = ClockW - EpochShift;

  // Packet buffer: 1024 beats = 64 KiB, room for six back-to-back 9600-byte
  // frames while one of them drains.
  localparam int unsigned BufAw       = 10;
  localparam int unsigned BufBeatsW   = 8;
  // Frames between first beat accepted and release by the egress. Bounds
  // the descriptor FIFO; 64 covers the header pipeline latency for
  // back-to-back one-beat frames.
  localparam int unsigned MaxInflight = 64;
  localparam int unsigned InflightW   = 7;
  // A frame's header window lives in a slot of a 64-entry RAM from the
  // ingress to the rewrite (slot = frame number mod 64: unique among the
  // frames in flight), so the pipeline registers carry fields, not bytes.
  localparam int unsigned SlotW       = 6;
  // SA index (the sa table's depth) and the plaintext RAM of the inbound
  // ESP second pass: one decrypted frame of up to 9600 bytes.
  localparam int unsigned SaIdxW      = $clog2(TBL_SA_DEPTH);
  // Plaintext ring of the inbound second passes: 1024 beats, each frame
  // its ciphertext's beats and one; at most P2Slots frames out at a time.
  localparam int unsigned P2Slots     = 32;
  localparam int unsigned P2Aw        = BufAw;

  // Which stream sends a frame (the egress's order queue).
  typedef enum logic [1:0] {
    OrdNone   = 2'd0,  // dropped: nothing is sent
    OrdEgress = 2'd1,  // the egress stream (forwarded, punted, decrypted)
    OrdEnc    = 2'd2,  // the encrypt unit's stream
    OrdInbound = 2'd3  // inbound ESP: its second pass (dropped, or the inner packet)
  } ord_kind_e;

  // Ethertypes and reserved labels.
  localparam logic [15:0] EtIpv4 = 16'h0800;
  localparam logic [15:0] EtIpv6 = 16'h86DD;
  localparam logic [15:0] EtArp  = 16'h0806;
  localparam logic [15:0] EtMpls = 16'h8847;
  localparam logic [15:0] TpidC  = 16'h8100;
  localparam logic [15:0] TpidS  = 16'h88A8;

  typedef enum logic [1:0] {
    ActNone = 2'd0,  // not decided yet
    ActDrop = 2'd1,
    ActFwd  = 2'd2,
    ActPunt = 2'd3
  } action_e;

  // What the ingress hands the header pipeline when a frame is complete
  // (with the frame's first InHdrBytes bytes beside it, zero past len).
  typedef struct packed {
    // Second pass of a decrypted ESP frame (docs/datapath.md step 4.2):
    // len and the header are the inner packet's behind a 14-byte
    // Ethernet header; cnt_len is the ESP frame's L for the counters.
    // A verdict that drops (p2_drop) enters only to be counted.
    logic                    p2;
    logic                    p2_drop;
    logic [7:0]              p2_reason;
    logic [2:0]              p2_acct;    // mplsec_esp_pkg::sa_acct_e of a dropping verdict
    logic                    p2_acct_en;
    logic [SaIdxW-1:0]       p2_sa;
    logic [7:0]              p2_vrf;
    logic [LenW-1:0]         cnt_len;
    logic [EpochW-1:0]       epoch;      // beat clock at the first beat >> 16
    logic [BufBeatsW-1:0]    buf_beats;  // beats held in the packet buffer
    logic [BufAw-1:0]        buf_start;
    logic [SlotW-1:0]        slot;       // header RAM slot
    logic [1:0]              port;
    logic [LenW-1:0]         len;
  } in_desc_t;

  // Header fields the parser extracts (docs/datapath.md steps 1-3, 5.1).
  typedef struct packed {
    // ESP for the card (step 4.2), read from the outer IP header window.
    logic          ip_frag;     // IPv4 MF set or fragment offset non-zero
    logic          esp_udp;     // UDP 4500 with a non-zero marker inside the packet
    logic [7:0]    esp_off;     // SPI's byte in the frame (after UDP when esp_udp)
    logic [15:0]   esp_len;     // esp_off to the outer packet's end
    logic [31:0]   esp_spi;
    logic [31:0]   esp_seq_lo;
    logic [63:0]   esp_iv;
    logic          len_bad;     // L < 60 or L > 9600
    logic [15:0]   ethertype;   // after up to two VLAN tags
    logic [5:0]    l2_len;      // 14, 18 or 22
    logic [31:0]   lse0;        // top label stack entry
    logic [31:0]   lse1;        // the entry below it
    logic          stk_trunc;   // frame ends before bottom of stack
    logic          stk_deep;    // eight entries without S
    logic [6:0]    ip_off;      // first byte after Ethernet header and label stack
    // IP header at ip_off, in the family this frame's path expects.
    logic          ip_v6;       // family: IPv6 (else IPv4)
    logic          ip_fam_ok;   // first nibble names a family (PHP / pop-lookup)
    logic          ip_min_ok;   // header minimum (20 / 40 bytes) inside the frame
    logic          ip_full_ok;  // complete step 5.1 validation incl. checksum
    logic [7:0]    ip_ttl;
    logic [7:0]    ip_proto;
    logic [15:0]   ip_csum;
    logic [2:0]    ip_prec;
    logic [7:0]    ip_dscp;     // TOS / traffic class & 0xFC (ESP outer, step 4.1)
    logic [15:0]   ip_len;      // total_length / 40 + payload_length (ESP inner_len)
    logic          ip_mcast;
    logic [127:0]  ip_dst;      // first byte most significant; IPv4 in [31:0]
  } parsed_t;

  // The ESP part of a decided frame (docs/datapath.md step 4): what the
  // encrypt unit needs besides the header the rewrite built, or what the
  // inbound stage needs to decrypt.
  typedef struct packed {
    logic               out;          // outbound: to the encrypt unit
    logic               in;           // inbound: decrypt, then the second pass
    logic [SaIdxW-1:0]  sa;
    // Outbound.
    logic [95:0]        nonce;
    logic [95:0]        aad;
    logic               aad12;
    logic [6:0]         ip_off;       // customer packet in the input frame
    logic [13:0]        inner_len;
    logic [39:0]        trailer;
    logic [2:0]         trailer_len;
    logic [6:0]         hdr_len;      // Ethernet .. IV in the rewritten header
    logic               patch;        // TTL (and IPv4 checksum) of the customer packet
    logic               patch_v6;
    logic [7:0]         patch_ttl;
    logic [15:0]        patch_csum;
    // Inbound.
    logic [31:0]        spi;
    logic [31:0]        seq_lo;
    logic [63:0]        iv;
    logic [7:0]         ct_off;       // ciphertext's first byte in the frame
    logic [13:0]        ct_len;
    logic [7:0]         vrf;
    logic [LenW-1:0]    frame_len;    // L, for the counters
  } esp_desc_t;

  // What the egress needs to send (or release) one frame.
  typedef struct packed {
    logic                     p2;         // second pass: body from the plaintext RAM
    logic [SlotW-1:0]         slot;
    esp_desc_t                esp;
    action_e                  act;        // ActDrop, ActFwd or ActPunt
    logic [OutUserW-1:0]      user;
    logic [OutLenW-1:0]       len;        // bytes sent, padding included
    logic [5:0]               shift;      // realign: (header delta) mod 64
    logic [BufAw-1:0]         rd_base;    // buffer beat read with output beat 0
    logic [BufAw-1:0]         buf_start;
    logic [BufBeatsW-1:0]     buf_beats;
    logic [OutHdrBytes*8-1:0] hdr;        // first two output beats
  } out_desc_t;

  // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') with end-around carry.
  function automatic logic [15:0] csum_upd(logic [15:0] hc, logic [15:0] m, logic [15:0] m_new);
    logic [15:0] nhc, nm;
    logic [17:0] s;
    logic [16:0] f1;
    logic [15:0] f2;
    nhc = ~hc;
    nm  = ~m;
    s   = 18'(nhc) + 18'(nm) + 18'(m_new);
    f1 = 17'(s[15:0]) + 17'(s[17:16]);
    f2 = f1[15:0] + 16'(f1[16]);
    return ~f2;
  endfunction

  // The IPv4 checksum after the TTL writes of a frame: one update, or two
  // under an explicit null (TTL copy, then decrement), as the C-model.
  function automatic logic [15:0] ttl_csum(logic [15:0] csum, logic [7:0] proto, logic [7:0] ttl_orig,
                                           logic two_step, logic [7:0] ttl_mid, logic [7:0] ttl_new);
    logic [15:0] cin;
    logic [7:0]  tbefore;
    tbefore = two_step ? ttl_mid : ttl_orig;
    cin     = two_step ? csum_upd(csum, {ttl_orig, proto}, {ttl_mid, proto}) : csum;
    return csum_upd(cin, {tbefore, proto}, {ttl_new, proto});
  endfunction

  function automatic logic [OutUserW-1:0] pack_user(logic punt, logic [1:0] port, logic [7:0] reason);
    return {punt, 5'b0, port, reason};
  endfunction

endpackage
