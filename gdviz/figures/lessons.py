"""Figures for the course notebooks, one or two per lesson.

Each builder is a pure function: it takes a landscape (or its name), runs
whatever walks it needs with the core package and returns a `go.Figure`. It
never displays anything. The few numbers a notebook also prints (errors of a
numeric gradient, the final losses of a sweep, the walks of a race) come from
small numpy functions defined here beside the figure that draws them, so the
printed number and the drawn one are the same.

Contour maps colour the loss on a log scale, log(1 + L - min L), so that the
Rosenbrock valley and the Rastrigin dimples both show; hovering gives the true
loss.
"""

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import _checks, classifier, landscapes, optimizers
from ..gradients import numeric_gradient
from ..run import run

__all__ = [
    "RACE_OPTIMIZERS", "alpha_regimes", "alpha_sweep", "alpha_sweep_figure", "gallery_figure",
    "loss_curves_figure", "paths_figure", "probe_error_figure", "probe_errors", "probing_figure",
    "race", "race_figure", "random_search", "regimes_figure", "search_vs_gradient",
    "search_vs_gradient_figure", "slices_figure", "decision_line", "scoring_summary", "scoring_figure",
    "training_figure", "sgd_runs", "sgd_figure",
]

# One colour per walk, in a fixed order, so a name keeps its colour across figures.
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf")
CHAD = "#ff7f0e"
HEADING = "#ff2d95"  # the downhill arrow, in the explorer's colour for Chad's heading
# An exact zero cannot sit on a log axis; it is drawn here, below double precision.
LOG_FLOOR = 1e-17


def _colour(index):
    return PALETTE[index % len(PALETTE)]


def _legend_inside(corner):
    """A legend inside the plot, in a corner the curves leave empty, so the plot keeps its width."""
    y, x = corner.split()
    return {"x": 0.01 if x == "left" else 0.99, "y": 0.01 if y == "bottom" else 0.99, "xanchor": x,
            "yanchor": y, "bgcolor": "rgba(255,255,255,0.75)"}


def contour_trace(landscape, n=80, showscale=False):
    """A contour of the loss coloured by log(1 + L - min L), hover showing L itself."""
    landscape = landscapes.get(landscape)
    X, Y, Z = landscape.mesh(n)
    shade = np.log1p(Z - Z.min())
    return go.Contour(
        x=X[0], y=Y[:, 0], z=shade, customdata=Z, colorscale="Viridis", showscale=showscale,
        ncontours=25, line={"width": 0.5}, name="loss",
        hovertemplate=(f"{axis_names(landscape)[0]}=%{{x:.3f}}<br>{axis_names(landscape)[1]}=%{{y:.3f}}"
                       "<br>loss=%{customdata:.4g}<extra></extra>"),
    )


def axis_names(landscape):
    """The parameters' names: (w, b) for a classifier's landscape (it carries data), else (w1, w2)."""
    return ("w", "b") if getattr(landscape, "data", None) is not None else ("w1", "w2")


def _frame_axes(figure, landscape, row=None, col=None):
    """Fix a map's ranges to the landscape's domain, with equal units on both axes."""
    (xmin, xmax), (ymin, ymax) = landscape.domain
    first, second = axis_names(landscape)
    figure.update_xaxes(range=[xmin, xmax], title_text=first, constrain="domain", row=row, col=col)
    figure.update_yaxes(range=[ymin, ymax], title_text=second, constrain="domain", row=row, col=col)
    # Equal units on both axes, so a round bowl looks round: tie y's scale to this map's x axis.
    x_axis = "x" if row is None else figure.get_subplot(row, col).xaxis.plotly_name.replace("axis", "")
    figure.update_yaxes(scaleanchor=x_axis, scaleratio=1, row=row, col=col)


def _walk(landscape, optimizer, start, alpha, max_steps, **hyperparameters):
    steps = optimizers.get(optimizer)(landscape, start, alpha, **hyperparameters)
    return run(steps, max_steps=max_steps)


# ---------------------------------------------------------------- 02: the landscapes

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
        row, col = divmod(index, columns)
        row, col = row + 1, col + 1
        figure.add_trace(contour_trace(land, n), row=row, col=col)
        if len(land.minima):
            figure.add_trace(go.Scatter(x=land.minima[:, 0], y=land.minima[:, 1], mode="markers",
                                        marker={"symbol": "star", "size": 12, "color": "white",
                                                "line": {"width": 1, "color": "black"}},
                                        name="minimum", showlegend=index == 0), row=row, col=col)
        figure.add_trace(go.Scatter(x=[land.start[0]], y=[land.start[1]], mode="markers",
                                    marker={"size": 10, "color": CHAD, "line": {"width": 1}},
                                    name="Chad's start", showlegend=index == 0), row=row, col=col)
        _frame_axes(figure, land, row, col)
    figure.update_annotations(font_size=11)
    figure.update_layout(height=330 * rows, width=330 * columns, margin={"t": 60, "b": 30},
                         title="The landscape catalogue (colour: log of the loss above its lowest value)")
    return figure


