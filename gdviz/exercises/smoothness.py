"""Exercises beyond quadratics (07): L from data, the guaranteed decrease, and the step-size conditions."""

import math
import numbers

import numpy as np

from .. import theory
from ._verdict import _read_number, _real_array, _right, _unanswered, _wrong

__all__ = ["check_guaranteed_decrease", "check_smoothness_constant", "check_step_size_conditions"]

EXAMPLES = (0.0, 1.0, 2.0, 3.0, 4.0)  # the exercise's five examples on a line; their labels play no part


def _with_ones(x):
    x = np.asarray(x, dtype=float)
    return np.column_stack([x, np.ones_like(x)])


def _smoothness_slips(x):
    """(value, hint) for the usual slips in L = largest eigenvalue of X~^T X~ / (4N)."""
    with_ones = _with_ones(x)
    n = len(with_ones)
    eigenvalues = np.linalg.eigvalsh(with_ones.T @ with_ones / (4 * n))
    largest = eigenvalues[-1]
    return (
        (4 * largest,
         "that is 4L: p (1 - p) is at most 1/4, so the Hessian is at most X~^T X~ / (4N); divide by 4"),
        (n * largest,
         f"that is N = {n} times L: the loss is a mean over the examples, so divide X~^T X~ by N"),
        (float(np.mean(np.asarray(x, dtype=float) ** 2)) / 4,
         "that is mean(x^2)/4, the curvature along w alone: the bias b is a parameter too, so append a "
         "column of ones to x and take the largest eigenvalue of the 2 x 2 matrix"),
        (eigenvalues[0], "that is the smallest eigenvalue: L bounds every curvature, so it is the largest"),
        (float(eigenvalues.sum()), "that is the trace, the sum of both eigenvalues: L is the largest alone"),
        (1 / largest, "that is 1/L, the rate with the largest guarantee; the question asks for L"),
        (2 / largest, "that is 2/L, the edge of the guarantee; the question asks for L"),
    )


def check_smoothness_constant(answer, x=EXAMPLES):
    """L for the mean log loss of s = w x + b on the examples x: the largest eigenvalue of X~^T X~ / (4N).

    X~ is x with a column of ones; within 0.1 %. The hints name the usual
    slips: the 1/4 or the 1/N left out, the bias column forgotten, the smallest
    eigenvalue or the trace in place of the largest, 1/L or 2/L.
    """
    expected = theory.log_loss_smoothness(x)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, expected, rel_tol=1e-3):
        return _right(f"L = {expected:.4g}: every curvature of this log loss, anywhere, is at most that, so "
                      f"any alpha below 2/L = {2 / expected:.4g} lowers it at every step.")
    for slip, hint in _smoothness_slips(x):
        if math.isclose(value, slip, rel_tol=1e-3):
            return _wrong(f"{value:g}: {hint}")
    return _wrong(f"{value:g} is not L; form X~ = [x, 1], the 2 x 2 matrix X~^T X~ / (4N), and take its "
                  "largest eigenvalue (np.linalg.eigvalsh)")


# ---------------------------------------------------------------- the guaranteed decrease

# (alpha, L, gradient): below 1/L, exactly 2/L, beyond 2/L (a negative guarantee), and two more.
_CASES = ((0.5, 2.0, (3.0, 4.0)), (1.0, 2.0, (3.0, 4.0)), (1.5, 2.0, (1.0, -2.0)), (0.1, 10.0, (0.5, 0.0)),
          (0.4, 0.625, (-1.0, 1.0)))


def _decrease_slips(alpha, smoothness, grad):
    """(value, hint) for the usual slips in alpha (1 - alpha L / 2) ||g||^2."""
    squared, share = float(grad @ grad), 1 - alpha * smoothness / 2
    return (
        (alpha * (1 - alpha * smoothness) * squared,
         "you used 1 - alpha L; the lemma has 1 - alpha L / 2 (half the curvature times the step squared)"),
        (share * squared, "the alpha in front is missing: a step of alpha g first takes off alpha ||g||^2"),
        (alpha * share * math.sqrt(squared), "use ||g|| squared, g @ g, not ||g||"),
        (-alpha * share * squared,
         "the sign is turned round: return how much the loss drops, L(w) - L(w - alpha g)"),
        (alpha * share * float(np.sum(grad)) ** 2, "square the length of g, g @ g, not the sum of its "
                                                    "entries"),
    )


