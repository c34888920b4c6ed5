#!/bin/sh
# Foundation benchmarks (issue: list >= 10,000 req/s with p99 <= 10 ms on
# 100,000 incidents; create >= 1,000/s durable; full-text search <= 50 ms;
# idle RSS <= 30 MB). The machine is shared and noisy, so the list page is
# measured side by side with nginx serving a static file of the same size,
# with the same wrk settings, in the same run: the ratio is the result.
# usage: sh bench/api/run.sh [N]   (N incidents, default 100000)
set -eu
cd "$(dirname "$0")/../.."
N=${1:-100000}
OUT=bench/out/api
BIN=${BIN:-build/csirt}
mkdir -p "$OUT"
DATA=${DATA:-$OUT/data-$N}
if [ ! -f "$DATA/csirt.db" ]; then
	echo "seeding $N incidents into $DATA (bulk load, once)"
	${SEED:-build/bench/bench_seed} "$DATA" "$N" 2>/dev/null
fi
PORT=18443
TOKEN=$($BIN user token admin "bench-$$" --data "$DATA" 2>/dev/null | tail -1)
$BIN serve --listen 127.0.0.1:$PORT --data "$DATA" >"$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; [ -n "${NGPID:-}" ] && kill $NGPID 2>/dev/null; true' EXIT
sleep 1
RSS_IDLE=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
URL="http://127.0.0.1:$PORT/api/incidents?per_page=25"
curl -s -H "Authorization: Bearer $TOKEN" "$URL" > "$OUT/page.json"
# The peer baseline: nginx serving the same bytes as a static file.
NG=$OUT/nginx
mkdir -p "$NG/www"
cp "$OUT/page.json" "$NG/www/page.json"
cat > "$NG/conf" <<NGX
pid $PWD/$NG/pid; error_log $PWD/$NG/err; worker_processes 1;
events {} http { access_log off; server { listen 127.0.0.1:18444; root $PWD/$NG/www; } }
NGX
nginx -c "$PWD/$NG/conf" -p "$PWD/$NG" && NGPID=$(cat "$NG/pid")
sleep 0.5
echo "== list page (25 of $N incidents, $(wc -c < "$OUT/page.json") bytes): csirt"
wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $TOKEN" "$URL" | tee "$OUT/wrk-list.txt" | grep -E 'Requests/sec|99%|50%'
echo "== same bytes from nginx (static file), same wrk settings"
wrk -t2 -c32 -d10s --latency "http://127.0.0.1:18444/page.json" | tee "$OUT/wrk-nginx.txt" | grep -E 'Requests/sec|99%|50%'
kill "$NGPID" 2>/dev/null || true
NGPID=
echo "== full-text search (folded, prefix terms), 20 runs each"
for q in "su%20co%20ma%20doc" "thay%20doi%20giao%20dien" "benh%20vien" "dak%20lak%20may%20chu"; do
	for i in $(seq 20); do
		curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
		    "http://127.0.0.1:$PORT/api/incidents?q=$q&per_page=25"
	done | sort -n | awk -v q="$q" '{a[NR]=$1} END {printf "q=%s median %.1f ms max %.1f ms\n", q, a[int(NR/2)+1]*1000, a[NR]*1000}'
done | tee "$OUT/fts.txt"
echo "== creating incidents (durable: WAL, synchronous=FULL), 8 connections"
CSIRT_TOKEN=$TOKEN wrk -t2 -c8 -d10s -s bench/api/create.lua "http://127.0.0.1:$PORT" | tee "$OUT/wrk-create.txt" | grep -E 'Requests/sec|non-201|99%'
RSS_AFTER=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
echo "== resident memory: idle ${RSS_IDLE} kB, after the runs ${RSS_AFTER} kB"
