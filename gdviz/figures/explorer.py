"""Chad's explorer as plotly figures: the bowl, the map, the loss curve, the data.

Every public function here returns a `go.Figure` and never displays it. The
data of each trace comes from `explorer_data` ({role: {property: value}}),
its look from the explorer section of `style.STYLE`, and each trace carries
its role in `meta`, so the live app and the animation find a trace by role
(`style.trace(figure, "chad")`), never by its position. Chad's mesh is in
`robot`; a walk pinned for comparison in `explorer_pinned`.

    >>> figure = explorer_figure("ravine")     # bowl, map and loss curve in one
    >>> style.trace(figure, "chad").x          # Chad at the ravine's start: (w1,)
    (-2.5,)

Fixed axis ranges keep the view on the landscape while a diverging Chad flies off it.
"""

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import landscapes
from . import style, theme
from .explorer_data import (
    ASPECT,
    CHAD_ROLES,
    HOVER,
    all_data,
    chad_update,
    data_points,
    data_range,
    decision_boundary,
    frame,
    model_update,
    path_of,
    path_update,
    sensor_note,
    sensor_text,
    step_of,
)
from .explorer_pinned import pinned_data

__all__ = ["animated_figure", "bowl_figure", "contour_figure", "data_figure", "decision_boundary",
           "explorer_figure", "loss_curve_figure", "sensor_text"]

# The subplot of every role; this order is the trace order of `explorer_figure`.
# Chad is few traces on purpose: each trace a move touches costs bytes on the wire.
# A pinned walk comes before the live one: drawn first, it stays behind it.
PANEL = {
    "surface": "scene", "minima": "scene", "trail pinned": "scene", "trail": "scene", "robot": "scene",
    "chad": "scene",
    "contour": "map", "map_minima": "map", "map_trail pinned": "map", "map_trail pinned label": "map",
    "map_trail": "map", "map_chad": "map",
    "loss_curve pinned": "curve", "loss_curve": "curve", "loss_marker": "curve",
    "data_points": "data", "model_curve": "data", "boundary": "data",
}
# Where each panel sits in the explorer's subplot grid: (row, col).
_GRID = {"scene": (1, 1), "map": (1, 2), "curve": (2, 2), "data": (3, 2)}


# --------------------------------------------------------------------------- layouts


def scene_layout(frame_):
    """The 3D scene: fixed ranges on the landscape's domain, axis titles w1, w2, loss.

    WebGL draws the scene's text, and plotly has no automargin for it: on a projector, where the
    text is 20 px, the camera stands farther off (the whole bowl and its tick labels stay inside
    the scene's box) and each axis carries fewer ticks, so their labels keep apart.
    """
    presenting = theme.presenting()
    distance = 1.6 if presenting else 1.0
    small = theme.presentation.MIN_FONT_PX

    def axis(title, value_range, ticks):
        fewer = {"nticks": ticks, "tickfont": {"size": small}} if presenting else {}
        return {"title": {"text": title}, "range": list(value_range), "autorange": False,
                "backgroundcolor": "#f2f2f2", "showbackground": True, **fewer}

    eye = {"x": -1.2 * distance, "y": -1.45 * distance, "z": 1.45 * distance}
    return {"xaxis": axis("w1", frame_.x_range, 5), "yaxis": axis("w2", frame_.y_range, 5),
            "zaxis": axis("loss", frame_.z_range, 3), "aspectmode": "manual", "aspectratio": ASPECT,
            "camera": {"eye": eye}, "dragmode": "turntable"}


def map_axes(frame_):
    """(xaxis, yaxis) of the contour map, fixed on the landscape's domain, one unit as long on both."""
    return ({"title": {"text": "w1"}, "range": list(frame_.x_range), "autorange": False,
             "constrain": "domain"},
            {"title": {"text": "w2"}, "range": list(frame_.y_range), "autorange": False,
             "scaleanchor": "x", "scaleratio": 1, "constrain": "domain"})


def curve_axes(trajectory, *others):
    """(xaxis, yaxis) of the loss curve; `others` are more walks on it (a pinned one).

    The loss axis is logarithmic when every loss is > 0 and they span at
    least two decades (`theme.log_axis_fits`), so the last digits of a
    convergence show; linear otherwise.
    """
    walks = [walk for walk in (trajectory, *others) if walk is not None]
    wide = theme.log_axis_fits(*(walk.loss for walk in walks), decades=2) if walks else False
    return ({"title": {"text": "step"}, "rangemode": "tozero", "autorange": True},
            {"title": {"text": "loss"}, "type": "log" if wide else "linear", "autorange": True,
             "exponentformat": "power"})  # 10⁻⁶ reads as a loss; the SI "1µ" does not