def _call_guarantee(student, alpha, smoothness, grad):
    """The student's number for one case, or a Verdict saying what went wrong."""
    try:
        returned = student(alpha, smoothness, grad.copy())
    except Exception as error:  # the student's code: report, never raise
        return _wrong(f"your function raised {type(error).__name__}: {error}")
    if returned is None:
        return _wrong("your function returned None: return the guaranteed decrease, one number")
    array = _real_array(returned)
    if array is None:
        return _wrong(f"your function returned {returned!r}; return one real number")
    if array.size != 1:
        if array.shape == grad.shape:
            return _wrong("your function returned one number per component of g: sum them, ||g||^2 = g @ g")
        return _wrong(f"your function returned an array of shape {array.shape}; return one number")
    value = float(array.ravel()[0])
    if not math.isfinite(value):
        return _wrong(f"your function returned {value!r} for alpha = {alpha:g}, L = {smoothness:g}")
    return value


class _NotAsked:
    """The default of a question a checker may leave out; distinct from a student's None."""

    def __repr__(self):
        return "not asked"


_NOT_ASKED = _NotAsked()


def check_guaranteed_decrease(student, best_alpha=_NOT_ASKED, smoothness=4.0):
    """Check `student(alpha, L, grad)` = alpha (1 - alpha L / 2) ||g||^2, and the alpha that makes it largest.

    Tried on five cases, below 1/L, at 2/L (zero) and beyond (negative),
    within 1e-9; the hints name 1 - alpha L for 1 - alpha L / 2, a missing
    alpha, ||g|| unsquared, the sign turned round and per-component answers.
    `best_alpha`, when given, is the rate with the largest guarantee for L =
    `smoothness`: 1/L (2/L guarantees nothing; 1/(2L) half as much as it could).
    """
    if not callable(student):
        return _wrong(f"pass your function itself (no parentheses), got {student!r}")
    for alpha, smoothness_here, entries in _CASES:
        grad = np.array(entries)
        value = _call_guarantee(student, alpha, smoothness_here, grad)
        if not isinstance(value, float):
            return value
        expected = float(theory.guaranteed_decrease(alpha, smoothness_here, grad))
        if math.isclose(value, expected, rel_tol=1e-9, abs_tol=1e-12):
            continue
        for slip, hint in _decrease_slips(alpha, smoothness_here, grad):
            if math.isclose(value, slip, rel_tol=1e-9, abs_tol=1e-12):
                return _wrong(f"for alpha = {alpha:g}, L = {smoothness_here:g}, g = {list(entries)}: {hint}")
        return _wrong(f"for alpha = {alpha:g}, L = {smoothness_here:g}, g = {list(entries)} you returned "
                      f"{value:g}, the guarantee is {expected:g}")
    if best_alpha is _NOT_ASKED:
        return _right("your function gives the descent lemma's guarantee, negative beyond 2/L.")
    return _check_best_alpha(best_alpha, smoothness)


