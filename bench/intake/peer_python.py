#!/usr/bin/python3
"""The peer for bench/intake: what an MTA pipe script in Python would do with
the standard library's e-mail parser: parse the message from stdin, decode
sender and subject, take the body (plain, else HTML), hash every attachment
and find indicators with regular expressions; print JSON."""
import email
import email.policy
import hashlib
import json
import re
import sys

IOC = {
    "ip": re.compile(r"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b"),
    "url": re.compile(r"\bhttps?://[^\s<>\"']+"),
    "email": re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    "sha256": re.compile(r"\b[0-9a-fA-F]{64}\b"),
    "sha1": re.compile(r"\b[0-9a-fA-F]{40}\b"),
    "md5": re.compile(r"\b[0-9a-fA-F]{32}\b"),
}

msg = email.message_from_binary_file(sys.stdin.buffer, policy=email.policy.default)
body_part = msg.get_body(preferencelist=("plain", "html"))
body = body_part.get_content() if body_part is not None else ""
attachments = []
for part in msg.iter_attachments():
    data = part.get_payload(decode=True) or b""
    attachments.append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                        "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
text = str(msg["subject"] or "") + "\n" + body
observables = []
for kind, rx in IOC.items():
    for v in dict.fromkeys(m.group(0).lower() for m in rx.finditer(text)):
        observables.append({"type": kind, "value": v})
json.dump({"from": str(msg["from"] or ""), "subject": str(msg["subject"] or ""),
           "date": str(msg["date"] or ""), "body_text": body,
           "attachments": attachments, "observables": observables},
          sys.stdout, ensure_ascii=False, indent=2)