def slices_figure(landscape, point=None, directions=((1.0, 0.0), (0.0, 1.0)), span=None, n=121):
    """Straight-line slices through a landscape: where they run (left), the loss along them (right).

    A slice is t -> L(point + t d) for a unit direction d, t in [-span, span].
    Real landscapes have too many dimensions to draw, so figures show slices
    of them; here the whole landscape is visible beside its slices, so one can
    see what a slice shows and what it hides (through a saddle one slice looks
    like a valley, another like a hill).
    """
    landscape = landscapes.get(landscape)
    point = landscape.start if point is None else _checks.point("point", point)
    directions = [_checks.point("direction", direction) for direction in directions]
    if not directions or any(np.linalg.norm(d) == 0 for d in directions):
        raise ValueError(f"directions must be one or more non-zero vectors, got {directions!r}")
    (xmin, xmax), (ymin, ymax) = landscape.domain
    span = 0.3 * min(xmax - xmin, ymax - ymin) if span is None else _checks.positive("span", span)
    offsets = np.linspace(-span, span, _checks.count("n", n, minimum=3))
    figure = make_subplots(rows=1, cols=2, subplot_titles=("where the slices run", "loss along each slice"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    figure.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers", name="through",
                                marker={"size": 11, "color": CHAD, "line": {"width": 1}}), row=1, col=1)
    for index, direction in enumerate(directions):
        unit = direction / np.linalg.norm(direction)
        points = point + offsets[:, None] * unit
        label = f"along ({unit[0]:.2g}, {unit[1]:.2g})"
        figure.add_trace(go.Scatter(x=points[:, 0], y=points[:, 1], mode="lines", name=label,
                                    legendgroup=label, line={"color": _colour(index), "width": 3}),
                         row=1, col=1)
        figure.add_trace(go.Scatter(x=offsets, y=landscape(points), mode="lines", name=label,
                                    legendgroup=label, showlegend=False, line={"color": _colour(index)}),
                         row=1, col=2)
    _frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="offset t along the slice", row=1, col=2)
    figure.update_yaxes(title_text="loss", row=1, col=2)
    where = np.round(point, 3).tolist()
    figure.update_layout(title=f"Slices of {landscape.name} through {where}", height=430, width=940)
    return figure


# ---------------------------------------------------------------- 03: Chad's sensor

def probe_errors(landscape, w=None, h_values=None):
    """Relative error of forward and centred differences against the analytic gradient.

    error(h) = |g_numeric(h) - g_analytic| / |g_analytic|   (Euclidean norms)

    Returns `(h_values, {"forward": errors, "centred": errors})`. Truncation
    makes the error grow like h (forward) or h² (centred) for large h;
    round-off makes it grow like 1e-16 / h for small h.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h_values = np.logspace(-13, 0, 53) if h_values is None else np.asarray(h_values, dtype=float)
    if h_values.ndim != 1 or h_values.size == 0 or not np.all(h_values > 0):
        raise ValueError(f"h_values must be a non-empty 1-D list of numbers > 0, got {h_values!r}")
    exact = landscape.grad(w)
    scale = np.linalg.norm(exact)
    if scale == 0:
        raise ValueError(f"w={w.tolist()} is a stationary point of {landscape.name}: the gradient is "
                         "zero there, so a relative error has no meaning; probe somewhere sloped")
    errors = {}
    for method in ("forward", "centred"):
        estimates = [numeric_gradient(landscape, w, h=h, method=method) for h in h_values]
        errors[method] = np.linalg.norm(np.array(estimates) - exact, axis=-1) / scale
    return h_values, errors


def probe_error_figure(landscape="rosenbrock", w=None, h_values=None):
    """Error of Chad's slope estimate against the probe size h, on log-log axes.

    The best h for each method is marked: to its right the chord is too long
    (truncation), to its left the two readings are too close to tell apart in
    floating point (round-off). An exact zero error is drawn at `LOG_FLOOR`.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h_values, errors = probe_errors(landscape, w, h_values)
    figure = go.Figure()
    for index, (method, error) in enumerate(errors.items()):
        shown = np.maximum(error, LOG_FLOOR)
        best = int(np.argmin(error))
        figure.add_trace(go.Scatter(x=h_values, y=shown, mode="lines+markers", name=method,
                                    line={"color": _colour(index)}, marker={"size": 5}))
        figure.add_trace(go.Scatter(
            x=[h_values[best]], y=[shown[best]], mode="markers+text", showlegend=False,
            marker={"size": 14, "symbol": "circle-open", "color": _colour(index), "line": {"width": 2}},
            text=[f"best {method}: h={h_values[best]:.0e}"], textposition="bottom center"))
    figure.update_xaxes(type="log", title_text="probe size h", exponentformat="power")
    figure.update_yaxes(type="log", title_text="relative error of the gradient", exponentformat="power")
    where = np.round(w, 3).tolist()
    figure.update_layout(title=f"How good is the probed slope? {landscape.name} at w={where}",
                         height=420, width=720, legend=_legend_inside("bottom right"))
    return figure


