"""The Explorer with Newton and the line search (12), headless: what the menu offers, and their controls."""

import numpy as np
import pytest

import gdviz
from gdviz import landscapes, optimizers
from gdviz.apps import Explorer
from gdviz.apps import controls as named
from gdviz.apps.explorer_controls import DEFAULT_ALPHA, SETTING_NAMES, SETTING_OPTIONS, default_alpha


def plain_bowl():
    """A bowl that does not know its second derivatives."""
    return landscapes.get("bowl").replace(name="plain bowl", hessian=None, hess=None)


def offered(app):
    """The optimizers the menu offers, by their API names (the menu shows them in words)."""
    return [value for _, value in app.optimizer.options]


def test_newton_is_offered_only_where_the_landscape_has_a_hessian():
    assert "newton" in offered(Explorer("ravine"))
    app = Explorer(plain_bowl())
    assert "newton" not in offered(app) and "line_search" in offered(app)
    with pytest.raises(ValueError, match="optimizer 'newton' needs the landscape's Hessian, and 'plain bowl' "
                                         "has none; choose one of 'gradient_descent'"):
        Explorer(plain_bowl(), optimizer="newton")


def test_leaving_for_a_landscape_without_a_hessian_falls_back_to_gradient_descent():
    bowl = plain_bowl()
    app = Explorer("ravine", optimizer="newton")
    app._given[bowl.name] = bowl  # as if the app had been opened with it: it joins the menu
    app.landscape.options = app._landscape_names()
    app.landscape.value = bowl.name
    assert app.error is None
    assert app.optimizer.value == "gradient_descent" and "newton" not in offered(app)
    assert "Newton needs the landscape's Hessian, which plain bowl lacks" in app.status.value
    assert app.alpha.value == app.alpha.nearest(default_alpha(bowl))  # out of Newton: a learning rate
    app.landscape.value = "ravine"
    assert "newton" in offered(app) and app.optimizer.value == "gradient_descent"


def test_choosing_newton_walks_newtons_walk_with_its_own_alpha():
    app = Explorer("rosenbrock")
    assert app.alpha.value == pytest.approx(DEFAULT_ALPHA["rosenbrock"])
    app.optimizer.value = "newton"
    assert app.alpha.value == 1.0 and app.damping.value == 0.0
    expected = gdviz.run(optimizers.newton("rosenbrock", app.trajectory.w[0]), max_steps=app.max_steps.value,
                         grad_below=1e-3)
    assert np.array_equal(app.trajectory.w, expected.w)
    app.damping.value = 10.0
    damped = gdviz.run(optimizers.newton("rosenbrock", app.trajectory.w[0], damping=10.0),
                       max_steps=app.max_steps.value, grad_below=1e-3)
    assert np.array_equal(app.trajectory.w, damped.w) and app.trajectory.n_updates > expected.n_updates
    app.optimizer.value = "gradient_descent"  # out of Newton: the landscape's learning rate again
    assert app.alpha.value == pytest.approx(DEFAULT_ALPHA["rosenbrock"])
    app.alpha.value = app.alpha.nearest(0.0005)
    app.optimizer.value = "momentum"  # between learning rates, the student's alpha stays
    assert app.alpha.value == pytest.approx(0.0005, rel=0.05)


def test_reset_gives_newton_back_its_full_step():
    app = Explorer("ravine", optimizer="newton", damping=100.0)
    app.alpha.value = app.alpha.nearest(0.3)
    app.reset.click()
    assert app.alpha.value == 1.0 and app.damping.value == 0.0 and app.trajectory.n_updates == 1


def test_the_new_controls_have_names_a_screen_reader_announces():
    app = Explorer("ravine", optimizer="line_search")
    for name in ("shrink", "c"):
        control = getattr(app, name)
        assert isinstance(control, named._Slider) and control.accessible_name == SETTING_NAMES[name]
    app.optimizer.value = "newton"
    assert isinstance(app.damping, named.SelectionSlider)
    assert app.damping.accessible_name == "Newton's damping lambda"
    assert app.damping.options == list(SETTING_OPTIONS["damping"]) and 0.0 in app.damping.options


def test_the_line_search_is_offered_everywhere_and_its_status_counts_the_tries():
    app = Explorer(plain_bowl(), optimizer="line_search")
    assert app.alpha.value == 1.0
    searched = gdviz.run(optimizers.line_search(plain_bowl(), app.trajectory.w[0]), max_steps=100,
                         grad_below=1e-3)
    assert np.array_equal(app.trajectory.w, searched.w)
    tries = app.trajectory.state["losses_tried"].mean()
    assert f"the line search read {tries:.1f} trial losses per step" in app.status.value
    app.shrink.value = 0.9
    assert app.trajectory.state["losses_tried"].mean() != tries


def test_the_status_says_when_newton_stopped_on_a_hilltop_or_a_saddle():
    app = Explorer("himmelblau", optimizer="newton")
    assert app.trajectory.stop_reason == "grad_below"
    assert "this flat spot is a hilltop" in app.status.value
    app.landscape.value = "saddle"
    assert "this flat spot is a saddle point" in app.status.value
    app.landscape.value = "bowl"
    assert "flat spot" not in app.status.value


@pytest.mark.parametrize("arguments, error, words", [
    ({"optimizer": "newton", "damping": 0.5}, ValueError, "damping must be one of 0, 0.001, 0.01"),
    ({"optimizer": "newton", "damping": "a"}, TypeError, "damping must be a real number"),
    ({"optimizer": "line_search", "shrink": 0.99}, ValueError, "shrink must be between 0.05 and 0.95"),
    ({"optimizer": "line_search", "c": 0.3}, ValueError, "c must be one of 1e-06"),
])
def test_bad_settings_are_refused_in_words(arguments, error, words):
    with pytest.raises(error, match=words):
        Explorer("ravine", **arguments)


@pytest.mark.parametrize("name", ["newton", "line_search"])
@pytest.mark.parametrize("landscape", landscapes.names())
def test_newton_and_the_line_search_run_on_every_landscape(all_finite, landscape, name):
    app = Explorer(landscape, optimizer=name, max_steps=40)
    assert app.error is None and all_finite(app.figure)
    assert np.all(np.isfinite(app.trajectory.w))
