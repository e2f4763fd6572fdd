"""Neural network landscapes (13): slices as maps and surfaces, the line from start to end, the training path.

Maps colour the loss by log(1 + L), so a slice that climbs to 50 still shows
its valley; hovering gives the loss itself. Where a loss is not finite the map
and the surface leave a gap. The slices' axes are the offsets a and b along
the directions d1 and d2, in units of those directions.
"""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.neural_landscape import LinearSlices, NetworkSlice, TrainingPath, Variations
from . import theme
from .style import make_trace
from .walks import curve_trace

__all__ = ["interpolation_figure", "linear_slices_figure", "network_slice_figure", "training_path_figure",
           "variations_figure"]

_HOVER = "a=%{x:.2f}<br>b=%{y:.2f}<br>loss=%{customdata:.4g}<extra></extra>"


def _gaps(values):
    """The values as floats, with NaN (a gap in plotly) wherever one is not finite."""
    values = np.asarray(values, dtype=float)
    return np.where(np.isfinite(values), values, np.nan)


def _map(X, Y, Z, role, **style):
    """A contour map of a meshed slice, coloured by log(1 + loss)."""
    loss = _gaps(Z)
    with np.errstate(invalid="ignore"):
        colour = np.log1p(np.where(loss >= 0, loss, np.nan))
    return make_trace(role, x=X[0], y=Y[:, 0], z=colour, customdata=loss, hovertemplate=_HOVER, **style)


def _theta(name="trained weights θ"):
    """A marker at (0, 0), where the slice passes through theta."""
    return make_trace("start theta", x=[0.0], y=[0.0], name=name, showlegend=True,
                      marker={"color": "white", "symbol": "diamond", "line": {"color": theme.INK, "width": 2},
                              "size": 12})


def _slice_axes(figure, row, col, first="a (along d1)", second="b (along d2)"):
    figure.update_xaxes(title_text=first, row=row, col=col)
    figure.update_yaxes(title_text=second, row=row, col=col)


def linear_slices_figure(result):
    """A linear classifier's slices: the loss along random lines through theta (left), a random plane (right).

    `result` is what `experiments.linear_slices` returns.
    """
    result = _checks.result("result", result, LinearSlices, "experiments.linear_slices")
    figure = make_subplots(rows=1, cols=2, subplot_titles=("along random lines", "on a random plane"),
                           horizontal_spacing=0.14)
    for index, line in enumerate(result.lines):
        figure.add_trace(curve_trace(result.offsets, line, f"line {index + 1}", index, showlegend=True),
                         row=1, col=1)
    figure.add_trace(_map(result.X, result.Y, result.Z, "map linear"), row=1, col=2)
    figure.add_trace(_theta(), row=1, col=2)
    figure.update_xaxes(title_text="t (along the line's d)", row=1, col=1)
    figure.update_yaxes(title_text="loss", row=1, col=1)
    _slice_axes(figure, 1, 2)
    figure.update_layout(theme.base_layout("A linear classifier: every slice is a bowl", 440, 940),
                         legend={"orientation": "h", "x": 0.0, "y": -0.2, "yanchor": "top"})
    return theme.finish(figure)


def network_slice_figure(result):
    """The network's slice as a surface (left) and a map (right), from `experiments.network_slice`.

    On a projector the two are stacked, the surface above, so each keeps the width its text needs.
    The diamond on the map is theta, where the slice passes through the trained weights.
    """
    result = _checks.result("result", result, NetworkSlice, "experiments.network_slice")
    titles = ("the surface", "the map (◇: the trained θ)")
    if theme.presenting():
        figure = make_subplots(rows=2, cols=1, specs=[[{"type": "scene"}], [{"type": "xy"}]],
                               subplot_titles=titles, vertical_spacing=0.12)
        place, height, width = {"row": 2, "col": 1}, 900, 700
    else:
        figure = make_subplots(rows=1, cols=2, specs=[[{"type": "scene"}, {"type": "xy"}]],
                               subplot_titles=titles, column_widths=[0.55, 0.45])
        place, height, width = {"row": 1, "col": 2}, 480, 960
    loss = _gaps(result.Z)
    figure.add_trace(make_trace("surface slice", x=result.X[0], y=result.Y[:, 0], z=loss,
                                hovertemplate="a=%{x:.2f}<br>b=%{y:.2f}<br>loss=%{z:.4g}<extra></extra>"),
                     row=1, col=1)
    figure.add_trace(_map(result.X, result.Y, result.Z, "map slice"), **place)
    figure.add_trace(_theta().update(showlegend=False), **place)
    _slice_axes(figure, **place)
    # Few ticks: a projector's large tick labels would run into each other along the scene's short edges.
    axis = {"backgroundcolor": "#f2f2f2", "showbackground": True, "nticks": 3 if theme.presenting() else 5}
    top = float(np.nanmax(loss)) if np.isfinite(loss).any() else 1.0
    # The loss axis starts a little below 0, so its 0 does not sit on the corner where b's ticks end.
    loss_range = [-(0.3 if theme.presenting() else 0.15) * top, 1.05 * top]
    title = f"A {result.trained.network.name}: a random slice"
    away = 1.35 if theme.presenting() else 1.0  # on a projector the camera stands off: labels stay in the box
    figure.update_layout(theme.base_layout(title, height, width), showlegend=False,
                         scene={"xaxis": {**axis, "title": {"text": "a"}},
                                "yaxis": {**axis, "title": {"text": "b"}},
                                "zaxis": {**axis, "title": {"text": "loss"}, "range": loss_range},
                                "aspectmode": "manual",
                                "aspectratio": {"x": 1, "y": 1, "z": 0.7},
                                "camera": {"eye": {"x": -1.3 * away, "y": -1.5 * away, "z": 1.1 * away}}})
    return theme.finish(figure)


