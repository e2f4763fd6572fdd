"""The explorer's figures: Chad, his heading, trail, loss curve, data panel and the animation."""

import json

import numpy as np
import plotly.colors
import plotly.graph_objects as go
import pytest

import gdviz
from gdviz import landscapes, optimizers
from gdviz.figures import explorer as fx
from gdviz.figures import explorer_data, explorer_pinned, robot, style, theme
from gdviz.gradients import numeric_gradient


def walk(landscape="bowl", alpha=0.1, start=None, max_steps=60, optimizer="gradient_descent"):
    landscape = landscapes.get(landscape)
    start = landscape.start if start is None else start
    steps = optimizers.get(optimizer)(landscape, start, alpha)
    return gdviz.run(steps, max_steps=max_steps, grad_below=1e-3)


def trace(figure, name):
    matches = [t for t in figure.data if t.name == name]
    assert len(matches) == 1, f"expected one trace named {name!r}, found {len(matches)}"
    return matches[0]


def role(figure, name):
    return style.trace(figure, name)


def classifier(features=(-2.0, -1.0, -0.5, 0.5, 1.0, 2.5), labels=(0, 0, 1, 0, 1, 1)):
    """A hand-made 1-D logistic-regression landscape, w = (weight, bias), for the data panel."""
    x, y = np.array(features), np.array(labels, dtype=float)
    sign = 2 * y - 1

    def loss(weight, bias):
        margin = sign * (np.multiply.outer(weight, x) + np.asarray(bias)[..., None])
        return np.logaddexp(0, -margin).mean(axis=-1)

    def grad(weight, bias):
        margin = sign * (np.multiply.outer(weight, x) + np.asarray(bias)[..., None])
        push = -sign / (1 + np.exp(margin))
        return (push * x).mean(axis=-1), push.mean(axis=-1)

    return gdviz.Landscape("toy classifier", "mean log(1 + e^(-s (w x + b)))", loss, grad,
                           ((-4.0, 4.0), (-4.0, 4.0)), [], (-3.0, 3.0), data=(x, y))


# --------------------------------------------------------------------------- Chad


