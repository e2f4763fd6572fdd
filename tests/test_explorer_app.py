"""The Explorer app, headless: setting a control's value fires the same callbacks a drag does."""

import json

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import pytest
from recording import Wire

import gdviz
from gdviz import landscapes, optimizers
from gdviz.apps import Explorer
from gdviz.apps._base import FigureApp
from gdviz.apps.explorer import GRAD_BELOW, default_alpha
from gdviz.figures import explorer as fx
from gdviz.figures import explorer_data, explorer_pinned, style


def role(app, name):
    return style.trace(app.figure, name)


def chad(app):
    (trace,) = [t for t in app.figure.data if t.name == "Chad"]
    return trace


@pytest.fixture
def app():
    return Explorer()


def two_dimensional(value):
    return isinstance(value, list) and any(isinstance(item, list) and item and isinstance(item[0], list)
                                           for item in value)


def classifier():
    """A hand-made 1-D logistic-regression landscape with data and minibatch functions."""
    x = np.array([-2.0, -1.2, -0.4, 0.3, 0.8, 1.5, 2.2, -0.1])
    y = np.array([0, 0, 1, 0, 1, 1, 1, 0], dtype=float)
    sign = 2 * y - 1

    def parts(weight, bias, index):
        margin = sign[index] * (np.multiply.outer(weight, x[index]) + np.asarray(bias)[..., None])
        return margin, -sign[index] / (1 + np.exp(margin))

    def loss(weight, bias, index=slice(None)):
        return np.logaddexp(0, -parts(weight, bias, index)[0]).mean(axis=-1)

    def grad(weight, bias, index=slice(None)):
        _, push = parts(weight, bias, index)
        return (push * x[index]).mean(axis=-1), push.mean(axis=-1)

    return gdviz.Landscape(
        "toy classifier", "logistic loss", loss, grad, ((-4.0, 4.0), (-4.0, 4.0)), [], (-3.0, 3.0),
        data_size=len(x), batch_loss=lambda w, index: loss(w[0], w[1], index),
        batch_grad=lambda w, index: np.array(grad(w[0], w[1], index)), data=(x, y))


# --------------------------------------------------------------------------- what moves


def test_alpha_change_changes_the_walk_and_the_trail(app):
    before, trail_before = app.trajectory, np.array(role(app, "trail").x)
    app.alpha.value = 0.3
    assert app.trajectory is not before
    assert not np.array_equal(app.trajectory.w[1], before.w[1])
    # Vanilla descent on the bowl w1^2 + w2^2: w_1 = (1 - 2 alpha) w_0.
    assert app.trajectory.w[1] == pytest.approx((1 - 2 * 0.3) * app.trajectory.w[0])
    trail = np.column_stack([role(app, "trail").x, role(app, "trail").y])
    assert trail == pytest.approx(app.trajectory.w, abs=1e-6)
    assert len(trail) != len(trail_before) or not np.allclose(trail[:, 0], trail_before)


@pytest.mark.parametrize("k", [0, 1, 5, 12])
def test_step_puts_chad_at_that_point_of_the_walk(app, k):
    app.step.value = k
    assert (chad(app).x[0], chad(app).y[0]) == tuple(app.trajectory.w[k])
    assert chad(app).z[0] == pytest.approx(app.trajectory.loss[k])
    assert app.figure.layout.scene.annotations[0].text == fx.sensor_text(app.trajectory.loss[k])
    assert role(app, "loss_marker").x[0] == k


def test_a_new_walk_shows_chad_at_its_end_and_resizes_step_and_play(app):
    app.alpha.value = 0.25
    last = len(app.trajectory) - 1
    assert app.step.max == app.play.max == last and app.step.value == last
    assert (chad(app).x[0], chad(app).y[0]) == tuple(app.trajectory.w[-1])


def test_landscape_change_replaces_the_surface(app):
    surface_before = np.array(role(app, "surface").z, dtype=float)
    app.landscape.value = "rosenbrock"
    rosenbrock = landscapes.get("rosenbrock")
    X, Y, Z = rosenbrock.mesh(np.shape(surface_before)[0])
    surface = np.array(role(app, "surface").z, dtype=float)
    assert not np.allclose(surface, surface_before)
    assert surface == pytest.approx(Z, rel=1e-3, abs=1e-3 * np.ptp(Z))
    assert list(role(app, "surface").x) == pytest.approx(list(X[0]))
    assert app.figure.layout.scene.xaxis.range == (-2, 2)
    assert (app.start_x.min, app.start_x.max, app.start_x.value) == (-2, 2, rosenbrock.start[0])
    assert app.trajectory.w[0].tolist() == list(rosenbrock.start)


