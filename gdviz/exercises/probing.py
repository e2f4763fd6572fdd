"""Exercises on Chad's sensor (03): centred differences written out, the best probe size, and what a
numeric gradient costs in loss readings."""

import numpy as np

from .. import _checks, experiments, landscapes
from ..gradients import numeric_gradient
from ._verdict import _number, _real_array, _right, _unanswered, _wrong

__all__ = ["check_numeric_gradient", "check_probe_size", "check_readings_per_step"]


def check_numeric_gradient(student):
    """Check a student's centred-difference gradient `student(f, w, h)`.

    It is compared with the analytic gradient of several landscapes at their
    start points; centred differences with h = 1e-5 should agree to a relative
    error of about 1e-8, so anything under 1e-6 passes.
    """
    if not callable(student):
        return _wrong(f"pass your function itself (no parentheses), got {student!r}")
    for name in ("bowl", "ravine", "rosenbrock", "himmelblau"):
        landscape = landscapes.get(name)
        w = landscape.start.copy()
        try:
            returned = student(landscape, w.copy(), 1e-5)
        except Exception as error:
            return _wrong(f"on {name} your function raised {type(error).__name__}: {error}")
        estimate = _real_array(returned)
        if estimate is None:
            return _wrong(f"on {name} your function returned {returned!r}; return one slope per parameter, "
                          "two real numbers")
        if estimate.shape != (2,):
            return _wrong(f"on {name} your gradient has shape {estimate.shape}; it should have one "
                          "slope per parameter, shape (2,)")
        exact = landscape.grad(w)
        error = np.linalg.norm(estimate - exact) / np.linalg.norm(exact)
        if not error < 1e-6:
            forward = numeric_gradient(landscape, w, h=1e-5, method="forward")
            hint = ""
            if np.allclose(estimate, forward, rtol=1e-9):
                hint = " (it matches forward differences: probe on both sides and divide by 2h)"
            elif np.allclose(estimate, 2 * exact, rtol=1e-4):
                hint = " (twice too big: divide by 2h, the distance between your two probes)"
            elif np.allclose(estimate, -exact, rtol=1e-4):
                hint = (" (the right size but pointing downhill: subtract the reading behind from the one "
                        "ahead, L(w + h e_i) - L(w - h e_i))")
            return _wrong(f"on {name} at {w.tolist()} you got {np.round(estimate, 6).tolist()}, the "
                          f"analytic gradient is {np.round(exact, 6).tolist()}{hint}")
    return _right("your centred differences agree with the analytic gradients to better than 1e-6.")


def check_probe_size(answer, landscape, choices=(1.0, 1e-5), w=None, method="centred"):
    """Which probe size h among `choices` gives the numeric gradient closest to the analytic one at w?

    Measured, not assumed: each h's relative error comes from
    `experiments.probe_errors` at w (the landscape's start by default). On a
    quadratic the centred chord is parallel to the tangent whatever h, so the
    largest h wins there: the hint for the smaller h says so.
    """
    land = landscapes.get(landscape)
    choices = [_checks.positive("choices", h) for h in choices]
    if len(choices) < 2:
        raise ValueError(f"choices must hold at least two probe sizes, got {choices!r}")
    errors = experiments.probe_errors(land, w, np.array(choices)).errors
    method = "centred" if method == "centered" else method
    _checks.choice("method", method, list(errors))
    error = errors[method]
    best = choices[int(np.argmin(error))]
    listed = " or ".join(f"{h:g}" for h in choices)
    if _unanswered(answer):
        return _wrong(f"replace the ... with {listed}")
    value = _number(answer)
    if value is None or not any(np.isclose(value, h, rtol=1e-9) for h in choices):
        return _wrong(f"answer one of the probe sizes offered, {listed}; got {answer!r}")
    summary = ", ".join(f"h = {h:g}: {e:.1e}" for h, e in zip(choices, error, strict=True))
    if np.isclose(value, best, rtol=1e-9):
        return _right(f"the relative errors are {summary}.")
    if getattr(land, "hessian", None) is not None and method == "centred":
        return _wrong(f"not here ({summary}): on a quadratic the centred chord is parallel to the tangent "
                      "for every h, as on the bowl, so there is no truncation error; only rounding is left, "
                      "and rounding grows as h shrinks")
    return _wrong(f"not here ({summary}): weigh the chord's error, which grows with h, against rounding, "
                  "which grows as h shrinks")


def check_readings_per_step(answer, n_parameters, method="centred"):
    """How many loss readings does one numeric gradient cost with `n_parameters`?

    The count is taken from `numeric_gradient` itself on a function of that
    many parameters: 2n for centred differences, n + 1 for forward ones.
    """
    n_parameters = _checks.count("n_parameters", n_parameters, minimum=1)
    _, expected = numeric_gradient(lambda w: float(np.sum(w * w)), np.zeros(n_parameters),
                                   method=method, return_evaluations=True)
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == expected:
        return _right(f"{method} differences on {n_parameters} parameters read the loss {expected} times.")
    return _wrong(f"{answer} is not it; count the probes per parameter for {method} differences "
                  "(and whether the reading where Chad stands is reused)")
