// mplsec_card: the card's RTL kernel (bitstreams/kernel.xml): the register
// file behind s_axi_control, one forwarding pipeline for both ports, the
// punt and inject queues, the event queue and the table DMA engine.
//
//   s_axis_rx0/1 -> arbiter (tuser = port) -> enable gate -> mplsec_fwd
//   mplsec_fwd -> punt = 1: punt queue (host reads PUNT_*)
//              -> punt = 0: by tuser port -> tx arbiter N -> m_axis_txN
//   INJECT_* -> injector -> tx arbiter of its port
//   DMA_* -> table DMA (reads m_axi_dma) -> mplsec_fwd table port
//
// Port names follow the Vitis convention <interface>_<signal> (and ap_clk,
// ap_rst_n) so that the IP packager infers the interfaces; inside, names
// follow the project's style.
`default_nettype none

module mplsec_card
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::TblDataW;
#(
  // ident block.
  parameter logic [31:0] Features = 32'((1 << FEATURE_MPLS_BIT) | (1 << FEATURE_VRF_IPV4_BIT)
                                        | (1 << FEATURE_VRF_IPV6_BIT) | (1 << FEATURE_TABLE_DMA_BIT)
                                        | (1 << FEATURE_ESP_GCM_BIT)),
  parameter logic [31:0] ClockKhz = 32'd322266,
  parameter logic [31:0] BuildId  = 32'd0,
  localparam int unsigned NumPorts = 2,
  localparam int unsigned AddrW    = $clog2(ADDRESS_SPACE_BYTES),
  localparam int unsigned DmaDataW = 512
) (
  input  wire logic                  ap_clk,
  input  wire logic                  ap_rst_n,
  // Register map (AXI4-Lite).
  input  wire logic [AddrW-1:0]      s_axi_control_awaddr,
  input  wire logic                  s_axi_control_awvalid,
  output      logic                  s_axi_control_awready,
  input  wire logic [31:0]           s_axi_control_wdata,
  input  wire logic [3:0]            s_axi_control_wstrb,
  input  wire logic                  s_axi_control_wvalid,
  output      logic                  s_axi_control_wready,
  output      logic [1:0]            s_axi_control_bresp,
  output      logic                  s_axi_control_bvalid,
  input  wire logic                  s_axi_control_bready,
  input  wire logic [AddrW-1:0]      s_axi_control_araddr,
  input  wire logic                  s_axi_control_arvalid,
  output      logic                  s_axi_control_arready,
  output      logic [31:0]           s_axi_control_rdata,
  output      logic [1:0]            s_axi_control_rresp,
  output      logic                  s_axi_control_rvalid,
  input  wire logic                  s_axi_control_rready,
  // Bulk table loads from device memory (AXI4 master, reads only).
  output      logic [63:0]           m_axi_dma_awaddr,
  output      logic [7:0]            m_axi_dma_awlen,
  output      logic                  m_axi_dma_awvalid,
  input  wire logic                  m_axi_dma_awready,
  output      logic [DmaDataW-1:0]   m_axi_dma_wdata,
  output      logic [DmaDataW/8-1:0] m_axi_dma_wstrb,
  output      logic                  m_axi_dma_wlast,
  output      logic                  m_axi_dma_wvalid,
  input  wire logic                  m_axi_dma_wready,
  input  wire logic [1:0]            m_axi_dma_bresp,
  input  wire logic                  m_axi_dma_bvalid,
  output      logic                  m_axi_dma_bready,
  output      logic [63:0]           m_axi_dma_araddr,
  output      logic [7:0]            m_axi_dma_arlen,
  output      logic                  m_axi_dma_arvalid,
  input  wire logic                  m_axi_dma_arready,
  input  wire logic [DmaDataW-1:0]   m_axi_dma_rdata,
  input  wire logic [1:0]            m_axi_dma_rresp,
  input  wire logic                  m_axi_dma_rlast,
  input  wire logic                  m_axi_dma_rvalid,
  output      logic                  m_axi_dma_rready,
  // Port 0.
  input  wire logic [DataW-1:0]      s_axis_rx0_tdata,
  input  wire logic [KeepW-1:0]      s_axis_rx0_tkeep,
  input  wire logic                  s_axis_rx0_tlast,
  input  wire logic                  s_axis_rx0_tvalid,
  output      logic                  s_axis_rx0_tready,
  output      logic [DataW-1:0]      m_axis_tx0_tdata,
  output      logic [KeepW-1:0]      m_axis_tx0_tkeep,
  output      logic                  m_axis_tx0_tlast,
  output      logic                  m_axis_tx0_tvalid,
  input  wire logic                  m_axis_tx0_tready,
  // Port 1.
  input  wire logic [DataW-1:0]      s_axis_rx1_tdata,
  input  wire logic [KeepW-1:0]      s_axis_rx1_tkeep,
  input  wire logic                  s_axis_rx1_tlast,
  input  wire logic                  s_axis_rx1_tvalid,
  output      logic                  s_axis_rx1_tready,
  output      logic [DataW-1:0]      m_axis_tx1_tdata,
  output      logic [KeepW-1:0]      m_axis_tx1_tkeep,
  output      logic                  m_axis_tx1_tlast,
  output      logic                  m_axis_tx1_tvalid,
  input  wire logic                  m_axis_tx1_tready
);

  logic clk, rst_n;
  assign clk   = ap_clk;
  assign rst_n = ap_rst_n;

  localparam int unsigned BeatW = DataW + KeepW;  // {tdata, tkeep}

  ///////////////////////////////////////////////////////////////////////
  // Register file                                                      //
  ///////////////////////////////////////////////////////////////////////

  logic             req, req_write, ack, ack_err;
  logic [AddrW-1:0] req_addr;
  logic [31:0]      req_wdata, ack_rdata;
  logic [3:0]       req_wstrb;

  mplsec_axil_slave #(
    .AddrW (AddrW)
  ) u_axil (
    .clk_i       (clk),
    .rst_ni      (rst_n),
    .awaddr_i    (s_axi_control_awaddr),
    .awvalid_i   (s_axi_control_awvalid),
    .awready_o   (s_axi_control_awready),
    .wdata_i     (s_axi_control_wdata),
    .wstrb_i     (s_axi_control_wstrb),
    .wvalid_i    (s_axi_control_wvalid),
    .wready_o    (s_axi_control_wready),
    .bresp_o     (s_axi_control_bresp),
    .bvalid_o    (s_axi_control_bvalid),
    .bready_i    (s_axi_control_bready),
    .araddr_i    (s_axi_control_araddr),
    .arvalid_i   (s_axi_control_arvalid),
    .arready_o   (s_axi_control_arready),
    .rdata_o     (s_axi_control_rdata),
    .rresp_o     (s_axi_control_rresp),
    .rvalid_o    (s_axi_control_rvalid),
    .rready_i    (s_axi_control_rready),
    .req_o       (req),
    .req_write_o (req_write),
    .req_addr_o  (req_addr),
    .req_wdata_o (req_wdata),
    .req_wstrb_o (req_wstrb),
    .ack_i       (ack),
    .ack_err_i   (ack_err),
    .ack_rdata_i (ack_rdata)
  );

  logic                enable, idle;
  logic                tbl_we, tbl_re, tbl_err, tbl_busy;
  logic [7:0]          tbl_id;
  logic [23:0]         tbl_index;
  logic [TblDataW-1:0] tbl_wdata, tbl_rdata;
  logic                reg_tbl_we, reg_tbl_re;
  logic [7:0]          reg_tbl_id;
  logic [23:0]         reg_tbl_index;
  logic [TblDataW-1:0] reg_tbl_wdata;
  logic                dma_start, dma_busy, dma_error;
  logic [31:0]         dma_table, dma_index, dma_count;
  logic [63:0]         dma_addr;
  logic                pol_we;
  logic [1:0]          pol_idx;
  logic [31:0]         pol_rate, pol_burst;
  logic                cnt_rd;
  logic [7:0]          cnt_bank;
  logic [23:0]         cnt_index;
  logic [63:0]         cnt_packets, cnt_bytes;
  logic [31:0]         punt_count, punt_word;
  logic                punt_head_valid, punt_word_rd, punt_pop;
  logic [13:0]         punt_length;
  logic [7:0]          punt_reason;
  logic [3:0]          punt_port;
  logic                inj_busy, inj_meta_we, inj_data_we, inj_push;
  logic [31:0]         inj_meta, inj_wdata;
  logic [31:0]         evt_count, evt_head;
  logic                evt_pop;

  mplsec_card_regs #(
    .Features (Features),
    .NumPorts (32'(NumPorts)),
    .ClockKhz (ClockKhz),
    .BuildId  (BuildId)
  ) u_regs (
    .clk_i          (clk),
    .rst_ni         (rst_n),
    .req_i          (req),
    .req_write_i    (req_write),
    .req_addr_i     (req_addr),
    .req_wdata_i    (req_wdata),
    .req_wstrb_i    (req_wstrb),
    .ack_o          (ack),
    .ack_err_o      (ack_err),
    .ack_rdata_o    (ack_rdata),
    .enable_o       (enable),
    .idle_i         (idle),
    .tbl_we_o       (reg_tbl_we),
    .tbl_re_o       (reg_tbl_re),
    .tbl_id_o       (reg_tbl_id),
    .tbl_index_o    (reg_tbl_index),
    .tbl_wdata_o    (reg_tbl_wdata),
    .tbl_rdata_i    (tbl_rdata),
    .tbl_err_i      (tbl_err),
    .tbl_busy_i     (tbl_busy),
    .pol_we_o       (pol_we),
    .pol_idx_o      (pol_idx),
    .pol_rate_o     (pol_rate),
    .pol_burst_o    (pol_burst),
    .cnt_rd_o       (cnt_rd),
    .cnt_bank_o     (cnt_bank),
    .cnt_index_o    (cnt_index),
    .cnt_packets_i  (cnt_packets),
    .cnt_bytes_i    (cnt_bytes),
    .punt_count_i   (punt_count),
    .punt_meta_i    ((32'(punt_length) << PUNT_PUNT_META_LENGTH_BIT)
                     | (32'(punt_reason) << PUNT_PUNT_META_REASON_BIT)
                     | (32'(punt_port) << PUNT_PUNT_META_PORT_BIT)),
    .punt_word_rd_o (punt_word_rd),
    .punt_word_i    (punt_word),
    .punt_pop_o     (punt_pop),
    .inj_busy_i     (inj_busy),
    .inj_meta_i     (inj_meta),
    .inj_meta_we_o  (inj_meta_we),
    .inj_data_we_o  (inj_data_we),
    .inj_push_o     (inj_push),
    .inj_wdata_o    (inj_wdata),
    .evt_count_i    (evt_count),
    .evt_head_i     (evt_head),
    .evt_pop_o      (evt_pop),
    .dma_start_o    (dma_start),
    .dma_table_o    (dma_table),
    .dma_index_o    (dma_index),
    .dma_count_o    (dma_count),
    .dma_addr_o     (dma_addr),
    .dma_busy_i     (dma_busy),
    .dma_error_i    (dma_error)
  );

  // Table DMA: reads entries from device memory and owns the table port
  // while it runs (the register file holds window commands meanwhile).
  logic                dma_tbl_we;
  logic [7:0]          dma_tbl_id;
  logic [23:0]         dma_tbl_index;
  logic [TblDataW-1:0] dma_tbl_wdata;

  mplsec_table_dma #(
    .BeatW (DmaDataW)
  ) u_dma (
    .clk_i       (clk),
    .rst_ni      (rst_n),
    .start_i     (dma_start),
    .table_i     (dma_table),
    .index_i     (dma_index),
    .count_i     (dma_count),
    .addr_i      (dma_addr),
    .busy_o      (dma_busy),
    .error_o     (dma_error),
    .araddr_o    (m_axi_dma_araddr),
    .arvalid_o   (m_axi_dma_arvalid),
    .arready_i   (m_axi_dma_arready),
    .rdata_i     (m_axi_dma_rdata),
    .rresp_i     (m_axi_dma_rresp),
    .rvalid_i    (m_axi_dma_rvalid),
    .rready_o    (m_axi_dma_rready),
    .tbl_we_o    (dma_tbl_we),
    .tbl_id_o    (dma_tbl_id),
    .tbl_index_o (dma_tbl_index),
    .tbl_wdata_o (dma_tbl_wdata),
    .tbl_err_i   (tbl_err),
    .tbl_busy_i  (tbl_busy)
  );

  assign tbl_we    = reg_tbl_we || dma_tbl_we;
  assign tbl_re    = reg_tbl_re;
  assign tbl_id    = dma_busy ? dma_tbl_id : reg_tbl_id;
  assign tbl_index = dma_busy ? dma_tbl_index : reg_tbl_index;
  assign tbl_wdata = dma_busy ? dma_tbl_wdata : reg_tbl_wdata;

  ///////////////////////////////////////////////////////////////////////
  // Ingress: both ports onto the one pipeline                          //
  ///////////////////////////////////////////////////////////////////////

  logic [NumPorts-1:0] rx_valid, rx_last, rx_ready;
  logic [BeatW-1:0]    rx_beat [NumPorts];
  logic                in_valid, in_last, in_ready;
  logic [BeatW-1:0]    in_beat;
  logic                in_src;

  assign rx_valid   = {s_axis_rx1_tvalid, s_axis_rx0_tvalid};
  assign rx_last    = {s_axis_rx1_tlast, s_axis_rx0_tlast};
  assign rx_beat[0] = {s_axis_rx0_tdata, s_axis_rx0_tkeep};
  assign rx_beat[1] = {s_axis_rx1_tdata, s_axis_rx1_tkeep};
  assign s_axis_rx0_tready = rx_ready[0];
  assign s_axis_rx1_tready = rx_ready[1];

  mplsec_axis_arb #(
    .N     (NumPorts),
    .Width (BeatW)
  ) u_rx_arb (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .s_valid_i (rx_valid),
    .s_data_i  (rx_beat),
    .s_last_i  (rx_last),
    .s_ready_o (rx_ready),
    .m_valid_o (in_valid),
    .m_data_o  (in_beat),
    .m_last_o  (in_last),
    .m_src_o   (in_src),
    .m_ready_i (in_ready)
  );

  logic             fwd_in_valid, fwd_in_last, fwd_in_ready;
  logic [BeatW:0]   fwd_in_beat;  // {tdata, tkeep, port}

  mplsec_ingress_gate #(
    .Width (BeatW + 1)
  ) u_gate (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .enable_i  (enable),
    .s_valid_i (in_valid),
    .s_data_i  ({in_beat, in_src}),
    .s_last_i  (in_last),
    .s_ready_o (in_ready),
    .m_valid_o (fwd_in_valid),
    .m_data_o  (fwd_in_beat),
    .m_last_o  (fwd_in_last),
    .m_ready_i (fwd_in_ready)
  );

  ///////////////////////////////////////////////////////////////////////
  // Datapath                                                           //
  ///////////////////////////////////////////////////////////////////////

  logic                out_valid, out_last, out_ready, fwd_idle, evt_valid;
  logic [DataW-1:0]    out_data;
  logic [KeepW-1:0]    out_keep;
  logic [OutUserW-1:0] out_user;
  logic [31:0]         evt;

  mplsec_fwd u_fwd (
    .clk_i           (clk),
    .rst_ni          (rst_n),
    .s_axis_tdata_i  (fwd_in_beat[BeatW:KeepW+1]),
    .s_axis_tkeep_i  (fwd_in_beat[KeepW:1]),
    .s_axis_tlast_i  (fwd_in_last),
    .s_axis_tuser_i  ({1'b0, fwd_in_beat[0]}),
    .s_axis_tvalid_i (fwd_in_valid),
    .s_axis_tready_o (fwd_in_ready),
    .m_axis_tdata_o  (out_data),
    .m_axis_tkeep_o  (out_keep),
    .m_axis_tlast_o  (out_last),
    .m_axis_tuser_o  (out_user),
    .m_axis_tvalid_o (out_valid),
    .m_axis_tready_i (out_ready),
    .tbl_we_i        (tbl_we),
    .tbl_re_i        (tbl_re),
    .tbl_id_i        (tbl_id),
    .tbl_index_i     (tbl_index),
    .tbl_wdata_i     (tbl_wdata),
    .tbl_rdata_o     (tbl_rdata),
    .tbl_err_o       (tbl_err),
    .tbl_busy_o      (tbl_busy),
    .pol_we_i        (pol_we),
    .pol_idx_i       (pol_idx),
    .pol_rate_i      (pol_rate),
    .pol_burst_i     (pol_burst),
    .cnt_rd_i        (cnt_rd),
    .cnt_bank_i      (cnt_bank),
    .cnt_index_i     (cnt_index),
    .cnt_packets_o   (cnt_packets),
    .cnt_bytes_o     (cnt_bytes),
    .evt_valid_o     (evt_valid),
    .evt_o           (evt),
    .evt_pop_i       (evt_valid),  // the event queue below takes every event
    .idle_o          (fwd_idle)
  );

  mplsec_event_queue u_events (
    .clk_i       (clk),
    .rst_ni      (rst_n),
    .evt_valid_i (evt_valid),
    .evt_i       (evt),
    .count_o     (evt_count),
    .head_o      (evt_head),
    .pop_i       (evt_pop)
  );

  ///////////////////////////////////////////////////////////////////////
  // Egress: punt queue, or the output port in tuser                    //
  ///////////////////////////////////////////////////////////////////////

  // tuser = {punt, 3'b0, port[3:0], reason[7:0]}.
  logic       out_punt;
  logic [3:0] out_port;
  assign out_punt = out_user[OutUserW-1];
  assign out_port = out_user[11:8];

  mplsec_punt_queue u_punt (
    .clk_i         (clk),
    .rst_ni        (rst_n),
    .s_valid_i     (out_valid && out_punt),
    .s_data_i      (out_data),
    .s_keep_i      (out_keep),
    .s_last_i      (out_last),
    .s_reason_i    (out_user[7:0]),
    .s_port_i      (out_port),
    .count_o       (punt_count),
    .head_valid_o  (punt_head_valid),
    .head_length_o (punt_length),
    .head_reason_o (punt_reason),
    .head_port_o   (punt_port),
    .word_rd_i     (punt_word_rd),
    .word_o        (punt_word),
    .pop_i         (punt_pop)
  );

  logic             inj_valid, inj_last;
  logic [DataW-1:0] inj_data;
  logic [KeepW-1:0] inj_keep;
  logic [1:0]       inj_port;
  logic             inj_ready;

  mplsec_inject #(
    .NumPorts (NumPorts)
  ) u_inject (
    .clk_i     (clk),
    .rst_ni    (rst_n),
    .meta_we_i (inj_meta_we),
    .data_we_i (inj_data_we),
    .push_i    (inj_push),
    .wdata_i   (inj_wdata),
    .meta_o    (inj_meta),
    .busy_o    (inj_busy),
    .m_valid_o (inj_valid),
    .m_data_o  (inj_data),
    .m_keep_o  (inj_keep),
    .m_last_o  (inj_last),
    .m_port_o  (inj_port),
    .m_ready_i (inj_ready)
  );

  // Per port: the datapath's frames and injected ones, a frame at a time.
  localparam int unsigned SrcFwd = 0, SrcInject = 1;

  logic [NumPorts-1:0] tx_valid, tx_last, tx_ready, fwd_ready, inj_port_ready;
  logic [DataW-1:0]    tx_data [NumPorts];
  logic [KeepW-1:0]    tx_keep [NumPorts];

  for (genvar p = 0; p < NumPorts; p++) begin : g_tx
    logic [1:0]       src_valid, src_last, src_ready;
    logic [BeatW-1:0] src_beat [2];
    logic             unused_src;  // the port is known here

    assign src_valid[SrcFwd]    = out_valid && !out_punt && out_port == 4'(p);
    assign src_valid[SrcInject] = inj_valid && inj_port == 2'(p);
    assign src_beat[SrcFwd]     = {out_data, out_keep};
    assign src_beat[SrcInject]  = {inj_data, inj_keep};
    assign src_last             = {inj_last, out_last};
    assign fwd_ready[p]         = src_ready[SrcFwd];
    assign inj_port_ready[p]    = src_ready[SrcInject];

    mplsec_axis_arb #(
      .N     (2),
      .Width (BeatW)
    ) u_tx_arb (
      .clk_i     (clk),
      .rst_ni    (rst_n),
      .s_valid_i (src_valid),
      .s_data_i  (src_beat),
      .s_last_i  (src_last),
      .s_ready_o (src_ready),
      .m_valid_o (tx_valid[p]),
      .m_data_o  ({tx_data[p], tx_keep[p]}),
      .m_last_o  (tx_last[p]),
      .m_src_o   (unused_src),
      .m_ready_i (tx_ready[p])
    );
  end

  // Punts never wait; a port the card does not have takes and drops.
  assign out_ready = out_punt || 32'(out_port) >= NumPorts || fwd_ready[out_port[0]];
  assign inj_ready = inj_port_ready[inj_port[0]];

  assign m_axis_tx0_tdata  = tx_data[0];
  assign m_axis_tx0_tkeep  = tx_keep[0];
  assign m_axis_tx0_tlast  = tx_last[0];
  assign m_axis_tx0_tvalid = tx_valid[0];
  assign m_axis_tx1_tdata  = tx_data[1];
  assign m_axis_tx1_tkeep  = tx_keep[1];
  assign m_axis_tx1_tlast  = tx_last[1];
  assign m_axis_tx1_tvalid = tx_valid[1];
  assign tx_ready          = {m_axis_tx1_tready, m_axis_tx0_tready};

  assign idle = fwd_idle && !inj_busy && tx_valid == '0 && !in_valid;

  ///////////////////////////////////////////////////////////////////////
  // DMA master: single-beat reads only                                 //
  ///////////////////////////////////////////////////////////////////////

  assign m_axi_dma_arlen   = '0;
  assign m_axi_dma_awaddr  = '0;
  assign m_axi_dma_awlen   = '0;
  assign m_axi_dma_awvalid = 1'b0;
  assign m_axi_dma_wdata   = '0;
  assign m_axi_dma_wstrb   = '0;
  assign m_axi_dma_wlast   = 1'b0;
  assign m_axi_dma_wvalid  = 1'b0;
  assign m_axi_dma_bready  = 1'b1;

  logic unused;
  assign unused = ^{m_axi_dma_awready, m_axi_dma_wready, m_axi_dma_bresp, m_axi_dma_bvalid,
                    m_axi_dma_rlast, punt_head_valid};

endmodule
