"""What Chad can sense: slices of a landscape (02), and the slope he probes with two readings (03)."""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes
from ..gradients import numeric_gradient

__all__ = ["ProbeMove", "Probing", "probe_errors", "probing", "slice_curvature", "slices"]


def slices(landscape, point=None, directions=((1.0, 0.0), (0.0, 1.0)), span=None, n=121):
    """Straight-line slices t -> L(point + t d) for unit directions d, t in [-span, span].

    Returns (point, offsets t of shape (n,), [(unit d, points (n, 2), losses (n,)), ...]).
    By default `span` is 0.3 of the domain's shorter side.
    """
    landscape = landscapes.get(landscape)
    point = landscape.start if point is None else _checks.point("point", point)
    directions = [_checks.point("direction", direction) for direction in directions]
    if not directions or any(np.linalg.norm(d) == 0 for d in directions):
        raise ValueError(f"directions must be one or more non-zero vectors, got {directions!r}")
    (xmin, xmax), (ymin, ymax) = landscape.domain
    span = 0.3 * min(xmax - xmin, ymax - ymin) if span is None else _checks.positive("span", span)
    offsets = np.linspace(-span, span, _checks.count("n", n, minimum=3))
    lines = []
    for direction in directions:
        unit = direction / np.linalg.norm(direction)
        points = point + offsets[:, None] * unit
        lines.append((unit, points, np.asarray(landscape(points), dtype=float)))
    return point, offsets, lines


def slice_curvature(landscape, point, direction, h=1e-3):
    """Second derivative of the loss along a direction, by centred differences of readings.

        d²/dt² L(p + t d) at t = 0  ~  (L(p + h d) - 2 L(p) + L(p - h d)) / h²,   |d| = 1
    """
    landscape = landscapes.get(landscape)
    point = _checks.point("point", point)
    direction = _checks.point("direction", direction)
    norm = np.linalg.norm(direction)
    if norm == 0:
        raise ValueError("direction must not be (0, 0)")
    step = h * direction / norm
    return float((landscape(point + step) - 2 * landscape(point) + landscape(point - step)) / h**2)


def probe_errors(landscape, w=None, h_values=None):
    """Relative error of forward and centred differences against the analytic gradient.

    error(h) = |g_numeric(h) - g_analytic| / |g_analytic|   (Euclidean norms)

    Returns `(h_values, {"forward": errors, "centred": errors})`. Truncation
    makes the error grow like h (forward) or h² (centred) for large h;
    round-off makes it grow like 1e-16 / h for small h.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h_values = np.logspace(-13, 0, 53) if h_values is None else np.asarray(h_values, dtype=float)
    if h_values.ndim != 1 or h_values.size == 0 or not np.all(h_values > 0):
        raise ValueError(f"h_values must be a non-empty 1-D list of numbers > 0, got {h_values!r}")
    exact = landscape.grad(w)
    scale = np.linalg.norm(exact)
    if scale == 0:
        raise ValueError(f"w={w.tolist()} is a stationary point of {landscape.name}: the gradient is "
                         "zero there, so a relative error has no meaning; probe somewhere sloped")
    errors = {}
    for method in ("forward", "centred"):
        estimates = [numeric_gradient(landscape, w, h=h, method=method) for h in h_values]
        errors[method] = np.linalg.norm(np.array(estimates) - exact, axis=-1) / scale
    return h_values, errors


@dataclass(frozen=True)
class ProbeMove:
    """One move of Chad's probe: what he does, where the probe is, which axis, the readings so far."""

    caption: str
    probe: np.ndarray
    axis: int
    readings: tuple  # ((offset along the axis, loss), ...)
    chord: bool  # two readings on this axis: their chord's slope is his estimate


@dataclass(frozen=True)
class Probing:
    """Chad estimating the gradient at w by finite differences of size h, move by move.

    `offsets` and `sections[axis]` give the loss along each axis through w;
    `estimate` is the numeric gradient, `exact` the analytic one; `readings`
    counts the loss readings the estimate cost (3 forward, 5 centred, w's
    own reading included).
    """

    landscape: object
    w: np.ndarray
    h: float
    method: str
    here: float
    exact: np.ndarray
    estimate: np.ndarray
    offsets: np.ndarray
    sections: tuple
    moves: tuple
    readings: int


def probing(landscape="bowl", w=None, h=0.5, method="centred"):
    """The moves of Chad's probing at w: a reading where he stands, then steps of h along each axis."""
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h = _checks.positive("h", h)
    method = "centred" if method == "centered" else method
    _checks.choice("method", method, ("centred", "forward"))
    here = float(landscape(w))
    offsets = np.linspace(-2.5 * h, 2.5 * h, 81)
    sections = []
    for axis in (0, 1):
        points = np.repeat(w[None, :], len(offsets), axis=0)
        points[:, axis] += offsets
        sections.append(np.asarray(landscape(points), dtype=float))
    moves = [ProbeMove("Chad reads the loss where he stands", w, 0, ((0.0, here),), False)]
    for axis in (0, 1):
        step = np.zeros(2)
        step[axis] = h
        ahead = float(landscape(w + step))
        if method == "forward":
            moves.append(ProbeMove(f"a step of h={h:g} along w{axis + 1}, another reading", w + step, axis,
                                   ((0.0, here), (h, ahead)), True))
            continue
        moves.append(ProbeMove(f"a step of h={h:g} along w{axis + 1}, another reading", w + step, axis,
                               ((h, ahead),), False))
        behind = float(landscape(w - step))
        moves.append(ProbeMove(f"a step of h back along w{axis + 1}: the chord's slope is his estimate",
                               w - step, axis, ((h, ahead), (-h, behind)), True))
    estimate = numeric_gradient(landscape, w, h=h, method=method)
    return Probing(landscape, w, h, method, here, landscape.grad(w), estimate, offsets, tuple(sections),
                   tuple(moves), readings=len(moves) if method == "centred" else 3)
