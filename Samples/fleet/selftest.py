#!/usr/bin/python3
"""Check a running fleet with FFmpeg (ffprobe/ffmpeg) and the raw RTSP probe.

    selftest.py [--ready "READY port=..."] [--control SOCK] [--jobs 4]

Without --ready, the READY line is read from ${PATROL_FLEET_RUN:-/tmp/patrol-fleet}/ready
(as written by `fleet start`).  Prints one line per check and exits 1 if any
check failed.  Needs a fleet with at least 60 cameras for the variety checks; the
scene views are switched on /cam/0400 (or the last camera of a smaller fleet).
"""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleetlib import catalog, control, keyframes, media  # noqa: E402
from fleetlib.rtspclient import Client, frames_of, probe, sequence_gaps, trace  # noqa: E402

USER, PASSWORD = "admin", catalog.USERS["admin"]
SCENES = [name[len("scene-"):] for name in catalog.SOURCES if name.startswith("scene-")]
TOLERATED = ("lights", "passersby", "door", "lowbitrate", "resolution")   # and night
MOVED = ("panned", "elsewhere", "wall", "covered")                       # and blurred
SPECIAL = "operator:op%401%3Ax%2Fy"          # op@1:x/y percent-encoded


def run(cmd, timeout):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        err = e.stderr.decode() if isinstance(e.stderr, bytes) else (e.stderr or "")
        return None, out, err


def ffprobe_streams(url, timeout=20):
    rc, out, err = run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                        "-show_entries", "stream=codec_type,codec_name,profile,width,height,"
                        "r_frame_rate", "-of", "compact=p=0", url], timeout)
    return rc, out.strip().splitlines(), err.strip()


def packets(url, seconds=4, timeout=25):
    """Video packet (pts, is_key) list for `seconds` of stream."""
    rc, out, err = run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp", "-select_streams",
                        "v:0", "-read_intervals", "%%+%d" % seconds, "-show_entries",
                        "packet=pts_time,flags", "-of", "csv=p=0", url], timeout)
    pk = []
    for line in out.splitlines():
        f = line.split(",")
        if len(f) >= 2 and f[0] not in ("", "N/A"):
            pk.append((float(f[0]), "K" in f[1]))
    return pk


def decode(url, seconds, vf=None, timeout=30):
    cmd = ["ffmpeg", "-hide_banner", "-nostats", "-rtsp_transport", "tcp", "-i", url,
           "-t", str(seconds)]
    if vf:
        cmd += ["-vf", vf]
    rc, out, err = run(cmd + ["-f", "null", "-"], timeout)
    frames = re.findall(r"frame=\s*(\d+)", err)
    return rc, int(frames[-1]) if frames else 0, err


def edge_strength(gray, width=1280, height=720):
    """Mean luma step between neighbours after 4x4 averaging: the edges, not the noise."""
    w, h = width // 4, height // 4
    rows = [gray[y * width:(y + 1) * width] for y in range(height)]
    small = [[sum(sum(rows[4 * y + dy][4 * x:4 * x + 4]) for dy in range(4)) / 16
              for x in range(w)] for y in range(h)]
    steps = sum(abs(small[y][x + 1] - small[y][x]) + abs(small[y + 1][x] - small[y][x])
                for y in range(h - 1) for x in range(w - 1))
    return steps / ((w - 1) * (h - 1))


def signed_rtp(delta):
    delta %= 1 << 32
    return delta - (1 << 32) if delta >= 1 << 31 else delta


