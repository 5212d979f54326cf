// mplsec_gcm_ghash: GHASH of one text a beat at a time, four blocks a
// cycle, and the tag at the text's last beat.
//
// A beat of n blocks (n = 0..4; only a last beat has n < 4, the padding
// zero) is absorbed with the aggregated form
//     X' = (X ^ B1)*H^n ^ B2*H^(n-1) ^ ... ^ Bn*H
//        = X*H^n ^ T,   T = B1*H^n ^ ... ^ Bn*H.
// T needs nothing from earlier beats: four two-stage multipliers and an xor
// stage compute it. Only X*H^n ^ T is a loop (one 128 x 128 multiply and an
// xor in one cycle); H^n is chosen before the loop and arrives registered.
// A text starts from X0 = A*H (the 8- or 12-byte AAD block, computed before
// the keystream is ready) or 0 when the AAD comes in beats: the first beat's
// lane 0 takes B1 ^ X0, and the loop feeds back zero. The tag is
// (X ^ len(A) || len(C)) * H ^ E(K, J0), two stages after the loop.
//
// Stages: lane multiply (2), product xor (1), loop (1), final multiply (2):
// GhashLatency = 6 from the input to tag_o. side_i travels alongside.
`default_nettype none

module mplsec_gcm_ghash #(
  parameter int unsigned SideW = 8  // fields the caller carries along
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             en_i,
  input  wire logic             valid_i,
  input  wire logic             sop_i,
  input  wire logic             aad_beat_i,   // the beat is AAD, not text
  input  wire logic [3:0]       aad_bytes_i,  // AAD bytes before the beats (8, 12 or 0), with sop_i
  input  wire logic [511:0]     blocks_i,     // block i at [128*i +: 128], GCM order, zero padded
  input  wire logic [6:0]       bytes_i,      // bytes in the beat, 0..64
  input  wire logic [127:0]     x0_i,         // A*H, or 0; with sop_i
  input  wire logic [511:0]     h_i,          // H^k at [128*(k-1) +: 128]
  input  wire logic [127:0]     ekj0_i,       // E(K, J0)
  input  wire logic [SideW-1:0] side_i,
  output      logic             valid_o,
  output      logic [127:0]     tag_o,        // meaningful at a text's last beat
  output      logic [SideW-1:0] side_o
);

  localparam int unsigned Lanes = mplsec_gcm_pkg::TextLanes;
  localparam logic [127:0] GfOne = mplsec_gcm_pkg::GfOne;

  // H^p for p = 1..4; H^0 = 1 (an empty last beat leaves X as it is).
  // Lanes past n ask for p < 0 (wrapped): their block is zero anyway.
  function automatic logic [127:0] h_power(input logic [511:0] h, input logic [2:0] p);
    unique case (p)
      3'd1:    h_power = h[127:0];
      3'd2:    h_power = h[255:128];
      3'd3:    h_power = h[383:256];
      3'd4:    h_power = h[511:384];
      default: h_power = GfOne;
    endcase
  endfunction

  logic [2:0] n_blocks;
  assign n_blocks = 3'((bytes_i + 7'd15) >> 4);

  // --- Off the loop: T = B1*H^n ^ ... ^ Bn*H ---------------------------------
  logic [4*128-1:0] products;
  for (genvar i = 0; i < Lanes; i++) begin : g_lane
    localparam logic [2:0] Lane = i;
    logic [127:0] operand, block;
    // Lanes at or past n hold zero blocks; their product is zero.
    assign operand = h_power(h_i, n_blocks - Lane);
    assign block   = (i == 0 && sop_i) ? blocks_i[127:0] ^ x0_i : blocks_i[128*i +: 128];
    mplsec_gf128_mul #(.Stages(2)) u_mul (
      .clk_i (clk_i),
      .en_i  (en_i),
      .a_i   (block),
      .b_i   (operand),
      .p_o   (products[128*i +: 128])
    );
  end

  // Fields for the loop, two stages behind the lane multipliers.
  localparam int unsigned LoopW = 128 + 128 + 128 + 1 + 1 + 4 + 7 + SideW;
  logic             mul_valid;
  logic [127:0]     mul_hn, mul_h, mul_ekj0;
  logic             mul_sop, mul_aad_beat;
  logic [3:0]       mul_aad_bytes;
  logic [6:0]       mul_bytes;
  logic [SideW-1:0] mul_side;
  mplsec_pipe_delay #(.Width(LoopW), .Depth(2)) u_to_xor (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (valid_i),
    .data_i  ({h_power(h_i, n_blocks), h_i[127:0], ekj0_i, sop_i, aad_beat_i, aad_bytes_i,
               bytes_i, side_i}),
    .valid_o (mul_valid),
    .data_o  ({mul_hn, mul_h, mul_ekj0, mul_sop, mul_aad_beat, mul_aad_bytes, mul_bytes, mul_side})
  );

  logic [127:0] t_q;
  always_ff @(posedge clk_i) begin
    if (en_i) t_q <= products[127:0] ^ products[255:128] ^ products[383:256] ^ products[511:384];
  end

  logic             t_valid;
  logic [127:0]     t_hn, t_h, t_ekj0;
  logic             t_sop, t_aad_beat;
  logic [3:0]       t_aad_bytes;
  logic [6:0]       t_bytes;
  logic [SideW-1:0] t_side;
  mplsec_pipe_delay #(.Width(LoopW), .Depth(1)) u_to_loop (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (mul_valid),
    .data_i  ({mul_hn, mul_h, mul_ekj0, mul_sop, mul_aad_beat, mul_aad_bytes, mul_bytes, mul_side}),
    .valid_o (t_valid),
    .data_o  ({t_hn, t_h, t_ekj0, t_sop, t_aad_beat, t_aad_bytes, t_bytes, t_side})
  );

  // --- The loop: X <- X*H^n ^ T, and the running lengths -----------------------
  // The critical path of the core: a register, a full GF(2^128) multiply
  // (128 and-terms and the fold) and two xors back to the register.
  logic [127:0] x_q, x_fed, x_next;
  logic [15:0]  aad_len_q, text_len_q;  // bytes (texts up to 9600, AAD beats up to 65535)
  assign x_fed = t_sop ? '0 : x_q;
  mplsec_gf128_mul #(.Stages(0)) u_loop_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   (x_fed),
    .b_i   (t_hn),
    .p_o   (x_next)
  );

  always_ff @(posedge clk_i) begin
    if (en_i && t_valid) begin
      x_q        <= x_next ^ t_q;
      aad_len_q  <= (t_sop ? 16'(t_aad_bytes) : aad_len_q) + (t_aad_beat ? 16'(t_bytes) : 16'd0);
      text_len_q <= (t_sop ? 16'd0 : text_len_q) + (t_aad_beat ? 16'd0 : 16'(t_bytes));
    end
  end

  logic             loop_valid;
  logic [127:0]     loop_h, loop_ekj0;
  logic [SideW-1:0] loop_side;
  mplsec_pipe_delay #(.Width(256 + SideW), .Depth(1)) u_to_final (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (t_valid),
    .data_i  ({t_h, t_ekj0, t_side}),
    .valid_o (loop_valid),
    .data_o  ({loop_h, loop_ekj0, loop_side})
  );

  // --- The tag: (X ^ lengths in bits) * H ^ E(K, J0) ----------------------------
  logic [127:0] len_block, s_block;
  assign len_block = {45'b0, aad_len_q, 3'b0, 45'b0, text_len_q, 3'b0};
  mplsec_gf128_mul #(.Stages(2)) u_final_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   (x_q ^ len_block),
    .b_i   (loop_h),
    .p_o   (s_block)
  );

  logic [127:0] out_ekj0;
  mplsec_pipe_delay #(.Width(128 + SideW), .Depth(2)) u_to_out (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (loop_valid),
    .data_i  ({loop_ekj0, loop_side}),
    .valid_o (valid_o),
    .data_o  ({out_ekj0, side_o})
  );
  assign tag_o = s_block ^ out_ekj0;

endmodule
