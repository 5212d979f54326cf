#!/usr/bin/env python3
"""mplsecd's management API and the CLI that drives it, end to end.

Starts the daemon on the in-process model card with its socket in a
temporary directory, then drives it the way an operator and a script would:
status, show, stats with rates, apply (dry run, real, bad config), raw
protocol errors, SIGHUP reload, a bitstream load that the daemon reconciles
after, role refusal for a viewer uid, and a clean SIGTERM shutdown. Then:
log levels, the default device, and a restart over a virtual card that
reconciles against the image the last run saved; then outbound ESP sequence
numbers across a card reload, a restart onto a fresh card, a rekey,
exhaustion and unreadable records.

usage: daemon_test.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shutil
import signal
import socket
import struct
import threading
import subprocess
import sys
import tempfile
import time

BUILD, SRC = sys.argv[1], sys.argv[2]
MPLSEC = os.path.join(BUILD, "host", "mplsec")
MPLSECD = os.path.join(BUILD, "host", "mplsecd")
MPLSEC_SIM = os.path.join(BUILD, "sim", "mplsec-sim")
MAKE_XCLBIN = os.path.join(BUILD, "tests", "xrt", "make_test_xclbin")  # only in builds with XRT
CONFIG = os.path.join(SRC, "examples", "pe1.yaml")
VIEWER_UID = 65534  # nobody: in neither mplsec group

failures = []
passed = 0


def check(name, condition, detail=""):
    global passed
    if condition:
        passed += 1
    else:
        failures.append(name)
        print(f"FAIL {name}" + (f": {detail}" if detail else ""))


def cli(*args, as_viewer=False):
    cmd = [MPLSEC, *args, "--socket", SOCK]
    if as_viewer:
        cmd = ["setpriv", f"--reuid={VIEWER_UID}", f"--regid={VIEWER_UID}", "--clear-groups", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=30)


def cli_json(*args):
    r = cli(*args, "--json")
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


def raw(payload, read_timeout=10):
    """Sends raw bytes on a fresh connection and returns the answers, decoded."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    try:
        s.sendall(payload)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the daemon answered and closed before taking it all (too_large)
    s.settimeout(read_timeout)
    data = b""
    try:
        while data.count(b"\n") < payload.count(b"\n") or not data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return [json.loads(line) for line in data.splitlines()]


def error_code(answer):
    return answer.get("error", {}).get("code")


def wait_for(predicate, seconds=20):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def route_set(rows):
    return {(r["vrf"], r["prefix"]) for r in rows}


def viewer_checks(config_path):
    """A viewer may look but not change."""
    r = cli("show", "ilm", as_viewer=True)
    check("viewer may show", r.returncode == 0, r.stderr)
    r = cli("status", "--json", as_viewer=True)
    check("viewer is told its role", r.returncode == 0 and json.loads(r.stdout)["caller"]["role"] == "viewer", r.stderr)
    os.chmod(config_path, 0o644)  # the viewer's CLI reads it
    r = cli("apply", config_path, as_viewer=True)
    check("viewer apply refused (exit 1)", r.returncode == 1, r.stderr)
    check("refusal names the role and the method", "forbidden" in r.stderr and "viewer" in r.stderr
          and "'apply'" in r.stderr, r.stderr)


def daemon_once(*args):
    """mplsecd --check (load, apply, exit) with the model card and no saved state."""
    return subprocess.run([MPLSECD, "--config", CONFIG, "--device", "model", "--check", "--state-dir", "", *args],
                          capture_output=True, text=True, timeout=60)


def log_level_checks():
    r = daemon_once("--log-level", "debug")
    check("--log-level debug: each reconciled entry logged", r.returncode == 0 and "[debug]" in r.stderr
          and "reconcile (start): added ilm entry 24000" in r.stderr, r.stderr[-500:])
    check("--log-level debug: the reconcile summary", "[info]" in r.stderr and "differed" in r.stderr)
    r = daemon_once("--log-level", "warn")
    check("--log-level warn: no info lines", r.returncode == 0 and "[info]" not in r.stderr and "[debug]" not in r.stderr,
          r.stderr)
    r = daemon_once("--card-check-interval", "-1")
    check("--card-check-interval -1: exit 2", r.returncode == 2 and "card-check-interval" in r.stderr, r.stderr)
    r = daemon_once("--log-level", "loud")
    check("--log-level loud: exit 2", r.returncode == 2 and "loud" in r.stderr, r.stderr)


def start_daemon(config, sock, *args):
    out = open(sock + ".log", "w")
    proc = subprocess.Popen([MPLSECD, "--config", config, "--socket", sock, *args], stdout=out, stderr=subprocess.STDOUT)
    out.close()
    if not wait_for(lambda: os.path.exists(sock) or proc.poll() is not None, 60) or proc.poll() is not None:
        print(open(sock + ".log").read()[-2000:])
    return proc


