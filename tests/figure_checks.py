"""Checks shared by the figure and app tests."""

import numpy as np
import plotly.graph_objects as go


def numbers(tree):
    """Every number in a JSON-like tree (plotly's to_plotly_json), arrays flattened."""
    if isinstance(tree, dict):
        for value in tree.values():
            yield from numbers(value)
    elif isinstance(tree, (list, tuple)):
        for value in tree:
            yield from numbers(value)
    elif isinstance(tree, np.ndarray):
        if tree.dtype.kind in "fiu":
            yield from tree.ravel().tolist()
        else:
            yield from numbers(tree.tolist())
    elif isinstance(tree, (int, float, np.floating, np.integer)) and not isinstance(tree, bool):
        yield float(tree)


def all_finite(figure):
    """No NaN or infinity anywhere in the figure: data, layout, frames."""
    return all(np.isfinite(value) for value in numbers(figure.to_plotly_json()))


def figure_widgets(app):
    """Every FigureWidget inside an app's widget tree."""
    found, stack = [], [app]
    while stack:
        widget = stack.pop()
        if isinstance(widget, go.FigureWidget):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found
