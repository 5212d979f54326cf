#!/usr/bin/env python3
"""End-to-end check of the forwarding datapath, as an outside verifier sees it.

For each ingress port and each engine this script generates the
`tshark-check` traffic (tools/trafficgen), runs

    mplsec sim run --config pe.json --in-port N --in in.pcap --out-dir D --engine E

and lets tshark dissect the input and everything the card wrote. What each
input frame should become is worked out here, independently of the project's
C++, from two things only: the configuration (tests/tshark/pe.json, the file
sim run is given) and tshark's dissection of the input frame, following
docs/datapath.md (RFC 3443 uniform/pipe TTL handling, DESIGN.md 5.2).

Every forwarded frame is checked field by field (destination and source MAC,
VLAN tag, ethertype, every label's value, TC, S and TTL, IP TTL / hop limit,
IPv4 header checksum as tshark verifies it, the rest of the IP header and the
IP payload byte for byte, Ethernet trailer and padding, frame length, order);
every punted frame must equal its input; stats.json must count exactly the
expected drops, punts and port packets/bytes.

usage: check_forwarding.py --build BUILD_DIR [--engines rtl model] [--keep DIR]
Prints 'N passed, M failed' and exits 1 on any failure (2 on bad usage).
"""
import argparse
import ipaddress
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "pe.json")

DROPS = ["bad_frame", "no_label", "label_spoofed", "stack_too_deep", "no_route", "mtu_exceeded", "esp_no_sa",
         "esp_auth_failed", "esp_replay", "esp_bad_padding", "esp_seq_overflow", "esp_required", "punt_policed",
         "action_drop"]
PUNTS = ["ttl_expired", "punt_control", "router_alert"]
DEFAULT_MTU = 9586  # host/config: port mtu default (bytes after the Ethernet header and VLAN tags)


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.shown = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            if self.shown < 60:
                print("FAIL " + what)
            self.shown += 1
        return ok

    def eq(self, got, want, what):
        return self.check(got == want, f"{what}: got {got!r}, expected {want!r}")


# ---------------------------------------------------------------------------
# tshark


class Multi(list):
    """A key tshark's JSON repeats within one object (one per mpls/vlan layer)."""


def _pairs(pairs):
    out = {}
    for key, value in pairs:
        if key in out:
            if not isinstance(out[key], Multi):
                out[key] = Multi([out[key]])
            out[key].append(value)
        else:
            out[key] = value
    return out


def many(value):
    if value is None:
        return []
    return list(value) if isinstance(value, Multi) else [value]


