#!/usr/bin/env bash
# Yosys resource estimate of the AES-GCM core (rtl/esp) for UltraScale+
# (synth_xilinx -family xcup). Prints LUT / FF / BRAM / URAM / DSP.
#
# The whole core (70 AES rounds, GF(2^128) multipliers for 9 products, 12 Mbit of key
# store) is beyond what Yosys and ABC map in reasonable time here: one
# round takes ~10 s and one multiplier ~1 min on these machines, and ABC's
# time grows faster than linearly with the netlist, so a full run is well
# over the 10 minutes this script allows itself. Instead it
#   1. maps one of each kind of part with synth_xilinx and scales by the
#      number of instances in the core (the parts are the logic: what lies
#      between them is registers, wiring and a few muxes), and
#   2. counts the whole core's flip-flops and memory bits from a coarse pass
#      (proc, flatten, memory without mapping, single-bit flops) over the
#      full design, since registers are what the parts do not show.
# The key store maps to URAM288 (4K x 72) in Vivado; Yosys 0.23 has no URAM
# mapping, so the URAM count is computed from the memory shapes.
#
# Usage: bench/synth_crypto.sh [work-dir]   (default build/synth_crypto)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${1:-$ROOT/build/synth_crypto}
mkdir -p "$WORK"
command -v yosys >/dev/null || { echo "synth_crypto: yosys not found (apt-get install yosys)" >&2; exit 2; }

E=$ROOT/rtl/esp
CORE_FILES="$E/mplsec_gcm_pkg.sv $ROOT/rtl/common/mplsec_ram.sv"
for m in aes_sbox aes_round aes_pipe gf128_mul pipe_delay gcm_key_store gcm_key_install gcm_ghash gcm_core gcm; do
  CORE_FILES="$CORE_FILES $E/mplsec_$m.sv"
done

# part name | top | parameters (space-separated) | instances in the core | files
PARTS=(
  "aes_round|mplsec_aes_round||70|$E/mplsec_aes_sbox.sv $E/mplsec_aes_round.sv"
  "gf_mul_2stage|mplsec_gf128_mul|Stages=2|2|$E/mplsec_gf128_mul.sv"
  "gf_mul_sum4|mplsec_gf128_mul|Stages=2 Terms=4|1|$E/mplsec_gf128_mul.sv"
  "gf_mul_sum2|mplsec_gf128_mul|Stages=2 Terms=2|1|$E/mplsec_gf128_mul.sv"
  "gf_mul_loop|mplsec_gf128_mul|Stages=1|1|$E/mplsec_gf128_mul.sv"
  "key_install|mplsec_gcm_key_install||1|$E/mplsec_gcm_pkg.sv $E/mplsec_aes_sbox.sv $E/mplsec_aes_round.sv $E/mplsec_gcm_key_install.sv"
)

# Sums the cells of a flattened synth_xilinx stat by kind: LUT FF BRAM URAM DSP.
count() {
  awk '
    /LUT[1-6] /      { lut  += $2 }
    /FD[CPRS]E /     { ff   += $2 }
    /RAMB(18|36)E2 / { bram += ($1 ~ /36/ ? 1 : 0.5) * $2 }
    /URAM288 /       { uram += $2 }
    /DSP48E2 /       { dsp  += $2 }
    END { printf "%d %d %g %d %d\n", lut, ff, bram, uram, dsp }' "$1"
}

printf "%-14s %9s %8s %6s %6s %5s %6s %8s\n" part LUT FF BRAM URAM DSP count seconds
total_lut=0
for p in "${PARTS[@]}"; do
  IFS='|' read -r name top param n files <<<"$p"
  chparam=""
  for kv in $param; do chparam="$chparam chparam -set ${kv%%=*} ${kv#*=} $top;"; done
  t0=$(date +%s)
  # shellcheck disable=SC2086
  timeout 600 yosys -q -l "$WORK/$name.log" -p "read_verilog -sv $files; $chparam
    synth_xilinx -family xcup -flatten -top $top; tee -q -o $WORK/$name.stat stat" >/dev/null
  secs=$(( $(date +%s) - t0 ))
  read -r lut ff bram uram dsp < <(count "$WORK/$name.stat")
  printf "%-14s %9d %8d %6g %6d %5d %6d %8d\n" "$name" "$lut" "$ff" "$bram" "$uram" "$dsp" "$n" "$secs"
  total_lut=$(( total_lut + lut * n ))
done

# Whole core, unmapped: flip-flop bits and memory bits.
t0=$(date +%s)
# shellcheck disable=SC2086
timeout 600 yosys -q -l "$WORK/core.log" -p "read_verilog -sv $CORE_FILES; hierarchy -top mplsec_gcm;
  proc; flatten; tee -q -o $WORK/core_mem.stat stat; opt_clean; memory -nomap; opt_clean; simplemap t:\$dff t:\$adff t:\$dffe t:\$adffe;
  tee -q -o $WORK/core.stat stat" >/dev/null
secs=$(( $(date +%s) - t0 ))
core_ff=$(awk '/\$_(A)?DFFE?_/ { n += $2 } END { print n + 0 }' "$WORK/core.stat")
core_mem_bits=$(awk '/Number of memory bits:/ { n = $5 } END { print n + 0 }' "$WORK/core_mem.stat")

# Key store: 15 round-key RAMs of 4096 x 128 and H powers of 4096 x 1024;
# a URAM288 is 4096 x 72, so a 4096-deep RAM of W bits takes ceil(W / 72).
uram=$(( 15 * ((128 + 71) / 72) + (1024 + 71) / 72 ))

echo
echo "whole core, coarse pass (${secs} s): ${core_ff} flip-flops, ${core_mem_bits} memory bits"
echo "  (memory bits include the 1140 S-box case tables, 256 x 8 each, which proc turns into ROMs"
echo "   and synthesis into LUTs: 2,334,720 bits of them, plus the 16 x 8 Rcon table)"
echo "estimate for mplsec_gcm on xcup (parts x instances; flops from the whole core):"
echo "  LUT  ~${total_lut} (plus glue: keystream xor, muxes, counters; a few thousand)"
echo "  FF   ${core_ff}"
echo "  URAM ${uram} (key store, computed; the 4096 x 1 key-size bit is LUTRAM)"
echo "  BRAM 0, DSP 0 (GF(2^128) products are xor trees; DSPs do not help)"
