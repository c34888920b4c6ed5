#!/bin/sh
# Fails when a banned C function (unbounded copies, atoi-style parsing that
# hides errors, non-reentrant tokenisers) appears in csirt's own sources.
root=${1:-.}
hits=$(grep -rnE '\b(strcpy|strcat|strncpy|strncat|sprintf|vsprintf|gets|atoi|atol|atoll|strtok)\s*\(' \
	"$root/src" "$root/include" --include='*.c' --include='*.h' | grep -vE '(snprintf|vsnprintf)\s*\(' )
if [ -n "$hits" ]; then
	echo "banned functions used:"
	echo "$hits"
	exit 1
fi
exit 0
