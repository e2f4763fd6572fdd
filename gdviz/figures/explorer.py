"""Chad's explorer as plotly figures: the bowl, the map, the loss curve, the data.

Every public function here returns a `go.Figure` and never displays it. One
pipeline underneath serves all of them, the animated figure and the live app:

- `frame(landscape)`: what stays fixed while Chad walks on one landscape (the
  mesh, the axis ranges, how big a robot is in data units);
- `landscape_data`, `path_update`, `chad_update`: the data of each trace, as
  {role: {property: value}}, for the landscape, for a whole walk and for Chad
  at one step. The app sends exactly these in one `batch_update`;
  `animated_figure` puts the last two in its frames;
- `make_trace(role, data)`: a role's data dressed in its fixed style.

Conventions: w = (w1, w2); at step k Chad stands at w_k = trajectory.w[k] and
reads the loss L(w_k) with his one sensor; his heading is the downhill
direction -∇L(w_k). Nothing is replaced by NaN: a diverging walk keeps its
finite values, and fixed axis ranges keep the view on the landscape while
Chad flies off it.
"""

import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import _checks, landscapes

__all__ = ["animated_figure", "bowl_figure", "contour_figure", "data_figure", "decision_boundary",
           "explorer_figure", "loss_curve_figure", "sensor_text"]

COLOURSCALE = "Viridis"  # perceptually uniform, readable in grey and by most colour-blind eyes
TRAIL_COLOUR = "#ff5a36"
CHAD_COLOUR = "#222222"
HEADING_COLOUR = "#ff2d95"
CLASS_COLOURS = ("#0072b2", "#d55e00")  # class 0, class 1 (Okabe-Ito blue and vermillion)
ASPECT = {"x": 1.0, "y": 1.0, "z": 0.7}  # the scene box: the loss axis a little shorter
ROBOT_HEIGHT = 0.16  # Chad's height, as a fraction of the scene box's width
HEADING_LENGTH = 0.12  # his heading arrow, as a fraction of the scene box or map width

# The subplot of every role; this order is the trace order of `explorer_figure` and the app.
# Chad is few traces on purpose: each trace a move touches costs bytes on the wire.
PANEL = {
    "surface": "scene", "minima": "scene", "trail": "scene", "robot": "scene", "chad": "scene",
    "contour": "map", "map_minima": "map", "map_trail": "map", "map_chad": "map",
    "loss_curve": "curve", "loss_marker": "curve",
    "data_points": "data", "model_curve": "data", "boundary": "data",
}
LANDSCAPE_ROLES = ("surface", "minima", "contour", "map_minima", "data_points")
PATH_ROLES = ("trail", "map_trail", "loss_curve")
CHAD_ROLES = ("chad", "robot", "map_chad", "loss_marker", "model_curve", "boundary")


# --------------------------------------------------------------------------- the fixed view


@dataclass(frozen=True)
class Frame:
    """The fixed view of one landscape: its mesh and axis ranges.

    `scale` turns a length measured in scene boxes (1 = the on-screen width of
    the w1 axis) into data units along w1, w2 and loss, so Chad and his arrow
    keep their shape however tall the landscape is.
    """

    landscape: landscapes.Landscape
    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray
    x_range: tuple
    y_range: tuple
    z_range: tuple

    @property
    def scale(self):
        spans = np.array([self.x_range[1] - self.x_range[0], self.y_range[1] - self.y_range[0],
                          self.z_range[1] - self.z_range[0]])
        return spans / np.array([ASPECT["x"], ASPECT["y"], ASPECT["z"]])


def frame(landscape, resolution=60):
    """The `Frame` of a landscape (a catalogue name or a `Landscape`) on a mesh of n x n points.

    A `Frame` passed in is returned as it is, so a caller can compute it once.
    """
    if isinstance(landscape, Frame):
        return landscape
    landscape = landscapes.get(landscape)
    if not isinstance(landscape, landscapes.Landscape):
        raise TypeError(f"landscape must be a name or a gdviz Landscape, got {landscape!r}")
    resolution = _checks.count("resolution", resolution, minimum=2)
    X, Y, Z = landscape.mesh(resolution)
    low, high = float(Z.min()), float(Z.max())
    span = high - low if high > low else 1.0
    # Headroom above the rim, so Chad standing there is not cut off.
    z_range = (low - 0.02 * span, high + 0.2 * span)
    return Frame(landscape, X, Y, Z, landscape.domain[0], landscape.domain[1], z_range)


@dataclass(frozen=True)
class _Path:
    """What the figures need of a walk: points w (n, 2), loss (n,), grad (n, 2)."""

    w: np.ndarray
    loss: np.ndarray
    grad: np.ndarray


