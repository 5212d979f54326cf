// mplsec_esp_crypt: the payload side of the ESP stage (docs/datapath.md
// step 4): the encrypt unit and the decrypt unit on one AES-GCM core
// (mplsec_gcm_share), and the core's key store, filled when the host
// writes an sa entry. Each unit has its own read port on a copy of the
// packet buffer. The decrypt unit's plaintext and verdict fields leave on
// p_* for the hold (mplsec_esp_inbound).
`default_nettype none

module mplsec_esp_crypt
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Key install.
  input  wire logic                key_wr_i,
  input  wire logic [SaW-1:0]      key_sa_i,
  input  wire logic                key_aes256_i,
  input  wire logic [255:0]        key_i,
  output      logic                key_busy_o,
  // Encrypt: jobs, buffer, frames out.
  input  wire logic                job_valid_i,
  input  wire esp_enc_job_t        job_i,
  output      logic                job_pop_o,
  output      logic                buf_re_o,
  output      logic [BufAw-1:0]    buf_raddr_o,
  input  wire logic [DataW-1:0]    buf_rdata_i,
  output      logic                m_valid_o,
  input  wire logic                m_ready_i,
  output      logic [DataW-1:0]    m_data_o,
  output      logic [KeepW-1:0]    m_keep_o,
  output      logic                m_last_o,
  output      logic [OutUserW-1:0] m_user_o,
  output      logic                busy_o,
  // Decrypt: jobs, buffer, plaintext with verdict fields.
  input  wire logic                d_job_valid_i,
  input  wire esp_dec_job_t        d_job_i,
  output      logic                d_job_pop_o,
  output      logic                d_buf_re_o,
  output      logic [BufAw-1:0]    d_buf_raddr_o,
  input  wire logic [DataW-1:0]    d_buf_rdata_i,
  output      logic                p_valid_o,
  input  wire logic                p_ready_i,
  output      logic [DataW-1:0]    p_data_o,
  output      logic [KeepW-1:0]    p_keep_o,
  output      logic                p_last_o,
  output      logic                p_auth_ok_o,
  output      logic                p_pad_ok_o,
  output      logic [7:0]          p_next_hdr_o,
  output      logic [13:0]         p_text_len_o,
  output      logic                d_busy_o
);

  logic [1:0]              u_valid, u_ready, u_sop, u_aad12, u_last, u_out_valid, u_out_ready;
  logic [1:0][11:0]        u_sa;
  logic [1:0][95:0]        u_nonce, u_aad;
  logic [1:0][DataW-1:0]   u_data;
  logic [1:0][KeepW-1:0]   u_keep;
  logic [1:0][15:0]        u_meta;
  logic                    g_valid, g_ready, g_sop, g_dec, g_aad12, g_last;
  logic [11:0]             g_sa;
  logic [95:0]             g_nonce, g_aad;
  logic [DataW-1:0]        g_data, go_data;
  logic [KeepW-1:0]        g_keep, go_keep;
  logic [15:0]             g_meta, go_meta;
  logic                    go_valid, go_ready, go_sop, go_last;
  logic [127:0]            go_tag;

  mplsec_esp_encrypt u_enc (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .job_valid_i     (job_valid_i),
    .job_i           (job_i),
    .job_pop_o       (job_pop_o),
    .buf_re_o        (buf_re_o),
    .buf_raddr_o     (buf_raddr_o),
    .buf_rdata_i     (buf_rdata_i),
    .gcm_valid_o     (u_valid[0]),
    .gcm_ready_i     (u_ready[0]),
    .gcm_sop_o       (u_sop[0]),
    .gcm_sa_o        (u_sa[0]),
    .gcm_nonce_o     (u_nonce[0]),
    .gcm_aad_o       (u_aad[0]),
    .gcm_aad12_o     (u_aad12[0]),
    .gcm_data_o      (u_data[0]),
    .gcm_keep_o      (u_keep[0]),
    .gcm_last_o      (u_last[0]),
    .gcm_meta_o      (u_meta[0]),
    .gcm_out_valid_i (u_out_valid[0]),
    .gcm_out_ready_o (u_out_ready[0]),
    .gcm_out_data_i  (go_data),
    .gcm_out_keep_i  (go_keep),
    .gcm_out_last_i  (go_last),
    .gcm_out_meta_i  (go_meta),
    .gcm_out_tag_i   (go_tag),
    .m_valid_o       (m_valid_o),
    .m_ready_i       (m_ready_i),
    .m_data_o        (m_data_o),
    .m_keep_o        (m_keep_o),
    .m_last_o        (m_last_o),
    .m_user_o        (m_user_o),
    .busy_o          (busy_o)
  );

  mplsec_esp_decrypt u_dec (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .job_valid_i     (d_job_valid_i),
    .job_i           (d_job_i),
    .job_pop_o       (d_job_pop_o),
    .buf_re_o        (d_buf_re_o),
    .buf_raddr_o     (d_buf_raddr_o),
    .buf_rdata_i     (d_buf_rdata_i),
    .gcm_valid_o     (u_valid[1]),
    .gcm_ready_i     (u_ready[1]),
    .gcm_sop_o       (u_sop[1]),
    .gcm_sa_o        (u_sa[1]),
    .gcm_nonce_o     (u_nonce[1]),
    .gcm_aad_o       (u_aad[1]),
    .gcm_aad12_o     (u_aad12[1]),
    .gcm_data_o      (u_data[1]),
    .gcm_keep_o      (u_keep[1]),
    .gcm_last_o      (u_last[1]),
    .gcm_meta_o      (u_meta[1]),
    .gcm_out_valid_i (u_out_valid[1]),
    .gcm_out_ready_o (u_out_ready[1]),
    .gcm_out_data_i  (go_data),
    .gcm_out_keep_i  (go_keep),
    .gcm_out_last_i  (go_last),
    .gcm_out_meta_i  (go_meta),
    .gcm_out_tag_i   (go_tag),
    .p_valid_o       (p_valid_o),
    .p_ready_i       (p_ready_i),
    .p_data_o        (p_data_o),
    .p_keep_o        (p_keep_o),
    .p_last_o        (p_last_o),
    .p_auth_ok_o     (p_auth_ok_o),
    .p_pad_ok_o      (p_pad_ok_o),
    .p_next_hdr_o    (p_next_hdr_o),
    .p_text_len_o    (p_text_len_o),
    .busy_o          (d_busy_o)
  );

  mplsec_gcm_share u_share (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .u_valid_i       (u_valid),
    .u_ready_o       (u_ready),
    .u_sop_i         (u_sop),
    .u_sa_i          (u_sa),
    .u_nonce_i       (u_nonce),
    .u_aad_i         (u_aad),
    .u_aad12_i       (u_aad12),
    .u_data_i        (u_data),
    .u_keep_i        (u_keep),
    .u_last_i        (u_last),
    .u_meta_i        (u_meta),
    .u_out_valid_o   (u_out_valid),
    .u_out_ready_i   (u_out_ready),
    .gcm_valid_o     (g_valid),
    .gcm_ready_i     (g_ready),
    .gcm_sop_o       (g_sop),
    .gcm_sa_o        (g_sa),
    .gcm_decrypt_o   (g_dec),
    .gcm_nonce_o     (g_nonce),
    .gcm_aad_o       (g_aad),
    .gcm_aad12_o     (g_aad12),
    .gcm_data_o      (g_data),
    .gcm_keep_o      (g_keep),
    .gcm_last_o      (g_last),
    .gcm_meta_o      (g_meta),
    .gcm_out_valid_i (go_valid),
    .gcm_out_ready_o (go_ready),
    .gcm_out_meta_i  (go_meta)
  );

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
    .in_decrypt_i (g_dec),
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
  assign unused = go_sop;

endmodule
