"""What the fleet serves.  This is the file to edit when adding a variant or a fault.

Three tables:

* CLIPS   - pre-encoded loops that ffmpeg renders once at setup (cached).
* SOURCES - what a mount can serve.  Each source becomes ONE shared RTSP
            factory (at most one running pipeline, however many mounts use
            it).  Every source name is also a runtime *mode* for the control
            channel (`set /cam/0007 frozen`).
* FIXED_MOUNTS - the /variant/* and /fault/* paths and their source.

Cameras /cam/0001.../cam/NNNN are assigned to a variant by `camera_source()`.

The /stack/* mounts reproduce how particular RTSP servers and encoders behave
on the wire (see README.md, "Stack behaviours"); most of them get a media of
their own per session (Source.session).  /stack/clock-* are cameras whose RTCP
sender reports tell a clock (CLOCK_SKEW_S off, or right).

The /scene/* mounts are one fixed camera view and its variants (SCENES
"scene-*", drawn by scenery.py), for comparing a camera's picture with the
one approved for it.

Adding a fault is usually one SOURCES entry (plus a FIXED_MOUNTS line):

    "slow-gop": Source(clip="slow-gop", doc="..."),          # + a CLIPS entry
    "half-dead": Source(clip="720p", corrupt=True, ...),

Source options are documented on the dataclass below.
"""
from dataclasses import dataclass, field
from typing import Optional, Tuple

from . import scenery

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

# The scene checks: one fixed indoor view (a room: window, lamp, door, bookcase,
# rug), drawn as a still with per-frame sensor noise (fleetlib/scenery.py), and
# variants of that same view.  A monitor that compares keyframes with the approved
# picture must accept night, lights, passersby, door (and the approved view at a
# lower bitrate or another resolution: see CLIPS), and report panned, elsewhere and
# wall (moved), covered (obstructed) and blurred.
ROOM = scenery.room_still()
NIGHT_NOISE = "noise=alls=16:allf=t+u"
SCENES.update({
    "scene-approved":  scenery.view(ROOM, SENSOR_NOISE),
    "scene-night":     scenery.view(ROOM, NIGHT_NOISE, edit=scenery.night()),
    "scene-lights":    scenery.view(scenery.room_still(lamp_on=True), SENSOR_NOISE,
                                    edit=scenery.lamp_glow()),
    "scene-passersby": scenery.view(ROOM, SENSOR_NOISE, walkers=True),
    "scene-door":      scenery.view(scenery.room_still(door_open=True), SENSOR_NOISE),
    "scene-panned":    scenery.view(ROOM, SENSOR_NOISE, x=scenery.PAN_X),
    "scene-elsewhere": scenery.view(scenery.outdoors(), SENSOR_NOISE),
    "scene-wall":      scenery.view(scenery.wall(), SENSOR_NOISE),
    "scene-covered":   scenery.view(ROOM, SENSOR_NOISE, edit=scenery.cover()),
    "scene-blurred":   scenery.view(ROOM, SENSOR_NOISE, edit="gblur=sigma=8"),
})


SCENE_LOW_KBPS = 400              # `scene-lowbitrate`: the approved view at 1/5 of 2 Mbit/s


@dataclass(frozen=True)
class Clip:
    """A loop rendered once by ffmpeg into the media cache.

    The loop length must be a whole number of GOPs so the GOP cadence stays
    regular across the loop point.  B-frames are always off (like most IP
    cameras), so decode order == presentation order.
    """
    scene: str                      # key of SCENES
    codec: str = "h264"             # "h264", "h265", "mjpeg" (JPEG frames) or
                                    # "mpegts" (H.264 + AAC audio in MPEG-TS)
    size: Tuple[int, int] = (1280, 720)
    fps: int = 25
    gop_s: float = 2.0              # keyframe interval in seconds
    profile: str = "main"           # h264: baseline/main/high; h265: main
    kbps: int = 2000                # 0: constant QP instead of a bitrate, so the
                                    # P-frames of an unchanging picture are pure skips
    seconds: float = 10.0           # loop length
    # Options added later stay out of repr() so the cache keys of the clips above
    # do not change; the ffmpeg command line, which the key includes, carries them.
    x264_params: str = field(default="", repr=False)   # extra libx264 options ("slices=2")
    cbr: bool = field(default=False, repr=False)        # constant bitrate, filler-padded
                                                        # frames (nal-hrd=cbr, small VBV)

    @property
    def gop_frames(self):
        return max(1, round(self.gop_s * self.fps))


