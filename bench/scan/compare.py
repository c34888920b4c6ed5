#!/usr/bin/python3
"""Side-by-side runs of `csirt scan` and `nmap` on the loopback testbed.

fingerprint: identification (service, product, version against dpkg's
ground truth; the Debian revision when shown) and time, nmap -sV vs csirt
scan, alternating, 3 runs each.
sweep: all 65,535 TCP ports of 127.0.0.1, nmap -sT -p- vs csirt scan
--ports-only --ports all, alternating, 3 runs each; every port reported
open is checked against the kernel's listening sockets (phantoms).
usage: compare.py CSIRT SERVICES_TXT all|fingerprint|sweep"""
import json
import os
import re
import resource
import subprocess
import sys
import time

csirt, services_txt, what = sys.argv[1], sys.argv[2], sys.argv[3]
svcs = [l.split() for l in open(services_txt)]
# services.sh also lists MariaDB, Exim, vsftpd, Dovecot, BIND and memcached
more = os.path.join(os.path.dirname(services_txt), "services-more.txt")
if os.path.exists(more):
    svcs += [l.split() for l in open(more)]
ports = ",".join(s[1] for s in svcs)
# the product csirt must name exactly
names = {"http": "nginx", "https": "nginx", "ssh": "OpenSSH", "redis": "Redis", "postgresql": "PostgreSQL",
         "mysql": "MariaDB", "smtp": "Exim", "ftp": "vsftpd", "imap": "Dovecot imapd",
         "pop3": "Dovecot pop3d", "dns": "ISC BIND", "memcached": "memcached"}
# the word nmap's product must contain
nmap_names = dict(names, imap="Dovecot", pop3="Dovecot", dns="BIND")


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return out.stdout, wall, cpu


def dpkg(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True).stdout


def upstream(v):
    v = v.split(":", 1)[-1]
    return v.rsplit("-", 1)[0] if "-" in v else v


def score_csirt(out):
    got = {}
    for line in out.splitlines():
        o = json.loads(line)
        got[o["port"]] = (o["product"], o["version"], o.get("package_version", ""))
    return got


def score_nmap(out):
    got = {}
    for line in out.splitlines():
        m = re.match(r"(\d+)/tcp\s+open\s+(\S+)\s*(.*)$", line)
        if m:
            got[int(m.group(1))] = m.group(3).strip()
    return got


def fingerprint():
    print("== fingerprinting the loopback testbed (%s)" % ", ".join("%s:%s" % (s[0], s[1]) for s in svcs))
    times = {"csirt": [], "nmap": []}
    last = {}
    for i in range(3):
        out, w, c = run(["nmap", "-sV", "-n", "-Pn", "-p", ports, "127.0.0.1"])
        times["nmap"].append((w, c))
        last["nmap"] = score_nmap(out)
        out, w, c = run([csirt, "scan", "--format", "jsonl", "--ports", ports, "127.0.0.1"])
        times["csirt"].append((w, c))
        last["csirt"] = score_csirt(out)
    ok = {"csirt": 0, "nmap": 0}
    rev = {"csirt": 0, "nmap": 0}
    print("%-10s %-22s %-40s %s" % ("service", "dpkg", "csirt", "nmap"))
    for name, port, pkg in svcs:
        truth = dpkg(pkg)
        up = upstream(truth)
        c = last["csirt"].get(int(port), ("", "", ""))
        n = last["nmap"].get(int(port), "")
        if c[0] == names[name] and c[1] == up:
            ok["csirt"] += 1
        if c[2] == truth:
            rev["csirt"] += 1
        # nmap prints "product version (extra)": count the product and exact upstream version,
        # also inside a raw version string ("5.5.5-10.11.19-MariaDB-0+deb12u1", "9.18.49-1~deb12u3")
        if nmap_names[name].lower() in n.lower() and re.search(r"(^|\s|-)%s(\s|$|\)|-)" % re.escape(up), n.replace("_", " ")):
            ok["nmap"] += 1
        if truth.split(":", 1)[-1].rsplit("-", 1)[-1] in n and "-" in truth:
            rev["nmap"] += 1
        print("%-10s %-22s %-40s %s" % (name, truth, "%s %s %s" % c, n))
    for tool in ("csirt", "nmap"):
        ws = sorted(t[0] for t in times[tool])
        cs = sorted(t[1] for t in times[tool])
        print("%-5s product+version right %d/%d, Debian revision %d/%d; wall median %.2f s "
              "(runs %s), cpu median %.3f s" % (tool, ok[tool], len(svcs), rev[tool], len(svcs), ws[1],
                                                " ".join("%.2f" % x for x in ws), cs[1]))
    print("ratio nmap/csirt wall (median): %.1fx" % (sorted(t[0] for t in times["nmap"])[1] /
                                                     sorted(t[0] for t in times["csirt"])[1]))


def listening():
    out = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True).stdout
    ports = set()
    for line in out.splitlines():
        local = line.split()[3]
        host, port = local.rsplit(":", 1)
        if host in ("127.0.0.1", "0.0.0.0", "*", "[::]", "[::ffff:127.0.0.1]"):
            ports.add(int(port))
    return ports


def sweep():
    print("== full sweep of 127.0.0.1, ports 1-65535")
    times = {"csirt": [], "nmap": []}
    phantoms = missed = 0
    for i in range(3):
        out, w, c = run(["nmap", "-sT", "-n", "-Pn", "-p-", "--max-retries", "0", "127.0.0.1"])
        times["nmap"].append((w, c, len(score_nmap(out))))
        before = listening()
        out, w, c = run([csirt, "scan", "--ports-only", "--ports", "all", "--format", "jsonl", "127.0.0.1"])
        found = {json.loads(l)["port"] for l in out.splitlines()}
        live = listening()
        ph = sorted(p for p in found if p not in live)
        phantoms += len(ph)
        # listening before and after the sweep, yet not reported: a real miss
        miss = sorted((before & live) - found)
        missed += len(miss)
        times["csirt"].append((w, c, len(found)))
        if ph:
            print("csirt run %d: ports reported open but not listening: %s" % (i + 1, ph))
        if miss:
            print("csirt run %d: listening before and after but not found: %s" % (i + 1, miss))
    for tool in ("csirt", "nmap"):
        ws = sorted(t[0] for t in times[tool])
        print("%-5s wall median %.2f s (runs %s), cpu median %.2f s, open ports %s" % (
            tool, ws[1], " ".join("%.2f" % t[0] for t in times[tool]),
            sorted(t[1] for t in times[tool])[1], [t[2] for t in times[tool]]))
    print("csirt phantom ports over 3 runs: %d, missed listening ports: %d" % (phantoms, missed))
    print("ratio nmap/csirt wall (median): %.1fx" % (sorted(t[0] for t in times["nmap"])[1] /
                                                     sorted(t[0] for t in times["csirt"])[1]))


if what in ("all", "fingerprint"):
    fingerprint()
if what in ("all", "sweep"):
    sweep()
