"""gst-rtsp-server wiring: shared live feeds, auth, mounts and runtime modes.

Capacity design
---------------
One pipeline per mount tops out around 400 playing cameras on 2 cores, so
mounts share pipelines instead:

* Every Source (catalog.SOURCES) becomes one `SourceFactory` per channel.  Its
  `gen_key` ignores the URL, so gst-rtsp-server's shared-media cache hands the
  SAME GstRTSPMedia to every mount path that uses that factory.  1,580 /cam
  mounts therefore run on ~12 pipelines.
* Each shared media is constructed and prepared once at startup and that
  preparation is never released, so the pipeline is never torn down between
  clients: a new client joins the running stream wherever it is in the GOP
  (first keyframe 0..1 GOP after PLAY), like a real camera.
* Clip-based media are fed by a live `appsrc` from access units held in
  memory.  One Python thread (`Feeder`) pushes the next access unit of every
  playing feed at its frame rate, stamping PTS = DTS = the pipeline's running
  time (a raw .h264 through h264parse would get DTS only, and rtph264pay
  stamps RTP time from PTS).  Channels of the same clip start at different
  offsets, so they run at different GOP phases.

Per-session sources (catalog.Session, the /stack/* behaviours that happen at
connect) are the exception: their factory is not shared, so every session
builds a pipeline of its own with a `SessionFeed` that the Feeder picks up
while the session lives.
"""
import collections
import concurrent.futures
import heapq
import logging
import re
import socket
import threading
import time
import urllib.parse

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstApp", "1.0")
gi.require_version("GstRtp", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
# GstApp is imported for its classes only: PyGObject makes a wrapper class the first time it meets
# a type, and the feeds meet their appsrc on several threads at once; made there, the wrapper of
# GstAppSrc could come out without its parent Gst.Element ("Must be Gst.Element, not GstAppSrc"),
# and the fleet failed to start. Made here, once, before any thread.
from gi.repository import Gst, GstApp, GstRtp, GstRtsp, GstRtspServer  # noqa: E402,F401

from . import catalog  # noqa: E402
from .media import corrupt_slices  # noqa: E402
from .rtspclient import probe  # noqa: E402

log = logging.getLogger("fleet.rtsp")

BACKLOG = 1024                      # listen() backlog; default 5 drops bursts
VIEWER_CHECK_S = 0.25               # how often a feed looks for connected clients
IDLE_PUSH_S = 0.5                   # a feed nobody watches still sends a frame this often

PAYLOAD = {
    "h264": ("video/x-h264,stream-format=byte-stream,alignment=au",
             "h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1"),
    "h265": ("video/x-h265,stream-format=byte-stream,alignment=au",
             "h265parse ! rtph265pay name=pay0 pt=96 config-interval=-1"),
    "mjpeg": ("image/jpeg", "jpegparse ! rtpjpegpay name=pay0 pt=26"),
    "mpegts": ('"video/mpegts,systemstream=(boolean)true,packetsize=(int)188"',
               "rtpmp2tpay name=pay0 pt=33"),
}
UNAVAILABLE_LAUNCH = ("( filesrc location=/nonexistent/patrol-fleet/unavailable ! "
                      "h264parse ! rtph264pay name=pay0 pt=96 )")
NEVER_BUILT_LAUNCH = "( videotestsrc is-live=true ! rtpvrawpay name=pay0 pt=96 )"

# Auth roles: clients without credentials get "anonymous"; valid Basic or
# Digest credentials give "basic-user" / "digest-user".
ROLES = ("anonymous", "basic-user", "digest-user")
ALLOWED_ROLES = {
    None: set(ROLES),
    "basic": {"basic-user"},
    "digest": {"digest-user"},
    "deny": set(),
}


# -- live feeds ---------------------------------------------------------------

class Feed:
    """Plays a LoadedClip in an endless loop into a live appsrc, in real time."""

    def __init__(self, name, clip, start_index):
        self.name = name
        self.codec = clip.codec
        self.fps = clip.fps
        self.period = 1.0 / clip.fps
        self.duration = Gst.SECOND // clip.fps
        self.buffers = [Gst.Buffer.new_wrapped(au) for au in clip.aus]
        self.index = start_index % len(self.buffers)
        self.appsrc = None              # set when the media is configured
        self.stream = None              # set once the media is prepared
        self._viewers = True
        self._next_check = 0.0
        # While nobody watches, one frame in idle_every is pushed (see push_next).
        self.idle_every = max(1, round(IDLE_PUSH_S * clip.fps))
        self._idle = 0

    # A few frames of slack; a feed that falls behind drops its oldest frames.
    QUEUE = "max-buffers=3 leaky-type=downstream"

    def launch(self):
        caps, parse_pay = PAYLOAD[self.codec]
        if caps.endswith('"'):
            caps = caps[:-1] + ',framerate=(fraction)%d/1"' % self.fps
        else:
            caps += ",framerate=%d/1" % self.fps
        return ("( appsrc name=src is-live=true format=time %s caps=%s ! %s )"
                % (self.QUEUE, caps, parse_pay))

    def has_viewers(self, now):
        """Whether any client transport is attached (checked every VIEWER_CHECK_S).

        Until the media is prepared there is no stream to ask, and the feed
        must run so the pipeline can preroll.
        """
        if self.stream is None:
            return True
        if now >= self._next_check:
            self._viewers = bool(self.stream.transport_filter(None))
            self._next_check = now + VIEWER_CHECK_S
        return self._viewers

    def push_next(self, now):
        """Push the next access unit; without viewers only one in `idle_every`.

        Returns whether the feed goes on (a shared feed always does)."""
        src = self.appsrc
        if src is None or src.current_state != Gst.State.PLAYING:
            return True
        # Without viewers one frame in `idle_every` still goes out (to no one): the
        # PLAY reply's RTP-Info rtptime is the timestamp of the stream's last packet,
        # and FFmpeg counts the stream's time (and the camera clock of its sender
        # reports: start_time_realtime) from it.  A stream idle for minutes would
        # otherwise begin minutes in the past.  Before such a frame the feed looks for
        # viewers again, so that a client that has just come gets it and every frame
        # after it, not one frame and a gap.
        self._idle = (self._idle + 1) % self.idle_every
        if self._idle == 0:
            self._next_check = 0.0
        if self.has_viewers(now) or self._idle == 0:
            clock = src.get_clock()
            if clock is None:
                return True
            buf = self.buffers[self.index]
            out = buf.copy_region(Gst.BufferCopyFlags.MEMORY, 0, buf.get_size())
            out.pts = out.dts = clock.get_time() - src.base_time
            out.duration = self.duration
            src.emit("push-buffer", out)
        # The camera keeps running whether or not anybody watches: a client
        # that connects later joins wherever the loop is by then.
        self.index = (self.index + 1) % len(self.buffers)
        return True


class SessionFeed(Feed):
    """The feed of one session's own pipeline (a per-session source).

    It starts at the first keyframe of the loop.  That keyframe prerolls the
    pipeline while the DESCRIBE is answered and is held by gst-rtsp-server
    until PLAY.  At PLAY (`play`, called from the media's state change, before
    the first packet leaves) come `burst` frames at once, then real time from
    the Feeder, and nothing more after `frames` (catalog.Session).  Frame k is
    stamped first + k/fps whenever it is sent, so a burst carries the same
    40 ms spacing as real-time frames.
    """

    # Unbounded: a burst must reach the payloader whole.
    QUEUE = ""

    def __init__(self, name, clip, session):
        super().__init__(name, clip, clip.keyframes[0] if clip.keyframes else 0)
        self.session = session
        self.sent = 0
        self.first_pts = None
        self.finished = False
        self.playing = False
        self.played_at = None
        self.ended = False
        self.lock = threading.Lock()        # the Feeder and the RTSP thread both push

    def play(self):
        """The session's PLAY: send the burst now."""
        with self.lock:
            if self.playing or self.appsrc is None or self.sent == 0:
                return
            self.playing = True
            self.played_at = time.monotonic()
            # gst-rtsp-server's TCP sink syncs on the clock ("rate control"), which
            # would pace a burst of frames stamped 40 ms apart back into real time.
            # The feed paces itself.  (Set again here: the sink exists now.)
            self.stream.set_rate_control(False)
            while self.sent < self.session.burst and self._more():
                self._push(self.appsrc)

    def push_next(self, now):
        """Push what is due; False once the session is over (the Feeder forgets it)."""
        with self.lock:
            src = self.appsrc
            if self.finished or (src is not None and self.sent
                                 and src.current_state == Gst.State.NULL):
                return False                             # torn down
            if src is None or src.current_state != Gst.State.PLAYING:
                return True                              # not started yet (or paused)
            if self.sent == 0:
                self._push(src)                          # prerolls; held until PLAY
            elif self.playing and self._more():
                self._push(src)
            if self._ending_due():
                src.emit("end-of-stream")                # the server ends the stream: RTCP BYE
                self.ended = True
            return self._more() or (self.session.end_after is not None and not self.ended)

    def _ending_due(self):
        return (self.session.end_after is not None and not self.ended and self.played_at is not None
                and time.monotonic() - self.played_at >= self.session.end_after)

    def _more(self):
        return self.session.frames is None or self.sent < self.session.frames

    def _push(self, src):
        buf = self.buffers[self.index]
        out = buf.copy_region(Gst.BufferCopyFlags.MEMORY, 0, buf.get_size())
        if self.first_pts is None:
            self.first_pts = src.get_clock().get_time() - src.base_time
        out.pts = out.dts = self.first_pts + self.sent * self.duration
        out.duration = self.duration
        src.emit("push-buffer", out)
        self.sent += 1
        self.index = (self.index + 1) % len(self.buffers)


class Feeder(threading.Thread):
    """One thread pacing every Feed at its own frame rate.

    Session feeds come and go (`add`); a feed whose push_next returns False is
    dropped.
    """

    def __init__(self, feeds):
        super().__init__(name="feeder", daemon=True)
        self.feeds = list(feeds)
        self.stopping = False
        self._added = collections.deque()       # appends and pops are thread-safe

    def add(self, feed):
        """Start pacing `feed` from the next tick (the shared feeds tick every few ms)."""
        self._added.append(feed)

    def run(self):
        now = time.monotonic()
        heap = [(now + 0.002 * k, k, feed) for k, feed in enumerate(self.feeds)]
        heapq.heapify(heap)
        serial = len(heap)
        while not self.stopping:
            while self._added:
                heapq.heappush(heap, (time.monotonic(), serial, self._added.popleft()))
                serial += 1
            delay = heap[0][0] - time.monotonic() if heap else 0.04
            if delay > 0:
                time.sleep(delay)
            if not heap:
                continue
            due, k, feed = heap[0]
            try:
                alive = feed.push_next(due)
            except Exception:                                   # keep the others going
                log.exception("feed %s failed", feed.name)
                alive = not isinstance(feed, SessionFeed)
            if not alive:
                heapq.heappop(heap)
                continue
            nxt = due + feed.period
            now = time.monotonic()
            if nxt < now - 0.5:           # stalled (suspend, overload): resync, no burst
                nxt = now
            heapq.heapreplace(heap, (nxt, k, feed))


# -- auth ---------------------------------------------------------------------

def _token(role):
    t = GstRtspServer.RTSPToken()
    t.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, role)
    return t


