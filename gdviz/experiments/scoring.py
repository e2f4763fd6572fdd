"""A two-class linear model s = w·x + b on two features (01, 06): its losses and its decision line."""

import numpy as np

from .. import _checks, linear

__all__ = ["decision_line", "normal_arrow", "scoring_summary"]


def scoring_summary(X, y, w, b):
    """The model's mean losses and accuracy on data (X, y), labels in {0, 1}.

    "svm" is the mean binary hinge loss max(0, 1 - t s) with t = 2y - 1;
    "cross_entropy" the mean log loss of sigmoid(s); both from `gdviz.linear`.
    """
    w = np.asarray(w, dtype=float)
    return {"svm": float(linear.binary_hinge_loss(X, y, w, b).value),
            "cross_entropy": float(linear.log_loss(X, y, w, b).value),
            "accuracy": linear.accuracy(np.asarray(y), linear.predict(X, w, b))}


def decision_line(w, b, box):
    """Where the line w1 x1 + w2 x2 + b = 0 crosses the box ((x1 min, x1 max), (x2 min, x2 max)).

    Returns ([x1, x1'], [x2, x2']), the two ends of the visible segment, or
    ([], []) when w = 0 (no line) or the line misses the box.
    """
    w1, w2 = _checks.point("w", w)
    b = _checks.real("b", b)
    (x1_low, x1_high), (x2_low, x2_high) = box
    ends = []
    if w2 != 0:
        for x1 in (x1_low, x1_high):
            ends.append((x1, -(w1 * x1 + b) / w2))
    if w1 != 0:
        for x2 in (x2_low, x2_high):
            ends.append((-(w2 * x2 + b) / w1, x2))
    slack = 1e-9 * (1 + max(abs(x1_high - x1_low), abs(x2_high - x2_low)))  # rounding at the corners
    inside = [(x1, x2) for x1, x2 in ends
              if x1_low - slack <= x1 <= x1_high + slack and x2_low - slack <= x2 <= x2_high + slack]
    if len(inside) < 2:
        return [], []
    inside.sort()
    first, last = inside[0], inside[-1]
    return [first[0], last[0]], [first[1], last[1]]


def normal_arrow(w, b, box):
    """A short arrow along w from the middle of the decision line: the side scored positive."""
    xs, ys = decision_line(w, b, box)
    if not xs:
        return [], []
    w = np.asarray(w, dtype=float)
    middle = np.array([np.mean(xs), np.mean(ys)])
    length = 0.15 * min(box[0][1] - box[0][0], box[1][1] - box[1][0])
    tip = middle + length * w / np.linalg.norm(w)
    return [middle[0], tip[0]], [middle[1], tip[1]]