def probing_figure(landscape="bowl", w=None, h=0.5, method="centred"):
    """Chad feels the slope: an animation of his probing steps, readable with no kernel.

    Left, the map: Chad at w steps h along each axis (and back, for centred
    differences), reading the loss each time. Right, the loss along the axis
    he is probing: the readings, the chord through them (its slope is his
    estimate) and the tangent (the true slope). The last frame draws the
    estimated downhill direction -g beside the true one. h is drawn large so
    the steps can be seen; in practice it is about 1e-5.
    """
    landscape = landscapes.get(landscape)
    w = landscape.start if w is None else _checks.point("w", w)
    h = _checks.positive("h", h)
    method = "centred" if method == "centered" else method
    _checks.choice("method", method, ("centred", "forward"))
    here = float(landscape(w))
    exact = landscape.grad(w)
    estimate = numeric_gradient(landscape, w, h=h, method=method)
    span = np.linspace(-2.5 * h, 2.5 * h, 81)

    def section(axis):
        """The loss along one axis through w, as (offsets, losses)."""
        points = np.repeat(w[None, :], len(span), axis=0)
        points[:, axis] += span
        return span, landscape(points)

    def line(slope, offsets, through=(0.0, here)):
        offsets = np.asarray(offsets, dtype=float)
        return offsets, through[1] + slope * (offsets - through[0])

    # (caption, probe position, probed axis, readings so far on that axis, chord drawn?)
    plan = [("Chad reads the loss where he stands", w, 0, [(0.0, here)], False)]
    for axis in (0, 1):
        step = np.zeros(2)
        step[axis] = h
        ahead = float(landscape(w + step))
        readings = [(0.0, here), (h, ahead)] if method == "forward" else [(h, ahead)]
        plan.append((f"a step of h={h:g} along w{axis + 1}, another reading", w + step, axis, readings,
                     method == "forward"))
        if method == "centred":
            behind = float(landscape(w - step))
            plan.append((f"a step of h back along w{axis + 1}: the chord's slope is his estimate",
                         w - step, axis, [(h, ahead), (-h, behind)], True))

    figure = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45],
                           subplot_titles=("Chad on the map", "loss along the probed axis"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)                       # 0
    figure.add_trace(go.Scatter(x=[w[0]], y=[w[1]], mode="markers", name="Chad",  # 1
                                marker={"size": 14, "color": CHAD, "line": {"width": 1}}), row=1, col=1)
    figure.add_trace(go.Scatter(x=[w[0]], y=[w[1]], mode="markers", name="probe",  # 2
                                marker={"size": 9, "color": "white", "line": {"width": 2}}), row=1, col=1)
    figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="estimated downhill -g",  # 3
                                line={"color": HEADING, "width": 3},
                                marker={"symbol": "arrow", "angleref": "previous", "size": 14}), row=1, col=1)
    figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="true downhill",  # 4
                                line={"color": "black", "width": 2, "dash": "dot"}), row=1, col=1)
    offsets, losses = section(0)
    figure.add_trace(go.Scatter(x=offsets, y=losses, mode="lines", name="loss section",  # 5
                                line={"color": "grey"}), row=1, col=2)
    figure.add_trace(go.Scatter(x=[0.0], y=[here], mode="markers", name="readings",  # 6
                                marker={"size": 10, "color": CHAD}), row=1, col=2)
    figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="chord (estimate)",  # 7
                                line={"color": _colour(0), "width": 2}), row=1, col=2)
    figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="tangent (true slope)",  # 8
                                line={"color": "black", "dash": "dot"}), row=1, col=2)

    def chord(axis, readings):
        (s0, l0), (s1, l1) = readings[-2:]
        slope = (l1 - l0) / (s1 - s0)
        return line(slope, [span[0], span[-1]], (s0, l0))

    frames = []
    for index, (caption, probe, axis, readings, draw_chord) in enumerate(plan):
        offsets, losses = section(axis)
        chord_x, chord_y = chord(axis, readings) if draw_chord else ([], [])
        tangent_x, tangent_y = line(exact[axis], [span[0], span[-1]]) if draw_chord else ([], [])
        frames.append(go.Frame(name=str(index), traces=[2, 3, 4, 5, 6, 7, 8], data=[
            go.Scatter(x=[probe[0]], y=[probe[1]]), go.Scatter(x=[], y=[]), go.Scatter(x=[], y=[]),
            go.Scatter(x=offsets, y=losses),
            go.Scatter(x=[reading[0] for reading in readings], y=[reading[1] for reading in readings]),
            go.Scatter(x=chord_x, y=chord_y), go.Scatter(x=tangent_x, y=tangent_y),
        ], layout={"title.text": f"{index + 1}. {caption} (right: the loss along w{axis + 1})"}))
    # The final frame: the two partial slopes make the gradient; downhill is -g.
    reach = 0.15 * (landscape.domain[0][1] - landscape.domain[0][0])

    def arrow(vector):
        norm = np.linalg.norm(vector)
        tip = w - reach * vector / norm if norm > 0 else w
        return [w[0], tip[0]], [w[1], tip[1]]

    readings_used = len(plan) if method == "centred" else 3
    summary = (f"{len(plan) + 1}. estimate g≈({estimate[0]:.3g}, {estimate[1]:.3g}), true "
               f"({exact[0]:.3g}, {exact[1]:.3g}); it cost {readings_used} loss readings")
    estimate_x, estimate_y = arrow(estimate)
    exact_x, exact_y = arrow(exact)
    frames.append(go.Frame(name=str(len(plan)), traces=[2, 3, 4], data=[
        go.Scatter(x=[w[0]], y=[w[1]]), go.Scatter(x=estimate_x, y=estimate_y),
        go.Scatter(x=exact_x, y=exact_y)], layout={"title.text": summary}))
    figure.frames = frames
    _frame_axes(figure, landscape, 1, 1)
    # Frames do not rescale axes: fix the right panel to hold every frame's section.
    lows, highs = zip(*[(section(axis)[1].min(), section(axis)[1].max()) for axis in (0, 1)], strict=True)
    pad = 0.05 * (max(highs) - min(lows)) or 1.0
    figure.update_xaxes(title_text="offset from Chad along the probed axis", range=[span[0], span[-1]],
                        row=1, col=2)
    figure.update_yaxes(title_text="loss", range=[min(lows) - pad, max(highs) + pad], row=1, col=2)
    names = [frame.name for frame in frames]
    figure.update_layout(
        title=f"1. {plan[0][0]}", height=500, width=980, margin={"b": 110},
        updatemenus=[{"type": "buttons", "x": 0.0, "y": -0.18, "xanchor": "left", "yanchor": "top",
                      "direction": "left", "pad": {"t": 10},
                      "buttons": [{"label": "▶ Play", "method": "animate",
                                   "args": [None, {"frame": {"duration": 1200, "redraw": True},
                                                   "fromcurrent": True, "transition": {"duration": 0}}]}]}],
        sliders=[{"active": 0, "x": 0.1, "len": 0.9, "y": -0.12, "yanchor": "top",
                  "currentvalue": {"prefix": "frame "},
                  "steps": [{"label": name, "method": "animate",
                             "args": [[name], {"mode": "immediate",
                                               "frame": {"duration": 0, "redraw": True}}]}
                            for name in names]}],
    )
    return figure


