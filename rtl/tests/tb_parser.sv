// tb_parser: flat-port wrapper around mplsec_parser for its unit test
// (C++ sets the header bytes and length, reads the parsed fields).
`default_nettype none

module tb_parser
  import mplsec_fwd_pkg::*;
(
  input  wire logic                    clk_i,
  input  wire logic                    rst_ni,
  input  wire logic                    valid_i,
  input  wire logic [InHdrBytes*8-1:0] hdr_i,
  input  wire logic [LenW-1:0]         len_i,
  output      logic                    valid_o,
  output      logic                    len_bad_o,
  output      logic [15:0]             ethertype_o,
  output      logic [5:0]              l2_len_o,
  output      logic [31:0]             lse0_o,
  output      logic [31:0]             lse1_o,
  output      logic                    stk_trunc_o,
  output      logic                    stk_deep_o,
  output      logic [6:0]              ip_off_o,
  output      logic                    ip_v6_o,
  output      logic                    ip_fam_ok_o,
  output      logic                    ip_min_ok_o,
  output      logic                    ip_full_ok_o,
  output      logic [7:0]              ip_ttl_o,
  output      logic [7:0]              ip_proto_o,
  output      logic [15:0]             ip_csum_o,
  output      logic [2:0]              ip_prec_o,
  output      logic [7:0]              ip_dscp_o,
  output      logic [15:0]             ip_len_o,
  output      logic                    ip_mcast_o,
  output      logic [127:0]            ip_dst_o,
  output      logic                    ip_frag_o,
  output      logic                    esp_udp_o,
  output      logic [7:0]              esp_off_o,
  output      logic [15:0]             esp_len_o,
  output      logic [31:0]             esp_spi_o,
  output      logic [31:0]             esp_seq_lo_o,
  output      logic [63:0]             esp_iv_o
);
  in_desc_t d, d_o;
  parsed_t  p;
  always_comb begin
    d      = '0;
    d.len  = len_i;
  end
  mplsec_parser u_dut (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .valid_i  (valid_i),
    .desc_i   (d),
    .hdr_i    (hdr_i),
    .valid_o  (valid_o),
    .desc_o   (d_o),
    .parsed_o (p)
  );
  assign len_bad_o    = p.len_bad;
  assign ethertype_o  = p.ethertype;
  assign l2_len_o     = p.l2_len;
  assign lse0_o       = p.lse0;
  assign lse1_o       = p.lse1;
  assign stk_trunc_o  = p.stk_trunc;
  assign stk_deep_o   = p.stk_deep;
  assign ip_off_o     = p.ip_off;
  assign ip_v6_o      = p.ip_v6;
  assign ip_fam_ok_o  = p.ip_fam_ok;
  assign ip_min_ok_o  = p.ip_min_ok;
  assign ip_full_ok_o = p.ip_full_ok;
  assign ip_dscp_o    = p.ip_dscp;
  assign ip_len_o     = p.ip_len;
  assign ip_ttl_o     = p.ip_ttl;
  assign ip_proto_o   = p.ip_proto;
  assign ip_csum_o    = p.ip_csum;
  assign ip_prec_o    = p.ip_prec;
  assign ip_mcast_o   = p.ip_mcast;
  assign ip_dst_o     = p.ip_dst;
  assign ip_frag_o    = p.ip_frag;
  assign esp_udp_o    = p.esp_udp;
  assign esp_off_o    = p.esp_off;
  assign esp_len_o    = p.esp_len;
  assign esp_spi_o    = p.esp_spi;
  assign esp_seq_lo_o = p.esp_seq_lo;
  assign esp_iv_o     = p.esp_iv;
  logic unused;
  assign unused = ^d_o;
endmodule
