#!/usr/bin/python3
"""Adds up the results of the Meson test logs of the given build folders and
prints one closing line, 'N passed, N failed', the form CI reads. Exits 1
when any test failed or when no test ran at all (a suite that runs nothing
must not look green)."""
import json
import sys

passed = failed = skipped = 0
for build in sys.argv[1:]:
    try:
        with open(f"{build}/meson-logs/testlog.json", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                res = r.get("result")
                if res in ("OK", "EXPECTEDFAIL"):
                    passed += 1
                elif res == "SKIP":
                    skipped += 1
                else:
                    failed += 1
                    print(f"FAILED: {build}: {r.get('name')} ({res})")
    except FileNotFoundError:
        print(f"no test log in {build}")
        failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
