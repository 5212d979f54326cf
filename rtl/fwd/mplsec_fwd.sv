// mplsec_fwd: the forwarding pipeline of one 100G port
// (docs/datapath.md). Store-and-forward at line rate:
//
//   s_axis -> ingress -> packet buffer (1024 beats) --------------+
//                 \-> descriptor -> header pipeline -> FIFO -> egress -> skid -> m_axis
//
// The ingress writes each beat into the buffer and, at tlast, passes the
// frame's first three beats and length to the header pipeline (parse,
// ILM/NHLFE, LPM, route, next hop, policer, rewrite; fixed latency, one
// frame a cycle). The egress sends the rewritten first two beats from the
// descriptor and realigns the rest from the buffer. One beat a cycle in and
// out, back to back, for every frame size, while m_axis is ready.
//
// Output: a single stream for the Ethernet ports and the host, tuser =
// {punt, 5'b0, port[1:0], reason[7:0]}: punt = 0: port = output port;
// punt = 1: the unmodified frame for the host, port = ingress port,
// reason = punt reason code.
//
// Control: tbl_* writes or reads one table entry (words as regs pack()
// lays them out), read data two cycles after tbl_re_i; pol_* sets one punt
// reason's policer; cnt_* reads a counter two cycles after cnt_rd_i;
// evt_* is the event queue (SA lifetimes, sequence exhaustion).
`default_nettype none

module mplsec_fwd
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                clk_i,
  input  wire logic                rst_ni,
  // Ingress.
  input  wire logic [DataW-1:0]    s_axis_tdata_i,
  input  wire logic [KeepW-1:0]    s_axis_tkeep_i,
  input  wire logic                s_axis_tlast_i,
  input  wire logic [1:0]          s_axis_tuser_i,
  input  wire logic                s_axis_tvalid_i,
  output      logic                s_axis_tready_o,
  // Egress (ports and punt).
  output      logic [DataW-1:0]    m_axis_tdata_o,
  output      logic [KeepW-1:0]    m_axis_tkeep_o,
  output      logic                m_axis_tlast_o,
  output      logic [OutUserW-1:0] m_axis_tuser_o,
  output      logic                m_axis_tvalid_o,
  input  wire logic                m_axis_tready_i,
  // Tables.
  input  wire logic                tbl_we_i,
  input  wire logic                tbl_re_i,
  input  wire logic [7:0]          tbl_id_i,
  input  wire logic [23:0]         tbl_index_i,
  input  wire logic [TblDataW-1:0] tbl_wdata_i,
  output      logic [TblDataW-1:0] tbl_rdata_o,
  output      logic                tbl_err_o,
  // Punt policer.
  input  wire logic                pol_we_i,
  input  wire logic [1:0]          pol_idx_i,     // punt reason code - 16
  input  wire logic [31:0]         pol_rate_i,
  input  wire logic [31:0]         pol_burst_i,
  // Counters.
  input  wire logic                cnt_rd_i,
  input  wire logic [7:0]          cnt_bank_i,
  input  wire logic [23:0]         cnt_index_i,
  output      logic [63:0]         cnt_packets_o,
  output      logic [63:0]         cnt_bytes_o,
  // Events for the host (EVT_HEAD words), first-word-fall-through.
  output      logic                evt_valid_o,
  output      logic [31:0]         evt_o,
  input  wire logic                evt_pop_i,
  // No frame inside, nothing left to send.
  output      logic                idle_o
);

  // Ingress and packet buffer.
  logic                 buf_we, buf_re;
  logic [BufAw-1:0]     buf_waddr, buf_raddr;
  logic [DataW-1:0]     buf_wdata, buf_rdata, buf_unused;
  logic                 rel_valid;
  logic [BufBeatsW-1:0] rel_beats;
  logic                 in_valid, in_idle;
  in_desc_t             in_desc;
  logic [InHdrBytes*8-1:0] in_hdr;

  mplsec_ingress u_ingress (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .s_axis_tdata_i  (s_axis_tdata_i),
    .s_axis_tkeep_i  (s_axis_tkeep_i),
    .s_axis_tlast_i  (s_axis_tlast_i),
    .s_axis_tuser_i  (s_axis_tuser_i),
    .s_axis_tvalid_i (s_axis_tvalid_i),
    .s_axis_tready_o (s_axis_tready_o),
    .buf_we_o        (buf_we),
    .buf_waddr_o     (buf_waddr),
    .buf_wdata_o     (buf_wdata),
    .rel_valid_i     (rel_valid),
    .rel_beats_i     (rel_beats),
    .desc_valid_o    (in_valid),
    .desc_o          (in_desc),
    .desc_hdr_o      (in_hdr),
    .idle_o          (in_idle)
  );

  mplsec_ram #(
    .Width (DataW),
    .Depth (1 << BufAw)
  ) u_buf (
    .clk_i     (clk_i),
    .a_we_i    (buf_we),
    .a_re_i    (1'b0),
    .a_addr_i  (buf_waddr),
    .a_wdata_i (buf_wdata),
    .a_rdata_o (buf_unused),
    .b_en_i    (buf_re),
    .b_addr_i  (buf_raddr),
    .b_rdata_o (buf_rdata)
  );

  // SA tables. Each table owner answers a read with zeros when the id is
  // not its own, so the read-back is the OR of the two.
  logic                sa_tbl, sa_tbl_err, hp_tbl_err;
  logic [TblDataW-1:0] sa_tbl_rdata;
  logic [255:0]        hp_tbl_rdata;
  sa_entry_t           sa_unused;
  sa_tunnel_entry_t    tunnel_unused;
  sa_lifetime_entry_t  lifetime_unused;
  logic [63:0]         seq_unused;
  logic                spi_hit_unused, sa_restart;
  logic [SaW-1:0]      spi_sa_unused, sa_restart_idx;

  mplsec_sa_tables u_sa_tables (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .tbl_we_i         (tbl_we_i),
    .tbl_re_i         (tbl_re_i),
    .tbl_id_i         (tbl_id_i),
    .tbl_index_i      (tbl_index_i),
    .tbl_wdata_i      (tbl_wdata_i),
    .tbl_rdata_o      (sa_tbl_rdata),
    .tbl_err_o        (sa_tbl_err),
    .tbl_mine_o       (sa_tbl),
    // The ESP stage is not in this pipeline yet: SA routes and ESP for
    // the card still drop as esp_no_sa in the header pipeline.
    .sa_rd_i          (1'b0),
    .sa_idx_i         ('0),
    .sa_o             (sa_unused),
    .tunnel_o         (tunnel_unused),
    .lifetime_o       (lifetime_unused),
    .seq_o            (seq_unused),
    .seq_take_i       (1'b0),
    .spi_rd_i         (1'b0),
    .spi_i            ('0),
    .spi_hit_o        (spi_hit_unused),
    .spi_sa_o         (spi_sa_unused),
    .sa_restart_o     (sa_restart),
    .sa_restart_idx_o (sa_restart_idx)
  );

  assign tbl_rdata_o = TblDataW'(hp_tbl_rdata) | sa_tbl_rdata;
  assign tbl_err_o   = hp_tbl_err || sa_tbl_err;

  // Header pipeline.
  logic       hp_valid;
  out_desc_t  hp_desc;
  logic       ev_rx, ev_tx, ev_reason, ev_nhlfe, ev_route;
  logic [1:0] ev_rx_port, ev_tx_port;
  logic [LenW-1:0] ev_rx_len, ev_reason_len, ev_nhlfe_len, ev_route_len;
  logic [OutLenW-1:0] ev_tx_len;
  logic [7:0]  ev_reason_code;
  logic [15:0] ev_nhlfe_idx;
  logic [16:0] ev_route_idx;

  mplsec_hdr_pipe u_hdr (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .valid_i          (in_valid),
    .desc_i           (in_desc),
    .hdr_i            (in_hdr),
    .valid_o          (hp_valid),
    .desc_o           (hp_desc),
    .tbl_we_i         (tbl_we_i && !sa_tbl),
    .tbl_re_i         (tbl_re_i && !sa_tbl),
    .tbl_id_i         (tbl_id_i),
    .tbl_index_i      (tbl_index_i),
    .tbl_wdata_i      (tbl_wdata_i[255:0]),
    .tbl_rdata_o      (hp_tbl_rdata),
    .tbl_err_o        (hp_tbl_err),
    .pol_we_i         (pol_we_i),
    .pol_idx_i        (pol_idx_i),
    .pol_rate_i       (pol_rate_i),
    .pol_burst_i      (pol_burst_i),
    .ev_rx_o          (ev_rx),
    .ev_rx_port_o     (ev_rx_port),
    .ev_rx_len_o      (ev_rx_len),
    .ev_tx_o          (ev_tx),
    .ev_tx_port_o     (ev_tx_port),
    .ev_tx_len_o      (ev_tx_len),
    .ev_reason_o      (ev_reason),
    .ev_reason_code_o (ev_reason_code),
    .ev_reason_len_o  (ev_reason_len),
    .ev_nhlfe_o       (ev_nhlfe),
    .ev_nhlfe_idx_o   (ev_nhlfe_idx),
    .ev_nhlfe_len_o   (ev_nhlfe_len),
    .ev_route_o       (ev_route),
    .ev_route_idx_o   (ev_route_idx),
    .ev_route_len_o   (ev_route_len)
  );

  logic [63:0] fwd_cnt_packets, fwd_cnt_bytes, sa_cnt_packets, sa_cnt_bytes;

  mplsec_counters u_counters (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .rx_i          (ev_rx),
    .rx_port_i     (ev_rx_port),
    .rx_len_i      (ev_rx_len),
    .tx_i          (ev_tx),
    .tx_port_i     (ev_tx_port),
    .tx_len_i      (ev_tx_len),
    .reason_i      (ev_reason),
    .reason_code_i (ev_reason_code),
    .reason_len_i  (ev_reason_len),
    .nhlfe_i       (ev_nhlfe),
    .nhlfe_idx_i   (ev_nhlfe_idx),
    .nhlfe_len_i   (ev_nhlfe_len),
    .route_i       (ev_route),
    .route_idx_i   (ev_route_idx),
    .route_len_i   (ev_route_len),
    .rd_i          (cnt_rd_i),
    .rd_bank_i     (cnt_bank_i),
    .rd_index_i    (cnt_index_i),
    .rd_packets_o  (fwd_cnt_packets),
    .rd_bytes_o    (fwd_cnt_bytes)
  );

  // Per-SA counters, lifetime flags and the event queue. Each counter
  // owner answers a read of another bank with zeros.
  logic        stopped_unused, exhausted_unused;
  logic [8:0]  evt_count_unused;

  mplsec_sa_account u_sa_account (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .restart_i     (sa_restart),
    .restart_sa_i  (sa_restart_idx),
    // No ESP stage in this pipeline yet: nothing to account.
    .acct_i        (1'b0),
    .acct_kind_i   (AcctSent),
    .acct_sa_i     ('0),
    .acct_len_i    ('0),
    .lifetime_i    ('0),
    .q_i           (1'b0),
    .q_sa_i        ('0),
    .q_stopped_o   (stopped_unused),
    .q_exhausted_o (exhausted_unused),
    .evt_valid_o   (evt_valid_o),
    .evt_o         (evt_o),
    .evt_pop_i     (evt_pop_i),
    .evt_count_o   (evt_count_unused),
    .rd_i          (cnt_rd_i),
    .rd_bank_i     (cnt_bank_i),
    .rd_index_i    (cnt_index_i),
    .rd_packets_o  (sa_cnt_packets),
    .rd_bytes_o    (sa_cnt_bytes)
  );

  assign cnt_packets_o = fwd_cnt_packets | sa_cnt_packets;
  assign cnt_bytes_o   = fwd_cnt_bytes | sa_cnt_bytes;

  // Decided frames wait here for the egress. The ingress admits at most
  // MaxInflight frames, so the FIFO cannot overflow.
  logic      q_valid, q_pop, q_full;
  out_desc_t q_desc;

  mplsec_fifo #(
    .T     (out_desc_t),
    .Depth (MaxInflight)
  ) u_desc_fifo (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (hp_valid),
    .wdata_i  (hp_desc),
    .full_o   (q_full),
    .rvalid_o (q_valid),
    .rdata_o  (q_desc),
    .rready_i (q_pop)
  );

  // The egress's stream goes out through a skid stage so that m_axis_tready
  // drives flops only.
  logic                eg_valid, eg_ready, eg_busy, eg_last;
  logic [DataW-1:0]    eg_data;
  logic [KeepW-1:0]    eg_keep;
  logic [OutUserW-1:0] eg_user;

  mplsec_egress u_egress (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .desc_valid_i    (q_valid),
    .desc_i          (q_desc),
    .desc_pop_o      (q_pop),
    .buf_re_o        (buf_re),
    .buf_raddr_o     (buf_raddr),
    .buf_rdata_i     (buf_rdata),
    .rel_valid_o     (rel_valid),
    .rel_beats_o     (rel_beats),
    .m_axis_tdata_o  (eg_data),
    .m_axis_tkeep_o  (eg_keep),
    .m_axis_tlast_o  (eg_last),
    .m_axis_tuser_o  (eg_user),
    .m_axis_tvalid_o (eg_valid),
    .m_axis_tready_i (eg_ready),
    .busy_o          (eg_busy)
  );

  mplsec_axis_skid #(
    .Width (DataW + KeepW + 1 + OutUserW)
  ) u_out_skid (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (eg_valid),
    .s_data_i  ({eg_data, eg_keep, eg_last, eg_user}),
    .s_ready_o (eg_ready),
    .m_valid_o (m_axis_tvalid_o),
    .m_data_o  ({m_axis_tdata_o, m_axis_tkeep_o, m_axis_tlast_o, m_axis_tuser_o}),
    .m_ready_i (m_axis_tready_i)
  );

  // The skid's output register is m_axis_tvalid; a beat waiting in the skid
  // keeps eg_ready low, which keeps eg_valid (busy) high.
  assign idle_o = in_idle && !eg_busy && !m_axis_tvalid_o;

  logic unused;
  assign unused = ^{buf_unused, q_full, sa_unused, tunnel_unused, lifetime_unused, seq_unused,
                   spi_hit_unused, spi_sa_unused, stopped_unused, exhausted_unused, evt_count_unused};

endmodule
