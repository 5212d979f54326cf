// mplsec_fifo: synchronous first-word-fall-through FIFO of any packed
// type. The forwarding pipeline uses it between the header pipeline, which
// never stalls, and the egress, which the output may stall; the ingress
// bounds the frames in flight so it can never overflow (an overflow would
// drop the write and is flagged for assertions).
`default_nettype none

module mplsec_fifo #(
  parameter type         T     = logic [7:0],
  parameter int unsigned Depth = 64,  // power of two
  localparam int unsigned Aw = $clog2(Depth)
) (
  input  wire logic clk_i,
  input  wire logic rst_ni,
  input  wire logic wvalid_i,
  input  wire T     wdata_i,
  output      logic full_o,
  output      logic rvalid_o,
  output      T     rdata_o,
  input  wire logic rready_i
);

  T             mem_q [Depth];
  logic [Aw:0]  wptr_q, wptr_d, rptr_q, rptr_d;
  logic         do_write, do_read;

  assign full_o   = (wptr_q[Aw] != rptr_q[Aw]) && (wptr_q[Aw-1:0] == rptr_q[Aw-1:0]);
  assign rvalid_o = (wptr_q != rptr_q);
  assign rdata_o  = mem_q[rptr_q[Aw-1:0]];
  assign do_write = wvalid_i && !full_o;
  assign do_read  = rvalid_o && rready_i;

  always_comb begin
    wptr_d = wptr_q + (Aw+1)'(do_write);
    rptr_d = rptr_q + (Aw+1)'(do_read);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q <= '0;
      rptr_q <= '0;
    end else begin
      wptr_q <= wptr_d;
      rptr_q <= rptr_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (do_write) mem_q[wptr_q[Aw-1:0]] <= wdata_i;
  end

endmodule
