#!/bin/sh
# bench/huntweb/run.sh - a hunt started through the web API side by side
# with `csirt hunt` on the same log and rules, in one run: CPU seconds of
# the CLI against CPU seconds the server spent on the upload and the hunt
# (the worker's slicing, the alerts and the activity included), wall time
# from the first byte uploaded to "done", and peak resident memory.
# Usage: sh bench/huntweb/run.sh [BUILD_DIR]   (from the project root; needs
# ../shared/data). Prints key=value lines; docs/BENCHMARKS-huntweb.md has
# the results.
set -eu
build=${1:-build}
exec python3 bench/huntweb/bench_web_hunt.py "$build/csirt" ../shared/data \
    "${TMPDIR:-/tmp}/csirt-huntweb-bench"
