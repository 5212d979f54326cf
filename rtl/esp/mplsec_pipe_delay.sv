// mplsec_pipe_delay: Depth pipeline registers for a beat's side fields,
// all advancing on en_i (the core's pipelines move together, stalled as a
// whole by the output's ready). Only the valid bit is reset; data
// registers need none.
`default_nettype none

module mplsec_pipe_delay #(
  parameter int unsigned Width = 8,  // data bits carried
  parameter int unsigned Depth = 1   // registers, at least 1
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             en_i,
  input  wire logic             valid_i,
  input  wire logic [Width-1:0] data_i,
  output      logic             valid_o,
  output      logic [Width-1:0] data_o
);

  logic [Depth-1:0]       valid_q;
  logic [Depth*Width-1:0] data_q;
  logic [Depth-1:0]       valid_d;
  logic [Depth*Width-1:0] data_d;

  if (Depth == 1) begin : g_one
    assign valid_d = valid_i;
    assign data_d  = data_i;
  end else begin : g_shift
    assign valid_d = {valid_q[Depth-2:0], valid_i};
    assign data_d  = {data_q[(Depth-1)*Width-1:0], data_i};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= '0;
    end else if (en_i) begin
      valid_q <= valid_d;
    end
  end

  always_ff @(posedge clk_i) begin
    if (en_i) data_q <= data_d;
  end

  assign valid_o = valid_q[Depth-1];
  assign data_o  = data_q[Depth*Width-1 -: Width];

endmodule