# The district's healthy cameras (720p, 1080p, 360p, h265) loop a few seconds of video: a real
# camera never shows the same picture twice, a loop does. Patrol checks a healthy camera's picture
# on a grid of its cadence (every 300 s for priority, 900 s for watch and general) and calls a
# picture identical to the last check's frozen, so each loop's length is chosen so that no such
# gap (nor 60 s) is within a GOP of a whole number of loops: 300 and 900 s apart, a camera shows
# another keyframe. (10 s and 12 s loops divided both: in a steady state of 1,580 cameras, 96 %
# of the probes saw the picture of the check before and were frozen.) h265's 8 s already does.
CLIPS = {
    "720p":   Clip("motion", size=(1280, 720), fps=25, gop_s=2, profile="main", kbps=2000,
                   seconds=14),
    "1080p":  Clip("motion", size=(1920, 1080), fps=25, gop_s=4, profile="high", kbps=4000,
                   seconds=44),
    "360p":   Clip("motion", size=(640, 360), fps=15, gop_s=1, profile="baseline", kbps=600,
                   seconds=11),
    "h265":   Clip("motion", codec="h265", size=(1920, 1080), fps=25, gop_s=2, kbps=2500,
                   seconds=8),
    "lowfps": Clip("motion", size=(1280, 720), fps=5, gop_s=2, kbps=800),
    "night":  Clip("night", kbps=1500),
    "static": Clip("static", kbps=1500),
    "frozen": Clip("frozen", kbps=0, seconds=2),  # exactly one GOP, looped
    "black":  Clip("black", kbps=300, seconds=4),
    # -- /stack/* --
    "slices":   Clip("motion", gop_s=2, kbps=2000, x264_params="slices=2"),
    "long-gop": Clip("motion", gop_s=10, kbps=1500, seconds=20),
    # The frozen picture through a CBR coder: no near-empty P-frames, and 5 GOPs so
    # that consecutive keyframes are coded at different VBV states.
    "frozen-cbr": Clip("frozen", gop_s=2, kbps=1000, cbr=True, seconds=10),
    "mjpeg":    Clip("motion", codec="mjpeg", size=(640, 480), kbps=0, seconds=4),
    "mpegts":   Clip("motion", codec="mpegts", size=(640, 360), gop_s=2, kbps=800),
    # -- /scene/*: 720p25, GOP 2 s, 2 Mbit/s like the 720p cameras; 6 s loops (8 s for the
    # two passers-by), except the approved view at a fifth of the bitrate and at 640x360.
    **{name: Clip(name, seconds=8 if name == "scene-passersby" else 6)
       for name in SCENES if name.startswith("scene-")},
    "scene-lowbitrate": Clip("scene-approved", kbps=SCENE_LOW_KBPS, seconds=6),
    "scene-resolution": Clip("scene-approved", size=(640, 360), kbps=600, seconds=6),
}


