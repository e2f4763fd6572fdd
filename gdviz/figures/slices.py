"""Slices of a landscape (02): the catalogue side by side, and straight-line slices through a point.

Contour maps colour the loss on a log scale, log(1 + L - min L) (`walks.contour_trace`), so that the
Rosenbrock valley and the Rastrigin dimples both show; hovering gives the true loss.
"""

import math

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks, landscapes
from ..experiments.slices import Slices
from . import theme
from .style import make_trace
from .walks import contour_trace, curve_trace, frame_axes

__all__ = ["gallery_figure", "slices_figure"]


def gallery_figure(names=None, n=60, columns=3):
    """Contour maps of catalogue landscapes side by side, with minima and default starts.

    Stars mark the known minima, the orange dot the start Chad is dropped at.
    """
    names = landscapes.names() if names is None else list(names)
    if not names:
        raise ValueError("names must list at least one landscape, got an empty list")
    columns = _checks.count("columns", columns, minimum=1)
    if theme.presenting():
        columns = min(columns, 2)  # a projector's text needs the width of half the figure per map
    chosen = [landscapes.get(name) for name in names]
    rows = math.ceil(len(chosen) / columns)
    # Each map's title: its name, then its formula wrapped to the map's width; the rows leave
    # room for three lines of it.
    titles = [f"<b>{land.name}</b><br>{theme.wrap(land.formula, 30)}" for land in chosen]
    lines = max(title.count("<br>") + 1 for title in titles)
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=titles, horizontal_spacing=0.08,
                           vertical_spacing=min(0.3, (lines * 28 + 60) / (360 * rows)) if rows > 1 else 0.1)
    for index, land in enumerate(chosen):
        row, col = index // columns + 1, index % columns + 1
        figure.add_trace(contour_trace(land, n, role=f"map {land.name}"), row=row, col=col)
        if len(land.minima):
            figure.add_trace(make_trace(f"minimum {land.name}", x=land.minima[:, 0], y=land.minima[:, 1],
                                        showlegend=index == 0), row=row, col=col)
        figure.add_trace(make_trace(f"start {land.name}", x=[land.start[0]], y=[land.start[1]],
                                    showlegend=index == 0), row=row, col=col)
        frame_axes(figure, land, row, col)
    figure.update_annotations(font_size=12)
    title = "The landscape catalogue: the colour is the log of the loss above its lowest value"
    figure.update_layout(theme.base_layout(title, 360 * rows, 330 * columns))
    figure.update_layout(margin={"b": 30})
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