@pytest.mark.parametrize("name", landscapes.names())
def test_chad_stands_on_the_surface_where_the_walk_says(all_finite, name):
    trajectory = walk(name, alpha=1e-3, max_steps=20)
    for step in (0, len(trajectory) // 2, len(trajectory) - 1):
        for figure in (fx.bowl_figure(name, trajectory, step), fx.explorer_figure(name, trajectory, step)):
            chad = trace(figure, "Chad")
            assert (chad.x[0], chad.y[0]) == tuple(trajectory.w[step])
            assert chad.z[0] == pytest.approx(landscapes.get(name)(trajectory.w[step]))
            assert all_finite(figure)


def test_without_a_walk_chad_stands_at_the_landscape_start():
    ravine = landscapes.get("ravine")
    chad = trace(fx.bowl_figure(ravine), "Chad")
    assert (chad.x[0], chad.y[0], chad.z[0]) == pytest.approx((*ravine.start, ravine(ravine.start)))


def test_sensor_reading_is_written_above_chad():
    # On the bowl w1^2 + w2^2, standing at (1.5, 1.0) the loss is 3.25.
    trajectory = walk("bowl", alpha=0.1, start=(1.5, 1.0))
    figure = fx.bowl_figure("bowl", trajectory, step=0)
    (note,) = figure.layout.scene.annotations
    assert note.text == "Chad's sensor: 3.25"
    assert (note.x, note.y) == (1.5, 1.0) and note.z > 3.25
    assert fx.sensor_text(3.2101) == "Chad's sensor: 3.21"


def robot_and_arrow(figure):
    """Chad's mesh as (body vertices, arrow vertices), each (n, 3) in data units.

    The arrow is the mesh's last vertices: a three-sided shaft whose first
    three corners ring his chest, then a three-sided head whose last corner is the tip.
    """
    mesh = trace(figure, "Chad's body and heading")
    vertices = np.column_stack([np.asarray(mesh[axis], dtype=float) for axis in "xyz"])
    arrow = len(robot.ARROW_VERTICES)
    return vertices[:-arrow], vertices[-arrow:]


@pytest.mark.parametrize("name", ["bowl", "ravine", "rosenbrock", "himmelblau", "saddle"])
def test_heading_points_along_minus_the_gradient_on_bowl_and_map(name):
    landscape = landscapes.get(name)
    start = np.array(landscape.start)
    gradient = numeric_gradient(landscape, start)  # independent of the analytic gradient
    downhill = -gradient
    figure = fx.explorer_figure(name)
    _, arrow = robot_and_arrow(figure)
    chest, tip = arrow[:3].mean(axis=0), arrow[-1]
    on_map = trace(figure, "Chad on the map")
    map_move = np.array([on_map.x[2] - on_map.x[1], on_map.y[2] - on_map.y[1]])
    for move in (tip[:2] - chest[:2], map_move):
        cosine = move @ downhill / (np.linalg.norm(move) * np.linalg.norm(downhill))
        assert cosine == pytest.approx(1.0, abs=1e-4)
    # The 3D arrow lies on the tangent plane: it drops |grad L| in loss per unit of w.
    assert (tip[2] - chest[2]) / np.linalg.norm(tip[:2] - chest[:2]) == pytest.approx(
        -np.linalg.norm(gradient), rel=1e-4)


def test_on_flat_ground_there_is_no_heading_and_no_nan(all_finite):
    figure = fx.explorer_figure("bowl", walk("bowl", start=(0.0, 0.0)))
    _, arrow = robot_and_arrow(figure)
    assert np.ptp(arrow, axis=0) == pytest.approx([0, 0, 0]), "the arrow shrinks to a point in his chest"
    on_map = trace(figure, "Chad on the map")
    assert list(on_map.x) == [0.0, 0.0] and list(on_map.y) == [0.0, 0.0], "Chad alone, no arrow"
    assert all_finite(figure)


def test_chad_is_a_robot_standing_on_his_feet_and_facing_downhill():
    figure = fx.bowl_figure("bowl", walk("bowl", start=(2.0, -1.0)), step=0)
    mesh, chad = trace(figure, "Chad's body and heading"), trace(figure, "Chad")
    assert mesh.type == "mesh3d" and len(mesh.x) == len(robot.VERTICES)
    assert max(max(mesh.i), max(mesh.j), max(mesh.k)) == len(mesh.x) - 1
    assert len(mesh.facecolor) == len(mesh.i)
    body, arrow = robot_and_arrow(figure)
    assert body[:, 2].min() == pytest.approx(chad.z[0], rel=1e-5), "his feet are on the surface"
    assert body[:, :2].mean(axis=0) == pytest.approx([chad.x[0], chad.y[0]], abs=1e-5), "centred on his point"
    frame = explorer_data.frame("bowl")
    height = (body[:, 2].max() - body[:, 2].min()) / frame.scale[2]
    in_boxes = robot.ROBOT_HEIGHT * robot.BODY_VERTICES[:, 2].max()
    assert height == pytest.approx(in_boxes), "his size in scene boxes"
    # His arms run across his heading: their long side is perpendicular to downhill (-grad = (-4, 2)).
    arms = [index for index, (_, colour) in enumerate(robot.PARTS) if colour == robot.DARK][0]
    first = sum(len(corners) for (corners, _), _ in robot.PARTS[:arms])
    corners = body[first:first + 8, :2]
    across = corners[np.argmax(np.linalg.norm(corners - corners[0], axis=1))] - corners[0]
    assert abs(across @ np.array([-4.0, 2.0])) < 0.35 * np.linalg.norm(across) * np.hypot(4, 2)


# --------------------------------------------------------------------------- surface, map and curve


def test_bowl_figure_reads_well():
    figure = fx.bowl_figure("himmelblau")
    scene = figure.layout.scene
    assert (scene.xaxis.title.text, scene.yaxis.title.text, scene.zaxis.title.text) == ("w1", "w2", "loss")
    surface = trace(figure, "loss")
    viridis = [colour for _, colour in plotly.colors.make_colorscale(plotly.colors.sequential.Viridis)]
    assert [colour for _, colour in surface.colorscale] == viridis
    assert surface.contours.z.show and surface.contours.z.project.z
    assert not fx.bowl_figure("bowl", contours=False).data[0].contours.z.show


@pytest.mark.parametrize("name", landscapes.names())
def test_known_minima_are_marked_on_bowl_and_map(name):
    landscape = landscapes.get(name)
    figure = fx.explorer_figure(name)
    for marker in (role(figure, "minima"), role(figure, "map_minima")):
        assert np.column_stack([marker.x, marker.y]).tolist() == landscape.minima.tolist()
    assert list(role(figure, "minima").z) == pytest.approx(list(landscape(landscape.minima)))


def test_trail_and_loss_curve_follow_the_walk():
    trajectory = walk("ravine", alpha=0.15)
    figure = fx.explorer_figure("ravine", trajectory, step=3)
    for name in ("trail", "map_trail"):
        trail = role(figure, name)
        assert np.column_stack([trail.x, trail.y]) == pytest.approx(trajectory.w, rel=1e-6, abs=1e-6)
    assert role(figure, "trail").z == pytest.approx(trajectory.loss, rel=1e-6)
    curve = loss_curve = role(figure, "loss_curve")
    assert (loss_curve.x0, loss_curve.dx) == (0, 1) and curve.y == pytest.approx(trajectory.loss, rel=1e-6)
    marker = role(figure, "loss_marker")
    assert (marker.x[0], marker.y[0]) == (3, pytest.approx(trajectory.loss[3]))
    cut = fx.explorer_figure("ravine", trajectory, step=3, upto=3)
    assert len(role(cut, "trail").x) == 4


def test_contour_figure_has_the_map_alone():
    trajectory = walk("himmelblau", alpha=0.01)
    figure = fx.contour_figure("himmelblau", trajectory)
    assert [t.type for t in figure.data][0] == "contour"
    chad = trace(figure, "Chad on the map")
    assert (chad.x[1], chad.y[1]) == pytest.approx(tuple(trajectory.w[-1]), abs=1e-4)  # to 1e-5 of the map
    assert (figure.layout.xaxis.title.text, figure.layout.yaxis.title.text) == ("w1", "w2")
    assert figure.layout.xaxis.range == (-5, 5)


def test_loss_curve_is_logarithmic_only_for_positive_losses_over_two_decades():
    bowl = fx.loss_curve_figure(walk("bowl"))
    assert bowl.layout.yaxis.type == "log"
    assert fx.loss_curve_figure(walk("bowl", alpha=0.01, max_steps=5)).layout.yaxis.type == "linear"
    saddle = fx.loss_curve_figure(walk("saddle", alpha=0.1))
    assert saddle.layout.yaxis.type == "linear"
    assert trace(saddle, "Chad's step").x[0] == len(saddle.data[0].y) - 1


def test_a_diverging_walk_stays_finite_and_framed_on_the_landscape(all_finite):
    trajectory = walk("bowl", alpha=5.0)
    assert trajectory.stop_reason == "diverged"
    assert np.linalg.norm(trajectory.w[-1]) > 100, "Chad really flew off"
    for figure in (fx.explorer_figure("bowl", trajectory), fx.animated_figure("bowl", trajectory)):
        assert all_finite(figure)
        scene = figure.layout.scene
        assert scene.xaxis.range == (-3, 3) and scene.yaxis.range == (-3, 3)
        assert not scene.xaxis.autorange and not scene.zaxis.autorange
        assert figure.layout.xaxis.range == (-3, 3)


def test_huge_but_finite_losses_are_clipped_not_turned_into_nan_or_inf():
    values = explorer_data.compact([1e300, -1e300, 2.0])
    assert np.all(np.isfinite(values)) and values[2] == 2.0 and values[0] > 1e29


@pytest.mark.parametrize("bad, error", [
    ({"step": 999}, ValueError), ({"step": -1}, ValueError), ({"step": 1.5}, TypeError),
    ({"trajectory": [[0, 0]]}, TypeError), ({"resolution": 1}, ValueError),
])
def test_bad_arguments_are_named(bad, error):
    arguments = {"trajectory": walk("bowl", max_steps=5), **bad}
    with pytest.raises(error, match=next(iter(bad))):
        fx.bowl_figure("bowl", **arguments)


def test_unknown_landscape_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="landscape must be one of"):
        fx.bowl_figure("volcano")