def data_axes(landscape):
    """(xaxis, yaxis) of the data panel; hidden when the landscape has no data."""
    if landscape.data is None:
        return {"visible": False}, {"visible": False}
    return ({"title": {"text": "x (feature)"}, "range": list(data_range(landscape)), "autorange": False,
             "visible": True},
            {"title": {"text": "class, P(class 1)"}, "range": [-0.1, 1.3], "autorange": False,
             "visible": True})


# His reading's label: a scene annotation rather than trace text, so it stays
# readable in front of the surface (plotly redraws 3D trace text too small
# after a restyle). Its look lives in the figure's template, as the default of
# every scene annotation: the annotation itself holds only where it points and
# what it says, the four values that change from step to step.
SENSOR_STYLE = {"showarrow": True, "arrowhead": 0, "arrowcolor": theme.INK, "ax": 0, "ay": -32,
                "font": {"size": 13, "color": theme.INK}, "bgcolor": "rgba(255,255,255,0.85)",
                "bordercolor": theme.INK, "borderpad": 3}


def sensor_template():
    """The theme's template (`theme.template()`), `SENSOR_STYLE` the default look of scene annotations.

    In presentation mode `theme.finish` later lifts the label's font with every other.
    """
    template = theme.template()
    template.layout.scene.annotationdefaults = SENSOR_STYLE
    return template


def sensor_layout(frame_, trajectory=None, step=None):
    """Layout update that shows Chad's reading, "Chad's sensor: 3.21", above his head."""
    return {"scene": {"annotations": [sensor_note(frame_, trajectory, step)]}}


def _base_layout(titled, height):
    """The explorer figures' layout; `titled` is their title's text, or a landscape to name."""
    layout = theme.base_layout(None, height)
    if isinstance(titled, str):
        layout["title"] = {"text": titled, "x": 0.01, "font": {"size": 15}}
    else:
        layout["title"], layout["annotations"] = title(titled), [formula_note(titled)]
    # uirevision: a student's camera angle and zoom survive every update.
    return {**layout, "template": sensor_template(), "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
            "showlegend": False, "uirevision": "keep"}


def title(landscape):
    """The figure's title naming the landscape, the whole of plotly's title, placed as `theme.finish`
    places a title, so that an app's update keeps it there. Its formula is `formula_note`."""
    size = theme.presentation.TITLE_FONT_PX if theme.presenting() else 15
    where = "your own landscape" if landscape.name == "custom" else f"the {landscape.name}"  # from_formula's
    if landscape.name.startswith("network:"):  # a preset's slice is named by its recipe, "network:preset:..."
        _, preset, directions, _ = (landscape.name.split(":") + ["", "", ""])[:4]
        kind = "principal" if directions == "pca" else directions
        where = f"a network's loss ({preset}, {kind} slice)"
    return {"text": f"Chad on {where}", "x": 0.01, "font": {"size": size}, "yref": "container",
            "y": 1, "yanchor": "top", "pad": {"t": 10}}


def formula_note(landscape):
    """The landscape's formula, a note just above the plots and under the title.

    Not plotly's subtitle: at a projector's title size plotly sets its subtitle a few pixels into
    the title's line, which the look tests measure as an overlap.
    """
    size = theme.presentation.FONT_PX if theme.presenting() else 13
    # One line that fits the app's figure (820 px on a projector, 880 otherwise) at about 0.6 em a
    # character: a typed formula may be long, and a note cut by the figure's edge reads as broken.
    room = int((820 if theme.presenting() else 880) / (0.6 * size)) - 8
    text = f"L(w) = {landscape.formula}"
    text = text if len(text) <= room else text[:room - 1].rstrip() + "…"
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 1,
            "xanchor": "left", "yanchor": "bottom", "yshift": 8, "showarrow": False, "font": {"size": size}}


def _all_data(frame_, trajectory=None, step=None, contours=True, upto=None, pinned=None):
    """`all_data` and the pinned walk's roles (empty without `pinned`, a (trajectory, label) pair)."""
    return {**all_data(frame_, trajectory, step, contours, upto), **pinned_data(frame_, pinned)}


def _figure(data, roles, layout):
    figure = go.Figure([style.make_trace(role, **data[role]) for role in roles])
    figure.update_layout(layout)
    return theme.finish(figure)


# --------------------------------------------------------------------------- the figures


