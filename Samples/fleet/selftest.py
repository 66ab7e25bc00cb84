#!/usr/bin/python3
"""Check a running fleet with FFmpeg (ffprobe/ffmpeg) and the raw RTSP probe.

    selftest.py [--ready "READY port=..."] [--control SOCK] [--jobs 4]

Without --ready, the READY line is read from ${PATROL_FLEET_RUN:-/tmp/patrol-fleet}/ready
(as written by `fleet start`).  Prints one line per check and exits 1 if any
check failed.  Needs a fleet with at least 60 cameras for the variety checks.
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
from fleetlib import catalog, control  # noqa: E402
from fleetlib.rtspclient import probe  # noqa: E402

USER, PASSWORD = "admin", catalog.USERS["admin"]
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


class Checks:
    def __init__(self, port, ctl):
        self.port, self.ctl = port, ctl
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
    jobs = []
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
    if c.ctl:
        jobs.append(("runtime set /cam/0009", c.runtime, ("/cam/0009",)))
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
    c = Checks(int(fields["port"]), fields.get("control"))
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