def test_a_frame_is_computed_once_and_reused():
    frame = explorer_data.frame("ravine", resolution=20)
    assert explorer_data.frame(frame) is frame
    assert np.shape(role(fx.explorer_figure(frame), "surface").z) == (20, 20)


# --------------------------------------------------------------------------- roles and colours


def test_every_trace_is_tagged_with_its_role_once():
    toy = classifier()
    for figure in (fx.explorer_figure("bowl"), fx.explorer_figure(toy, walk(toy, alpha=0.5, max_steps=5)),
                   fx.animated_figure("bowl", walk("bowl", max_steps=3))):
        assert [style.role_of(t) for t in figure.data] == list(fx.PANEL)
    for figure, panel in ((fx.bowl_figure("ravine"), "scene"), (fx.contour_figure("ravine"), "map")):
        assert [style.role_of(t) for t in figure.data] == [r for r, p in fx.PANEL.items() if p == panel]


def test_colours_mean_what_they_mean_everywhere_in_the_course():
    toy = classifier()
    figure = fx.explorer_figure(toy, walk(toy, alpha=0.5, max_steps=5))
    for name in ("trail", "map_trail"):
        assert role(figure, name).line.color == theme.TRAIL
    assert role(figure, "chad").marker.color == theme.INK
    on_map = role(figure, "map_chad")
    assert on_map.line.color == on_map.marker.color[-1] == theme.HEADING, "his heading on the map"
    arrow_faces = role(figure, "robot").facecolor[-sum(len(t) for _, t in robot.ARROW):]
    assert set(arrow_faces) == {theme.HEADING}, "his heading on the bowl"
    labels = toy.data[1]
    assert list(role(figure, "data_points").marker.color) == [theme.CLASS_COLOURS[int(y)] for y in labels]
    assert role(figure, "surface").colorscale == fx.bowl_figure("bowl").data[0].colorscale


