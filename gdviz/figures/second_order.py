"""Second-order steps (12): Newton's walks with their losses, one line search laid out, the search swept."""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.second_order import ArmijoSearch, DampingStudy, NewtonRace, NewtonStops, SearchSweep
from . import theme
from .style import make_trace
from .walks import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["armijo_figure", "newton_walks_figure", "search_sweep_figure"]

_WALK_RESULTS = (NewtonRace, DampingStudy, NewtonStops)


def _shown_landscape(landscape, walks, most=3.0):
    """The landscape with its domain widened to every walk's points, so a Newton step that leaps off the
    map stays in sight; each side grows by at most `most` times the domain's width."""
    (x_low, x_high), (y_low, y_high) = landscape.domain
    points = np.concatenate([walk.w for walk in walks])
    sides = []
    for (low, high), values in (((x_low, x_high), points[:, 0]), ((y_low, y_high), points[:, 1])):
        width, margin = high - low, 0.05 * (high - low)
        sides.append((max(min(low, values.min() - margin), low - most * width),
                      min(max(high, values.max() + margin), high + most * width)))
    if sides == [(x_low, x_high), (y_low, y_high)]:
        return landscape
    return landscape.replace(domain=tuple(sides))


def newton_walks_figure(result, title=None):
    """Walks on the contour map (left) and their loss per step (right, log scale when no loss is < 0).

    `result` is what `experiments.newton_vs_descent`, `damping_study` or
    `newton_stops` returns; its `walks` are drawn, each from the course's
    start, and for `newton_stops` where the walks from all its starts ended,
    named by kind. The map is widened where a walk leaves the landscape's
    domain. The loss axis is logarithmic when no loss is negative and the
    positive ones span two decades; a loss of exactly 0 then sits at its
    bottom (`theme.LOG_FLOOR`). The goal, where the result has one, is dashed.
    """
    if not isinstance(result, _WALK_RESULTS):
        raise TypeError("result must be what experiments.newton_vs_descent(), damping_study() or "
                        f"newton_stops() returns, got {type(result).__name__}")
    walks = result.walks
    shown = _shown_landscape(result.landscape, list(walks.values()))
    losses = [walk.loss for walk in walks.values()]
    log_y = all(np.all(loss >= 0) for loss in losses) and theme.log_axis_fits(
        *(loss[loss > 0] for loss in losses), decades=2)
    figure = make_subplots(rows=1, cols=2, subplot_titles=("paths", "loss per step" + (" (log scale)"
                                                                                         if log_y else "")))
    figure.add_trace(contour_trace(shown, 70), row=1, col=1)
    minima = shown.minima
    if len(minima):
        figure.add_trace(make_trace("minimum", x=minima[:, 0], y=minima[:, 1]), row=1, col=1)
    for index, (label, walk) in enumerate(walks.items()):
        figure.add_trace(path_trace(walk, label, index).update(marker={"size": 6}), row=1, col=1)
        figure.add_trace(curve_trace(walk.t, walk.loss, label, index, log_y, role=f"curve {label}")
                         .update(mode="lines+markers", marker={"size": 5}), row=1, col=2)
    if isinstance(result, NewtonStops):
        _add_ends(figure, result)
    goal = getattr(result, "goal", None)
    if goal is not None:
        last = max(walk.n_updates for walk in walks.values())
        figure.add_trace(make_trace("threshold goal", x=[0, max(last, 1)], y=[goal, goal],
                                    name=f"goal: loss {goal:g}", line={"color": theme.INK}), row=1, col=2)
    frame_axes(figure, shown, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log" if log_y else "linear", title_text="loss", exponentformat="power",
                        row=1, col=2)
    figure.update_layout(theme.base_layout(title or f"Newton on {result.landscape.name}", 460, 980),
                         legend={"orientation": "h", "x": 0.0, "y": -0.22, "yanchor": "top"})
    return theme.finish(figure)


_END_SYMBOLS = {"minimum": "circle", "saddle point": "x", "maximum": "triangle-up"}


def _add_ends(figure, stops):
    """Where the walks from every start ended: one trace per kind of flat spot, its count in the legend."""
    for index, kind in enumerate(_END_SYMBOLS):
        ends = stops.ends[[found == kind for found in stops.kinds]]
        if len(ends):
            marker = {"symbol": _END_SYMBOLS[kind], "color": theme.colour(3 + index),
                      "line": {"color": "white", "width": 1}}
            figure.add_trace(make_trace(f"stop {kind}", x=ends[:, 0], y=ends[:, 1], marker=marker,
                                        name=f"{kind}: {len(ends)} of {len(stops.starts)} walks end here"),
                             row=1, col=1)