def stop_daemon(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def status_of(sock):
    r = subprocess.run([MPLSEC, "status", "--json", "--socket", sock], capture_output=True, text=True, timeout=30)
    return json.loads(r.stdout) if r.returncode == 0 else None


def default_device_checks():
    """A config that names no device, no --device: an Alveo card if this host has one, else the virtual card."""
    with open(CONFIG) as f:
        text = "\n".join(line for line in f.read().splitlines() if not line.startswith("device:")) + "\n"
    path = os.path.join(work, "no-device.yaml")
    with open(path, "w") as f:
        f.write(text)
    sock = os.path.join(work, "default.sock")
    proc = start_daemon(path, sock, "--state-dir", "", "--log-level", "info")
    try:
        status = status_of(sock)
        has_alveo = os.path.isdir("/sys/bus/pci/drivers/xocl") and any(":" in n for n in os.listdir("/sys/bus/pci/drivers/xocl"))
        want = "xrt:0" if has_alveo else "sim"
        check(f"no device named: the daemon opens {want}", status and status["device"].startswith(want), status)
        with open(sock + ".log") as f:
            log_text = f.read()
        check("the log says why", has_alveo or "no Alveo card found" in log_text, log_text[-500:])
    finally:
        check("default-device daemon stops cleanly", stop_daemon(proc) == 0)


class SimCard:
    """A second client of a virtual card process, speaking its protocol
    (sim/include/mplsec/sim_protocol.hpp) the way another tool on the host
    would: frames on its ports, registers behind mplsecd's back."""
    READ32, WRITE32, PORT_SEND, PORT_RUN = 2, 3, 5, 6

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)

    def close(self):
        self.s.close()

    def request(self, opcode, payload=b""):
        self.s.sendall(struct.pack("<IHHI", 0x4353504D, 1, opcode, len(payload)) + payload)
        head = b""
        while len(head) < 12:
            head += self.s.recv(12 - len(head))
        length = struct.unpack("<IHHI", head)[3]
        body = b""
        while len(body) < length:
            body += self.s.recv(length - len(body))
        return body

    def read32(self, address):
        return struct.unpack("<I", self.request(self.READ32, struct.pack("<I", address)))[0]

    def write32(self, address, value):
        self.request(self.WRITE32, struct.pack("<II", address, value))

    def send_frames(self, port, frame, count):
        """Offers `count` copies of `frame` on `port`; returns what the card sent, as (port, bytes)."""
        for _ in range(count):
            self.request(self.PORT_SEND, struct.pack("<I", port) + frame)
        reply = self.request(self.PORT_RUN)
        sent, at = [], 4
        for _ in range(struct.unpack_from("<I", reply)[0]):
            out_port, length = struct.unpack_from("<II", reply, at)
            sent.append((out_port, reply[at + 8:at + 8 + length]))
            at += 8 + length
        return sent

    def write_entry(self, rm, table, index, words):
        window = rm["window"](table)
        for n, word in enumerate(words):
            self.write32(window + rm["data0"] + 4 * n, word)
        self.write32(window + rm["index"], index)
        self.write32(window + rm["cmd"], rm["cmd_write"])


def regmap():
    """The register addresses a test needs, from the one register map source."""
    import yaml  # python3-yaml
    with open(os.path.join(SRC, "regmap", "mplsec.yaml")) as f:
        doc = yaml.safe_load(f)
    blocks = {b["name"]: b for b in doc["blocks"]}
    ctrl, tables = blocks["ctrl"], blocks["tables"]
    window_regs = {r["name"]: r for r in tables["window_registers"]}
    table_id = {t["name"]: t["id"] for t in doc["tables"]}
    cmd_values = {v["name"]: v["value"] for v in window_regs["CMD"]["values"]}
    return {
        "scratch": ctrl["base"] + next(r["offset"] for r in ctrl["registers"] if r["name"] == "SCRATCH"),
        "window": lambda table: tables["base"] + tables["window_offset"] + tables["window_stride"] * table_id[table],
        "index": window_regs["INDEX"]["offset"], "cmd": window_regs["CMD"]["offset"],
        "data0": window_regs["DATA0"]["offset"], "cmd_write": cmd_values["write"], "cmd_read": cmd_values["read"],
    }


def sim_frames(card_sock, port, frame, count):
    card = SimCard(card_sock)
    card.send_frames(port, frame, count)
    card.close()


def card_reset_checks(sock, card_sock):
    """Something else resets the card under mplsecd (SCRATCH cleared, an ILM
    entry gone): the next card check puts exactly that entry back."""
    rm = regmap()
    ilm = rm["window"]("ilm")
    card = SimCard(card_sock)

    def ilm_entry(label):
        card.write32(ilm + rm["index"], label)
        card.write32(ilm + rm["cmd"], rm["cmd_read"])
        return card.read32(ilm + rm["data0"])

    try:
        before = ilm_entry(24000)
        check("label 24000 is on the card", before != 0, before)
        card.write32(ilm + rm["data0"], 0)
        card.write32(ilm + rm["index"], 24000)
        card.write32(ilm + rm["cmd"], rm["cmd_write"])
        card.write32(rm["scratch"], 0)
        check("the entry is gone behind mplsecd's back", ilm_entry(24000) == 0)

        def restored():
            status = status_of(sock)
            return status and status["last_reconcile"]["why"] == "card reset"
        check("the card check notices the reset", wait_for(restored, 10))
        status = status_of(sock)
        check("exactly the lost entry is written back", status and status["last_reconcile"]["entries_differed"] == 1,
              status and status["last_reconcile"])
        check("label 24000 is back", ilm_entry(24000) == before)
        with open(sock + ".log") as f:
            log_text = f.read()
        check("the reset and its reconcile are logged", "no longer holds mplsecd's marker" in log_text
              and "reconcile (card reset): " in log_text and ", 1 differed (ilm +1" in log_text, log_text[-800:])
        check("the marker is back", card.read32(rm["scratch"]) != 0)
    finally:
        card.close()


