// mplsec_rewrite: builds the first two output beats of a frame and the
// realign settings for the rest (docs/datapath.md steps 3, 5.4 and 6).
//
// Every rewrite the datapath does has one shape: a new prefix P (next-hop
// MAC, port MAC, optional 802.1Q tag, ethertype, 0-3 new label stack
// entries) followed by the input from byte rest_off on, in which the IP
// TTL/hop limit and IPv4 checksum may be patched. The header grows or
// shrinks by delta = rest_off - |P|, always a multiple of 4 in -16..12.
// Stage 1 patches the IP header in place and assembles P; stage 2 shifts
// the patched bytes by delta under P. Output beats 2.. come from the
// packet buffer through the egress realigner with the same delta.
// Punted frames keep delta 0 and their original bytes.
//
// IPv4 checksum: RFC 1624 eqn. 3, HC' = ~(~HC + ~m + m') on the word
// TTL|protocol with end-around carry, applied once per TTL write (twice
// under an explicit null: TTL copy, then decrement), as the C-model does.
`default_nettype none

module mplsec_rewrite
  import mplsec_fwd_pkg::*;
(
  input  wire logic              clk_i,
  input  wire logic              rst_ni,
  input  wire logic              valid_i,
  input  wire action_e           act_i,
  input  wire logic [OutUserW-1:0] user_i,
  input  wire logic [BufAw-1:0]  buf_start_i,
  input  wire logic [BufBeatsW-1:0] buf_beats_i,
  input  wire logic [InHdrBytes*8-1:0] hdr_i,
  input  wire logic [OutLenW-1:0] len_i,        // output length, padded
  // Prefix.
  input  wire logic [47:0]       dmac_i,
  input  wire logic [47:0]       smac_i,
  input  wire logic              vlan_valid_i,
  input  wire logic [11:0]       vlan_i,
  input  wire logic [15:0]       ethertype_i,
  input  wire logic [1:0]        n_new_i,
  input  wire logic [2:0][31:0]  lse_i,        // entry 0 outermost
  input  wire logic [6:0]        rest_off_i,
  // IP patch.
  input  wire logic              ip_patch_i,
  input  wire logic              ip_v6_i,
  input  wire logic [6:0]        ip_off_i,
  input  wire logic [7:0]        ttl_orig_i,
  input  wire logic              two_step_i,
  input  wire logic [7:0]        ttl_mid_i,
  input  wire logic [7:0]        ttl_new_i,
  input  wire logic [7:0]        proto_i,
  input  wire logic [15:0]       csum_i,
  // Carried to the descriptor.
  input  wire logic              p2_i,
  input  wire logic [SlotW-1:0]  slot_i,
  input  wire esp_desc_t         esp_i,
  // Result.
  output      logic              valid_o,
  output      out_desc_t         desc_o
);


  ///////////////////////////////////////////////////////////////////////
  // Stage 1: IP patch, prefix                                          //
  ///////////////////////////////////////////////////////////////////////

  logic                      s1_valid_q;
  action_e                   s1_act_q;
  logic [OutUserW-1:0]       s1_user_q;
  logic [BufAw-1:0]          s1_start_q;
  logic [BufBeatsW-1:0]      s1_beats_q;
  logic [OutLenW-1:0]        s1_len_q;
  logic [InHdrBytes*8-1:0]   s1_hdr_q, s1_hdr_d;
  logic [PrefixBytes*8-1:0]  s1_pfx_q, s1_pfx_d;
  logic [5:0]                s1_plen_q, s1_plen_d;
  logic [6:0]                s1_rest_q;
  logic                      s1_p2_q;
  logic [SlotW-1:0]          s1_slot_q;
  esp_desc_t                 s1_esp_q;

  always_comb begin
    logic [15:0] c2;
    logic [5:0]  o;

    c2 = ttl_csum(csum_i, proto_i, ttl_orig_i, two_step_i, ttl_mid_i, ttl_new_i);

    s1_hdr_d = hdr_i;
    if (ip_patch_i) begin
      for (int unsigned off = 14; off <= 54; off += 4) begin
        if (ip_off_i == 7'(off)) begin
          if (ip_v6_i) begin
            s1_hdr_d[8*(off+7) +: 8] = ttl_new_i;
          end else begin
            s1_hdr_d[8*(off+8) +: 8]  = ttl_new_i;
            s1_hdr_d[8*(off+10) +: 8] = c2[15:8];
            s1_hdr_d[8*(off+11) +: 8] = c2[7:0];
          end
        end
      end
    end

    // Prefix bytes in wire order (byte 0 in the low bits): the network-
    // order concatenation, byte-reversed.
    if (vlan_valid_i) begin
      s1_pfx_d = {<<8{dmac_i, smac_i, TpidC, 4'h0, vlan_i, ethertype_i, lse_i[0], lse_i[1], lse_i[2]}};
      o        = 6'd16;
    end else begin
      s1_pfx_d = (PrefixBytes*8)'({<<8{dmac_i, smac_i, ethertype_i, lse_i[0], lse_i[1], lse_i[2]}});
      o        = 6'd12;
    end
    s1_plen_d = o + 6'd2 + {2'b0, n_new_i, 2'b00};
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s1_valid_q <= 1'b0;
    else         s1_valid_q <= valid_i;
  end

  always_ff @(posedge clk_i) begin
    s1_act_q   <= act_i;
    s1_user_q  <= user_i;
    s1_start_q <= buf_start_i;
    s1_beats_q <= buf_beats_i;
    s1_len_q   <= len_i;
    s1_hdr_q   <= s1_hdr_d;
    s1_pfx_q   <= s1_pfx_d;
    s1_plen_q  <= (act_i == ActFwd) ? s1_plen_d : 6'd0;
    s1_rest_q  <= (act_i == ActFwd) ? rest_off_i : 7'd0;
    s1_p2_q    <= p2_i;
    s1_slot_q  <= slot_i;
    s1_esp_q   <= esp_i;
  end

  ///////////////////////////////////////////////////////////////////////
  // Stage 2: shift under the prefix                                    //
  ///////////////////////////////////////////////////////////////////////

  out_desc_t d_d, d_q;
  logic      valid_q;

  always_comb begin
    logic signed [7:0] delta;
    logic [2:0]        sel;          // (delta + 16) / 4
    logic [(InHdrBytes+16)*8-1:0] ext;
    logic [OutHdrBytes*8-1:0]     shifted, pmask;

    delta = $signed({1'b0, s1_rest_q}) - $signed({2'b0, s1_plen_q});
    sel   = 3'((delta + 8'sd16) >>> 2);
    ext   = {s1_hdr_q, 128'b0};         // ext byte i = hdr byte i - 16
    shifted = (OutHdrBytes*8)'(ext >> {sel, 5'b0});

    d_d           = '0;
    d_d.act       = s1_act_q;
    d_d.user      = s1_user_q;
    d_d.len       = s1_len_q;
    d_d.buf_start = s1_start_q;
    d_d.buf_beats = s1_beats_q;
    d_d.shift     = delta[5:0];
    d_d.p2        = s1_p2_q;
    d_d.slot      = s1_slot_q;
    d_d.esp       = s1_esp_q;
    // Output beat k >= 2 starts at input byte 64k + delta, i.e. in input
    // beat k-1 when delta < 0, else k; the egress reads beat rd_base + k
    // while sending output beat k.
    d_d.rd_base   = s1_start_q + ((delta < 0) ? BufAw'(0) : BufAw'(1));
    // Bytes below |P| come from P.
    pmask     = ~({(OutHdrBytes*8){1'b1}} << {s1_plen_q, 3'b000});
    d_d.hdr   = (shifted & ~pmask) | ((OutHdrBytes*8)'(s1_pfx_q) & pmask);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) valid_q <= 1'b0;
    else         valid_q <= s1_valid_q;
  end

  always_ff @(posedge clk_i) d_q <= d_d;

  assign valid_o = valid_q;
  assign desc_o  = d_q;

endmodule
