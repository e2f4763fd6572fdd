"""Exercises on scoring with W and b (01): a loss by hand, a line that separates the classes."""

import math

import numpy as np

from .. import _checks, linear
from ._verdict import _read_number, _right, _wrong

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
