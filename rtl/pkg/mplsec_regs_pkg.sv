// generated from regmap/mplsec.yaml by mplsec-regmap-gen; do not edit
//
// mplsec register map, table entry formats and reason codes. Register
// *_OFFSET values are absolute byte addresses in the card's AXI4-Lite
// window, except *_WIN_* offsets, which are relative to a table window.

package mplsec_regs_pkg;

  /* verilator lint_off UNUSEDPARAM */

  /////////////////////////////////////
  // Register map version and layout //
  /////////////////////////////////////
  localparam int unsigned REGMAP_VERSION_MAJOR = 1;
  localparam int unsigned REGMAP_VERSION_MINOR = 1;
  // value of ident.REGMAP_VERSION: major in 31:16, minor in 15:0
  localparam int unsigned REGMAP_VERSION = 32'h0001_0001;
  localparam int unsigned REG_DATA_WIDTH = 32;
  localparam int unsigned ADDRESS_SPACE_BYTES = 32'h0001_0000;
  // Common header of every block, relative to the block base.
  localparam int unsigned BLOCK_TYPE_OFFSET = 32'h0000_0000;
  localparam int unsigned BLOCK_VERSION_OFFSET = 32'h0000_0004;
  localparam int unsigned BLOCK_NEXT_OFFSET = 32'h0000_0008;

  ////////////////////////////////////
  // Feature bits of ident.FEATURES //
  ////////////////////////////////////
  // ILM and NHLFE label switching
  localparam int unsigned FEATURE_MPLS_BIT = 0;
  // per-VRF IPv4 longest-prefix match
  localparam int unsigned FEATURE_VRF_IPV4_BIT = 1;
  // per-VRF IPv6 longest-prefix match
  localparam int unsigned FEATURE_VRF_IPV6_BIT = 2;
  // ESP AES-GCM encrypt/decrypt with anti-replay
  localparam int unsigned FEATURE_ESP_GCM_BIT = 3;
  // bulk table loads by DMA
  localparam int unsigned FEATURE_TABLE_DMA_BIT = 4;

  /////////////////
  // Block ident //
  /////////////////
  // Identity of the bitstream: what it is and what it offers.
  localparam int unsigned IDENT_BASE = 32'h0000_0000;
  // "MPID"
  localparam int unsigned IDENT_TYPE = 32'h4D50_4944;
  localparam int unsigned IDENT_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned IDENT_NEXT = 32'h0000_0100;
  // REGMAP_VERSION (ro): register map version: major in 31:16, minor in 15:0
  localparam int unsigned IDENT_REGMAP_VERSION_OFFSET = 32'h0000_000C;
  // FEATURES (ro): feature bitmap (see features)
  localparam int unsigned IDENT_FEATURES_OFFSET = 32'h0000_0010;
  // NUM_PORTS (ro): number of Ethernet ports
  localparam int unsigned IDENT_NUM_PORTS_OFFSET = 32'h0000_0014;
  // CLOCK_KHZ (ro): datapath clock in kHz
  localparam int unsigned IDENT_CLOCK_KHZ_OFFSET = 32'h0000_0018;
  // BUILD_ID (ro): low 32 bits of the source revision the bitstream was built from
  localparam int unsigned IDENT_BUILD_ID_OFFSET = 32'h0000_001C;

  ////////////////
  // Block ctrl //
  ////////////////
  // Datapath control and status.
  localparam int unsigned CTRL_BASE = 32'h0000_0100;
  // "MPCT"
  localparam int unsigned CTRL_TYPE = 32'h4D50_4354;
  localparam int unsigned CTRL_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned CTRL_NEXT = 32'h0000_0200;
  // CONTROL (rw): datapath control
  localparam int unsigned CTRL_CONTROL_OFFSET = 32'h0000_010C;
  // CONTROL.enable [0]: 1 = forward traffic; 0 = drop at ingress
  localparam int unsigned CTRL_CONTROL_ENABLE_BIT = 0;
  localparam int unsigned CTRL_CONTROL_ENABLE_WIDTH = 1;
  localparam int unsigned CTRL_CONTROL_ENABLE_MASK = 32'h0000_0001;
  // CONTROL.counter_clear [1]: write 1: clear every counter (self-clearing)
  localparam int unsigned CTRL_CONTROL_COUNTER_CLEAR_BIT = 1;
  localparam int unsigned CTRL_CONTROL_COUNTER_CLEAR_WIDTH = 1;
  localparam int unsigned CTRL_CONTROL_COUNTER_CLEAR_MASK = 32'h0000_0002;
  // STATUS (ro): datapath status
  localparam int unsigned CTRL_STATUS_OFFSET = 32'h0000_0110;
  // STATUS.idle [0]: no packet inside the pipeline
  localparam int unsigned CTRL_STATUS_IDLE_BIT = 0;
  localparam int unsigned CTRL_STATUS_IDLE_WIDTH = 1;
  localparam int unsigned CTRL_STATUS_IDLE_MASK = 32'h0000_0001;
  // STATUS.table_busy [1]: a table write or DMA load is in progress
  localparam int unsigned CTRL_STATUS_TABLE_BUSY_BIT = 1;
  localparam int unsigned CTRL_STATUS_TABLE_BUSY_WIDTH = 1;
  localparam int unsigned CTRL_STATUS_TABLE_BUSY_MASK = 32'h0000_0002;
  // SCRATCH (rw): scratch register for access tests
  localparam int unsigned CTRL_SCRATCH_OFFSET = 32'h0000_0114;
  // CYCLES_LO (ro): free-running datapath cycle counter, low word (reading latches HI)
  localparam int unsigned CTRL_CYCLES_LO_OFFSET = 32'h0000_0118;
  // CYCLES_HI (ro): cycle counter, high word as latched by CYCLES_LO
  localparam int unsigned CTRL_CYCLES_HI_OFFSET = 32'h0000_011C;

  ////////////////////
  // Block counters //
  ////////////////////
  // Counter read port. Write CNT_SELECT, then read the latched values.
  localparam int unsigned COUNTERS_BASE = 32'h0000_0200;
  // "MPCN"
  localparam int unsigned COUNTERS_TYPE = 32'h4D50_434E;
  localparam int unsigned COUNTERS_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned COUNTERS_NEXT = 32'h0000_0300;
  // CNT_SELECT (rw): selects a counter and latches it into CNT_*
  localparam int unsigned COUNTERS_CNT_SELECT_OFFSET = 32'h0000_020C;
  // CNT_SELECT.index [23:0]: entry within the bank
  localparam int unsigned COUNTERS_CNT_SELECT_INDEX_BIT = 0;
  localparam int unsigned COUNTERS_CNT_SELECT_INDEX_WIDTH = 24;
  localparam int unsigned COUNTERS_CNT_SELECT_INDEX_MASK = 32'h00FF_FFFF;
  // CNT_SELECT.bank [31:24]: counter bank (see counter_banks)
  localparam int unsigned COUNTERS_CNT_SELECT_BANK_BIT = 24;
  localparam int unsigned COUNTERS_CNT_SELECT_BANK_WIDTH = 8;
  localparam int unsigned COUNTERS_CNT_SELECT_BANK_MASK = 32'hFF00_0000;
  // CNT_PACKETS_LO (ro): packets, low word
  localparam int unsigned COUNTERS_CNT_PACKETS_LO_OFFSET = 32'h0000_0210;
  // CNT_PACKETS_HI (ro): packets, high word
  localparam int unsigned COUNTERS_CNT_PACKETS_HI_OFFSET = 32'h0000_0214;
  // CNT_BYTES_LO (ro): bytes, low word
  localparam int unsigned COUNTERS_CNT_BYTES_LO_OFFSET = 32'h0000_0218;
  // CNT_BYTES_HI (ro): bytes, high word
  localparam int unsigned COUNTERS_CNT_BYTES_HI_OFFSET = 32'h0000_021C;

  ////////////////
  // Block punt //
  ////////////////
  // Punt queue (card to host) and inject queue (host to card), one frame at a time through a word
  // window.
  localparam int unsigned PUNT_BASE = 32'h0000_0300;
  // "MPPT"
  localparam int unsigned PUNT_TYPE = 32'h4D50_5054;
  localparam int unsigned PUNT_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned PUNT_NEXT = 32'h0000_0400;
  // PUNT_COUNT (ro): frames waiting in the punt queue
  localparam int unsigned PUNT_PUNT_COUNT_OFFSET = 32'h0000_030C;
  // PUNT_META (ro): metadata of the frame at the head of the punt queue
  localparam int unsigned PUNT_PUNT_META_OFFSET = 32'h0000_0310;
  // PUNT_META.length [13:0]: frame length in bytes
  localparam int unsigned PUNT_PUNT_META_LENGTH_BIT = 0;
  localparam int unsigned PUNT_PUNT_META_LENGTH_WIDTH = 14;
  localparam int unsigned PUNT_PUNT_META_LENGTH_MASK = 32'h0000_3FFF;
  // PUNT_META.reason [23:16]: punt reason code (see punt_reasons)
  localparam int unsigned PUNT_PUNT_META_REASON_BIT = 16;
  localparam int unsigned PUNT_PUNT_META_REASON_WIDTH = 8;
  localparam int unsigned PUNT_PUNT_META_REASON_MASK = 32'h00FF_0000;
  // PUNT_META.port [27:24]: port the frame arrived on
  localparam int unsigned PUNT_PUNT_META_PORT_BIT = 24;
  localparam int unsigned PUNT_PUNT_META_PORT_WIDTH = 4;
  localparam int unsigned PUNT_PUNT_META_PORT_MASK = 32'h0F00_0000;
  // PUNT_DATA (ro): next 4 bytes of the head frame (first byte in 7:0)
  localparam int unsigned PUNT_PUNT_DATA_OFFSET = 32'h0000_0314;
  // PUNT_POP (wo): write 1: discard the head frame
  localparam int unsigned PUNT_PUNT_POP_OFFSET = 32'h0000_0318;
  // INJECT_META (rw): length and port of the frame being injected
  localparam int unsigned PUNT_INJECT_META_OFFSET = 32'h0000_031C;
  // INJECT_META.length [13:0]: frame length in bytes
  localparam int unsigned PUNT_INJECT_META_LENGTH_BIT = 0;
  localparam int unsigned PUNT_INJECT_META_LENGTH_WIDTH = 14;
  localparam int unsigned PUNT_INJECT_META_LENGTH_MASK = 32'h0000_3FFF;
  // INJECT_META.port [27:24]: output port
  localparam int unsigned PUNT_INJECT_META_PORT_BIT = 24;
  localparam int unsigned PUNT_INJECT_META_PORT_WIDTH = 4;
  localparam int unsigned PUNT_INJECT_META_PORT_MASK = 32'h0F00_0000;
  // INJECT_DATA (wo): next 4 bytes of the injected frame (first byte in 7:0)
  localparam int unsigned PUNT_INJECT_DATA_OFFSET = 32'h0000_0320;
  // INJECT_PUSH (wo): write 1: transmit the injected frame
  localparam int unsigned PUNT_INJECT_PUSH_OFFSET = 32'h0000_0324;
  // POLICER_SELECT (rw): punt reason whose policer POLICER_RATE/BURST address
  localparam int unsigned PUNT_POLICER_SELECT_OFFSET = 32'h0000_0328;
  // POLICER_SELECT.reason [7:0]: punt reason code
  localparam int unsigned PUNT_POLICER_SELECT_REASON_BIT = 0;
  localparam int unsigned PUNT_POLICER_SELECT_REASON_WIDTH = 8;
  localparam int unsigned PUNT_POLICER_SELECT_REASON_MASK = 32'h0000_00FF;
  // POLICER_RATE (rw): tokens (packets) added every 2^16 cycles; 2 is about 9,800 frames/s at 322.27
  // MHz
  localparam int unsigned PUNT_POLICER_RATE_OFFSET = 32'h0000_032C;
  // POLICER_RATE after reset
  localparam int unsigned PUNT_POLICER_RATE_RESET = 2;
  // POLICER_BURST (rw): bucket depth in packets; buckets start full
  localparam int unsigned PUNT_POLICER_BURST_OFFSET = 32'h0000_0330;
  // POLICER_BURST after reset
  localparam int unsigned PUNT_POLICER_BURST_RESET = 64;

  /////////////////
  // Block event //
  /////////////////
  // Event queue (card to host): SA lifetimes, sequence exhaustion.
  localparam int unsigned EVENT_BASE = 32'h0000_0400;
  // "MPEV"
  localparam int unsigned EVENT_TYPE = 32'h4D50_4556;
  localparam int unsigned EVENT_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned EVENT_NEXT = 32'h0000_0500;
  // EVT_COUNT (ro): events waiting
  localparam int unsigned EVENT_EVT_COUNT_OFFSET = 32'h0000_040C;
  // EVT_HEAD (ro): event at the head of the queue
  localparam int unsigned EVENT_EVT_HEAD_OFFSET = 32'h0000_0410;
  // EVT_HEAD.index [23:0]: object index (e.g. SA index)
  localparam int unsigned EVENT_EVT_HEAD_INDEX_BIT = 0;
  localparam int unsigned EVENT_EVT_HEAD_INDEX_WIDTH = 24;
  localparam int unsigned EVENT_EVT_HEAD_INDEX_MASK = 32'h00FF_FFFF;
  // EVT_HEAD.code [31:24]: event code (see event_codes)
  localparam int unsigned EVENT_EVT_HEAD_CODE_BIT = 24;
  localparam int unsigned EVENT_EVT_HEAD_CODE_WIDTH = 8;
  localparam int unsigned EVENT_EVT_HEAD_CODE_MASK = 32'hFF00_0000;
  // EVT_POP (wo): write 1: discard the head event
  localparam int unsigned EVENT_EVT_POP_OFFSET = 32'h0000_0414;

  ///////////////
  // Block dma //
  ///////////////
  // Bulk table load: copies COUNT entries from host memory into a table.
  localparam int unsigned DMA_BASE = 32'h0000_0500;
  // "MPDM"
  localparam int unsigned DMA_TYPE = 32'h4D50_444D;
  localparam int unsigned DMA_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned DMA_NEXT = 32'h0000_1000;
  // DMA_TABLE (rw): table id (see tables)
  localparam int unsigned DMA_DMA_TABLE_OFFSET = 32'h0000_050C;
  // DMA_INDEX (rw): first entry index
  localparam int unsigned DMA_DMA_INDEX_OFFSET = 32'h0000_0510;
  // DMA_COUNT (rw): number of entries
  localparam int unsigned DMA_DMA_COUNT_OFFSET = 32'h0000_0514;
  // DMA_ADDR_LO (rw): host buffer address, low word; entries packed at the table's stride
  localparam int unsigned DMA_DMA_ADDR_LO_OFFSET = 32'h0000_0518;
  // DMA_ADDR_HI (rw): host buffer address, high word
  localparam int unsigned DMA_DMA_ADDR_HI_OFFSET = 32'h0000_051C;
  // DMA_START (wo): write 1: start the transfer
  localparam int unsigned DMA_DMA_START_OFFSET = 32'h0000_0520;
  // DMA_STATUS (ro): transfer status
  localparam int unsigned DMA_DMA_STATUS_OFFSET = 32'h0000_0524;
  // DMA_STATUS.busy [0]: transfer in progress
  localparam int unsigned DMA_DMA_STATUS_BUSY_BIT = 0;
  localparam int unsigned DMA_DMA_STATUS_BUSY_WIDTH = 1;
  localparam int unsigned DMA_DMA_STATUS_BUSY_MASK = 32'h0000_0001;
  // DMA_STATUS.error [1]: last transfer failed (bad table or range)
  localparam int unsigned DMA_DMA_STATUS_ERROR_BIT = 1;
  localparam int unsigned DMA_DMA_STATUS_ERROR_WIDTH = 1;
  localparam int unsigned DMA_DMA_STATUS_ERROR_MASK = 32'h0000_0002;

  //////////////////
  // Block tables //
  //////////////////
  // Table write windows, one per table at tables.base + 0x40 * (table id + 1), after the block
  // header. Write the entry's words to DATA0.., its index to INDEX, then 1 (write) or 2 (read back
  // into DATA) to CMD.
  localparam int unsigned TABLES_BASE = 32'h0000_1000;
  // "MPTB"
  localparam int unsigned TABLES_TYPE = 32'h4D50_5442;
  localparam int unsigned TABLES_VERSION = 1;
  // base of the next block, 0 at the end
  localparam int unsigned TABLES_NEXT = 32'h0000_0000;
  // Table windows: window of table id i at TABLES_BASE + TABLES_WINDOW_OFFSET + TABLES_WINDOW_STRIDE
  // * i; the TABLES_WIN_* offsets are relative to a window.
  localparam int unsigned TABLES_WINDOW_OFFSET = 32'h0000_0040;
  localparam int unsigned TABLES_WINDOW_STRIDE = 32'h0000_0040;
  // INDEX (rw): entry index
  localparam int unsigned TABLES_WIN_INDEX_OFFSET = 32'h0000_0000;
  // CMD (wo): 1 = write DATA to INDEX, 2 = read INDEX into DATA
  localparam int unsigned TABLES_WIN_CMD_OFFSET = 32'h0000_0004;
  // write DATA0.. to the entry at INDEX
  localparam int unsigned TABLES_WIN_CMD_WRITE = 1;
  // read the entry at INDEX into DATA0..
  localparam int unsigned TABLES_WIN_CMD_READ = 2;
  // STATUS (ro): bit 0: last command failed (index out of range)
  localparam int unsigned TABLES_WIN_STATUS_OFFSET = 32'h0000_0008;
  // DATA0 (rw): entry word 0 (bits 31:0)
  localparam int unsigned TABLES_WIN_DATA0_OFFSET = 32'h0000_0010;
  localparam int unsigned TABLES_WIN_DATA_COUNT = 12;

  ////////////
  // Tables //
  ////////////
  localparam int unsigned NUM_TABLES = 14;
  // table ids are below this
  localparam int unsigned NUM_TABLE_WINDOWS = 14;
  // port: Per-port settings.
  localparam int unsigned TBL_PORT_ID = 0;
  localparam int unsigned TBL_PORT_DEPTH = 4;
  localparam int unsigned TBL_PORT_WIDTH = 71;
  localparam int unsigned TBL_PORT_WORDS = 3;
  localparam int unsigned TBL_PORT_WINDOW = 32'h0000_1040;
  // ilm: Incoming label map, direct-indexed by the 20-bit label.
  localparam int unsigned TBL_ILM_ID = 1;
  localparam int unsigned TBL_ILM_DEPTH = 1048576;
  localparam int unsigned TBL_ILM_WIDTH = 21;
  localparam int unsigned TBL_ILM_WORDS = 1;
  localparam int unsigned TBL_ILM_WINDOW = 32'h0000_1080;
  // nhlfe: Next-hop label forwarding entries.
  localparam int unsigned TBL_NHLFE_ID = 2;
  localparam int unsigned TBL_NHLFE_DEPTH = 65536;
  localparam int unsigned TBL_NHLFE_WIDTH = 90;
  localparam int unsigned TBL_NHLFE_WORDS = 3;
  localparam int unsigned TBL_NHLFE_WINDOW = 32'h0000_10C0;
  // nexthop: Next hops: output port and Ethernet rewrite.
  localparam int unsigned TBL_NEXTHOP_ID = 3;
  localparam int unsigned TBL_NEXTHOP_DEPTH = 4096;
  localparam int unsigned TBL_NEXTHOP_WIDTH = 64;
  localparam int unsigned TBL_NEXTHOP_WORDS = 2;
  localparam int unsigned TBL_NEXTHOP_WINDOW = 32'h0000_1100;
  // vrf: Per-VRF settings. The VRF index is also its root node in level 0 of both LPM tries.
  localparam int unsigned TBL_VRF_ID = 4;
  localparam int unsigned TBL_VRF_DEPTH = 256;
  localparam int unsigned TBL_VRF_WIDTH = 2;
  localparam int unsigned TBL_VRF_WORDS = 1;
  localparam int unsigned TBL_VRF_WINDOW = 32'h0000_1140;
  // route: Route results, pointed to by LPM trie slots.
  localparam int unsigned TBL_ROUTE_ID = 5;
  localparam int unsigned TBL_ROUTE_DEPTH = 131072;
  localparam int unsigned TBL_ROUTE_WIDTH = 89;
  localparam int unsigned TBL_ROUTE_WORDS = 3;
  localparam int unsigned TBL_ROUTE_WINDOW = 32'h0000_1180;
  // lpm4: IPv4 multibit trie, stride 8, one node pool per level (levels 0..3). Index = level << 22 |
  // node << 8 | slot. Level-0 node n is the root of VRF n. A slot holds the best route of length up
  // to (level+1)*8 covering it and, when longer prefixes exist below it, the child node in the next
  // level.
  localparam int unsigned TBL_LPM4_ID = 6;
  localparam int unsigned TBL_LPM4_DEPTH = 16777216;
  localparam int unsigned TBL_LPM4_WIDTH = 33;
  localparam int unsigned TBL_LPM4_WORDS = 2;
  localparam int unsigned TBL_LPM4_WINDOW = 32'h0000_11C0;
  localparam int unsigned TBL_LPM4_IDX_SLOT_BIT = 0;
  localparam int unsigned TBL_LPM4_IDX_SLOT_WIDTH = 8;
  localparam int unsigned TBL_LPM4_IDX_NODE_BIT = 8;
  localparam int unsigned TBL_LPM4_IDX_NODE_WIDTH = 14;
  localparam int unsigned TBL_LPM4_IDX_LEVEL_BIT = 22;
  localparam int unsigned TBL_LPM4_IDX_LEVEL_WIDTH = 2;
  localparam int unsigned TBL_LPM4_LEVELS = 4;
  localparam int unsigned TBL_LPM4_NODES_L0 = 256;
  localparam int unsigned TBL_LPM4_NODES_L1 = 4096;
  localparam int unsigned TBL_LPM4_NODES_L2 = 8192;
  localparam int unsigned TBL_LPM4_NODES_L3 = 8192;
  localparam int unsigned TBL_LPM4_NODES_PER_LEVEL [4] = '{256, 4096, 8192, 8192};
  // lpm6: IPv6 multibit trie, stride 8, levels 0..15, same slot format as lpm4. Index = level << 20
  // | node << 8 | slot.
  localparam int unsigned TBL_LPM6_ID = 7;
  localparam int unsigned TBL_LPM6_DEPTH = 16777216;
  localparam int unsigned TBL_LPM6_WIDTH = 31;
  localparam int unsigned TBL_LPM6_WORDS = 1;
  localparam int unsigned TBL_LPM6_WINDOW = 32'h0000_1200;
  localparam int unsigned TBL_LPM6_IDX_SLOT_BIT = 0;
  localparam int unsigned TBL_LPM6_IDX_SLOT_WIDTH = 8;
  localparam int unsigned TBL_LPM6_IDX_NODE_BIT = 8;
  localparam int unsigned TBL_LPM6_IDX_NODE_WIDTH = 12;
  localparam int unsigned TBL_LPM6_IDX_LEVEL_BIT = 20;
  localparam int unsigned TBL_LPM6_IDX_LEVEL_WIDTH = 4;
  localparam int unsigned TBL_LPM6_LEVELS = 16;
  localparam int unsigned TBL_LPM6_NODES_L0 = 256;
  localparam int unsigned TBL_LPM6_NODES_L1 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L2 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L3 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L4 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L5 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L6 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L7 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L8 = 1024;
  localparam int unsigned TBL_LPM6_NODES_L9 = 512;
  localparam int unsigned TBL_LPM6_NODES_L10 = 512;
  localparam int unsigned TBL_LPM6_NODES_L11 = 512;
  localparam int unsigned TBL_LPM6_NODES_L12 = 512;
  localparam int unsigned TBL_LPM6_NODES_L13 = 512;
  localparam int unsigned TBL_LPM6_NODES_L14 = 512;
  localparam int unsigned TBL_LPM6_NODES_L15 = 512;
  localparam int unsigned TBL_LPM6_NODES_PER_LEVEL [16] = '{256, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 512, 512, 512, 512, 512, 512, 512};
  // local_addr: The card's own addresses: IP packets to them are punted (punt_control).
  localparam int unsigned TBL_LOCAL_ADDR_ID = 8;
  localparam int unsigned TBL_LOCAL_ADDR_DEPTH = 16;
  localparam int unsigned TBL_LOCAL_ADDR_WIDTH = 130;
  localparam int unsigned TBL_LOCAL_ADDR_WORDS = 5;
  localparam int unsigned TBL_LOCAL_ADDR_WINDOW = 32'h0000_1240;
  // sa: Security associations (ESP AES-GCM, RFC 4303 with RFC 4106). Writing an entry (re)starts the
  // SA: next outbound sequence number 1, replay window empty, lifetime state and the SA's counters
  // cleared; the card expands the key and computes H..H^4 at that moment, never per packet. Write
  // sa_tunnel and sa_lifetime before sa.
  localparam int unsigned TBL_SA_ID = 9;
  localparam int unsigned TBL_SA_DEPTH = 4096;
  localparam int unsigned TBL_SA_WIDTH = 330;
  localparam int unsigned TBL_SA_WORDS = 11;
  localparam int unsigned TBL_SA_WINDOW = 32'h0000_1280;
  // sa_tunnel: Outer header of an outbound SA. Inbound SAs leave it zero.
  localparam int unsigned TBL_SA_TUNNEL_ID = 10;
  localparam int unsigned TBL_SA_TUNNEL_DEPTH = 4096;
  localparam int unsigned TBL_SA_TUNNEL_WIDTH = 288;
  localparam int unsigned TBL_SA_TUNNEL_WORDS = 9;
  localparam int unsigned TBL_SA_TUNNEL_WINDOW = 32'h0000_12C0;
  // sa_lifetime: SA lifetimes, compared with the SA's own packet and byte counters (inner packets).
  // 0 = no limit. Reaching a soft limit raises sa_soft_lifetime once; reaching a hard limit raises
  // sa_hard_lifetime and stops the SA (esp_sa_expired) until the host writes its sa entry again.
  localparam int unsigned TBL_SA_LIFETIME_ID = 11;
  localparam int unsigned TBL_SA_LIFETIME_DEPTH = 4096;
  localparam int unsigned TBL_SA_LIFETIME_WIDTH = 256;
  localparam int unsigned TBL_SA_LIFETIME_WORDS = 8;
  localparam int unsigned TBL_SA_LIFETIME_WINDOW = 32'h0000_1300;
  // sa_seq: Next outbound sequence number of an SA. Writing sa sets it to 1; a read gives the live
  // value; a write continues a sequence (after a card reload, and in tests of exhaustion).
  localparam int unsigned TBL_SA_SEQ_ID = 12;
  localparam int unsigned TBL_SA_SEQ_DEPTH = 4096;
  localparam int unsigned TBL_SA_SEQ_WIDTH = 64;
  localparam int unsigned TBL_SA_SEQ_WORDS = 2;
  localparam int unsigned TBL_SA_SEQ_WINDOW = 32'h0000_1340;
  // spi_hash: Inbound SA lookup by SPI: two ways of 8192 slots, index = way << 13 | hash_way(SPI)
  // (docs/datapath.md, "SPI lookup"). The card reads both of a packet's slots at once; the host
  // places each inbound SA in one of its two.
  localparam int unsigned TBL_SPI_HASH_ID = 13;
  localparam int unsigned TBL_SPI_HASH_DEPTH = 16384;
  localparam int unsigned TBL_SPI_HASH_WIDTH = 45;
  localparam int unsigned TBL_SPI_HASH_WORDS = 2;
  localparam int unsigned TBL_SPI_HASH_WINDOW = 32'h0000_1380;
  // entry words of each table, indexed by table id
  localparam int unsigned TBL_WORDS [14] = '{3, 1, 3, 2, 1, 3, 2, 1, 5, 11, 9, 8, 2, 2};

  //////////////////
  // Enumerations //
  //////////////////

  // enum nhlfe_op
  typedef enum logic [2:0] {
    // drop (counted as action_drop)
    NHLFE_OP_DROP = 3'd0,
    // replace the top label by 1..3 labels
    NHLFE_OP_SWAP = 3'd1,
    // remove the top label, send the rest to the next hop
    NHLFE_OP_POP = 3'd2,
    // remove the top label, look the IP packet up in a VRF
    NHLFE_OP_POP_LOOKUP = 3'd3,
    // send to the host (punt_control)
    NHLFE_OP_PUNT = 3'd4
  } nhlfe_op_e;

  /////////////////////////////////////////
  // Reasons, counter banks, event codes //
  /////////////////////////////////////////
  localparam int unsigned NUM_DROP_REASONS = 15;
  localparam int unsigned NUM_PUNT_REASONS = 3;
  // highest reason code + 1: entries of the reason counter bank
  localparam int unsigned NUM_REASON_CODES = 19;

  // Drop and punt reasons: one code space, fixed names.
  typedef enum logic [7:0] {
    // runt, oversize, truncated or malformed header, unsupported ethertype
    REASON_BAD_FRAME = 8'd0,
    // top label not installed, or a reserved label with no meaning here
    REASON_NO_LABEL = 8'd1,
    // label arrived on a port it was not advertised to
    REASON_LABEL_SPOOFED = 8'd2,
    // no bottom-of-stack within the supported depth
    REASON_STACK_TOO_DEEP = 8'd3,
    // no VRF route for the destination
    REASON_NO_ROUTE = 8'd4,
    // the frame to send exceeds the output port's MTU
    REASON_MTU_EXCEEDED = 8'd5,
    // no SA for the SPI, or the route's SA is not installed
    REASON_ESP_NO_SA = 8'd6,
    // ICV check failed
    REASON_ESP_AUTH_FAILED = 8'd7,
    // sequence number replayed or left of the window
    REASON_ESP_REPLAY = 8'd8,
    // padding bytes are not 1, 2, 3, ...
    REASON_ESP_BAD_PADDING = 8'd9,
    // outbound sequence number exhausted
    REASON_ESP_SEQ_OVERFLOW = 8'd10,
    // plaintext reached a VRF that demands ESP
    REASON_ESP_REQUIRED = 8'd11,
    // the punt policer refused the frame
    REASON_PUNT_POLICED = 8'd12,
    // the NHLFE says drop
    REASON_ACTION_DROP = 8'd13,
    // the SA passed its hard lifetime and is stopped until the host rekeys it
    REASON_ESP_SA_EXPIRED = 8'd14,
    // punt: for the card's own addresses, multicast control traffic, ARP, or the punt action
    REASON_PUNT_CONTROL = 8'd16,
    // punt: TTL would reach zero; the original frame goes to the host for ICMP
    REASON_TTL_EXPIRED = 8'd17,
    // punt: router alert label (1) on top
    REASON_ROUTER_ALERT = 8'd18
  } reason_e;

  // Counter banks.
  typedef enum logic [7:0] {
    // per port: frames and bytes received
    COUNTER_BANK_PORT_RX = 8'd0,
    // per port: frames and bytes transmitted
    COUNTER_BANK_PORT_TX = 8'd1,
    // per drop/punt reason code
    COUNTER_BANK_REASON = 8'd2,
    // per NHLFE: frames and bytes switched
    COUNTER_BANK_NHLFE = 8'd3,
    // per route: frames and bytes forwarded
    COUNTER_BANK_ROUTE = 8'd4,
    // per SA: inner packets and their bytes encrypted and sent, or decrypted and accepted
    COUNTER_BANK_SA = 8'd5,
    // per inbound SA: frames dropped esp_auth_failed (bytes = frame length)
    COUNTER_BANK_SA_AUTH_FAILED = 8'd6,
    // per inbound SA: frames dropped esp_replay
    COUNTER_BANK_SA_REPLAY = 8'd7,
    // per inbound SA: frames dropped esp_bad_padding
    COUNTER_BANK_SA_BAD_PADDING = 8'd8
  } counter_bank_e;

  // Event codes.
  typedef enum logic [7:0] {
    // SA reached its soft byte or packet limit
    EVENT_CODE_SA_SOFT_LIFETIME = 8'd1,
    // SA reached its hard limit and stopped
    EVENT_CODE_SA_HARD_LIFETIME = 8'd2,
    // SA sequence number exhausted: raised at its first esp_seq_overflow drop
    EVENT_CODE_SA_SEQ_EXHAUSTED = 8'd3
  } event_code_e;

  // Entry of table port (71 bits, 3 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [70:57] largest L3/MPLS payload sent after the Ethernet and VLAN headers
    logic [13:0] mtu;
    // [56:49] VRF index of a customer port
    logic [7:0]  vrf;
    // [48] the port faces a customer VRF
    logic        vrf_valid;
    // [47:0] port MAC, source of every frame sent (first wire byte in 47:40)
    logic [47:0] mac;
  } port_entry_t;

  // Entry of table ilm (21 bits, 1 word; word 0 holds bits 31:0).
  typedef struct packed {
    // [20:5] index of the NHLFE
    logic [15:0] nhlfe;
    // [4:1] bit p set: the label is accepted on port p
    logic [3:0]  port_mask;
    // [0] label is installed
    logic        valid;
  } ilm_entry_t;

  // Entry of table nhlfe (90 bits, 3 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [89:87] traffic class written when tc_set
    logic [2:0]  tc;
    // [86] 1 = write tc into new labels, 0 = keep the incoming TC
    logic        tc_set;
    // [85] 1 = RFC 3443 pipe model, 0 = uniform
    logic        ttl_pipe;
    // [84:77] VRF index (pop_lookup)
    logic [7:0]  vrf;
    // [76:65] next hop index (swap, pop)
    logic [11:0] nexthop;
    // [64:45] third out label
    logic [19:0] label2;
    // [44:25] second out label
    logic [19:0] label1;
    // [24:5] outermost out label
    logic [19:0] label0;
    // [4:3] labels written by swap (1..3)
    logic [1:0]  n_labels;
    // [2:0] operation
    nhlfe_op_e   op;
  } nhlfe_entry_t;

  // Entry of table nexthop (64 bits, 2 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [63:52] VLAN id of the pushed tag
    logic [11:0] vlan;
    // [51] push an 802.1Q tag
    logic        vlan_valid;
    // [50:3] destination MAC (first wire byte in 47:40)
    logic [47:0] dmac;
    // [2:1] output port
    logic [1:0]  port;
    // [0] entry is installed
    logic        valid;
  } nexthop_entry_t;

  // Entry of table vrf (2 bits, 1 word; word 0 holds bits 31:0).
  typedef struct packed {
    // [1] plaintext arriving from the core for this VRF is dropped (esp_required)
    logic require_esp;
    // [0] VRF is installed
    logic valid;
  } vrf_entry_t;

  // Entry of table route (89 bits, 3 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [88:77] outbound SA index
    logic [11:0] sa;
    // [76] encrypt with the outbound SA sa
    logic        sa_valid;
    // [75] 1 = pushed labels carry TTL 255 (pipe), 0 = copy the IP TTL (uniform)
    logic        ttl_pipe;
    // [74:55] third pushed label
    logic [19:0] label2;
    // [54:35] second pushed label
    logic [19:0] label1;
    // [34:15] outermost pushed label
    logic [19:0] label0;
    // [14:13] labels to push (0..3)
    logic [1:0]  n_push;
    // [12:1] next hop index
    logic [11:0] nexthop;
    // [0] entry is installed
    logic        valid;
  } route_entry_t;

  // Entry of table lpm4 (33 bits, 2 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [32:16] route index
    logic [16:0] route;
    // [15] route holds the best match so far
    logic        route_valid;
    // [14:1] child node index
    logic [13:0] child;
    // [0] a child node exists in the next level
    logic        child_valid;
  } lpm4_entry_t;

  // Entry of table lpm6 (31 bits, 1 word; word 0 holds bits 31:0).
  typedef struct packed {
    // [30:14] route index
    logic [16:0] route;
    // [13] route holds the best match so far
    logic        route_valid;
    // [12:1] child node index
    logic [11:0] child;
    // [0] a child node exists in the next level
    logic        child_valid;
  } lpm6_entry_t;

  // Entry of table local_addr (130 bits, 5 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [129:2] address, network byte order with the first byte in the most significant bits
    logic [127:0] addr;
    // [1] addr is IPv6 (else IPv4 in addr[31:0])
    logic         is_v6;
    // [0] entry is installed
    logic         valid;
  } local_addr_entry_t;

  // Entry of table sa (330 bits, 11 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [329:74] AES key, first byte in 255:248; AES-128 uses 255:128 and leaves 127:0 zero
    logic [255:0] key;
    // [73:42] RFC 4106 nonce salt, first byte in 31:24
    logic [31:0]  salt;
    // [41:10] security parameter index
    logic [31:0]  spi;
    // [9:6] inbound: anti-replay window of 2^replay_log2 packets (6..12, 64..4096)
    logic [3:0]   replay_log2;
    // [5] outbound: the outer header is IPv6 (else IPv4)
    logic         outer_v6;
    // [4] RFC 3948 UDP encapsulation (IPv4 tunnels only)
    logic         encap_udp;
    // [3] 64-bit extended sequence numbers (RFC 4303 2.2.1)
    logic         esn;
    // [2] 1 = AES-256-GCM, 0 = AES-128-GCM (16-byte ICV either way)
    logic         aes256;
    // [1] 1 = decrypts (found by SPI through spi_hash); 0 = encrypts (named by a route)
    logic         inbound;
    // [0] SA is installed
    logic         valid;
  } sa_entry_t;

  // Entry of table sa_tunnel (288 bits, 9 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [287:272] UDP destination port when encap_udp
    logic [15:0]  udp_dport;
    // [271:256] UDP source port when encap_udp (4500 unless NAT moved it)
    logic [15:0]  udp_sport;
    // [255:128] outer destination address, same encoding
    logic [127:0] dst;
    // [127:0] outer source address (IPv4 in 31:0), first byte in the most significant bits
    logic [127:0] src;
  } sa_tunnel_entry_t;

  // Entry of table sa_lifetime (256 bits, 8 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [255:192] hard packet limit
    logic [63:0] hard_packets;
    // [191:128] soft packet limit
    logic [63:0] soft_packets;
    // [127:64] hard byte limit
    logic [63:0] hard_bytes;
    // [63:0] soft byte limit
    logic [63:0] soft_bytes;
  } sa_lifetime_entry_t;

  // Entry of table sa_seq (64 bits, 2 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [63:0] sequence number the next packet takes (without ESN only values below 2^32 are sent)
    logic [63:0] next_seq;
  } sa_seq_entry_t;

  // Entry of table spi_hash (45 bits, 2 words; word 0 holds bits 31:0).
  typedef struct packed {
    // [44:33] SA index
    logic [11:0] sa;
    // [32:1] SPI of the SA in this slot
    logic [31:0] spi;
    // [0] slot holds an SA
    logic        valid;
  } spi_hash_entry_t;

  // Entry index of table lpm4, first index field at bit 0.
  typedef struct packed {
    logic [1:0] level;
    logic [13:0] node;
    logic [7:0] slot;
  } lpm4_index_t;

  // Entry index of table lpm6, first index field at bit 0.
  typedef struct packed {
    logic [3:0] level;
    logic [11:0] node;
    logic [7:0] slot;
  } lpm6_index_t;

  /* verilator lint_on UNUSEDPARAM */

endpackage : mplsec_regs_pkg
