"""Network endpoints for connection-level faults, and a slow 404."""
import collections
import logging
import re
import socket
import threading
import time

log = logging.getLogger("fleet.ports")


class _Listener(threading.Thread):
    """A TCP listener on its own thread; `accepted(conn)` takes each connection."""

    def __init__(self, name, host, port):
        super().__init__(name=name, daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return                      # listener closed
            self.accepted(conn)

    def close(self):
        self.sock.close()


class Blackhole(_Listener):
    """A TCP listener that accepts connections and never sends a byte.

    Accepted sockets are kept open and never read, so a client's RTSP request
    just sits in the kernel buffer: the client sees a connected socket and
    then silence until its own timeout.  At most `max_held` connections are
    kept; beyond that the oldest is closed.
    """

    def __init__(self, host="127.0.0.1", port=0, max_held=4096):
        super().__init__("blackhole", host, port)
        self.held = collections.deque()
        self.max_held = max_held

    def accepted(self, conn):
        self.held.append(conn)
        if len(self.held) > self.max_held:
            self.held.popleft().close()

    def close(self):
        super().close()
        while self.held:
            self.held.popleft().close()


class SlowNotFound(_Listener):
    """An RTSP listener that holds DESCRIBE, then answers 404 Not Found.

    What a media server (ZLMediaKit waits up to 15 s) does for a stream that
    has no publisher yet: OPTIONS is answered at once, DESCRIBE of any path is
    held for `delay` seconds in case a publisher turns up, then refused with
    `RTSP/1.0 404 Not Found`.  Any other method gets 455 at once.  One thread
    per connection; a connection the client closes during the hold just ends.
    """

    def __init__(self, host="127.0.0.1", port=0, delay=4.0):
        super().__init__("slow404", host, port)
        self.delay = delay

    def accepted(self, conn):
        threading.Thread(target=self._serve, args=(conn,), name="slow404-conn",
                         daemon=True).start()

    def _serve(self, conn):
        buf = b""
        try:
            with conn:
                while True:
                    while b"\r\n\r\n" not in buf:
                        data = conn.recv(4096)
                        if not data:
                            return
                        buf += data
                    head, _, buf = buf.partition(b"\r\n\r\n")
                    text = head.decode("latin-1")
                    length = re.search(r"(?im)^content-length:\s*(\d+)", text)
                    buf = buf[int(length.group(1)) if length else 0:]
                    method = text.split(" ", 1)[0].upper()
                    cseq = re.search(r"(?im)^cseq:\s*(\S+)", text)
                    cseq = "CSeq: %s\r\n" % cseq.group(1) if cseq else ""
                    if method == "OPTIONS":
                        reply = ("RTSP/1.0 200 OK\r\n%sPublic: OPTIONS, DESCRIBE, SETUP, PLAY, "
                                 "TEARDOWN\r\n\r\n" % cseq)
                    elif method == "DESCRIBE":
                        time.sleep(self.delay)
                        reply = "RTSP/1.0 404 Not Found\r\n%sContent-Length: 0\r\n\r\n" % cseq
                    else:
                        reply = ("RTSP/1.0 455 Method Not Valid in This State\r\n%s"
                                 "Content-Length: 0\r\n\r\n" % cseq)
                    conn.sendall(reply.encode())
        except OSError:
            pass                            # the client went away


def find_refused_port(host="127.0.0.1"):
    """A port on `host` where nothing listens, so connect() is refused.

    Best effort: bind an ephemeral port, note it and close it.  Another
    process could bind the same port later, but the kernel hands out
    ephemeral ports round-robin, so it stays free in practice.
    """
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((host, 0))
    port = s.getsockname()[1]
    s.close()
    return port
