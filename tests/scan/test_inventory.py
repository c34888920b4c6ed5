#!/usr/bin/python3
"""`csirt inventory` must list exactly the packages dpkg-query reports as
installed, with the same version, source package and source version.
usage: test_inventory.py CSIRT_BINARY"""
import json
import shutil
import subprocess
import sys

if shutil.which("dpkg-query") is None:
    print("SKIP: not a dpkg system")
    sys.exit(77)
doc = json.loads(subprocess.run([sys.argv[1], "inventory"], check=True, capture_output=True,
                                text=True).stdout)
ours = {(p["name"], p["arch"]): (p["version"], p["source"], p["source_version"])
        for p in doc["packages"] if p["type"] == "deb"}
out = subprocess.run(["dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}\t${Architecture}\t"
                      "${Version}\t${source:Package}\t${source:Version}\n"],
                     check=True, capture_output=True, text=True).stdout
truth = {}
for line in out.splitlines():
    st, name, arch, ver, src, srcver = line.split("\t")
    if st.startswith("ii"):
        truth[(name, arch)] = (ver, src, srcver)
bad = [(k, ours.get(k), v) for k, v in truth.items() if ours.get(k) != v]
extra = [k for k in ours if k not in truth]
for b in bad[:10]:
    print("MISMATCH", b)
for e in extra[:10]:
    print("EXTRA", e)
print("%d packages from dpkg-query, %d from csirt inventory, %d mismatches, %d extra"
      % (len(truth), len(ours), len(bad), len(extra)))
if not doc.get("os", {}).get("id"):
    print("FAIL: no os id")
    sys.exit(1)
sys.exit(1 if bad or extra or not truth else 0)
