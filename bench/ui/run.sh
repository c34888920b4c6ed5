#!/bin/sh
# Web interface benchmark: the dashboard's first load (bytes on the wire,
# time until usable) and the incident list with N stored incidents (default
# 100000), in Debian's headless Chromium against the real server.
# Usage: bench/ui/run.sh [N]    (from the project root, after make build)
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-100000}
if [ ! -d "$root/tests/e2e/node_modules/playwright-core" ]; then
	(cd "$root/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
command -v sqlite3 >/dev/null || { echo "bench/ui: needs sqlite3 (apt-get install sqlite3)"; exit 1; }
exec node "$root/bench/ui/bench.mjs" "$root/build/csirt" "$n"
