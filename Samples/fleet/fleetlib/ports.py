"""Network endpoints for connection-level faults."""
import collections
import logging
import socket
import threading

log = logging.getLogger("fleet.ports")


class Blackhole(threading.Thread):
    """A TCP listener that accepts connections and never sends a byte.

    Accepted sockets are kept open and never read, so a client's RTSP request
    just sits in the kernel buffer: the client sees a connected socket and
    then silence until its own timeout.  At most `max_held` connections are
    kept; beyond that the oldest is closed.
    """

    def __init__(self, host="127.0.0.1", port=0, max_held=4096):
        super().__init__(name="blackhole", daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, port))
        self.sock.listen(1024)
        self.port = self.sock.getsockname()[1]
        self.held = collections.deque()
        self.max_held = max_held

    def run(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return                      # listener closed
            self.held.append(conn)
            if len(self.held) > self.max_held:
                self.held.popleft().close()

    def close(self):
        self.sock.close()
        while self.held:
            self.held.popleft().close()


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