# ---------------------------------------------------------------- 05: the learning rate

def alpha_regimes(landscape="bowl"):
    """Four learning rates that show the four behaviours on a quadratic, from theory.

    With L the largest curvature (Hessian eigenvalue): "too small" 0.05/L
    creeps; "1/L" is the largest step that never overshoots (on a round bowl
    it lands in one step); "oscillating" 1.6/L overshoots but settles
    (1/L < alpha < 2/L); "diverging" 2.5/L overshoots further every step and
    flies off (alpha > 2/L).
    """
    landscape = landscapes.get(landscape)
    if landscape.hessian is None:
        raise ValueError(f"landscape must be a quadratic (with a Hessian) to read its regimes from "
                         f"theory, got {landscape.name!r}; try 'bowl' or 'ravine'")
    high = landscape.max_curvature
    return {"too small": 0.05 / high, "1/L": 1.0 / high, "oscillating": 1.6 / high, "diverging": 2.5 / high}


def regimes_figure(landscape="bowl", alphas=None, start=None, max_steps=30):
    """One map per learning rate, each with Chad's path, the final loss and why he stopped."""
    landscape = landscapes.get(landscape)
    alphas = alpha_regimes(landscape) if alphas is None else dict(alphas)
    start = landscape.start if start is None else start
    walks = {label: _walk(landscape, "gradient_descent", start, alpha, max_steps)
             for label, alpha in alphas.items()}
    columns = min(len(walks), 4)
    rows = math.ceil(len(walks) / columns)
    titles = [f"{label}: α={alpha:.3g}<br>final loss {walk.loss[-1]:.3g} ({walk.stop_reason})"
              for (label, alpha), walk in zip(alphas.items(), walks.values(), strict=True)]
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                           horizontal_spacing=0.05, vertical_spacing=0.15)
    for index, walk in enumerate(walks.values()):
        row, col = index // columns + 1, index % columns + 1
        figure.add_trace(contour_trace(landscape, 60), row=row, col=col)
        figure.add_trace(go.Scatter(x=walk.w[:, 0], y=walk.w[:, 1], mode="lines+markers", showlegend=False,
                                    line={"color": CHAD}, marker={"size": 5}), row=row, col=col)
        _frame_axes(figure, landscape, row, col)
    figure.update_annotations(font_size=11)
    figure.update_layout(height=300 * rows + 60, width=260 * columns + 80,
                         title=f"Four learning rates on {landscape.name}, {max_steps} steps each")
    return figure


def alpha_sweep(landscape="bowl", alphas=None, start=None, max_steps=50):
    """Final loss after `max_steps` of gradient descent for each learning rate.

    Returns a dict of arrays: "alpha", "final_loss", "steps" (updates made) and
    "diverged" (bool). A diverged walk's final loss is the last finite one,
    read where Chad left the map.
    """
    landscape = landscapes.get(landscape)
    alphas = _default_alphas(landscape) if alphas is None else np.asarray(alphas, dtype=float)
    if alphas.ndim != 1 or alphas.size == 0 or not np.all(alphas > 0):
        raise ValueError(f"alphas must be a non-empty 1-D list of numbers > 0, got {alphas!r}")
    start = landscape.start if start is None else start
    walks = [_walk(landscape, "gradient_descent", start, float(alpha), max_steps) for alpha in alphas]
    return {"alpha": alphas,
            "final_loss": np.array([walk.loss[-1] for walk in walks]),
            "steps": np.array([walk.n_updates for walk in walks]),
            "diverged": np.array([walk.stop_reason == "diverged" for walk in walks])}


def _default_alphas(landscape):
    high = landscape.max_curvature
    if high is None:
        return np.geomspace(1e-4, 1.0, 41)
    return np.geomspace(0.01 / high, 3.0 / high, 41)


