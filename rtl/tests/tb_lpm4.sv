// tb_lpm4: mplsec_lpm with the lpm4 geometry of the register map and a
// 16-bit tag, for its unit test.
`default_nettype none

module tb_lpm4
  import mplsec_regs_pkg::*;
(
  input  wire logic         clk_i,
  input  wire logic         rst_ni,
  input  wire logic         valid_i,
  input  wire logic         lookup_i,
  input  wire logic [15:0]  tag_i,
  input  wire logic [7:0]   root_i,
  input  wire logic [31:0]  addr_i,
  output      logic         valid_o,
  output      logic [15:0]  tag_o,
  output      logic         match_o,
  output      logic [16:0]  route_o,
  input  wire logic         tbl_we_i,
  input  wire logic         tbl_re_i,
  input  wire logic [23:0]  tbl_index_i,
  input  wire logic [32:0]  tbl_wdata_i,
  output      logic [32:0]  tbl_rdata_o,
  output      logic         tbl_bad_o
);
  localparam logic [15:0][15:0] Nodes = {
    192'b0,
    16'(TBL_LPM4_NODES_L3), 16'(TBL_LPM4_NODES_L2), 16'(TBL_LPM4_NODES_L1), 16'(TBL_LPM4_NODES_L0)};
  mplsec_lpm #(
    .Levels        (TBL_LPM4_LEVELS),
    .Lat           (TBL_LPM4_LEVELS + 1),
    .NodeW         (14),
    .LevelShift    (22),
    .NodesPerLevel (Nodes),
    .tag_t         (logic [15:0])
  ) u_dut (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .valid_i     (valid_i),
    .lookup_i    (lookup_i),
    .tag_i       (tag_i),
    .root_i      (root_i),
    .key_i       ({addr_i, 96'b0}),
    .valid_o     (valid_o),
    .tag_o       (tag_o),
    .match_o     (match_o),
    .route_o     (route_o),
    .tbl_we_i    (tbl_we_i),
    .tbl_re_i    (tbl_re_i),
    .tbl_index_i (tbl_index_i),
    .tbl_wdata_i (tbl_wdata_i),
    .tbl_rdata_o (tbl_rdata_o),
    .tbl_bad_o   (tbl_bad_o)
  );
endmodule
