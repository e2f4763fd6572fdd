"""Why momentum works (11): the rate map over (alpha, beta), and a walk set beside its prediction."""

import numpy as np
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from .. import landscapes
from . import theme
from .style import make_trace
from .walks import contour_trace, frame_axes

__all__ = ["momentum_rate_figure", "momentum_walk_figure"]

DIVERGING = "#BBBBBB"  # no convergence: a grey that no colour of the rate scale comes near
_LEGEND_BELOW = {"orientation": "h", "x": 0.0, "y": -0.12, "yanchor": "top"}


def _rate_colours(rate_map):
    """(zmin, zmax, colourscale): fast rates bright, slow ones dark, and every rate >= 1 grey.

    zmax sits a little above 1 and the scale turns grey at 1, so plotly's
    clamping of values above zmax paints every non-converging cell grey.
    """
    low = float(np.floor(20 * rate_map.optimum.rate) / 20)  # a round value at or below the best rate
    high = 1.0 + 0.06 * (1.0 - low)
    edge = (1.0 - low) / (high - low)
    colours = sample_colorscale("Viridis", list(np.linspace(1.0, 0.0, 9)))  # reversed: fast is bright
    scale = [[edge * i / 8, colour] for i, colour in enumerate(colours)]
    return low, high, scale + [[edge, DIVERGING], [1.0, DIVERGING]]


def _add_rate_map(figure, rate_map, chosen=None, row=1, col=1, colorbar=None):
    """The heat map, the edge of divergence, both optima and (when given) Chad's (alpha, beta)."""
    low, high, scale = _rate_colours(rate_map)
    ticks = [value for value in np.arange(low, 1.0001, 0.05)]
    labels = [f"{value:.2f}" for value in ticks[:-1]] + ["≥ 1"]
    figure.add_trace(make_trace("rate_map", x=rate_map.alpha, y=rate_map.beta, z=rate_map.rate,
                                zmin=low, zmax=high, colorscale=scale,
                                colorbar={"tickvals": ticks, "ticktext": labels,
                                          "title": {"text": "rate<br>(grey: ≥ 1)"}, **(colorbar or {})}),
                     row=row, col=col)
    optimum = rate_map.optimum
    figure.add_trace(make_trace("threshold speed limit", x=rate_map.speed_limit, y=rate_map.beta,
                                name="edge: α = 2(1 + β)/L", line={"color": theme.INK, "width": 1.5}),
                     row=row, col=col)
    figure.add_trace(make_trace("optimum descent", x=[optimum.descent_alpha], y=[0.0],
                                name=f"plain descent's best, rate {optimum.descent_rate:.3f}",
                                text=["plain descent's best"], textposition="top left", showlegend=False,
                                marker={"color": theme.PALETTE[5], "symbol": "diamond"}),
                     row=row, col=col)
    figure.add_trace(make_trace("optimum momentum", x=[optimum.alpha], y=[optimum.beta],
                                name=f"momentum's best, rate {optimum.rate:.3f}", text=["momentum's best"],
                                showlegend=False, marker={"color": "white"}),
                     row=row, col=col)
    if chosen is not None:
        figure.add_trace(make_trace("setting", x=[chosen[0]], y=[chosen[1]]), row=row, col=col)
    step = rate_map.alpha[1] - rate_map.alpha[0] if len(rate_map.alpha) > 1 else rate_map.alpha[0]
    figure.update_xaxes(title_text="learning rate α", range=[0, rate_map.alpha[-1] + step / 2],
                        row=row, col=col)
    figure.update_yaxes(title_text="momentum β", range=[-0.005, rate_map.beta[-1] + 0.005],
                        row=row, col=col)


def _curvature_words(rate_map):
    low, high = rate_map.optimum.low, rate_map.optimum.high
    return f"curvatures {low:.3g} to {high:.3g}, k = {rate_map.optimum.condition:.3g}"


def momentum_rate_figure(rate_map, chosen=None, height=520, width=720):
    """Heavy-ball momentum's rate per step over (alpha, beta): `experiments.rate_map`'s result drawn.

    Colour is the rate (bright is fast), grey where it is >= 1 (no
    convergence). The line is the edge of divergence alpha = 2 (1 + beta) / L;
    a white star marks the best (alpha*, beta*), a diamond on the bottom row
    (beta = 0) plain descent's best, and `chosen` = (alpha, beta) a setting.
    """
    figure = make_subplots(rows=1, cols=1)
    _add_rate_map(figure, rate_map, chosen)
    title = f"Momentum's rate per step on a quadratic ({_curvature_words(rate_map)})"
    figure.update_layout(theme.base_layout(title, height, width), legend=_LEGEND_BELOW)
    return theme.finish(figure)


def momentum_walk_figure(rate_map, walk, height=760, width=920):
    """The rate map with Chad's (alpha, beta) (top left), his walk (top right), his decay (bottom).

    `walk` is `experiments.momentum_walk`'s result on the landscape whose
    curvatures made `rate_map`. The bottom panel sets his distance to the
    minimum per step beside the prediction distance[0] rate^t, on a log axis
    when every distance is > 0.
    """
    landscape = landscapes.get(walk.landscape)
    trajectory = walk.trajectory
    # The gap between the maps holds the rate's colour bar: wider for a projector's larger ticks.
    figure = make_subplots(rows=2, cols=2, specs=[[{}, {}], [{"colspan": 2}, None]],
                           horizontal_spacing=0.25 if theme.presenting() else 0.16, vertical_spacing=0.14,
                           row_heights=[0.58, 0.42],
                           subplot_titles=("rate per step: click to choose α and β",
                                           f"Chad on the {landscape.name}",
                                           "distance to the minimum per step"))
    right_of_map = figure.layout.xaxis.domain[1] + 0.01
    _add_rate_map(figure, rate_map, (walk.alpha, walk.beta), 1, 1,
                  colorbar={"x": right_of_map, "y": 1.0, "yanchor": "top", "len": 0.55})
    figure.add_trace(contour_trace(landscape, 60), row=1, col=2)
    figure.add_trace(make_trace("minimum", x=landscape.minima[:, 0], y=landscape.minima[:, 1],
                                showlegend=False), row=1, col=2)
    figure.add_trace(make_trace("path Chad", x=trajectory.w[:, 0], y=trajectory.w[:, 1], name="Chad",
                                showlegend=False, line={"color": theme.CHAD},
                                marker={"size": 4, "color": theme.CHAD}), row=1, col=2)
    frame_axes(figure, landscape, 1, 2)
    log_y = theme.log_axis_fits(walk.distance, walk.predicted)
    shown = theme.on_log_axis if log_y else np.asarray
    steps = trajectory.t
    figure.add_trace(make_trace("curve measured", x=steps, y=shown(walk.distance), mode="lines+markers",
                                name="measured: Chad's distance", marker={"size": 3},
                                line={"color": theme.CHAD, "width": 2}), row=2, col=1)
    figure.add_trace(make_trace("curve predicted", x=steps, y=shown(walk.predicted),
                                name=f"predicted: distance₀ × {walk.rate:.4f}ᵗ",
                                line={"color": theme.INK, "dash": "dash", "width": 2}), row=2, col=1)
    figure.update_xaxes(title_text="step t", row=2, col=1)
    figure.update_yaxes(type="log" if log_y else "linear", exponentformat="power", title_text="|w − w*|",
                        row=2, col=1)
    figure.update_annotations(font_size=12)
    figure.update_layout(theme.base_layout(None, height, width), margin={"t": 40, "b": 40},
                         legend=_LEGEND_BELOW)
    return theme.finish(figure)
