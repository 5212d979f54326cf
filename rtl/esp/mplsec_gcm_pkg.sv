// mplsec_gcm_pkg: sizes and latencies of the AES-GCM core (mplsec_gcm).
package mplsec_gcm_pkg;

  localparam int unsigned SaW = 12;                 // SA index bits
  localparam int unsigned NumSa = 1 << SaW;         // 4096 SAs
  localparam int unsigned RoundKeys = 15;           // AES-256: rk 0..14; AES-128 uses 0..10
  localparam int unsigned TextLanes = 4;            // 128-bit blocks in a 512-bit beat
  localparam int unsigned AesLanes = TextLanes + 1; // plus E(K, J0) for the tag

  // Registers from the counter blocks to the keystream: the input register,
  // the whitening xor, then one AES round a stage (rounds 1..14; AES-128
  // leaves stages 11..14 untouched).
  localparam int unsigned AesLatency = 2 + 14;
  // The round-key store and H are read a stage ahead of use; H is read
  // when a beat enters AES register HReadStage, so that A*H (two-stage
  // multiplier) is ready with the keystream.
  localparam int unsigned HReadStage = AesLatency - 3;
  // GHASH: two stages of the four lane products and their sum, the
  // accumulator loop, two stages of the merge of the two accumulators, two
  // of the final (X ^ lengths) * H.
  localparam int unsigned GhashLatency = 7;
  // In register to out register: AES, the keystream-xor stage, GHASH, out.
  localparam int unsigned CoreLatency = AesLatency + 1 + GhashLatency + 1;

  // The field's one, x^0, in GCM bit order (most significant bit of byte 0).
  localparam logic [127:0] GfOne = {1'b1, 127'b0};

endpackage
