#!/usr/bin/env bash
# Live-port figures of the three-router topology (scripts/topology.sh):
# ping round trip ce1 -> ce2 and a TCP transfer ce1 -> ce2 through three
# virtual cards, once per engine. Prints figures; asserts nothing.
# Needs root and network namespaces.
# usage: bench/topology_throughput.sh [MBYTES] [rtl|model...]   (default 20, rtl model)
set -euo pipefail
cd "$(dirname "$0")/.."
MBYTES=${1:-20}
shift || true
[ $# -gt 0 ] && ENGINES=("$@") || ENGINES=(rtl model)
export BUILD_DIR=${BUILD_DIR:-build} MPLSEC_TOPO_PREFIX=mplsecb- MPLSEC_TOPO_RUN=/run/mplsecb-topology
trap 'scripts/topology.sh down >/dev/null 2>&1' EXIT
in_ns() { local n=$1; shift; ip netns exec "${MPLSEC_TOPO_PREFIX}$n" "$@"; }

for engine in "${ENGINES[@]}"; do
  scripts/topology.sh up --engine "$engine" >/dev/null
  in_ns ce1 ping -c 3 -i 0.2 -W 2 10.2.0.10 >/dev/null  # warm up
  rtt=$(in_ns ce1 ping -c 50 -i 0.01 -W 2 10.2.0.10 | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
  in_ns ce2 python3 tests/topology/tcp_transfer.py serve 10.2.0.10 5001 >/dev/null &
  server=$!
  t0=$(date +%s.%N)
  in_ns ce1 python3 tests/topology/tcp_transfer.py send 10.2.0.10 5001 $((MBYTES * 1000000)) >/dev/null
  t1=$(date +%s.%N)
  wait "$server"
  frames=$("$BUILD_DIR/host/mplsec" show ports --json --socket "$MPLSEC_TOPO_RUN/p.mplsecd.sock" |
           python3 -c 'import json,sys; print(json.load(sys.stdin)["rows"][1]["tx_packets"])')
  awk -v e="$engine" -v rtt="$rtt" -v mb="$MBYTES" -v t0="$t0" -v t1="$t1" -v f="$frames" 'BEGIN {
    s = t1 - t0
    printf "%-5s  ping rtt %s ms (avg of 50, 3 cards)   TCP %d MB in %.2f s = %.1f Mbit/s, %.0f frames/s through P\n",
           e, rtt, mb, s, mb * 8 / s, f / s }'
  scripts/topology.sh down >/dev/null
done
