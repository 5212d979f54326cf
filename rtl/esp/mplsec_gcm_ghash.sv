// mplsec_gcm_ghash: GHASH of one text a beat at a time, four blocks a
// cycle, and the tag at the text's last beat.
//
// Beat j of a text brings n_j blocks B1..Bn (n_j = 4 but for a last beat
// or the last AAD beat; padding zero). Horner's rule over whole beats is
//     X_(j+1) = X_j * H^(n_j) ^ T_j,   T_j = B1*H^n ^ B2*H^(n-1) ^ ... ^ Bn*H,
// and T_j needs nothing from earlier beats: four two-stage multipliers and
// an xor stage compute it (the text's first beat also carries X0 = A*H, the
// 8/12-byte AAD block, in lane 0, or 0 when the AAD comes in beats).
//
// The accumulator loop is interleaved two ways so that its multiply may
// take two cycles: even and odd beats of a text go to two accumulators,
//     Acc(j) = Acc(j-2) * H^(n_(j-1) + n_j) ^ T_j,
// a multiply whose partial products are registered (the loop is
// Acc -> partials -> Acc, one register stage of logic on either side).
// The beat j-2 of the same accumulator is at least two cycles older, so its
// result is ready whatever gaps there are. The last beat joins the two:
//     X = Acc(m-2) * H^(n_(m-1)) ^ Acc(m-3) * H^(n_(m-2) + n_(m-1)) ^ T_(m-1)
// one cycle after it reaches the loop (when Acc(m-2) is written and before
// the next text's first beat writes), and the tag is
// (X ^ len(A) || len(C)) * H ^ E(K, J0).
//
// The four lane products are summed before their one reduction, and so
// are the merge's two (mplsec_gf128_mul, Terms).
//
// Stages: lane multiply-and-sum (2), loop (1), merge multiply (2), final
// multiply (2): GhashLatency = 7 from the input to tag_o. side_i travels
// alongside.
`default_nettype none

module mplsec_gcm_ghash #(
  parameter int unsigned SideW = 8  // fields the caller carries along
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             en_i,
  input  wire logic             valid_i,
  input  wire logic             sop_i,
  input  wire logic             last_i,
  input  wire logic             aad_beat_i,   // the beat is AAD, not text
  input  wire logic [3:0]       aad_bytes_i,  // AAD bytes before the beats (8, 12 or 0), with sop_i
  input  wire logic [511:0]     blocks_i,     // block i at [128*i +: 128], GCM order, zero padded
  input  wire logic [6:0]       bytes_i,      // bytes in the beat, 0..64
  input  wire logic [127:0]     x0_i,         // A*H, or 0; with sop_i
  input  wire logic [1023:0]    h_i,          // H^k at [128*(k-1) +: 128], k = 1..8
  input  wire logic [127:0]     ekj0_i,       // E(K, J0)
  input  wire logic [SideW-1:0] side_i,
  output      logic             valid_o,
  output      logic [127:0]     tag_o,        // meaningful at a text's last beat
  output      logic [SideW-1:0] side_o
);

  localparam int unsigned Lanes = mplsec_gcm_pkg::TextLanes;
  localparam logic [127:0] GfOne = mplsec_gcm_pkg::GfOne;

  // H^p for p = 1..8; H^0 = 1 (an empty last beat leaves X as it is).
  // Lanes past n ask for p < 0 (wrapped): their block is zero anyway.
  function automatic logic [127:0] h_power(input logic [1023:0] h, input logic [3:0] p);
    h_power = GfOne;
    for (int k = 1; k <= 8; k++) begin
      if (p == 4'(k)) h_power = h[128*(k-1) +: 128];
    end
  endfunction

  logic [2:0] n_blocks;
  assign n_blocks = 3'((bytes_i + 7'd15) >> 4);

  // --- Position of the beat in its text ---------------------------------------
  // index 0, 1, or 2 for "2 or more"; the accumulator (beat index parity);
  // the previous beat's block count.
  logic [1:0] index_q, index;
  logic       parity_q, parity;
  logic [2:0] prev_n_q;
  assign index  = sop_i ? 2'd0 : index_q;
  assign parity = sop_i ? 1'b0 : parity_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      index_q  <= 2'd0;
      parity_q <= 1'b0;
      prev_n_q <= 3'd0;
    end else if (en_i && valid_i) begin
      index_q  <= index == 2'd2 ? 2'd2 : index + 2'd1;
      parity_q <= !parity;
      prev_n_q <= n_blocks;
    end
  end

  // --- Off the loop: T = B1*H^n ^ ... ^ Bn*H, reduced once -------------------
  logic [Lanes*128-1:0] lane_blocks, lane_powers;
  logic [127:0]         t_q;
  for (genvar i = 0; i < Lanes; i++) begin : g_lane
    localparam logic [3:0] Lane = i;
    // Lanes at or past n hold zero blocks; their product is zero.
    assign lane_powers[128*i +: 128] = h_power(h_i, {1'b0, n_blocks} - Lane);
    assign lane_blocks[128*i +: 128] = (i == 0 && sop_i) ? blocks_i[127:0] ^ x0_i : blocks_i[128*i +: 128];
  end
  mplsec_gf128_mul #(.Stages(2), .Terms(Lanes)) u_lanes_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   (lane_blocks),
    .b_i   (lane_powers),
    .p_o   (t_q)
  );

  // Fields for the loop: H^n, H^(n_prev + n), H, E(K,J0), the beat's place.
  localparam int unsigned LoopW = 4 * 128 + 1 + 1 + 1 + 4 + 7 + 2 + 1 + SideW;
  logic             t_valid;
  logic [127:0]     t_hn, t_hpn, t_h, t_ekj0;
  logic             t_sop, t_last, t_aad_beat;
  logic [3:0]       t_aad_bytes;
  logic [6:0]       t_bytes;
  logic [1:0]       t_index;
  logic             t_parity;
  logic [SideW-1:0] t_side;
  mplsec_pipe_delay #(.Width(LoopW), .Depth(2)) u_to_loop (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (valid_i),
    .data_i  ({h_power(h_i, {1'b0, n_blocks}), h_power(h_i, {1'b0, prev_n_q} + {1'b0, n_blocks}),
               h_i[127:0], ekj0_i, sop_i, last_i, aad_beat_i, aad_bytes_i, bytes_i, index, parity, side_i}),
    .valid_o (t_valid),
    .data_o  ({t_hn, t_hpn, t_h, t_ekj0, t_sop, t_last, t_aad_beat, t_aad_bytes, t_bytes, t_index, t_parity,
               t_side})
  );

  // --- Lengths (bytes; texts up to 9600, AAD beats up to 65535) -----------------
  logic [15:0] aad_len_q, text_len_q, aad_len, text_len;
  assign aad_len  = (t_sop ? 16'(t_aad_bytes) : aad_len_q) + (t_aad_beat ? 16'(t_bytes) : 16'd0);
  assign text_len = (t_sop ? 16'd0 : text_len_q) + (t_aad_beat ? 16'd0 : 16'(t_bytes));
  always_ff @(posedge clk_i) begin
    if (en_i && t_valid) begin
      aad_len_q  <= aad_len;
      text_len_q <= text_len;
    end
  end

  // --- The loop: Acc(j) = Acc(j-2) * H^(n_(j-1) + n_j) ^ T_j --------------------
  // Every beat but a text's last; the first beat of each accumulator in a
  // text starts it from zero.
  logic [127:0] acc0_q, acc1_q;  // even and odd beats
  logic [127:0] acc_in, acc_prod;
  assign acc_in = t_index != 2'd2 ? '0 : t_parity ? acc1_q : acc0_q;
  mplsec_gf128_mul #(.Stages(1)) u_loop_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   (acc_in),
    .b_i   (t_hpn),
    .p_o   (acc_prod)
  );

  // One cycle on: the loop's write, and the last beat's merge.
  localparam int unsigned MergeW = 5 * 128 + 1 + 2 + 1 + 16 + 16 + SideW;
  logic             m_valid;
  logic [127:0]     m_t, m_hn, m_hpn, m_h, m_ekj0;
  logic             m_last;
  logic [1:0]       m_index;
  logic             m_parity;
  logic [15:0]      m_aad_len, m_text_len;
  logic [SideW-1:0] m_side;
  mplsec_pipe_delay #(.Width(MergeW), .Depth(1)) u_to_merge (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (t_valid),
    .data_i  ({t_q, t_hn, t_hpn, t_h, t_ekj0, t_last, t_index, t_parity, aad_len, text_len, t_side}),
    .valid_o (m_valid),
    .data_o  ({m_t, m_hn, m_hpn, m_h, m_ekj0, m_last, m_index, m_parity, m_aad_len, m_text_len, m_side})
  );

  always_ff @(posedge clk_i) begin
    if (en_i && m_valid && !m_last) begin
      if (m_parity) acc1_q <= acc_prod ^ m_t;
      else          acc0_q <= acc_prod ^ m_t;
    end
  end

  // --- Merge at the last beat -------------------------------------------------------
  // Acc(m-2) is the other accumulator (index >= 1), Acc(m-3) this one
  // (index 2); both are final now and not yet touched by the next text.
  logic [127:0] merge_a, merge_b, merged;
  assign merge_a = m_index == 2'd0 ? '0 : m_parity ? acc0_q : acc1_q;
  assign merge_b = m_index != 2'd2 ? '0 : m_parity ? acc1_q : acc0_q;
  mplsec_gf128_mul #(.Stages(2), .Terms(2)) u_merge_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   ({merge_b, merge_a}),
    .b_i   ({m_hpn, m_hn}),
    .p_o   (merged)
  );

  logic             f_valid;
  logic [127:0]     f_t, f_h, f_ekj0;
  logic [15:0]      f_aad_len, f_text_len;
  logic [SideW-1:0] f_side;
  mplsec_pipe_delay #(.Width(3 * 128 + 32 + SideW), .Depth(2)) u_to_final (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (m_valid),
    .data_i  ({m_t, m_h, m_ekj0, m_aad_len, m_text_len, m_side}),
    .valid_o (f_valid),
    .data_o  ({f_t, f_h, f_ekj0, f_aad_len, f_text_len, f_side})
  );

  // --- The tag: (X ^ lengths in bits) * H ^ E(K, J0) ----------------------------
  logic [127:0] x, len_block, s_block;
  assign x         = merged ^ f_t;
  assign len_block = {45'b0, f_aad_len, 3'b0, 45'b0, f_text_len, 3'b0};
  mplsec_gf128_mul #(.Stages(2)) u_final_mul (
    .clk_i (clk_i),
    .en_i  (en_i),
    .a_i   (x ^ len_block),
    .b_i   (f_h),
    .p_o   (s_block)
  );

  logic [127:0] out_ekj0;
  mplsec_pipe_delay #(.Width(128 + SideW), .Depth(2)) u_to_out (
    .clk_i   (clk_i),
    .rst_ni  (rst_ni),
    .en_i    (en_i),
    .valid_i (f_valid),
    .data_i  ({f_ekj0, f_side}),
    .valid_o (valid_o),
    .data_o  ({out_ekj0, side_o})
  );
  assign tag_o = s_block ^ out_ekj0;

endmodule