def tshark(pcap):
    run = subprocess.run(["tshark", "-r", pcap, "-T", "json", "-x", "-o", "ip.check_checksum:TRUE"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if run.returncode != 0:
        raise RuntimeError(f"tshark -r {pcap}: {run.stderr.decode(errors='replace').strip()}")
    text = run.stdout.decode()
    if not text.strip():
        return []
    return [Frame(p["_source"]["layers"]) for p in json.loads(text, object_pairs_hook=_pairs)]


class Frame:
    """One frame as tshark dissected it."""

    def __init__(self, layers):
        self.layers = layers
        self.raw = bytes.fromhex(layers["frame_raw"][0])
        eth = layers.get("eth", {})
        self.dmac = eth.get("eth.dst")
        self.smac = eth.get("eth.src")
        # VLAN tags, outermost first: tshark names an 0x88A8 S-tag ieee8021ad (outermost here), a C-tag vlan.
        self.vlans = [(int(v["ieee8021ad.id"]), int(v["ieee8021ad.priority"]), int(v["ieee8021ad.dei"]),
                       int(v["ieee8021ah.etype"], 16)) for v in many(layers.get("ieee8021ad"))]
        self.vlans += [(int(v["vlan.id"]), int(v["vlan.priority"]), int(v["vlan.dei"]), int(v["vlan.etype"], 16))
                       for v in many(layers.get("vlan"))]
        self.eth_type = int(eth["eth.type"], 16) if "eth.type" in eth else None
        # The ethertype after the VLAN tags.
        self.ethertype = self.vlans[-1][3] if self.vlans else self.eth_type
        self.stack = [(int(m["mpls.label"]), int(m["mpls.exp"]), int(m["mpls.bottom"]), int(m["mpls.ttl"]))
                      for m in many(layers.get("mpls"))]
        self.l2_len = 14 + 4 * len(self.vlans)
        self.ip_off = self.l2_len + 4 * len(self.stack)  # first byte after the Ethernet header and label stack
        ip, ip6 = layers.get("ip"), layers.get("ipv6")
        self.ip = None
        if ip is not None and not isinstance(ip, Multi):
            self.ip = dict(v=4, off=layers["ip_raw"][1], ttl=int(ip["ip.ttl"]), dst=ip["ip.dst"],
                           prec=int(ip["ip.dsfield"], 16) >> 5, hdr=int(ip["ip.hdr_len"]), total=int(ip["ip.len"]),
                           csum=ip.get("ip.checksum.status"), proto=int(ip["ip.proto"]))
        elif ip6 is not None and not isinstance(ip6, Multi):
            self.ip = dict(v=6, off=layers["ipv6_raw"][1], ttl=int(ip6["ipv6.hlim"]), dst=ip6["ipv6.dst"],
                           prec=int(ip6["ipv6.tclass"], 16) >> 5, plen=int(ip6["ipv6.plen"]),
                           proto=int(ip6["ipv6.nxt"]))
        udp = layers.get("udp")
        self.marker = int(udp["udp.dstport"]) if isinstance(udp, dict) else None

    def describe(self):
        return f"frame (marker {self.marker}) {self.raw.hex()}"


# ---------------------------------------------------------------------------
# The configuration, read the way an operator reads it.


class Config:
    def __init__(self, path):
        with open(path) as f:
            c = json.load(f)
        self.ports = {p["id"]: p for p in c["ports"]}
        self.addresses = {ipaddress.ip_address(a) for a in c.get("addresses", [])}
        self.nexthops = {n["name"]: n for n in c["nexthops"]}
        self.ilm = {e["label"]: e for e in c.get("ilm", [])}
        self.vrfs = {}
        for v in c.get("vrfs", []):
            routes = [(ipaddress.ip_network(r["prefix"]), r) for r in v.get("routes", [])]
            self.vrfs[v["name"]] = dict(require_esp=v.get("require_esp", False), routes=routes)
        self.core_ports = [p for p, d in self.ports.items() if "vrf" not in d]

    def mac(self, port):
        return self.ports[port]["mac"]

    def mtu(self, port):
        return self.ports[port].get("mtu", DEFAULT_MTU)

    def lookup(self, vrf, dst):
        addr = ipaddress.ip_address(dst)
        best = None
        for net, route in self.vrfs[vrf]["routes"]:
            if net.version == addr.version and addr in net and (best is None or net.prefixlen > best[0].prefixlen):
                best = (net, route)
        return best[1] if best else None


# ---------------------------------------------------------------------------
# The datapath as docs/datapath.md writes it.


class Out:
    """What the card should do with one frame."""

    def __init__(self, kind, reason=None, **kw):
        self.kind, self.reason = kind, reason  # kind: drop | punt | send
        self.__dict__.update(kw)


def drop(reason):
    return Out("drop", reason)


def punt(reason):
    return Out("punt", reason)


def expect(cfg, fr, port):
    n = len(fr.raw)
    if n < 60 or n > 9600:
        return drop("bad_frame")
    if len(fr.vlans) > 2:  # a third tag is an unknown ethertype
        return drop("bad_frame")
    if fr.ethertype == 0x0806:
        return punt("punt_control")
    if fr.ethertype == 0x8847:
        return expect_mpls(cfg, fr, port)
    if fr.ethertype in (0x0800, 0x86DD):
        return expect_ip(cfg, fr, port, 4 if fr.ethertype == 0x0800 else 6)
    return drop("bad_frame")


def ip_version(fr):
    return fr.raw[fr.ip_off] >> 4 if fr.ip_off < len(fr.raw) else None


def ip_header_ok(fr):
    """PHP validation: first nibble 4 or 6 and the minimum header within the frame."""
    v = ip_version(fr)
    if v not in (4, 6):
        return None
    if len(fr.raw) - fr.ip_off < (20 if v == 4 else 40) or fr.ip is None or fr.ip["v"] != v:
        return None
    return v


def expect_mpls(cfg, fr, port):
    stack = fr.stack
    bos = next((i for i, e in enumerate(stack) if e[2]), None)
    if bos is None or bos >= 8:
        return drop("stack_too_deep" if len(stack) >= 8 else "bad_frame")
    top = stack[0]
    label, tc, s, ttl = top
    if label == 1:
        return punt("router_alert")
    if label in (0, 2):
        if not s:
            return drop("no_label")
        return expect_ip(cfg, fr, port, 4 if label == 0 else 6, null_ttl=ttl)
    if label < 16:
        return drop("no_label")
    entry = cfg.ilm.get(label)
    if entry is None:
        return drop("no_label")
    if port not in entry.get("ports", cfg.core_ports):
        return drop("label_spoofed")
    action = entry["action"]
    if action == "drop":
        return drop("action_drop")
    if action == "punt":
        return punt("punt_control")
    if ttl <= 1:
        return punt("ttl_expired")
    pipe = entry.get("ttl", "uniform") == "pipe"
    if action == "swap":
        outs = entry["out_labels"]
        new = [(l, entry.get("tc", tc), 0, ttl - 1) for l in outs]
        new[-1] = new[-1][:2] + (s,) + new[-1][3:]
        return send(cfg, fr, entry["nexthop"], 0x8847, new + stack[1:], None)
    if action == "pop":
        if not s:
            rest = list(stack[1:])
            if not pipe:
                rest[0] = rest[0][:3] + (ttl - 1,)
            return send(cfg, fr, entry["nexthop"], 0x8847, rest, None)
        v = ip_header_ok(fr)
        if v is None:
            return drop("bad_frame")
        return send(cfg, fr, entry["nexthop"], 0x0800 if v == 4 else 0x86DD, [],
                    fr.ip["ttl"] if pipe else ttl - 1)
    if action == "pop-lookup":
        if not s:
            return drop("bad_frame")
        v = ip_header_ok(fr)
        if v is None:
            return drop("bad_frame")
        if pipe:
            if fr.ip["ttl"] <= 1:
                return punt("ttl_expired")
            ip_ttl = fr.ip["ttl"] - 1
        else:
            ip_ttl = ttl - 1
        if fr.ip["proto"] == 50 and ipaddress.ip_address(fr.ip["dst"]) in cfg.addresses:
            return drop("esp_no_sa")
        vrf = entry["vrf"]
        if vrf not in cfg.vrfs:
            return drop("no_route")
        if cfg.vrfs[vrf]["require_esp"]:
            return drop("esp_required")
        return route(cfg, fr, vrf, ip_ttl)
    raise ValueError(f"unknown action {action}")


def expect_ip(cfg, fr, port, want_version, null_ttl=None):
    v = ip_version(fr)
    if v != want_version or fr.ip is None or fr.ip["v"] != v:
        return drop("bad_frame")
    have = len(fr.raw) - fr.ip_off
    if v == 4:
        if fr.ip["hdr"] < 20 or fr.ip["total"] < fr.ip["hdr"] or fr.ip["total"] > have or fr.ip["csum"] != "1":
            return drop("bad_frame")
    elif have < 40 or 40 + fr.ip["plen"] > have:
        return drop("bad_frame")
    ip_ttl = fr.ip["ttl"] if null_ttl is None else null_ttl
    dst = ipaddress.ip_address(fr.ip["dst"])
    if dst in cfg.addresses or dst.is_multicast:
        return punt("punt_control")
    vrf = cfg.ports[port].get("vrf")
    if vrf is None:
        return drop("no_route")
    if ip_ttl <= 1:
        return punt("ttl_expired")
    return route(cfg, fr, vrf, ip_ttl - 1)


def route(cfg, fr, vrf, ip_ttl):
    r = cfg.lookup(vrf, fr.ip["dst"])
    if r is None:
        return drop("no_route")
    if "sa" in r:
        return drop("esp_no_sa")
    push = r.get("push", [])
    label_ttl = 255 if r.get("ttl", "uniform") == "pipe" else ip_ttl
    stack = [(l, fr.ip["prec"], int(i == len(push) - 1), label_ttl) for i, l in enumerate(push)]
    ethertype = 0x8847 if push else (0x0800 if fr.ip["v"] == 4 else 0x86DD)
    return send(cfg, fr, r["nexthop"], ethertype, stack, ip_ttl)


def send(cfg, fr, nexthop, ethertype, stack, ip_ttl):
    """Step 6. `ip_ttl` None: the payload under the stack is carried unchanged."""
    nh = cfg.nexthops[nexthop]
    port = nh["port"]
    payload = len(fr.raw) - fr.ip_off  # the IP packet (or what is under the popped labels) and any trailer
    if 4 * len(stack) + payload > cfg.mtu(port):
        return drop("mtu_exceeded")
    length = max(60, 14 + (4 if "vlan" in nh else 0) + 4 * len(stack) + payload)
    return Out("send", port=port, dmac=nh["mac"], smac=cfg.mac(port), vlan=nh.get("vlan"), ethertype=ethertype,
               stack=stack, ip_ttl=ip_ttl, length=length)


# ---------------------------------------------------------------------------
# Comparing what the card wrote with what it should have written.


def check_sent(rep, where, inp, exp, got):
    rep.eq(got.dmac, exp.dmac, f"{where}: destination MAC")
    rep.eq(got.smac, exp.smac, f"{where}: source MAC")
    if exp.vlan is None:
        rep.eq(len(got.vlans), 0, f"{where}: VLAN tags")
    else:
        rep.eq(got.eth_type, 0x8100, f"{where}: TPID")
        rep.eq([(v[0], v[1], v[2]) for v in got.vlans], [(exp.vlan, 0, 0)], f"{where}: VLAN (id, PCP, DEI)")
    rep.eq(got.ethertype, exp.ethertype, f"{where}: ethertype")
    rep.eq(len(got.stack), len(exp.stack), f"{where}: label stack depth")
    for i, (g, e) in enumerate(zip(got.stack, exp.stack)):
        for k, name in enumerate(("label", "TC", "S", "TTL")):
            rep.eq(g[k], e[k], f"{where}: label {i} {name}")
    rep.eq(len(got.raw), exp.length, f"{where}: frame length")
    body_in = inp.raw[inp.ip_off:]
    body_out = got.raw[got.ip_off:got.ip_off + len(body_in)]
    pad = got.raw[got.ip_off + len(body_in):]
    rep.eq(pad, bytes(len(pad)), f"{where}: padding is zero")
    if exp.ip_ttl is None:  # carried unchanged under the labels
        rep.eq(body_out.hex(), body_in.hex(), f"{where}: bytes under the label stack")
        return
    if not rep.check(got.ip is not None and got.ip["v"] == inp.ip["v"], f"{where}: tshark finds no IPv{inp.ip['v']}"):
        return
    rep.eq(got.ip["ttl"], exp.ip_ttl, f"{where}: IP TTL / hop limit")
    if inp.ip["v"] == 4:
        rep.eq(got.ip["csum"], "1", f"{where}: IPv4 header checksum status (1 = good)")
        keep = [i for i in range(len(body_in)) if i not in (8, 10, 11)]  # all but TTL and checksum
    else:
        keep = [i for i in range(len(body_in)) if i != 7]  # all but the hop limit
    diff = [i for i in keep if i >= len(body_out) or body_out[i] != body_in[i]]
    rep.check(not diff, f"{where}: IP header/payload/trailer bytes differ from the input at IP offsets "
                        f"{diff[:8]}{'...' if len(diff) > 8 else ''}")


def run_one(rep, args, cfg, engine, port, work):
    where0 = f"[{engine} port {port}]"
    pcap = os.path.join(work, f"in{port}.pcap")
    subprocess.run([os.path.join(args.build, "tools", "mplsec-trafficgen"), "--profile", "tshark-check",
                    "--port", str(port), "--out", pcap], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, f"out-{engine}-{port}")
    run = subprocess.run([os.path.join(args.build, "host", "mplsec"), "sim", "run", "--config", CONFIG,
                          "--in-port", str(port), "--in", pcap, "--out-dir", out, "--engine", engine],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if not rep.eq(run.returncode, 0, f"{where0} sim run exit status ({run.stderr.decode().strip()})"):
        return None
    inputs = tshark(pcap)
    outputs = {q: tshark(os.path.join(out, f"port{q}.pcap")) for q in cfg.ports}
    punted = tshark(os.path.join(out, "punt.pcap"))
    with open(os.path.join(out, "stats.json")) as f:
        stats = json.load(f)

    want_out = {q: [] for q in cfg.ports}
    want_punt = []
    drops = {r: 0 for r in DROPS}
    punts = {r: 0 for r in PUNTS}
    tx_bytes = {q: 0 for q in cfg.ports}
    for fr in inputs:
        e = expect(cfg, fr, port)
        if e.kind == "send":
            want_out[e.port].append((fr, e))
            tx_bytes[e.port] += e.length
        elif e.kind == "punt":
            want_punt.append(fr)
            punts[e.reason] += 1
        else:
            drops[e.reason] += 1

    for q in cfg.ports:
        got = outputs[q]
        rep.eq([g.marker for g in got], [fr.marker for fr, _ in want_out[q]], f"{where0} port{q}.pcap frames in order")
        by_marker = {g.marker: g for g in got}
        for fr, e in want_out[q]:
            g = by_marker.get(fr.marker)
            where = f"{where0} input {fr.describe()} -> port {q}"
            if rep.check(g is not None, f"{where}: not transmitted"):
                check_sent(rep, f"{where0} marker {fr.marker} -> port {q}", fr, e, g)
    rep.eq(len(punted), len(want_punt), f"{where0} punt.pcap frame count")
    for i, (g, fr) in enumerate(zip(punted, want_punt)):
        rep.eq(g.raw.hex(), fr.raw.hex(), f"{where0} punted frame {i} equals its input")

    for r in DROPS:
        rep.eq(stats["drops"].get(r), drops[r], f"{where0} stats.json drops.{r}")
    for r in PUNTS:
        rep.eq(stats["punts"].get(r), punts[r], f"{where0} stats.json punts.{r}")
    ports = {p.get("id", i): p for i, p in enumerate(stats["ports"])}
    for q in cfg.ports:
        rx = (len(inputs), sum(len(fr.raw) for fr in inputs)) if q == port else (0, 0)
        rep.eq((ports[q]["rx_packets"], ports[q]["rx_bytes"]), rx, f"{where0} stats.json port {q} rx packets/bytes")
        rep.eq((ports[q]["tx_packets"], ports[q]["tx_bytes"]), (len(want_out[q]), tx_bytes[q]),
               f"{where0} stats.json port {q} tx packets/bytes")
    return dict(frames=len(inputs), sent=sum(len(v) for v in want_out.values()), punted=len(want_punt),
                dropped=sum(drops.values()), out=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", required=True, help="the CMake build directory")
    ap.add_argument("--engines", nargs="+", default=["rtl", "model"], choices=["rtl", "model"])
    ap.add_argument("--ports", nargs="+", type=int, default=[0, 1], help="ingress ports to drive")
    ap.add_argument("--keep", help="write the pcaps here and keep them")
    args = ap.parse_args()
    cfg = Config(CONFIG)
    rep = Report()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        runs = {}
        for engine in args.engines:
            for port in args.ports:
                before = rep.passed + rep.failed
                r = run_one(rep, args, cfg, engine, port, work)
                if r:
                    runs[(engine, port)] = r
                    print(f"{engine} port {port}: {r['frames']} frames in, {r['sent']} sent, {r['punted']} punted, "
                          f"{r['dropped']} dropped; {rep.passed + rep.failed - before} checks")
        if len(args.engines) > 1:  # DESIGN 5.1: both engines give byte-identical output
            for port in args.ports:
                a, b = (runs.get((e, port)) for e in args.engines[:2])
                if a and b:
                    for f in [f"port{q}.pcap" for q in cfg.ports] + ["punt.pcap"]:
                        with open(os.path.join(a["out"], f), "rb") as x, open(os.path.join(b["out"], f), "rb") as y:
                            rep.check(x.read() == y.read(), f"engines differ on port {port}'s {f}")
    print(f"{rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
