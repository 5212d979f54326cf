// mplsec_event_queue: the event block's queue (EVT_COUNT, EVT_HEAD,
// EVT_POP). It takes every event the datapath offers, one a cycle; when
// Depth events already wait, the oldest is lost to make room
// (docs/datapath.md, Notes on ESP), as the software register file does.
`default_nettype none

module mplsec_event_queue #(
  parameter int unsigned Depth = 256,  // power of two
  localparam int unsigned Aw = $clog2(Depth)
) (
  input  wire logic        clk_i,
  input  wire logic        rst_ni,
  input  wire logic        evt_valid_i,
  input  wire logic [31:0] evt_i,
  output      logic [31:0] count_o,
  output      logic [31:0] head_o,   // zero when empty
  input  wire logic        pop_i
);

  logic [31:0] mem_q [Depth];
  logic [Aw:0] wptr_q, rptr_q;
  logic [Aw:0] used;
  logic        empty, full, pop;

  assign used  = wptr_q - rptr_q;
  assign empty = used == '0;
  assign full  = used == (Aw+1)'(Depth);
  // A new event into a full queue pushes the oldest out.
  assign pop   = (pop_i && !empty) || (evt_valid_i && full);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wptr_q <= '0;
      rptr_q <= '0;
    end else begin
      wptr_q <= wptr_q + (Aw+1)'(evt_valid_i);
      rptr_q <= rptr_q + (Aw+1)'(pop);
    end
  end

  always_ff @(posedge clk_i) begin
    if (evt_valid_i) mem_q[wptr_q[Aw-1:0]] <= evt_i;
  end

  assign count_o = 32'(used);
  assign head_o  = empty ? 32'd0 : mem_q[rptr_q[Aw-1:0]];

endmodule
