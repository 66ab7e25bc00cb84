"""Patrol sample camera fleet: a real RTSP server with simulated IP cameras.

Modules:
    catalog  - WHAT is served: clips, sources (variants and faults), mounts.
               Adding a fault or variant is one entry here.
    scenery  - the fixed camera view of the /scene mounts and its variants,
               drawn with ffmpeg's lavfi sources.
    media    - ffmpeg clip generation, on-disk cache, Annex-B access units.
    rtsp     - gst-rtsp-server wiring: shared live feeds, auth, mounts, modes.
    control  - Unix-socket line protocol to change mounts at runtime.
    ports    - the "blackhole" listener and the "refused" port.
"""