def test_exactly_one_figure_widget_per_app(figure_widgets):
    app = Explorer()
    first = figure_widgets(app)
    assert first == [app.figure]
    app.landscape.value = "himmelblau"
    app.optimizer.value = "adam"
    assert figure_widgets(app) == first  # the same widget, not a new one per change


# --------------------------------------------------------------------------- what travels


def roles_touched(app, message):
    return {style.role_of(app.figure.data[index]) for index in message["style_traces"]}


def surface_free(app, message):
    """True when an update carries neither the surface nor any 2-D z (a walk's w, for the loss curve's
    hover, is a short 2-D list: not a surface)."""
    return "surface" not in roles_touched(app, message) and not two_dimensional(
        message["style_data"].get("z"))


def at(tree, path):
    """The value at a plotly property path ("marker.color", "scene.annotations.0.x") of a JSON tree."""
    for key in path.replace("[", ".").replace("]", "").split("."):
        if tree is None:
            return None
        tree = tree[int(key)] if isinstance(tree, list | tuple) else tree.get(key)
    return tree


def plain(value):
    return np.asarray(value).tolist() if value is not None else None


@pytest.mark.parametrize("change", [
    ("alpha", 0.2), ("start_x", 1.0), ("start_y", -2.0), ("max_steps", 20), ("optimizer", "momentum"),
    ("step", 3),
])
def test_a_control_change_sends_one_plotly_update_without_the_surface(app, change):
    wire = Wire(app.figure)
    control, value = change
    getattr(app, control).value = value
    assert surface_free(app, wire.update)
    wire.only_bookkeeping_besides_the_update()
    assert wire.bytes < 8_000, "the surface alone is tens of kB"


@pytest.mark.parametrize("control, value", [("alpha", 0.2), ("step", 3), ("landscape", "ravine"),
                                            ("optimizer", "adam")])
def test_only_changed_values_travel(app, control, value):
    before = app.figure.to_plotly_json()
    wire = Wire(app.figure)
    getattr(app, control).value = value
    message, after = wire.update, app.figure.to_plotly_json()
    assert message["style_data"] and message["layout_data"]
    for key, values in message["style_data"].items():
        for index, sent in zip(message["style_traces"], values, strict=True):
            if sent == "_undefined_":  # this trace keeps its value of `key`
                continue
            old, new = at(before["data"][index], key), at(after["data"][index], key)
            name = style.role_of(app.figure.data[index])
            assert plain(old) != plain(new), f"{key} of {name} was sent unchanged"
    for key in message["layout_data"]:
        old, new = at(before["layout"], key), at(after["layout"], key)
        assert plain(old) != plain(new), f"{key} was sent unchanged"


# The benchmark's case (benchmarks/bench_explorer.py): a 100-step walk on the bowl, bytes counted
# the same way. An alpha change must send the walk itself: 7 float32 arrays of 101 values (trail on
# bowl and map, the map's losses for its hover, loss curve) are 2,828 bytes, plus the 101 points w the
# loss curve's hover shows, as JSON at 3 decimals (about 17 characters a point), plus Chad's mesh; a
# step change sends Chad alone. Four messages a change: plotly's two edit counters and the update's
# reset to None add ~230 bytes to the update itself (measured: 6,861 bytes per alpha change, 1,461 to
# 1,550 per step change).
@pytest.mark.parametrize("control, values, most", [
    ("alpha", (0.021, 0.02, 0.021), 7_200),
    ("step", (0, 1, 50, 100), 1_600),
])
def test_bytes_per_change_on_a_100_step_walk(control, values, most):
    app = Explorer("bowl", alpha=0.02, max_steps=100)
    assert app.trajectory.n_updates == 100
    wire = Wire(app.figure)
    for value in values:
        wire.clear()
        getattr(app, control).value = value
        assert wire.update and len(wire.messages) == 4
        wire.only_bookkeeping_besides_the_update()
        assert 0 < wire.bytes < most


