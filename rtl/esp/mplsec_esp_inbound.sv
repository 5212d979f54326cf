// mplsec_esp_inbound: ESP for this card, from the egress's hand-over to
// the second pass (docs/datapath.md step 4.2, in its order), with several
// frames in flight:
//
//   front (a frame a cycle through the lookup, a job a cycle):
//     SPI lookup (spi_hash, two cycles)        no slot       -> esp_no_sa
//     sa entry (own read port)                 not valid, not inbound,
//                                              other SPI     -> esp_no_sa
//     sequence number: ESN high half inferred from the window top
//     decrypt job -> mplsec_esp_crypt -> mplsec_esp_hold: ICV, replay
//     check-and-mark, padding, next header; only accepted text leaves
//   back (in frame order, one record a frame):
//     stopped flag                             stopped       -> esp_sa_expired
//     the hold's verdict; an accepted inner packet into a plaintext slot
//
// The stopped flag is asked for at the verdict; it is final when every
// earlier second pass has been counted in the header pipeline
// (p2_at_g_i), or when the SA's `sa` counter is so far from its hard
// limits that the passes still out (at most one packet and 9600 bytes
// each) cannot reach them; otherwise the frame waits for them. So it sees
// every earlier frame's `sa` count as the C-model does; a stopped SA's replay window is
// never looked at again (a restart clears it), so checking it after the
// hold changes nothing anyone sees.
//
// A frame of an ESN SA is inferred in the lookup, while the frames ahead
// of it may still move the window before its check; mplsec_replay_window
// says whether the number is final whatever they do ("safe"). Only a
// frame that is not (a jump across the wrap point, or an attacker's
// numbers far ahead) waits at the front until nothing is in flight and is
// inferred again; the frames behind it, inferred before that, are stale
// and do the same. So every frame is checked with the number the C-model,
// taking one frame at a time, would infer.
//
// An accepted inner packet is written into its slot of the plaintext RAM
// behind a 14-byte Ethernet header (ethertype from the next header), and
// its first 192 bytes go back into the header pipeline as a second pass
// (in_desc_t p2, buf_start = its place) for the VRF lookup; a verdict
// that drops goes the same way, to be counted (and counted per SA). The
// ring place is taken, in frame order, before the plaintext comes: the
// ciphertext's beats and one; at most P2Slots second passes are out at a
// time (p2_done_i: the oldest has left and frees its place).
`default_nettype none

module mplsec_esp_inbound
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
(
  input  wire logic                    clk_i,
  input  wire logic                    rst_ni,
  // Hand-over from the egress.
  input  wire logic                    job_valid_i,
  input  wire out_desc_t               job_i,
  output      logic                    job_take_o,
  // A second pass is at stage G of the header pipeline (counted); one
  // has left the card (or was dropped) and freed its slot.
  input  wire logic                    p2_at_g_i,
  input  wire logic                    p2_done_i,
  // SA tables.
  output      logic                    spi_rd_o,
  output      logic [31:0]             spi_o,
  input  wire logic                    spi_hit_i,
  input  wire logic [SaW-1:0]          spi_sa_i,
  output      logic                    rx_rd_o,
  output      logic [SaW-1:0]          rx_idx_o,
  input  wire sa_entry_t               rx_sa_i,
  input  wire sa_lifetime_entry_t      rx_lifetime_i,
  // SA accounting: stopped flag.
  output      logic                    rx_q_o,
  output      logic [SaW-1:0]          rx_q_sa_o,
  input  wire logic                    rx_q_stopped_i,
  input  wire logic [127:0]            rx_q_sent_i,   // {packets, bytes} counted in sa
  // An sa entry was written: its window restarts.
  input  wire logic                    sa_restart_i,
  input  wire logic [SaW-1:0]          sa_restart_idx_i,
  // Decrypt unit (mplsec_esp_crypt).
  output      logic                    d_job_valid_o,
  output      esp_dec_job_t            d_job_o,
  input  wire logic                    d_job_pop_i,
  input  wire logic                    p_valid_i,
  output      logic                    p_ready_o,
  input  wire logic [DataW-1:0]        p_data_i,
  input  wire logic                    p_last_i,
  input  wire logic                    p_auth_ok_i,
  input  wire logic                    p_pad_ok_i,
  input  wire logic [7:0]              p_next_hdr_i,
  input  wire logic [13:0]             p_text_len_i,
  // Plaintext RAM write port.
  output      logic                    p2_we_o,
  output      logic [P2Aw-1:0]         p2_waddr_o,
  output      logic [DataW-1:0]        p2_wdata_o,
  // Second pass into the header pipeline (held until p2_take_i).
  output      logic                    p2_valid_o,
  output      in_desc_t                p2_desc_o,
  output      logic [InHdrBytes*8-1:0] p2_hdr_o,
  input  wire logic                    p2_take_i,
  output      logic                    busy_o
);


  localparam int unsigned EthBytes = 14;
  localparam int unsigned JobDepth = 8;
  localparam int unsigned RecDepth = 32;
  localparam int unsigned P2OutDepth = 2;

  // What the back needs of a frame, in frame order.
  typedef struct packed {
    logic              early;      // decided at the front: no decrypt
    logic [SaW-1:0]    sa;
    logic [7:0]        vrf;
    logic [LenW-1:0]   frame_len;
    logic [SlotW-1:0]  slot;       // header RAM slot of the ESP frame
    logic [13:0]       ct_len;
    logic [63:0]       hard_packets;
    logic [63:0]       hard_bytes;
  } rec_t;

  ///////////////////////////////////////////////////////////////////////
  // Front                                                              //
  ///////////////////////////////////////////////////////////////////////

  // Lookup: the SPI lookup (two cycles), the SA read (one) and the
  // sequence number inference (two) of one frame a cycle, in a
  // fixed-latency pipeline whose results queue in frame order; a frame
  // enters only with room for its result.
  typedef struct packed {
    out_desc_t          job;
    logic               hit;
    logic [SaW-1:0]     sa;
    sa_entry_t          entry;
    sa_lifetime_entry_t life;
    logic [63:0]        seq;       // inferred (ESN) or seq_lo
    logic               safe;      // final whatever the frames ahead do
  } look_t;

  localparam int unsigned LookDepth = 8;
  localparam int unsigned CntW      = $clog2(LookDepth) + 1;

  logic      jq_valid, jq_full, jq_pop;
  out_desc_t jq_head;

  mplsec_fifo #(.T(out_desc_t), .Depth(JobDepth)) u_jobs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (job_take_o), .wdata_i (job_i), .full_o (jq_full),
    .rvalid_o (jq_valid), .rdata_o (jq_head), .rready_i (jq_pop)
  );
  assign job_take_o = job_valid_i && !jq_full;

  logic [4:0]         l_v_q;       // frame in lookup stage 1 .. 5
  out_desc_t          l_job_q [5];
  logic               l_hit_q [3];  // stage 3 .. 5
  logic [SaW-1:0]     l_sa_q  [3];
  sa_entry_t          l_entry_q [2];  // stage 4 .. 5
  sa_lifetime_entry_t l_life_q  [2];
  logic [1:0]         l_req_q;     // stage 4 .. 5: inference asked for
  logic [CntW-1:0]    l_count_q;   // frames in the lookup and its queue
  logic               lq_valid, lq_full, lq_pop;
  look_t              lq_head, lq_in;

  assign spi_rd_o = jq_pop;
  assign spi_o    = jq_head.esp.spi;
  // Stage 2: the SPI's slot is known; read its SA.
  assign rx_rd_o  = l_v_q[1];
  assign rx_idx_o = spi_sa_i;

  // Stage 3: the SA is known; an inbound ESN SA infers the high half.
  logic spec_req;
  assign spec_req = l_v_q[2] && l_hit_q[0] && rx_sa_i.valid && rx_sa_i.inbound && rx_sa_i.esn &&
                    rx_sa_i.spi == l_job_q[2].esp.spi;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      l_v_q     <= '0;
      l_req_q   <= '0;
      l_count_q <= '0;
    end else begin
      l_v_q     <= {l_v_q[3:0], jq_pop};
      l_req_q   <= {l_req_q[0], spec_req};
      l_count_q <= l_count_q + CntW'(jq_pop) - CntW'(lq_pop);
    end
  end

  always_ff @(posedge clk_i) begin
    l_job_q[0] <= jq_head;
    for (int unsigned i = 1; i < 5; i++) l_job_q[i] <= l_job_q[i-1];
    if (l_v_q[1]) begin
      l_hit_q[0] <= spi_hit_i;
      l_sa_q[0]  <= spi_sa_i;
    end
    for (int unsigned i = 1; i < 3; i++) begin
      l_hit_q[i] <= l_hit_q[i-1];
      l_sa_q[i]  <= l_sa_q[i-1];
    end
    l_entry_q[0] <= rx_sa_i;
    l_life_q[0]  <= rx_lifetime_i;
    l_entry_q[1] <= l_entry_q[0];
    l_life_q[1]  <= l_life_q[0];
  end

  logic        infer_valid_unused, infer_safe;
  logic [63:0] infer_seq;

  assign lq_in = '{job: l_job_q[4], hit: l_hit_q[2], sa: l_sa_q[2], entry: l_entry_q[1], life: l_life_q[1],
                   seq: l_req_q[1] ? infer_seq : {32'd0, l_job_q[4].esp.seq_lo},
                   safe: !l_req_q[1] || infer_safe};

  mplsec_fifo #(.T(look_t), .Depth(LookDepth)) u_looked (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (l_v_q[4]), .wdata_i (lq_in), .full_o (lq_full),
    .rvalid_o (lq_valid), .rdata_o (lq_head), .rready_i (lq_pop)
  );

  // Decide: early drop, or the decrypt job. A frame of an ESN SA whose
  // inference is not safe waits until nothing is in flight and is
  // inferred again with nothing ahead of it (resync: final, and U drops to
  // what the window knows). The frames in the lookup then are stale: U no
  // longer holds their numbers, nor those of the frames that come after
  // them. So no new frame enters the lookup until each stale one has
  // reached the head and been inferred again there (an ordinary inference:
  // it puts its number back into U); a stale frame that is then not safe
  // resyncs in its turn. A restart of an SA (T drops) makes the frames in
  // the lookup stale the same way. Asking (DAsk) takes a cycle without an
  // inference at stage 3; the answer comes two cycles later (DWait).
  typedef enum logic [1:0] {DIdle, DAsk, DWait} decide_e;

  decide_e         ds_q;
  logic [63:0]     h_seq_q, seq;   // the head's own inference, when h_valid_q
  logic            h_valid_q, h_safe_q, resync_q, ask_void_q;
  logic [1:0]      head_ans_q;     // the head's request, one and two cycles on
  logic [CntW-1:0] stale_q;        // frames from the head inferred before the last resync or restart
  logic            rec_full, rec_push, rec_valid, rec_pop, back_busy;
  rec_t            rec_in, rec_head;
  logic            look_ok, in_flight, early, direct, spec_ok, head_stale, head_req, restale;
  sa_entry_t       f_entry;

  assign f_entry    = lq_head.entry;
  assign look_ok    = lq_head.hit && f_entry.valid && f_entry.inbound && f_entry.spi == lq_head.job.esp.spi;
  assign in_flight  = rec_valid || back_busy;
  assign head_stale = stale_q != '0 && !h_valid_q;
  assign spec_ok    = h_valid_q ? h_safe_q : (lq_head.safe && stale_q == '0);
  assign early      = ds_q == DIdle && lq_valid && !look_ok;
  assign direct     = ds_q == DIdle && lq_valid && look_ok && (!f_entry.esn || spec_ok);
  assign head_req   = ds_q == DAsk && !spec_req;
  assign seq        = h_valid_q ? h_seq_q : lq_head.seq;
  assign restale    = (head_req && resync_q) || sa_restart_i;
  assign jq_pop     = jq_valid && l_count_q < CntW'(LookDepth) && stale_q == '0 && !restale;

  assign d_job_valid_o = direct && !rec_full;
  assign d_job_o = '{sa: lq_head.sa, nonce: {f_entry.salt, lq_head.job.esp.iv},
                     aad: f_entry.esn ? {f_entry.spi, seq[63:32], seq[31:0]} : {f_entry.spi, seq[31:0], 32'd0},
                     aad12: f_entry.esn, buf_base: lq_head.job.buf_start,
                     ct_off: lq_head.job.esp.ct_off, ct_len: lq_head.job.esp.ct_len};

  // A record for every frame: an early drop, or a decrypt job taken.
  always_comb begin
    rec_in   = '{early: 1'b1, sa: lq_head.sa, vrf: lq_head.job.esp.vrf, frame_len: lq_head.job.esp.frame_len,
                 slot: lq_head.job.slot, ct_len: lq_head.job.esp.ct_len, hard_packets: lq_head.life.hard_packets,
                 hard_bytes: lq_head.life.hard_bytes};
    rec_push = early && !rec_full;
    if (d_job_pop_i) begin
      rec_push     = 1'b1;
      rec_in.early = 1'b0;
    end
  end
  assign lq_pop = rec_push;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ds_q       <= DIdle;
      head_ans_q <= '0;
      stale_q    <= '0;
      h_valid_q  <= 1'b0;
      ask_void_q <= 1'b0;
    end else begin
      automatic logic [CntW-1:0] n = restale ? l_count_q : stale_q;
      stale_q    <= n - CntW'(lq_pop && n != '0);
      head_ans_q <= {head_ans_q[0], head_req};
      // An answer asked for before a restart of an SA is stale too.
      if (ds_q == DIdle) ask_void_q <= 1'b0;
      else if (sa_restart_i) ask_void_q <= 1'b1;
      if (lq_pop || sa_restart_i) h_valid_q <= 1'b0;
      else if (ds_q == DWait && head_ans_q[1]) h_valid_q <= !ask_void_q;
      unique case (ds_q)
        DIdle:   if (lq_valid && look_ok && f_entry.esn && !spec_ok && (head_stale || !in_flight)) ds_q <= DAsk;
        DAsk:    if (head_req) ds_q <= DWait;
        DWait:   if (head_ans_q[1]) ds_q <= DIdle;
        default: ds_q <= DIdle;
      endcase
    end
  end

  always_ff @(posedge clk_i) begin
    if (ds_q == DIdle) resync_q <= !head_stale;
    if (ds_q == DWait && head_ans_q[1]) begin
      h_seq_q  <= infer_seq;
      h_safe_q <= infer_safe;
    end
  end

  mplsec_fifo #(.T(rec_t), .Depth(RecDepth)) u_recs (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (rec_push), .wdata_i (rec_in), .full_o (rec_full),
    .rvalid_o (rec_valid), .rdata_o (rec_head), .rready_i (rec_pop)
  );

  ///////////////////////////////////////////////////////////////////////
  // Hold and replay window                                             //
  ///////////////////////////////////////////////////////////////////////

  esp_rx_info_t info, v_info;
  logic         info_full_unused;
  logic         chk, chk_valid, chk_ok;
  logic [SaW-1:0] chk_sa;
  logic [3:0]   chk_log2;
  logic [63:0]  chk_seq;
  logic         v_valid, v_ready, v_accept, v_inner_v6;
  reason_e      v_reason;
  logic [13:0]  v_text_len;
  logic         m_valid, m_ready, m_last;
  logic [DataW-1:0] m_data;
  logic [KeepW-1:0] m_keep_unused;
  logic         hold_busy;

  assign info = '{sa: lq_head.sa, seq: seq, replay_log2: f_entry.replay_log2,
                  frame_len: lq_head.job.esp.frame_len};

  mplsec_esp_hold u_hold (
    .clk_i        (clk_i),
    .rst_ni       (rst_ni),
    .info_valid_i (d_job_pop_i),
    .info_i       (info),
    .info_full_o  (info_full_unused),
    .p_valid_i    (p_valid_i),
    .p_ready_o    (p_ready_o),
    .p_data_i     (p_data_i),
    .p_last_i     (p_last_i),
    .p_auth_ok_i  (p_auth_ok_i),
    .p_pad_ok_i   (p_pad_ok_i),
    .p_next_hdr_i (p_next_hdr_i),
    .p_text_len_i (p_text_len_i),
    .chk_o        (chk),
    .chk_sa_o     (chk_sa),
    .chk_log2_o   (chk_log2),
    .chk_seq_o    (chk_seq),
    .chk_valid_i  (chk_valid),
    .chk_ok_i     (chk_ok),
    .v_valid_o    (v_valid),
    .v_ready_i    (v_ready),
    .v_accept_o   (v_accept),
    .v_reason_o   (v_reason),
    .v_info_o     (v_info),
    .v_text_len_o (v_text_len),
    .v_inner_v6_o (v_inner_v6),
    .m_valid_o    (m_valid),
    .m_ready_i    (m_ready),
    .m_data_o     (m_data),
    .m_keep_o     (m_keep_unused),
    .m_last_o     (m_last),
    .busy_o       (hold_busy)
  );

  mplsec_replay_window u_window (
    .clk_i          (clk_i),
    .rst_ni         (rst_ni),
    .clear_i        (sa_restart_i),
    .clear_sa_i     (sa_restart_idx_i),
    .infer_i        (spec_req || head_req),
    .infer_sa_i     (head_req ? lq_head.sa : l_sa_q[0]),
    .infer_esn_i    (1'b1),
    .infer_log2_i   (head_req ? f_entry.replay_log2 : rx_sa_i.replay_log2),
    .infer_seq_lo_i (head_req ? lq_head.job.esp.seq_lo : l_job_q[2].esp.seq_lo),
    .infer_resync_i (head_req && resync_q),
    .infer_valid_o  (infer_valid_unused),
    .infer_seq_o    (infer_seq),
    .infer_safe_o   (infer_safe),
    .check_i        (chk),
    .check_sa_i     (chk_sa),
    .check_log2_i   (chk_log2),
    .check_seq_i    (chk_seq),
    .check_valid_o  (chk_valid),
    .check_ok_o     (chk_ok)
  );

  ///////////////////////////////////////////////////////////////////////
  // Back                                                               //
  ///////////////////////////////////////////////////////////////////////

  // BWait: the head record's verdict (and its plaintext) is taken once
  // there is room for its second pass; BDecide offers the second pass at
  // once unless the stopped flag must wait (BGuard, BQuery); BEmit holds
  // a second pass the header pipeline has not taken yet.
  typedef enum logic [2:0] {BWait, BDecide, BGuard, BQuery, BEmit} back_e;
  localparam int unsigned MaxInner = 9600;

  localparam int unsigned RingBeats = 1 << P2Aw;

  back_e           bs_q;
  logic [P2Aw-1:0]            base_q;          // this frame's place in the ring
  logic [P2Aw:0]              used_q;          // ring beats taken by second passes out
  logic [P2Aw:0]              need;            // beats this frame takes
  logic [$clog2(P2Slots):0]   out_q;           // second passes out
  logic [$clog2(P2Slots+RecDepth):0] pend_q;   // second passes not yet past stage G
  // What the back keeps of the record it works on; every record starts
  // from RecStart (an early record keeps it: a drop, counted as no SA).
  typedef struct packed {
    logic                    drop;
    reason_e                 reason;
    logic                    acct_en;
    sa_acct_e                acct;
    logic [P2Aw-1:0]         wr_beat;   // plaintext beats written
    logic [DataW-1:0]        prev;      // the plaintext beat before
    logic [InHdrBytes*8-1:0] hdr;       // the second pass's first bytes
  } rec_state_t;

  localparam rec_state_t RecStart = '{drop: 1'b1, reason: REASON_ESP_NO_SA, acct_en: 1'b0, acct: AcctSent,
                                      wr_beat: '0, prev: '0, hdr: '0};

  rec_state_t      rs_q;
  logic            v6_q;
  logic [13:0]     text_len_q;
  logic [DataW-1:0] beat_in, beat_tail;

  logic room, decided, take_now;
  assign room      = rec_valid && out_q < ($clog2(P2Slots)+1)'(P2Slots) &&
                     used_q + need <= (P2Aw+1)'(RingBeats);
  assign back_busy = bs_q != BWait;
  assign m_ready   = bs_q == BWait && room && !rec_head.early;
  assign v_ready   = m_ready;
  // The deciding cycle can offer the second pass itself.
  assign decided   = bs_q == BDecide && (rx_q_stopped_i || pend_q == '0 || stop_out_of_reach);
  assign take_now  = decided && !p2f_full;
  // The stopped flag is asked for with the verdict (and again after a wait).
  assign rx_q_o    = (v_ready && v_valid) || bs_q == BQuery;
  assign rx_q_sa_o = rec_head.sa;

  // Beat j of the second-pass frame: Ethernet header (beat 0) or the
  // last 14 bytes of plaintext beat j-1, then the first 50 of beat j.
  assign beat_in   = (m_data << (8 * EthBytes)) | (rs_q.prev >> (8 * (BeatBytes - EthBytes)));
  assign beat_tail = rs_q.prev >> (8 * (BeatBytes - EthBytes));

  always_comb begin
    p2_we_o    = 1'b0;
    p2_waddr_o = base_q + rs_q.wr_beat;
    p2_wdata_o = beat_in;
    if (m_valid && m_ready) begin
      p2_we_o = 1'b1;
    end else if (bs_q == BDecide && !rs_q.drop) begin
      p2_we_o    = 1'b1;
      p2_wdata_o = beat_tail;
    end
  end

  // IPv4 total length (bytes 2-3) or 40 + IPv6 payload length (4-5);
  // ip_head: bytes 2..5 of the inner packet.
  function automatic logic [LenW-1:0] inner_ip_len(logic [31:0] ip_head, logic v6);
    logic [15:0] l;
    l = v6 ? {ip_head[8*2 +: 8], ip_head[8*3 +: 8]} + 16'd40
           : {ip_head[8*0 +: 8], ip_head[8*1 +: 8]};
    return LenW'(l);
  endfunction

  logic [LenW-1:0]         fin_len;
  logic [InHdrBytes*8-1:0] fin_hdr;

  always_comb begin
    logic [LenW-1:0] ip_len, text;
    logic [InHdrBytes*8-1:0] h;
    h = rs_q.hdr;
    if (rs_q.wr_beat < P2Aw'(3)) h[DataW * rs_q.wr_beat[1:0] +: DataW] = beat_tail;
    h[8*12 +: 16] = v6_q ? {EtIpv6[7:0], EtIpv6[15:8]} : {EtIpv4[7:0], EtIpv4[15:8]};
    text   = LenW'(text_len_q);
    ip_len = inner_ip_len(h[8*(EthBytes+2) +: 32], v6_q);
    // The inner packet is its IP length; TFC padding behind it is not
    // sent. A length past the text fails step 5.1 in the second pass.
    fin_len = LenW'(EthBytes) + ((ip_len < text) ? ip_len : text);
    for (int unsigned b = 0; b < InHdrBytes; b++) begin
      if (LenW'(b) >= fin_len) h[8*b +: 8] = 8'h00;
    end
    fin_hdr = h;
  end

  function automatic sa_acct_e acct_of(reason_e r);
    unique case (r)
      REASON_ESP_AUTH_FAILED: return AcctAuthFailed;
      REASON_ESP_REPLAY:      return AcctReplay;
      default:                return AcctBadPadding;
    endcase
  endfunction

  in_desc_t                p2_desc;
  logic [InHdrBytes*8-1:0] p2_hdr;
  logic                    p2_offer, p2_push, p2f_full;

  always_comb begin
    p2_desc            = '0;
    p2_desc.p2         = 1'b1;
    p2_desc.p2_drop    = rs_q.drop;
    p2_desc.p2_reason  = 8'(rs_q.reason);
    p2_desc.p2_acct    = 3'(rs_q.acct);
    p2_desc.p2_acct_en = rs_q.acct_en;
    if (bs_q == BDecide && rx_q_stopped_i) begin
      // A stopped SA drops before any ICV or replay work counts.
      p2_desc.p2_drop    = 1'b1;
      p2_desc.p2_reason  = 8'(REASON_ESP_SA_EXPIRED);
      p2_desc.p2_acct_en = 1'b0;
    end
    p2_desc.p2_sa      = rec_head.sa;
    p2_desc.p2_vrf     = rec_head.vrf;
    p2_desc.cnt_len    = rec_head.frame_len;
    p2_desc.slot       = rec_head.slot;
    p2_desc.buf_start  = BufAw'(base_q);
    p2_desc.len        = p2_desc.p2_drop ? rec_head.frame_len : fin_len;
  end
  assign p2_offer = bs_q == BEmit || decided || (bs_q == BWait && room && rec_head.early);
  assign p2_hdr   = (bs_q == BDecide) ? fin_hdr : rs_q.hdr;
  assign p2_push  = p2_offer && !p2f_full;
  assign rec_pop  = p2_push;

  // Second passes wait here for a cycle of the header pipeline without an
  // ingress frame, so that the back goes on to the next record meanwhile.
  typedef struct packed {
    in_desc_t                desc;
    logic [InHdrBytes*8-1:0] hdr;
  } p2_out_t;

  p2_out_t p2_head;

  mplsec_fifo #(.T(p2_out_t), .Depth(P2OutDepth)) u_p2_out (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (p2_push), .wdata_i ('{desc: p2_desc, hdr: p2_hdr}), .full_o (p2f_full),
    .rvalid_o (p2_valid_o), .rdata_o (p2_head), .rready_i (p2_take_i)
  );
  assign p2_desc_o = p2_head.desc;
  assign p2_hdr_o  = p2_head.hdr;

  // The passes still out cannot bring the SA to a hard limit.
  logic stop_out_of_reach;
  always_comb begin
    logic [63:0] pk, by;
    pk = rx_q_sent_i[127:64] + 64'(pend_q);
    by = rx_q_sent_i[63:0] + 64'(pend_q) * 64'(MaxInner);
    stop_out_of_reach = (rec_head.hard_packets == '0 || pk < rec_head.hard_packets) &&
                        (rec_head.hard_bytes == '0 || by < rec_head.hard_bytes);
  end

  // The 14-byte header and the text (at most the ciphertext) and the tail
  // beat; nothing for a frame dropped at the front.
  assign need = rec_head.early ? '0 : (P2Aw+1)'((15'(rec_head.ct_len) + 15'(EthBytes) + 15'd63) >> 6) + 1'b1;

  logic      sz_valid, sz_full;
  logic [P2Aw:0] sz_head;

  mplsec_fifo #(.T(logic [P2Aw:0]), .Depth(P2Slots)) u_sizes (
    .clk_i (clk_i), .rst_ni (rst_ni),
    .wvalid_i (rec_pop), .wdata_i (need), .full_o (sz_full),
    .rvalid_o (sz_valid), .rdata_o (sz_head), .rready_i (p2_done_i)
  );

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      bs_q       <= BWait;
      base_q <= '0;
      used_q <= '0;
      out_q  <= '0;
      pend_q <= '0;
    end else begin
      unique case (bs_q)
        BWait:   if (room && rec_head.early && p2f_full)  bs_q <= BEmit;
                 else if (v_ready && v_valid)             bs_q <= BDecide;
        BDecide: bs_q <= !decided ? BGuard : (take_now ? BWait : BEmit);
        BGuard:  if (pend_q == '0) bs_q <= BQuery;
        BQuery:  bs_q <= BDecide;
        BEmit:   if (!p2f_full) bs_q <= BWait;
        default: bs_q <= BWait;
      endcase
      if (rec_pop) base_q <= base_q + P2Aw'(need);
      used_q <= used_q + (rec_pop ? need : '0) - (p2_done_i ? sz_head : '0);
      out_q  <= out_q + ($clog2(P2Slots)+1)'(rec_pop) - ($clog2(P2Slots)+1)'(p2_done_i);
      pend_q <= pend_q + ($bits(pend_q))'(rec_pop) - ($bits(pend_q))'(p2_at_g_i);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rs_q <= RecStart;
    end else begin
      if (rec_pop) rs_q <= RecStart;
      if (m_valid && m_ready) begin
        rs_q.wr_beat <= rs_q.wr_beat + 1'b1;
        rs_q.prev    <= m_data;
        if (rs_q.wr_beat < P2Aw'(3)) rs_q.hdr[DataW * rs_q.wr_beat[1:0] +: DataW] <= beat_in;
      end
      if (bs_q == BWait && v_valid) begin
        rs_q.drop    <= !v_accept;
        rs_q.reason  <= v_reason;
        rs_q.acct_en <= !v_accept && v_reason != REASON_BAD_FRAME;
        rs_q.acct    <= acct_of(v_reason);
      end
      if (bs_q == BDecide && rx_q_stopped_i && !take_now) begin
        // The same for a second pass that waits in BEmit.
        rs_q.drop    <= 1'b1;
        rs_q.reason  <= REASON_ESP_SA_EXPIRED;
        rs_q.acct_en <= 1'b0;
      end
      // The tail beat and the header are final here (again after a wait:
      // the same bytes).
      if (bs_q == BDecide && !rs_q.drop && !take_now) rs_q.hdr <= fin_hdr;
    end
  end

  always_ff @(posedge clk_i) begin
    if (bs_q == BWait && v_valid) begin
      v6_q       <= v_inner_v6;
      text_len_q <= v_text_len;
    end
  end

  assign busy_o = jq_valid || l_count_q != '0 || ds_q != DIdle || in_flight || hold_busy || out_q != '0 ||
                  p2_valid_o;

  logic unused;
  assign unused = ^{info_full_unused, v_info, m_keep_unused, m_last, jq_head, lq_head, f_entry, sz_valid, sz_full,
                   lq_full, infer_valid_unused};

endmodule
