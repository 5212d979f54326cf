// tb_esp_inbound: the inbound payload path — mplsec_esp_decrypt with the
// AES-GCM core, mplsec_esp_hold and mplsec_replay_window — with a packet
// buffer and job fields as separate ports, for the unit tests of the
// decrypt unit (p_*: its plaintext and verdict fields, as the hold takes
// them) and of the hold (m_*, v_*).
`default_nettype none

module tb_esp_inbound
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             buf_we_i,
  input  wire logic [BufAw-1:0] buf_waddr_i,
  input  wire logic [DataW-1:0] buf_wdata_i,
  input  wire logic             key_wr_i,
  input  wire logic [11:0]      key_sa_i,
  input  wire logic             key_aes256_i,
  input  wire logic [255:0]     key_i,
  output      logic             key_busy_o,
  input  wire logic             job_valid_i,
  output      logic             job_pop_o,
  input  wire logic [11:0]      job_sa_i,
  input  wire logic [95:0]      job_nonce_i,
  input  wire logic [95:0]      job_aad_i,
  input  wire logic             job_aad12_i,
  input  wire logic [BufAw-1:0] job_buf_base_i,
  input  wire logic [7:0]       job_ct_off_i,
  input  wire logic [13:0]      job_ct_len_i,
  input  wire logic [63:0]      job_seq_i,
  input  wire logic [3:0]       job_replay_log2_i,
  input  wire logic [23:0]      job_frame_len_i,
  input  wire logic             clear_i,       // restart an SA's window
  input  wire logic [11:0]      clear_sa_i,
  output      logic             m_valid_o,
  input  wire logic             m_ready_i,
  output      logic [DataW-1:0] m_data_o,
  output      logic [KeepW-1:0] m_keep_o,
  output      logic             m_last_o,
  output      logic             p_take_o,      // a plaintext beat goes into the hold
  output      logic [DataW-1:0] p_data_o,
  output      logic [KeepW-1:0] p_keep_o,
  output      logic             p_last_o,
  output      logic             p_auth_ok_o,
  output      logic             p_pad_ok_o,
  output      logic [7:0]       p_next_hdr_o,
  output      logic [13:0]      p_text_len_o,
  output      logic             v_valid_o,
  output      logic             v_accept_o,
  output      logic [7:0]       v_reason_o,
  output      logic [23:0]      v_frame_len_o,
  output      logic [13:0]      v_text_len_o,
  output      logic             busy_o
);

  esp_dec_job_t job;
  esp_rx_info_t info, v_info;
  logic         job_pop, info_full, dec_busy;
  assign job  = '{sa: job_sa_i, nonce: job_nonce_i, aad: job_aad_i, aad12: job_aad12_i,
                  buf_base: job_buf_base_i, ct_off: job_ct_off_i, ct_len: job_ct_len_i};
  assign info = '{sa: job_sa_i, seq: job_seq_i, replay_log2: job_replay_log2_i, frame_len: job_frame_len_i};
  assign job_pop_o = job_pop;

  logic             buf_re;
  logic [BufAw-1:0] buf_raddr;
  logic [DataW-1:0] buf_rdata, buf_unused;

  mplsec_ram #(.Width(DataW), .Depth(1 << BufAw)) u_buf (
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

  logic             g_valid, g_ready, g_sop, g_aad12, g_last;
  logic [11:0]      g_sa;
  logic [95:0]      g_nonce, g_aad;
  logic [DataW-1:0] g_data, go_data;
  logic [KeepW-1:0] g_keep, go_keep;
  logic [15:0]      g_meta, go_meta;
  logic             go_valid, go_ready, go_sop, go_last;
  logic [127:0]     go_tag;

  mplsec_esp_decrypt u_dut (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .job_valid_i     (job_valid_i && !info_full),
    .job_i           (job),
    .job_pop_o       (job_pop),
    .buf_re_o        (buf_re),
    .buf_raddr_o     (buf_raddr),
    .buf_rdata_i     (buf_rdata),
    .gcm_valid_o     (g_valid),
    .gcm_ready_i     (g_ready),
    .gcm_sop_o       (g_sop),
    .gcm_sa_o        (g_sa),
    .gcm_nonce_o     (g_nonce),
    .gcm_aad_o       (g_aad),
    .gcm_aad12_o     (g_aad12),
    .gcm_data_o      (g_data),
    .gcm_keep_o      (g_keep),
    .gcm_last_o      (g_last),
    .gcm_meta_o      (g_meta),
    .gcm_out_valid_i (go_valid),
    .gcm_out_ready_o (go_ready),
    .gcm_out_data_i  (go_data),
    .gcm_out_keep_i  (go_keep),
    .gcm_out_last_i  (go_last),
    .gcm_out_meta_i  (go_meta),
    .gcm_out_tag_i   (go_tag),
    .p_valid_o       (p_valid),
    .p_ready_i       (p_ready),
    .p_data_o        (p_data),
    .p_keep_o        (p_keep),
    .p_last_o        (p_last),
    .p_auth_ok_o     (p_auth_ok),
    .p_pad_ok_o      (p_pad_ok),
    .p_next_hdr_o    (p_next_hdr),
    .p_text_len_o    (p_text_len),
    .busy_o          (dec_busy)
  );

  logic             p_valid, p_ready, p_last, p_auth_ok, p_pad_ok;
  logic [DataW-1:0] p_data;
  logic [KeepW-1:0] p_keep;
  logic [7:0]       p_next_hdr;
  logic [13:0]      p_text_len;
  logic             chk, chk_valid, chk_ok;
  logic [11:0]      chk_sa;
  logic [3:0]       chk_log2;
  logic [63:0]      chk_seq;
  mplsec_regs_pkg::reason_e v_reason;
  logic             hold_busy, v_inner_v6_unused;

  mplsec_esp_hold u_hold (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .info_valid_i (job_pop),
    .info_i       (info),
    .info_full_o  (info_full),
    .p_valid_i    (p_valid),
    .p_ready_o    (p_ready),
    .p_data_i     (p_data),
    .p_last_i     (p_last),
    .p_auth_ok_i  (p_auth_ok),
    .p_pad_ok_i   (p_pad_ok),
    .p_next_hdr_i (p_next_hdr),
    .p_text_len_i (p_text_len),
    .chk_o        (chk),
    .chk_sa_o     (chk_sa),
    .chk_log2_o   (chk_log2),
    .chk_seq_o    (chk_seq),
    .chk_valid_i  (chk_valid),
    .chk_ok_i     (chk_ok),
    .v_valid_o    (v_valid_o),
    .v_ready_i    (1'b1),
    .v_accept_o   (v_accept_o),
    .v_reason_o   (v_reason),
    .v_info_o     (v_info),
    .v_text_len_o (v_text_len_o),
    .v_inner_v6_o (v_inner_v6_unused),
    .m_valid_o    (m_valid_o),
    .m_ready_i    (m_ready_i),
    .m_data_o     (m_data_o),
    .m_keep_o     (m_keep_o),
    .m_last_o     (m_last_o),
    .busy_o       (hold_busy)
  );
  assign v_reason_o    = 8'(v_reason);
  assign v_frame_len_o = v_info.frame_len;

  logic        inf_valid_unused;
  logic [63:0] inf_seq_unused;
  logic        inf_safe_unused;

  mplsec_replay_window u_window (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (clear_i),
    .clear_sa_i     (clear_sa_i),
    .infer_i        (1'b0),
    .infer_sa_i     ('0),
    .infer_esn_i    (1'b0),
    .infer_log2_i   ('0),
    .infer_seq_lo_i ('0),
    .infer_resync_i (1'b0),
    .infer_valid_o  (inf_valid_unused),
    .infer_seq_o    (inf_seq_unused),
    .infer_safe_o   (inf_safe_unused),
    .check_i        (chk),
    .check_sa_i     (chk_sa),
    .check_log2_i   (chk_log2),
    .check_seq_i    (chk_seq),
    .check_valid_o  (chk_valid),
    .check_ok_o     (chk_ok)
  );
  assign busy_o = dec_busy || hold_busy;

  assign p_take_o     = p_valid && p_ready;
  assign p_data_o     = p_data;
  assign p_keep_o     = p_keep;
  assign p_last_o     = p_last;
  assign p_auth_ok_o  = p_auth_ok;
  assign p_pad_ok_o   = p_pad_ok;
  assign p_next_hdr_o = p_next_hdr;
  assign p_text_len_o = p_text_len;

  mplsec_gcm u_gcm (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .key_wr_i     (key_wr_i),
    .key_sa_i     (key_sa_i),
    .key_aes256_i (key_aes256_i),
    .key_i        (key_i),
    .key_busy_o   (key_busy_o),
    .in_valid_i   (g_valid),
    .in_ready_o   (g_ready),
    .in_sop_i     (g_sop),
    .in_sa_i      (g_sa),
    .in_decrypt_i (1'b1),
    .in_nonce_i   (g_nonce),
    .in_aad_i     (g_aad),
    .in_aad12_i   (g_aad12),
    .in_data_i    (g_data),
    .in_keep_i    (g_keep),
    .in_last_i    (g_last),
    .in_meta_i    (g_meta),
    .out_valid_o  (go_valid),
    .out_ready_i  (go_ready),
    .out_sop_o    (go_sop),
    .out_data_o   (go_data),
    .out_keep_o   (go_keep),
    .out_last_o   (go_last),
    .out_meta_o   (go_meta),
    .out_tag_o    (go_tag)
  );

  logic unused;
  assign unused = ^{buf_unused, go_sop, v_inner_v6_unused, v_info.sa, v_info.seq, v_info.replay_log2,
                    inf_valid_unused, inf_seq_unused, inf_safe_unused};

endmodule