class Checks:
    def __init__(self, port, ctl, slow404=None, cameras=0):
        self.port, self.ctl, self.slow404, self.cameras = port, ctl, slow404, cameras
        self.results = []

    def url(self, path, creds=""):
        return "rtsp://%s127.0.0.1:%d%s" % (creds + "@" if creds else "", self.port, path)

    # -- individual checks, each returns (ok, detail) --
    def healthy(self, path, fps):
        rc, streams, err = ffprobe_streams(self.url(path))
        pk = packets(self.url(path))
        if rc != 0 or len(pk) < 3:
            return False, "rc=%s packets=%d %s" % (rc, len(pk), err[-200:])
        pts = [p for p, _ in pk]
        mono = all(b > a for a, b in zip(pts, pts[1:]))
        rate = (len(pts) - 1) / (pts[-1] - pts[0])
        ok = mono and abs(rate - fps) < 0.15 * fps
        return ok, "%s | %d pkts, %.1f fps, increasing=%s, keyframes=%d" % (
            streams[0] if streams else "?", len(pk), rate, mono, sum(k for _, k in pk))

    def black(self, path, expect):
        rc, n, err = decode(self.url(path), 5, "blackdetect=d=1")
        found = "black_start" in err
        return found == expect and n > 0, "frames=%d blackdetect=%s" % (n, found)

    def frozen(self, path, expect):
        rc, n, err = decode(self.url(path), 6, "freezedetect")
        found = "freeze_start" in err
        return found == expect and n > 0, "frames=%d freezedetect=%s" % (n, found)

    def status(self, path, code, creds=""):
        rc, streams, err = ffprobe_streams(self.url(path, creds))
        if code == 200:
            return rc == 0 and bool(streams), (streams[0] if streams else err[-200:])
        return rc != 0 and str(code) in err, err.splitlines()[-1] if err else "rc=%s" % rc

    def raw(self, path, code, scheme=None, creds=""):
        out = probe(self.url(path, creds), 1.0, scheme)
        ok = out.get("describe") == code and (code != 200 or out.get("rtp_packets", 0) > 0)
        return ok, "DESCRIBE %s %s rtp=%s" % (out.get("describe"), out.get("www_authenticate"),
                                              out.get("rtp_packets"))

    def no_rtp(self, path):
        out = probe(self.url(path), 4.0)
        rc, streams, err = ffprobe_streams(self.url(path), timeout=8)
        ok = out.get("play") == 200 and out.get("rtp_packets") == 0 and rc is None
        return ok, "PLAY %s, rtp packets in 4s: %s, ffprobe %s" % (
            out.get("play"), out.get("rtp_packets"), "hung (killed after 8s)" if rc is None
            else "rc=%s" % rc)

    def corrupt(self, path):
        rc, n, err = decode(self.url(path), 3)
        errors = len(re.findall(r"error while decoding|concealing|decode_slice_header|"
                                r"Invalid|non-existing", err))
        return errors >= 25, "decoder error lines=%d frames=%d" % (errors, n)

    def audio_only(self, path):
        rc, streams, err = ffprobe_streams(self.url(path))
        ok = rc == 0 and len(streams) == 1 and "codec_type=audio" in streams[0]
        return ok, "; ".join(streams) or err[-200:]

    def phases(self, paths, together):
        """Seconds from PLAY to the first keyframe; `together` = all at once."""
        if together:
            with concurrent.futures.ThreadPoolExecutor(len(paths)) as pool:
                outs = list(pool.map(lambda p: probe(self.url(p), 4.5), paths))
        else:
            outs = []
            for k, p in enumerate(paths):
                time.sleep(0.3 * k)
                outs.append(probe(self.url(p), 4.5))
        keys = [o.get("first_keyframe_s") for o in outs]
        ok = all(k is not None for k in keys) and max(keys) - min(keys) > 0.5
        return ok, "first keyframe after PLAY (s): %s" % keys

    # -- /stack/*: the wire behaviour of each mount --
    def slices(self, path):
        """Every frame carries two slice NAL units."""
        out = subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
                              "-rtsp_transport", "tcp", "-i", self.url(path), "-frames:v", "60",
                              "-c", "copy", "-f", "h264", "-"], capture_output=True,
                             timeout=25).stdout
        aus = media.split_access_units(out, "h264")
        counts = sorted({sum(media.is_slice_nal("h264", media.nal_type("h264", au[s]))
                             for s, _ in media.nal_units(au)) for au in aus})
        return len(aus) > 10 and counts == [2], "%d frames, slices per frame: %s" % (
            len(aus), counts)

    def transports(self, path, tcp_status):
        """A TCP SETUP gets `tcp_status`; a UDP SETUP plays."""
        tcp = trace(self.url(path), 0.5, "tcp")
        udp = trace(self.url(path), 2.0, "udp")
        frames = len(frames_of(udp.get("packets", [])))
        ok = tcp.get("setup") == tcp_status and udp.get("play") == 200 and frames >= 40
        return ok, "TCP SETUP %s, UDP SETUP %s PLAY %s, %d frames in 2 s over UDP" % (
            tcp.get("setup"), udp.get("setup"), udp.get("play"), frames)

    def stops(self, path, frames):
        """`frames` frames at real time, then silence with the session open."""
        out = trace(self.url(path), 3.5)
        fr = frames_of(out.get("packets", []))
        last = fr[-1]["last"] if fr else None
        ok = len(fr) == frames and last is not None and abs(last - (frames - 1) / 25) < 0.5
        return ok, "%d frames, the last %s s after PLAY, none until 3.5 s" % (len(fr), last)

    def burst(self, path, frames, live):
        """`frames` frames 40 ms apart in RTP time within a few ms of PLAY; then real time
        (`live`) or nothing."""
        out = trace(self.url(path), 3.0)
        fr = frames_of(out.get("packets", []))
        if len(fr) < frames:
            return False, "%d frames" % len(fr)
        head = fr[:frames]
        spacing = {(b["ts"] - a["ts"]) % (1 << 32) for a, b in zip(head, head[1:])}
        spread = head[-1]["last"] - head[0]["first"]
        within = sum(f["last"] - head[0]["first"] < 0.01 for f in head)
        tail = fr[frames:]
        ok = spacing == {3600} and spread < 0.05 and within >= frames - 3 and head[0]["key"]
        ok = ok and (len(tail) >= 40 and tail[-1]["last"] > 2.8 if live else not tail)
        return ok, ("first %d frames (RTP 40 ms apart: %s) arrived within %.0f ms, %d of them "
                    "within 10 ms; %d frames after them, the last at %.2f s") % (
            frames, spacing == {3600}, spread * 1000, within, len(tail),
            fr[-1]["last"])

    def slow_not_found(self):
        """OPTIONS answered at once; DESCRIBE held, then 404."""
        if self.slow404 is None:
            return False, "no slow404 port in the READY line"
        c = Client("rtsp://127.0.0.1:%d/live/none" % self.slow404, timeout=30)
        try:
            t0 = time.monotonic()
            options, _, _ = c.request("OPTIONS")
            t1 = time.monotonic()
            describe, _, _ = c.request("DESCRIBE")
            t2 = time.monotonic()
        finally:
            c.sock.close()
        ok = options == 200 and t1 - t0 < 0.5 and describe == 404 and t2 - t1 >= 1.0
        return ok, "OPTIONS %s after %.2f s, DESCRIBE %s after %.2f s" % (
            options, t1 - t0, describe, t2 - t1)

    def keyframe_loss(self, path):
        """One gap in the RTP sequence numbers, inside the first keyframe."""
        out = trace(self.url(path), 2.0)
        pk = out.get("packets", [])
        gaps = sequence_gaps(pk)
        first = frames_of(pk)[0] if pk else None
        in_key = [g for g in gaps if first and any(p[1] == g[0] and p[2] == first["ts"]
                                                   for p in pk)]
        ok = len(gaps) == 1 and len(in_key) == 1 and first["key"] and len(frames_of(pk)) >= 40
        return ok, "gaps (after seq, missing): %s; first frame keyframe=%s of %d packets" % (
            gaps, first and first["key"], first["packets"] if first else 0)

    def frozen_cbr(self, path):
        """Keyframes decode to (nearly) the same picture but are not identical, and no
        P-frame is near empty."""
        diffs = keyframes.keyframe_differences(self.url(path), 4)
        sizes = keyframes.packet_sizes(self.url(path), 3)
        key = [s for s, k in sizes if k] or [0]
        rest = [s for s, k in sizes if not k] or [0]
        ratio = min(rest) / max(key) if max(key) else 0
        ok = len(diffs) == 3 and all(0 < d < 0.003 for d in diffs) and ratio > 0.05
        return ok, "keyframe differences %s; P-frames %d..%d bytes, keyframes %s (min ratio %.3f)" % (
            diffs, min(rest), max(rest), key, ratio)

    def over_udp(self, path, fps):
        """Frames over UDP at the frame rate, no datagram lost."""
        out = trace(self.url(path), 3.0, "udp")
        pk = out.get("packets", [])
        fr = frames_of(pk)
        rate = (len(fr) - 1) / ((fr[-1]["ts"] - fr[0]["ts"]) / 90000) if len(fr) > 1 else 0
        ok = out.get("media", "").endswith("JPEG") and abs(rate - fps) < 2 and not sequence_gaps(pk)
        return ok, "%s: %d frames, %.1f fps by RTP time, %d packets, gaps %s" % (
            out.get("media"), len(fr), rate, len(pk), sequence_gaps(pk))

    def mpegts(self, path):
        rc, streams, err = ffprobe_streams(self.url(path))
        kinds = {s.split("|")[0] for s in streams if s}
        ok = rc == 0 and "codec_name=h264" in kinds and "codec_name=aac" in kinds
        return ok, "; ".join(sorted(kinds)) or err[-200:]

    # -- /scene/*: one fixed view and its variants --
    def scene_stream(self, path, size):
        """Decodable H.264 of the clip's size: frames from the first keyframe on, in 3 s
        (more than one GOP)."""
        rc, n, err = decode(self.url(path), 3)
        video = re.search(r"Stream #0:0.*Video: (\w+).*?, (\d+)x(\d+)", err)
        ok = (rc == 0 and n >= 20 and video is not None and video.group(1) == "h264"
              and (int(video.group(2)), int(video.group(3))) == size)
        return ok, "%s, %d frames decoded in 3 s" % (
            "%s %sx%s" % video.groups() if video else err[-200:], n)

    def scene_variants(self):
        """Each view against the approved one, by the probe's fingerprint (the luma of 32x18
        points): the tolerated changes stay close, the moved and covered views do not; the
        night view is dark and the blurred one has soft edges."""
        pictures = {name: keyframes.first_keyframe(self.url("/scene/" + name)) for name in SCENES}
        missing = [name for name, picture in pictures.items() if not picture]
        if missing:
            return False, "no keyframe from %s" % missing
        prints = {name: keyframes.fingerprint(p, 1280, 720) for name, p in pictures.items()}
        diff = {name: round(keyframes.difference(prints["approved"], f), 3)
                for name, f in prints.items() if name != "approved"}
        luma = {name: sum(pictures[name][::97]) / len(pictures[name][::97])
                for name in ("approved", "night")}
        edges = {name: edge_strength(pictures[name]) for name in ("approved", "blurred")}
        ok = (all(diff[name] < 0.1 for name in TOLERATED)
              and all(diff[name] > 0.15 for name in MOVED)
              and luma["night"] < 0.5 * luma["approved"] and diff["blurred"] > 0.03
              and edges["blurred"] < 0.6 * edges["approved"])
        return ok, "differences %s; mean luma night %.0f, approved %.0f; edges blurred %.1f, " \
            "approved %.1f" % (diff, luma["night"], luma["approved"], edges["blurred"],
                              edges["approved"])

    def runtime_scenes(self, path):
        """A camera turned to the approved view, to each fault and back (new sessions see each
        mode: its keyframe against /scene/approved's), then reset to its own stream."""
        approved = keyframes.first_keyframe(self.url("/scene/approved"))
        if not approved:
            return False, "no keyframe from /scene/approved"
        reference = keyframes.fingerprint(approved, 1280, 720)
        ok, steps = True, []
        modes = ["scene-" + name for name in ("approved",) + MOVED + ("blurred", "approved")]
        for mode in modes:
            reply = control.request(self.ctl, "set %s %s" % (path, mode))
            picture = keyframes.first_keyframe(self.url(path))
            d = (keyframes.difference(reference, keyframes.fingerprint(picture, 1280, 720))
                 if picture else None)
            ok = ok and reply.startswith("OK") and d is not None and (
                d < 0.03 if mode == "scene-approved" else d > 0.04)
            steps.append("%s %s" % (mode[len("scene-"):], "-" if d is None else "%.3f" % d))
        control.request(self.ctl, "reset %s" % path)
        rc, streams, err = ffprobe_streams(self.url(path))
        variant, _ = catalog.camera_source(int(path[len("/cam/"):]))
        codec = "codec_name=%s" % ("hevc" if catalog.CLIPS[variant].codec == "h265" else "h264")
        ok = ok and rc == 0 and bool(streams) and codec in streams[0]
        return ok, "differences from approved: %s; reset: %s" % (
            ", ".join(steps), streams[0].split("|")[0] if streams else err[-100:])

    # -- /stack/clock-*: the camera's clock in its RTCP sender reports --
    def clock(self, path, offset, transport):
        """The first sender report within 1 s of PLAY; its NTP time `offset` s from this host's
        clock, and so is the camera time of the first frame (what FFmpeg reports as
        start_time_realtime: the report's NTP time less the RTP time since that frame)."""
        out = trace(self.url(path), 1.5, transport)
        packets, reports = out.get("packets", []), out.get("sender_reports", [])
        if not packets or not reports:
            return False, "%d RTP packets, %d sender reports" % (len(packets), len(reports))
        arrival, ntp, rtptime, wall = reports[0]
        first_wall = wall - (arrival - packets[0][0])
        start = ntp - signed_rtp(rtptime - packets[0][2]) / 90000
        ok = (arrival < 1.0 and abs(ntp - wall - offset) < 0.5
              and abs(start - first_wall - offset) < 0.5)
        return ok, ("first of %d sender reports %.2f s after PLAY; NTP - local clock %+.3f s; "
                    "camera time of the first frame - its arrival %+.3f s") % (
            len(reports), arrival, ntp - wall, start - first_wall)

    def rtp_info(self, path):
        """The PLAY reply's RTP-Info rtptime is that of the stream now, even when nobody
        watched the mount for a while (FFmpeg counts the stream's time from it)."""
        out = trace(self.url(path), 0.5)
        packets = out.get("packets", [])
        if not packets or out.get("rtptime") is None:
            return False, "rtptime %s, %d packets" % (out.get("rtptime"), len(packets))
        behind = signed_rtp(packets[0][2] - out["rtptime"]) / 90000
        return abs(behind) < 0.6, "first packet %.3f s after RTP-Info's rtptime" % behind

    def runtime(self, path):
        steps = []
        r = control.request(self.ctl, "set %s black" % path)
        ok1, d1 = self.black(path, True)
        steps.append("black:%s" % d1)
        control.request(self.ctl, "set %s healthy" % path)
        ok2, d2 = self.black(path, False)
        steps.append("healthy:%s" % d2)
        control.request(self.ctl, "set %s missing" % path)
        ok3, d3 = self.status(path, 404)
        steps.append("missing:%s" % d3)
        control.request(self.ctl, "set %s unauthorized" % path)
        ok4, d4 = self.status(path, 401)
        steps.append("unauthorized:%s" % d4)
        control.request(self.ctl, "reset %s" % path)
        ok5, d5 = self.status(path, 200)
        return all((r.startswith("OK"), ok1, ok2, ok3, ok4, ok5)), " | ".join(steps)


