// mplsec_esp_outer: everything an outbound frame puts in front of and
// behind the customer packet (docs/datapath.md step 4.1 and "Notes on
// ESP"), from the SA, its tunnel, the sequence number the frame takes and
// the inner packet's length and DSCP:
//   - the bytes between the label stack and the ciphertext: outer IPv4
//     (checksum included) or IPv6, the RFC 3948 UDP header (IPv4 outers
//     only), the ESP header and the IV, byte 0 in bits 7:0;
//   - the ESP trailer in front of the ICV: pad bytes 1, 2, 3, ..., the
//     fewest (0..3) that make inner + pad + 2 a multiple of 4, pad length,
//     next header (4 or 41);
//   - the lengths the MTU check and the GCM core need, and the core's
//     nonce (salt || IV) and AAD (SPI || seq_lo, or SPI || seq_hi || seq_lo
//     with ESN), first byte in the most significant bits.
// One cycle of latency, one frame a cycle.
`default_nettype none

module mplsec_esp_outer
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                        clk_i,
  input  wire logic                        rst_ni,
  input  wire logic                        valid_i,
  input  wire sa_entry_t                   sa_i,
  input  wire sa_tunnel_entry_t            tunnel_i,
  input  wire logic [63:0]                 seq_i,
  input  wire logic [15:0]                 inner_len_i,  // IP length of the customer packet
  input  wire logic [7:0]                  dscp_i,       // inner TOS / traffic class & 0xFC
  input  wire logic                        inner_v6_i,
  output      logic                        valid_o,
  output      logic [OuterMaxBytes*8-1:0]  hdr_o,
  output      logic [5:0]                  hdr_len_o,    // 36, 44 or 56 bytes
  output      logic [39:0]                 trailer_o,    // byte 0 in 7:0
  output      logic [2:0]                  trailer_len_o,// 2..5 bytes
  output      logic [15:0]                 text_len_o,   // inner + trailer: the bytes encrypted
  output      logic [15:0]                 outer_len_o,  // outer packet: header, text, ICV
  output      logic [95:0]                 nonce_o,
  output      logic [95:0]                 aad_o,
  output      logic                        aad12_o       // AAD is 12 bytes (ESN), else 8
);

  localparam logic [7:0] ProtoEsp = 8'd50;
  localparam logic [7:0] ProtoUdp = 8'd17;
  localparam logic [7:0] OuterTtl = 8'd64;
  localparam int unsigned UdpBytes = 8;
  localparam int unsigned EspHdrBytes = 16;  // SPI, seq_lo, IV

  function automatic logic [15:0] ones_add(logic [15:0] a, logic [15:0] c);
    logic [16:0] s;
    s = 17'(a) + 17'(c);
    return s[15:0] + 16'(s[16]);
  endfunction

  logic [OuterMaxBytes*8-1:0] hdr_d;
  logic [5:0]  hdr_len_d;
  logic [39:0] trailer_d;
  logic [2:0]  trailer_len_d;
  logic [15:0] text_len_d, outer_len_d;

  always_comb begin
    logic [7:0]  b [OuterMaxBytes - EspHdrBytes];  // outer IP and UDP
    logic [7:0]  e [EspHdrBytes];                  // SPI, seq_lo, IV
    logic        udp;
    logic [1:0]  pad;
    logic [15:0] esp_len, after_ip, csum;
    logic [5:0]  at;
    logic [7:0]  nh;

    udp        = sa_i.encap_udp && !sa_i.outer_v6;
    pad        = 2'(2'd0 - 2'(inner_len_i + 16'd2));
    nh         = inner_v6_i ? 8'd41 : 8'd4;
    text_len_d = inner_len_i + 16'(pad) + 16'd2;
    esp_len    = 16'(EspHdrBytes) + text_len_d + 16'(IcvBytes);
    after_ip   = esp_len + (udp ? 16'(UdpBytes) : 16'd0);
    csum       = 16'd0;

    for (int unsigned i = 0; i < OuterMaxBytes - EspHdrBytes; i++) b[i] = 8'h00;
    if (sa_i.outer_v6) begin
      b[0] = {4'h6, dscp_i[7:4]};
      b[1] = {dscp_i[3:0], 4'h0};
      {b[4], b[5]} = after_ip;
      b[6] = ProtoEsp;
      b[7] = OuterTtl;
      for (int unsigned i = 0; i < 16; i++) begin
        b[8 + i]  = tunnel_i.src[127 - 8*i -: 8];
        b[24 + i] = tunnel_i.dst[127 - 8*i -: 8];
      end
      at = 6'd40;
    end else begin
      b[0] = 8'h45;
      b[1] = dscp_i;
      {b[2], b[3]} = 16'd20 + after_ip;
      {b[4], b[5]} = seq_i[15:0];  // identification
      b[8] = OuterTtl;
      b[9] = udp ? ProtoUdp : ProtoEsp;
      for (int unsigned i = 0; i < 4; i++) begin
        b[12 + i] = tunnel_i.src[31 - 8*i -: 8];
        b[16 + i] = tunnel_i.dst[31 - 8*i -: 8];
      end
      for (int unsigned i = 0; i < 10; i++) csum = ones_add(csum, {b[2*i], b[2*i + 1]});
      {b[10], b[11]} = ~csum;
      at = 6'd20;
      if (udp) begin
        {b[20], b[21]} = tunnel_i.udp_sport;
        {b[22], b[23]} = tunnel_i.udp_dport;
        {b[24], b[25]} = 16'(UdpBytes) + esp_len;
        at = 6'd28;
      end
    end
    {e[0], e[1], e[2], e[3]} = sa_i.spi;
    {e[4], e[5], e[6], e[7]} = seq_i[31:0];
    for (int unsigned i = 0; i < 8; i++) e[8 + i] = seq_i[63 - 8*i -: 8];

    hdr_d = '0;
    for (int unsigned i = 0; i < OuterMaxBytes - EspHdrBytes; i++) hdr_d[8*i +: 8] = b[i];
    for (int unsigned i = 0; i < EspHdrBytes; i++) begin
      hdr_d = hdr_d | ((OuterMaxBytes*8)'(e[i]) << (8 * (32'(at) + i)));
    end
    hdr_len_d   = at + 6'(EspHdrBytes);
    outer_len_d = 16'(at) + esp_len;

    // Trailer: 1, 2, .., pad, then pad length and next header.
    trailer_len_d = 3'(pad) + 3'd2;
    unique case (pad)
      2'd0:    trailer_d = {24'd0, nh, 8'd0};
      2'd1:    trailer_d = {16'd0, nh, 8'd1, 8'd1};
      2'd2:    trailer_d = {8'd0, nh, 8'd2, 8'd2, 8'd1};
      default: trailer_d = {nh, 8'd3, 8'd3, 8'd2, 8'd1};
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_o <= 1'b0;
    else         valid_o <= valid_i;
  end

  always_ff @(posedge clk_i) begin
    if (valid_i) begin
      hdr_o         <= hdr_d;
      hdr_len_o     <= hdr_len_d;
      trailer_o     <= trailer_d;
      trailer_len_o <= trailer_len_d;
      text_len_o    <= text_len_d;
      outer_len_o   <= outer_len_d;
      nonce_o       <= {sa_i.salt, seq_i};
      aad_o         <= sa_i.esn ? {sa_i.spi, seq_i[63:32], seq_i[31:0]} : {sa_i.spi, seq_i[31:0], 32'd0};
      aad12_o       <= sa_i.esn;
    end
  end

  logic unused;
  assign unused = ^{sa_i.key, sa_i.valid, sa_i.inbound, sa_i.aes256, sa_i.replay_log2};

endmodule
