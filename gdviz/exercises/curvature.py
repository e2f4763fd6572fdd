"""Exercises on curvature (05): the curvature along a direction, the direction of largest curvature and the
condition number, each checked against the landscape's analytic Hessian."""

import math

import numpy as np

from .. import _checks, experiments
from ._verdict import _read_number, _real_array, _right, _unanswered, _wrong

__all__ = ["check_condition_number", "check_curvature_along", "check_steepest_direction"]


def _hessian_at(landscape, point):
    """(the landscape, the point, its Hessian there): at the landscape's centre when point is None."""
    land = experiments.curvature_landscape(landscape)
    point = experiments.landscape_centre(land) if point is None else _checks.point("point", point)
    return land, point, land.hessian_at(point)


def _near(value, target, rel_tol):
    return math.isclose(value, target, rel_tol=rel_tol, abs_tol=1e-9)


def _slip(value, slips, rel_tol=1e-5):
    """The hint of the first slip whose value the answer matches, else None."""
    return next((hint for slip, hint in slips if _near(value, slip, rel_tol)), None)


def check_curvature_along(answer, landscape="ravine", direction=(2.0, 1.0), point=None):
    """The curvature along `direction` at `point`: uᵀ H u with u = direction / |direction|, within 0.1 %.

    Named slips: the cross term 2 H12 u1 u2 left out or counted once, the
    direction not made a unit vector, an eigenvalue, the sign flipped, and
    H u (a vector) for uᵀ H u.
    """
    land, point, hessian = _hessian_at(landscape, point)
    direction = _checks.point("direction", direction)
    length = float(np.linalg.norm(direction))
    if length == 0:
        raise ValueError("direction must not be (0, 0): it has no direction")
    unit = direction / length
    (h11, h12), (_, h22) = hessian
    expected = float(unit @ hessian @ unit)
    if _unanswered(answer):
        return _wrong("replace the ... with your number")
    vector = _real_array(answer)
    if vector is not None and vector.shape == (2,):
        if np.allclose(vector, hessian @ unit, rtol=1e-3):
            return _wrong("that is H u, a vector: how the gradient changes along u. The curvature is one "
                          "number, its part along u: u · (H u) = uᵀ H u")
        return _wrong(f"answer one number, the curvature along u; got two, {vector.tolist()}")
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    u1, u2 = unit
    words = (f"with u = ({u1:.4f}, {u2:.4f}), uᵀ H u = H11 u1² + 2 H12 u1 u2 + H22 u2² = "
             f"{h11:.4g}·{u1 * u1:.4f} + 2·({h12:.4g})·{u1 * u2:.4f} + {h22:.4g}·{u2 * u2:.4f} "
             f"= {expected:.4g}")
    if _near(value, expected, 1e-3):
        return _right(words + ".")
    named = tuple(direction.tolist())
    slips = [
        (h11 * u1 * u1 + h22 * u2 * u2,
         f"you left out the cross term 2 H12 u1 u2; H12 = {h12:.4g} is not zero here, and it counts twice, "
         "once as H12 and once as H21"),
        (h11 * u1 * u1 + h12 * u1 * u2 + h22 * u2 * u2,
         "the cross term counts twice, 2 H12 u1 u2: once as H12 and once as H21"),
        (float(direction @ hessian @ direction),
         f"{named} is not a unit vector: divide it by its length {length:.4g} first (dᵀ H d grows with |d|², "
         "the curvature of the line does not)"),
        (h11 * direction[0] ** 2 + h22 * direction[1] ** 2,
         "two slips: the direction is not a unit vector, and the cross term 2 H12 u1 u2 is missing"),
        (-expected, "the size is right but not the sign; a positive uᵀ H u curves up, a negative one down"),
    ]
    slips += [(float(eigenvalue), "that is an eigenvalue of H, the curvature along an eigenvector; this "
                                  "direction is not one, so compute uᵀ H u")
              for eigenvalue in np.linalg.eigvalsh(hessian)]
    hint = _slip(value, slips)
    if hint is not None:
        return _wrong(hint)
    return _wrong(f"{value:g} is not the curvature along {named}; make it a unit vector u, then compute "
                  "H11 u1² + 2 H12 u1 u2 + H22 u2² (or u @ H @ u)")


def _line_gap(one, other):
    """The angle in degrees between the lines along two non-zero vectors (0 to 90: a line has no sign).

    From atan2 of the cross and dot products: arccos of their ratio would lose half the digits near 0.
    """
    across = float(one[0] * other[1] - one[1] * other[0])
    return math.degrees(math.atan2(abs(across), abs(float(one @ other))))


