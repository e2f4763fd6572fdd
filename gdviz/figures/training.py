"""Training in the open (08): the post's loop and its decision line, and what feature scaling does to the
(w, b) landscape, drawn."""

import numpy as np
from plotly.subplots import make_subplots

from .. import linear
from ..experiments.training import ScalingResult
from . import theme
from .data import class_traces, data_axes, data_box
from .style import make_trace
from .walks import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["scaling_figure", "training_figure"]


def scaling_figure(result):
    """One data set coded two ways: the unscaled feature's ravine, the standardised feature's bowl.

    `result` is what `experiments.feature_scaling` returns. Left and middle:
    the cross-entropy over (w, b) for each coding, with equal units on both
    axes so that the shape is true, and plain descent at its best rate from
    the same classifier. Right: the loss above the minimum per step (log
    scale; rounding can put it a hair below zero, drawn at the floor) with
    the tolerance that counts as settled.
    """
    if not isinstance(result, ScalingResult):
        raise TypeError(f"result must be the ScalingResult that experiments.feature_scaling() returns, "
                        f"got {result!r}")
    codings = {"unscaled": result.unscaled, "standardised": result.standardised}
    titles = [f"{coding.label}<br>k = {coding.condition_start:.0f} at the start,<br>"
              f"{coding.condition_minimum:.0f} at the minimum" for coding in codings.values()]
    curves_title = "loss above the minimum,<br>per step"
    # On a projector three panels in a row leave each too narrow: the maps above, the curves below.
    stacked = theme.presenting()
    if stacked:
        figure = make_subplots(rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]], vertical_spacing=0.2,
                               horizontal_spacing=0.14, subplot_titles=titles + [curves_title])
    else:
        figure = make_subplots(rows=1, cols=3, column_widths=[0.34, 0.34, 0.32], horizontal_spacing=0.09,
                               subplot_titles=titles + [curves_title])
    curves = (2, 1) if stacked else (1, 3)
    for column, (name, coding) in enumerate(codings.items(), start=1):
        landscape, walk = coding.landscape, coding.walk
        figure.add_trace(contour_trace(landscape, 70, role=f"map {name}"), row=1, col=column)
        label = f"{name}, alpha = {coding.best_alpha:g}"
        figure.add_trace(path_trace(walk, label, column - 1).update(meta=f"path {name}"), row=1, col=column)
        figure.add_trace(make_trace(f"minimum {name}", x=landscape.minima[:, 0], y=landscape.minima[:, 1],
                                    showlegend=column == 1), row=1, col=column)
        figure.add_trace(make_trace(f"start {name}", x=[coding.start[0]], y=[coding.start[1]],
                                    showlegend=column == 1), row=1, col=column)
        frame_axes(figure, landscape, 1, column)
        gap = walk.loss - coding.minimum_loss
        figure.add_trace(curve_trace(walk.t, gap, label, column - 1, log_y=True, role=f"curve {name}"),
                         row=curves[0], col=curves[1])
    figure.add_trace(make_trace("threshold tolerance", x=[0, result.budget], y=[result.tolerance] * 2,
                                name=f"settled: within {result.tolerance:g}",
                                line={"color": theme.INK}, showlegend=True), row=curves[0], col=curves[1])
    figure.update_xaxes(title_text="step", row=curves[0], col=curves[1])
    figure.update_yaxes(type="log", title_text="loss above its minimum", exponentformat="power",
                        row=curves[0], col=curves[1])
    figure.update_annotations(font_size=13)
    title = (f"A feature multiplied by {result.factor:g} against the same feature standardised: "
             "plain descent at its best rate")
    # The legend in rows at the foot of the figure, below the axis titles whatever the text size.
    figure.update_layout(theme.base_layout(title, 900 if stacked else 560, 1150),
                         legend={"orientation": "h", "x": 0.0, "xanchor": "left", "yref": "container", "y": 0,
                                 "yanchor": "bottom"},
                         margin={"b": 160})
    return theme.finish(figure)


def training_figure(result):
    """The post's experiment: the data with the learned decision line (left), loss per epoch (right).

    `result` is a `classifier.TrainingResult` of a two-class, two-feature
    model. The right panel shows the log loss that training minimised and the
    mean squared error of sigmoid(score), the quantity the post's script printed.
    """
    W = np.asarray(getattr(result, "W", None), dtype=float)
    if W.shape != (2,) or np.asarray(result.X).shape[1] != 2:
        raise ValueError("result must come from training a two-class model on two features")
    box = data_box(result.X)
    figure = make_subplots(rows=1, cols=2, subplot_titles=("decision line after training", "loss per epoch"))
    for trace in class_traces(result.X, result.y, W, result.b):
        figure.add_trace(trace, row=1, col=1)
    line_x, line_y = linear.decision_line(W, result.b, box)
    figure.add_trace(make_trace("decision_line", x=line_x, y=line_y, name="decision line"), row=1, col=1)
    epochs = np.arange(len(result.loss))
    figure.add_trace(make_trace("curve minimised", x=epochs, y=result.loss, showlegend=True,
                                name=f"{result.loss_name} (minimised)", line={"color": theme.PALETTE[2]}),
                     row=1, col=2)
    if result.squared_error is not None:
        figure.add_trace(make_trace("curve printed", x=epochs, y=result.squared_error, showlegend=True,
                                    name="squared error (printed by the post)",
                                    line={"color": theme.PALETTE[4], "dash": "dash"}), row=1, col=2)
    data_axes(figure, box)
    figure.update_xaxes(title_text="epoch", row=1, col=2)
    figure.update_yaxes(title_text="mean loss", rangemode="tozero", row=1, col=2)
    title = f"Training accuracy {result.accuracy:.1%} after {result.epochs} epochs"
    figure.update_layout(theme.base_layout(title,
                                           430, 960))
    return theme.finish(figure)
