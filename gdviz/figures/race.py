"""Methods compared (01, 08): the race of optimizers, and guessing against following the slope."""

import numpy as np
from plotly.subplots import make_subplots

from .. import landscapes
from ..experiments import search
from . import theme
from .maps import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["race_figure", "search_vs_gradient_figure"]


def race_figure(landscape, results, title=None):
    """The race: paths on the map (left) and loss per step (right).

    `results` is what `experiments.race` returns, {name: (alpha, Trajectory)}.
    The loss axis is logarithmic only when every loss is positive (the
    saddle's is not).
    """
    landscape = landscapes.get(landscape)
    if not hasattr(results, "items") or not results:
        raise TypeError(f"results must be the non-empty dict that experiments.race() returns, "
                        f"got {results!r}")
    log_y = theme.log_axis_fits(*(walk.loss for _, walk in results.values()))
    figure = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5],
                           subplot_titles=("paths", "loss per step" + (" (log scale)" if log_y else "")))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    for index, (name, (alpha, walk)) in enumerate(results.items()):
        label = f"{name} α={alpha:.2g}"
        figure.add_trace(path_trace(walk, label, index).update(meta=f"path {name}"), row=1, col=1)
        curve = curve_trace(walk.t, walk.loss, label, index, log_y, role=f"curve {name}")
        figure.add_trace(curve, row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log" if log_y else "linear", title_text="loss", exponentformat="power",
                        row=1, col=2)
    budget = max(walk.n_updates for _, walk in results.values())
    figure.update_layout(theme.base_layout(title or f"The race on {landscape.name}: {budget} steps each",
                                           480, 1000))
    return figure


def search_vs_gradient_figure(objective="bowl", budget=1000, alpha=None, seed=0, scale=1.0,
                              gradient="analytic", curves=None):
    """The three searches' best loss against the number of loss evaluations (log y).

    Pass `curves`, what `experiments.search_vs_gradient` returned, to draw
    them without running again.
    """
    objective = search.objective_of(objective)
    if curves is None:
        curves = search.search_vs_gradient(objective, budget, alpha, seed, scale, gradient)
    elif not hasattr(curves, "items") or not curves:
        raise TypeError(f"curves must be the dict that search_vs_gradient() returns, got {curves!r}")
    figure = make_subplots(rows=1, cols=1)
    for index, (label, curve) in enumerate(curves.items()):
        figure.add_trace(curve_trace(np.arange(1, len(curve) + 1), curve, label, index, log_y=True,
                                     showlegend=True))
    figure.update_xaxes(title_text="evaluations of the loss")
    figure.update_yaxes(type="log", title_text="best loss so far", exponentformat="power")
    name = getattr(objective, "name", type(objective).__name__)
    size = len(search.start_of(objective))
    figure.update_layout(theme.base_layout(f"Guessing against following the slope: {name}, {size} parameters",
                                           420, 760), legend=theme.legend_inside("bottom left"))
    return figure
