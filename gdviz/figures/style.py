"""Traces made by role: one table of styles, and a way to find a figure's trace by its role.

Every trace a gdviz figure draws is made here, as `make_trace(role, **data)`:
the role picks the plotly trace type and its fixed look from `STYLE`, the
data (x, y, z, text, ...) come from the caller, and nested dicts (marker,
line) are merged with the data winning. The role is written into the trace's
`meta`, so an app wrapping the figure finds a trace by what it shows
(`trace(figure, "path momentum")`), never by its position.

A role may carry a label after a space ("path momentum"): the part before the
space picks the style, the whole string names the trace.
"""

import plotly.graph_objects as go

from . import theme

STYLE = {}  # role -> (trace type, {property: value}); filled below, section by section


def _merge(style, data):
    """Style and data as one dict; nested dicts (marker, line) are merged, data winning."""
    merged = dict(style)
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def kind_of(role):
    """The style key of a role: "path momentum" -> "path"."""
    return role.split(" ", 1)[0]


def make_trace(role, **data):
    """A trace of `role`: its data dressed in the role's fixed style, tagged with the role."""
    kind = kind_of(role)
    if kind not in STYLE:
        raise ValueError(f"role must start with one of {', '.join(sorted(STYLE))}; got {role!r}")
    trace_type, style = STYLE[kind]
    return trace_type(**_merge(style, data), meta=role)


def role_of(trace):
    return trace.meta if isinstance(trace.meta, str) else None


def trace(figure, role):
    """The one trace of `figure` tagged with `role`."""
    for candidate in figure.data:
        if role_of(candidate) == role:
            return candidate
    known = ", ".join(repr(role_of(candidate)) for candidate in figure.data)
    raise KeyError(f"the figure has no trace with role {role!r}; its roles are {known}")


def trace_index(figure, role):
    """Position of the trace tagged `role` in `figure.data` (for plotly's restyle and frames)."""
    for index, candidate in enumerate(figure.data):
        if role_of(candidate) == role:
            return index
    raise KeyError(f"the figure has no trace with role {role!r}")


# ---------------------------------------------------------------- lesson roles

_HOVER_POINT = "(%{x:.3f}, %{y:.3f})"

