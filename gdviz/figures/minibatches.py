"""Minibatches (07): SGD's and full-batch descent's paths, and the loss on all the data."""

from plotly.subplots import make_subplots

from .. import _checks, landscapes
from . import theme
from .maps import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["sgd_figure"]


def sgd_figure(landscape, runs, x="epochs"):
    """Paths on the map of the full-data loss (left) and that loss against epochs or steps (right).

    `runs` is what `experiments.sgd_runs` returns. The loss drawn is always on
    all the data, so the curves compare fairly; on the epoch axis a minibatch
    step counts as 1 / steps_per_epoch of an epoch.
    """
    landscape = landscapes.get(landscape)
    _checks.choice("x", x, ("epochs", "steps"))
    if not hasattr(runs, "items") or not runs:
        raise TypeError(f"runs must be the non-empty dict that sgd_runs() returns, got {runs!r}")
    figure = make_subplots(rows=1, cols=2, subplot_titles=("paths on the loss of all the data",
                                                           f"loss on all the data, per {x[:-1]}"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    for index, (label, (walk, per_epoch)) in enumerate(runs.items()):
        figure.add_trace(path_trace(walk, label, index), row=1, col=1)
        where = walk.t / per_epoch if x == "epochs" else walk.t
        figure.add_trace(curve_trace(where, walk.loss, label, index), row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text=x, row=1, col=2)
    figure.update_yaxes(title_text="loss", row=1, col=2)
    figure.update_layout(theme.base_layout(f"Minibatches on {landscape.name}", 470, 1000))
    return figure
