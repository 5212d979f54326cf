// mplsec_gcm_core: AES-GCM (NIST SP 800-38D, RFC 4106 profile: 96-bit nonce,
// 16-byte tag, AES-128 or AES-256) at one 512-bit beat a cycle, for 4096
// SAs with their keys held on chip.
//
//   key_wr_i ─> mplsec_gcm_key_install ─> mplsec_gcm_key_store (per SA:
//               round keys, key size, H..H^8)            │ read a stage ahead
//   in beat ─> counter blocks ─> mplsec_aes_pipe (5 lanes: 4 keystream
//              blocks + E(K,J0)) ─> xor ─> mplsec_gcm_ghash ─> out beat + tag
//
// Every beat carries its SA index, so texts of different SAs and key sizes
// follow each other with no gap. The pipeline has a fixed latency
// (mplsec_gcm_pkg::CoreLatency) and moves as a whole: in_ready_o is
// out_ready_i, and nothing inside stalls on its own.
//
// Besides the ESP form (8- or 12-byte AAD in in_aad_i), a text may bring
// its AAD as leading beats marked in_aad_beat_i: then in_aad_i is not used,
// those beats are hashed as AAD (any length; only the last AAD beat may be
// partial; an empty AAD is one AAD beat with keep 0), leave unchanged with
// out_aad_beat_o set, and do not advance the counter. This serves general
// GCM (the published test vectors) without costing the ESP path anything.
// mplsec_gcm is this core with the AAD beats tied off: the datapath's form.
`default_nettype none

module mplsec_gcm_core (
  input  wire logic         clk_i,
  input  wire logic         rst_ni,
  // Key install: expands the key and computes H..H^8 into the SA's entry.
  input  wire logic         key_wr_i,
  input  wire logic [11:0]  key_sa_i,
  input  wire logic         key_aes256_i,
  input  wire logic [255:0] key_i,        // first key byte in 255:248; AES-128 uses 255:128
  output      logic         key_busy_o,   // an install runs; key_wr_i is ignored
  // Text in (byte i of a beat at [8*i +: 8]; keep contiguous from bit 0).
  input  wire logic         in_valid_i,
  output      logic         in_ready_o,   // = out_ready_i
  input  wire logic         in_sop_i,     // first beat; the fields below are read with it
  input  wire logic [11:0]  in_sa_i,
  input  wire logic         in_decrypt_i, // GHASH over the input (ciphertext), else the output
  input  wire logic [95:0]  in_nonce_i,   // salt || IV, first byte in 95:88
  input  wire logic [95:0]  in_aad_i,     // first byte in 95:88
  input  wire logic         in_aad12_i,   // 12-byte AAD (ESN), else the first 8 bytes
  input  wire logic [511:0] in_data_i,
  input  wire logic [63:0]  in_keep_i,
  input  wire logic         in_last_i,
  input  wire logic [15:0]  in_meta_i,    // carried unchanged to out_meta_o
  input  wire logic         in_aad_beat_i,  // this beat is AAD (see above)
  // Text out, CoreLatency cycles later: data ^ keystream, zero past keep.
  output      logic         out_valid_o,
  input  wire logic         out_ready_i,
  output      logic         out_sop_o,
  output      logic [511:0] out_data_o,
  output      logic [63:0]  out_keep_o,
  output      logic         out_last_o,
  output      logic [15:0]  out_meta_o,
  output      logic [127:0] out_tag_o,    // with out_last_o (first tag byte in 127:120), else 0
  output      logic         out_aad_beat_o
);

  localparam int unsigned SaW = mplsec_gcm_pkg::SaW;
  localparam int unsigned Nr = mplsec_gcm_pkg::RoundKeys;
  localparam int unsigned Lanes = mplsec_gcm_pkg::AesLanes;
  localparam int unsigned TextLanes = mplsec_gcm_pkg::TextLanes;
  localparam int unsigned HReadStage = mplsec_gcm_pkg::HReadStage;

  // The whole pipeline advances when the output may.
  logic en;
  assign en = out_ready_i;
  assign in_ready_o = out_ready_i;

  // --- Key install and store ---------------------------------------------------
  logic           wr_rk, wr_h, wr_aes256;
  logic [3:0]     wr_round;
  logic [SaW-1:0] wr_sa;
  logic [127:0]   wr_rk_data;
  logic [1023:0]  wr_h_data;
  mplsec_gcm_key_install u_install (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .key_wr_i     (key_wr_i),
    .key_sa_i     (key_sa_i),
    .key_aes256_i (key_aes256_i),
    .key_i        (key_i),
    .busy_o       (key_busy_o),
    .wr_rk_o      (wr_rk),
    .wr_round_o   (wr_round),
    .wr_sa_o      (wr_sa),
    .wr_rk_data_o (wr_rk_data),
    .wr_h_o       (wr_h),
    .wr_aes256_o  (wr_aes256),
    .wr_h_data_o  (wr_h_data)
  );

  logic [Nr*SaW-1:0] rk_sa;
  logic [Nr*128-1:0] rk;
  logic              rk_aes256;
  logic [SaW-1:0]    h_sa;
  logic [1023:0]     h_powers;
  mplsec_gcm_key_store u_store (
    .clk_i        (clk_i),
    .wr_rk_i      (wr_rk),
    .wr_round_i   (wr_round),
    .wr_sa_i      (wr_sa),
    .wr_rk_data_i (wr_rk_data),
    .wr_h_i       (wr_h),
    .wr_aes256_i  (wr_aes256),
    .wr_h_data_i  (wr_h_data),
    .en_i         (en),
    .rk_sa_i      (rk_sa),
    .rk_o         (rk),
    .aes256_o     (rk_aes256),
    .h_sa_i       (h_sa),
    .h_o          (h_powers)
  );

  // --- Per-text fields and counter blocks ------------------------------------------
  // Fields given with the first beat hold for the rest of the text.
  logic           accept;
  logic [SaW-1:0] sa_q, sa_cur;
  logic           decrypt_q, decrypt_cur;
  logic [95:0]    nonce_q, nonce_cur;
  logic [95:0]    aad_q, aad_cur;
  logic           aad12_q, aad12_cur;
  logic           aad_hdr_q, aad_hdr_cur;  // the AAD is in_aad_i (not beats)
  logic [31:0]    ctr_q, ctr_cur;          // counter of this beat's first block
  assign accept      = in_valid_i && en;
  assign sa_cur      = in_sop_i ? in_sa_i : sa_q;
  assign decrypt_cur = in_sop_i ? in_decrypt_i : decrypt_q;
  assign nonce_cur   = in_sop_i ? in_nonce_i : nonce_q;
  assign aad_cur     = in_sop_i ? in_aad_i : aad_q;
  assign aad12_cur   = in_sop_i ? in_aad12_i : aad12_q;
  assign aad_hdr_cur = in_sop_i ? !in_aad_beat_i : aad_hdr_q;
  assign ctr_cur     = in_sop_i ? 32'd2 : ctr_q;  // J0 = nonce || 1; text from inc32(J0)

  always_ff @(posedge clk_i) begin
    if (accept) begin
      sa_q      <= sa_cur;
      decrypt_q <= decrypt_cur;
      nonce_q   <= nonce_cur;
      aad_q     <= aad_cur;
      aad12_q   <= aad12_cur;
      aad_hdr_q <= aad_hdr_cur;
      ctr_q     <= in_aad_beat_i ? ctr_cur : ctr_cur + 32'd4;
    end
  end

  // Lanes 0..3: counters ctr..ctr+3 (inc32 wraps); lane 4: J0 for the tag.
  logic [Lanes*128-1:0] counter_blocks;
  always_comb begin
    for (int l = 0; l < TextLanes; l++) begin
      counter_blocks[128*l +: 128] = {nonce_cur, ctr_cur + 32'(l)};
    end
    counter_blocks[128*TextLanes +: 128] = {nonce_cur, 32'd1};
  end

  // --- AES: keystream and E(K, J0) ----------------------------------------------------
  logic [Lanes*128-1:0] aes_out;
  mplsec_aes_pipe #(.Lanes(Lanes)) u_aes (
    .clk_i    (clk_i),
    .en_i     (en),
    .sa_i     (sa_cur),
    .block_i  (counter_blocks),
    .rk_sa_o  (rk_sa),
    .rk_i     (rk),
    .aes256_i (rk_aes256),
    .block_o  (aes_out)
  );

  // The beat's other fields travel alongside: to the H read, to the A*H
  // multiplier, to the keystream.
  localparam int unsigned BeatW = 1 + 1 + 1 + 1 + 1 + 64 + 512 + 16;  // to the xor stage
  localparam int unsigned EarlyW = BeatW + SaW + 96 + 1 + 1;
  logic               in_valid_beat;
  logic [BeatW-1:0]   in_beat;
  assign in_valid_beat = accept;
  assign in_beat = {in_sop_i, in_last_i, in_aad_beat_i, decrypt_cur, aad_hdr_cur, in_keep_i,
                    in_data_i, in_meta_i};

  logic             hr_valid;
  logic [BeatW-1:0] hr_beat;
  logic [95:0]      hr_aad;
  logic             hr_aad12, hr_aad_hdr;
  // The beat entering AES register HReadStage reads its H powers.
  mplsec_pipe_delay #(.Width(EarlyW), .Depth(HReadStage)) u_to_h_read (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en),
    .valid_i (in_valid_beat),
    .data_i  ({in_beat, sa_cur, aad_cur, aad12_cur, aad_hdr_cur}),
    .valid_o (hr_valid),
    .data_o  ({hr_beat, h_sa, hr_aad, hr_aad12, hr_aad_hdr})
  );

  logic             ah_valid;
  logic [BeatW-1:0] ah_beat;
  logic [95:0]      ah_aad;
  logic             ah_aad12, ah_aad_hdr;
  mplsec_pipe_delay #(.Width(BeatW + 96 + 2), .Depth(1)) u_to_ah (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en),
    .valid_i (hr_valid),
    .data_i  ({hr_beat, hr_aad, hr_aad12, hr_aad_hdr}),
    .valid_o (ah_valid),
    .data_o  ({ah_beat, ah_aad, ah_aad12, ah_aad_hdr})
  );

  // X0 = A*H: the AAD as one zero-padded block, or nothing (AAD in beats).
  logic [127:0] aad_block, x0;
  assign aad_block = !ah_aad_hdr ? 128'b0 :
                     ah_aad12    ? {ah_aad, 32'b0} : {ah_aad[95:32], 64'b0};
  mplsec_gf128_mul #(.Stages(2)) u_aad_mul (
    .clk_i (clk_i),
    .en_i  (en),
    .a_i   (aad_block),
    .b_i   (h_powers[127:0]),
    .p_o   (x0)
  );

  logic             ks_valid;
  logic [BeatW-1:0] ks_beat;
  logic             ks_aad12;
  logic [1023:0]    ks_h;
  mplsec_pipe_delay #(.Width(BeatW + 1 + 1024), .Depth(2)) u_to_ks (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en),
    .valid_i (ah_valid),
    .data_i  ({ah_beat, ah_aad12, h_powers}),
    .valid_o (ks_valid),
    .data_o  ({ks_beat, ks_aad12, ks_h})
  );

  // --- Keystream xor -------------------------------------------------------------------
  logic         ks_sop, ks_last, ks_aad_beat, ks_decrypt, ks_aad_hdr;
  logic [63:0]  ks_keep;
  logic [511:0] ks_data;
  logic [15:0]  ks_meta;
  assign {ks_sop, ks_last, ks_aad_beat, ks_decrypt, ks_aad_hdr, ks_keep, ks_data, ks_meta} = ks_beat;

  // Keystream byte 16i+k is byte k of lane i's block (byte 0 in 127:120).
  function automatic logic [511:0] beat_of_blocks(input logic [511:0] blocks);
    for (int i = 0; i < TextLanes; i++) begin
      for (int k = 0; k < 16; k++) begin
        beat_of_blocks[8*(16*i+k) +: 8] = blocks[128*i + 127 - 8*k -: 8];
      end
    end
  endfunction
  // The inverse: beat bytes 16i..16i+15 as GCM block i.
  function automatic logic [511:0] blocks_of_beat(input logic [511:0] beat);
    for (int i = 0; i < TextLanes; i++) begin
      for (int k = 0; k < 16; k++) begin
        blocks_of_beat[128*i + 127 - 8*k -: 8] = beat[8*(16*i+k) +: 8];
      end
    end
  endfunction

  logic [511:0] keep_mask, in_masked, keystream, out_text, hashed;
  logic [6:0]   beat_bytes;
  always_comb begin
    beat_bytes = '0;
    for (int i = 0; i < 64; i++) begin
      keep_mask[8*i +: 8] = {8{ks_keep[i]}};
      beat_bytes = beat_bytes + 7'(ks_keep[i]);
    end
  end
  assign keystream = beat_of_blocks(aes_out[511:0]);
  assign in_masked = ks_data & keep_mask;
  assign out_text  = ks_aad_beat ? in_masked : (ks_data ^ keystream) & keep_mask;
  assign hashed    = (ks_decrypt || ks_aad_beat) ? in_masked : out_text;

  logic         gh_valid, gh_sop, gh_last, gh_aad_beat;
  logic [3:0]   gh_aad_bytes;
  logic [511:0] gh_blocks;
  logic [1023:0] gh_h;
  logic [6:0]   gh_bytes;
  logic [127:0] gh_x0, gh_ekj0;
  localparam int unsigned OutW = 1 + 1 + 64 + 512 + 16 + 1;  // sop, aad beat, keep, data, meta, last
  logic [OutW-1:0] gh_out;
  localparam int unsigned GhW = 1 + 1 + 1 + 4 + 512 + 7 + 128 + 1024 + 128 + OutW;
  mplsec_pipe_delay #(.Width(GhW), .Depth(1)) u_xor_stage (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en),
    .valid_i (ks_valid),
    .data_i  ({ks_sop, ks_last, ks_aad_beat, ks_aad_hdr ? (ks_aad12 ? 4'd12 : 4'd8) : 4'd0,
               blocks_of_beat(hashed), beat_bytes, x0, ks_h, aes_out[128*TextLanes +: 128],
               ks_sop, ks_aad_beat, ks_keep, out_text, ks_meta, ks_last}),
    .valid_o (gh_valid),
    .data_o  ({gh_sop, gh_last, gh_aad_beat, gh_aad_bytes, gh_blocks, gh_bytes, gh_x0, gh_h, gh_ekj0,
               gh_out})
  );

  // --- GHASH and the tag ---------------------------------------------------------------
  logic [OutW-1:0] tag_side;
  logic            tag_valid;
  logic [127:0]    tag;
  mplsec_gcm_ghash #(.SideW(OutW)) u_ghash (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .en_i        (en),
    .valid_i     (gh_valid),
    .sop_i       (gh_sop),
    .last_i      (gh_last),
    .aad_beat_i  (gh_aad_beat),
    .aad_bytes_i (gh_aad_bytes),
    .blocks_i    (gh_blocks),
    .bytes_i     (gh_bytes),
    .x0_i        (gh_x0),
    .h_i         (gh_h),
    .ekj0_i      (gh_ekj0),
    .side_i      (gh_out),
    .valid_o     (tag_valid),
    .tag_o       (tag),
    .side_o      (tag_side)
  );

  // --- Out register ----------------------------------------------------------------------
  logic out_last;
  assign out_last = tag_side[0];

  mplsec_pipe_delay #(.Width(OutW + 128), .Depth(1)) u_out (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en),
    .valid_i (tag_valid),
    .data_i  ({tag_side, out_last ? tag : 128'b0}),
    .valid_o (out_valid_o),
    .data_o  ({out_sop_o, out_aad_beat_o, out_keep_o, out_data_o, out_meta_o, out_last_o, out_tag_o})
  );

endmodule
