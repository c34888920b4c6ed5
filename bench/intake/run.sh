#!/bin/sh
# E-mail intake benchmark: csirt against Python's standard e-mail parser, side
# by side in the same run. Usage: sh bench/intake/run.sh [small_runs] [big_runs]
set -eu
cd "$(dirname "$0")/../.."
[ -x build/csirt ] || make build
/usr/bin/python3 bench/intake/bench.py build/csirt "${1:-100}" "${2:-5}"