def alpha_sweep_figure(landscape="bowl", alphas=None, start=None, max_steps=50):
    """Final loss against alpha (log-log), with the theory's 1/L and 2/L marked.

    On a quadratic with largest curvature L, descent moves monotonically for
    alpha < 1/L, oscillates but converges for 1/L < alpha < 2/L and diverges
    beyond 2/L. Diverged walks are red crosses at the loss where they left.
    """
    landscape = landscapes.get(landscape)
    sweep = alpha_sweep(landscape, alphas, start, max_steps)
    shown = np.maximum(sweep["final_loss"], LOG_FLOOR)
    settled, flew = ~sweep["diverged"], sweep["diverged"]
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=sweep["alpha"][settled], y=shown[settled], mode="lines+markers",
                                name=f"final loss after {max_steps} steps", line={"color": _colour(0)}))
    figure.add_trace(go.Scatter(x=sweep["alpha"][flew], y=shown[flew], mode="markers", name="diverged",
                                marker={"symbol": "x", "size": 9, "color": "#d62728"}))
    high = landscape.max_curvature
    if high is not None:
        for value, words in ((1.0 / high, "1/L: oscillation starts"), (2.0 / high, "2/L: divergence")):
            figure.add_vline(x=value, line={"dash": "dash", "color": "grey"})
            # On a log axis an annotation's x is given as log10 of the value.
            figure.add_annotation(x=np.log10(value), y=1.0, yref="paper", text=words, textangle=-90,
                                  showarrow=False, xanchor="right", yanchor="top", font={"size": 11})
    figure.update_xaxes(type="log", title_text="learning rate α", exponentformat="power")
    figure.update_yaxes(type="log", title_text="final loss", exponentformat="power")
    curvature = "" if high is None else f" (L = {high:g})"
    figure.update_layout(title=f"Sweeping α on {landscape.name}{curvature}", height=420, width=760,
                         legend=_legend_inside("bottom left"))
    return figure


# ---------------------------------------------------------------- shared: curves and paths

def _trajectories(trajectories):
    if not hasattr(trajectories, "items") or not trajectories:
        raise TypeError(f"trajectories must be a non-empty dict of label -> Trajectory, got {trajectories!r}")
    return dict(trajectories)


def loss_curves_figure(trajectories, log_y=True, title="Loss per step"):
    """Loss against step for several labelled walks; `trajectories` is {label: Trajectory}."""
    trajectories = _trajectories(trajectories)
    figure = go.Figure()
    for index, (label, walk) in enumerate(trajectories.items()):
        loss = np.maximum(walk.loss, LOG_FLOOR) if log_y else walk.loss
        figure.add_trace(go.Scatter(x=walk.t, y=loss, mode="lines", name=f"{label} ({walk.stop_reason})",
                                    line={"color": _colour(index)}))
    figure.update_xaxes(title_text="step")
    figure.update_yaxes(title_text="loss", type="log" if log_y else "linear", exponentformat="power")
    figure.update_layout(title=title, height=400, width=720)
    return figure


def paths_figure(landscape, trajectories, title=None):
    """Several labelled walks on one contour map, each ending in a marker."""
    landscape = landscapes.get(landscape)
    trajectories = _trajectories(trajectories)
    figure = go.Figure(contour_trace(landscape))
    for index, (label, walk) in enumerate(trajectories.items()):
        figure.add_trace(_path_trace(walk, label, index))
    _frame_axes(figure, landscape)
    figure.update_layout(title=title or f"Paths on {landscape.name}", height=520, width=620)
    return figure


def _path_trace(walk, label, index, showlegend=True):
    return go.Scatter(x=walk.w[:, 0], y=walk.w[:, 1], mode="lines+markers", name=label,
                      legendgroup=label, showlegend=showlegend, line={"color": _colour(index), "width": 2},
                      marker={"size": 3})


# ---------------------------------------------------------------- 08: the race

