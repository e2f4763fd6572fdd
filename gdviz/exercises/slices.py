"""Exercises on the loss landscape (02): its dimensions, and the shape of a slice through it."""

from .. import _checks, experiments
from ._verdict import _number, _right, _unanswered, _wrong

__all__ = ["check_parameter_count", "check_slice_shape"]


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
    if not isinstance(answer, str) or answer not in ("up", "down", "flat"):
        return _wrong(f"answer 'up', 'down' or 'flat', got {answer!r}")
    if answer == expected:
        return _right(f"the slice's second derivative there is {curvature:.3g}, so it is {expected}.")
    return _wrong("draw the slice with gdviz.figures.slices_figure and look at its shape at offset 0")
