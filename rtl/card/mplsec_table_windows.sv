// mplsec_table_windows: the tables block's windows, one per table id
// (INDEX, CMD, STATUS, DATA0..), in front of the datapath's table port.
//
// Each window keeps its own INDEX, STATUS and DATA words. CMD = write
// sends the entry's words (the table's TBL_WORDS; the rest as zero) to
// INDEX; CMD = read copies the entry's words into DATA and leaves the
// other DATA words as they were. STATUS bit 0 says whether the last
// command failed: an index past 24 bits (nothing is written) or one the
// table does not have (the datapath's tbl_err). Any other CMD value only
// clears STATUS. A command answers once it is done, so the host's next
// access already sees its result.
`default_nettype none

module mplsec_table_windows
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::TblDataW;
  import mplsec_card_pkg::strobed;
#(
  localparam int unsigned NumWin = NUM_TABLE_WINDOWS,
  localparam int unsigned WinW   = $clog2(NumWin),
  localparam int unsigned Words  = TABLES_WIN_DATA_COUNT,
  // Words the table port carries: the widest entry's.
  localparam int unsigned PortWords = TblDataW / 32
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Register requests inside the windows (offset from the window's base).
  input  wire logic                req_i,
  input  wire logic                write_i,
  input  wire logic [WinW-1:0]     win_i,
  input  wire logic [5:0]          offset_i,
  input  wire logic [31:0]         wdata_i,
  input  wire logic [3:0]          wstrb_i,
  output      logic                ack_o,
  output      logic                err_o,
  output      logic [31:0]         rdata_o,
  output      logic                busy_o,
  // The datapath's table port.
  output      logic                tbl_we_o,
  output      logic                tbl_re_o,
  output      logic [7:0]          tbl_id_o,
  output      logic [23:0]         tbl_index_o,
  output      logic [TblDataW-1:0] tbl_wdata_o,
  input  wire logic [TblDataW-1:0] tbl_rdata_i,
  input  wire logic                tbl_err_i,
  // An sa write's key install runs: the command answers when it is done.
  input  wire logic                tbl_busy_i
);

  // The table port answers two cycles after the strobe.
  localparam int unsigned TblLatency = 2;

  logic [31:0] index_q  [NumWin];
  logic        status_q [NumWin];
  logic [31:0] data_q   [NumWin][Words];

  logic [1:0]      wait_q;
  logic            cmd_q, cmd_read_q;
  logic [WinW-1:0] cmd_win_q;

  logic is_index, is_cmd, is_status, is_data;
  logic [3:0] word;
  assign is_index  = offset_i == 6'(TABLES_WIN_INDEX_OFFSET);
  assign is_cmd    = offset_i == 6'(TABLES_WIN_CMD_OFFSET);
  assign is_status = offset_i == 6'(TABLES_WIN_STATUS_OFFSET);
  assign is_data   = offset_i >= 6'(TABLES_WIN_DATA0_OFFSET)
                  && {1'b0, offset_i} < 7'(TABLES_WIN_DATA0_OFFSET + 4 * Words);
  assign word      = 4'((offset_i - 6'(TABLES_WIN_DATA0_OFFSET)) >> 2);

  logic start_cmd;
  assign start_cmd = req_i && write_i && is_cmd
                  && (wdata_i == TABLES_WIN_CMD_WRITE || wdata_i == TABLES_WIN_CMD_READ)
                  && index_q[win_i][31:24] == '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < NumWin; i++) begin
        index_q[i]  <= '0;
        status_q[i] <= 1'b0;
        for (int unsigned w = 0; w < Words; w++) data_q[i][w] <= '0;
      end
      ack_o      <= 1'b0;
      err_o      <= 1'b0;
      rdata_o    <= '0;
      tbl_we_o   <= 1'b0;
      tbl_re_o   <= 1'b0;
      cmd_q      <= 1'b0;
      cmd_read_q <= 1'b0;
      cmd_win_q  <= '0;
      wait_q     <= '0;
    end else begin
      ack_o    <= 1'b0;
      tbl_we_o <= 1'b0;
      tbl_re_o <= 1'b0;
      if (cmd_q) begin
        if (wait_q != '0) begin
          wait_q <= wait_q - 1'b1;
        end else if (!tbl_busy_i) begin
          cmd_q               <= 1'b0;
          ack_o               <= 1'b1;
          status_q[cmd_win_q] <= tbl_err_i;
          if (cmd_read_q && !tbl_err_i) begin
            for (int unsigned w = 0; w < PortWords; w++) begin
              if (w < TBL_WORDS[cmd_win_q]) data_q[cmd_win_q][w] <= tbl_rdata_i[32*w +: 32];
            end
          end
        end
      end else if (req_i) begin
        err_o   <= 1'b0;
        rdata_o <= '0;
        if (start_cmd) begin
          cmd_q      <= 1'b1;
          cmd_read_q <= wdata_i == TABLES_WIN_CMD_READ;
          cmd_win_q  <= win_i;
          tbl_we_o   <= wdata_i == TABLES_WIN_CMD_WRITE;
          tbl_re_o   <= wdata_i == TABLES_WIN_CMD_READ;
          wait_q     <= 2'(TblLatency);
        end else begin
          ack_o <= 1'b1;
          if (write_i) begin
            if (is_index)     index_q[win_i] <= strobed(index_q[win_i], wdata_i, wstrb_i);
            else if (is_data) data_q[win_i][word] <= strobed(data_q[win_i][word], wdata_i, wstrb_i);
            // A command the window does not run, or one with an index past
            // 24 bits, fails only in the latter case.
            else if (is_cmd)  status_q[win_i] <= (wdata_i == TABLES_WIN_CMD_WRITE
                                                  || wdata_i == TABLES_WIN_CMD_READ);
            else              err_o <= 1'b1;
          end else begin
            if (is_index)       rdata_o <= index_q[win_i];
            else if (is_status) rdata_o <= 32'(status_q[win_i]);
            else if (is_data)   rdata_o <= data_q[win_i][word];
            else if (!is_cmd)   err_o <= 1'b1;
          end
        end
      end
    end
  end

  // The command's operands, steady while the command runs: the host's
  // next access waits for its answer.
  always_comb begin
    tbl_id_o    = 8'(cmd_win_q);
    tbl_index_o = index_q[cmd_win_q][23:0];
    tbl_wdata_o = '0;
    for (int unsigned w = 0; w < PortWords; w++) begin
      if (w < TBL_WORDS[cmd_win_q]) tbl_wdata_o[32*w +: 32] = data_q[cmd_win_q][w];
    end
  end

  assign busy_o = cmd_q;

endmodule
