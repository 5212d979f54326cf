// Lint-time use of the generated mplsec_regs_pkg: imports it the way rtl/
// modules do and checks at elaboration that the entry structs are as wide as
// the table widths the package declares and that field positions match.
// Run by the regmap_sv_lint test: verilator --lint-only -Wall.
`default_nettype none

module regs_pkg_lint_top
  import mplsec_regs_pkg::*;
(
  input  wire logic [TBL_NHLFE_WIDTH-1:0] nhlfe_bits_i,
  input  wire lpm4_index_t                lpm4_index_i,
  output      nhlfe_entry_t               nhlfe_o,
  output      reason_e                    reason_o,
  output      logic [TBL_LPM4_IDX_LEVEL_BIT+TBL_LPM4_IDX_LEVEL_WIDTH-1:0] lpm4_index_o
);

  assign nhlfe_o      = nhlfe_entry_t'(nhlfe_bits_i);
  assign reason_o     = (nhlfe_o.op == NHLFE_OP_DROP) ? REASON_ACTION_DROP : REASON_PUNT_CONTROL;
  assign lpm4_index_o = {lpm4_index_i.level, lpm4_index_i.node, lpm4_index_i.slot};

  // An nhlfe entry with only bit 5 set: the first YAML fields (op, n_labels)
  // sit below it, so label0 must read 1.
  localparam nhlfe_entry_t NhlfeBit5 = nhlfe_entry_t'(TBL_NHLFE_WIDTH'(1) << 5);

  // Elaboration-time checks //
  if ($bits(port_entry_t) != TBL_PORT_WIDTH) begin : gen_port_width
    $error("port_entry_t is not TBL_PORT_WIDTH bits");
  end
  if ($bits(nhlfe_entry_t) != TBL_NHLFE_WIDTH) begin : gen_nhlfe_width
    $error("nhlfe_entry_t is not TBL_NHLFE_WIDTH bits");
  end
  if ($bits(local_addr_entry_t) != TBL_LOCAL_ADDR_WIDTH) begin : gen_local_addr_width
    $error("local_addr_entry_t is not TBL_LOCAL_ADDR_WIDTH bits");
  end
  if ($bits(lpm4_index_t) != TBL_LPM4_IDX_LEVEL_BIT + TBL_LPM4_IDX_LEVEL_WIDTH)
  begin : gen_lpm4_index_width
    $error("lpm4_index_t does not span the lpm4 index fields");
  end
  if (2 ** $bits(lpm4_index_t) != TBL_LPM4_DEPTH) begin : gen_lpm4_depth
    $error("lpm4_index_t does not address TBL_LPM4_DEPTH entries");
  end
  if (NhlfeBit5.label0 != 20'd1 || NhlfeBit5.op != NHLFE_OP_DROP) begin : gen_nhlfe_order
    $error("nhlfe_entry_t does not put the first YAML field at bit 0");
  end
  if ($bits(reason_e) != 8) begin : gen_reason_width
    $error("reason_e is not 8 bits");
  end

endmodule
