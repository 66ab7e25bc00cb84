"""Fixed camera views drawn with ffmpeg's lavfi sources, for the scene checks.

A monitor compares each camera's keyframe with a picture approved for that
camera.  These scenes give it one view to approve (`approved`: a room seen by
a fixed indoor camera) and variants of that same view:

* changes a monitor must tolerate: `night`, `lights`, `passersby`, `door`,
  `lowbitrate` (same drawing, another clip bitrate), `resolution` (same
  drawing, scaled to another size);
* faults it must report: `panned` (moved), `elsewhere` (moved), `wall`
  (moved), `covered` (obstructed), `blurred`.

Everything is drawn once, as one still frame, from sources and drawing
filters only (no downloads, no fonts): a panorama of the room, 1.5 views
wide, out of which a view is cropped.  The still is looped and gets
per-frame sensor noise (catalog.SENSOR_NOISE), so no two frames are
pixel-identical.  Every random source has a fixed seed: two clips of the same
view, rendered by separate ffmpeg processes, show the same drawing.

Coordinates are in pixels of the 1280x720 view; the finished view is scaled
to the clip's size ({w}x{h}), so a 640x360 clip shows the same picture.
"""
import random

VIEW_W, VIEW_H = 1280, 720
PANORAMA_W = 1920                 # the room is wider than the view: a panned camera sees more
PAN_X = 512                       # `panned`: the view turned sideways by 40% of its width
FLOOR_Y = 470                     # where the back wall meets the floor

# The lamp between the window and the door: off in the approved view.
LAMP = dict(x=455, y=150, w=100, h=85)
# The door: closed in the approved view.
DOOR = dict(x=610, y=100, w=200, h=372)

# The person of `passersby`: a silhouette 190x560 px (~7% of the view, 11.5% by
# its box), walking at ~370 px/s (1.2 m/s for a 1.7 m person 540 px tall).
PERSON_W, PERSON_H = 190, 560
WALK_S = 4.0                      # seconds to cross the view


def box(x, y, w, h, color, t="fill"):
    return "drawbox=x=%d:y=%d:w=%d:h=%d:color=%s:t=%s" % (x, y, w, h, color, t)


