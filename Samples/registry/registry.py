#!/usr/bin/python3
"""The sample police registration platform: the status of each venue's real-name registration system.

    registry.py serve  [--host H] [--port P] [--venues FILE | --systems ID,ID,...] [--token T]
                       [--utc-offset +08:00] [--faults FILE] [--exit-on-stdin-close]
    registry.py export [--venues FILE | --systems ID,ID,...] --out DIR [--encoding utf-8|gb18030]
                       [--utc-offset +08:00] [--faults FILE] [--at RFC3339]

`serve` answers GET /api/v1/registration/status (docs/REGISTRATION.md) and takes faults on
/control; it prints one READY line once it serves. `export` writes one CSV snapshot into DIR
atomically and prints its path. Each system's state is simulated from the wall clock and a hash
of its id: running it again gives the same answers at the same time. Standard library only.
See README.md beside this file for the faults.
"""
import argparse
import csv
import datetime
import hashlib
import hmac
import http.server
import io
import json
import os
import select
import socket
import sys
import threading
import time

PLATFORM = "城南区实名登记平台(样例)"
STATUS_PATH = "/api/v1/registration/status"
CONTROL_PATH = "/control"
HERE = os.path.dirname(os.path.abspath(__file__))
DISTRICT_VENUES = os.path.join(HERE, "..", "district", "venues.csv")
UPLOAD_REFUSED = "上传被拒绝：数据校验失败"
CSV_FIELDS = ["generated_at", "id", "online", "last_heartbeat", "last_upload", "uploaded_today", "waiting",
              "oldest_waiting", "upload_errors", "last_error"]

SYSTEM_FAULTS = ["healthy", "offline", "stuck", "upload-errors", "quiet", "missing", "bad-field"]
PLATFORM_FAULTS = ["healthy", "http500", "timeout", "malformed", "truncated", "clock-skew"]
WAITING_EVERY = 300  # a stuck system gains one waiting registration every 5 minutes
RETRY_EVERY = 60     # a refused upload is retried, and refused again, every minute


class Refusal(Exception):
    """A fault that cannot be set; its message is what the control endpoint answers."""


class Fault:
    def __init__(self, name, since, seconds=None):
        self.name, self.since, self.seconds = name, since, seconds

    def json(self, offset):
        answer = {"fault": self.name, "since": stamp(self.since, offset)}
        if self.seconds is not None:
            answer["seconds"] = self.seconds
        return answer


class Platform:
    """The systems, their faults and the platform's own fault; every method is thread-safe."""

    def __init__(self, systems, offset):
        self.systems = systems
        self.known = set(systems)
        self.offset = offset
        self.faults = {}       # system id -> Fault
        self.platform = None   # Fault of the whole platform, or None
        self.requests = 0
        self.changed = threading.Condition()

    def set(self, system, name, seconds=None, since=None):
        since = int(time.time()) if since is None else since
        if seconds is not None and (not isinstance(seconds, int) or isinstance(seconds, bool)):
            raise Refusal("seconds 必须是整数")
        with self.changed:
            if system == "*":
                if name not in PLATFORM_FAULTS:
                    raise Refusal(f"未知的平台故障 {name!r}（可用：{', '.join(PLATFORM_FAULTS)}）")
                if name == "clock-skew" and seconds is None:
                    raise Refusal("clock-skew 需要 seconds（平台时钟快多少秒）")
                self.platform = None if name == "healthy" else Fault(name, since, seconds)
            else:
                if system not in self.known:
                    raise Refusal(f"未知的系统 {system!r}")
                if name not in SYSTEM_FAULTS:
                    raise Refusal(f"未知的系统故障 {name!r}（可用：{', '.join(SYSTEM_FAULTS)}）")
                if seconds is not None and seconds < 0:
                    raise Refusal("seconds 不能为负数")
                if name == "healthy":
                    self.faults.pop(system, None)
                else:
                    self.faults[system] = Fault(name, since, seconds)
            self.changed.notify_all()

    def reset(self):
        with self.changed:
            self.faults.clear()
            self.platform = None
            self.requests = 0
            self.changed.notify_all()

    def count_request(self):
        with self.changed:
            self.requests += 1

    def platform_fault(self):
        with self.changed:
            return self.platform.name if self.platform else None

    def control(self):
        with self.changed:
            faults = {system: fault.json(self.offset) for system, fault in sorted(self.faults.items())}
            if self.platform:
                faults["*"] = self.platform.json(self.offset)
            return {"requests": self.requests, "faults": faults}

    def snapshot(self, now=None):
        """generated_at and the systems' entries, as the platform's clock sees them at `now`."""
        now = int(time.time()) if now is None else int(now)
        with self.changed:
            faults = dict(self.faults)
            skew = self.platform.seconds if self.platform and self.platform.name == "clock-skew" else 0
        entries = []
        for system in self.systems:
            fault = faults.get(system)
            if fault and fault.name == "missing":
                continue
            entries.append(entry(system, fault, now + skew, skew, self.offset))
        return stamp(now + skew, self.offset), entries


