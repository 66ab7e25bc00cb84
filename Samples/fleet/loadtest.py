#!/usr/bin/python3
"""Open many concurrent FFmpeg RTSP clients against a running fleet.

    loadtest.py [--ready "READY port=..."] [--clients 100] [--seconds 3]
                [--decode] [--first 1] [--stride 15]

Each client is `ffmpeg -rtsp_transport tcp -i rtsp://127.0.0.1:P/cam/NNNN
-t S -f null -`, on cameras first, first+stride, ... (all started at once).
Without --decode the video is stream-copied (measures the server, not the
2-core decoder budget).  Reports how many clients got frames, frame counts,
wall times and the server's CPU while the clients ran.  All load stays on
127.0.0.1 and every client is killed after --seconds + 60 s.
"""
import argparse
import os
import re
import subprocess
import sys
import time


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])          # utime + stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ready", help="READY line (default: from the fleet run dir)")
    ap.add_argument("--pid", type=int, help="server pid for CPU (default: run dir)")
    ap.add_argument("--clients", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=3)
    ap.add_argument("--decode", action="store_true", help="decode video (default: -c copy)")
    ap.add_argument("--first", type=int, default=1)
    ap.add_argument("--stride", type=int, default=15)
    a = ap.parse_args()
    run = os.environ.get("PATROL_FLEET_RUN", "/tmp/patrol-fleet")
    ready = a.ready or open(os.path.join(run, "ready")).read()
    fields = dict(kv.split("=", 1) for kv in ready.split()[1:])
    port, cameras = int(fields["port"]), int(fields["cameras"])
    pid = a.pid
    if pid is None and os.path.exists(os.path.join(run, "fleet.pid")):
        pid = int(open(os.path.join(run, "fleet.pid")).read())

    cams = [(a.first - 1 + k * a.stride) % cameras + 1 for k in range(a.clients)]
    codec = [] if a.decode else ["-c", "copy"]
    t0 = time.monotonic()
    ticks0 = cpu_ticks(pid) if pid else None
    procs = []
    for n in cams:
        url = "rtsp://127.0.0.1:%d/cam/%04d" % (port, n)
        cmd = (["ffmpeg", "-hide_banner", "-nostdin", "-rtsp_transport", "tcp", "-i", url,
                "-t", str(a.seconds)] + codec + ["-f", "null", "-"])
        procs.append((n, time.monotonic(), subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)))
    results = []
    for n, started, p in procs:
        try:
            _, err = p.communicate(timeout=max(1, a.seconds + 60 - (time.monotonic() - t0)))
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
        frames = re.findall(r"frame=\s*(\d+)", err)
        results.append((n, p.returncode, int(frames[-1]) if frames else 0,
                        time.monotonic() - started, err))
    wall = time.monotonic() - t0
    cpu = (cpu_ticks(pid) - ticks0) / os.sysconf("SC_CLK_TCK") if pid else None

    ok = [r for r in results if r[1] == 0 and r[2] > 0]
    frames = sorted(r[2] for r in results)
    times = sorted(r[3] for r in results)
    print("clients=%d decode=%s seconds=%s cameras=%s..%s" % (
        a.clients, a.decode, a.seconds, cams[0], cams[-1]))
    print("got frames: %d/%d   frames min/median/max: %d/%d/%d   client wall s "
          "min/median/max: %.1f/%.1f/%.1f   total wall %.1fs" % (
              len(ok), len(results), frames[0], frames[len(frames) // 2], frames[-1],
              times[0], times[len(times) // 2], times[-1], wall))
    if cpu is not None:
        print("server CPU during the run: %.1fs over %.1fs = %.0f%% of one core" % (
            cpu, wall, 100 * cpu / wall))
    for n, rc, fr, t, err in results:
        if rc != 0 or fr == 0:
            print("FAILED /cam/%04d rc=%s frames=%d: %s" % (
                n, rc, fr, err.strip().splitlines()[-1] if err.strip() else ""))
    sys.exit(0 if len(ok) == len(results) else 1)


if __name__ == "__main__":
    main()
