#!/bin/sh
# Runs every area's benchmark (bench/<area>/run.sh) one after the other:
# never in parallel, the machine has two cores. Results and the commands
# that produced them are recorded in docs/BENCHMARKS.md.
# usage: sh bench/run.sh [AREA...]
set -eu
cd "$(dirname "$0")/.."
areas=${*:-$(ls -d bench/*/ | xargs -n1 basename)}
for a in $areas; do
	if [ -x "bench/$a/run.sh" ] || [ -f "bench/$a/run.sh" ]; then
		echo "######## $a"
		sh "bench/$a/run.sh"
	fi
done
