"""The data of the explorer's traces: what is fixed on a landscape, what a walk draws, where Chad stands.

One pipeline serves the figure builders (`gdviz.figures.explorer`), the
animation's frames and the live app, which sends exactly these dicts:

- `frame(landscape)`: what stays fixed while Chad walks on one landscape (the
  mesh, the axis ranges, how big a scene box is in data units);
- `landscape_data`, `path_update`, `chad_update`: {role: {property: value}}
  for the landscape, for a whole walk and for Chad at one step;
- `sensor_note`: where his reading's label points and what it says.

A walk pinned for comparison is drawn by `explorer_pinned`.

Conventions: w = (w1, w2); at step k Chad stands at w_k = trajectory.w[k] and
reads the loss L(w_k) with his one sensor; his heading is the downhill
direction -grad L(w_k). Nothing of a walk is replaced by NaN: a diverging walk
keeps its finite values (clipped to +-1e30). A surface may have gaps (a
formula's log of a negative number): there the mesh holds NaN, which travels
as null and is drawn as nothing, and every range and contour level is taken
over the finite values only. Long arrays are float32 (half the
bytes on the wire); values of a few points are plain lists of floats, which
travel as short JSON rather than as binary buffers with their bookkeeping.
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes, theory
from . import robot, theme

ASPECT = {"x": 1.0, "y": 1.0, "z": 0.7}  # the scene box: the loss axis a little shorter

# What each update touches, by role (the roles of `gdviz.figures.style`'s explorer section).
LANDSCAPE_ROLES = ("surface", "minima", "contour", "map_minima", "data_points")
PATH_ROLES = ("trail", "map_trail", "loss_curve")
CHAD_ROLES = ("chad", "robot", "map_chad", "loss_marker", "model_curve", "boundary")
# What a point of a walk says under the pointer: its step (plotly's point number: a walk's points
# are its steps from 0), w and loss. Fixed per figure, so set when it is built, never sent again.
_POINT = "step %{pointNumber}<br>w = (%{x:.3f}, %{y:.3f})<br>loss "
HOVER = {
    "trail": _POINT + "%{z:.4g}<extra>trail</extra>",
    "map_trail": _POINT + "%{customdata:.4g}<extra>trail</extra>",
    "loss_curve": "step %{x}<br>w = (%{customdata[0]:.3f}, %{customdata[1]:.3f})<br>loss %{y:.4g}"
                  "<extra>Chad's walk</extra>",
}


# --------------------------------------------------------------------------- the fixed view


@dataclass(frozen=True)
class Frame:
    """The fixed view of one landscape: its mesh and axis ranges.

    `scale` turns a length measured in scene boxes (1 = the on-screen width of
    the w1 axis) into data units along w1, w2 and loss: scale_i = span_i / ASPECT_i.
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
    The loss axis runs from 2 % of the loss span below its minimum to 20 % above
    its maximum: headroom, so Chad standing on the rim is not cut off. Where the
    loss is not finite, the mesh holds NaN (a gap); minimum and maximum are
    those of the finite values, (0, 1) when there are none.
    """
    if isinstance(landscape, Frame):
        return landscape
    landscape = landscapes.get(landscape)
    if not isinstance(landscape, landscapes.Landscape):
        raise TypeError(f"landscape must be a name or a gdviz Landscape, got {landscape!r}")
    resolution = _checks.count("resolution", resolution, minimum=2)
    with np.errstate(all="ignore"):  # a formula's gaps are drawn as gaps, not warned about
        X, Y, Z = landscape.mesh(resolution)
        Z = np.asarray(Z, dtype=float)
        Z = np.where(np.isfinite(Z), Z, np.nan)
    low, high = finite_range(Z)
    span = high - low if high > low else 1.0
    z_range = (low - 0.02 * span, high + 0.2 * span)
    return Frame(landscape, X, Y, Z, landscape.domain[0], landscape.domain[1], z_range)


# --------------------------------------------------------------------------- a walk


@dataclass(frozen=True)
class Path:
    """What the figures need of a walk: points w (n, 2), loss (n,), grad (n, 2)."""

    w: np.ndarray
    loss: np.ndarray
    grad: np.ndarray


def path_of(landscape, trajectory):
    """A walk from a `Trajectory`, checked; or Chad standing still at the landscape's start (None)."""
    if trajectory is None:
        start = landscape.start[None, :]
        return Path(start, np.atleast_1d(np.asarray(landscape(start), dtype=float)), landscape.grad(start))
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
    return Path(w, loss, grad)


def step_of(path, step):
    """The step Chad stands on, checked: 0 <= step < len(path); the last one for None."""
    last = len(path.loss) - 1
    if step is None:
        return last
    step = _checks.count("step", step)
    if step > last:
        raise ValueError(f"step must be between 0 and {last} for this trajectory, got {step}")
    return step


