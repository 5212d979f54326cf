// mplsec_inject: the frame the host injects (INJECT_META, INJECT_DATA,
// INJECT_PUSH), sent on its output port.
//
// INJECT_META starts a frame (length and port) and forgets the words
// written so far; each INJECT_DATA appends four bytes, first byte in 7:0;
// INJECT_PUSH sends the frame at the length INJECT_META gave: bytes past
// the data written are zero, data past the length is ignored. After a
// push INJECT_META reads zero. A frame of length zero, or for a port the
// card does not have, is discarded at the push.
//
// The frame is kept as 32-bit words and sent one beat every WordsPerBeat+1
// cycles (the host path is not a line-rate path). While a frame is being
// sent busy_o is high and the host side must not write.
`default_nettype none

module mplsec_inject
  import mplsec_fwd_pkg::*;
  import mplsec_regs_pkg::*;
#(
  parameter int unsigned NumPorts = 2,
  parameter int unsigned Words    = 4096,  // largest frame in words; power of two
  localparam int unsigned Aw = $clog2(Words)
) (
  input  wire logic             clk_i,
  input  wire logic             rst_ni,
  // Host side.
  input  wire logic             meta_we_i,
  input  wire logic             data_we_i,
  input  wire logic             push_i,
  input  wire logic [31:0]      wdata_i,
  output      logic [31:0]      meta_o,
  output      logic             busy_o,
  // The frame, tuser = output port.
  output      logic             m_valid_o,
  output      logic [DataW-1:0] m_data_o,
  output      logic [KeepW-1:0] m_keep_o,
  output      logic             m_last_o,
  output      logic [1:0]       m_port_o,
  input  wire logic             m_ready_i
);

  localparam int unsigned WordsPerBeat = DataW / 32;
  localparam int unsigned WordSelW     = $clog2(WordsPerBeat);

  typedef enum logic [1:0] {
    StIdle,  // host writes the frame
    StFill,  // reading one beat's words
    StSend   // beat on m_*
  } state_e;

  state_e        state_q;
  logic [31:0]   meta_q;
  logic [Aw:0]   written_q;     // words written since INJECT_META
  logic [13:0]   length_q;      // bytes of the frame being sent
  logic [1:0]    port_q;
  logic [13:0]   sent_q;        // bytes before the beat being filled or sent
  logic [Aw:0]   beat_word_q;   // first word of the beat being filled
  logic [WordSelW:0]   issue_q; // words of the beat read so far
  logic                rd_valid_q;
  logic [WordSelW-1:0] rd_slot_q;
  logic [31:0]   word_rdata, word_unused;
  logic [DataW-1:0] beat_q;

  logic [13:0] meta_length;
  logic [3:0]  meta_port;
  assign meta_length = meta_q[PUNT_INJECT_META_LENGTH_BIT +: PUNT_INJECT_META_LENGTH_WIDTH];
  assign meta_port   = meta_q[PUNT_INJECT_META_PORT_BIT +: PUNT_INJECT_META_PORT_WIDTH];

  logic push, data_we, issue;
  assign push    = push_i && state_q == StIdle && wdata_i[0];
  assign data_we = data_we_i && state_q == StIdle && written_q < (Aw+1)'(Words);
  assign issue   = state_q == StFill && issue_q < (WordSelW+1)'(WordsPerBeat);

  mplsec_ram #(
    .Width (32),
    .Depth (Words)
  ) u_words (
    .clk_i     (clk_i),
    .a_we_i    (data_we),
    .a_re_i    (1'b0),
    .a_addr_i  (written_q[Aw-1:0]),
    .a_wdata_i (wdata_i),
    .a_rdata_o (word_unused),
    .b_en_i    (issue),
    .b_addr_i  (Aw'(beat_word_q) + Aw'(issue_q)),
    .b_rdata_o (word_rdata)
  );

  logic [13:0] remaining;
  logic        last_beat;
  assign remaining = length_q - sent_q;
  assign last_beat = remaining <= 14'(BeatBytes);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q     <= StIdle;
      meta_q      <= '0;
      written_q   <= '0;
      length_q    <= '0;
      port_q      <= '0;
      sent_q      <= '0;
      beat_word_q <= '0;
      issue_q     <= '0;
      rd_valid_q  <= 1'b0;
      rd_slot_q   <= '0;
    end else begin
      rd_valid_q <= issue;
      rd_slot_q  <= WordSelW'(issue_q);
      unique case (state_q)
        StIdle: begin
          if (meta_we_i) begin
            meta_q    <= wdata_i;
            written_q <= '0;
          end else if (data_we) begin
            written_q <= written_q + 1'b1;
          end else if (push) begin
            meta_q      <= '0;
            length_q    <= meta_length;
            port_q      <= 2'(meta_port);
            sent_q      <= '0;
            beat_word_q <= '0;
            issue_q     <= '0;
            if (meta_length != '0 && 32'(meta_port) < NumPorts) state_q <= StFill;
            else written_q <= '0;
          end
        end
        // One RAM read a cycle; each word lands the cycle after its read.
        StFill: begin
          if (issue) issue_q <= issue_q + 1'b1;
          if (rd_valid_q && rd_slot_q == '1) state_q <= StSend;
        end
        StSend: begin
          if (m_ready_i) begin
            issue_q     <= '0;
            sent_q      <= sent_q + 14'(BeatBytes);
            beat_word_q <= beat_word_q + (Aw+1)'(WordsPerBeat);
            if (last_beat) begin
              state_q   <= StIdle;
              written_q <= '0;
            end else begin
              state_q <= StFill;
            end
          end
        end
        default: state_q <= StIdle;
      endcase
    end
  end

  // Words past those written are zero.
  always_ff @(posedge clk_i) begin
    if (rd_valid_q) begin
      beat_q[32*rd_slot_q +: 32] <= (beat_word_q + (Aw+1)'(rd_slot_q) < written_q) ? word_rdata : 32'd0;
    end
  end

  logic [KeepW-1:0] keep;
  logic [DataW-1:0] keep_mask;
  always_comb begin
    for (int unsigned b = 0; b < KeepW; b++) begin
      keep[b] = 14'(b) < remaining;
      keep_mask[8*b +: 8] = {8{keep[b]}};
    end
  end

  assign m_valid_o = state_q == StSend;
  assign m_data_o  = beat_q & keep_mask;
  assign m_keep_o  = keep;
  assign m_last_o  = last_beat;
  assign m_port_o  = port_q;
  assign meta_o    = meta_q;
  assign busy_o    = state_q != StIdle;

  logic unused;
  assign unused = ^{word_unused};

endmodule
