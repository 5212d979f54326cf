// mplsec_esp_inbound: ESP for this card, from the egress's hand-over to
// the second pass (docs/datapath.md step 4.2, in its order):
//
//   SPI lookup (spi_hash, two cycles)          no slot       -> esp_no_sa
//   sa entry (own read port), stopped flag      not valid, not inbound,
//                                               other SPI     -> esp_no_sa
//                                               stopped       -> esp_sa_expired
//   sequence number: ESN high half inferred from the window top
//   decrypt job -> mplsec_esp_crypt -> mplsec_esp_hold: ICV, replay
//   check-and-mark, padding, next header; only accepted text leaves
//
// An accepted inner packet is written into the plaintext RAM behind a
// 14-byte Ethernet header (ethertype from the next header), and its first
// 192 bytes go back into the header pipeline as a second pass (in_desc_t
// p2) for the VRF lookup; a verdict that drops goes the same way, to be
// counted (and counted per SA). The header pipeline counts the accepted
// packet in its SA, so lifetimes and the stopped flag are settled before
// the egress hands over the next ESP frame.
//
// One frame at a time: the egress waits for the second pass of this
// frame before it goes on, so every inference sees every earlier check,
// exactly as the C-model. That costs the frame's decryption latency per
// inbound ESP frame (rtl/esp/DATAPATH.md, Throughput).
`default_nettype none

module mplsec_esp_inbound
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                    clk_i,
  input  wire logic                    rst_ni,
  // Hand-over from the egress (held until job_take_o).
  input  wire logic                    job_valid_i,
  input  wire out_desc_t               job_i,
  output      logic                    job_take_o,
  // SA tables.
  output      logic                    spi_rd_o,
  output      logic [31:0]             spi_o,
  input  wire logic                    spi_hit_i,
  input  wire logic [SaW-1:0]          spi_sa_i,
  output      logic                    rx_rd_o,
  output      logic [SaW-1:0]          rx_idx_o,
  input  wire sa_entry_t               rx_sa_i,
  // SA accounting: stopped flag.
  output      logic                    rx_q_o,
  output      logic [SaW-1:0]          rx_q_sa_o,
  input  wire logic                    rx_q_stopped_i,
  // An sa entry was written: its window restarts.
  input  wire logic                    sa_restart_i,
  input  wire logic [SaW-1:0]          sa_restart_idx_i,
  // Decrypt unit (mplsec_esp_crypt).
  output      logic                    d_job_valid_o,
  output      esp_dec_job_t            d_job_o,
  input  wire logic                    d_job_pop_i,
  input  wire logic                    p_valid_i,
  output      logic                    p_ready_o,
  input  wire logic [DataW-1:0]        p_data_i,
  input  wire logic                    p_last_i,
  input  wire logic                    p_auth_ok_i,
  input  wire logic                    p_pad_ok_i,
  input  wire logic [7:0]              p_next_hdr_i,
  input  wire logic [13:0]             p_text_len_i,
  // Plaintext RAM write port.
  output      logic                    p2_we_o,
  output      logic [P2Aw-1:0]         p2_waddr_o,
  output      logic [DataW-1:0]        p2_wdata_o,
  // Second pass into the header pipeline (held until p2_take_i).
  output      logic                    p2_valid_o,
  output      in_desc_t                p2_desc_o,
  output      logic [InHdrBytes*8-1:0] p2_hdr_o,
  input  wire logic                    p2_take_i,
  output      logic                    busy_o
);

  localparam int unsigned EthBytes = 14;

  typedef enum logic [3:0] {
    StIdle, StLook1, StLook2, StCheck, StInfer1, StInfer2, StDecrypt, StWait, StFinish, StEmit
  } state_e;

  state_e        state_q;
  out_desc_t     job_q;
  logic [SaW-1:0] sa_q;
  sa_entry_t     sa_entry_q;
  logic [63:0]   seq_q;

  // Verdict and second-pass descriptor under construction.
  logic          drop_q;
  reason_e       reason_q;
  logic          acct_en_q;
  sa_acct_e      acct_q;
  logic          v6_q;
  logic [13:0]   text_len_q;

  ///////////////////////////////////////////////////////////////////////
  // Hold and replay window                                             //
  ///////////////////////////////////////////////////////////////////////

  esp_rx_info_t info, v_info;
  logic         info_full_unused;
  logic         chk, chk_valid, chk_ok;
  logic [SaW-1:0] chk_sa;
  logic [3:0]   chk_log2;
  logic [63:0]  chk_seq;
  logic         v_valid, v_accept, v_inner_v6;
  reason_e      v_reason;
  logic [13:0]  v_text_len;
  logic         m_valid, m_last;
  logic [DataW-1:0] m_data;
  logic [KeepW-1:0] m_keep_unused;
  logic         hold_busy;
  logic         infer, infer_valid;
  logic [63:0]  infer_seq;

  assign info = '{sa: sa_q, seq: seq_q, replay_log2: sa_entry_q.replay_log2,
                  frame_len: job_q.esp.frame_len};

  mplsec_esp_hold u_hold (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .info_valid_i (d_job_pop_i),
    .info_i       (info),
    .info_full_o  (info_full_unused),
    .p_valid_i    (p_valid_i),
    .p_ready_o    (p_ready_o),
    .p_data_i     (p_data_i),
    .p_last_i     (p_last_i),
    .p_auth_ok_i  (p_auth_ok_i),
    .p_pad_ok_i   (p_pad_ok_i),
    .p_next_hdr_i (p_next_hdr_i),
    .p_text_len_i (p_text_len_i),
    .chk_o        (chk),
    .chk_sa_o     (chk_sa),
    .chk_log2_o   (chk_log2),
    .chk_seq_o    (chk_seq),
    .chk_valid_i  (chk_valid),
    .chk_ok_i     (chk_ok),
    .v_valid_o    (v_valid),
    .v_accept_o   (v_accept),
    .v_reason_o   (v_reason),
    .v_info_o     (v_info),
    .v_text_len_o (v_text_len),
    .v_inner_v6_o (v_inner_v6),
    .m_valid_o    (m_valid),
    .m_ready_i    (1'b1),
    .m_data_o     (m_data),
    .m_keep_o     (m_keep_unused),
    .m_last_o     (m_last),
    .busy_o       (hold_busy)
  );

  mplsec_replay_window u_window (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (sa_restart_i),
    .clear_sa_i     (sa_restart_idx_i),
    .infer_i        (infer),
    .infer_sa_i     (sa_q),
    .infer_esn_i    (sa_entry_q.esn),
    .infer_log2_i   (sa_entry_q.replay_log2),
    .infer_seq_lo_i (job_q.esp.seq_lo),
    .infer_valid_o  (infer_valid),
    .infer_seq_o    (infer_seq),
    .check_i        (chk),
    .check_sa_i     (chk_sa),
    .check_log2_i   (chk_log2),
    .check_seq_i    (chk_seq),
    .check_valid_o  (chk_valid),
    .check_ok_o     (chk_ok)
  );

  ///////////////////////////////////////////////////////////////////////
  // Plaintext into the RAM, 14 bytes in                                //
  ///////////////////////////////////////////////////////////////////////

  // Beat j of the second-pass frame: Ethernet header (beat 0) or the
  // last 14 bytes of plaintext beat j-1, then the first 50 of beat j.
  logic [P2Aw-1:0]          wr_beat_q;
  logic [DataW-1:0]         prev_q;
  logic [InHdrBytes*8-1:0]  hdr_q;
  logic [DataW-1:0]         beat_in, beat_tail;

  assign beat_in   = (m_data << (8 * EthBytes)) | (prev_q >> (8 * (BeatBytes - EthBytes)));
  assign beat_tail = prev_q >> (8 * (BeatBytes - EthBytes));

  always_comb begin
    p2_we_o    = 1'b0;
    p2_waddr_o = wr_beat_q;
    p2_wdata_o = beat_in;
    if (m_valid) begin
      p2_we_o = 1'b1;
    end else if (state_q == StFinish && !drop_q) begin
      p2_we_o    = 1'b1;
      p2_wdata_o = beat_tail;
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Control                                                            //
  ///////////////////////////////////////////////////////////////////////

  // IPv4 total length (bytes 2-3) or 40 + IPv6 payload length (4-5).
  // ip_head: bytes 2..5 of the inner packet.
  function automatic logic [LenW-1:0] inner_ip_len(logic [31:0] ip_head, logic v6);
    logic [15:0] l;
    l = v6 ? {ip_head[8*2 +: 8], ip_head[8*3 +: 8]} + 16'd40
           : {ip_head[8*0 +: 8], ip_head[8*1 +: 8]};
    return LenW'(l);
  endfunction

  logic [LenW-1:0] fin_len;
  logic [InHdrBytes*8-1:0] fin_hdr;

  always_comb begin
    logic [LenW-1:0] ip_len, text;
    logic [InHdrBytes*8-1:0] h;
    h = hdr_q;
    if (wr_beat_q < P2Aw'(3)) h[DataW * wr_beat_q[1:0] +: DataW] = beat_tail;
    h[8*12 +: 16] = v6_q ? {EtIpv6[7:0], EtIpv6[15:8]} : {EtIpv4[7:0], EtIpv4[15:8]};
    text   = LenW'(text_len_q);
    ip_len = inner_ip_len(h[8*(EthBytes+2) +: 32], v6_q);
    // The inner packet is its IP length; TFC padding behind it is not
    // sent. A length past the text fails step 5.1 in the second pass.
    fin_len = LenW'(EthBytes) + ((ip_len < text) ? ip_len : text);
    for (int unsigned b = 0; b < InHdrBytes; b++) begin
      if (LenW'(b) >= fin_len) h[8*b +: 8] = 8'h00;
    end
    fin_hdr = h;
  end

  assign job_take_o = state_q == StIdle && job_valid_i;
  // The lookup starts with the hand-over; job_i holds until it is taken.
  assign spi_rd_o   = state_q == StIdle;
  assign spi_o      = job_i.esp.spi;
  assign rx_rd_o    = state_q == StLook2;
  assign rx_idx_o   = spi_sa_i;
  assign rx_q_o     = state_q == StLook2;
  assign rx_q_sa_o  = spi_sa_i;
  assign infer      = state_q == StInfer1;

  assign d_job_valid_o = state_q == StDecrypt;
  assign d_job_o = '{sa: sa_q, nonce: {sa_entry_q.salt, job_q.esp.iv},
                     aad: sa_entry_q.esn ? {sa_entry_q.spi, seq_q[63:32], seq_q[31:0]}
                                         : {sa_entry_q.spi, seq_q[31:0], 32'd0},
                     aad12: sa_entry_q.esn, buf_base: job_q.buf_start,
                     ct_off: job_q.esp.ct_off, ct_len: job_q.esp.ct_len};

  always_comb begin
    p2_desc_o            = '0;
    p2_desc_o.p2         = 1'b1;
    p2_desc_o.p2_drop    = drop_q;
    p2_desc_o.p2_reason  = 8'(reason_q);
    p2_desc_o.p2_acct    = 3'(acct_q);
    p2_desc_o.p2_acct_en = acct_en_q;
    p2_desc_o.p2_sa      = sa_q;
    p2_desc_o.p2_vrf     = job_q.esp.vrf;
    p2_desc_o.cnt_len    = job_q.esp.frame_len;
    p2_desc_o.slot       = job_q.slot;
    p2_desc_o.len        = drop_q ? job_q.esp.frame_len : fin_len;
  end
  assign p2_valid_o = state_q == StEmit;
  assign p2_hdr_o   = hdr_q;

  function automatic sa_acct_e acct_of(reason_e r);
    unique case (r)
      REASON_ESP_AUTH_FAILED: return AcctAuthFailed;
      REASON_ESP_REPLAY:      return AcctReplay;
      default:                return AcctBadPadding;
    endcase
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
    end else begin
      unique case (state_q)
        StIdle:    if (job_valid_i) state_q <= StLook1;
        StLook1:   state_q <= StLook2;
        StLook2:   state_q <= spi_hit_i ? StCheck : StEmit;
        StCheck:   state_q <= (!rx_sa_i.valid || !rx_sa_i.inbound || rx_sa_i.spi != job_q.esp.spi ||
                               rx_q_stopped_i) ? StEmit : StInfer1;
        StInfer1:  state_q <= StInfer2;
        StInfer2:  if (infer_valid) state_q <= StDecrypt;
        StDecrypt: if (d_job_pop_i) state_q <= StWait;
        StWait:    if (v_valid) state_q <= StFinish;
        StFinish:  state_q <= StEmit;
        StEmit:    if (p2_take_i) state_q <= StIdle;
        default:   state_q <= StIdle;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (job_take_o) begin
      job_q     <= job_i;
      drop_q    <= 1'b1;
      reason_q  <= REASON_ESP_NO_SA;
      acct_en_q <= 1'b0;
      acct_q    <= AcctSent;
      sa_q      <= '0;
      wr_beat_q <= '0;
      prev_q    <= '0;
      hdr_q     <= '0;
    end
    if (state_q == StLook2) sa_q <= spi_sa_i;
    if (state_q == StCheck) begin
      sa_entry_q <= rx_sa_i;
      if (rx_sa_i.valid && rx_sa_i.inbound && rx_sa_i.spi == job_q.esp.spi && rx_q_stopped_i) begin
        reason_q <= REASON_ESP_SA_EXPIRED;
      end
    end
    if (state_q == StInfer2 && infer_valid) seq_q <= infer_seq;
    if (m_valid) begin
      wr_beat_q <= wr_beat_q + P2Aw'(1);
      prev_q    <= m_data;
      if (wr_beat_q < P2Aw'(3)) hdr_q[DataW * wr_beat_q[1:0] +: DataW] <= beat_in;
    end
    if (state_q == StWait && v_valid) begin
      drop_q     <= !v_accept;
      reason_q   <= v_reason;
      acct_en_q  <= !v_accept && v_reason != REASON_BAD_FRAME;
      acct_q     <= acct_of(v_reason);
      v6_q       <= v_inner_v6;
      text_len_q <= v_text_len;
    end
    if (state_q == StFinish && !drop_q) hdr_q <= fin_hdr;
  end

  assign busy_o = state_q != StIdle || hold_busy;

  logic unused;
  assign unused = ^{info_full_unused, v_info, m_keep_unused, m_last, job_q, sa_entry_q};

endmodule
