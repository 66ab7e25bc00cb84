"""Minimal raw RTSP/1.0 client over TCP (interleaved RTP).

Used by rtsp_probe.py (verification) and by the server itself to warm up
its shared pipelines.  It reports what FFmpeg hides: exact status codes,
WWW-Authenticate challenges, and the time from the PLAY reply to the first
RTP packet and to the first keyframe.  Answers Basic and Digest challenges.
"""
import base64
import hashlib
import re
import select
import socket
import time
import urllib.parse


class RTSPError(Exception):
    pass


class Client:
    def __init__(self, url, timeout=5.0):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port or 554
        self.user = urllib.parse.unquote(u.username) if u.username else None
        self.password = urllib.parse.unquote(u.password) if u.password else None
        self.url = urllib.parse.urlunsplit(
            (u.scheme, "%s:%d" % (self.host, self.port), u.path, u.query, ""))
        self.sock = socket.create_connection((self.host, self.port), timeout)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.cseq = 0
        self.session = None
        self.challenge = None      # (scheme, params) to answer on next request
        self.forced_scheme = None

    # -- wire ---------------------------------------------------------------
    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise RTSPError("connection closed")
        self.buf += data

    def read_response(self, on_rtp=None):
        """Read one RTSP response, passing interleaved frames to on_rtp."""
        while True:
            while len(self.buf) < 4:
                self._fill()
            if self.buf[0:1] == b"$":
                if not self._read_interleaved(on_rtp):
                    self._fill()
                continue
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                self._fill()
                continue
            head = self.buf[:end].decode("latin-1")
            self.buf = self.buf[end + 4:]
            lines = head.split("\r\n")
            status = int(lines[0].split()[1])
            headers = []
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers.append((k.strip().lower(), v.strip()))
            length = int(dict(headers).get("content-length", "0"))
            while len(self.buf) < length:
                self._fill()
            body, self.buf = self.buf[:length], self.buf[length:]
            return status, headers, body.decode("latin-1")

    def _read_interleaved(self, on_rtp):
        if len(self.buf) < 4:
            return False
        channel, size = self.buf[1], int.from_bytes(self.buf[2:4], "big")
        if len(self.buf) < 4 + size:
            return False
        pkt, self.buf = self.buf[4:4 + size], self.buf[4 + size:]
        if on_rtp:
            on_rtp(channel, pkt)
        return True

    def read_frames(self, seconds, on_rtp, done=lambda: False):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not done():
            if self._read_interleaved(on_rtp):
                continue
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                self._fill()
            except socket.timeout:
                break

    def _authorization(self, method, uri):
        if not self.challenge or self.user is None:
            return None
        scheme, params = self.challenge
        if scheme == "basic":
            raw = "%s:%s" % (self.user, self.password)
            return "Basic " + base64.b64encode(raw.encode()).decode()
        md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
        ha1 = md5("%s:%s:%s" % (self.user, params["realm"], self.password))
        ha2 = md5("%s:%s" % (method, uri))
        resp = md5("%s:%s:%s" % (ha1, params["nonce"], ha2))
        return ('Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"'
                % (self.user, params["realm"], params["nonce"], uri, resp))

    def request(self, method, uri=None, headers=(), on_rtp=None):
        uri = uri or self.url
        for _ in range(2):
            self.cseq += 1
            lines = ["%s %s RTSP/1.0" % (method, uri), "CSeq: %d" % self.cseq,
                     "User-Agent: patrol-fleet-probe"]
            if self.session:
                lines.append("Session: %s" % self.session)
            auth = self._authorization(method, uri)
            if auth:
                lines.append("Authorization: " + auth)
            lines.extend(headers)
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            status, hdrs, body = self.read_response(on_rtp)
            if status == 401 and self.user is not None and not auth:
                self.challenge = self._pick_challenge(hdrs)
                if self.challenge:
                    continue
            return status, hdrs, body
        return status, hdrs, body

    def _pick_challenge(self, hdrs):
        offers = {}
        for k, v in hdrs:
            if k == "www-authenticate":
                scheme, _, rest = v.partition(" ")
                offers[scheme.lower()] = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        for scheme in ([self.forced_scheme] if self.forced_scheme else ["digest", "basic"]):
            if scheme in offers:
                return scheme, offers[scheme]
        return None


