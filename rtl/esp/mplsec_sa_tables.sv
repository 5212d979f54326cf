// mplsec_sa_tables: the SA tables of the register map (sa, sa_tunnel,
// sa_lifetime, sa_seq, spi_hash) with one control port for the host and
// the read ports the ESP stage uses (docs/datapath.md "ESP").
//
//   - sa, sa_tunnel, sa_lifetime: RAMs read by SA index (outbound: the
//     route's SA; inbound: the SA the SPI lookup found).
//   - next_seq: the one piece of SA state the host also reads and writes
//     (sa_seq). Two write ports: the host's (port A) and the datapath's
//     take (port B), so a sequence number is never lost to a table write;
//     when both hit one SA in one cycle the host wins (it restarted the SA
//     or set its sequence).
//   - spi_hash: two ways of 8192 slots in two RAMs so a packet's two
//     candidate slots are read in the same cycle.
//
// Writing an sa entry restarts the SA: next_seq := 1 here, and
// sa_restart_o tells the holders of the rest of the SA's state (replay
// window, lifetime flags, SA counters) to clear it.
`default_nettype none

module mplsec_sa_tables
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                 clk_i,
  input  wire logic                 rst_ni,
  // Control. Read data and error two cycles after the request; both zero
  // when the table id is not one of these. tbl_mine_o: the id is ours.
  input  wire logic                 tbl_we_i,
  input  wire logic                 tbl_re_i,
  input  wire logic [7:0]           tbl_id_i,
  input  wire logic [23:0]          tbl_index_i,
  input  wire logic [TblDataW-1:0]  tbl_wdata_i,
  output      logic [TblDataW-1:0]  tbl_rdata_o,
  output      logic                 tbl_err_o,
  output      logic                 tbl_mine_o,
  // SA read: entry, tunnel, lifetime and next_seq one cycle after sa_rd_i.
  input  wire logic                 sa_rd_i,
  input  wire logic [SaW-1:0]       sa_idx_i,
  output      sa_entry_t            sa_o,
  output      sa_tunnel_entry_t     tunnel_o,
  output      sa_lifetime_entry_t   lifetime_o,
  output      logic [63:0]          seq_o,
  // In the cycle seq_o is valid: the frame takes seq_o, next_seq := seq_o + 1.
  input  wire logic                 seq_take_i,
  // Inbound SA read (the inbound stage's own port): entry one cycle
  // after rx_rd_i.
  input  wire logic                 rx_rd_i,
  input  wire logic [SaW-1:0]       rx_idx_i,
  output      sa_entry_t            rx_sa_o,
  output      sa_lifetime_entry_t   rx_lifetime_o,
  // SPI lookup: the SA of spi_i two cycles after spi_rd_i (way 0 first).
  input  wire logic                 spi_rd_i,
  input  wire logic [31:0]          spi_i,
  output      logic                 spi_hit_o,
  output      logic [SaW-1:0]       spi_sa_o,
  // An sa entry was written: the SA's other state must restart.
  output      logic                 sa_restart_o,
  output      logic [SaW-1:0]       sa_restart_idx_o
);

  ///////////////////////////////////////////////////////////////////////
  // Control decode                                                     //
  ///////////////////////////////////////////////////////////////////////

  logic is_sa, is_tunnel, is_lifetime, is_seq, is_spi;
  logic in_range;
  always_comb begin
    is_sa       = tbl_id_i == 8'(TBL_SA_ID);
    is_tunnel   = tbl_id_i == 8'(TBL_SA_TUNNEL_ID);
    is_lifetime = tbl_id_i == 8'(TBL_SA_LIFETIME_ID);
    is_seq      = tbl_id_i == 8'(TBL_SA_SEQ_ID);
    is_spi      = tbl_id_i == 8'(TBL_SPI_HASH_ID);
    tbl_mine_o  = is_sa || is_tunnel || is_lifetime || is_seq || is_spi;
    in_range    = is_spi ? tbl_index_i < 24'(TBL_SPI_HASH_DEPTH) : tbl_index_i < 24'(TBL_SA_DEPTH);
  end

  logic          ctl_we;
  logic [SaW-1:0] ctl_sa;
  assign ctl_we = tbl_we_i && in_range;
  assign ctl_sa = tbl_index_i[SaW-1:0];

  ///////////////////////////////////////////////////////////////////////
  // sa, sa_tunnel, sa_lifetime                                         //
  ///////////////////////////////////////////////////////////////////////

  sa_entry_t          sa_hdata;
  sa_tunnel_entry_t   tunnel_hdata;
  sa_lifetime_entry_t lifetime_hdata;

  mplsec_ram #(
    .Width ($bits(sa_entry_t)),
    .Depth (TBL_SA_DEPTH)
  ) u_sa (
    .clk_i     (clk_i),
    .a_we_i    (ctl_we && is_sa),
    .a_re_i    (tbl_re_i && is_sa),
    .a_addr_i  (ctl_sa),
    .a_wdata_i (tbl_wdata_i[$bits(sa_entry_t)-1:0]),
    .a_rdata_o (sa_hdata),
    .b_en_i    (sa_rd_i),
    .b_addr_i  (sa_idx_i),
    .b_rdata_o (sa_o)
  );

  // A second copy of sa for the inbound stage's read port.
  sa_entry_t sa_rx_unused;
  mplsec_ram #(
    .Width ($bits(sa_entry_t)),
    .Depth (TBL_SA_DEPTH)
  ) u_sa_rx (
    .clk_i     (clk_i),
    .a_we_i    (ctl_we && is_sa),
    .a_re_i    (1'b0),
    .a_addr_i  (ctl_sa),
    .a_wdata_i (tbl_wdata_i[$bits(sa_entry_t)-1:0]),
    .a_rdata_o (sa_rx_unused),
    .b_en_i    (rx_rd_i),
    .b_addr_i  (rx_idx_i),
    .b_rdata_o (rx_sa_o)
  );

  // And of sa_lifetime.
  sa_lifetime_entry_t lifetime_rx_unused;
  mplsec_ram #(
    .Width ($bits(sa_lifetime_entry_t)),
    .Depth (TBL_SA_LIFETIME_DEPTH)
  ) u_lifetime_rx (
    .clk_i     (clk_i),
    .a_we_i    (ctl_we && is_lifetime),
    .a_re_i    (1'b0),
    .a_addr_i  (ctl_sa),
    .a_wdata_i (tbl_wdata_i[$bits(sa_lifetime_entry_t)-1:0]),
    .a_rdata_o (lifetime_rx_unused),
    .b_en_i    (rx_rd_i),
    .b_addr_i  (rx_idx_i),
    .b_rdata_o (rx_lifetime_o)
  );

  mplsec_ram #(
    .Width ($bits(sa_tunnel_entry_t)),
    .Depth (TBL_SA_TUNNEL_DEPTH)
  ) u_tunnel (
    .clk_i     (clk_i),
    .a_we_i    (ctl_we && is_tunnel),
    .a_re_i    (tbl_re_i && is_tunnel),
    .a_addr_i  (ctl_sa),
    .a_wdata_i (tbl_wdata_i[$bits(sa_tunnel_entry_t)-1:0]),
    .a_rdata_o (tunnel_hdata),
    .b_en_i    (sa_rd_i),
    .b_addr_i  (sa_idx_i),
    .b_rdata_o (tunnel_o)
  );

  mplsec_ram #(
    .Width ($bits(sa_lifetime_entry_t)),
    .Depth (TBL_SA_LIFETIME_DEPTH)
  ) u_lifetime (
    .clk_i     (clk_i),
    .a_we_i    (ctl_we && is_lifetime),
    .a_re_i    (tbl_re_i && is_lifetime),
    .a_addr_i  (ctl_sa),
    .a_wdata_i (tbl_wdata_i[$bits(sa_lifetime_entry_t)-1:0]),
    .a_rdata_o (lifetime_hdata),
    .b_en_i    (sa_rd_i),
    .b_addr_i  (sa_idx_i),
    .b_rdata_o (lifetime_o)
  );

  ///////////////////////////////////////////////////////////////////////
  // next_seq                                                           //
  ///////////////////////////////////////////////////////////////////////

  logic [63:0]    seq_q [TBL_SA_SEQ_DEPTH];
  logic [63:0]    seq_hdata;
  logic           host_seq_we, take_we;
  logic [63:0]    host_seq;
  logic [SaW-1:0] take_sa_q;

  initial begin
    for (int unsigned i = 0; i < TBL_SA_SEQ_DEPTH; i++) seq_q[i] = '0;
  end

  assign host_seq_we = ctl_we && (is_sa || is_seq);
  assign host_seq    = is_sa ? 64'd1 : tbl_wdata_i[63:0];
  assign take_we     = seq_take_i && !(host_seq_we && ctl_sa == take_sa_q);

  always_ff @(posedge clk_i) begin
    if (host_seq_we) seq_q[ctl_sa] <= host_seq;
    if (take_we)     seq_q[take_sa_q] <= seq_o + 64'd1;
    if (tbl_re_i && is_seq) seq_hdata <= seq_q[ctl_sa];
    // A read in the cycle of a write to the same SA sees the new value,
    // so back-to-back frames of one SA take consecutive numbers.
    if (sa_rd_i) begin
      take_sa_q <= sa_idx_i;
      if (host_seq_we && ctl_sa == sa_idx_i)   seq_o <= host_seq;
      else if (take_we && take_sa_q == sa_idx_i) seq_o <= seq_o + 64'd1;
      else                                       seq_o <= seq_q[sa_idx_i];
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // spi_hash                                                           //
  ///////////////////////////////////////////////////////////////////////

  spi_hash_entry_t way_hdata [2];
  spi_hash_entry_t way_rdata [2];
  logic [SpiWayW-1:0] way_addr [2];
  logic [31:0] spi_q;

  assign way_addr[0] = spi_hash0(spi_i);
  assign way_addr[1] = spi_hash1(spi_i);

  for (genvar w = 0; w < 2; w++) begin : g_way
    logic ctl_way;
    assign ctl_way = is_spi && tbl_index_i[SpiWayW] == 1'(w);
    mplsec_ram #(
      .Width ($bits(spi_hash_entry_t)),
      .Depth (TBL_SPI_HASH_DEPTH / 2)
    ) u_way (
      .clk_i     (clk_i),
      .a_we_i    (ctl_we && ctl_way),
      .a_re_i    (tbl_re_i && ctl_way),
      .a_addr_i  (tbl_index_i[SpiWayW-1:0]),
      .a_wdata_i (tbl_wdata_i[$bits(spi_hash_entry_t)-1:0]),
      .a_rdata_o (way_hdata[w]),
      .b_en_i    (spi_rd_i),
      .b_addr_i  (way_addr[w]),
      .b_rdata_o (way_rdata[w])
    );
  end

  always_ff @(posedge clk_i) begin
    if (spi_rd_i) spi_q <= spi_i;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      spi_hit_o <= 1'b0;
      spi_sa_o  <= '0;
    end else begin
      spi_hit_o <= 1'b0;
      spi_sa_o  <= '0;
      if (way_rdata[0].valid && way_rdata[0].spi == spi_q) begin
        spi_hit_o <= 1'b1;
        spi_sa_o  <= way_rdata[0].sa;
      end else if (way_rdata[1].valid && way_rdata[1].spi == spi_q) begin
        spi_hit_o <= 1'b1;
        spi_sa_o  <= way_rdata[1].sa;
      end
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Restart and read-back                                              //
  ///////////////////////////////////////////////////////////////////////

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      sa_restart_o     <= 1'b0;
      sa_restart_idx_o <= '0;
    end else begin
      sa_restart_o     <= ctl_we && is_sa;
      sa_restart_idx_o <= ctl_sa;
    end
  end

  logic [7:0] rd_id_q;
  logic       rd_mine_q, rd_err_q, rd_way_q;

  always_ff @(posedge clk_i) begin
    rd_id_q   <= tbl_id_i;
    rd_way_q  <= tbl_index_i[SpiWayW];
    rd_mine_q <= (tbl_re_i || tbl_we_i) && tbl_mine_o;
    rd_err_q  <= (tbl_re_i || tbl_we_i) && tbl_mine_o && !in_range;
  end

  always_ff @(posedge clk_i) begin
    tbl_err_o   <= rd_err_q;
    tbl_rdata_o <= '0;
    if (rd_mine_q && !rd_err_q) begin
      unique case (rd_id_q)
        8'(TBL_SA_ID):          tbl_rdata_o <= TblDataW'(sa_hdata);
        8'(TBL_SA_TUNNEL_ID):   tbl_rdata_o <= TblDataW'(tunnel_hdata);
        8'(TBL_SA_LIFETIME_ID): tbl_rdata_o <= TblDataW'(lifetime_hdata);
        8'(TBL_SA_SEQ_ID):      tbl_rdata_o <= TblDataW'(seq_hdata);
        default:                tbl_rdata_o <= TblDataW'(way_hdata[rd_way_q]);
      endcase
    end
  end

  logic unused;
  assign unused = ^{tbl_wdata_i, sa_rx_unused, lifetime_rx_unused};

endmodule
