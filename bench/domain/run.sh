#!/bin/sh
# Domain benchmark: the deadline calculus against numpy.busday_offset (the
# well-kept library for business-day arithmetic), same anchors, same days
# off, in the same run. Results go to stdout; copy them with this command
# into docs/BENCHMARKS-domain.md. The peer needs python3-numpy (Debian), a
# benchmark-only dependency left out of scripts/packages.  usage: sh bench/domain/run.sh [BUILD_DIR]
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
ninja -C "$build" >/dev/null
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -std=c11 -D_GNU_SOURCE -Iinclude -Isrc bench/domain/bench_deadline.c \
    "$build/libcsirt.a" $(pkg-config --cflags --libs jansson) -lpthread -lm \
    -o "$out/bench_deadline"
echo "== csirt (C, one core)"
"$out/bench_deadline"
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
	echo "== peer skipped: numpy is missing (apt-get install python3-numpy)"
	exit 0
fi
echo "== numpy $(/usr/bin/python3 -c 'import numpy; print(numpy.__version__)') (one core)"
/usr/bin/python3 bench/domain/numpy_busday.py data/calendar/vn-days-off.json 2000000 "$out/numpy.txt"
"$out/bench_deadline" --dump 2000000 > "$out/csirt.txt"
diff=$(paste -d' ' "$out/csirt.txt" "$out/numpy.txt" | awk '$1 != $2' | wc -l)
uniq=$(paste -d' ' "$out/csirt.txt" "$out/numpy.txt" | awk '$1 != $2' | sort -u | wc -l)
echo "== agreement: $diff of 2000000 results differ ($uniq distinct csirt/numpy result pairs);"
echo "   numpy cannot make a Saturday a working day (swaps), csirt can"
paste -d' ' "$out/csirt.txt" "$out/numpy.txt" | awk '$1 != $2' | sort -u
