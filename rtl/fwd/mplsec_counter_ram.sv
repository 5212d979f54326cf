// mplsec_counter_ram: a RAM of {packets, bytes} counters that takes one
// increment a cycle. Read in the first cycle, add and write in the second;
// an increment of the entry written the cycle before uses the written
// value instead of the stale read (read-first RAM). A third, read-only
// port serves the host.
`default_nettype none

module mplsec_counter_ram
  import mplsec_fwd_pkg::*;
#(
  parameter int unsigned Depth = 65536,
  localparam int unsigned Aw = $clog2(Depth)
) (
  input  wire logic            clk_i,
  input  wire logic            rst_ni,
  input  wire logic            inc_i,
  input  wire logic [Aw-1:0]   inc_idx_i,
  input  wire logic [LenW-1:0] inc_len_i,
  input  wire logic            rd_i,
  input  wire logic [Aw-1:0]   rd_idx_i,
  output      logic [127:0]    rd_data_o   // one cycle after rd_i
);

  logic [127:0]    mem_q [Depth];
  logic [127:0]    rdata_q, wval, base;
  logic            s1_q, w_q;
  logic [Aw-1:0]   s1_idx_q, w_idx_q;
  logic [LenW-1:0] s1_len_q;
  logic [127:0]    w_val_q;

  initial begin
    for (int unsigned i = 0; i < Depth; i++) mem_q[i] = '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_q <= 1'b0;
      w_q  <= 1'b0;
    end else begin
      s1_q <= inc_i;
      w_q  <= s1_q;
    end
  end

  always_comb begin
    base = (w_q && w_idx_q == s1_idx_q) ? w_val_q : rdata_q;
    wval = {base[127:64] + 64'd1, base[63:0] + 64'(s1_len_q)};
  end

  always_ff @(posedge clk_i) begin
    rdata_q  <= mem_q[inc_idx_i];
    s1_idx_q <= inc_idx_i;
    s1_len_q <= inc_len_i;
    w_idx_q  <= s1_idx_q;
    w_val_q  <= wval;
    if (s1_q) mem_q[s1_idx_q] <= wval;
    if (rd_i) rd_data_o <= mem_q[rd_idx_i];
  end

endmodule
