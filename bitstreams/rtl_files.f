// RTL sources of the user-managed RTL kernel mplsec_card, in compile order
// (packages first). Paths are relative to the repository root; one file a
// line; `//` starts a comment. Read by common.mk (rtl target), by
// package_kernel.tcl and by tests/bitstreams/check_bitstreams.py, which
// also checks that every source rtl/CMakeLists.txt verilates is listed.
//
// A line whose comment starts with `PENDING:` names a file still to be
// written. This is the one place a pending file may be declared.
rtl/pkg/mplsec_regs_pkg.sv
rtl/fwd/mplsec_fwd_pkg.sv
rtl/esp/mplsec_esp_pkg.sv
rtl/esp/mplsec_gcm_pkg.sv
rtl/card/mplsec_card_pkg.sv
rtl/common/mplsec_ram.sv
rtl/common/mplsec_fifo.sv
rtl/common/mplsec_axis_skid.sv
rtl/fwd/mplsec_ingress.sv
rtl/fwd/mplsec_parser.sv
rtl/fwd/mplsec_lpm.sv
rtl/fwd/mplsec_policer.sv
rtl/fwd/mplsec_counter_ram.sv
rtl/fwd/mplsec_counters.sv
rtl/fwd/mplsec_rewrite.sv
rtl/fwd/mplsec_egress.sv
rtl/fwd/mplsec_hdr_pipe.sv
rtl/esp/mplsec_sa_tables.sv
rtl/esp/mplsec_sa_account.sv
rtl/esp/mplsec_aes_sbox.sv
rtl/esp/mplsec_aes_round.sv
rtl/esp/mplsec_aes_pipe.sv
rtl/esp/mplsec_gf128_mul.sv
rtl/esp/mplsec_pipe_delay.sv
rtl/esp/mplsec_gcm_key_store.sv
rtl/esp/mplsec_gcm_key_install.sv
rtl/esp/mplsec_gcm_ghash.sv
rtl/esp/mplsec_gcm_core.sv
rtl/esp/mplsec_gcm.sv
rtl/esp/mplsec_esp_outer.sv
rtl/esp/mplsec_stream_realign.sv
rtl/esp/mplsec_esp_reader.sv
rtl/esp/mplsec_esp_encrypt.sv
rtl/esp/mplsec_esp_decrypt.sv
rtl/esp/mplsec_gcm_share.sv
rtl/esp/mplsec_esp_crypt.sv
rtl/esp/mplsec_esp_hold.sv
rtl/esp/mplsec_replay_window.sv
rtl/esp/mplsec_esp_inbound.sv
rtl/fwd/mplsec_fwd.sv
rtl/card/mplsec_axil_slave.sv
rtl/card/mplsec_table_windows.sv
rtl/card/mplsec_table_dma.sv
rtl/card/mplsec_card_regs.sv
rtl/card/mplsec_punt_queue.sv
rtl/card/mplsec_inject.sv
rtl/card/mplsec_event_queue.sv
rtl/card/mplsec_axis_arb.sv
rtl/card/mplsec_ingress_gate.sv
rtl/card/mplsec_card.sv
