"""Curvature (05): the Hessian's eigenvectors on the map, and the curvature along u as u turns.

On a map, each eigenvector v of the Hessian is an arrow from Chad's point to
point + s λ v: as long as its curvature λ, pointing along v where the ground
curves up and against it (dashed) where it curves down. The arrow H u of a
direction u is drawn at the same scale s, so along an eigen-direction it lies
on the eigenvector's arrow: there H u = λ u. Beside or below the map, the
curvature uᵀ H u for every direction θ of u from 0 to 180°, Chad's three-reading
measurements every 15° on it, and the eigen-directions marked.
"""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.curvature import CurvatureSweep, CurvatureSweeps
from . import theme
from .style import make_trace
from .walks import contour_trace, frame_axes

__all__ = ["curvature_figure", "curvature_gallery_figure"]

ARROW_SHARE = 0.3  # the largest eigenvector's arrow, as a share of the map's shorter side
SHORTEST_SHARE = 0.05  # ... but never shorter than this, even with Chad at the map's edge
READINGS_EVERY = 15.0  # degrees between the measurements drawn on a curve


def arrow_scale(sweep):
    """Map units per unit of curvature, the same for every arrow drawn from Chad's point.

    The largest |eigenvalue| is drawn ARROW_SHARE of the map's shorter side, or
    shorter so that no arrow (|H u| <= the largest |eigenvalue|) leaves the
    map, but at least SHORTEST_SHARE of it.
    """
    (xmin, xmax), (ymin, ymax) = sweep.landscape.domain
    side = min(xmax - xmin, ymax - ymin)
    x, y = sweep.point
    room = min(x - xmin, xmax - x, y - ymin, ymax - y)
    length = min(max(0.95 * room, SHORTEST_SHARE * side), ARROW_SHARE * side)
    largest = float(np.max(np.abs(sweep.eigenvalues)))
    return length / largest if largest > 0 else 0.0


def eigen_words(sweep):
    """The eigenvalues and their directions in a few words: "0.5 at 30°, 10 at 120°"."""
    if sweep.is_round:
        return f"{sweep.eigenvalues[0]:.4g} along every direction"
    pairs = zip(sweep.eigenvalues, sweep.eigen_angles, strict=True)
    return ", ".join(f"{value:.4g} at {angle:.0f}°" for value, angle in pairs)


def _role(kind, tag, *more):
    """A trace's role: "curve" in a figure of one landscape, "curve ravine" in a gallery (tag = its name)."""
    return " ".join(str(part) for part in (kind, tag, *more) if part != "")


def _map_traces(sweep, tag=""):
    """The contour map, Chad's point and the two eigenvector arrows of one sweep (drawn over him)."""
    point, scale = sweep.point, arrow_scale(sweep)
    traces = [contour_trace(sweep.landscape, 60, role=_role("map", tag)),
              make_trace(_role("start", tag), x=[point[0]], y=[point[1]], name="Chad", showlegend=False,
                         hovertemplate="Chad at (%{x:.2f}, %{y:.2f})<extra></extra>")]
    for index, (value, vector, angle) in enumerate(zip(sweep.eigenvalues, sweep.eigenvectors.T,
                                                       sweep.eigen_angles, strict=True)):
        tip = point + scale * value * vector
        words = f"eigenvector at {angle:.0f}°, curvature λ = {value:.4g}"
        if value < 0:
            words += " (curves down)"
        traces.append(make_trace(
            _role("eigen", tag, index + 1), x=[point[0], tip[0]], y=[point[1], tip[1]], text=["", words],
            name=f"eigenvector, λ = {value:.4g}", showlegend=False,
            line={"dash": "dash" if value < 0 else "solid"}))
    return traces


def _curve_traces(sweep, index, tag="", first=True):
    """uᵀ H u against θ, the readings every 15°, and the eigen-directions, in the index-th colour."""
    colour, label = theme.colour(index), sweep.landscape.name
    shown = np.isclose(np.mod(sweep.angles, READINGS_EVERY), 0.0) | np.isclose(
        np.mod(sweep.angles, READINGS_EVERY), READINGS_EVERY)
    # An eigenvector at 0° is also the one at 180°, the same line: marked at both ends of the curve.
    at_zero = np.isclose(sweep.eigen_angles, 0.0)
    eigen_x = np.concatenate([sweep.eigen_angles, np.full(at_zero.sum(), 180.0)])
    eigen_y = np.concatenate([sweep.eigenvalues, sweep.eigenvalues[at_zero]])
    if sweep.is_round:  # every direction is an eigenvector: none is marked
        eigen_x, eigen_y = [], []
    return [
        make_trace(_role("curve", tag), x=sweep.angles, y=sweep.curvatures, name=label,
                   legendgroup=label, showlegend=True, line={"color": colour, "width": 2.5},
                   hovertemplate="u at %{x:.0f}°<br>uᵀHu = %{y:.4g}<extra>" + label + "</extra>"),
        make_trace(_role("readings", tag), x=sweep.angles[shown], y=sweep.measured[shown],
                   name="three loss readings", legendgroup="readings", showlegend=first,
                   marker={"size": 7, "color": "white", "line": {"width": 2, "color": colour}},
                   hovertemplate="u at %{x:.0f}°<br>readings give %{y:.4g}<extra>" + label + "</extra>"),
        make_trace(_role("eigen_angle", tag), x=eigen_x, y=eigen_y, legendgroup="eigen_angle",
                   showlegend=first, marker={"color": colour}),
    ]


