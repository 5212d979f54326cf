#!/usr/bin/env bash
# Three routers on virtual cards, two customer sites, one Linux host:
#
#   ce1 ---- pe1 ---- p ---- pe2 ---- ce2
#   10.1.0.10                         10.2.0.10
#
# Each node is a network namespace (named ${PREFIX}<node>, default
# mplsec-ce1 ...), each link a veth pair. In pe1, p and pe2 one mplsec-sim
# card is bound to the router's two veth ends (AF_PACKET) and one mplsecd
# loads examples/topology/<router>.yaml into it. The customers are plain
# Linux hosts with a route to the other site through their PE and a static
# neighbour entry for the gateway (the card does not answer ARP).
#
# usage: scripts/topology.sh up|down|status|demo [--engine rtl|model] [--esp]
#
#   up       build the topology and start the cards and daemons
#   down     stop everything it started, delete its namespaces and sockets
#   status   namespaces, processes and the cards' port counters
#   demo     up, ping ce1 <-> ce2, decode a capture of the pe1-p link, down
#   --engine datapath of every card (default rtl)
#   --esp    load examples/topology/*-esp.yaml (SAs: the core sees ESP);
#            uses the model engine unless --engine says otherwise
#
# Environment: BUILD_DIR (default build), MPLSEC_TOPO_PREFIX (default
# mplsec-; a test uses its own so it never touches a running demo),
# MPLSEC_TOPO_RUN (state directory, default /run/${PREFIX}topology).
# Needs root, network namespaces, veth, ethtool and (for demo) tshark.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD
BUILD_DIR=${BUILD_DIR:-build}
PREFIX=${MPLSEC_TOPO_PREFIX:-mplsec-}
RUN=${MPLSEC_TOPO_RUN:-/run/${PREFIX}topology}
SIM_BIN=$BUILD_DIR/sim/mplsec-sim
DAEMON_BIN=$BUILD_DIR/host/mplsecd
CLI_BIN=$BUILD_DIR/host/mplsec

NODES=(ce1 pe1 p pe2 ce2)
ROUTERS=(pe1 p pe2)
LINKS=("ce1 pe1" "pe1 p" "p pe2" "pe2 ce2")
# Card ports: the interface each router's port 0 and port 1 is bound to
# (the interface in namespace A towards B is named A-B).
declare -A PORT0=([pe1]=pe1-ce1 [p]=p-pe1 [pe2]=pe2-ce2)
declare -A PORT1=([pe1]=pe1-p [p]=p-pe2 [pe2]=pe2-p)
# Customer sites: address, gateway, the other site, their PE.
declare -A SITE_ADDR=([ce1]=10.1.0.10/24 [ce2]=10.2.0.10/24)
declare -A SITE_GW=([ce1]=10.1.0.1 [ce2]=10.2.0.1)
declare -A SITE_REMOTE=([ce1]=10.1.0.0/16 [ce2]=10.2.0.0/16)
declare -A SITE_PE=([ce1]=pe1 [ce2]=pe2)
CORE_MTU=1600  # room for labels on full-size customer packets (the configs' core port mtu)

ENGINE=rtl
ENGINE_SET=0
ESP=0

die() { echo "topology: $*" >&2; exit 2; }
say() { echo "topology: $*"; }
ns() { echo "${PREFIX}$1"; }
in_ns() { local n=$1; shift; ip netns exec "$(ns "$n")" "$@"; }
ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$(ns "$1")"; }

config_of() {  # config_of ROUTER
  local esp="$SRC/examples/topology/$1-esp.yaml"
  if [ "$ESP" -eq 1 ] && [ -f "$esp" ]; then echo "$esp"; else echo "$SRC/examples/topology/$1.yaml"; fi
}

# MAC of a next hop or a port, read from a router's config, so the
# customers' interfaces and neighbour entries agree with the tables.
nexthop_mac() {  # nexthop_mac ROUTER NAME
  sed -n "s/.*{name: *$2, .*mac: *\"\([0-9a-f:]*\)\".*/\1/p" "$(config_of "$1")" | head -1
}
port_mac() {  # port_mac ROUTER ID
  sed -n "s/.*{id: *$2, *mac: *\"\([0-9a-f:]*\)\".*/\1/p" "$(config_of "$1")" | head -1
}

wait_for_socket() {  # wait_for_socket PATH PID LOG WHAT
  local path=$1 pid=$2 log=$3 what=$4
  for _ in $(seq 1 600); do
    [ -S "$path" ] && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "topology: $what exited:" >&2
      sed 's/^/  /' "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  die "$what did not serve $path within 30 s (log: $log)"
}

start() {  # start NAME LOG CMD...: runs CMD in the background, records its pid
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}

