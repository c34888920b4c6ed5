#!/bin/sh
# Scan benchmarks, side by side with nmap in the same run (the machine is
# shared and noisy: compare the ratios, and CPU seconds, not absolute wall
# times). Needs root (services on loopback), nmap, and a built tree.
#
# usage: sh bench/scan/run.sh [all|fingerprint|sweep|match|parsers|version]
# Results go to stdout; docs/BENCHMARKS-scan.md records them with this command.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
what=${1:-all}
build=${BUILD:-$root/build}
shared=${SHARED_DATA:-$root/../shared/data}
work=$(mktemp -d /tmp/csirt-scan-bench.XXXXXX)
chmod 755 "$work"
trap 'sh "$root/tests/scan/services.sh" stop "$work/svc" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

if [ "$what" = all ] || [ "$what" = fingerprint ] || [ "$what" = sweep ]; then
	sh "$root/tests/scan/services.sh" start "$work/svc"
	/usr/bin/python3 "$root/bench/scan/compare.py" "$build/csirt" "$work/svc/services.txt" "$what"
fi

if [ "$what" = all ] || [ "$what" = match ]; then
	gcc -O2 -D_GNU_SOURCE -I"$root/include" -I"$root/src" "$root/bench/scan/bench_match.c" \
		"$build/libcsirt.a" -o "$work/bench_match" -ljansson -lpcre2-8 -lssl -lcrypto -lsimdjson -lstdc++ -lm -lpthread
	/usr/bin/python3 "$root/bench/scan/gen_cves.py" "$shared/vuln/cve5" "$work/cves" 100000
	echo "== import 100,000 generated CVE 5 records ($(du -sh "$work/cves" | cut -f1)) + real data, then match 10,000 components"
	"$work/bench_match" 10000 "$work/cves" "$shared/vuln"
fi

if [ "$what" = all ] || [ "$what" = parsers ]; then
	[ -d "$work/cves" ] || /usr/bin/python3 "$root/bench/scan/gen_cves.py" "$shared/vuln/cve5" "$work/cves" 100000
	gcc -O2 "$root/bench/scan/parse_jansson.c" -o "$work/parse_jansson" -ljansson
	g++ -O2 "$root/bench/scan/parse_simdjson.cpp" -o "$work/parse_simdjson" -lsimdjson
	echo "== JSON parsers on the generated corpus (jansson on the first 20 files: it is slow)"
	"$work/parse_jansson" $(ls "$work"/cves/*.json | head -20)
	"$work/parse_simdjson" "$work"/cves/*.json
fi

if [ "$what" = all ] || [ "$what" = version ]; then
	echo "== version ordering: 1.1 million random pairs per scheme against libdpkg and librpm"
	"$build/tests/scan/test_version_diff" 1100000 7 300
fi
