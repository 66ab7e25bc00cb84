#!/usr/bin/python3
"""Patrol sample camera fleet: a real RTSP server full of simulated IP cameras.

    fleet.py serve --port P --cameras N [--host 127.0.0.1] [--media-dir DIR]
                   [--blackhole-port P2] [--slow404-delay S] [--control SOCKETPATH]
                   [--faults PLAN] [--exit-with-stdin]
    fleet.py set PATH MODE   [--control SOCKETPATH]
    fleet.py get PATH        [--control SOCKETPATH]
    fleet.py reset PATH      [--control SOCKETPATH]
    fleet.py modes           [--control SOCKETPATH]

`serve` runs in the foreground.  When every mount is registered and every
shared pipeline is running it prints exactly one line on stdout:

    READY port=<rtsp> blackhole=<port> refused=<port> slow404=<port> control=<path> cameras=<N>

Everything else goes to stderr.  SIGTERM / SIGINT stop it cleanly (exit 0).  SIGUSR1 writes every
thread's Python stack to stderr (the fleet's log) and goes on serving: what a hung fleet is doing.
The client subcommands talk to the control socket given by --control or
$PATROL_FLEET_CONTROL.  See README.md for mounts, modes and design.

Needs Debian's /usr/bin/python3 (python3-gi, gir1.2-gst-rtsp-server-1.0).
"""
import sys

sys.dont_write_bytecode = True      # keep __pycache__ out of the checkout

import argparse  # noqa: E402
import faulthandler  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

log = logging.getLogger("fleet")


class _Stop(Exception):
    """Raised by the signal handler while the server is still starting."""


def _default_control_path(port):
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if not runtime or not os.path.isdir(runtime):
        runtime = "/tmp"
    return os.path.join(runtime, "patrol-fleet-%d.sock" % port)


def serve(args):
    def stop_while_starting(signum, frame):
        raise _Stop()
    signal.signal(signal.SIGTERM, stop_while_starting)
    signal.signal(signal.SIGINT, stop_while_starting)
    faulthandler.register(signal.SIGUSR1, all_threads=True)

    import gi
    gi.require_version("Gst", "1.0")
    from gi.repository import GLib, Gst
    Gst.init(None)
    from fleetlib import catalog, control, media, ports, rtsp

    t0 = time.monotonic()
    faults = read_faults(args.faults) if args.faults else []
    ctl = blackhole = slow404 = fleet = None
    result = {"rc": 0}
    try:
        media_dir = args.media_dir or media.default_media_dir()
        paths = media.ensure_clips(media_dir, catalog.CLIPS)
        clips = {name: media.load_clip(name, clip, paths[name])
                 for name, clip in catalog.CLIPS.items()}
        log.info("clips ready in %.1fs", time.monotonic() - t0)

        fleet = rtsp.Fleet(clips, args.cameras, args.host, args.port)
        blackhole = ports.Blackhole(args.host, args.blackhole_port)
        blackhole.start()
        slow404 = ports.SlowNotFound(args.host, 0, args.slow404_delay)
        slow404.start()
        refused = ports.find_refused_port("127.0.0.1")
        ctl = control.ControlServer(args.control or _default_control_path(fleet.port), fleet)

        loop = GLib.MainLoop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            GLib.unix_signal_add(GLib.PRIORITY_HIGH, signum, loop.quit)

        def start_and_announce():
            # Runs while the main loop serves RTSP: warm-up needs the server.
            try:
                fleet.start()
                for path, mode in faults:
                    fleet.set_mode(path, mode)
                ctl.start()
            except Exception:
                log.exception("startup failed")
                result["rc"] = 1
                GLib.idle_add(loop.quit)
                return
            log.info("serving %d cameras + %d fixed mounts on %s:%d (startup %.1fs)",
                     args.cameras, len(catalog.FIXED_MOUNTS), args.host, fleet.port,
                     time.monotonic() - t0)
            print("READY port=%d blackhole=%d refused=%d slow404=%d control=%s cameras=%d"
                  % (fleet.port, blackhole.port, refused, slow404.port, ctl.path, args.cameras),
                  flush=True)

        threading.Thread(target=start_and_announce, name="startup", daemon=True).start()
        if args.exit_with_stdin:
            def watch_stdin():
                # The parent (a test run) holds our stdin open; when it exits, so do we.
                while os.read(0, 4096):
                    pass
                log.info("stdin closed: stopping")
                GLib.idle_add(loop.quit)
            threading.Thread(target=watch_stdin, name="stdin", daemon=True).start()
        loop.run()
        log.info("stopping")
    except _Stop:
        log.info("stopped while starting")
    finally:
        if ctl:
            ctl.close()
        if blackhole:
            blackhole.close()
        if slow404:
            slow404.close()
        if fleet:
            # Tearing pipelines down is best effort: never hang the exit on it.
            t = threading.Thread(target=fleet.stop, daemon=True)
            t.start()
            t.join(5)
    return result["rc"]


