#!/usr/bin/env python3
"""json_runs.py FILE [BYTES] - how often a JSON string scan stops: the
strings (keys too) and escapes in the first BYTES (default 50 MB) of a JSON
lines file, and the raw string bytes per stop (an escape or a closing
quote). It says whether wider SIMD blocks could help the string loop
(docs/BENCHMARKS-hunt.md, session of 16:45)."""
import sys

data = open(sys.argv[1], 'rb').read(int(sys.argv[2]) if len(sys.argv) > 2 else 50_000_000)
i, n = 0, len(data)
escapes = strings = string_bytes = 0
while i < n:
    j = data.find(b'"', i)
    if j < 0:
        break
    k = start = j + 1
    while k < n:
        c = data[k]
        if c == 0x5C:
            escapes += 1
            k += 2
            continue
        if c == 0x22:
            break
        k += 1
    strings += 1
    string_bytes += k - start
    i = k + 1
print(f"bytes={n} strings={strings} escapes={escapes} string_bytes={string_bytes} "
      f"bytes_per_stop={string_bytes / max(1, escapes + strings):.1f}")
