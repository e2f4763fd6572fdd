"""Beyond quadratics (07): the descent lemma against real steps, convex against strongly convex rates,
and the partial sums of the learning-rate schedules."""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.smoothness import DescentLemma, DescentWalk, RateComparison, ScheduleSums
from . import theme
from .style import make_trace
from .walks import contour_trace, frame_axes

__all__ = ["descent_lemma_figure", "descent_walk_figure", "rates_figure", "schedule_sums_figure"]

_DROP = "drop in loss / ‖g‖²"


def _legend_below(y=-0.2):
    """A horizontal legend under the panels, out of the curves' way."""
    return {"orientation": "h", "x": 0.0, "y": y, "yanchor": "top"}


def _mark_one_and_two(figure, row, col):
    """Dashed lines at alpha L = 1 (the largest guarantee) and 2 (none beyond), on a log axis of alpha L."""
    for value, words in ((1.0, "1/L: most guaranteed"), (2.0, "2/L: none beyond")):
        figure.add_vline(x=value, line={"dash": "dash", "color": "grey"}, row=row, col=col)
        # On a log axis an annotation's x is given as log10 of the value.
        figure.add_annotation(x=np.log10(value), y=0.0, yref="y domain", text=words, textangle=-90,
                              showarrow=False, xanchor="right", yanchor="bottom", font={"size": 11},
                              row=row, col=col)


def descent_lemma_figure(lemma):
    """The guarantee against the worst real step, over alpha (left); the loss of a few walks (right).

    `lemma` is what `experiments.descent_lemma` returns. Left: the descent
    lemma's guaranteed drop per ||g||^2, alpha (1 - alpha L / 2), a parabola
    in alpha with its top at 1/L and zero at 2/L, and the smallest drop per
    ||g||^2 of any step from any start (below zero: some step rose); the y
    axis is cut where the parabola dives off. Right: the loss above the
    minimum per step for the walks the lemma kept, the steps that rose marked.
    """
    lemma = _checks.result("lemma", lemma, DescentLemma, "experiments.descent_lemma")
    high = lemma.smoothness
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=(
        f"each step's drop, from {len(lemma.starts)} starts", f"the loss of {len(lemma.walks)} walks"))
    fine = np.geomspace(lemma.multiples[0], lemma.multiples[-1], 200)
    promise = fine / high * (1 - fine / 2)
    figure.add_trace(make_trace("curve guarantee", x=fine, y=promise, name="guaranteed: α (1 - αL/2)",
                                line={"color": theme.INK, "dash": "dash"}), row=1, col=1)
    figure.add_trace(make_trace("curve worst", x=lemma.multiples, y=lemma.worst, mode="lines+markers",
                                name="smallest real drop", line={"color": theme.colour(0)},
                                marker={"size": 5}), row=1, col=1)
    top = max(float(np.max(lemma.worst)), float(np.max(promise)))
    figure.update_yaxes(range=[-1.3 * top, 1.15 * top], title_text=_DROP, row=1, col=1)
    figure.update_xaxes(type="log", title_text="α L (the rate in units of 1/L)", row=1, col=1)
    _mark_one_and_two(figure, 1, 1)
    floor = float(lemma.landscape(lemma.landscape.minima[0]))
    for index, (label, walk) in enumerate(lemma.walks.items()):
        trajectory = walk.trajectory
        above = theme.on_log_axis(trajectory.loss - floor)
        figure.add_trace(make_trace(f"curve {label}", x=trajectory.t, y=above, name=f"α = {label}",
                                    line={"color": theme.colour(index + 1)}), row=1, col=2)
        rose = walk.rises + 1  # update t rose into point t + 1
        figure.add_trace(make_trace(f"examples rose {label}", x=rose, y=above[rose], name="a step that rose",
                                    showlegend=index == len(lemma.walks) - 1 or bool(len(rose)),
                                    marker={"symbol": "x", "size": 8, "color": theme.TRAIL}), row=1, col=2)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log", title_text="loss - minimum loss", exponentformat="power", row=1, col=2)
    figure.update_annotations(font_size=12)
    title = f"The descent lemma on {lemma.landscape.name} (L = {high:.3g})"
    figure.update_layout(theme.base_layout(title, 460, 1060), legend=_legend_below(), margin={"b": 110})
    return theme.finish(figure)


