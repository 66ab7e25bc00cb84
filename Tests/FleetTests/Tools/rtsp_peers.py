#!/usr/bin/env python3
"""Hostile RTSP peers for the probe's tests, on 127.0.0.1.

Each listener answers OPTIONS like an RTSP server and then misbehaves:

  redirect  DESCRIBE is answered `302 Moved Temporarily` with a Location on the catcher's port
  catcher   the redirect's target: it only records what reaches it (never answers)
  loop      DESCRIBE is answered `302` with a Location naming this same listener
  http      an HTTP server on an RTSP port: every request gets `HTTP/1.1 400 Bad Request`
  noline    answers the first request with bytes that never end a line, and holds the connection

Every accepted connection is logged to --log as `<listener> CONNECT`, and a request that
carries an Authorization header as `<listener> AUTH` (the header itself is never written).
Prints `READY redirect=P catcher=P loop=P http=P noline=P` once all listen, and exits when
its standard input closes.
"""
import argparse
import re
import socket
import sys
import threading

parser = argparse.ArgumentParser()
parser.add_argument("--log", required=True)
args = parser.parse_args()
log_lock = threading.Lock()


def log(line):
    with log_lock, open(args.log, "a") as f:
        f.write(line + "\n")


def listen():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    return s


sockets = {name: listen() for name in ("redirect", "catcher", "loop", "http", "noline")}
ports = {name: s.getsockname()[1] for name, s in sockets.items()}


def serve(name, conn):
    buffer = b""
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                return
            buffer += data
            while b"\r\n\r\n" in buffer:
                request, buffer = buffer.split(b"\r\n\r\n", 1)
                text = request.decode("latin-1")
                if re.search(r"^Authorization:", text, re.I | re.M):
                    log(f"{name} AUTH")
                cseq = (re.search(r"CSeq: *(\d+)", text) or [None, "0"])[1]
                method = text.split(" ", 1)[0]
                if name == "catcher":
                    continue
                if name == "http":
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n")
                elif name == "noline":
                    # Bytes without a line end, then the connection is held open until the
                    # client gives up: it never ends before the probe's deadline.
                    conn.sendall(b"x" * 4096)
                    while conn.recv(4096):
                        pass
                    return
                elif method == "OPTIONS":
                    conn.sendall(f"RTSP/1.0 200 OK\r\nCSeq: {cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n".encode())
                else:
                    target = ports["catcher"] if name == "redirect" else ports["loop"]
                    conn.sendall(f"RTSP/1.0 302 Moved Temporarily\r\nCSeq: {cseq}\r\n"
                                 f"Location: rtsp://127.0.0.1:{target}/moved\r\n\r\n".encode())
    except OSError:
        pass
    finally:
        conn.close()


def accept(name, s):
    while True:
        conn, _ = s.accept()
        log(f"{name} CONNECT")
        threading.Thread(target=serve, args=(name, conn), daemon=True).start()


for name, s in sockets.items():
    threading.Thread(target=accept, args=(name, s), daemon=True).start()
print("READY " + " ".join(f"{name}={port}" for name, port in ports.items()), flush=True)
sys.stdin.read()
