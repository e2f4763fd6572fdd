"""Maps of a landscape and walks on them, shared by the lesson figures; the gallery and slices (02).

Contour maps colour the loss on a log scale, log(1 + L - min L), so that the
Rosenbrock valley and the Rastrigin dimples both show; hovering gives the true
loss.
"""

import math

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks, landscapes
from ..experiments.sensing import Slices
from . import theme
from .style import make_trace

__all__ = ["axis_names", "contour_trace", "gallery_figure", "loss_curves_figure", "path_trace",
           "paths_figure", "slices_figure"]


def axis_names(landscape):
    """The parameters' names: (w, b) for a classifier's landscape (it carries data), else (w1, w2)."""
    return ("w", "b") if getattr(landscape, "data", None) is not None else ("w1", "w2")


def contour_trace(landscape, n=80, role="map"):
    """A contour of the loss coloured by log(1 + L - min L), hover showing L itself."""
    landscape = landscapes.get(landscape)
    X, Y, Z = landscape.mesh(n)
    first, second = axis_names(landscape)
    return make_trace(role, x=X[0], y=Y[:, 0], z=np.log1p(Z - Z.min()), customdata=Z,
                      hovertemplate=f"{first}=%{{x:.3f}}<br>{second}=%{{y:.3f}}<br>loss=%{{customdata:.4g}}"
                                    "<extra></extra>")


def frame_axes(figure, landscape, row=None, col=None):
    """Fix a map's ranges to the landscape's domain, with equal units on both axes."""
    (xmin, xmax), (ymin, ymax) = landscape.domain
    first, second = axis_names(landscape)
    figure.update_xaxes(range=[xmin, xmax], title_text=first, constrain="domain", row=row, col=col)
    figure.update_yaxes(range=[ymin, ymax], title_text=second, constrain="domain", row=row, col=col)
    # Equal units on both axes, so a round bowl looks round: tie y's scale to this map's x axis.
    x_axis = "x" if row is None else figure.get_subplot(row, col).xaxis.plotly_name.replace("axis", "")
    figure.update_yaxes(scaleanchor=x_axis, scaleratio=1, row=row, col=col)


def path_trace(trajectory, label, index, showlegend=True):
    """A walk on the map, in the index-th colour; its role is "path <label>"."""
    return make_trace(f"path {label}", x=trajectory.w[:, 0], y=trajectory.w[:, 1], name=label,
                      legendgroup=label, showlegend=showlegend, line={"color": theme.colour(index)})


def curve_trace(x, y, label, index, log_y=False, showlegend=False, role=None):
    """A loss curve in the index-th colour; lifted off zero when drawn on a log axis."""
    return make_trace(role or f"curve {label}", x=x, y=theme.on_log_axis(y) if log_y else y, name=label,
                      legendgroup=label, showlegend=showlegend, line={"color": theme.colour(index)})


def gallery_figure(names=None, n=60, columns=3):
    """Contour maps of catalogue landscapes side by side, with minima and default starts.

    Stars mark the known minima, the orange dot the start Chad is dropped at.
    """
    names = landscapes.names() if names is None else list(names)
    if not names:
        raise ValueError("names must list at least one landscape, got an empty list")
    columns = _checks.count("columns", columns, minimum=1)
    chosen = [landscapes.get(name) for name in names]
    rows = math.ceil(len(chosen) / columns)
    figure = make_subplots(rows=rows, cols=columns,
                           subplot_titles=[f"{land.name}: {land.formula}" for land in chosen],
                           horizontal_spacing=0.06, vertical_spacing=0.12)
    for index, land in enumerate(chosen):
        row, col = index // columns + 1, index % columns + 1
        figure.add_trace(contour_trace(land, n, role=f"map {land.name}"), row=row, col=col)
        if len(land.minima):
            figure.add_trace(make_trace(f"minimum {land.name}", x=land.minima[:, 0], y=land.minima[:, 1],
                                        showlegend=index == 0), row=row, col=col)
        figure.add_trace(make_trace(f"start {land.name}", x=[land.start[0]], y=[land.start[1]],
                                    showlegend=index == 0), row=row, col=col)
        frame_axes(figure, land, row, col)
    figure.update_annotations(font_size=11)
    title = "The landscape catalogue (colour: log of the loss above its lowest value)"
    figure.update_layout(theme.base_layout(title, 330 * rows, 330 * columns))
    figure.update_layout(margin={"t": 60, "b": 30})
    return theme.finish(figure)


def slices_figure(slices):
    """Straight-line slices through a landscape: where they run (left), the loss along them (right).

    `slices` is what `experiments.slices` returns: slices t -> L(point + t d)
    for unit directions d. Real landscapes have too many dimensions to draw,
    so figures show slices of them; here the whole landscape is visible
    beside its slices, so one can see what a slice shows and what it hides
    (through a saddle one slice looks like a valley, another like a hill).
    """
    slices = _checks.result("slices", slices, Slices, "experiments.slices")
    landscape, point, offsets, lines = slices.landscape, slices.point, slices.offsets, slices.lines
    figure = make_subplots(rows=1, cols=2, subplot_titles=("where the slices run", "loss along each slice"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    figure.add_trace(make_trace("start", x=[point[0]], y=[point[1]], name="through", marker={"size": 11}),
                     row=1, col=1)
    for index, (unit, points, losses) in enumerate(lines):
        label = f"along ({unit[0]:.2g}, {unit[1]:.2g})"
        figure.add_trace(make_trace(f"path {label}", x=points[:, 0], y=points[:, 1], mode="lines", name=label,
                                    legendgroup=label, line={"color": theme.colour(index), "width": 3}),
                         row=1, col=1)
        figure.add_trace(curve_trace(offsets, losses, label, index), row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="offset t along the slice", row=1, col=2)
    figure.update_yaxes(title_text="loss", row=1, col=2)
    where = np.round(point, 3).tolist()
    figure.update_layout(theme.base_layout(f"Slices of {landscape.name} through {where}", 430, 940))
    return theme.finish(figure)


def _trajectories(trajectories):
    if not hasattr(trajectories, "items") or not trajectories:
        raise TypeError(f"trajectories must be a non-empty dict of label -> Trajectory, got {trajectories!r}")
    return dict(trajectories)


def loss_curves_figure(trajectories, log_y=None, title="Loss per step"):
    """Loss against step for several labelled walks; `trajectories` is {label: Trajectory}.

    The loss axis is logarithmic when every loss is positive (by default) or when `log_y` says so.
    """
    trajectories = _trajectories(trajectories)
    if log_y is None:
        log_y = theme.log_axis_fits(*(walk.loss for walk in trajectories.values()))
    figure = make_subplots(rows=1, cols=1)
    for index, (label, walk) in enumerate(trajectories.items()):
        figure.add_trace(curve_trace(walk.t, walk.loss, f"{label} ({walk.stop_reason})", index, log_y,
                                     showlegend=True))
    figure.update_xaxes(title_text="step")
    figure.update_yaxes(title_text="loss", type="log" if log_y else "linear", exponentformat="power")
    figure.update_layout(theme.base_layout(title, 400, 720))
    return theme.finish(figure)


def paths_figure(landscape, trajectories, title=None):
    """Several labelled walks on one contour map, each ending in a marker."""
    landscape = landscapes.get(landscape)
    trajectories = _trajectories(trajectories)
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(contour_trace(landscape))
    for index, (label, walk) in enumerate(trajectories.items()):
        figure.add_trace(path_trace(walk, label, index))
    frame_axes(figure, landscape)
    figure.update_layout(theme.base_layout(title or f"Paths on {landscape.name}", 520, 620))
    return theme.finish(figure)