def _check_best_alpha(answer, smoothness):
    """alpha (1 - alpha L / 2) is a parabola in alpha, zero at 0 and 2/L: its top is halfway, at 1/L."""
    value, problem = _read_number(answer)
    done = "your function is right"
    if problem is not None:
        return _wrong(f"{done}; now the best alpha: {problem.message.removeprefix('Not yet: ')}")
    best = 1 / smoothness
    if math.isclose(value, best, rel_tol=1e-3):
        return _right(f"{done}, and alpha = 1/L = {best:g} guarantees the most, ||g||^2 / (2L) per step: the "
                      "parabola alpha (1 - alpha L / 2) is zero at 0 and 2/L, highest halfway.")
    if math.isclose(value, 2 / smoothness, rel_tol=1e-3):
        return _wrong(f"{done}; but at 2/L = {value:g} the guarantee is zero, the parabola's other root: its "
                      "top lies halfway between its roots 0 and 2/L")
    if math.isclose(value, 1 / (2 * smoothness), rel_tol=1e-3):
        return _wrong(f"{done}; {value:g} is 1/(2L), where the guarantee is still rising: set the derivative "
                      "of alpha (1 - alpha L / 2) to zero")
    if math.isclose(value, smoothness, rel_tol=1e-3):
        return _wrong(f"{done}; {value:g} is L itself, a curvature, not a rate")
    return _wrong(f"{done}; the best alpha is not {value:g}: maximise alpha (1 - alpha L / 2) for "
                  f"L = {smoothness:g}")


# ---------------------------------------------------------------- the step-size conditions

_NAMES = {"constant": "constant", "1/t": "1/t", "inverse_time": "1/t", "inverse time": "1/t",
          "step decay": "step decay", "step_decay": "step decay"}


def check_step_size_conditions(both, total, alpha=2.0, step_size=75, gamma=0.5):
    """Which schedule of notebook 09 meets both conditions, and what step decay's rates add up to for ever.

    `both` is "constant", "1/t" or "step decay" (the schedules' names; also
    "inverse_time", "step_decay"): only 1/t has sum alpha_t = infinity and sum
    alpha_t^2 < infinity. `total` is step decay's whole sum alpha s / (1 - gamma)
    (`theory.step_decay_sums`), within 0.1 %; the hints name alpha / (1 - gamma),
    the first block alone, the sum of the squares and infinity.
    """
    if _unanswered(both):
        return _wrong("replace the ... of my_both with one of 'constant', '1/t', 'step decay'")
    if not isinstance(both, str) or both.strip().lower() not in _NAMES:
        return _wrong(f"answer one of 'constant', '1/t', 'step decay' for my_both, got {both!r}")
    chosen = _NAMES[both.strip().lower()]
    if chosen == "constant":
        return _wrong("a constant rate's steps add up without end, but so do their squares, alpha^2 per "
                      "update: the noise they carry never dies out (the jitter of notebook 09)")
    if chosen == "step decay":
        return _wrong("step decay's squares add up to a finite amount, but so do its steps: a geometric "
                      "series. Its steps cover a finite distance, so Chad can stop short of the minimum")
    steps_total, squares_total = theory.step_decay_sums(alpha, step_size, gamma)
    if isinstance(total, numbers.Real) and not isinstance(total, bool) and math.isinf(total):
        return _wrong(f"1/t is right; but step decay's steps do not add up to infinity: each block of "
                      f"{step_size} updates uses {gamma:g} times the rate of the one before, a geometric "
                      "series")
    value, problem = _read_number(total)
    if problem is not None:
        return _wrong(f"1/t is right; now step decay's total: {problem.message.removeprefix('Not yet: ')}")
    if math.isclose(value, steps_total, rel_tol=1e-3):
        return _right(f"only 1/t meets both conditions; step decay's rates add up to alpha s / (1 - gamma) = "
                      f"{steps_total:g} and never more, so Chad's whole journey is at most {steps_total:g} "
                      "times the largest gradient he meets.")
    slips = ((alpha / (1 - gamma),
              f"each rate is used for {step_size} updates, not once: multiply by {step_size}"),
             (alpha * step_size, f"that is the first block of {step_size} updates alone; add the blocks "
                                 f"after it, each {gamma:g} times the one before"),
             (squares_total, "that is the sum of the squares, alpha^2 s / (1 - gamma^2); the question asks "
                             "for the sum of the rates themselves"))
    for slip, hint in slips:
        if math.isclose(value, slip, rel_tol=1e-3):
            return _wrong(f"1/t is right; {value:g}: {hint}")
    return _wrong(f"1/t is right; step decay's total is not {value:g}: {step_size} updates at alpha, then "
                  f"{step_size} at {gamma:g} alpha, and so on, a geometric series")
