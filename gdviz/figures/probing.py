"""Chad's sensor (03): how good a probed slope is, an animation of his probing, and the gradient drawn:
arrows of -grad on the contour map, crossing the contours at right angles."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.probing import GradientField, ProbeErrors, Probing
from . import theme
from .style import make_trace, trace_index
from .walks import contour_trace, curve_trace, frame_axes

__all__ = ["arrow_coordinates", "gradient_field_figure", "probe_error_figure", "probing_figure"]


def probe_error_figure(errors):
    """Error of Chad's slope estimate against the probe size h, on log-log axes.

    `errors` is what `experiments.probe_errors` returns. The best h for each
    method is marked: to its right the chord is too long (truncation), to its
    left the two readings are too close to tell apart in floating point
    (round-off).
    """
    errors = _checks.result("errors", errors, ProbeErrors, "experiments.probe_errors")
    landscape, h_values, by_method = errors.landscape, errors.h_values, errors.errors
    figure = make_subplots(rows=1, cols=1)
    for index, (method, error) in enumerate(by_method.items()):
        shown = theme.on_log_axis(error)
        best = int(np.argmin(error))
        figure.add_trace(curve_trace(h_values, shown, method, index, showlegend=True, role=f"curve {method}"))
        figure.data[-1].update(mode="lines+markers", marker={"size": 5})
        figure.add_trace(make_trace(f"best {method}", x=[h_values[best]], y=[shown[best]],
                                    marker={"color": theme.colour(index)},
                                    text=[f"best {method}: h={h_values[best]:.0e}"]))
    figure.update_xaxes(type="log", title_text="probe size h", exponentformat="power")
    figure.update_yaxes(type="log", title_text="relative error of the gradient", exponentformat="power")
    where = np.round(errors.w, 3).tolist()
    figure.update_layout(theme.base_layout(f"How good is the probed slope? {landscape.name} at w={where}",
                                           420, 720), legend=theme.legend_inside("bottom right"))
    return theme.finish(figure)


def _line(slope, offsets, through):
    offsets = np.asarray(offsets, dtype=float)
    return offsets, through[1] + slope * (offsets - through[0])


def probing_figure(probe):
    """Chad feels the slope: an animation of his probing steps, readable with no kernel.

    Left, the map: Chad at w steps h along each axis (and back, for centred
    differences), reading the loss each time. Right, the loss along the axis
    he is probing: the readings, the chord through them (its slope is his
    estimate) and the tangent (the true slope). The last frame draws the
    estimated downhill direction -g beside the true one. h is drawn large so
    the steps can be seen; in practice it is about 1e-5. `probe` is what
    `experiments.probing` returns.
    """
    probe = _checks.result("probe", probe, Probing, "experiments.probing")
    landscape, w, offsets = probe.landscape, probe.w, probe.offsets
    ends = [offsets[0], offsets[-1]]
    figure = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45],
                           subplot_titles=("Chad on the map", "loss along the probed axis"))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    figure.add_trace(make_trace("start", x=[w[0]], y=[w[1]], name="Chad", marker={"size": 14}), row=1, col=1)
    figure.add_trace(make_trace("probe", x=[w[0]], y=[w[1]]), row=1, col=1)
    for role in ("downhill", "true_downhill"):
        figure.add_trace(make_trace(role, x=[], y=[]), row=1, col=1)
    figure.add_trace(make_trace("curve section", x=offsets, y=probe.sections[0], name="loss section",
                                line={"color": "grey"}), row=1, col=2)
    figure.add_trace(make_trace("readings", x=[0.0], y=[probe.here]), row=1, col=2)
    figure.add_trace(make_trace("curve chord", x=[], y=[], name="chord (estimate)",
                                line={"color": theme.colour(0), "width": 2}), row=1, col=2)
    figure.add_trace(make_trace("curve tangent", x=[], y=[], name="tangent (true slope)",
                                line={"color": theme.INK, "dash": "dot"}), row=1, col=2)
    moving = ["probe", "downhill", "true_downhill", "curve section", "readings", "curve chord",
              "curve tangent"]
    indices = {role: trace_index(figure, role) for role in moving}

    frames = []
    for number, move in enumerate(probe.moves):
        chord_x, chord_y = [], []
        tangent_x, tangent_y = [], []
        if move.chord:
            (s0, l0), (s1, l1) = move.readings[-2:]
            chord_x, chord_y = _line((l1 - l0) / (s1 - s0), ends, (s0, l0))
            tangent_x, tangent_y = _line(probe.exact[move.axis], ends, (0.0, probe.here))
        data = {"probe": ([move.probe[0]], [move.probe[1]]), "downhill": ([], []), "true_downhill": ([], []),
                "curve section": (offsets, probe.sections[move.axis]),
                "readings": ([r[0] for r in move.readings], [r[1] for r in move.readings]),
                "curve chord": (chord_x, chord_y), "curve tangent": (tangent_x, tangent_y)}
        frames.append(_frame(number, data, indices, f"{number + 1}. {move.caption} "
                                                    f"(right: the loss along w{move.axis + 1})"))
    # The final frame: the two partial slopes make the gradient; downhill is -g.
    reach = 0.15 * (landscape.domain[0][1] - landscape.domain[0][0])

    def arrow(vector):
        norm = np.linalg.norm(vector)
        tip = w - reach * vector / norm if norm > 0 else w
        return [w[0], tip[0]], [w[1], tip[1]]

    estimate, exact = probe.estimate, probe.exact
    summary = (f"{len(probe.moves) + 1}. estimate g≈({estimate[0]:.3g}, {estimate[1]:.3g}), true "
               f"({exact[0]:.3g}, {exact[1]:.3g}); it cost {probe.readings} loss readings")
    frames.append(_frame(len(probe.moves), {"probe": ([w[0]], [w[1]]), "downhill": arrow(estimate),
                                            "true_downhill": arrow(exact)}, indices, summary))
    figure.frames = frames
    frame_axes(figure, landscape, 1, 1)
    # Frames do not rescale axes: fix the right panel to hold every frame's section.
    low, high = min(s.min() for s in probe.sections), max(s.max() for s in probe.sections)
    pad = 0.05 * (high - low) or 1.0
    figure.update_xaxes(title_text="offset from Chad along the probed axis", range=ends, row=1, col=2)
    figure.update_yaxes(title_text="loss", range=[low - pad, high + pad], row=1, col=2)
    figure.update_layout(theme.base_layout(f"1. {probe.moves[0].caption}", 500, 980), margin={"b": 110},
                         updatemenus=[_play_button()], sliders=[_frame_slider([f.name for f in frames])])
    return theme.finish(figure)


def _frame(number, data, indices, caption):
    """An animation frame that sets the x and y of the given roles and the title."""
    roles = list(data)
    return go.Frame(name=str(number), traces=[indices[role] for role in roles],
                    data=[go.Scatter(x=data[role][0], y=data[role][1]) for role in roles],
                    layout={"title.text": caption})


def _play_button():
    return {"type": "buttons", "x": 0.0, "y": -0.18, "xanchor": "left", "yanchor": "top", "direction": "left",
            "pad": {"t": 10},
            "buttons": [{"label": "▶ Play", "method": "animate",
                         "args": [None, {"frame": {"duration": 1200, "redraw": True}, "fromcurrent": True,
                                         "transition": {"duration": 0}}]}]}


def _frame_slider(names):
    return {"active": 0, "x": 0.1, "len": 0.9, "y": -0.12, "yanchor": "top",
            "currentvalue": {"prefix": "frame "},
            "steps": [{"label": name, "method": "animate",
                       "args": [[name], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}]}
                      for name in names]}


def arrow_coordinates(tails, tips):
    """x and y of one trace drawing many arrows: tail, tip, then a gap (None) for each.

    Plotly breaks a line at None, so the arrows are separate; the arrowhead is
    the tip's marker, turned along the segment from its tail.
    """
    tails, tips = np.asarray(tails, dtype=float), np.asarray(tips, dtype=float)
    x = np.full(3 * len(tails), None, dtype=object)
    y = np.full(3 * len(tails), None, dtype=object)
    x[0::3], x[1::3] = tails[:, 0], tips[:, 0]
    y[0::3], y[1::3] = tails[:, 1], tips[:, 1]
    return x, y


def gradient_field_figure(field):
    """Arrows of -grad, the steepest way down, at the centres of an n x n grid over the contour map.

    `field` is what `experiments.gradient_field` returns. Every arrow has the
    same length, 0.6 of a grid cell: the picture shows the direction of
    steepest descent, not how steep it is (hover over a tip for |∇L|). The
    axes have equal units, so a right angle on the map is a right angle in
    the landscape.
    """
    field = _checks.result("field", field, GradientField, "experiments.gradient_field")
    landscape = field.landscape
    tips = field.points + 0.6 * min(field.spacing) * field.downhill
    x, y = arrow_coordinates(field.points, tips)
    steepness = np.linalg.norm(field.grad, axis=-1)
    text = [label for size in steepness for label in ("", f"|∇L| = {size:.3g}", "")]
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(contour_trace(landscape))
    figure.add_trace(make_trace("downhill field", x=x, y=y, name="−∇L: downhill, steepest first",
                                marker={"size": [0, 13, 0] * len(tips)}, line={"width": 2}, text=text,
                                hovertemplate="%{text}<extra></extra>"))
    if len(landscape.minima):
        figure.add_trace(make_trace("minimum", x=landscape.minima[:, 0], y=landscape.minima[:, 1]))
    frame_axes(figure, landscape)
    title = f"−∇L on {landscape.name}: downhill, across the contours"
    figure.update_layout(theme.base_layout(title, 640, 600), legend={"orientation": "h", "x": 0, "y": -0.14})
    return theme.finish(figure)
