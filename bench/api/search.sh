#!/bin/sh
# Full-text search latency of one or more builds on the same database,
# alternated: each build is started fresh (cold connections), and every
# query is asked 20 times; the first answers are the cold ones.
# usage: sh bench/api/search.sh DATA BIN...   (DATA seeded by run.sh)
set -eu
DATA=$1
shift
PORT=18445
for round in 1 2; do
	for BIN in "$@"; do
		TOKEN=$($BIN user token admin "search-$$-$round" --data "$DATA" 2>/dev/null | tail -1)
		$BIN serve --listen 127.0.0.1:$PORT --data "$DATA" >/dev/null 2>&1 &
		PID=$!
		sleep 1
		for q in "su%20co%20ma%20doc" "thay%20doi%20giao%20dien" "benh%20vien" "dak%20lak%20may%20chu"; do
			for i in $(seq 20); do
				curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
				    "http://127.0.0.1:$PORT/api/incidents?q=$q&per_page=25"
			done | sort -n | awk -v q="$q" -v b="$BIN" -v r="$round" '{a[NR]=$1}
			    END {printf "round %s %s q=%s median %.1f ms max %.1f ms\n", r, b, q, a[int(NR/2)+1]*1000, a[NR]*1000}'
		done
		kill $PID
		wait $PID 2>/dev/null || true
	done
done
