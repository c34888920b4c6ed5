#!/usr/bin/python3
"""bench/intake: `csirt intake email --json` against the peer (Python's
standard e-mail parser, peer_python.py) on the same messages, in the same
run, one process per message as an MTA pipe runs them.
usage: bench.py CSIRT [small_runs] [big_runs]"""
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

csirt = sys.argv[1]
small_runs = int(sys.argv[2]) if len(sys.argv) > 2 else 100
big_runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
here = os.path.dirname(os.path.abspath(__file__))
small = os.path.join(here, "..", "..", "tests", "intake", "data", "tbsc_form03_qp.eml")
peer = [sys.executable, os.path.join(here, "peer_python.py")]
ours = [csirt, "intake", "email", "--json"]


def big_message(path):
    """About 10 MiB: a long Vietnamese body with indicators, three base64 attachments."""
    rnd = random.Random(1)
    line = ("Máy chủ 203.113.%d.%d kết nối tới hxxp://c2-%d.example[.]com/gate.php, "
            "mã băm %032x; liên hệ soc@tinh.gov.vn\n")
    body = "".join(line % (i % 250, i % 200, i % 50, rnd.getrandbits(128)) for i in range(2000))
    import base64
    parts = []
    for n, size in enumerate((4 << 20, 2 << 20, 1 << 20)):
        data = rnd.randbytes(size)
        enc = base64.encodebytes(data).decode()
        parts.append(f"--B\r\nContent-Type: application/octet-stream\r\n"
                     f"Content-Disposition: attachment; filename=\"a{n}.bin\"\r\n"
                     f"Content-Transfer-Encoding: base64\r\n\r\n{enc}")
    msg = ("From: soc@tinh.gov.vn\r\nTo: csirt@tinh.gov.vn\r\n"
           "Subject: =?utf-8?b?W1RCU0NdIFPhu7EgY+G7kQ==?=\r\nDate: Fri, 20 Nov 2026 10:00:00 +0700\r\n"
           "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n"
           "--B\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           + body + "\r\n" + "\r\n".join(parts) + "\r\n--B--\r\n")
    with open(path, "wb") as f:
        f.write(msg.encode("utf-8"))


def timed(cmd, path):
    with open(path, "rb") as f:
        t = time.perf_counter()
        p = subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        dt = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"{cmd[0]} failed: {p.stderr.decode(errors='replace')}")
    return dt


def max_rss_kb(cmd, path):
    with open(path, "rb") as f:
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdin=f,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return int(p.stderr.decode().strip().splitlines()[-1])


def compare(name, path, runs):
    a, b = [], []
    for _ in range(runs):          # interleaved, so that noise hits both
        a.append(timed(ours, path))
        b.append(timed(peer, path))
    ma, mb = statistics.median(a), statistics.median(b)
    ra, rb = max_rss_kb(ours, path), max_rss_kb(peer, path)
    print(f"{name}: {os.path.getsize(path)} bytes, {runs} runs each")
    print(f"  csirt  median {ma * 1000:8.1f} ms   max RSS {ra / 1024:6.1f} MiB")
    print(f"  python median {mb * 1000:8.1f} ms   max RSS {rb / 1024:6.1f} MiB")
    print(f"  ratio python/csirt: time {mb / ma:.1f}x, memory {rb / ra:.1f}x")


def hostile(d):
    """Messages built to make the parser work or allocate: each must be
    refused (or parsed) quickly and in bounded memory."""
    cases = {
        "300,000 empty MIME parts":
            b"From: a@b.vn\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
            + b"--b\r\n\r\nx\r\n" * 300000 + b"--b--\r\n",
        "3,000,000 header fields":
            b"From: a@b.vn\r\n" + b"X: y\r\n" * 3000000 + b"\r\nbody\r\n",
        "a body repeating 499 distinct IPs":
            b"From: a@b.vn\r\nContent-Type: text/plain\r\n\r\n"
            + (" ".join("10.0.%d.%d" % (i // 250, i % 250) for i in range(499)).encode() + b"\n") * 4000,
    }
    for name, data in cases.items():
        path = os.path.join(d, "hostile.eml")
        with open(path, "wb") as f:
            f.write(data)
        with open(path, "rb") as f:
            t = time.perf_counter()
            p = subprocess.run(ours, stdin=f, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dt = time.perf_counter() - t
        verdict = p.stderr.decode().strip() or "parsed"
        print(f"hostile: {name} ({len(data) / 1e6:.1f} MB): {dt * 1000:.0f} ms, max RSS {max_rss_kb(ours, path) / 1024:.1f} MiB, "
              f"exit {p.returncode}: {verdict}")


compare("small [TBSC] Form 03 message", small, small_runs)
with tempfile.TemporaryDirectory() as d:
    big = os.path.join(d, "big.eml")
    big_message(big)
    compare("big message (body with 2,000 indicator lines, 7 MiB of attachments)", big, big_runs)
    hostile(d)