@dataclass(frozen=True)
class Session:
    """What one RTSP session of a per-session source sees.

    The source's factory is not shared: every session gets a pipeline of its own,
    whose feed starts at the first keyframe of the clip's loop.  Frames are
    stamped 1/fps apart (the camera's clock) whenever they are sent.
      burst     - frames sent at once at PLAY, before real time pacing starts
                  (a media server's GOP cache: a keyframe and what followed it).
      frames    - after this many frames nothing more is sent; the session stays
                  open (no EOS, no TEARDOWN): a hung encoder or frozen publisher.
      end_after - seconds after PLAY when the server ends the stream (end of
                  stream: gst-rtsp-server sends RTCP BYE), as a media server does when it
                  drops a source whose publisher went quiet.
      drop_keyframe - drop this share of the RTP packets of the first keyframe
                  (a run in its middle; the sequence numbers show the gap).
    """
    burst: int = 0
    frames: Optional[int] = None
    end_after: Optional[float] = None
    drop_keyframe: float = 0.0


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
      udp_only - RTP over UDP only: a SETUP asking for TCP gets 461 Unsupported
                 Transport (gst-rtsp-server's own check).
      refuse_tcp - answer a SETUP asking for TCP with this status instead (400).
      session  - a media of its own per session, with a scripted behaviour.
      clock_offset - (with `session`) the camera's clock is this many seconds
                 ahead of the real time (behind when negative): the NTP time of
                 its RTCP sender reports is offset, nothing else.  Its sender
                 reports go out every SENDER_REPORT_INTERVAL_S (randomised as RFC
                 3550 says), the first one 0.2-0.6 s after PLAY, as most IP cameras
                 do.  0 is a camera whose clock is right.
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
    udp_only: bool = False
    refuse_tcp: Optional[int] = None
    session: Optional[Session] = None
    clock_offset: Optional[float] = None


# /stack/clock-skew: how far ahead of the real time the camera's clock is (seconds).
CLOCK_SKEW_S = 300.0
# The RTCP interval of the clock mounts (gst's rtcp-min-interval; its default is 5 s).
SENDER_REPORT_INTERVAL_S = 1.0

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

    # ---- /stack/*: how real servers and encoders behave on the wire ---------
    "slices":      Source("H.264 720p25 GOP 2s, two slices per frame (x264 slices=2), "
                          "SPS/PPS before every IDR, motion + noise; each session starts at a "
                          "keyframe, as a camera's own encoder does for a new client",
                          clip="slices", session=Session(), healthy=True),
    "udp-only":    Source("720p25, RTP over UDP only: a TCP SETUP gets 461", clip="720p",
                          udp_only=True, session=Session(), healthy=True),
    "udp-only-400": Source("720p25, RTP over UDP only: a TCP SETUP gets 400 Bad Request",
                           clip="720p", refuse_tcp=400, session=Session(), healthy=True),
    "stops":       Source("720p25: 3 frames per session (fewer than a probe needs), then "
                          "nothing; the session stays open", clip="720p", session=Session(frames=3)),
    "stops-waiting": Source("a still picture (near-empty P-frames: a probe waits for a second "
                            "keyframe): 25 frames (1 s) per session, then nothing; the session "
                            "stays open", clip="frozen", session=Session(frames=25)),
    "cache-burst": Source("GOP cache of a frozen publisher: a keyframe + 24 frames at once at "
                          "PLAY, then nothing", clip="720p", session=Session(burst=25, frames=25)),
    "cache-burst-end": Source("GOP cache of a dead publisher: a keyframe + 24 frames at once at "
                              "PLAY, then nothing, and the stream ends 1 s later", clip="720p",
                              session=Session(burst=25, frames=25, end_after=1.0)),
    "cache-burst-live": Source("GOP cache of a live publisher: 25 frames at once at PLAY, then "
                               "real time", clip="720p", session=Session(burst=25), healthy=True),
    "long-gop-loss": Source("720p25 GOP 10s; a fifth of the RTP packets of each session's "
                            "first keyframe dropped", clip="long-gop",
                            session=Session(drop_keyframe=0.2), healthy=True),
    "frozen-cbr":  Source("one still picture through a CBR coder (filler data): full-size "
                          "P-frames, keyframes not byte-identical", clip="frozen-cbr"),
    "mjpeg":       Source("RTP/JPEG 640x480 25fps, motion + noise", clip="mjpeg", healthy=True),
    "mpegts":      Source("MPEG-TS over RTP (MP2T): H.264 640x360 25fps + AAC 16 kHz mono",
                          clip="mpegts", session=Session(), healthy=True),
    "clock-skew":  Source("720p25 whose RTCP sender reports carry an NTP time CLOCK_SKEW_S "
                          "(300 s) ahead of the real time, the first 0.2-0.6 s after PLAY",
                          clip="720p", session=Session(), clock_offset=CLOCK_SKEW_S,
                          healthy=True),
    "clock-ok":    Source("720p25 whose RTCP sender reports carry the real time, the first "
                          "0.2-0.6 s after PLAY", clip="720p", session=Session(),
                          clock_offset=0.0, healthy=True),

    # ---- /scene/*: one fixed view and its variants (the scene checks) --------
    # All are live streams (online); what a scene check must conclude is in the
    # README ("Scenes").
    **{name: Source(doc, clip=name, healthy=True) for name, doc in {
        "scene-approved":   "a fixed indoor view: a still room (window, lamp, door, bookcase, "
                            "rug) with sensor noise; the picture to approve",
        "scene-night":      "the view at night: much darker, nearly grey, stronger noise",
        "scene-lights":     "the view with the floor lamp switched on: a pool of light around it",
        "scene-passersby":  "the view with people walking through (each ~7% of the picture), "
                            "one in every keyframe",
        "scene-door":       "the view with the door open (a corridor behind it)",
        "scene-lowbitrate": "the approved view at 400 kbit/s instead of 2 Mbit/s",
        "scene-resolution": "the approved view at 640x360 instead of 1280x720",
        "scene-panned":     "moved: the camera turned, the view shifted sideways by 40%",
        "scene-elsewhere":  "moved: a different scene (a street)",
        "scene-wall":       "moved: a plaster wall close up, nearly uniform, not black",
        "scene-covered":    "obstructed: the left half covered by something brown and smooth "
                            "close to the lens, the rest of the view live",
        "scene-blurred":    "blurred: the whole view smeared (Gaussian blur, sigma 8 px)",
    }.items()},
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
    "/stack/slices":           "slices",
    "/stack/udp-only":         "udp-only",
    "/stack/udp-only-400":     "udp-only-400",
    "/stack/stops":            "stops",
    "/stack/stops-waiting":    "stops-waiting",
    "/stack/cache-burst":      "cache-burst",
    "/stack/cache-burst-live": "cache-burst-live",
    "/stack/cache-burst-end":  "cache-burst-end",
    "/stack/long-gop-loss":    "long-gop-loss",
    "/stack/frozen-cbr":       "frozen-cbr",
    "/stack/mjpeg":            "mjpeg",
    "/stack/mpegts":           "mpegts",
    "/stack/clock-skew":       "clock-skew",
    "/stack/clock-ok":         "clock-ok",
    # /scene/approved, /scene/night, ... /scene/blurred: source scene-NAME.
    **{"/scene/" + name[len("scene-"):]: name for name in SOURCES if name.startswith("scene-")},
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
