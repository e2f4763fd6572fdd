"""The step explained (`gdviz.apps.explorer_step`): each optimizer's update written out with its numbers.

The numbers are checked two independent ways: against steps worked by hand on the bowl
L = w1² + w2² (gradient 2w), and against the walk itself, whose next point the explanation's
own arithmetic must reach for every optimizer, at every step.
"""

import numpy as np
import pytest

import gdviz
from gdviz import landscapes, optimizers
from gdviz.apps import Explorer
from gdviz.apps.explorer_step import drawn_batch, explain, explanation_lines


def walk(landscape, optimizer, start=None, alpha=None, max_steps=30, **settings):
    landscape = landscapes.get(landscape)
    settings = {**optimizers.hyperparameters(optimizer), **settings}
    alpha = alpha or optimizers.default_alpha(optimizer) or 0.05
    start = landscape.start if start is None else start
    steps = optimizers.get(optimizer)(landscape, start, alpha, **settings)
    return gdviz.run(steps, max_steps=max_steps, grad_below=1e-3), alpha, settings


def lines_of(trajectory, step, optimizer, alpha, settings, landscape="bowl"):
    return explanation_lines(trajectory, step, optimizer, alpha, settings, landscapes.get(landscape))


# --------------------------------------------------------------------------- by hand, on the bowl


def test_plain_descent_by_hand():
    # From (1, 2) with alpha 0.25: g = 2w = (2, 4), w(1) = (1, 2) - 0.25 (2, 4) = (0.5, 1).
    trajectory, alpha, settings = walk("bowl", "gradient_descent", start=(1.0, 2.0), alpha=0.25)
    lines, after = lines_of(trajectory, 0, "gradient_descent", alpha, settings)
    assert lines[0].startswith("step 0 of") and "plain descent" in lines[0] and "(1, 2)" in lines[0]
    assert lines[1] == "g(0) = ∇L(w(0)) = (2, 4)"
    assert lines[2] == "w(1) = w(0) - α g(0) = (1, 2) - 0.25 × (2, 4) = (0.5, 1)"
    assert after.tolist() == [0.5, 1.0]


def test_momentum_by_hand():
    # From (1, 0), alpha 0.1, beta 0.5: g0 = 2, v0 = 2, w1 = 0.8; g1 = 1.6, v1 = 0.5 * 2 + 1.6 = 2.6,
    # w2 = 0.8 - 0.26 = 0.54.
    trajectory, alpha, settings = walk("bowl", "momentum", start=(1.0, 0.0), alpha=0.1, beta=0.5)
    lines, after = lines_of(trajectory, 1, "momentum", alpha, settings)
    assert "v(1) = β v(0) + g(1) = 0.5 × (2, 0) + (1.6, 0) = (2.6, 0)" in lines
    assert lines[-1].endswith("= (0.8, 0) - 0.1 × (2.6, 0) = (0.54, 0)")
    assert after == pytest.approx([0.54, 0.0])
    first, _ = lines_of(trajectory, 0, "momentum", alpha, settings)
    assert "v(0) = β v(-1) + g(0) = 0.5 × (0, 0) + (2, 0) = (2, 0)" in first, "accumulators start at zero"


def test_adams_first_step_by_hand():
    # At t = 0 the corrections undo (1 - beta): m̂ = g, ŝ = g², so the move is alpha g / (|g| + eps),
    # about alpha in each coordinate: from (1, -2), g = (2, -4), w(1) = (0.9, -1.9).
    trajectory, alpha, settings = walk("bowl", "adam", start=(1.0, -2.0), alpha=0.1)
    lines, after = lines_of(trajectory, 0, "adam", alpha, settings)
    assert "m(0) = β1 m(-1) + (1 - β1) g(0) = 0.9 × (0, 0) + 0.1 × (2, -4) = (0.2, -0.4)" in lines
    assert any(line.startswith("corrected: m̂ = m(0) / (1 - β1^1) = (0.2, -0.4) / 0.1 = (2, -4)")
               for line in lines)
    assert after == pytest.approx([0.9, -1.9], abs=1e-8)


def test_newton_lands_on_the_bottom_of_a_quadratic():
    trajectory, alpha, settings = walk("ravine", "newton")
    lines, after = lines_of(trajectory, 0, "newton", alpha, settings, "ravine")
    hessian = landscapes.get("ravine").hessian
    assert lines[2].startswith(f"H(0) = [[{hessian[0, 0]:.4g}, {hessian[0, 1]:.4g}], ")
    assert after == pytest.approx([0.0, 0.0], abs=1e-12)


def test_the_line_searchs_accepted_step_satisfies_armijo():
    ravine = landscapes.get("ravine")
    trajectory, alpha, settings = walk("ravine", "line_search")
    lines, after = lines_of(trajectory, 0, "line_search", alpha, settings, "ravine")
    size = trajectory.state["step_size"][0]
    w, g = trajectory.w[0], trajectory.grad[0]
    assert f"took s = {size:.4g}" in lines[2]
    # Independently: the accepted step lowers the loss by at least c s |g|², the step twice as long does not.
    assert ravine(w - size * g) <= ravine(w) - settings["c"] * size * (g @ g)
    assert ravine(w - 2 * size * g) > ravine(w) - settings["c"] * 2 * size * (g @ g)
    assert after == pytest.approx(w - size * g)