def finite_range(values):
    """(min, max) of the finite values; (0.0, 1.0) when there are none."""
    values = np.asarray(values, dtype=float)
    finite = values[np.isfinite(values)]
    return (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)


def compact(values):
    """Values for a long trace: float32 halves the bytes sent; clipping keeps huge values finite."""
    return np.clip(np.asarray(values, dtype=float), -1e30, 1e30).astype(np.float32)


def _rounded(Z):
    """A mesh rounded to 4 significant digits of its span: a 2-D z travels as JSON text.

    Gaps (NaN) become None, which travels as null: JSON has no NaN.
    """
    low, high = finite_range(Z)
    span = high - low or 1.0
    rounded = np.round(Z, max(0, 4 - int(np.floor(np.log10(span)))))
    if np.all(np.isfinite(rounded)):
        return rounded
    return np.where(np.isfinite(rounded), rounded, None).tolist()


def _hover_points(w):
    """Points w (n, 2) as short JSON for a hover, rounded to the 3 decimals the hover shows.

    2-D values travel as JSON text, not binary: digits a hover never shows would double the bytes.
    """
    return (np.round(np.clip(w, -1e30, 1e30), 3) + 0.0).tolist()  # + 0.0: -0.0 becomes 0.0


def _on_screen(value, span):
    """A coordinate rounded to 1/100,000 of its axis' span: far below a pixel, and a
    JSON number half as long as a float's full repr (these travel as text on every move)."""
    return round(float(value), max(0, 5 - math.floor(math.log10(span))))


def sensor_text(loss):
    """Chad's one reading, as he reports it: sensor_text(3.2101) == "Chad's sensor: 3.21"."""
    return f"Chad's sensor: {loss:.3g}"


# --------------------------------------------------------------------------- trace data


def landscape_data(frame_, contours=True):
    """{role: data} for what never moves on one landscape: surface, map, minima, examples.

    Contour levels run from min L to max L in 20 steps. Without data, it also
    empties the classifier's model roles, which `chad_update` fills only when
    there are data.
    """
    landscape = frame_.landscape
    x, y, Z = frame_.X[0], frame_.Y[:, 0], _rounded(frame_.Z)
    low, high = finite_range(frame_.Z)
    levels = {"start": low, "end": high, "size": (high - low) / 20 or 1.0}
    minima = landscape.minima
    data = {
        "surface": {"x": x, "y": y, "z": Z,
                    "contours": {"z": {"show": contours, "project": {"z": contours}, **levels}}},
        "minima": {"x": minima[:, 0].tolist(), "y": minima[:, 1].tolist(),
                   "z": np.asarray(landscape(minima), dtype=float).reshape(-1).tolist()},
        "contour": {"x": x, "y": y, "z": Z, "contours": levels},
        "map_minima": {"x": minima[:, 0].tolist(), "y": minima[:, 1].tolist()},
        "data_points": data_points(landscape),
    }
    if landscape.data is None:  # no model to draw: clear what another landscape left there
        data.update({"model_curve": {"x": [], "y": []}, "boundary": {"x": [], "y": [], "text": []}})
    return data


def data_points(landscape):
    """The examples of a classifier's landscape at (x, class), coloured by class; empty without data."""
    if landscape.data is None:
        return {"x": [], "y": [], "marker": {"color": []}}
    features, labels = _data(landscape)
    class_0, class_1 = theme.CLASS_COLOURS
    colours = np.where(labels > 0.5, class_1, class_0).tolist()
    return {"x": features, "y": labels, "marker": {"color": colours}}


def path_update(trajectory, upto=None):
    """{role: data} for Chad's trail on the bowl and the map, and for the loss curve.

    The trail runs to step `upto` (the whole walk by default); the loss curve
    always shows the whole walk. What a hover shows beyond the trace's own
    coordinates rides along as customdata: the loss on the map, w on the curve.
    """
    if trajectory is None:
        raise TypeError("trajectory must be a gdviz.Trajectory (from gdviz.run), got None")
    path = path_of(None, trajectory)
    end = step_of(path, upto) + 1
    w, loss = path.w[:end], path.loss[:end]
    return {
        "trail": {"x": compact(w[:, 0]), "y": compact(w[:, 1]), "z": compact(loss)},
        "map_trail": {"x": compact(w[:, 0]), "y": compact(w[:, 1]), "customdata": compact(loss)},
        # Step numbers need not travel: x0 = 0, dx = 1 in the style imply them.
        "loss_curve": {"y": compact(path.loss), "customdata": _hover_points(path.w)},
    }


def empty_path():
    """`path_update`'s roles with no walk: empty trail and loss curve."""
    empty = np.zeros(0)
    return {"trail": {"x": empty, "y": empty, "z": empty},
            "map_trail": {"x": empty, "y": empty, "customdata": empty},
            "loss_curve": {"y": empty, "customdata": []}}