def rate_checks(sock, card_sock):
    """Traffic on the card while `stats --watch` runs: the rates are the
    counter deltas over the interval."""
    # A labeled frame for a label nobody installed: rx on port 1, a no_label drop.
    frame = bytes.fromhex("020000000101" "020000000999" "8847") + struct.pack(">I", (999 << 12) | (1 << 8) | 64) + bytes(46)
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            sim_frames(card_sock, 1, frame, 50)
            time.sleep(0.05)

    feeder = threading.Thread(target=traffic)
    feeder.start()
    try:
        r = subprocess.run([MPLSEC, "stats", "--watch", "--interval", "0.5", "--count", "3", "--json", "--socket", sock],
                           capture_output=True, text=True, timeout=30)
    finally:
        stop.set()
        feeder.join()
    refreshes = [json.loads(line) for line in r.stdout.splitlines()] if r.returncode == 0 else []
    check("stats under traffic: three refreshes", len(refreshes) == 3, r.stderr)
    if len(refreshes) != 3:
        return
    before, after = refreshes[1], refreshes[2]
    delta = after["ports"][1]["rx_packets"] - before["ports"][1]["rx_packets"]
    rate = after["ports"][1]["rx_packets_per_s"]
    check("rx rate under traffic is positive", delta > 0 and rate > 0, (delta, rate))
    check("rx rate is the delta over the interval", abs(rate * after["interval_s"] - delta) <= 1 + 0.02 * delta,
          (rate, after["interval_s"], delta))
    print(f"rates under traffic: {delta} frames in {after['interval_s']} s, {rate}/s")
    drops = {x["name"]: x for x in after["reasons"]}
    check("no_label drops counted with a rate", drops["no_label"]["packets_per_s"] > 0, drops["no_label"])


