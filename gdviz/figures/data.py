"""A two-class data set drawn, shared by the lessons that draw a linear model on it (01, 08).

The box around the data, one scatter per class with misclassified examples open, and axes with equal
units, so that the decision line w·x + b = 0 (`linear.decision_line`) meets w at a right angle.
"""

import numpy as np

from .. import linear
from . import theme
from .style import make_trace

__all__ = ["data_box"]


def data_box(X, margin=0.5):
    """((x1 min, x1 max), (x2 min, x2 max)) around the data, with a margin."""
    X = np.asarray(X, dtype=float)
    return tuple((float(column.min()) - margin, float(column.max()) + margin) for column in X.T)


def class_traces(X, y, w, b):
    """One scatter per class (roles "examples 0", "examples 1"); misclassified examples are open markers."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    right = linear.predict(X, np.asarray(w, dtype=float), b) == y
    traces = []
    for label in (0, 1):
        rows = y == label
        colour = theme.CLASS_COLOURS[label]
        traces.append(make_trace(f"examples {label}", x=X[rows, 0], y=X[rows, 1], name=f"class {label}",
                                 marker={"color": colour, "line": {"color": colour},
                                         "symbol": np.where(right[rows], "circle", "circle-open").tolist()}))
    return traces


def data_axes(figure, box):
    """The first subplot's axes: the box's ranges, x1 and x2, equal units on both."""
    figure.update_xaxes(range=list(box[0]), title_text="x1", row=1, col=1)
    figure.update_yaxes(range=list(box[1]), title_text="x2", scaleanchor="x", scaleratio=1, row=1, col=1)
