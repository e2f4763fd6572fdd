"""Checkers for the exercises at the end of each notebook.

Each checker takes the student's answer (a number, a word or a function),
compares it with something gdviz computes independently (the reference
optimizer, the theory of quadratics, a run of the stop conditions) and
returns a `Verdict`: true or false, with a sentence that says what is right
or, when it is wrong, a hint about where to look. A checker never raises on
a wrong answer or on code that crashes: the crash is the verdict.

    >>> check_divergence_threshold(0.2, "ravine")
    ✔ Right: on ravine L = 10, so descent diverges for alpha > 2/L = 0.2.
"""

import itertools
import math
import numbers
from dataclasses import dataclass

import numpy as np

from . import _checks, experiments, landscapes, linear, optimizers, theory
from .gradients import numeric_gradient
from .run import STOP_REASONS, run


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: `passed` and a sentence for the student."""

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return ("✔ " if self.passed else "✘ ") + self.message


def _right(message):
    return Verdict(True, "Right: " + message)


def _wrong(message):
    return Verdict(False, "Not yet: " + message)


def _number(answer):
    """The answer as a float, or None when it is not a finite real number."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None
    value = float(answer)
    return value if math.isfinite(value) else None


def _unanswered(answer):
    return answer is None or answer is Ellipsis


def _read_number(answer):
    """`(value, None)` for a usable number, else `(None, a verdict that says what to fix)`."""
    if _unanswered(answer):
        return None, _wrong("replace the ... with your number")
    value = _number(answer)
    if value is None:
        return None, _wrong(f"the answer should be a number, got {answer!r}")
    return value, None


# ------------------------------------------------------------------ classifiers

def check_loss_value(answer, loss, X, y, W, b=0.0):
    """A loss computed by hand, against `gdviz.linear.LOSSES[loss]` on the same data (1e-3)."""
    _checks.choice("loss", loss, list(linear.LOSSES))
    expected = float(linear.LOSSES[loss](X, y, W, b).value)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, expected, rel_tol=1e-3, abs_tol=1e-3):
        return _right(f"the {loss} loss is {expected:.4g}.")
    return _wrong(f"{value:g} is not it; write out the scores first, then the loss term for each wrong class")


def check_separating_line(w, b, X, y, max_cross_entropy=0.1):
    """Does w·x + b = 0 classify every example right with a mean cross-entropy below the target?"""
    try:
        w = _checks.point("w", w)
        b = _checks.real("b", b)
    except (TypeError, ValueError) as error:
        return _wrong(str(error))
    loss = float(linear.log_loss(X, y, w, b).value)
    right = linear.accuracy(np.asarray(y), linear.predict(X, w, b))
    if right < 1:
        return _wrong(f"{1 - right:.0%} of the examples are still on the wrong side of the line")
    if loss > max_cross_entropy:
        return _wrong(f"every example is on the right side, but the cross-entropy is {loss:.3f}, above "
                      f"{max_cross_entropy:g}: the model is not yet confident; make w longer")
    return _right(f"all examples on the right side, cross-entropy {loss:.3f}.")


def check_decision_boundary(answer, w, b):
    """The boundary of the 1-D model s = w x + b: the x where s = 0, that is -b / w."""
    w, b = _checks.real("w", w), _checks.real("b", b)
    if w == 0:
        raise ValueError("w must not be 0: with w = 0 every x gets the same score b and there is no boundary")
    expected = -b / w
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, expected, rel_tol=1e-3, abs_tol=1e-6):
        return _right(f"w x + b = 0 at x = -b / w = {expected:.4g}.")
    if math.isclose(value, b / w, rel_tol=1e-3, abs_tol=1e-6):
        return _wrong("check the sign: solve w x + b = 0 for x")
    return _wrong(f"{value:g} is not it; solve w x + b = 0 for x")


# ------------------------------------------------------------------ landscapes

def check_parameter_count(answer, n_features, n_classes):
    """Parameters of a linear classifier: W is (n_classes, n_features), b is (n_classes,)."""
    n_features = _checks.count("n_features", n_features, minimum=1)
    n_classes = _checks.count("n_classes", n_classes, minimum=1)
    expected = n_classes * n_features + n_classes
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == expected:
        return _right(f"{n_classes} x {n_features} weights plus {n_classes} biases: a landscape in "
                      f"{expected} dimensions.")
    if _number(answer) == n_classes * n_features:
        return _wrong("close: each class also has its own bias")
    return _wrong(f"{answer} is not it; count the entries of W and of b")


def check_slice_shape(answer, landscape, point, direction):
    """Does the slice through `point` along `direction` curve "up", "down", or is it "flat"?"""
    curvature = experiments.slice_curvature(landscape, point, direction)
    expected = "up" if curvature > 1e-4 else "down" if curvature < -1e-4 else "flat"
    if _unanswered(answer):
        return _wrong("replace the ... with 'up', 'down' or 'flat'")
    if answer not in ("up", "down", "flat"):
        return _wrong(f"answer 'up', 'down' or 'flat', got {answer!r}")
    if answer == expected:
        return _right(f"the slice's second derivative there is {curvature:.3g}, so it is {expected}.")
    return _wrong("draw the slice with gdviz.figures.slices_figure and look at its shape at offset 0")


# ------------------------------------------------------------------ writing optimizers

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


# ------------------------------------------------------------------ the learning rate

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


# ------------------------------------------------------------------ stop conditions

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


# ------------------------------------------------------------------ momentum

def check_momentum_gain(answer, beta=0.9):
    """On a steady slope, how many times longer do momentum's steps become than plain descent's?"""
    gain = experiments.momentum_gain(beta)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, gain, rel_tol=0.02):
        return _right(f"with beta = {beta:g} the velocity sums 1 + beta + beta² + ... = 1/(1 - beta) "
                      f"= {1 / (1 - beta):g} gradients; the run measured {gain:.4g}.")
    return _wrong("write the velocity after many steps as a sum of gradients and add up the series")


# ------------------------------------------------------------------ minibatches

def check_steps_per_epoch(answer, n_samples, batch_size):
    """Updates in one epoch: ceil(n_samples / batch_size), the last batch being smaller."""
    expected = theory.batches_per_epoch(n_samples, batch_size)
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == expected:
        return _right(f"{n_samples} examples in batches of {batch_size} make {expected} updates per epoch.")
    if _number(answer) == n_samples // batch_size:
        return _wrong("close: the leftover examples still form one last, smaller batch")
    return _wrong(f"{answer} is not it; how many batches of {batch_size} cover {n_samples} examples?")
