#!/usr/bin/python3
"""Minimal raw RTSP client used to verify the fleet without FFmpeg.

It speaks RTSP/1.0 over TCP (interleaved RTP), so it can see what FFmpeg
hides: exact status codes, WWW-Authenticate challenges, and the wall-clock
time from the PLAY reply to the first RTP packet and to the first keyframe.

    rtsp_probe.py rtsp://[user:pass@]host:port/path [--seconds S] [--auth basic|digest]

Prints one JSON object and exits 0 if DESCRIBE answered 200 (even when no
RTP arrives: see "rtp_packets"), 1 otherwise.
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fleetlib.rtspclient import RTSPError, probe  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--auth", choices=["basic", "digest"],
                    help="answer only this challenge scheme")
    a = ap.parse_args()
    try:
        out = probe(a.url, a.seconds, a.auth)
    except (OSError, RTSPError) as e:
        out = {"url": a.url, "error": str(e)}
    print(json.dumps(out))
    sys.exit(0 if out.get("describe") == 200 else 1)


if __name__ == "__main__":
    main()
