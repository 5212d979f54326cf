// mplsec_axis_arb: N AXI4-Stream sources onto one, a whole frame at a
// time. The grant moves round robin at frame boundaries (after tlast), so
// frames never interleave and no source starves. The output is registered
// (mplsec_axis_skid) and carries the index of the source it came from.
`default_nettype none

module mplsec_axis_arb #(
  parameter int unsigned N     = 2,
  parameter int unsigned Width = 8,  // tdata, tkeep, tuser, packed by the user
  localparam int unsigned SelW = (N > 1) ? $clog2(N) : 1
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic [N-1:0]     s_valid_i,
  input  wire logic [Width-1:0] s_data_i [N],
  input  wire logic [N-1:0]     s_last_i,
  output      logic [N-1:0]     s_ready_o,
  output      logic             m_valid_o,
  output      logic [Width-1:0] m_data_o,
  output      logic             m_last_o,
  output      logic [SelW-1:0]  m_src_o,
  input  wire logic             m_ready_i
);

  logic            locked_q;  // a frame of grant_q is under way
  logic [SelW-1:0] grant_q, pick, sel;
  logic            any_valid, out_ready, take;

  // Round robin: the first valid source after the last one granted.
  always_comb begin
    pick = grant_q;
    any_valid = 1'b0;
    for (int unsigned k = N; k >= 1; k--) begin
      logic [SelW-1:0] src;
      src = SelW'((32'(grant_q) + k) % N);
      if (s_valid_i[src]) begin
        pick = SelW'(src);
        any_valid = 1'b1;
      end
    end
  end

  assign sel  = locked_q ? grant_q : pick;
  assign take = (locked_q || any_valid) && s_valid_i[sel] && out_ready;

  always_comb begin
    s_ready_o = '0;
    s_ready_o[sel] = out_ready && (locked_q || any_valid);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      locked_q <= 1'b0;
      grant_q  <= SelW'(N - 1);
    end else if (take) begin
      grant_q  <= sel;
      locked_q <= !s_last_i[sel];
    end
  end

  mplsec_axis_skid #(
    .Width (Width + 1 + SelW)
  ) u_out (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (take),
    .s_data_i  ({s_data_i[sel], s_last_i[sel], sel}),
    .s_ready_o (out_ready),
    .m_valid_o (m_valid_o),
    .m_data_o  ({m_data_o, m_last_o, m_src_o}),
    .m_ready_i (m_ready_i)
  );

endmodule
