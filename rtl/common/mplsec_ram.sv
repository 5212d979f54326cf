// mplsec_ram: a table or buffer memory with two ports, the shape of an
// UltraScale+ block/ultra RAM in simple form. Port A belongs to the control
// side (table writes and read-back) or, for the packet buffer, to the
// writer; port B is the datapath's read port. Both reads are synchronous
// with one cycle of latency, so a table write never takes a cycle from a
// lookup. Read-during-write on the same address returns the old entry.
// Contents start at zero (FPGA configuration clears block RAM).
`default_nettype none

module mplsec_ram #(
  parameter int unsigned Width = 32,    // entry width in bits
  parameter int unsigned Depth = 1024,  // entries
  localparam int unsigned Aw = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  wire logic             clk_i,
  // Port A: control write, or read-back with data the next cycle.
  input  wire logic             a_we_i,
  input  wire logic             a_re_i,
  input  wire logic [Aw-1:0]    a_addr_i,
  input  wire logic [Width-1:0] a_wdata_i,
  output      logic [Width-1:0] a_rdata_o,
  // Port B: datapath read, data the next cycle; holds while b_en_i is low.
  input  wire logic             b_en_i,
  input  wire logic [Aw-1:0]    b_addr_i,
  output      logic [Width-1:0] b_rdata_o
);

  logic [Width-1:0] mem_q [Depth];

  initial begin
    for (int unsigned i = 0; i < Depth; i++) mem_q[i] = '0;
  end

  always_ff @(posedge clk_i) begin
    if (a_we_i) mem_q[a_addr_i] <= a_wdata_i;
  end

  always_ff @(posedge clk_i) begin
    if (a_re_i) a_rdata_o <= mem_q[a_addr_i];
  end

  always_ff @(posedge clk_i) begin
    if (b_en_i) b_rdata_o <= mem_q[b_addr_i];
  end

endmodule
