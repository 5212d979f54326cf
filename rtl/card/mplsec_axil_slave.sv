// mplsec_axil_slave: an AXI4-Lite slave with one transaction outstanding,
// turned into single register requests. A write is issued once both its
// address and its data have arrived (in either order). A read is accepted
// only while no part of a write is held; when a read and a write arrive
// in the same cycle both are accepted and the read is served first (AXI
// leaves the order of the two channels open).
//
// The register side sees req_o for one cycle and answers with ack_i
// (with ack_err_i and, for reads, ack_rdata_i) in that cycle or any later
// one; the slave then holds BVALID or RVALID until the master takes the
// response. SLVERR carries ack_err_i, OKAY otherwise.
`default_nettype none

module mplsec_axil_slave #(
  parameter int unsigned AddrW = 16  // byte address bits of the register window
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // AXI4-Lite.
  input  wire logic [AddrW-1:0] awaddr_i,
  input  wire logic             awvalid_i,
  output      logic             awready_o,
  input  wire logic [31:0]      wdata_i,
  input  wire logic [3:0]       wstrb_i,
  input  wire logic             wvalid_i,
  output      logic             wready_o,
  output      logic [1:0]       bresp_o,
  output      logic             bvalid_o,
  input  wire logic             bready_i,
  input  wire logic [AddrW-1:0] araddr_i,
  input  wire logic             arvalid_i,
  output      logic             arready_o,
  output      logic [31:0]      rdata_o,
  output      logic [1:0]       rresp_o,
  output      logic             rvalid_o,
  input  wire logic             rready_i,
  // Register requests.
  output      logic             req_o,
  output      logic             req_write_o,
  output      logic [AddrW-1:0] req_addr_o,
  output      logic [31:0]      req_wdata_o,
  output      logic [3:0]       req_wstrb_o,
  input  wire logic             ack_i,
  input  wire logic             ack_err_i,
  input  wire logic [31:0]      ack_rdata_i
);

  localparam logic [1:0] RespOkay   = 2'b00;
  localparam logic [1:0] RespSlverr = 2'b10;

  typedef enum logic [1:0] {
    StIdle,      // taking AW, W or AR
    StRequest,   // request issued, waiting for ack_i
    StWriteResp, // BVALID
    StReadResp   // RVALID
  } state_e;

  state_e state_q, state_d;
  logic   aw_q, aw_d, w_q, w_d;
  logic   req_q, req_d, write_q, write_d;
  logic [AddrW-1:0] awaddr_q, awaddr_d, addr_q, addr_d;
  logic [31:0]      wdata_q, wdata_d, rdata_q, rdata_d;
  logic [3:0]       wstrb_q, wstrb_d;
  logic             err_q, err_d;

  // Ready signals depend on flops only.
  assign awready_o = (state_q == StIdle) && !aw_q;
  assign wready_o  = (state_q == StIdle) && !w_q;
  assign arready_o = (state_q == StIdle) && !aw_q && !w_q;

  always_comb begin
    state_d = state_q;
    aw_d    = aw_q;
    w_d     = w_q;
    req_d   = 1'b0;
    write_d = write_q;
    awaddr_d = awaddr_q;
    addr_d  = addr_q;
    wdata_d = wdata_q;
    wstrb_d = wstrb_q;
    rdata_d = rdata_q;
    err_d   = err_q;
    unique case (state_q)
      StIdle: begin
        if (awvalid_i && awready_o) begin
          aw_d     = 1'b1;
          awaddr_d = awaddr_i;
        end
        if (wvalid_i && wready_o) begin
          w_d     = 1'b1;
          wdata_d = wdata_i;
          wstrb_d = wstrb_i;
        end
        if (arvalid_i && arready_o) begin
          addr_d  = araddr_i;
          write_d = 1'b0;
          req_d   = 1'b1;
          state_d = StRequest;
        end else if (aw_d && w_d) begin
          aw_d    = 1'b0;
          w_d     = 1'b0;
          addr_d  = awaddr_d;
          write_d = 1'b1;
          req_d   = 1'b1;
          state_d = StRequest;
        end
      end
      StRequest: begin
        if (ack_i) begin
          err_d   = ack_err_i;
          rdata_d = write_q ? 32'd0 : ack_rdata_i;
          state_d = write_q ? StWriteResp : StReadResp;
        end
      end
      StWriteResp: if (bready_i) state_d = StIdle;
      StReadResp:  if (rready_i) state_d = StIdle;
      default:     state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      aw_q    <= 1'b0;
      w_q     <= 1'b0;
      req_q   <= 1'b0;
      write_q <= 1'b0;
      err_q   <= 1'b0;
    end else begin
      state_q <= state_d;
      aw_q    <= aw_d;
      w_q     <= w_d;
      req_q   <= req_d;
      write_q <= write_d;
      err_q   <= err_d;
    end
  end

  always_ff @(posedge clk_i) begin
    awaddr_q <= awaddr_d;
    addr_q  <= addr_d;
    wdata_q <= wdata_d;
    wstrb_q <= wstrb_d;
    rdata_q <= rdata_d;
  end

  assign req_o       = req_q;
  assign req_write_o = write_q;
  assign req_addr_o  = addr_q;
  assign req_wdata_o = wdata_q;
  assign req_wstrb_o = wstrb_q;

  assign bvalid_o = (state_q == StWriteResp);
  assign rvalid_o = (state_q == StReadResp);
  assign bresp_o  = err_q ? RespSlverr : RespOkay;
  assign rresp_o  = err_q ? RespSlverr : RespOkay;
  assign rdata_o  = rdata_q;

endmodule
