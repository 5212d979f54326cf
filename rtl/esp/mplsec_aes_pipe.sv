// mplsec_aes_pipe: Lanes AES-128/256 block encryptions a cycle, one round a
// stage, all lanes under the same key (the blocks of one beat).
//
// Register 0 takes the input blocks, register 1 the whitened blocks
// (block ^ rk0), register k+1 the state after round k; register 15 is the
// output (AesLatency = 16). Each beat carries its SA index along the
// stages, and the stage that applies round key r reads it from the key
// store with that index one cycle ahead (rk_sa_o[r] is the index entering
// register r, rk_i[r] arrives with it): beats of different SAs follow each
// other with no gap and no per-packet key register to load.
//
// Both key sizes share the pipeline: AES-256 runs rounds 1..14; AES-128
// makes round 10 its final round and passes stages 11..14 through, so the
// latency is the same for both. The per-SA key size comes from the store
// with round key 10 (aes256_i, aligned with register 10).
`default_nettype none

module mplsec_aes_pipe #(
  parameter int unsigned Lanes = 5
) (
  input  wire logic                      clk_i,
  input  wire logic                      en_i,     // the pipeline advances
  input  wire logic [mplsec_gcm_pkg::SaW-1:0] sa_i,
  input  wire logic [Lanes*128-1:0]      block_i,  // lane l at [128*l +: 128]
  // Round-key reads: index entering register r, key aligned with register r.
  output      logic [mplsec_gcm_pkg::RoundKeys*mplsec_gcm_pkg::SaW-1:0] rk_sa_o,
  input  wire logic [mplsec_gcm_pkg::RoundKeys*128-1:0]                 rk_i,
  input  wire logic                      aes256_i,
  output      logic [Lanes*128-1:0]      block_o
);

  localparam int unsigned SaW = mplsec_gcm_pkg::SaW;
  localparam int unsigned Nr = mplsec_gcm_pkg::RoundKeys;  // 15 keys: regs 0..14 index them
  localparam int unsigned W = Lanes * 128;

  // state_q[k] (k = 0..15) and the SA of the beat in registers 0..13
  // (the last round key is read for the beat entering register 14).
  logic [(Nr+1)*W-1:0]   state_q;
  logic [(Nr-1)*SaW-1:0] sa_q;
  // Key size of the beat in registers 11..14 (register 10 takes it from
  // the store); bit k-11.
  logic [3:0]          aes256_q;

  always_ff @(posedge clk_i) begin
    if (en_i) begin
      state_q[W-1:0] <= block_i;
      sa_q           <= {sa_q[(Nr-2)*SaW-1:0], sa_i};
      aes256_q       <= {aes256_q[2:0], aes256_i};
    end
  end

  // The index entering register r: the input for r = 0, else register r-1's.
  assign rk_sa_o = {sa_q, sa_i};

  // Register 1: AddRoundKey with rk0.
  always_ff @(posedge clk_i) begin
    if (en_i) begin
      for (int l = 0; l < Lanes; l++) begin
        state_q[W + 128*l +: 128] <= state_q[128*l +: 128] ^ rk_i[127:0];
      end
    end
  end

  // Registers 2..15: rounds 1..14.
  for (genvar k = 1; k < Nr; k++) begin : g_round
    logic aes256;  // key size of the beat in register k
    if (k < 10) begin : g_common
      assign aes256 = 1'b1;  // rounds 1..9 are the same for both sizes
    end else if (k == 10) begin : g_from_store
      assign aes256 = aes256_i;
    end else begin : g_carried
      assign aes256 = aes256_q[k-11];
    end
    // AES-128: round 10 is final, 11..14 pass through.
    logic last, bypass;
    assign last   = (k == Nr - 1) || (k == 10 && !aes256);
    assign bypass = k > 10 && !aes256;

    for (genvar l = 0; l < Lanes; l++) begin : g_lane
      logic [127:0] round_out;
      mplsec_aes_round u_round (
        .state_i (state_q[k*W + 128*l +: 128]),
        .key_i   (rk_i[128*k +: 128]),
        .last_i  (last),
        .state_o (round_out)
      );
      always_ff @(posedge clk_i) begin
        if (en_i) begin
          state_q[(k+1)*W + 128*l +: 128] <= bypass ? state_q[k*W + 128*l +: 128] : round_out;
        end
      end
    end
  end

  assign block_o = state_q[Nr*W +: W];

endmodule
