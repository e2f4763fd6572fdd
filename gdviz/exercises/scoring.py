"""Exercises on scoring with W and b (01): a loss by hand, a line that separates the classes."""

import math

import numpy as np

from .. import _checks, linear
from ._verdict import _number, _read_number, _real_array, _right, _unanswered, _wrong

__all__ = ["check_loss_value", "check_separating_line"]


def check_loss_value(answer, loss, X, y, W, b=0.0):
    """A loss computed by hand, against `gdviz.linear.LOSSES[loss]` on the same data (1e-3)."""
    _checks.choice("loss", loss, list(linear.LOSSES))
    expected = float(linear.LOSSES[loss](X, y, W, b).value)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, expected, rel_tol=1e-3, abs_tol=1e-3):
        return _right(f"the {loss} loss is {expected:.4g}.")
    if loss == "svm" and math.isclose(value, expected + 1, rel_tol=1e-3, abs_tol=1e-3):
        # Each example's own term is max(0, s_y - s_y + 1) = 1: a sum over every class adds exactly 1.
        return _wrong(f"{value:g} is 1 too much: you counted the true class's own term, max(0, s_y - s_y + 1)"
                      " = 1; the sum runs over the wrong classes only")
    return _wrong(f"{value:g} is not it; write out the scores first, then the loss term for each wrong class")


def _origin_line_separates(X, y):
    """Can a line through the origin (b = 0) put every example on its side? Decided exactly, from angles.

    Write each example as t x, with t = +1 for class 1 and -1 for class 0: a w with t (w·x) > 0 for all
    of them exists when these points lie in one open half-plane, that is when their directions leave a
    gap of more than half a turn.
    """
    signed = np.where(np.asarray(y)[:, None] == 1, X, -X)
    if np.any(np.all(signed == 0, axis=1)):
        return False  # an example at the origin scores b = 0 whatever w is
    angles = np.sort(np.arctan2(signed[:, 1], signed[:, 0]))
    gaps = np.diff(np.concatenate([angles, angles[:1] + 2 * np.pi]))
    return bool(gaps.max() > np.pi)


def check_separating_line(w, b, X, y, max_cross_entropy=0.1):
    """Does w·x + b = 0 classify every example right with a mean cross-entropy below the target?

    `w` is two numbers and `b` one, the student's; X (n, 2) and y (labels 0 and 1) the exercise's data.
    Named slip: leaving b at 0 on data that no line through the origin separates.
    """
    if _unanswered(w) or _unanswered(b):
        return _wrong("replace the ... with your w, two numbers (w1, w2), and your b, one number")
    weights = _real_array(w)
    if weights is None or weights.shape != (2,) or not np.all(np.isfinite(weights)):
        return _wrong(f"w should be two finite numbers (w1, w2), as on the sliders; got {w!r}")
    bias = _number(b)
    if bias is None:
        return _wrong(f"b should be one finite number; got {b!r}")
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    loss = float(linear.log_loss(X, y, weights, bias).value)
    right = linear.accuracy(y, linear.predict(X, weights, bias))
    if right < 1:
        wrong_side = f"{1 - right:.0%} of the examples are still on the wrong side of the line"
        if bias == 0 and not _origin_line_separates(X, y):
            return _wrong(f"{wrong_side}, and with b = 0 some always will be: a line with b = 0 passes "
                          "through the origin, and no line through the origin separates these classes. "
                          "Shift it with b")
        return _wrong(wrong_side)
    if loss > max_cross_entropy:
        return _wrong(f"every example is on the right side, but the cross-entropy is {loss:.3f}, above "
                      f"{max_cross_entropy:g}: the model is not yet confident. Multiply w and b by the same "
                      "factor: the line stays where it is and every score grows")
    return _right(f"all examples on the right side, cross-entropy {loss:.3f}.")
