#!/bin/sh
# bench/hunt/run.sh - the hunt engine side by side with its peers, in one run.
# Usage: sh bench/hunt/run.sh [BUILD_DIR]   (from the project root; needs
# ../shared/data, and the peers: evtxexport (libevtx-utils), rg, grep).
# Results are printed as key=value lines. Times are CPU seconds (user+sys):
# the machine is shared by several sessions (load average above 10 was seen),
# so wall time says more about the neighbours than about the code; ratios
# between tools measured in the same run are what docs/BENCHMARKS-hunt.md
# reports.
set -eu
build=${1:-build}
data=../shared/data
work=${TMPDIR:-/tmp}/csirt-hunt-bench
mkdir -p "$work"
libs=$(pkg-config --libs yaml-0.1 libpcre2-8 jansson zlib libzip libcurl libhs libsodium)
cc -O2 -D_GNU_SOURCE -Iinclude -Isrc bench/hunt/hunt_bench.c -o "$work/hunt_bench" \
    "$build/libcsirt.a" $libs -lm -lpthread
cc -O2 bench/hunt/libevtx_parse.c -o "$work/libevtx_parse" \
    $(pkg-config --cflags --libs libevtx)
hb=$work/hunt_bench

# One big EVTX: every chunk of EVTX-ATTACK-SAMPLES behind one file header,
# five times (chunks are self-contained, so this is a valid log of 41k records).
python3 bench/hunt/make_inputs.py "$data" "$work"

timeit() { # CPU seconds (user+sys) of a command, best of 3
    for i in 1 2 3; do
        /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1 |
            awk '{ printf "%.3f\n", $1 + $2 }'
    done | sort -n | head -1
}

echo "== EVTX parse: csirt reader vs libevtx (in process, XML) vs evtxexport =="
for i in 1 2 3; do "$hb" parse "$work/big.evtx"; done
for i in 1 2 3; do "$work/libevtx_parse" "$work/big.evtx"; done
echo "evtxexport_xml_cpu_s=$(timeit evtxexport -f xml "$work/big.evtx")"

echo "== Sigma: compile (cold: Hyperscan compiles the prefilter; warm: from its cache) =="
for i in 1 2 3; do "$hb" compile "$data/sigma/rules/windows"; done
rm -rf "$work/hs-cache"
HUNT_BENCH_CACHE="$work/hs-cache" "$hb" compile "$data/sigma/rules/windows" > /dev/null
for i in 1 2 3; do HUNT_BENCH_CACHE="$work/hs-cache" "$hb" compile "$data/sigma/rules/windows"; done
for i in 1 2 3; do "$hb" compile "$data/sigma/rules" "$data/sigma/rules-emerging-threats" \
    "$data/sigma/rules-threat-hunting" "$data/sigma/rules-placeholder"; done

echo "== Sigma hunt over EVTX (all SigmaHQ Windows rules) =="
for i in 1 2 3; do "$hb" sigma "$data/sigma/rules/windows" "$work/big.evtx"; done

echo "== JSON lines (OTRF, unzipped) =="
for i in 1 2 3; do "$hb" parse "$work/otrf.jsonl"; done
for i in 1 2; do "$hb" sigma "$data/sigma/rules/windows" "$work/otrf.jsonl"; done

echo "== IOC: 1M indicators; 120k IPs vs rg -F -f / grep -F -f on the same text =="
for i in 1 2 3; do "$hb" ioc "$work/ioc-1m.txt" "$work/otrf.jsonl"; done
for i in 1 2; do "$hb" ioc "$work/ipsum-ips.txt" "$work/otrf.jsonl"; done
echo "rg_F_f_ips_cpu_s=$(timeit rg -j1 -F -c -f "$work/ipsum-ips.txt" "$work/otrf.jsonl")"
echo "grep_F_f_ips_cpu_s=$(timeit grep -F -c -f "$work/ipsum-ips.txt" "$work/otrf.jsonl")"
echo "rg_lines=$(rg -F -c -f "$work/ipsum-ips.txt" "$work/otrf.jsonl" || true)"

echo "== Both cores: the CLI hunt with --threads 1 and 2 (all Windows rules, 1M IOCs) =="
# Wall time is what two threads can win; on a loaded machine it says more
# about the neighbours (load average is printed), CPU time stays comparable.
uptime
for input in big.evtx otrf.jsonl; do
    for t in 1 2; do
        /usr/bin/time -f "cli_threads=$t input=$input wall_s=%e user_s=%U sys_s=%S maxrss_kb=%M" \
            "$build/csirt" hunt --quiet --threads $t --format jsonl \
            --rules "$data/sigma/rules/windows" --ioc "$work/ioc-1m.txt" \
            "$work/$input" > "$work/out-$t.jsonl"
    done
    if cmp -s "$work/out-1.jsonl" "$work/out-2.jsonl"; then
        echo "same_output_$input=yes hits=$(wc -l < "$work/out-1.jsonl")"
    else
        echo "same_output_$input=NO"
    fi
done

echo "== Memory: 1.24 GB of JSON lines (otrf.jsonl twice), all Windows rules, 1M IOCs =="
cat "$work/otrf.jsonl" "$work/otrf.jsonl" > "$work/otrf2x.jsonl"
/usr/bin/time -f "big_input_bytes=$(wc -c < "$work/otrf2x.jsonl") wall_s=%e user_s=%U sys_s=%S maxrss_kb=%M" \
    "$build/csirt" hunt --quiet --format jsonl --rules "$data/sigma/rules/windows" \
    --ioc "$work/ioc-1m.txt" "$work/otrf2x.jsonl" > "$work/out-2x.jsonl"
echo "big_input_hits=$(wc -l < "$work/out-2x.jsonl")"
rm -f "$work/otrf2x.jsonl" "$work/out-2x.jsonl" "$work/out-1.jsonl" "$work/out-2.jsonl"

echo "== YARA: signature-base rules over 6 binaries: csirt (2 threads) vs yara CLI (-p 2) =="
# A fixed sample (29 MB): the whole of /usr/bin took minutes per run here.
mkdir -p "$work/ybin"
for f in gdb perl5.36.0 python3.11 git ssh vim.basic; do
    [ -f "/usr/bin/$f" ] && cp "/usr/bin/$f" "$work/ybin/"
done
rules=$(find "$data/yara/yara" -name '*.yar' | sort)
ext="-d filename= -d filepath= -d extension= -d filetype= -d owner="
echo "csirt_yara_cpu_s=$(timeit "$build/csirt" hunt --quiet --format jsonl --yara-cache none \
    --yara "$data/yara/yara" "$work/ybin")"
echo "yara_cli_cpu_s=$(timeit yara -w -r -p 2 $ext $rules "$work/ybin")"
rm -f "$work/yara.cache"
"$build/csirt" hunt --quiet --format jsonl --yara-cache "$work/yara.cache" \
    --yara "$data/yara/yara" "$work/ybin" > /dev/null || true
echo "csirt_yara_cached_rerun_cpu_s=$(timeit "$build/csirt" hunt --quiet --format jsonl \
    --yara-cache "$work/yara.cache" --yara "$data/yara/yara" "$work/ybin")"
