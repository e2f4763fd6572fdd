"""Stop conditions (04): a walk of plain descent and the thresholds that may stop it."""

import numpy as np
from plotly.subplots import make_subplots

from .. import landscapes
from . import theme
from .style import make_trace
from .walks import contour_trace, frame_axes

__all__ = ["stop_conditions_figure"]


def stop_conditions_figure(landscape, trajectory, loss_below=None, grad_below=None):
    """A walk and the thresholds that may stop it.

    Left, the path and where it stopped; right, the loss and the gradient's
    length per step, with `loss_below` and `grad_below` (when given) as
    dashed lines in the same colours. Log axis only when every value is > 0.
    """
    landscape = landscapes.get(landscape)
    grad_norm = np.linalg.norm(trajectory.grad, axis=1)
    log_y = theme.log_axis_fits(trajectory.loss)

    def shown(values):
        return theme.on_log_axis(values) if log_y else values

    figure = make_subplots(rows=1, cols=2, subplot_titles=("Chad's path", "per step"))
    figure.add_trace(contour_trace(landscape, 60), row=1, col=1)
    figure.add_trace(make_trace("path Chad", x=trajectory.w[:, 0], y=trajectory.w[:, 1], name="path",
                                line={"color": theme.CHAD}, marker={"size": 4}), row=1, col=1)
    figure.add_trace(make_trace("stop", x=trajectory.w[-1:, 0], y=trajectory.w[-1:, 1]), row=1, col=1)
    ends = [0, max(trajectory.n_updates, 1)]
    for index, (name, values, threshold) in enumerate((("loss", trajectory.loss, loss_below),
                                                       ("|gradient|", grad_norm, grad_below))):
        colour = theme.colour(2 * index)
        figure.add_trace(make_trace(f"curve {name}", x=trajectory.t, y=shown(values), name=name,
                                    line={"color": colour}), row=1, col=2)
        label = "loss_below" if index == 0 else "grad_below"
        line_x, line_y = (ends, [threshold] * 2) if threshold is not None else ([], [])
        figure.add_trace(make_trace(f"threshold {label}", x=line_x, y=line_y, name=label,
                                    line={"color": colour}), row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log" if log_y else "linear", exponentformat="power", row=1, col=2)
    figure.update_layout(theme.base_layout(None, 430, 920), margin={"t": 40, "b": 40},
                         legend={"orientation": "h", "y": -0.2})
    return theme.finish(figure)
