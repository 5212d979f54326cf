// mplsec_gf128_mul: product of two elements of GF(2^128) in GCM's bit
// order (SP 800-38D 6.3: the most significant bit of byte 0, here bit 127,
// is the coefficient of x^0; the field polynomial is x^128 + x^7 + x^2 +
// x + 1).
//
// Schoolbook: the 255-bit carry-less product is built from four 32 x 128
// partial products (each output bit an xor of at most 32 and-terms, three
// LUT6 levels), which the two-stage form registers; the second stage adds
// the partials (four terms a bit) and folds the high half back twice with
// the polynomial (a few terms a bit). Stages = 1 registers the partials
// only and leaves the second stage to the caller's register: the GHASH
// accumulator loop closes through it in two cycles. Karatsuba would save
// about a quarter of the and-terms at the cost of a deeper xor tree; on
// LUT6 fabric the schoolbook form maps as well and is easier to pipeline.
`default_nettype none

module mplsec_gf128_mul #(
  parameter int unsigned Stages = 2  // 1: registered partials; 2: partials and product
) (
  input  wire logic         clk_i,
  input  wire logic         en_i,  // the pipeline advances
  input  wire logic [127:0] a_i,
  input  wire logic [127:0] b_i,
  output      logic [127:0] p_o    // a_i * b_i: registered (2), or from registered partials (1)
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

  // Sum of the shifted partials, reduced modulo the field polynomial.
  function automatic logic [127:0] sum_reduce(input logic [Digits*PartW-1:0] parts);
    logic [254:0] c;
    c = '0;
    for (int k = 0; k < Digits; k++) begin
      c = c ^ (255'(parts[k*PartW +: PartW]) << (k * DigitW));
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

  logic [127:0] a_poly, b_poly;
  assign a_poly = reflect(a_i);
  assign b_poly = reflect(b_i);

  logic [Digits*PartW-1:0] parts;
  always_comb begin
    for (int k = 0; k < Digits; k++) begin
      parts[k*PartW +: PartW] = clmul_digit(a_poly[k*DigitW +: DigitW], b_poly);
    end
  end

  if (Stages == 1) begin : g_partials
    logic [Digits*PartW-1:0] parts_q;
    always_ff @(posedge clk_i) begin
      if (en_i) parts_q <= parts;
    end
    assign p_o = reflect(sum_reduce(parts_q));
  end else begin : g_piped
    logic [Digits*PartW-1:0] parts_q;
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