def test_what_did_not_change_is_not_sent(app):
    wire = Wire(app.figure)
    assert app.trajectory.stop_reason == "grad_below"
    app.max_steps.value = 200  # the walk had converged long before: the same walk again
    assert wire.messages == []
    app.alpha.value = 0.2
    message = wire.update
    curve = message["style_traces"].index(style.trace_index(app.figure, "loss_curve"))
    assert message["style_data"]["x"][curve] == "_undefined_", "the loss curve's x is implied by x0, dx"
    assert "bgcolor" not in json.dumps(message["layout_data"]), "the label's style stays in the page"


def test_the_figure_holds_valid_plotly_after_updates(app):
    # A new go.Figure checks every property of the result.
    for control, value in (("alpha", 0.3), ("step", 2), ("alpha", 9.0), ("landscape", "himmelblau"),
                           ("optimizer", "adam"), ("step", 0)):
        getattr(app, control).value = value
        assert app.error is None
        checked = go.Figure(app.figure.to_plotly_json())
        assert [trace.name for trace in checked.data] == [trace.name for trace in app.figure.data]
    toy = Explorer(classifier(), alpha=0.5)
    toy.step.value = 2
    go.Figure(toy.figure.to_plotly_json())


def test_a_hyperparameter_change_sends_one_plotly_update():
    app = Explorer(optimizer="momentum")
    wire = Wire(app.figure)
    app.beta.value = 0.5
    assert surface_free(app, wire.update)
    wire.only_bookkeeping_besides_the_update()


def test_step_moves_chad_alone(app):
    wire = Wire(app.figure)
    app.step.value = 2
    message = wire.update
    assert roles_touched(app, message) <= set(explorer_data.CHAD_ROLES)
    # His label, whole: where it points and what it says. Its style is in the figure's template.
    ((key, (label,)),) = message["layout_data"].items()
    assert key == "scene.annotations" and set(label) == {"x", "y", "z", "text"}
    assert label["text"] == fx.sensor_text(app.trajectory.loss[2])
    assert app.figure.layout.template.layout.scene.annotationdefaults.bgcolor == fx.SENSOR_STYLE["bgcolor"]


def test_a_walk_change_touches_trail_chad_and_loss_curve_only(app):
    wire = Wire(app.figure)
    app.alpha.value = 0.05
    assert roles_touched(app, wire.update) <= set(explorer_data.CHAD_ROLES) | set(explorer_data.PATH_ROLES)


def test_the_surface_travels_once_per_landscape_change(app):
    wire = Wire(app.figure)
    app.landscape.value = "himmelblau"
    # Neither landscape has data: the (empty) examples stay as they are.
    assert set(explorer_data.LANDSCAPE_ROLES) - {"data_points"} <= roles_touched(app, wire.update)
    wire.only_bookkeeping_besides_the_update()
    assert wire.bytes > 20_000


def test_the_app_box_itself_can_change(app):
    # Its own synced state (a VBox's box_style, its children) reaches the page: the app
    # must not shadow what ipywidgets uses to send it.
    wire = Wire(app)
    app.box_style = "info"
    fewer = len(app.children) - 1
    app.children = app.children[:-1]
    assert {"box_style": "info"} in wire.states
    assert any(len(state.get("children", ())) == fewer for state in wire.states)


def test_the_apps_modules_are_rooms_a_newcomer_can_read():
    import gdviz.apps._base as base
    import gdviz.apps._plotly_compat as compat
    import gdviz.apps.explorer as explorer
    import gdviz.apps.explorer_compare as compare
    import gdviz.apps.explorer_controls as controls
    import gdviz.apps.explorer_sharing as sharing
    import gdviz.apps.explorer_state as state
    import gdviz.apps.explorer_step as step

    for module in (explorer, controls, base, compat, compare, sharing, state, step):
        with open(module.__file__, encoding="utf-8") as source:
            assert sum(1 for _ in source) <= 400, module.__name__


def test_the_app_shadows_nothing_of_its_widget_base(app):
    # Explorer._send once replaced ipywidgets' Widget._send, and every change of the box's own
    # state raised a TypeError. Traitlets itself gives every subclass a few names (a bare
    # subclass shows which); the display hook is the one override meant.
    base = set(dir(widgets.VBox))
    by_traitlets = set(vars(type("Bare", (widgets.VBox,), {})))
    defined = {name for cls in (Explorer, FigureApp) for name in vars(cls) if not name.startswith("__")}
    own = set(vars(app)) - set(vars(widgets.VBox()))
    assert (defined | own) & base - by_traitlets == {"_repr_mimebundle_"}