def traits(system):
    """The id's fixed numbers: heartbeat age (5..50 s), upload age (1..40 min), registrations a day (0..60)."""
    digest = hashlib.sha256(system.encode("utf-8")).digest()
    return 5 + digest[0] % 46, 60 + int.from_bytes(digest[1:3], "big") % 2341, digest[3] % 61


def day_start(moment, offset):
    local = datetime.datetime.fromtimestamp(moment, offset)
    return int(local.replace(hour=0, minute=0, second=0).timestamp())


def uploads(system, moment, offset):
    """A healthy system's last upload and its count for the day, as they stood at `moment`.

    Early in the day (before twice the upload age), the last upload is half-way through the day
    so far instead: a healthy system has uploaded today, and its last upload never goes back.
    """
    _, upload_age, daily = traits(system)
    start = day_start(moment, offset)
    return max(moment - upload_age, start + (moment - start) // 2), max(1, round(daily * (moment - start) / 86400))


def entry(system, fault, now, skew, offset):
    """One system's entry at platform time `now`; a fault's moments are shifted by the clock's `skew`."""
    heartbeat_age, upload_age, _ = traits(system)
    last_upload, today = uploads(system, now, offset)
    state = {"id": system, "online": True, "last_heartbeat": now - heartbeat_age, "last_upload": last_upload,
             "uploaded_today": today, "waiting": 0, "oldest_waiting": None, "upload_errors": 0, "last_error": None}
    name = fault.name if fault else "healthy"
    if name != "healthy":
        frozen = fault.since + skew - (fault.seconds or 0)
        elapsed = max(0, now - frozen)
        same_day = day_start(frozen, offset) == day_start(now, offset)
    if name == "offline":
        last_upload, today = uploads(system, frozen, offset)
        state.update(online=False, last_heartbeat=frozen, last_upload=last_upload,
                     uploaded_today=today if same_day else 0)
    elif name in ("stuck", "upload-errors"):
        last_upload, today = uploads(system, frozen, offset)
        state.update(last_upload=last_upload, uploaded_today=today if same_day else 0,
                     waiting=1 + elapsed // WAITING_EVERY, oldest_waiting=frozen)
        if name == "upload-errors":
            state.update(upload_errors=1 + elapsed // RETRY_EVERY, last_error=UPLOAD_REFUSED)
    elif name == "quiet":
        yesterday = day_start(now, offset) - upload_age
        state.update(uploaded_today=0, last_upload=None if fault.seconds is None else min(frozen, yesterday))
    elif name == "bad-field":
        state["waiting"] = "many"
    for key in ("last_heartbeat", "last_upload", "oldest_waiting"):
        state[key] = stamp(state[key], offset)
    return state


def stamp(moment, offset):
    if moment is None:
        return None
    return datetime.datetime.fromtimestamp(moment, offset).isoformat(timespec="seconds")


def status_body(generated_at, entries):
    return json.dumps({"platform": PLATFORM, "generated_at": generated_at, "systems": entries},
                      ensure_ascii=False).encode("utf-8")


def malformed_body(generated_at, entries):
    """Starts as the answer does and breaks off after a comma: not JSON."""
    return ('{"generated_at": "%s", "systems": [' % generated_at
            + "".join(json.dumps(e, ensure_ascii=False) + ", " for e in entries[:2])).encode("utf-8")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RegistryPlatform/1.0"
    platform = None  # set by serve()
    token = None

    def log_message(self, format, *args):
        pass  # the request counter on /control says what arrived; no access log

    def send(self, code, body, content_type="application/json; charset=utf-8", length=None, headers=()):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, code, value):
        self.send(code, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == STATUS_PATH:
            self.status()
        elif path == CONTROL_PATH:
            self.send_json(200, self.platform.control())
        else:
            self.send_json(404, {"error": "not_found", "message": f"没有这个地址：{path}"})

    def do_POST(self):
        path = self.path.split("?", 1)[0]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if path == CONTROL_PATH + "/reset":
            self.platform.reset()
            self.send_json(200, {"ok": True})
        elif path == CONTROL_PATH:
            try:
                order = json.loads(body.decode("utf-8") or "{}")
                if not isinstance(order, dict) or not isinstance(order.get("system"), str) \
                        or not isinstance(order.get("fault"), str):
                    raise Refusal('需要 {"system": "ID 或 *", "fault": "故障名", "seconds": 秒数（可选）}')
                self.platform.set(order["system"], order["fault"], order.get("seconds"))
            except (ValueError, Refusal) as error:
                self.send_json(400, {"ok": False, "error": str(error)})
                return
            self.send_json(200, {"ok": True})
        else:
            self.send_json(404, {"error": "not_found", "message": f"没有这个地址：{path}"})

    def status(self):
        self.platform.count_request()
        if self.token is not None:
            given = self.headers.get("Authorization", "")
            if not hmac.compare_digest(given.encode("utf-8"), f"Bearer {self.token}".encode("utf-8")):
                self.send(401, json.dumps({"error": "unauthorized", "message": "需要有效的访问令牌"},
                                          ensure_ascii=False).encode("utf-8"),
                          headers=[("WWW-Authenticate", 'Bearer realm="registration"')])
                return
        fault = self.platform.platform_fault()
        if fault == "timeout" and not self.hold():
            self.close_connection = True
            return
        fault = self.platform.platform_fault()
        if fault == "http500":
            self.send(500, "500 平台内部错误".encode("utf-8"), content_type="text/plain; charset=utf-8")
            return
        generated_at, entries = self.platform.snapshot()
        if fault == "malformed":
            self.send(200, malformed_body(generated_at, entries))
        elif fault == "truncated":
            body = status_body(generated_at, entries)
            self.send(200, body[:len(body) // 2], length=len(body))
            self.close_connection = True
        else:
            self.send(200, status_body(generated_at, entries))

    def hold(self):
        """Waits while the platform times out; False when the client went away meanwhile."""
        condition = self.platform.changed
        with condition:
            while self.platform.platform and self.platform.platform.name == "timeout":
                condition.wait(0.25)
                if self.client_gone():
                    return False
        return True

    def client_gone(self):
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True


def read_systems(arguments):
    if arguments.systems:
        return [system.strip() for system in arguments.systems.split(",") if system.strip()]
    systems = []
    with open(arguments.venues or DISTRICT_VENUES, encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            for system in (row.get("registration") or "").split(";"):
                system = system.strip()
                if system and system != "none" and system not in systems:
                    systems.append(system)
    return systems


def read_faults(path, platform, since, export=False):
    """Applies a faults file: `ID FAULT [SECONDS]` per line, `#` starts a comment."""
    with open(path, encoding="utf-8") as file:
        for number, line in enumerate(file, start=1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) not in (2, 3) or (len(words) == 3 and not words[2].lstrip("-").isdigit()):
                sys.exit(f"{path}:{number}: expected ID FAULT [SECONDS]")
            if export and words[0] == "*" and words[1] not in ("healthy", "clock-skew"):
                print(f"{path}:{number}: {words[1]} concerns HTTP answers only; the export ignores it", file=sys.stderr)
                continue
            try:
                platform.set(words[0], words[1], int(words[2]) if len(words) == 3 else None, since=since)
            except Refusal as error:
                sys.exit(f"{path}:{number}: {error}")


def parse_offset(text):
    sign = {"+": 1, "-": -1}.get(text[:1])
    hours, _, minutes = text[1:].partition(":")
    if sign is None or not hours.isdigit() or not (minutes or "0").isdigit():
        raise argparse.ArgumentTypeError(f"expected an offset such as +08:00, got {text!r}")
    return datetime.timezone(sign * datetime.timedelta(hours=int(hours), minutes=int(minutes or 0)))


def serve(arguments):
    platform = Platform(read_systems(arguments), arguments.utc_offset)
    if arguments.faults:
        read_faults(arguments.faults, platform, int(time.time()))
    handler = type("BoundHandler", (Handler,), {"platform": platform, "token": arguments.token})
    server = http.server.ThreadingHTTPServer((arguments.host, arguments.port), handler)
    server.daemon_threads = True
    host, port = server.server_address[:2]
    base = f"http://{host}:{port}"
    print(f"READY port={port} url={base}{STATUS_PATH} control={base}{CONTROL_PATH} systems={len(platform.systems)}",
          flush=True)
    if arguments.exit_on_stdin_close:
        def wait_for_stdin():
            while os.read(sys.stdin.fileno(), 4096):
                pass
            os._exit(0)  # nothing to keep; a held request must not delay the exit
        threading.Thread(target=wait_for_stdin, daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    server.server_close()


def export(arguments):
    at = int(time.time()) if arguments.at is None else int(arguments.at.timestamp())
    platform = Platform(read_systems(arguments), arguments.utc_offset)
    if arguments.faults:
        read_faults(arguments.faults, platform, at, export=True)
    generated_at, entries = platform.snapshot(at)
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for item in entries:
        cells = {**item, "generated_at": generated_at, "online": "1" if item["online"] else "0"}
        writer.writerow(["" if cells[key] is None else cells[key] for key in CSV_FIELDS])
    local = datetime.datetime.fromisoformat(generated_at)
    name = f"registration-{local:%Y%m%dT%H%M%S}.csv"
    os.makedirs(arguments.out, exist_ok=True)
    part = os.path.join(arguments.out, f".{name}.part")
    with open(part, "w", encoding=arguments.encoding, newline="") as file:
        file.write(text.getvalue())
        file.flush()
        os.fsync(file.fileno())
    final = os.path.join(arguments.out, name)
    os.replace(part, final)
    print(final, flush=True)


def main():
    parser = argparse.ArgumentParser(description="The sample registration platform (Samples/registry/README.md).")
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "export"):
        command = commands.add_parser(name)
        chosen = command.add_mutually_exclusive_group()
        chosen.add_argument("--venues", help="venues.csv whose registration column names the systems "
                                             "(default: Samples/district/venues.csv)")
        chosen.add_argument("--systems", help="the system ids, separated by commas")
        command.add_argument("--utc-offset", type=parse_offset, default=parse_offset("+08:00"))
        command.add_argument("--faults", help="lines of ID FAULT [SECONDS]; * for the whole platform")
    serving = commands.choices["serve"]
    serving.add_argument("--host", default="127.0.0.1")
    serving.add_argument("--port", type=int, default=0)
    serving.add_argument("--token", help="the status endpoint then needs Authorization: Bearer TOKEN")
    serving.add_argument("--exit-on-stdin-close", action="store_true")
    exporting = commands.choices["export"]
    exporting.add_argument("--out", required=True)
    exporting.add_argument("--encoding", choices=["utf-8", "gb18030"], default="utf-8")
    exporting.add_argument("--at", type=datetime.datetime.fromisoformat, help="the moment of the snapshot (RFC 3339)")
    arguments = parser.parse_args()
    if arguments.command == "export" and arguments.at is not None and arguments.at.tzinfo is None:
        parser.error("--at needs an offset (2026-12-02T16:05:00+08:00)")
    serve(arguments) if arguments.command == "serve" else export(arguments)


if __name__ == "__main__":
    main()
