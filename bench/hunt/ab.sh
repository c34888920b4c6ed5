#!/bin/sh
# bench/hunt/ab.sh DIR - two builds side by side, alternated (A, B, A, B...),
# CPU seconds: DIR holds hb_old and hb_new (bench/hunt/hunt_bench.c linked
# with each build's libcsirt.a, as run.sh builds it) and csirt_old and
# csirt_new. Inputs from bench/hunt/make_inputs.py in $TMPDIR/csirt-hunt-bench.
# Prints one line per run; the CLI outputs of the two builds are compared.
# Used for docs/BENCHMARKS-hunt.md (session of 16:45, branch json).
set -u
d=${1:?usage: ab.sh DIR}
B=${TMPDIR:-/tmp}/csirt-hunt-bench
R=../shared/data/sigma/rules/windows
export HUNT_BENCH_CACHE=$d/hs-cache
mkdir -p "$HUNT_BENCH_CACHE"
echo "start $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
for i in 1 2 3 4 5; do
  for v in old new; do
    echo "parse $v $("$d/hb_$v" parse "$B/otrf.jsonl" | grep -o 'scan_cpu_s=[0-9.]*')"
  done
done
for i in 1 2 3 4 5; do
  for v in old new; do
    echo "sigma $v $("$d/hb_$v" sigma "$R" "$B/otrf.jsonl" | grep -o 'scan_cpu_s=[0-9.]*\|hits=[0-9]*' | tr '\n' ' ')"
  done
done
for i in 1 2 3; do
  for v in old new; do
    echo "ioc $v $("$d/hb_$v" ioc "$B/ioc-1m.txt" "$B/otrf.jsonl" | grep -o 'scan_cpu_s=[0-9.]*\|hits=[0-9]*' | tr '\n' ' ')"
  done
done
for i in 1 2 3; do
  for v in old new; do
    echo "evtx_parse $v $("$d/hb_$v" parse "$B/big.evtx" | grep -o 'scan_cpu_s=[0-9.]*')"
  done
done
for i in 1 2 3; do
  for v in old new; do
    /usr/bin/time -f "cli $v user=%U sys=%S wall=%e maxrss_kB=%M" "$d/csirt_$v" hunt \
        --rules "$R" --ioc "$B/ioc-1m.txt" --format jsonl --quiet --threads 2 \
        "$B/otrf.jsonl" 2>&1 >"$d/cli-$v.out" | tail -1
  done
done
cmp "$d/cli-old.out" "$d/cli-new.out" && echo "cli outputs identical ($(wc -l < "$d/cli-new.out") hits)"
echo "end $(date -u +%H:%M:%S) $(uptime | sed 's/.*load/load/')"