preflight() {
  [ "$(id -u)" -eq 0 ] || die "needs root (network namespaces, veth, raw sockets)"
  command -v ethtool >/dev/null || die "ethtool is missing (scripts/setup.sh installs it)"
  for bin in "$SIM_BIN" "$DAEMON_BIN" "$CLI_BIN"; do
    [ -x "$bin" ] || die "$bin is missing; build first (scripts/build.sh)"
  done
  if ns_exists pe1; then die "$(ns pe1) exists: the topology is up (run: $0 down)"; fi
}

make_link() {  # make_link A B
  local a=$1 b=$2 mtu=$CORE_MTU
  if [ "$a" = ce1 ] || [ "$b" = ce2 ]; then mtu=1500; fi  # customer links
  ip link add "$a-$b" netns "$(ns "$a")" type veth peer name "$b-$a" netns "$(ns "$b")"
  for end in "$a $a-$b" "$b $b-$a"; do
    set -- $end
    in_ns "$1" ip link set dev "$2" mtu "$mtu"
    # The card must see what a wire carries: checksummed frames no larger
    # than the MTU, not the kernel's offload shortcuts.
    in_ns "$1" ethtool -K "$2" tx off rx off gso off tso off gro off >/dev/null 2>&1 || true
    in_ns "$1" ip link set dev "$2" up
  done
}

setup_site() {  # setup_site CE
  local ce=$1 pe=${SITE_PE[$1]} dev other=ce1
  dev="$ce-$pe"
  [ "$ce" = ce1 ] && other=ce2
  in_ns "$ce" ip link set dev "$dev" address "$(nexthop_mac "$pe" "$ce")"
  in_ns "$ce" ip addr add "${SITE_ADDR[$ce]}" dev "$dev"
  in_ns "$ce" ip route add "${SITE_REMOTE[$other]}" via "${SITE_GW[$ce]}" dev "$dev"
  # The card answers no ARP: the gateway's MAC (PE port 0) is configured.
  in_ns "$ce" ip neigh replace "${SITE_GW[$ce]}" lladdr "$(port_mac "$pe" 0)" dev "$dev" nud permanent
}

start_router() {  # start_router ROUTER
  local r=$1 sim_sock="$RUN/$1.card.sock" api_sock="$RUN/$1.mplsecd.sock"
  in_ns "$r" ip link set dev "${PORT0[$r]}" address "$(port_mac "$r" 0)"
  in_ns "$r" ip link set dev "${PORT1[$r]}" address "$(port_mac "$r" 1)"
  start "$r.card" "$RUN/$r.card.log" ip netns exec "$(ns "$r")" "$SIM_BIN" --socket "$sim_sock" --engine "$ENGINE" \
    --port "0=if:${PORT0[$r]}" --port "1=if:${PORT1[$r]}"
  wait_for_socket "$sim_sock" "$(cat "$RUN/$r.card.pid")" "$RUN/$r.card.log" "$r's card"
  if [ "$ESP" -eq 1 ] && ! "$CLI_BIN" device info --device "sim:$sim_sock" --json | grep -q '"esp_gcm"'; then
    die "--esp: the $ENGINE engine has no ESP stage yet (its card does not offer esp_gcm)"
  fi
  start "$r.mplsecd" "$RUN/$r.mplsecd.log" ip netns exec "$(ns "$r")" "$DAEMON_BIN" --config "$(config_of "$r")" \
    --device "sim:$sim_sock" --socket "$api_sock"
  # mplsecd opens its socket once the tables are loaded and read back.
  wait_for_socket "$api_sock" "$(cat "$RUN/$r.mplsecd.pid")" "$RUN/$r.mplsecd.log" "$r's mplsecd"
}

up() {
  preflight
  trap 'status=$?; if [ $status -ne 0 ]; then echo "topology: up failed, cleaning up" >&2; down >/dev/null 2>&1; fi' EXIT
  trap 'exit 130' INT TERM  # so that the EXIT trap cleans up
  mkdir -p "$RUN"
  for n in "${NODES[@]}"; do
    ip netns add "$(ns "$n")"
    in_ns "$n" ip link set lo up
    # No IPv6 neighbour discovery chatter, and no kernel forwarding in the routers.
    in_ns "$n" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  for l in "${LINKS[@]}"; do make_link $l; done
  setup_site ce1
  setup_site ce2
  for r in "${ROUTERS[@]}"; do start_router "$r"; done
  trap - EXIT
  say "up: engine $ENGINE, configs $(config_of pe1 | xargs basename) ... (state in $RUN)"
}

stop_pids() {  # stop_pids PIDFILE...: SIGTERM to all, SIGKILL to those left after 5 s
  local f pid pids=()
  for f in "$@"; do
    [ -e "$f" ] || continue
    pid=$(cat "$f" 2>/dev/null || true)
    rm -f "$f"
    [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  for _ in $(seq 1 100); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ "$alive" -eq 0 ] && return 0
    sleep 0.05
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}

