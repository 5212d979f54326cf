// mplsec_axis_skid: a registered AXI4-Stream stage with a skid register,
// so that the downstream tready reaches only this module's flops: s_ready
// is a register (not full), and a beat that arrives while the output is
// stalled waits in the skid. Full throughput, one cycle of latency.
`default_nettype none

module mplsec_axis_skid #(
  parameter int unsigned Width = 8  // tdata, tkeep, tlast and tuser, packed by the user
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             s_valid_i,
  input  wire logic [Width-1:0] s_data_i,
  output      logic             s_ready_o,
  output      logic             m_valid_o,
  output      logic [Width-1:0] m_data_o,
  input  wire logic             m_ready_i
);

  logic             out_valid_q, out_valid_d;
  logic [Width-1:0] out_data_q, out_data_d;
  logic             skid_valid_q, skid_valid_d;
  logic [Width-1:0] skid_data_q, skid_data_d;

  assign s_ready_o = !skid_valid_q;

  always_comb begin
    out_valid_d  = out_valid_q;
    out_data_d   = out_data_q;
    skid_valid_d = skid_valid_q;
    skid_data_d  = skid_data_q;
    if (!out_valid_q || m_ready_i) begin
      // The output register moves: take the skid first, else the input.
      if (skid_valid_q) begin
        out_valid_d  = 1'b1;
        out_data_d   = skid_data_q;
        skid_valid_d = 1'b0;  // s_ready is low meanwhile
      end else begin
        out_valid_d = s_valid_i;
        out_data_d  = s_data_i;
      end
    end else if (s_valid_i && s_ready_o) begin
      skid_valid_d = 1'b1;
      skid_data_d  = s_data_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_q  <= 1'b0;
      skid_valid_q <= 1'b0;
    end else begin
      out_valid_q  <= out_valid_d;
      skid_valid_q <= skid_valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    out_data_q  <= out_data_d;
    skid_data_q <= skid_data_d;
  end

  assign m_valid_o = out_valid_q;
  assign m_data_o  = out_data_q;

endmodule