def _window():
    """A window with a view of a house across the street."""
    x, y, w, h = 80, 60, 320, 262
    return [
        box(x - 14, y - 14, w + 28, h + 28, "0xf2f0ea"),                # frame
        box(x, y, w, h, "0xa9c8e6"),                                     # sky
        box(x, y + 150, w, h - 150, "0x6f8a5a"),                         # hedge
        box(x + 40, y + 70, 190, 130, "0xb8a58c"),                       # house
        box(x + 30, y + 50, 210, 22, "0x7a3d2e"),                        # roof
        box(x + 60, y + 95, 34, 40, "0x4a5564"), box(x + 120, y + 95, 34, 40, "0x4a5564"),
        box(x + 180, y + 95, 34, 40, "0x4a5564"),
        box(x + 250, y + 20, 50, 190, "0x5b4a3a"),                       # a pole
        box(x + w // 2 - 5, y, 10, h, "0xf2f0ea"),                       # mullions
        box(x, y + 120, w, 10, "0xf2f0ea"),
        box(x - 26, y + h + 14, w + 52, 16, "0xdedbd2"),                 # sill
    ]


def _lamp(on):
    """A floor lamp; `on` lights its shade."""
    return [
        box(LAMP["x"] + 46, LAMP["y"] + LAMP["h"], 8, 690 - LAMP["y"] - LAMP["h"], "0x3a3530"),
        box(LAMP["x"] + 20, 684, 60, 12, "0x3a3530"),
        box(LAMP["x"], LAMP["y"], LAMP["w"], LAMP["h"], "0xfff6d8" if on else "0xcfc4a4"),
        box(LAMP["x"], LAMP["y"] + LAMP["h"] - 8, LAMP["w"], 8, "0xb0a480"),
    ]


def _door(open_):
    x, y, w, h = DOOR["x"], DOOR["y"], DOOR["w"], DOOR["h"]
    out = [box(x, y, w, h, "0x4b3421")]                                  # frame
    lx, ly, lw, lh = x + 14, y + 14, w - 28, h - 14
    if open_:
        # A dim corridor behind the opened door, its far end lit; the leaf edge-on.
        out += [
            box(lx, ly, lw, lh, "0x2b2925"),
            box(lx + 30, ly + 40, lw - 60, lh - 70, "0x3d3a34"),
            box(lx + 62, ly + 90, lw - 124, lh - 150, "0x9c9682"),
            box(lx, ly + lh - 40, lw, 40, "0x1e1c19"),
            box(lx, ly, 22, lh, "0x9a6b42"),
        ]
    else:
        out += [
            box(lx, ly, lw, lh, "0x9a6b42"),                             # leaf
            box(lx + 20, ly + 26, lw - 40, 140, "0x74502f", "6"),        # panels
            box(lx + 20, ly + 196, lw - 40, 140, "0x74502f", "6"),
            box(lx + lw - 24, ly + 176, 12, 10, "0xd8c888"),             # handle
        ]
    return out


def _shelf():
    """A bookcase with about 60 books of random width, height and colour (fixed seed)."""
    x, y, w, h = 880, 50, 360, 420
    out = [box(x, y, w, h, "0x5a3b22"), box(x + 14, y + 14, w - 28, h - 28, "0x35261a")]
    rng = random.Random(7)
    palette = ["0x8c2f2a", "0x2f4f7c", "0xd8c9a0", "0x3d6b4a", "0xc07a2c", "0x5a4a7a",
               "0xe6e0d0", "0x202020", "0x9a8a3a", "0xb04a6a", "0x4a7a8a", "0x7a5a3a"]
    for shelf in range(4):
        floor = y + 14 + (shelf + 1) * (h - 28) // 4
        out.append(box(x + 14, floor - 10, w - 28, 10, "0x6b4a2c"))
        bx = x + 18
        while True:
            bw = rng.randint(12, 30)
            if bx + bw > x + w - 18:
                break
            if rng.random() < 0.12:                                      # a gap, or a box
                if rng.random() < 0.5:
                    out.append(box(bx, floor - 10 - 46, 60, 46, "0xa88c64"))
                    bx += 64
                else:
                    bx += bw
                continue
            bh = rng.randint(58, 86)
            out.append(box(bx, floor - 10 - bh, bw, bh, rng.choice(palette)))
            if bw >= 18:                                                 # a label on the spine
                out.append(box(bx + 3, floor - 10 - bh + 12, bw - 6, 6, "0xe8dcb0"))
            bx += bw + rng.randint(0, 2)
    return out


def _beyond():
    """What a camera turned to the right sees: a radiator, a desk with a monitor."""
    return [
        box(1340, 350, 240, 100, "0xd8d6d0"),
        box(1650, 330, 250, 16, "0x6b4a2c"),                             # desk top
        box(1660, 346, 14, 200, "0x4a3421"), box(1876, 346, 14, 200, "0x4a3421"),
        box(1700, 190, 170, 120, "0x1a1a1c"), box(1708, 198, 154, 104, "0x3a5a8a"),
        box(1775, 310, 20, 20, "0x1a1a1c"), box(1740, 328, 90, 4, "0x1a1a1c"),
        box(1580, 560, 120, 140, "0x6a4a30"), box(1596, 470, 88, 96, "0x3d6b3a"),  # plant
    ]


def room_still(lamp_on=False, door_open=False):
    """A filtergraph ending in one still frame of the whole panorama (rgb)."""
    pw = PANORAMA_W
    parts = [
        # Back wall: lit from the window (left), darker to the right.
        "gradients=s=%dx%d:c0=0xe6dfcf:c1=0x9a8f7e:x0=200:y0=0:x1=1800:y1=720:"
        "speed=0.00001:r={fps},format=rgb24,trim=end_frame=1[wall]" % (pw, VIEW_H),
        # Floor: planks with a grain, a patterned rug (a cellular automaton).
        "color=c=0x7d5c3e:s=%dx%d:r={fps},format=rgb24,"
        "noise=alls=24:all_seed=11,gblur=sigma=12:sigmaV=0.6,drawgrid=w=240:h=50:t=3:c=0x4a3423,"
        "trim=end_frame=1[floor]" % (pw, VIEW_H - FLOOR_Y),
        "cellauto=s=600x60:rule=150:random_seed=5:scroll=0:r={fps},format=rgb24,"
        "scale=600x150:flags=neighbor,lutrgb=r='if(val,200,120)':g='if(val,170,40)':"
        "b='if(val,120,40)',drawbox=x=0:y=0:w=600:h=150:color=0x3a1a14:t=8,"
        "trim=end_frame=1[rug]",
        # A painting beyond the view: a Mandelbrot set.
        "mandelbrot=s=236x166:start_scale=1.2:maxiter=300:r={fps},format=rgb24,"
        "trim=end_frame=1[painting]",
        "[wall][floor]overlay=x=0:y=%d[r1]" % FLOOR_Y,
        "[r1][rug]overlay=x=300:y=545[r2]",
        "[r2][painting]overlay=x=1342:y=122,"
        + ",".join([box(0, FLOOR_Y - 10, pw, 14, "0xe8e4da"),            # skirting
                    box(1330, 110, 260, 190, "0x3b2a1a", "12")]          # painting frame
                   + _window() + _lamp(lamp_on) + _door(door_open) + _shelf() + _beyond()),
    ]
    return ";".join(parts)


def lamp_glow():
    """The lamp switched on lights the wall and floor around it (a warm pool of light)."""
    cx, cy = LAMP["x"] + LAMP["w"] // 2, LAMP["y"] + LAMP["h"]
    g = "0.55*exp(-((X-%d)*(X-%d)+(Y-%d)*(Y-%d))/(2*170*170))" % (cx, cx, cy, cy)
    return ("format=gbrp,geq=r='min(255,r(X,Y)*(1+{g})+40*{g})':g='min(255,g(X,Y)*(1+{g})+30*{g})'"
            ":b='min(255,b(X,Y)*(1+0.6*{g}))',format=rgb24").replace("{g}", g)


def view(still, noise, x=0, edit="", walkers=False):
    """Crop the view at `x` out of the panorama, apply `edit` to the still, scale it
    to the clip, loop it, add per-frame noise (and with `walkers`, people walking)."""
    chain = "crop=%d:%d:%d:0" % (VIEW_W, VIEW_H, x)
    if edit:
        chain += "," + edit
    chain += (",scale={w}:{h}:flags=area,format=yuv420p,"
              "loop=loop=-1:size=1,setpts=N/{fps}/TB")
    if not walkers:
        return "%s,%s,%s" % (still, chain, noise)
    return "%s,%s[still];%s,%s" % (still, chain, _walkers(), noise)


def _person(label, shirt, trousers):
    """A silhouette (head, torso, two legs) on a transparent still, scaled with the view."""
    w, h = PERSON_W, PERSON_H
    head = "lt((X-%d)*(X-%d)+(Y-48)*(Y-48),1600)" % (w // 2, w // 2)
    torso = "between(Y,92,320)*between(X,18,%d)" % (w - 18)
    legs = "between(Y,320,%d)*(between(X,30,88)+between(X,%d,%d))" % (h, w - 88, w - 30)

    def plane(skin, top, bottom):
        return "'if(%s,%d,if(lt(Y,320),%d,%d))'" % (head, skin, top, bottom)
    return ("color=c=black:s=%dx%d:r={fps},format=gbrap,"
            "geq=r=%s:g=%s:b=%s:a='255*min(1,%s+%s+%s)',trim=end_frame=1,"
            "scale=w={w}*%d/%d:h=-2,format=yuva420p,loop=loop=-1:size=1,setpts=N/{fps}/TB[%s]"
            % (w, h, plane(226, shirt[0], trousers[0]), plane(186, shirt[1], trousers[1]),
               plane(158, shirt[2], trousers[2]), head, torso, legs, w, VIEW_W, label))


def _walkers():
    """Two people crossing the view, one each way, one after the other (8 s loop).

    Phase p = (t + 1) mod 8: the first walks left to right while p < 4, the second
    right to left after; each takes WALK_S = 4 s.  Every keyframe (every 2 s) has a
    person wholly or mostly in the picture."""
    p = "mod(t+1,8)"
    return ";".join([
        _person("a", (44, 62, 112), (72, 72, 78)),
        _person("b", (168, 52, 42), (40, 44, 60)),
        "[still][a]overlay=x='-w+(W+w)*%s/%g':y=H-h-H/36:enable='lt(%s,%g)'[one]"
        % (p, WALK_S, p, WALK_S),
        "[one][b]overlay=x='W-(W+w)*(%s-%g)/%g':y=H-h-H/36:enable='gte(%s,%g)'"
        % (p, WALK_S, WALK_S, p, WALK_S),
    ])


def outdoors():
    """`elsewhere`: a street with houses and parked cars, not the room."""
    rng = random.Random(3)
    draw = [box(0, 430, VIEW_W, 290, "0x55575a"),                        # road
            box(0, 420, VIEW_W, 14, "0xb8b4aa")]                         # kerb
    x = -20
    while x < VIEW_W:                                                    # houses
        w = rng.randint(170, 260)
        top = rng.randint(120, 230)
        draw.append(box(x, top, w, 420 - top, rng.choice(
            ["0xc9b79c", "0xa8a096", "0xd6cfc2", "0x9c7a62", "0xb5c0c8"])))
        draw.append(box(x - 6, top - 18, w + 12, 18, "0x5a3e34"))
        for wy in range(top + 25, 380, 70):
            for wx in range(x + 20, x + w - 40, 55):
                draw.append(box(wx, wy, 30, 40, "0x3a4450"))
        x += w + rng.randint(10, 40)
    for k in range(8):                                                   # lane marks
        draw.append(box(40 + k * 170, 590, 90, 10, "0xe8e4d0"))
    for cx, color in ((120, "0x8a1c1c"), (520, "0x2a4a8a"), (930, "0xd0d0d0")):
        draw += [box(cx, 470, 240, 70, color), box(cx + 40, 430, 150, 45, color),
                 box(cx + 52, 438, 58, 32, "0x3a4a5a"), box(cx + 118, 438, 58, 32, "0x3a4a5a"),
                 box(cx + 25, 530, 46, 40, "0x151515"), box(cx + 170, 530, 46, 40, "0x151515")]
    return ("gradients=s=%dx%d:c0=0x9cc0e0:c1=0xdfe8ef:x0=0:y0=0:x1=0:y1=430:"
            "speed=0.00001:r={fps},format=rgb24,trim=end_frame=1,%s"
            % (VIEW_W, VIEW_H, ",".join(draw)))


def wall():
    """`wall`: painted plaster close up, nearly uniform, a faint texture and shading."""
    return ("color=c=0xc9bfae:s=%dx%d:r={fps},format=rgb24,noise=alls=18:all_seed=5,"
            "gblur=sigma=2.5,vignette=angle=PI/8,trim=end_frame=1" % (VIEW_W, VIEW_H))


def night():
    """The same view at night: much darker (a quarter of the light), nearly grey."""
    return "lutrgb=r=val*0.27+4:g=val*0.27+4:b=val*0.27+4,hue=s=0.15"


def cover():
    """`covered`: the left half hidden by something brown close to the lens (out of focus,
    smooth, darker to the left), the rest of the view live."""
    return ("format=gbrp,split[live][c];[c]crop=%d:%d:0:0,geq=r=96-30*(1-X/W):g=66-22*(1-X/W):"
            "b=42-14*(1-X/W),gblur=sigma=6[card];[live][card]overlay=x=0:y=0"
            % (VIEW_W // 2, VIEW_H))