# --------------------------------------------------------------------------- divergence, words, errors


def test_huge_alpha_on_the_bowl_diverges_visibly_and_finitely(all_finite, app):
    app.alpha.value = 9.0
    assert app.trajectory.stop_reason == "diverged"
    assert "diverged after" in app.status.value and "alpha is above 2/L = 1" in app.status.value
    assert all_finite(app.figure)
    scene = app.figure.layout.scene
    assert scene.xaxis.range == (-3, 3) and scene.yaxis.range == (-3, 3)
    app.step.value = len(app.trajectory) - 1
    assert all_finite(app.figure)


def test_status_says_converged_where_and_in_how_many_steps():
    app = Explorer(alpha=0.1, start=(-2.0, 1.5))
    # Theory: w_t = 0.8^t w_0, |grad| = 2 |w_t| = 5 * 0.8^t; first t with 5 * 0.8^t <= GRAD_BELOW.
    steps = int(np.ceil(np.log(GRAD_BELOW / 5.0) / np.log(0.8)))
    assert app.trajectory.n_updates == steps
    assert f"converged to (0.00, 0.00) in {steps} steps" in app.status.value


def test_status_says_stopped_when_the_loss_is_low_enough():
    app = Explorer(alpha=0.1, start=(-2.0, 1.5), loss_below=1e-3)
    # loss_t = 6.25 * 0.64^t <= 1e-3
    steps = int(np.ceil(np.log(1e-3 / 6.25) / np.log(0.64)))
    assert f"stopped: loss below 0.001 after {steps} steps" in app.status.value


def test_status_when_the_budget_runs_out():
    app = Explorer(alpha=1e-3, max_steps=7)
    assert "walked all 7 steps without converging" in app.status.value


def test_the_alpha_guide_marks_one_and_two_over_l_on_quadratics(app):
    assert "1/L = 0.5" in app.alpha_guide.value and "2/L = 1" in app.alpha_guide.value
    app.landscape.value = "ravine"
    assert "2/L = 0.2" in app.alpha_guide.value
    app.landscape.value = "rosenbrock"
    assert app.alpha_guide.value == ""


def broken_landscape():
    """A bowl whose gradient formula fails for w1 > 1, like a bug in a student's landscape."""
    def grad(x, y):
        if np.any(np.asarray(x) > 1):
            raise RuntimeError("the gradient formula broke")
        return 2 * x, 2 * y

    return gdviz.Landscape("fragile bowl", "w1² + w2²", lambda x, y: x * x + y * y, grad,
                           ((-3.0, 3.0), (-3.0, 3.0)), [(0.0, 0.0)], (-2.0, 1.5))


def test_an_error_in_a_callback_is_shown_in_the_app_not_lost():
    app = Explorer(broken_landscape(), alpha=0.1)
    app.start_x.value = 2.0
    assert isinstance(app.error, RuntimeError)
    assert "RuntimeError" in app.status.value and "the gradient formula broke" in app.status.value
    assert "Traceback" in app.error_log.outputs[0]["text"]
    app.start_x.value = -1.0
    assert app.error is None and "converged" in app.status.value and app.error_log.outputs == ()


# --------------------------------------------------------------------------- every optimizer, every landscape


@pytest.mark.parametrize("optimizer", optimizers.names())
@pytest.mark.parametrize("name", landscapes.names())
def test_every_optimizer_runs_on_every_landscape(all_finite, name, optimizer):
    app = Explorer(name, optimizer=optimizer, max_steps=40)
    assert app.error is None and app.status.value
    assert app.trajectory.w[0].tolist() == list(landscapes.get(name).start)
    app.step.value = 0
    assert (chad(app).x[0], chad(app).y[0]) == tuple(app.trajectory.w[0])
    assert all_finite(app.figure)


def test_switching_through_every_optimizer_keeps_one_figure_and_shows_their_settings(app):
    for optimizer in optimizers.names():
        app.optimizer.value = optimizer
        assert app.error is None
        shown = [control.description for control in app.hyperparameter_box.children]
        expected = {"gradient_descent": [], "momentum": ["beta"], "nesterov": ["beta"], "adagrad": ["eps"],
                    "rmsprop": ["beta", "eps"], "adam": ["beta1", "beta2", "eps"], "sgd": ["noise", "seed"],
                    "line_search": ["shrink", "c"], "newton": ["damping"]}[optimizer]
        assert shown == expected


