#!/bin/sh
# bench/hunt/throughput.sh - the whole `csirt hunt` on 2 threads, once
# started: all SigmaHQ Windows rules and one million IOCs loaded, the same
# input at two sizes (x and 4x EVTX, x and 2x JSON lines), so that
#   MB/s once started = (big - small) / (wall(big) - wall(small))
# leaves out the start-up (rules, IOCs: printed on its own, no input).
# Usage: sh bench/hunt/throughput.sh [BUILD_DIR] [ROUNDS]   (project root)
# Wall times depend on the neighbours (load average printed each round);
# rounds alternate the inputs and the best wall time of each is used.
# Each run's own summary also says how long the logs took once the rules
# and IOCs were loaded ("logs S s: R MB/s"): one measurement instead of a
# difference of two, so less sensitive to the neighbours; its best is
# printed as "logs MB/s".
set -eu
build=${1:-build}
rounds=${2:-3}
data=../shared/data
work=${TMPDIR:-/tmp}/csirt-hunt-bench
mkdir -p "$work"
python3 bench/hunt/make_inputs.py "$data" "$work"
hunt() { # THREADS INPUT -> "wall user sys logs_MB/s"
    /usr/bin/time -f "%e %U %S" "$build/csirt" hunt --threads "$1" \
        --format jsonl --rules "$data/sigma/rules/windows" \
        --ioc "$work/ioc-1m.txt" "$2" 2>"$work/tp-err.txt" >/dev/null
    echo "$(tail -1 "$work/tp-err.txt") $(sed -n 's/.*logs [0-9.]* s: \([0-9]*\) MB.s.*/\1/p' \
        "$work/tp-err.txt" | tail -1)"
}
best() { sort -n | head -1; }
for t in 2 1; do
    : > "$work/tp-$t.txt"
    for r in $(seq "$rounds"); do
        echo "round $r threads $t $(uptime | sed 's/.*load/load/')"
        for f in /dev/null big.evtx big4x.evtx otrf.jsonl otrf2x.jsonl; do
            p=$f; [ "$f" = /dev/null ] || p="$work/$f"
            set -- $(hunt "$t" "$p")
            echo "$(basename "$f") $1 $2 $3 ${4:-0}" >> "$work/tp-$t.txt"
            echo "  threads=$t input=$(basename "$f") wall_s=$1 user_s=$2 sys_s=$3 logs_MBps=${4:-0}"
        done
    done
    for pair in "big.evtx big4x.evtx" "otrf.jsonl otrf2x.jsonl"; do
        set -- $pair
        small=$(grep "^$1 " "$work/tp-$t.txt" | awk '{print $2}' | best)
        big=$(grep "^$2 " "$work/tp-$t.txt" | awk '{print $2}' | best)
        bytes=$(( $(wc -c < "$work/$2") - $(wc -c < "$work/$1") ))
        echo "threads=$t $1->$2: best wall $small s -> $big s;" \
            "once started $(echo "$bytes $small $big" |
            awk '{ printf "%.0f", $1 / ($3 - $2) / 1e6 }') MB/s;" \
            "logs MB/s (best) $(grep "^$1 " "$work/tp-$t.txt" |
            awk '{print $5}' | sort -n | tail -1) and" \
            "$(grep "^$2 " "$work/tp-$t.txt" | awk '{print $5}' | sort -n |
            tail -1)"
    done
    echo "threads=$t start-up (no input): best wall" \
        "$(grep '^null ' "$work/tp-$t.txt" | awk '{print $2}' | best) s"
done
