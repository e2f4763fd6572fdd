"""Training in the open (06): what feature scaling does to the (w, b) landscape, drawn."""

from plotly.subplots import make_subplots

from ..experiments.training import ScalingResult
from . import theme
from .maps import contour_trace, curve_trace, frame_axes, path_trace
from .style import make_trace

__all__ = ["scaling_figure"]


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
    titles = [f"{coding.label}: k = {coding.condition_start:.0f} at the start, "
              f"{coding.condition_minimum:.0f} at the minimum" for coding in codings.values()]
    figure = make_subplots(rows=1, cols=3, column_widths=[0.34, 0.34, 0.32], horizontal_spacing=0.08,
                           subplot_titles=titles + ["loss above the minimum, per step"])
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
                         row=1, col=3)
    figure.add_trace(make_trace("threshold tolerance", x=[0, result.budget], y=[result.tolerance] * 2,
                                name=f"settled: within {result.tolerance:g}",
                                line={"color": theme.INK}, showlegend=True), row=1, col=3)
    figure.update_xaxes(title_text="step", row=1, col=3)
    figure.update_yaxes(type="log", title_text="loss - minimum loss", exponentformat="power", row=1, col=3)
    figure.update_annotations(font_size=11)
    title = (f"A feature multiplied by {result.factor:g} against the same feature standardised: "
             "plain descent at its best rate")
    figure.update_layout(theme.base_layout(title, 500, 1150),
                         legend={"orientation": "h", "x": 0.0, "y": -0.2, "yanchor": "top"},
                         margin={"b": 110})
    return theme.finish(figure)
