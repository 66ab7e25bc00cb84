#!/usr/bin/python3
"""Parses a message with Python's email package and prints what a mail reader would see, as JSON.

Reads the message from stdin. Prints the decoded headers, the addresses, the structure (content
types, nested), the text and HTML bodies, each attachment (file name, content type, data in
base64), the parts shown inline by Content-ID, every defect the parser found, and the longest line of the raw message.
"""
import base64
import email
import email.policy
import json
import sys

raw = sys.stdin.buffer.read()
message = email.message_from_bytes(raw, policy=email.policy.default)


def structure(part):
    if part.is_multipart():
        return {"type": part.get_content_type(), "parts": [structure(p) for p in part.iter_parts()]}
    return {"type": part.get_content_type(), "encoding": part.get("Content-Transfer-Encoding", "")}


def mailboxes(name):
    header = message[name]
    if header is None:
        return []
    return [{"name": a.display_name, "address": a.addr_spec} for a in header.addresses]


defects = []
for part in message.walk():
    defects += [repr(d) for d in part.defects]
    for key, value in part.items():
        defects += ["%s: %r" % (key, d) for d in getattr(value, "defects", ())]

text = message.get_body(("plain",))
html = message.get_body(("html",))
result = {
    "subject": str(message["Subject"]),
    "date": message["Date"].datetime.isoformat() if message["Date"] else None,
    "message_id": str(message["Message-ID"]),
    "mime_version": str(message["MIME-Version"]),
    "from": mailboxes("From"),
    "to": mailboxes("To"),
    "cc": mailboxes("Cc"),
    "structure": structure(message),
    "text": text.get_content() if text else None,
    "html": html.get_content() if html else None,
    "attachments": [
        {"filename": a.get_filename(), "type": a.get_content_type(), "charset": a.get_content_charset(),
         "disposition": a.get_content_disposition(),
         "data": base64.b64encode(a.get_payload(decode=True)).decode()}
        for a in message.iter_attachments() if a.get_content_disposition() == "attachment"
    ],
    "inline": [
        {"content_id": str(p["Content-ID"]), "type": p.get_content_type(), "disposition": p.get_content_disposition(),
         "data": base64.b64encode(p.get_payload(decode=True)).decode()}
        for p in message.walk() if not p.is_multipart() and p["Content-ID"] is not None
    ],
    "defects": defects,
    "longest_line": max((len(line) for line in raw.splitlines()), default=0),
}
json.dump(result, sys.stdout, ensure_ascii=False)
