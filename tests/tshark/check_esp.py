#!/usr/bin/env python3
"""ESP as an outside decoder sees it: tshark decrypts what the card encrypted.

Builds customer traffic (IPv4 and IPv6, many sizes and DSCPs) for a PE whose
routes encrypt with four SAs (AES-256-GCM and AES-128-GCM, IPv4 and IPv6
outer headers, RFC 3948 UDP encapsulation), runs

    mplsec sim run --config esp.yaml --in-port 0 --in in.pcap --out-dir D --engine E

and has tshark decrypt the port the core is on, with the keys written into
an `esp_sa` table of a private Wireshark configuration (XDG_CONFIG_HOME) and
`-o esp.enable_encryption_decode:TRUE`. For every frame: the SA (SPI and
outer addresses) its destination routes to, sequence numbers 1, 2, 3, ...
per SA, the pad bytes 1, 2, 3, ... of minimal length, the next header, and
the decrypted inner packet equal to the input IP packet with its TTL / hop
limit decremented once (IPv4 checksum recomputed here) and without the
input's Ethernet padding. Nothing of the project's C++ is used to decide
what is right.

Wireshark 4.0's esp_sa table has no extended-sequence-number column, so the
SAs here use 32-bit sequence numbers (the ESN AAD is checked by
esp_datapath_test against OpenSSL). Wireshark does not check GCM ICVs.

An engine whose datapath has no ESP stage (the RTL until it reports
esp_gcm in ident.FEATURES) is skipped with a printed note: `sim run` warns
"... datapath has no ESP stage yet ...", and the check goes by that
warning in its --json output. The C-model must never be skipped, and at
least one engine must be checked.

usage: check_esp.py --build BUILD_DIR [--engines model [rtl]] [--keep DIR]
Prints 'N passed, M failed' and exits 1 on any failure (2 on bad usage).
"""
import argparse
import ipaddress
import json
import os
import re
import struct
import subprocess
import sys
import tempfile

KEY256 = "8f3a5c7e9b1d2f4a6c8e0b2d4f6a8c0e1f3b5d7a9c2e4f6b8d0a2c4e6f8b0d2a"
KEY128 = "00112233445566778899aabbccddeeff"

# name, SPI, key, salt, outer src, outer dst, encap, the customer prefix routed into it
SAS = [
    ("v4-256", 0x1001, KEY256, "1a2b3c4d", "192.0.2.1", "192.0.2.2", "none", "10.2.0.0/16"),
    ("v4-128", 0x1002, KEY128, "5e6f7a8b", "192.0.2.1", "192.0.2.3", "none", "10.3.0.0/16"),
    ("v6-256", 0x1003, KEY256, "01020304", "2001:db8::1", "2001:db8::2", "none", "2001:db8:b::/48"),
    ("udp-256", 0x1004, KEY256, "0a0b0c0d", "192.0.2.1", "198.51.100.7", "udp", "10.4.0.0/16"),
]

CONFIG = """device: model
ports:
  - {id: 0, mac: "02:00:00:00:01:00", vrf: blue}
  - {id: 1, mac: "02:00:00:00:01:01"}
addresses: ["192.0.2.1", "2001:db8::1"]
nexthops:
  - {name: core, port: 1, mac: "02:00:00:00:10:00"}
vrfs:
  - name: blue
    routes:
%s
sas:
%s
"""


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def eq(self, got, want, what):
        if got == want:
            self.passed += 1
        else:
            self.failed += 1
            if self.failed <= 40:
                print(f"FAIL {what}: got {got!r}, expected {want!r}")


def config_text():
    routes = "\n".join(f'      - {{prefix: "{p}", nexthop: core, push: [1002, 24001], sa: {n}}}'
                       for n, _, _, _, _, _, _, p in SAS)
    sas = "\n".join(
        f'  - {{name: {n}, dir: out, spi: {spi}, cipher: {"aes-256-gcm" if len(k) == 64 else "aes-128-gcm"}, '
        f'key: "{k}", salt: "{salt}", tunnel: {{src: "{src}", dst: "{dst}"}}, esn: false, encap: {encap}}}'
        for n, spi, k, salt, src, dst, encap, _ in SAS)
    return CONFIG % (routes, sas)


