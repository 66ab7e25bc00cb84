"""What the fleet serves.  This is the file to edit when adding a variant or a fault.

Three tables:

* CLIPS   - pre-encoded loops that ffmpeg renders once at setup (cached).
* SOURCES - what a mount can serve.  Each source becomes ONE shared RTSP
            factory (at most one running pipeline, however many mounts use
            it).  Every source name is also a runtime *mode* for the control
            channel (`set /cam/0007 frozen`).
* FIXED_MOUNTS - the /variant/* and /fault/* paths and their source.

Cameras /cam/0001.../cam/NNNN are assigned to a variant by `camera_source()`.

Adding a fault is usually one SOURCES entry (plus a FIXED_MOUNTS line):

    "slow-gop": Source(clip="slow-gop", doc="..."),          # + a CLIPS entry
    "half-dead": Source(clip="720p", corrupt=True, ...),

Source options are documented on the dataclass below.
"""
from dataclasses import dataclass
from typing import Optional, Tuple

# --------------------------------------------------------------------------
# Credentials for the auth mounts (/fault/auth-basic, /fault/auth-digest).
# Both users work on both mounts, with the mount's scheme only.
# In a URL the second password must be percent-encoded:
#   rtsp://operator:op%401%3Ax%2Fy@127.0.0.1:PORT/fault/auth-digest
USERS = {
    "admin": "fleet-secret",
    "operator": "op@1:x/y",
}
REALM = "Patrol Fleet"

# --------------------------------------------------------------------------
# Scenes: ffmpeg filtergraphs (no inputs).  {w} {h} {fps} are filled in from
# the clip.  "noise=...:allf=t" is per-frame sensor noise: no two frames (and
# no two keyframes) of a noisy scene are pixel-identical.
SENSOR_NOISE = "noise=alls=8:allf=t+u"

SCENES = {
    # Moving test pattern plus sensor noise: the "normal" camera picture.
    "motion": "testsrc2=size={w}x{h}:rate={fps}," + SENSOR_NOISE,

    # Night: dark scene (luma ~25) with noise, a lit window showing motion and
    # two street lamps: ~11% of the frame is bright, so blackdetect's default
    # (98% of pixels below ~38) does not fire.
    "night": (
        "color=c=0x0b0b0e:size={w}x{h}:rate={fps}[bg];"
        "testsrc2=size={w4}x{h4}:rate={fps}[win];"
        "[bg][win]overlay=x=W*0.62:y=H*0.18,"
        "drawbox=x=iw*0.08:y=ih*0.10:w=iw*0.16:h=ih*0.20:color=0xf0e0a0:t=fill,"
        "drawbox=x=iw*0.40:y=ih*0.62:w=iw*0.10:h=ih*0.14:color=0xc8b070:t=fill,"
        "noise=alls=10:allf=t+u"
    ),

    # Empty corridor: one still picture, but with per-frame sensor noise like
    # a real camera.  Must NOT be reported frozen.
    "static": (
        "testsrc2=size={w}x{h}:rate={fps},trim=start_frame=40:end_frame=41,"
        "loop=loop=-1:size=1,setpts=N/{fps}/TB,noise=alls=8:allf=t+u"
    ),

    # Frozen encoder: one detailed still frame, no noise at all.
    "frozen": (
        "testsrc2=size={w}x{h}:rate={fps},trim=end_frame=1,"
        "loop=loop=-1:size=1,setpts=N/{fps}/TB"
    ),

    # Covered lens: black (luma 16) with very slight noise.
    "black": "color=c=black:size={w}x{h}:rate={fps},noise=alls=2:allf=t+u",
}


@dataclass(frozen=True)
class Clip:
    """A loop rendered once by ffmpeg into the media cache.

    The loop length must be a whole number of GOPs so the GOP cadence stays
    regular across the loop point.  B-frames are always off (like most IP
    cameras), so decode order == presentation order.
    """
    scene: str                      # key of SCENES
    codec: str = "h264"             # "h264" or "h265"
    size: Tuple[int, int] = (1280, 720)
    fps: int = 25
    gop_s: float = 2.0              # keyframe interval in seconds
    profile: str = "main"           # h264: baseline/main/high; h265: main
    kbps: int = 2000                # 0: constant QP instead of a bitrate, so the
                                    # P-frames of an unchanging picture are pure skips
    seconds: float = 10.0           # loop length

    @property
    def gop_frames(self):
        return max(1, round(self.gop_s * self.fps))


CLIPS = {
    "720p":   Clip("motion", size=(1280, 720), fps=25, gop_s=2, profile="main", kbps=2000),
    "1080p":  Clip("motion", size=(1920, 1080), fps=25, gop_s=4, profile="high", kbps=4000,
                   seconds=12),
    "360p":   Clip("motion", size=(640, 360), fps=15, gop_s=1, profile="baseline", kbps=600),
    "h265":   Clip("motion", codec="h265", size=(1920, 1080), fps=25, gop_s=2, kbps=2500,
                   seconds=8),
    "lowfps": Clip("motion", size=(1280, 720), fps=5, gop_s=2, kbps=800),
    "night":  Clip("night", kbps=1500),
    "static": Clip("static", kbps=1500),
    "frozen": Clip("frozen", kbps=0, seconds=2),  # exactly one GOP, looped
    "black":  Clip("black", kbps=300, seconds=4),
}


