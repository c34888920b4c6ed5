#!/usr/bin/python3
"""Builds the benchmark inputs in WORK from the shared data (never in the
repository): big.evtx (all EVTX-ATTACK-SAMPLES chunks, x5) and big4x.evtx
(x20), otrf.jsonl (the OTRF host zips unzipped and concatenated) and
otrf2x.jsonl (twice), ipsum-ips.txt (120k IPs) and
ioc-1m.txt (those IPs, signature-base hashes and C2, plus deterministic
synthetic domains and SHA-256 hashes up to one million lines).
Usage: make_inputs.py SHARED_DATA WORK"""
import hashlib
import os
import struct
import zlib
import sys
import zipfile

data, work = sys.argv[1], sys.argv[2]


def once(name, build):
    path = os.path.join(work, name)
    if not os.path.exists(path):
        build(path + ".tmp")
        os.rename(path + ".tmp", path)


def big_evtx(path, times=5):
    chunks = []
    root = os.path.join(data, "evtx", "EVTX-ATTACK-SAMPLES")
    for dp, dn, fn in sorted(os.walk(root)):
        dn.sort()
        for f in sorted(fn):
            if not f.endswith(".evtx"):
                continue
            b = open(os.path.join(dp, f), "rb").read()
            for off in range(4096, len(b) - 65535, 65536):
                c = b[off:off + 65536]
                if c[:8] == b"ElfChnk\0":
                    chunks.append(c)
    n = times * len(chunks)
    with open(path, "wb") as out:
        # a file header that libevtx accepts: it trusts the chunk count
        hdr = bytearray(4096)
        hdr[0:8] = b"ElfFile\0"
        struct.pack_into("<QQQIHHHH", hdr, 8, 0, n - 1, 1, 128, 1, 3, 4096,
                         min(n, 65535))
        struct.pack_into("<I", hdr, 124, zlib.crc32(bytes(hdr[:120])))
        out.write(hdr)
        for _ in range(times):
            for c in chunks:
                out.write(c)


def otrf(path):
    root = os.path.join(data, "jsonl")
    with open(path, "wb") as out:
        for dp, dn, fn in sorted(os.walk(root)):
            dn.sort()
            for f in sorted(fn):
                if f.endswith(".zip"):
                    with zipfile.ZipFile(os.path.join(dp, f)) as z:
                        for n in z.namelist():
                            d = z.read(n)
                            if d[:1] == b"{":
                                out.write(d if d.endswith(b"\n") else d + b"\n")


def ips(path):
    with open(path, "w") as out:
        for line in open(os.path.join(data, "ioc", "ipsum.txt")):
            if line[:1].isdigit():
                out.write(line.split()[0] + "\n")


def ioc1m(path):
    n = 0
    with open(path, "w") as out:
        for src in [os.path.join(work, "ipsum-ips.txt")] + [
                os.path.join(data, "yara", "iocs", f)
                for f in ("hash-iocs.txt", "c2-iocs.txt")]:
            if os.path.exists(src):
                for line in open(src, errors="replace"):
                    out.write(line)
                    n += 1
        i = 0
        while n < 1000000:
            h = hashlib.sha256(str(i).encode()).hexdigest()
            out.write(h + "\n" if i % 2 else "d%s.example-%s.net\n" % (h[:12], h[12:16]))
            i += 1
            n += 1


once("big.evtx", big_evtx)
once("big4x.evtx", lambda p: big_evtx(p, 20))
once("otrf.jsonl", otrf)


def twice(path):
    with open(path, "wb") as out:
        for _ in range(2):
            with open(os.path.join(work, "otrf.jsonl"), "rb") as f:
                while True:
                    b = f.read(1 << 24)
                    if not b:
                        break
                    out.write(b)


once("otrf2x.jsonl", twice)
once("ipsum-ips.txt", ips)
once("ioc-1m.txt", ioc1m)
