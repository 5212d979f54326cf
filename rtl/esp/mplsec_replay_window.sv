// mplsec_replay_window: the anti-replay state of every inbound SA
// (docs/datapath.md step 4.2 and "Notes on ESP"): the window top T and a
// bitmap of the last 4096 sequence numbers, bit (seq mod 4096) for seq.
//
// Two operations, each one a cycle, results two cycles after the request:
//   - infer (before the ICV): the full 64-bit sequence number of a packet
//     from its 32-bit seq_lo, T and W (RFC 4303 A2.2 with ESN, seq_lo
//     itself without), and whether that number is final while earlier
//     packets of the SA are still on their way to their checks (below).
//   - check (after the ICV): accept when seq > T, or T - W < seq <= T and
//     unseen (never seq = 0); an accepted seq is marked at once, and a new
//     top slides the window: the bits of T+1 .. seq are cleared (all of
//     them when the jump is 4096 or more), so no bit is ever shifted.
// Acceptance is exact for every W from 64 to 4096 because "too old" is
// decided from T and W alone; bits of the ring older than T - W are never
// looked at.
//
// State is per SA in RAMs read and written once a cycle; a read in the
// cycle of a write to the same SA sees the written value, so back-to-back
// packets of one SA are checked against each other. clear_i (an sa table
// write) wins over a check writing the same SA in the same cycle.
//
// A check and an infer for one packet read T at different times: the
// packets inferred before it may still move T before its check. So each
// SA also keeps U, a bound on where T can go: every inference raises U to
// the number it inferred, and an inference made with nothing in flight
// (infer_resync_i) sets U to max(T, that number). T <= U always, and the
// T a packet is checked against lies between the T it was inferred from
// and the U it read. The inferred high half is the same for every top in
// that range when it is the same at both ends (the RFC 4303 A2.2 number
// is the first one >= T - W + 1 with the packet's seq_lo, which never
// decreases as T grows) and the range is under 2^32 wide: infer_safe_o.
// A packet that is not safe waits until nothing is in flight and is
// inferred again with infer_resync_i (rtl/esp/DATAPATH.md).
`default_nettype none

module mplsec_replay_window
  import mplsec_esp_pkg::*;
#(
  parameter int unsigned NumSa = 4096  // SAs (entries of each state RAM)
) (
  input  wire logic                     clk_i,
  input  wire logic                     rst_ni,
  // Restart: T := 0, no bit set (U stays: still a bound on T).
  input  wire logic                     clear_i,
  input  wire logic [$clog2(NumSa)-1:0] clear_sa_i,
  // Sequence number inference.
  input  wire logic                     infer_i,
  input  wire logic [$clog2(NumSa)-1:0] infer_sa_i,
  input  wire logic                     infer_esn_i,
  input  wire logic [3:0]               infer_log2_i,
  input  wire logic [31:0]              infer_seq_lo_i,
  input  wire logic                     infer_resync_i,  // nothing in flight
  output      logic                     infer_valid_o,
  output      logic [63:0]              infer_seq_o,
  output      logic                     infer_safe_o,
  // Check and mark.
  input  wire logic                     check_i,
  input  wire logic [$clog2(NumSa)-1:0] check_sa_i,
  input  wire logic [3:0]               check_log2_i,
  input  wire logic [63:0]              check_seq_i,
  output      logic                     check_valid_o,
  output      logic                     check_ok_o
);

  localparam int unsigned Aw = $clog2(NumSa);

  logic [63:0]          top_q   [NumSa];
  logic [MaxWindow-1:0] bits_q  [NumSa];
  logic [63:0]          bound_q [NumSa];  // U

  initial begin
    for (int unsigned i = 0; i < NumSa; i++) begin
      top_q[i]   = '0;
      bits_q[i]  = '0;
      bound_q[i] = '0;
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Check: read (edge 0), decide and write (edge 1)                    //
  ///////////////////////////////////////////////////////////////////////

  logic                 chk_q;
  logic [Aw-1:0]        chk_sa_q;
  logic [WinIdxW:0]     chk_w_q;
  logic [63:0]          chk_seq_q;
  logic [63:0]          chk_top_q;   // state as read, forwarded
  logic [MaxWindow-1:0] chk_bits_q;

  logic                 accept;
  logic [63:0]          new_top;
  logic [MaxWindow-1:0] new_bits;
  logic                 chk_we;

  always_comb begin
    logic [63:0]        jump;
    logic [WinIdxW-1:0] pos, first;
    pos      = chk_seq_q[WinIdxW-1:0];
    first    = chk_top_q[WinIdxW-1:0] + WinIdxW'(1);
    accept   = 1'b0;
    new_top  = chk_top_q;
    new_bits = chk_bits_q;
    jump     = chk_seq_q - chk_top_q;
    if (chk_seq_q == 64'd0) begin
      accept = 1'b0;
    end else if (chk_seq_q > chk_top_q) begin
      accept  = 1'b1;
      new_top = chk_seq_q;
      // Slide: clear the ring positions of T+1 .. seq (every position
      // when the jump is a whole ring or more).
      for (int unsigned i = 0; i < MaxWindow; i++) begin
        if (64'(WinIdxW'(WinIdxW'(i) - first)) < jump) new_bits[i] = 1'b0;
      end
      new_bits[pos] = 1'b1;
    end else if (chk_top_q - chk_seq_q < 64'(chk_w_q) && !chk_bits_q[pos]) begin
      accept        = 1'b1;
      new_bits[pos] = 1'b1;
    end
  end

  assign chk_we = chk_q && accept && !(clear_i && clear_sa_i == chk_sa_q);

  always_ff @(posedge clk_i) begin
    if (chk_we) begin
      top_q[chk_sa_q]  <= new_top;
      bits_q[chk_sa_q] <= new_bits;
    end
    if (clear_i) begin
      top_q[clear_sa_i]  <= '0;
      bits_q[clear_sa_i] <= '0;
    end
  end

  // The state a read at this edge sees: the write of this edge, if any.
  function automatic logic [64+MaxWindow-1:0] state_at(logic [Aw-1:0] sa);
    if (clear_i && clear_sa_i == sa) return '0;
    if (chk_we && chk_sa_q == sa)    return {new_top, new_bits};
    return {top_q[sa], bits_q[sa]};
  endfunction

  always_ff @(posedge clk_i) begin
    if (check_i) begin
      chk_sa_q                <= check_sa_i;
      chk_w_q                 <= replay_window_size(check_log2_i);
      chk_seq_q               <= check_seq_i;
      {chk_top_q, chk_bits_q} <= state_at(check_sa_i);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      chk_q         <= 1'b0;
      check_valid_o <= 1'b0;
      check_ok_o    <= 1'b0;
    end else begin
      chk_q         <= check_i;
      check_valid_o <= chk_q;
      check_ok_o    <= chk_q && accept;
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Inference: read T and U (edge 0), infer and raise U (edge 1)       //
  ///////////////////////////////////////////////////////////////////////

  logic             inf_q, inf_esn_q, inf_resync_q;
  logic [Aw-1:0]    inf_sa_q;
  logic [WinIdxW:0] inf_w_q;
  logic [31:0]      inf_lo_q;
  logic [63:0]      inf_top_q, inf_bound_q;
  logic [64+MaxWindow-1:0] inf_state;

  logic [63:0]      inf_seq, new_bound;
  logic             inf_safe, bound_we;

  always_comb begin
    logic [31:0] hi_at_bound;
    logic [63:0] floor;
    inf_seq     = {inf_esn_q ? esn_seq_hi(inf_top_q, inf_w_q, inf_lo_q) : 32'd0, inf_lo_q};
    hi_at_bound = esn_seq_hi(inf_bound_q, inf_w_q, inf_lo_q);
    inf_safe    = !inf_esn_q || inf_resync_q ||
                  (hi_at_bound == inf_seq[63:32] && (inf_bound_q - inf_top_q) < 64'h1_0000_0000);
    floor       = inf_resync_q ? inf_top_q : inf_bound_q;
    new_bound   = (inf_seq > floor) ? inf_seq : floor;
  end

  assign bound_we = inf_q && inf_esn_q;

  always_ff @(posedge clk_i) begin
    if (bound_we) bound_q[inf_sa_q] <= new_bound;
  end

  // U as a read at this edge sees it: this edge's write, if any.
  function automatic logic [63:0] bound_at(logic [Aw-1:0] sa);
    if (bound_we && inf_sa_q == sa) return new_bound;
    return bound_q[sa];
  endfunction

  assign inf_state = state_at(infer_sa_i);

  always_ff @(posedge clk_i) begin
    if (infer_i) begin
      inf_esn_q    <= infer_esn_i;
      inf_resync_q <= infer_resync_i;
      inf_sa_q     <= infer_sa_i;
      inf_w_q      <= replay_window_size(infer_log2_i);
      inf_lo_q     <= infer_seq_lo_i;
      inf_top_q    <= inf_state[64+MaxWindow-1:MaxWindow];
      inf_bound_q  <= bound_at(infer_sa_i);
    end
    if (inf_q) begin
      infer_seq_o  <= inf_seq;
      infer_safe_o <= inf_safe;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      inf_q         <= 1'b0;
      infer_valid_o <= 1'b0;
    end else begin
      inf_q         <= infer_i;
      infer_valid_o <= inf_q;
    end
  end

  logic unused;
  assign unused = ^inf_state[MaxWindow-1:0];

endmodule
