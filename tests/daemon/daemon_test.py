#!/usr/bin/env python3
"""mplsecd's management API and the CLI that drives it, end to end.

Starts the daemon on the in-process model card with its socket in a
temporary directory, then drives it the way an operator and a script would:
status, show, apply (dry run, real, bad config), raw protocol errors, SIGHUP
reload, role refusal for a viewer uid, and a clean SIGTERM shutdown.

usage: daemon_test.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

BUILD, SRC = sys.argv[1], sys.argv[2]
MPLSEC = os.path.join(BUILD, "host", "mplsec")
MPLSECD = os.path.join(BUILD, "host", "mplsecd")
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


work = tempfile.mkdtemp()
os.chmod(work, 0o755)  # the viewer uid must reach the socket inside
SOCK = os.path.join(work, "s")
log = open(os.path.join(work, "mplsecd.log"), "w")
daemon = subprocess.Popen([MPLSECD, "--config", CONFIG, "--device", "model", "--socket", SOCK],
                          stdout=log, stderr=subprocess.STDOUT)
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

    # --- SIGHUP: the daemon goes back to its config file ---
    daemon.send_signal(signal.SIGHUP)
    def reloaded():
        _, ilm_r = cli_json("show", "ilm")
        return ilm_r and 24002 in [x["label"] for x in ilm_r["rows"]]
    check("SIGHUP reloads the config file", wait_for(reloaded, 10))
    _, routes_reloaded = cli_json("show", "routes")
    check("after reload the routes are the file's", routes_reloaded == routes_before)
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
    for cmd in (["apply"], ["show"], ["status"]):
        r = subprocess.run([MPLSEC, *cmd, "--help"], capture_output=True, text=True)
        check(f"{' '.join(cmd)} --help", r.returncode == 0 and f"usage: mplsec {cmd[0]}" in r.stdout)
    r = subprocess.run([MPLSECD, "--help"], capture_output=True, text=True)
    check("mplsecd --help names --socket", r.returncode == 0 and "--socket" in r.stdout)
    r = subprocess.run([MPLSECD, "--config", CONFIG, "--device", "model", "--check"], capture_output=True, text=True)
    check("mplsecd --check exits 0", r.returncode == 0, r.stderr)
    r = subprocess.run([MPLSECD, "--config", bad_path, "--device", "model", "--check"], capture_output=True, text=True)
    check("mplsecd bad config exits 2", r.returncode == 2, r.stderr)
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