def test_hyperparameters_are_attributes_of_the_chosen_optimizer_only():
    app = Explorer(optimizer="momentum", beta=0.5, alpha=0.1, start=(1.0, 0.0))
    assert app.beta.value == 0.5
    # Momentum by hand on the bowl, w = (1, 0): g0 = 2, v0 = 2, w1 = 1 - 0.1*2 = 0.8;
    # g1 = 1.6, v1 = 0.5*2 + 1.6 = 2.6, w2 = 0.8 - 0.26 = 0.54.
    assert app.trajectory.w[1:3, 0] == pytest.approx([0.8, 0.54])
    app.optimizer.value = "gradient_descent"
    with pytest.raises(AttributeError, match="beta"):
        app.beta  # noqa: B018


def test_sgd_offers_minibatches_on_a_landscape_with_data():
    app = Explorer(classifier(), optimizer="sgd", batch_size=4, alpha=0.5)
    assert [control.description for control in app.hyperparameter_box.children] == [
        "batch size", "shuffle", "seed"]
    assert app.batch_size.max == 8
    assert "epoch" in app.trajectory.state


def test_a_classifier_landscape_gets_its_data_panel():
    toy = classifier()
    app = Explorer(toy, alpha=0.5)
    assert app.figure.layout.xaxis3.visible
    assert list(role(app, "data_points").x) == list(toy.data[0])
    app.step.value = 3
    weight, bias = app.trajectory.w[3]
    curve = role(app, "model_curve")
    probability = 1 / (1 + np.exp(-(weight * np.asarray(curve.x, dtype=float) + bias)))
    assert np.asarray(curve.y) == pytest.approx(probability, abs=1e-6)
    assert role(app, "boundary").x[0] == pytest.approx(-bias / weight)
    app.landscape.value = "bowl"
    assert app.figure.layout.xaxis3.visible is False and len(role(app, "model_curve").x) == 0


# --------------------------------------------------------------------------- clicks, reset, play, display


def click(app, role_name, x, y):
    """What the browser sends when the student clicks a point of a trace."""
    app.figure._js2py_pointsCallback = {
        "event_type": "plotly_click",
        "points": {"xs": [x], "ys": [y], "point_indexes": [0],
                   "trace_indexes": [style.trace_index(app.figure, role_name)]},
        "device_state": None, "selector": None,
    }


@pytest.mark.parametrize("where", ["surface", "contour"])
def test_clicking_the_bowl_or_the_map_moves_the_start(app, where):
    wire = Wire(app.figure)
    click(app, where, 1.25, -0.5)
    assert (app.start_x.value, app.start_y.value) == (1.25, -0.5)
    assert app.trajectory.w[0].tolist() == [1.25, -0.5]
    assert len(wire.plotly_messages) == 1


def test_clicking_outside_the_domain_is_clipped_to_it(app):
    click(app, "contour", 7.0, -9.0)
    assert app.trajectory.w[0].tolist() == [3.0, -3.0]


def test_reset_brings_back_the_landscape_defaults(app):
    app.alpha.value, app.start_x.value, app.max_steps.value = 0.7, 2.0, 10
    app.reset.click()
    bowl = landscapes.get("bowl")
    assert (app.alpha.value, app.start_x.value, app.start_y.value) == (0.1, *bowl.start)
    assert app.max_steps.value == 100 and app.trajectory.w[0].tolist() == list(bowl.start)


def test_play_is_linked_in_the_browser_with_step_as_the_source(app):
    link = app._play_link
    # A jslink runs in the page: no kernel round trip per frame of the animation.
    assert isinstance(link, widgets.widgets.widget_link.Link)
    assert link.source == (app.step, "value") and link.target == (app.play, "value")


def test_the_app_displays_as_a_widget(app):
    assert isinstance(app, widgets.VBox)
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


