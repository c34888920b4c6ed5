#!/usr/bin/python3
"""Gathers docs/BENCHMARKS-<area>.md into docs/BENCHMARKS.md (each area
keeps its own section, written by whoever measured it)."""
import os

os.chdir(os.path.join(os.path.dirname(__file__), "..", "docs"))
ORDER = ["api", "domain", "intake", "hunt", "scan", "report", "ui", "obligations"]
out = ["# Benchmarks", "",
       "Every result below was measured on this 2-core machine, shared with other work, with the "
       "command written next to it. Speed goals are met (or not) here, never in timed tests. Where a "
       "peer tool runs here it was measured side by side in the same run and the result is a ratio; "
       "where none can run, the numbers are absolute and say so. Each area keeps its section in "
       "docs/BENCHMARKS-<area>.md; scripts/gather-benchmarks.py gathers them here.", ""]
for area in ORDER:
    path = f"BENCHMARKS-{area}.md"
    if os.path.exists(path):
        lines = open(path, encoding="utf-8").read().strip().split("\n")
        out += [("#" + l if l.startswith("#") else l) for l in lines] + [""]
open("BENCHMARKS.md", "w", encoding="utf-8").write("\n".join(out))
