"""How much a stream's keyframes differ, measured the way Patrol's probe does.

The probe compares two decoded keyframes by a fingerprint: the brightness of
32 x 18 points on a fixed grid (limited-range luma mapped to 0..1, one byte
each), and their mean absolute difference (0..1).  Below 0.003 it calls two
pictures the same.  This module decodes the keyframes of a stream with the
ffmpeg CLI and reports that difference between consecutive keyframes, plus
the size of every packet (to see whether a coder sends near-empty P-frames).
"""
import os
import re
import subprocess
import tempfile

COLUMNS, ROWS = 32, 18


def fingerprint(gray, width, height):
    samples = []
    for row in range(ROWS):
        y = min(height - 1, (2 * row + 1) * height // (2 * ROWS))
        for column in range(COLUMNS):
            x = min(width - 1, (2 * column + 1) * width // (2 * COLUMNS))
            value = min(1.0, max(0.0, (gray[y * width + x] - 16) / 219))
            samples.append(round(value * 255))
    return samples


def difference(a, b):
    return sum(abs(x - y) for x, y in zip(a, b)) / len(a) / 255


def keyframe_differences(url, count, size=(1280, 720), timeout=60):
    """Fingerprint differences between `count` consecutive decoded keyframes of `url`."""
    width, height = size
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error",
           "-rtsp_transport", "tcp", "-skip_frame", "nokey", "-i", url, "-frames:v", str(count),
           "-vsync", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "-y"]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "keyframes.gray")
        subprocess.run(cmd + [path], capture_output=True, timeout=timeout)
        with open(path, "rb") as f:
            raw = f.read()
    frame = width * height
    prints = [fingerprint(raw[i:i + frame], width, height)
              for i in range(0, len(raw) - frame + 1, frame)]
    return [round(difference(a, b), 5) for a, b in zip(prints, prints[1:])]


def first_keyframe(url, size=(1280, 720), timeout=30):
    """The first keyframe of `url` decoded and scaled to `size`, as 8-bit gray
    (b"" when none came within `timeout`)."""
    width, height = size
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "quiet", "-rtsp_transport", "tcp",
           "-skip_frame", "nokey", "-i", url, "-frames:v", "1", "-vf",
           "scale=%d:%d" % (width, height), "-f", "rawvideo", "-pix_fmt", "gray", "-"]
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return b""
    return out[:width * height] if len(out) >= width * height else b""


def packet_sizes(url, seconds, timeout=60):
    """(size, is_key) of every video packet of `url` over `seconds`."""
    out = subprocess.run(["ffprobe", "-v", "error", "-rtsp_transport", "tcp",
                          "-select_streams", "v:0", "-read_intervals", "%%+%d" % seconds,
                          "-show_entries", "packet=size,flags", "-of", "csv=p=0", url],
                         capture_output=True, text=True, timeout=timeout).stdout
    sizes = []
    for line in out.splitlines():
        m = re.match(r"(\d+),(\S+)", line)
        if m:
            sizes.append((int(m.group(1)), "K" in m.group(2)))
    return sizes
