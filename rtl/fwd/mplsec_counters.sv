// mplsec_counters: the five counter banks (regmap counter_banks) with a
// read port for the host. port_rx, port_tx and reason are small and live
// in flops; nhlfe (64K) and route (128K) are RAMs updated read-modify-write
// over two cycles, with the previous write forwarded when the same entry
// is hit twice in a row. Each bank takes one event a cycle; the pipeline
// raises each kind of event from one stage only.
`default_nettype none

module mplsec_counters
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
#(
  parameter int unsigned NhlfeDepth = 65536,
  parameter int unsigned RouteDepth = 131072
) (
  input  wire logic              clk_i,
  input  wire logic              rst_ni,
  input  wire logic              rx_i,
  input  wire logic [1:0]        rx_port_i,
  input  wire logic [LenW-1:0]   rx_len_i,
  input  wire logic              tx_i,
  input  wire logic [1:0]        tx_port_i,
  input  wire logic [OutLenW-1:0] tx_len_i,
  input  wire logic              reason_i,
  input  wire logic [7:0]        reason_code_i,
  input  wire logic [LenW-1:0]   reason_len_i,
  input  wire logic              nhlfe_i,
  input  wire logic [$clog2(NhlfeDepth)-1:0] nhlfe_idx_i,
  input  wire logic [LenW-1:0]   nhlfe_len_i,
  input  wire logic              route_i,
  input  wire logic [$clog2(RouteDepth)-1:0] route_idx_i,
  input  wire logic [LenW-1:0]   route_len_i,
  // Host read: values two cycles after rd_i.
  input  wire logic              rd_i,
  input  wire logic [7:0]        rd_bank_i,
  input  wire logic [23:0]       rd_index_i,
  output      logic [63:0]       rd_packets_o,
  output      logic [63:0]       rd_bytes_o
);

  localparam int unsigned NumReasons = 32;  // codes 0..NUM_REASON_CODES-1 fit

  logic [127:0] rx_q     [4];
  logic [127:0] tx_q     [4];
  logic [127:0] reason_q [NumReasons];

  function automatic logic [127:0] bump(logic [127:0] c, logic [LenW-1:0] len);
    return {c[127:64] + 64'd1, c[63:0] + 64'(len)};
  endfunction

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < 4; i++) begin
        rx_q[i] <= '0;
        tx_q[i] <= '0;
      end
      for (int unsigned i = 0; i < NumReasons; i++) reason_q[i] <= '0;
    end else begin
      if (rx_i) rx_q[rx_port_i] <= bump(rx_q[rx_port_i], rx_len_i);
      if (tx_i) tx_q[tx_port_i] <= bump(tx_q[tx_port_i], LenW'(tx_len_i));
      if (reason_i && reason_code_i < 8'(NumReasons)) begin
        reason_q[reason_code_i[4:0]] <= bump(reason_q[reason_code_i[4:0]], reason_len_i);
      end
    end
  end

  // Large banks: two-cycle read-modify-write.
  logic [127:0] nh_rdata, rt_rdata, nh_hdata, rt_hdata;

  mplsec_counter_ram #(.Depth(NhlfeDepth)) u_nhlfe (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .inc_i      (nhlfe_i),
    .inc_idx_i  (nhlfe_idx_i),
    .inc_len_i  (nhlfe_len_i),
    .rd_i       (rd_i && rd_bank_i == 8'(COUNTER_BANK_NHLFE)),
    .rd_idx_i   ($clog2(NhlfeDepth)'(rd_index_i)),
    .rd_data_o  (nh_hdata)
  );

  mplsec_counter_ram #(.Depth(RouteDepth)) u_route (
    .clk_i      (clk_i),
    .rst_ni     (rst_ni),
    .inc_i      (route_i),
    .inc_idx_i  (route_idx_i),
    .inc_len_i  (route_len_i),
    .rd_i       (rd_i && rd_bank_i == 8'(COUNTER_BANK_ROUTE)),
    .rd_idx_i   ($clog2(RouteDepth)'(rd_index_i)),
    .rd_data_o  (rt_hdata)
  );
  assign nh_rdata = nh_hdata;
  assign rt_rdata = rt_hdata;

  // Host read pipeline: stage 1 selects the small banks and waits for the
  // RAM banks; stage 2 presents the value.
  logic [7:0]   bank_q;
  logic [127:0] small_q, out_q;
  logic         range_q;

  always_ff @(posedge clk_i) begin
    bank_q  <= rd_bank_i;
    small_q <= '0;
    range_q <= 1'b0;
    unique case (rd_bank_i)
      8'(COUNTER_BANK_PORT_RX): begin
        range_q <= (rd_index_i < 24'd4);
        small_q <= rx_q[rd_index_i[1:0]];
      end
      8'(COUNTER_BANK_PORT_TX): begin
        range_q <= (rd_index_i < 24'd4);
        small_q <= tx_q[rd_index_i[1:0]];
      end
      8'(COUNTER_BANK_REASON): begin
        range_q <= (rd_index_i < 24'(NumReasons));
        small_q <= reason_q[rd_index_i[4:0]];
      end
      8'(COUNTER_BANK_NHLFE):  range_q <= (rd_index_i < 24'(NhlfeDepth));
      8'(COUNTER_BANK_ROUTE):  range_q <= (rd_index_i < 24'(RouteDepth));
      default:       range_q <= 1'b0;
    endcase
    if (!range_q)                     out_q <= '0;
    else if (bank_q == 8'(COUNTER_BANK_NHLFE))  out_q <= nh_rdata;
    else if (bank_q == 8'(COUNTER_BANK_ROUTE))  out_q <= rt_rdata;
    else                              out_q <= small_q;
  end

  assign rd_packets_o = out_q[127:64];
  assign rd_bytes_o   = out_q[63:0];

endmodule
