// mplsec_policer: one token bucket per punt reason (docs/datapath.md,
// "Policer"). A frame's time is the beat clock at its first beat; RATE
// tokens arrive every 2^16 beats up to BURST. A punt that finds the bucket
// empty becomes a punt_policed drop.
//
// The refill is lazy: at a punt, tokens = min(burst, tokens + (epoch -
// last_epoch) * rate). Two stages keep the multiply away from the bucket's
// read-modify-write: stage 1 computes the refill against the bucket's
// epoch (forwarding the epoch of the punt in stage 2), stage 2 adds,
// clamps, decides and writes back. The epoch delta is clamped to 32 bits,
// which changes nothing (any delta >= 2^32 with rate >= 1 fills the
// bucket) and keeps the product 32 x 32. Reset state, like the C-model:
// rate 2, burst 64, full buckets; a configuration write refills the
// bucket (write configuration while no punt is in flight).
//
// Timing: a request in cycle t is answered by admit_o in cycle t+1.
`default_nettype none

module mplsec_policer
  import mplsec_fwd_pkg::*;
#(
  parameter int unsigned NumBuckets = 3,
  localparam int unsigned IdxW = $clog2(NumBuckets)
) (
  input  wire logic              clk_i,
  input  wire logic              rst_ni,
  // Configuration.
  input  wire logic              cfg_we_i,
  input  wire logic [IdxW-1:0]   cfg_idx_i,
  input  wire logic [31:0]       cfg_rate_i,
  input  wire logic [31:0]       cfg_burst_i,
  // One punt a cycle.
  input  wire logic              req_i,
  input  wire logic [IdxW-1:0]   req_idx_i,
  input  wire logic [EpochW-1:0] req_epoch_i,
  // The answer for the request of the previous cycle.
  output      logic              admit_o
);

  localparam logic [31:0] ResetRate  = 32'(mplsec_regs_pkg::PUNT_POLICER_RATE_RESET);
  localparam logic [31:0] ResetBurst = 32'(mplsec_regs_pkg::PUNT_POLICER_BURST_RESET);

  logic [31:0]       rate_q   [NumBuckets];
  logic [31:0]       burst_q  [NumBuckets];
  logic [31:0]       tokens_q [NumBuckets];
  logic [EpochW-1:0] epoch_q  [NumBuckets];

  // Stage 1: refill.
  logic              s2_q;
  logic [IdxW-1:0]   s2_idx_q;
  logic [EpochW-1:0] s2_epoch_q;
  logic              s2_upd_q, s2_upd_d;
  logic [63:0]       s2_refill_q, s2_refill_d;

  always_comb begin
    logic [EpochW-1:0] base, delta;
    logic [31:0]       dsat;
    base = epoch_q[req_idx_i];
    // The punt ahead of this one writes its epoch at the end of this cycle.
    if (s2_q && s2_upd_q && s2_idx_q == req_idx_i) base = s2_epoch_q;
    delta       = req_epoch_i - base;
    dsat        = (delta[EpochW-1:32] != '0) ? 32'hFFFF_FFFF : delta[31:0];
    s2_upd_d    = req_epoch_i > base;
    s2_refill_d = s2_upd_d ? 64'(dsat) * 64'(rate_q[req_idx_i]) : 64'd0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) s2_q <= 1'b0;
    else         s2_q <= req_i && !cfg_we_i;
  end

  always_ff @(posedge clk_i) begin
    s2_idx_q    <= req_idx_i;
    s2_epoch_q  <= req_epoch_i;
    s2_upd_q    <= s2_upd_d;
    s2_refill_q <= s2_refill_d;
  end

  // Stage 2: add, clamp, decide, write back.
  logic [31:0] tokens_now;

  always_comb begin
    logic [64:0] total;
    total      = 65'(tokens_q[s2_idx_q]) + 65'(s2_refill_q);
    tokens_now = tokens_q[s2_idx_q];
    if (s2_upd_q) begin
      tokens_now = (total > 65'(burst_q[s2_idx_q])) ? burst_q[s2_idx_q] : total[31:0];
    end
    admit_o = s2_q && (tokens_now != '0);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < NumBuckets; i++) begin
        rate_q[i]   <= ResetRate;
        burst_q[i]  <= ResetBurst;
        tokens_q[i] <= ResetBurst;
        epoch_q[i]  <= '0;
      end
    end else if (cfg_we_i) begin
      rate_q[cfg_idx_i]   <= cfg_rate_i;
      burst_q[cfg_idx_i]  <= cfg_burst_i;
      tokens_q[cfg_idx_i] <= cfg_burst_i;
    end else if (s2_q) begin
      if (s2_upd_q) epoch_q[s2_idx_q] <= s2_epoch_q;
      tokens_q[s2_idx_q] <= admit_o ? tokens_now - 1'b1 : tokens_now;
    end
  end

endmodule
