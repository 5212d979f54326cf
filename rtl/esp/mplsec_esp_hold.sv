// mplsec_esp_hold: keeps decrypted frames on the card until their verdict
// (docs/datapath.md step 4.2: "no decrypted byte has left the card"). The
// plaintext from mplsec_esp_decrypt is written into a ring of HoldBeats
// beats as it comes; at a frame's last beat, in the spec's order:
//   ICV wrong                       -> esp_auth_failed
//   replay check-and-mark fails     -> esp_replay (mplsec_replay_window;
//                                      the window moves for authentic
//                                      packets only, padding or not)
//   padding wrong                   -> esp_bad_padding
//   next header not 4 or 41         -> bad_frame
//   else accepted: the text before the padding leaves on m_*.
// Verdicts leave in frame order, one per frame, when the frame leaves the
// ring (an accepted frame after its last beat went out). The ring takes
// a frame of 150 beats while two more queue behind it.
`default_nettype none

module mplsec_esp_hold
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
#(
  parameter int unsigned HoldBeats = 512,  // ring of plaintext beats; power of two
  localparam int unsigned Aw = $clog2(HoldBeats)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // Per frame, in job order, when its decrypt job starts.
  input  wire logic             info_valid_i,
  input  wire esp_rx_info_t     info_i,
  output      logic             info_full_o,
  // Plaintext and verdict fields from mplsec_esp_decrypt.
  input  wire logic             p_valid_i,
  output      logic             p_ready_o,
  input  wire logic [DataW-1:0] p_data_i,
  input  wire logic             p_last_i,
  input  wire logic             p_auth_ok_i,
  input  wire logic             p_pad_ok_i,
  input  wire logic [7:0]       p_next_hdr_i,
  input  wire logic [13:0]      p_text_len_i,
  // Replay check port of mplsec_replay_window (result two cycles later).
  output      logic             chk_o,
  output      logic [SaW-1:0]   chk_sa_o,
  output      logic [3:0]       chk_log2_o,
  output      logic [63:0]      chk_seq_o,
  input  wire logic             chk_valid_i,
  input  wire logic             chk_ok_i,
  // One verdict a frame, in order, as the frame leaves the ring; the
  // frame leaves only while v_ready_i.
  output      logic             v_valid_o,
  input  wire logic             v_ready_i,
  output      logic             v_accept_o,
  output      reason_e          v_reason_o,   // drops only
  output      esp_rx_info_t     v_info_o,
  output      logic [13:0]      v_text_len_o, // accepted only
  output      logic             v_inner_v6_o, // accepted only: next header 41
  // Accepted plaintext, text before the padding.
  output      logic             m_valid_o,
  input  wire logic             m_ready_i,
  output      logic [DataW-1:0] m_data_o,
  output      logic [KeepW-1:0] m_keep_o,
  output      logic             m_last_o,
  output      logic             busy_o      // frames held or verdicts pending
);

  typedef struct packed {
    esp_rx_info_t info;
    logic [Aw-1:0] start;      // ring beat of the frame's first beat
    logic [8:0]    beats;      // ring beats the frame holds
    logic          auth_ok;
    logic          pad_ok;
    logic          nh_ok;
    logic          nh_v6;      // next header 41
    logic [13:0]   text_len;
  } end_t;

  typedef struct packed {
    end_t     e;
    logic     accept;
    reason_e  reason;
  } verdict_t;

  ///////////////////////////////////////////////////////////////////////
  // Plaintext into the ring                                            //
  ///////////////////////////////////////////////////////////////////////

  logic [Aw:0]   wptr_q, free_q;    // free_q: first beat still held
  logic [Aw-1:0] start_q;
  logic [8:0]    beats_q;
  logic          in_first_q;
  logic          take;
  logic          iq_valid, iq_full, iq_pop;
  esp_rx_info_t  iq_head;

  assign p_ready_o   = (wptr_q - free_q) < (Aw+1)'(HoldBeats);
  assign take        = p_valid_i && p_ready_o;
  assign info_full_o = iq_full;

  mplsec_fifo #(.T(esp_rx_info_t), .Depth(32)) u_info (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (info_valid_i), .wdata_i (info_i), .full_o (iq_full),
    .rvalid_o (iq_valid), .rdata_o (iq_head), .rready_i (iq_pop)
  );
  assign iq_pop = take && p_last_i;

  logic [DataW-1:0] rd_data, ram_unused;
  logic             rd_en;
  logic [Aw-1:0]    rd_addr;

  mplsec_ram #(.Width(DataW), .Depth(HoldBeats)) u_ring (
    .clk_i     (clk_i),
    .a_we_i    (take),
    .a_re_i    (1'b0),
    .a_addr_i  (wptr_q[Aw-1:0]),
    .a_wdata_i (p_data_i),
    .a_rdata_o (ram_unused),
    .b_en_i    (rd_en),
    .b_addr_i  (rd_addr),
    .b_rdata_o (rd_data)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q     <= '0;
      in_first_q <= 1'b1;
    end else if (take) begin
      wptr_q     <= wptr_q + (Aw+1)'(1);
      in_first_q <= p_last_i;
    end
  end

  always_ff @(posedge clk_i) begin
    if (take) begin
      if (in_first_q) begin
        start_q <= wptr_q[Aw-1:0];
        beats_q <= 9'd1;
      end else begin
        beats_q <= beats_q + 9'd1;
      end
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Verdict: replay check for authentic frames, two cycles             //
  ///////////////////////////////////////////////////////////////////////

  end_t end_d, end1_q, end2_q;
  logic end1_valid_q, end2_valid_q;

  always_comb begin
    end_d.info     = iq_head;
    end_d.start    = in_first_q ? wptr_q[Aw-1:0] : start_q;
    end_d.beats    = in_first_q ? 9'd1 : beats_q + 9'd1;
    end_d.auth_ok  = p_auth_ok_i;
    end_d.pad_ok   = p_pad_ok_i;
    end_d.nh_ok    = p_next_hdr_i == 8'd4 || p_next_hdr_i == 8'd41;
    end_d.nh_v6    = p_next_hdr_i == 8'd41;
    end_d.text_len = p_text_len_i;
  end

  assign chk_o      = take && p_last_i && p_auth_ok_i;
  assign chk_sa_o   = iq_head.sa;
  assign chk_log2_o = iq_head.replay_log2;
  assign chk_seq_o  = iq_head.seq;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      end1_valid_q <= 1'b0;
      end2_valid_q <= 1'b0;
    end else begin
      end1_valid_q <= take && p_last_i;
      end2_valid_q <= end1_valid_q;
    end
  end

  always_ff @(posedge clk_i) begin
    end1_q <= end_d;
    end2_q <= end1_q;
  end

  // The check of an authentic frame answers with end2.
  verdict_t vd;
  always_comb begin
    vd.e      = end2_q;
    vd.accept = 1'b0;
    vd.reason = REASON_BAD_FRAME;
    if (!end2_q.auth_ok)                     vd.reason = REASON_ESP_AUTH_FAILED;
    else if (!(chk_valid_i && chk_ok_i))     vd.reason = REASON_ESP_REPLAY;
    else if (!end2_q.pad_ok)                 vd.reason = REASON_ESP_BAD_PADDING;
    else if (!end2_q.nh_ok)                  vd.reason = REASON_BAD_FRAME;
    else                                     vd.accept = 1'b1;
  end

  logic     vq_valid, vq_full, vq_pop;
  verdict_t vq_head;

  // As many verdicts as frames the ring can hold (one beat each).
  mplsec_fifo #(.T(verdict_t), .Depth(HoldBeats)) u_verdicts (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (end2_valid_q), .wdata_i (vd), .full_o (vq_full),
    .rvalid_o (vq_valid), .rdata_o (vq_head), .rready_i (vq_pop)
  );

  ///////////////////////////////////////////////////////////////////////
  // Out of the ring                                                    //
  ///////////////////////////////////////////////////////////////////////

  // The reader walks the verdicts: an accepted frame reads its
  // ceil(text_len / 64) beats, one a cycle, and each beat goes, a cycle
  // later, into a small output queue with the verdict on its last; a drop
  // puts its verdict there alone. The next frame's first read follows its
  // predecessor's last at once, so a one-beat frame costs one cycle. A
  // frame's ring beats are freed with its last read (a write reaches them
  // a cycle later at the earliest, after the read).
  typedef struct packed {
    verdict_t         v;
    logic             beat;    // a plaintext beat (else a verdict alone)
    logic             last;    // the frame's last beat
    logic [5:0]       tail;    // bytes in the last beat (0: all 64)
  } out_tag_t;

  typedef struct packed {
    out_tag_t         tag;
    logic [DataW-1:0] data;
  } out_t;

  localparam int unsigned OutDepth = 4;
  localparam int unsigned OccW     = $clog2(OutDepth) + 1;

  logic [8:0]      out_sent_q;   // beats of the head frame read so far
  logic [8:0]      out_beats;
  logic            issue, issue_q, oq_valid, oq_full_unused, oq_pop;
  logic            frame_done, has_beats;
  logic [OccW-1:0] occ_q;        // output queue entries and the read in flight
  out_tag_t        tag_d, tag_q;
  out_t            oq_in, oq_head;

  // An accepted frame with no text (the second pass drops it) has no beat.
  assign out_beats  = 9'((vq_head.e.text_len + 14'd63) >> 6);
  assign has_beats  = vq_head.accept && out_beats != '0;
  assign issue      = vq_valid && occ_q < OccW'(OutDepth);
  assign rd_en      = issue && has_beats;
  assign rd_addr    = vq_head.e.start + Aw'(out_sent_q);
  assign frame_done = issue && (!has_beats || out_sent_q + 9'd1 == out_beats);
  assign vq_pop     = frame_done;

  always_comb begin
    tag_d.v    = vq_head;
    tag_d.beat = has_beats;
    tag_d.last = frame_done;
    tag_d.tail = vq_head.e.text_len[5:0];
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      free_q     <= '0;
      out_sent_q <= '0;
      issue_q    <= 1'b0;
      occ_q      <= '0;
    end else begin
      issue_q <= issue;
      occ_q   <= occ_q + OccW'(issue) - OccW'(oq_pop);
      if (rd_en) out_sent_q <= out_sent_q + 9'd1;
      if (frame_done) begin
        out_sent_q <= '0;
        free_q     <= free_q + (Aw+1)'(vq_head.e.beats);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (issue) tag_q <= tag_d;
  end

  // The read's data, bytes past the text zeroed in a last beat.
  always_comb begin
    oq_in.tag  = tag_q;
    oq_in.data = rd_data;
    if (tag_q.last && tag_q.tail != 6'd0) begin
      for (int unsigned i = 0; i < KeepW; i++) begin
        if (6'(i) >= tag_q.tail) oq_in.data[8*i +: 8] = 8'h00;
      end
    end
  end

  mplsec_fifo #(.T(out_t), .Depth(OutDepth)) u_out (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (issue_q), .wdata_i (oq_in), .full_o (oq_full_unused),
    .rvalid_o (oq_valid), .rdata_o (oq_head), .rready_i (oq_pop)
  );

  // A verdict leaves with its frame's last beat (or alone).
  assign m_valid_o    = oq_valid && oq_head.tag.beat;
  assign m_data_o     = oq_head.data;
  assign m_last_o     = oq_head.tag.last;
  assign m_keep_o     = (oq_head.tag.last && oq_head.tag.tail != 6'd0) ?
                        KeepW'((65'd1 << oq_head.tag.tail) - 65'd1) : '1;
  assign oq_pop       = oq_valid && (oq_head.tag.beat ? m_ready_i : v_ready_i) &&
                        !(oq_head.tag.last && !v_ready_i);
  assign v_valid_o    = oq_valid && oq_head.tag.last && v_ready_i && (!oq_head.tag.beat || m_ready_i);
  assign v_accept_o   = oq_head.tag.v.accept;
  assign v_reason_o   = oq_head.tag.v.reason;
  assign v_info_o     = oq_head.tag.v.e.info;
  assign v_text_len_o = oq_head.tag.v.e.text_len;
  assign v_inner_v6_o = oq_head.tag.v.e.nh_v6;

  assign busy_o = wptr_q != free_q || end1_valid_q || end2_valid_q || vq_valid || occ_q != '0;

  logic unused;
  assign unused = ^{ram_unused, vq_full, iq_valid};

endmodule
