// mplsec_gcm_key_store: per-SA key material of the GCM core, written by
// the install engine and read by the datapath a stage ahead of use.
//
// Per SA: round keys 0..14 (AES-128 fills 0..10), the key size, and
// H .. H^8 for GHASH. Each round key has its own memory so that
// every AES stage reads the key of the beat it is about to process, with
// that beat's SA index: 15 x 4096 x 128 bits. On UltraScale+ each is two
// URAM288 columns (4K x 72), 30 URAMs for the round keys and 15 for the
// 4096 x 1024-bit H powers (port A: install writes, port B: datapath read,
// one cycle, held while the pipeline stalls). An SA is installed before
// any packet uses it (the host writes the key before the route or SPI entry
// that points to it), so a read never races a write of the same SA.
`default_nettype none

module mplsec_gcm_key_store (
  input  wire logic clk_i,
  // Install: one round key a cycle, then the H powers and the key size.
  input  wire logic                               wr_rk_i,
  input  wire logic [3:0]                         wr_round_i,
  input  wire logic [mplsec_gcm_pkg::SaW-1:0]     wr_sa_i,
  input  wire logic [127:0]                       wr_rk_data_i,
  input  wire logic                               wr_h_i,
  input  wire logic                               wr_aes256_i,
  input  wire logic [1023:0]                      wr_h_data_i,  // H^k at [128*(k-1) +: 128]
  // Datapath reads.
  input  wire logic                               en_i,
  input  wire logic [mplsec_gcm_pkg::RoundKeys*mplsec_gcm_pkg::SaW-1:0] rk_sa_i,
  output      logic [mplsec_gcm_pkg::RoundKeys*128-1:0]                 rk_o,
  output      logic                               aes256_o,     // for the index at rk_sa_i[10]
  input  wire logic [mplsec_gcm_pkg::SaW-1:0]     h_sa_i,
  output      logic [1023:0]                      h_o
);

  localparam int unsigned SaW = mplsec_gcm_pkg::SaW;
  localparam int unsigned NumSa = mplsec_gcm_pkg::NumSa;
  localparam int unsigned Nr = mplsec_gcm_pkg::RoundKeys;

  for (genvar r = 0; r < Nr; r++) begin : g_round_key
    logic [127:0] unused_rdata;
    mplsec_ram #(
      .Width (128),
      .Depth (NumSa)
    ) u_ram (
      .clk_i     (clk_i),
      .a_we_i    (wr_rk_i && wr_round_i == 4'(r)),
      .a_re_i    (1'b0),
      .a_addr_i  (wr_sa_i),
      .a_wdata_i (wr_rk_data_i),
      .a_rdata_o (unused_rdata),
      .b_en_i    (en_i),
      .b_addr_i  (rk_sa_i[SaW*r +: SaW]),
      .b_rdata_o (rk_o[128*r +: 128])
    );
  end

  // The key size and the H powers are written last, when the SA is complete.
  logic [1023:0] unused_h_rdata;
  mplsec_ram #(
    .Width (1024),
    .Depth (NumSa)
  ) u_h_ram (
    .clk_i     (clk_i),
    .a_we_i    (wr_h_i),
    .a_re_i    (1'b0),
    .a_addr_i  (wr_sa_i),
    .a_wdata_i (wr_h_data_i),
    .a_rdata_o (unused_h_rdata),
    .b_en_i    (en_i),
    .b_addr_i  (h_sa_i),
    .b_rdata_o (h_o)
  );

  logic [0:0] unused_flag_rdata;
  mplsec_ram #(
    .Width (1),
    .Depth (NumSa)
  ) u_aes256_ram (
    .clk_i     (clk_i),
    .a_we_i    (wr_h_i),
    .a_re_i    (1'b0),
    .a_addr_i  (wr_sa_i),
    .a_wdata_i (wr_aes256_i),
    .a_rdata_o (unused_flag_rdata),
    .b_en_i    (en_i),
    .b_addr_i  (rk_sa_i[SaW*10 +: SaW]),
    .b_rdata_o (aes256_o)
  );

endmodule
