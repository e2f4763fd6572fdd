"""Minibatches (09): SGD's and full-batch descent's paths, the loss on all the data, noise and schedules."""

from fractions import Fraction

import numpy as np
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.minibatches import BatchNoise, NoiseFloor, Runs, ScheduleComparison
from . import theme
from .style import make_trace
from .walks import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["batch_noise_figure", "noise_floor_figure", "schedules_figure", "sgd_figure"]


def sgd_figure(runs, x="epochs", labels=None, above_minimum=False):
    """Paths on the map of the full-data loss (left) and that loss against epochs or steps (right).

    `runs` is what `experiments.sgd_runs` (or `schedule_runs`, or
    `EpochRace.runs`) returns; `labels`, one per run in order, name them in
    place of their own labels. The loss drawn is always on all the data, so
    the curves compare fairly; on the epoch axis a minibatch step counts as
    1 / steps_per_epoch of an epoch. With `above_minimum` the right panel
    draws the loss minus the minimum loss on a log axis, where the last small
    differences show (a gap of zero or below, rounding, sits at the floor).
    """
    runs = _checks.result("runs", runs, Runs, "experiments.sgd_runs")
    landscape = runs.landscape
    _checks.choice("x", x, ("epochs", "steps"))
    if not runs:
        raise ValueError("runs must hold at least one run, got none")
    if above_minimum and not len(landscape.minima):
        raise ValueError(f"above_minimum needs a landscape with a known minimum, got {landscape.name!r}")
    floor = float(landscape(landscape.minima[0])) if above_minimum else 0.0
    walks = dict(runs.items()) if labels is None else dict(zip(labels, runs.values(), strict=True))
    measure = "loss above the minimum" if above_minimum else "loss on all the data"
    figure = make_subplots(rows=1, cols=2, subplot_titles=("paths on the loss of all the data",
                                                           f"{measure}, per {x[:-1]}"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    for index, (label, (walk, per_epoch)) in enumerate(walks.items()):
        figure.add_trace(path_trace(walk, label, index), row=1, col=1)
        where = walk.t / per_epoch if x == "epochs" else walk.t
        figure.add_trace(curve_trace(where, walk.loss - floor, label, index, log_y=above_minimum),
                         row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text=x, row=1, col=2)
    if above_minimum:
        figure.update_yaxes(type="log", title_text="loss - minimum loss", exponentformat="power", row=1,
                            col=2)
    else:
        figure.update_yaxes(title_text="loss", row=1, col=2)
    figure.update_layout(theme.base_layout(f"Minibatches on {landscape.name}", 470, 1000))
    return theme.finish(figure)


def schedules_figure(comparison):
    """SGD's last epochs near the minimum (left), its loss above the minimum (middle) and alpha_t (right).

    `comparison` is what `experiments.schedule_comparison` returns. The map is
    zoomed on the minimum and shows only the points of the last epochs over
    which the jitter was measured. The middle and right panels are on log
    scales against epochs; a loss a hair below the minimum (rounding) is drawn
    at the floor.
    """
    comparison = _checks.result("comparison", comparison, ScheduleComparison,
                                "experiments.schedule_comparison")
    landscape = comparison.landscape
    tails = {}
    for label, (walk, per_epoch) in comparison.runs.items():
        tails[label] = walk.w[-comparison.last_epochs * per_epoch:]
    minimum = landscape.minima[0]
    reach = max(float(np.max(np.abs(tail - minimum))) for tail in tails.values())
    # The same loss, drawn over a window around its minimum.
    zoomed = landscape.replace(domain=tuple((float(centre - 1.15 * reach), float(centre + 1.15 * reach))
                                            for centre in minimum))
    figure = make_subplots(rows=1, cols=3, column_widths=[0.3, 0.37, 0.33], horizontal_spacing=0.09,
                           subplot_titles=(f"w over the last {comparison.last_epochs} epochs",
                                           "loss above the minimum, per epoch", "learning rate alpha_t"))
    figure.add_trace(contour_trace(zoomed, 60), row=1, col=1)
    for index, (label, (walk, per_epoch)) in enumerate(comparison.runs.items()):
        tail = tails[label]
        figure.add_trace(make_trace(f"path {label}", x=tail[:, 0], y=tail[:, 1], name=label,
                                    legendgroup=label, line={"color": theme.colour(index), "width": 1}),
                         row=1, col=1)
        epochs = walk.t / per_epoch
        figure.add_trace(curve_trace(epochs, walk.loss - comparison.minimum_loss, label, index, log_y=True),
                         row=1, col=2)
        updates = walk.t[:-1]  # update t moves from point t to point t + 1 at rate alpha_t
        rates = [comparison.schedules[label](int(t)) for t in updates]
        figure.add_trace(curve_trace(updates / per_epoch, rates, label, index, role=f"curve alpha_t {label}"),
                         row=1, col=3)
    figure.add_trace(make_trace("minimum", x=[minimum[0]], y=[minimum[1]]), row=1, col=1)  # on top
    frame_axes(figure, zoomed, 1, 1)
    for col in (2, 3):
        figure.update_xaxes(title_text="epochs", row=1, col=col)
    figure.update_yaxes(type="log", title_text="loss - minimum loss", exponentformat="power", row=1, col=2)
    figure.update_yaxes(type="log", title_text="alpha_t", exponentformat="power", dtick=1, row=1, col=3)
    figure.update_annotations(font_size=12)
    figure.update_layout(theme.base_layout(f"Learning-rate schedules: SGD's jitter at the end of training, "
                                           f"on {landscape.name}", 480, 1150),
                         legend={"orientation": "h", "x": 0.0, "y": -0.2, "yanchor": "top"},
                         margin={"b": 100})
    return theme.finish(figure)


def batch_noise_figure(noise):
    """The variance of a batch's gradient against batch size B: measured (with two standard errors) and the
    closed form sigma^2 / B (n - B) / (n - 1), beside sigma^2 / B alone, on log axes.

    `noise` is what `experiments.batch_noise` returns. At B = n the variance is
    zero, which a log axis cannot show: the curves stop at B = n - 1 and the
    measured point there is left out.
    """
    noise = _checks.result("noise", noise, BatchNoise, "experiments.batch_noise")
    n = noise.landscape.data_size
    sizes = np.arange(1, n)
    shown = noise.batch_sizes < n
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(make_trace("curve sigma^2 / B", x=sizes, y=noise.per_example / sizes, name="σ² / B",
                                showlegend=True, line={"color": theme.INK, "dash": "dot"}))
    figure.add_trace(make_trace("curve formula", x=sizes, y=noise.per_example / sizes * (n - sizes) / (n - 1),
                                name="σ² / B · (n − B) / (n − 1)", showlegend=True,
                                line={"color": theme.colour(0)}))
    figure.add_trace(make_trace("readings measured", x=noise.batch_sizes[shown], y=noise.measured[shown],
                                name=f"measured, {noise.draws} batches each",
                                error_y={"type": "data", "array": 2 * noise.standard_error[shown]},
                                marker={"color": theme.colour(1), "size": 9}))
    figure.update_xaxes(type="log", title_text="batch size B")
    figure.update_yaxes(type="log", title_text="variance of the batch gradient", exponentformat="power")
    figure.update_layout(theme.base_layout(f"A batch's gradient at the minimum, {n} examples", 420, 720),
                         legend=theme.legend_inside("bottom left"))
    return theme.finish(figure)


def noise_floor_figure(floor):
    """SGD's noise floor against alpha (left) and against alpha / B (middle), and how fast it is reached
    (right): the loss above the minimum per epoch, with the batches reshuffled, at each alpha / B.

    `floor` is what `experiments.noise_floor` returns. Left and middle: the
    mean floor of each batch size, reshuffled (solid) and drawn independently
    (dashed); the middle panel adds both small-alpha formulas (dotted) for the
    smallest batch. Right: each epoch's mean loss above the minimum, averaged
    over the walks, for the smallest batch (solid) and the largest (dotted), one
    colour per alpha / B. Every axis is logarithmic.
    """
    floor = _checks.result("floor", floor, NoiseFloor, "experiments.noise_floor")
    smallest, largest = floor.batch_sizes[0], floor.batch_sizes[-1]
    figure = make_subplots(rows=1, cols=3, horizontal_spacing=0.08,
                           subplot_titles=("floor against α", "floor against α / B",
                                           f"loss above the minimum per epoch,<br>B = {smallest} (solid), "
                                           f"B = {largest} (dotted)"))
    for index, size in enumerate(floor.batch_sizes):
        for sampling, dash in (("reshuffled", "solid"), ("independent", "dash")):
            label, line = f"B = {size}, {sampling}", {"color": theme.colour(index), "dash": dash}
            for col, x in ((1, floor.alphas[index]), (2, floor.ratios)):
                figure.add_trace(make_trace(f"curve {label} {col}", x=x, y=floor.mean(sampling)[index],
                                            name=label, legendgroup=label, showlegend=col == 1,
                                            mode="lines+markers", line=line), row=1, col=col)
    for sampling in ("reshuffled", "independent"):
        figure.add_trace(make_trace(f"threshold {sampling} formula", x=floor.ratios,
                                    y=floor.predicted[sampling][0], line={"color": theme.INK, "dash": "dot"},
                                    name=f"{sampling}: formula (B = {floor.batch_sizes[0]})"), row=1, col=2)
    colours = sample_colorscale("Viridis", list(np.linspace(0.0, 0.85, len(floor.ratios))))
    epochs, curves = np.arange(1, floor.epochs + 1), floor.mean(of="curves")
    for index, dash in ((0, "solid"), (len(floor.batch_sizes) - 1, "dot")):  # smallest and largest batch
        for j, ratio in enumerate(floor.ratios):
            label = f"α / B = {Fraction(float(ratio)).limit_denominator(1000)}"
            figure.add_trace(make_trace(f"curve {label}, B = {floor.batch_sizes[index]}", x=epochs,
                                        y=theme.on_log_axis(curves[index, j, 1:]), name=label,
                                        legendgroup=label, showlegend=index == 0,
                                        line={"color": colours[j], "dash": dash}), row=1, col=3)
    for col, title in ((1, "α"), (2, "α / B"), (3, "epochs")):
        figure.update_xaxes(type="log", title_text=title, row=1, col=col)
        figure.update_yaxes(type="log", exponentformat="power", row=1, col=col,
                            title_text="mean loss − minimum loss" if col == 1 else None)
    figure.update_annotations(font_size=12)
    # The legend sits at the foot of the figure, in a bottom margin that leaves room for the axis titles.
    figure.update_layout(theme.base_layout(f"SGD's noise floor at constant rates, on {floor.landscape.name}",
                                           560, 1150),
                         legend={"orientation": "h", "x": 0.0, "xref": "container", "y": 0.0,
                                 "yref": "container", "yanchor": "bottom"},
                         margin={"b": 175})
    return theme.finish(figure)
