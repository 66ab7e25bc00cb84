"""Clip generation (ffmpeg CLI), on-disk cache, and Annex-B access units.

Clips are rendered once into the media dir as raw Annex-B elementary streams
with an access-unit delimiter (AUD) before every frame, then split into
access units in memory.  JPEG clips are split into frames, MPEG-TS clips into
runs of TS packets, one video frame each.  The file name carries a content key (clip spec,
scene graph, ffmpeg version, GENERATOR_VERSION), so a changed definition
renders a new file and an unchanged one is reused: the second start is fast.
"""
import concurrent.futures
import hashlib
import logging
import os
import random
import subprocess
import time
from dataclasses import dataclass
from typing import List

from .catalog import SCENES

log = logging.getLogger("fleet.media")

GENERATOR_VERSION = 1          # bump to force re-rendering of every clip
CONSTANT_QP = 22               # for clips with kbps=0

NAL_AUD = {"h264": 9, "h265": 35}


def default_media_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "patrol-fleet")


def nal_type(codec, first_byte):
    return first_byte & 0x1F if codec == "h264" else (first_byte >> 1) & 0x3F


def is_keyframe_nal(codec, t):
    return t == 5 if codec == "h264" else 16 <= t <= 21


def is_slice_nal(codec, t):
    return t in (1, 5) if codec == "h264" else t <= 21


@dataclass
class LoadedClip:
    name: str
    codec: str
    fps: int
    aus: List[bytes]            # one access unit (all NALs of a frame) each
    keyframes: List[int]        # indices of access units holding an IDR/IRAP

    @property
    def gop(self):
        """Frames per GOP (the clip has a fixed keyframe interval)."""
        k = self.keyframes
        return k[1] - k[0] if len(k) > 1 else len(self.aus)


# -- generation ---------------------------------------------------------------

def _ffmpeg_version():
    out = subprocess.run(["ffmpeg", "-hide_banner", "-version"], capture_output=True,
                         text=True, check=True).stdout
    return out.splitlines()[0]


