// mplsec_ingress: accepts the input AXI4-Stream one beat a cycle, stores
// every beat of a frame in the packet buffer and, when the last beat has
// arrived, hands the header pipeline one descriptor: the frame's length,
// port, place in the buffer, policer time and its first three beats.
//
// Store-and-forward is needed because the runt/MTU/IPv4-length checks need
// the length before the first output beat; the buffer is a ring the egress
// releases in frame order. Flow control: a beat is refused only when the
// buffer is full, or, at a frame's first beat, when MaxInflight frames are
// already inside (which bounds the descriptor FIFO). Beats past the 150th
// (frames over 9600 bytes, dropped as bad_frame) are taken but not stored.
`default_nettype none

module mplsec_ingress
  import mplsec_fwd_pkg::*;
(
  input  wire logic                 clk_i,
  input  wire logic                 rst_ni,
  // Input stream.
  input  wire logic [DataW-1:0]     s_axis_tdata_i,
  input  wire logic [KeepW-1:0]     s_axis_tkeep_i,
  input  wire logic                 s_axis_tlast_i,
  input  wire logic [1:0]           s_axis_tuser_i,
  input  wire logic                 s_axis_tvalid_i,
  output      logic                 s_axis_tready_o,
  // Packet buffer write port.
  output      logic                 buf_we_o,
  output      logic [BufAw-1:0]     buf_waddr_o,
  output      logic [DataW-1:0]     buf_wdata_o,
  // Release of one frame by the egress.
  input  wire logic                 rel_valid_i,
  input  wire logic [BufBeatsW-1:0] rel_beats_i,
  // Completed frame.
  output      logic                 desc_valid_o,
  output      in_desc_t             desc_o,
  output      logic [InHdrBytes*8-1:0] desc_hdr_o,
  // No frame between first beat and release.
  output      logic                 idle_o
);

  localparam int unsigned BufDepth = 1 << BufAw;

  logic                   in_frame_q, in_frame_d;
  logic [BufAw-1:0]       wptr_q, wptr_d;
  logic [BufAw:0]         used_q, used_d;
  logic [InflightW-1:0]   inflight_q, inflight_d;
  logic [ClockW-1:0]      clock_q, clock_d;
  logic [LenW-1:0]        len_q, len_d;
  logic [BufBeatsW-1:0]   beats_q, beats_d;      // beats stored so far
  logic [BufAw-1:0]       start_q, start_d;
  logic [1:0]             port_q, port_d;
  logic [EpochW-1:0]      epoch_q, epoch_d;
  // Header window: the first three beats, each captured once; a beat the
  // frame does not have reads as zero.
  logic [DataW-1:0]       hbeat_q [3];
  logic [2:0]             hvalid_q, hvalid_d;
  logic                   desc_valid_q, desc_valid_d;
  in_desc_t               desc_q, desc_d;
  logic [SlotW-1:0]       slot_q, slot_d;

  logic                   accept, first, store;
  logic [6:0]             nbytes;
  logic [DataW-1:0]       data_masked;
  logic [LenW:0]          len_sum;

  // Space checks use registered state only: the ready path stays short.
  always_comb begin
    s_axis_tready_o = (used_q < (BufAw+1)'(BufDepth)) &&
                      (in_frame_q || inflight_q < InflightW'(MaxInflight));
  end

  assign accept = s_axis_tvalid_i && s_axis_tready_o;
  assign first  = !in_frame_q;
  assign store  = accept && (first || beats_q < BufBeatsW'(MaxBeats));

  always_comb begin
    nbytes = 7'($countones(s_axis_tkeep_i));
    for (int unsigned b = 0; b < BeatBytes; b++) begin
      data_masked[8*b +: 8] = s_axis_tkeep_i[b] ? s_axis_tdata_i[8*b +: 8] : 8'h00;
    end
  end

  always_comb begin
    in_frame_d   = in_frame_q;
    wptr_d       = wptr_q;
    clock_d      = clock_q;
    len_d        = len_q;
    beats_d      = beats_q;
    start_d      = start_q;
    port_d       = port_q;
    epoch_d      = epoch_q;
    hvalid_d     = hvalid_q;
    desc_valid_d = 1'b0;
    desc_d       = desc_q;
    slot_d       = slot_q;
    len_sum      = '0;

    if (accept) begin
      clock_d = clock_q + 1'b1;
      if (first) begin
        start_d = wptr_q;
        port_d  = s_axis_tuser_i;
        epoch_d  = clock_q[ClockW-1:EpochShift];
        hvalid_d = 3'b001;
        len_d    = '0;
        beats_d  = '0;
        len_sum  = (LenW+1)'(nbytes);
      end else begin
        if (beats_q == BufBeatsW'(1)) hvalid_d[1] = 1'b1;
        if (beats_q == BufBeatsW'(2)) hvalid_d[2] = 1'b1;
        len_sum = {1'b0, len_q} + (LenW+1)'(nbytes);
      end
      len_d = len_sum[LenW] ? '1 : len_sum[LenW-1:0];
      if (store) begin
        wptr_d  = wptr_q + 1'b1;
        beats_d = (first ? '0 : beats_q) + 1'b1;
      end
      in_frame_d = !s_axis_tlast_i;
      if (s_axis_tlast_i) begin
        desc_valid_d     = 1'b1;
        desc_d.slot      = slot_q;
        slot_d           = slot_q + 1'b1;
        desc_d.len       = len_d;
        desc_d.port      = first ? s_axis_tuser_i : port_q;
        desc_d.epoch     = epoch_d;
        desc_d.buf_start = start_d;
        desc_d.buf_beats = beats_d;
      end
    end
  end

  always_comb begin
    used_d     = used_q + (BufAw+1)'(store) - (rel_valid_i ? (BufAw+1)'(rel_beats_i) : '0);
    inflight_d = inflight_q + InflightW'(accept && first) - InflightW'(rel_valid_i);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      in_frame_q   <= 1'b0;
      wptr_q       <= '0;
      used_q       <= '0;
      inflight_q   <= '0;
      clock_q      <= '0;
      len_q        <= '0;
      beats_q      <= '0;
      start_q      <= '0;
      port_q       <= '0;
      epoch_q      <= '0;
      hvalid_q     <= '0;
      slot_q       <= '0;
      desc_valid_q <= 1'b0;
    end else begin
      in_frame_q   <= in_frame_d;
      wptr_q       <= wptr_d;
      used_q       <= used_d;
      inflight_q   <= inflight_d;
      clock_q      <= clock_d;
      len_q        <= len_d;
      beats_q      <= beats_d;
      start_q      <= start_d;
      port_q       <= port_d;
      epoch_q      <= epoch_d;
      hvalid_q     <= hvalid_d;
      slot_q       <= slot_d;
      desc_valid_q <= desc_valid_d;
    end
  end

  // Wide data registers need no reset. A header beat is written once; the
  // descriptor goes out the cycle after the last beat, before the next
  // frame's first beat can replace beat 0.
  always_ff @(posedge clk_i) begin
    desc_q <= desc_d;
    if (accept && first)                            hbeat_q[0] <= data_masked;
    if (accept && !first && beats_q == BufBeatsW'(1)) hbeat_q[1] <= data_masked;
    if (accept && !first && beats_q == BufBeatsW'(2)) hbeat_q[2] <= data_masked;
  end

  assign buf_we_o     = store;
  assign buf_waddr_o  = wptr_q;
  assign buf_wdata_o  = data_masked;
  assign desc_valid_o = desc_valid_q;
  assign desc_o       = desc_q;
  assign desc_hdr_o   = {hvalid_q[2] ? hbeat_q[2] : '0,
                          hvalid_q[1] ? hbeat_q[1] : '0,
                          hbeat_q[0]};
  assign idle_o       = !in_frame_q && (inflight_q == '0);

endmodule
