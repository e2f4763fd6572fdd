"""Curvature (05): the Hessian, the curvature along a direction, and the directions of pure curvature.

At a point w, the curvature along a unit direction u is the second derivative
of the loss along the line w + t u:

    d²/dt² L(w + t u) at t = 0  =  uᵀ H u  =  H11 u1² + 2 H12 u1 u2 + H22 u2²,

with H the Hessian [[L11, L12], [L21, L22]] of second derivatives, symmetric
(L12 = L21) because for a smooth loss the order of two derivatives does not
matter. Chad measures the same number with three readings of his sensor,
(L(w + h u) - 2 L(w) + L(w - h u)) / h² (`slices.slice_curvature`).

Stepping a short way d changes the gradient by about H d. Along an
eigenvector v of H (H v = λ v) that change points along v itself: the slope
grows or shrinks without turning, and the eigenvalue λ = vᵀ H v is the
curvature along v. Writing u = cos φ v1 + sin φ v2 gives
uᵀ H u = λ1 cos² φ + λ2 sin² φ, a weighted average of the eigenvalues (the
Rayleigh quotient), so the smallest and largest curvature over all directions
are the eigenvalues m and L, and k = L / m is the condition number.

Directions are named by their angle θ in degrees, u = (cos θ, sin θ): 0 along
+w1, counter-clockwise. θ and θ + 180° run along one line, with one curvature,
so a half turn, 0 to 180°, covers every line through w.
"""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes
from ._mapping import MappingResult
from .race import aligned_ravine
from .slices import slice_curvature

__all__ = ["CURVATURE_LANDSCAPES", "CurvatureSweep", "CurvatureSweeps", "curvature_landscape",
           "curvature_sweep", "curvature_sweeps", "eigen_directions", "landscape_centre", "probed_hessian",
           "unit_direction"]

# The four landscapes the lesson compares: round, turned, aligned, and one that curves down.
CURVATURE_LANDSCAPES = ("bowl", "ravine", "aligned ravine", "saddle")
HALF_TURN = np.arange(181.0)  # 0°, 1°, ..., 180°: every line through w, and back to the first


def curvature_landscape(landscape):
    """A catalogue name, "aligned ravine" (`race.aligned_ravine`) or a Landscape itself."""
    if isinstance(landscape, str) and landscape == "aligned ravine":
        return aligned_ravine()
    if isinstance(landscape, landscapes.Landscape):
        return landscape
    _checks.choice("landscape", landscape, [*landscapes.names(), "aligned ravine"])
    return landscapes.get(landscape)


def unit_direction(angle):
    """The unit vector(s) (cos θ, sin θ) for angle(s) θ in degrees: shape (..., 2)."""
    radians = np.radians(np.asarray(angle, dtype=float))
    return np.stack([np.cos(radians), np.sin(radians)], axis=-1)


def eigen_directions(hessian):
    """(eigenvalues, eigenvectors, angles) of a symmetric 2 x 2 matrix, smallest eigenvalue first.

    The eigenvectors are the columns, as numpy's `eigh` gives them, each with
    its sign chosen so that its angle lies in [0°, 180°): a direction and its
    opposite are one line, and a fixed sign keeps the printed vectors the same
    whatever LAPACK returns.
    """
    hessian = np.asarray(hessian, dtype=float)
    if hessian.shape != (2, 2) or not np.all(np.isfinite(hessian)):
        raise ValueError(f"hessian must be a finite 2 x 2 matrix, got {hessian!r}")
    values, vectors = np.linalg.eigh(hessian)
    vectors = vectors.copy()
    angles = np.degrees(np.arctan2(vectors[1], vectors[0])) % 180.0
    for index in range(2):
        if angles[index] > 180.0 - 1e-9:  # (-1, -0.0): a hair below 180°, the same line as 0°
            angles[index] = 0.0
        if not np.allclose(vectors[:, index], unit_direction(angles[index]), atol=1e-9):
            vectors[:, index] *= -1.0
    return values, vectors, angles