def check_steepest_direction(answer, landscape="rosenbrock", point=None, tolerance=0.5):
    """The direction of largest curvature at `point`: the eigenvector of H's largest eigenvalue.

    Any non-zero vector along that line passes (either sign, any length),
    within `tolerance` degrees. Named slips: the largest eigenvalue itself
    (a number, not a direction), an angle for a vector, the eigenvector of
    the smallest eigenvalue, a row of numpy's `eigh` vectors instead of a
    column, and a row of H, which points near the answer when L >> m but is
    not it.
    """
    land, point, hessian = _hessian_at(landscape, point)
    values, vectors, angles = experiments.eigen_directions(hessian)
    (low, high), steep, gentle = values, vectors[:, 1], vectors[:, 0]
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):
        raise ValueError(f"at {point.tolist()} every direction of {land.name} curves the same: no direction "
                         "is steepest; choose another landscape or point")
    if _unanswered(answer):
        return _wrong("replace the ... with your direction, two numbers")
    array = _real_array(answer)
    if array is None or array.ndim > 1 or array.size not in (1, 2):
        return _wrong(f"answer a direction, two numbers like (1.0, -0.5); got {answer!r}")
    if not np.all(np.isfinite(array)):
        return _wrong(f"a direction is two finite numbers; got {answer!r}")
    if array.size == 1:
        value = float(array.ravel()[0])
        if _near(value, high, 1e-3):
            return _wrong(f"{value:g} is L, the largest eigenvalue: how strongly the ground curves, not "
                          "which way. Give its eigenvector, two numbers")
        angle = float(angles[1])
        if any(_near(value, candidate, 1e-2) for candidate in (angle, angle - 180, math.radians(angle),
                                                                math.radians(angle - 180))):
            return _wrong("that is the direction's angle; give the direction as a vector of two numbers, "
                          "(cos θ, sin θ)")
        return _wrong(f"answer a direction, two numbers like (1.0, -0.5); got {answer!r}")
    if not np.linalg.norm(array) > 0:
        return _wrong("(0, 0) has no direction; give a non-zero vector")
    curvature = float(array @ hessian @ array / (array @ array))
    where = f"at {angles[1]:.2f}° from the w1 axis: no direction curves more."
    if _line_gap(array, steep) < 1e-6:
        return _right(f"the eigenvector of L = {high:.4g}, {where}")
    # A row of the eigenvector matrix, whatever signs LAPACK gave its columns (none that is an eigenvector).
    rows = [np.array([vectors[row, 0], sign * vectors[row, 1]]) for row in (0, 1) for sign in (1.0, -1.0)]
    rows = [row for row in rows if min(_line_gap(row, steep), _line_gap(row, gentle)) > 1e-6]
    if any(_line_gap(array, row) < 1e-6 for row in rows):
        return _wrong("that is a row of numpy's eigenvector matrix; eigh puts each eigenvector in a column: "
                      "take vectors[:, -1] (the last column, largest eigenvalue), not vectors[-1]")
    if any(_line_gap(array, row) < 1e-6 for row in hessian):
        return _wrong(f"that is a row of H, how the gradient changes along one axis; it points near the "
                      f"answer because L is so much larger than m, but not along it (its curvature is "
                      f"{curvature:.6g}, L = {high:.6g}). Find H's eigenvector")
    if _line_gap(array, gentle) < tolerance:
        return _wrong(f"that is the eigenvector of the smallest eigenvalue, m = {low:.4g}: the direction "
                      "along which the ground curves least. You want the largest")
    if _line_gap(array, steep) < tolerance:
        return _right(f"within {tolerance:g}° of the eigenvector of L = {high:.4g}, {where}")
    return _wrong(f"the curvature along your direction is {curvature:.4g}, below the largest, "
                  f"L = {high:.4g}; find the eigenvector of H's largest eigenvalue")


def check_condition_number(answer, landscape="rosenbrock", point=None):
    """The condition number k = L / m at `point`, from H's eigenvalues, within 0.1 %.

    Named slips: m / L, the ratio of the diagonal entries (the curvatures
    along the axes only), L - m, √k, L alone, and rounded eigenvalues.
    """
    land, point, hessian = _hessian_at(landscape, point)
    low, high = np.linalg.eigvalsh(hessian)
    if not low > 0:
        raise ValueError(f"at {point.tolist()} {land.name} curves down or is flat along some direction "
                         f"(smallest eigenvalue {low:.4g}): it has no condition number there")
    condition = float(high / low)
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    if _near(value, condition, 1e-3):
        return _right(f"k = L/m = {high:.6g}/{low:.6g} = {condition:.4g}.")
    (h11, h12), (_, h22) = hessian
    diagonal = ("that is a ratio of the diagonal entries, the curvatures along w1 and w2 only; the largest "
                "and smallest curvature over all directions are H's eigenvalues (the cross term "
                f"H12 = {h12:.4g} turns them away from the axes)")
    slips = [
        (low / high, "upside down: k = L/m, the largest curvature over the smallest, so k >= 1"),
        (h11 / h22, diagonal), (h22 / h11, diagonal),
        (high - low, "a ratio, not a difference: k = L/m"),
        (math.sqrt(condition), "that is √k, how many times longer than wide the contours are; k is L/m"),
        (high, "that is L alone; divide it by m, the smallest eigenvalue"),
    ]
    hint = _slip(value, slips)
    if hint is not None:
        return _wrong(hint)
    if _near(value, condition, 0.02):
        return _wrong(f"close, but not within 0.1 %: divide the eigenvalues with all their digits "
                      f"(np.linalg.eigvalsh), not rounded ones; m = {low:.4g} is small, so rounding it "
                      "moves k")
    return _wrong(f"{value:g} is not L/m; find the smallest and largest eigenvalues of H, m and L")