def test_imitated_sgd_shows_the_exact_gradient_and_the_noise_it_drew():
    trajectory, alpha, settings = walk("bowl", "sgd", start=(1.0, 2.0), alpha=0.1)
    lines, _ = lines_of(trajectory, 2, "sgd", alpha, settings)
    exact = 2 * trajectory.w[2]  # the bowl's gradient, by hand
    noise = trajectory.grad[2] - exact
    sensed = trajectory.grad[2]
    assert lines[1] == (f"g(2) = ∇L(w(2)) + noise = ({exact[0]:.4g}, {exact[1]:.4g}) + "
                        f"({noise[0]:.4g}, {noise[1]:.4g}) = ({sensed[0]:.4g}, {sensed[1]:.4g})")


def test_sgd_on_data_shows_the_batch_it_drew(points_landscape):
    points = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 4.0], [4.0, 4.0], [1.0, 1.0], [3.0, -1.0]])
    landscape = points_landscape(points)
    settings = {"batch_size": 2, "shuffle": True, "seed": 3}
    trajectory = gdviz.run(optimizers.sgd(landscape, (4.0, 4.0), 0.3, **settings), max_steps=8)
    for step in range(len(trajectory) - 1):
        batch = drawn_batch(landscape, step, settings)
        # The batch shown is the one the walk used: its gradient, w minus the batch's mean point (by hand).
        assert trajectory.grad[step] == pytest.approx(trajectory.w[step] - points[batch].mean(axis=0))
        lines, after = explanation_lines(trajectory, step, "sgd", 0.3, settings, landscape)
        assert f"examples {', '.join(str(i) for i in batch)}, 2 of 6" in lines[1]
        assert after == pytest.approx(trajectory.w[step + 1])


# --------------------------------------------------------------------------- against the walk itself


@pytest.mark.parametrize("landscape", ["bowl", "rosenbrock", "himmelblau"])
@pytest.mark.parametrize("optimizer", optimizers.names())
def test_the_written_step_reaches_the_walks_next_point(landscape, optimizer):
    alpha = optimizers.default_alpha(optimizer) or {"bowl": 0.1, "rosenbrock": 0.001}.get(landscape, 0.01)
    trajectory, alpha, settings = walk(landscape, optimizer, alpha=alpha, max_steps=25)
    for step in range(len(trajectory) - 1):
        lines, after = lines_of(trajectory, step, optimizer, alpha, settings, landscape)
        assert after == pytest.approx(trajectory.w[step + 1], rel=1e-12, abs=1e-12), (optimizer, step)
        assert lines[-1].startswith(f"w({step + 1}) = w({step}) - ")
        assert "stops here" not in lines[-1]


def test_the_last_step_says_why_the_walk_stopped_in_words():
    trajectory, alpha, settings = walk("bowl", "gradient_descent", alpha=0.1, max_steps=200)
    assert trajectory.stop_reason == "grad_below"
    lines, _ = lines_of(trajectory, len(trajectory) - 1, "gradient_descent", alpha, settings)
    assert lines[-1] == "the walk stops here (slope flat enough): this move is not taken"
    assert not any("grad_below" in line or "gradient_descent" in line for line in lines)


def test_a_diverged_walks_last_step_is_still_written_out():
    trajectory, alpha, settings = walk("bowl", "gradient_descent", alpha=5.0, max_steps=50)
    assert trajectory.stop_reason == "diverged"
    lines, _ = lines_of(trajectory, len(trajectory) - 1, "gradient_descent", alpha, settings)
    assert "stops here" in lines[-1]


def test_explain_is_html_one_line_each_escaped():
    trajectory, alpha, settings = walk("ravine", "line_search")
    shown = explain(trajectory, 0, "line_search", alpha, settings, landscapes.get("ravine"))
    lines, _ = lines_of(trajectory, 0, "line_search", alpha, settings, "ravine")
    assert shown.count("<div>") == len(lines)
    assert "L(w - s g) ≤ L(w)" in shown and "<=" not in shown


@pytest.mark.parametrize("bad, error, words", [
    ({"step": 99}, ValueError, "step must be a whole number from 0 to"),
    ({"step": -1}, ValueError, "step must be"),
    ({"step": 1.0}, ValueError, "step must be"),
    ({"optimizer": "lbfgs"}, ValueError, "optimizer must be one of"),
])
def test_bad_arguments_are_refused_in_words(bad, error, words):
    trajectory, alpha, settings = walk("bowl", "gradient_descent", max_steps=5)
    arguments = {"step": 0, "optimizer": "gradient_descent", **bad}
    with pytest.raises(error, match=words):
        explanation_lines(trajectory, arguments["step"], arguments["optimizer"], alpha, settings,
                          landscapes.get("bowl"))


# --------------------------------------------------------------------------- in the app


def test_the_explorer_explains_the_step_on_show_and_follows_the_slider():
    app = Explorer("ravine", optimizer="momentum", alpha=0.05)
    assert f"step {len(app.trajectory) - 1} of" in app.explanation.value
    for step in (0, 3, 7):
        app.step.value = step
        w = app.trajectory.w[step]
        assert f"step {step} of {len(app.trajectory) - 1}, momentum: Chad at w({step}) = " \
               f"({w[0]:.4g}, {w[1]:.4g})" in app.explanation.value
        assert f"v({step}) = β v({step - 1})" in app.explanation.value
    app.optimizer.value = "adam"
    assert "m̂" in app.explanation.value and "Adam" in app.explanation.value
