// mplsec_esp_decrypt: the payload side of an inbound ESP frame
// (docs/datapath.md step 4.2). For each job it reads ciphertext and ICV
// from the packet buffer, decrypts the ciphertext in the GCM core and
// sends the plaintext, lane 0, with the frame's verdict on its last beat:
// the ICV check and the padding check (length a multiple of 4, pad_len + 2
// within the text, pad bytes 1, 2, 3, ...), the next header and the
// length of the text before the padding.
//
//   buffer -> mplsec_esp_reader (ciphertext + ICV, lane 0) -> split:
//     ciphertext -> mplsec_gcm -> plaintext + verdict -> p_*
//     ICV        -> FIFO ----------^ (compared with the core's tag)
//
// The plaintext leaves before its verdict: the caller keeps it (a
// plaintext buffer) until the last beat says whether it may go on. Padding
// is checked on a window of the last five plaintext beats (the trailer and
// up to 255 pad bytes), right-aligned at the text's end.
`default_nettype none

module mplsec_esp_decrypt
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // Jobs (first-word-fall-through).
  input  wire logic             job_valid_i,
  input  wire esp_dec_job_t     job_i,
  output      logic             job_pop_o,
  // Packet buffer read port, data one cycle after buf_re_o.
  output      logic             buf_re_o,
  output      logic [BufAw-1:0] buf_raddr_o,
  input  wire logic [DataW-1:0] buf_rdata_i,
  // GCM core text port (mplsec_gcm, in_decrypt_i = 1).
  output      logic             gcm_valid_o,
  input  wire logic             gcm_ready_i,
  output      logic             gcm_sop_o,
  output      logic [SaW-1:0]   gcm_sa_o,
  output      logic [95:0]      gcm_nonce_o,
  output      logic [95:0]      gcm_aad_o,
  output      logic             gcm_aad12_o,
  output      logic [DataW-1:0] gcm_data_o,
  output      logic [KeepW-1:0] gcm_keep_o,
  output      logic             gcm_last_o,
  output      logic [15:0]      gcm_meta_o,
  input  wire logic             gcm_out_valid_i,
  output      logic             gcm_out_ready_o,
  input  wire logic [DataW-1:0] gcm_out_data_i,
  input  wire logic [KeepW-1:0] gcm_out_keep_i,
  input  wire logic             gcm_out_last_i,
  input  wire logic [15:0]      gcm_out_meta_i,
  input  wire logic [127:0]     gcm_out_tag_i,
  // Plaintext out; the verdict fields are valid with p_last_o.
  output      logic             p_valid_o,
  input  wire logic             p_ready_i,
  output      logic [DataW-1:0] p_data_o,
  output      logic [KeepW-1:0] p_keep_o,
  output      logic             p_last_o,
  output      logic             p_auth_ok_o,
  output      logic             p_pad_ok_o,
  output      logic [7:0]       p_next_hdr_o,
  output      logic [13:0]      p_text_len_o,  // plaintext before the padding
  output      logic             busy_o
);

  // Frames between the reader and the core's output: enough for one-beat
  // frames back to back through the core's latency.
  localparam int unsigned FifoDepth = 32;
  localparam int unsigned WinBeats  = 5;  // 255 pad bytes + 2 end in at most five beats

  typedef struct packed {
    logic [SaW-1:0] sa;
    logic [95:0]    nonce;
    logic [95:0]    aad;
    logic           aad12;
    logic [13:0]    ct_len;
  } core_job_t;

  ///////////////////////////////////////////////////////////////////////
  // Reader and split                                                   //
  ///////////////////////////////////////////////////////////////////////

  logic             rd_busy, rd_ready, start;
  logic             cq_full, cq_valid, cq_pop;
  core_job_t        cq_head;
  logic             sq_full, sq_valid, sq_pop;
  logic [13:0]      sq_ct_len;
  logic             iq_full, iq_valid, iq_pop;
  logic [127:0]     iq_head;
  logic             s_valid, s_ready, s_last;
  logic [DataW-1:0] s_data;
  logic [KeepW-1:0] s_keep;

  assign start     = rd_ready && job_valid_i && !cq_full && !sq_full;
  assign job_pop_o = start;

  mplsec_esp_reader u_reader (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (start),
    .base_i      (job_i.buf_base),
    .off_i       (job_i.ct_off),
    .len_i       (job_i.ct_len + 14'(IcvBytes)),
    .tail_i      ('0),
    .tail_len_i  (3'd0),
    .ready_o     (rd_ready),
    .busy_o      (rd_busy),
    .buf_re_o    (buf_re_o),
    .buf_raddr_o (buf_raddr_o),
    .buf_rdata_i (buf_rdata_i),
    .m_valid_o   (s_valid),
    .m_ready_i   (s_ready),
    .m_data_o    (s_data),
    .m_keep_o    (s_keep),
    .m_last_o    (s_last)
  );

  mplsec_fifo #(.T(core_job_t), .Depth(FifoDepth)) u_core_jobs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (start),
    .wdata_i  ('{sa: job_i.sa, nonce: job_i.nonce, aad: job_i.aad, aad12: job_i.aad12, ct_len: job_i.ct_len}),
    .full_o (cq_full), .rvalid_o (cq_valid), .rdata_o (cq_head), .rready_i (cq_pop)
  );

  mplsec_fifo #(.T(logic [13:0]), .Depth(FifoDepth)) u_split_jobs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (start), .wdata_i (job_i.ct_len), .full_o (sq_full),
    .rvalid_o (sq_valid), .rdata_o (sq_ct_len), .rready_i (sq_pop)
  );

  // Beat k of the stream: ciphertext up to byte ct_len, then 16 ICV bytes
  // (in the last ciphertext beat and/or one more beat of their own).
  logic [8:0]   sp_beat_q;      // beat index within the frame
  logic [127:0] icv_q, icv_d;   // ICV bytes seen so far, wire byte 0 in 7:0
  logic [8:0]   ct_last_beat;
  logic [5:0]   ct_end;         // ct_len mod 64: lanes of the last ciphertext beat (0 = all)
  logic         is_ct, ct_last, icv_only;
  logic [KeepW-1:0] ct_keep;

  always_comb begin
    ct_last_beat = 9'((sq_ct_len + 14'd63) >> 6) - 9'd1;
    ct_end       = sq_ct_len[5:0];
    is_ct        = sp_beat_q <= ct_last_beat;
    ct_last      = sp_beat_q == ct_last_beat;
    icv_only     = !is_ct;
    ct_keep      = (ct_last && ct_end != 6'd0) ? KeepW'((65'd1 << ct_end) - 65'd1) : '1;
    // The ICV starts at lane ct_end of the last ciphertext beat (of the
    // next beat when that one is full).
    icv_d = icv_q;
    if (ct_last && ct_end != 6'd0) icv_d = 128'(s_data >> (8 * ct_end));
    if (icv_only) begin
      // Bytes still missing: 16 - (64 - ct_end) when the ICV straddles.
      icv_d = (ct_end == 6'd0) ? s_data[127:0]
                               : icv_q | (128'(s_data) << (8 * (7'd64 - 7'(ct_end))));
    end
  end

  // Ciphertext beats go to the core with their frame's parameters at hand.
  logic c_first_q;
  assign gcm_valid_o = s_valid && is_ct && (!c_first_q || cq_valid);
  assign s_ready     = icv_only ? !iq_full || !s_last
                                : gcm_ready_i && (!c_first_q || cq_valid) && (!(s_last) || !iq_full);
  assign gcm_sop_o   = c_first_q;
  assign gcm_sa_o    = cq_head.sa;
  assign gcm_nonce_o = cq_head.nonce;
  assign gcm_aad_o   = cq_head.aad;
  assign gcm_aad12_o = cq_head.aad12;
  assign gcm_data_o  = s_data & keep_bytes(ct_keep);
  assign gcm_keep_o  = ct_keep;
  assign gcm_last_o  = ct_last;
  assign cq_pop      = gcm_valid_o && gcm_ready_i && c_first_q;
  assign sq_pop      = s_valid && s_ready && s_last;

  logic [13:0] ct_len_q;
  assign gcm_meta_o = {2'b0, c_first_q ? cq_head.ct_len : ct_len_q};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      c_first_q <= 1'b1;
      sp_beat_q <= '0;
    end else begin
      if (gcm_valid_o && gcm_ready_i) c_first_q <= ct_last;
      if (s_valid && s_ready) sp_beat_q <= s_last ? '0 : sp_beat_q + 9'd1;
    end
  end

  always_ff @(posedge clk_i) begin
    if (cq_pop) ct_len_q <= cq_head.ct_len;
    if (s_valid && s_ready) icv_q <= icv_d;
  end

  mplsec_fifo #(.T(logic [127:0]), .Depth(FifoDepth)) u_icvs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (s_valid && s_ready && s_last), .wdata_i (icv_d), .full_o (iq_full),
    .rvalid_o (iq_valid), .rdata_o (iq_head), .rready_i (iq_pop)
  );

  function automatic logic [DataW-1:0] keep_bytes(logic [KeepW-1:0] keep);
    logic [DataW-1:0] m;
    for (int unsigned i = 0; i < KeepW; i++) m[8*i +: 8] = {8{keep[i]}};
    return m;
  endfunction

  ///////////////////////////////////////////////////////////////////////
  // Plaintext and verdict                                              //
  ///////////////////////////////////////////////////////////////////////

  logic [WinBeats-1:1][DataW-1:0] win_q;  // the beats before the current one, [1] newest
  logic [13:0]  o_ct_len;
  logic         o_auth_ok, o_pad_ok;
  logic [7:0]   o_pad_len, o_next_hdr;
  logic [127:0] icv_bytes_be;

  always_comb begin
    logic [WinBeats*DataW-1:0] window, right;
    logic [6:0]                end_lanes;  // bytes of the text in the last beat, 1..64
    o_ct_len  = gcm_out_meta_i[13:0];
    end_lanes = (o_ct_len[5:0] == 6'd0) ? 7'd64 : 7'(o_ct_len[5:0]);
    window    = {gcm_out_data_i, win_q[1], win_q[2], win_q[3], win_q[4]};
    // The text's last byte to the top byte of the window.
    right      = window << (8 * (7'd64 - end_lanes));
    o_next_hdr = right[WinBeats*DataW-1 -: 8];
    o_pad_len  = right[WinBeats*DataW-9 -: 8];
    o_pad_ok   = o_ct_len[1:0] == 2'd0 && 15'(o_pad_len) + 15'd2 <= 15'(o_ct_len);
    for (int unsigned j = 0; j < 255; j++) begin
      // Pad byte pad_len - j sits j bytes before the pad length byte.
      if (8'(j) < o_pad_len && right[WinBeats*DataW - 17 - 8*j -: 8] != o_pad_len - 8'(j)) o_pad_ok = 1'b0;
    end
    for (int unsigned i = 0; i < IcvBytes; i++) icv_bytes_be[127 - 8*i -: 8] = iq_head[8*i +: 8];
    o_auth_ok = iq_valid && icv_bytes_be == gcm_out_tag_i;
  end

  assign iq_pop          = gcm_out_valid_i && p_ready_i && gcm_out_last_i;
  assign gcm_out_ready_o = p_ready_i;
  assign p_valid_o       = gcm_out_valid_i;
  assign p_data_o        = gcm_out_data_i;
  assign p_keep_o        = gcm_out_keep_i;
  assign p_last_o        = gcm_out_last_i;
  assign p_auth_ok_o     = o_auth_ok;
  assign p_pad_ok_o      = o_pad_ok;
  assign p_next_hdr_o    = o_next_hdr;
  assign p_text_len_o    = o_ct_len - 14'(o_pad_len) - 14'd2;

  always_ff @(posedge clk_i) begin
    if (gcm_out_valid_i && p_ready_i) win_q <= {win_q[WinBeats-2:1], gcm_out_data_i};
  end

  assign busy_o = rd_busy || s_valid || iq_valid;

  logic unused;
  assign unused = ^{s_keep, sq_valid, gcm_out_meta_i[15:14]};

endmodule
