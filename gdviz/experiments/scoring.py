"""A two-class linear model s = w·x + b on two features (01, 06): its losses and accuracy on data.

Its decision line w·x + b = 0, which the figures draw, is `linear.decision_line`.
"""

from dataclasses import dataclass

import numpy as np

from .. import linear
from ._mapping import MappingResult

__all__ = ["Scoring", "scoring_summary"]


@dataclass(frozen=True, eq=False)
class Scoring(MappingResult):
    """A model (w, b) scored on data (X, y): a mapping {"svm", "cross_entropy", "accuracy": value}.

    `measures` is that dict; X, y, w and b are the data and the model it was measured on.
    """

    ITEMS = "measures"
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    b: float
    measures: dict


def scoring_summary(X, y, w, b):
    """The model's mean losses and accuracy on data (X, y), labels in {0, 1}, as a `Scoring`.

    "svm" is the mean binary hinge loss max(0, 1 - t s) with t = 2y - 1;
    "cross_entropy" the mean log loss of sigmoid(s); both from `gdviz.linear`.
    """
    X, y, w = np.asarray(X, dtype=float), np.asarray(y), np.asarray(w, dtype=float)
    measures = {"svm": float(linear.binary_hinge_loss(X, y, w, b).value),
                "cross_entropy": float(linear.log_loss(X, y, w, b).value),
                "accuracy": linear.accuracy(y, linear.predict(X, w, b))}
    return Scoring(X, y, w, float(b), measures)
