// tb_realign: mplsec_rewrite feeding mplsec_egress with a packet buffer,
// for the unit test of header rewrite plus realignment. The C++ side
// writes a frame's beats into the buffer, presents the rewrite inputs for
// one cycle and collects the output stream under random backpressure.
`default_nettype none

module tb_realign
  import mplsec_fwd_pkg::*;
(
  input  wire logic                    clk_i,
  input  wire logic                    rst_ni,
  // Packet buffer write.
  input  wire logic                    buf_we_i,
  input  wire logic [BufAw-1:0]        buf_waddr_i,
  input  wire logic [DataW-1:0]        buf_wdata_i,
  // Rewrite request.
  input  wire logic                    valid_i,
  input  wire logic [1:0]              act_i,
  input  wire logic [BufAw-1:0]        buf_start_i,
  input  wire logic [BufBeatsW-1:0]    buf_beats_i,
  input  wire logic [InHdrBytes*8-1:0] hdr_i,
  input  wire logic [OutLenW-1:0]      len_i,
  input  wire logic [47:0]             dmac_i,
  input  wire logic [47:0]             smac_i,
  input  wire logic                    vlan_valid_i,
  input  wire logic [11:0]             vlan_i,
  input  wire logic [15:0]             ethertype_i,
  input  wire logic [1:0]              n_new_i,
  input  wire logic [95:0]             lse_i,
  input  wire logic [6:0]              rest_off_i,
  input  wire logic                    ip_patch_i,
  input  wire logic                    ip_v6_i,
  input  wire logic [6:0]              ip_off_i,
  input  wire logic [7:0]              ttl_orig_i,
  input  wire logic                    two_step_i,
  input  wire logic [7:0]              ttl_mid_i,
  input  wire logic [7:0]              ttl_new_i,
  input  wire logic [7:0]              proto_i,
  input  wire logic [15:0]             csum_i,
  // Output.
  output      logic [DataW-1:0]        m_axis_tdata_o,
  output      logic [KeepW-1:0]        m_axis_tkeep_o,
  output      logic                    m_axis_tlast_o,
  output      logic [OutUserW-1:0]     m_axis_tuser_o,
  output      logic                    m_axis_tvalid_o,
  input  wire logic                    m_axis_tready_i,
  output      logic                    rel_valid_o,
  output      logic                    busy_o
);
  logic       rw_valid, q_valid, q_pop, q_full, buf_re;
  out_desc_t  rw_desc, q_desc;
  logic [BufAw-1:0] buf_raddr;
  logic [DataW-1:0] buf_rdata, buf_unused;
  logic [BufBeatsW-1:0] rel_beats;

  mplsec_rewrite u_rewrite (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .valid_i      (valid_i),
    .act_i        (action_e'(act_i)),
    .user_i       (pack_user(1'b0, 2'd1, 8'd0)),
    .buf_start_i  (buf_start_i),
    .buf_beats_i  (buf_beats_i),
    .hdr_i        (hdr_i),
    .len_i        (len_i),
    .dmac_i       (dmac_i),
    .smac_i       (smac_i),
    .vlan_valid_i (vlan_valid_i),
    .vlan_i       (vlan_i),
    .ethertype_i  (ethertype_i),
    .n_new_i      (n_new_i),
    .lse_i        (lse_i),
    .rest_off_i   (rest_off_i),
    .ip_patch_i   (ip_patch_i),
    .ip_v6_i      (ip_v6_i),
    .ip_off_i     (ip_off_i),
    .ttl_orig_i   (ttl_orig_i),
    .two_step_i   (two_step_i),
    .ttl_mid_i    (ttl_mid_i),
    .ttl_new_i    (ttl_new_i),
    .proto_i      (proto_i),
    .csum_i       (csum_i),
    .p2_i         (1'b0),
    .slot_i       ('0),
    .esp_i        ('0),
    .valid_o      (rw_valid),
    .desc_o       (rw_desc)
  );

  mplsec_fifo #(
    .T     (out_desc_t),
    .Depth (16)
  ) u_fifo (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (rw_valid),
    .wdata_i  (rw_desc),
    .full_o   (q_full),
    .rvalid_o (q_valid),
    .rdata_o  (q_desc),
    .rready_i (q_pop)
  );

  mplsec_ram #(
    .Width (DataW),
    .Depth (1 << BufAw)
  ) u_buf (
    .clk_i     (clk_i),
    .a_we_i    (buf_we_i),
    .a_re_i    (1'b0),
    .a_addr_i  (buf_waddr_i),
    .a_wdata_i (buf_wdata_i),
    .a_rdata_o (buf_unused),
    .b_en_i    (buf_re),
    .b_addr_i  (buf_raddr),
    .b_rdata_o (buf_rdata)
  );

  // No ESP frames here: the rewrite is given none.
  logic eg_busy, enc_valid, in_valid;
  ord_kind_e ord_kind;
  mplsec_esp_pkg::esp_enc_job_t enc_job;
  out_desc_t in_job;
  mplsec_egress u_egress (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .desc_valid_i    (q_valid),
    .desc_i          (q_desc),
    .desc_pop_o      (q_pop),
    .buf_re_o        (buf_re),
    .buf_raddr_o     (buf_raddr),
    .buf_rdata_i     (buf_rdata),
    .ord_push_o      (rel_valid_o),
    .ord_kind_o      (ord_kind),
    .ord_beats_o     (rel_beats),
    .enc_valid_o     (enc_valid),
    .enc_job_o       (enc_job),
    .enc_pop_i       (1'b0),
    .enc_hold_i      (1'b0),
    .in_valid_o      (in_valid),
    .in_job_o        (in_job),
    .in_take_i       (1'b0),
    .m_axis_tdata_o  (m_axis_tdata_o),
    .m_axis_tkeep_o  (m_axis_tkeep_o),
    .m_axis_tlast_o  (m_axis_tlast_o),
    .m_axis_tuser_o  (m_axis_tuser_o),
    .m_axis_tvalid_o (m_axis_tvalid_o),
    .m_axis_tready_i (m_axis_tready_i),
    .busy_o          (eg_busy)
  );
  assign busy_o = eg_busy || q_valid || rw_valid;

  logic unused;
  assign unused = ^{buf_unused, q_full, rel_beats, ord_kind, enc_valid, enc_job, in_valid, in_job};
endmodule
