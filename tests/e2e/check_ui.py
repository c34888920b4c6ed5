#!/usr/bin/python3
"""Checks of the web interface that need no browser:
- vi.json and en.json have the same keys, and every literal t('key') in
  ui/src exists in them (a missing key would show the key to users);
- ui/dist was built from the current ui/src (compares the hash build.mjs
  wrote), so a commit cannot ship a stale bundle;
- index.html has no inline script or style (the server's CSP forbids them)."""
import hashlib
import json
import os
import re
import sys

root = sys.argv[1]
ui = os.path.join(root, "ui")
bad = []

vi = json.load(open(os.path.join(ui, "src/i18n/vi.json"), encoding="utf-8"))
en = json.load(open(os.path.join(ui, "src/i18n/en.json"), encoding="utf-8"))
for k in sorted(set(vi) ^ set(en)):
    bad.append(f"i18n: key {k!r} is in only one of vi.json and en.json")
for k in sorted(vi):
    if not vi[k].strip() or not en.get(k, "x").strip():
        bad.append(f"i18n: key {k!r} is empty")

src_files = []
for d, _, names in os.walk(os.path.join(ui, "src")):
    for n in names:
        src_files.append(os.path.relpath(os.path.join(d, n), ui))
for f in src_files:
    if f.endswith(".js"):
        text = open(os.path.join(ui, f), encoding="utf-8").read()
        for k in re.findall(r"\bt\('([a-z0-9_.]+)'[,)]", text):
            if k not in vi:
                bad.append(f"i18n: {f} uses t({k!r}), which vi.json lacks")

inputs = sorted(["build.mjs", "package-lock.json"] + src_files)
h = hashlib.sha256()
for f in inputs:
    with open(os.path.join(ui, f), "rb") as fh:
        data = fh.read()
    h.update(f.encode() + b"\0" + data + b"\0")
try:
    built = open(os.path.join(ui, "dist/.source-hash")).read().strip()
except FileNotFoundError:
    built = ""
if built != h.hexdigest():
    bad.append("dist: ui/dist is not built from the current ui/src; run: cd ui && npm ci && npm run build")

index = open(os.path.join(ui, "dist/index.html"), encoding="utf-8").read()
if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index) or "<style" in index or " style=" in index:
    bad.append("dist: index.html has inline script or style, which the CSP blocks")

for b in bad:
    print(b)
print(f"check_ui: {len(vi)} strings, {len(src_files)} source files, {len(bad)} problem(s)")
sys.exit(1 if bad else 0)
