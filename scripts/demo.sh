#!/usr/bin/env bash
# The main job on a laptop: builds mplsec, makes a pcap of labeled and
# customer traffic for the PE in examples/pe1.yaml, runs it through the
# virtual card and shows what came out, decoded by tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
BUILD_DIR=${BUILD_DIR:-build}
OUT=$(mktemp -d /tmp/mplsec-demo.XXXXXX)

echo "== traffic: labeled frames arriving from the core on port 1"
"$BUILD_DIR/tools/mplsec-trafficgen" --profile demo-core --out "$OUT/core.pcap"
tshark -r "$OUT/core.pcap" -T fields -e frame.number -e mpls.label -e mpls.ttl -e ip.dst -e ipv6.dst 2>/dev/null | sed 's/^/   /'

echo "== mplsec sim run (Verilated RTL datapath)"
"$BUILD_DIR/host/mplsec" sim run --config examples/pe1.yaml --in-port 1 --in "$OUT/core.pcap" --out-dir "$OUT/out"

for port in 0 1; do
  echo "== port $port transmitted (decoded by tshark)"
  tshark -r "$OUT/out/port$port.pcap" -T fields -e frame.number -e eth.dst -e vlan.id -e mpls.label -e mpls.ttl -e ip.dst -e ip.ttl -e ipv6.dst 2>/dev/null | sed 's/^/   /'
done
echo "== punted to the host"
tshark -r "$OUT/out/punt.pcap" 2>/dev/null | sed 's/^/   /'
echo "== outputs in $OUT/out"