def _path(landscape, trajectory):
    """A walk from a `Trajectory`, or Chad standing still at the landscape's start."""
    if trajectory is None:
        start = landscape.start[None, :]
        return _Path(start, np.atleast_1d(np.asarray(landscape(start), dtype=float)), landscape.grad(start))
    for attribute in ("w", "loss", "grad"):
        if not hasattr(trajectory, attribute):
            raise TypeError(f"trajectory must be a gdviz.Trajectory (from gdviz.run), got "
                            f"{type(trajectory).__name__}, which has no .{attribute}")
    w = np.asarray(trajectory.w, dtype=float)
    loss = np.asarray(trajectory.loss, dtype=float)
    grad = np.asarray(trajectory.grad, dtype=float)
    n = len(loss)
    if n == 0 or loss.shape != (n,) or w.shape != (n, 2) or grad.shape != (n, 2):
        raise ValueError(f"trajectory must hold n >= 1 points: w (n, 2), loss (n,), grad (n, 2); "
                         f"got shapes {w.shape}, {loss.shape}, {grad.shape}")
    if not (np.all(np.isfinite(w)) and np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))):
        raise ValueError("trajectory must hold finite values only (gdviz.run stops before a NaN)")
    return _Path(w, loss, grad)


def _step(path, step):
    """The step Chad stands on: the last one by default."""
    last = len(path.loss) - 1
    if step is None:
        return last
    step = _checks.count("step", step)
    if step > last:
        raise ValueError(f"step must be between 0 and {last} for this trajectory, got {step}")
    return step


def _compact(values):
    """Values for a long trace: float32 halves the bytes sent; clipping keeps huge values finite."""
    return np.clip(np.asarray(values, dtype=float), -1e30, 1e30).astype(np.float32)


def _rounded(Z):
    """A mesh rounded to 4 significant digits of its span: a 2-D z travels as JSON text."""
    span = float(np.ptp(Z)) or 1.0
    return np.round(Z, max(0, 4 - int(np.floor(np.log10(span)))))


def sensor_text(loss):
    """Chad's one reading, as he reports it: sensor_text(3.2101) == "Chad's sensor: 3.21"."""
    return f"Chad's sensor: {loss:.3g}"


# --------------------------------------------------------------------------- Chad the robot
#
# Chad and his heading arrow are ONE mesh, so that moving him changes one
# trace. Plotly cannot move a mesh: every vertex travels whenever he moves,
# so he is built from few of them (a box has 8 corners, a pyramid 4 or 5).


def _box(x0, x1, y0, y1, z0, z1):
    corners = np.array([[x, y, z] for z in (z0, z1) for y in (y0, y1) for x in (x0, x1)])
    # 12 triangles over the 8 corners; a corner's index has bits (z, y, x).
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


_BODY_GREY, _DARK, _LIGHT = "#b8c2cc", "#4a5560", "#dde3e9"

# Chad in his own coordinates: feet at the origin, facing +x, height about 1.
# From the usual camera, high above the bowl, legs would hide under his
# body; his head, visor and arms are what make him read as a robot.
_PARTS = [  # (corners, triangles), colour
    (_box(-0.16, 0.16, -0.26, 0.26, 0.00, 0.56), _BODY_GREY),     # body, standing on the ground
    (_box(-0.06, 0.06, -0.38, 0.38, 0.22, 0.50), _DARK),          # arms: one bar through the body
    (_box(-0.17, 0.17, -0.21, 0.21, 0.60, 0.92), _LIGHT),         # head
    (_box(-0.18, 0.18, -0.22, 0.22, 0.70, 0.81), "#00b7ff"),      # visor, a band all round the head
    (_pyramid(_triangle(0.06, 0.92), [0.0, 0.0, 1.12]), "#ff2d2d"),  # antenna
]
# His heading arrow, from his chest along +x of its own frame (tilted down
# the slope when drawn), sized in Chad's heights: a shaft and a head.
ARROW_LENGTH = HEADING_LENGTH / ROBOT_HEIGHT  # tail to tip
_CHEST = np.array([0.0, 0.0, 0.45])
_NECK = 0.7 * ARROW_LENGTH  # where the shaft meets the head
_ARROW = [
    (_prism(_triangle(0.035, 0.0, axis=0), _triangle(0.035, _NECK, axis=0)), HEADING_COLOUR),
    (_pyramid(_triangle(0.11, _NECK, axis=0), [ARROW_LENGTH, 0.0, 0.0]), HEADING_COLOUR),
]


def _mesh(parts):
    vertices, faces, colours, count = [], [], [], 0
    for (corners, triangles), colour in parts:
        faces.append(triangles + count)
        vertices.append(corners)
        colours += [colour] * len(triangles)
        count += len(corners)
    return np.concatenate(vertices), np.concatenate(faces), colours


