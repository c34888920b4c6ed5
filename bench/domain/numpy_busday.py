"""Peer: numpy.busday_offset over the same anchors and the same days off.

numpy's business-day calendar knows a weekmask and a holiday list only, so
it cannot make a Saturday a working day (Vietnam's swaps). The holidays
given here are every weekday off in data/calendar/vn-days-off.json; the
swapped Saturdays are left out, and the results that differ because of
them are counted. usage: numpy_busday.py CALENDAR_JSON COUNT OUTFILE"""
import datetime
import json
import sys
import time

import numpy as np

cal = json.load(open(sys.argv[1], encoding="utf-8"))
count = int(sys.argv[2])
off = []
for y in cal["years"]:
    for d in y["days"]:
        if d["kind"] != "swapped_working":
            off.append(d["date"])
bdc = np.busdaycalendar(weekmask="1111100", holidays=off)
first = np.datetime64("2024-01-01")
anchors = first + (np.arange(count) % 1035).astype("timedelta64[D]")
t0 = time.perf_counter()
# roll backward: from a rest day, count from the working day before it, so
# the result is the 5th working day after the anchor, as csirt counts.
res = np.busday_offset(anchors, 5, roll="backward", busdaycal=bdc)
t = time.perf_counter() - t0
print(f"numpy_busday_offset_5 {count} ops {t:.3f} s {count / t:.0f} ops/s")
t0 = time.perf_counter()
for a in anchors[:200000]:
    np.busday_offset(a, 5, roll="backward", busdaycal=bdc)
t = time.perf_counter() - t0
print(f"numpy_busday_offset_5_scalar 200000 ops {t:.3f} s {200000 / t:.0f} ops/s")
with open(sys.argv[3], "w") as f:
    for r in res:
        f.write(str(r) + "\n")
