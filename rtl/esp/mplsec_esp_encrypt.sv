// mplsec_esp_encrypt: the payload side of an outbound ESP frame
// (docs/datapath.md step 4.1). For each job it reads the customer packet
// from the packet buffer, lines it up for the GCM core with the trailer
// behind it, and sends the frame: header (Ethernet .. IV, from the job),
// ciphertext, ICV.
//
//   buffer -> mplsec_esp_reader (packet + trailer, lane 0) -> mplsec_gcm ->
//   ICV append -> realign behind the header -> header beat mux -> m_axis
//
// The core sits outside (the decrypt side will share it); this unit drives
// its text port and reads its output. Frames follow each other through the
// core with no gap; every stage takes its frame's parameters at the
// frame's first beat, from a FIFO filled when the reader starts the job.
// One beat a cycle, plus one cycle where a realigner's output grows a beat
// and one where the ICV spills into a beat of its own.
`default_nettype none

module mplsec_esp_encrypt
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Jobs (first-word-fall-through).
  input  wire logic                job_valid_i,
  input  wire esp_enc_job_t        job_i,
  output      logic                job_pop_o,
  // Packet buffer read port, data one cycle after buf_re_o.
  output      logic                buf_re_o,
  output      logic [BufAw-1:0]    buf_raddr_o,
  input  wire logic [DataW-1:0]    buf_rdata_i,
  // GCM core text port (mplsec_gcm).
  output      logic                gcm_valid_o,
  input  wire logic                gcm_ready_i,
  output      logic                gcm_sop_o,
  output      logic [SaW-1:0]      gcm_sa_o,
  output      logic [95:0]         gcm_nonce_o,
  output      logic [95:0]         gcm_aad_o,
  output      logic                gcm_aad12_o,
  output      logic [DataW-1:0]    gcm_data_o,
  output      logic [KeepW-1:0]    gcm_keep_o,
  output      logic                gcm_last_o,
  output      logic [15:0]         gcm_meta_o,
  input  wire logic                gcm_out_valid_i,
  output      logic                gcm_out_ready_o,
  input  wire logic [DataW-1:0]    gcm_out_data_i,
  input  wire logic [KeepW-1:0]    gcm_out_keep_i,
  input  wire logic                gcm_out_last_i,
  input  wire logic [15:0]         gcm_out_meta_i,
  input  wire logic [127:0]        gcm_out_tag_i,
  // Frames out.
  output      logic                m_valid_o,
  input  wire logic                m_ready_i,
  output      logic [DataW-1:0]    m_data_o,
  output      logic [KeepW-1:0]    m_keep_o,
  output      logic                m_last_o,
  output      logic [OutUserW-1:0] m_user_o,
  output      logic                busy_o
);

  // Frames between the reader and the output: enough for one-beat frames
  // back to back through the core's latency.
  localparam int unsigned FifoDepth = 32;

  typedef struct packed {
    logic [SaW-1:0] sa;
    logic [95:0]    nonce;
    logic [95:0]    aad;
    logic           aad12;
    logic [5:0]     text_end;  // (inner + trailer) mod 64: where the ICV starts
    logic           patch;
    logic           patch_v6;
    logic [7:0]     patch_ttl;
    logic [15:0]    patch_csum;
  } core_job_t;

  typedef struct packed {
    logic [6:0]               hdr_len;
    logic [13:0]              len;   // ciphertext and ICV
    logic [OutHdrBytes*8-1:0] hdr;
    logic [OutUserW-1:0]      user;
  } out_job_t;

  ///////////////////////////////////////////////////////////////////////
  // Reader: the customer packet and its trailer, at lane 0             //
  ///////////////////////////////////////////////////////////////////////

  logic             rd_busy, rd_ready, start;
  logic [13:0]      job_text_len;
  logic             cq_full, cq_valid, cq_pop;
  core_job_t        cq_head;
  logic             oq_full, oq_valid, oq_pop, oq2_full, oq2_valid, oq2_pop;
  out_job_t         oq_head, oq2_head;
  logic             t_valid, t_ready, t_last, t_first_q;
  logic [DataW-1:0] t_data;
  logic [KeepW-1:0] t_keep;

  assign job_text_len = job_i.inner_len + 14'(job_i.trailer_len);
  assign start        = rd_ready && job_valid_i && !cq_full && !oq_full && !oq2_full;
  assign job_pop_o    = start;

  mplsec_esp_reader u_reader (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .start_i     (start),
    .base_i      (job_i.buf_base),
    .off_i       (8'(job_i.ip_off)),
    .len_i       (job_i.inner_len),
    .tail_i      (job_i.trailer),
    .tail_len_i  (job_i.trailer_len),
    .ready_o     (rd_ready),
    .busy_o      (rd_busy),
    .buf_re_o    (buf_re_o),
    .buf_raddr_o (buf_raddr_o),
    .buf_rdata_i (buf_rdata_i),
    .m_valid_o   (t_valid),
    .m_ready_i   (t_ready),
    .m_data_o    (t_data),
    .m_keep_o    (t_keep),
    .m_last_o    (t_last)
  );

  // Per-frame parameters for the core and for the output side.
  core_job_t cq_in;
  out_job_t  oq_in;
  always_comb begin
    cq_in.sa       = job_i.sa;
    cq_in.nonce    = job_i.nonce;
    cq_in.aad      = job_i.aad;
    cq_in.aad12    = job_i.aad12;
    cq_in.text_end = job_text_len[5:0];
    cq_in.patch      = job_i.patch;
    cq_in.patch_v6   = job_i.patch_v6;
    cq_in.patch_ttl  = job_i.patch_ttl;
    cq_in.patch_csum = job_i.patch_csum;
    oq_in.hdr_len  = job_i.hdr_len;
    oq_in.len      = job_text_len + 14'(IcvBytes);
    oq_in.hdr      = job_i.hdr;
    oq_in.user     = job_i.user;
  end

  mplsec_fifo #(.T(core_job_t), .Depth(FifoDepth)) u_core_jobs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (start), .wdata_i (cq_in), .full_o (cq_full),
    .rvalid_o (cq_valid), .rdata_o (cq_head), .rready_i (cq_pop)
  );

  // Two copies: one read by the output realigner at a frame's first beat,
  // one by the header mux until the frame's last beat has left.
  mplsec_fifo #(.T(out_job_t), .Depth(FifoDepth)) u_out_jobs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (start), .wdata_i (oq_in), .full_o (oq_full),
    .rvalid_o (oq_valid), .rdata_o (oq_head), .rready_i (oq_pop)
  );
  mplsec_fifo #(.T(out_job_t), .Depth(FifoDepth)) u_out_jobs2 (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (start), .wdata_i (oq_in), .full_o (oq2_full),
    .rvalid_o (oq2_valid), .rdata_o (oq2_head), .rready_i (oq2_pop)
  );

  ///////////////////////////////////////////////////////////////////////
  // Into the core                                                      //
  ///////////////////////////////////////////////////////////////////////

  // A frame enters the core only with its parameters at hand.
  assign gcm_valid_o = t_valid && (!t_first_q || cq_valid);
  assign t_ready     = gcm_ready_i && (!t_first_q || cq_valid);
  assign gcm_sop_o   = t_first_q;
  assign gcm_sa_o    = cq_head.sa;
  assign gcm_nonce_o = cq_head.nonce;
  assign gcm_aad_o   = cq_head.aad;
  assign gcm_aad12_o = cq_head.aad12;
  // The first beat carries the packet's IP header at lane 0.
  always_comb begin
    gcm_data_o = t_data;
    if (t_first_q && cq_head.patch) begin
      if (cq_head.patch_v6) begin
        gcm_data_o[8*7 +: 8] = cq_head.patch_ttl;
      end else begin
        gcm_data_o[8*8 +: 8]  = cq_head.patch_ttl;
        gcm_data_o[8*10 +: 8] = cq_head.patch_csum[15:8];
        gcm_data_o[8*11 +: 8] = cq_head.patch_csum[7:0];
      end
    end
  end
  assign gcm_keep_o  = t_keep;
  assign gcm_last_o  = t_last;
  // The core carries meta beat by beat: every beat of a frame holds it.
  logic [5:0] text_end_q;
  assign gcm_meta_o  = {10'd0, t_first_q ? cq_head.text_end : text_end_q};
  assign cq_pop      = t_valid && t_ready && t_first_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                t_first_q <= 1'b1;
    else if (t_valid && t_ready) t_first_q <= t_last;
  end

  always_ff @(posedge clk_i) begin
    if (cq_pop) text_end_q <= cq_head.text_end;
  end

  ///////////////////////////////////////////////////////////////////////
  // ICV behind the ciphertext                                          //
  ///////////////////////////////////////////////////////////////////////

  // The tag comes with the last beat: the ICV fills lanes text_end.. of
  // that beat and, when it does not fit (or the beat is full), the start
  // of one more. The core's output is zero past keep.
  logic               c_valid, c_ready, c_ready_raw, c_last, spill_q;
  logic [DataW-1:0]   c_data, spill_data_q;
  logic [2*DataW-1:0] icv_wide;
  logic [127:0]       icv_bytes;
  logic [5:0]         text_end;
  logic               full_beat, spills;

  always_comb begin
    for (int unsigned i = 0; i < IcvBytes; i++) icv_bytes[8*i +: 8] = gcm_out_tag_i[127 - 8*i -: 8];
    text_end  = gcm_out_meta_i[5:0];
    full_beat = text_end == 6'd0;
    spills    = full_beat || text_end > 6'(KeepW - IcvBytes);
    icv_wide  = full_beat ? {(2*DataW)'(icv_bytes) << DataW} : (2*DataW)'(icv_bytes) << (8 * text_end);
    c_valid   = spill_q || gcm_out_valid_i;
    c_data    = spill_q ? spill_data_q
                        : gcm_out_data_i | (gcm_out_last_i ? icv_wide[DataW-1:0] : '0);
    c_last    = spill_q || (gcm_out_last_i && !spills);
  end

  assign gcm_out_ready_o = c_ready && !spill_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)      spill_q <= 1'b0;
    else if (c_ready) spill_q <= !spill_q && gcm_out_valid_i && gcm_out_last_i && spills;
  end

  always_ff @(posedge clk_i) begin
    if (c_ready && !spill_q) spill_data_q <= icv_wide[2*DataW-1:DataW];
  end

  ///////////////////////////////////////////////////////////////////////
  // Behind the header, and out                                         //
  ///////////////////////////////////////////////////////////////////////

  logic             r_valid, r_ready, r_last, r_first_q;
  logic [DataW-1:0] r_data;
  logic [KeepW-1:0] r_keep;
  logic             r_in_first_q;
  logic             hdr_beat;

  mplsec_stream_realign u_behind_hdr (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (c_valid && (!r_in_first_q || oq_valid)),
    .s_ready_o (c_ready_raw),
    .s_data_i  (c_data),
    .s_last_i  (c_last),
    .in_off_i  (6'd0),
    .out_off_i (oq_head.hdr_len[5:0]),
    .len_i     (oq_head.len),
    .prefix_i  (oq_head.hdr[DataW * oq_head.hdr_len[6] +: DataW]),
    .m_valid_o (r_valid),
    .m_ready_i (r_ready),
    .m_data_o  (r_data),
    .m_keep_o  (r_keep),
    .m_last_o  (r_last)
  );

  assign c_ready = c_ready_raw && (!r_in_first_q || oq_valid);
  assign oq_pop  = c_valid && c_ready && r_in_first_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                 r_in_first_q <= 1'b1;
    else if (c_valid && c_ready) r_in_first_q <= c_last;
  end

  // A header of 64 bytes or more sends its first beat ahead of the rest,
  // once the rest is ready, so a frame leaves without a gap.
  assign hdr_beat = oq2_valid && r_first_q && oq2_head.hdr_len[6] && r_valid;

  always_comb begin
    m_valid_o = hdr_beat || r_valid;
    m_data_o  = hdr_beat ? oq2_head.hdr[DataW-1:0] : r_data;
    m_keep_o  = hdr_beat ? '1 : r_keep;
    m_last_o  = !hdr_beat && r_last;
    m_user_o  = oq2_head.user;
    r_ready   = m_ready_i && !hdr_beat;
  end
  assign oq2_pop = r_valid && r_ready && r_last;

  // r_first_q: the next output beat is the frame's first.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                       r_first_q <= 1'b1;
    else if (m_valid_o && m_ready_i)   r_first_q <= m_last_o;
  end

  assign busy_o = rd_busy || oq2_valid || t_valid;

  logic unused;
  assign unused = ^{oq_head.user, oq2_head.len, gcm_out_meta_i[15:6], gcm_out_keep_i};

endmodule