_BODY_VERTICES, _, _ = _mesh(_PARTS)
_ARROW_VERTICES, _, _ = _mesh(_ARROW)
_ROBOT_VERTICES, _ROBOT_FACES, _ROBOT_COLOURS = _mesh(_PARTS + _ARROW)


def _heading(frame_, grad):
    """Chad's downhill direction -∇L as a unit vector in scene-box units; None on flat ground.

    On the surface z = L(w), a move along -g/|g| lowers z by |g| per unit of w,
    so the 3D heading (-g1/|g|, -g2/|g|, -|g|) follows the slope down.
    """
    norm = float(np.hypot(*grad))
    if not norm > 0:
        return None
    down = -np.asarray(grad, dtype=float) / norm
    direction = np.array([down[0], down[1], -norm]) / frame_.scale
    return direction / np.linalg.norm(direction)


def _robot_xyz(frame_, position, heading):
    """Chad's vertices, arrow included, with his feet at `position` (w1, w2, loss), facing `heading`.

    He turns about the vertical to face downhill; his arrow also tilts down
    the slope. On flat ground (no heading) he faces +w1 and his arrow shrinks
    to a point in his chest, where it cannot be seen.
    """
    if heading is None:
        angle, arrow = 0.0, np.repeat(_CHEST[None, :], len(_ARROW_VERTICES), axis=0)
    else:
        angle = np.arctan2(heading[1], heading[0])
        tilt = np.arctan2(heading[2], np.hypot(heading[0], heading[1]))  # < 0: downhill
        pitch = np.array([[np.cos(tilt), 0, -np.sin(tilt)], [0, 1, 0], [np.sin(tilt), 0, np.cos(tilt)]])
        arrow = _CHEST + _ARROW_VERTICES @ pitch.T
    turn = np.array([[np.cos(angle), -np.sin(angle), 0], [np.sin(angle), np.cos(angle), 0], [0, 0, 1]])
    local = np.vstack([_BODY_VERTICES, arrow]) @ turn.T
    # Height in scene boxes is ROBOT_HEIGHT; the z axis is ASPECT["z"] boxes tall on screen.
    return position + local * ROBOT_HEIGHT * frame_.scale


def _robot_height(frame_):
    return ROBOT_HEIGHT * frame_.scale[2]


def _on_screen(value, span):
    """A marker's or label's coordinate, rounded to 1/100,000 of its axis' span.

    That is far below a pixel, and a JSON number half as long as a float's
    full repr: these values travel as text on every move.
    """
    return round(float(value), max(0, 5 - math.floor(math.log10(span))))


# --------------------------------------------------------------------------- trace data


def landscape_data(frame_, contours=True):
    """{role: data} for what never moves on one landscape: surface, map, minima, examples.

    Without data, it also empties the classifier's model roles, which
    `chad_update` fills only when there are data.
    """
    landscape = frame_.landscape
    x, y, Z = frame_.X[0], frame_.Y[:, 0], _rounded(frame_.Z)
    low, high = float(frame_.Z.min()), float(frame_.Z.max())
    levels = {"start": low, "end": high, "size": (high - low) / 20 or 1.0}
    minima = landscape.minima
    data = {
        "surface": {"x": x, "y": y, "z": Z,
                    "contours": {"z": {"show": contours, "project": {"z": contours}, **levels}}},
        "minima": {"x": minima[:, 0], "y": minima[:, 1],
                   "z": np.asarray(landscape(minima), dtype=float).reshape(-1)},
        "contour": {"x": x, "y": y, "z": Z, "contours": levels},
        "map_minima": {"x": minima[:, 0], "y": minima[:, 1]},
        "data_points": _data_points(landscape),
    }
    if landscape.data is None:  # no model to draw: clear what another landscape left there
        data.update({"model_curve": {"x": [], "y": []}, "boundary": {"x": [], "y": [], "text": []}})
    return data


def _data_points(landscape):
    if landscape.data is None:
        return {"x": [], "y": [], "marker": {"color": []}}
    features, labels = _data(landscape)
    return {"x": features, "y": labels, "marker": {"color": np.where(labels > 0.5, *CLASS_COLOURS[::-1])}}


def path_update(trajectory, upto=None):
    """{role: data} for Chad's trail on the bowl and the map, and for the loss curve.

    The trail runs to step `upto` (the whole walk by default); the loss curve
    always shows the whole walk.
    """
    path = _path(None, trajectory) if trajectory is not None else None
    if path is None:
        raise TypeError("trajectory must be a gdviz.Trajectory (from gdviz.run), got None")
    end = _step(path, upto) + 1
    w, loss = path.w[:end], path.loss[:end]
    return {
        "trail": {"x": _compact(w[:, 0]), "y": _compact(w[:, 1]), "z": _compact(loss)},
        "map_trail": {"x": _compact(w[:, 0]), "y": _compact(w[:, 1])},
        # Step numbers need not travel: x0 = 0, dx = 1 in the style imply them.
        "loss_curve": {"y": _compact(path.loss)},
    }


