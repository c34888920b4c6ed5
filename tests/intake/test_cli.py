#!/usr/bin/python3
"""`csirt intake email` end to end: the real binary, a fixture on stdin.
usage: test_cli.py CSIRT DATA_DIR"""
import json
import subprocess
import sys

csirt, data = sys.argv[1], sys.argv[2]
failures = 0


def run(args, fixture=None, stdin=b""):
    if fixture:
        with open(f"{data}/{fixture}", "rb") as f:
            stdin = f.read()
    return subprocess.run([csirt] + args, input=stdin, capture_output=True, timeout=60)


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL:", what)
    else:
        print("ok:", what)


p = run(["intake", "email", "--dry-run", "--json"], "tbsc_form03_qp.eml")
check(p.returncode == 0, "a [TBSC] report parses (exit 0)")
d = json.loads(p.stdout)
check(d["tbsc"] is True, "tbsc flag")
check(d["subject"] == "[TBSC] Sự cố thay đổi giao diện Cổng thông tin điện tử tỉnh", "decoded subject")
check(d["date"] == "2026-11-20T03:35:00Z", "date in UTC")
check(d["form03"]["system_name"] == "Cổng thông tin điện tử tỉnh", "Form 03 system name")
check(d["form03"]["detected_at"] == "2026-11-20T03:30:00Z", "Form 03 detection time")
check(d["form03"]["confidential"] is True, "Form 03 confidentiality")
check({"type": "ip", "value": "45.77.10.20"} in d["observables"], "re-fanged IP observable")

p = run(["intake", "email", "--dry-run", "--json"], "multipart_attachments.eml")
d = json.loads(p.stdout)
check([a["filename"] for a in d["attachments"]] == ["auth.log", "mau.zip"], "attachments listed")
check(all("data" not in a and len(a["sha256"]) == 64 for a in d["attachments"]), "hashes, not bytes")

p = run(["intake", "email", "--dry-run"], "traversal.eml")
check(p.returncode == 0 and b"passwd (text/plain" in p.stdout and b"../" not in p.stdout,
      "summary output, path stripped from names")

p = run(["intake", "email", "--dry-run", "--json"], "truncated.eml")
check(p.returncode == 1 and p.stdout == b"" and b"truncated" in p.stderr,
      "truncated message refused with exit 1 and nothing on stdout")

p = run(["intake", "email", "--dry-run", "--max-size", "100"], "tbsc_form03_qp.eml")
check(p.returncode == 1 and b"larger than 100 bytes" in p.stderr, "--max-size enforced")

p = run(["intake", "email", "--dry-run"], stdin=b"not mail at all")
check(p.returncode == 1 and b"not an e-mail" in p.stderr, "non-mail refused")

p = run(["intake", "fax"])
check(p.returncode == 2, "unknown intake source is a usage error (exit 2)")

sys.exit(1 if failures else 0)