def _scene_graph(clip):
    w, h = clip.size
    return SCENES[clip.scene].format(w=w, h=h, fps=clip.fps,
                                     w4=(w // 4) & ~1, h4=(h // 4) & ~1)


def _x264_args(clip):
    g = clip.gop_frames
    if clip.cbr:
        # Constant bitrate: x264 pads every frame with filler data up to the rate, so
        # even a still picture's P-frames are full-size. A VBV of 1/5 s keeps it tight.
        rate = ["-b:v", "%dk" % clip.kbps, "-minrate", "%dk" % clip.kbps,
                "-maxrate", "%dk" % clip.kbps, "-bufsize", "%dk" % (clip.kbps // 5)]
    elif clip.kbps:
        rate = ["-b:v", "%dk" % clip.kbps, "-maxrate", "%dk" % clip.kbps,
                "-bufsize", "%dk" % clip.kbps]
    else:
        rate = ["-qp", str(CONSTANT_QP)]
    params = ":".join(p for p in (clip.x264_params, "nal-hrd=cbr" if clip.cbr else "") if p)
    return (["-c:v", "libx264", "-preset", "veryfast", "-profile:v", clip.profile,
             "-bf", "0", "-g", str(g), "-keyint_min", str(g), "-sc_threshold", "0"]
            + rate + (["-x264-params", params] if params else []))


def _encoder_args(clip):
    if clip.codec == "h264":
        return _x264_args(clip) + ["-bsf:v", "h264_metadata=aud=insert", "-f", "h264"]
    if clip.codec == "mpegts":
        # A camera's TS: H.264 and AAC (16 kHz mono), PAT/PMT repeated, no start delay.
        return (_x264_args(clip) + ["-c:a", "aac", "-b:a", "32k", "-ar", "16000", "-ac", "1",
                                    "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts"])
    if clip.codec == "mjpeg":
        # Baseline JPEG with the standard Huffman tables: RTP/JPEG (RFC 2435) cannot carry
        # others, so FFmpeg's default optimised tables would decode to garbage.
        return ["-c:v", "mjpeg", "-q:v", "6", "-huffman", "default", "-f", "mjpeg"]
    if clip.codec == "h265":
        g = clip.gop_frames
        rate = (["-b:v", "%dk" % clip.kbps, "-maxrate", "%dk" % clip.kbps,
                 "-bufsize", "%dk" % clip.kbps] if clip.kbps else ["-qp", str(CONSTANT_QP)])
        params = ("keyint=%d:min-keyint=%d:scenecut=0:bframes=0:open-gop=0:"
                  "repeat-headers=1:log-level=error" % (g, g))
        return (["-c:v", "libx265", "-preset", "ultrafast", "-profile:v", clip.profile,
                 "-x265-params", params] + rate
                + ["-bsf:v", "hevc_metadata=aud=insert", "-f", "hevc"])
    raise ValueError("unknown codec %r" % clip.codec)


def clip_command(clip, out_path):
    frames = round(clip.seconds * clip.fps)
    graph, maps = _scene_graph(clip) + "[v]", ["-map", "[v]"]
    if clip.codec == "mpegts":
        graph += ";sine=frequency=440:sample_rate=16000:duration=%g[a]" % clip.seconds
        maps += ["-map", "[a]"]
    pix_fmt = "yuvj420p" if clip.codec == "mjpeg" else "yuv420p"
    return (["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
             "-filter_complex", graph] + maps
            + ["-frames:v", str(frames), "-pix_fmt", pix_fmt]
            + _encoder_args(clip) + [out_path])


def clip_path(media_dir, name, clip, ffmpeg_version):
    key = hashlib.sha256(repr((GENERATOR_VERSION, ffmpeg_version, clip,
                               _scene_graph(clip), clip_command(clip, "-")))
                         .encode()).hexdigest()[:16]
    ext = {"mjpeg": "mjpeg", "mpegts": "ts"}.get(clip.codec, clip.codec)
    return os.path.join(media_dir, "%s-%s.%s" % (name, key, ext))


def _render(name, clip, path, running):
    tmp = "%s.tmp-%d" % (path, os.getpid())
    t0 = time.monotonic()
    proc = subprocess.Popen(clip_command(clip, tmp), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    running.add(proc)
    try:
        _, err = proc.communicate()
    finally:
        running.discard(proc)
    if proc.returncode != 0:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise RuntimeError("ffmpeg failed (rc=%s) for clip %s: %s"
                           % (proc.returncode, name, err.strip()))
    os.replace(tmp, path)
    log.info("rendered %s in %.1fs (%d KiB)", os.path.basename(path),
             time.monotonic() - t0, os.path.getsize(path) // 1024)


def _remove_stale_tmp(media_dir):
    """Delete half-written clips left by a fleet that died while rendering."""
    for f in os.listdir(media_dir):
        pid = f.rpartition(".tmp-")[2]
        if ".tmp-" in f and pid.isdigit() and not os.path.exists("/proc/" + pid):
            os.unlink(os.path.join(media_dir, f))


def ensure_clips(media_dir, clips):
    """Render missing clips (in parallel, one ffmpeg per core). Returns {name: path}.

    If interrupted (signal, error), running ffmpeg processes are killed and
    nothing half-written is left under a final name.
    """
    os.makedirs(media_dir, exist_ok=True)
    _remove_stale_tmp(media_dir)
    version = _ffmpeg_version()
    paths = {name: clip_path(media_dir, name, clip, version) for name, clip in clips.items()}
    todo = [name for name, p in paths.items() if not os.path.exists(p)]
    if not todo:
        log.info("all %d clips cached in %s", len(paths), media_dir)
        return paths
    log.info("rendering %d clip(s) into %s: %s", len(todo), media_dir, " ".join(todo))
    running = set()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
    try:
        for job in [pool.submit(_render, n, clips[n], paths[n], running) for n in todo]:
            job.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in list(running):
            proc.kill()
        raise
    finally:
        pool.shutdown(wait=True)
    return paths


# -- access units -------------------------------------------------------------

def split_access_units(data, codec):
    """Split an Annex-B stream into access units at each AUD NAL."""
    aud = NAL_AUD[codec]
    aus, start = [], None
    i = data.find(b"\x00\x00\x01")
    while i >= 0:
        prefix = i - 1 if i > 0 and data[i - 1] == 0 else i   # 4-byte start code
        if i + 3 < len(data) and nal_type(codec, data[i + 3]) == aud:
            if start is not None:
                aus.append(data[start:prefix])
            start = prefix
        elif start is None:
            start = prefix
        i = data.find(b"\x00\x00\x01", i + 3)
    if start is not None:
        aus.append(data[start:])
    return aus


def nal_units(au):
    """Yield (payload_start, payload_end) of each NAL unit in an access unit."""
    starts = []
    i = au.find(b"\x00\x00\x01")
    while i >= 0:
        starts.append(i + 3)
        i = au.find(b"\x00\x00\x01", i + 3)
    for k, s in enumerate(starts):
        end = starts[k + 1] - 3 if k + 1 < len(starts) else len(au)
        while end > s and au[end - 1] == 0:       # trailing zeros / 4-byte start code
            end -= 1
        yield s, end


def split_jpeg_frames(data):
    """Split concatenated JPEG images by walking their markers.

    Marker segments carry their length; after SOS the entropy-coded data runs
    until the first 0xFF not followed by 0x00 or a restart marker (EOI).
    """
    frames, i = [], 0
    while data.startswith(b"\xff\xd8", i):
        j = i + 2
        while True:
            marker = data[j + 1]
            j += 2 + int.from_bytes(data[j + 2:j + 4], "big")
            if marker == 0xDA:                          # SOS: scan to EOI
                while not (data[j] == 0xFF and data[j + 1] not in range(0xD0, 0xD8)
                           and data[j + 1] != 0):
                    j += 1
                if data[j + 1] != 0xD9:
                    raise ValueError("JPEG frame without EOI at byte %d" % j)
                j += 2
                break
        frames.append(data[i:j])
        i = j
    if i != len(data):
        raise ValueError("trailing bytes after JPEG frame %d" % len(frames))
    return frames


TS_PACKET = 188


def split_ts_frames(data):
    """Split an MPEG-TS stream into runs of packets, each starting with a video PES.

    Returns (chunks, keyframes).  Audio, PAT/PMT and PCR packets stay where the
    muxer put them, in the chunk of the video frame they follow (the packets
    before the first video PES go with the first frame).  A chunk is a keyframe
    when its first video packet has the random access indicator set.
    """
    starts, keys, video_pid = [], [], None
    for off in range(0, len(data) - TS_PACKET + 1, TS_PACKET):
        pkt = data[off:off + TS_PACKET]
        pid = ((pkt[1] & 0x1F) << 8) | pkt[2]
        afc = (pkt[3] >> 4) & 3
        adapt = 1 + pkt[4] if afc & 2 else 0
        payload = pkt[4 + adapt:] if afc & 1 else b""
        video_pes = (pkt[1] & 0x40 and payload.startswith(b"\x00\x00\x01")
                     and 0xE0 <= payload[3] <= 0xEF)
        if not video_pes or (video_pid is not None and pid != video_pid):
            continue
        video_pid = pid
        starts.append(off)
        keys.append(bool(adapt > 1 and pkt[5] & 0x40))
    if not starts:
        raise ValueError("no video in the transport stream")
    starts[0] = 0
    chunks = [data[s:e] for s, e in zip(starts, starts[1:] + [len(data)])]
    return chunks, [k for k, key in enumerate(keys) if key]


def load_clip(name, clip, path):
    with open(path, "rb") as f:
        data = f.read()
    if clip.codec == "mjpeg":
        aus = split_jpeg_frames(data)
        keyframes = list(range(len(aus)))
    elif clip.codec == "mpegts":
        aus, keyframes = split_ts_frames(data)
    else:
        aus = split_access_units(data, clip.codec)
        keyframes = [k for k, au in enumerate(aus)
                     if any(is_keyframe_nal(clip.codec, nal_type(clip.codec, au[s]))
                            for s, _ in nal_units(au))]
    expected = round(clip.seconds * clip.fps)
    if len(aus) != expected:
        log.warning("clip %s: %d access units, expected %d", name, len(aus), expected)
    return LoadedClip(name, clip.codec, clip.fps, aus, keyframes)


def corrupt_slices(loaded, keep=16, seed=1):
    """Copy of a clip whose slice NAL payloads are garbage after `keep` bytes.

    Start codes, NAL headers, the first bytes of every slice header, and all
    parameter sets (SPS/PPS/VPS) and AUDs stay intact, so the SDP and the
    stream structure are valid but every frame fails to decode.  Garbage bytes
    are >= 0x04 so they can never form a start code or emulation sequence.
    """
    rng = random.Random(seed)
    no_low = bytes(b if b >= 4 else b + 4 for b in range(256))
    out = []
    for au in loaded.aus:
        buf = bytearray(au)
        for s, e in nal_units(au):
            if is_slice_nal(loaded.codec, nal_type(loaded.codec, au[s])) and e - s > keep:
                n = e - s - keep
                buf[s + keep:e] = rng.randbytes(n).translate(no_low)
        out.append(bytes(buf))
    return LoadedClip(loaded.name + "+corrupt", loaded.codec, loaded.fps, out,
                      loaded.keyframes)