def armijo_figure(search):
    """One backtracking search: the loss along -g against the step size t, both on log scales.

    `search` is what `experiments.armijo_search` returns. Drawn: the loss
    L(w - t g) along the ray; the Armijo line L(w) - c t ||g||^2, which an
    accepted step must lie on or under; where it is positive, the slope's own
    promise L(w) - t ||g||^2; and each t tried, in order, rejected (x) or
    accepted (ring).
    """
    search = _checks.result("search", search, ArmijoSearch, "experiments.armijo_search")
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(make_trace("curve along", x=search.step_sizes, y=theme.on_log_axis(search.along),
                                name="loss along -g, L(w − t g)", line={"color": theme.colour(0)}))
    positive = search.armijo > 0
    figure.add_trace(make_trace("threshold armijo", x=search.step_sizes[positive], y=search.armijo[positive],
                                name=f"Armijo line L(w) − c t ‖g‖², c = {search.c:g}",
                                line={"color": theme.INK}))
    hopeful = search.promised > 0
    figure.add_trace(make_trace("threshold promise", x=search.step_sizes[hopeful],
                                y=search.promised[hopeful], name="the slope's promise L(w) − t ‖g‖²",
                                line={"color": theme.colour(2), "dash": "dot"}))
    labels = [f"try {index}" for index in range(1, len(search.tried) + 1)]
    rejected = slice(0, len(search.tried) - 1)
    figure.add_trace(make_trace("stop rejected", x=search.tried[rejected],
                                y=theme.on_log_axis(search.tried_losses[rejected]), name="tried, rejected",
                                mode="markers+text", text=labels[rejected], textposition="top center",
                                marker={"color": theme.TRAIL}))
    figure.add_trace(make_trace("best accepted", x=search.tried[-1:],
                                y=theme.on_log_axis(search.tried_losses[-1:]), text=labels[-1:],
                                name=f"accepted: t = {search.accepted:g}", showlegend=True,
                                marker={"color": theme.colour(2)}))
    figure.update_xaxes(type="log", title_text="step size t", exponentformat="power")
    figure.update_yaxes(type="log", title_text="loss", exponentformat="power")
    w = search.w
    title = (f"One search at w = ({w[0]:.2f}, {w[1]:.2f}) on {search.landscape.name}: {len(search.tried)} "
             f"tries, t = {search.alpha:g}, then × {search.shrink:g} each time")
    figure.update_layout(theme.base_layout(title, 480, 760),
                         legend={"orientation": "h", "x": 0.0, "y": -0.2, "yanchor": "top"})
    return theme.finish(figure)


def search_sweep_figure(sweep):
    """Against the first try alpha: updates to the goal (top) and the trial losses each update cost (bottom).

    `sweep` is what `experiments.line_search_sweep` returns. Top: the line
    search's median over the starts, its bar the fewest to the most, beside
    plain descent with that fixed alpha; where plain descent diverges from
    every start an x stands on the top edge. Bottom: the line search's trial
    losses per update (the mean over each walk, then the median over starts).
    The dashed line is plain descent's limit 2/L.
    """
    sweep = _checks.result("sweep", sweep, SearchSweep, "experiments.line_search_sweep")
    alphas = np.array(list(sweep.search))
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.65, 0.35], vertical_spacing=0.08)
    medians = np.array([sweep.median(alpha) for alpha in alphas])
    low = np.array([sweep.search[alpha][1.0].min() for alpha in alphas])
    high = np.array([sweep.search[alpha][1.0].max() for alpha in alphas])
    figure.add_trace(make_trace("curve search", x=alphas, y=medians, mode="lines+markers",
                                name="line search (shrink 0.5, c = 1e-4)", line={"color": theme.colour(0)},
                                error_y={"type": "data", "array": high - medians,
                                         "arrayminus": medians - low}), row=1, col=1)
    descent = {alpha: sweep.descent[alpha] for alpha in alphas}
    settled = np.array([np.isfinite(steps).all() for steps in descent.values()])
    settled_medians = [float(np.median(descent[alpha])) for alpha in alphas[settled]]
    figure.add_trace(make_trace("curve descent", x=alphas[settled], y=settled_medians, mode="lines+markers",
                                name="plain descent with that fixed α", line={"color": theme.colour(1)}),
                     row=1, col=1)
    top = 1.15 * max(high.max(), *settled_medians)
    figure.add_trace(make_trace("stop diverged", x=alphas[~settled], y=[top] * int((~settled).sum()),
                                name="plain descent diverges", marker={"color": theme.colour(1)}),
                     row=1, col=1)
    tries = [float(np.median(sweep.tries[alpha])) for alpha in alphas]
    figure.add_trace(make_trace("curve tries", x=alphas, y=tries, mode="lines+markers",
                                name="trial losses per update (line search)",
                                line={"color": theme.colour(0), "dash": "dot"}), row=2, col=1)
    if np.isfinite(sweep.edge):
        for row in (1, 2):
            figure.add_vline(x=sweep.edge, line={"dash": "dash", "color": "grey"}, row=row, col=1)
        figure.add_annotation(x=np.log10(sweep.edge), y=0.5 * top, text="2/L", showarrow=False,
                              xanchor="right", textangle=-90, row=1, col=1)
    figure.update_xaxes(type="log", exponentformat="power")
    figure.update_xaxes(title_text="first try α (line search), fixed α (plain descent)", row=2, col=1)
    figure.update_yaxes(title_text=f"updates to<br>a loss of {sweep.goal:g}", range=[0, 1.1 * top],
                        row=1, col=1)
    figure.update_yaxes(title_text="trial losses<br>per update", rangemode="tozero", row=2, col=1)
    title = f"Choosing α on {sweep.landscape.name}, {len(sweep.starts)} starts"
    figure.update_layout(theme.base_layout(title, 560, 760),
                         legend={"orientation": "h", "x": 0.0, "y": -0.15, "yanchor": "top"})
    return theme.finish(figure)
