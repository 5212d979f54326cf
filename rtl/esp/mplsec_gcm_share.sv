// mplsec_gcm_share: one AES-GCM core for the encrypt and the decrypt unit.
// A text is granted whole (first beat to last); when both units have a
// text waiting, they take turns. The core's fixed latency keeps texts in
// order, so each output beat goes back to the unit whose text it is,
// named by meta bit 15 (the units use bits 13:0).
`default_nettype none

module mplsec_gcm_share
  import mplsec_fwd_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // Unit u (0: encrypt, 1: decrypt) text ports, as mplsec_gcm's.
  input  wire logic [1:0]             u_valid_i,
  output      logic [1:0]             u_ready_o,
  input  wire logic [1:0]             u_sop_i,
  input  wire logic [1:0][SaW-1:0]    u_sa_i,
  input  wire logic [1:0][95:0]       u_nonce_i,
  input  wire logic [1:0][95:0]       u_aad_i,
  input  wire logic [1:0]             u_aad12_i,
  input  wire logic [1:0][DataW-1:0]  u_data_i,
  input  wire logic [1:0][KeepW-1:0]  u_keep_i,
  input  wire logic [1:0]             u_last_i,
  input  wire logic [1:0][15:0]       u_meta_i,
  output      logic [1:0]             u_out_valid_o,
  input  wire logic [1:0]             u_out_ready_i,
  // The core.
  output      logic                   gcm_valid_o,
  input  wire logic                   gcm_ready_i,
  output      logic                   gcm_sop_o,
  output      logic [SaW-1:0]         gcm_sa_o,
  output      logic                   gcm_decrypt_o,
  output      logic [95:0]            gcm_nonce_o,
  output      logic [95:0]            gcm_aad_o,
  output      logic                   gcm_aad12_o,
  output      logic [DataW-1:0]       gcm_data_o,
  output      logic [KeepW-1:0]       gcm_keep_o,
  output      logic                   gcm_last_o,
  output      logic [15:0]            gcm_meta_o,
  input  wire logic                   gcm_out_valid_i,
  output      logic                   gcm_out_ready_o,
  input  wire logic [15:0]            gcm_out_meta_i
);

  // Grant: held from a text's first beat to its last.
  logic busy_q, owner_q, last_owner_q, pick, owner;

  always_comb begin
    // Alternate when both wait; else whoever waits.
    if (u_valid_i[0] && u_valid_i[1]) pick = !last_owner_q;
    else                              pick = u_valid_i[1];
    owner = busy_q ? owner_q : pick;
  end

  assign gcm_valid_o   = u_valid_i[owner];
  assign gcm_sop_o     = u_sop_i[owner];
  assign gcm_sa_o      = u_sa_i[owner];
  assign gcm_decrypt_o = owner;
  assign gcm_nonce_o   = u_nonce_i[owner];
  assign gcm_aad_o     = u_aad_i[owner];
  assign gcm_aad12_o   = u_aad12_i[owner];
  assign gcm_data_o    = u_data_i[owner];
  assign gcm_keep_o    = u_keep_i[owner];
  assign gcm_last_o    = u_last_i[owner];
  assign gcm_meta_o    = {owner, u_meta_i[owner][14:0]};
  assign u_ready_o     = {owner && gcm_ready_i, !owner && gcm_ready_i};

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q       <= 1'b0;
      owner_q      <= 1'b0;
      last_owner_q <= 1'b1;
    end else if (gcm_valid_o && gcm_ready_i) begin
      busy_q  <= !u_last_i[owner];
      owner_q <= owner;
      if (u_last_i[owner]) last_owner_q <= owner;
    end
  end

  // Out: the beat belongs to the unit named in its meta.
  logic out_owner;
  assign out_owner       = gcm_out_meta_i[15];
  assign u_out_valid_o   = {gcm_out_valid_i && out_owner, gcm_out_valid_i && !out_owner};
  // With no beat at the core's output, nobody holds the core.
  assign gcm_out_ready_o = !gcm_out_valid_i || u_out_ready_i[out_owner];

  logic unused;
  assign unused = ^{u_meta_i[0][15], u_meta_i[1][15], gcm_out_meta_i[14:0]};

endmodule
