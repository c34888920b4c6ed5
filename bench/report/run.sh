#!/bin/sh
# Report engine benchmark: time and peak memory to produce the quarterly
# report (4 charts, 10 tables) and Form 03 as PDF with `csirt report`, side
# by side with the peer a user would otherwise reach for: LibreOffice
# headless converting the same document (our DOCX) to PDF. Both run in the
# same invocation on the same machine; the ratio is what to read (the
# machine is shared: 2 cores).
#
# usage: sh bench/report/run.sh [RUNS]   (from the project root, after make build)
set -eu
runs=${1:-10}
csirt=${CSIRT:-build/csirt}
data=tests/report/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# mean seconds per run of "$@", run $runs times
timeit() {
	n=$1; shift
	t0=$(now)
	i=0
	while [ $i -lt "$n" ]; do "$@" >/dev/null 2>&1; i=$((i + 1)); done
	t1=$(now)
	echo "$t0 $t1 $n" | awk '{ printf "%.4f", ($2 - $1) / $3 }'
}

peak_kb() {
	/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
}

for kind in quarterly form03; do
	in=$data/$kind.json
	if [ "$kind" = form03 ]; then in=$data/incident.json; fi
	"$csirt" report $kind --input "$in" -o "$tmp/$kind.docx"
	c=$(timeit "$runs" "$csirt" report $kind --input "$in" -o "$tmp/$kind.pdf")
	cm=$(peak_kb "$csirt" report $kind --input "$in" -o "$tmp/$kind.pdf")
	lo_runs=$(( runs < 5 ? runs : 5 ))
	l=$(timeit "$lo_runs" env HOME="$tmp/home" libreoffice --headless \
	    --convert-to pdf --outdir "$tmp/lo" "$tmp/$kind.docx")
	lm=$(peak_kb env HOME="$tmp/home" libreoffice --headless \
	    --convert-to pdf --outdir "$tmp/lo" "$tmp/$kind.docx")
	echo "$kind $c $cm $l $lm" | awk '{ printf "%-10s csirt PDF %.3f s, %d KiB peak | LibreOffice DOCX->PDF %.3f s, %d KiB peak | time ratio %.1fx, memory ratio %.1fx\n", $1, $2, $3, $4, $5, $4 / $2, $5 / $3 }'
done