def test_the_explorer_modules_are_rooms_a_newcomer_can_read():
    for module in (fx, explorer_data, explorer_pinned, robot):
        with open(module.__file__, encoding="utf-8") as source:
            assert sum(1 for _ in source) <= 400, module.__name__


# --------------------------------------------------------------------------- the data panel


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def test_data_panel_draws_examples_model_and_boundary():
    toy = classifier()
    trajectory = walk(toy, alpha=0.5, max_steps=30)
    weight, bias = trajectory.w[-1]
    figure = fx.data_figure(toy, trajectory)
    points = trace(figure, "examples")
    assert list(points.x) == list(toy.data[0]) and list(points.y) == list(toy.data[1])
    curve = trace(figure, "P(class 1)")
    assert np.asarray(curve.y) == pytest.approx(sigmoid(weight * np.asarray(curve.x, dtype=float) + bias),
                                                abs=1e-6)
    boundary = trace(figure, "decision boundary")
    assert boundary.x[0] == boundary.x[1] == pytest.approx(-bias / weight)
    assert sigmoid(weight * boundary.x[0] + bias) == pytest.approx(0.5)


def test_data_panel_with_zero_weight_has_no_boundary_and_no_nan(all_finite):
    toy = classifier()
    figure = fx.data_figure(toy, walk(toy, alpha=0.1, start=(0.0, 0.3), max_steps=0))
    boundary = trace(figure, "decision boundary")
    assert "no boundary" in boundary.text[0]
    assert np.allclose(trace(figure, "P(class 1)").y, sigmoid(0.3), atol=1e-6)
    assert all_finite(figure)


@pytest.mark.parametrize("weight, bias, expected", [(2.0, -1.0, 0.5), (-4.0, 2.0, 0.5), (0.0, 1.0, None),
                                                    (1e-320, 1.0, None)])
def test_decision_boundary(weight, bias, expected):
    assert fx.decision_boundary(weight, bias) == expected


def test_the_explorer_shows_the_data_panel_only_when_there_are_data():
    toy = classifier()
    with_data = fx.explorer_figure(toy, walk(toy, alpha=0.5, max_steps=10))
    assert with_data.layout.xaxis3.visible and len(role(with_data, "data_points").x) == len(toy.data[0])
    assert len(role(with_data, "model_curve").x) > 0
    without = fx.explorer_figure("bowl")
    assert without.layout.xaxis3.visible is False and len(role(without, "model_curve").x) == 0
    with pytest.raises(ValueError, match="no data"):
        fx.data_figure("bowl")


# --------------------------------------------------------------------------- the animation


def test_animated_figure_has_one_frame_per_step_and_never_resends_the_surface():
    trajectory = walk("bowl", alpha=0.1)
    figure = fx.animated_figure("bowl", trajectory)
    assert isinstance(figure, go.Figure)
    assert len(figure.frames) == len(trajectory)
    moving = {"Chad", "Chad's body and heading", "Chad on the map", "Chad's step", "trail"}
    surface_index = style.trace_index(figure, "surface")
    for step, frame in enumerate(figure.frames):
        assert surface_index not in frame.traces
        assert {figure.data[index].name for index in frame.traces} <= moving
        assert not any(t.type in ("surface", "contour") for t in frame.data)
        chad = frame.data[list(frame.traces).index(style.trace_index(figure, "chad"))]
        assert (chad.x[0], chad.y[0]) == tuple(trajectory.w[step])
        assert frame.layout.scene.annotations[0].text == fx.sensor_text(trajectory.loss[step])
    trail = frame.data[list(frame.traces).index(style.trace_index(figure, "trail"))]
    assert len(trail.x) == len(trajectory), "the trail grows to the whole walk"


