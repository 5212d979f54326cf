#!/usr/bin/env bash
# The CLI contract (DESIGN.md 5.1, 5.3) as a user meets it: exit statuses,
# one-line errors, nothing half-written, --help everywhere, and sim run's
# outputs checked with tshark as an independent decoder.
# usage: cli_test.sh BUILD_DIR SOURCE_DIR ENGINES...
set -uo pipefail
BUILD=$1 SRC=$2
shift 2
ENGINES=("$@")
MPLSEC="$BUILD/host/mplsec"
GEN="$BUILD/tools/mplsec-trafficgen"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
passed=0 failed=0

check() {  # check NAME EXPECTED_STATUS CMD...
  local name=$1 want=$2
  shift 2
  "$@" >"$WORK/out" 2>"$WORK/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $name: exit $got, expected $want"
    sed 's/^/  stdout: /' "$WORK/out" | head -5
    sed 's/^/  stderr: /' "$WORK/err" | head -5
  fi
}
expect() {  # expect NAME CONDITION-CMD...
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $name"; fi
}
one_line_error() { [ "$(wc -l <"$WORK/err")" -eq 1 ]; }

"$GEN" --profile demo-core --out "$WORK/core.pcap" >/dev/null
"$GEN" --profile demo-customer --out "$WORK/customer.pcap" >/dev/null
CONFIG="$SRC/examples/pe1.yaml"