def chad_update(frame_, trajectory=None, step=None):
    """{role: data} for everything that follows Chad's current step (the last by default).

    The model roles ("model_curve", "boundary") are included only when the
    landscape has data.
    """
    landscape = frame_.landscape
    path = _path(landscape, trajectory)
    step = _step(path, step)
    (w1, w2), loss, grad = path.w[step], float(path.loss[step]), path.grad[step]
    position = np.array([w1, w2, loss])
    heading = _heading(frame_, grad)
    robot = _compact(_robot_xyz(frame_, position, heading))
    update = {
        # The trace named "Chad": his first (only) point is where he stands, exactly.
        "chad": {"x": np.array([w1]), "y": np.array([w2]), "z": np.array([loss])},
        "robot": {"x": robot[:, 0], "y": robot[:, 1], "z": robot[:, 2]},
        "map_chad": _map_chad(frame_, position, heading),
        # 7 digits, as many as the float32 loss curve the marker sits on.
        "loss_marker": {"x": np.array([step]), "y": np.array([float(f"{loss:.7g}")])},
    }
    update.update(_model_update(landscape, path.w[step]))
    return update


def _map_chad(frame_, position, heading):
    """Chad on the map and his heading, as one trace: Chad, Chad again, the tip of his arrow.

    The arrow points along -grad in w; its length is a share of the map's
    width. Plotly turns an "arrow" marker along the step from the point
    before it, and draws no marker on a trace's first point in that mode:
    so Chad comes twice, and the second, visible square (turned by a right
    angle, which leaves a square as it is) is his. On flat ground there is
    no arrow, only Chad.
    """
    points = [position[:2], position[:2]]
    if heading is not None:
        flat = heading[:2] / math.hypot(heading[0], heading[1])
        points.append(position[:2] + HEADING_LENGTH * flat * frame_.scale[:2])
    x_span, y_span = frame_.x_range[1] - frame_.x_range[0], frame_.y_range[1] - frame_.y_range[0]
    return {"x": [_on_screen(x, x_span) for x, _ in points], "y": [_on_screen(y, y_span) for _, y in points]}


SENSOR_STYLE = {"showarrow": True, "arrowhead": 0, "arrowcolor": CHAD_COLOUR, "ax": 0, "ay": -32,
                "font": {"size": 13, "color": CHAD_COLOUR}, "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": CHAD_COLOUR, "borderpad": 3}


def sensor_layout(frame_, trajectory=None, step=None):
    """Layout update that shows Chad's reading, "Chad's sensor: 3.21", above his head.

    A scene annotation rather than trace text: it stays readable in front of
    the surface, and plotly redraws 3D trace text too small after a restyle.
    """
    return {"scene": {"annotations": [{**SENSOR_STYLE, **sensor_note(frame_, trajectory, step)}]}}


def sensor_note(frame_, trajectory=None, step=None):
    """What changes in Chad's sensor annotation from step to step: where it points, its text."""
    path = _path(frame_.landscape, trajectory)
    step = _step(path, step)
    (w1, w2), loss = path.w[step], float(path.loss[step])
    above_his_head = loss + 1.15 * _robot_height(frame_)
    x, y, z = (_on_screen(value, high - low) for value, (low, high) in
               ((w1, frame_.x_range), (w2, frame_.y_range), (above_his_head, frame_.z_range)))
    return {"x": x, "y": y, "z": z, "text": sensor_text(loss)}


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), with no overflow for large |z|


def _data(landscape):
    """The (features, labels) of a classifier's landscape, checked."""
    try:
        features, labels = landscape.data
    except (TypeError, ValueError):
        raise ValueError(f"landscape.data must be a pair (x, y) of arrays, got {landscape.data!r}") from None
    features = np.asarray(features, dtype=float).reshape(-1)
    labels = np.asarray(labels, dtype=float).reshape(-1)
    if len(features) == 0 or len(features) != len(labels):
        raise ValueError(f"landscape.data must hold n >= 1 features and n labels, got "
                         f"{len(features)} and {len(labels)}")
    return features, labels


def _data_range(landscape):
    features, _ = _data(landscape)
    low, high = float(features.min()), float(features.max())
    margin = 0.1 * (high - low) if high > low else 1.0
    return low - margin, high + margin


