#!/usr/bin/python3
"""A local webhook receiver for Patrol's alert tests: the office's messaging gateway, played.

    webhook_receiver.py FOLDER SECRET [FAILURES]

Listens on 127.0.0.1 on a port the system picks. Each POST is checked: its X-Patrol-Signature
must be "sha256=" and the hex HMAC-SHA256 of the body under SECRET, its X-Patrol-Event must
equal the body's event_id. A bad one is answered 401 and kept as NNNN.rejected. The first
FAILURES good ones (default 0) are answered 500 and kept as NNNN.failed; after them each good
POST is kept as NNNN.json before the 200 answer, and a repeat of an event id already kept is
answered 200 and kept nowhere (the receiver drops it), counted in "repeats". Prints

    READY port=P dead=D

where D is a port that refuses connections (bound, never listening). Exits when its stdin
closes (the test process has ended).
"""
import hashlib
import hmac
import json
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main(folder, secret, failures):
    state = {"count": 0, "failures": failures, "seen": set(), "repeats": 0}
    lock = threading.Lock()

    def keep(suffix, body):
        state["count"] += 1
        base = os.path.join(folder, "%04d" % state["count"])
        with open(base + ".tmp", "wb") as out:
            out.write(body)
        os.rename(base + ".tmp", base + suffix)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def answer(self, status, text):
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            signature = self.headers.get("X-Patrol-Signature", "")
            with lock:
                try:
                    event = json.loads(body)["event_id"]
                except (ValueError, KeyError):
                    event = None
                if not hmac.compare_digest(expected, signature) or event is None or self.headers.get("X-Patrol-Event") != event:
                    keep(".rejected", body)
                    return self.answer(401, "bad signature")
                if state["failures"] > 0:
                    state["failures"] -= 1
                    keep(".failed", body)
                    return self.answer(500, "gateway busy")
                if event in state["seen"]:
                    state["repeats"] += 1
                    with open(os.path.join(folder, "repeats"), "w") as out:
                        out.write(str(state["repeats"]))
                    return self.answer(200, "repeat dropped")
                state["seen"].add(event)
                keep(".json", body)
            self.answer(200, "ok")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY port=%d dead=%d" % (server.server_address[1], dead.getsockname()[1]), flush=True)
    while os.read(sys.stdin.fileno(), 4096):
        pass
    server.shutdown()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 0)
