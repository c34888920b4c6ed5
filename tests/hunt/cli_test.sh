#!/bin/sh
# cli_test.sh CSIRT TESTDIR - csirt hunt end to end on synthetic EVTX.
set -eu
csirt=$1
dir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# jsonl: one object per hit with the contract's keys
"$csirt" hunt --quiet --format jsonl --rules "$dir/corpus/sigma/basic.yml" \
    "$dir/data/small.evtx" > "$tmp/out.jsonl" || fail "exit status $?"
[ "$(wc -l < "$tmp/out.jsonl")" -eq 1 ] || fail "want 1 hit, got $(wc -l < "$tmp/out.jsonl")"
for k in rule_id title level time host source record; do
    grep -q "\"$k\":" "$tmp/out.jsonl" || fail "jsonl lacks $k"
done
grep -q '"rule_id":"0b5e5f1c-1111-4222-8333-944455556666"' "$tmp/out.jsonl" || fail "rule id"
grep -q '"host":"host1.example.vn"' "$tmp/out.jsonl" || fail "host"
grep -q '"record":1' "$tmp/out.jsonl" || fail "record"

# csv: header plus one row; same bytes on a second run (deterministic)
"$csirt" hunt --quiet --format csv --rules "$dir/corpus/sigma" "$dir/data" > "$tmp/a.csv"
"$csirt" hunt --quiet --format csv --rules "$dir/corpus/sigma" "$dir/data" > "$tmp/b.csv"
cmp -s "$tmp/a.csv" "$tmp/b.csv" || fail "csv differs between runs"
head -1 "$tmp/a.csv" | grep -q '^time,level,rule_id,title' || fail "csv header"

# two threads give the same bytes as one (each window split between them)
printf 'cmd.exe\nwhoami.exe\n' > "$tmp/ioc2.txt"
"$csirt" hunt --quiet --threads 1 --format jsonl --rules "$dir/corpus/sigma" \
    --ioc "$tmp/ioc2.txt" "$dir/data" "$dir/corpus/jsonl" > "$tmp/t1.jsonl" 2>/dev/null || true
"$csirt" hunt --quiet --threads 2 --format jsonl --rules "$dir/corpus/sigma" \
    --ioc "$tmp/ioc2.txt" "$dir/data" "$dir/corpus/jsonl" > "$tmp/t2.jsonl" 2>/dev/null || true
[ -s "$tmp/t1.jsonl" ] || fail "no hits to compare between thread counts"
cmp -s "$tmp/t1.jsonl" "$tmp/t2.jsonl" || fail "--threads 2 differs from --threads 1"

# pretty-printed JSON (read as one part, it cannot be cut at lines) is hunted
# the same with two threads: it once went to the caller's context instead of
# the first part's, and gave no hit at all
cat > "$tmp/pretty.json" <<'EOF2'
{
  "EventID": 1,
  "Channel": "Microsoft-Windows-Sysmon/Operational",
  "Image": "C:\\Windows\\System32\\cmd.exe",
  "CommandLine": "cmd.exe /c whoami",
  "User": "bob"
}
EOF2
for t in 1 2; do
    "$csirt" hunt --quiet --threads $t --format jsonl \
        --rules "$dir/corpus/sigma/basic.yml" "$tmp/pretty.json" > "$tmp/p$t.jsonl"
    [ "$(wc -l < "$tmp/p$t.jsonl")" -eq 1 ] ||
        fail "pretty JSON with --threads $t: $(wc -l < "$tmp/p$t.jsonl") hits, want 1"
done

# table with a summary on stderr naming the rejected rule and its reason
"$csirt" hunt --format table --rules "$dir/corpus/sigma" "$dir/data/small.evtx" \
    > "$tmp/t.txt" 2> "$tmp/t.err"
grep -q 'Suspicious whoami' "$tmp/t.txt" || fail "table lacks the hit"
grep -q 'not usable: .*modifiers.yml' "$tmp/t.err" || fail "reject not reported"
grep -q 'by level: critical 0, high 1' "$tmp/t.err" || fail "summary by level"

# IOCs from a list; stdin input
printf 'cmd.exe\n' > "$tmp/ioc.txt"
"$csirt" hunt --quiet --format jsonl --ioc "$tmp/ioc.txt" - < "$dir/data/small.evtx" \
    > "$tmp/ioc.jsonl"
grep -q '"engine":"ioc"' "$tmp/ioc.jsonl" || fail "ioc hit missing"

# a correlation decided at the end of its window reports when the input ends;
# a placeholder resolved from --placeholders
cat > "$tmp/corr.yml" <<'EOF2'
title: Rare whoami
id: c0ffee00-0000-4000-8000-000000000001
correlation:
  type: event_count
  rules: [0b5e5f1c-1111-4222-8333-944455556666]
  group-by: [Computer]
  timespan: 1h
  condition: {lt: 5}
---
title: Tool by placeholder
id: c0ffee00-0000-4000-8000-000000000002
logsource: {product: windows, category: process_creation}
detection:
  s:
    Image|expand|endswith: '%Tools%'
  condition: s
EOF2
printf 'placeholders:\n  Tools: [\\cmd.exe, \\nothing.exe]\n' > "$tmp/ph.yml"
"$csirt" hunt --quiet --format jsonl --placeholders "$tmp/ph.yml" \
    --rules "$dir/corpus/sigma/basic.yml" --rules "$tmp/corr.yml" \
    "$dir/data/small.evtx" > "$tmp/corr.jsonl" || fail "corr exit status"
grep -q '"rule_id":"c0ffee00-0000-4000-8000-000000000001".*"event_count":"1"' \
    "$tmp/corr.jsonl" || fail "window-end correlation hit missing"
grep -q '"rule_id":"c0ffee00-0000-4000-8000-000000000002"' "$tmp/corr.jsonl" \
    || fail "placeholder rule did not fire"
"$csirt" hunt --quiet --format jsonl --rules "$tmp/corr.yml" \
    "$dir/data/small.evtx" 2>&1 >/dev/null | grep -q . && fail "quiet printed"
CSIRT_HUNT_REJECTS=1 "$csirt" hunt --quiet --format jsonl --rules "$tmp/corr.yml" \
    "$dir/data/small.evtx" 2>&1 >/dev/null | grep -q 'placeholder %Tools%' \
    || fail "unknown placeholder not reported"

# usage errors exit 2, unreadable rules exit 1
set +e
"$csirt" hunt "$dir/data/small.evtx" 2>/dev/null; [ $? -eq 2 ] || fail "usage status"
"$csirt" hunt --rules /nonexistent "$dir/data/small.evtx" 2>/dev/null; [ $? -eq 1 ] || fail "load status"
echo "cli ok"