def interpolation_figure(result):
    """The loss on the straight line from the start theta0 (t = 0) to the trained theta (t = 1) and beyond.

    `result` is what `experiments.network_slice` returns.
    """
    result = _checks.result("result", result, NetworkSlice, "experiments.network_slice")
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(curve_trace(result.ts, _gaps(result.line), "loss on the line", 0, showlegend=True))
    ends = [float(np.interp(t, result.ts, result.line)) for t in (0.0, 1.0)]
    figure.add_trace(make_trace("start", x=[0.0], y=[ends[0]], name="start θ0 (t = 0)"))
    figure.add_trace(make_trace("stop trained", x=[1.0], y=[ends[1]], name="trained θ (t = 1)"))
    figure.update_xaxes(title_text="t, from θ0 to θ")
    figure.update_yaxes(title_text="loss", rangemode="tozero")
    figure.update_layout(theme.base_layout("The straight line from start to end", 400, 700),
                         legend={"orientation": "h", "x": 0.0, "y": -0.22, "yanchor": "top"})
    return theme.finish(figure)


def training_path_figure(result):
    """The training path on its principal plane's map (left), beside a random walk on its own plane (right).

    `result` is what `experiments.training_path` returns; each panel's title
    gives the share of the variance its first two directions explain.
    """
    result = _checks.result("result", result, TrainingPath, "experiments.training_path")
    path, walk = result.coordinates, result.walk_coordinates
    titles = (f"training path: {result.ratios.sum():.0%} in this plane",
              f"random walk: {result.walk_ratios.sum():.0%} in its plane")
    spacing = 0.17 if theme.presenting() else 0.12  # the right map's axis title clears the left map
    figure = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=spacing)
    figure.add_trace(_map(result.X, result.Y, result.Z, "map plane"), row=1, col=1)
    figure.add_trace(make_trace("path training", x=path[:, 0], y=path[:, 1], name="training path (projected)",
                                line={"color": theme.TRAIL}, marker={"size": 2}), row=1, col=1)
    figure.add_trace(make_trace("start", x=path[:1, 0], y=path[:1, 1], name="start"), row=1, col=1)
    figure.add_trace(_theta("end: trained θ"), row=1, col=1)
    figure.add_trace(make_trace("path walk", x=walk[:, 0], y=walk[:, 1], name="random walk (projected)",
                                line={"color": theme.colour(0)}, marker={"size": 2}), row=1, col=2)
    figure.add_trace(make_trace("start walk", x=walk[:1, 0], y=walk[:1, 1], showlegend=False), row=1, col=2)
    (a_low, a_high), (b_low, b_high) = result.landscape.domain
    figure.update_xaxes(range=[a_low, a_high], row=1, col=1)
    figure.update_yaxes(range=[b_low, b_high], row=1, col=1)
    for col in (1, 2):
        _slice_axes(figure, 1, col, "first principal direction", "second")
    figure.update_layout(theme.base_layout("Where training went, seen on its own plane", 460, 960),
                         legend={"orientation": "h", "x": 0.0, "y": -0.2, "yanchor": "top"})
    return theme.finish(figure)


def variations_figure(result, columns=3):
    """One random slice per variation (each preset drawn once), on one colour scale: log(1 + loss).

    `result` is what `experiments.variations` returns; each map's title is its
    label and the mean loss over the square, averaged over the random slices.
    """
    result = _checks.result("result", result, Variations, "experiments.variations")
    columns = _checks.count("columns", columns, minimum=1)
    if theme.presenting():
        columns = min(columns, 2)
    shown = {}
    for label, row in result.items():  # "16 units" and "tanh" are one network: one map, both names
        shown.setdefault(row.trained.name, []).append(label)
    labels = list(shown.values())
    rows = -(-len(labels) // columns)
    titles = [f"{' = '.join(names)}: mean {result[names[0]].square_mean:.2f}" for names in labels]
    spacing = 0.12 if theme.presenting() else 0.07  # room for the tick labels of the map on the right
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=spacing,
                           vertical_spacing=0.16 if rows > 1 else 0.1)
    top = max(float(np.nanmax(np.log1p(_gaps(result[names[0]].Z)))) for names in labels)
    for index, names in enumerate(labels):
        row = result[names[0]]
        place = {"row": index // columns + 1, "col": index % columns + 1}
        colour_bar = {"title": {"text": "log(1 + loss)"}, "thickness": 12, "len": 0.8}
        figure.add_trace(_map(row.X, row.Y, row.Z, f"map {names[0]}", zmin=0.0, zmax=top,
                              showscale=index == 0, colorbar=colour_bar), **place)
        figure.update_xaxes(title_text="a", **place)
        if place["col"] == 1:  # beside the other maps a title would sit on their neighbour's tick labels
            figure.update_yaxes(title_text="b", **place)
    figure.update_annotations(font_size=12)
    title = "Random slices of networks that differ in one thing"
    figure.update_layout(theme.base_layout(title, 330 * rows + 60, 320 * columns + 60))
    return theme.finish(figure)
