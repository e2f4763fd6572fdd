"""Exercises on the learning rate (05): regimes and the edge of divergence, from theory."""

import math

from .. import landscapes, theory
from ._verdict import _read_number, _right, _unanswered, _wrong

__all__ = ["check_divergence_threshold", "check_regime"]


def check_regime(answer, landscape, alpha):
    """Check a predicted behaviour (a key of `theory.REGIMES`) against the theory."""
    high = theory.quadratic_curvature(landscapes.get(landscape))
    expected = theory.learning_rate_regime(high, alpha)
    if _unanswered(answer):
        return _wrong(f"replace the ... with one of {', '.join(map(repr, theory.REGIMES))}")
    if answer not in theory.REGIMES:
        return _wrong(f"{answer!r} is not one of {', '.join(map(repr, theory.REGIMES))}")
    reason = f"alpha L = {alpha * high:g}, and each step multiplies the error by up to |1 - alpha L|"
    if answer == expected:
        return _right(f"Chad {theory.REGIMES[expected]}: {reason}.")
    return _wrong(f"compare alpha with 1/L = {1 / high:g} and 2/L = {2 / high:g}.")


def check_divergence_threshold(answer, landscape="ravine"):
    """The largest alpha at which fixed-step descent still converges on a quadratic: 2/L.

    Passes within 2 %; the sweep in the notebook finds it by experiment, the
    Hessian's largest eigenvalue gives it exactly.
    """
    land = landscapes.get(landscape)
    high = theory.quadratic_curvature(land)
    oscillation, threshold = theory.rate_limits(high)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, threshold, rel_tol=0.02):
        return _right(f"on {land.name} L = {high:g}, so descent diverges for alpha > 2/L = {threshold:g}.")
    if math.isclose(value, oscillation, rel_tol=0.02):
        return _wrong(f"{value:g} is where the oscillation starts (1/L); Chad still settles beyond it")
    side = "too high: Chad flies off there" if value > threshold else "too low: Chad still settles above it"
    return _wrong(f"{value:g} is {side}; try the sweep or the Hessian's largest eigenvalue")