def _label_curve_axes(figure, row, col):
    figure.update_xaxes(title_text="direction θ of u, degrees from the w1 axis", range=[0, 180], dtick=30,
                        row=row, col=col)
    figure.update_yaxes(title_text="curvature along u, uᵀHu", row=row, col=col)


def curvature_figure(sweep, angle=None):
    """One point of one landscape: the map with the eigenvectors (left), uᵀ H u against θ (right).

    `sweep` is what `experiments.curvature_sweep` returns. With `angle` (degrees)
    a direction u is drawn too: the line through Chad along u (dotted), the
    arrow H u (orange) at the eigenvectors' scale, and u's point on the curve.
    """
    sweep = _checks.result("sweep", sweep, CurvatureSweep, "experiments.curvature_sweep")
    name = sweep.landscape.name
    where = ", ".join(f"{value:.3g}" for value in sweep.point)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.45, 0.55], horizontal_spacing=0.1,
                           subplot_titles=(f"eigenvectors at ({where}), white arrows ∝ λ",
                                           f"curvature along u: {eigen_words(sweep)}"))
    for trace in _map_traces(sweep):  # roles without the landscape's name: an app swaps landscapes
        figure.add_trace(trace, row=1, col=1)
    if angle is not None:
        unit, change = sweep.direction_at(angle), sweep.change_at(angle)
        (xmin, xmax), (ymin, ymax) = sweep.landscape.domain
        reach = np.hypot(xmax - xmin, ymax - ymin)  # the line crosses the whole map
        ends = sweep.point + np.outer([-reach, reach], unit)
        tip = sweep.point + arrow_scale(sweep) * change
        figure.add_trace(make_trace("direction", x=ends[:, 0], y=ends[:, 1], showlegend=False), row=1, col=1)
        figure.add_trace(make_trace("change", x=[sweep.point[0], tip[0]], y=[sweep.point[1], tip[1]],
                                    text=["", f"H u = ({change[0]:.3g}, {change[1]:.3g})"]), row=1, col=1)
    for trace in _curve_traces(sweep, 0):
        figure.add_trace(trace, row=1, col=2)
    if angle is not None:
        figure.add_trace(make_trace("chosen", x=[float(angle) % 180.0], y=[sweep.along(angle)]), row=1, col=2)
    frame_axes(figure, sweep.landscape, 1, 1)
    _label_curve_axes(figure, 1, 2)
    figure.update_annotations(font_size=12)
    figure.update_layout(theme.base_layout(f"Curvature on {name}", 540, 980),
                         legend={"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"},
                         margin={"b": 140})
    return theme.finish(figure)


def curvature_gallery_figure(sweeps):
    """Several landscapes: their maps with eigenvector arrows in a row, their curves uᵀ H u in one panel.

    `sweeps` is what `experiments.curvature_sweeps` returns.
    """
    sweeps = _checks.result("sweeps", sweeps, CurvatureSweeps, "experiments.curvature_sweeps")
    columns = len(sweeps)
    specs = [[{}] * columns, [{"colspan": columns}] + [None] * (columns - 1)]
    titles = [f"<b>{name}</b><br>{eigen_words(sweep)}" for name, sweep in sweeps.items()]
    figure = make_subplots(rows=2, cols=columns, specs=specs, row_heights=[0.5, 0.5], vertical_spacing=0.16,
                           horizontal_spacing=0.05, subplot_titles=[*titles, "curvature along u, as u turns"])
    for index, (name, sweep) in enumerate(sweeps.items()):
        for trace in _map_traces(sweep, name):
            figure.add_trace(trace, row=1, col=index + 1)
        frame_axes(figure, sweep.landscape, 1, index + 1)
        figure.update_xaxes(title_text=None, row=1, col=index + 1)
        figure.update_yaxes(title_text=None, row=1, col=index + 1)
        for trace in _curve_traces(sweep, index, name, first=index == 0):
            figure.add_trace(trace, row=2, col=1)
    _label_curve_axes(figure, 2, 1)
    figure.update_annotations(font_size=12)
    figure.update_layout(theme.base_layout("Eigenvectors, arrows ∝ curvature, and the curvature along u", 700,
                                           240 * columns + 60),
                         legend={"orientation": "h", "x": 0, "y": -0.17, "yanchor": "top"},
                         margin={"t": 110, "b": 130})
    return theme.finish(figure)
