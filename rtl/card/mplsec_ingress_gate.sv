// mplsec_ingress_gate: CONTROL.enable at the card's ingress. The decision
// is taken at a frame's first beat and holds to its tlast, so a frame is
// either passed whole or dropped whole, whatever enable does meanwhile.
// A dropped frame is taken at once and never reaches the datapath or its
// counters.
`default_nettype none

module mplsec_ingress_gate #(
  parameter int unsigned Width = 8  // tdata, tkeep, tuser, packed by the user
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             enable_i,
  input  wire logic             s_valid_i,
  input  wire logic [Width-1:0] s_data_i,
  input  wire logic             s_last_i,
  output      logic             s_ready_o,
  output      logic             m_valid_o,
  output      logic [Width-1:0] m_data_o,
  output      logic             m_last_o,
  input  wire logic             m_ready_i
);

  logic mid_frame_q, pass_q, pass;

  assign pass      = mid_frame_q ? pass_q : enable_i;
  assign m_valid_o = s_valid_i && pass;
  assign m_data_o  = s_data_i;
  assign m_last_o  = s_last_i;
  assign s_ready_o = pass ? m_ready_i : 1'b1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      mid_frame_q <= 1'b0;
      pass_q      <= 1'b1;
    end else if (s_valid_i && s_ready_o) begin
      mid_frame_q <= !s_last_i;
      pass_q      <= pass;
    end
  end

endmodule
