"""The gradient drawn (03): arrows of -grad on the contour map, crossing the contours at right angles."""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.sensing import GradientField
from . import theme
from .maps import contour_trace, frame_axes
from .style import make_trace

__all__ = ["arrow_coordinates", "gradient_field_figure"]


def arrow_coordinates(tails, tips):
    """x and y of one trace drawing many arrows: tail, tip, then a gap (None) for each.

    Plotly breaks a line at None, so the arrows are separate; the arrowhead is
    the tip's marker, turned along the segment from its tail.
    """
    tails, tips = np.asarray(tails, dtype=float), np.asarray(tips, dtype=float)
    x = np.full(3 * len(tails), None, dtype=object)
    y = np.full(3 * len(tails), None, dtype=object)
    x[0::3], x[1::3] = tails[:, 0], tips[:, 0]
    y[0::3], y[1::3] = tails[:, 1], tips[:, 1]
    return x, y


def gradient_field_figure(field):
    """Arrows of -grad, the steepest way down, at the centres of an n x n grid over the contour map.

    `field` is what `experiments.gradient_field` returns. Every arrow has the
    same length, 0.6 of a grid cell: the picture shows the direction of
    steepest descent, not how steep it is (hover over a tip for |∇L|). The
    axes have equal units, so a right angle on the map is a right angle in
    the landscape.
    """
    field = _checks.result("field", field, GradientField, "experiments.gradient_field")
    landscape = field.landscape
    tips = field.points + 0.6 * min(field.spacing) * field.downhill
    x, y = arrow_coordinates(field.points, tips)
    steepness = np.linalg.norm(field.grad, axis=-1)
    text = [label for size in steepness for label in ("", f"|∇L| = {size:.3g}", "")]
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(contour_trace(landscape))
    figure.add_trace(make_trace("downhill field", x=x, y=y, name="−∇L: downhill, steepest first",
                                marker={"size": [0, 13, 0] * len(tips)}, line={"width": 2}, text=text,
                                hovertemplate="%{text}<extra></extra>"))
    if len(landscape.minima):
        figure.add_trace(make_trace("minimum", x=landscape.minima[:, 0], y=landscape.minima[:, 1]))
    frame_axes(figure, landscape)
    title = f"−∇L on {landscape.name}: downhill, across the contours"
    figure.update_layout(theme.base_layout(title, 640, 600), legend={"orientation": "h", "x": 0, "y": -0.14})
    return theme.finish(figure)
