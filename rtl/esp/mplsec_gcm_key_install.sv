// mplsec_gcm_key_install: turns an SA key into what the datapath reads
// from mplsec_gcm_key_store, in a few tens of cycles.
//
// Expand: one round key a cycle (FIPS 197, 5.2; four S-boxes for SubWord),
// each written to the store as it appears, and in the same cycle one round
// of E(K, 0^128) with it (one mplsec_aes_round), so H = E(K, 0) is ready
// with the last round key: 11 cycles for AES-128, 15 for AES-256.
// Powers: H^2 .. H^8 (GHASH's lanes use H..H^4, its two interleaved
// accumulators up to H^8) by one shared multiplier, 8 bits of the
// multiplicand a cycle (SP 800-38D Algorithm 1, unrolled eightfold), 16
// cycles each; then the H powers and the key size are written, which
// completes the SA. busy_o is high from the cycle after key_wr_i until
// the SA is complete; a key_wr_i while busy is ignored.
`default_nettype none

module mplsec_gcm_key_install (
  input  wire logic                           clk_i,
  input  wire logic                           rst_ni,
  input  wire logic                           key_wr_i,
  input  wire logic [mplsec_gcm_pkg::SaW-1:0] key_sa_i,
  input  wire logic                           key_aes256_i,
  input  wire logic [255:0]                   key_i,   // first byte in 255:248; AES-128: 255:128
  output      logic                           busy_o,
  // To the key store.
  output      logic                           wr_rk_o,
  output      logic [3:0]                     wr_round_o,
  output      logic [mplsec_gcm_pkg::SaW-1:0] wr_sa_o,
  output      logic [127:0]                   wr_rk_data_o,
  output      logic                           wr_h_o,
  output      logic                           wr_aes256_o,
  output      logic [1023:0]                  wr_h_data_o  // H^k at [128*(k-1) +: 128]
);

  localparam int unsigned SaW = mplsec_gcm_pkg::SaW;
  // Bits of the multiplicand taken a cycle; 128 / MulDigit cycles a product.
  localparam int unsigned MulDigit = 8;
  localparam logic [127:0] GcmR = {8'he1, 120'b0};  // x^128 folded, GCM order

  typedef enum logic [1:0] {
    StIdle,
    StExpand,
    StPowers
  } state_e;

  state_e           state_q, state_d;
  logic [SaW-1:0]   sa_q;
  logic             aes256_q;
  logic [127:0]     key_lo_q;     // AES-256: the second half of the key (rk1)
  logic [3:0]       round_q;      // round key being made
  logic [127:0]     rk1_q, rk2_q; // the previous two round keys
  logic [127:0]     block_q;      // E(K, 0) in progress, then H
  // Powers: z = x * H, MulDigit bits of x a cycle.
  logic [3:0]       digit_q;
  logic [2:0]       power_q;      // the power being made, minus 2 (H^2..H^8)
  logic [127:0]     mul_x_q, mul_v_q, mul_z_q;
  logic [767:0]     powers_q;     // H^2..H^7, shifted in from the top (H^8 goes straight out)

  assign busy_o = state_q != StIdle;

  // --- Key expansion ---------------------------------------------------------
  // Next round key from the last one (AES-128) or the last two (AES-256):
  // w0 = base.w0 ^ t, w_i = base.w_i ^ w_(i-1), where t is
  // SubWord(RotWord(w3)) ^ Rcon, or SubWord(w3) alone for odd AES-256 keys.
  function automatic logic [7:0] rcon(input logic [3:0] i);
    unique case (i)
      4'd1:    rcon = 8'h01;
      4'd2:    rcon = 8'h02;
      4'd3:    rcon = 8'h04;
      4'd4:    rcon = 8'h08;
      4'd5:    rcon = 8'h10;
      4'd6:    rcon = 8'h20;
      4'd7:    rcon = 8'h40;
      4'd8:    rcon = 8'h80;
      4'd9:    rcon = 8'h1b;
      4'd10:   rcon = 8'h36;
      default: rcon = 8'h00;
    endcase
  endfunction

  logic         rotate;
  logic [31:0]  sub_in, sub_out, t_word;
  logic [127:0] base, rk_next;
  assign rotate = !aes256_q || !round_q[0];
  assign sub_in = rotate ? {rk1_q[23:0], rk1_q[31:24]} : rk1_q[31:0];
  for (genvar b = 0; b < 4; b++) begin : g_subword
    mplsec_aes_sbox u_sbox (.in_i(sub_in[8*b +: 8]), .out_o(sub_out[8*b +: 8]));
  end
  assign t_word = sub_out ^ (rotate ? {rcon(aes256_q ? {1'b0, round_q[3:1]} : round_q), 24'b0} : 32'b0);
  assign base   = aes256_q ? rk2_q : rk1_q;
  always_comb begin
    rk_next[127:96] = base[127:96] ^ t_word;
    rk_next[95:64]  = base[95:64] ^ rk_next[127:96];
    rk_next[63:32]  = base[63:32] ^ rk_next[95:64];
    rk_next[31:0]   = base[31:0] ^ rk_next[63:32];
  end

  // The round key of this cycle: the key itself for rk0 (and rk1 of AES-256).
  logic [127:0] rk_now;
  logic         last_round;
  // key_lo_q holds rk0 in round 0, then AES-256's rk1 in round 1.
  assign rk_now = (round_q == 4'd0 || (aes256_q && round_q == 4'd1)) ? key_lo_q : rk_next;
  assign last_round = round_q == (aes256_q ? 4'd14 : 4'd10);

  logic [127:0] round_out;
  mplsec_aes_round u_round (
    .state_i (block_q),
    .key_i   (rk_now),
    .last_i  (last_round),
    .state_o (round_out)
  );

  // --- H powers ---------------------------------------------------------------
  logic [127:0] mul_z_d, mul_v_d;
  always_comb begin
    mul_z_d = mul_z_q;
    mul_v_d = mul_v_q;
    for (int j = 0; j < MulDigit; j++) begin
      if (mul_x_q[127-j]) mul_z_d = mul_z_d ^ mul_v_d;
      mul_v_d = (mul_v_d >> 1) ^ (mul_v_d[0] ? GcmR : 128'b0);
    end
  end

  // --- Sequencing ---------------------------------------------------------------
  logic last_power;  // H^8 is done this cycle
  assign last_power = state_q == StPowers && power_q == 3'd6 && digit_q == 4'hf;

  always_comb begin
    state_d = state_q;
    unique case (state_q)
      StIdle:   if (key_wr_i) state_d = StExpand;
      StExpand: if (last_round) state_d = StPowers;
      StPowers: if (last_power) state_d = StIdle;
      default:  state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) state_q <= StIdle;
    else         state_q <= state_d;
  end

  always_ff @(posedge clk_i) begin
    unique case (state_q)
      StIdle: begin
        sa_q     <= key_sa_i;
        aes256_q <= key_aes256_i;
        key_lo_q <= key_i[255:128];
        rk1_q    <= key_i[127:0];  // AES-256: rk1; rotated into place below
        round_q  <= 4'd0;
        block_q  <= '0;
      end
      StExpand: begin
        round_q <= round_q + 4'd1;
        block_q <= round_q == 4'd0 ? rk_now : round_out;  // round 0 is the whitening
        if (round_q == 4'd0) begin
          // rk1 of AES-256 is the key's second half; AES-128 derives rk1 from rk0.
          key_lo_q <= rk1_q;
          rk2_q    <= rk_now;
          rk1_q    <= rk_now;
        end else begin
          rk2_q <= rk1_q;
          rk1_q <= rk_now;
        end
        digit_q <= '0;
        power_q <= '0;
        mul_z_q <= '0;
        mul_x_q <= round_out;  // H, when this is the last round
        mul_v_q <= round_out;
      end
      StPowers: begin
        digit_q <= digit_q + 4'd1;
        mul_x_q <= mul_x_q << MulDigit;
        mul_z_q <= mul_z_d;
        mul_v_q <= mul_v_d;
        if (digit_q == 4'hf) begin
          // H^(power+2) is done; it is the next multiplicand, times H again.
          powers_q <= {mul_z_d, powers_q[767:128]};
          power_q  <= power_q + 3'd1;
          mul_x_q <= mul_z_d;
          mul_z_q <= '0;
          mul_v_q <= block_q;
        end
      end
      default: ;
    endcase
  end

  // --- To the store ---------------------------------------------------------------
  assign wr_rk_o      = state_q == StExpand;
  assign wr_round_o   = round_q;
  assign wr_sa_o      = sa_q;
  assign wr_rk_data_o = rk_now;
  assign wr_h_o       = last_power;
  assign wr_aes256_o  = aes256_q;
  assign wr_h_data_o  = {mul_z_d, powers_q, block_q};

endmodule
