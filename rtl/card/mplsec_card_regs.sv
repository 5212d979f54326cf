// mplsec_card_regs: the card's register file (regmap/mplsec.yaml, every
// address from mplsec_regs_pkg). It answers the requests of the AXI4-Lite
// slave and behaves as the software register file the drivers are tested
// against (sim/src/card_registers.cpp); rtl/card/README.md lists where
// hardware must differ.
//
// Every block header reads TYPE, VERSION, NEXT. Reads of a write-only
// register give zero. An address no register of the map names, or a write
// to a read-only register, answers SLVERR (reads give zero). Writes to rw
// registers honour the byte strobes; writes to write-only registers act on
// the whole word.
//
// A request is answered once its effect is visible: CNT_SELECT after the
// counter is latched, PUNT_DATA with the word, table commands after the
// datapath's table port answered, inject writes once the previous
// injected frame has left.
`default_nettype none

module mplsec_card_regs
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::TblDataW;
  import mplsec_card_pkg::strobed;
#(
  parameter logic [31:0] Features = 32'd0,
  parameter logic [31:0] NumPorts = 32'd2,
  parameter logic [31:0] ClockKhz = 32'd322266,
  parameter logic [31:0] BuildId  = 32'd0,
  localparam int unsigned AddrW   = $clog2(ADDRESS_SPACE_BYTES)
) (
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Requests from the AXI4-Lite slave.
  input  wire logic                req_i,
  input  wire logic                req_write_i,
  input  wire logic [AddrW-1:0]    req_addr_i,
  input  wire logic [31:0]         req_wdata_i,
  input  wire logic [3:0]          req_wstrb_i,
  output      logic                ack_o,
  output      logic                ack_err_o,
  output      logic [31:0]         ack_rdata_o,
  // ctrl.
  output      logic                enable_o,
  input  wire logic                idle_i,
  // Tables.
  output      logic                tbl_we_o,
  output      logic                tbl_re_o,
  output      logic [7:0]          tbl_id_o,
  output      logic [23:0]         tbl_index_o,
  output      logic [TblDataW-1:0] tbl_wdata_o,
  input  wire logic [TblDataW-1:0] tbl_rdata_i,
  input  wire logic                tbl_err_i,
  input  wire logic                tbl_busy_i,
  // Punt policers.
  output      logic                pol_we_o,
  output      logic [1:0]          pol_idx_o,
  output      logic [31:0]         pol_rate_o,
  output      logic [31:0]         pol_burst_o,
  // Counters.
  output      logic                cnt_rd_o,
  output      logic [7:0]          cnt_bank_o,
  output      logic [23:0]         cnt_index_o,
  input  wire logic [63:0]         cnt_packets_i,
  input  wire logic [63:0]         cnt_bytes_i,
  // Punt queue.
  input  wire logic [31:0]         punt_count_i,
  input  wire logic [31:0]         punt_meta_i,
  output      logic                punt_word_rd_o,
  input  wire logic [31:0]         punt_word_i,
  output      logic                punt_pop_o,
  // Inject.
  input  wire logic                inj_busy_i,
  input  wire logic [31:0]         inj_meta_i,
  output      logic                inj_meta_we_o,
  output      logic                inj_data_we_o,
  output      logic                inj_push_o,
  output      logic [31:0]         inj_wdata_o,
  // Events.
  input  wire logic [31:0]         evt_count_i,
  input  wire logic [31:0]         evt_head_i,
  output      logic                evt_pop_o,
  // Table DMA engine; it owns the table port while busy.
  output      logic                dma_start_o,
  output      logic [31:0]         dma_table_o,
  output      logic [31:0]         dma_index_o,
  output      logic [31:0]         dma_count_o,
  output      logic [63:0]         dma_addr_o,
  input  wire logic                dma_busy_i,
  input  wire logic                dma_error_i
);

  localparam int unsigned NumPolicers = NUM_PUNT_REASONS;
  localparam int unsigned WinW        = $clog2(NUM_TABLE_WINDOWS);
  localparam logic [31:0] WinFirst    = TABLES_BASE + TABLES_WINDOW_OFFSET;
  localparam logic [31:0] WinEnd      = WinFirst + NUM_TABLE_WINDOWS * TABLES_WINDOW_STRIDE;
  // The counter port answers two cycles after cnt_rd, the punt word one.
  localparam logic [1:0]  CntLatency  = 2'd2;
  localparam logic [1:0]  PuntLatency = 2'd1;

  initial begin
    assert (TABLES_WINDOW_STRIDE == 64) else $fatal(1, "table window decode assumes a 64-byte stride");
  end

  typedef enum logic [2:0] {
    StIdle,
    StWait,    // counter or punt word on its way (wait_q cycles)
    StTableWait, // a window access waits for the DMA engine
    StTable,     // the table windows answer
    StInject   // an inject write waits for the injector
  } state_e;

  typedef enum logic {
    WaitCounter,
    WaitPunt
  } wait_e;

  state_e      state_q;
  wait_e       wait_op_q;
  logic [1:0]  wait_q;

  logic [31:0] addr;
  assign addr = 32'({req_addr_i[AddrW-1:2], 2'b00});

  // Every block starts with TYPE, VERSION, NEXT.
  function automatic logic header(logic [31:0] a, output logic [31:0] value);
    logic [31:0] bases [6], types [6], versions [6], nexts [6];
    bases    = '{IDENT_BASE, CTRL_BASE, COUNTERS_BASE, PUNT_BASE, EVENT_BASE, DMA_BASE};
    types    = '{IDENT_TYPE, CTRL_TYPE, COUNTERS_TYPE, PUNT_TYPE, EVENT_TYPE, DMA_TYPE};
    versions = '{IDENT_VERSION, CTRL_VERSION, COUNTERS_VERSION, PUNT_VERSION, EVENT_VERSION, DMA_VERSION};
    nexts    = '{IDENT_NEXT, CTRL_NEXT, COUNTERS_NEXT, PUNT_NEXT, EVENT_NEXT, DMA_NEXT};
    value = '0;
    for (int unsigned i = 0; i < 6; i++) begin
      if (a == bases[i] + BLOCK_TYPE_OFFSET)    value = types[i];
      if (a == bases[i] + BLOCK_VERSION_OFFSET) value = versions[i];
      if (a == bases[i] + BLOCK_NEXT_OFFSET)    value = nexts[i];
      if (a >= bases[i] && a < bases[i] + 12) return 1'b1;
    end
    if (a == TABLES_BASE + BLOCK_TYPE_OFFSET)    value = TABLES_TYPE;
    if (a == TABLES_BASE + BLOCK_VERSION_OFFSET) value = TABLES_VERSION;
    if (a == TABLES_BASE + BLOCK_NEXT_OFFSET)    value = TABLES_NEXT;
    return a >= TABLES_BASE && a < TABLES_BASE + 12;
  endfunction

  ///////////////////////////////////////////////////////////////////////
  // Registers                                                          //
  ///////////////////////////////////////////////////////////////////////

  logic [31:0] control_q, scratch_q, cycles_hi_q, cnt_select_q;
  logic [63:0] cycles_q, cnt_packets_q, cnt_bytes_q;
  logic [7:0]  pol_select_q;
  logic [31:0] pol_rate_q [NumPolicers];
  logic [31:0] pol_burst_q [NumPolicers];
  logic [31:0] dma_table_q, dma_index_q, dma_count_q, dma_addr_lo_q, dma_addr_hi_q;

  // The policer POLICER_SELECT names, if it names a punt reason.
  logic [7:0] pol_slot;
  logic       pol_valid;
  assign pol_slot  = pol_select_q - 8'(REASON_PUNT_CONTROL);
  assign pol_valid = 32'(pol_slot) < NumPolicers;

  // Table windows.
  logic            in_windows, win_req, win_ack, win_err, win_busy;
  logic [31:0]     win_rdata, win_rel;
  assign in_windows = addr >= WinFirst && addr < WinEnd;
  assign win_rel    = addr - WinFirst;
  assign win_req    = !dma_busy_i && ((req_i && state_q == StIdle && in_windows) || state_q == StTableWait);

  mplsec_table_windows u_windows (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .req_i       (win_req),
    .write_i     (req_write_i),
    .win_i       (WinW'(win_rel >> 6)),
    .offset_i    (win_rel[5:0]),
    .wdata_i     (req_wdata_i),
    .wstrb_i     (req_wstrb_i),
    .ack_o       (win_ack),
    .err_o       (win_err),
    .rdata_o     (win_rdata),
    .busy_o      (win_busy),
    .tbl_we_o    (tbl_we_o),
    .tbl_re_o    (tbl_re_o),
    .tbl_id_o    (tbl_id_o),
    .tbl_index_o (tbl_index_o),
    .tbl_wdata_o (tbl_wdata_o),
    .tbl_rdata_i (tbl_rdata_i),
    .tbl_err_i   (tbl_err_i),
    .tbl_busy_i  (tbl_busy_i)
  );

  // Reads without side effects, and whether the address is readable.
  logic [31:0] rvalue;
  logic        rmapped;
  always_comb begin
    rvalue  = '0;
    rmapped = 1'b1;
    if (!header(addr, rvalue)) begin
      unique case (addr)
        IDENT_REGMAP_VERSION_OFFSET: rvalue = REGMAP_VERSION;
        IDENT_FEATURES_OFFSET:       rvalue = Features;
        IDENT_NUM_PORTS_OFFSET:      rvalue = NumPorts;
        IDENT_CLOCK_KHZ_OFFSET:      rvalue = ClockKhz;
        IDENT_BUILD_ID_OFFSET:       rvalue = BuildId;
        CTRL_CONTROL_OFFSET:         rvalue = control_q;
        CTRL_STATUS_OFFSET: begin
          rvalue[CTRL_STATUS_IDLE_BIT]       = idle_i;
          rvalue[CTRL_STATUS_TABLE_BUSY_BIT] = win_busy || dma_busy_i;
        end
        CTRL_SCRATCH_OFFSET:         rvalue = scratch_q;
        CTRL_CYCLES_LO_OFFSET:       rvalue = cycles_q[31:0];
        CTRL_CYCLES_HI_OFFSET:       rvalue = cycles_hi_q;
        COUNTERS_CNT_SELECT_OFFSET:  rvalue = cnt_select_q;
        COUNTERS_CNT_PACKETS_LO_OFFSET: rvalue = cnt_packets_q[31:0];
        COUNTERS_CNT_PACKETS_HI_OFFSET: rvalue = cnt_packets_q[63:32];
        COUNTERS_CNT_BYTES_LO_OFFSET:   rvalue = cnt_bytes_q[31:0];
        COUNTERS_CNT_BYTES_HI_OFFSET:   rvalue = cnt_bytes_q[63:32];
        PUNT_PUNT_COUNT_OFFSET:      rvalue = punt_count_i;
        PUNT_PUNT_META_OFFSET:       rvalue = punt_meta_i;
        PUNT_INJECT_META_OFFSET:     rvalue = inj_meta_i;
        PUNT_PUNT_DATA_OFFSET:       rvalue = '0;  // the word comes from the punt queue
        PUNT_POLICER_SELECT_OFFSET:  rvalue = 32'(pol_select_q);
        PUNT_POLICER_RATE_OFFSET:    rvalue = pol_valid ? pol_rate_q[pol_slot[1:0]] : '0;
        PUNT_POLICER_BURST_OFFSET:   rvalue = pol_valid ? pol_burst_q[pol_slot[1:0]] : '0;
        EVENT_EVT_COUNT_OFFSET:      rvalue = evt_count_i;
        EVENT_EVT_HEAD_OFFSET:       rvalue = evt_head_i;
        DMA_DMA_TABLE_OFFSET:        rvalue = dma_table_q;
        DMA_DMA_INDEX_OFFSET:        rvalue = dma_index_q;
        DMA_DMA_COUNT_OFFSET:        rvalue = dma_count_q;
        DMA_DMA_ADDR_LO_OFFSET:      rvalue = dma_addr_lo_q;
        DMA_DMA_ADDR_HI_OFFSET:      rvalue = dma_addr_hi_q;
        DMA_DMA_STATUS_OFFSET: begin
          rvalue[DMA_DMA_STATUS_BUSY_BIT]  = dma_busy_i;
          rvalue[DMA_DMA_STATUS_ERROR_BIT] = dma_error_i;
        end
        // Write-only registers read as zero.
        PUNT_PUNT_POP_OFFSET, PUNT_INJECT_DATA_OFFSET, PUNT_INJECT_PUSH_OFFSET,
        EVENT_EVT_POP_OFFSET, DMA_DMA_START_OFFSET: rvalue = '0;
        default: rmapped = 1'b0;
      endcase
    end
  end

  // Writes: whether the address names a writable register.
  logic wmapped;
  always_comb begin
    unique case (addr)
      CTRL_CONTROL_OFFSET, CTRL_SCRATCH_OFFSET, COUNTERS_CNT_SELECT_OFFSET,
      PUNT_PUNT_POP_OFFSET, PUNT_INJECT_META_OFFSET, PUNT_INJECT_DATA_OFFSET,
      PUNT_INJECT_PUSH_OFFSET, PUNT_POLICER_SELECT_OFFSET, PUNT_POLICER_RATE_OFFSET,
      PUNT_POLICER_BURST_OFFSET, EVENT_EVT_POP_OFFSET, DMA_DMA_TABLE_OFFSET,
      DMA_DMA_INDEX_OFFSET, DMA_DMA_COUNT_OFFSET, DMA_DMA_ADDR_LO_OFFSET,
      DMA_DMA_ADDR_HI_OFFSET, DMA_DMA_START_OFFSET: wmapped = 1'b1;
      default: wmapped = 1'b0;
    endcase
  end

  logic is_inject;
  assign is_inject = req_write_i && (addr == PUNT_INJECT_META_OFFSET || addr == PUNT_INJECT_DATA_OFFSET
                                     || addr == PUNT_INJECT_PUSH_OFFSET);

  ///////////////////////////////////////////////////////////////////////
  // Request handling                                                   //
  ///////////////////////////////////////////////////////////////////////

  logic        own_ack_q, own_err_q;
  logic [31:0] own_rdata_q;
  logic        inject_now;

  // An inject write proceeds once the injector is idle.
  assign inject_now = !inj_busy_i && ((state_q == StIdle && req_i && is_inject) || state_q == StInject);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q       <= StIdle;
      wait_op_q     <= WaitCounter;
      wait_q        <= '0;
      own_ack_q     <= 1'b0;
      own_err_q     <= 1'b0;
      own_rdata_q   <= '0;
      control_q     <= CTRL_CONTROL_ENABLE_MASK;
      scratch_q     <= '0;
      cycles_q      <= '0;
      cycles_hi_q   <= '0;
      cnt_select_q  <= '0;
      cnt_packets_q <= '0;
      cnt_bytes_q   <= '0;
      pol_select_q  <= '0;
      for (int unsigned i = 0; i < NumPolicers; i++) begin
        pol_rate_q[i]  <= PUNT_POLICER_RATE_RESET;
        pol_burst_q[i] <= PUNT_POLICER_BURST_RESET;
      end
      dma_table_q   <= '0;
      dma_index_q   <= '0;
      dma_count_q   <= '0;
      dma_addr_lo_q <= '0;
      dma_addr_hi_q <= '0;
      dma_start_o   <= 1'b0;
      cnt_rd_o       <= 1'b0;
      punt_word_rd_o <= 1'b0;
      punt_pop_o     <= 1'b0;
      evt_pop_o      <= 1'b0;
      pol_we_o       <= 1'b0;
    end else begin
      cycles_q       <= cycles_q + 64'd1;
      own_ack_q      <= 1'b0;
      cnt_rd_o       <= 1'b0;
      punt_word_rd_o <= 1'b0;
      punt_pop_o     <= 1'b0;
      evt_pop_o      <= 1'b0;
      pol_we_o       <= 1'b0;
      dma_start_o    <= 1'b0;
      unique case (state_q)
        StIdle: if (req_i) begin
          own_err_q   <= 1'b0;
          own_rdata_q <= '0;
          if (in_windows) begin
            state_q <= dma_busy_i ? StTableWait : StTable;
          end else if (is_inject) begin
            state_q <= inject_now ? StIdle : StInject;
            own_ack_q <= inject_now;
          end else if (!req_write_i) begin
            own_rdata_q <= rvalue;
            own_err_q   <= !rmapped;
            own_ack_q   <= 1'b1;
            if (addr == CTRL_CYCLES_LO_OFFSET) cycles_hi_q <= cycles_q[63:32];
            if (addr == PUNT_PUNT_DATA_OFFSET) begin
              // PUNT_DATA: the next word of the head frame.
              own_ack_q      <= 1'b0;
              punt_word_rd_o <= 1'b1;
              wait_op_q      <= WaitPunt;
              wait_q         <= PuntLatency;
              state_q        <= StWait;
            end
          end else begin
            own_err_q <= !wmapped;
            own_ack_q <= 1'b1;
            unique case (addr)
              CTRL_CONTROL_OFFSET:
                // counter_clear is not kept: it reads as zero (see README).
                control_q <= strobed(control_q, req_wdata_i, req_wstrb_i) & CTRL_CONTROL_ENABLE_MASK;
              CTRL_SCRATCH_OFFSET: scratch_q <= strobed(scratch_q, req_wdata_i, req_wstrb_i);
              COUNTERS_CNT_SELECT_OFFSET: begin
                cnt_select_q <= strobed(cnt_select_q, req_wdata_i, req_wstrb_i);
                cnt_rd_o     <= 1'b1;
                own_ack_q    <= 1'b0;
                wait_op_q    <= WaitCounter;
                wait_q       <= CntLatency;
                state_q      <= StWait;
              end
              PUNT_PUNT_POP_OFFSET: punt_pop_o <= req_wdata_i[0];
              PUNT_POLICER_SELECT_OFFSET:
                pol_select_q <= 8'(strobed({24'd0, pol_select_q}, req_wdata_i, req_wstrb_i));
              PUNT_POLICER_RATE_OFFSET: if (pol_valid) begin
                pol_rate_q[pol_slot[1:0]] <= strobed(pol_rate_q[pol_slot[1:0]], req_wdata_i, req_wstrb_i);
                pol_we_o <= 1'b1;
              end
              PUNT_POLICER_BURST_OFFSET: if (pol_valid) begin
                pol_burst_q[pol_slot[1:0]] <= strobed(pol_burst_q[pol_slot[1:0]], req_wdata_i, req_wstrb_i);
                pol_we_o <= 1'b1;
              end
              EVENT_EVT_POP_OFFSET: evt_pop_o <= req_wdata_i[0];
              DMA_DMA_TABLE_OFFSET:   dma_table_q   <= strobed(dma_table_q, req_wdata_i, req_wstrb_i);
              DMA_DMA_INDEX_OFFSET:   dma_index_q   <= strobed(dma_index_q, req_wdata_i, req_wstrb_i);
              DMA_DMA_COUNT_OFFSET:   dma_count_q   <= strobed(dma_count_q, req_wdata_i, req_wstrb_i);
              DMA_DMA_ADDR_LO_OFFSET: dma_addr_lo_q <= strobed(dma_addr_lo_q, req_wdata_i, req_wstrb_i);
              DMA_DMA_ADDR_HI_OFFSET: dma_addr_hi_q <= strobed(dma_addr_hi_q, req_wdata_i, req_wstrb_i);
              // A start while a transfer runs is ignored.
              DMA_DMA_START_OFFSET: dma_start_o <= req_wdata_i[0] && !dma_busy_i;
              default: ;
            endcase
          end
        end
        StWait: begin
          if (wait_q != '0) begin
            wait_q <= wait_q - 1'b1;
          end else begin
            own_ack_q <= 1'b1;
            state_q   <= StIdle;
            if (wait_op_q == WaitPunt) begin
              own_rdata_q <= punt_word_i;
            end else begin
              cnt_packets_q <= cnt_packets_i;
              cnt_bytes_q   <= cnt_bytes_i;
            end
          end
        end
        StTableWait: if (!dma_busy_i) state_q <= StTable;
        StTable: if (win_ack) state_q <= StIdle;
        StInject: if (inject_now) begin
          own_ack_q <= 1'b1;
          state_q   <= StIdle;
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // The counter port and the policer port read their operands here.
  assign cnt_bank_o  = cnt_select_q[COUNTERS_CNT_SELECT_BANK_BIT +: COUNTERS_CNT_SELECT_BANK_WIDTH];
  assign cnt_index_o = cnt_select_q[COUNTERS_CNT_SELECT_INDEX_BIT +: COUNTERS_CNT_SELECT_INDEX_WIDTH];
  assign pol_idx_o   = pol_slot[1:0];
  assign pol_rate_o  = pol_rate_q[pol_slot[1:0]];
  assign pol_burst_o = pol_burst_q[pol_slot[1:0]];

  // Inject writes, in the cycle the injector is free.
  assign inj_meta_we_o = inject_now && addr == PUNT_INJECT_META_OFFSET;
  assign inj_data_we_o = inject_now && addr == PUNT_INJECT_DATA_OFFSET;
  assign inj_push_o    = inject_now && addr == PUNT_INJECT_PUSH_OFFSET;
  assign inj_wdata_o   = (addr == PUNT_INJECT_META_OFFSET)
                       ? strobed(inj_meta_i, req_wdata_i, req_wstrb_i) : req_wdata_i;

  assign dma_table_o = dma_table_q;
  assign dma_index_o = dma_index_q;
  assign dma_count_o = dma_count_q;
  assign dma_addr_o  = {dma_addr_hi_q, dma_addr_lo_q};

  assign enable_o    = control_q[CTRL_CONTROL_ENABLE_BIT];
  assign ack_o       = own_ack_q || win_ack;
  assign ack_err_o   = win_ack ? win_err : own_err_q;
  assign ack_rdata_o = win_ack ? win_rdata : own_rdata_q;

  logic unused;
  assign unused = ^{win_rel, req_addr_i[1:0]};  // registers are whole words

endmodule