@pytest.mark.parametrize("arguments, error, words", [
    ({"landscape": "volcano"}, ValueError, "landscape must be one of"),
    ({"optimizer": "lbfgs"}, ValueError, "optimizer must be one of"),
    ({"alpha": -0.1}, ValueError, "alpha"),
    ({"start": (10.0, 0.0)}, ValueError, "start must lie in"),
    ({"max_steps": 0}, ValueError, "max_steps"),
    ({"optimizer": "momentum", "gamma": 0.1}, ValueError, "gamma=0.1 is not a setting of momentum"),
    ({"optimizer": "momentum", "beta": 1.5}, ValueError, "beta must be between"),
    ({"optimizer": "adam", "eps": 1.0}, ValueError, "eps must be between 1e-12 and 0.1 here, got 1.0"),
])
def test_bad_arguments_are_refused_in_words(arguments, error, words):
    with pytest.raises(error, match=words):
        Explorer(**arguments)


@pytest.mark.parametrize("name", landscapes.names())
def test_slider_values_sit_on_their_grid_so_the_page_has_nothing_to_snap(name):
    app = Explorer(name)
    exponent = (np.log10(app.alpha.value) - app.alpha.min) / app.alpha.step
    assert exponent == pytest.approx(round(exponent), abs=1e-6)
    for slider, start in zip((app.start_x, app.start_y), landscapes.get(name).start, strict=True):
        ticks = (slider.value - slider.min) / slider.step
        assert ticks == pytest.approx(round(ticks), abs=1e-6)
        assert slider.value == pytest.approx(start, abs=slider.step / 2)


def test_an_off_grid_start_is_rounded_to_the_nearest_step():
    app = Explorer(start=(0.123456, -1.0))
    assert (app.start_x.value, app.start_y.value) == (0.12, -1.0)
    assert app.trajectory.w[0].tolist() == [0.12, -1.0]


def test_default_alpha_off_the_catalogue_uses_the_largest_curvature():
    toy = classifier()
    # Logistic loss: Hessian = mean p(1-p) z z^T with z = (x, 1), at most a quarter of
    # mean z z^T, reached where p = 1/2 for every example, i.e. at w = (0, 0), a grid point.
    features = np.column_stack([toy.data[0], np.ones(len(toy.data[0]))])
    largest = 0.25 * np.linalg.eigvalsh(features.T @ features / len(features)).max()
    assert default_alpha(toy) == pytest.approx(0.5 / largest, rel=1e-4)
    quadratic = landscapes.quadratic((1.0, 8.0), angle=20.0)
    assert default_alpha(quadratic) == pytest.approx(0.5 / 8.0)


def test_the_surface_carries_contour_lines_only_when_asked():
    # Off by default: the page redraws them in 3D on every move (tests/browser/test_latency_floor.py).
    plain, lined = Explorer("bowl"), Explorer("bowl", surface_contours=True)
    assert not style.trace(plain.figure, "surface").contours.z.show
    assert style.trace(lined.figure, "surface").contours.z.show
    lined.landscape.value = "ravine"  # a new landscape keeps the choice
    assert style.trace(lined.figure, "surface").contours.z.show
    plain.landscape.value = "ravine"
    assert not style.trace(plain.figure, "surface").contours.z.show
    with pytest.raises(TypeError, match="surface_contours must be True or False"):
        Explorer("bowl", surface_contours="yes")


def test_an_optimizers_settings_are_made_when_it_is_first_chosen():
    # Each setting is a widget the page loads: a new Explorer makes only its optimizer's.
    app = Explorer("ravine")
    assert list(app._hyper) == ["gradient_descent"]
    app.optimizer.value = "momentum"
    assert set(app._hyper) == {"gradient_descent", "momentum"}
    before = app.trajectory.w.copy()
    app.beta.value = 0.5  # made on demand, and still wired to the walk
    assert app.trajectory.w.shape != before.shape or not np.allclose(app.trajectory.w, before)
    assert list(app.hyperparameter_box.children) == list(app.hyperparameters.values())


def test_settings_on_a_log_slider_are_checked_against_its_values_not_its_exponents():
    app = Explorer(optimizer="adam", eps=1e-6)
    assert app.eps.value == 1e-6 and app.error is None


# --------------------------------------------------------------------------- words, not identifiers


def test_the_optimizer_menu_shows_words_and_keeps_identifiers_as_values(app):
    labels, values = zip(*app.optimizer.options, strict=True)
    assert list(values) == optimizers.names(hessian=True)
    assert labels[0] == "plain descent" and "line search" in labels and "gradient_descent" not in labels
    assert list(labels) == [gdviz.words.in_words(value) for value in values]
    app.optimizer.value = "line_search"  # the API still takes the identifier
    assert app.error is None and app.optimizer.label == "line search"