STYLE.update({
    # A map of the loss; the lesson figures colour it by log(1 + L - min L), the true loss in customdata.
    "map": (go.Contour, {"name": "loss", "colorscale": theme.COLOURSCALE, "showscale": False,
                         "ncontours": 25, "line": {"width": 0.5}}),
    "minimum": (go.Scatter, {"name": "minimum", "mode": "markers",
                             "marker": {"symbol": "star", "size": 12, "color": "white",
                                        "line": {"width": 1, "color": theme.INK}}}),
    "start": (go.Scatter, {"name": "Chad's start", "mode": "markers",
                           "marker": {"size": 10, "color": theme.CHAD,
                                      "line": {"width": 1, "color": theme.INK}}}),
    # The other starts of a race (10): every optimizer walked from each, only the course's start is drawn.
    "starts": (go.Scatter, {"mode": "markers",
                            "marker": {"size": 7, "symbol": "circle-open", "color": theme.INK,
                                       "line": {"width": 1.5}},
                            "hovertemplate": _HOVER_POINT + "<extra>another start</extra>"}),
    # A walk on a map and its loss per step; the caller gives the colour of its series.
    "path": (go.Scatter, {"mode": "lines+markers", "line": {"width": 2}, "marker": {"size": 3},
                          "hovertemplate": _HOVER_POINT + "<extra>%{fullData.name}</extra>"}),
    "curve": (go.Scatter, {"mode": "lines"}),
    "threshold": (go.Scatter, {"mode": "lines", "line": {"dash": "dash"}}),
    "stop": (go.Scatter, {"name": "where he stopped", "mode": "markers",
                          "marker": {"size": 13, "color": theme.CHAD, "symbol": "x"}}),
    "examples": (go.Scatter, {"mode": "markers", "marker": {"size": 7, "line": {"width": 1.5}}}),
    "decision_line": (go.Scatter, {"name": "w·x + b = 0", "mode": "lines",
                                   "line": {"color": theme.INK, "width": 2}}),
    "normal": (go.Scatter, {"name": "w", "mode": "lines+markers", "line": {"color": theme.INK},
                            "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 12]}}),
    "bars": (go.Bar, {"showlegend": False, "textposition": "outside"}),
    "best": (go.Scatter, {"mode": "markers+text", "showlegend": False, "textposition": "bottom center",
                          "marker": {"size": 14, "symbol": "circle-open", "line": {"width": 2}}}),
    "probe": (go.Scatter, {"name": "probe", "mode": "markers",
                           "marker": {"size": 9, "color": "white",
                                      "line": {"width": 2, "color": theme.INK}}}),
    "downhill": (go.Scatter, {"name": "estimated downhill -g", "mode": "lines+markers",
                              "line": {"color": theme.HEADING, "width": 3},
                              "marker": {"symbol": "arrow", "angleref": "previous", "size": 14}}),
    "true_downhill": (go.Scatter, {"name": "true downhill", "mode": "lines",
                                   "line": {"color": theme.INK, "width": 2, "dash": "dot"}}),
    "readings": (go.Scatter, {"name": "readings", "mode": "markers",
                              "marker": {"size": 10, "color": theme.CHAD}}),
    # Momentum's rate over (alpha, beta) (11); the figure sets the colour scale, grey where it diverges.
    "rate_map": (go.Heatmap, {"name": "rate per step", "colorbar": {"thickness": 12, "len": 0.8},
                              "hovertemplate": "α = %{x:.3f}<br>β = %{y:.2f}<br>rate %{z:.4f} per step"
                                               "<extra></extra>"}),
    "optimum": (go.Scatter, {"mode": "markers+text", "textposition": "top center", "cliponaxis": False,
                             "marker": {"symbol": "star", "size": 15,
                                        "line": {"width": 1, "color": theme.INK}},
                             "hovertemplate": "α = %{x:.4f}<br>β = %{y:.4f}<extra>%{fullData.name}</extra>"}),
    "setting": (go.Scatter, {"name": "Chad's setting", "mode": "markers",
                             "marker": {"symbol": "circle", "size": 12, "color": theme.CHAD,
                                        "line": {"width": 2, "color": theme.INK}},
                             "hovertemplate": "α = %{x:.3f}<br>β = %{y:.2f}<extra>Chad's setting</extra>"}),
})

# Curvature (05): the Hessian's eigenvectors as arrows on a map, a direction u through Chad, and H u.
STYLE.update({
    "eigen": (go.Scatter, {"mode": "lines+markers", "line": {"width": 3, "color": "white"},
                           "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 13],
                                      "color": "white"},
                           "hovertemplate": "%{text}<extra></extra>"}),
    "direction": (go.Scatter, {"name": "the line w + t u", "mode": "lines", "hoverinfo": "skip",
                               "line": {"width": 2, "dash": "dot", "color": "rgba(255,255,255,0.85)"}}),
    "change": (go.Scatter, {"name": "H u: the gradient's change per unit step along u",
                            "mode": "lines+markers", "line": {"width": 3, "color": theme.CHAD},
                            "marker": {"symbol": "arrow", "angleref": "previous", "size": [0, 13],
                                       "color": theme.CHAD},
                            "hovertemplate": "%{text}<extra></extra>"}),
    "eigen_angle": (go.Scatter, {"name": "eigen-directions", "mode": "markers",
                                 "marker": {"symbol": "diamond", "size": 11, "line": {"width": 1.5,
                                                                                     "color": theme.INK}},
                                 "hovertemplate": "eigenvector at %{x:.1f}°<br>curvature %{y:.4g}"
                                                  "<extra></extra>"}),
    "chosen": (go.Scatter, {"name": "u", "mode": "markers",
                            "marker": {"size": 14, "symbol": "circle-open", "color": theme.CHAD,
                                       "line": {"width": 3}},
                            "hovertemplate": "u at %{x:.0f}°<br>curvature %{y:.4g}<extra></extra>"}),
})

# ---------------------------------------------------------------- explorer roles
#
# The explorer's one figure (gdviz.figures.explorer): the bowl in 3D, the contour
# map, the loss curve and a classifier's data panel. Chad's mesh gets its faces
# and their colours from gdviz.figures.robot when the figure is built.

_HOVER_MESH = "w1 %{x:.2f}<br>w2 %{y:.2f}<br>loss %{z:.3g}<extra></extra>"
_EXPLORER_STYLE = {
    "surface": (go.Surface, {"name": "loss", "colorscale": theme.COLOURSCALE, "showscale": False,
                             "hovertemplate": _HOVER_MESH,
                             "contours": {"z": {"usecolormap": True, "width": 1}}}),
    "minima": (go.Scatter3d, {"name": "minimum", "mode": "markers",
                              "marker": {"symbol": "diamond", "size": 5, "color": "white",
                                         "line": {"color": theme.INK, "width": 2}},
                              "hovertemplate": "minimum (%{x:.2f}, %{y:.2f})<extra></extra>"}),
    "trail": (go.Scatter3d, {"name": "trail", "mode": "lines+markers",
                             "line": {"color": theme.TRAIL, "width": 5},
                             "marker": {"size": 2.5, "color": theme.TRAIL},
                             "hovertemplate": "(%{x:.2f}, %{y:.2f}), loss %{z:.3g}<extra>trail</extra>"}),
    "robot": (go.Mesh3d, {"name": "Chad's body and heading", "flatshading": True,
                          "lighting": {"ambient": 0.75, "diffuse": 0.5, "specular": 0.1},
                          "hoverinfo": "skip"}),
    "chad": (go.Scatter3d, {"name": "Chad", "mode": "markers", "marker": {"size": 4, "color": theme.INK},
                            "hovertemplate": "Chad at (%{x:.2f}, %{y:.2f})<br>his sensor reads %{z:.3g}"
                                             "<extra></extra>"}),
    "contour": (go.Contour, {"name": "loss", "colorscale": theme.COLOURSCALE, "showscale": False,
                             "line": {"width": 0.5, "color": "rgba(255,255,255,0.5)"},
                             "hovertemplate": _HOVER_MESH}),
    "map_minima": (go.Scatter, {"name": "minimum", "mode": "markers",
                                "marker": {"symbol": "x-thin", "size": 11,
                                           "line": {"color": "white", "width": 3}},
                                "hovertemplate": "minimum (%{x:.2f}, %{y:.2f})<extra></extra>"}),
    "map_trail": (go.Scatter, {"name": "trail", "mode": "lines+markers",
                               "line": {"color": theme.TRAIL, "width": 2},
                               "marker": {"size": 4, "color": theme.TRAIL},
                               "hovertemplate": "(%{x:.2f}, %{y:.2f})<extra>trail</extra>"}),
    # Chad's square twice (the first is never drawn, see explorer_data._map_chad), then his arrow's tip.
    "map_chad": (go.Scatter, {"name": "Chad on the map", "mode": "lines+markers+text",
                              "text": ["", "Chad", ""],
                              "line": {"color": theme.HEADING, "width": 3},
                              "marker": {"symbol": ["square", "square", "arrow"], "angleref": "previous",
                                         "size": [12, 12, 13], "opacity": 1,  # else plotly dims them
                                         "color": [theme.CHAD, theme.CHAD, theme.HEADING],
                                         "line": {"color": theme.INK, "width": [2, 2, 0]}},
                              "textposition": "top center", "textfont": {"color": "white", "size": 12},
                              "hovertemplate": ["Chad at (%{x:.2f}, %{y:.2f})<extra></extra>"] * 2
                                               + ["his heading, -gradient<extra></extra>"]}),
    "loss_curve": (go.Scatter, {"name": "loss", "mode": "lines+markers", "x0": 0, "dx": 1,
                                "line": {"color": theme.PALETTE[0], "width": 2}, "marker": {"size": 3},
                                "hovertemplate": "step %{x}<br>loss %{y:.4g}<extra></extra>"}),
    "loss_marker": (go.Scatter, {"name": "Chad's step", "mode": "markers",
                                 "marker": {"size": 11, "color": theme.TRAIL,
                                            "line": {"color": theme.INK, "width": 2}},
                                 "hovertemplate": "step %{x}<br>loss %{y:.4g}<extra>Chad</extra>"}),
    "data_points": (go.Scatter, {"name": "examples", "mode": "markers",
                                 "marker": {"size": 8, "opacity": 0.8,
                                            "line": {"color": "white", "width": 1}},
                                 "hovertemplate": "x %{x:.2f}, class %{y:.0f}<extra></extra>"}),
    "model_curve": (go.Scatter, {"name": "P(class 1)", "mode": "lines",
                                 "line": {"color": theme.INK, "width": 2},
                                 "hovertemplate": "x %{x:.2f}<br>P(class 1) %{y:.2f}<extra></extra>"}),
    "boundary": (go.Scatter, {"name": "decision boundary", "mode": "lines+text",
                              "line": {"color": theme.HEADING, "dash": "dash", "width": 2},
                              "textposition": "top center", "hoverinfo": "skip"}),
}
_taken = sorted(set(_EXPLORER_STYLE) & set(STYLE))
if _taken:  # one name, two looks: the explorer would silently restyle a lesson's traces
    raise RuntimeError(f"explorer roles {_taken} are already lesson roles in STYLE; rename one of them")
STYLE.update(_EXPLORER_STYLE)