def restart_checks():
    """A restart over a card that kept its tables (a virtual card process of
    its own) reconciles against the saved image: it writes exactly the
    difference between what the last run applied and the file, and nothing
    at all when they agree."""
    card_sock = os.path.join(work, "card.sock")
    card = subprocess.Popen([MPLSEC_SIM, "--socket", card_sock, "--engine", "model"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    state = os.path.join(work, "restart-state")
    sock = os.path.join(work, "restart.sock")
    args = ("--device", "sim:" + card_sock, "--state-dir", state, "--card-check-interval", "0.2")
    try:
        check("virtual card process serves", wait_for(lambda: os.path.exists(card_sock), 30))
        proc = start_daemon(CONFIG, sock, *args)
        first = status_of(sock)
        check("first start writes the whole image", first and first["last_reconcile"]["entries_differed"]
              == first["applied_entries"], first)
        card_reset_checks(sock, card_sock)
        r = subprocess.run([MPLSEC, "apply", os.path.join(work, "mod.yaml"), "--json", "--socket", sock],
                           capture_output=True, text=True, timeout=30)
        applied = json.loads(r.stdout) if r.returncode == 0 else {"changes": []}
        check("apply on the virtual card", r.returncode == 0 and applied["changes"], r.stderr)
        rate_checks(sock, card_sock)
        r = subprocess.run([MPLSEC, "apply", CONFIG, "--dry-run", "--json", "--socket", sock],
                           capture_output=True, text=True, timeout=30)
        back = json.loads(r.stdout) if r.returncode == 0 else {"changes": []}
        saved = os.path.join(state, "running-image-sim__" + card_sock.replace("/", "_")[1:] + ".json")
        check("running image saved, one file per card", os.path.exists(saved), os.listdir(state))
        check("first daemon stops", stop_daemon(proc) == 0)

        proc = start_daemon(CONFIG, sock, *args)
        second = status_of(sock)
        check("restart reconciles exactly the way back to the file (saved image, stable indices)",
              second and back["changes"] and second["last_reconcile"]["entries_differed"] == len(back["changes"]),
              (second and second["last_reconcile"], len(back["changes"])))
        check("second daemon stops", stop_daemon(proc) == 0)

        proc = start_daemon(CONFIG, sock, *args)
        third = status_of(sock)
        check("restart over an unchanged card writes nothing", third and third["last_reconcile"]["entries_differed"] == 0,
              third and third["last_reconcile"])
        check("third daemon stops", stop_daemon(proc) == 0)

        with open(saved, "w") as f:
            f.write("{not json")
        proc = start_daemon(CONFIG, sock, *args)
        fourth = status_of(sock)
        with open(sock + ".log") as f:
            log_text = f.read()
        check("a corrupt saved image is ignored with a warning", fourth and "[warning]" in log_text
              and "not used" in log_text, log_text[-500:])
        check("fourth daemon stops", stop_daemon(proc) == 0)
    finally:
        card.terminate()
        card.wait(timeout=10)


def customer_frame(dst):
    """An IPv4/UDP packet from site A on PE1's customer port (examples/pe1.yaml port 0)."""
    payload = bytes(26)
    header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + 8 + len(payload), 0, 0, 64, 17, 0,
                         socket.inet_aton("10.1.0.7"), socket.inet_aton(dst))
    total = sum(struct.unpack(">10H", header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    header = header[:10] + struct.pack(">H", ~total & 0xFFFF) + header[12:]
    udp = struct.pack(">HHHH", 4000, 5000, 8 + len(payload), 0)
    return bytes.fromhex("020000000100" "020000000301" "0800") + header + udp + payload


def esp_sequence_numbers(sent):
    """Sequence numbers of the ESP frames PE1 sent to the core: labels [1002, 24001], IPv4 outer."""
    return [struct.unpack_from(">I", frame, 14 + 8 + 20 + 4)[0] for port, frame in sent if port == 1]


def sas_by_name(sock):
    r = subprocess.run([MPLSEC, "show", "sas", "--json", "--socket", sock], capture_output=True, text=True, timeout=30)
    return {row["name"]: row for row in json.loads(r.stdout)["rows"]} if r.returncode == 0 else {}


def sequence_checks():
    """Outbound sequence numbers across a card reload, a daemon restart onto a
    fresh card, a rekey, exhaustion and lost records (docs/runtime.md,
    "Sequence numbers across reloads"): no number is ever sent twice under one key."""
    rm = regmap()
    card_sock = os.path.join(work, "seq-card.sock")
    state = os.path.join(work, "seq-state")
    sock = os.path.join(work, "seq.sock")
    args = ("--device", "sim:" + card_sock, "--state-dir", state, "--card-check-interval", "0.2")
    records = os.path.join(state, "sa-sequence-sim__" + card_sock.replace("/", "_")[1:] + ".json")
    to_site_b = customer_frame("10.2.0.9")

    def start_card():
        card = subprocess.Popen([MPLSEC_SIM, "--socket", card_sock, "--engine", "model"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        check("virtual card for the sequence checks serves", wait_for(lambda: os.path.exists(card_sock), 30))
        return card

    def stop_card(card):
        card.terminate()
        card.wait(timeout=10)
        if os.path.exists(card_sock):
            os.remove(card_sock)

    def send(count):
        card = SimCard(card_sock)
        try:
            return esp_sequence_numbers(card.send_frames(0, to_site_b, count))
        finally:
            card.close()

    def recorded_next_seq():
        try:
            with open(records) as f:
                return max(r["next_seq"] for r in json.load(f)["records"] if r["sa"] == "to-pe2")
        except (OSError, ValueError, KeyError):
            return None

    def lose_sa(index, why_seen="card reset"):
        """The card loses the SA behind mplsecd's back, as a reload does (its
        state with it: next_seq back to 1), and no longer holds the marker."""
        card = SimCard(card_sock)
        try:
            card.write_entry(rm, "sa", index, [0] * 11)
            card.write32(rm["scratch"], 0)
        finally:
            card.close()

        def reconciled():
            status = status_of(sock)
            return status and status["last_reconcile"]["why"] == why_seen and card_marker_back()
        return wait_for(reconciled, 10)

    def card_marker_back():
        card = SimCard(card_sock)
        try:
            return card.read32(rm["scratch"]) != 0
        finally:
            card.close()

    def log_text():
        with open(sock + ".log") as f:
            return f.read()

    def config_with_key(n):
        """examples/pe1.yaml with to-pe2 without ESN (so 2^32 is its limit), key number n (0: the file's)."""
        with open(CONFIG) as f:
            text = f.read().replace('tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}}',
                                    'tunnel: {src: "192.0.2.1", dst: "192.0.2.2"}, esn: false}')
        check("sequence: the test's config edit took", "esn: false" in text)
        path = os.path.join(work, f"seq-key{n}.yaml")
        with open(path, "w") as f:
            f.write(text.replace("8f3a5c7e9b1d2f4a", f"{n:016x}") if n else text)
        return path

    def apply(path):
        return subprocess.run([MPLSEC, "apply", path, "--socket", sock], capture_output=True, text=True, timeout=30)

    config = config_with_key(0)
    card = start_card()
    proc = None
    try:
        proc = start_daemon(config, sock, *args)
        first = send(5)
        check("sequence: a fresh key starts at 1", first == [1, 2, 3, 4, 5], first)
        check("sequence: show sas gives the live next_seq", sas_by_name(sock).get("to-pe2", {}).get("next_seq") == 6)
        check("sequence: inbound SAs have no next_seq", sas_by_name(sock).get("from-pe2", {}).get("next_seq", 0) is None)
        check("sequence: the card check saves the floor", wait_for(lambda: recorded_next_seq() == 6, 10),
              recorded_next_seq())
        with open(records) as f:
            check("sequence: no key material in the record file", "8f3a5c7e" not in f.read())
        index = sas_by_name(sock)["to-pe2"]["sa"]

        # A card reload: the SA comes back above every number it sent.
        check("sequence: the reset card is reconciled", lose_sa(index))
        resumed = sas_by_name(sock)["to-pe2"]["next_seq"]
        check("sequence: after a card reload next_seq is above every number sent", resumed > max(first), resumed)
        after_reload = send(2)
        check("sequence: frames after the reload carry the resumed numbers", after_reload == [resumed, resumed + 1],
              (after_reload, resumed))
        check("sequence: the resume is logged", "resuming at sequence number " + str(resumed) in log_text())
        check("sequence: first daemon stops (saving the floor)", stop_daemon(proc) == 0)
        proc = None
        check("sequence: shutdown saved the live value", recorded_next_seq() == resumed + 2, recorded_next_seq())

        # A daemon restart onto a fresh card.
        stop_card(card)
        card = start_card()
        proc = start_daemon(config, sock, *args)
        restarted = sas_by_name(sock).get("to-pe2", {}).get("next_seq")
        check("sequence: after a restart onto a fresh card next_seq is above every number sent",
              restarted and restarted > resumed + 1, (restarted, resumed))
        after_restart = send(1)
        check("sequence: the first frame after the restart", after_restart == [restarted], after_restart)

        # A rekey starts at 1.
        r = apply(config_with_key(1))
        check("sequence: rekey applied", r.returncode == 0, r.stderr)
        check("sequence: a rekeyed SA starts at 1", sas_by_name(sock)["to-pe2"]["next_seq"] == 1)
        check("sequence: its first frame is number 1", send(1) == [1])

        # Near 2^32 without ESN: a reload may not restart it; it is refused.
        near = 2 ** 32 - 100
        c = SimCard(card_sock)
        c.write_entry(rm, "sa_seq", index, [near & 0xFFFFFFFF, near >> 32])
        c.close()
        check("sequence: the floor near 2^32 is saved", wait_for(lambda: recorded_next_seq() == near, 10),
              recorded_next_seq())
        check("sequence: the exhausted SA's card is reconciled", lose_sa(index))
        row = sas_by_name(sock)["to-pe2"]
        check("sequence: show sas says the SA is refused and why", row["refused"] and "exhausted" in row["refused"]
              and row["next_seq"] is None, row)
        status = status_of(sock)
        check("sequence: status lists the refused SA", status and list(status["sa_sequence"]["refused"]) == ["to-pe2"],
              status and status.get("sa_sequence"))
        r = subprocess.run([MPLSEC, "show", "sas", "--socket", sock], capture_output=True, text=True, timeout=30)
        check("sequence: show sas human form says it needs a new key", "NEEDS NEW KEY" in r.stdout
              and "to-pe2 is not on the card and needs a new key" in r.stdout, r.stdout)
        r = subprocess.run([MPLSEC, "status", "--socket", sock], capture_output=True, text=True, timeout=30)
        check("sequence: status human form names the refused SA", "refused SA   to-pe2 needs a new key" in r.stdout,
              r.stdout)
        check("sequence: the refusal is an error naming the SA",
              "[error] SA to-pe2 (SPI 0x1001) not installed, needs a new key" in log_text(), log_text()[-800:])
        check("sequence: nothing is sent with the exhausted key", send(3) == [])
        _, stats_now = cli_json_at(sock, "show", "stats")
        no_sa = {x["name"]: x["packets"] for x in stats_now["reasons"]}.get("esp_no_sa") if stats_now else None
        check("sequence: the refused SA's traffic drops esp_no_sa", no_sa and no_sa >= 3, no_sa)
        r = apply(config_with_key(2))
        row = sas_by_name(sock)["to-pe2"]
        check("sequence: a new key installs it again, at 1", r.returncode == 0 and row["refused"] is None
              and row["next_seq"] == 1, (r.stderr, row))
        check("sequence: status has no refused SA after the new key", status_of(sock)["sa_sequence"]["refused"] == {})
        check("sequence: second daemon stops", stop_daemon(proc) == 0)
        proc = None

        # Unreadable records: the keys they covered are not installed on a fresh card.
        with open(records, "w") as f:
            f.write("{not json")
        stop_card(card)
        card = start_card()
        proc = start_daemon(config_with_key(2), sock, *args)
        row = sas_by_name(sock).get("to-pe2", {})
        check("sequence: after unreadable records the file's SA is refused, not restarted at 1",
              row.get("refused") and "lost" in row["refused"] and row.get("next_seq") is None, row)
        check("sequence: the unreadable file is logged and kept aside", "outbound sequence records unreadable" in log_text()
              and os.path.exists(records + ".unreadable"), log_text()[-800:])
        check("sequence: nothing is sent under a key whose history was lost", send(2) == [])
        r = apply(config_with_key(3))
        check("sequence: a new key after lost records starts at 1", r.returncode == 0
              and sas_by_name(sock)["to-pe2"]["next_seq"] == 1 and send(1) == [1], r.stderr)
    finally:
        if proc:
            stop_daemon(proc)
        stop_card(card)


def cli_json_at(sock, *args):
    r = subprocess.run([MPLSEC, *args, "--json", "--socket", sock], capture_output=True, text=True, timeout=30)
    return r, (json.loads(r.stdout) if r.returncode == 0 else None)


work = tempfile.mkdtemp()
os.chmod(work, 0o755)  # the viewer uid must reach the socket inside
SOCK = os.path.join(work, "s")
log = open(os.path.join(work, "mplsecd.log"), "w")
daemon = subprocess.Popen([MPLSECD, "--config", CONFIG, "--device", "model", "--socket", SOCK,
                           "--state-dir", os.path.join(work, "state")], stdout=log, stderr=subprocess.STDOUT)
try:
    check("daemon creates its socket", wait_for(lambda: os.path.exists(SOCK)))

    # --- status and show ---
    r, status = cli_json("status")
    check("status exits 0", r.returncode == 0, r.stderr)
    check("status names device and config", status and status["device"] == "model" and status["config_file"] == CONFIG)
    check("status human form", cli("status").returncode == 0)
    r, ilm = cli_json("show", "ilm")
    rows = {row["label"]: row for row in ilm["rows"]} if ilm else {}
    check("show ilm: 24000 is pop-lookup into blue",
          rows.get(24000, {}).get("action") == "pop-lookup" and rows.get(24000, {}).get("vrf") == "blue", r.stdout)
    check("show ilm: 24002 present", 24002 in rows)
    for what in ("ilm", "routes", "sas", "stats", "ports"):
        r = cli("show", what)
        check(f"show {what} human form", r.returncode == 0 and r.stdout, r.stderr)
    r, sas = cli_json("show", "sas")
    by_name = {row["name"]: row for row in sas["rows"]} if sas else {}
    check("show sas: both SAs with their counters and no key material",
          set(by_name) == {"to-pe2", "from-pe2"}
          and all(set(row["counter"]) == {"packets", "bytes", "auth_failures", "replay_drops", "bad_padding"}
                  for row in by_name.values())
          and "key" not in r.stdout and "salt" not in r.stdout, r.stdout)
    r = cli("show", "sas")
    check("show sas human form has the counter columns", "AUTH-FAILED" in r.stdout and "to-pe2" in r.stdout, r.stdout)
    r, stats = cli_json("show", "stats")
    check("show stats lists every reason", stats and len(stats["reasons"]) >= 10 and len(stats["ports"]) >= 2)
    check("show bogus is bad usage", cli("show", "bogus").returncode == 2)

    # --- stats: counters with per-second rates, one JSON object a refresh ---
    r = cli("stats", "--watch", "--interval", "0.2", "--count", "3", "--json")
    refreshes = [json.loads(line) for line in r.stdout.splitlines()] if r.returncode == 0 else []
    check("stats --watch --count 3 --json: three JSON lines", len(refreshes) == 3, r.stdout + r.stderr)
    if len(refreshes) == 3:
        check("first refresh has no rates yet", refreshes[0]["interval_s"] is None
              and refreshes[0]["ports"][0]["rx_packets_per_s"] is None)
        later = refreshes[2]
        check("later refreshes: interval and per-second rates",
              later["interval_s"] is not None and abs(later["interval_s"] - 0.2) < 0.15
              and all(isinstance(p["rx_packets_per_s"], (int, float)) and isinstance(p["tx_bytes_per_s"], (int, float))
                      for p in later["ports"]), later)
        check("stats refresh carries every reason with a rate",
              len(later["reasons"]) >= 10 and all("packets_per_s" in x for x in later["reasons"]))
    r = cli("stats", "--watch", "--interval", "0.1", "--count", "2")
    check("stats --watch human form: two refreshes", r.returncode == 0 and r.stdout.count("RX-PPS") == 2, r.stdout)
    r = cli("stats")
    check("stats once", r.returncode == 0 and "no_label" in r.stdout and r.stdout.count("RX-PPS") == 1, r.stderr)
    check("stats --interval 0 is bad usage", cli("stats", "--interval", "0").returncode == 2)
    check("stats --count 0 is bad usage", cli("stats", "--count", "0").returncode == 2)
    _, routes_before = cli_json("show", "routes")

    # --- apply: a modified copy (one route added, one ILM entry removed) ---
    with open(CONFIG) as f:
        text = f.read()
    modified = "\n".join(line for line in text.splitlines() if "label: 24002" not in line)
    modified = modified.replace('      - {prefix: "10.1.0.0/16", nexthop: ce1}',
                                '      - {prefix: "10.1.0.0/16", nexthop: ce1}\n'
                                '      - {prefix: "10.3.0.0/16", nexthop: p, push: [1002, 24003]}')
    check("test edit took", modified.count("10.3.0.0/16") == 1 and "24002" not in modified.split("ilm:")[1].split("vrfs:")[0])
    mod_path = os.path.join(work, "mod.yaml")
    with open(mod_path, "w") as f:
        f.write(modified + "\n")

    r = cli("apply", mod_path, "--dry-run")
    check("apply --dry-run exits 0", r.returncode == 0, r.stderr)
    check("dry run prints the diff", "label 24002" in r.stdout and "removed" in r.stdout and "dry run" in r.stdout,
          r.stdout)
    _, dry = cli_json("apply", mod_path, "--dry-run")
    kinds = {(c["table"], c["kind"]) for c in dry["changes"]} if dry else set()
    check("dry run diff: ilm removed, route added", ("ilm", "removed") in kinds and ("route", "added") in kinds, kinds)
    _, routes_after_dry = cli_json("show", "routes")
    _, ilm_after_dry = cli_json("show", "ilm")
    check("dry run changes nothing", routes_after_dry == routes_before and ilm_after_dry == ilm)

    r = cli("apply", mod_path)
    check("apply exits 0", r.returncode == 0, r.stderr)
    check("apply prints what it changed", "applied:" in r.stdout, r.stdout)
    _, routes_now = cli_json("show", "routes")
    check("show routes has the new route", ("blue", "10.3.0.0/16") in route_set(routes_now["rows"]))
    new_route = [x for x in routes_now["rows"] if x["prefix"] == "10.3.0.0/16"]
    check("new route pushes [1002, 24003]", new_route and new_route[0]["push"] == [1002, 24003])
    _, ilm_now = cli_json("show", "ilm")
    check("ILM 24002 is gone", [x["label"] for x in ilm_now["rows"]] == [24000])
    _, again = cli_json("apply", mod_path)
    check("re-applying the same config changes nothing", again and again["changes"] == [])
    _, status = cli_json("status")
    check("status says where the tables came from", status and status["applied_from"] == mod_path)

    # --- a bad config: exit 2, one line, and the daemon still serves ---
    bad_path = os.path.join(work, "bad.yaml")
    with open(bad_path, "w") as f:
        f.write('ports:\n  - {id: 0, mac: "02:00:00:00:00:01", colour: red}\n')
    r = cli("apply", bad_path)
    check("bad config exits 2", r.returncode == 2, r.stderr)
    check("bad config: one line naming file, line and key",
          r.stderr.count("\n") == 1 and "bad.yaml:2:" in r.stderr and "colour" in r.stderr, r.stderr)
    check("daemon serves after a bad config", cli("status").returncode == 0)
    _, ilm_after_bad = cli_json("show", "ilm")
    check("bad config changed nothing", ilm_after_bad and ilm_after_bad["rows"] == ilm_now["rows"])

    # --- raw protocol errors, each answered, the daemon keeps serving ---
    answers = raw(b'{"v":1,"id":7,"method":"status"}\n')
    check("raw status answer is v1 with the id", answers and answers[0].get("v") == 1 and answers[0].get("id") == 7
          and "result" in answers[0])
    answers = raw(b'{"v":1,"id":1,"method":\n')
    check("malformed JSON -> bad_request", answers and error_code(answers[0]) == "bad_request", answers)
    answers = raw(b'{"v":1,"id":2,"method":"frobnicate"}\n')
    check("unknown method -> unknown_method", answers and error_code(answers[0]) == "unknown_method"
          and answers[0]["id"] == 2, answers)
    answers = raw(b'{"v":1,"id":3,"method":"apply","params":{"config":"bogus: 1\\n","name":"x.yaml"}}\n')
    check("bad config over the socket -> bad_config", answers and error_code(answers[0]) == "bad_config", answers)
    answers = raw(b'{"v":2,"id":4,"method":"status"}\n')
    check("wrong version -> bad_request", answers and error_code(answers[0]) == "bad_request", answers)
    answers = raw(b'{"v":1,"id":5,"method":"status"}\n{oops\n{"v":1,"id":6,"method":"status"}\n')
    check("several requests on one connection, answered in order",
          [a.get("id") for a in answers] == [5, None, 6] and error_code(answers[1]) == "bad_request", answers)
    answers = raw(b'{"v":1,"id":8,"method":"status","params":{"pad":"' + b"x" * (2 << 20) + b'"}}\n')
    check("2 MiB line -> too_large", answers and error_code(answers[0]) == "too_large", answers)
    check("daemon serves after the protocol errors", cli("status").returncode == 0)

    # --- roles (becoming another uid needs root) ---
    if os.geteuid() == 0:
        viewer_checks(mod_path)
    else:
        print("SKIP viewer role checks: not root, cannot switch to uid", VIEWER_UID)
    answers = raw(json.dumps({"v": 1, "id": 9, "method": "apply",
                              "params": {"path": bad_path, "dry_run": True}}).encode() + b"\n")
    check("admin may name a path (read by the daemon)",
          answers and error_code(answers[0]) == "bad_config", answers)

    # --- device load: the daemon reloads its card and puts its tables back ---
    if os.path.exists(MAKE_XCLBIN):
        for kind in ("valid", "wrong-regmap", "no-kernel", "truncated", "garbage"):
            subprocess.run([MAKE_XCLBIN, kind, os.path.join(work, kind + ".xclbin")], check=True)
        _, ilm_before_load = cli_json("show", "ilm")
        _, sas_before_load = cli_json("show", "sas")
        _, status = cli_json("status")
        r, loaded = cli_json("device", "load", os.path.join(work, "valid.xclbin"))
        check("device load through mplsecd exits 0", r.returncode == 0, r.stderr)
        _, sas_after_load = cli_json("show", "sas")
        seq_before, seq_after = ({row["name"]: row["next_seq"] for row in sas["rows"]}.get("to-pe2")
                                 for sas in (sas_before_load, sas_after_load))
        check("device load: the outbound SA resumes above its sequence before the load (never 1 again)",
              seq_before and seq_after and seq_after > seq_before, (seq_before, seq_after))
        check("device load: the daemon wrote its whole image back (reconcile after the reload)",
              loaded and len(loaded["reconciled"]["changes"]) == status["applied_entries"]
              and all(c["kind"] == "added" for c in loaded["reconciled"]["changes"]), loaded and loaded["reconciled"])
        check("device load: identity re-checked", loaded and loaded["identity"]["regmap_version"].startswith("1."))
        _, ilm_after_load = cli_json("show", "ilm")
        check("device load: tables as before", ilm_after_load and ilm_before_load
              and [x["label"] for x in ilm_after_load["rows"]] == [x["label"] for x in ilm_before_load["rows"]])
        _, status = cli_json("status")
        check("status names the last reconcile", status and status["last_reconcile"]["why"] == "load")
        r = cli("device", "load", os.path.join(work, "valid.xclbin"))
        check("device load human form, no progress bar off a terminal",
              r.returncode == 0 and "regmap_version" in r.stdout and "\r" not in r.stderr, r.stderr)
        for kind in ("wrong-regmap", "no-kernel", "truncated", "garbage"):
            r = cli("device", "load", os.path.join(work, kind + ".xclbin"))
            check(f"device load {kind}: exit 2, one line naming the file",
                  r.returncode == 2 and r.stderr.count("\n") == 1 and kind + ".xclbin" in r.stderr
                  and "bad_xclbin" in r.stderr, r.stderr)
        r = cli("device", "load", os.path.join(work, "missing.xclbin"))
        check("device load of a missing file: exit 2", r.returncode == 2 and "cannot open" in r.stderr, r.stderr)
        check("daemon serves after refused loads", cli("status").returncode == 0)
        if os.geteuid() == 0:
            r = cli("device", "load", os.path.join(work, "valid.xclbin"), as_viewer=True)
            check("viewer may not load a bitstream", r.returncode == 1 and "forbidden" in r.stderr, r.stderr)
    else:
        print("SKIP device load: no XRT in this build (no xclbin reader)")

    # --- SIGHUP: the daemon goes back to its config file, writing only what differs ---
    _, way_back = cli_json("apply", CONFIG, "--dry-run")
    daemon.send_signal(signal.SIGHUP)
    def reloaded():
        _, ilm_r = cli_json("show", "ilm")
        return ilm_r and 24002 in [x["label"] for x in ilm_r["rows"]]
    check("SIGHUP reloads the config file", wait_for(reloaded, 10))
    _, routes_reloaded = cli_json("show", "routes")
    check("after reload the routes are the file's", routes_reloaded == routes_before)
    log.flush()
    with open(os.path.join(work, "mplsecd.log")) as f:
        reload_lines = [line for line in f if "reloaded " + CONFIG in line]
    check("SIGHUP wrote exactly the dry run's entries, no unchanged one",
          way_back and way_back["changes"] and reload_lines
          and reload_lines[-1].rstrip().endswith(f": {len(way_back['changes'])} entries differ"), reload_lines)
    answers = raw(b'{"v":1,"id":10,"method":"reload"}\n')
    check("reload method answers with an empty diff", answers and answers[0].get("result", {}).get("changes") == [],
          answers)

    # --- SIGTERM: exit 0, socket removed ---
    daemon.send_signal(signal.SIGTERM)
    try:
        code = daemon.wait(timeout=10)
    except subprocess.TimeoutExpired:
        code = None
    check("SIGTERM: exit 0", code == 0, code)
    check("SIGTERM: socket file removed", not os.path.exists(SOCK))
    r = cli("status")
    check("no daemon: exit 1 naming the socket", r.returncode == 1 and SOCK in r.stderr, r.stderr)

    # --- usage ---
    for cmd in (["apply"], ["show"], ["status"], ["stats"], ["device", "load"]):
        r = subprocess.run([MPLSEC, *cmd, "--help"], capture_output=True, text=True)
        check(f"{' '.join(cmd)} --help", r.returncode == 0 and f"usage: mplsec {' '.join(cmd)}" in r.stdout)
    r = subprocess.run([MPLSECD, "--help"], capture_output=True, text=True)
    check("mplsecd --help names --socket", r.returncode == 0 and "--socket" in r.stdout)
    r = subprocess.run([MPLSECD, "--config", CONFIG, "--device", "model", "--check"], capture_output=True, text=True)
    check("mplsecd --check exits 0", r.returncode == 0, r.stderr)
    r = subprocess.run([MPLSECD, "--config", bad_path, "--device", "model", "--check"], capture_output=True, text=True)
    check("mplsecd bad config exits 2", r.returncode == 2, r.stderr)

    log_level_checks()
    default_device_checks()
    restart_checks()
    sequence_checks()
finally:
    if daemon.poll() is None:
        daemon.kill()
        daemon.wait()
    log.close()
    if failures:
        with open(os.path.join(work, "mplsecd.log")) as f:
            print("--- mplsecd log (last 30 lines) ---")
            print("".join(f.readlines()[-30:]))
    shutil.rmtree(work, ignore_errors=True)

print(f"daemon_test: {passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