# --- usage and help ---
check "no args" 2 "$MPLSEC"
check "--help" 0 "$MPLSEC" --help
expect "--help lists every command, one line each" bash -c "
  for c in 'sim run' 'config check' 'device list' 'device info' 'device load' apply show status stats; do
    [ \"\$(grep -c \"^  \$c  \" '$WORK/out')\" -eq 1 ] || { echo \"missing: \$c\"; exit 1; }
  done"
check "--version" 0 "$MPLSEC" --version
expect "--version names the register map" grep -q "register map 1\." "$WORK/out"
check "unknown subcommand" 2 "$MPLSEC" frobnicate
expect "unknown subcommand: one line" one_line_error
for cmd in "sim run" "config check" "device list" "device info" "device load" "apply" "show" "status" "stats"; do
  # shellcheck disable=SC2086
  check "$cmd --help" 0 "$MPLSEC" $cmd --help
  expect "$cmd --help prints usage" grep -q "usage: mplsec $cmd" "$WORK/out"
done
check "sim run unknown option" 2 "$MPLSEC" sim run --bogus
check "device load without a file" 2 "$MPLSEC" device load
check "device load unknown option" 2 "$MPLSEC" device load x.xclbin --bogus
check "stats unknown option" 2 "$MPLSEC" stats --bogus

# --- device list and device load on a card of this process ---
check "device list" 0 "$MPLSEC" device list --json
expect "device list names the virtual card" grep -q '"device": "sim"' "$WORK/out"
XCLBIN_GEN="$BUILD/tests/xrt/make_test_xclbin"
if [ -x "$XCLBIN_GEN" ]; then
  for kind in valid wrong-regmap no-kernel truncated garbage; do "$XCLBIN_GEN" "$kind" "$WORK/$kind.xclbin"; done
  check "device load valid on model" 0 "$MPLSEC" device load "$WORK/valid.xclbin" --device model
  expect "device load re-checks the identity" grep -q "regmap_version  1\." "$WORK/out"
  expect "no progress bar when stderr is not a terminal" test ! -s "$WORK/err"
  check "device load with tables, JSON" 0 "$MPLSEC" device load "$WORK/valid.xclbin" --device model --config "$CONFIG" --json
  expect "device load --config writes the tables" python3 -c "
import json,sys
o=json.load(open('$WORK/out'))
sys.exit(0 if o['tables']['entries']>200 and o['identity']['num_ports']==2 else 1)"
  expect "no progress bar with --json" test ! -s "$WORK/err"
  # On a terminal (script gives the command a pty) the bars are drawn.
  expect "progress bars on a terminal" bash -c "
    script -qec '$MPLSEC device load $WORK/valid.xclbin --device model --config $CONFIG' /dev/null >'$WORK/tty' 2>&1
    grep -q 'load \[' '$WORK/tty' && grep -q 'tables \[.*100%' '$WORK/tty'"
  for kind in wrong-regmap no-kernel truncated garbage; do
    check "device load $kind" 2 "$MPLSEC" device load "$WORK/$kind.xclbin" --device model
    expect "device load $kind: one line naming the file" bash -c "one_line() { [ \$(wc -l <'$WORK/err') -eq 1 ]; }; one_line && grep -q '$kind.xclbin' '$WORK/err'"
  done
  check "device load missing file" 2 "$MPLSEC" device load "$WORK/nope.xclbin" --device model
  check "device load unknown device" 1 "$MPLSEC" device load "$WORK/valid.xclbin" --device banana
  check "device load --config without --device" 2 "$MPLSEC" device load "$WORK/valid.xclbin" --config "$CONFIG"
  printf 'ports:\n  - {id: 9, mac: "02:00:00:00:00:01"}\n' >"$WORK/bad-port.yaml"
  check "device load bad config" 2 "$MPLSEC" device load "$WORK/valid.xclbin" --device model --config "$WORK/bad-port.yaml"
  expect "device load bad config: one line naming the file" bash -c "[ \$(wc -l <'$WORK/err') -eq 1 ] && grep -q bad-port.yaml '$WORK/err'"
fi
check "sim run missing options" 2 "$MPLSEC" sim run --config "$CONFIG"

# --- config check ---
check "config check good" 0 "$MPLSEC" config check "$CONFIG"
printf 'ports:\n  - {id: 0, mac: "02:00:00:00:00:01", colour: red}\n' >"$WORK/bad.yaml"
check "config check bad" 2 "$MPLSEC" config check "$WORK/bad.yaml"
expect "config error names file, line and key" grep -q "bad.yaml:2:.*colour" "$WORK/err"
expect "config error: one line" one_line_error

# --- sim run: bad input leaves nothing behind ---
check "sim run bad config" 2 "$MPLSEC" sim run --config "$WORK/bad.yaml" --in-port 1 --in "$WORK/core.pcap" --out-dir "$WORK/o1"
expect "bad config: one line" one_line_error
expect "bad config: nothing written" test ! -e "$WORK/o1"
check "sim run missing pcap" 2 "$MPLSEC" sim run --config "$CONFIG" --in-port 1 --in "$WORK/nope.pcap" --out-dir "$WORK/o2"
expect "missing pcap: nothing written" test ! -e "$WORK/o2"
head -c 30 "$WORK/core.pcap" >"$WORK/truncated.pcap"
check "sim run truncated pcap" 2 "$MPLSEC" sim run --config "$CONFIG" --in-port 1 --in "$WORK/truncated.pcap" --out-dir "$WORK/o3"
expect "truncated pcap: nothing written" test ! -e "$WORK/o3"
echo "this is not a pcap file at all, just words" >"$WORK/garbage.pcap"
check "sim run garbage pcap" 2 "$MPLSEC" sim run --config "$CONFIG" --in-port 1 --in "$WORK/garbage.pcap" --out-dir "$WORK/o4"
expect "garbage pcap: one line" one_line_error
check "sim run bad port" 2 "$MPLSEC" sim run --config "$CONFIG" --in-port 7 --in "$WORK/core.pcap" --out-dir "$WORK/o5" --engine model
check "sim run bad engine" 2 "$MPLSEC" sim run --config "$CONFIG" --in-port 1 --in "$WORK/core.pcap" --out-dir "$WORK/o6" --engine vhdl

# --- sim run on every engine; outputs byte-identical across engines ---
for engine in "${ENGINES[@]}"; do
  out="$WORK/run-$engine"
  check "sim run $engine" 0 "$MPLSEC" sim run --config "$CONFIG" --in-port 1 --in "$WORK/core.pcap" --out-dir "$out" --engine "$engine" --json
  for f in port0.pcap port1.pcap punt.pcap stats.json; do expect "$engine writes $f" test -s "$out/$f"; done
  expect "$engine stats.json has every drop reason" python3 -c "
import json,sys
s=json.load(open('$out/stats.json'))
need=['bad_frame','no_label','label_spoofed','stack_too_deep','no_route','mtu_exceeded','esp_no_sa','esp_auth_failed','esp_replay','esp_bad_padding','esp_seq_overflow','esp_required','punt_policed']
sys.exit(0 if all(k in s['drops'] for k in need) and all(k in s['punts'] for k in ['punt_control','ttl_expired','router_alert']) and s['drops']['no_label']==1 and s['punts']['ttl_expired']==1 and s['ports'][1]['rx_packets']==7 and s['in_beats']>0 else 1)"
  expect "$engine stats.json lists every SA with its counters" python3 -c "
import json,sys
s=json.load(open('$out/stats.json'))
keys={'packets','bytes','auth_failures','replay_drops','bad_padding'}
sys.exit(0 if set(s['sas'])=={'to-pe2','from-pe2'} and all(set(v)==keys for v in s['sas'].values()) else 1)"
  expect "$engine says whether the SAs can run" python3 -c "
import json,subprocess,sys
s=json.load(open('$out/stats.json'))
esp='esp_gcm' in json.loads(subprocess.run(['$MPLSEC','device','info','--device','$([ "$engine" = rtl ] && echo model:rtl || echo model)','--json'],capture_output=True,text=True).stdout)['features']
warned=any('no ESP stage' in w for w in s['warnings'])
sys.exit(0 if warned != esp else 1)"
  # tshark decodes what went to CE1: three IPv4 frames on VLAN 10 to 10.1.x with the TTLs the spec says, one IPv6.
  expect "$engine port0 decoded by tshark" bash -c "
    got=\$(tshark -r '$out/port0.pcap' -T fields -e vlan.id -e ip.dst -e ip.ttl -e ipv6.dst 2>/dev/null | tr '\t' ' ')
    want=\$'10 10.1.0.7 61 \n10 10.1.200.1 61 \n10 10.1.0.9 60 \n10   2001:db8:a::7'
    [ \"\$got\" = \"\$want\" ] || { echo \"got: \$got\"; exit 1; }"
  expect "$engine port1 sends the default route back labeled" bash -c "
    [ \"\$(tshark -r '$out/port1.pcap' -T fields -e mpls.label -e ip.dst 2>/dev/null | tr '\t' ' ')\" = '1002,24001 172.16.0.1' ]"
done
if [ "${#ENGINES[@]}" -gt 1 ]; then
  for f in port0.pcap port1.pcap punt.pcap; do
    expect "engines agree on $f" cmp -s "$WORK/run-${ENGINES[0]}/$f" "$WORK/run-${ENGINES[1]}/$f"
  done
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