def decision_boundary(weight, bias):
    """Where sigmoid(weight * x + bias) = 1/2, that is x = -bias / weight; None if nowhere.

    With weight = 0 the model gives every x the same probability: no boundary.

    >>> decision_boundary(2.0, -1.0)
    0.5
    """
    if weight == 0:
        return None
    with np.errstate(over="ignore", divide="ignore"):
        boundary = -float(bias) / float(weight)
    return boundary if np.isfinite(boundary) else None


def _model_update(landscape, w):
    """Chad's model on the data: P(class 1 | x) = sigmoid(weight * x + bias), w = (weight, bias)."""
    if landscape.data is None:
        return {}
    weight, bias = float(w[0]), float(w[1])
    low, high = _data_range(landscape)
    grid = np.linspace(low, high, 120)
    boundary = decision_boundary(weight, bias)
    if boundary is None:
        line = {"x": [0.5 * (low + high)], "y": [1.15], "text": ["no boundary: weight = 0"]}
    else:
        line = {"x": [boundary, boundary], "y": [-0.05, 1.15], "text": ["", f"boundary x = {boundary:.3g}"]}
    return {"model_curve": {"x": _compact(grid), "y": _compact(_sigmoid(weight * grid + bias))},
            "boundary": line}


# --------------------------------------------------------------------------- trace styles

_HOVER_MESH = "w1 %{x:.2f}<br>w2 %{y:.2f}<br>loss %{z:.3g}<extra></extra>"
_STYLE = {
    "surface": (go.Surface, {"name": "loss", "colorscale": COLOURSCALE, "showscale": False,
                             "hovertemplate": _HOVER_MESH,
                             "contours": {"z": {"usecolormap": True, "width": 1}}}),
    "minima": (go.Scatter3d, {"name": "minimum", "mode": "markers",
                              "marker": {"symbol": "diamond", "size": 5, "color": "white",
                                         "line": {"color": "black", "width": 2}},
                              "hovertemplate": "minimum (%{x:.2f}, %{y:.2f})<extra></extra>"}),
    "trail": (go.Scatter3d, {"name": "trail", "mode": "lines+markers",
                             "line": {"color": TRAIL_COLOUR, "width": 5},
                             "marker": {"size": 2.5, "color": TRAIL_COLOUR},
                             "hovertemplate": "(%{x:.2f}, %{y:.2f}), loss %{z:.3g}<extra>trail</extra>"}),
    "robot": (go.Mesh3d, {"name": "Chad's body and heading", "i": _ROBOT_FACES[:, 0], "j": _ROBOT_FACES[:, 1],
                          "k": _ROBOT_FACES[:, 2], "facecolor": _ROBOT_COLOURS, "flatshading": True,
                          "lighting": {"ambient": 0.75, "diffuse": 0.5, "specular": 0.1},
                          "hoverinfo": "skip"}),
    "chad": (go.Scatter3d, {"name": "Chad", "mode": "markers", "marker": {"size": 4, "color": CHAD_COLOUR},
                            "hovertemplate": "Chad at (%{x:.2f}, %{y:.2f})<br>his sensor reads %{z:.3g}"
                                             "<extra></extra>"}),
    "contour": (go.Contour, {"name": "loss", "colorscale": COLOURSCALE, "showscale": False,
                             "line": {"width": 0.5, "color": "rgba(255,255,255,0.5)"},
                             "hovertemplate": _HOVER_MESH}),
    "map_minima": (go.Scatter, {"name": "minimum", "mode": "markers",
                                "marker": {"symbol": "x-thin", "size": 11,
                                           "line": {"color": "white", "width": 3}},
                                "hovertemplate": "minimum (%{x:.2f}, %{y:.2f})<extra></extra>"}),
    "map_trail": (go.Scatter, {"name": "trail", "mode": "lines+markers",
                               "line": {"color": TRAIL_COLOUR, "width": 2},
                               "marker": {"size": 4, "color": TRAIL_COLOUR},
                               "hovertemplate": "(%{x:.2f}, %{y:.2f})<extra>trail</extra>"}),
    # Chad's square (his point comes twice: see _map_chad), then the tip of his heading arrow.
    "map_chad": (go.Scatter, {"name": "Chad on the map", "mode": "lines+markers+text",
                              "text": ["", "Chad", ""],
                              "line": {"color": HEADING_COLOUR, "width": 3},
                              "marker": {"symbol": ["square", "square", "arrow"], "angleref": "previous",
                                         "size": [12, 12, 13], "opacity": 1,  # else plotly dims them
                                         "color": [_BODY_GREY, _BODY_GREY, HEADING_COLOUR],
                                         "line": {"color": CHAD_COLOUR, "width": [2, 2, 0]}},
                              "textposition": "top center", "textfont": {"color": "white", "size": 12},
                              "hovertemplate": ["Chad at (%{x:.2f}, %{y:.2f})<extra></extra>"] * 2
                                               + ["his heading, -gradient<extra></extra>"]}),
    "loss_curve": (go.Scatter, {"name": "loss", "mode": "lines+markers", "x0": 0, "dx": 1,
                                "line": {"color": "#3b528b", "width": 2}, "marker": {"size": 3},
                                "hovertemplate": "step %{x}<br>loss %{y:.4g}<extra></extra>"}),
    "loss_marker": (go.Scatter, {"name": "Chad's step", "mode": "markers",
                                 "marker": {"size": 11, "color": TRAIL_COLOUR,
                                            "line": {"color": CHAD_COLOUR, "width": 2}},
                                 "hovertemplate": "step %{x}<br>loss %{y:.4g}<extra>Chad</extra>"}),
    "data_points": (go.Scatter, {"name": "examples", "mode": "markers",
                                 "marker": {"size": 8, "opacity": 0.8,
                                            "line": {"color": "white", "width": 1}},
                                 "hovertemplate": "x %{x:.2f}, class %{y:.0f}<extra></extra>"}),
    "model_curve": (go.Scatter, {"name": "P(class 1)", "mode": "lines",
                                 "line": {"color": CHAD_COLOUR, "width": 2},
                                 "hovertemplate": "x %{x:.2f}<br>P(class 1) %{y:.2f}<extra></extra>"}),
    "boundary": (go.Scatter, {"name": "decision boundary", "mode": "lines+text",
                              "line": {"color": HEADING_COLOUR, "dash": "dash", "width": 2},
                              "textposition": "top center", "hoverinfo": "skip"}),
}


