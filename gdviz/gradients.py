"""Chad's way of feeling the slope: gradients from loss readings alone.

Chad's only sensor reads the loss where he stands. To learn which way is
downhill he nudges one parameter at a time by a tiny h and reads again:

    forward:   df/dw_i ~ (f(w + h e_i) - f(w)) / h             error O(h),   n + 1 readings
    centred:   df/dw_i ~ (f(w + h e_i) - f(w - h e_i)) / 2h    error O(h^2), 2n readings

Too large an h measures the slope of a chord, not of the surface; too small an
h drowns the difference in floating-point round-off (about 1e-16 * f / h).
"""

from dataclasses import dataclass

import numpy as np

from . import _checks


def numeric_gradient(f, w, h=1e-5, method="centered", return_evaluations=False):
    """Finite-difference gradient of a scalar function `f` at `w` (any shape).

    Parameters
    ----------
    f : callable(w) -> float
    w : array_like
    h : float > 0, the probe distance.
    method : "centered" (or "centred") or "forward".
    return_evaluations : bool
        Also return how many times `f` was read, the cost Chad pays per step.

    >>> numeric_gradient(lambda w: (w ** 2).sum(), [1.0, -2.0], return_evaluations=True)
    (array([ 2., -4.]), 4)
    """
    h = _checks.positive("h", h)
    method = "centered" if method == "centred" else method
    _checks.choice("method", method, ("centered", "forward"))
    w = np.array(w, dtype=float)
    grad = np.zeros_like(w)
    readings = 0
    if method == "forward":
        here = float(f(w))
        readings += 1
    for index in np.ndindex(w.shape):
        ahead = w.copy()
        ahead[index] += h
        if method == "forward":
            grad[index] = (float(f(ahead)) - here) / h
            readings += 1
        else:
            behind = w.copy()
            behind[index] -= h
            grad[index] = (float(f(ahead)) - float(f(behind))) / (2 * h)
            readings += 2
    return (grad, readings) if return_evaluations else grad


# Usual readings of a relative error between analytic and numeric gradients
# (double precision, centred differences, a smooth function): the upper bound
# of each band and what it suggests.
VERDICTS = (
    (1e-7, "excellent: the analytic gradient is right"),
    (1e-4, "fine for smooth functions; check again if there are kinks"),
    (1e-2, "suspicious: probably a bug, unless the point sits on a kink"),
    (np.inf, "wrong: the analytic gradient does not match"),
)


def verdict(relative_error):
    """The usual reading of a gradient-check relative error, in words."""
    for upper, words in VERDICTS:
        if relative_error < upper:
            return words
    return VERDICTS[-1][1]  # NaN lands here: a NaN error is never good news


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of `gradient_check`: both gradients, their gap, its reading."""

    analytic: np.ndarray
    numeric: np.ndarray
    relative_error: float
    verdict: str

    def __float__(self):
        return self.relative_error


def gradient_check(f, grad, w, h=1e-5):
    """Compare an analytic gradient with centred differences at `w`.

    relative error = |g_analytic - g_numeric| / max(|g_analytic|, |g_numeric|)

    with Euclidean norms; 0 when both gradients are exactly zero. Above 1e-2 the
    analytic gradient is wrong; below 1e-7 it is excellent (see `VERDICTS`).
    Relative error loses meaning where the true gradient is near zero (at a
    minimum), so check at ordinary points.
    """
    analytic = np.asarray(grad(np.asarray(w, dtype=float)), dtype=float)
    numeric = numeric_gradient(f, w, h=h)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric))
    error = 0.0 if scale == 0 else float(np.linalg.norm(analytic - numeric) / scale)
    return GradientCheck(analytic, numeric, error, verdict(error))