RACE_OPTIMIZERS = ("gradient_descent", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
RACE_ALPHAS = np.geomspace(1e-4, 1.0, 13)


def race(landscape, names=RACE_OPTIMIZERS, max_steps=200, start=None, alphas=None):
    """Run several optimizers from one start for the same number of steps.

    Each optimizer uses `alphas[name]` when given; otherwise it gets its best
    learning rate from the same grid (`RACE_ALPHAS`, 1e-4 to 1), judged by the
    final loss of a walk that did not diverge (ties, such as two walks that
    both reach 0, go to the lower mean loss along the way, the faster one), so
    none of them loses the race for a badly chosen setting.
    Returns {name: (alpha, Trajectory)}.
    """
    landscape = landscapes.get(landscape)
    names = list(names)
    for name in names:
        optimizers.get(name)  # raises a ValueError naming the allowed optimizers
    max_steps = _checks.count("max_steps", max_steps, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    alphas = {} if alphas is None else dict(alphas)
    results = {}
    for name in names:
        if name in alphas:
            alpha = _checks.positive(f"alphas[{name!r}]", alphas[name])
            results[name] = (alpha, _walk(landscape, name, start, alpha, max_steps))
            continue
        results[name] = _best_walk(lambda alpha, name=name: _walk(landscape, name, start, alpha, max_steps))
    return results


def race_figure(landscape, results, title=None):
    """The race: paths on the map (left) and loss per step (right).

    `results` is what `race` returns, {name: (alpha, Trajectory)}.
    """
    landscape = landscapes.get(landscape)
    if not hasattr(results, "items") or not results:
        raise TypeError(f"results must be the non-empty dict that race() returns, got {results!r}")
    figure = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5],
                           subplot_titles=("paths", "loss per step (log scale)"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    for index, (name, (alpha, walk)) in enumerate(results.items()):
        label = f"{name} α={alpha:.2g}"
        figure.add_trace(_path_trace(walk, label, index), row=1, col=1)
        figure.add_trace(go.Scatter(x=walk.t, y=np.maximum(walk.loss, LOG_FLOOR), mode="lines", name=label,
                                    legendgroup=label, showlegend=False, line={"color": _colour(index)}),
                         row=1, col=2)
    _frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log", title_text="loss", exponentformat="power", row=1, col=2)
    budget = max(walk.n_updates for _, walk in results.values())
    figure.update_layout(title=title or f"The race on {landscape.name}: {budget} steps each",
                         height=480, width=1000)
    return figure


# ---------------------------------------------------------------- 01: random search

def _objective(objective):
    """A catalogue landscape by name, or any landscape-like object (loss(w), grad(w), n_params)."""
    if callable(objective) and callable(getattr(objective, "grad", None)):
        return objective
    return landscapes.get(objective)


def _search_box(objective, scale):
    """Where random search draws: the landscape's domain, else [-scale, scale] for every parameter."""
    domain = getattr(objective, "domain", None)
    if domain is not None:
        low, high = np.array(domain, dtype=float).T
        return low, high
    n_params = getattr(objective, "n_params", 2)
    return np.full(n_params, -scale), np.full(n_params, scale)


def _start_of(objective):
    start = getattr(objective, "start", None)
    return np.zeros(getattr(objective, "n_params", 2)) if start is None else np.asarray(start, dtype=float)


def random_search(objective, budget=200, seed=0, method="global", step_size=None, start=None, scale=1.0):
    """Search without a gradient; the best loss found after each evaluation of the loss.

    "global": every evaluation is at a fresh point drawn uniformly from the
    landscape's domain (or from [-scale, scale] in every parameter for an
    objective without one, such as a classifier's `LinearModelLoss`).
    "local": from the best point so far (first `start`, by default the
    landscape's start or all zeros), try a step of length `step_size` in a
    random direction and keep it if the loss is lower; the default step is a
    tenth of the search box's width. Returns (best_w, best_loss_curve), one
    entry per evaluation, `budget` in all.
    """
    objective = _objective(objective)
    budget = _checks.count("budget", budget, minimum=1)
    seed = _checks.count("seed", seed)
    _checks.choice("method", method, ("global", "local"))
    scale = _checks.positive("scale", scale)
    low, high = _search_box(objective, scale)
    step_size = 0.1 * float(np.mean(high - low)) if step_size is None else _checks.positive(
        "step_size", step_size)
    rng = np.random.default_rng(seed)
    if method == "global":
        points = rng.uniform(low, high, size=(budget, len(low)))
        losses = np.array([float(objective(point)) for point in points])
        return points[int(np.argmin(losses))], np.minimum.accumulate(losses)
    best_w = _start_of(objective) if start is None else np.asarray(start, dtype=float)
    best_loss = float(objective(best_w))
    curve = [best_loss]
    for _ in range(budget - 1):
        direction = rng.standard_normal(len(best_w))
        trial = best_w + step_size * direction / np.linalg.norm(direction)
        loss = float(objective(trial))
        if loss < best_loss:
            best_w, best_loss = trial, loss
        curve.append(best_loss)
    return best_w, np.array(curve)


def search_vs_gradient(objective="bowl", budget=1000, alpha=None, seed=0, scale=1.0, gradient="analytic"):
    """Best loss against evaluations for random search, random local search and gradient descent.

    Everyone pays for evaluations of the loss. A random-search guess costs one.
    A step of descent with the analytic gradient is charged two (the loss and
    its gradient, about what backpropagation costs); with `gradient="numeric"`
    it pays Chad's price, 1 + 2n readings for n parameters. Without `alpha`,
    descent gets its best rate for this budget on the grid `RACE_ALPHAS`.
    Returns {label: best-loss curve of length `budget`}.
    """
    objective = _objective(objective)
    budget = _checks.count("budget", budget, minimum=1)
    _checks.choice("gradient", gradient, ("analytic", "numeric"))
    start = _start_of(objective)
    cost = 2 if gradient == "analytic" else 1 + 2 * len(start)
    updates = budget // cost - 1
    if updates < 1:
        raise ValueError(f"budget must pay for at least two steps of descent ({2 * cost} evaluations "
                         f"here), got {budget}")

    def descend(alpha):
        return run(optimizers.gradient_descent(objective, start, alpha, gradient=gradient), max_steps=updates)

    if alpha is None:
        _, walk = _best_walk(descend)
    else:
        walk = descend(_checks.positive("alpha", alpha))
    # Each step's evaluations all know the loss at the point it started from.
    descent = np.repeat(np.minimum.accumulate(walk.loss), cost)
    descent = np.concatenate([descent, np.full(max(budget - len(descent), 0), descent[-1])])[:budget]
    label = "gradient descent" + (" (numeric gradient)" if gradient == "numeric" else "")
    return {"random search": random_search(objective, budget, seed, "global", scale=scale)[1],
            "random local search": random_search(objective, budget, seed, "local", scale=scale)[1],
            label: descent}


def _best_walk(walk_with):
    """(alpha, walk) with the lowest final loss over `RACE_ALPHAS`, among walks that did not diverge.

    Ties (two walks both at 0) go to the lower mean loss along the way, the
    faster one. If every rate diverges, the gentlest is returned, flying off.
    """
    best = None
    for alpha in map(float, RACE_ALPHAS):
        walk = walk_with(alpha)
        if walk.stop_reason == "diverged":
            continue
        score = (walk.loss[-1], walk.loss.mean())
        if best is None or score < best[0]:
            best = (score, alpha, walk)
    if best is None:
        alpha = float(RACE_ALPHAS[0])
        return alpha, walk_with(alpha)
    return best[1], best[2]


def search_vs_gradient_figure(objective="bowl", budget=1000, alpha=None, seed=0, scale=1.0,
                              gradient="analytic", curves=None):
    """The three searches' best loss against the number of loss evaluations (log y).

    Pass `curves`, what `search_vs_gradient` returned, to draw them without running again.
    """
    objective = _objective(objective)
    if curves is None:
        curves = search_vs_gradient(objective, budget, alpha, seed, scale, gradient)
    elif not hasattr(curves, "items") or not curves:
        raise TypeError(f"curves must be the dict that search_vs_gradient() returns, got {curves!r}")
    figure = go.Figure()
    for index, (label, curve) in enumerate(curves.items()):
        figure.add_trace(go.Scatter(x=np.arange(1, len(curve) + 1), y=np.maximum(curve, LOG_FLOOR),
                                    mode="lines", name=label, line={"color": _colour(index)}))
    figure.update_xaxes(title_text="evaluations of the loss")
    figure.update_yaxes(type="log", title_text="best loss so far", exponentformat="power")
    name = getattr(objective, "name", type(objective).__name__)
    size = len(_start_of(objective))
    figure.update_layout(title=f"Guessing against following the slope: {name}, {size} parameters",
                         height=420, width=760, legend=_legend_inside("bottom left"))
    return figure


# ---------------------------------------------------------------- 01, 06: a linear classifier

def decision_line(w, b, box):
    """Where the line w1 x1 + w2 x2 + b = 0 crosses the box ((x1 min, x1 max), (x2 min, x2 max)).

    Returns ([x1, x1'], [x2, x2']), the two ends of the visible segment, or
    ([], []) when w = 0 (no line) or the line misses the box.
    """
    w1, w2 = _checks.point("w", w)
    b = _checks.real("b", b)
    (x1_low, x1_high), (x2_low, x2_high) = box
    ends = []
    if w2 != 0:
        for x1 in (x1_low, x1_high):
            ends.append((x1, -(w1 * x1 + b) / w2))
    if w1 != 0:
        for x2 in (x2_low, x2_high):
            ends.append((-(w2 * x2 + b) / w1, x2))
    slack = 1e-9 * (1 + max(abs(x1_high - x1_low), abs(x2_high - x2_low)))  # rounding at the corners
    inside = [(x1, x2) for x1, x2 in ends
              if x1_low - slack <= x1 <= x1_high + slack and x2_low - slack <= x2 <= x2_high + slack]
    if len(inside) < 2:
        return [], []
    inside.sort()
    first, last = inside[0], inside[-1]
    return [first[0], last[0]], [first[1], last[1]]


def data_box(X, margin=0.5):
    X = np.asarray(X, dtype=float)
    return tuple((float(column.min()) - margin, float(column.max()) + margin) for column in X.T)


def scoring_summary(X, y, w, b):
    """The two-class linear model s = w·x + b on data (X, y): its losses and accuracy.

    "svm" is the mean binary hinge loss max(0, 1 - t s) with t = 2y - 1;
    "cross_entropy" the mean log loss of sigmoid(s); both from `gdviz.classifier`.
    """
    w = np.asarray(w, dtype=float)
    return {"svm": float(classifier.binary_hinge_loss(X, y, w, b).value),
            "cross_entropy": float(classifier.log_loss(X, y, w, b).value),
            "accuracy": classifier.accuracy(np.asarray(y), classifier.predict(X, w, b))}


CLASS_COLOURS = ("#1f77b4", "#d62728")


def _class_traces(X, y, w, b):
    """One scatter per class; misclassified examples drawn as open markers."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    right = classifier.predict(X, np.asarray(w, dtype=float), b) == y
    traces = []
    for label in (0, 1):
        rows = y == label
        traces.append(go.Scatter(
            x=X[rows, 0], y=X[rows, 1], mode="markers", name=f"class {label}",
            marker={"color": CLASS_COLOURS[label], "size": 7,
                    "symbol": np.where(right[rows], "circle", "circle-open").tolist(),
                    "line": {"width": 1.5, "color": CLASS_COLOURS[label]}}))
    return traces


def normal_arrow(w, b, box):
    """A short arrow along w from the middle of the decision line: the side scored positive."""
    xs, ys = decision_line(w, b, box)
    if not xs:
        return [], []
    w = np.asarray(w, dtype=float)
    middle = np.array([np.mean(xs), np.mean(ys)])
    length = 0.15 * min(box[0][1] - box[0][0], box[1][1] - box[1][0])
    tip = middle + length * w / np.linalg.norm(w)
    return [middle[0], tip[0]], [middle[1], tip[1]]


def scoring_figure(X, y, w, b):
    """Two-feature data with the decision line w·x + b = 0 (left) and the model's losses (right).

    The arrow points along w, towards the side the model scores positive
    (class 1). Misclassified examples are open markers. The bars give the
    mean SVM (hinge) and cross-entropy losses; the title the accuracy.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have two features, shape (n, 2), got shape {X.shape}")
    box = data_box(X)
    summary = scoring_summary(X, y, w, b)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35],
                           subplot_titles=("data and decision line", "loss"))
    for trace in _class_traces(X, y, w, b):
        figure.add_trace(trace, row=1, col=1)
    line_x, line_y = decision_line(w, b, box)
    figure.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", name="w·x + b = 0",
                                line={"color": "black", "width": 2}), row=1, col=1)
    arrow_x, arrow_y = normal_arrow(w, b, box)
    figure.add_trace(go.Scatter(x=arrow_x, y=arrow_y, mode="lines+markers", name="w",
                                line={"color": "black"},
                                marker={"symbol": "arrow", "angleref": "previous", "size": [0, 12]}),
                     row=1, col=1)
    figure.add_trace(go.Bar(x=["SVM (hinge)", "cross-entropy"], y=[summary["svm"], summary["cross_entropy"]],
                            marker={"color": [PALETTE[4], PALETTE[2]]}, showlegend=False,
                            text=[f"{summary['svm']:.3f}", f"{summary['cross_entropy']:.3f}"],
                            textposition="outside"), row=1, col=2)
    figure.update_xaxes(range=list(box[0]), title_text="x1", row=1, col=1)
    figure.update_yaxes(range=list(box[1]), title_text="x2", scaleanchor="x", scaleratio=1, row=1, col=1)
    figure.update_yaxes(title_text="mean loss", rangemode="tozero", row=1, col=2)
    w1, w2 = np.asarray(w, dtype=float)
    figure.update_layout(title=f"w = ({w1:.2f}, {w2:.2f}), b = {float(b):.2f}: "
                               f"accuracy {summary['accuracy']:.0%}", height=430, width=900)
    return figure


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
    for trace in _class_traces(result.X, result.y, W, result.b):
        figure.add_trace(trace, row=1, col=1)
    line_x, line_y = decision_line(W, result.b, box)
    figure.add_trace(go.Scatter(x=line_x, y=line_y, mode="lines", name="decision line",
                                line={"color": "black", "width": 2}), row=1, col=1)
    epochs = np.arange(len(result.loss))
    figure.add_trace(go.Scatter(x=epochs, y=result.loss, mode="lines", name=f"{result.loss_name} (minimised)",
                                line={"color": PALETTE[2]}), row=1, col=2)
    if result.squared_error is not None:
        figure.add_trace(go.Scatter(x=epochs, y=result.squared_error, mode="lines",
                                    name="squared error (printed by the post)",
                                    line={"color": PALETTE[4], "dash": "dash"}), row=1, col=2)
    figure.update_xaxes(range=list(box[0]), title_text="x1", row=1, col=1)
    figure.update_yaxes(range=list(box[1]), title_text="x2", scaleanchor="x", scaleratio=1, row=1, col=1)
    figure.update_xaxes(title_text="epoch", row=1, col=2)
    figure.update_yaxes(title_text="mean loss", rangemode="tozero", row=1, col=2)
    figure.update_layout(title=f"Training accuracy {result.accuracy:.1%} after {result.epochs} epochs",
                         height=430, width=960)
    return figure


