#!/bin/sh
# Installs the Debian packages csirt needs, and nothing else. Idempotent:
# packages already present are left alone, so a second run costs one dpkg
# query. Lists live in scripts/packages/: <area>.txt for building and
# running, <area>-test.txt for the tests and benchmarks only (real services
# for the scanner, a browser for the UI, peer tools...).
#   sh scripts/deps.sh          what `make run` needs
#   sh scripts/deps.sh --test   plus what `make test` needs
set -eu
here=$(dirname "$0")
lists=$(ls "$here"/packages/*.txt | grep -v -- '-test\.txt$' || true)
if [ "${1:-}" = "--test" ]; then
	lists="$lists $(ls "$here"/packages/*-test.txt 2>/dev/null || true)"
fi
# shellcheck disable=SC2086
wanted=$(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=""
for p in $wanted; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# npm: part of NodeSource's nodejs, a separate package on stock Debian
# (where installing it next to NodeSource's nodejs would fail).
if [ "${1:-}" = "--test" ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing npm"
fi
if [ -z "$missing" ]; then
	exit 0
fi
echo "deps: installing:$missing"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
