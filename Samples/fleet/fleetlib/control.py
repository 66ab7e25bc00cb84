"""Runtime control channel: a Unix stream socket speaking one-line commands.

Each request is one line, each reply is one line starting with OK or ERR:

    ping                 -> OK pong
    modes                -> OK healthy missing 720p 1080p ... frozen black ...
    get <path>           -> OK <path> <mode>
    set <path> <mode>    -> OK <path> <mode>
    reset <path>         -> OK <path> <mode-at-startup>

Several requests may be sent on one connection.  A mode change swaps the
factory mounted at <path>: new sessions see the new mode at once, sessions
already playing keep their stream.
"""
import logging
import os
import socket
import socketserver
import threading

log = logging.getLogger("fleet.control")


def handle_command(fleet, line):
    words = line.split()
    try:
        if not words:
            raise ValueError("empty command")
        cmd, args = words[0].lower(), words[1:]
        if cmd == "ping" and not args:
            return "OK pong"
        if cmd == "modes" and not args:
            return "OK " + " ".join(fleet.mode_names())
        if cmd == "get" and len(args) == 1:
            return "OK %s %s" % (args[0], fleet.get_mode(args[0]))
        if cmd == "set" and len(args) == 2:
            return "OK %s %s" % (args[0], fleet.set_mode(args[0], args[1]))
        if cmd == "reset" and len(args) == 1:
            return "OK %s %s" % (args[0], fleet.reset(args[0]))
        raise ValueError("usage: ping | modes | get PATH | set PATH MODE | reset PATH")
    except ValueError as e:
        return "ERR %s" % e
    except Exception as e:                                  # never kill the server
        log.exception("control command %r failed", line)
        return "ERR internal: %s" % e


class ControlServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True

    def __init__(self, path, fleet):
        self.fleet = fleet
        self.path = path
        _remove_stale_socket(path)
        super().__init__(path, _Handler)
        os.chmod(path, 0o600)
        self.thread = threading.Thread(target=self.serve_forever, name="control", daemon=True)

    def start(self):
        self.thread.start()

    def close(self):
        if self.thread.is_alive():
            self.shutdown()
        self.server_close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


class _Handler(socketserver.StreamRequestHandler):
    def handle(self):
        for raw in self.rfile:
            line = raw.decode("utf-8", "replace").strip()
            if not line:
                continue
            reply = handle_command(self.server.fleet, line)
            self.wfile.write((reply + "\n").encode())
            self.wfile.flush()


def _remove_stale_socket(path):
    if not os.path.exists(path):
        return
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except (ConnectionRefusedError, FileNotFoundError):
        os.unlink(path)                   # left behind by a dead fleet
        return
    finally:
        s.close()
    raise RuntimeError("control socket %s is in use by a running fleet" % path)


def request(path, line, timeout=10.0):
    """Send one command line, return the one-line reply."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(path)
        s.sendall((line.strip() + "\n").encode())
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode().strip()