def _merge(style, data):
    """Style and data as one dict; nested dicts (marker, contours) are merged, data winning."""
    merged = dict(style)
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def make_trace(role, data):
    """A role's trace: its data dressed in its fixed style."""
    kind, style = _STYLE[role]
    return kind(**_merge(style, data))


def all_data(frame_, trajectory=None, step=None, contours=True, upto=None):
    """{role: data} for every role of `PANEL`: landscape, walk and Chad."""
    data = landscape_data(frame_, contours)
    if trajectory is None:
        empty = np.zeros(0)
        data.update({"trail": {"x": empty, "y": empty, "z": empty}, "map_trail": {"x": empty, "y": empty},
                     "loss_curve": {"y": empty}})
    else:
        data.update(path_update(trajectory, upto))
    data.update(chad_update(frame_, trajectory, step))
    return data


# --------------------------------------------------------------------------- layouts


def scene_layout(frame_):
    """The 3D scene: fixed ranges on the landscape's domain, axis titles w1, w2, loss."""
    def axis(title, value_range):
        return {"title": {"text": title}, "range": list(value_range), "autorange": False,
                "backgroundcolor": "#f2f2f2", "showbackground": True}

    return {"xaxis": axis("w1", frame_.x_range), "yaxis": axis("w2", frame_.y_range),
            "zaxis": axis("loss", frame_.z_range), "aspectmode": "manual", "aspectratio": ASPECT,
            "camera": {"eye": {"x": -1.2, "y": -1.45, "z": 1.45}}, "dragmode": "turntable"}


def map_axes(frame_):
    """(xaxis, yaxis) of the contour map, fixed on the landscape's domain."""
    return ({"title": {"text": "w1"}, "range": list(frame_.x_range), "autorange": False,
             "constrain": "domain"},
            {"title": {"text": "w2"}, "range": list(frame_.y_range), "autorange": False,
             "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"})


def curve_axes(trajectory):
    """(xaxis, yaxis) of the loss curve.

    The loss axis is logarithmic when every loss is > 0 and they span at
    least two decades (the last digits of a convergence show), else linear.
    """
    loss = np.asarray(trajectory.loss if trajectory is not None else [1.0], dtype=float)
    wide = bool(np.all(loss > 0)) and loss.max() >= 100 * loss.min()
    return ({"title": {"text": "step"}, "rangemode": "tozero", "autorange": True},
            {"title": {"text": "loss"}, "type": "log" if wide else "linear", "autorange": True,
             "exponentformat": "power"})  # 10⁻⁶ reads as a loss; the SI "1µ" does not


def data_axes(landscape):
    """(xaxis, yaxis) of the data panel; hidden when the landscape has no data."""
    if landscape.data is None:
        return {"visible": False}, {"visible": False}
    return ({"title": {"text": "x (feature)"}, "range": list(_data_range(landscape)), "autorange": False,
             "visible": True},
            {"title": {"text": "class, P(class 1)"}, "range": [-0.1, 1.3], "autorange": False,
             "visible": True})


