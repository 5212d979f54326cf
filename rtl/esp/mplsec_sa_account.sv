// mplsec_sa_account: what the card counts and remembers per SA besides
// sequence numbers and replay windows (docs/datapath.md "ESP" and "Notes
// on ESP"): the four SA counter banks (sa, sa_auth_failed, sa_replay,
// sa_bad_padding), the lifetime flags (soft raised, stopped) and the
// exhausted flag, and the event queue the host drains (EVT_*).
//
// One accounting step a cycle, read-modify-write over two cycles on a RAM
// of one sa_acct_t per SA; a read in the cycle of a write to the same SA
// sees the written value. A step AcctSent counts the inner packet, then
// checks the soft limit (event once per SA start) and the hard limit
// (event, stop); a limit of 0 is none. AcctExhausted raises
// sa_seq_exhausted the first time only. restart_i (an sa table write)
// clears the SA's counters and flags and wins over a step writing the
// same SA in the same cycle.
//
// Events enter the queue in the order raised (soft before hard of one
// packet); a full queue drops the newest. The host reads the counter banks
// two cycles after rd_i (zeros for any other bank, as mplsec_counters
// gives zeros for these).
`default_nettype none

module mplsec_sa_account
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
  import mplsec_esp_pkg::*;
#(
  parameter int unsigned EventDepth = 256,  // events the host has not popped; power of two
  localparam int unsigned EvAw = $clog2(EventDepth)
) (
  input  wire logic               clk_i,
  input  wire logic               rst_ni,
  input  wire logic               restart_i,
  input  wire logic [SaW-1:0]     restart_sa_i,
  // Accounting steps.
  input  wire logic               acct_i,
  input  wire sa_acct_e           acct_kind_i,
  input  wire logic [SaW-1:0]     acct_sa_i,
  input  wire logic [LenW-1:0]    acct_len_i,   // inner_len (sent) or frame length (drops)
  input  wire sa_lifetime_entry_t lifetime_i,   // AcctSent only
  // Flags of an SA one cycle after q_i, with every step requested before
  // q_i and in the cycle of q_i (so a frame one cycle behind another of
  // the same SA sees that frame's step).
  input  wire logic               q_i,
  input  wire logic [SaW-1:0]     q_sa_i,
  output      logic               q_stopped_o,
  output      logic               q_exhausted_o,
  // The stopped flag and the sa counter for the inbound stage, one cycle
  // after rx_q_i, with every step requested before rx_q_i.
  input  wire logic               rx_q_i,
  input  wire logic [SaW-1:0]     rx_q_sa_i,
  output      logic               rx_q_stopped_o,
  output      logic [127:0]       rx_q_sent_o,     // {packets, bytes} of bank sa
  // Event queue (first-word-fall-through).
  output      logic               evt_valid_o,
  output      logic [31:0]        evt_o,
  input  wire logic               evt_pop_i,
  output      logic [EvAw:0]      evt_count_o,
  // Host counter read.
  input  wire logic               rd_i,
  input  wire logic [7:0]         rd_bank_i,
  input  wire logic [23:0]        rd_index_i,
  output      logic [63:0]        rd_packets_o,
  output      logic [63:0]        rd_bytes_o
);

  sa_acct_t mem_q [TBL_SA_DEPTH];

  initial begin
    for (int unsigned i = 0; i < TBL_SA_DEPTH; i++) mem_q[i] = '0;
  end

  ///////////////////////////////////////////////////////////////////////
  // Step: read (edge 0), update and write (edge 1)                     //
  ///////////////////////////////////////////////////////////////////////

  logic               s1_q;
  sa_acct_e           s1_kind_q;
  logic [SaW-1:0]     s1_sa_q;
  logic [LenW-1:0]    s1_len_q;
  sa_lifetime_entry_t s1_life_q;
  sa_acct_t           s1_state_q, s1_new;
  logic               s1_we;
  logic               ev_soft, ev_hard, ev_exh;

  function automatic logic reached(logic [127:0] c, logic [63:0] packets, logic [63:0] bytes);
    return (packets != 64'd0 && c[127:64] >= packets) || (bytes != 64'd0 && c[63:0] >= bytes);
  endfunction

  always_comb begin
    s1_new  = s1_state_q;
    ev_soft = 1'b0;
    ev_hard = 1'b0;
    ev_exh  = 1'b0;
    unique case (s1_kind_q)
      AcctSent: begin
        s1_new.cnt[0] = {s1_state_q.cnt[0][127:64] + 64'd1, s1_state_q.cnt[0][63:0] + 64'(s1_len_q)};
        if (!s1_state_q.soft_raised && reached(s1_new.cnt[0], s1_life_q.soft_packets, s1_life_q.soft_bytes)) begin
          s1_new.soft_raised = 1'b1;
          ev_soft            = 1'b1;
        end
        if (!s1_state_q.stopped && reached(s1_new.cnt[0], s1_life_q.hard_packets, s1_life_q.hard_bytes)) begin
          s1_new.stopped = 1'b1;
          ev_hard        = 1'b1;
        end
      end
      AcctAuthFailed, AcctReplay, AcctBadPadding: begin
        s1_new.cnt[s1_kind_q[1:0]] = {s1_state_q.cnt[s1_kind_q[1:0]][127:64] + 64'd1,
                                      s1_state_q.cnt[s1_kind_q[1:0]][63:0] + 64'(s1_len_q)};
      end
      AcctExhausted: begin
        s1_new.exhausted = 1'b1;
        ev_exh           = !s1_state_q.exhausted;
      end
      default: ;
    endcase
  end

  assign s1_we = s1_q && !(restart_i && restart_sa_i == s1_sa_q);

  always_ff @(posedge clk_i) begin
    if (s1_we)     mem_q[s1_sa_q] <= s1_new;
    if (restart_i) mem_q[restart_sa_i] <= '0;
  end

  // The state a read at this edge sees: the write of this edge, if any.
  function automatic sa_acct_t state_at(logic [SaW-1:0] sa);
    if (restart_i && restart_sa_i == sa) return '0;
    if (s1_we && s1_sa_q == sa)          return s1_new;
    return mem_q[sa];
  endfunction

  sa_acct_t       q_state, rx_q_state;
  assign rx_q_state = state_at(rx_q_sa_i);
  logic           q_stopped_q, q_exhausted_q;
  logic [SaW-1:0] q_sa_q;
  assign q_state = state_at(q_sa_i);

  always_ff @(posedge clk_i) begin
    if (acct_i) begin
      s1_kind_q  <= acct_kind_i;
      s1_sa_q    <= acct_sa_i;
      s1_len_q   <= acct_len_i;
      s1_life_q  <= lifetime_i;
      s1_state_q <= state_at(acct_sa_i);
    end
    if (rx_q_i) begin
      rx_q_stopped_o <= rx_q_state.stopped;
      rx_q_sent_o    <= rx_q_state.cnt[0];
    end
    if (q_i) begin
      q_stopped_q   <= q_state.stopped;
      q_exhausted_q <= q_state.exhausted;
      q_sa_q        <= q_sa_i;
    end
  end

  // The step requested in the cycle of q_i is in s1 now.
  logic q_fwd;
  assign q_fwd         = s1_q && s1_sa_q == q_sa_q && !(restart_i && restart_sa_i == q_sa_q);
  assign q_stopped_o   = q_fwd ? s1_new.stopped : q_stopped_q;
  assign q_exhausted_o = q_fwd ? s1_new.exhausted : q_exhausted_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s1_q <= 1'b0;
    else         s1_q <= acct_i;
  end

  ///////////////////////////////////////////////////////////////////////
  // Event queue: up to two events a cycle                              //
  ///////////////////////////////////////////////////////////////////////

  logic [31:0]   ev_mem_q [EventDepth];
  logic [EvAw:0] ev_wptr_q, ev_rptr_q;
  logic [31:0]   ev_first, ev_second;
  logic [1:0]    ev_n, ev_room;
  logic [EvAw:0] ev_free;

  always_comb begin
    ev_first  = '0;
    ev_second = '0;
    ev_n      = 2'd0;
    if (s1_q) begin
      if (ev_exh) begin
        ev_first = event_word(EVENT_CODE_SA_SEQ_EXHAUSTED, s1_sa_q);
        ev_n     = 2'd1;
      end else if (ev_soft) begin
        ev_first  = event_word(EVENT_CODE_SA_SOFT_LIFETIME, s1_sa_q);
        ev_second = event_word(EVENT_CODE_SA_HARD_LIFETIME, s1_sa_q);
        ev_n      = ev_hard ? 2'd2 : 2'd1;
      end else if (ev_hard) begin
        ev_first = event_word(EVENT_CODE_SA_HARD_LIFETIME, s1_sa_q);
        ev_n     = 2'd1;
      end
    end
    ev_free = (EvAw+1)'(EventDepth) - (ev_wptr_q - ev_rptr_q);
    ev_room = (ev_free >= (EvAw+1)'(2)) ? 2'd2 : 2'(ev_free);
    if (ev_n > ev_room) ev_n = ev_room;  // a full queue drops the newest
  end

  assign evt_valid_o = ev_wptr_q != ev_rptr_q;
  assign evt_o       = ev_mem_q[ev_rptr_q[EvAw-1:0]];
  assign evt_count_o = ev_wptr_q - ev_rptr_q;

  always_ff @(posedge clk_i) begin
    if (ev_n != 2'd0) ev_mem_q[ev_wptr_q[EvAw-1:0]] <= ev_first;
    if (ev_n == 2'd2) ev_mem_q[ev_wptr_q[EvAw-1:0] + EvAw'(1)] <= ev_second;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ev_wptr_q <= '0;
      ev_rptr_q <= '0;
    end else begin
      ev_wptr_q <= ev_wptr_q + (EvAw+1)'(ev_n);
      if (evt_pop_i && evt_valid_o) ev_rptr_q <= ev_rptr_q + (EvAw+1)'(1);
    end
  end

  ///////////////////////////////////////////////////////////////////////
  // Host counter read                                                  //
  ///////////////////////////////////////////////////////////////////////

  logic         rd_hit_q;
  logic [1:0]   rd_cnt_q;
  logic [3:0][127:0] rd_cnts_q;
  logic [127:0] rd_out_q;

  always_ff @(posedge clk_i) begin
    rd_hit_q   <= rd_i && rd_bank_i >= 8'(COUNTER_BANK_SA) && rd_bank_i <= 8'(COUNTER_BANK_SA_BAD_PADDING) &&
                  rd_index_i < 24'(TBL_SA_DEPTH);
    rd_cnt_q   <= 2'(rd_bank_i - 8'(COUNTER_BANK_SA));
    rd_cnts_q  <= mem_q[rd_index_i[SaW-1:0]].cnt;
    rd_out_q   <= rd_hit_q ? rd_cnts_q[rd_cnt_q] : '0;
  end

  assign rd_packets_o = rd_out_q[127:64];
  assign rd_bytes_o   = rd_out_q[63:0];

  logic unused;
  assign unused = ^{q_state.soft_raised, q_state.cnt, rx_q_state.soft_raised, rx_q_state.exhausted,
                   rx_q_state.cnt[3:1]};

endmodule
