// mplsec_egress: sends the frames the header pipeline has decided, one
// beat a cycle, back to back, and releases their packet-buffer space.
//
// Output beats 0 and 1 come from the descriptor (the rewritten header);
// beats 2.. come from the packet buffer through a realigner: output beat k
// is input bytes 64k + delta .. 64k + delta + 63, i.e. the pair of buffer
// beats (rd_base + k - 1, rd_base + k) shifted right by `shift` bytes. The
// walker (stage 1) reads one buffer beat a cycle; stage 2 keeps the beat
// read the cycle before and combines the two. A dropped frame takes one
// cycle and sends nothing. The output stream is registered; when it is
// stalled the whole egress holds.
//
// ESP (docs/datapath.md step 4): an outbound frame is handed to the
// encrypt unit, which sends it on its own stream, and an inbound one to
// the inbound stage, whose second pass another walker sends. Every frame
// leaves an entry in the order queue (ord_*): which stream sends it, if
// any, and the buffer beats to release once it has left (mplsec_fwd
// merges the streams in that order and releases). enc_hold_i keeps an
// outbound frame back while an inbound one is on its way, so that the
// shared AES-GCM core never holds a later frame's text in front of it.
//
// Output: one stream, tuser = {punt, 0, port[1:0], reason[7:0]} as in
// mplsec_fwd_pkg::pack_user (port = output port, or the ingress port of a
// punt; reason 0 for forwarded frames). Bytes past tkeep are zero.
`default_nettype none

module mplsec_egress
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                 clk_i,
  input  wire logic                 rst_ni,
  // Decided frames (first-word-fall-through).
  input  wire logic                 desc_valid_i,
  input  wire out_desc_t            desc_i,
  output      logic                 desc_pop_o,
  // Packet buffer read port (data one cycle after an enabled read).
  output      logic                 buf_re_o,
  output      logic [BufAw-1:0]     buf_raddr_o,
  input  wire logic [DataW-1:0]     buf_rdata_i,
  // Order queue entry: one a frame, in order.
  output      logic                 ord_push_o,
  output      ord_kind_e            ord_kind_o,
  output      logic [BufBeatsW-1:0] ord_beats_o,
  // Encrypt unit jobs.
  output      logic                 enc_valid_o,
  output      esp_enc_job_t         enc_job_o,
  input  wire logic                 enc_pop_i,
  input  wire logic                 enc_hold_i,
  // Inbound stage hand-over.
  output      logic                 in_valid_o,
  output      out_desc_t            in_job_o,
  input  wire logic                 in_take_i,
  // Output stream.
  output      logic [DataW-1:0]     m_axis_tdata_o,
  output      logic [KeepW-1:0]     m_axis_tkeep_o,
  output      logic                 m_axis_tlast_o,
  output      logic [OutUserW-1:0]  m_axis_tuser_o,
  output      logic                 m_axis_tvalid_o,
  input  wire logic                 m_axis_tready_i,
  output      logic                 busy_o
);

  typedef enum logic [1:0] {
    SrcHdr0 = 2'd0,
    SrcHdr1 = 2'd1,
    SrcBuf  = 2'd2
  } src_e;

  logic adv;

  // Output register.
  logic                m_valid_q, m_valid_d;
  logic [DataW-1:0]    m_data_q, m_data_d;
  logic [KeepW-1:0]    m_keep_q, m_keep_d;
  logic                m_last_q, m_last_d;
  logic [OutUserW-1:0] m_user_q, m_user_d;

  assign adv = !m_valid_q || m_axis_tready_i;

  ///////////////////////////////////////////////////////////////////////
  // Stage 1: walk the head descriptor one output beat a cycle           //
  ///////////////////////////////////////////////////////////////////////

  logic [7:0]          k_q, k_d;         // output beat index in the frame
  logic [7:0]          nbeats;
  logic                last_beat;
  logic [6:0]          rem;

  logic                head_in, head_out;

  logic                s2_valid_q, s2_valid_d;
  src_e                s2_src_q, s2_src_d;
  logic [DataW-1:0]    s2_hdr_q, s2_hdr_d;
  logic [5:0]          s2_shift_q, s2_shift_d;
  logic [KeepW-1:0]    s2_keep_q, s2_keep_d;
  logic                s2_last_q, s2_last_d;
  logic [OutUserW-1:0] s2_user_q, s2_user_d;

  assign head_out    = desc_valid_i && desc_i.act == ActFwd && desc_i.esp.out;
  assign head_in     = desc_valid_i && desc_i.act == ActFwd && desc_i.esp.in;
  assign enc_valid_o = head_out && !enc_hold_i;
  assign in_valid_o  = head_in;

  always_comb begin
    nbeats    = 8'((desc_i.len + OutLenW'(63)) >> 6);
    last_beat = (k_q + 8'd1 >= nbeats);
    rem       = 7'(desc_i.len - {k_q[OutLenW-7:0], 6'b0});

    k_d         = k_q;
    desc_pop_o  = 1'b0;
    ord_push_o  = 1'b0;
    ord_kind_o  = OrdNone;
    ord_beats_o = desc_i.buf_beats;
    buf_re_o    = 1'b0;
    buf_raddr_o = desc_i.rd_base + BufAw'(k_q);

    // The stage-2 registers only move with the output.
    s2_valid_d = adv ? 1'b0 : s2_valid_q;
    s2_src_d   = SrcBuf;
    s2_hdr_d   = (k_q == 8'd0) ? desc_i.hdr[0 +: DataW] : desc_i.hdr[DataW +: DataW];
    s2_shift_d = desc_i.shift;
    s2_keep_d  = last_beat ? KeepW'((65'd1 << rem) - 65'd1) : '1;
    s2_last_d  = last_beat;
    s2_user_d  = desc_i.user;

    if (head_out) begin
      // The encrypt unit reads the frame and sends it on its stream.
      if (enc_pop_i) begin
        desc_pop_o = 1'b1;
        ord_push_o = 1'b1;
        ord_kind_o = OrdEnc;
      end
    end else if (head_in) begin
      // The inbound stage decrypts it; its second pass is sent elsewhere.
      if (in_take_i) begin
        desc_pop_o = 1'b1;
        ord_push_o = 1'b1;
        ord_kind_o = OrdInbound;
      end
    end else if (adv && desc_valid_i) begin
      if (desc_i.act != ActFwd && desc_i.act != ActPunt) begin
        desc_pop_o = 1'b1;
        ord_push_o = 1'b1;
      end else begin
        s2_valid_d = 1'b1;
        s2_src_d   = (k_q == 8'd0) ? SrcHdr0 : ((k_q == 8'd1) ? SrcHdr1 : SrcBuf);
        buf_re_o   = 1'b1;
        ord_push_o = k_q == 8'd0;
        ord_kind_o = OrdEgress;
        if (last_beat) begin
          k_d        = '0;
          desc_pop_o = 1'b1;
        end else begin
          k_d = k_q + 8'd1;
        end
      end
    end
  end

  always_comb begin
    enc_job_o             = '0;
    enc_job_o.sa          = desc_i.esp.sa;
    enc_job_o.nonce       = desc_i.esp.nonce;
    enc_job_o.aad         = desc_i.esp.aad;
    enc_job_o.aad12       = desc_i.esp.aad12;
    enc_job_o.buf_base    = desc_i.buf_start;
    enc_job_o.ip_off      = desc_i.esp.ip_off;
    enc_job_o.inner_len   = desc_i.esp.inner_len;
    enc_job_o.trailer     = desc_i.esp.trailer;
    enc_job_o.trailer_len = desc_i.esp.trailer_len;
    enc_job_o.hdr_len     = desc_i.esp.hdr_len;
    enc_job_o.hdr         = desc_i.hdr;
    enc_job_o.user        = desc_i.user;
    enc_job_o.patch       = desc_i.esp.patch;
    enc_job_o.patch_v6    = desc_i.esp.patch_v6;
    enc_job_o.patch_ttl   = desc_i.esp.patch_ttl;
    enc_job_o.patch_csum  = desc_i.esp.patch_csum;
  end
  assign in_job_o = desc_i;


  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      k_q        <= '0;
      s2_valid_q <= 1'b0;
    end else begin
      k_q        <= k_d;
      s2_valid_q <= s2_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (adv) begin
      s2_src_q   <= s2_src_d;
      s2_hdr_q   <= s2_hdr_d;
      s2_shift_q <= s2_shift_d;
      s2_keep_q  <= s2_keep_d;
      s2_last_q  <= s2_last_d;
      s2_user_q  <= s2_user_d;
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Stage 2: realign                                                    //
  ///////////////////////////////////////////////////////////////////////

  logic [DataW-1:0] prev_q;

  always_ff @(posedge clk_i) begin
    if (adv) prev_q <= buf_rdata_i;
  end

  always_comb begin
    logic [2*DataW-1:0] pair;
    logic [DataW-1:0]   data;
    pair = {buf_rdata_i, prev_q};
    unique case (s2_src_q)
      SrcHdr0, SrcHdr1: data = s2_hdr_q;
      default:          data = DataW'(pair >> {s2_shift_q, 3'b000});
    endcase
    for (int unsigned b = 0; b < BeatBytes; b++) begin
      if (!s2_keep_q[b]) data[8*b +: 8] = 8'h00;
    end
    m_valid_d = m_valid_q;
    m_data_d  = m_data_q;
    m_keep_d  = m_keep_q;
    m_last_d  = m_last_q;
    m_user_d  = m_user_q;
    if (adv) begin
      m_valid_d = s2_valid_q;
      m_data_d  = data;
      m_keep_d  = s2_keep_q;
      m_last_d  = s2_last_q;
      m_user_d  = s2_user_q;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) m_valid_q <= 1'b0;
    else         m_valid_q <= m_valid_d;
  end

  always_ff @(posedge clk_i) begin
    m_data_q <= m_data_d;
    m_keep_q <= m_keep_d;
    m_last_q <= m_last_d;
    m_user_q <= m_user_d;
  end

  assign m_axis_tdata_o  = m_data_q;
  assign m_axis_tkeep_o  = m_keep_q;
  assign m_axis_tlast_o  = m_last_q;
  assign m_axis_tuser_o  = m_user_q;
  assign m_axis_tvalid_o = m_valid_q;
  assign busy_o          = s2_valid_q || m_valid_q;

  // Buffer placement is the ingress's business.
  logic unused;
  assign unused = ^{desc_i.buf_start, desc_i.esp, desc_i.p2, desc_i.slot};

endmodule
