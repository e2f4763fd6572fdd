"""Maps of a landscape and walks on them, shared by the lesson figures and apps.

Contour maps colour the loss on a log scale, log(1 + L - min L), so that the
Rosenbrock valley and the Rastrigin dimples both show; hovering gives the true
loss. Besides the pieces every lesson's figure is made of (a map, a path, a
loss curve), whole figures of labelled walks: several on one map, their loss
curves, and one walk's path beside its loss (AlphaQuiz's, 06).
"""

import numpy as np
from plotly.subplots import make_subplots

from .. import landscapes
from . import theme
from .style import make_trace

__all__ = ["axis_names", "contour_trace", "loss_curves_figure", "path_trace", "paths_figure", "walk_figure"]


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


def walk_figure(landscape, trajectory=None, height=380, width=880):
    """Chad's path on the map (left) and his loss per step (right, log when every loss is > 0).

    Without a trajectory Chad stands at the landscape's start and the loss panel is empty.
    """
    landscape = landscapes.get(landscape)
    figure = make_subplots(rows=1, cols=2, subplot_titles=("path", "loss per step"))
    figure.add_trace(contour_trace(landscape, 60), row=1, col=1)
    if trajectory is None:
        w, t, loss = landscape.start[None, :], [], []
    else:
        w, t, loss = trajectory.w, trajectory.t, trajectory.loss
    log_y = trajectory is None or theme.log_axis_fits(loss)
    figure.add_trace(make_trace("path Chad", x=w[:, 0], y=w[:, 1], name="Chad", line={"color": theme.CHAD},
                                marker={"size": 6, "color": theme.CHAD}), row=1, col=1)
    figure.add_trace(make_trace("curve loss", x=t, y=theme.on_log_axis(loss) if log_y else loss, name="loss",
                                mode="lines+markers", line={"color": theme.colour(0)}), row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log" if log_y else "linear", title_text="loss", exponentformat="power",
                        row=1, col=2)
    figure.update_layout(theme.base_layout(None, height, width), showlegend=False, margin={"t": 40, "b": 40})
    return theme.finish(figure)
