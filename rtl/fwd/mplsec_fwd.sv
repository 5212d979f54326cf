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
// ESP (docs/datapath.md step 4, rtl/esp/DATAPATH.md): the header pipeline
// decides outbound and inbound ESP frames like any other; the egress hands
// an outbound frame to the encrypt unit (mplsec_esp_crypt), which sends it
// on its own stream, and an inbound one to the inbound stage
// (mplsec_esp_inbound), whose verdict or decrypted inner packet comes back
// into the header pipeline as a second pass. The streams are merged in
// frame order, and a frame's buffer beats are released when it has left.
//
// Control: tbl_* writes or reads one table entry (words as regs pack()
// lays them out), read data two cycles after tbl_re_i; tbl_busy_o: an sa
// write's key install runs, no other sa write until it falls; pol_* sets one punt
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
  output      logic                tbl_busy_o,
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

  // Three copies of the packet buffer, one a reader: the egress, the
  // encrypt unit and the decrypt unit read frames at the same time.
  localparam int unsigned BufReaders = 3;
  logic [BufReaders-1:0]            rd_en;
  logic [BufReaders-1:0][BufAw-1:0] rd_addr;
  logic [BufReaders-1:0][DataW-1:0] rd_data, rd_unused;

  for (genvar r = 0; r < BufReaders; r++) begin : g_buf
    mplsec_ram #(
      .Width (DataW),
      .Depth (1 << BufAw)
    ) u_buf (
      .clk_i     (clk_i),
      .a_we_i    (buf_we),
      .a_re_i    (1'b0),
      .a_addr_i  (buf_waddr),
      .a_wdata_i (buf_wdata),
      .a_rdata_o (rd_unused[r]),
      .b_en_i    (rd_en[r]),
      .b_addr_i  (rd_addr[r]),
      .b_rdata_o (rd_data[r])
    );
  end
  assign buf_unused = rd_unused[0] ^ rd_unused[1] ^ rd_unused[2];
  assign rd_en[0]   = buf_re;
  assign rd_addr[0] = buf_raddr;
  assign buf_rdata  = rd_data[0];

  // SA tables. Each table owner answers a read with zeros when the id is
  // not its own, so the read-back is the OR of the two.
  logic                sa_tbl, sa_tbl_err, hp_tbl_err;
  logic [TblDataW-1:0] sa_tbl_rdata;
  logic [255:0]        hp_tbl_rdata;
  logic                sa_rd, seq_take, spi_rd, spi_hit, rx_rd, sa_restart;
  logic [SaW-1:0]      sa_idx, spi_sa, rx_idx, sa_restart_idx;
  sa_entry_t           sa_entry, rx_sa;
  sa_lifetime_entry_t  rx_lifetime;
  logic [127:0]        rx_q_sent;
  sa_tunnel_entry_t    sa_tunnel;
  sa_lifetime_entry_t  sa_lifetime;
  logic [63:0]         sa_seq;
  logic [31:0]         spi;

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
    .sa_rd_i          (sa_rd),
    .sa_idx_i         (sa_idx),
    .sa_o             (sa_entry),
    .tunnel_o         (sa_tunnel),
    .lifetime_o       (sa_lifetime),
    .seq_o            (sa_seq),
    .seq_take_i       (seq_take),
    .rx_rd_i          (rx_rd),
    .rx_idx_i         (rx_idx),
    .rx_sa_o          (rx_sa),
    .rx_lifetime_o    (rx_lifetime),
    .spi_rd_i         (spi_rd),
    .spi_i            (spi),
    .spi_hit_o        (spi_hit),
    .spi_sa_o         (spi_sa),
    .sa_restart_o     (sa_restart),
    .sa_restart_idx_o (sa_restart_idx)
  );

  assign tbl_rdata_o = TblDataW'(hp_tbl_rdata) | sa_tbl_rdata;
  assign tbl_err_o   = hp_tbl_err || sa_tbl_err;

  // Header pipeline. Its input takes a frame from the ingress, or in a
  // cycle without one, the second pass of an inbound ESP frame.
  logic       p2_in_valid, p2_in_take, hp_in_valid;
  in_desc_t   p2_in_desc, in_desc_first, hp_in_desc;
  logic [InHdrBytes*8-1:0] p2_in_hdr;

  always_comb begin
    in_desc_first            = in_desc;
    in_desc_first.p2         = 1'b0;
    in_desc_first.p2_drop    = 1'b0;
    in_desc_first.p2_reason  = '0;
    in_desc_first.p2_acct    = '0;
    in_desc_first.p2_acct_en = 1'b0;
    in_desc_first.p2_sa      = '0;
    in_desc_first.p2_vrf     = '0;
    in_desc_first.cnt_len    = in_desc.len;
    p2_in_take  = p2_in_valid && !in_valid;
    hp_in_valid = in_valid || p2_in_take;
    hp_in_desc  = in_valid ? in_desc_first : p2_in_desc;
  end

  logic       hp_valid;
  out_desc_t  hp_desc;
  logic       ev_rx, ev_tx, ev_reason, ev_nhlfe, ev_route;
  logic [1:0] ev_rx_port, ev_tx_port;
  logic [LenW-1:0] ev_rx_len, ev_reason_len, ev_nhlfe_len, ev_route_len;
  logic [OutLenW-1:0] ev_tx_len;
  logic [7:0]  ev_reason_code;
  logic [15:0] ev_nhlfe_idx;
  logic [16:0] ev_route_idx;
  logic        q, q_stopped, acct, rx_q, rx_q_stopped, p2_at_g;
  logic [SaW-1:0] q_sa, acct_sa, rx_q_sa;
  sa_acct_e    acct_kind;
  logic [LenW-1:0] acct_len;
  sa_lifetime_entry_t acct_life;

  mplsec_hdr_pipe u_hdr (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .valid_i          (hp_in_valid),
    .desc_i           (hp_in_desc),
    .hdr_i            (in_valid ? in_hdr : p2_in_hdr),
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
    .ev_route_len_o   (ev_route_len),
    .sa_rd_o          (sa_rd),
    .sa_idx_o         (sa_idx),
    .sa_i             (sa_entry),
    .tunnel_i         (sa_tunnel),
    .lifetime_i       (sa_lifetime),
    .seq_i            (sa_seq),
    .seq_take_o       (seq_take),
    .q_o              (q),
    .q_sa_o           (q_sa),
    .q_stopped_i      (q_stopped),
    .acct_o           (acct),
    .acct_kind_o      (acct_kind),
    .acct_sa_o        (acct_sa),
    .acct_len_o       (acct_len),
    .acct_life_o      (acct_life),
    .p2_at_g_o        (p2_at_g)
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
  logic        exhausted_unused;
  logic [8:0]  evt_count_unused;

  mplsec_sa_account u_sa_account (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .restart_i      (sa_restart),
    .restart_sa_i   (sa_restart_idx),
    .acct_i         (acct),
    .acct_kind_i    (acct_kind),
    .acct_sa_i      (acct_sa),
    .acct_len_i     (acct_len),
    .lifetime_i     (acct_life),
    .q_i            (q),
    .q_sa_i         (q_sa),
    .q_stopped_o    (q_stopped),
    .q_exhausted_o  (exhausted_unused),
    .rx_q_i         (rx_q),
    .rx_q_sa_i      (rx_q_sa),
    .rx_q_stopped_o (rx_q_stopped),
    .rx_q_sent_o    (rx_q_sent),
    .evt_valid_o    (evt_valid_o),
    .evt_o          (evt_o),
    .evt_pop_i      (evt_pop_i),
    .evt_count_o    (evt_count_unused),
    .rd_i           (cnt_rd_i),
    .rd_bank_i      (cnt_bank_i),
    .rd_index_i     (cnt_index_i),
    .rd_packets_o   (sa_cnt_packets),
    .rd_bytes_o     (sa_cnt_bytes)
  );

  assign cnt_packets_o = fwd_cnt_packets | sa_cnt_packets;
  assign cnt_bytes_o   = fwd_cnt_bytes | sa_cnt_bytes;

  // Decided frames wait here for the egress. The ingress admits at most
  // MaxInflight frames, so the FIFO cannot overflow; second passes have a
  // FIFO of their own (the inbound stage has at most P2Slots out).
  logic      q_valid, q_pop, q_full, p2q_valid, p2q_pop, p2q_full;
  out_desc_t q_desc, p2q_desc;

  mplsec_fifo #(
    .T     (out_desc_t),
    .Depth (MaxInflight)
  ) u_desc_fifo (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (hp_valid && !hp_desc.p2),
    .wdata_i  (hp_desc),
    .full_o   (q_full),
    .rvalid_o (q_valid),
    .rdata_o  (q_desc),
    .rready_i (q_pop)
  );

  mplsec_fifo #(
    .T     (out_desc_t),
    .Depth (P2Slots)
  ) u_p2_fifo (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (hp_valid && hp_desc.p2),
    .wdata_i  (hp_desc),
    .full_o   (p2q_full),
    .rvalid_o (p2q_valid),
    .rdata_o  (p2q_desc),
    .rready_i (p2q_pop)
  );

  // The plaintext of inbound frames in their second pass, a slot each.
  logic             p2_we, p2_re;
  logic [P2Aw-1:0]  p2_waddr, p2_raddr;
  logic [DataW-1:0] p2_wdata, p2_rdata, p2_unused;

  mplsec_ram #(
    .Width (DataW),
    .Depth (1 << P2Aw)
  ) u_p2_ram (
    .clk_i     (clk_i),
    .a_we_i    (p2_we),
    .a_re_i    (1'b0),
    .a_addr_i  (p2_waddr),
    .a_wdata_i (p2_wdata),
    .a_rdata_o (p2_unused),
    .b_en_i    (p2_re),
    .b_addr_i  (p2_raddr),
    .b_rdata_o (p2_rdata)
  );

  // The egress.
  logic                eg_valid, eg_ready, eg_busy, eg_last;
  logic [DataW-1:0]    eg_data;
  logic [KeepW-1:0]    eg_keep;
  logic [OutUserW-1:0] eg_user;
  logic                ord_push;
  ord_kind_e           ord_kind;
  logic [BufBeatsW-1:0] ord_beats;
  logic                enc_valid, enc_pop, in_job_valid, in_job_take;
  esp_enc_job_t        enc_job;
  out_desc_t           in_job;

  mplsec_egress u_egress (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .desc_valid_i    (q_valid),
    .desc_i          (q_desc),
    .desc_pop_o      (q_pop),
    .buf_re_o        (buf_re),
    .buf_raddr_o     (buf_raddr),
    .buf_rdata_i     (buf_rdata),
    .ord_push_o      (ord_push),
    .ord_kind_o      (ord_kind),
    .ord_beats_o     (ord_beats),
    .enc_valid_o     (enc_valid),
    .enc_job_o       (enc_job),
    .enc_pop_i       (enc_pop),
    .enc_hold_i      (in_open != '0),
    .in_valid_o      (in_job_valid),
    .in_job_o        (in_job),
    .in_take_i       (in_job_take),
    .m_axis_tdata_o  (eg_data),
    .m_axis_tkeep_o  (eg_keep),
    .m_axis_tlast_o  (eg_last),
    .m_axis_tuser_o  (eg_user),
    .m_axis_tvalid_o (eg_valid),
    .m_axis_tready_i (eg_ready),
    .busy_o          (eg_busy)
  );

  // Second passes leave through a walker of their own, reading the
  // plaintext RAM; its order entries say which were sent.
  logic                p2_valid, p2_ready, p2_busy, p2_last, p2_ord_push;
  logic [DataW-1:0]    p2_data;
  logic [KeepW-1:0]    p2_keep;
  logic [OutUserW-1:0] p2_user;
  ord_kind_e           p2_ord_kind;
  logic [BufBeatsW-1:0] p2_ord_beats_unused;
  logic                p2_enc_valid_unused, p2_in_valid_unused;
  esp_enc_job_t        p2_enc_job_unused;
  out_desc_t           p2_in_job_unused;

  mplsec_egress u_p2_egress (
    .clk_i           (clk_i),
    .rst_ni          (rst_ni),
    .desc_valid_i    (p2q_valid),
    .desc_i          (p2q_desc),
    .desc_pop_o      (p2q_pop),
    .buf_re_o        (p2_re),
    .buf_raddr_o     (p2_raddr),
    .buf_rdata_i     (p2_rdata),
    .ord_push_o      (p2_ord_push),
    .ord_kind_o      (p2_ord_kind),
    .ord_beats_o     (p2_ord_beats_unused),
    .enc_valid_o     (p2_enc_valid_unused),
    .enc_job_o       (p2_enc_job_unused),
    .enc_pop_i       (1'b0),
    .enc_hold_i      (1'b0),
    .in_valid_o      (p2_in_valid_unused),
    .in_job_o        (p2_in_job_unused),
    .in_take_i       (1'b0),
    .m_axis_tdata_o  (p2_data),
    .m_axis_tkeep_o  (p2_keep),
    .m_axis_tlast_o  (p2_last),
    .m_axis_tuser_o  (p2_user),
    .m_axis_tvalid_o (p2_valid),
    .m_axis_tready_i (p2_ready),
    .busy_o          (p2_busy)
  );

  logic      p2o_valid, p2o_pop, p2o_full;
  ord_kind_e p2o_kind;

  mplsec_fifo #(
    .T     (ord_kind_e),
    .Depth (P2Slots)
  ) u_p2_order (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (p2_ord_push),
    .wdata_i  (p2_ord_kind),
    .full_o   (p2o_full),
    .rvalid_o (p2o_valid),
    .rdata_o  (p2o_kind),
    .rready_i (p2o_pop)
  );

  ///////////////////////////////////////////////////////////////////////
  // ESP payload: encrypt and decrypt units, one AES-GCM core           //
  ///////////////////////////////////////////////////////////////////////

  // Writing an sa entry installs its key (docs/datapath.md "Key schedule").
  sa_entry_t key_entry;
  logic      key_wr, key_busy;
  assign key_entry  = tbl_wdata_i[$bits(sa_entry_t)-1:0];
  assign key_wr     = tbl_we_i && tbl_id_i == 8'(TBL_SA_ID) && tbl_index_i < 24'(TBL_SA_DEPTH);
  assign tbl_busy_o = key_busy;

  logic                enc_m_valid, enc_m_ready, enc_m_last, enc_busy;
  logic [DataW-1:0]    enc_m_data;
  logic [KeepW-1:0]    enc_m_keep;
  logic [OutUserW-1:0] enc_m_user;
  logic                d_job_valid, d_job_pop, d_busy, in_busy;
  esp_dec_job_t        d_job;
  logic                pt_valid, pt_ready, pt_last, pt_auth_ok, pt_pad_ok;
  logic [DataW-1:0]    pt_data;
  logic [KeepW-1:0]    pt_keep_unused;
  logic [7:0]          pt_next_hdr;
  logic [13:0]         pt_text_len;

  mplsec_esp_crypt u_crypt (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .key_wr_i      (key_wr),
    .key_sa_i      (SaW'(tbl_index_i)),
    .key_aes256_i  (key_entry.aes256),
    .key_i         (key_entry.key),
    .key_busy_o    (key_busy),
    .job_valid_i   (enc_valid),
    .job_i         (enc_job),
    .job_pop_o     (enc_pop),
    .buf_re_o      (rd_en[1]),
    .buf_raddr_o   (rd_addr[1]),
    .buf_rdata_i   (rd_data[1]),
    .m_valid_o     (enc_m_valid),
    .m_ready_i     (enc_m_ready),
    .m_data_o      (enc_m_data),
    .m_keep_o      (enc_m_keep),
    .m_last_o      (enc_m_last),
    .m_user_o      (enc_m_user),
    .busy_o        (enc_busy),
    .d_job_valid_i (d_job_valid),
    .d_job_i       (d_job),
    .d_job_pop_o   (d_job_pop),
    .d_buf_re_o    (rd_en[2]),
    .d_buf_raddr_o (rd_addr[2]),
    .d_buf_rdata_i (rd_data[2]),
    .p_valid_o     (pt_valid),
    .p_ready_i     (pt_ready),
    .p_data_o      (pt_data),
    .p_keep_o      (pt_keep_unused),
    .p_last_o      (pt_last),
    .p_auth_ok_o   (pt_auth_ok),
    .p_pad_ok_o    (pt_pad_ok),
    .p_next_hdr_o  (pt_next_hdr),
    .p_text_len_o  (pt_text_len),
    .d_busy_o      (d_busy)
  );

  mplsec_esp_inbound u_inbound (
    .clk_i            (clk_i),
    .rst_ni           (rst_ni),
    .job_valid_i      (in_job_valid),
    .job_i            (in_job),
    .job_take_o       (in_job_take),
    .p2_at_g_i        (p2_at_g),
    .p2_done_i        (p2q_pop),
    .spi_rd_o         (spi_rd),
    .spi_o            (spi),
    .spi_hit_i        (spi_hit),
    .spi_sa_i         (spi_sa),
    .rx_rd_o          (rx_rd),
    .rx_idx_o         (rx_idx),
    .rx_sa_i          (rx_sa),
    .rx_lifetime_i    (rx_lifetime),
    .rx_q_o           (rx_q),
    .rx_q_sa_o        (rx_q_sa),
    .rx_q_stopped_i   (rx_q_stopped),
    .rx_q_sent_i      (rx_q_sent),
    .sa_restart_i     (sa_restart),
    .sa_restart_idx_i (sa_restart_idx),
    .d_job_valid_o    (d_job_valid),
    .d_job_o          (d_job),
    .d_job_pop_i      (d_job_pop),
    .p_valid_i        (pt_valid),
    .p_ready_o        (pt_ready),
    .p_data_i         (pt_data),
    .p_last_i         (pt_last),
    .p_auth_ok_i      (pt_auth_ok),
    .p_pad_ok_i       (pt_pad_ok),
    .p_next_hdr_i     (pt_next_hdr),
    .p_text_len_i     (pt_text_len),
    .p2_we_o          (p2_we),
    .p2_waddr_o       (p2_waddr),
    .p2_wdata_o       (p2_wdata),
    .p2_valid_o       (p2_in_valid),
    .p2_desc_o        (p2_in_desc),
    .p2_hdr_o         (p2_in_hdr),
    .p2_take_i        (p2_in_take),
    .busy_o           (in_busy)
  );

  ///////////////////////////////////////////////////////////////////////
  // Frame order: merge the two streams, release the buffer             //
  ///////////////////////////////////////////////////////////////////////

  typedef struct packed {
    ord_kind_e            kind;
    logic [BufBeatsW-1:0] beats;
  } ord_t;

  logic ord_valid, ord_pop, ord_full;
  ord_t ord_head;

  mplsec_fifo #(
    .T     (ord_t),
    .Depth (MaxInflight)
  ) u_order (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .wvalid_i (ord_push),
    .wdata_i  ('{kind: ord_kind, beats: ord_beats}),
    .full_o   (ord_full),
    .rvalid_o (ord_valid),
    .rdata_o  (ord_head),
    .rready_i (ord_pop)
  );

  logic                mg_valid, mg_ready, mg_last;
  logic [DataW-1:0]    mg_data;
  logic [KeepW-1:0]    mg_keep;
  logic [OutUserW-1:0] mg_user;

  // Inbound frames handed over whose second pass has not left: an
  // outbound frame waits for them (mplsec_egress, enc_hold_i).
  logic [InflightW-1:0] in_open;

  always_comb begin
    logic from_enc, from_p2, from_eg, p2_none;
    from_enc    = ord_head.kind == OrdEnc;
    from_p2     = ord_head.kind == OrdInbound;
    from_eg     = ord_head.kind == OrdEgress;
    // An inbound frame's second pass either drops (nothing to send) or
    // sends the inner packet on the second-pass walker's stream.
    p2_none     = p2o_valid && p2o_kind == OrdNone;
    mg_valid    = ord_valid && (from_enc ? enc_m_valid :
                                from_p2  ? (p2o_valid && !p2_none && p2_valid) :
                                           (from_eg && eg_valid));
    mg_data     = from_enc ? enc_m_data : (from_p2 ? p2_data : eg_data);
    mg_keep     = from_enc ? enc_m_keep : (from_p2 ? p2_keep : eg_keep);
    mg_last     = from_enc ? enc_m_last : (from_p2 ? p2_last : eg_last);
    mg_user     = from_enc ? enc_m_user : (from_p2 ? p2_user : eg_user);
    eg_ready    = ord_valid && from_eg && mg_ready;
    enc_m_ready = ord_valid && from_enc && mg_ready;
    p2_ready    = ord_valid && from_p2 && p2o_valid && !p2_none && mg_ready;
    // A frame's beats are released when it has left (a dropped one at once).
    ord_pop     = ord_valid && (ord_head.kind == OrdNone || (from_p2 && p2_none) ||
                                (mg_valid && mg_ready && mg_last));
    p2o_pop     = ord_pop && from_p2;
    rel_valid   = ord_pop;
    rel_beats   = ord_head.beats;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) in_open <= '0;
    else         in_open <= in_open + InflightW'(ord_push && ord_kind == OrdInbound) - InflightW'(p2o_pop);
  end

  // The merged stream goes out through a skid stage so that m_axis_tready
  // drives flops only.
  mplsec_axis_skid #(
    .Width (DataW + KeepW + 1 + OutUserW)
  ) u_out_skid (
    .clk_i     (clk_i),
    .rst_ni    (rst_ni),
    .s_valid_i (mg_valid),
    .s_data_i  ({mg_data, mg_keep, mg_last, mg_user}),
    .s_ready_o (mg_ready),
    .m_valid_o (m_axis_tvalid_o),
    .m_data_o  ({m_axis_tdata_o, m_axis_tkeep_o, m_axis_tlast_o, m_axis_tuser_o}),
    .m_ready_i (m_axis_tready_i)
  );

  // Every frame holds buffer beats (in_idle) until it has left the merge.
  assign idle_o = in_idle && !eg_busy && !p2_busy && !m_axis_tvalid_o && !ord_valid && !enc_busy && !d_busy &&
                  !in_busy;

  logic unused;
  assign unused = ^{buf_unused, q_full, p2q_full, ord_full, p2_unused, p2o_full, p2_ord_beats_unused,
                   p2_enc_valid_unused, p2_enc_job_unused, p2_in_valid_unused, p2_in_job_unused, exhausted_unused, evt_count_unused,
                   pt_keep_unused, key_entry};

endmodule
