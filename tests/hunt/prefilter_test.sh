#!/bin/sh
# prefilter_test.sh CSIRT TESTDIR SHARED_DATA SUBDIR - the literal prefilter
# (src/hunt/sigma_prefilter.c) only chooses which rules to evaluate, so the
# hunt's output must be the same bytes with it off (CSIRT_HUNT_NO_PREFILTER=1:
# every rule of the event's channel and event ID is evaluated) and on, both
# with a freshly compiled prefilter and with the one loaded from the cache.
# All SigmaHQ Windows rules, an IOC list whose values occur in the data, and
# ipsum's IP list, over every file of SHARED_DATA/SUBDIR (evtx or jsonl).
set -eu
csirt=$1
dir=$2
data=$3
sub=$4
if [ ! -d "$data/$sub" ] || [ ! -d "$data/sigma/rules/windows" ]; then
    if [ "${CI:-}" = "true" ]; then
        echo "FAIL: shared data $data/$sub is missing (CI=true)"
        exit 1
    fi
    echo "SKIP: shared data $data/$sub is missing"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

hunt() { # OUT [ENV...]: one hunt, cache under $tmp (HOME)
    out=$1
    shift
    env HOME="$tmp" "$@" "$csirt" hunt --quiet --threads 2 --format jsonl \
        --rules "$data/sigma/rules/windows" --ioc "$dir/data/prefilter-iocs.txt" \
        --ioc "$data/ioc/ipsum.txt" "$data/$sub" > "$out" 2> "$tmp/err" ||
        fail "exit status $? ($(head -3 "$tmp/err"))"
}

hunt "$tmp/off.jsonl" CSIRT_HUNT_NO_PREFILTER=1
hunt "$tmp/cold.jsonl"
ls "$tmp/.cache/csirt/" | grep -q '^sigma-prefilter-.*\.hsdb$' ||
    fail "no compiled prefilter in the cache"
hunt "$tmp/warm.jsonl"

sigma=$(grep -c '"engine":"sigma"' "$tmp/off.jsonl" || true)
ioc=$(grep -c '"engine":"ioc"' "$tmp/off.jsonl" || true)
[ "$sigma" -gt 100 ] || fail "only $sigma Sigma hits without the prefilter"
[ "$ioc" -gt 10 ] || fail "only $ioc IOC hits: the IOC list no longer meets the data"
cmp "$tmp/off.jsonl" "$tmp/cold.jsonl" || fail "prefilter (compiled) changes the output"
cmp "$tmp/off.jsonl" "$tmp/warm.jsonl" || fail "prefilter (from the cache) changes the output"
echo "ok: $sigma Sigma and $ioc IOC hits, same bytes with and without the prefilter"
