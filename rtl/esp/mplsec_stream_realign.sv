// mplsec_stream_realign: moves a byte stream to another lane offset, for
// the ESP stage's large header changes (the egress realigner covers only
// -16..+12 bytes). The stream's first byte sits in lane in_off of its
// first input beat and leaves in lane out_off of its first output beat;
// lanes below out_off of that beat are taken from prefix (the rewritten
// header, or zeros). Uses: ciphertext or plaintext to lane 0 for the GCM
// core (out_off = 0), and the core's lane-0 output behind a header of any
// length (in_off = 0).
//
// With s = (out_off - in_off) mod 64, output beat k is the pair of input
// beats (k + a - 1, k + a) shifted up by s lanes, a = 1 when the stream
// moves down (out_off < in_off), else 0. An output beat left after the
// input's last is sent in a cycle of its own; that cycle takes the next
// frame's first beat when it moves down (such a beat only fills prev),
// so a stream moving down runs one beat a cycle in and out, back to back
// across frames. An output that needs one beat more than the input costs
// one cycle in which no input is taken.
//
// Parameters come with the first beat of a frame (the beat after a last).
// The input's last beat must be beat ceil((in_off + len) / 64) - 1. Output
// keep is contiguous; bytes past the stream's end are zero.
`default_nettype none

module mplsec_stream_realign
  import mplsec_fwd_pkg::*;
(
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  input  wire logic             s_valid_i,
  output      logic             s_ready_o,
  input  wire logic [DataW-1:0] s_data_i,
  input  wire logic             s_last_i,
  input  wire logic [5:0]       in_off_i,   // with the first beat
  input  wire logic [5:0]       out_off_i,  // with the first beat
  input  wire logic [13:0]      len_i,      // stream bytes, >= 1; with the first beat
  input  wire logic [DataW-1:0] prefix_i,   // lanes below out_off; with the first beat
  output      logic             m_valid_o,
  input  wire logic             m_ready_i,
  output      logic [DataW-1:0] m_data_o,
  output      logic [KeepW-1:0] m_keep_o,
  output      logic             m_last_o
);

  localparam int unsigned CountW = 9;  // output beats of a frame, up to 257

  // Frame state.
  logic              first_q;        // the next input beat starts a frame
  logic              down_q;         // a = 1
  logic [5:0]        shift_q;        // s
  logic [CountW-1:0] out_left_q;     // output beats still to send
  logic [5:0]        end_lane_q;     // (out_off + len) mod 64: keep of the last beat
  logic [DataW-1:0]  prev_q;         // input beat k + a - 1
  logic              flush_q;        // the input is done, one output beat is left
  logic              head_q;         // the next output beat is the frame's first
  logic [DataW-1:0]  prefix_q;       // prefix lanes of the first output beat
  logic [DataW-1:0]  mask_q;         // which lanes those are

  logic adv, take, emit;
  logic              f_down;
  logic [5:0]        f_shift, f_end;
  logic [CountW-1:0] f_out_beats;
  logic [DataW-1:0]  head_mask;

  logic overlap;  // the last beat of one frame leaves as the next one's first comes

  assign adv       = !m_valid_o || m_ready_i;
  assign s_ready_o = adv && (!flush_q || f_down);
  assign take      = s_valid_i && s_ready_o;
  assign overlap   = take && flush_q;

  // Parameters of a frame whose first beat is on the input now.
  always_comb begin
    logic [14:0] out_end;
    out_end     = 15'(out_off_i) + 15'(len_i);
    f_down      = out_off_i < in_off_i;
    f_shift     = out_off_i - in_off_i;
    f_end       = out_end[5:0];
    f_out_beats = CountW'((out_end + 15'd63) >> 6);
    head_mask   = '0;
    for (int unsigned i = 0; i < KeepW; i++) begin
      if (6'(i) < out_off_i) head_mask[8*i +: 8] = 8'hff;
    end
  end

  // What this cycle emits, from the current frame's state or, on a first
  // beat, from the new frame's parameters.
  logic              c_down, c_first, c_head;
  logic [5:0]        c_shift, c_end;
  logic [CountW-1:0] c_left;
  logic [DataW-1:0]  c_cur, c_mask, c_prefix, shifted;

  always_comb begin
    c_first  = take && first_q && !flush_q;
    c_down   = c_first ? f_down : down_q;
    c_shift  = c_first ? f_shift : shift_q;
    c_end    = c_first ? f_end : end_lane_q;
    c_left   = c_first ? f_out_beats : out_left_q;
    c_head   = c_first || head_q;
    c_mask   = c_first ? head_mask : mask_q;
    c_prefix = c_first ? (prefix_i & head_mask) : prefix_q;
    c_cur    = flush_q ? '0 : s_data_i;
    // A first beat moving down only fills prev, unless it is also the last.
    emit     = flush_q || (take && !(c_first && c_down));
    // On a frame's first beat prev_q still holds the previous frame: only
    // lanes below s <= out_off come from it, and the prefix covers those.
    shifted  = (c_shift == 6'd0) ? c_cur
                                 : DataW'({c_cur, prev_q} >> (8 * (7'd64 - 7'(c_shift))));
    // Lanes below out_off of the first output beat hold the prefix.
    if (c_head) shifted = (shifted & ~c_mask) | c_prefix;
  end

  function automatic logic [DataW-1:0] keep_bytes(logic [KeepW-1:0] keep);
    logic [DataW-1:0] m;
    for (int unsigned i = 0; i < KeepW; i++) m[8*i +: 8] = {8{keep[i]}};
    return m;
  endfunction

  logic [KeepW-1:0] last_keep;
  assign last_keep = (c_end == 6'd0) ? '1 : KeepW'((65'd1 << c_end) - 65'd1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      first_q    <= 1'b1;
      flush_q    <= 1'b0;
      m_valid_o  <= 1'b0;
      out_left_q <= '0;
      head_q     <= 1'b0;
    end else if (adv) begin
      m_valid_o <= emit;
      if (emit && !overlap) head_q <= 1'b0;
      else if (c_first || overlap) head_q <= 1'b1;
      if (overlap) begin
        // The new frame's first beat moves down: it sends nothing yet.
        first_q    <= s_last_i;
        flush_q    <= s_last_i;
        out_left_q <= f_out_beats;
      end else if (take) begin
        first_q <= s_last_i;
        // After the input's last beat: one more output beat if any is left.
        flush_q <= s_last_i && (c_left - CountW'(emit)) != '0;
      end else if (flush_q) begin
        flush_q <= 1'b0;
        first_q <= 1'b1;
      end
      if (!overlap && (emit || take)) out_left_q <= c_left - CountW'(emit);
    end
  end

  always_ff @(posedge clk_i) begin
    if (adv) begin
      if (take) begin
        prev_q <= s_data_i;
        if (first_q) begin
          down_q     <= f_down;
          shift_q    <= f_shift;
          end_lane_q <= f_end;
          prefix_q   <= prefix_i & head_mask;
          mask_q     <= head_mask;
        end
      end
      if (emit) begin
        m_last_o <= c_left == CountW'(1);
        m_keep_o <= (c_left == CountW'(1)) ? last_keep : '1;
        m_data_o <= (c_left == CountW'(1)) ? shifted & keep_bytes(last_keep) : shifted;
      end
    end
  end

endmodule
