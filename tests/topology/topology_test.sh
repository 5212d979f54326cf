#!/usr/bin/env bash
# The three-router topology (scripts/topology.sh) end to end on the RTL
# engine: ICMP both ways without loss, a 10 MB TCP transfer whose SHA-256
# matches on both ends, the label stacks of examples/topology/ on both P
# links as tshark decodes them, and nothing of the topology left afterwards.
# Needs root and network namespaces; exits 77 (ctest: skipped) without them.
# usage: topology_test.sh SOURCE_DIR BUILD_DIR
set -uo pipefail
SRC=$1
export BUILD_DIR=$2
WORK=$(mktemp -d /tmp/mplsec-topotest.XXXXXX)
# A prefix and state directory of its own: never touches a running demo.
export MPLSEC_TOPO_PREFIX=mplsect- MPLSEC_TOPO_RUN=$WORK/run
TOPO="$SRC/scripts/topology.sh"
passed=0 failed=0

skip() { echo "SKIP: $*"; rm -rf "$WORK"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, veth, raw sockets)"
ip netns add "${MPLSEC_TOPO_PREFIX}probe" 2>/dev/null || skip "no network namespace support here"
ip netns del "${MPLSEC_TOPO_PREFIX}probe"
for tool in ethtool ping python3 tshark dumpcap; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup.sh)"
done

trap '"$TOPO" down >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
expect() {  # expect NAME CONDITION-CMD...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
}
in_ns() { local n=$1; shift; ip netns exec "${MPLSEC_TOPO_PREFIX}$n" "$@"; }

"$TOPO" up --engine rtl || { echo "FAIL topology up"; exit 1; }

# --- ICMP, captured on both P links --------------------------------------
declare -A CAPTURE_PID
start_captures() {  # start_captures TAG: dumpcap on both P links into $WORK/TAG-<link>.pcap
  local dev
  for dev in p-pe1 p-pe2; do
    ip netns exec "${MPLSEC_TOPO_PREFIX}p" dumpcap -q -i "$dev" -w "$WORK/$1-$dev.pcap" 2>"$WORK/$1-$dev.log" &
    CAPTURE_PID[$dev]=$!
  done
  for dev in p-pe1 p-pe2; do
    for _ in $(seq 1 100); do grep -q "Capturing on" "$WORK/$1-$dev.log" && break; sleep 0.05; done
  done
  # dumpcap says "Capturing on" a little before it captures (seconds on a
  # loaded machine): warm up until a frame has reached both files.
  local seen
  for _ in $(seq 1 40); do
    in_ns ce1 ping -c 1 -W 1 10.2.0.10 >/dev/null 2>&1
    seen=0
    for dev in p-pe1 p-pe2; do
      [ "$(tshark -r "$WORK/$1-$dev.pcap" 2>/dev/null | wc -l)" -gt 0 ] && seen=$((seen + 1))
    done
    [ "$seen" -eq 2 ] && break
  done
}
stop_captures() {
  local dev
  # Frames still in the capture socket's buffer when dumpcap is stopped are
  # lost: give it a moment to drain.
  sleep 1
  for dev in p-pe1 p-pe2; do kill -TERM "${CAPTURE_PID[$dev]}"; wait "${CAPTURE_PID[$dev]}" 2>/dev/null; done
}
pings_both_ways() {  # pings_both_ways TAG
  in_ns ce1 ping -c 20 -i 0.02 -W 2 10.2.0.10 >"$WORK/$1-ping12" 2>&1
  expect "$1: 20 pings ce1 -> ce2, no loss" grep -q "20 packets transmitted, 20 received, 0% packet loss" "$WORK/$1-ping12"
  in_ns ce2 ping -c 20 -i 0.02 -W 2 10.1.0.10 >"$WORK/$1-ping21" 2>&1
  expect "$1: 20 pings ce2 -> ce1, no loss" grep -q "20 packets transmitted, 20 received, 0% packet loss" "$WORK/$1-ping21"
}

start_captures plain
pings_both_ways plain
stop_captures

