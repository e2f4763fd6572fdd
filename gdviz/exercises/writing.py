"""Exercises that write code or run walks (00, 03, 04, 08): optimizers, probes, step counts, stop reasons."""

import itertools

import numpy as np

from .. import _checks, landscapes, optimizers
from ..gradients import numeric_gradient
from ..run import STOP_REASONS, run
from ._verdict import Verdict, _number, _right, _unanswered, _wrong

__all__ = [
    "CASES", "check_gradient_descent", "check_numeric_gradient", "check_optimizer",
    "check_readings_per_step", "check_stop_reason", "check_updates"
]

# (landscape, start, alpha): a round bowl, a tilted ravine and a curved valley,
# with rates that keep every reference walk finite for the steps compared.
CASES = (
    ("bowl", (-2.0, 1.5), 0.1),
    ("ravine", (-2.5, 2.0), 0.05),
    ("rosenbrock", (-1.5, 2.0), 1e-3),
    ("himmelblau", (-0.5, -0.5), 0.01),
)


def _position(item):
    """Chad's position from what a student's generator yielded, or None."""
    w = getattr(item, "w", item)
    try:
        w = np.array(w, dtype=float)  # a copy, in case the student moves w in place
    except (TypeError, ValueError):
        return None
    return w if w.shape == (2,) else None


def _first_positions(student, landscape, start, alpha, count, hyperparameters):
    """Up to `count` positions from the student's generator, or a Verdict on failure."""
    try:
        walk = student(landscape, np.array(start, dtype=float), alpha, **hyperparameters)
    except Exception as error:  # the student's code: report, never raise
        return _wrong(f"calling your function raised {type(error).__name__}: {error}")
    if walk is None:
        return _wrong("your function returned None; it should `yield` Chad's position at every step "
                      "(a function with `yield` in it returns a generator)")
    try:
        walk = iter(walk)
    except TypeError:
        return _wrong(f"your function returned a {type(walk).__name__}, which cannot be iterated; "
                      "use `yield` inside a `while True:` loop")
    positions = []
    try:
        for item in itertools.islice(walk, count):
            w = _position(item)
            if w is None:
                return _wrong(f"step {len(positions)} yielded {item!r}; yield Chad's position w "
                              "(two numbers) or a gdviz Step")
            positions.append(w)
    except Exception as error:
        return _wrong(f"your generator raised {type(error).__name__} at step {len(positions)}: {error}")
    if len(positions) < count:
        return _wrong(f"your generator stopped after {len(positions)} steps; descent goes on until the "
                      "caller stops it, so loop with `while True:`")
    return np.array(positions)


def _diagnose(mine, reference, landscape, alpha, index):
    """A hint for the first step where the student's walk leaves the reference."""
    if np.allclose(mine[index], reference[min(index + 1, len(reference) - 1)], rtol=1e-9, atol=1e-12):
        return "you yield after moving: yield the start first, then move"
    if index == 0:
        return (f"the first yield should be the start {reference[0].tolist()}, before any move; "
                f"yours was {mine[0].tolist()}")
    previous = reference[index - 1]
    grad = landscape.grad(previous)
    if np.allclose(mine[index], reference[index - 1], rtol=1e-9, atol=1e-12):
        return f"Chad did not move at step {index}: update w before the next yield"
    if np.allclose(mine[index], previous + alpha * grad, rtol=1e-9, atol=1e-12):
        return f"at step {index} Chad went uphill: the gradient points uphill, so subtract alpha * grad"
    if np.allclose(mine[index], previous - grad, rtol=1e-9, atol=1e-12):
        return f"at step {index} the move was the whole gradient: multiply it by alpha"
    return (f"at step {index} Chad is at {np.round(mine[index], 6).tolist()}, the reference at "
            f"{np.round(reference[index], 6).tolist()}")


def check_optimizer(student, reference="gradient_descent", steps=20, **hyperparameters):
    """Run the student's optimizer generator against gdviz's on a few landscapes.

    `student(landscape, start, alpha, **hyperparameters)` must yield Chad's
    position at every step (or a `Step`), the start first, forever. Its first
    `steps` positions are compared with `gdviz.optimizers.<reference>` on the
    landscapes of `CASES` (relative tolerance 1e-9).
    """
    if not callable(student):
        return _wrong(f"pass your generator function itself (no parentheses), got {student!r}")
    make_reference = optimizers.get(reference)
    steps = _checks.count("steps", steps, minimum=2)
    for name, start, alpha in CASES:
        landscape = landscapes.get(name)
        mine = _first_positions(student, landscape, start, alpha, steps, hyperparameters)
        if isinstance(mine, Verdict):
            return mine
        walk = run(make_reference(landscape, start, alpha, **hyperparameters), max_steps=steps - 1)
        expected = walk.w
        close = np.isclose(mine, expected, rtol=1e-9, atol=1e-12).all(axis=1)
        if not close.all():
            index = int(np.argmin(close))
            return _wrong(f"on {name} from {list(start)} with alpha={alpha}: "
                          + _diagnose(mine, expected, landscape, alpha, index))
    tried = ", ".join(name for name, _, _ in CASES)
    return _right(f"your {reference.replace('_', ' ')} matches gdviz's for {steps} steps on {tried}.")


def check_gradient_descent(student, steps=20):
    """Check a student's vanilla gradient descent generator; see `check_optimizer`."""
    return check_optimizer(student, "gradient_descent", steps)


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
            estimate = np.asarray(student(landscape, w.copy(), 1e-5), dtype=float)
        except Exception as error:
            return _wrong(f"on {name} your function raised {type(error).__name__}: {error}")
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
            return _wrong(f"on {name} at {w.tolist()} you got {np.round(estimate, 6).tolist()}, the "
                          f"analytic gradient is {np.round(exact, 6).tolist()}{hint}")
    return _right("your centred differences agree with the analytic gradients to better than 1e-6.")


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


def check_updates(answer, landscape, alpha, start=None, **conditions):
    """How many updates does gradient descent make before `gdviz.run` stops it?"""
    land = landscapes.get(landscape)
    walk = run(optimizers.gradient_descent(land, land.start if start is None else start, alpha),
               **conditions)
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == walk.n_updates:
        plural = "" if walk.n_updates == 1 else "s"
        return _right(f"{walk.n_updates} update{plural}, stopped by {walk.stop_reason!r} "
                      f"at loss {walk.loss[-1]:.3g}.")
    return _wrong(f"{answer} is not it; run the walk and look at trajectory.n_updates")


def check_stop_reason(answer, landscape, start=None, alpha=0.1, **conditions):
    """Which stop condition fires first? Checked by running `gdviz.run` with `conditions`."""
    land = landscapes.get(landscape)
    start = land.start if start is None else start
    walk = run(optimizers.gradient_descent(land, start, alpha), **conditions)
    if _unanswered(answer):
        return _wrong(f"replace the ... with one of {', '.join(map(repr, STOP_REASONS))}")
    if answer not in STOP_REASONS:
        return _wrong(f"{answer!r} is not a stop reason; choose from {', '.join(map(repr, STOP_REASONS))}")
    if answer == walk.stop_reason:
        return _right(f"the walk stopped by {walk.stop_reason!r} after {walk.n_updates} updates, "
                      f"at loss {walk.loss[-1]:.3g}.")
    return _wrong(f"not {answer!r}; think about which threshold the walk crosses first "
                  "(the loss and the gradient shrink at different rates)")
