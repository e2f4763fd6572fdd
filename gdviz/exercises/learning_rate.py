"""Exercises on the learning rate (06): regimes, shrink factors and the edge of divergence, from theory."""

import math

import numpy as np

from .. import experiments, landscapes, theory
from ._verdict import _read_number, _right, _unanswered, _wrong

__all__ = ["check_divergence_threshold", "check_regime", "check_shrink_factors"]


def check_regime(answer, landscape, alpha):
    """Check a predicted behaviour (a key of `theory.REGIMES`) against the theory."""
    high = theory.quadratic_curvature(landscapes.get(landscape))
    expected = theory.learning_rate_regime(high, alpha)
    if _unanswered(answer):
        return _wrong(f"replace the ... with one of {', '.join(map(repr, theory.REGIMES))}")
    if not isinstance(answer, str) or answer not in theory.REGIMES:
        return _wrong(f"{answer!r} is not one of {', '.join(map(repr, theory.REGIMES))}")
    reason = f"alpha L = {alpha * high:g}, and each step multiplies the error by up to |1 - alpha L|"
    if answer == expected:
        return _right(f"Chad {theory.REGIMES[expected]}: {reason}.")
    return _wrong(f"compare alpha with 1/L = {1 / high:g} and 2/L = {2 / high:g}.")


def _sweep_bracket(landscape, threshold):
    """The sweep's last rate below 2/L and its first rate above: all the sweep can say about the edge."""
    alphas = experiments.default_alphas(landscape)
    return float(alphas[alphas < threshold].max()), float(alphas[alphas > threshold].min())


def check_divergence_threshold(answer, landscape="ravine"):
    """The largest alpha at which fixed-step descent still converges on a quadratic: 2/L, within 1 %.

    The exercise asks for 2/L worked out from the curvatures. The sweep of
    `experiments.alpha_sweep` only brackets it: its rates are 15 % apart, so
    its last settled rate and its first diverging one are told that the edge
    lies between them. The hints also name 1/L (where oscillation starts), 2/m
    (the flattest direction's edge) and the sweep's best rate.
    """
    land = landscapes.get(landscape)
    high = theory.quadratic_curvature(land)
    oscillation, threshold = theory.rate_limits(high)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, threshold, rel_tol=0.01):
        return _right(f"on {land.name} L = {high:g}, so descent diverges for alpha > 2/L = {threshold:g}.")
    below, above = _sweep_bracket(land, threshold)
    if any(math.isclose(value, rate, rel_tol=0.005) for rate in (below, above)):
        return _wrong(f"{value:g} is one of the sweep's own rates; they are 15 % apart, so the sweep only "
                      f"shows that the edge lies between {below:.3g} (settled) and {above:.3g} (flew off). "
                      "Pin it down from the largest curvature L")
    if math.isclose(value, oscillation, rel_tol=0.01):
        return _wrong(f"{value:g} is where the oscillation starts (1/L); Chad still settles beyond it")
    low = float(np.linalg.eigvalsh(land.hessian)[0])
    if math.isclose(value, 2 / low, rel_tol=0.01):
        return _wrong(f"{value:g} is 2/m, the edge for the flattest direction; the steepest direction, with "
                      "the largest curvature L, runs away first")
    sweep = experiments.alpha_sweep(land)
    best = sweep.alpha[np.argmin(sweep.final_loss)]
    if math.isclose(value, best, rel_tol=0.005):
        return _wrong(f"{value:g} is the sweep's best rate, the lowest final loss; the edge of divergence "
                      "lies further right")
    side = "too high: Chad flies off there" if value > threshold else "too low: Chad still settles above it"
    return _wrong(f"{value:g} is {side}; work it out from the largest curvature L")


_AXIS = {"floor": "the floor's", "walls": "the walls'"}  # possessives, for the hints


def check_shrink_factors(floor, walls, slower, regime, landscape="ravine", alpha=0.15):
    """Per-step factors 1 - alpha lambda on a quadratic, which one sets the pace, and the regime.

    `floor` is the factor along the flattest axis (smallest curvature m),
    `walls` along the steepest (largest curvature L), both with their sign;
    `slower` is "floor" or "walls", the axis whose offset shrinks more slowly
    (the factor nearer to ±1); `regime` one of `theory.REGIMES`. Each is
    checked in that order, within 1e-3; the hints name the usual slips:
    alpha lambda for 1 - alpha lambda, the two axes swapped, the sign dropped.
    """
    land = landscapes.get(landscape)
    high = theory.quadratic_curvature(land)
    low = float(np.linalg.eigvalsh(land.hessian)[0])
    expected = {"floor": 1 - alpha * low, "walls": 1 - alpha * high}
    curvatures = {"floor": low, "walls": high}
    for name, answer in (("floor", floor), ("walls", walls)):
        other = "walls" if name == "floor" else "floor"
        value, problem = _read_number(answer)
        if problem is not None:
            return _wrong(f"{_AXIS[name]} factor: {problem.message.removeprefix('Not yet: ')}")
        if math.isclose(value, expected[name], abs_tol=1e-3):
            continue
        if math.isclose(value, alpha * curvatures[name], abs_tol=1e-3):
            return _wrong(f"{value:g} for {_AXIS[name]} factor is alpha lambda, the part of the offset a "
                          "step removes; the factor is what is left, 1 - alpha lambda")
        if math.isclose(value, expected[other], abs_tol=1e-3):
            return _wrong(f"{value:g} is {_AXIS[other]} factor: the floor has the small curvature "
                          f"m = {low:g}, the walls the large one L = {high:g}")
        if math.isclose(value, -expected[name], abs_tol=1e-3):
            side = "lands on the other side" if expected[name] < 0 else "stays on the same side"
            return _wrong(f"the size of {_AXIS[name]} factor is right but not its sign: 1 - alpha lambda = "
                          f"{expected[name]:g}, so Chad {side} of the minimum after each step")
        return _wrong(f"{value:g} is not {_AXIS[name]} factor; compute 1 - alpha lambda with lambda = "
                      f"{curvatures[name]:g}")
    pace = "floor" if abs(expected["floor"]) > abs(expected["walls"]) else "walls"
    if _unanswered(slower):
        return _wrong("both factors right; now replace the ... of my_slower with 'floor' or 'walls'")
    if not isinstance(slower, str) or slower not in ("floor", "walls"):
        return _wrong(f"answer 'floor' or 'walls' for the slower axis, got {slower!r}")
    if slower != pace:
        return _wrong(f"each step leaves {abs(expected[slower]):g} of {_AXIS[slower]} offset and "
                      f"{abs(expected[pace]):g} of {_AXIS[pace]}: the factor nearer to ±1 shrinks more "
                      "slowly")
    expected_regime = theory.learning_rate_regime(high, alpha)
    if _unanswered(regime):
        return _wrong(f"replace the ... of my_regime with one of {', '.join(map(repr, theory.REGIMES))}")
    if not isinstance(regime, str) or regime not in theory.REGIMES:
        return _wrong(f"{regime!r} is not one of {', '.join(map(repr, theory.REGIMES))}")
    if regime != expected_regime:
        return _wrong(f"{regime!r} does not fit the factors: a factor in (-1, 0) overshoots by less each "
                      "time, one below -1 by more each time, one in [0, 1) never overshoots")
    return _right(f"each step multiplies the floor's offset by {expected['floor']:g} and the walls' by "
                  f"{expected['walls']:g}; the {pace} sets the pace, and Chad "
                  f"{theory.REGIMES[expected_regime]}.")
