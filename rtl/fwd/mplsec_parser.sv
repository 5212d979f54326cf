// mplsec_parser: three pipeline stages that turn a frame's first 192
// bytes and its length into the fields every later decision needs
// (docs/datapath.md steps 1-3 and 5.1).
//
// Stage 1 walks Ethernet (up to two VLAN tags) and realigns the bytes
// behind it. Stage 2 scans the label stack for bottom-of-stack and cuts
// out the 60-byte window where the IP header starts. Stage 3 validates
// that header (IPv4 checksum over IHL words, lengths) and picks its
// fields. Each variable-offset mux and the checksum adder tree get a cycle
// of their own.
//
// The IP family a frame is judged in follows its path: the ethertype for
// unlabeled frames, the explicit-null label (0: IPv4, 2: IPv6) under an
// explicit null, the first nibble otherwise (PHP, pop-lookup).
`default_nettype none

module mplsec_parser
  import mplsec_fwd_pkg::*;
(
  input  wire logic     clk_i,
  input  wire logic     rst_ni,
  input  wire logic     valid_i,
  input  wire in_desc_t desc_i,
  input  wire logic [InHdrBytes*8-1:0] hdr_i,   // frame bytes 0..191, zero past len
  output      logic     valid_o,
  output      in_desc_t desc_o,
  output      parsed_t  parsed_o
);

  ///////////////////////////////////////////////////////////////////////
  // Stage 1: Ethernet, VLAN tags; bytes realigned to the L2 payload     //
  ///////////////////////////////////////////////////////////////////////

  // Label stack (8 entries) and the IP window behind it: the largest IPv4
  // header, then UDP, SPI, sequence number and IV of ESP for the card.
  localparam int unsigned EspWinBytes = IpWinBytes + 8 + 16 + 16;
  localparam int unsigned L2Bytes = 4 * MaxLabels + EspWinBytes;

  typedef struct packed {
    logic                 len_bad;
    logic [15:0]          ethertype;
    logic [5:0]           l2_len;
    logic [MaxLabels-1:0] ends;   // entry i runs past the frame
    logic [L2Bytes*8-1:0] l2b;    // bytes from l2_len on
  } s0_t;

  s0_t      s0_d, s0_q;
  logic     s0_valid_q;
  in_desc_t s0_desc_q;

  // MAC addresses and the bytes past the IP window are for the rewrite.
  logic unused_hdr;
  assign unused_hdr = ^{hdr_i[InHdrBytes*8-1:8*(22+L2Bytes)], hdr_i[8*12-1:0]};

  always_comb begin
    logic [15:0] et0, et1, et2;
    logic        tag1, tag2;
    logic [1:0]  nvlan;

    s0_d = '0;
    s0_d.len_bad = (desc_i.len < LenW'(MinFrame)) || (desc_i.len > LenW'(MaxFrame));

    et0  = {hdr_i[8*12 +: 8], hdr_i[8*13 +: 8]};
    et1  = {hdr_i[8*16 +: 8], hdr_i[8*17 +: 8]};
    et2  = {hdr_i[8*20 +: 8], hdr_i[8*21 +: 8]};
    tag1 = (et0 == TpidC) || (et0 == TpidS);
    tag2 = tag1 && ((et1 == TpidC) || (et1 == TpidS));
    nvlan = tag2 ? 2'd2 : (tag1 ? 2'd1 : 2'd0);
    s0_d.ethertype = tag2 ? et2 : (tag1 ? et1 : et0);
    s0_d.l2_len    = 6'd14 + {2'b0, nvlan, 2'b0};

    unique case (nvlan)
      2'd0:    s0_d.l2b = hdr_i[8*14 +: L2Bytes*8];
      2'd1:    s0_d.l2b = hdr_i[8*18 +: L2Bytes*8];
      default: s0_d.l2b = hdr_i[8*22 +: L2Bytes*8];
    endcase
    for (int unsigned i = 0; i < MaxLabels; i++) begin
      s0_d.ends[i] = LenW'(s0_d.l2_len) + LenW'(4*i + 4) > desc_i.len;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s0_valid_q <= 1'b0;
    else         s0_valid_q <= valid_i;
  end

  always_ff @(posedge clk_i) begin
    s0_q      <= s0_d;
    s0_desc_q <= desc_i;
  end

  ///////////////////////////////////////////////////////////////////////
  // Stage 2: label stack, IP window                                    //
  ///////////////////////////////////////////////////////////////////////

  typedef struct packed {
    logic          len_bad;
    logic [15:0]   ethertype;
    logic [5:0]    l2_len;
    logic [31:0]   lse0;
    logic [31:0]   lse1;
    logic          stk_trunc;
    logic          stk_deep;
    logic [6:0]    ip_off;
    logic [EspWinBytes*8-1:0] ipw;
  } s1_t;

  s1_t  s1_d, s1_q;
  logic s1_valid_q;
  in_desc_t s1_desc_q;

  always_comb begin
    logic [31:0] lse [MaxLabels];
    logic        found;
    logic [3:0]  nlab, nskip;

    s1_d           = '0;
    s1_d.len_bad   = s0_q.len_bad;
    s1_d.ethertype = s0_q.ethertype;
    s1_d.l2_len    = s0_q.l2_len;

    for (int unsigned i = 0; i < MaxLabels; i++) begin
      lse[i] = {s0_q.l2b[8*(4*i) +: 8], s0_q.l2b[8*(4*i+1) +: 8],
                s0_q.l2b[8*(4*i+2) +: 8], s0_q.l2b[8*(4*i+3) +: 8]};
    end
    s1_d.lse0 = lse[0];
    s1_d.lse1 = lse[1];

    // Entries are read until S = 1; the frame may end first.
    found = 1'b0;
    nlab  = '0;
    for (int unsigned i = 0; i < MaxLabels; i++) begin
      if (!found && !s1_d.stk_trunc) begin
        if (s0_q.ends[i]) begin
          s1_d.stk_trunc = 1'b1;
        end else if (lse[i][8]) begin
          found = 1'b1;
          nlab  = 4'(i + 1);
        end
      end
    end
    s1_d.stk_deep = !found && !s1_d.stk_trunc;

    nskip       = (s0_q.ethertype == EtMpls) ? nlab : 4'd0;
    s1_d.ip_off = 7'(s0_q.l2_len) + {1'b0, nskip, 2'b00};

    // The window behind the stack: a 9-way mux.
    s1_d.ipw = '0;
    for (int unsigned k = 0; k <= MaxLabels; k++) begin
      if (nskip == 4'(k)) s1_d.ipw = s0_q.l2b[8*4*k +: EspWinBytes*8];
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s1_valid_q <= 1'b0;
    else         s1_valid_q <= s0_valid_q;
  end

  always_ff @(posedge clk_i) begin
    s1_q      <= s1_d;
    s1_desc_q <= s0_desc_q;
  end

  ///////////////////////////////////////////////////////////////////////
  // Stage 3: IP header validation and fields                           //
  ///////////////////////////////////////////////////////////////////////

  parsed_t  p_d, p_q;
  logic     p_valid_q;
  in_desc_t p_desc_q;

  logic [7:0] wb [EspWinBytes];
  always_comb begin
    for (int unsigned i = 0; i < EspWinBytes; i++) wb[i] = s1_q.ipw[8*i +: 8];
  end

  always_comb begin
    logic [3:0]  nib, ihl;
    logic        v6;
    logic [19:0] label0;
    logic [LenW-1:0] avail;
    logic [31:0] sum;
    logic [16:0] fold1;
    logic [15:0] fold2;
    logic [15:0] tot_len, pay_len;
    logic        csum_ok, v4_ok, v6_ok;
    logic [6:0]  hl, esp_rel;
    logic [15:0]  at_dport;
    logic [127:0] at_esp;   // SPI, sequence number, IV
    logic [15:0] dport;
    logic [31:0] marker;

    p_d           = '0;
    p_d.len_bad   = s1_q.len_bad;
    p_d.ethertype = s1_q.ethertype;
    p_d.l2_len    = s1_q.l2_len;
    p_d.lse0      = s1_q.lse0;
    p_d.lse1      = s1_q.lse1;
    p_d.stk_trunc = s1_q.stk_trunc;
    p_d.stk_deep  = s1_q.stk_deep;
    p_d.ip_off    = s1_q.ip_off;

    nib    = s1_q.ipw[7:4];
    ihl    = s1_q.ipw[3:0];
    label0 = s1_q.lse0[31:12];
    avail  = s1_desc_q.len - LenW'(s1_q.ip_off);  // ip_off < 60 <= len when used

    // The family this frame's path expects.
    if (s1_q.ethertype == EtIpv4)      v6 = 1'b0;
    else if (s1_q.ethertype == EtIpv6) v6 = 1'b1;
    else if (label0 == 20'd0)          v6 = 1'b0;
    else if (label0 == 20'd2)          v6 = 1'b1;
    else                               v6 = (nib == 4'd6);
    p_d.ip_v6     = v6;
    p_d.ip_fam_ok = (nib == 4'd4) || (nib == 4'd6);
    p_d.ip_min_ok = (nib == 4'd6) ? (avail >= LenW'(40)) : (avail >= LenW'(20));

    // IPv4: version, IHL, total length, checksum over 4*IHL bytes.
    sum = '0;
    for (int unsigned w = 0; w < IpWinBytes / 2; w++) begin
      if (w < 2 * ihl) sum = sum + 32'({wb[2*w], wb[2*w+1]});
    end
    fold1   = 17'(sum[15:0]) + 17'(sum[31:16]);
    fold2   = fold1[15:0] + 16'(fold1[16]);
    csum_ok = (fold2 == 16'hFFFF);
    tot_len = {wb[2], wb[3]};
    v4_ok   = (nib == 4'd4) && (ihl >= 4'd5) && (tot_len >= {10'b0, ihl, 2'b00}) &&
              (avail >= LenW'(20)) && (LenW'(tot_len) <= avail) && csum_ok;
    // IPv6: version, 40 + payload length present.
    pay_len = {wb[4], wb[5]};
    v6_ok   = (nib == 4'd6) && (avail >= LenW'(40)) && (LenW'(pay_len) + LenW'(40) <= avail);
    p_d.ip_full_ok = v6 ? v6_ok : v4_ok;

    if (v6) begin
      p_d.ip_ttl   = wb[7];
      p_d.ip_proto = wb[6];
      p_d.ip_prec  = s1_q.ipw[3:1];
      p_d.ip_dscp  = {wb[0][3:0], wb[1][7:6], 2'b00};
      p_d.ip_len   = pay_len + 16'd40;
      p_d.ip_csum  = '0;
      for (int unsigned b = 0; b < 16; b++) p_d.ip_dst[8*(15-b) +: 8] = wb[24 + b];
      p_d.ip_mcast = (wb[24] == 8'hFF);
    end else begin
      p_d.ip_ttl   = wb[8];
      p_d.ip_proto = wb[9];
      p_d.ip_prec  = s1_q.ipw[8*1+5 +: 3];
      p_d.ip_dscp  = {wb[1][7:2], 2'b00};
      p_d.ip_len   = tot_len;
      p_d.ip_csum  = {wb[10], wb[11]};
      p_d.ip_dst   = {96'b0, wb[16], wb[17],
                      wb[18], wb[19]};
      p_d.ip_mcast = (s1_q.ipw[8*16+4 +: 4] == 4'hE);
    end

    // ESP for the card: the bytes after the IP header (IPv6 extension
    // headers are not walked), after UDP when it is UDP 4500 whose four
    // marker bytes lie inside the packet and are not all zero.
    hl      = v6 ? 7'd40 : {1'b0, ihl, 2'b00};
    at_dport = 16'(s1_q.ipw >> {hl + 7'd2, 3'b000});
    dport    = {at_dport[7:0], at_dport[15:8]};
    marker   = 32'(s1_q.ipw >> {hl + 7'd8, 3'b000});
    p_d.esp_udp = (p_d.ip_proto == 8'd17) && (dport == 16'd4500) && (marker != 32'd0) &&
                  (16'(hl) + 16'd12 <= p_d.ip_len);
    esp_rel = hl + (p_d.esp_udp ? 7'd8 : 7'd0);
    at_esp  = 128'(s1_q.ipw >> {esp_rel, 3'b000});
    p_d.esp_off    = 8'(s1_q.ip_off) + 8'(esp_rel);
    p_d.esp_len    = p_d.ip_len - 16'(esp_rel);
    p_d.esp_spi    = {at_esp[8*0 +: 8], at_esp[8*1 +: 8], at_esp[8*2 +: 8], at_esp[8*3 +: 8]};
    p_d.esp_seq_lo = {at_esp[8*4 +: 8], at_esp[8*5 +: 8], at_esp[8*6 +: 8], at_esp[8*7 +: 8]};
    p_d.esp_iv     = {<<8{at_esp[8*8 +: 64]}};
    p_d.ip_frag    = !v6 && ({wb[6][5:0], wb[7]} != 14'd0);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) p_valid_q <= 1'b0;
    else         p_valid_q <= s1_valid_q;
  end

  always_ff @(posedge clk_i) begin
    p_q      <= p_d;
    p_desc_q <= s1_desc_q;
  end

  assign valid_o  = p_valid_q;
  assign desc_o   = p_desc_q;
  assign parsed_o = p_q;

endmodule
