// mplsec_lpm: longest-prefix match over one stride-8 multibit trie
// (lpm4 or lpm6), one trie level a pipeline stage, one lookup a cycle.
//
// Level 0 node = VRF index, slot = address byte 0. Each stage reads its
// level's node pool, remembers the slot's route when route_valid, and
// continues into the child node with the next address byte while
// child_valid and the child lies inside the next level's pool (a child
// outside the pool ends the walk, as in the C-model). Every lookup takes
// exactly Lat cycles whatever its depth, so a tag (the rest of the frame's
// state) rides along and comes out with the result.
//
// Slot entry layout (regmap lpm4/lpm6, first field at bit 0):
//   child_valid | child[NodeW] | route_valid | route[17].
`default_nettype none

module mplsec_lpm #(
  parameter int unsigned Levels        = 4,      // trie levels
  parameter int unsigned Lat           = 5,      // cycles from input to output, > Levels
  parameter int unsigned NodeW         = 14,     // child node index width
  parameter int unsigned LevelShift    = 22,     // table index = level << LevelShift | node << 8 | slot
  parameter logic [15:0][15:0] NodesPerLevel = '0,  // pool size of each level (entry l)
  parameter type         tag_t         = logic,
  localparam int unsigned EntryW = NodeW + 19,
  localparam int unsigned RouteW = 17
) (
  input  wire logic              clk_i,
  input  wire logic              rst_ni,
  // Lookup.
  input  wire logic              valid_i,   // a frame (tag) enters
  input  wire logic              lookup_i,  // ...and wants a lookup
  input  wire tag_t              tag_i,
  input  wire logic [7:0]        root_i,   // VRF
  input  wire logic [127:0]      key_i,    // address, byte 0 in [127:120]
  output      logic              valid_o,
  output      tag_t              tag_o,
  output      logic              match_o,
  output      logic [RouteW-1:0] route_o,
  // Table write / read-back (index as the regmap lays it out).
  input  wire logic              tbl_we_i,
  input  wire logic              tbl_re_i,
  input  wire logic [23:0]       tbl_index_i,
  input  wire logic [EntryW-1:0] tbl_wdata_i,
  output      logic [EntryW-1:0] tbl_rdata_o,   // one cycle after tbl_re_i
  output      logic              tbl_bad_o      // index outside every pool
);

  localparam int unsigned LvlW = 24 - LevelShift;

  typedef struct packed {
    logic              active;      // walk still going: this level's slot counts
    logic              best_valid;
    logic [RouteW-1:0] best;
    logic [127:0]      key;
  } walk_t;

  // Stage s holds the frame whose level-(s-1) slot is on rdata[s-1].
  logic              vld_q [Lat+1];
  walk_t             st_q  [Lat+1];
  walk_t             ap    [Lat+1];   // stage s after applying its slot
  logic [EntryW-1:0] rdata [Levels];
  logic [EntryW-1:0] lvl_rdata [Levels];
  logic [Levels-1:0] tbl_hit, hit_q;

  logic [LvlW-1:0]   tbl_level;
  logic [NodeW-1:0]  tbl_node;
  assign tbl_level = tbl_index_i[23 -: LvlW];
  assign tbl_node  = tbl_index_i[8 +: NodeW];

  // Stage 0 is the input itself.
  always_comb begin
    vld_q[0]            = valid_i;
    st_q[0].active      = valid_i && lookup_i;
    st_q[0].best_valid  = 1'b0;
    st_q[0].best        = '0;
    st_q[0].key         = key_i;
  end
  assign ap[0] = st_q[0];

  for (genvar l = 0; l < Levels; l++) begin : g_level
    localparam int unsigned Nodes = 32'(NodesPerLevel[l]);
    localparam int unsigned Depth = Nodes * 256;
    localparam int unsigned Aw    = $clog2(Depth);

    logic [NodeW-1:0] node;
    logic [Aw-1:0]    raddr;
    if (l == 0) begin : g_root
      assign node = NodeW'(root_i);
    end else begin : g_child
      assign node = rdata[l-1][NodeW:1];
    end
    assign raddr = Aw'({node, st_q[l].key[127 - 8*l -: 8]});

    assign tbl_hit[l] = (tbl_level == LvlW'(l)) && (32'(tbl_node) < Nodes);

    mplsec_ram #(
      .Width (EntryW),
      .Depth (Depth)
    ) u_pool (
      .clk_i     (clk_i),
      .a_we_i    (tbl_we_i && tbl_hit[l]),
      .a_re_i    (tbl_re_i && tbl_hit[l]),
      .a_addr_i  (Aw'({tbl_node, tbl_index_i[7:0]})),
      .a_wdata_i (tbl_wdata_i),
      .a_rdata_o (lvl_rdata[l]),
      .b_en_i    (1'b1),
      .b_addr_i  (raddr),
      .b_rdata_o (rdata[l])
    );
  end

  for (genvar s = 1; s <= Lat; s++) begin : g_stage
    if (s <= Levels) begin : g_walk
      logic [EntryW-1:0] slot;
      logic              more;
      assign slot = rdata[s-1];
      // A child outside the next pool ends the walk.
      if (s < Levels) begin : g_more
        assign more = slot[0] && (32'(slot[NodeW:1]) < 32'(NodesPerLevel[s]));
      end else begin : g_last
        assign more = 1'b0;
      end
      always_comb begin
        ap[s] = st_q[s];
        ap[s].active = st_q[s].active && more;
        if (st_q[s].active && slot[NodeW+1]) begin
          ap[s].best_valid = 1'b1;
          ap[s].best       = slot[EntryW-1 -: RouteW];
        end
      end
    end else begin : g_pass
      assign ap[s] = st_q[s];
    end

    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) vld_q[s] <= 1'b0;
      else         vld_q[s] <= vld_q[s-1];
    end
    always_ff @(posedge clk_i) st_q[s] <= ap[s-1];
  end

  // The tag rides a Lat-deep delay line (SRL/LUT-RAM on the FPGA) rather
  // than Lat wide registers: written as it enters, read Lat cycles later.
  localparam int unsigned TagAw = $clog2(Lat);
  tag_t             tag_mem [Lat];
  logic [TagAw-1:0] tag_ptr_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni)                       tag_ptr_q <= '0;
    else if (tag_ptr_q == TagAw'(Lat - 1)) tag_ptr_q <= '0;
    else                               tag_ptr_q <= tag_ptr_q + 1'b1;
  end
  always_ff @(posedge clk_i) tag_mem[tag_ptr_q] <= tag_i;

  always_ff @(posedge clk_i) hit_q <= tbl_hit;

  always_comb begin
    tbl_rdata_o = '0;
    for (int unsigned l = 0; l < Levels; l++) begin
      if (hit_q[l]) tbl_rdata_o = lvl_rdata[l];
    end
  end
  assign tbl_bad_o = (tbl_hit == '0);

  // The last stage has applied every level (Lat > Levels).
  assign valid_o = vld_q[Lat];
  assign tag_o   = tag_mem[tag_ptr_q];
  assign match_o = ap[Lat].best_valid;
  assign route_o = ap[Lat].best;

endmodule