@dataclass(frozen=True)
class Source:
    """What a mount serves.  One Source = one shared RTSP factory.

    Exactly one of `clip` / `launch` / `broken` gives the media:
      clip     - live loop of CLIPS[clip], fed from memory by a live appsrc.
      launch   - gst-launch description of a *live* bin with a `pay0` payloader.
      broken   - the pipeline fails to start; DESCRIBE answers 503.
    Modifiers:
      corrupt  - garble the slice data of the clip (SPS/PPS/headers intact).
      no_rtp   - DESCRIBE/SETUP/PLAY answer 200, but no RTP/RTCP is ever sent.
      auth     - None (open), "basic", "digest" (USERS may play, with that
                 scheme only) or "deny" (everybody gets 401).
      channels - number of independent pipelines (for /cam sharing): each runs
                 the same clip at a different phase.
      healthy  - a monitor must call this online (variants); used by docs/tests.
    """
    doc: str
    clip: Optional[str] = None
    launch: Optional[str] = None
    broken: bool = False
    corrupt: bool = False
    no_rtp: bool = False
    auth: Optional[str] = None
    channels: int = 1
    healthy: bool = False


SOURCES = {
    # ---- healthy variants (also the pools that /cam/NNNN share) ----------
    "720p":   Source("H.264 main 1280x720 25fps GOP 2s ~2Mbit/s, motion + noise",
                     clip="720p", channels=6, healthy=True),
    "1080p":  Source("H.264 high 1920x1080 25fps GOP 4s ~4Mbit/s, motion + noise",
                     clip="1080p", channels=2, healthy=True),
    "360p":   Source("H.264 baseline 640x360 15fps GOP 1s ~0.6Mbit/s, motion + noise",
                     clip="360p", channels=2, healthy=True),
    "h265":   Source("H.265 main 1920x1080 25fps GOP 2s ~2.5Mbit/s, motion + noise",
                     clip="h265", channels=2, healthy=True),
    "lowfps": Source("H.264 main 1280x720 5fps GOP 2s (10 frames), motion + noise",
                     clip="lowfps", healthy=True),
    "night":  Source("H.264 720p25, dark (luma ~25) + noise, lit window and lamps ~11%",
                     clip="night", healthy=True),
    "static": Source("H.264 720p25, still picture with per-frame sensor noise",
                     clip="static", healthy=True),

    # ---- faults ------------------------------------------------------------
    "frozen":      Source("H.264 720p25 GOP 2s of one still frame, no noise: identical "
                          "keyframes, skip P-frames", clip="frozen"),
    "black":       Source("H.264 720p25, black (luma 16) with very slight noise",
                          clip="black"),
    "no-rtp":      Source("DESCRIBE/SETUP/PLAY 200, then no RTP/RTCP at all",
                          clip="720p", no_rtp=True),
    "corrupt":     Source("valid SDP/SPS/PPS, garbage slice data in every frame",
                          clip="720p", corrupt=True),
    "audio-only":  Source("one PCMU (G.711 mu-law, 8 kHz) audio stream, no video",
                          launch="audiotestsrc is-live=true wave=sine freq=440 volume=0.3 "
                                 "samplesperbuffer=160 ! audio/x-raw,rate=8000,channels=1 ! "
                                 "mulawenc ! rtppcmupay name=pay0 pt=0"),
    "unauthorized": Source("401 + WWW-Authenticate: Basic for everybody", auth="deny"),
    "unavailable": Source("DESCRIBE answers 503 Service Unavailable (pipeline fails)",
                          broken=True),
    "auth-basic":  Source("720p stream behind HTTP Basic auth (USERS)", clip="720p",
                          auth="basic"),
    "auth-digest": Source("720p stream behind Digest auth (USERS)", clip="720p",
                          auth="digest"),
}

# Runtime modes besides the source names (see rtsp.Fleet.set_mode):
#   healthy - the path's healthy source (its camera variant; 720p otherwise)
#   missing - unmount the path: 404
SPECIAL_MODES = ("healthy", "missing")

FIXED_MOUNTS = {
    "/variant/720p":   "720p",
    "/variant/1080p":  "1080p",
    "/variant/360p":   "360p",
    "/variant/h265":   "h265",
    "/variant/lowfps": "lowfps",
    "/variant/night":  "night",
    "/variant/static": "static",
    "/fault/frozen":      "frozen",
    "/fault/black":       "black",
    "/fault/no-rtp":      "no-rtp",
    "/fault/corrupt":     "corrupt",
    "/fault/audio-only":  "audio-only",
    "/fault/unauthorized": "unauthorized",
    "/fault/unavailable": "unavailable",
    "/fault/auth-basic":  "auth-basic",
    "/fault/auth-digest": "auth-digest",
    # Anything else (e.g. /fault/missing) is not mounted: 404.
}


def camera_path(n):
    return "/cam/%04d" % n


def camera_source(n):
    """Deterministic camera -> (source, channel) for /cam/NNNN (1-based).

    Like a real district: mostly 720p, some 1080p and 360p, a few H.265.
      n % 50 == 0  -> h265   (2%)
      n % 10 == 3  -> 1080p  (10%)
      n % 10 == 7  -> 360p   (10%)
      otherwise    -> 720p   (78%)
    The channel (which shared pipeline, hence which GOP phase) is
    (n + n // 10) % channels, so neighbouring cameras of a variant are on
    different pipelines and their keyframes come at different times.
    """
    if n % 50 == 0:
        name = "h265"
    elif n % 10 == 3:
        name = "1080p"
    elif n % 10 == 7:
        name = "360p"
    else:
        name = "720p"
    return name, (n + n // 10) % SOURCES[name].channels
