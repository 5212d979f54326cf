// tb_esp_units: mplsec_esp_crypt (the encrypt and the decrypt unit sharing
// one AES-GCM core), each unit with its copy of the packet buffer (both
// written together), for the unit tests of the units and of the sharing.
`default_nettype none

module tb_esp_units
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                     clk_i,
  input  wire logic                     rst_ni,
  input  wire logic                     buf_we_i,
  input  wire logic [BufAw-1:0]         buf_waddr_i,
  input  wire logic [DataW-1:0]         buf_wdata_i,
  input  wire logic                     key_wr_i,
  input  wire logic [11:0]              key_sa_i,
  input  wire logic                     key_aes256_i,
  input  wire logic [255:0]             key_i,
  output      logic                     key_busy_o,
  // Encrypt jobs and frames.
  input  wire logic                     job_valid_i,
  output      logic                     job_pop_o,
  input  wire logic [11:0]              job_sa_i,
  input  wire logic [95:0]              job_nonce_i,
  input  wire logic [95:0]              job_aad_i,
  input  wire logic                     job_aad12_i,
  input  wire logic [BufAw-1:0]         job_buf_base_i,
  input  wire logic [6:0]               job_ip_off_i,
  input  wire logic [13:0]              job_inner_len_i,
  input  wire logic [39:0]              job_trailer_i,
  input  wire logic [2:0]               job_trailer_len_i,
  input  wire logic [6:0]               job_hdr_len_i,
  input  wire logic [OutHdrBytes*8-1:0] job_hdr_i,
  input  wire logic [OutUserW-1:0]      job_user_i,
  output      logic                     m_valid_o,
  input  wire logic                     m_ready_i,
  output      logic [DataW-1:0]         m_data_o,
  output      logic [KeepW-1:0]         m_keep_o,
  output      logic                     m_last_o,
  output      logic [OutUserW-1:0]      m_user_o,
  // Decrypt jobs and plaintext.
  input  wire logic                     d_job_valid_i,
  output      logic                     d_job_pop_o,
  input  wire logic [11:0]              d_job_sa_i,
  input  wire logic [95:0]              d_job_nonce_i,
  input  wire logic [95:0]              d_job_aad_i,
  input  wire logic                     d_job_aad12_i,
  input  wire logic [BufAw-1:0]         d_job_buf_base_i,
  input  wire logic [7:0]               d_job_ct_off_i,
  input  wire logic [13:0]              d_job_ct_len_i,
  output      logic                     p_valid_o,
  input  wire logic                     p_ready_i,
  output      logic [DataW-1:0]         p_data_o,
  output      logic [KeepW-1:0]         p_keep_o,
  output      logic                     p_last_o,
  output      logic                     p_auth_ok_o,
  output      logic                     p_pad_ok_o,
  output      logic                     busy_o
);

  esp_enc_job_t e_job;
  esp_dec_job_t d_job;
  assign e_job = '{sa: job_sa_i, nonce: job_nonce_i, aad: job_aad_i, aad12: job_aad12_i,
                   buf_base: job_buf_base_i, ip_off: job_ip_off_i, inner_len: job_inner_len_i,
                   trailer: job_trailer_i, trailer_len: job_trailer_len_i, hdr_len: job_hdr_len_i,
                   hdr: job_hdr_i, user: job_user_i, patch: 1'b0, patch_v6: 1'b0, patch_ttl: 8'd0,
                   patch_csum: 16'd0};
  assign d_job = '{sa: d_job_sa_i, nonce: d_job_nonce_i, aad: d_job_aad_i, aad12: d_job_aad12_i,
                   buf_base: d_job_buf_base_i, ct_off: d_job_ct_off_i, ct_len: d_job_ct_len_i};

  logic [1:0]                 b_re;
  logic [1:0][BufAw-1:0]      b_raddr;
  logic [1:0][DataW-1:0]      b_rdata, b_unused;

  for (genvar u = 0; u < 2; u++) begin : g_buf
    mplsec_ram #(.Width(DataW), .Depth(1 << BufAw)) u_buf (
      .clk_i     (clk_i),
      .a_we_i    (buf_we_i),
      .a_re_i    (1'b0),
      .a_addr_i  (buf_waddr_i),
      .a_wdata_i (buf_wdata_i),
      .a_rdata_o (b_unused[u]),
      .b_en_i    (b_re[u]),
      .b_addr_i  (b_raddr[u]),
      .b_rdata_o (b_rdata[u])
    );
  end

  logic [7:0]  p_next_hdr_unused;
  logic [13:0] p_text_len_unused;
  logic        e_busy, d_busy;

  mplsec_esp_crypt u_crypt (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .key_wr_i      (key_wr_i),
    .key_sa_i      (key_sa_i),
    .key_aes256_i  (key_aes256_i),
    .key_i         (key_i),
    .key_busy_o    (key_busy_o),
    .job_valid_i   (job_valid_i),
    .job_i         (e_job),
    .job_pop_o     (job_pop_o),
    .buf_re_o      (b_re[0]),
    .buf_raddr_o   (b_raddr[0]),
    .buf_rdata_i   (b_rdata[0]),
    .m_valid_o     (m_valid_o),
    .m_ready_i     (m_ready_i),
    .m_data_o      (m_data_o),
    .m_keep_o      (m_keep_o),
    .m_last_o      (m_last_o),
    .m_user_o      (m_user_o),
    .busy_o        (e_busy),
    .d_job_valid_i (d_job_valid_i),
    .d_job_i       (d_job),
    .d_job_pop_o   (d_job_pop_o),
    .d_buf_re_o    (b_re[1]),
    .d_buf_raddr_o (b_raddr[1]),
    .d_buf_rdata_i (b_rdata[1]),
    .p_valid_o     (p_valid_o),
    .p_ready_i     (p_ready_i),
    .p_data_o      (p_data_o),
    .p_keep_o      (p_keep_o),
    .p_last_o      (p_last_o),
    .p_auth_ok_o   (p_auth_ok_o),
    .p_pad_ok_o    (p_pad_ok_o),
    .p_next_hdr_o  (p_next_hdr_unused),
    .p_text_len_o  (p_text_len_unused),
    .d_busy_o      (d_busy)
  );

  assign busy_o = e_busy || d_busy;

  logic unused;
  assign unused = ^{b_unused, p_next_hdr_unused, p_text_len_unused};

endmodule
