// mplsec_aes_round: one AES encryption round (FIPS 197, 5.1) as logic:
// SubBytes, ShiftRows, MixColumns (left out in the final round) and
// AddRoundKey. Byte 0 of the state (row 0, column 0) is in 127:120, so a
// block in the order it is sent maps to the state as FIPS 197 lays out the
// input; byte b is row b % 4, column b / 4.
`default_nettype none

module mplsec_aes_round (
  input  wire logic [127:0] state_i,
  input  wire logic [127:0] key_i,
  input  wire logic         last_i,   // final round: no MixColumns
  output      logic [127:0] state_o
);

  function automatic logic [7:0] xtime(input logic [7:0] b);
    xtime = {b[6:0], 1'b0} ^ (b[7] ? 8'h1b : 8'h00);
  endfunction

  logic [127:0] sub_bytes;
  for (genvar b = 0; b < 16; b++) begin : g_sbox
    mplsec_aes_sbox u_sbox (
      .in_i  (state_i[127-8*b -: 8]),
      .out_o (sub_bytes[127-8*b -: 8])
    );
  end

  // ShiftRows is wiring: row r of column c comes from column c + r.
  logic [127:0] shifted;
  always_comb begin
    for (int c = 0; c < 4; c++) begin
      for (int r = 0; r < 4; r++) begin
        shifted[127-8*(r+4*c) -: 8] = sub_bytes[127-8*(r+4*((c+r)%4)) -: 8];
      end
    end
  end

  logic [127:0] mixed;
  always_comb begin
    for (int c = 0; c < 4; c++) begin
      logic [7:0] a0, a1, a2, a3;
      a0 = shifted[127-32*c -: 8];
      a1 = shifted[119-32*c -: 8];
      a2 = shifted[111-32*c -: 8];
      a3 = shifted[103-32*c -: 8];
      mixed[127-32*c -: 8] = xtime(a0) ^ xtime(a1) ^ a1 ^ a2 ^ a3;
      mixed[119-32*c -: 8] = a0 ^ xtime(a1) ^ xtime(a2) ^ a2 ^ a3;
      mixed[111-32*c -: 8] = a0 ^ a1 ^ xtime(a2) ^ xtime(a3) ^ a3;
      mixed[103-32*c -: 8] = xtime(a0) ^ a0 ^ a1 ^ a2 ^ xtime(a3);
    end
  end

  assign state_o = (last_i ? shifted : mixed) ^ key_i;

endmodule