def keyframe_in(codec, pkt):
    """True if this RTP payload starts/contains an IDR (H.264) or IRAP (H.265)."""
    if len(pkt) < 14:
        return False
    cc = pkt[0] & 0x0F
    pl = pkt[12 + 4 * cc:]
    if not pl:
        return False
    if codec == "H264":
        t = pl[0] & 0x1F
        if t == 5:
            return True
        if t == 28 and len(pl) > 1:           # FU-A, start bit + type
            return bool(pl[1] & 0x80) and (pl[1] & 0x1F) == 5
        if t == 24:                            # STAP-A
            i = 1
            while i + 2 < len(pl):
                n = int.from_bytes(pl[i:i + 2], "big")
                if i + 2 < len(pl) and pl[i + 2] & 0x1F == 5:
                    return True
                i += 2 + n
        return False
    if codec == "H265":
        t = (pl[0] >> 1) & 0x3F
        if 16 <= t <= 21:
            return True
        if t == 49 and len(pl) > 2:            # FU
            return bool(pl[2] & 0x80) and 16 <= (pl[2] & 0x3F) <= 21
        if t == 48:                            # AP
            i = 2
            while i + 2 < len(pl):
                n = int.from_bytes(pl[i:i + 2], "big")
                if 16 <= (pl[i + 2] >> 1) & 0x3F <= 21:
                    return True
                i += 2 + n
    return False


def probe(url, seconds, scheme=None, until_first_rtp=False):
    """DESCRIBE, SETUP every stream over TCP, PLAY for `seconds`, TEARDOWN.

    Returns a dict: status codes, challenges, media, RTP packet count, and
    seconds from PLAY to the first RTP packet and to the first keyframe.
    """
    c = Client(url)
    c.forced_scheme = scheme
    try:
        return _play(c, url, seconds, until_first_rtp)
    finally:
        c.sock.close()


def _play(c, url, seconds, until_first_rtp):
    out = {"url": re.sub(r"//[^@/]*@", "//", url)}
    status, hdrs, sdp = c.request("DESCRIBE", headers=["Accept: application/sdp"])
    out["describe"] = status
    out["www_authenticate"] = [v for k, v in hdrs if k == "www-authenticate"]
    if status != 200:
        return out
    base = dict(hdrs).get("content-base", c.url)
    media = []
    for block in sdp.split("\nm=")[1:]:
        kind = block.split()[0]
        codec = re.search(r"a=rtpmap:\d+ ([\w\-]+)/", block)
        ctrl = re.search(r"a=control:(\S+)", block)
        media.append((kind, codec.group(1) if codec else "?", ctrl.group(1) if ctrl else ""))
    out["media"] = ["%s/%s" % (k, cd) for k, cd, _ in media]
    for i, (_, _, ctrl) in enumerate(media):
        uri = ctrl if ctrl.startswith("rtsp://") else base.rstrip("/") + "/" + ctrl
        status, hdrs, _ = c.request("SETUP", uri, [
            "Transport: RTP/AVP/TCP;unicast;interleaved=%d-%d" % (2 * i, 2 * i + 1)])
        out.setdefault("setup", []).append(status)
        if status == 200 and not c.session:
            c.session = dict(hdrs)["session"].split(";")[0]
    stats = {"rtp": 0, "first_rtp": None, "first_key": None}
    t_play = [None]
    video_codec = next((cd for k, cd, _ in media if k == "video"), None)

    def on_rtp(ch, pkt):
        if ch % 2:              # RTCP
            return
        now = time.monotonic()
        t0 = t_play[0] if t_play[0] is not None else now
        stats["rtp"] += 1
        if stats["first_rtp"] is None:
            stats["first_rtp"] = round(now - t0, 3)
        if stats["first_key"] is None and ch == 0 and keyframe_in(video_codec, pkt):
            stats["first_key"] = round(now - t0, 3)

    status, _, _ = c.request("PLAY", base, ["Range: npt=0.000-"], on_rtp)
    t_play[0] = time.monotonic()
    out["play"] = status
    if status == 200:
        c.read_frames(seconds, on_rtp,
                      lambda: until_first_rtp and stats["rtp"] > 0)
    out["rtp_packets"] = stats["rtp"]
    out["first_rtp_s"] = stats["first_rtp"]
    out["first_keyframe_s"] = stats["first_key"]
    try:
        c.request("TEARDOWN", base)
    except (OSError, RTSPError):
        pass
    return out


def _udp_pair():
    """Two UDP sockets on consecutive ports (RTP even, RTCP odd) on 127.0.0.1."""
    for _ in range(50):
        rtp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rtp.bind(("127.0.0.1", 0))
        port = rtp.getsockname()[1]
        if port % 2 == 0:
            rtcp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                rtcp.bind(("127.0.0.1", port + 1))
                rtp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
                return rtp, rtcp
            except OSError:
                rtcp.close()
        rtp.close()
    raise RTSPError("no free UDP port pair")