def bowl_figure(landscape, trajectory=None, step=None, contours=True, resolution=60, height=550):
    """The loss surface in 3D with Chad the robot standing on it.

    Parameters
    ----------
    landscape : str, Landscape or Frame
        A catalogue name (`gdviz.landscapes.names()`), a `Landscape`, or a
        `Frame` from `explorer_data.frame(landscape, resolution)` (then
        `resolution` is unused).
    trajectory : Trajectory, optional
        A walk from `gdviz.run`, drawn as his trail. Without one, Chad stands
        at `landscape.start`.
    step : int, optional
        The step Chad stands on, 0 <= step < len(trajectory); the last by default.
    contours : bool
        Contour lines on the surface, projected on the floor too.
    resolution : int
        Mesh points along each axis.
    height : int
        Figure height in pixels.

    Returns
    -------
    go.Figure
        One trace per role of the scene; the one named "Chad" has his
        position (w1, w2, loss) as its one point.
    """
    frame_ = frame(landscape, resolution)
    data = _all_data(frame_, trajectory, step, contours)
    roles = [role for role, panel in PANEL.items() if panel == "scene"]
    scene = {**scene_layout(frame_), **sensor_layout(frame_, trajectory, step)["scene"]}
    return _figure(data, roles, {**_base_layout(frame_.landscape, height), "scene": scene})


def contour_figure(landscape, trajectory=None, step=None, resolution=60, height=450):
    """The top-down map: contours of the loss, minima, Chad, his heading and trail.

    Parameters as `bowl_figure`.
    """
    frame_ = frame(landscape, resolution)
    data = _all_data(frame_, trajectory, step)
    roles = [role for role, panel in PANEL.items() if panel == "map"]
    xaxis, yaxis = map_axes(frame_)
    layout = {**_base_layout(frame_.landscape, height), "xaxis": xaxis, "yaxis": yaxis}
    return _figure(data, roles, layout)


def loss_curve_figure(trajectory, step=None, height=300):
    """Loss against step for a `Trajectory`, Chad's step marked (the last by default).

    The loss axis is logarithmic when every loss is > 0 and they span two
    decades or more, linear otherwise.
    """
    data = path_update(trajectory)
    data["loss_curve"]["hovertemplate"] = HOVER["loss_curve"]
    path = path_of(None, trajectory)
    step = step_of(path, step)
    data["loss_marker"] = {"x": [step], "y": [float(path.loss[step])]}
    xaxis, yaxis = curve_axes(trajectory)
    return _figure(data, ["loss_curve", "loss_marker"],
                   {**_base_layout("Chad's sensor, step by step", height), "xaxis": xaxis, "yaxis": yaxis})


def data_figure(landscape, trajectory=None, step=None, height=350):
    """A 1-D two-class classifier at Chad's step: the examples, his model and its boundary.

    For a landscape with `data = (x, y)`, labels y in {0, 1}, whose parameters
    are w = (weight, bias): the model says P(class 1 | x) = sigmoid(weight * x
    + bias) and its decision boundary is x = -bias / weight (none when the
    weight is 0).
    """
    landscape = landscapes.get(landscape)
    if landscape.data is None:
        raise ValueError(f"landscape {landscape.name!r} has no data to draw (landscape.data is None); "
                         "use a classifier landscape such as gdviz.classifier.classifier_landscape()")
    data = {"data_points": data_points(landscape)}
    path = path_of(landscape, trajectory)
    data.update(model_update(landscape, path.w[step_of(path, step)]))
    xaxis, yaxis = data_axes(landscape)
    return _figure(data, ["data_points", "model_curve", "boundary"],
                   {**_base_layout(f"Chad's model on the {landscape.name} data", height),
                    "xaxis": xaxis, "yaxis": yaxis})


def explorer_layout(frame_, trajectory=None, pinned=None):
    """Layout of the explorer: bowl on the left; map, loss curve and data panel stacked right.

    The grid always holds the data panel; without data it is hidden and the
    map and loss curve share its room, so switching landscapes never changes
    the traces, only their data and this layout (which leaves out what never
    changes: size, margins, template). The loss axis fits the walk and a
    `pinned` one (a Trajectory) together.
    """
    right = [0.64, 1.0]
    if frame_.landscape.data is None:
        # plotly refuses an empty domain: the hidden panel keeps a sliver
        rows = {"map": [0.42, 1.0], "curve": [0.0, 0.3], "data": [0.0, 0.01]}
    else:
        rows = {"map": [0.58, 1.0], "curve": [0.31, 0.5], "data": [0.0, 0.23]}
    (map_x, map_y), (curve_x, curve_y), (data_x, data_y) = (
        map_axes(frame_), curve_axes(trajectory, pinned), data_axes(frame_.landscape))
    return {
        "title": title(frame_.landscape),
        "annotations": [formula_note(frame_.landscape)],
        # On a projector the scene stands off the left edge, where WebGL would cut the z axis's title.
        "scene": {**scene_layout(frame_), "domain": {"x": [0.03 if theme.presenting() else 0.0, 0.6],
                                                     "y": [0.0, 1.0]}},
        "xaxis": {**map_x, "domain": right}, "yaxis": {**map_y, "domain": rows["map"]},
        "xaxis2": {**curve_x, "domain": right}, "yaxis2": {**curve_y, "domain": rows["curve"]},
        "xaxis3": {**data_x, "domain": right}, "yaxis3": {**data_y, "domain": rows["data"]},
    }