# ---------------------------------------------------------------- 07: minibatches

def _steps_per_epoch(landscape, batch_size):
    return -(-landscape.data_size // batch_size)


def sgd_runs(landscape, alpha, batch_sizes=(8,), epochs=10, shuffle=True, seed=0, start=None):
    """Full-batch descent and SGD for each batch size, from one start, for the same epochs.

    An epoch is one pass over the data: one step of full-batch descent, or
    ceil(n / batch_size) minibatch steps. Returns {label: (Trajectory,
    steps_per_epoch)}, the full-batch run first. `landscape` must carry data
    (`landscape.has_data`), like `classifier.classifier_landscape`.
    """
    landscape = landscapes.get(landscape)
    if not landscape.has_data:
        raise ValueError(f"landscape must carry data for minibatches (has_data), got {landscape.name!r}; "
                         "use gdviz.classifier.classifier_landscape()")
    epochs = _checks.count("epochs", epochs, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    runs = {"full batch": (run(optimizers.gradient_descent(landscape, start, alpha), max_steps=epochs), 1)}
    for batch_size in batch_sizes:
        per_epoch = _steps_per_epoch(landscape, _checks.count("batch_size", batch_size, minimum=1))
        steps = optimizers.sgd(landscape, start, alpha, batch_size=batch_size, shuffle=shuffle, seed=seed)
        label = f"batch {batch_size}" + ("" if shuffle else ", unshuffled")
        runs[label] = (run(steps, max_steps=epochs * per_epoch), per_epoch)
    return runs


def sgd_figure(landscape, runs, x="epochs"):
    """Paths on the map of the full-data loss (left) and that loss against epochs or steps (right).

    `runs` is what `sgd_runs` returns. The loss drawn is always on all the
    data, so the curves compare fairly; on the epoch axis a minibatch step
    counts as batch_size / n of an epoch.
    """
    landscape = landscapes.get(landscape)
    _checks.choice("x", x, ("epochs", "steps"))
    if not hasattr(runs, "items") or not runs:
        raise TypeError(f"runs must be the non-empty dict that sgd_runs() returns, got {runs!r}")
    figure = make_subplots(rows=1, cols=2, subplot_titles=("paths on the loss of all the data",
                                                           f"loss on all the data, per {x[:-1]}"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    for index, (label, (walk, per_epoch)) in enumerate(runs.items()):
        figure.add_trace(_path_trace(walk, label, index), row=1, col=1)
        where = walk.t / per_epoch if x == "epochs" else walk.t
        figure.add_trace(go.Scatter(x=where, y=walk.loss, mode="lines", name=label, legendgroup=label,
                                    showlegend=False, line={"color": _colour(index)}), row=1, col=2)
    _frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text=x, row=1, col=2)
    figure.update_yaxes(title_text="loss", row=1, col=2)
    figure.update_layout(title=f"Minibatches on {landscape.name}", height=470, width=1000)
    return figure
