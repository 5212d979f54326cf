// mplsec_table_dma: the dma block's transfer engine. It reads DMA_COUNT
// entries, packed at the table's stride (TBL_WORDS words) from DMA_ADDR in
// device memory, and writes them to the table from DMA_INDEX on through
// the datapath's table port.
//
// One 64-byte beat per read request (aligned; DMA_ADDR needs only 4-byte
// alignment), its words taken one a cycle into the entry being built;
// each finished entry is written and its answer awaited before the next
// word. error_o (DMA_STATUS.error) is set by a table id without a table, a
// misaligned address, a read answered with an error, or an entry the table
// refuses; the transfer stops there.
`default_nettype none

module mplsec_table_dma
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::TblDataW;
#(
  parameter int unsigned BeatW = 512  // m_axi data width
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Registers of the dma block.
  input  wire logic                start_i,
  input  wire logic [31:0]         table_i,
  input  wire logic [31:0]         index_i,
  input  wire logic [31:0]         count_i,
  input  wire logic [63:0]         addr_i,
  output      logic                busy_o,
  output      logic                error_o,
  // AXI4 read address and data channels.
  output      logic [63:0]         araddr_o,
  output      logic                arvalid_o,
  input  wire logic                arready_i,
  input  wire logic [BeatW-1:0]    rdata_i,
  input  wire logic [1:0]          rresp_i,
  input  wire logic                rvalid_i,
  output      logic                rready_o,
  // The datapath's table port (writes).
  output      logic                tbl_we_o,
  output      logic [7:0]          tbl_id_o,
  output      logic [23:0]         tbl_index_o,
  output      logic [TblDataW-1:0] tbl_wdata_o,
  input  wire logic                tbl_err_i,
  // An sa write's key install runs: the next entry waits for it.
  input  wire logic                tbl_busy_i
);

  localparam int unsigned BeatBytes = BeatW / 8;
  localparam int unsigned BeatWords = BeatW / 32;
  localparam int unsigned SelW      = $clog2(BeatWords);
  localparam int unsigned PortWords = TblDataW / 32;
  localparam int unsigned WinW      = $clog2(NUM_TABLE_WINDOWS);
  // The table port answers two cycles after the strobe.
  localparam logic [1:0]  TblLatency = 2'd2;

  typedef enum logic [2:0] {
    StIdle,
    StAddr,    // read request
    StData,    // waiting for the beat
    StUnpack,  // one word a cycle into the entry
    StWrite    // entry on the table port, waiting for its answer
  } state_e;

  state_e               state_q;
  logic [WinW-1:0]      table_q;
  logic [3:0]           words_q;     // words an entry has
  logic [3:0]           fill_q;      // words of the entry so far
  logic [31:0]          remaining_q; // entries still to write
  logic [31:0]          index_q;     // index of the entry being built
  logic [63:0]          beat_addr_q;
  logic [SelW-1:0]      sel_q;       // next word of the beat
  logic                 beat_done_q; // the beat's last word is taken
  logic [BeatW-1:0]     beat_q;
  logic [31:0]          entry_q [PortWords];
  logic [1:0]           wait_q;
  logic                 error_q;

  logic start_ok;
  assign start_ok = table_i < NUM_TABLE_WINDOWS && TBL_WORDS[WinW'(table_i)] != 0 && addr_i[1:0] == 2'b00;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      table_q     <= '0;
      words_q     <= '0;
      fill_q      <= '0;
      remaining_q <= '0;
      index_q     <= '0;
      beat_addr_q <= '0;
      sel_q       <= '0;
      beat_done_q <= 1'b0;
      wait_q      <= '0;
      error_q     <= 1'b0;
      tbl_we_o    <= 1'b0;
    end else begin
      tbl_we_o <= 1'b0;
      unique case (state_q)
        StIdle: if (start_i) begin
          error_q     <= !start_ok;
          table_q     <= WinW'(table_i);
          words_q     <= 4'(TBL_WORDS[WinW'(table_i)]);
          fill_q      <= '0;
          remaining_q <= count_i;
          index_q     <= index_i;
          beat_addr_q <= {addr_i[63:$clog2(BeatBytes)], {$clog2(BeatBytes){1'b0}}};
          sel_q       <= addr_i[$clog2(BeatBytes)-1:2];
          if (start_ok && count_i != '0) state_q <= StAddr;
        end
        StAddr: if (arready_i) state_q <= StData;
        StData: if (rvalid_i) begin
          if (rresp_i[1]) begin
            error_q <= 1'b1;
            state_q <= StIdle;
          end else begin
            state_q     <= StUnpack;
            beat_done_q <= 1'b0;
          end
        end
        StUnpack: begin
          fill_q      <= fill_q + 1'b1;
          sel_q       <= sel_q + 1'b1;
          beat_done_q <= sel_q == SelW'(BeatWords - 1);
          if (sel_q == SelW'(BeatWords - 1)) beat_addr_q <= beat_addr_q + 64'(BeatBytes);
          if (fill_q + 1'b1 == words_q) begin
            if (index_q[31:24] != '0) begin
              error_q <= 1'b1;
              state_q <= StIdle;
            end else begin
              tbl_we_o <= 1'b1;
              wait_q   <= TblLatency;
              state_q  <= StWrite;
            end
          end else if (sel_q == SelW'(BeatWords - 1)) begin
            state_q <= StAddr;
          end
        end
        StWrite: begin
          if (wait_q != '0) begin
            wait_q <= wait_q - 1'b1;
          end else if (tbl_busy_i) begin
            // the key install of the entry just written
          end else if (tbl_err_i) begin
            error_q <= 1'b1;
            state_q <= StIdle;
          end else begin
            fill_q      <= '0;
            index_q     <= index_q + 1'b1;
            remaining_q <= remaining_q - 1'b1;
            if (remaining_q == 32'd1) state_q <= StIdle;
            else if (beat_done_q)     state_q <= StAddr;
            else                      state_q <= StUnpack;
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (state_q == StData && rvalid_i) beat_q <= rdata_i;
    if (state_q == StUnpack) entry_q[fill_q] <= beat_q[32*sel_q +: 32];
  end

  always_comb begin
    tbl_wdata_o = '0;
    for (int unsigned w = 0; w < PortWords; w++) begin
      if (w < 32'(words_q)) tbl_wdata_o[32*w +: 32] = entry_q[w];
    end
  end

  assign tbl_id_o    = 8'(table_q);
  assign tbl_index_o = index_q[23:0];
  assign araddr_o    = beat_addr_q;
  assign arvalid_o   = state_q == StAddr;
  assign rready_o    = state_q == StData;
  assign busy_o      = state_q != StIdle;
  assign error_o     = error_q;

  // SLVERR and DECERR have bit 1 set; EXOKAY does not answer a plain read.
  logic unused;
  assign unused = rresp_i[0];

endmodule