def esp_sa_table():
    """Wireshark's esp_sa UAT: protocol, src, dst, SPI, algorithm, key || salt, authentication, its key."""
    lines = []
    for _, spi, key, salt, src, dst, _, _ in SAS:
        family = "IPv6" if ":" in src else "IPv4"
        lines.append(f'"{family}","{src}","{dst}","0x{spi:08x}","AES-GCM with 16 octet ICV [RFC4106]",'
                     f'"0x{key}{salt}","NULL",""')
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# Input traffic, built here with the standard library.

def checksum(data):
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_packet(dst, size, tos, ttl):
    payload = bytes((i * 13 + size) & 0xFF for i in range(size))
    udp = struct.pack("!HHHH", 40000, 9, 8 + size, 0) + payload
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(udp), 0x1234, 0, ttl, 17, 0,
                                ipaddress.IPv4Address("10.1.0.7").packed, ipaddress.IPv4Address(dst).packed))
    hdr[10:12] = struct.pack("!H", checksum(bytes(hdr)))
    return bytes(hdr) + udp


def ipv6_packet(dst, size, tclass, hlim):
    payload = bytes((i * 5 + size) & 0xFF for i in range(size))
    udp = struct.pack("!HHHH", 40000, 9, 8 + size, 0) + payload
    first = (6 << 28) | (tclass << 20)
    return struct.pack("!IHBB16s16s", first, len(udp), 17, hlim, ipaddress.IPv6Address("2001:db8:a::7").packed,
                       ipaddress.IPv6Address(dst).packed) + udp


def frame(packet, v6):
    eth = bytes.fromhex("020000000100" "020000000301") + (b"\x86\xdd" if v6 else b"\x08\x00")
    body = eth + packet
    return body + b"\x00" * max(0, 60 - len(body))  # Ethernet padding the card must not encrypt


def traffic():
    """(frame, IP packet as sent, SA name) for every input frame."""
    out = []
    dsts = [("10.2.0.9", "v4-256"), ("10.3.1.1", "v4-128"), ("10.4.2.2", "udp-256")]
    for i, size in enumerate([0, 1, 2, 3, 17, 100, 555, 1400, 1401, 1402]):
        for dst, sa in dsts:
            out.append((frame(ipv4_packet(dst, size, (i * 37) & 0xFF, 64 - i), False), sa))
        out.append((frame(ipv6_packet("2001:db8:b::9", size, (i * 53) & 0xFF, 64 - i), True), "v6-256"))
    return out


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for n, data in enumerate(frames):
            f.write(struct.pack("<IIII", n, 0, len(data), len(data)) + data)


def routed(packet):
    """The input IP packet as it is encrypted: TTL / hop limit - 1, IPv4 checksum redone."""
    p = bytearray(packet)
    if p[0] >> 4 == 4:
        p[8] -= 1
        p[10:12] = b"\x00\x00"
        p[10:12] = struct.pack("!H", checksum(bytes(p[:20])))
    else:
        p[7] -= 1
    return bytes(p)


# ---------------------------------------------------------------------------
# tshark