def _permissions(auth):
    """Every role may *see* the factory (so failures are 401, never 404);
    only the roles in ALLOWED_ROLES[auth] may *construct* (play) it."""
    perms = GstRtspServer.RTSPPermissions()
    for role in ROLES:
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
        perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                      role in ALLOWED_ROLES[auth])
    return perms


class FleetAuth(GstRtspServer.RTSPAuth):
    """Stock GstRTSPAuth, except that the 401 challenge offers only the
    scheme of the mount being requested (Basic or Digest), not both."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.set_realm(catalog.REALM)
        self.set_default_token(_token("anonymous"))
        for user, password in catalog.USERS.items():
            self.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password),
                           _token("basic-user"))
            self.add_digest(user, password, _token("digest-user"))

    def do_generate_authenticate_header(self, ctx):
        scheme = getattr(ctx.factory, "challenge", None)
        method = (GstRtsp.RTSPAuthMethod.DIGEST if scheme == "digest"
                  else GstRtsp.RTSPAuthMethod.BASIC)
        with self._lock:
            self.set_supported_methods(method)
            GstRtspServer.RTSPAuth.do_generate_authenticate_header(self, ctx)


# -- factories ----------------------------------------------------------------

def _drop_all(pad, info):
    return Gst.PadProbeReturn.DROP


def _unsync_udp_sinks(bin, sub_bin, element):
    """Per-session media: the UDP sink sends each packet as soon as it comes.

    Over TCP the stream's rate control decides whether gst-rtsp-server's RTP
    sink syncs on the clock; its multiudpsink always does.  Either would pace
    a burst of frames stamped 40 ms apart back into real time.
    """
    factory = element.get_factory()
    if factory and factory.get_name() == "multiudpsink":
        element.set_property("sync", False)


def _starts_idr(buf):
    """Whether an RTP packet is the first FU-A fragment of an H.264 IDR slice."""
    head = buf.extract_dup(0, 14)
    offset = 12 + 4 * (head[0] & 0x0F)
    if offset + 2 > buf.get_size():
        return False
    fu = buf.extract_dup(offset, 2)
    return fu[0] & 0x1F == 28 and fu[1] & 0x80 and fu[1] & 0x1F == 5


def _drop_from_first_keyframe(key, share):
    """A pad probe for pay0's src pad that drops `share` of the RTP packets of the
    first keyframe: a run in its middle, after the payloader numbered them, so
    the client sees a gap in the sequence numbers (what live555 does over TCP
    when its send buffer is full during the keyframe burst at connect).

    rtph264pay pushes the fragments of a slice as one buffer list, which is not
    writable here: the probe drops the list and pushes a copy without the run.
    """
    state = {"done": False}
    local = threading.local()

    def probe(pad, info):
        if state["done"] or getattr(local, "pushing", False):
            return Gst.PadProbeReturn.OK
        if not info.type & Gst.PadProbeType.BUFFER_LIST:
            return Gst.PadProbeReturn.OK
        packets = info.get_buffer_list()
        n = packets.length()
        if n < 3 or not _starts_idr(packets.get(0)):
            return Gst.PadProbeReturn.OK
        state["done"] = True
        count = max(1, round(n * share))
        first = (n - count) // 2
        kept = Gst.BufferList.new()
        dropped = []
        for i in range(n):
            buf = packets.get(i)
            if first <= i < first + count:
                dropped.append(int.from_bytes(buf.extract_dup(2, 2), "big"))
            else:
                kept.insert(-1, buf)
        log.info("%s: dropped RTP packets %d-%d of %d of the first keyframe (seq %d-%d)",
                 key, first, first + count - 1, n, dropped[0], dropped[-1])
        local.pushing = True
        try:
            pad.push_list(kept)
        finally:
            local.pushing = False
        return Gst.PadProbeReturn.DROP
    return probe


def _silence_sinks(bin, sub_bin, element):
    """no-rtp: drop everything that reaches a network sink (RTP and RTCP)."""
    factory = element.get_factory()
    if factory and factory.get_name() in ("appsink", "multiudpsink"):
        element.get_static_pad("sink").add_probe(
            Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST, _drop_all)


def _offset_ntp(offset):
    """An `on-sending-rtcp` handler that moves the NTP time of every sender report
    `offset` seconds (the camera's clock is off; its RTP timestamps are not)."""
    delta = round(offset * (1 << 32))                 # NTP timestamps are 32.32 fixed point
    read_write = Gst.MapFlags.READ | Gst.MapFlags.WRITE

    def on_sending_rtcp(session, buffer, early):
        rtcp = GstRtp.RTCPBuffer()
        if not GstRtp.RTCPBuffer.map(buffer, read_write, rtcp):
            return False
        try:
            packet = GstRtp.RTCPPacket()
            more = rtcp.get_first_packet(packet)
            while more:
                if packet.get_type() == GstRtp.RTCPType.SR:
                    ssrc, ntp, rtptime, packets, octets = packet.sr_get_sender_info()
                    if ntp:                           # 0: a report without a timestamp
                        packet.sr_set_sender_info(ssrc, (ntp + delta) % (1 << 64), rtptime,
                                                  packets, octets)
                more = packet.move_to_next()
        finally:
            rtcp.unmap()
        return False                                  # nothing added: may be suppressed as usual
    return on_sending_rtcp


def _camera_clock(offset):
    """A deep-element-added handler for the media of a source with a clock_offset
    (a per-session source: every session gets an RTP session of its own).

    Its sender reports go out every SENDER_REPORT_INTERVAL_S instead of 5 s, the
    first one half an interval (randomised) after the first RTP packet, and carry a
    timestamp: gst-rtsp-server leaves the timestamp out of the reports of a stream
    without rate control (`disable-sr-timestamp`), as a per-session feed is.  The
    NTP time is `offset` seconds off (RTCPBuffer rewritten in `on-sending-rtcp`)."""
    def keep_timestamps(session, pspec):
        if session.get_property("disable-sr-timestamp"):
            session.set_property("disable-sr-timestamp", False)

    def on_element(bin, sub_bin, element):
        factory = element.get_factory()
        if not factory or factory.get_name() != "rtpsession":
            return
        element.set_property("rtcp-min-interval",
                             int(catalog.SENDER_REPORT_INTERVAL_S * Gst.SECOND))
        session = element.get_property("internal-session")
        session.connect("notify::disable-sr-timestamp", keep_timestamps)
        keep_timestamps(session, None)
        if offset:
            session.connect("on-sending-rtcp", _offset_ntp(offset))
    return on_element


class SourceFactory(GstRtspServer.RTSPMediaFactory):
    """Factory for one Source channel; all mounts using it share one media.

    A per-session source (`source.session`) is the exception: each session
    gets a media of its own, fed by a SessionFeed of `clip` that
    `start_feed` hands to the Feeder.
    """

    def __init__(self, key, source, feed=None, clip=None, start_feed=None):
        super().__init__()
        self.key = key
        self.source = source
        self.feed = feed
        self.clip = clip
        self.start_feed = start_feed
        self.challenge = "digest" if source.auth == "digest" else "basic"
        self.media = None               # the kept-alive shared media
        if source.session is not None:
            launch = SessionFeed(key, clip, source.session).launch()
        elif feed is not None:
            launch = feed.launch()
        elif source.broken:
            launch = UNAVAILABLE_LAUNCH
        elif source.launch:
            launch = "( %s )" % source.launch
        else:
            launch = NEVER_BUILT_LAUNCH
        self.set_launch(launch)
        self.set_shared(not source.broken and source.session is None)
        if source.udp_only:
            self.set_protocols(GstRtsp.RTSPLowerTrans.UDP)    # TCP SETUP: 461
        self.set_permissions(_permissions(source.auth))
        self.connect("media-configure", self._on_media_configure)

    @property
    def keep_running(self):
        """Whether this factory has a pipeline that should run from startup."""
        return (not self.source.broken and self.source.auth != "deny"
                and self.source.session is None)

    def do_gen_key(self, url):
        return self.key                 # same media whatever the mount path

    def _on_media_configure(self, factory, media):
        bin = media.get_element()
        if self.feed is not None:
            self.feed.appsrc = bin.get_by_name("src")
        if self.source.no_rtp:
            bin.get_parent().connect("deep-element-added", _silence_sinks)
        if self.source.clock_offset is not None:
            bin.get_parent().connect("deep-element-added", _camera_clock(self.source.clock_offset))
        session = self.source.session
        if session is not None:
            feed = SessionFeed(self.key, self.clip, session)
            feed.appsrc = bin.get_by_name("src")
            feed.stream = media.get_stream(0)
            media.set_rate_control(False)
            feed.stream.set_rate_control(False)
            bin.get_parent().connect("deep-element-added", _unsync_udp_sinks)
            media.connect("unprepared", lambda m: setattr(feed, "finished", True))
            media.connect("new-state", lambda m, state: state == Gst.State.PLAYING
                          and feed.play())
            if session.drop_keyframe:
                bin.get_by_name("pay0").get_static_pad("src").add_probe(
                    Gst.PadProbeType.BUFFER | Gst.PadProbeType.BUFFER_LIST,
                    _drop_from_first_keyframe(self.key, session.drop_keyframe))
            self.start_feed(feed)

    def start(self, server, port):
        """Construct and prepare the shared media, and never release it."""
        ok, url = GstRtsp.RTSPUrl.parse("rtsp://127.0.0.1:%d/.fleet/%s" % (port, self.key))
        media = self.construct(url)
        if media is None:
            raise RuntimeError("cannot construct media for %s" % self.key)
        thread = server.get_thread_pool().get_thread(GstRtspServer.RTSPThreadType.MEDIA,
                                                     GstRtspServer.RTSPContext())
        if not media.prepare(thread):
            raise RuntimeError("cannot prepare media for %s" % self.key)
        media.connect("new-state", lambda m, state: log.debug("%s: state %s", self.key, state))
        if self.feed is not None:
            self.feed.stream = media.get_stream(0)
        self.media = media


# -- the fleet ----------------------------------------------------------------

class Fleet:
    """The RTSP server, its shared factories, and the path -> mode table."""

    def __init__(self, clips, cameras, host="127.0.0.1", port=0):
        self.cameras = cameras
        self.server = GstRtspServer.RTSPServer()
        self.server.set_address(host)
        # Where this process reaches its own server (warm-up).
        self.local_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        self.server.set_service(str(port))
        self.server.set_backlog(BACKLOG)
        self.server.set_auth(FleetAuth())
        self.server.connect("client-connected", self._on_client_connected)
        self.mounts = self.server.get_mount_points()
        self.server.attach(None)
        self.port = self.server.get_bound_port()
        self.factories = {}             # key ("720p#3", "frozen") -> SourceFactory
        self.feeds = []
        self.modes = {}                 # path -> mode name
        self.initial = {}               # path -> mode at startup
        self.lock = threading.Lock()
        self.feeder = Feeder([])
        self._build_factories(clips)
        self.feeder.feeds = self.feeds
        for n in range(1, cameras + 1):
            self._mount(catalog.camera_path(n), "healthy", initial=True)
        for path, name in catalog.FIXED_MOUNTS.items():
            self._mount(path, name, initial=True)

    # -- construction --
    def _build_factories(self, clips):
        corrupted = {}
        feed_no = 0
        for name, source in catalog.SOURCES.items():
            for ch in range(source.channels):
                key = name if source.channels == 1 else "%s#%d" % (name, ch)
                feed = None
                if source.session is not None:
                    self.factories[key] = SourceFactory(key, source, clip=clips[source.clip],
                                                        start_feed=self.feeder.add)
                    continue
                if source.clip:
                    clip = clips[source.clip]
                    if source.corrupt:
                        clip = corrupted.setdefault(source.clip, corrupt_slices(clip))
                    feed = Feed(key, clip, _start_frame(clip, ch, source.channels, feed_no))
                    feed_no += 1
                    self.feeds.append(feed)
                self.factories[key] = SourceFactory(key, source, feed)

    def start(self):
        """Start every shared pipeline; return when clients can play them all.

        The server must already be attached and its main loop running: the
        warm-up step plays each shared media once through a real RTSP session.
        """
        t0 = time.monotonic()
        self.feeder.start()
        running = [f for f in self.factories.values() if f.keep_running]
        # Prepare in parallel: each preroll waits for its feed's next keyframe
        # (the parser needs SPS/PPS), i.e. up to one GOP.
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(running)) as pool:
            list(pool.map(lambda f: f.start(self.server, self.port), running))
            # A freshly prepared live media is blocked, holding its first
            # packet, and has no network sinks until a first SETUP.  One real
            # PLAY + TEARDOWN per media completes and unblocks it, so real
            # clients join a running stream instead of a stale held keyframe.
            list(pool.map(self._warm_up, enumerate(running)))
        log.info("%d shared pipelines running in %.2fs (%d live feeds)", len(running),
                 time.monotonic() - t0, len(self.feeds))

    def _warm_up(self, job):
        i, factory = job
        path = "/.warmup/%d" % i
        user, password = next(iter(catalog.USERS.items()))
        creds = "%s:%s@" % (urllib.parse.quote(user, safe=""),
                            urllib.parse.quote(password, safe="")) if factory.source.auth else ""
        self.mounts.add_factory(path, factory)
        try:
            out = probe("rtsp://%s%s:%d%s" % (creds, self.local_host, self.port, path), 2.0,
                        until_first_rtp=True)
        finally:
            self.mounts.remove_factory(path)
        if out.get("play") != 200:
            raise RuntimeError("warm-up of %s failed: %s" % (factory.key, out))

    def _on_client_connected(self, server, client):
        client.connect("pre-setup-request", self._pre_setup)

    def _pre_setup(self, client, ctx):
        """A source with `refuse_tcp` answers a SETUP that asks for TCP with that status.

        A source that sends a burst gets TCP_NODELAY on the connection: with Nagle's
        algorithm the last frames of a burst waited for the client's delayed ACK
        (40 ms on Linux), and a media server's GOP cache goes out at once.
        """
        path = re.sub(r"/stream=\d+$", "", ctx.uri.abspath) if ctx.uri else ""
        source = catalog.SOURCES.get(self.modes.get(path))
        if source is not None and source.session is not None and source.session.burst:
            client.get_connection().get_read_socket().set_option(
                socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if source is not None and source.refuse_tcp:
            _, transport = ctx.request.get_header(GstRtsp.RTSPHeaderField.TRANSPORT, 0)
            if transport and "TCP" in transport.upper():
                return GstRtsp.RTSPStatusCode(source.refuse_tcp)
        return GstRtsp.RTSPStatusCode.OK

    def stop(self):
        self.feeder.stopping = True
        for factory in self.factories.values():
            if factory.media is not None:
                factory.media.unprepare()

    # -- modes --
    def mode_names(self):
        return list(catalog.SPECIAL_MODES) + list(catalog.SOURCES)

    def _factory_for(self, path, mode):
        cam = _camera_number(path)
        if mode == "healthy":
            name, ch = catalog.camera_source(cam) if cam is not None else ("720p", 0)
        else:
            name, ch = mode, (cam + cam // 10 if cam is not None else 0)
        source = catalog.SOURCES[name]
        key = name if source.channels == 1 else "%s#%d" % (name, ch % source.channels)
        return self.factories[key]

    def _mount(self, path, mode, initial=False):
        if mode == "missing":
            self.mounts.remove_factory(path)
        else:
            self.mounts.add_factory(path, self._factory_for(path, mode))   # replaces
        self.modes[path] = mode
        if initial:
            self.initial[path] = mode

    def set_mode(self, path, mode):
        if mode not in self.mode_names():
            raise ValueError("unknown mode %r (modes: %s)" % (mode, " ".join(self.mode_names())))
        if not path.startswith("/") or any(c.isspace() for c in path) or ".." in path:
            raise ValueError("bad path %r" % path)
        with self.lock:
            self._mount(path, mode)
        log.info("mode %s -> %s", path, mode)
        return mode

    def get_mode(self, path):
        with self.lock:
            return self.modes.get(path, "missing")

    def reset(self, path):
        return self.set_mode(path, self.initial.get(path, "missing"))


def _start_frame(clip, channel, channels, feed_no):
    """Where a feed starts in its loop, which fixes its GOP phase.

    The channels of one source are spread evenly over the GOP (plus a
    golden-ratio jitter so that different sources differ too), and each
    channel starts in a different GOP of the loop so pictures differ.
    """
    jitter = (feed_no * 0.6180339887) % 1.0
    phase = int(clip.gop * (channel + jitter) / channels)
    return channel * clip.gop + phase


def _camera_number(path):
    if path.startswith("/cam/") and path[5:].isdigit():
        return int(path[5:])
    return None
