#!/usr/bin/python3
"""Writes small synthetic EVTX files for the hunt tests and fuzz seeds, so
that no shared data is copied into the repository. One template (Sysmon
process creation: System + EventData with Image, CommandLine, ParentImage)
defined resident in the first record and referenced by the others.
Usage: gen_evtx.py OUT.evtx [records...] where each record is
'image|commandline' (default: two records)."""
import struct
import sys


def utf16(s):
    return s.encode("utf-16-le")


class Chunk:
    def __init__(self):
        self.data = bytearray(b"\0" * 512)

    def pos(self):
        return len(self.data)


def name(chunk_pos, buf, s):
    """An inline name reference at the current position."""
    off = chunk_pos + len(buf) + 4
    buf += struct.pack("<I", off)
    buf += struct.pack("<IHH", 0, 0, len(s)) + utf16(s) + b"\0\0"


def open_elem(base, buf, s, attrs=False):
    buf += bytes([0x41 if attrs else 0x01]) + struct.pack("<HI", 0xFFFF, 0)
    name(base, buf, s)
    if attrs:
        buf += struct.pack("<I", 0)


def attr(base, buf, s, sub, more=False):
    buf += bytes([0x46 if more else 0x06])
    name(base, buf, s)
    buf += bytes([0x0E]) + struct.pack("<HB", sub, 0x01)


def subst(buf, sub, typ=0x01):
    buf += bytes([0x0E]) + struct.pack("<HB", sub, typ)


def template_body(base):
    b = bytearray(b"\x0f\x01\x01\x00")
    open_elem(base, b, "Event")
    b += b"\x02"
    open_elem(base, b, "System")
    b += b"\x02"
    open_elem(base, b, "Provider", attrs=True)
    attr(base, b, "Name", 0)
    b += b"\x03"
    open_elem(base, b, "EventID")
    b += b"\x02"
    subst(b, 1, 0x06)
    b += b"\x04"
    open_elem(base, b, "TimeCreated", attrs=True)
    attr(base, b, "SystemTime", 2)
    b += b"\x03"
    open_elem(base, b, "Channel")
    b += b"\x02"
    subst(b, 3)
    b += b"\x04"
    open_elem(base, b, "Computer")
    b += b"\x02"
    subst(b, 4)
    b += b"\x04"
    b += b"\x04"  # </System>
    open_elem(base, b, "EventData")
    b += b"\x02"
    for i, field in enumerate(["Image", "CommandLine", "ParentImage"]):
        open_elem(base, b, "Data", attrs=True)
        b += b"\x06"
        name(base, b, "Name")
        b += b"\x05\x01" + struct.pack("<H", len(field)) + utf16(field)
        b += b"\x02"
        subst(b, 5 + i)
        b += b"\x04"
    b += b"\x04"  # </EventData>
    b += b"\x04"  # </Event>
    b += b"\x00"
    return b


def values(rec_no, image, cmd):
    ft = (1700000000 + rec_no + 11644473600) * 10000000
    vals = [
        (utf16("Microsoft-Windows-Sysmon"), 0x01),
        (struct.pack("<H", 1), 0x06),
        (struct.pack("<Q", ft), 0x11),
        (utf16("Microsoft-Windows-Sysmon/Operational"), 0x01),
        (utf16("host1.example.vn"), 0x01),
        (utf16(image), 0x01),
        (utf16(cmd), 0x01),
        (utf16("C:\\Windows\\explorer.exe"), 0x01),
    ]
    out = struct.pack("<I", len(vals))
    for v, t in vals:
        out += struct.pack("<HBB", len(v), t, 0)
    for v, _ in vals:
        out += v
    return out


def build(records):
    chunk = bytearray(b"\0" * 512)
    template_off = None
    for n, (image, cmd) in enumerate(records, 1):
        rec_start = len(chunk)
        body = bytearray(b"\x0f\x01\x01\x00")
        inst_pos = rec_start + 24 + len(body)
        if template_off is None:
            template_off = inst_pos + 10
            tb = template_body(template_off + 24)
            body += b"\x0c\x01" + struct.pack("<II", 0x1234, template_off)
            body += struct.pack("<I", 0) + b"\x11" * 16 + struct.pack("<I", len(tb))
            body += tb
        else:
            body += b"\x0c\x01" + struct.pack("<II", 0x1234, template_off)
        body += values(n, image, cmd)
        size = 24 + len(body) + 4
        size += (8 - size % 8) % 8
        rec = struct.pack("<4sIQQ", b"**\0\0", size, n, 0) + body
        rec += b"\0" * (size - 4 - len(rec)) + struct.pack("<I", size)
        chunk += rec
    free = len(chunk)
    chunk += b"\0" * (65536 - len(chunk))
    hdr = struct.pack("<8sQQQQIII", b"ElfChnk\0", 1, len(records), 1,
                      len(records), 128, 512, free)
    chunk[0:len(hdr)] = hdr
    fh = bytearray(b"\0" * 4096)
    fh[0:8] = b"ElfFile\0"
    struct.pack_into("<QQQIHHH", fh, 8, 0, 0, len(records) + 1, 128, 1, 3, 4096)
    struct.pack_into("<H", fh, 42, 1)
    return bytes(fh + chunk)


def main():
    out = sys.argv[1]
    recs = [tuple(a.split("|", 1)) for a in sys.argv[2:]] or [
        ("C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami"),
        ("C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
         "powershell.exe -enc SQBFAFgA -nop"),
    ]
    with open(out, "wb") as f:
        f.write(build(recs))


main()