def descent_walk_figure(walk):
    """One walk on the map (left) and each step's drop per ||g||^2 beside the guarantee (right).

    `walk` is what `experiments.descent_walk` returns. The guarantee per
    ||g||^2, alpha (1 - alpha L / 2), is the same for every step: a dashed
    line, negative beyond 2/L. A marker below zero is a step that rose.
    """
    walk = _checks.result("walk", walk, DescentWalk, "experiments.descent_walk")
    landscape, trajectory = walk.landscape, walk.trajectory
    figure = make_subplots(rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.1,
                           subplot_titles=("Chad's path", "each step's drop against the guarantee"))
    figure.add_trace(contour_trace(landscape, 60), row=1, col=1)
    figure.add_trace(make_trace("path Chad", x=trajectory.w[:, 0], y=trajectory.w[:, 1], name="Chad",
                                line={"color": theme.CHAD}, marker={"size": 5, "color": theme.CHAD}),
                     row=1, col=1)
    frame_axes(figure, landscape, 1, 1)
    steps = trajectory.t[:-1]
    figure.add_trace(make_trace("curve actual", x=steps, y=walk.per_gradient, mode="markers",
                                name="real drop", marker={"size": 6, "color": theme.colour(0)}), row=1, col=2)
    ends = [0, max(int(steps[-1]) if len(steps) else 0, 1)]
    promise = walk.guarantee_per_gradient
    figure.add_trace(make_trace("threshold guarantee", x=ends, y=[promise] * 2,
                                name=f"guaranteed: α (1 - αL/2) = {promise:.3g}", line={"color": theme.INK}),
                     row=1, col=2)
    # Zero is always in view (below it, the loss rose); a guarantee far below every real drop is cut off.
    drops = walk.per_gradient[np.isfinite(walk.per_gradient)]
    top = max(float(drops.max()) if len(drops) else 0.0, promise, 0.0)
    bottom = min(float(drops.min()) if len(drops) else 0.0, max(promise, -1.3 * top), 0.0)
    span = max(top - bottom, 1e-12)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(title_text=_DROP, zeroline=True, zerolinewidth=2,
                        range=[bottom - 0.08 * span, top + 0.08 * span], row=1, col=2)
    figure.update_annotations(font_size=12)
    title = f"α = {walk.alpha:.3g} = {walk.multiple:.3g}/L on {landscape.name}"
    figure.update_layout(theme.base_layout(title, 440, 980), legend=_legend_below(-0.25), margin={"b": 100})
    return theme.finish(figure)


def rates_figure(rates):
    """The loss gap of the convex and the strongly convex run, with their bounds: log-log and semilog.

    `rates` is what `experiments.convergence_rates` returns. On log-log axes
    (left) a gap falling like 1/t is a straight line of slope -1; on a log y
    axis against t (right, over the strongly convex run's steps) a gap falling
    by a fixed factor per step is a straight line. Bounds are dashed.
    """
    rates = _checks.result("rates", rates, RateComparison, "experiments.convergence_rates")
    titles = ("log-log: 1/t is a straight line", "semilog: e^(-ct) is a straight line")
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.1, subplot_titles=titles)
    for index, (kind, run) in enumerate(rates.items()):
        t = run.trajectory.t
        rate = f"slope {run.slope:.2f}" if kind == "convex" else f"× {run.factor:.4f} per step"
        name = f"{kind}: {run.landscape.name} ({rate})"
        for col in (1, 2):
            shown = t >= 1 if col == 1 else t <= rates["strongly convex"].trajectory.t[-1]
            colour = {"color": theme.colour(index)}
            figure.add_trace(make_trace(f"curve gap {kind} {col}", x=t[shown],
                                        y=theme.on_log_axis(run.gap[shown]), name=name, legendgroup=kind,
                                        showlegend=col == 1, line=colour), row=1, col=col)
            bounded = shown & np.isfinite(run.bound)
            figure.add_trace(make_trace(f"threshold bound {kind} {col}", x=t[bounded], y=run.bound[bounded],
                                        name=f"{kind}: the theory's bound", legendgroup=kind,
                                        showlegend=col == 1, line=colour), row=1, col=col)
    figure.update_xaxes(type="log", title_text="step t", exponentformat="power", row=1, col=1)
    figure.update_xaxes(title_text="step t", row=1, col=2)
    figure.update_yaxes(type="log", title_text="loss gap L(w_t) - inf L", exponentformat="power")
    figure.update_annotations(font_size=12)
    title = f"Convex against strongly convex, α = {rates.multiple:g}/L on each"
    figure.update_layout(theme.base_layout(title, 470, 1060), legend=_legend_below(), margin={"b": 120})
    return theme.finish(figure)


def schedule_sums_figure(sums):
    """Running sums of alpha_t (left) and alpha_t^2 (right) against the number of updates, log-log.

    `sums` is what `experiments.schedule_sums` returns. A finite whole sum,
    from theory, is a dashed line the running sum approaches; a sum without
    end keeps climbing.
    """
    sums = _checks.result("sums", sums, ScheduleSums, "experiments.schedule_sums")
    figure = make_subplots(rows=1, cols=2, horizontal_spacing=0.1,
                           subplot_titles=("Σ α_t: must grow without end", "Σ α_t²: must stay finite"))
    count = len(next(iter(sums.values())).running_steps)
    where = np.unique(np.geomspace(1, count, 120).astype(int))  # every T on a log axis, lightly
    for index, (name, partial) in enumerate(sums.items()):
        for col, (running, limit) in enumerate(((partial.running_steps, partial.steps_limit),
                                                (partial.running_squares, partial.squares_limit)), start=1):
            figure.add_trace(make_trace(f"curve {name} {col}", x=where, y=running[where - 1], name=name,
                                        legendgroup=name, showlegend=col == 1,
                                        line={"color": theme.colour(index)}), row=1, col=col)
            if np.isfinite(limit):
                figure.add_trace(make_trace(f"threshold {name} {col}", x=[1, count], y=[limit, limit],
                                            name=f"{name}: whole sum {limit:.4g}", legendgroup=name,
                                            line={"color": theme.colour(index)}), row=1, col=col)
    figure.update_xaxes(type="log", title_text="updates T", exponentformat="power")
    figure.update_yaxes(type="log", exponentformat="power")
    figure.update_yaxes(title_text="sum of α_t over t < T", row=1, col=1)
    figure.update_yaxes(title_text="sum of α_t² over t < T", row=1, col=2)
    figure.update_annotations(font_size=12)
    title = "The step-size conditions, for the schedules of notebook 09"
    figure.update_layout(theme.base_layout(title, 440, 1000), legend=_legend_below(-0.22), margin={"b": 110})
    return theme.finish(figure)
