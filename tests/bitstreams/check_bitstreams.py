#!/usr/bin/env python3
"""CI check of the bitstream recipe inputs (bitstreams/), which cannot be run
here: no Vitis. Python 3 standard library only.

  check_bitstreams.py [--source DIR]

Checks: connectivity configs (syntax, sections, keys, kernels, compute units,
stream ports and directions, memory banks, SLRs, clock), files referenced by
the Makefiles and bitstreams/rtl_files.f, kernel names against hls/ and rtl/,
kernel.xml against the register map and the SV top, the card top (or its PENDING mark),
platform coverage, the manifest schema (example, generated and broken
manifests) and `make -n all` as a dry run. Prints `N passed, M failed`.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

PLATFORMS = {  # card folder -> platform, number of SLRs, memory banks (sp tag -> count)
    "u250": ("xilinx_u250_gen3x16_xdma_4_1_202210_1", 4, {"DDR": 4, "PLRAM": 4}),
    "u280": ("xilinx_u280_gen3x16_xdma_1_202211_1", 3, {"HBM": 32, "DDR": 2, "PLRAM": 6}),
    "u55c": ("xilinx_u55c_gen3x16_xdma_3_202210_1", 3, {"HBM": 32, "PLRAM": 6}),
}
CONFIGS = {"connectivity.cfg": "mplsec_card", "connectivity_hls.cfg": "mplsec_fwd"}
CLOCK_HZ = 322265625
# The CMAC kernels are built outside this repository (cmac_0.xo, cmac_1.xo);
# this is the stream interface the configs rely on.
CMAC_PORTS = {"M_AXIS": "out", "S_AXIS": "in"}
# v++ config sections and the keys this project may use in them.
KNOWN_KEYS = {
    "connectivity": {"nk", "sp", "slr", "stream_connect", "sc", "connect"},
    "clock": {"freqHz", "id", "tolerance", "defaultFreqHz", "defaultId", "defaultTolerance"},
    "advanced": {"param", "prop", "misc"},
    "vivado": {"prop", "param", "impl.strategies", "impl.jobs", "synth.jobs"},
}
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PENDING_RE = re.compile(r"^\s*[\w./-]+\s*//\s*PENDING:", re.M)


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok, what, detail=""):
        if ok:
            self.passed += 1
            print(f"PASS {what}")
        else:
            self.failed += 1
            print(f"FAIL {what}" + (f": {detail}" if detail else ""))
        return ok


# --- sources -------------------------------------------------------------------

def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strip_sv_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def sv_modules(root):
    """module name -> (file, port names) for every .sv file under root."""
    mods = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".sv"):
                continue
            path = os.path.join(dirpath, name)
            # Package imports in a module header end in `;` like the header.
            text = re.sub(r"\bimport\s+[\w:*,\s]+;", "", strip_sv_comments(read(path)))
            for m in re.finditer(r"\bmodule\s+(" + IDENT + r")\b(.*?);", text, re.S):
                header = m.group(2)
                # The port list is the last parenthesised group of the header.
                depth, start, ports_text = 0, None, ""
                for i, ch in enumerate(header):
                    if ch == "(":
                        if depth == 0:
                            start = i
                        depth += 1
                    elif ch == ")":
                        depth -= 1
                        if depth == 0 and start is not None:
                            ports_text = header[start + 1:i]
                ports = []
                for decl in ports_text.split(","):
                    w = re.findall(IDENT, re.sub(r"\[[^\]]*\]", "", decl))
                    if w:
                        ports.append(w[-1])
                mods[m.group(1)] = (os.path.relpath(path, os.path.dirname(root)), ports)
    return mods


def hls_top(path, name):
    """Interface of the synthesised HLS top: arg -> (kind, bundle)."""
    text = read(path)
    m = re.search(r"^void\s+" + name + r"\s*\((.*?)\)\s*\{(.*?)^\}", text, re.S | re.M)
    if not m:
        return None
    params = []
    for decl in m.group(1).split(","):
        w = re.findall(IDENT, re.sub(r"\[[^\]]*\]", "", decl))
        if w:
            params.append(w[-1])
    iface = {}
    for pm in re.finditer(r"#pragma\s+HLS\s+INTERFACE\s+(\w+)\s+port\s*=\s*(\w+)(.*)", m.group(2)):
        kind, port, rest = pm.groups()
        b = re.search(r"bundle\s*=\s*(\w+)", rest)
        if port != "return":
            iface[port] = (kind, b.group(1) if b else port)
    return params, iface


def regmap_offset(yaml_text, block, register):
    """Absolute offset of block.register in regmap/mplsec.yaml (text scan)."""
    m = re.search(r"^  - name: " + block + r"\n    base: (0x[0-9A-Fa-f]+)(.*?)(?=^  - name:|\Z)", yaml_text, re.S | re.M)
    if not m:
        return None
    r = re.search(r"name: " + register + r",\s*offset: (0x[0-9A-Fa-f]+)", m.group(2))
    return int(m.group(1), 16) + int(r.group(1), 16) if r else None


# --- connectivity configs --------------------------------------------------------

def parse_cfg(path):
    """[(lineno, section, key, value)] and syntax errors."""
    entries, errors, section = [], [], None
    for n, raw in enumerate(read(path).splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        m = re.fullmatch(r"\[([A-Za-z_]+)\]", line)
        if m:
            section = m.group(1)
            if section not in KNOWN_KEYS:
                errors.append(f"line {n}: unknown section [{section}]")
            continue
        if line.startswith("["):
            errors.append(f"line {n}: malformed section header {line!r}")
            continue
        m = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(\S.*)", line)
        if not m:
            errors.append(f"line {n}: not `key=value`: {line!r}")
            continue
        if section is None:
            errors.append(f"line {n}: key outside any section")
            continue
        key, value = m.group(1), m.group(2).strip()
        if section in KNOWN_KEYS and key not in KNOWN_KEYS[section]:
            errors.append(f"line {n}: unknown key {key!r} in [{section}]")
            continue
        entries.append((n, section, key, value))
    return entries, errors


def check_cfg(c, path, card, kernel, kernels_ports):
    """kernels_ports: kernel name -> {port: (direction 'in'/'out'/'mm'/'ctl', bundle)}."""
    rel = os.path.relpath(path, ROOT)
    entries, errors = parse_cfg(path)
    c.check(not errors, f"{rel}: syntax, sections and keys", "; ".join(errors))
    platform, n_slr, banks = PLATFORMS[card]
    cus, problems = {}, []
    for n, sec, key, val in entries:
        if sec == "connectivity" and key == "nk":
            m = re.fullmatch(r"(" + IDENT + r"):(\d+)(?::(" + IDENT + r"(?:\." + IDENT + r")*))?", val)
            if not m:
                problems.append(f"line {n}: bad nk={val}")
                continue
            names = m.group(3).split(".") if m.group(3) else [f"{m.group(1)}_{i + 1}" for i in range(int(m.group(2)))]
            if len(names) != int(m.group(2)):
                problems.append(f"line {n}: nk count {m.group(2)} but {len(names)} names")
            if m.group(1) not in kernels_ports:
                problems.append(f"line {n}: unknown kernel {m.group(1)}")
            for cu in names:
                if cu in cus:
                    problems.append(f"line {n}: compute unit {cu} declared twice")
                cus[cu] = m.group(1)
    c.check(not problems and kernel in cus.values(), f"{rel}: nk= declares {kernel} and the CMAC kernels",
            "; ".join(problems) or f"no nk= for {kernel}")
    c.check({"cmac_0", "cmac_1"} <= set(cus), f"{rel}: both CMAC ports (cmac_0, cmac_1) instantiated")

    def port_of(ref, n, out):
        m = re.fullmatch(r"(" + IDENT + r")\.(" + IDENT + r")", ref)
        if not m:
            out.append(f"line {n}: bad port reference {ref!r}")
            return None
        cu, port = m.groups()
        if cu not in cus:
            out.append(f"line {n}: compute unit {cu} not declared by nk=")
            return None
        ports = kernels_ports[cus[cu]]
        if port not in ports:
            out.append(f"line {n}: {cus[cu]} has no port {port!r} (has {', '.join(sorted(ports))})")
            return None
        return cus[cu], cu, port, ports[port]

    stream_errs, connected = [], []
    sp_errs, bundles, sp_args = [], {}, set()
    slr_errs, clk_errs, clocked = [], [], set()
    for n, sec, key, val in entries:
        if sec == "connectivity" and key in ("stream_connect", "sc"):
            parts = val.split(":")
            if len(parts) not in (2, 3) or (len(parts) == 3 and not parts[2].isdigit()):
                stream_errs.append(f"line {n}: bad stream_connect={val}")
                continue
            src, dst = port_of(parts[0], n, stream_errs), port_of(parts[1], n, stream_errs)
            if src and src[3][0] != "out":
                stream_errs.append(f"line {n}: {parts[0]} is not an output stream")
            if dst and dst[3][0] != "in":
                stream_errs.append(f"line {n}: {parts[1]} is not an input stream")
            connected += [p for p in (src, dst) if p]
        elif sec == "connectivity" and key == "sp":
            m = re.fullmatch(r"(" + IDENT + r"\." + IDENT + r"):(DDR|HBM|PLRAM|HOST)\[(\d+)(?::(\d+))?\]", val)
            if not m:
                sp_errs.append(f"line {n}: bad sp={val}")
                continue
            p = port_of(m.group(1), n, sp_errs)
            tag, lo = m.group(2), int(m.group(3))
            hi = int(m.group(4)) if m.group(4) else lo
            if tag not in banks or not (lo <= hi < banks[tag]):
                sp_errs.append(f"line {n}: {tag}[{lo}:{hi}] does not exist on {platform}")
            if p:
                if p[3][0] != "mm":
                    sp_errs.append(f"line {n}: {m.group(1)} is not a memory-mapped port")
                sp_args.add((p[1], p[2]))
                bundles.setdefault((p[1], p[3][1]), set()).add((tag, lo, hi))
        elif sec == "connectivity" and key == "slr":
            m = re.fullmatch(r"(" + IDENT + r"):SLR(\d+)", val)
            if not m or m.group(1) not in cus or int(m.group(2)) >= n_slr:
                slr_errs.append(f"line {n}: bad slr={val} ({card} has SLR0..SLR{n_slr - 1})")
        elif sec == "clock" and key == "freqHz":
            m = re.fullmatch(r"(\d+):(" + IDENT + r")(?:\.(" + IDENT + r"))?", val)
            if not m or m.group(2) not in cus:
                clk_errs.append(f"line {n}: bad freqHz={val}")
            elif int(m.group(1)) != CLOCK_HZ:
                clk_errs.append(f"line {n}: {m.group(1)} Hz, the target is {CLOCK_HZ} Hz")
            else:
                clocked.add(m.group(2))
    # Every stream port of the mplsec kernel's compute units is connected once.
    for cu, k in cus.items():
        for port, (d, _) in kernels_ports[k].items():
            if d in ("in", "out"):
                count = sum(1 for p in connected if p[1] == cu and p[2] == port)
                if count != 1:
                    stream_errs.append(f"{cu}.{port} connected {count} times")
            if d == "mm" and (cu, port) not in sp_args:
                sp_errs.append(f"{cu}.{port} has no sp= (would land in the default bank)")
    for (cu, bundle), where in bundles.items():
        if len(where) > 1:
            sp_errs.append(f"{cu}: arguments of bundle {bundle} on different banks {sorted(where)}")
    c.check(not stream_errs, f"{rel}: stream_connect ports exist, directions right, every stream connected once",
            "; ".join(stream_errs))
    c.check(not sp_errs, f"{rel}: sp= banks exist on {card}, every m_axi port placed, bundles on one bank",
            "; ".join(sp_errs))
    c.check(not slr_errs and all(cu in {v.split(':')[0] for _, s, k, v in entries if k == 'slr'} for cu in cus),
            f"{rel}: every compute unit has a valid SLR", "; ".join(slr_errs))
    c.check(not clk_errs and all(cu in clocked for cu, k in cus.items() if k == kernel),
            f"{rel}: {kernel} compute units clocked at {CLOCK_HZ} Hz", "; ".join(clk_errs))


# --- main ------------------------------------------------------------------------

def run_make(args, env=None):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120)


def main():
    global ROOT
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ROOT = os.path.abspath(ap.parse_args().source)
    sys.dont_write_bytecode = True
    sys.path.insert(0, os.path.join(ROOT, "tests", "bitstreams"))
    import jsonschema_lite  # noqa: E402  (beside this file)

    c = Checker()
    bs = os.path.join(ROOT, "bitstreams")

    # Platforms covered, each with its Makefile and both configs.
    for card, (platform, _, _) in PLATFORMS.items():
        mk = os.path.join(bs, card, "Makefile")
        ok = os.path.isfile(mk) and re.search(r"^PLATFORM\s*:?=\s*" + platform + r"\s*$", read(mk), re.M)
        c.check(bool(ok), f"bitstreams/{card}/Makefile targets {platform}")
        for cfg in CONFIGS:
            c.check(os.path.isfile(os.path.join(bs, card, cfg)), f"bitstreams/{card}/{cfg} exists")
    extra = [d for d in os.listdir(bs) if os.path.isfile(os.path.join(bs, d, "Makefile")) and d not in PLATFORMS]
    c.check(not extra, "no platform folder the check does not know", ", ".join(extra))

    # rtl_files.f: existing files, the pending card top, agreement with rtl/CMakeLists.txt.
    flist = os.path.join(bs, "rtl_files.f")
    listed, pending = [], []
    for raw in read(flist).splitlines():
        path = raw.split("//", 1)[0].strip()
        if path:
            listed.append(path)
            if PENDING_RE.search(raw):
                pending.append(path)
    missing = [p for p in listed if not os.path.isfile(os.path.join(ROOT, p)) and p not in pending]
    c.check(not missing, "rtl_files.f names only existing files (or ones marked PENDING)", ", ".join(missing))
    stale = [p for p in pending if os.path.exists(os.path.join(ROOT, p))]
    c.check(not stale, "PENDING marks only files that do not exist yet", "remove the mark from " + ", ".join(stale))
    markers = []
    for dirpath, _, files in os.walk(bs):
        for name in files:
            path = os.path.join(dirpath, name)
            if path != flist and name.endswith((".f", ".mk", ".cfg", ".tcl", ".xml", "Makefile")):
                if PENDING_RE.search(read(path)):
                    markers.append(os.path.relpath(path, ROOT))
    c.check(not markers, "pending files are declared in one place (rtl_files.f)", ", ".join(markers))
    cmake_rtl = set(re.findall(r"\$\{CMAKE_CURRENT_SOURCE_DIR\}/(\S+\.sv)", read(os.path.join(ROOT, "rtl", "CMakeLists.txt"))))
    not_listed = sorted("rtl/" + p for p in cmake_rtl if "rtl/" + p not in listed)
    c.check(cmake_rtl and not not_listed, "rtl_files.f lists every source rtl/CMakeLists.txt verilates",
            ", ".join(not_listed))
    pk = [i for i, p in enumerate(listed) if p.endswith("_pkg.sv")]
    c.check(pk == list(range(len(pk))), "rtl_files.f lists the packages first")

    # Kernel names against the sources.
    mods = sv_modules(os.path.join(ROOT, "rtl"))
    fwd_file = mods.get("mplsec_fwd", (None,))[0]
    c.check(fwd_file in listed, "module mplsec_fwd defined in rtl/ in a file of rtl_files.f", str(fwd_file))
    card_pending = "mplsec_card" not in mods
    if card_pending:
        c.check(any(re.search(r"mplsec_card", p) for p in pending),
                "module mplsec_card not written yet and its file is marked PENDING", ", ".join(pending) or "no PENDING line")
    else:
        c.check(mods["mplsec_card"][0] in listed and not pending,
                "module mplsec_card defined in a file of rtl_files.f, nothing pending", mods["mplsec_card"][0])
    hls = hls_top(os.path.join(ROOT, "hls", "fwd", "fwd_kernel.cpp"), "mplsec_fwd")
    c.check(hls is not None, "HLS top function mplsec_fwd in hls/fwd/fwd_kernel.cpp")
    hls_params, hls_iface = hls or ([], {})
    c.check(set(hls_iface) <= set(hls_params) and set(hls_params) <= set(hls_iface),
            "every argument of the HLS top has an INTERFACE pragma",
            str(sorted(set(hls_params) ^ set(hls_iface))))

    # kernel.xml: the RTL kernel's interface.
    kx = os.path.join(bs, "kernel.xml")
    card_ports, xml_errs = {}, []
    try:
        kernel_el = ET.parse(kx).getroot().find("kernel")
        if kernel_el is None or kernel_el.get("name") != "mplsec_card":
            xml_errs.append("no <kernel name=\"mplsec_card\">")
        else:
            if kernel_el.get("hwControlProtocol") != "user_managed":
                xml_errs.append("hwControlProtocol is not user_managed")
            for p in kernel_el.iter("port"):
                kind = {("slave", "addressable"): "ctl", ("master", "addressable"): "mm",
                        ("read_only", "stream"): "in", ("write_only", "stream"): "out"}.get((p.get("mode"), p.get("portType")))
                if kind is None:
                    xml_errs.append(f"port {p.get('name')}: mode/portType {p.get('mode')}/{p.get('portType')}")
                    continue
                card_ports[p.get("name")] = (kind, p.get("name"))
            args = {a.get("port"): a for a in kernel_el.iter("arg")}
            for name, (kind, _) in card_ports.items():
                if kind != "ctl" and name not in args:
                    xml_errs.append(f"port {name} has no <arg>")
            for a in args.values():
                if a.get("port") not in card_ports:
                    xml_errs.append(f"arg {a.get('name')} on unknown port {a.get('port')}")
            ctl = [n for n, (k, _) in card_ports.items() if k == "ctl"]
            if ctl != ["s_axi_control"]:
                xml_errs.append(f"control ports {ctl}, expected s_axi_control")
            else:
                rng = int(kernel_el.find("ports/port[@name='s_axi_control']").get("range"), 16)
                amap = re.search(r"^address_space_bytes:\s*(\d+)", read(os.path.join(ROOT, "regmap", "mplsec.yaml")), re.M)
                if not amap or rng != int(amap.group(1)):
                    xml_errs.append(f"s_axi_control range {rng:#x} is not the register map's address_space_bytes")
    except (ET.ParseError, OSError, TypeError, ValueError) as e:
        xml_errs.append(str(e))
    c.check(not xml_errs, "kernel.xml: mplsec_card, user managed, AXI4-Lite control over the register map, ports have args",
            "; ".join(xml_errs))
    streams = {n for n, (k, _) in card_ports.items() if k in ("in", "out")}
    c.check(streams == {"s_axis_rx0", "m_axis_tx0", "s_axis_rx1", "m_axis_tx1"},
            "kernel.xml: an s_axis/m_axis pair per port", str(sorted(streams)))
    dma = ET.parse(kx).getroot().find("kernel/args/arg[@port='m_axi_dma']") if not xml_errs else None
    want = regmap_offset(read(os.path.join(ROOT, "regmap", "mplsec.yaml")), "dma", "DMA_ADDR_LO")
    c.check(dma is not None and want is not None and int(dma.get("offset"), 16) == want,
            "kernel.xml: m_axi_dma's argument sits at dma.DMA_ADDR_LO of the register map",
            f"offset {dma.get('offset') if dma is not None else None}, regmap {want}")
    if not card_pending:
        sv_ports = set(mods["mplsec_card"][1])
        absent = [n for n in card_ports if not any(p.startswith(n + "_") for p in sv_ports)]
        absent += [p for p in ("ap_clk", "ap_rst_n") if p not in sv_ports]
        c.check(not absent, "module mplsec_card has the ports of kernel.xml", ", ".join(absent))

    # Connectivity configs.
    hls_ports = {}
    for port, (kind, bundle) in hls_iface.items():
        if kind == "axis":
            hls_ports[port] = ("in" if port == "in" or "in" in port.split("_") else "out", port)
        elif kind == "m_axi":
            hls_ports[port] = ("mm", bundle)
    sv_out = {p for p in hls_params if hls_iface.get(p, ("",))[0] == "axis"}
    c.check(sv_out == {"in", "out"}, "HLS top streams are `in` and `out`", str(sorted(sv_out)))
    kernels_ports = {"mplsec_card": card_ports, "mplsec_fwd": hls_ports,
                     "cmac_0": {p: (d, p) for p, d in CMAC_PORTS.items()},
                     "cmac_1": {p: (d, p) for p, d in CMAC_PORTS.items()}}
    for card in PLATFORMS:
        for cfg, kernel in CONFIGS.items():
            path = os.path.join(bs, card, cfg)
            if os.path.isfile(path):
                check_cfg(c, path, card, kernel, kernels_ports)

    # Files the Makefiles read; the compat headers stay out of v++'s way.
    mk_text = read(os.path.join(bs, "common.mk"))
    c.check("hls/compat" not in re.sub(r"#[^\n]*", "", mk_text), "common.mk keeps hls/compat off the v++ include path")
    for card in PLATFORMS:
        r = run_make(["-s", "-C", f"bitstreams/{card}", "print-inputs"])
        inputs = r.stdout.split()
        absent = [p for p in inputs if not os.path.isfile(os.path.join(ROOT, p)) and p not in pending]
        c.check(r.returncode == 0 and inputs and not absent,
                f"bitstreams/{card}: every file the Makefile reads exists", r.stderr.strip() or ", ".join(absent))
        info = run_make(["-s", "-C", f"bitstreams/{card}", "info"])
        m = re.search(r"regmap version\s+(\S+)", info.stdout)
        ver = re.search(r"^regmap_version:\s*\{\s*major:\s*(\d+),\s*minor:\s*(\d+)", read(os.path.join(ROOT, "regmap", "mplsec.yaml")), re.M)
        c.check(m and ver and m.group(1) == f"{ver.group(1)}.{ver.group(2)}",
                f"bitstreams/{card}: make reads regmap_version from regmap/mplsec.yaml", info.stdout + info.stderr)

    # Dry runs: make -n all works without Vitis and shows the whole flow.
    for card in PLATFORMS:
        for flow, xo_step in (("rtl", "-source"), ("hls", "-c -t hw")):
            r = run_make(["-n", "-C", f"bitstreams/{card}", "all", f"FLOW={flow}"])
            out = r.stdout
            steps = [xo_step in out, "v++ -l" in out, "write_manifest.py" in out,
                     f"--platform {PLATFORMS[card][0]}" in out,
                     "--add-section USER_METADATA:RAW:" in out and "write_manifest.py --user-metadata" in out]
            c.check(r.returncode == 0 and all(steps), f"make -n -C bitstreams/{card} all FLOW={flow}",
                    (r.stderr.strip() or f"steps present: {steps}"))
    r = run_make(["-n", "-C", "bitstreams/u280", "hls"])
    c.check(r.returncode == 0 and "-I" + os.path.join(ROOT, "hls", "compat") not in r.stdout
            and "--hls.clock 322265625:mplsec_fwd" in r.stdout, "make -n hls: v++ -c at 322265625 Hz without hls/compat")
    if shutil.which("v++") is None:
        r = run_make(["-C", "bitstreams/u280", "hls"])
        c.check(r.returncode != 0 and "v++ not found on PATH" in r.stderr,
                "make hls without Vitis stops with a clear message", r.stderr.strip())
    if shutil.which("vivado") is None:
        r = run_make(["-C", "bitstreams/u280", "rtl"])
        c.check(r.returncode != 0 and "vivado not found on PATH" in r.stderr,
                "make rtl without Vivado stops with a clear message", r.stderr.strip())

    r = run_make(["-C", "bitstreams/u280", "rtl", "VIVADO=true"])
    if pending:
        c.check(r.returncode != 0 and "card top is pending" in r.stderr,
                "make rtl with the card top pending stops and says so", r.stderr.strip())
    else:
        c.check(r.returncode == 0 and "package_kernel.tcl" in r.stdout,
                "make rtl runs the kernel packaging (Vivado stubbed)", r.stderr.strip())
    r = run_make(["-C", "bitstreams/u280", "hls", "VPP=true", "PLATFORM_REPO_PATHS=/nonexistent"])
    c.check(r.returncode != 0 and "not installed" in r.stderr,
            "make hls without the platform installed stops with a clear message", r.stderr.strip())

    # Manifest: schema, example, one written by write_manifest.py, broken ones.
    schema = json.loads(read(os.path.join(bs, "manifest.schema.json")))
    errs = jsonschema_lite.check_schema(schema)
    c.check(not errs, "manifest.schema.json uses only what the validator understands", "; ".join(errs))
    example = json.loads(read(os.path.join(bs, "manifest.example.json")))
    errs = jsonschema_lite.validate(example, schema)
    c.check(not errs, "manifest.example.json is valid", "; ".join(errs))
    with tempfile.TemporaryDirectory() as tmp:
        xclbin = os.path.join(tmp, "mplsec.xclbin")
        with open(xclbin, "wb") as f:
            f.write(b"xclbin2\0" + bytes(1024))
        out = os.path.join(tmp, "manifest.json")
        r = subprocess.run([sys.executable, os.path.join(bs, "write_manifest.py"), "--repo", ROOT, "--card", "u280",
                            "--platform", PLATFORMS["u280"][0], "--flow", "rtl", "--clock-hz", str(CLOCK_HZ),
                            "--regmap", os.path.join(ROOT, "regmap", "mplsec.yaml"),
                            "--config", os.path.join(bs, "u280", "connectivity.cfg"),
                            "--xclbin", xclbin, "--output", out], capture_output=True, text=True)
        if c.check(r.returncode == 0 and os.path.isfile(out), "write_manifest.py writes a manifest", r.stderr.strip()):
            m = json.loads(read(out))
            errs = jsonschema_lite.validate(m, schema)
            c.check(not errs, "the written manifest is valid", "; ".join(errs))
            names = [k["name"] for k in m["kernels"]]
            c.check(sorted(names) == ["cmac_0", "cmac_1", "mplsec_card"] and m["regmap_version"]["text"] == f"{ver.group(1)}.{ver.group(2)}",
                    "the written manifest names the kernels and the register-map version", str(names))
        # What the xclbin carries for the runtime's check.
        meta_out = os.path.join(tmp, "user_metadata.json")
        r = subprocess.run([sys.executable, os.path.join(bs, "write_manifest.py"), "--user-metadata", "--repo", ROOT,
                            "--card", "u280", "--platform", PLATFORMS["u280"][0], "--flow", "rtl",
                            "--clock-hz", str(CLOCK_HZ), "--regmap", os.path.join(ROOT, "regmap", "mplsec.yaml"),
                            "--config", os.path.join(bs, "u280", "connectivity.cfg"), "--output", meta_out],
                           capture_output=True, text=True)
        if c.check(r.returncode == 0 and os.path.isfile(meta_out), "write_manifest.py --user-metadata writes it",
                   r.stderr.strip()):
            meta = json.loads(read(meta_out))
            c.check(meta.get("regmap_version") == f"{ver.group(1)}.{ver.group(2)}" and meta.get("kernels") == ["mplsec_card"]
                    and re.fullmatch(r"[0-9a-f]{12}(-dirty)?", meta.get("git_revision", "")) is not None,
                    "USER_METADATA holds the register-map version, the kernel and the revision the runtime reads",
                    str(meta))
    broken = {
        "missing platform": {k: v for k, v in example.items() if k != "platform"},
        "bad sha256": {**example, "xclbin": {**example["xclbin"], "sha256": "XYZ"}},
        "wrong clock": {**example, "clock": {"target_hz": 300000000, "target_mhz": 300.0}},
        "string for integer": {**example, "regmap_version": {"major": "1", "minor": 0, "text": "1.0"}},
        "unknown key": {**example, "extra": 1},
        "unknown card": {**example, "card": "u50"},
    }
    for what, doc in broken.items():
        c.check(bool(jsonschema_lite.validate(doc, schema)), f"the validator rejects a manifest with {what}")

    print(f"{c.passed} passed, {c.failed} failed")
    return 1 if c.failed else 0


ROOT = None
if __name__ == "__main__":
    sys.exit(main())
