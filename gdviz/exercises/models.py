"""Exercises on models and landscapes (01, 02, 06): losses, lines, counts, slices."""

import math

import numpy as np

from .. import _checks, experiments, linear
from ._verdict import _number, _read_number, _right, _unanswered, _wrong


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

__all__ = [
    "check_decision_boundary", "check_loss_value", "check_parameter_count",
    "check_separating_line", "check_slice_shape"
]


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


def check_parameter_count(answer, n_features, n_classes):
    """Parameters of a linear classifier: W is d x k (n_features x n_classes), b has k entries."""
    n_features = _checks.count("n_features", n_features, minimum=1)
    n_classes = _checks.count("n_classes", n_classes, minimum=1)
    expected = n_classes * n_features + n_classes
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == expected:
        return _right(f"W holds {n_features} x {n_classes} weights, b {n_classes} biases: a landscape in "
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
