// tb_common: the shared building blocks side by side for their unit test:
// a 16-deep FIFO of 16-bit words, a 32-entry RAM of 16-bit words and a
// 16-bit skid stage.
`default_nettype none

module tb_common (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  // FIFO.
  input  wire logic        f_wvalid_i,
  input  wire logic [15:0] f_wdata_i,
  output      logic        f_full_o,
  output      logic        f_rvalid_o,
  output      logic [15:0] f_rdata_o,
  input  wire logic        f_rready_i,
  // RAM.
  input  wire logic        r_a_we_i,
  input  wire logic        r_a_re_i,
  input  wire logic [4:0]  r_a_addr_i,
  input  wire logic [15:0] r_a_wdata_i,
  output      logic [15:0] r_a_rdata_o,
  input  wire logic        r_b_en_i,
  input  wire logic [4:0]  r_b_addr_i,
  output      logic [15:0] r_b_rdata_o,
  // Skid stage.
  input  wire logic        k_s_valid_i,
  input  wire logic [15:0] k_s_data_i,
  output      logic        k_s_ready_o,
  output      logic        k_m_valid_o,
  output      logic [15:0] k_m_data_o,
  input  wire logic        k_m_ready_i
);
  mplsec_axis_skid #(
    .Width (16)
  ) u_skid (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (k_s_valid_i),
    .s_data_i  (k_s_data_i),
    .s_ready_o (k_s_ready_o),
    .m_valid_o (k_m_valid_o),
    .m_data_o  (k_m_data_o),
    .m_ready_i (k_m_ready_i)
  );
  mplsec_fifo #(
    .T     (logic [15:0]),
    .Depth (16)
  ) u_fifo (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (f_wvalid_i),
    .wdata_i  (f_wdata_i),
    .full_o   (f_full_o),
    .rvalid_o (f_rvalid_o),
    .rdata_o  (f_rdata_o),
    .rready_i (f_rready_i)
  );
  mplsec_ram #(
    .Width (16),
    .Depth (32)
  ) u_ram (
    .clk_i     (clk_i),
    .a_we_i    (r_a_we_i),
    .a_re_i    (r_a_re_i),
    .a_addr_i  (r_a_addr_i),
    .a_wdata_i (r_a_wdata_i),
    .a_rdata_o (r_a_rdata_o),
    .b_en_i    (r_b_en_i),
    .b_addr_i  (r_b_addr_i),
    .b_rdata_o (r_b_rdata_o)
  );
endmodule
