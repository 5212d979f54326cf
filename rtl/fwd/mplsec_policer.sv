// mplsec_policer: one token bucket per punt reason (docs/datapath.md,
// "Policer"). A frame's time is the beat clock at its first beat; RATE
// tokens arrive every 2^16 beats up to BURST. A punt that finds the bucket
// empty becomes a punt_policed drop.
//
// The refill is computed lazily when a punt arrives: tokens += (epoch -
// last_epoch) * rate, clamped to burst. Frames reach this stage in arrival
// order, so epochs only move forward. Reset state, like the C-model:
// rate 2, burst 64, full buckets. A configuration write refills the bucket.
//
// Timing note: bucket read, refill multiply and decrement happen in one
// cycle so that back-to-back punts of one reason see each other. For
// 322 MHz the product (epoch delta * rate) would be precomputed a stage
// earlier against both the stored epoch and the epoch of the punt ahead.
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
  // One punt a cycle; admit_o answers in the same cycle.
  input  wire logic              req_i,
  input  wire logic [IdxW-1:0]   req_idx_i,
  input  wire logic [EpochW-1:0] req_epoch_i,
  output      logic              admit_o
);

  localparam logic [31:0] ResetRate  = 32'd2;
  localparam logic [31:0] ResetBurst = 32'd64;

  logic [31:0]       rate_q   [NumBuckets];
  logic [31:0]       burst_q  [NumBuckets];
  logic [31:0]       tokens_q [NumBuckets];
  logic [EpochW-1:0] epoch_q  [NumBuckets];

  logic [31:0]       tokens_now;
  logic [EpochW-1:0] epoch_now;

  always_comb begin
    logic [EpochW-1:0]  delta;
    logic [EpochW+31:0] refill;
    logic [EpochW+32:0] total;
    tokens_now = tokens_q[req_idx_i];
    epoch_now  = epoch_q[req_idx_i];
    delta      = '0;
    refill     = '0;
    total      = '0;
    if (req_epoch_i > epoch_q[req_idx_i]) begin
      delta      = req_epoch_i - epoch_q[req_idx_i];
      refill     = (EpochW+32)'(delta) * (EpochW+32)'(rate_q[req_idx_i]);
      total      = (EpochW+33)'(tokens_q[req_idx_i]) + (EpochW+33)'(refill);
      tokens_now = (total > (EpochW+33)'(burst_q[req_idx_i])) ? burst_q[req_idx_i] : total[31:0];
      epoch_now  = req_epoch_i;
    end
    admit_o = req_i && (tokens_now != '0);
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
    end else if (req_i) begin
      epoch_q[req_idx_i]  <= epoch_now;
      tokens_q[req_idx_i] <= admit_o ? tokens_now - 1'b1 : tokens_now;
    end
  end

endmodule
