// mplsec_gf128_mul: sum of Terms products of elements of GF(2^128) in
// GCM's bit order (SP 800-38D 6.3: the most significant bit of byte 0,
// here bit 127, is the coefficient of x^0; the field polynomial is x^128 +
// x^7 + x^2 + x + 1), reduced once (aggregated reduction: GHASH's four
// lane products, a_k * H^(n-k+1), need one fold of their xor, not four).
//
// Schoolbook: each 255-bit carry-less product is built from four 32 x 128
// partial products (each output bit an xor of at most 32 and-terms, three
// LUT6 levels), which both forms register; the second stage adds the
// partials of all terms (4 * Terms terms a bit) and folds the high half
// back twice with the polynomial (a few terms a bit). Stages = 1 registers
// the partials only and leaves the second stage to the caller's register:
// the GHASH accumulator loop closes through it in two cycles. Karatsuba
// would save about a quarter of the and-terms at the cost of a deeper xor
// tree; on LUT6 fabric the schoolbook form maps as well and is easier to
// pipeline.
`default_nettype none

module mplsec_gf128_mul #(
  parameter int unsigned Stages = 2,  // 1: registered partials; 2: partials and sum
  parameter int unsigned Terms  = 1   // products summed
) (
  input  wire logic                 clk_i,
  input  wire logic                 en_i,  // the pipeline advances
  input  wire logic [128*Terms-1:0] a_i,   // term k at [128*k +: 128]
  input  wire logic [128*Terms-1:0] b_i,
  output      logic [127:0]         p_o    // sum of a_k * b_k: registered (2), or from registered partials (1)
);

  localparam int unsigned Digits = 4;
  localparam int unsigned DigitW = 128 / Digits;
  localparam int unsigned PartW = DigitW + 127;

  // GCM order to polynomial order (bit i = coefficient of x^i) and back.
  function automatic logic [127:0] reflect(input logic [127:0] v);
    for (int i = 0; i < 128; i++) reflect[i] = v[127-i];
  endfunction

  function automatic logic [PartW-1:0] clmul_digit(input logic [DigitW-1:0] d,
                                                   input logic [127:0] b);
    clmul_digit = '0;
    for (int j = 0; j < DigitW; j++) begin
      if (d[j]) clmul_digit = clmul_digit ^ (PartW'(b) << j);
    end
  endfunction

  localparam int unsigned PartsW = Terms * Digits * PartW;

  // Sum of the shifted partials of every term, reduced modulo the field
  // polynomial.
  function automatic logic [127:0] sum_reduce(input logic [PartsW-1:0] parts);
    logic [254:0] c;
    c = '0;
    for (int t = 0; t < Terms; t++) begin
      for (int k = 0; k < Digits; k++) begin
        c = c ^ (255'(parts[(t*Digits + k)*PartW +: PartW]) << (k * DigitW));
      end
    end
    // From the top down, x^i = x^(i-128) * (x^7 + x^2 + x + 1).
    for (int i = 254; i >= 128; i--) begin
      if (c[i]) begin
        c[i-128] = !c[i-128];
        c[i-127] = !c[i-127];
        c[i-126] = !c[i-126];
        c[i-121] = !c[i-121];
      end
    end
    sum_reduce = c[127:0];
  endfunction

  logic [PartsW-1:0] parts;
  always_comb begin
    for (int t = 0; t < Terms; t++) begin
      logic [127:0] a_poly, b_poly;
      a_poly = reflect(a_i[128*t +: 128]);
      b_poly = reflect(b_i[128*t +: 128]);
      for (int k = 0; k < Digits; k++) begin
        parts[(t*Digits + k)*PartW +: PartW] = clmul_digit(a_poly[k*DigitW +: DigitW], b_poly);
      end
    end
  end

  if (Stages == 1) begin : g_partials
    logic [PartsW-1:0] parts_q;
    always_ff @(posedge clk_i) begin
      if (en_i) parts_q <= parts;
    end
    assign p_o = reflect(sum_reduce(parts_q));
  end else begin : g_piped
    logic [PartsW-1:0] parts_q;
    logic [127:0]            p_q;
    always_ff @(posedge clk_i) begin
      if (en_i) begin
        parts_q <= parts;
        p_q     <= reflect(sum_reduce(parts_q));
      end
    end
    assign p_o = p_q;
  end

  // Only the two forms above exist.
  if (Stages != 1 && Stages != 2) begin : g_bad_stages
    $error("mplsec_gf128_mul: Stages must be 1 or 2");
  end

endmodule