def test_animated_figure_has_play_and_a_step_slider():
    trajectory = walk("bowl", alpha=0.3)
    figure = fx.animated_figure("bowl", trajectory)
    (buttons,) = figure.layout.updatemenus
    play = buttons.buttons[0]
    assert "Play" in play.label and play.method == "animate" and play.args[0] is None
    (slider,) = figure.layout.sliders
    assert [list(step.args[0]) for step in slider.steps] == [[str(k)] for k in range(len(trajectory))]
    assert [frame.name for frame in figure.frames] == [str(k) for k in range(len(trajectory))]


def test_animated_html_plays_offline(tmp_path):
    figure = fx.animated_figure("ravine", walk("ravine", alpha=0.15, max_steps=20))
    path = tmp_path / "chad.html"
    figure.write_html(path, include_plotlyjs=True)
    page = path.read_text(encoding="utf-8")
    assert "<script src=" not in page, "nothing to fetch from the network"
    assert "Plotly.newPlot" in page and "plotly.js v" in page, "plotly.js itself is inside the file"
    assert "addFrames" in page and '"name":"Chad"' in page


def test_frames_are_small_next_to_the_surface():
    figure = fx.animated_figure("bowl", walk("bowl", alpha=0.1))
    surface = len(json.dumps(figure.data[0].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
    frame = len(json.dumps(figure.frames[5].to_plotly_json(), cls=plotly.utils.PlotlyJSONEncoder))
    assert frame * 5 < surface


# --------------------------------------------------------------------------- hovers, a pinned walk, gaps


def test_a_walks_points_say_their_step_w_and_loss_under_the_pointer():
    trajectory = walk("ravine", alpha=0.15)
    figure = fx.explorer_figure("ravine", trajectory)
    trail, on_map, curve = role(figure, "trail"), role(figure, "map_trail"), role(figure, "loss_curve")
    # plotly numbers a trace's points from 0, and a walk's points are its steps from 0.
    for hover in (trail.hovertemplate, on_map.hovertemplate):
        assert hover.startswith("step %{pointNumber}<br>w = (%{x:.3f}, %{y:.3f})<br>loss ")
    assert "%{z:.4g}" in trail.hovertemplate and "%{customdata:.4g}" in on_map.hovertemplate
    assert np.asarray(on_map.customdata) == pytest.approx(trajectory.loss, rel=1e-6)
    assert curve.hovertemplate.startswith("step %{x}<br>w = (%{customdata[0]:.3f}, %{customdata[1]:.3f})")
    assert np.asarray(curve.customdata) == pytest.approx(trajectory.w, abs=5e-4), "to the 3 decimals shown"


def test_the_pinned_walks_traces_are_in_every_figure_empty_until_pinned():
    for figure in (fx.explorer_figure("bowl"), fx.bowl_figure("bowl"), fx.contour_figure("bowl"),
                   fx.animated_figure("bowl", walk("bowl", max_steps=3))):
        for name in explorer_pinned.PINNED_ROLES:
            if name in [style.role_of(t) for t in figure.data]:
                trace = role(figure, name)
                assert len(trace.y) == 0 and trace.x is None or len(trace.x) == 0
    assert set(explorer_pinned.PINNED_ROLES) <= set(fx.PANEL)
    order = list(fx.PANEL)
    assert order.index("trail pinned") < order.index("trail"), "drawn first, so behind the live walk"


def test_a_pinned_walk_is_drawn_faded_with_its_loss_curve_and_its_label():
    live, pinned = walk("ravine", alpha=0.15), walk("ravine", alpha=0.05, optimizer="momentum")
    figure = fx.explorer_figure("ravine", live, pinned=(pinned, "pinned: momentum, α = 0.05"))
    trail = role(figure, "trail pinned")
    assert np.column_stack([trail.x, trail.y]) == pytest.approx(pinned.w, abs=1e-6)
    assert np.asarray(role(figure, "loss_curve pinned").y) == pytest.approx(pinned.loss, rel=1e-6)
    (label,) = role(figure, "map_trail pinned label").text
    assert label == "pinned: momentum, α = 0.05"
    for name in ("trail pinned", "map_trail pinned", "loss_curve pinned"):
        assert role(figure, name).line.color == explorer_pinned.PINNED_INK and role(figure, name).line.dash
        assert role(figure, name).line.color != role(figure, name.split()[0]).line.color


@pytest.mark.parametrize("end, position", [((0.0, 0.0), "bottom center"), ((2.9, 0.0), "bottom left"),
                                           ((-2.9, 0.0), "bottom right"), ((0.0, -2.9), "top center"),
                                           ((9.0, -9.0), "top left")])
def test_the_pinned_label_leans_into_the_map(end, position):
    trajectory = gdviz.run(optimizers.gradient_descent("bowl", end, 1e-9), max_steps=1)
    data = explorer_pinned.pinned_update(explorer_data.frame("bowl", 10), trajectory, "pinned")
    label = data["map_trail pinned label"]
    assert label["textposition"] == position
    assert -3 <= label["x"][0] <= 3 and -3 <= label["y"][0] <= 3, "held inside the map"
    with pytest.raises(TypeError, match="label must be text"):
        explorer_pinned.pinned_update(explorer_data.frame("bowl", 10), trajectory, 3)


def test_the_loss_axis_fits_both_walks():
    short, long = walk("bowl", alpha=0.01, max_steps=5), walk("bowl", alpha=0.1)
    assert fx.curve_axes(short)[1]["type"] == "linear" and fx.curve_axes(long)[1]["type"] == "log"
    assert fx.curve_axes(short, long)[1]["type"] == "log"
    assert fx.curve_axes(long, walk("saddle", alpha=0.1))[1]["type"] == "linear", "a loss below 0 has no log"


def gappy():
    """log(w1) + w2²: undefined for w1 <= 0, numpy's NaN and -inf there."""
    with np.errstate(all="ignore"):
        return gdviz.Landscape("gappy", "log(w1) + w2²", lambda x, y: np.log(x) + y * y,
                               lambda x, y: (1 / x, 2 * y), ((-1.0, 3.0), (-2.0, 2.0)), [], (2.0, 1.0))


def test_a_surface_with_gaps_is_drawn_with_gaps_and_ranges_from_the_rest():
    frame = explorer_data.frame(gappy(), resolution=21)
    X, Y = np.meshgrid(np.linspace(-1, 3, 21), np.linspace(-2, 2, 21))
    with np.errstate(all="ignore"):
        finite = np.log(X[X > 0]) + Y[X > 0] ** 2
    assert np.isnan(frame.Z[X <= 0]).all() and np.isfinite(frame.Z[X > 0]).all()
    low, high = finite.min(), finite.max()
    assert frame.z_range == pytest.approx((low - 0.02 * (high - low), high + 0.2 * (high - low)))
    figure = fx.explorer_figure(frame, walk(gappy(), alpha=0.1, max_steps=10))
    for name in ("surface", "contour"):
        z = role(figure, name).z
        assert all((value is None) == (x <= 0) for row, xs in zip(z, X, strict=True)
                   for value, x in zip(row, xs, strict=True))
    contours = role(figure, "contour").contours
    assert np.isfinite([contours.start, contours.end, contours.size]).all()
    go.Figure(figure.to_plotly_json())


def test_a_surface_with_no_finite_value_still_draws():
    nowhere = gdviz.Landscape("nowhere", "NaN", lambda x, y: np.full(np.shape(x), np.nan),
                              lambda x, y: (0 * x, 0 * y), ((-1.0, 1.0), (-1.0, 1.0)), [], (0.5, 0.5))
    frame = explorer_data.frame(nowhere, resolution=5)
    assert frame.z_range == pytest.approx((-0.02, 1.2))
    data = explorer_data.landscape_data(frame)
    assert all(value is None for row in data["surface"]["z"] for value in row)


def test_a_network_slice_is_titled_in_words_not_by_its_recipe():
    from gdviz import network
    from gdviz.figures.explorer import title

    principal = title(network.preset_slice("moons-tanh", "pca"))["text"]
    assert principal == "Chad on a network's loss (moons-tanh, principal slice)"
    assert "network:" not in title(network.preset_slice("moons-tanh", "random", seed=1))["text"]


def test_a_long_formula_note_is_cut_to_one_line_that_fits_and_says_so():
    from gdviz.figures.explorer import formula_note

    long = landscapes.from_formula(" + ".join(f"sin({i}*x)" for i in range(40)))
    note = formula_note(long)["text"]
    assert note.endswith("…") and len(note) < 140 and note.startswith("L(w) = sin(0*x) + sin(1*x)")
    assert formula_note(landscapes.get("bowl"))["text"] == "L(w) = w1² + w2²"