@pytest.mark.parametrize("change", [("max_steps", 100), ("max_steps", 5), ("alpha", 9.0),
                                    ("optimizer", "gradient_descent")])
def test_the_status_line_says_words(app, change):
    getattr(app, change[0]).value = change[1]
    # No identifier of the words table stands in it as a word: saying it in words changes nothing.
    assert gdviz.words.say(app.status.value) == app.status.value
    assert not any(name in app.status.value for name in ("grad_below", "max_steps", "gradient_descent"))


# --------------------------------------------------------------------------- pin and compare


def points(app, role_name):
    x = role(app, role_name).x
    return 0 if x is None else len(x)


def pinned_roles(app, message):
    return roles_touched(app, message) & set(explorer_pinned.PINNED_ROLES)


def test_the_pinned_walks_traces_exist_from_the_start_empty(app):
    for role_name in explorer_pinned.PINNED_ROLES:
        assert points(app, role_name) == 0
    assert app.pinned is None and app.pin_button.description == "pin this walk"


def test_pinning_sends_one_update_with_the_walk_and_its_label_but_not_the_surface():
    app = Explorer("ravine", optimizer="momentum", alpha=0.05)
    wire = Wire(app.figure)
    app.pin_button.click()
    assert app.error is None and surface_free(app, wire.update)
    wire.only_bookkeeping_besides_the_update()
    assert pinned_roles(app, wire.update) == set(explorer_pinned.PINNED_ROLES)
    trail = np.column_stack([role(app, "trail pinned").x, role(app, "trail pinned").y])
    assert trail == pytest.approx(app.trajectory.w, abs=1e-6)
    assert np.asarray(role(app, "loss_curve pinned").y) == pytest.approx(app.trajectory.loss, rel=1e-6)
    (label,) = role(app, "map_trail pinned label").text
    assert label == "pinned: momentum, α = 0.0501, β = 0.9"
    assert app.pin_button.description == "unpin the pinned walk"
    assert "a walk pinned for comparison (momentum, α = 0.0501, β = 0.9)" in app.figure_description.value


@pytest.mark.parametrize("change", [("alpha", 0.02), ("optimizer", "adam"), ("start_x", 1.0), ("step", 2)])
def test_with_a_walk_pinned_a_change_is_still_one_update_that_leaves_it_alone(change):
    app = Explorer("ravine", optimizer="momentum", alpha=0.05)
    app.pin()
    pinned = app.pinned[0]
    wire = Wire(app.figure)
    control, value = change
    getattr(app, control).value = value
    assert surface_free(app, wire.update) and pinned_roles(app, wire.update) == set()
    wire.only_bookkeeping_besides_the_update()
    assert app.pinned[0] is pinned and len(role(app, "trail pinned").x) == len(pinned)


def test_unpin_empties_the_pinned_traces_in_one_update():
    app = Explorer("ravine")
    app.pin()
    wire = Wire(app.figure)
    app.pin_button.click()
    assert pinned_roles(app, wire.update) == set(explorer_pinned.PINNED_ROLES)
    assert surface_free(app, wire.update)
    assert app.pinned is None and all(points(app, name) == 0 for name in explorer_pinned.PINNED_ROLES)


def test_a_new_landscape_unpins_in_its_one_update(app):
    app.pin()
    wire = Wire(app.figure)
    app.landscape.value = "himmelblau"
    assert len(wire.plotly_messages) == 1 and app.pinned is None
    assert len(role(app, "trail pinned").x) == 0 and app.pin_button.description == "pin this walk"


def test_a_pinned_walk_is_compared_against_another_optimizer():
    app = Explorer("ravine", alpha=0.1, max_steps=200)
    app.pin({"optimizer": "momentum", "hyperparameters": {"beta": 0.6}})
    expected = gdviz.run(optimizers.momentum("ravine", (-2.5, 2.0), 0.1, beta=0.6), max_steps=200,
                         grad_below=1e-3)
    assert np.array_equal(app.pinned[0].w, expected.w)
    assert app.pinned[1] == {"optimizer": "momentum", "alpha": 0.1, "start": [-2.5, 2.0], "max_steps": 200,
                             "hyperparameters": {"beta": 0.6}}
    app.pin({"optimizer": "newton"})  # an optimizer with its own alpha brings it
    assert app.pinned[1]["alpha"] == 1.0 and app.pinned[0].n_updates == 1
    with pytest.raises(ValueError, match="beta=0.5 is not a setting of adam"):
        app.pin({"optimizer": "adam", "hyperparameters": {"beta": 0.5}})