down() {
  # Daemons before cards (a daemon holds its card's socket), then anything
  # else recorded (cards, captures).
  stop_pids "$RUN"/*.mplsecd.pid
  stop_pids "$RUN"/*.pid
  for n in "${NODES[@]}"; do
    ns_exists "$n" || continue
    # Whatever still runs inside a namespace of ours was started by us.
    for pid in $(ip netns pids "$(ns "$n")" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
    # Never stop half-way: one namespace that will not go must not keep the others.
    ip netns del "$(ns "$n")" 2>/dev/null || echo "topology: could not delete $(ns "$n")" >&2
  done
  rm -rf "$RUN"
  say "down"
}

status() {
  local n r pid
  for n in "${NODES[@]}"; do
    if ns_exists "$n"; then echo "$(ns "$n"): up"; else echo "$(ns "$n"): absent"; fi
  done
  for r in "${ROUTERS[@]}"; do
    for p in card mplsecd; do
      pid=$(cat "$RUN/$r.$p.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$r $p: running (pid $pid)"; else echo "$r $p: not running"; fi
    done
    if [ -S "$RUN/$r.mplsecd.sock" ]; then
      "$CLI_BIN" show ports --socket "$RUN/$r.mplsecd.sock" 2>/dev/null | sed "s/^/  $r: /" || true
    fi
    # The card's own view of its wires (padded runts, refused transmissions).
    pid=$(cat "$RUN/$r.card.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -USR1 "$pid" 2>/dev/null; then
      sleep 0.2
      grep "^mplsec-sim: port [0-9] (" "$RUN/$r.card.log" | tail -2 | sed "s/^mplsec-sim: /  $r card: /"
    fi
  done
}

capture() {  # capture LINK-INTERFACE NODE FILE: starts dumpcap, returns when it is capturing
  local dev=$1 node=$2 file=$3
  start "capture-$dev" "$RUN/capture-$dev.log" ip netns exec "$(ns "$node")" dumpcap -q -i "$dev" -w "$file"
  for _ in $(seq 1 100); do
    grep -q "Capturing on" "$RUN/capture-$dev.log" 2>/dev/null && return 0
    sleep 0.05
  done
  die "dumpcap on $dev did not start: $(cat "$RUN/capture-$dev.log")"
}

demo() {
  command -v tshark >/dev/null || die "tshark is missing (scripts/setup.sh installs it)"
  up
  trap 'down >/dev/null 2>&1' EXIT
  trap 'exit 130' INT TERM
  local pcap="$RUN/pe1-p.pcap"
  capture p-pe1 p "$pcap"
  echo
  echo "== ping ce1 (10.1.0.10) -> ce2 (10.2.0.10) and back, through pe1, p, pe2"
  # A lost ping is shown, not fatal: the capture below tells where it went.
  in_ns ce1 ping -c 3 -i 0.2 -W 2 10.2.0.10 | sed -n 's/^/   /; /bytes from\|packet loss/p' || true
  in_ns ce2 ping -c 3 -i 0.2 -W 2 10.1.0.10 | sed -n 's/^/   /; /bytes from\|packet loss/p' || true
  stop_pids "$RUN/capture-p-pe1.pid"
  echo
  local inside="customer IP inside"
  [ "$ESP" -eq 1 ] && inside="ESP between the PEs inside"
  echo "== the pe1-p link (captured in p): labels [transport, VPN], $inside"
  tshark -r "$pcap" -c 8 -T fields -E header=y -E separator=/t -e frame.number -e eth.src -e eth.dst \
    -e mpls.label -e mpls.ttl -e ip.src -e ip.dst -e esp.spi -e icmp.type 2>/dev/null | column -t -s $'\t' | sed 's/^/   /'
  echo
  down
  trap - EXIT
}

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
cmd=
while [ $# -gt 0 ]; do
  case $1 in
    --engine) [ $# -ge 2 ] || die "--engine needs rtl or model"; ENGINE=$2; ENGINE_SET=1; shift 2 ;;
    --esp) ESP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1" ;;
    *) [ -z "$cmd" ] || die "one command at a time ($cmd, $1)"; cmd=$1; shift ;;
  esac
done
[ -n "$cmd" ] || die "usage: $0 up|down|status|demo [--engine rtl|model] [--esp]"
case $ENGINE in rtl|model) ;; *) die "--engine takes rtl or model, not $ENGINE" ;; esac
if [ "$ESP" -eq 1 ]; then
  [ -f "$SRC/examples/topology/pe1-esp.yaml" ] || die "--esp: examples/topology/pe1-esp.yaml is missing"
  # Both engines do ESP; the C-model is the default here because the
  # Verilated RTL simulates its AES-GCM core at tens of thousands of
  # cycles a second, which makes TCP through three cards crawl.
  [ "$ENGINE_SET" -eq 1 ] || ENGINE=model
fi
case $cmd in
  up) up ;;
  down) down ;;
  status) status ;;
  demo) demo ;;
  *) die "unknown command $cmd (up, down, status, demo)" ;;
esac
