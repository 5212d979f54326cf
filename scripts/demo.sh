#!/usr/bin/env bash
# The main job on a laptop: builds mplsec and shows the card at work.
#
# As root, with network namespaces: three routers on virtual cards
# (Verilated RTL) between two customer sites (scripts/topology.sh demo):
# pings cross an MPLS L3VPN and tshark decodes the labels on a core link.
# Otherwise (or with MPLSEC_DEMO=pcap): makes pcaps of traffic for the PE of
# examples/pe1.yaml, runs them through the virtual card and shows what came
# out, decoded by tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh >/dev/null
BUILD_DIR=${BUILD_DIR:-build}

can_run_topology() {
  [ "${MPLSEC_DEMO:-}" != pcap ] && [ "$(id -u)" -eq 0 ] || return 1
  ip netns add mplsec-demo-probe 2>/dev/null || return 1
  ip netns del mplsec-demo-probe
}
if can_run_topology; then
  echo "mplsec demo: ce1 - PE1 - P - PE2 - ce2, each router a virtual card (Verilated RTL) in its own namespace"
  exec scripts/topology.sh demo
fi
echo "mplsec demo: one card offline (the three-router demo needs root and network namespaces)"
OUT=$(mktemp -d /tmp/mplsec-demo.XXXXXX)
FIELDS=(-T fields -E header=y -E separator=/t)

show() {  # show TITLE PCAP FIELD...
  local title=$1 pcap=$2
  shift 2
  echo "-- $title"
  local args=()
  for f in "$@"; do args+=(-e "$f"); done
  tshark -r "$pcap" "${FIELDS[@]}" "${args[@]}" 2>/dev/null | column -t -s $'\t' | sed 's/^/   /'
}

run() {  # run NAME PROFILE PORT
  local name=$1 profile=$2 port=$3
  echo
  echo "=== $name: traffic arriving on port $port"
  "$BUILD_DIR/tools/mplsec-trafficgen" --profile "$profile" --out "$OUT/$name.pcap" >/dev/null
  show "offered" "$OUT/$name.pcap" frame.number vlan.id mpls.label mpls.ttl ip.dst ipv6.dst ip.ttl
  "$BUILD_DIR/host/mplsec" sim run --config examples/pe1.yaml --in-port "$port" --in "$OUT/$name.pcap" \
    --out-dir "$OUT/$name" | sed 's/^/   /'
  for p in 0 1; do
    show "port $p sent" "$OUT/$name/port$p.pcap" frame.number eth.dst eth.src vlan.id mpls.label mpls.ttl ip.dst ip.ttl ipv6.dst
  done
  show "punted to the host" "$OUT/$name/punt.pcap" frame.number mpls.label ip.dst ip.ttl
}

echo "mplsec demo: PE1 of examples/pe1.yaml on the virtual card"
run from-core demo-core 1
run from-customer demo-customer 0
echo
echo "outputs (pcaps, stats.json) are in $OUT"