def explorer_figure(landscape, trajectory=None, step=None, contours=True, resolution=60, upto=None,
                    pinned=None):
    """Bowl, contour map, loss curve (and data panel) in one figure: the explorer's picture.

    Parameters as `bowl_figure`; `upto` cuts the trail at that step (the whole
    walk by default); `pinned` is a walk kept for comparison and its label,
    a (Trajectory, text) pair, drawn faded (`explorer_pinned`). Every trace's
    `meta` is its role (the keys of `PANEL`).
    """
    frame_ = frame(landscape, resolution)
    figure = make_subplots(rows=3, cols=2, specs=[[{"type": "scene", "rowspan": 3}, {"type": "xy"}],
                                                  [None, {"type": "xy"}], [None, {"type": "xy"}]])
    data = _all_data(frame_, trajectory, step, contours, upto, pinned)
    for role, panel in PANEL.items():
        row, col = _GRID[panel]
        figure.add_trace(style.make_trace(role, **data[role]), row=row, col=col)
    figure.update_layout(_base_layout(frame_.landscape, 680))
    figure.update_layout(explorer_layout(frame_, trajectory, None if pinned is None else pinned[0]))
    figure.update_layout(sensor_layout(frame_, trajectory, step))
    return theme.finish(figure)


def animated_figure(landscape, trajectory, contours=True, resolution=60, duration=150):
    """The explorer as a plain `go.Figure` that plays Chad's walk with no kernel.

    One frame per step of `trajectory`, a Play / Pause button and a step
    slider. Frames carry only Chad's and his trail's traces (by trace index,
    found by role): the surface and the map are sent once, not per frame.
    `duration` is the time per step in ms. The result, written with
    `write_html(path, include_plotlyjs=True)`, plays offline.
    """
    frame_ = frame(landscape, resolution)
    steps = len(path_of(frame_.landscape, trajectory).loss)
    figure = explorer_figure(frame_, trajectory, step=0, contours=contours, upto=0)
    moving = [role for role in (*CHAD_ROLES, "trail", "map_trail")
              if role not in ("model_curve", "boundary") or frame_.landscape.data is not None]
    indices = [style.trace_index(figure, role) for role in moving]
    frames = []
    for step in range(steps):
        data = {**chad_update(frame_, trajectory, step), **path_update(trajectory, upto=step)}
        traces = [style.STYLE[style.kind_of(role)][0](**data[role]) for role in moving]
        frames.append(go.Frame(name=str(step), traces=indices, data=traces,
                               layout=sensor_layout(frame_, trajectory, step)))
    figure.frames = frames

    def animate(frame_duration):
        return {"frame": {"duration": frame_duration, "redraw": True}, "mode": "immediate",
                "transition": {"duration": 0}}

    play = {"label": "▶ Play", "method": "animate",
            "args": [None, {**animate(duration), "fromcurrent": True}]}
    pause = {"label": "❚❚ Pause", "method": "animate", "args": [[None], animate(0)]}
    figure.update_layout(
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": 0.0, "xanchor": "left",
                      "yanchor": "top", "pad": {"t": 8, "r": 8}, "showactive": False,
                      "buttons": [play, pause]}],
        # The slider under the buttons, not beside them: on a projector the buttons' larger text
        # would reach the slider's "step 0".
        sliders=[{"active": 0, "x": 0.0, "y": 0.0, "len": 0.6, "yanchor": "top", "pad": {"t": 56},
                  "currentvalue": {"prefix": "step ", "font": {"size": 13}},
                  "steps": [{"label": str(step), "method": "animate", "args": [[str(step)], animate(0)]}
                            for step in range(steps)]}],
        margin={"b": 150},
    )
    return theme.finish(figure)
