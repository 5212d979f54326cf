#!/usr/bin/env bash
# The main job on a laptop: builds mplsec and shows the card at work.
#
# As root, with network namespaces: three routers on virtual cards
# (Verilated RTL) between two customer sites (scripts/topology.sh demo):
# pings cross an MPLS L3VPN and tshark decodes the labels on a core link.
# Otherwise (or with MPLSEC_DEMO=pcap): makes pcaps of traffic for the PE of
# examples/pe1.yaml, runs them through the virtual card and shows what came
# out, decoded by tshark; then site A to site B through PE1, P and PE2
# (examples/), encrypted in the core and decrypted by tshark with the
# example keys.
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

show() {  # show TITLE PCAP [-o PREF] FIELD...
  local title=$1 pcap=$2
  shift 2
  echo "-- $title"
  local args=()
  if [ "${1:-}" = -o ]; then args+=(-o "$2"); shift 2; fi
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

# Wireshark's esp_sa table (protocol, src, dst, SPI, cipher, key || salt,
# authentication) for every SA of a config, so tshark decrypts the core.
esp_sa_table() {  # esp_sa_table CONFIG > FILE
  python3 - "$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for sa in re.findall(r"- \{name: [^}]*?tunnel: \{[^}]*\}[^}]*\}", text, re.S):
    spi, key, salt = (re.search(p, sa).group(1) for p in (r"spi: (0x[0-9a-fA-F]+)", r'key: "(\w+)"', r'salt: "(\w+)"'))
    src, dst = re.search(r'src: "([^"]+)", dst: "([^"]+)"', sa).groups()
    print(f'"{"IPv6" if ":" in src else "IPv4"}","{src}","{dst}","0x{int(spi, 16):08x}",'
          f'"AES-GCM with 16 octet ICV [RFC4106]","0x{key}{salt}","NULL",""')
PY
}

# Site A -> PE1 (encrypts) -> P (pops the transport label) -> PE2 (decrypts)
# -> site B, each on the default engine (the Verilated RTL, ESP stage included).
encrypted() {
  echo
  echo "=== site A to site B: PE1 encrypts, P switches, PE2 decrypts (examples/pe1.yaml, p-router.yaml, pe2.yaml)"
  mkdir -p "$OUT/wireshark"
  esp_sa_table examples/pe1.yaml >"$OUT/wireshark/esp_sa"
  "$BUILD_DIR/tools/mplsec-trafficgen" --profile demo-customer --out "$OUT/site-a.pcap" >/dev/null
  "$BUILD_DIR/host/mplsec" sim run --config examples/pe1.yaml --in-port 0 --in "$OUT/site-a.pcap" \
    --out-dir "$OUT/pe1" >/dev/null
  "$BUILD_DIR/host/mplsec" sim run --config examples/p-router.yaml --in-port 0 --in "$OUT/pe1/port1.pcap" \
    --out-dir "$OUT/p" >/dev/null
  "$BUILD_DIR/host/mplsec" sim run --config examples/pe2.yaml --in-port 1 --in "$OUT/p/port1.pcap" \
    --out-dir "$OUT/pe2" | sed 's/^/   /'
  XDG_CONFIG_HOME=$OUT show "core (PE1 -> P): labels, ESP, and what tshark decrypts with the example keys" \
    "$OUT/pe1/port1.pcap" -o esp.enable_encryption_decode:TRUE frame.number mpls.label esp.spi esp.sequence ip.dst
  show "PE2 sent to CE2" "$OUT/pe2/port0.pcap" frame.number eth.dst ip.dst ip.ttl
}

echo "mplsec demo: PE1 of examples/pe1.yaml on the virtual card"
run from-core demo-core 1
run from-customer demo-customer 0
encrypted
echo
echo "outputs (pcaps, stats.json) are in $OUT"
