#!/usr/bin/python3
"""Generates N CVE JSON 5 records by mutating the real records in
../shared/data/vuln/cve5 (ids, product names and version bounds change;
the shape stays real). Writes JSON arrays of 1,000 records per file.

usage: gen_cves.py SRC_DIR OUT_DIR N
99 records in 100 get a product name of their own (product_<k>, 50,000
names) so the index has about as many products as NVD; one in 100 keeps the
real product, which gives nginx, OpenSSH, Redis, PostgreSQL and OpenSSL
several hundred CVEs each, more than NVD lists for them."""
import glob
import json
import os
import random
import sys

src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(20261123)
records = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(src, "**/*.json"), recursive=True))
           if "LICENSE" not in f]
os.makedirs(out, exist_ok=True)


def bump(v):
    parts = v.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + random.randint(0, 5))
    return ".".join(parts)


batch, fileno = [], 0
for i in range(n):
    r = json.loads(json.dumps(records[i % len(records)]))
    r["cveMetadata"]["cveId"] = "CVE-%d-%d" % (9000 + i // 100000, 100000 + i)
    r["cveMetadata"]["dateUpdated"] = "2026-01-01T00:00:00Z"
    own = i % 100 != 0
    for c in [r["containers"]["cna"]] + r["containers"].get("adp", []):
        for a in c.get("affected", []):
            if own and "product" in a:
                a["product"] = "%s_%d" % (a["product"], i % 50000)
                a["cpes"] = [p.replace(":%s:" % p.split(":")[4], ":%s:" % a["product"].lower().replace(" ", "_"), 1)
                             for p in a.get("cpes", []) if p.startswith("cpe:2.3:")]
            for v in a.get("versions", []):
                for k in ("lessThan", "lessThanOrEqual"):
                    if k in v and v[k][:1].isdigit():
                        v[k] = bump(v[k])
    batch.append(r)
    if len(batch) == 1000:
        json.dump(batch, open(os.path.join(out, "cves-%04d.json" % fileno), "w"))
        batch, fileno = [], fileno + 1
if batch:
    json.dump(batch, open(os.path.join(out, "cves-%04d.json" % fileno), "w"))
