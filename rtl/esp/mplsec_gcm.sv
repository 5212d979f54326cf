// mplsec_gcm: the ESP datapath's AES-GCM core: mplsec_gcm_core with the
// AAD always in in_aad_i (8 or 12 bytes, RFC 4106). See mplsec_gcm_core for
// the structure and rtl/esp/README.md for the interface and timing.
`default_nettype none

module mplsec_gcm (
  input  wire logic         clk_i,
  input  wire logic         rst_ni,
  // Key install (when the host writes an SA entry).
  input  wire logic         key_wr_i,
  input  wire logic [11:0]  key_sa_i,
  input  wire logic         key_aes256_i,
  input  wire logic [255:0] key_i,        // first key byte in 255:248; AES-128 uses 255:128
  output      logic         key_busy_o,   // an install runs; key_wr_i is ignored
  // Text in.
  input  wire logic         in_valid_i,
  output      logic         in_ready_o,   // = out_ready_i
  input  wire logic         in_sop_i,
  input  wire logic [11:0]  in_sa_i,
  input  wire logic         in_decrypt_i,
  input  wire logic [95:0]  in_nonce_i,   // salt || IV, first byte in 95:88
  input  wire logic [95:0]  in_aad_i,     // first byte in 95:88
  input  wire logic         in_aad12_i,
  input  wire logic [511:0] in_data_i,
  input  wire logic [63:0]  in_keep_i,
  input  wire logic         in_last_i,
  input  wire logic [15:0]  in_meta_i,
  // Text out, mplsec_gcm_pkg::CoreLatency cycles later.
  output      logic         out_valid_o,
  input  wire logic         out_ready_i,
  output      logic         out_sop_o,
  output      logic [511:0] out_data_o,
  output      logic [63:0]  out_keep_o,
  output      logic         out_last_o,
  output      logic [15:0]  out_meta_o,
  output      logic [127:0] out_tag_o     // valid with out_last_o
);

  logic unused_aad_beat;  // never set: no AAD beats go in

  mplsec_gcm_core u_core (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .key_wr_i       (key_wr_i),
    .key_sa_i       (key_sa_i),
    .key_aes256_i   (key_aes256_i),
    .key_i          (key_i),
    .key_busy_o     (key_busy_o),
    .in_valid_i     (in_valid_i),
    .in_ready_o     (in_ready_o),
    .in_sop_i       (in_sop_i),
    .in_sa_i        (in_sa_i),
    .in_decrypt_i   (in_decrypt_i),
    .in_nonce_i     (in_nonce_i),
    .in_aad_i       (in_aad_i),
    .in_aad12_i     (in_aad12_i),
    .in_data_i      (in_data_i),
    .in_keep_i      (in_keep_i),
    .in_last_i      (in_last_i),
    .in_meta_i      (in_meta_i),
    .in_aad_beat_i  (1'b0),
    .out_valid_o    (out_valid_o),
    .out_ready_i    (out_ready_i),
    .out_sop_o      (out_sop_o),
    .out_data_o     (out_data_o),
    .out_keep_o     (out_keep_o),
    .out_last_o     (out_last_o),
    .out_meta_o     (out_meta_o),
    .out_tag_o      (out_tag_o),
    .out_aad_beat_o (unused_aad_beat)
  );

endmodule
