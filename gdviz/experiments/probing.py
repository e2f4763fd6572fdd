"""What Chad can sense (03): the slope he probes with two readings, how good it is for each probe size
h, and the gradient as a direction: steepest downhill, across the contours."""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes
from ..gradients import numeric_gradient

__all__ = ["GradientField", "ProbeErrors", "ProbeMove", "Probing", "StepChanges", "gradient_field",
           "probe_errors", "probing", "step_changes"]


@dataclass(frozen=True)
class ProbeErrors:
    """The relative error of Chad's probed gradient at w, for each probe size h and each method.

    errors : {"forward": (len(h_values),), "centred": (len(h_values),)}.
    """

    landscape: object
    w: np.ndarray
    h_values: np.ndarray
    errors: dict


def probe_errors(landscape, w=None, h_values=None):
    """Relative error of forward and centred differences against the analytic gradient, as `ProbeErrors`.

    error(h) = |g_numeric(h) - g_analytic| / |g_analytic|   (Euclidean norms)

    By default w is the landscape's start and h runs from 1e-13 to 1. Truncation
    makes the error grow like h (forward) or h² (centred) for large h;
    round-off makes it grow like 1e-16 / h for small h.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h_values = np.logspace(-13, 0, 53) if h_values is None else _checks.array("h_values", h_values, 0.0,
                                                                                flat=True)
    exact = landscape.grad(w)
    scale = np.linalg.norm(exact)
    if scale == 0:
        raise ValueError(f"w={w.tolist()} is a stationary point of {landscape.name}: the gradient is "
                         "zero there, so a relative error has no meaning; probe somewhere sloped")
    errors = {}
    for method in ("forward", "centred"):
        estimates = [numeric_gradient(landscape, w, h=h, method=method) for h in h_values]
        errors[method] = np.linalg.norm(np.array(estimates) - exact, axis=-1) / scale
    return ProbeErrors(landscape, w, h_values, errors)


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


@dataclass(frozen=True)
class GradientField:
    """The gradient at the centres of an n x n grid of cells over a landscape's domain.

    `points` (m, 2), `grad` (m, 2) and `loss` (m,) at each point; `downhill`
    (m, 2) is the unit vector -grad / |grad|; `miss_angle` (m,) the angle in
    degrees between `downhill` and the straight line to the nearest known
    minimum (NaN without one); `spacing` the grid's step along w1 and w2.
    Points where the gradient vanishes (a minimum, a saddle point) have no
    direction and are left out.
    """

    landscape: object
    n: int
    points: np.ndarray
    grad: np.ndarray
    loss: np.ndarray
    downhill: np.ndarray
    miss_angle: np.ndarray
    spacing: tuple


def gradient_field(landscape, n=9):
    """-grad, the steepest way down, at the centres of an n x n grid over the domain, as a `GradientField`."""
    landscape = landscapes.get(landscape)
    n = _checks.count("n", n, minimum=2)
    centres = []
    for low, high in landscape.domain:
        edges = np.linspace(low, high, n + 1)
        centres.append((edges[:-1] + edges[1:]) / 2)
    points = np.stack(np.meshgrid(*centres), axis=-1).reshape(-1, 2)
    grad = landscape.grad(points)
    size = np.linalg.norm(grad, axis=-1)
    sloped = size > 1e-12 * max(float(size.max()), 1.0)
    points, grad, size = points[sloped], grad[sloped], size[sloped]
    downhill = -grad / size[:, None]
    if len(landscape.minima):
        offsets = landscape.minima[None, :, :] - points[:, None, :]
        nearest = offsets[np.arange(len(points)), np.argmin(np.linalg.norm(offsets, axis=-1), axis=1)]
        lengths = np.linalg.norm(nearest, axis=-1, keepdims=True)
        towards = np.divide(nearest, lengths, out=np.zeros_like(nearest), where=lengths > 0)
        miss = np.degrees(np.arccos(np.clip(np.sum(downhill * towards, axis=-1), -1.0, 1.0)))
    else:
        miss = np.full(len(points), np.nan)
    spacing = tuple(float(c[1] - c[0]) for c in centres)
    return GradientField(landscape, n, points, grad, np.asarray(landscape(points), dtype=float), downhill,
                         miss, spacing)


@dataclass(frozen=True)
class StepChanges:
    """What short steps of one length do to the loss, direction by direction (03's Taylor argument).

    `angles` (degrees, 0 along +w1, counter-clockwise) name the unit
    directions u tried; `changes` are L(w + length u) - L(w) and `predicted`
    the first-order prediction length * (∇L(w) · u). `downhill_angle` and
    `downhill_change` are the same for u = -∇L / |∇L|.
    """

    landscape: object
    w: np.ndarray
    length: float
    angles: np.ndarray
    changes: np.ndarray
    predicted: np.ndarray
    downhill_angle: float
    downhill_change: float


def step_changes(landscape, w=None, length=0.01, directions=8):
    """Loss change for a step of `length` in `directions` evenly turned directions, and along -grad.

    By Taylor, L(w + d) ~ L(w) + ∇L(w) · d for a short step d, and the dot
    product is most negative for d along -∇L: no direction lowers the loss
    faster. The exact changes are read from the landscape, not predicted.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    length = _checks.positive("length", length)
    angles = np.arange(_checks.count("directions", directions, minimum=1)) * 360.0 / directions
    radians = np.radians(angles)
    units = np.column_stack([np.cos(radians), np.sin(radians)])
    grad = landscape.grad(w)
    if not np.linalg.norm(grad) > 0:
        raise ValueError(f"w={w.tolist()} is a stationary point of {landscape.name}: no direction is "
                         "downhill there; choose a point on a slope")
    here = float(landscape(w))
    downhill = -grad / np.linalg.norm(grad)
    changes = np.asarray(landscape(w + length * units), dtype=float) - here
    downhill_angle = float(np.degrees(np.arctan2(downhill[1], downhill[0])) % 360.0)
    return StepChanges(landscape, w, length, angles, changes, length * units @ grad, downhill_angle,
                       float(landscape(w + length * downhill)) - here)