def chad_update(frame_, trajectory=None, step=None):
    """{role: data} for everything that follows Chad's current step (the last by default).

    The trace "chad" holds his position (w1, w2, L(w)) exactly, as one point.
    The model roles ("model_curve", "boundary") are included only when the
    landscape has data.
    """
    landscape = frame_.landscape
    path = path_of(landscape, trajectory)
    step = step_of(path, step)
    (w1, w2), loss, grad = path.w[step], float(path.loss[step]), path.grad[step]
    position = np.array([w1, w2, loss])
    heading = robot.heading(grad, frame_.scale)
    body = compact(robot.vertices(position, heading, frame_.scale))
    update = {
        "chad": {"x": [float(w1)], "y": [float(w2)], "z": [loss]},
        "robot": {"x": body[:, 0], "y": body[:, 1], "z": body[:, 2]},
        "map_chad": _map_chad(frame_, position, heading),
        # 7 digits, as many as the float32 loss curve the marker sits on.
        "loss_marker": {"x": [step], "y": [float(f"{loss:.7g}")]},
    }
    update.update(model_update(landscape, path.w[step]))
    return update


def _map_chad(frame_, position, heading):
    """Chad on the map and his heading, as one trace: Chad, Chad again, the tip of his arrow.

    The arrow points along -grad in w; its length is `robot.HEADING_LENGTH` of
    the map's width. Plotly turns an "arrow" marker along the step from the
    point before it, and draws no marker on a trace's first point in that
    mode: so Chad comes twice, and the second, visible square (turned by a
    right angle, which leaves a square as it is) is his. On flat ground there
    is no arrow, only Chad.
    """
    points = [position[:2], position[:2]]
    if heading is not None:
        flat = heading[:2] / math.hypot(heading[0], heading[1])
        points.append(position[:2] + robot.HEADING_LENGTH * flat * frame_.scale[:2])
    x_span, y_span = frame_.x_range[1] - frame_.x_range[0], frame_.y_range[1] - frame_.y_range[0]
    return {"x": [_on_screen(x, x_span) for x, _ in points], "y": [_on_screen(y, y_span) for _, y in points]}


def sensor_note(frame_, trajectory=None, step=None):
    """What changes in Chad's sensor label from step to step: where it points (above his head), its text."""
    path = path_of(frame_.landscape, trajectory)
    step = step_of(path, step)
    (w1, w2), loss = path.w[step], float(path.loss[step])
    above_his_head = loss + 1.15 * robot.height(frame_.scale)
    x, y, z = (_on_screen(value, high - low) for value, (low, high) in
               ((w1, frame_.x_range), (w2, frame_.y_range), (above_his_head, frame_.z_range)))
    return {"x": x, "y": y, "z": z, "text": sensor_text(loss)}


def all_data(frame_, trajectory=None, step=None, contours=True, upto=None):
    """{role: data} for every role of the explorer: landscape, walk and Chad.

    Only here, for building a figure, does what never changes come with the
    data: the robot's fixed mesh (its faces and their colours) and what a
    walk's points say under the pointer; an update never resends them.
    """
    data = landscape_data(frame_, contours)
    data.update(empty_path() if trajectory is None else path_update(trajectory, upto))
    data.update(chad_update(frame_, trajectory, step))
    data["robot"] = {**robot.shape(theme.HEADING), **data["robot"]}
    for role in PATH_ROLES:
        data[role]["hovertemplate"] = HOVER[role]
    return data


# --------------------------------------------------------------------------- a classifier's data


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


def data_range(landscape):
    """The feature axis of the data panel: the features' range and 10 % on each side."""
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


def model_update(landscape, w):
    """Chad's model on the data: P(class 1 | x) = sigmoid(weight * x + bias), w = (weight, bias).

    {} for a landscape without data.
    """
    if landscape.data is None:
        return {}
    weight, bias = float(w[0]), float(w[1])
    low, high = data_range(landscape)
    grid = np.linspace(low, high, 120)
    boundary = decision_boundary(weight, bias)
    if boundary is None:
        line = {"x": [0.5 * (low + high)], "y": [0.5], "text": ["no boundary: weight = 0"],
                "textposition": "middle center"}
    else:
        # The line where it is, its label in the middle of the panel, between the two classes' rows
        # (y = 0 and 1): clear of the axes' labels and of the panel above, wherever the boundary lies.
        label = f"boundary x = {boundary:.3g}"
        if not low <= boundary <= high:
            label = f"{label} →" if boundary > high else f"← {label}"
        line = {"x": [boundary, boundary, None, 0.5 * (low + high)], "y": [-0.05, 1.15, None, 0.5],
                "text": ["", "", "", label], "textposition": "middle center"}
    return {"model_curve": {"x": compact(grid), "y": compact(theory.sigmoid(weight * grid + bias))},
            "boundary": line}
