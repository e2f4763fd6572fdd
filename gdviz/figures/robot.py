"""Chad the robot as one plotly mesh: body, arms, head, visor, antenna and his heading arrow.

Chad and his heading arrow are ONE `Mesh3d` trace, so that moving him changes
one trace. Plotly cannot move a mesh: every vertex travels whenever he moves,
so he is built from few of them (a box has 8 corners, a pyramid 4 or 5).

Coordinates. In his own frame Chad's feet are at the origin, he faces +x and
is about 1 tall. On a figure he is `ROBOT_HEIGHT` scene boxes tall, where one
scene box is the on-screen width of the w1 axis; `scale` (from the explorer's
`Frame`) turns scene boxes into data units along (w1, w2, loss), so he keeps
his shape however tall the landscape is. He faces downhill: his heading is
-grad L(w), tilted down the slope on the 3D bowl.

    >>> vertices(np.zeros(3), heading(np.array([2.0, 0.0]), np.ones(3)), np.ones(3)).shape
    (46, 3)

(36 vertices for his body, 10 for his arrow: every move sends 46 points.)
"""

import numpy as np

from .._geometry import rotation

ROBOT_HEIGHT = 0.16  # Chad's height, as a fraction of the scene box's width
HEADING_LENGTH = 0.12  # his heading arrow, as a fraction of the scene box (or of the map's width)

BODY_GREY, DARK, LIGHT = "#b8c2cc", "#4a5560", "#dde3e9"
VISOR, ANTENNA = "#00b7ff", "#ff2d2d"  # his own paint, not colours with a meaning


def _box(x0, x1, y0, y1, z0, z1):
    """A box's 8 corners and 12 triangles; a corner's index has bits (z, y, x)."""
    corners = np.array([[x, y, z] for z in (z0, z1) for y in (y0, y1) for x in (x0, x1)])
    triangles = np.array([[0, 1, 3], [0, 3, 2], [4, 5, 7], [4, 7, 6], [0, 1, 5], [0, 5, 4],
                          [2, 3, 7], [2, 7, 6], [0, 2, 6], [0, 6, 4], [1, 3, 7], [1, 7, 5]])
    return corners, triangles


def _pyramid(base, apex):
    """A pyramid over a flat polygon `base` (k corners, in order) up to `apex`: k + 1 corners."""
    k = len(base)
    sides = [[i, (i + 1) % k, k] for i in range(k)]
    floor = [[0, i, i + 1] for i in range(1, k - 1)]
    return np.vstack([base, apex]), np.array(sides + floor)


def _triangle(radius, height, axis=2):
    """Three corners evenly round a circle centred on an axis (2: z, vertical; 0: x) at `height` along it."""
    corners = np.zeros((3, 3))
    across = [index for index in range(3) if index != axis]
    angles = np.arange(3) * 2 * np.pi / 3
    corners[:, across[0]], corners[:, across[1]] = radius * np.cos(angles), radius * np.sin(angles)
    corners[:, axis] = height
    return corners


def _prism(base, top):
    """The sides of a three-sided prism between two triangles of corners: 6 corners."""
    sides = []
    for i in range(3):  # each side is a quad: two triangles
        j = (i + 1) % 3
        sides += [[i, j, 3 + j], [i, 3 + j, 3 + i]]
    return np.vstack([base, top]), np.array(sides)


# From the usual camera, high above the bowl, legs would hide under his body;
# his head, visor and arms are what make him read as a robot.
PARTS = [  # ((corners, triangles), colour), in his own frame
    (_box(-0.16, 0.16, -0.26, 0.26, 0.00, 0.56), BODY_GREY),      # body, standing on the ground
    (_box(-0.06, 0.06, -0.38, 0.38, 0.22, 0.50), DARK),           # arms: one bar through the body
    (_box(-0.17, 0.17, -0.21, 0.21, 0.60, 0.92), LIGHT),          # head
    (_box(-0.18, 0.18, -0.22, 0.22, 0.70, 0.81), VISOR),          # visor, a band all round the head
    (_pyramid(_triangle(0.06, 0.92), [0.0, 0.0, 1.12]), ANTENNA),  # antenna
]

# His heading arrow, from his chest along +x of its own frame (tilted down the
# slope when drawn), sized in Chad's heights: a shaft and a head. The caller
# gives its colour (the heading's, from the theme).
ARROW_LENGTH = HEADING_LENGTH / ROBOT_HEIGHT  # tail to tip
CHEST = np.array([0.0, 0.0, 0.45])
_NECK = 0.7 * ARROW_LENGTH  # where the shaft meets the head
ARROW = [
    _prism(_triangle(0.035, 0.0, axis=0), _triangle(0.035, _NECK, axis=0)),
    _pyramid(_triangle(0.11, _NECK, axis=0), [ARROW_LENGTH, 0.0, 0.0]),
]


def _mesh(parts):
    """Stack (corners, triangles) parts into one vertex list and one face list."""
    vertices, faces, count = [], [], 0
    for corners, triangles in parts:
        faces.append(triangles + count)
        vertices.append(corners)
        count += len(corners)
    return np.concatenate(vertices), np.concatenate(faces)


BODY_VERTICES, _ = _mesh([shape for shape, _ in PARTS])
ARROW_VERTICES, _ = _mesh(ARROW)
# The whole mesh: body first, then the arrow (its last vertex is the arrow's tip).
VERTICES, FACES = _mesh([shape for shape, _ in PARTS] + ARROW)


def shape(heading_colour):
    """The mesh's fixed part, as Mesh3d data: faces i, j, k and each face's colour."""
    colours = [colour for (_, triangles), colour in PARTS for _ in triangles]
    colours += [heading_colour] * sum(len(triangles) for _, triangles in ARROW)
    return {"i": FACES[:, 0], "j": FACES[:, 1], "k": FACES[:, 2], "facecolor": colours}


def heading(grad, scale):
    """Chad's downhill direction -grad L as a unit vector in scene-box units; None on flat ground.

    On the surface z = L(w), a move along -g/|g| lowers z by |g| per unit of w,
    so the 3D heading (-g1/|g|, -g2/|g|, -|g|) follows the slope down; dividing
    by `scale` turns data units into scene boxes.
    """
    norm = float(np.hypot(*grad))
    if not norm > 0:
        return None
    down = -np.asarray(grad, dtype=float) / norm
    direction = np.array([down[0], down[1], -norm]) / scale
    return direction / np.linalg.norm(direction)


def vertices(position, heading_, scale):
    """Chad's vertices, arrow included, with his feet at `position` (w1, w2, loss), facing `heading_`.

    He turns about the vertical to face downhill; his arrow also tilts down
    the slope. On flat ground (no heading) he faces +w1 and his arrow shrinks
    to a point in his chest, where it cannot be seen.
    """
    if heading_ is None:
        angle, arrow = 0.0, np.repeat(CHEST[None, :], len(ARROW_VERTICES), axis=0)
    else:
        angle = np.arctan2(heading_[1], heading_[0])
        tilt = np.arctan2(heading_[2], np.hypot(heading_[0], heading_[1]))  # < 0: downhill
        pitch = rotation(tilt, plane=(0, 2), size=3)
        arrow = CHEST + ARROW_VERTICES @ pitch.T
    turn = rotation(angle, size=3)
    local = np.vstack([BODY_VERTICES, arrow]) @ turn.T
    return position + local * ROBOT_HEIGHT * scale


def height(scale):
    """Chad's height in loss units, for a scene whose boxes are `scale` data units."""
    return ROBOT_HEIGHT * scale[2]