@dataclass(frozen=True, eq=False)
class CurvatureSweep:
    """The curvature around one point of a landscape, direction by direction.

    hessian : (2, 2) the analytic Hessian at `point` (`landscape.hessian_at`).
    eigenvalues, eigenvectors, eigen_angles : from `eigen_directions`, smallest first;
        the eigenvectors are the columns.
    angles : (n,) the directions swept, in degrees; `directions` (n, 2) their unit vectors.
    curvatures : (n,) uᵀ H u along each direction.
    measured : (n,) the same curvature from three loss readings each, with probe size `h`.
    """

    landscape: object
    point: np.ndarray
    h: float
    hessian: np.ndarray
    eigenvalues: np.ndarray
    eigenvectors: np.ndarray
    eigen_angles: np.ndarray
    angles: np.ndarray
    curvatures: np.ndarray
    measured: np.ndarray

    @property
    def directions(self):
        """(n, 2) the unit vectors u of `angles`."""
        return unit_direction(self.angles)

    @property
    def changes(self):
        """(n, 2) H u: how the gradient changes per unit step along each direction u."""
        return self.directions @ self.hessian.T

    @property
    def turns(self):
        """(n,) the angle in degrees between H u and u: 0 along an eigenvector of positive curvature,
        180 along one of negative curvature, undefined (NaN) where H u = 0."""
        changes, units = self.changes, self.directions
        along = np.sum(changes * units, axis=-1)
        across = changes[:, 1] * units[:, 0] - changes[:, 0] * units[:, 1]
        # atan2 of the two parts, not arccos of their ratio: arccos near 1 loses half the digits.
        turns = np.degrees(np.arctan2(np.abs(across), along))
        return np.where(np.hypot(along, across) > 0, turns, np.nan)

    @property
    def is_round(self):
        """True when the two eigenvalues are equal: every direction is then an eigenvector."""
        low, high = self.eigenvalues
        return bool(np.isclose(low, high, rtol=1e-12, atol=1e-12))

    @property
    def condition_number(self):
        """k = L / m when every curvature is > 0 (a bowl); None where the ground curves down or is flat."""
        low, high = self.eigenvalues
        return float(high / low) if low > 0 else None

    def direction_at(self, angle):
        """The unit vector u at `angle` degrees."""
        return unit_direction(_checks.real("angle", angle))

    def change_at(self, angle):
        """H u for the direction at `angle` degrees: the gradient's change per unit step along u."""
        return self.hessian @ self.direction_at(angle)

    def along(self, angle):
        """uᵀ H u for the direction at `angle` degrees: the curvature along u."""
        unit = self.direction_at(angle)
        return float(unit @ self.hessian @ unit)


def landscape_centre(landscape):
    """Where a landscape's curvature axes cross: its first minimum, else the middle of its domain."""
    landscape = curvature_landscape(landscape)
    if len(landscape.minima):
        return landscape.minima[0].copy()
    return np.array([(low + high) / 2 for low, high in landscape.domain])


def curvature_sweep(landscape, point=None, angles=None, h=1e-3):
    """The Hessian at `point`, its eigen-directions, and the curvature along each direction of `angles`.

    `point` is the landscape's `landscape_centre` by default (its first
    minimum: on a quadratic the Hessian is the same everywhere); `angles` are
    degrees, 0, 1, ..., 180 by default. Each curvature is computed twice: uᵀ H u from
    the analytic Hessian, and from three loss readings with probe size `h`.
    """
    landscape = curvature_landscape(landscape)
    point = landscape_centre(landscape) if point is None else _checks.point("point", point)
    angles = HALF_TURN if angles is None else _checks.array("angles", angles, -np.inf, flat=True)
    h = _checks.positive("h", h)
    hessian = landscape.hessian_at(point)
    values, vectors, eigen_angles = eigen_directions(hessian)
    units = unit_direction(angles)
    curvatures = np.einsum("ni,ij,nj->n", units, hessian, units)
    measured = np.array([slice_curvature(landscape, point, unit, h=h) for unit in units])
    return CurvatureSweep(landscape, point, h, hessian, values, vectors, eigen_angles, angles.copy(),
                          curvatures, measured)


@dataclass(frozen=True, eq=False)
class CurvatureSweeps(MappingResult):
    """Several landscapes' `CurvatureSweep`s, as a mapping {name: sweep}."""

    ITEMS = "sweeps"
    sweeps: dict


def curvature_sweeps(names=CURVATURE_LANDSCAPES, angles=None, h=1e-3):
    """`curvature_sweep` of each landscape (names or Landscapes) at its `landscape_centre`, as
    `CurvatureSweeps` {name: sweep}."""
    names = [names] if isinstance(names, (str, landscapes.Landscape)) else list(names)
    chosen = [curvature_landscape(landscape) for landscape in names]
    if not chosen:
        raise ValueError("landscapes must name at least one landscape, got none")
    return CurvatureSweeps({land.name: curvature_sweep(land, None, angles, h) for land in chosen})


def probed_hessian(landscape, point=None, h=1e-5):
    """The Hessian as Chad could measure it from slopes: row i is (∇L(w + h e_i) - ∇L(w - h e_i)) / 2h.

    At `point`, the landscape's `landscape_centre` by default. Entry [i, j]
    is how fast slope j changes per unit step along w_i. Nothing is
    symmetrised: [0, 1] and [1, 0] are two separate measurements, equal (to
    rounding) because the Hessian is symmetric.
    """
    landscape = curvature_landscape(landscape)
    point = landscape_centre(landscape) if point is None else _checks.point("point", point)
    h = _checks.positive("h", h)
    return np.array([(landscape.grad(point + h * step) - landscape.grad(point - h * step)) / (2 * h)
                     for step in np.eye(2)])