def read_faults(path):
    """A fault plan: one `PATH MODE` per line (e.g. `/cam/0042 frozen`); # starts a comment."""
    faults = []
    with open(path, encoding="utf-8") as plan:
        for number, line in enumerate(plan, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) != 2:
                sys.exit("fleet: %s:%d: expected `PATH MODE`" % (path, number))
            faults.append((words[0], words[1]))
    return faults


def client(args):
    from fleetlib import control
    path = args.control or os.environ.get("PATROL_FLEET_CONTROL")
    if not path:
        sys.exit("fleet: no control socket (use --control or $PATROL_FLEET_CONTROL)")
    line = " ".join([args.command] + [getattr(args, a) for a in ("path", "mode")
                                      if getattr(args, a, None)])
    try:
        reply = control.request(path, line)
    except OSError as e:
        sys.exit("fleet: cannot reach control socket %s: %s" % (path, e))
    print(reply)
    return 0 if reply.startswith("OK") else 1


def main(argv=None):
    ap = argparse.ArgumentParser(prog="fleet.py", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)

    s = sub.add_parser("serve", help="run the RTSP fleet in the foreground")
    s.add_argument("--port", type=int, default=8554, help="RTSP port; 0 = ephemeral")
    s.add_argument("--cameras", type=int, default=16, help="number of /cam/NNNN mounts")
    s.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    s.add_argument("--media-dir", help="clip cache (default $XDG_CACHE_HOME/patrol-fleet "
                                       "or ~/.cache/patrol-fleet)")
    s.add_argument("--blackhole-port", type=int, default=0, help="0 = ephemeral")
    s.add_argument("--slow404-delay", type=float, default=4.0,
                   help="seconds the slow404 listener holds a DESCRIBE before its 404 (default 4)")
    s.add_argument("--faults", help="fault plan: lines of `PATH MODE` applied at startup")
    s.add_argument("--exit-with-stdin", action="store_true",
                   help="stop when standard input closes (tests: the fleet dies with its parent)")
    s.add_argument("--control", help="control socket path (default "
                                     "$XDG_RUNTIME_DIR|/tmp/patrol-fleet-<port>.sock)")
    s.add_argument("-v", "--verbose", action="store_true")
    s.set_defaults(func=serve)

    for name, extra in (("set", ("path", "mode")), ("get", ("path",)),
                        ("reset", ("path",)), ("modes", ()), ("ping", ())):
        c = sub.add_parser(name, help="control channel: %s %s" % (name, " ".join(extra).upper()))
        for a in extra:
            c.add_argument(a)
        c.add_argument("--control", help="control socket (default $PATROL_FLEET_CONTROL)")
        c.set_defaults(func=client)

    args = ap.parse_args(argv)
    if args.command == "serve":
        if not 1 <= args.cameras <= 99999:
            ap.error("--cameras must be 1..99999")
        logging.basicConfig(stream=sys.stderr,
                            level=logging.DEBUG if args.verbose else logging.INFO,
                            format="%(asctime)s %(name)s %(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
