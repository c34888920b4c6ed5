#!/bin/sh
# Builds every fuzz target with clang's libFuzzer (and ASan+UBSan) and runs
# each for FUZZ_SECONDS (default 60), starting from its seed corpus.
# Separate from `make test`: long fuzzing runs are their own target.
set -eu
cd "$(dirname "$0")/../.."
sh scripts/deps.sh
# A folder set up before the library had C++ parts may hold g++ as its
# C++ compiler, which cannot link -fsanitize=fuzzer: set it up again with
# clang++, keeping the corpora grown so far.
log=build-fuzz/meson-logs/meson-log.txt
if [ -f build-fuzz/build.ninja ] &&
    ! grep -q 'C++ compiler for the host machine: clang++' "$log" 2>/dev/null; then
	[ -d build-fuzz/corpus ] && mv build-fuzz/corpus build-fuzz-corpus.keep
	rm -rf build-fuzz
	mkdir -p build-fuzz
	[ -d build-fuzz-corpus.keep ] && mv build-fuzz-corpus.keep build-fuzz/corpus
fi
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang CXX=clang++ meson setup build-fuzz --buildtype=debugoptimized \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dfuzzing=true
fi
ninja -C build-fuzz
secs=${FUZZ_SECONDS:-60}
for exe in build-fuzz/tests/libfuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=$(basename "$exe" | sed 's/^libfuzz_//')
	corpus=$(cat "build-fuzz/tests/corpus_$name.path")
	work=build-fuzz/corpus/$name
	mkdir -p "$work"
	echo "== fuzzing $name for ${secs}s (seeds: $corpus)"
	"$exe" -max_total_time="$secs" -max_len=1048576 "$work" "$corpus"
done