def test_the_loss_axis_fits_the_pinned_walk_too():
    app = Explorer("bowl", alpha=0.1)
    app.pin()  # a walk down to 1e-7: a log axis
    app.max_steps.value = 2  # the live walk spans less than a decade
    assert app.figure.layout.yaxis2.type == "log", "the pinned walk's decades still need the log axis"
    app.unpin()
    assert app.figure.layout.yaxis2.type == "linear"


# --------------------------------------------------------------------------- your own landscape


def test_custom_is_on_the_landscape_menu_and_shows_the_formula_box(app):
    assert "custom" in app.landscape.options and app.formula_row.layout.display == "none"
    assert app.formula.description == "your formula L(x, y)", "its label names it for screen readers"
    app.landscape.value = "custom"
    assert app.error is None and app.formula_row.layout.display is None
    assert role(app, "surface").z is not None and "x**2 + 3*y**2" in app.figure.layout.annotations[0].text


def test_a_typed_formula_redraws_the_surface_in_one_update(app):
    app.landscape.value = "custom"
    wire = Wire(app.figure)
    app.formula.value = "x**2 - y + 0.5*x*y"
    assert app.error is None and len(wire.plotly_messages) == 1
    X, Y = np.meshgrid(np.linspace(-3, 3, 60), np.linspace(-3, 3, 60))
    by_hand = X**2 - Y + 0.5 * X * Y
    assert np.array(role(app, "surface").z, dtype=float) == pytest.approx(by_hand, abs=1e-3 * np.ptp(by_hand))
    assert app.state()["landscape"]["formula"] == "x**2 - y + 0.5*x*y"


def test_a_bad_formula_is_refused_in_the_status_line_and_the_last_good_surface_stays(app):
    app.landscape.value = "custom"
    app.formula.value = "x**2 + y**2"
    surface, walk = np.array(role(app, "surface").z, dtype=float), app.trajectory
    wire = Wire(app.figure)
    for bad in ("x**2 + import os", "__import__('os')", "x**2 + z", "(" * 2000 + "x" + ")" * 2000):
        app.formula.value = bad
        assert isinstance(app.error, ValueError) and "Error: ValueError:" in app.status.value
        assert wire.plotly_messages == [] and app.trajectory is walk
        assert np.array_equal(np.array(role(app, "surface").z, dtype=float), surface)
        assert app.landscape.value == "custom" and app._landscape.formula == "x**2 + y**2"
    app.formula.value = "x**2 + 2*y**2"
    assert app.error is None and "converged" in app.status.value


def test_a_formula_with_gaps_is_drawn_with_gaps():
    app = Explorer(landscapes.from_formula("log(x) + y**2", domain=((-2, 2), (-2, 2))))
    z = role(app, "surface").z
    x = np.asarray(role(app, "surface").x, dtype=float)
    gaps = np.array([[value is None for value in row] for row in z])
    assert gaps[:, x < 0].all() and not gaps[:, x > 0].any(), "a gap exactly where log(x) is undefined"
    assert app.error is None
    low, high = app.figure.layout.scene.zaxis.range
    assert np.isfinite([low, high]).all() and low < high
    go.Figure(app.figure.to_plotly_json())  # valid plotly, gaps and all


def test_a_formula_whose_drawing_fails_leaves_the_app_as_it_was(app, monkeypatch):
    def now():
        return app.landscape.value, app.alpha.value, app.start_x.min, app.start_x.value, app.trajectory

    before = now()

    def broken_frame(landscape, resolution=60):
        raise RuntimeError("the mesh broke")

    monkeypatch.setattr(explorer_data, "frame", broken_frame)
    app.formula.value = "x**2 + 5*y**2"
    assert isinstance(app.error, RuntimeError)
    assert now() == before


def test_choosing_custom_with_a_bad_formula_in_the_box_goes_back(app):
    with app.quietly():
        app.formula.value = "x +* y"
    app.landscape.value = "custom"
    assert isinstance(app.error, ValueError)
    assert app.landscape.value == "bowl" and app._landscape.name == "bowl"