def _base_layout(title, height):
    return {"title": {"text": title, "x": 0.01, "font": {"size": 15}}, "height": height,
            "margin": {"l": 10, "r": 10, "t": 40, "b": 10}, "showlegend": False,
            "template": "plotly_white", "uirevision": "keep"}


def title(landscape):
    """A figure title naming the landscape and its formula."""
    return f"Chad on the {landscape.name}: L(w) = {landscape.formula}"


def _figure(data, roles, layout):
    figure = go.Figure([make_trace(role, data[role]) for role in roles])
    figure.update_layout(layout)
    return figure


# --------------------------------------------------------------------------- the figures


def bowl_figure(landscape, trajectory=None, step=None, contours=True, resolution=60, height=550):
    """The loss surface in 3D with Chad the robot standing on it.

    Parameters
    ----------
    landscape : str, Landscape or Frame
        A catalogue name (`gdviz.landscapes.names()`), a `Landscape`, or a
        `Frame` from `frame(landscape, resolution)` (then `resolution` is unused).
    trajectory : Trajectory, optional
        A walk from `gdviz.run`, drawn as his trail. Without one, Chad stands
        at `landscape.start`.
    step : int, optional
        The step Chad stands on, 0 <= step < len(trajectory); the last by default.
    contours : bool
        Contour lines on the surface, projected on the floor too.
    resolution : int
        Mesh points along each axis.
    height : int
        Figure height in pixels.

    Returns
    -------
    go.Figure
        One trace per role of the scene; the one named "Chad" has his
        position (w1, w2, loss) as its first point and his sensor reading as text.
    """
    frame_ = frame(landscape, resolution)
    data = all_data(frame_, trajectory, step, contours)
    roles = [role for role, panel in PANEL.items() if panel == "scene"]
    scene = {**scene_layout(frame_), **sensor_layout(frame_, trajectory, step)["scene"]}
    return _figure(data, roles, {**_base_layout(title(frame_.landscape), height), "scene": scene})


def contour_figure(landscape, trajectory=None, step=None, resolution=60, height=450):
    """The top-down map: contours of the loss, minima, Chad, his heading and trail.

    Parameters as `bowl_figure`.
    """
    frame_ = frame(landscape, resolution)
    data = all_data(frame_, trajectory, step)
    roles = [role for role, panel in PANEL.items() if panel == "map"]
    xaxis, yaxis = map_axes(frame_)
    return _figure(data, roles, {**_base_layout(title(frame_.landscape), height),
                                         "xaxis": xaxis, "yaxis": yaxis})


def loss_curve_figure(trajectory, step=None, height=300):
    """Loss against step for a `Trajectory`, Chad's step marked (the last by default).

    The loss axis is logarithmic when every loss is > 0 and they span two
    decades or more, linear otherwise.
    """
    data = path_update(trajectory)
    path = _path(None, trajectory)
    step = _step(path, step)
    data["loss_marker"] = {"x": [step], "y": [float(path.loss[step])]}
    xaxis, yaxis = curve_axes(trajectory)
    return _figure(data, ["loss_curve", "loss_marker"],
                   {**_base_layout("Chad's sensor, step by step", height), "xaxis": xaxis, "yaxis": yaxis})


def data_figure(landscape, trajectory=None, step=None, height=350):
    """A 1-D two-class classifier at Chad's step: the examples, his model and its boundary.

    For a landscape with `data = (x, y)`, labels y in {0, 1}, whose parameters
    are w = (weight, bias): the model says P(class 1 | x) = sigmoid(weight * x
    + bias) and its decision boundary is x = -bias / weight (none when the
    weight is 0).
    """
    landscape = landscapes.get(landscape)
    if landscape.data is None:
        raise ValueError(f"landscape {landscape.name!r} has no data to draw (landscape.data is None); "
                         "use a classifier landscape such as gdviz.classifier.classifier_landscape()")
    data = {"data_points": _data_points(landscape)}
    path = _path(landscape, trajectory)
    data.update(_model_update(landscape, path.w[_step(path, step)]))
    xaxis, yaxis = data_axes(landscape)
    return _figure(data, ["data_points", "model_curve", "boundary"],
                   {**_base_layout(f"Chad's model on the {landscape.name} data", height),
                    "xaxis": xaxis, "yaxis": yaxis})


# Where each panel sits in the explorer's subplot grid: (row, col).
_GRID = {"scene": (1, 1), "map": (1, 2), "curve": (2, 2), "data": (3, 2)}


