// mplsec_esp_pkg: what the ESP stage (rtl/esp) invents for itself: the
// SPI hash of docs/datapath.md "ESP", the shape of an SA's mutable state,
// and sizes derived from the register map. Table layouts come from
// mplsec_regs_pkg.
`default_nettype none

package mplsec_esp_pkg;

  import mplsec_regs_pkg::*;
  import mplsec_fwd_pkg::*;

  localparam int unsigned SaW        = SaIdxW;                         // SA index bits
  localparam int unsigned SpiWayW    = $clog2(TBL_SPI_HASH_DEPTH / 2); // slot bits of one way
  localparam int unsigned MaxWindow  = 4096;                           // replay_log2 up to 12
  localparam int unsigned WinIdxW    = $clog2(MaxWindow);
  // Outer IPv6 header, ESP header and IV: the most an outbound SA puts
  // between the label stack and the ciphertext (IPv4 + UDP: 44).
  localparam int unsigned OuterMaxBytes = 56;
  // Table write/read data: the widest entry (sa, 330 bits) in whole words.
  localparam int unsigned TblDataW   = 32 * TBL_SA_WORDS;

  // An outbound frame for the encrypt unit: where its customer packet
  // lies in the packet buffer, what goes in front of the ciphertext
  // (Ethernet, VLAN, labels, outer header, ESP header, IV) and behind the
  // customer packet (the trailer), and the core's per-frame inputs.
  typedef struct packed {
    logic [SaW-1:0]           sa;
    logic [95:0]              nonce;      // salt || IV
    logic [95:0]              aad;        // SPI || [seq_hi ||] seq_lo
    logic                     aad12;
    logic [BufAw-1:0]         buf_base;   // buffer beat holding frame byte 0
    logic [6:0]               ip_off;     // the customer packet's first byte in the frame
    logic [13:0]              inner_len;
    logic [39:0]              trailer;    // pad, pad length, next header; byte 0 in 7:0
    logic [2:0]               trailer_len;
    logic [6:0]               hdr_len;    // bytes in front of the ciphertext
    logic [OutHdrBytes*8-1:0] hdr;        // byte 0 in 7:0
    logic [OutUserW-1:0]      user;       // tuser of the frame sent
    // The routed packet's TTL / hop limit (and IPv4 checksum) as the
    // forwarding step left them, written over its header before it is
    // encrypted.
    logic                     patch;
    logic                     patch_v6;
    logic [7:0]               patch_ttl;
    logic [15:0]              patch_csum;
  } esp_enc_job_t;

  localparam int unsigned IcvBytes = 16;

  // An inbound frame for the decrypt unit: where its ciphertext lies in
  // the packet buffer (the ICV follows it) and the core's per-frame inputs.
  typedef struct packed {
    logic [SaW-1:0]   sa;
    logic [95:0]      nonce;      // salt || IV
    logic [95:0]      aad;        // SPI || [seq_hi ||] seq_lo
    logic             aad12;
    logic [BufAw-1:0] buf_base;   // buffer beat holding frame byte 0
    logic [7:0]       ct_off;     // the ciphertext's first byte in the frame
    logic [13:0]      ct_len;     // ciphertext bytes, >= 2
  } esp_dec_job_t;

  // What the inbound verdict needs of a frame besides its plaintext.
  typedef struct packed {
    logic [SaW-1:0]  sa;
    logic [63:0]     seq;          // sequence number, ESN high half inferred
    logic [3:0]      replay_log2;
    logic [LenW-1:0] frame_len;    // L, for the SA's drop counters
  } esp_rx_info_t;

  // What the ESP stage reports to an SA's accounting, one step a frame.
  typedef enum logic [2:0] {
    AcctSent       = 3'd0,  // encrypted and sent, or decrypted and accepted: sa bank, lifetimes
    AcctAuthFailed = 3'd1,  // esp_auth_failed
    AcctReplay     = 3'd2,  // esp_replay
    AcctBadPadding = 3'd3,  // esp_bad_padding
    AcctExhausted  = 3'd4   // esp_seq_overflow: raise sa_seq_exhausted once
  } sa_acct_e;

  // An SA's counters (one per SA counter bank, in bank order) and flags.
  typedef struct packed {
    logic               soft_raised;  // sa_soft_lifetime raised since the SA started
    logic               stopped;      // hard lifetime reached: esp_sa_expired
    logic               exhausted;    // sa_seq_exhausted raised
    logic [3:0][127:0]  cnt;          // {packets, bytes}; [0] = bank sa
  } sa_acct_t;

  // EVT_HEAD word: code in 31:24, object index below.
  function automatic logic [31:0] event_word(event_code_e code, logic [SaW-1:0] sa);
    return {8'(code), 24'(sa)};
  endfunction

  // Way 0 slot of an SPI: spi[12:0] ^ spi[25:13] ^ spi[31:26].
  function automatic logic [SpiWayW-1:0] spi_hash0(logic [31:0] spi);
    return spi[12:0] ^ spi[25:13] ^ {7'b0, spi[31:26]};
  endfunction

  // Way 1 slot of an SPI: spi[31:19] ^ spi[12:0] rotated left by 5, so
  // that the two ways take 26 independent bits of the SPI.
  // spi[18:13] take part in way 0 only.
  /* verilator lint_off UNUSEDSIGNAL */
  function automatic logic [SpiWayW-1:0] spi_hash1(logic [31:0] spi);
    return spi[31:19] ^ {spi[7:0], spi[12:8]};
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  // W = 2^replay_log2 with the field clamped to 6..12 (docs/datapath.md
  // "Notes on ESP").
  function automatic logic [WinIdxW:0] replay_window_size(logic [3:0] replay_log2);
    logic [3:0] l;
    l = (replay_log2 < 4'd6) ? 4'd6 : (replay_log2 > 4'd12) ? 4'd12 : replay_log2;
    return (WinIdxW + 1)'(1) << l;
  endfunction

  // RFC 4303 A2.2: the high half of the sequence number of a packet that
  // carries seq_lo, from the window top T and size W; modulo 2^32.
  function automatic logic [31:0] esn_seq_hi(logic [63:0] top, logic [WinIdxW:0] w, logic [31:0] seq_lo);
    logic [31:0] th, tl, bottom;
    th     = top[63:32];
    tl     = top[31:0];
    bottom = tl - 32'(w) + 32'd1;
    if (tl >= 32'(w) - 32'd1) return (seq_lo >= bottom) ? th : th + 32'd1;
    return (seq_lo >= bottom) ? th - 32'd1 : th;
  endfunction

endpackage
