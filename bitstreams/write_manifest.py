#!/usr/bin/env python3
"""Write build/<card>/manifest.json for a linked xclbin (bitstreams/common.mk,
target `manifest`), or with --user-metadata the JSON that goes into the
xclbin's USER_METADATA section. Python 3 standard library only.

The manifest says what a bitstream is: the platform it was linked for, the
clock target, the register-map version the card top implements, the source
revision, the kernels and compute units, and the xclbin's sha256. The schema
is bitstreams/manifest.schema.json.

USER_METADATA travels inside the xclbin, so the runtime checks it before a
load (drivers/xrt/src/xclbin_check.cpp): {"regmap_version": "M.N",
"kernels": [...], "git_revision": "...", "card", "platform", "flow",
"clock_hz"}; regmap_version is the one the runtime refuses on.
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys

SCHEMA_VERSION = 1


def regmap_version(path):
    """`regmap_version: {major: M, minor: N}` from regmap/mplsec.yaml."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^regmap_version:\s*\{\s*major:\s*(\d+)\s*,\s*minor:\s*(\d+)\s*\}", line)
            if m:
                return int(m.group(1)), int(m.group(2))
    raise SystemExit(f"{path}: no `regmap_version: {{major: M, minor: N}}` line")


def kernels_from_config(path):
    """Kernels and compute units from the nk= lines of a v++ link config."""
    kernels = []
    section = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("["):
                section = line.strip("[]").strip()
                continue
            key, _, value = line.partition("=")
            if section == "connectivity" and key.strip() == "nk":
                parts = value.strip().split(":")
                name, count = parts[0], int(parts[1])
                cus = parts[2].split(".") if len(parts) > 2 else [f"{name}_{i + 1}" for i in range(count)]
                kind = "cmac" if name.startswith("cmac_") else None
                kernels.append({"name": name, "kind": kind, "compute_units": cus})
    return kernels


def git(repo, *args):
    try:
        return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                              text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def vitis_version():
    try:
        out = subprocess.run(["v++", "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    m = re.search(r"v\d{4}\.\d(\.\d+)?", out)
    return m.group(0) if m else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", required=True)
    ap.add_argument("--card", required=True)
    ap.add_argument("--platform", required=True)
    ap.add_argument("--flow", required=True, choices=["rtl", "hls"])
    ap.add_argument("--clock-hz", required=True, type=int)
    ap.add_argument("--regmap", required=True)
    ap.add_argument("--config", required=True, help="the v++ link config (nk= lines)")
    ap.add_argument("--xclbin", help="the linked xclbin (for the manifest)")
    ap.add_argument("--user-metadata", action="store_true",
                    help="write the xclbin's USER_METADATA JSON instead of the manifest")
    ap.add_argument("--output", required=True)
    a = ap.parse_args()
    if not a.user_metadata and not a.xclbin:
        ap.error("--xclbin is required for the manifest")

    major, minor = regmap_version(a.regmap)
    rev = git(a.repo, "rev-parse", "HEAD")
    if rev is None or not re.fullmatch(r"[0-9a-f]{40}", rev):
        raise SystemExit(f"{a.repo}: not a git checkout; the manifest needs the source revision")
    dirty = bool(git(a.repo, "status", "--porcelain", "--untracked-files=no"))

    kernels = kernels_from_config(a.config)
    for k in kernels:
        if k["kind"] is None:
            k["kind"] = a.flow
    if a.user_metadata:
        return write_json(a.output, {
            "regmap_version": f"{major}.{minor}",
            "kernels": [k["name"] for k in kernels if k["kind"] != "cmac"],
            "git_revision": rev[:12] + ("-dirty" if dirty else ""),
            "card": a.card,
            "platform": a.platform,
            "flow": a.flow,
            "clock_hz": a.clock_hz,
        })
    manifest = {
        "schema_version": SCHEMA_VERSION,
        "card": a.card,
        "platform": a.platform,
        "flow": a.flow,
        "clock": {"target_hz": a.clock_hz, "target_mhz": a.clock_hz / 1e6},
        "regmap_version": {"major": major, "minor": minor, "text": f"{major}.{minor}"},
        "source": {"git_revision": rev, "dirty": dirty, "build_id": int(rev[-8:], 16)},
        "kernels": kernels,
        "xclbin": {"file": os.path.basename(a.xclbin), "sha256": sha256(a.xclbin),
                   "size_bytes": os.path.getsize(a.xclbin)},
        "tools": {"vitis": vitis_version()},
        "built_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return write_json(a.output, manifest)


def write_json(path, document):
    """Writes beside the target and renames, so a failed run leaves no half file."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
