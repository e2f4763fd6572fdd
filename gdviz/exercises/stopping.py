"""Exercises on the descent loop and its stop conditions (04): write the optimizer as a generator, predict
a walk's updates and which condition stops it. `check_optimizer` also checks the momentum of 10, and
`check_updates` the start of 00."""

import itertools

import numpy as np

from .. import _checks, landscapes, optimizers
from ..run import STOP_REASONS, run
from ._verdict import Verdict, _number, _real_array, _right, _unanswered, _wrong

__all__ = ["CASES", "MISTAKES", "check_gradient_descent", "check_optimizer", "check_stop_reason",
           "check_updates"]

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
    w = _real_array(getattr(item, "w", item))  # a copy, in case the student moves w in place
    return w if w is not None and w.shape == (2,) else None


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


# ---------------------------------------------------------------- mistakes, as walks
#
# Each named mistake is written out as the generator a student would write, so
# the checker can recognise it by walking it beside the student's: when the
# student's positions match a mistake's, its hint is given. Every hint here is
# tested against its mistake in tests/test_exercises.py.


def _descent_uphill(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w + alpha * landscape.grad(w)


def _descent_without_alpha(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w - landscape.grad(w)


def _momentum_step_before_velocity(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        grad = landscape.grad(w)
        w = w - alpha * velocity  # the old velocity: this step ignores the gradient just read
        velocity = beta * velocity + grad


def _momentum_averaged(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + (1 - beta) * landscape.grad(w)
        w = w - alpha * velocity


def _momentum_plain_step(landscape, start, alpha, beta=0.9):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w - alpha * landscape.grad(w)  # the velocity is never used


def _momentum_uphill(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + landscape.grad(w)
        w = w + alpha * velocity


def _momentum_nesterov(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        grad = landscape.grad(w)
        velocity = beta * velocity + grad
        w = w - alpha * (grad + beta * velocity)


def _momentum_without_beta(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = velocity + landscape.grad(w)
        w = w - alpha * velocity


def _momentum_without_alpha(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + landscape.grad(w)
        w = w - velocity


MISTAKES = {
    "gradient_descent": (
        (_descent_uphill, "Chad went uphill: the gradient points uphill, so subtract alpha * grad"),
        (_descent_without_alpha, "the move was the whole gradient: multiply it by alpha"),
    ),
    "momentum": (
        (_momentum_step_before_velocity,
         "w moved with the old velocity, before the new gradient was added to it (so the first move was "
         "zero): update the velocity first, v = beta * v + grad, then step w = w - alpha * v"),
        (_momentum_averaged,
         "your velocity is an average, v = beta * v + (1 - beta) * grad; torch's momentum, and gdviz's, "
         "adds the whole gradient, v = beta * v + grad, so on a steady slope its steps grow to "
         "1 / (1 - beta) times plain descent's"),
        (_momentum_plain_step,
         "this is plain descent: w moved by -alpha * grad; momentum moves by -alpha * v, the velocity "
         "v = beta * v + grad"),
        (_momentum_uphill, "Chad went uphill: the velocity points uphill like the gradients it sums, so "
                           "subtract alpha * v"),
        (_momentum_nesterov, "this is Nesterov's look-ahead step, w = w - alpha * (grad + beta * v); "
                             "heavy-ball momentum steps along the velocity alone, w = w - alpha * v"),
        (_momentum_without_beta, "the velocity never forgets: v = v + grad sums every gradient ever met; "
                                 "shrink the old velocity first, v = beta * v + grad"),
        (_momentum_without_alpha, "the move was the whole velocity: scale it by the learning rate, "
                                  "w = w - alpha * v"),
    ),
}

STUCK = {  # what "Chad never moved" most likely means, per optimizer
    "gradient_descent": "Chad never moved: update w before the next yield, w = w - alpha * grad",
    "momentum": ("Chad never moved: add the gradient at w to the velocity (v = beta * v + grad) and step "
                 "w along it (w = w - alpha * v) before the next yield"),
}


def _same_walk(mine, other):
    return other.shape == mine.shape and np.allclose(mine, other, rtol=1e-9, atol=1e-12, equal_nan=True)


def _diagnose(mine, reference, reference_name, case, hyperparameters):
    """A hint for a walk `mine` that leaves the reference walk; `case` is (landscape, start, alpha)."""
    landscape, start, alpha = case
    if _same_walk(mine[:-1], reference[1:]):  # mine[k] is the reference's point k + 1
        return "you yield after moving: yield the start first, then move"
    if not np.allclose(mine[0], reference[0], rtol=1e-9, atol=1e-12):
        return (f"the first yield should be the start {reference[0].tolist()}, before any move; "
                f"yours was {mine[0].tolist()}")
    if np.allclose(mine, mine[0], rtol=1e-9, atol=1e-12):
        return STUCK.get(reference_name, "Chad never moved: update w before the next yield")
    for mistake, hint in MISTAKES.get(reference_name, ()):
        walk = _first_positions(mistake, landscape, start, alpha, len(mine), hyperparameters)
        if not isinstance(walk, Verdict) and _same_walk(mine, walk):
            return hint
    index = int(np.argmin(np.isclose(mine, reference, rtol=1e-9, atol=1e-12).all(axis=1)))
    if np.allclose(mine[index], mine[index - 1], rtol=1e-9, atol=1e-12):
        return f"Chad did not move at step {index}: update w before the next yield"
    return (f"at step {index} Chad is at {np.round(mine[index], 6).tolist()}, the reference at "
            f"{np.round(reference[index], 6).tolist()}")


def check_optimizer(student, reference="gradient_descent", steps=20, **hyperparameters):
    """Run the student's optimizer generator against gdviz's on a few landscapes.

    `student(landscape, start, alpha, **hyperparameters)` must yield Chad's
    position at every step (or a `Step`), the start first, forever. Its first
    `steps` positions are compared with `gdviz.optimizers.<reference>` on the
    landscapes of `CASES` (relative tolerance 1e-9). A walk that differs is
    compared with the mistakes of `MISTAKES[reference]`, each written out as a
    walk, and gets the hint of the one it matches.
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
        expected = run(make_reference(landscape, start, alpha, **hyperparameters), max_steps=steps - 1).w
        if not _same_walk(mine, expected):
            hint = _diagnose(mine, expected, reference, (landscape, start, alpha), hyperparameters)
            return _wrong(f"on {name} from {list(start)} with alpha={alpha}: {hint}")
    tried = ", ".join(name for name, _, _ in CASES)
    return _right(f"your {reference.replace('_', ' ')} matches gdviz's for {steps} steps on {tried}.")


def check_gradient_descent(student, steps=20):
    """Check a student's vanilla gradient descent generator; see `check_optimizer`."""
    return check_optimizer(student, "gradient_descent", steps)


def _round_bowl_factor(landscape, alpha):
    """|1 - alpha lambda| on a quadratic with one curvature lambda in every direction, else None.

    There every step multiplies Chad's distance to the minimum, and the
    gradient, by this factor, and the loss above its minimum by its square.
    """
    hessian = getattr(landscape, "hessian", None)
    if hessian is None:
        return None
    low, high = np.linalg.eigvalsh(hessian)
    return abs(1.0 - alpha * high) if np.isclose(low, high) else None


def _first_count(first, factor, threshold):
    """The first k with first * factor**k <= threshold, for 0 < factor < 1 (None when there is none)."""
    if first <= threshold:
        return 0
    if not 0 < factor < 1 or threshold <= 0:
        return None
    k = int(np.ceil(np.log(threshold / first) / np.log(factor)))
    while first * factor**k > threshold:  # guard the logarithms' rounding
        k += 1
    while k > 0 and first * factor ** (k - 1) <= threshold:
        k -= 1
    return k


def _update_slips(landscape, alpha, walk, conditions):
    """{count: hint} for the named mistakes in predicting a walk's number of updates."""
    slips = {walk.n_updates + 1: "that counts the points Chad stood on, the start included; an update is "
                                 "a move, and there is one move fewer",
             walk.n_updates - 1: "one short: after that many steps the stop condition does not hold yet; "
                                 "the walk stops at the first step where it does (round up, not down)"}
    factor = _round_bowl_factor(landscape, alpha)
    if factor is None:
        return slips
    minimum = float(landscape(landscape.minima[0]))
    if walk.stop_reason == "loss_below":
        wrong = _first_count(walk.loss[0] - minimum, factor, conditions["loss_below"] - minimum)
        slips[wrong] = (f"that count shrinks the loss by {factor:g} per step, the factor of Chad's distance; "
                        f"the loss is the square of the distance, so it shrinks by {factor:g}² = "
                        f"{factor**2:g} per step")
    if walk.stop_reason == "grad_below":
        wrong = _first_count(float(np.linalg.norm(walk.grad[0])), factor**2, conditions["grad_below"])
        slips[wrong] = (f"that count shrinks the gradient by {factor**2:g} per step; the gradient of a bowl "
                        f"is proportional to the distance, so it shrinks by {factor:g}, like the distance")
    slips.pop(walk.n_updates, None)
    slips.pop(None, None)
    return slips


def check_updates(answer, landscape, alpha, start=None, **conditions):
    """A predicted number of updates before `gdviz.run` stops plain descent; checked by running it.

    The hints name the usual slips: counting the start as a step, stopping one
    step early and, on a round bowl (one curvature lambda, so each step
    multiplies the distance to the minimum by f = |1 - alpha lambda| and the
    loss by f²), shrinking the loss by f or the gradient by f².
    """
    land = landscapes.get(landscape)
    walk = run(optimizers.gradient_descent(land, land.start if start is None else start, alpha),
               **conditions)
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    value = _number(answer)
    if value == walk.n_updates:
        plural = "" if walk.n_updates == 1 else "s"
        return _right(f"{walk.n_updates} update{plural}, stopped by {walk.stop_reason!r} "
                      f"at loss {walk.loss[-1]:.3g}.")
    if value is None or value != int(value):
        return _wrong(f"the answer should be a whole number of updates, got {answer!r}")
    hint = _update_slips(land, alpha, walk, conditions).get(int(value))
    if hint is not None:
        return _wrong(f"{answer} is not it: {hint}")
    return _wrong(f"{answer} is not it; work out by what factor the stop condition's quantity shrinks "
                  "per step, then the first step at which it is below the threshold")


def check_stop_reason(answer, landscape, start=None, alpha=0.1, **conditions):
    """Which stop condition fires first? Checked by running `gdviz.run` with `conditions`."""
    land = landscapes.get(landscape)
    start = land.start if start is None else start
    walk = run(optimizers.gradient_descent(land, start, alpha), **conditions)
    if _unanswered(answer):
        return _wrong(f"replace the ... with one of {', '.join(map(repr, STOP_REASONS))}")
    if not isinstance(answer, str) or answer not in STOP_REASONS:
        return _wrong(f"{answer!r} is not a stop reason; choose from {', '.join(map(repr, STOP_REASONS))}")
    if answer == walk.stop_reason:
        return _right(f"the walk stopped by {walk.stop_reason!r} after {walk.n_updates} updates, "
                      f"at loss {walk.loss[-1]:.3g}.")
    return _wrong(f"not {answer!r}; think about which threshold the walk crosses first "
                  "(the loss and the gradient shrink at different rates)")
