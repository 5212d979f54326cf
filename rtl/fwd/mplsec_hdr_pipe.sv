// mplsec_hdr_pipe: the forwarding decision for one frame a cycle
// (docs/datapath.md steps 1-6 and the policer), as a fixed-latency
// pipeline that never stalls. In: a complete frame's descriptor and its
// first 192 bytes from the ingress. Out: an egress descriptor (act, output
// port or punt reason, the first two output beats, realign settings).
// Also owns the tables and raises counter events.
//
//   parser (3) | A classify, ILM read | B ILM, IP checks, NHLFE read |
//   C NHLFE op, LPM level-0 read | LPM levels 0..15 (17) |
//   E route read | F route, next hop read, policer request |
//   G next hop, MTU, header RAM read | H policer answer, counters |
//   rewrite (2)
//
// The header bytes wait in a 64-slot RAM from entry to stage G, so the
// stage registers carry parsed fields only.
// Every check records the first reason that decides (act != ActNone);
// later stages leave a decided frame alone, which keeps the spec's order.
// Small tables (port, vrf, local_addr) are flops read combinationally;
// the others are two-port RAMs whose control port serves tbl_* so a table
// write never takes a cycle from traffic.
`default_nettype none

module mplsec_hdr_pipe
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic              clk_i,
  input  wire logic              rst_ni,
  input  wire logic              valid_i,
  input  wire in_desc_t          desc_i,
  input  wire logic [InHdrBytes*8-1:0] hdr_i,
  output      logic              valid_o,
  output      out_desc_t         desc_o,
  // Table access. Read data and error flag two cycles after tbl_re_i.
  input  wire logic              tbl_we_i,
  input  wire logic              tbl_re_i,
  input  wire logic [7:0]        tbl_id_i,
  input  wire logic [23:0]       tbl_index_i,
  input  wire logic [255:0]      tbl_wdata_i,
  output      logic [255:0]      tbl_rdata_o,
  output      logic              tbl_err_o,
  // Policer configuration.
  input  wire logic              pol_we_i,
  input  wire logic [1:0]        pol_idx_i,
  input  wire logic [31:0]       pol_rate_i,
  input  wire logic [31:0]       pol_burst_i,
  // Counter events.
  output      logic              ev_rx_o,
  output      logic [1:0]        ev_rx_port_o,
  output      logic [LenW-1:0]   ev_rx_len_o,
  output      logic              ev_tx_o,
  output      logic [1:0]        ev_tx_port_o,
  output      logic [OutLenW-1:0] ev_tx_len_o,
  output      logic              ev_reason_o,
  output      logic [7:0]        ev_reason_code_o,
  output      logic [LenW-1:0]   ev_reason_len_o,
  output      logic              ev_nhlfe_o,
  output      logic [15:0]       ev_nhlfe_idx_o,
  output      logic [LenW-1:0]   ev_nhlfe_len_o,
  output      logic              ev_route_o,
  output      logic [16:0]       ev_route_idx_o,
  output      logic [LenW-1:0]   ev_route_len_o,
  // SA tables (mplsec_sa_tables): entry, tunnel, lifetime and next_seq
  // one cycle after sa_rd_o; seq_take_o in that cycle takes seq_i.
  output      logic              sa_rd_o,
  output      logic [SaW-1:0]    sa_idx_o,
  input  wire sa_entry_t         sa_i,
  input  wire sa_tunnel_entry_t  tunnel_i,
  input  wire sa_lifetime_entry_t lifetime_i,
  input  wire logic [63:0]       seq_i,
  output      logic              seq_take_o,
  // SA accounting (mplsec_sa_account): the stopped flag one cycle after
  // q_o, and one step a frame.
  output      logic              q_o,
  output      logic [SaW-1:0]    q_sa_o,
  input  wire logic              q_stopped_i,
  output      logic              acct_o,
  output      sa_acct_e          acct_kind_o,
  output      logic [SaW-1:0]    acct_sa_o,
  output      logic [LenW-1:0]   acct_len_o,
  output      sa_lifetime_entry_t acct_life_o,
  // A second pass is at stage G: counted in its SA (mplsec_esp_inbound).
  output      logic              p2_at_g_o
);

  localparam int unsigned LpmLat = 17;
  // Node pools per trie level, from the register map (entry l = level l).
  localparam logic [15:0][15:0] Lpm4Nodes = {
    192'b0,
    16'(TBL_LPM4_NODES_L3), 16'(TBL_LPM4_NODES_L2), 16'(TBL_LPM4_NODES_L1), 16'(TBL_LPM4_NODES_L0)};
  localparam logic [15:0][15:0] Lpm6Nodes = {
    16'(TBL_LPM6_NODES_L15), 16'(TBL_LPM6_NODES_L14), 16'(TBL_LPM6_NODES_L13), 16'(TBL_LPM6_NODES_L12),
    16'(TBL_LPM6_NODES_L11), 16'(TBL_LPM6_NODES_L10), 16'(TBL_LPM6_NODES_L9),  16'(TBL_LPM6_NODES_L8),
    16'(TBL_LPM6_NODES_L7),  16'(TBL_LPM6_NODES_L6),  16'(TBL_LPM6_NODES_L5),  16'(TBL_LPM6_NODES_L4),
    16'(TBL_LPM6_NODES_L3),  16'(TBL_LPM6_NODES_L2),  16'(TBL_LPM6_NODES_L1),  16'(TBL_LPM6_NODES_L0)};

  typedef struct packed {
    action_e            act;        // ActNone while undecided
    logic [7:0]         reason;
    logic               path_ilm;   // labeled, waiting for ILM/NHLFE
    logic               path_ip;    // unlabeled or explicit null (step 5)
    logic               expl_null;
    logic               local_hit;  // destination is one of local_addr
    logic               need_lpm;
    logic [7:0]         vrf;
    logic [15:0]        nhlfe_idx;
    logic               use_route;
    logic [16:0]        route_idx;
    logic [11:0]        nexthop;
    // Rewrite.
    logic [1:0]         n_new;
    logic [2:0][31:0]   lse;
    logic [15:0]        et_out;
    logic [6:0]         rest_off;
    logic               ip_patch;
    logic               two_step;
    logic [7:0]         ttl_mid;
    logic [7:0]         ttl_new;
    // Output.
    logic [1:0]         out_port;
    logic [47:0]        dmac;
    logic [47:0]        smac;
    logic               vlan_valid;
    logic [11:0]        vlan;
    logic [OutLenW-1:0] out_len;
    // ESP (step 4).
    logic               esp_out;    // route with sa_valid: encrypt
    logic               esp_in;     // ESP for this card: decrypt
    logic [SaW-1:0]     sa;
    logic               p2_count;   // decrypted inner packet valid: count it in sa[p2_sa]
    parsed_t            p;
    in_desc_t           d;
  } ctx_t;

  // Bytes an outbound SA puts around an inner packet of `inner` bytes:
  // outer IP, [UDP,] ESP header, IV, padding, pad length, next header, ICV.
  function automatic logic [LenW-1:0] esp_outer_len(logic outer_v6, logic encap_udp, logic [15:0] inner);
    logic [1:0] pad;
    pad = 2'(2'd0 - 2'(inner + 16'd2));
    return LenW'(inner) + LenW'(pad) + LenW'(2 + 16 + IcvBytes) +
           (outer_v6 ? LenW'(40) : LenW'(20)) + ((encap_udp && !outer_v6) ? LenW'(8) : LenW'(0));
  endfunction

  // The frame length the counters see: L of the frame as it arrived.
  function automatic logic [LenW-1:0] cnt_len(logic p2, logic [LenW-1:0] arrived, logic [LenW-1:0] len);
    return p2 ? arrived : len;
  endfunction

  function automatic void decide(inout ctx_t c, input action_e act, input reason_e r);
    c.act    = act;
    c.reason = 8'(r);
  endfunction

  ///////////////////////////////////////////////////////////////////////
  // Small tables                                                       //
  ///////////////////////////////////////////////////////////////////////

  port_entry_t       port_q  [TBL_PORT_DEPTH];
  vrf_entry_t        vrf_q   [TBL_VRF_DEPTH];
  local_addr_entry_t local_q [TBL_LOCAL_ADDR_DEPTH];

  logic tbl_port, tbl_ilm, tbl_nhlfe, tbl_nexthop, tbl_vrf, tbl_route, tbl_lpm4, tbl_lpm6, tbl_local;
  always_comb begin
    tbl_port    = (tbl_id_i == 8'(TBL_PORT_ID))       && (tbl_index_i < 24'(TBL_PORT_DEPTH));
    tbl_ilm     = (tbl_id_i == 8'(TBL_ILM_ID))        && (tbl_index_i < 24'(TBL_ILM_DEPTH));
    tbl_nhlfe   = (tbl_id_i == 8'(TBL_NHLFE_ID))      && (tbl_index_i < 24'(TBL_NHLFE_DEPTH));
    tbl_nexthop = (tbl_id_i == 8'(TBL_NEXTHOP_ID))    && (tbl_index_i < 24'(TBL_NEXTHOP_DEPTH));
    tbl_vrf     = (tbl_id_i == 8'(TBL_VRF_ID))        && (tbl_index_i < 24'(TBL_VRF_DEPTH));
    tbl_route   = (tbl_id_i == 8'(TBL_ROUTE_ID))      && (tbl_index_i < 24'(TBL_ROUTE_DEPTH));
    tbl_lpm4    = (tbl_id_i == 8'(TBL_LPM4_ID));
    tbl_lpm6    = (tbl_id_i == 8'(TBL_LPM6_ID));
    tbl_local   = (tbl_id_i == 8'(TBL_LOCAL_ADDR_ID)) && (tbl_index_i < 24'(TBL_LOCAL_ADDR_DEPTH));
  end

  // Like the RAM tables these keep their contents over a datapath reset
  // and start empty.
  initial begin
    for (int unsigned i = 0; i < TBL_PORT_DEPTH; i++) port_q[i] = '0;
    for (int unsigned i = 0; i < TBL_VRF_DEPTH; i++) vrf_q[i] = '0;
    for (int unsigned i = 0; i < TBL_LOCAL_ADDR_DEPTH; i++) local_q[i] = '0;
  end

  always_ff @(posedge clk_i) begin
    if (tbl_we_i) begin
      if (tbl_port)  port_q[tbl_index_i[$clog2(TBL_PORT_DEPTH)-1:0]] <=
                         tbl_wdata_i[$bits(port_entry_t)-1:0];
      if (tbl_vrf)   vrf_q[tbl_index_i[$clog2(TBL_VRF_DEPTH)-1:0]] <=
                         tbl_wdata_i[$bits(vrf_entry_t)-1:0];
      if (tbl_local) local_q[tbl_index_i[$clog2(TBL_LOCAL_ADDR_DEPTH)-1:0]] <=
                         tbl_wdata_i[$bits(local_addr_entry_t)-1:0];
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Parser                                                             //
  ///////////////////////////////////////////////////////////////////////

  logic     p_valid;
  in_desc_t p_desc;
  parsed_t  p_fields;

  mplsec_parser u_parser (
    .clk_i    (clk_i),
    .rst_ni   (rst_ni),
    .valid_i  (valid_i),
    .desc_i   (desc_i),
    .hdr_i    (hdr_i),
    .valid_o  (p_valid),
    .desc_o   (p_desc),
    .parsed_o (p_fields)
  );

  ///////////////////////////////////////////////////////////////////////
  // Stage A: classify, ILM read                                        //
  ///////////////////////////////////////////////////////////////////////

  ctx_t a_d, a_q;
  logic a_valid_q;
  ilm_entry_t ilm_rdata, ilm_hdata;

  always_comb begin
    logic [19:0] label;
    a_d   = '0;
    a_d.p = p_fields;
    a_d.d = p_desc;
    label = p_fields.lse0[31:12];
    if (p_desc.p2) begin
      // Second pass: a verdict to count, or the decrypted inner packet.
      if (p_desc.p2_drop) decide(a_d, ActDrop, reason_e'(p_desc.p2_reason));
      else                a_d.path_ip = 1'b1;
    end else if (p_fields.len_bad) begin
      decide(a_d, ActDrop, REASON_BAD_FRAME);
    end else if (p_fields.ethertype == EtArp) begin
      decide(a_d, ActPunt, REASON_PUNT_CONTROL);
    end else if (p_fields.ethertype == EtMpls) begin
      if (p_fields.stk_trunc) begin
        decide(a_d, ActDrop, REASON_BAD_FRAME);
      end else if (p_fields.stk_deep) begin
        decide(a_d, ActDrop, REASON_STACK_TOO_DEEP);
      end else if (label == 20'd1) begin
        decide(a_d, ActPunt, REASON_ROUTER_ALERT);
      end else if (label == 20'd0 || label == 20'd2) begin
        if (!p_fields.lse0[8]) decide(a_d, ActDrop, REASON_NO_LABEL);
        else begin
          a_d.path_ip   = 1'b1;
          a_d.expl_null = 1'b1;
        end
      end else if (label < 20'd16) begin
        decide(a_d, ActDrop, REASON_NO_LABEL);
      end else begin
        a_d.path_ilm = 1'b1;
      end
    end else if (p_fields.ethertype == EtIpv4 || p_fields.ethertype == EtIpv6) begin
      a_d.path_ip = 1'b1;
    end else begin
      decide(a_d, ActDrop, REASON_BAD_FRAME);
    end

    // The card's own addresses, in the family of the frame's path.
    for (int unsigned i = 0; i < TBL_LOCAL_ADDR_DEPTH; i++) begin
      if (local_q[i].valid && (local_q[i].is_v6 == p_fields.ip_v6) &&
          (p_fields.ip_v6 ? (local_q[i].addr == p_fields.ip_dst)
                          : (local_q[i].addr[31:0] == p_fields.ip_dst[31:0]))) begin
        a_d.local_hit = 1'b1;
      end
    end
  end

  mplsec_ram #(
    .Width ($bits(ilm_entry_t)),
    .Depth (TBL_ILM_DEPTH)
  ) u_ilm (
    .clk_i     (clk_i),
    .a_we_i    (tbl_we_i && tbl_ilm),
    .a_re_i    (tbl_re_i && tbl_ilm),
    .a_addr_i  (20'(tbl_index_i)),
    .a_wdata_i (tbl_wdata_i[$bits(ilm_entry_t)-1:0]),
    .a_rdata_o (ilm_hdata),
    .b_en_i    (1'b1),
    .b_addr_i  (p_fields.lse0[31:12]),
    .b_rdata_o (ilm_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) a_valid_q <= 1'b0;
    else         a_valid_q <= p_valid;
  end
  always_ff @(posedge clk_i) a_q <= a_d;

  ///////////////////////////////////////////////////////////////////////
  // Stage B: ILM result, IP checks (step 5.1, 5.2), NHLFE read          //
  ///////////////////////////////////////////////////////////////////////

  ctx_t b_d, b_q;
  logic b_valid_q;
  nhlfe_entry_t nhlfe_rdata, nhlfe_hdata;

  always_comb begin
    logic [7:0]  top_ttl, ttl_in;
    b_d     = a_q;
    ttl_in  = '0;
    top_ttl = a_q.p.lse0[7:0];
    b_d.nhlfe_idx = ilm_rdata.nhlfe;
    if (a_q.act == ActNone && a_q.path_ilm) begin
      if (!ilm_rdata.valid)                     decide(b_d, ActDrop, REASON_NO_LABEL);
      else if (!ilm_rdata.port_mask[a_q.d.port]) decide(b_d, ActDrop, REASON_LABEL_SPOOFED);
    end
    if (a_q.act == ActNone && a_q.path_ip && a_q.d.p2) begin
      // Decrypted (step 4.2): the inner packet must pass 5.1 as the version
      // its next header named; then it is counted in its SA and looked up
      // in the pop-lookup's VRF without a TTL check or decrement.
      if (!a_q.p.ip_full_ok) begin
        decide(b_d, ActDrop, REASON_BAD_FRAME);
      end else begin
        b_d.p2_count = 1'b1;
        if (!vrf_q[a_q.d.p2_vrf].valid) begin
          decide(b_d, ActDrop, REASON_NO_ROUTE);
        end else begin
          b_d.ttl_new  = a_q.p.ip_ttl;
          b_d.vrf      = a_q.d.p2_vrf;
          b_d.need_lpm = 1'b1;
          b_d.rest_off = a_q.p.ip_off;
        end
      end
    end else if (a_q.act == ActNone && a_q.path_ip) begin
      ttl_in = a_q.expl_null ? top_ttl : a_q.p.ip_ttl;
      if (!a_q.p.ip_full_ok) begin
        decide(b_d, ActDrop, REASON_BAD_FRAME);
      end else if (a_q.local_hit || a_q.p.ip_mcast) begin
        decide(b_d, ActPunt, REASON_PUNT_CONTROL);
      end else if (!port_q[a_q.d.port].vrf_valid) begin
        decide(b_d, ActDrop, REASON_NO_ROUTE);
      end else if (ttl_in <= 8'd1) begin
        decide(b_d, ActPunt, REASON_TTL_EXPIRED);
      end else begin
        b_d.ip_patch = 1'b1;
        b_d.two_step = a_q.expl_null;
        b_d.ttl_mid  = top_ttl;
        b_d.ttl_new  = ttl_in - 8'd1;
        b_d.vrf      = port_q[a_q.d.port].vrf;
        b_d.need_lpm = 1'b1;
        b_d.rest_off = a_q.p.ip_off;
      end
    end
  end

  mplsec_ram #(
    .Width ($bits(nhlfe_entry_t)),
    .Depth (TBL_NHLFE_DEPTH)
  ) u_nhlfe (
    .clk_i     (clk_i),
    .a_we_i    (tbl_we_i && tbl_nhlfe),
    .a_re_i    (tbl_re_i && tbl_nhlfe),
    .a_addr_i  (16'(tbl_index_i)),
    .a_wdata_i (tbl_wdata_i[$bits(nhlfe_entry_t)-1:0]),
    .a_rdata_o (nhlfe_hdata),
    .b_en_i    (1'b1),
    .b_addr_i  (ilm_rdata.nhlfe),
    .b_rdata_o (nhlfe_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) b_valid_q <= 1'b0;
    else         b_valid_q <= a_valid_q;
  end
  always_ff @(posedge clk_i) b_q <= b_d;

  ///////////////////////////////////////////////////////////////////////
  // Stage C: NHLFE operation (step 3)                                  //
  ///////////////////////////////////////////////////////////////////////

  ctx_t c_d, c_q;
  logic c_valid_q;
  logic c_ev_nhlfe_q;

  always_comb begin
    logic [7:0]   top_ttl;
    logic [2:0]   top_tc, tc_out;
    logic         top_s;
    logic [5:0]   l2;
    logic [19:0]  lbl [3];
    vrf_entry_t   vc;
    nhlfe_entry_t nh;

    c_d     = b_q;
    nh      = nhlfe_rdata;
    top_ttl = b_q.p.lse0[7:0];
    top_tc  = b_q.p.lse0[11:9];
    top_s   = b_q.p.lse0[8];
    l2      = b_q.p.l2_len;
    tc_out  = nh.tc_set ? nh.tc : top_tc;
    lbl[0]  = nh.label0;
    lbl[1]  = nh.label1;
    lbl[2]  = nh.label2;
    vc      = vrf_q[nh.vrf];

    if (b_q.act == ActNone && b_q.path_ilm) begin
      if (nh.op == NHLFE_OP_PUNT) begin
        decide(c_d, ActPunt, REASON_PUNT_CONTROL);
      end else if (nh.op != NHLFE_OP_SWAP && nh.op != NHLFE_OP_POP && nh.op != NHLFE_OP_POP_LOOKUP) begin
        decide(c_d, ActDrop, REASON_ACTION_DROP);
      end else if (top_ttl <= 8'd1) begin
        decide(c_d, ActPunt, REASON_TTL_EXPIRED);
      end else begin
        c_d.nexthop = nh.nexthop;
        unique case (nh.op)
          NHLFE_OP_SWAP: begin
            c_d.n_new = nh.n_labels;
            for (int unsigned i = 0; i < 3; i++) begin
              c_d.lse[i] = {lbl[i], tc_out, (2'(i) == nh.n_labels - 2'd1) && top_s, top_ttl - 8'd1};
            end
            c_d.rest_off = 7'(l2) + 7'd4;
            c_d.et_out   = EtMpls;
          end
          NHLFE_OP_POP: begin
            if (!top_s) begin
              c_d.n_new    = 2'd1;
              c_d.lse[0]   = nh.ttl_pipe ? b_q.p.lse1 : {b_q.p.lse1[31:8], top_ttl - 8'd1};
              c_d.rest_off = 7'(l2) + 7'd8;
              c_d.et_out   = EtMpls;
            end else if (!b_q.p.ip_fam_ok || !b_q.p.ip_min_ok) begin
              decide(c_d, ActDrop, REASON_BAD_FRAME);
            end else begin
              c_d.rest_off = 7'(l2) + 7'd4;
              c_d.et_out   = b_q.p.ip_v6 ? EtIpv6 : EtIpv4;
              c_d.ip_patch = !nh.ttl_pipe;
              c_d.ttl_new  = top_ttl - 8'd1;
            end
          end
          default: begin  // NHLFE_OP_POP_LOOKUP
            if (!top_s || !b_q.p.ip_fam_ok || !b_q.p.ip_min_ok) begin
              decide(c_d, ActDrop, REASON_BAD_FRAME);
            end else if (nh.ttl_pipe && b_q.p.ip_ttl <= 8'd1) begin
              decide(c_d, ActPunt, REASON_TTL_EXPIRED);
            end else if (b_q.local_hit && (b_q.p.ip_proto == 8'd50 || b_q.p.ip_proto == 8'd17) &&
                         !b_q.p.ip_full_ok) begin
              // May be ESP for this card: step 5.1 first (Notes on ESP).
              decide(c_d, ActDrop, REASON_BAD_FRAME);
            end else if (b_q.local_hit && (b_q.p.ip_proto == 8'd50 || b_q.p.esp_udp)) begin
              // ESP for this card: the inbound stage decrypts after the
              // egress hands it over (SPI lookup, SA checks, ICV, replay).
              if (b_q.p.ip_frag || b_q.p.esp_len < 16'(16 + 2 + IcvBytes)) begin
                decide(c_d, ActDrop, REASON_BAD_FRAME);
              end else begin
                c_d.esp_in = 1'b1;
                c_d.vrf    = nh.vrf;
              end
            end else if (!vc.valid) begin
              decide(c_d, ActDrop, REASON_NO_ROUTE);
            end else if (vc.require_esp) begin
              decide(c_d, ActDrop, REASON_ESP_REQUIRED);
            end else begin
              c_d.ip_patch = 1'b1;
              c_d.ttl_new  = nh.ttl_pipe ? b_q.p.ip_ttl - 8'd1 : top_ttl - 8'd1;
              c_d.rest_off = 7'(l2) + 7'd4;
              c_d.vrf      = nh.vrf;
              c_d.need_lpm = 1'b1;
            end
          end
        endcase
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      c_valid_q    <= 1'b0;
      c_ev_nhlfe_q <= 1'b0;
    end else begin
      c_valid_q    <= b_valid_q;
      // Counted once the TTL check has passed, whatever happens later.
      c_ev_nhlfe_q <= b_valid_q && b_q.act == ActNone && b_q.path_ilm &&
                      (nhlfe_rdata.op == NHLFE_OP_SWAP || nhlfe_rdata.op == NHLFE_OP_POP ||
                       nhlfe_rdata.op == NHLFE_OP_POP_LOOKUP) && b_q.p.lse0[7:0] > 8'd1;
    end
  end
  always_ff @(posedge clk_i) c_q <= c_d;

  assign ev_nhlfe_o     = c_ev_nhlfe_q;
  assign ev_nhlfe_idx_o = c_q.nhlfe_idx;
  assign ev_nhlfe_len_o = cnt_len(c_q.d.p2, c_q.d.cnt_len, c_q.d.len);

  ///////////////////////////////////////////////////////////////////////
  // LPM walk (step 5.3)                                                //
  ///////////////////////////////////////////////////////////////////////

  logic        lpm_go;
  logic        l4_valid, l6_valid, l4_match, l6_match;
  logic [16:0] l4_route, l6_route;
  logic        l4_tag;
  ctx_t        l6_tag;
  logic [32:0] lpm4_hdata;
  logic [30:0] lpm6_hdata;
  logic        lpm4_bad, lpm6_bad;

  assign lpm_go = c_valid_q && c_q.act == ActNone && c_q.need_lpm;

  mplsec_lpm #(
    .Levels        (TBL_LPM4_LEVELS),
    .Lat           (LpmLat),
    .NodeW         (14),
    .LevelShift    (22),
    .NodesPerLevel (Lpm4Nodes),
    .tag_t         (logic)
  ) u_lpm4 (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .valid_i     (c_valid_q),
    .lookup_i    (lpm_go && !c_q.p.ip_v6),
    .tag_i       (1'b0),
    .root_i      (c_q.vrf),
    .key_i       ({c_q.p.ip_dst[31:0], 96'b0}),
    .valid_o     (l4_valid),
    .tag_o       (l4_tag),
    .match_o     (l4_match),
    .route_o     (l4_route),
    .tbl_we_i    (tbl_we_i && tbl_lpm4),
    .tbl_re_i    (tbl_re_i && tbl_lpm4),
    .tbl_index_i (tbl_index_i),
    .tbl_wdata_i (tbl_wdata_i[32:0]),
    .tbl_rdata_o (lpm4_hdata),
    .tbl_bad_o   (lpm4_bad)
  );

  mplsec_lpm #(
    .Levels        (TBL_LPM6_LEVELS),
    .Lat           (LpmLat),
    .NodeW         (12),
    .LevelShift    (20),
    .NodesPerLevel (Lpm6Nodes),
    .tag_t         (ctx_t)
  ) u_lpm6 (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .valid_i     (c_valid_q),
    .lookup_i    (lpm_go && c_q.p.ip_v6),
    .tag_i       (c_q),
    .root_i      (c_q.vrf),
    .key_i       (c_q.p.ip_dst),
    .valid_o     (l6_valid),
    .tag_o       (l6_tag),
    .match_o     (l6_match),
    .route_o     (l6_route),
    .tbl_we_i    (tbl_we_i && tbl_lpm6),
    .tbl_re_i    (tbl_re_i && tbl_lpm6),
    .tbl_index_i (tbl_index_i),
    .tbl_wdata_i (tbl_wdata_i[30:0]),
    .tbl_rdata_o (lpm6_hdata),
    .tbl_bad_o   (lpm6_bad)
  );

  ///////////////////////////////////////////////////////////////////////
  // Stage E: LPM result, route read                                    //
  ///////////////////////////////////////////////////////////////////////

  ctx_t e_d, e_q;
  logic e_valid_q;
  route_entry_t route_rdata, route_hdata;

  always_comb begin
    logic        m;
    logic [16:0] r;
    e_d = l6_tag;
    m   = l6_tag.p.ip_v6 ? l6_match : l4_match;
    r   = l6_tag.p.ip_v6 ? l6_route : l4_route;
    e_d.route_idx = r;
    if (l6_tag.act == ActNone && l6_tag.need_lpm) begin
      if (!m) decide(e_d, ActDrop, REASON_NO_ROUTE);
      else    e_d.use_route = 1'b1;
    end
  end

  mplsec_ram #(
    .Width ($bits(route_entry_t)),
    .Depth (TBL_ROUTE_DEPTH)
  ) u_route (
    .clk_i     (clk_i),
    .a_we_i    (tbl_we_i && tbl_route),
    .a_re_i    (tbl_re_i && tbl_route),
    .a_addr_i  (17'(tbl_index_i)),
    .a_wdata_i (tbl_wdata_i[$bits(route_entry_t)-1:0]),
    .a_rdata_o (route_hdata),
    .b_en_i    (1'b1),
    .b_addr_i  (e_d.route_idx),
    .b_rdata_o (route_rdata)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) e_valid_q <= 1'b0;
    else         e_valid_q <= l6_valid;
  end
  always_ff @(posedge clk_i) e_q <= e_d;

  ///////////////////////////////////////////////////////////////////////
  // Stage F: route (step 5.4), next hop read                           //
  ///////////////////////////////////////////////////////////////////////

  ctx_t f_d, f_q;
  logic f_valid_q;
  logic f_ev_route_q;
  nexthop_entry_t nh_rdata, nh_hdata;

  always_comb begin
    logic [19:0] lbl [3];
    lbl[0] = route_rdata.label0;
    lbl[1] = route_rdata.label1;
    lbl[2] = route_rdata.label2;
    f_d    = e_q;
    if (e_q.act == ActNone && e_q.use_route) begin
      if (!route_rdata.valid) begin
        decide(f_d, ActDrop, REASON_NO_ROUTE);
      end else if (route_rdata.sa_valid && e_q.d.p2) begin
        // The card does not encrypt what it just decrypted.
        decide(f_d, ActDrop, REASON_NO_ROUTE);
      end else if (route_rdata.sa_valid &&
                   LenW'(e_q.p.ip_off) + LenW'(e_q.p.ip_len) > e_q.d.len) begin
        // Only an inner packet wholly in the frame is encrypted (a
        // pop-lookup validates no more than the header minimum).
        decide(f_d, ActDrop, REASON_BAD_FRAME);
      end else if (route_rdata.sa_valid) begin
        // Step 4.1: labels go on after encryption, with the outer
        // precedence and TTL 64 (uniform) or 255 (pipe).
        f_d.esp_out = 1'b1;
        f_d.sa      = SaW'(route_rdata.sa);
        f_d.n_new   = route_rdata.n_push;
        f_d.nexthop = route_rdata.nexthop;
        for (int unsigned i = 0; i < 3; i++) begin
          f_d.lse[i] = {lbl[i], e_q.p.ip_prec, (2'(i) == route_rdata.n_push - 2'd1),
                        route_rdata.ttl_pipe ? 8'd255 : 8'd64};
        end
      end else begin
        f_d.n_new   = route_rdata.n_push;
        f_d.nexthop = route_rdata.nexthop;
        for (int unsigned i = 0; i < 3; i++) begin
          f_d.lse[i] = {lbl[i], e_q.p.ip_prec, (2'(i) == route_rdata.n_push - 2'd1),
                        route_rdata.ttl_pipe ? 8'd255 : e_q.ttl_new};
        end
        f_d.et_out = (route_rdata.n_push != 2'd0) ? EtMpls : (e_q.p.ip_v6 ? EtIpv6 : EtIpv4);
      end
    end
  end

  mplsec_ram #(
    .Width ($bits(nexthop_entry_t)),
    .Depth (TBL_NEXTHOP_DEPTH)
  ) u_nexthop (
    .clk_i     (clk_i),
    .a_we_i    (tbl_we_i && tbl_nexthop),
    .a_re_i    (tbl_re_i && tbl_nexthop),
    .a_addr_i  (12'(tbl_index_i)),
    .a_wdata_i (tbl_wdata_i[$bits(nexthop_entry_t)-1:0]),
    .a_rdata_o (nh_hdata),
    .b_en_i    (1'b1),
    .b_addr_i  (f_d.nexthop),
    .b_rdata_o (nh_rdata)
  );

  // The SA an outbound frame names, or the SA a decrypted packet is
  // counted in (its lifetime limits), read for stage G.
  assign sa_rd_o  = e_valid_q;
  assign sa_idx_o = e_q.d.p2 ? e_q.d.p2_sa : SaW'(route_rdata.sa);
  assign q_o      = e_valid_q;
  assign q_sa_o   = sa_idx_o;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      f_valid_q    <= 1'b0;
      f_ev_route_q <= 1'b0;
    end else begin
      f_valid_q    <= e_valid_q;
      f_ev_route_q <= e_valid_q && e_q.act == ActNone && e_q.use_route && route_rdata.valid;
    end
  end
  always_ff @(posedge clk_i) f_q <= f_d;

  assign ev_route_o     = f_ev_route_q;
  assign ev_route_idx_o = f_q.route_idx;
  assign ev_route_len_o = cnt_len(f_q.d.p2, f_q.d.cnt_len, f_q.d.len);

  ///////////////////////////////////////////////////////////////////////
  // Stage G: next hop, MTU (step 6)                                    //
  ///////////////////////////////////////////////////////////////////////

  ctx_t g_d, g_q;
  logic g_valid_q;

  assign p2_at_g_o = f_valid_q && f_q.d.p2;

  logic seq_exhausted;
  assign seq_exhausted = sa_i.esn ? (seq_i == 64'd0) : (seq_i[63:32] != 32'd0);

  always_comb begin
    logic [LenW-1:0] l3, total;
    g_d   = f_q;
    l3    = f_q.esp_out ? LenW'({f_q.n_new, 2'b00}) + esp_outer_len(sa_i.outer_v6, sa_i.encap_udp, f_q.p.ip_len)
                        : f_q.d.len - LenW'(f_q.rest_off) + LenW'({f_q.n_new, 2'b00});
    total = l3 + LenW'(14) + (nh_rdata.vlan_valid ? LenW'(4) : LenW'(0));
    seq_take_o  = 1'b0;
    acct_o      = 1'b0;
    acct_kind_o = AcctSent;
    acct_sa_o   = f_q.sa;
    acct_len_o  = LenW'(f_q.p.ip_len);
    acct_life_o = lifetime_i;
    if (f_q.act == ActNone && f_q.esp_out) begin
      // Step 4.1, in order; only a frame that is sent takes a number.
      g_d.et_out = (f_q.n_new != 2'd0) ? EtMpls : (sa_i.outer_v6 ? EtIpv6 : EtIpv4);
      if (!sa_i.valid || sa_i.inbound) begin
        decide(g_d, ActDrop, REASON_ESP_NO_SA);
      end else if (q_stopped_i) begin
        decide(g_d, ActDrop, REASON_ESP_SA_EXPIRED);
      end else if (seq_exhausted) begin
        decide(g_d, ActDrop, REASON_ESP_SEQ_OVERFLOW);
        acct_o      = f_valid_q;
        acct_kind_o = AcctExhausted;
      end
    end else if (f_q.act == ActNone && f_q.esp_in) begin
      g_d.act = ActFwd;  // to the inbound stage; it decides the frame
    end
    if (f_valid_q && f_q.d.p2) begin
      acct_sa_o = f_q.d.p2_sa;
      if (f_q.p2_count) begin
        acct_o = 1'b1;
      end else if (f_q.d.p2_drop && f_q.d.p2_acct_en) begin
        acct_o      = 1'b1;
        acct_kind_o = sa_acct_e'(f_q.d.p2_acct);
        acct_len_o  = f_q.d.cnt_len;
      end
    end
    if (g_d.act == ActNone) begin
      if (!nh_rdata.valid) begin
        decide(g_d, ActDrop, REASON_NO_ROUTE);
      end else if (l3 > LenW'(port_q[nh_rdata.port].mtu)) begin
        decide(g_d, ActDrop, REASON_MTU_EXCEEDED);
      end else begin
        g_d.act        = ActFwd;
        g_d.out_port   = nh_rdata.port;
        g_d.dmac       = nh_rdata.dmac;
        g_d.smac       = port_q[nh_rdata.port].mac;
        g_d.vlan_valid = nh_rdata.vlan_valid;
        g_d.vlan       = nh_rdata.vlan;
        g_d.out_len    = (total < LenW'(MinFrame)) ? OutLenW'(MinFrame) : OutLenW'(total);
        if (f_q.esp_out) begin
          seq_take_o = f_valid_q;
          acct_o     = f_valid_q;
        end
      end
    end
    if (g_d.act == ActPunt) g_d.out_len = OutLenW'(f_q.d.len);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) g_valid_q <= 1'b0;
    else         g_valid_q <= f_valid_q;
  end
  always_ff @(posedge clk_i) g_q <= g_d;

  ///////////////////////////////////////////////////////////////////////
  // Stage H: policer, counters                                         //
  ///////////////////////////////////////////////////////////////////////

  ctx_t h_d, h_q;
  logic h_valid_q;
  logic admit;

  mplsec_policer #(
    .NumBuckets (3)
  ) u_policer (
    .clk_i       (clk_i),
    .rst_ni      (rst_ni),
    .cfg_we_i    (pol_we_i),
    .cfg_idx_i   (pol_idx_i),
    .cfg_rate_i  (pol_rate_i),
    .cfg_burst_i (pol_burst_i),
    // Punts are decided before stage F; the answer arrives with stage G.
    .req_i       (f_valid_q && f_q.act == ActPunt),
    .req_idx_i   (2'(f_q.reason - 8'(REASON_PUNT_CONTROL))),
    .req_epoch_i (f_q.d.epoch),
    .admit_o     (admit)
  );

  always_comb begin
    h_d = g_q;
    if (g_q.act == ActPunt && !admit) decide(h_d, ActDrop, REASON_PUNT_POLICED);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) h_valid_q <= 1'b0;
    else         h_valid_q <= g_valid_q;
  end
  always_ff @(posedge clk_i) h_q <= h_d;

  // A second pass was counted on arrival; an inbound ESP frame's fate is
  // counted when its second pass comes through.
  assign ev_rx_o          = h_valid_q && !h_q.d.p2;
  assign ev_rx_port_o     = h_q.d.port;
  assign ev_rx_len_o      = h_q.d.len;
  assign ev_tx_o          = h_valid_q && h_q.act == ActFwd && !h_q.esp_in;
  assign ev_tx_port_o     = h_q.out_port;
  assign ev_tx_len_o      = h_q.out_len;
  assign ev_reason_o      = h_valid_q && (h_q.act == ActDrop || h_q.act == ActPunt);
  assign ev_reason_code_o = h_q.reason;
  assign ev_reason_len_o  = cnt_len(h_q.d.p2, h_q.d.cnt_len, h_q.d.len);

  ///////////////////////////////////////////////////////////////////////
  // ESP: outer header of an outbound frame                             //
  ///////////////////////////////////////////////////////////////////////

  // mplsec_esp_outer takes the SA read with stage G and answers with g_q;
  // one more register brings its answer to stage H (h_q).
  logic                       eo_valid_unused;
  logic [OuterMaxBytes*8-1:0] eo_hdr_g, eo_hdr;
  logic [5:0]                 eo_hdr_len_g, eo_hdr_len;
  logic [39:0]                eo_trailer_g, eo_trailer;
  logic [2:0]                 eo_trailer_len_g, eo_trailer_len;
  logic [15:0]                eo_text_len, eo_outer_len;
  logic [95:0]                eo_nonce_g, eo_aad_g, eo_nonce, eo_aad;
  logic                       eo_aad12_g, eo_aad12;

  always_ff @(posedge clk_i) begin
    eo_hdr         <= eo_hdr_g;
    eo_hdr_len     <= eo_hdr_len_g;
    eo_trailer     <= eo_trailer_g;
    eo_trailer_len <= eo_trailer_len_g;
    eo_nonce       <= eo_nonce_g;
    eo_aad         <= eo_aad_g;
    eo_aad12       <= eo_aad12_g;
  end

  mplsec_esp_outer u_esp_outer (
    .clk_i         (clk_i),
    .rst_ni        (rst_ni),
    .valid_i       (f_valid_q),
    .sa_i          (sa_i),
    .tunnel_i      (tunnel_i),
    .seq_i         (seq_i),
    .inner_len_i   (f_q.p.ip_len),
    .dscp_i        (f_q.p.ip_dscp),
    .inner_v6_i    (f_q.p.ip_v6),
    .valid_o       (eo_valid_unused),
    .hdr_o         (eo_hdr_g),
    .hdr_len_o     (eo_hdr_len_g),
    .trailer_o     (eo_trailer_g),
    .trailer_len_o (eo_trailer_len_g),
    .text_len_o    (eo_text_len),
    .outer_len_o   (eo_outer_len),
    .nonce_o       (eo_nonce_g),
    .aad_o         (eo_aad_g),
    .aad12_o       (eo_aad12_g)
  );

  // The rewrite builds an outbound frame's header as any other: prefix,
  // then "the input from rest_off on", where the input is the outer
  // header placed right behind the prefix.
  logic [6:0]              h_plen;
  logic [InHdrBytes*8-1:0] rw_hdr;
  logic [6:0]              rw_rest;
  esp_desc_t               h_esp;

  always_comb begin
    h_plen  = (h_q.vlan_valid ? 7'd18 : 7'd14) + {3'b0, h_q.n_new, 2'b00};
    rw_hdr  = hdr_rdata;
    rw_rest = h_q.rest_off;
    if (h_q.esp_out) begin
      rw_hdr  = (InHdrBytes*8)'(eo_hdr) << {h_plen, 3'b000};
      rw_rest = h_plen;
    end
    h_esp             = '0;
    h_esp.out         = h_q.esp_out && h_q.act == ActFwd;
    h_esp.in          = h_q.esp_in && h_q.act == ActFwd;
    h_esp.sa          = h_q.sa;
    h_esp.nonce       = eo_nonce;
    h_esp.aad         = eo_aad;
    h_esp.aad12       = eo_aad12;
    h_esp.ip_off      = h_q.p.ip_off;
    h_esp.inner_len   = 14'(h_q.p.ip_len);
    h_esp.trailer     = eo_trailer;
    h_esp.trailer_len = eo_trailer_len;
    h_esp.hdr_len     = h_plen + 7'(eo_hdr_len);
    h_esp.patch       = h_q.ip_patch;
    h_esp.patch_v6    = h_q.p.ip_v6;
    h_esp.patch_ttl   = h_q.ttl_new;
    h_esp.patch_csum  = ttl_csum(h_q.p.ip_csum, h_q.p.ip_proto, h_q.p.ip_ttl, h_q.two_step,
                                 h_q.ttl_mid, h_q.ttl_new);
    h_esp.spi         = h_q.p.esp_spi;
    h_esp.seq_lo      = h_q.p.esp_seq_lo;
    h_esp.iv          = h_q.p.esp_iv;
    h_esp.ct_off      = h_q.p.esp_off + 8'd16;
    h_esp.ct_len      = 14'(h_q.p.esp_len - 16'(16 + IcvBytes));
    h_esp.vrf         = h_q.vrf;
    h_esp.frame_len   = h_q.d.len;
  end

  ///////////////////////////////////////////////////////////////////////
  // Header RAM and rewrite                                             //
  ///////////////////////////////////////////////////////////////////////

  // Written when the frame enters, read while it is in stage G so that
  // the bytes meet the frame in stage H.
  logic [InHdrBytes*8-1:0] hdr_rdata, hdr_unused;

  mplsec_ram #(
    .Width (InHdrBytes * 8),
    .Depth (MaxInflight)
  ) u_hdr_ram (
    .clk_i     (clk_i),
    .a_we_i    (valid_i),
    .a_re_i    (1'b0),
    .a_addr_i  (desc_i.slot),
    .a_wdata_i (hdr_i),
    .a_rdata_o (hdr_unused),
    .b_en_i    (1'b1),
    .b_addr_i  (g_q.d.slot),
    .b_rdata_o (hdr_rdata)
  );

  logic [OutUserW-1:0] h_user;
  assign h_user = (h_q.act == ActPunt) ? pack_user(1'b1, h_q.d.port, h_q.reason)
                                       : pack_user(1'b0, h_q.out_port, 8'd0);

  mplsec_rewrite u_rewrite (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .valid_i      (h_valid_q),
    .act_i        (h_q.act),
    .user_i       (h_user),
    .buf_start_i  (h_q.d.buf_start),
    .buf_beats_i  (h_q.d.buf_beats),
    .hdr_i        (rw_hdr),
    .len_i        (h_q.out_len),
    .dmac_i       (h_q.dmac),
    .smac_i       (h_q.smac),
    .vlan_valid_i (h_q.vlan_valid),
    .vlan_i       (h_q.vlan),
    .ethertype_i  (h_q.et_out),
    .n_new_i      (h_q.n_new),
    .lse_i        (h_q.lse),
    .rest_off_i   (rw_rest),
    .ip_patch_i   (h_q.ip_patch && h_q.act == ActFwd && !h_q.esp_out),
    .ip_v6_i      (h_q.p.ip_v6),
    .ip_off_i     (h_q.p.ip_off),
    .ttl_orig_i   (h_q.p.ip_ttl),
    .two_step_i   (h_q.two_step),
    .ttl_mid_i    (h_q.ttl_mid),
    .ttl_new_i    (h_q.ttl_new),
    .proto_i      (h_q.p.ip_proto),
    .csum_i       (h_q.p.ip_csum),
    .p2_i         (h_q.d.p2),
    .slot_i       (h_q.d.slot),
    .esp_i        (h_esp),
    .valid_o      (valid_o),
    .desc_o       (desc_o)
  );

  ///////////////////////////////////////////////////////////////////////
  // Table read-back                                                    //
  ///////////////////////////////////////////////////////////////////////

  logic [7:0]   rd_id_q;
  logic         rd_err_q;
  logic [255:0] rd_small_q;

  always_ff @(posedge clk_i) begin
    rd_id_q    <= tbl_id_i;
    rd_small_q <= '0;
    rd_err_q   <= 1'b0;
    if (tbl_re_i || tbl_we_i) begin
      rd_err_q <= !(tbl_port || tbl_ilm || tbl_nhlfe || tbl_nexthop || tbl_vrf || tbl_route ||
                    (tbl_lpm4 && !lpm4_bad) || (tbl_lpm6 && !lpm6_bad) || tbl_local);
    end
    if (tbl_port)  rd_small_q <= 256'(port_q[tbl_index_i[$clog2(TBL_PORT_DEPTH)-1:0]]);
    if (tbl_vrf)   rd_small_q <= 256'(vrf_q[tbl_index_i[$clog2(TBL_VRF_DEPTH)-1:0]]);
    if (tbl_local) rd_small_q <= 256'(local_q[tbl_index_i[$clog2(TBL_LOCAL_ADDR_DEPTH)-1:0]]);
  end

  always_ff @(posedge clk_i) begin
    tbl_err_o <= rd_err_q;
    if (rd_err_q) begin
      tbl_rdata_o <= '0;
    end else begin
      unique case (rd_id_q)
        8'(TBL_ILM_ID):     tbl_rdata_o <= 256'(ilm_hdata);
        8'(TBL_NHLFE_ID):   tbl_rdata_o <= 256'(nhlfe_hdata);
        8'(TBL_NEXTHOP_ID): tbl_rdata_o <= 256'(nh_hdata);
        8'(TBL_ROUTE_ID):   tbl_rdata_o <= 256'(route_hdata);
        8'(TBL_LPM4_ID):    tbl_rdata_o <= 256'(lpm4_hdata);
        8'(TBL_LPM6_ID):    tbl_rdata_o <= 256'(lpm6_hdata);
        default:            tbl_rdata_o <= rd_small_q;
      endcase
    end
  end

  // l4_valid and l4_tag move in lockstep with the IPv6 walk; wide table
  // words and some entry fields (SA index, the rest of a port entry, the
  // ctx fields the rewrite does not need) are not used here.
  logic unused;
  assign unused = ^{l4_valid, l4_tag, tbl_wdata_i, route_rdata, port_q[0], h_q, hdr_unused,
                   eo_valid_unused, eo_text_len, eo_outer_len};

endmodule