def trace(url, seconds, transport="tcp"):
    """DESCRIBE, SETUP the first stream over `transport` ("tcp" or "udp"), PLAY,
    and record every RTP packet of it for `seconds`; then TEARDOWN.

    Returns a dict: the status of each request (`setup` alone when SETUP failed),
    `media`, `rtptime` (of the PLAY reply's RTP-Info), `packets`: one (arrival,
    seq, timestamp, marker, size, is_key) per RTP packet, and `sender_reports`:
    one (arrival, ntp, rtptime, wall) per RTCP sender report, with `ntp` its NTP
    time as Unix seconds and `wall` this host's clock when it arrived.  Arrivals
    are in seconds since the PLAY request was sent.  The connection stays open
    the whole time, so a server that stops sending is seen going quiet, not
    closing.
    """
    c = Client(url)
    udp = None
    try:
        out = {"url": re.sub(r"//[^@/]*@", "//", url)}
        status, hdrs, sdp = c.request("DESCRIBE", headers=["Accept: application/sdp"])
        out["describe"] = status
        if status != 200:
            return out
        base = dict(hdrs).get("content-base", c.url)
        block = sdp.split("\nm=")[1]
        codec = re.search(r"a=rtpmap:\d+ ([\w\-]+)/", block)
        out["media"] = "%s/%s" % (block.split()[0], codec.group(1) if codec else "?")
        ctrl = re.search(r"a=control:(\S+)", block)
        ctrl = ctrl.group(1) if ctrl else ""
        uri = ctrl if ctrl.startswith("rtsp://") else base.rstrip("/") + "/" + ctrl
        if transport == "udp":
            udp = _udp_pair()
            port = udp[0].getsockname()[1]
            spec = "RTP/AVP;unicast;client_port=%d-%d" % (port, port + 1)
        else:
            spec = "RTP/AVP/TCP;unicast;interleaved=0-1"
        status, hdrs, _ = c.request("SETUP", uri, ["Transport: " + spec])
        out["setup"] = status
        if status != 200:
            return out
        c.session = dict(hdrs)["session"].split(";")[0]
        packets, reports = [], []
        video = codec.group(1) if codec else ""
        t0 = time.monotonic()

        def on_rtp(ch, pkt):
            if ch % 2 == 0 and len(pkt) >= 12:
                packets.append((round(time.monotonic() - t0, 4), int.from_bytes(pkt[2:4], "big"),
                                int.from_bytes(pkt[4:8], "big"), bool(pkt[1] & 0x80), len(pkt),
                                keyframe_in(video, pkt)))
            elif ch % 2 == 1:
                reports.extend((round(time.monotonic() - t0, 4), ntp, rtptime, time.time())
                               for ntp, rtptime in sender_reports(pkt))

        status, hdrs, _ = c.request("PLAY", base, ["Range: npt=0.000-"], on_rtp)
        out["play"] = status
        rtptime = re.search(r"rtptime=(\d+)", dict(hdrs).get("rtp-info", ""))
        out["rtptime"] = int(rtptime.group(1)) if rtptime else None
        if udp:
            deadline = t0 + seconds
            while time.monotonic() < deadline:
                ready, _, _ = select.select(udp, [], [], max(0.01, deadline - time.monotonic()))
                if not ready:
                    break
                for sock in ready:
                    on_rtp(udp.index(sock), sock.recv(65536))
        else:
            c.read_frames(seconds, on_rtp)
        out["packets"] = packets
        out["sender_reports"] = reports
        try:
            c.request("TEARDOWN", base)
        except (OSError, RTSPError):
            pass
        return out
    finally:
        c.sock.close()
        for s in udp or ():
            s.close()


NTP_UNIX_OFFSET_S = 2208988800      # seconds from 1900 (NTP's epoch) to 1970


def sender_reports(rtcp):
    """(NTP time as Unix seconds, RTP time) of each sender report in a compound RTCP packet."""
    out, i = [], 0
    while i + 4 <= len(rtcp):
        length = 4 * (int.from_bytes(rtcp[i + 2:i + 4], "big") + 1)
        if rtcp[i + 1] == 200 and i + 20 <= len(rtcp):
            seconds, fraction = (int.from_bytes(rtcp[i + 8:i + 12], "big"),
                                 int.from_bytes(rtcp[i + 12:i + 16], "big"))
            out.append((seconds + fraction / 2 ** 32 - NTP_UNIX_OFFSET_S,
                        int.from_bytes(rtcp[i + 16:i + 20], "big")))
        i += length
    return out


def frames_of(packets):
    """Group traced packets by RTP timestamp, in arrival order: one dict per frame
    with its first and last arrival, timestamp, bytes, packet count and is_key."""
    frames = []
    for arrival, seq, ts, marker, size, key in packets:
        if not frames or frames[-1]["ts"] != ts:
            frames.append({"first": arrival, "last": arrival, "ts": ts, "bytes": 0,
                           "packets": 0, "key": False})
        f = frames[-1]
        f["last"] = arrival
        f["bytes"] += size - 12
        f["packets"] += 1
        f["key"] = f["key"] or key
    return frames


def sequence_gaps(packets):
    """(after seq, missing count) for every gap in the RTP sequence numbers."""
    gaps = []
    for a, b in zip(packets, packets[1:]):
        step = (b[1] - a[1]) % 65536
        if step != 1:
            gaps.append((a[1], step - 1))
    return gaps
