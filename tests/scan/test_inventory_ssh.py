#!/usr/bin/python3
"""`csirt inventory --ssh` against the real OpenSSH server that
tests/scan/services.sh starts on loopback (a client key pair made in a temp
dir for this run): the remote inventory must equal the local one (it is the
same host), an unknown host key is refused unless --accept-new-host-key
(then recorded in the known_hosts file and logged with its fingerprint), a
changed host key is always refused, and a key the server does not accept
is a clear error.

usage: test_inventory_ssh.py CSIRT_BINARY SERVICES_SH
Exit 77 (skip) without root or sshd, unless CI=true."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

csirt, services_sh = sys.argv[1], sys.argv[2]
ci = os.environ.get("CI") == "true"
if os.geteuid() != 0 or not os.path.exists("/usr/sbin/sshd") or shutil.which("ssh-keygen") is None:
    print("SKIP: needs root, openssh-server and ssh-keygen (scripts/packages/scan-test.txt)")
    sys.exit(1 if ci else 77)

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def inventory(*args):
    return subprocess.run([csirt, "inventory", *args], capture_output=True, text=True, timeout=120)


def packages(doc):
    return sorted((p["type"], p["name"], p["arch"], p["version"], p["source"], p["source_version"])
                  for p in doc["packages"])


d = tempfile.mkdtemp(prefix="csirt-inv-ssh-")
os.chmod(d, 0o755)
try:
    r = subprocess.run(["sh", services_sh, "start", d, "sshd"])
    if r.returncode != 0:
        print("FAIL: sshd did not start: " + open(os.path.join(d, "failed.txt")).read())
        sys.exit(1)
    port = open(os.path.join(d, "services.txt")).read().split()[1]
    target = "root@127.0.0.1:" + port
    key = os.path.join(d, "client_key")
    kh = os.path.join(d, "known_hosts")
    base = ["--ssh", target, "--identity", key, "--known-hosts", kh]

    # 1. An unknown host key is refused, and nothing is written.
    r = inventory(*base)
    check(r.returncode != 0 and "unknown host key" in r.stderr and "SHA256:" in r.stderr,
          "unknown host key refused: %s" % r.stderr.strip())
    check(r.stdout == "", "nothing printed when refused")
    check(not os.path.exists(kh), "known_hosts not written without --accept-new-host-key")

    # 2. Accepted on request: recorded, logged, and the inventory equals the local one.
    r = inventory(*base, "--accept-new-host-key")
    check(r.returncode == 0, "accepted new host key: exit %d %s" % (r.returncode, r.stderr.strip()))
    check("accepted the new host key" in r.stderr and "SHA256:" in r.stderr,
          "acceptance logged with the fingerprint")
    hostkey = open(os.path.join(d, "hostkey.pub")).read().split()[1]
    check(os.path.exists(kh) and hostkey in open(kh).read(), "the server's key recorded in known_hosts")
    remote = json.loads(r.stdout) if r.returncode == 0 else {"packages": [], "os": {}}
    local = json.loads(inventory().stdout)
    check(len(remote["packages"]) > 100, "remote inventory has %d packages" % len(remote["packages"]))
    check(packages(remote) == packages(local), "remote packages equal the local inventory exactly")
    check(remote["os"] == local["os"] and remote.get("host") == local["host"],
          "host and os: %s %s" % (remote.get("host"), remote["os"]))
    truth = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "openssh-server"],
                           capture_output=True, text=True).stdout
    check(any(p["name"] == "openssh-server" and p["version"] == truth for p in remote["packages"]),
          "openssh-server %s as dpkg-query says" % truth)

    # 3. Known now: no flag needed.
    r = inventory(*base)
    check(r.returncode == 0 and "accepted" not in r.stderr, "known host key passes quietly")

    # 4. A changed host key is refused, even with --accept-new-host-key.
    other = os.path.join(d, "other_hostkey")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other], check=True)
    with open(kh, "w") as f:
        f.write("[127.0.0.1]:%s %s\n" % (port, " ".join(open(other + ".pub").read().split()[:2])))
    r = inventory(*base, "--accept-new-host-key")
    check(r.returncode != 0 and "not the one recorded" in r.stderr and r.stdout == "",
          "changed host key refused: %s" % r.stderr.strip())

    # 5. A key the server does not know, and a missing key file.
    os.unlink(kh)
    stranger = os.path.join(d, "stranger_key")
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger], check=True)
    r = inventory("--ssh", target, "--identity", stranger, "--known-hosts", kh, "--accept-new-host-key")
    check(r.returncode != 0 and "refused the key" in r.stderr, "unknown client key: %s" % r.stderr.strip())
    r = inventory("--ssh", target, "--identity", os.path.join(d, "nope"), "--known-hosts", kh)
    check(r.returncode != 0 and "csirt inventory:" in r.stderr, "missing key file: %s" % r.stderr.strip())

    # 6. Bad command lines.
    for args in (["--ssh", "root@"], ["--ssh", "root@127.0.0.1:0"], ["--ssh", "root@127.0.0.1:x"],
                 ["--identity", key], ["--ssh", target, "--dpkg-status", "/dev/null"]):
        r = inventory(*args)
        check(r.returncode == 2, "usage error for %s" % args)
    r = inventory("--ssh", "root@127.0.0.1:1", "--known-hosts", kh)
    check(r.returncode == 1 and "cannot connect" in r.stderr, "closed port: %s" % r.stderr.strip())
finally:
    subprocess.run(["sh", services_sh, "stop", d])
    shutil.rmtree(d, ignore_errors=True)

sys.exit(1 if failures else 0)
