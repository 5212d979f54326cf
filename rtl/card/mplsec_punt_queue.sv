// mplsec_punt_queue: frames the datapath sends to the host, kept until the
// host has read them through the punt block (PUNT_COUNT, PUNT_META,
// PUNT_DATA, PUNT_POP).
//
// Frames are stored whole, beat by beat, in a ring of Beats beats; their
// metadata waits in a FIFO of Frames entries. The stream input never
// stalls the datapath: a frame that finds the ring or the FIFO full is
// dropped whole. The host reads the head frame four bytes at a time, first
// byte in 7:0; a read past its end gives zero and stays there. Bytes past
// a beat's tkeep are stored as zero.
`default_nettype none

module mplsec_punt_queue
  import mplsec_fwd_pkg::*;
#(
  parameter int unsigned Beats  = 2048,  // frame storage in beats (128 KiB); power of two
  parameter int unsigned Frames = 256,   // frames waiting; power of two
  localparam int unsigned Aw = $clog2(Beats)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // Frames from the datapath (never stalled).
  input  wire logic             s_valid_i,
  input  wire logic [DataW-1:0] s_data_i,
  input  wire logic [KeepW-1:0] s_keep_i,
  input  wire logic             s_last_i,
  input  wire logic [7:0]       s_reason_i,
  input  wire logic [3:0]       s_port_i,
  // Host side.
  output      logic [31:0]      count_o,      // frames waiting
  output      logic             head_valid_o,
  output      logic [13:0]      head_length_o,
  output      logic [7:0]       head_reason_o,
  output      logic [3:0]       head_port_o,
  input  wire logic             word_rd_i,    // next word of the head frame ...
  output      logic [31:0]      word_o,       // ... here the cycle after
  input  wire logic             pop_i         // discard the head frame
);

  typedef struct packed {
    logic [13:0] length;
    logic [7:0]  reason;
    logic [3:0]  port;
    logic [Aw:0] start;  // ring position of the first beat
  } meta_t;

  localparam int unsigned WordsPerBeat = DataW / 32;
  localparam int unsigned WordSelW     = $clog2(WordsPerBeat);

  ///////////////////////////////////////////////////////////////////////
  // Write side                                                         //
  ///////////////////////////////////////////////////////////////////////

  // wptr_q is where the frame being received goes next; frame_start_q
  // where it began. Frames before frame_start_q are committed.
  logic [Aw:0]  frame_start_q, wptr_q, rptr_q;
  logic [13:0]  length_q;
  logic         dropping_q;
  logic         meta_full, ring_full, beat_we, commit;
  meta_t        meta_in, head;
  logic [DataW-1:0] keep_mask;

  assign ring_full = (wptr_q - rptr_q) == (Aw+1)'(Beats);
  assign beat_we   = s_valid_i && !dropping_q && !ring_full;
  assign commit    = s_valid_i && s_last_i && !dropping_q && !ring_full && !meta_full;

  always_comb begin
    for (int unsigned b = 0; b < KeepW; b++) keep_mask[8*b +: 8] = {8{s_keep_i[b]}};
  end

  function automatic logic [13:0] keep_bytes(logic [KeepW-1:0] keep);
    logic [13:0] n = '0;
    for (int unsigned b = 0; b < KeepW; b++) n += 14'(keep[b]);
    return n;
  endfunction

  assign meta_in = '{length: length_q + keep_bytes(s_keep_i), reason: s_reason_i, port: s_port_i,
                     start: frame_start_q};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      frame_start_q <= '0;
      wptr_q        <= '0;
      length_q      <= '0;
      dropping_q    <= 1'b0;
    end else if (s_valid_i) begin
      if (s_last_i) begin
        // The next frame starts after this one, or where this one began
        // when it is dropped.
        frame_start_q <= commit ? wptr_q + 1'b1 : frame_start_q;
        wptr_q        <= commit ? wptr_q + 1'b1 : frame_start_q;
        length_q      <= '0;
        dropping_q    <= 1'b0;
      end else begin
        wptr_q     <= beat_we ? wptr_q + 1'b1 : wptr_q;
        length_q   <= length_q + keep_bytes(s_keep_i);
        dropping_q <= dropping_q || ring_full;
      end
    end
  end

  mplsec_fifo #(
    .T     (meta_t),
    .Depth (Frames)
  ) u_meta (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (commit),
    .wdata_i  (meta_in),
    .full_o   (meta_full),
    .rvalid_o (head_valid_o),
    .rdata_o  (head),
    .rready_i (pop_i)
  );

  ///////////////////////////////////////////////////////////////////////
  // Host side                                                          //
  ///////////////////////////////////////////////////////////////////////

  // pos_q: words of the head frame read so far.
  logic [11:0]         pos_q;
  logic                word_valid_q;
  logic [WordSelW-1:0] word_sel_q;
  logic [DataW-1:0]    beat_rdata, beat_unused;
  logic                in_frame;
  logic [31:0]         frames_q;

  assign in_frame = head_valid_o && ({pos_q, 2'b00} < head.length);

  mplsec_ram #(
    .Width (DataW),
    .Depth (Beats)
  ) u_ring (
    .clk_i     (clk_i),
    .a_we_i    (beat_we),
    .a_re_i    (1'b0),
    .a_addr_i  (wptr_q[Aw-1:0]),
    .a_wdata_i (s_data_i & keep_mask),
    .a_rdata_o (beat_unused),
    .b_en_i    (word_rd_i && in_frame),
    .b_addr_i  (Aw'(head.start) + Aw'(pos_q / 12'(WordsPerBeat))),
    .b_rdata_o (beat_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pos_q        <= '0;
      rptr_q       <= '0;
      frames_q     <= '0;
      word_valid_q <= 1'b0;
      word_sel_q   <= '0;
    end else begin
      word_valid_q <= word_rd_i && in_frame;
      word_sel_q   <= WordSelW'(pos_q);
      if (pop_i && head_valid_o) begin
        pos_q  <= '0;
        rptr_q <= head.start + (Aw+1)'((head.length + 14'(BeatBytes - 1)) / 14'(BeatBytes));
      end else if (word_rd_i && in_frame) begin
        pos_q <= pos_q + 1'b1;
      end
      frames_q <= frames_q + 32'(commit) - 32'(pop_i && head_valid_o);
    end
  end

  assign word_o        = word_valid_q ? beat_rdata[32*word_sel_q +: 32] : 32'd0;
  assign count_o       = frames_q;
  assign head_length_o = head_valid_o ? head.length : '0;
  assign head_reason_o = head_valid_o ? head.reason : '0;
  assign head_port_o   = head_valid_o ? head.port : '0;

  logic unused;
  assign unused = ^{beat_unused};

endmodule