def plan(c):
    cams = {}
    for n in range(1, 61):
        name, _ = catalog.camera_source(n)
        cams.setdefault(name, catalog.camera_path(n))
    fps = {name: clip.fps for name, clip in catalog.CLIPS.items()}
    # First, while the fleet is idle: a mount the other checks play only later.
    jobs = [("RTP-Info of an idle mount", c.rtp_info, ("/fault/corrupt",))]
    for name, path in sorted(cams.items()):
        jobs.append(("healthy %s (%s)" % (path, name), c.healthy, (path, fps[name])))
    for v in ("night", "static", "h265", "lowfps", "1080p", "360p"):
        jobs.append(("healthy /variant/%s" % v, c.healthy, ("/variant/" + v, fps[v])))
    jobs += [
        ("/fault/black is black", c.black, ("/fault/black", True)),
        ("/variant/night is not black", c.black, ("/variant/night", False)),
        ("/fault/frozen is frozen", c.frozen, ("/fault/frozen", True)),
        ("/variant/static is not frozen", c.frozen, ("/variant/static", False)),
        ("/cam/0001 is not frozen", c.frozen, ("/cam/0001", False)),
        ("auth-basic anonymous -> 401", c.raw, ("/fault/auth-basic", 401)),
        ("auth-digest anonymous -> 401", c.raw, ("/fault/auth-digest", 401)),
        ("auth-basic ffprobe anonymous", c.status, ("/fault/auth-basic", 401)),
        ("auth-basic ffprobe admin", c.status, ("/fault/auth-basic", 200, USER + ":" + PASSWORD)),
        ("auth-digest ffprobe admin", c.status, ("/fault/auth-digest", 200,
                                                 USER + ":" + PASSWORD)),
        ("auth-basic ffprobe op@1:x/y", c.status, ("/fault/auth-basic", 200, SPECIAL)),
        ("auth-digest ffprobe op@1:x/y", c.status, ("/fault/auth-digest", 200, SPECIAL)),
        ("auth-basic wrong password", c.raw, ("/fault/auth-basic", 401, None, "admin:nope")),
        ("auth-digest refuses Basic", c.raw, ("/fault/auth-digest", 401, "basic",
                                              USER + ":" + PASSWORD)),
        ("auth-digest raw digest", c.raw, ("/fault/auth-digest", 200, "digest",
                                           USER + ":" + PASSWORD)),
        ("/fault/unauthorized -> 401", c.status, ("/fault/unauthorized", 401)),
        ("/fault/missing -> 404", c.status, ("/fault/missing", 404)),
        ("/fault/unavailable -> 503", c.status, ("/fault/unavailable", 503)),
        ("/fault/no-rtp", c.no_rtp, ("/fault/no-rtp",)),
        ("/fault/corrupt", c.corrupt, ("/fault/corrupt",)),
        ("/fault/audio-only", c.audio_only, ("/fault/audio-only",)),
        ("phases, 6 cams at once", c.phases, (["/cam/%04d" % n for n in (1, 2, 4, 5, 6, 8)],
                                               True)),
        ("phases, same cam x4", c.phases, (["/cam/0011"] * 4, False)),
    ]
    jobs += [
        ("/stack/slices two slices", c.slices, ("/stack/slices",)),
        ("/stack/udp-only 461 on TCP", c.transports, ("/stack/udp-only", 461)),
        ("/stack/udp-only-400 400 on TCP", c.transports, ("/stack/udp-only-400", 400)),
        ("/stack/stops after 3 frames", c.stops, ("/stack/stops", 3)),
        ("/stack/stops-waiting after 25 frames", c.stops, ("/stack/stops-waiting", 25)),
        ("/stack/cache-burst", c.burst, ("/stack/cache-burst", 25, False)),
        ("/stack/cache-burst-live", c.burst, ("/stack/cache-burst-live", 25, True)),
        ("slow404 holds DESCRIBE", c.slow_not_found, ()),
        ("/stack/long-gop-loss gap", c.keyframe_loss, ("/stack/long-gop-loss",)),
        ("/stack/frozen-cbr", c.frozen_cbr, ("/stack/frozen-cbr",)),
        ("/stack/mjpeg over UDP", c.over_udp, ("/stack/mjpeg", 25)),
        ("/stack/mpegts tracks", c.mpegts, ("/stack/mpegts",)),
    ]
    for name in SCENES:
        size = catalog.CLIPS[catalog.SOURCES["scene-" + name].clip].size
        jobs.append(("/scene/%s H.264" % name, c.scene_stream, ("/scene/" + name, size)))
    jobs.append(("/scene/* against approved", c.scene_variants, ()))
    for name, offset in (("clock-skew", catalog.CLOCK_SKEW_S), ("clock-ok", 0.0)):
        for transport in ("tcp", "udp"):
            jobs.append(("/stack/%s over %s" % (name, transport.upper()), c.clock,
                         ("/stack/" + name, offset, transport)))
    if c.ctl:
        jobs.append(("runtime set /cam/0009", c.runtime, ("/cam/0009",)))
        camera = catalog.camera_path(min(400, c.cameras))
        jobs.append(("runtime scenes %s" % camera, c.runtime_scenes, (camera,)))
    return jobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ready", help="the READY line of the fleet")
    ap.add_argument("--jobs", type=int, default=4)
    a = ap.parse_args()
    ready = a.ready
    if not ready:
        path = os.path.join(os.environ.get("PATROL_FLEET_RUN", "/tmp/patrol-fleet"), "ready")
        ready = open(path).read()
    fields = dict(kv.split("=", 1) for kv in ready.split()[1:])
    slow404 = int(fields["slow404"]) if "slow404" in fields else None
    c = Checks(int(fields["port"]), fields.get("control"), slow404, int(fields.get("cameras", 60)))
    jobs = plan(c)
    t0 = time.monotonic()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        futs = [(name, pool.submit(fn, *args)) for name, fn, args in jobs]
        for name, fut in futs:
            try:
                ok, detail = fut.result()
            except Exception as e:          # a crashed check is a failed check
                ok, detail = False, "exception: %r" % e
            failed += not ok
            print("%s  %-34s %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)
    print("%d/%d checks passed in %.0fs" % (len(jobs) - failed, len(jobs), time.monotonic() - t0))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
