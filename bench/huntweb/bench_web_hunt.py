#!/usr/bin/python3
"""A web hunt against `csirt hunt` on the same input (see run.sh).
Usage: bench_web_hunt.py CSIRT SHARED_DATA WORK"""
import json
import os
import resource
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "api"))
from harness import Client, Server  # noqa: E402

csirt, data, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.environ["CSIRT_BIN"] = csirt
rules = os.path.join(data, "sigma", "rules", "windows")
os.makedirs(work, exist_ok=True)
big = os.path.join(work, "attack-x2.evtx")
ticks = os.sysconf("SC_CLK_TCK")


def build_input():
    """Every chunk of EVTX-ATTACK-SAMPLES, twice, behind one file header
    (chunks are self-contained): a valid log of about 75 MB."""
    if os.path.exists(big):
        return
    header, chunks = None, []
    root = os.path.join(data, "evtx", "EVTX-ATTACK-SAMPLES")
    for dp, dn, fn in sorted(os.walk(root)):
        dn.sort()
        for f in sorted(fn):
            if f.endswith(".evtx"):
                b = open(os.path.join(dp, f), "rb").read()
                header = header or b[:4096]
                chunks += [b[o:o + 65536] for o in range(4096, len(b) - 65535, 65536)
                           if b[o:o + 8] == b"ElfChnk\0"]
    with open(big + ".tmp", "wb") as out:
        out.write(header)
        for _ in range(2):
            for c in chunks:
                out.write(c)
    os.rename(big + ".tmp", big)


def cpu_of(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks


def peak_rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


build_input()
size = os.path.getsize(big)
cmd = [csirt, "hunt", "--rules", rules, "--format", "jsonl", "--quiet", big]
cli = []
for _ in range(3):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cli.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
cli_hits = len(out.stdout.splitlines())
cli_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

server = Server(args=["--hunt-rules", rules]).start()
try:
    c = Client(server)
    assert c.login("admin", "admin-password-for-tests").status == 200
    org = c.post("/api/orgs", {"name": "Bench"}).json["id"]
    sid = c.post("/api/systems", {"name": "Bench", "owner_org_id": org, "operator_org_id": org}).json["id"]
    payload = open(big, "rb").read()
    web = []
    for i in range(3):
        cpu0, t0 = cpu_of(server.proc.pid), time.monotonic()
        r = c.post(f"/api/systems/{sid}/hunts?filename=attack.evtx", raw=payload)
        assert r.status == 202, r
        while True:
            h = c.get(f"/api/hunts/{r.json['id']}").json
            if h["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
        wall, cpu = time.monotonic() - t0, cpu_of(server.proc.pid) - cpu0
        assert h["status"] == "done", h
        web.append((cpu, wall, h["hits"], h["alerts_created"], h["alerts_deduplicated"]))
    rss = peak_rss_kb(server.proc.pid)
finally:
    server.stop()

print(f"input_bytes={size}")
print(f"cli_cpu_s_best={min(cli):.3f} cli_hits={cli_hits} cli_peak_rss_kb={cli_rss}")
for i, (cpu, wall, hits, created, dedup) in enumerate(web, 1):
    print(f"web_run{i}_cpu_s={cpu:.3f} wall_s={wall:.3f} hits={hits} alerts_created={created} "
          f"alerts_deduplicated={dedup}")
best = min(w[0] for w in web)
print(f"web_cpu_s_best={best:.3f} web_over_cli_cpu={best / min(cli):.2f} "
      f"web_MBps_cpu={size / 1e6 / best:.1f} cli_MBps_cpu={size / 1e6 / min(cli):.1f}")
print(f"server_peak_rss_kb={rss}")
shutil.rmtree(work, ignore_errors=True) if os.environ.get("CLEAN") else None
