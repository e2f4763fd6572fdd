"""Slices of a landscape (02): the loss along straight lines through a point, and their curvature."""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes

__all__ = ["Slices", "slice_curvature", "slices"]


@dataclass(frozen=True)
class Slices:
    """Straight-line slices through `point` of a landscape, all over the same offsets.

    offsets : (n,) the offsets t in [-span, span].
    lines : [(unit direction d, points (n, 2), losses (n,)), ...], one per direction.
    """

    landscape: object
    point: np.ndarray
    span: float
    offsets: np.ndarray
    lines: list


def slices(landscape, point=None, directions=((1.0, 0.0), (0.0, 1.0)), span=None, n=121):
    """Straight-line slices t -> L(point + t d) for unit directions d, t in [-span, span], as `Slices`.

    By default `point` is the landscape's start and `span` 0.3 of the domain's shorter side.
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
    return Slices(landscape, point, span, offsets, lines)


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