def explorer_layout(frame_, trajectory=None):
    """Layout of the explorer: bowl on the left; map, loss curve and data panel stacked right.

    The grid always holds the data panel; without data it is hidden and the
    map and loss curve share its room, so switching landscapes never changes
    the traces, only their data and this layout (which leaves out what never
    changes: size, margins, template).
    """
    right = [0.64, 1.0]
    if frame_.landscape.data is None:
        # plotly refuses an empty domain: the hidden panel keeps a sliver
        rows = {"map": [0.42, 1.0], "curve": [0.0, 0.3], "data": [0.0, 0.01]}
    else:
        rows = {"map": [0.58, 1.0], "curve": [0.31, 0.5], "data": [0.0, 0.23]}
    (map_x, map_y), (curve_x, curve_y), (data_x, data_y) = (
        map_axes(frame_), curve_axes(trajectory), data_axes(frame_.landscape))
    return {
        "title": {"text": title(frame_.landscape)},
        "scene": {**scene_layout(frame_), "domain": {"x": [0.0, 0.6], "y": [0.0, 1.0]}},
        "xaxis": {**map_x, "domain": right}, "yaxis": {**map_y, "domain": rows["map"]},
        "xaxis2": {**curve_x, "domain": right}, "yaxis2": {**curve_y, "domain": rows["curve"]},
        "xaxis3": {**data_x, "domain": right}, "yaxis3": {**data_y, "domain": rows["data"]},
    }


def explorer_figure(landscape, trajectory=None, step=None, contours=True, resolution=60, upto=None):
    """Bowl, contour map, loss curve (and data panel) in one figure: the explorer's picture.

    Parameters as `bowl_figure`; `upto` cuts the trail at that step (the whole
    walk by default). The traces follow the order of `PANEL`.
    """
    frame_ = frame(landscape, resolution)
    return _explorer_figure(frame_, trajectory, step, contours, upto)


def _explorer_figure(frame_, trajectory, step, contours=True, upto=None):
    figure = make_subplots(rows=3, cols=2, specs=[[{"type": "scene", "rowspan": 3}, {"type": "xy"}],
                                                  [None, {"type": "xy"}], [None, {"type": "xy"}]])
    data = all_data(frame_, trajectory, step, contours, upto)
    for role, panel in PANEL.items():
        row, col = _GRID[panel]
        figure.add_trace(make_trace(role, data[role]), row=row, col=col)
    figure.update_layout(_base_layout(title(frame_.landscape), 680))
    figure.update_layout(explorer_layout(frame_, trajectory))
    figure.update_layout(sensor_layout(frame_, trajectory, step))
    return figure


def animated_figure(landscape, trajectory, contours=True, resolution=60, duration=150):
    """The explorer as a plain `go.Figure` that plays Chad's walk with no kernel.

    One frame per step of `trajectory`, a Play / Pause button and a step
    slider. Frames carry only Chad's and his trail's traces (by trace index):
    the surface and the map are sent once, not per frame. `duration` is the
    time per step in ms. The result, written with
    `write_html(path, include_plotlyjs=True)`, plays offline.
    """
    frame_ = frame(landscape, resolution)
    path = _path(frame_.landscape, trajectory)
    figure = _explorer_figure(frame_, trajectory, step=0, contours=contours, upto=0)
    roles = list(PANEL)
    moving = [role for role in (*CHAD_ROLES, "trail", "map_trail")
              if role not in ("model_curve", "boundary") or frame_.landscape.data is not None]
    indices = [roles.index(role) for role in moving]
    frames = []
    for step in range(len(path.loss)):
        data = {**chad_update(frame_, trajectory, step), **path_update(trajectory, upto=step)}
        frames.append(go.Frame(name=str(step), traces=indices, layout=sensor_layout(frame_, trajectory, step),
                               data=[_STYLE[role][0](**data[role]) for role in moving]))
    figure.frames = frames

    def animate(frame_duration):
        return {"frame": {"duration": frame_duration, "redraw": True}, "mode": "immediate",
                "transition": {"duration": 0}}

    play = {"label": "▶ Play", "method": "animate",
            "args": [None, {**animate(duration), "fromcurrent": True}]}
    pause = {"label": "❚❚ Pause", "method": "animate", "args": [[None], animate(0)]}
    figure.update_layout(
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": 0.0, "xanchor": "left",
                      "yanchor": "top", "pad": {"t": 8, "r": 8}, "showactive": False,
                      "buttons": [play, pause]}],
        sliders=[{"active": 0, "x": 0.14, "y": 0.0, "len": 0.46, "yanchor": "top", "pad": {"t": 8},
                  "currentvalue": {"prefix": "step ", "font": {"size": 13}},
                  "steps": [{"label": str(step), "method": "animate", "args": [[str(step)], animate(0)]}
                            for step in range(len(path.loss))]}],
        margin={"b": 70},
    )
    return figure