def decrypted_blocks(pcap, env):
    """Per frame: SPI, sequence number, and the bytes tshark decrypted."""
    fields = subprocess.run(["tshark", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE", "-T", "fields",
                             "-e", "esp.spi", "-e", "esp.sequence", "-e", "ip.src", "-e", "ipv6.src",
                             "-e", "ip.dst", "-e", "ipv6.dst", "-e", "udp.dstport"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=True).stdout.decode()
    hexdump = subprocess.run(["tshark", "-r", pcap, "-o", "esp.enable_encryption_decode:TRUE", "-x"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, check=True).stdout.decode()
    blocks, current = [], None
    for line in hexdump.splitlines():
        if re.match(r"^Decrypted Data \(\d+ bytes\):", line):
            current = bytearray()
            continue
        if current is not None:
            m = re.match(r"^[0-9a-f]{4}  ((?:[0-9a-f]{2} ?)+)", line)
            if m:
                current += bytes.fromhex(m.group(1).replace(" ", ""))
            else:
                blocks.append(bytes(current))
                current = None
    if current is not None:
        blocks.append(bytes(current))
    rows = [line.split("\t") for line in fields.splitlines() if line.strip()]
    return rows, blocks


def check_engine(engine, build, work, report):
    cfg = os.path.join(work, "esp.yaml")
    with open(cfg, "w") as f:
        f.write(config_text())
    inputs = traffic()
    write_pcap(os.path.join(work, "in.pcap"), [f for f, _ in inputs])
    out = os.path.join(work, f"out-{engine}")
    run = subprocess.run([os.path.join(build, "host", "mplsec"), "sim", "run", "--config", cfg, "--in-port", "0",
                          "--in", os.path.join(work, "in.pcap"), "--out-dir", out, "--engine", engine, "--json"],
                         stdout=subprocess.PIPE, check=True)
    warnings = json.loads(run.stdout.decode()).get("warnings", [])
    no_esp = [w for w in warnings if "no ESP stage" in w]
    if no_esp:
        if engine == "model":
            report.eq(no_esp, [], "model: the C-model has the ESP stage")
        else:
            print(f"note: {engine} skipped, its datapath has no ESP stage ('{no_esp[0]}'); "
                  "it is checked once the engine reports esp_gcm")
        return False
    wsdir = os.path.join(work, "wireshark-config", "wireshark")
    os.makedirs(wsdir, exist_ok=True)
    with open(os.path.join(wsdir, "esp_sa"), "w") as f:
        f.write(esp_sa_table())
    env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "wireshark-config"))
    rows, blocks = decrypted_blocks(os.path.join(out, "port1.pcap"), env)
    report.eq(len(rows), len(inputs), f"{engine}: frames out")
    report.eq(len(blocks), len(inputs), f"{engine}: frames tshark decrypted")
    by_name = {sa[0]: sa for sa in SAS}
    next_seq = {sa[0]: 1 for sa in SAS}
    for n, ((data, sa_name), row, plain) in enumerate(zip(inputs, rows, blocks)):
        _, spi, _, _, src, dst, encap, _ = by_name[sa_name]
        what = f"{engine} frame {n + 1} ({sa_name})"
        report.eq(int(row[0], 16), spi, f"{what}: SPI")
        report.eq(int(row[1]), next_seq[sa_name], f"{what}: sequence number")
        next_seq[sa_name] += 1
        report.eq((row[2] or row[3]).split(",")[0], src, f"{what}: outer source")
        report.eq((row[4] or row[5]).split(",")[0], dst, f"{what}: outer destination")
        udp_ports = row[6].split(",") if row[6] else []  # the outer UDP first, then the customer's
        report.eq(udp_ports[0] == "4500" if udp_ports else False, encap == "udp",
                  f"{what}: UDP 4500 exactly when the SA says udp")
        packet = data[14:]
        v6 = packet[0] >> 4 == 6
        ip_len = 40 + struct.unpack("!H", packet[4:6])[0] if v6 else struct.unpack("!H", packet[2:4])[0]
        inner = routed(packet[:ip_len])
        if len(plain) < 2:
            report.eq(len(plain) >= 2, True, f"{what}: decrypted trailer present")
            continue
        pad_len, next_header = plain[-2], plain[-1]
        report.eq(pad_len, (4 - (len(inner) + 2) % 4) % 4, f"{what}: minimal padding")
        report.eq(plain[len(inner):len(inner) + pad_len], bytes(range(1, pad_len + 1)), f"{what}: pad bytes 1, 2, 3")
        report.eq(next_header, 41 if v6 else 4, f"{what}: next header")
        report.eq(plain[:len(inner)].hex(), inner.hex(), f"{what}: inner packet")
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--engines", nargs="+", default=["model"])
    parser.add_argument("--keep")
    args = parser.parse_args()
    report = Report()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or tmp
        os.makedirs(work, exist_ok=True)
        checked = [engine for engine in args.engines if check_engine(engine, args.build, work, report)]
    report.eq(bool(checked), True, "at least one engine checked")
    print(f"{report.passed} passed, {report.failed} failed (engines checked: {' '.join(checked) or 'none'})")
    sys.exit(1 if report.failed else 0)


if __name__ == "__main__":
    main()
