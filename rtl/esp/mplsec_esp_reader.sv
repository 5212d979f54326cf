// mplsec_esp_reader: a byte range of a frame in the packet buffer as a
// lane-0 stream, for the GCM core. The range starts off bytes into the
// frame (frame byte 0 in lane 0 of beat base) and is len bytes long; up to
// five tail bytes (the ESP trailer of an outbound frame) follow it in the
// stream, written over whatever the buffer holds there.
//
// One job at a time: start_i while ready_o, which is already the case in
// the cycle of the previous job's last read. The buffer read port has one
// cycle of latency; reads run ahead into a small FIFO by credit, so the
// stream moves one beat a cycle (plus the realigner's one cycle when the
// output grows a beat).
`default_nettype none

module mplsec_esp_reader
  import mplsec_fwd_pkg::*;
(
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             start_i,
  input  wire logic [BufAw-1:0] base_i,
  input  wire logic [7:0]       off_i,
  input  wire logic [13:0]      len_i,
  input  wire logic [39:0]      tail_i,      // byte 0 in 7:0
  input  wire logic [2:0]       tail_len_i,  // 0..5
  output      logic             ready_o,     // start_i is taken this cycle
  output      logic             busy_o,      // a job is being read
  // Packet buffer read port, data one cycle after buf_re_o.
  output      logic             buf_re_o,
  output      logic [BufAw-1:0] buf_raddr_o,
  input  wire logic [DataW-1:0] buf_rdata_i,
  // The range and its tail, first byte in lane 0.
  output      logic             m_valid_o,
  input  wire logic             m_ready_i,
  output      logic [DataW-1:0] m_data_o,
  output      logic [KeepW-1:0] m_keep_o,
  output      logic             m_last_o
);

  localparam int unsigned Credits = 4;  // covers read, FIFO write, pop

  typedef struct packed {
    logic             last;
    logic [5:0]       in_off;
    logic [13:0]      len;
    logic [DataW-1:0] tail_data;  // tail bytes of this beat, in place
    logic [KeepW-1:0] tail_mask;
  } rd_meta_t;

  typedef struct packed {
    logic [DataW-1:0] data;
    logic             last;
    logic [5:0]       in_off;
    logic [13:0]      len;
  } beat_t;

  logic             active_q, issue, pend_q;
  logic [BufAw-1:0] addr_q;
  logic [8:0]       left_q;    // beats still to read
  logic [13:0]      pos_q;     // byte offset of the next beat from the range's first beat
  logic [5:0]       in_off_q;
  logic [13:0]      len_q;
  logic [39:0]      tail_q;
  logic [2:0]       tail_len_q;
  logic [2:0]       credit_q;  // beats read and not yet passed on
  rd_meta_t         meta_d, meta_q;

  logic  fq_valid, fq_pop, fq_full, rl_ready;
  beat_t fq_head;

  assign issue   = active_q && credit_q < 3'(Credits);
  assign busy_o  = active_q;
  assign ready_o = !active_q || (issue && left_q == 9'd1);

  always_comb begin
    logic [13:0]        tail_pos;
    logic [7:0]         tail_bits;
    logic [2*DataW-1:0] wide;
    logic [2*KeepW-1:0] wide_mask;
    tail_pos  = 14'(in_off_q) + len_q;
    tail_bits = 8'((9'd1 << tail_len_q) - 9'd1);
    wide      = (2*DataW)'(tail_q) << (8 * tail_pos[5:0]);
    wide_mask = (2*KeepW)'(tail_bits) << tail_pos[5:0];
    meta_d.last      = left_q == 9'd1;
    meta_d.in_off    = in_off_q;
    meta_d.len       = len_q + 14'(tail_len_q);
    meta_d.tail_data = '0;
    meta_d.tail_mask = '0;
    if (pos_q[13:6] == tail_pos[13:6]) begin
      meta_d.tail_data = wide[DataW-1:0];
      meta_d.tail_mask = wide_mask[KeepW-1:0];
    end else if (pos_q[13:6] == tail_pos[13:6] + 8'd1) begin
      meta_d.tail_data = wide[2*DataW-1:DataW];
      meta_d.tail_mask = wide_mask[2*KeepW-1:KeepW];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      active_q <= 1'b0;
      pend_q   <= 1'b0;
      credit_q <= '0;
    end else begin
      pend_q   <= issue;
      credit_q <= credit_q + 3'(issue) - 3'(fq_pop);
      if (start_i) active_q <= 1'b1;
      else if (issue && left_q == 9'd1) active_q <= 1'b0;
    end
  end

  always_ff @(posedge clk_i) begin
    if (start_i) begin
      logic [14:0] span;
      span       = 15'(off_i[5:0]) + 15'(len_i) + 15'(tail_len_i);
      addr_q     <= base_i + BufAw'(off_i[7:6]);
      left_q     <= 9'((span + 15'd63) >> 6);
      pos_q      <= '0;
      in_off_q   <= off_i[5:0];
      len_q      <= len_i;
      tail_q     <= tail_i;
      tail_len_q <= tail_len_i;
    end else if (issue) begin
      addr_q <= addr_q + BufAw'(1);
      left_q <= left_q - 9'd1;
      pos_q  <= pos_q + 14'd64;
    end
    if (issue) meta_q <= meta_d;
  end

  assign buf_re_o    = issue;
  assign buf_raddr_o = addr_q;

  logic [DataW-1:0] merged;
  always_comb begin
    merged = buf_rdata_i;
    for (int unsigned i = 0; i < KeepW; i++) begin
      if (meta_q.tail_mask[i]) merged[8*i +: 8] = meta_q.tail_data[8*i +: 8];
    end
  end

  mplsec_fifo #(
    .T     (beat_t),
    .Depth (Credits)
  ) u_beats (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (pend_q),
    .wdata_i  ('{data: merged, last: meta_q.last, in_off: meta_q.in_off, len: meta_q.len}),
    .full_o   (fq_full),
    .rvalid_o (fq_valid),
    .rdata_o  (fq_head),
    .rready_i (fq_pop)
  );
  assign fq_pop = fq_valid && rl_ready;

  mplsec_stream_realign u_to_lane0 (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (fq_valid),
    .s_ready_o (rl_ready),
    .s_data_i  (fq_head.data),
    .s_last_i  (fq_head.last),
    .in_off_i  (fq_head.in_off),
    .out_off_i (6'd0),
    .len_i     (fq_head.len),
    .prefix_i  ('0),
    .m_valid_o (m_valid_o),
    .m_ready_i (m_ready_i),
    .m_data_o  (m_data_o),
    .m_keep_o  (m_keep_o),
    .m_last_o  (m_last_o)
  );

  logic unused;
  assign unused = fq_full;

endmodule
