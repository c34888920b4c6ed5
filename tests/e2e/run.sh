#!/bin/sh
# Runs the end-to-end tests of the web interface in Debian's headless
# Chromium against the real csirt binary (passed by meson as $1).
# Skips (77) only when chromium or node is missing and CI is not "true".
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:?usage: run.sh path/to/csirt}
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing node"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	if [ "${CI:-}" = "true" ]; then
		echo "e2e: missing:$missing (CI=true, so this is a failure)" >&2
		exit 1
	fi
	echo "e2e: SKIPPED, missing:$missing (install with: make deps)"
	exit 77
fi
# A fresh clone has no node_modules: install exactly what package-lock.json pins.
if [ ! -d "$here/node_modules/playwright-core" ]; then
	echo "e2e: npm ci (playwright-core, pinned by package-lock.json)"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi
# Each scenario (e2e*.mjs) is its own process with its own server and browser.
rm -rf "$here/screenshots"
rc=0
for scenario in "$here"/e2e*.mjs; do
	echo "e2e: $(basename "$scenario")"
	node "$scenario" "$bin" || rc=1
done
exit $rc
