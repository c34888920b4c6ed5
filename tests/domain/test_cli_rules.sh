#!/bin/sh
# `csirt rules`: the list, a pack check (valid and broken files), and the
# deadlines it prints for two incidents. usage: test_cli_rules.sh CSIRT SRCROOT
set -u
csirt=$1
root=$2
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

check() {	# description, expected exit status, command...
	desc=$1; want=$2; shift 2
	"$@" >"$out" 2>&1
	got=$?
	if [ "$got" -ne "$want" ]; then
		echo "FAIL: $desc: exit $got, expected $want"; cat "$out"; fail=1
	fi
}
has() {		# description, text the last output must contain
	if ! grep -qF -- "$2" "$out"; then
		echo "FAIL: $1: output lacks '$2'"; cat "$out"; fail=1
	fi
}

check "list" 0 "$csirt" rules list
has "list" "vn-2017  valid from 2017-11-01"
has "list" "vn2026-06"
check "show pack" 0 "$csirt" rules show vn-2026 --lang vi
has "show pack" "không định nghĩa"
check "show rule" 0 "$csirt" rules show vn2017-closure-report
has "show rule" "Form 04"
check "show unknown" 1 "$csirt" rules show nothing
check "show json" 0 "$csirt" rules show vn-2017 --json
has "show json" '"id": "vn-2017"'
# The JSON a province copies is itself a valid pack.
"$csirt" rules show vn-2026 --json > "$out.pack.json"
check "show json round trip" 0 "$csirt" rules check "$out.pack.json"
rm -f "$out.pack.json"
check "check shipped pack" 0 "$csirt" rules check "$root/data/rules/vn-2017.json"
has "check shipped pack" "valid rule pack vn-2017"
check "check broken pack" 1 "$csirt" rules check "$root/tests/domain/data/bad-unit.json"
has "check broken pack" 'bad-unit.json: $.rules[0].duration: unknown unit "fortnights"'
check "check missing file" 1 "$csirt" rules check "$root/tests/domain/data/none.json"
check "deadlines 2026" 0 "$csirt" rules deadlines --detected 2026-08-20T10:00 --beyond-capacity
has "deadlines 2026" "pack vn-2026"
has "deadlines 2026" "vn2026-06                  2026-08-23T10:00:00+07:00 due"
has "deadlines 2026" "vn2026-07                  -                         undefined"
has "deadlines 2026" "vn2026-10                  immediately"
check "deadlines 2017" 0 "$csirt" rules deadlines --detected 2025-04-28T15:00 --json
has "deadlines 2017" '"due_local": "2025-05-03T23:59:59+07:00"'
check "deadlines working days" 0 "$csirt" rules deadlines --detected 2027-03-01T08:00 \
    --file "$root/tests/domain/data/province-2026.json"
has "deadlines working days" "unknown"
check "deadlines bad time" 2 "$csirt" rules deadlines --detected 2026-02-30T10:00
check "deadlines no time" 2 "$csirt" rules deadlines --serious
check "deadlines too early" 1 "$csirt" rules deadlines --detected 2010-01-01
check "serious 2017" 0 "$csirt" rules serious --detected 2025-03-01 --level 4 \
    --impact loss_of_control --owner-cannot-handle
has "serious 2017" "serious (pack vn-2017, rule qd05-art9"
has "serious 2017" "held: impact_loss_of_control"
check "serious 2017 level 3" 0 "$csirt" rules serious --pack vn-2017 --level 3 \
    --impact loss_of_control --owner-cannot-handle
has "serious 2017 level 3" "normal (pack vn-2017"
check "serious 2026" 0 "$csirt" rules serious --detected 2026-08-20 --level 5 \
    --impact service_disruption --owner-cannot-handle --lang vi
has "serious 2026" "undefined (pack vn-2026"
has "serious 2026" "không định nghĩa"
check "serious bad level" 2 "$csirt" rules serious --level 7
check "serious bad impact" 2 "$csirt" rules serious --level 4 --impact boredom
check "no subcommand" 2 "$csirt" rules
exit $fail