# Label stacks per direction (examples/topology/*.yaml): PE1 pushes
# [1002, 24001]; P pops 1002 (PHP) towards PE2; PE2 pushes [1001, 24000];
# P pops 1001 towards PE1. Every ICMP frame a router sent on a P link must
# carry its stack; at least the 40 of the counted pings cross each link
# each way.
stack_of() {  # stack_of PCAP ETH_SRC: the one label stack of the ICMP frames that MAC sent
  local stacks count
  stacks=$(tshark -r "$1" -Y "eth.src == $2 && icmp" -T fields -e mpls.label 2>/dev/null | sort | uniq -c)
  count=$(awk '{print $1}' <<<"$stacks")
  [ "$(wc -l <<<"$stacks")" -eq 1 ] && [ "${count:-0}" -ge 40 ] && awk '{print $2}' <<<"$stacks"
}
expect "pe1 -> p carries [1002, 24001]" [ "$(stack_of "$WORK/plain-p-pe1.pcap" 02:00:00:00:01:01)" = "1002,24001" ]
expect "p -> pe1 carries [24000] after PHP" [ "$(stack_of "$WORK/plain-p-pe1.pcap" 02:00:00:00:10:00)" = "24000" ]
expect "p -> pe2 carries [24001] after PHP" [ "$(stack_of "$WORK/plain-p-pe2.pcap" 02:00:00:00:10:01)" = "24001" ]
expect "pe2 -> p carries [1001, 24000]" [ "$(stack_of "$WORK/plain-p-pe2.pcap" 02:00:00:00:02:01)" = "1001,24000" ]
expect "no customer frame crosses the core unlabeled" \
  [ "$(tshark -r "$WORK/plain-p-pe1.pcap" -Y "ip && !mpls" 2>/dev/null | wc -l)" -eq 0 ]

# --- TCP: 10 MB from ce1 to ce2 (the ACKs exercise the way back) ----------
in_ns ce2 python3 "$SRC/tests/topology/tcp_transfer.py" serve 10.2.0.10 5001 >"$WORK/received" 2>"$WORK/server.err" &
server=$!
in_ns ce1 timeout 90 python3 "$SRC/tests/topology/tcp_transfer.py" send 10.2.0.10 5001 10000000 >"$WORK/sent" 2>"$WORK/client.err"
wait "$server"
expect "10 MB sent" grep -q "^10000000 " "$WORK/sent"
expect "10 MB received with the same SHA-256" cmp -s "$WORK/sent" "$WORK/received"

# --- the cards counted what they forwarded --------------------------------
"$BUILD_DIR/host/mplsec" show ports --json --socket "$MPLSEC_TOPO_RUN/p.mplsecd.sock" >"$WORK/p-ports.json"
expect "P forwarded the transfer (over 6,000 frames towards PE2)" python3 -c '
import json, sys
ports = json.load(open(sys.argv[1]))["rows"]
sys.exit(0 if ports[1]["tx_packets"] > 6000 else 1)' "$WORK/p-ports.json"

# --- teardown leaves nothing behind ----------------------------------------
"$TOPO" down >/dev/null
expect "no namespace left" [ -z "$(ip netns list | grep "^${MPLSEC_TOPO_PREFIX}")" ]
expect "no state directory left" [ ! -e "$MPLSEC_TOPO_RUN" ]

# --- ESP between the PEs (examples/topology/*-esp.yaml), once the datapath
# has the ESP stage: the core sees labels over ESP, never the customer's ICMP.
if "$BUILD_DIR/host/mplsec" device info --device model --json | grep -q '"esp_gcm"'; then
  "$TOPO" up --esp --engine model >/dev/null || { echo "FAIL topology up --esp"; exit 1; }
  start_captures esp
  pings_both_ways esp
  stop_captures
  esp_from() {  # esp_from PCAP ETH_SRC SPI: frames that MAC sent as ESP with SPI
    tshark -r "$1" -Y "eth.src == $2 && esp.spi == $3" 2>/dev/null | wc -l
  }
  expect "esp: pe1 -> p is ESP with SPI 0x1001" [ "$(esp_from "$WORK/esp-p-pe1.pcap" 02:00:00:00:01:01 0x1001)" -ge 40 ]
  expect "esp: pe2 -> p is ESP with SPI 0x2001" [ "$(esp_from "$WORK/esp-p-pe2.pcap" 02:00:00:00:02:01 0x2001)" -ge 40 ]
  expect "esp: no customer ICMP on the P links" \
    [ "$(tshark -r "$WORK/esp-p-pe1.pcap" -Y icmp 2>/dev/null | wc -l)" -eq 0 ]
  "$TOPO" down >/dev/null
else
  echo "topology: ESP part skipped: the datapath has no ESP stage yet (no esp_gcm feature)"
fi

echo "topology: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
