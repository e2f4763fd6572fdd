"""Second-order steps (12): Newton and the line search checked against hand computations and theory.

Newton's step against hand-solved 2 x 2 systems and finite differences of the
gradient; its one step on any quadratic, its quadratic convergence near
Rosenbrock's minimum, its damping's two limits; the line search's Armijo test
at every accepted step and its failure at the try before. Then the lesson's
experiments, figures and exercise checkers.
"""

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdviz
from gdviz import exercises, figures, landscapes, optimizers, second_order
from gdviz.experiments import second_order as lesson
from gdviz.figures.style import trace

ROSENBROCK = landscapes.get("rosenbrock")


def flat_in_w2():
    """L = w1²: its Hessian diag(2, 0) is singular everywhere."""
    return gdviz.Landscape("trough", "w1²", lambda x, y: x * x + 0 * y, lambda x, y: (2 * x, 0 * y),
                           ((-1, 1), (-1, 1)), hess=lambda x, y: (2.0, 0.0, 0.0))


def without_hessian():
    return landscapes.get("bowl").replace(name="plain bowl", hessian=None, hess=None)


# ---------------------------------------------------------------- Newton: hand-computed steps

def test_first_newton_step_on_rosenbrock_by_hand():
    # At (-1.5, 2): g = (-155, -50), H = [[1902, 600], [600, 200]], det 20400, so
    # H^-1 g = ([200 * -155 + 600 * 50], [600 * 155 - 1902 * 50]) / 20400 = (-1000, -2100) / 20400.
    first, second = gdviz.run(optimizers.newton(ROSENBROCK, (-1.5, 2.0)), max_steps=1).w
    assert first.tolist() == [-1.5, 2.0]
    assert second == pytest.approx([-1.5 + 1000 / 20400, 2.0 + 2100 / 20400], rel=1e-13)


def test_damped_and_shortened_steps_on_the_bowl_by_hand():
    # Bowl: g = 2 w, H = 2 I. With damping 2 the step is g / 4 = w / 2; alpha 0.5 halves the full step.
    walk = gdviz.run(optimizers.newton("bowl", (1.0, 2.0), damping=2.0), max_steps=2).w
    assert walk[1:].tolist() == [[0.5, 1.0], [0.25, 0.5]]
    walk = gdviz.run(optimizers.newton("bowl", (1.0, 2.0), alpha=0.5), max_steps=2).w
    assert walk[1:].tolist() == [[0.5, 1.0], [0.25, 0.5]]


def test_the_hessian_each_step_reports_is_the_gradients_own_derivative():
    walk = gdviz.run(optimizers.newton(ROSENBROCK, (-1.2, 1.0), damping=1.0), max_steps=5)
    h = 1e-6
    for w, hessian in zip(walk.w, walk.state["hessian"], strict=True):
        columns = [(ROSENBROCK.grad(w + h * e) - ROSENBROCK.grad(w - h * e)) / (2 * h) for e in np.eye(2)]
        assert hessian == pytest.approx(np.column_stack(columns), rel=1e-6, abs=1e-5)


@settings(max_examples=60, deadline=None)
@given(low=st.floats(0.01, 10.0), ratio=st.floats(1.0, 1e4), angle=st.floats(0.0, 180.0),
       centre=st.tuples(st.floats(-3, 3), st.floats(-3, 3)),
       start=st.tuples(st.floats(-5, 5), st.floats(-5, 5)))
def test_one_undamped_step_lands_on_the_minimum_of_any_quadratic(low, ratio, angle, centre, start):
    bowl = landscapes.quadratic((low, low * ratio), angle=angle, centre=centre)
    walk = gdviz.run(optimizers.newton(bowl, start), max_steps=1)
    scale = 1.0 + np.linalg.norm(np.subtract(start, centre))
    # Exact up to rounding, which grows with the condition number (about ratio * 1e-16 relative).
    assert np.linalg.norm(walk.w[1] - bowl.minima[0]) <= 1e-13 * ratio * scale


def test_quadratic_convergence_near_rosenbrocks_minimum():
    # Theory: near the minimum w*, e_{t+1} <= C e_t^2 with C = |H(w*)^-1| |T| / 2, T the third
    # derivatives (L_xxx = 2400 w1, L_xxy = -400 w1 / w1 ... at (1, 1): 2400 and -400, thrice).
    third = math.sqrt(2400.0 ** 2 + 3 * 400.0 ** 2)
    bound = 0.5 * third / np.linalg.eigvalsh(ROSENBROCK.hessian_at((1.0, 1.0)))[0]
    rng = np.random.default_rng(3)
    squared = 0
    for start in np.array([1.0, 1.0]) + rng.uniform(-0.05, 0.05, size=(16, 2)):
        gaps = np.linalg.norm(gdviz.run(optimizers.newton(ROSENBROCK, start), max_steps=8).w - 1.0, axis=1)
        for before, after in zip(gaps[:-1], gaps[1:], strict=True):
            if 1e-9 < before < 1e-2:  # near the minimum, above rounding
                assert after <= 2 * bound * before ** 2, gaps
                squared += 1
    assert squared >= 16
    # Plain descent instead shrinks the distance by a nearly constant factor (linear convergence).
    gaps = np.linalg.norm(gdviz.run(optimizers.gradient_descent(ROSENBROCK, (1.02, 1.05), 1e-3),
                                    max_steps=3000).w - 1.0, axis=1)
    ratios = gaps[2001:] / gaps[2000:-1]
    assert np.ptp(ratios) < 1e-5 and 0.99 < ratios.mean() < 1.0


def test_damping_runs_from_newton_to_small_gradient_steps():
    w, grad, hessian = (-1.5, 2.0), ROSENBROCK.grad((-1.5, 2.0)), ROSENBROCK.hessian_at((-1.5, 2.0))
    curvatures = np.linalg.eigvalsh(hessian)

    def move(damping):
        walk = gdviz.run(optimizers.newton(ROSENBROCK, w, alpha=0.7, damping=damping), max_steps=1).w
        return walk[0] - walk[1]

    assert move(0.0) == pytest.approx(0.7 * np.linalg.solve(hessian, grad), rel=1e-12)
    lengths = [np.linalg.norm(move(damping)) for damping in (0.0, 1.0, 10.0, 1e2, 1e3, 1e4)]
    assert lengths == sorted(lengths, reverse=True)  # more damping, shorter steps (H is positive here)
    for damping in (1e4, 1e6, 1e8):
        # Plain descent with rate alpha / lambda, to within the largest curvature over lambda.
        gradient_step = 0.7 / damping * grad
        gap = np.linalg.norm(move(damping) - gradient_step) / np.linalg.norm(gradient_step)
        assert gap <= curvatures.max() / damping


def test_newton_jumps_onto_the_saddle_point_and_damping_turns_it_downhill():
    walk = gdviz.run(optimizers.newton("saddle", (-1.8, 0.05)), max_steps=10, grad_below=1e-12)
    assert walk.w[1].tolist() == [0.0, 0.0] and walk.stop_reason == "grad_below" and walk.n_updates == 1
    assert walk.loss[1] == 0.0  # the saddle point is no minimum: the loss goes on below 0 along w2
    damped = gdviz.run(optimizers.newton("saddle", (-1.8, 0.05), damping=3.0), max_steps=100)
    assert damped.stop_reason == "diverged"  # escaped: H + 3 I = diag(5, 1) is positive definite
    assert np.all(np.diff(damped.loss) < 0) and np.all(np.diff(np.abs(damped.w[:, 1])) > 0)


def test_newton_climbs_to_himmelblaus_hilltop_from_its_start():
    walk = gdviz.run(optimizers.newton("himmelblau", (-0.5, -0.5)), max_steps=50, grad_below=1e-10)
    himmelblau = landscapes.get("himmelblau")
    assert walk.stop_reason == "grad_below" and walk.loss[-1] > walk.loss[0]
    assert np.all(np.linalg.eigvalsh(himmelblau.hessian_at(walk.w[-1])) < 0)  # a maximum
    assert walk.w[-1] == pytest.approx([-0.270845, -0.923039], abs=1e-6)


def test_a_singular_hessian_refuses_the_step_and_damping_repairs_it():
    with pytest.raises(ValueError, match=r"Newton's step does not exist here: H \+ damping I = .* singular"):
        gdviz.run(optimizers.newton(flat_in_w2(), (0.5, 0.5)), max_steps=3)
    walk = gdviz.run(optimizers.newton(flat_in_w2(), (0.5, 0.5), damping=1.0), max_steps=1).w
    assert walk[1].tolist() == [0.5 - 1.0 / 3.0, 0.5]  # d = (2 w1 / (2 + 1), 0 / (0 + 1))


@pytest.mark.parametrize("call", [
    lambda: optimizers.newton(without_hessian(), (1.0, 1.0)),
    lambda: gdviz.run_batch("newton", without_hessian(), [[1.0, 1.0]]),
])
def test_newton_refuses_a_landscape_without_a_hessian_by_name(call):
    with pytest.raises(ValueError, match="newton needs the landscape's Hessian, and 'plain bowl' has none"):
        call()


BAD = [
    ("newton", {"damping": -1.0}, ValueError, "damping must be a finite number >= 0, got -1.0"),
    ("newton", {"damping": "a"}, TypeError, "damping must be a real number"),
    ("newton", {"alpha": 0.0}, ValueError, "alpha must be a finite number > 0"),
    ("line_search", {"shrink": 1.0}, ValueError, "shrink must be strictly between 0 and 1, got 1.0"),
    ("line_search", {"shrink": 0.0}, ValueError, "shrink must be strictly between 0 and 1"),
    ("line_search", {"c": 0.0}, ValueError, "c must be strictly between 0 and 1, got 0.0"),
    ("line_search", {"c": 1.5}, ValueError, "c must be strictly between 0 and 1"),
    ("line_search", {"alpha": -1.0}, ValueError, "alpha must be a finite number > 0"),
]


@pytest.mark.parametrize("name, change, error, words", BAD)
def test_bad_settings_are_named(name, change, error, words):
    with pytest.raises(error, match=words):
        optimizers.get(name)("bowl", (1.0, 1.0), **change)


def test_the_catalogue_and_its_defaults():
    assert {"newton", "line_search"} <= set(optimizers.names())
    first_order = optimizers.names(hessian=False)
    assert "newton" not in first_order and "line_search" in first_order
    assert optimizers.hyperparameters("newton") == {"damping": 0.0}
    assert optimizers.hyperparameters("line_search") == {"shrink": 0.5, "c": 1e-4}
    assert optimizers.default_alpha("newton") == optimizers.default_alpha("line_search") == 1.0
    assert optimizers.default_alpha("momentum") is None
    # run_batch walks Newton (its first move as the generator's) and refuses the line search.
    batch = gdviz.run_batch("newton", "rosenbrock", [[-1.5, 2.0]], max_steps=3)
    assert batch.settings["alpha"].tolist() == [1.0]
    assert np.array_equal(batch.trajectory(0).w, gdviz.run(optimizers.newton("rosenbrock", (-1.5, 2.0)),
                                                           max_steps=3).w)


# ---------------------------------------------------------------- the line search

@pytest.mark.parametrize("landscape, start, alpha, shrink, c", [
    ("ravine", None, 1.0, 0.5, 1e-4), ("rosenbrock", None, 1.0, 0.5, 1e-4),
    ("rosenbrock", (0.0, 0.0), 0.3, 0.8, 0.3), ("himmelblau", None, 2.0, 0.3, 0.1),
    ("rastrigin", None, 1.0, 0.5, 0.5), ("bowl", None, 10.0, 0.9, 1e-4),
])
def test_every_accepted_step_passes_armijo_and_the_try_before_fails(landscape, start, alpha, shrink, c):
    land = landscapes.get(landscape)
    walk = gdviz.run(optimizers.line_search(land, land.start if start is None else start, alpha, shrink, c),
                     max_steps=60)
    for t in range(walk.n_updates):
        w, g, here = walk.w[t], walk.grad[t], walk.loss[t]
        step, tries = walk.state["step_size"][t], int(walk.state["losses_tried"][t])
        if step == 0:  # the search gave up, the drop it asked for lost in rounding: Chad stays
            assert here - c * alpha * shrink ** tries * (g @ g) == here and np.all(walk.w[t + 1] == w)
            continue
        assert step == alpha * shrink ** (tries - 1)  # the tries were alpha, alpha * shrink, ...
        assert walk.w[t + 1] == pytest.approx(w - step * g, rel=1e-14, abs=1e-15)
        promise = c * step * (g @ g)
        assert walk.loss[t + 1] <= here - promise  # Armijo holds where Chad lands
        if tries > 1:  # and failed at the try before, the step size / shrink
            bigger = step / shrink
            assert float(land(w - bigger * g)) > here - c * bigger * (g @ g)


def test_a_search_that_finds_no_step_stays_put_and_patience_stops_it():
    # A gradient that points uphill: no step along -g lowers the loss. Each search halves t until the
    # drop it asks for, c t ||g||^2 = 1e-4 t 2, is lost in rounding against L = 0.5: t < 2^-42 or so.
    lying = gdviz.Landscape("lying", "w1²", lambda x, y: x * x + y * y, lambda x, y: (-2 * x, -2 * y),
                            ((-1, 1), (-1, 1)))
    walk = gdviz.run(optimizers.line_search(lying, (0.5, 0.5)), max_steps=20, patience=3)
    assert walk.stop_reason == "no_improvement" and np.all(walk.w == 0.5)
    assert np.all(walk.state["step_size"] == 0.0)
    tries = int(walk.state["losses_tried"][0])
    assert 0.5 - 1e-4 * 0.5 ** tries * 2 == 0.5 != 0.5 - 1e-4 * 0.5 ** (tries - 1) * 2
    # At a flat spot there is no drop to ask for: the search reads no loss at all.
    flat = gdviz.run(optimizers.line_search("bowl", (0.0, 0.0)), max_steps=2)
    assert flat.state["losses_tried"].tolist() == [0, 0, 0] and np.all(flat.w == 0.0)


def test_the_search_never_accepts_a_step_that_overflowed():
    assert not second_order.armijo_holds(1.0, math.nan, 1.0, 1.0, 1e-4)
    assert not second_order.armijo_holds(1.0, math.inf, 1.0, 1.0, 1e-4)
    far = gdviz.run(optimizers.line_search("rosenbrock", (-1.5, 2.0), alpha=1e200), max_steps=5)
    assert far.stop_reason == "max_steps" and np.all(np.diff(far.loss) < 0)
    assert np.all(far.state["losses_tried"][:-1] > 600)  # halving from 1e200 to below 1 takes 665 tries


def test_with_a_first_try_below_one_over_l_the_search_is_plain_descent():
    # On a quadratic the first try t = alpha < 1/L always passes: each step is plain descent's.
    searched = gdviz.run(optimizers.line_search("ravine", (-2.5, 2.0), alpha=0.09), max_steps=100)
    plain = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.09), max_steps=100)
    assert np.array_equal(searched.w, plain.w) and np.all(searched.state["losses_tried"] == 1)


def test_numeric_gradient_readings_count_the_tries():
    walk = gdviz.run(optimizers.line_search("ravine", (-2.5, 2.0), gradient="numeric"), max_steps=5)
    assert walk.state["loss_readings"].tolist() == (5 + walk.state["losses_tried"]).tolist()


# ---------------------------------------------------------------- the lesson's experiments

def elimination_count(n, rng):
    """Solve a random system by plain Gaussian elimination, counting multiply-adds; check the answer."""
    matrix = rng.normal(size=(n, n)) + n * np.eye(n)
    right = rng.normal(size=n)
    a, b, count = matrix.copy(), right.copy(), 0
    for k in range(n):
        for i in range(k + 1, n):
            factor = a[i, k] / a[k, k]
            for j in range(k + 1, n):
                a[i, j] -= factor * a[k, j]
                count += 1
            b[i] -= factor * b[k]
            count += 1
    x = np.zeros(n)
    for i in reversed(range(n)):
        total = b[i]
        for j in range(i + 1, n):
            total -= a[i, j] * x[j]
            count += 1
        x[i] = total / a[i, i]
    assert x == pytest.approx(np.linalg.solve(matrix, right))
    return count


def test_solve_multiply_adds_counts_what_elimination_does():
    rng = np.random.default_rng(0)
    for n in (1, 2, 3, 7, 20):
        assert lesson.solve_multiply_adds(n) == elimination_count(n, rng)
    big = lesson.solve_multiply_adds(10**6)
    assert big == pytest.approx(1e18 / 3, rel=1e-5)
    rows = lesson.hessian_costs((3, 10))
    assert rows[1] == {"n": 10, "gradient": 10, "hessian": 100, "bytes": 800, "solve": 285 + 90}


def test_armijo_search_lays_out_the_search_the_optimizer_makes():
    search = lesson.armijo_search("ravine", alpha=1.0)
    step = next(optimizers.line_search("ravine", (-2.5, 2.0), alpha=1.0))
    assert search.accepted == step.state["step_size"] and len(search.tried) == step.state["losses_tried"]
    ravine = landscapes.get("ravine")
    expected = [float(ravine(search.w - t * search.grad)) for t in search.tried]
    assert search.tried_losses == pytest.approx(expected)
    assert search.along == pytest.approx(ravine(search.w - search.step_sizes[:, None] * search.grad))
    assert search.armijo == pytest.approx(search.loss_here - 1e-4 * search.step_sizes * search.slope)


def test_experiments_refuse_bad_input():
    with pytest.raises(ValueError, match="dampings must be finite numbers >= 0"):
        lesson.damping_study(dampings=(-1.0,))
    with pytest.raises(ValueError, match="shrink must be strictly between 0 and 1"):
        lesson.armijo_search(shrink=2.0)
    with pytest.raises(ValueError, match="conditions must be finite numbers >= 1"):
        lesson.one_step_by_condition((0.5,))
    with pytest.raises(TypeError, match="newton_race must be the NewtonRace"):
        lesson.cost_table(None, None)
    with pytest.raises(ValueError, match="newton needs the landscape's Hessian"):
        lesson.newton_stops(without_hessian())


# ---------------------------------------------------------------- figures

def finite(figure):
    for item in figure.data:
        for key in ("x", "y"):
            values = getattr(item, key, None)
            if values is not None and len(values):
                assert np.all(np.isfinite(np.asarray(values, dtype=float))), (item.meta, key)
    return True


@pytest.fixture(scope="module")
def damping():
    return lesson.damping_study(dampings=(0.0, 10.0), max_steps=400)


def test_walks_figure_widens_the_map_to_every_point_and_draws_each_walk(damping):
    figure = figures.newton_walks_figure(damping)
    undamped = damping[0.0].walk
    assert undamped.w[:, 1].min() < -2.5  # Newton's leap, below the landscape's domain (w2 >= -1)
    low, high = figure.layout.yaxis.range
    assert low <= undamped.w[:, 1].min() and high >= 3.0
    path = trace(figure, "path Newton, λ = 0")
    assert np.array_equal(np.column_stack([path.x, path.y]), undamped.w)
    assert figure.layout.yaxis2.type == "log" and finite(figure)


def test_walks_figure_marks_where_newton_stopped_by_kind():
    figure = figures.newton_walks_figure(lesson.newton_stops("himmelblau"))
    assert len(trace(figure, "stop maximum").x) == 12 and len(trace(figure, "stop minimum").x) == 1
    saddle = figures.newton_walks_figure(lesson.newton_stops("saddle"))
    assert saddle.layout.yaxis2.type == "linear"  # losses 3.24 then 0: less than two decades above 0


def test_armijo_and_sweep_figures_draw_the_tries_and_the_verdicts():
    search = lesson.armijo_search("ravine")
    figure = figures.armijo_figure(search)
    assert list(trace(figure, "stop rejected").x) == list(search.tried[:-1])
    assert list(trace(figure, "best accepted").x) == [search.accepted] and finite(figure)
    sweep = lesson.line_search_sweep(alphas=(0.1, 1.0), max_steps=300)
    figure = figures.search_sweep_figure(sweep)
    assert list(trace(figure, "stop diverged").x) == [1.0] and list(trace(figure, "curve descent").x) == [0.1]
    assert isinstance(figure, go.Figure) and finite(figure)


@pytest.mark.parametrize("builder", [figures.newton_walks_figure, figures.armijo_figure,
                                     figures.search_sweep_figure])
def test_figures_refuse_anything_but_their_result(builder):
    with pytest.raises(TypeError, match="must be"):
        builder({"not": "a result"})


# ---------------------------------------------------------------- the exercises

def newton_point(w, hessian, grad):
    return w - np.linalg.solve(hessian, grad)


@pytest.mark.parametrize("student, words", [
    (lambda w, h, g: w - h @ g, "multiplies the slope by the curvature"),
    (lambda w, h, g: w + np.linalg.solve(h, g), "Chad went uphill"),
    (lambda w, h, g: np.linalg.solve(h, g), "the step H⁻¹g itself"),
    (lambda w, h, g: w - g, "plain gradient step"),
    (lambda w, h, g: w - g / np.diag(h), "divides each slope by its own curvature"),
    (lambda w, h, g: w - 0.5 * np.linalg.solve(h, g), "compute d from H d = g"),
    (lambda w, h, g: None, "returns nothing yet"),
    (lambda w, h, g: 1 / 0, "raised ZeroDivisionError"),
    (lambda w, h, g: "x", "return the new point"),
    (lambda w, h, g: [1.0, 2.0, 3.0], "return the new point"),
    (lambda w, h, g: np.array([np.nan, 0.0]), "return the new point"),
    (lambda w, h, g: w.fill(0.0), "returns nothing yet"),
    (None, "pass your function itself"),
])
def test_newton_step_checker_names_each_slip(student, words):
    verdict = exercises.check_newton_step(student)
    assert not verdict and words in verdict.message


def test_newton_step_checker_accepts_any_right_way_and_reads_no_input_changes():
    assert exercises.check_newton_step(newton_point)
    assert exercises.check_newton_step(lambda w, h, g: w - np.linalg.inv(h) @ g)

    def in_place(w, hessian, grad):
        w -= np.linalg.solve(hessian, grad)  # changes its own copy only
        return w

    assert exercises.check_newton_step(in_place)


@pytest.mark.parametrize("step, read, words", [
    (0.5, 2, "lowers the loss, but Armijo asks for more"),
    (0.0625, 5, "asks for the whole drop"),
    (0.125, 4, "c t ‖g‖², not c ‖g‖²"),
    (1.0, 1, "tries 1, 0.5, 0.25, 0.125, 0.0625 in turn"),
    (0.25, 4, "counts L(w) too"),
    (0.25, 2, "the accepted try was read too"),
    (0.25, 7, "count the step sizes tried"),
    (..., 3, "replace the ... with your number"),
    (0.25, ..., "now the losses read: replace the ..."),
    ("0.25", 3, "should be a number"),
    (True, 3, "should be a number"),
    (math.nan, 3, "should be a number"),
])
def test_armijo_checker_names_each_slip(step, read, words):
    verdict = exercises.check_armijo_search(step, read)
    assert not verdict and words in verdict.message


def test_armijo_checker_agrees_with_the_search_itself():
    assert exercises.check_armijo_search(0.25, 3)
    # Other numbers: the checker's answer is what `backtrack` finds along a real ray.
    land, w = landscapes.get("ravine"), np.array([-2.5, 2.0])
    grad = land.grad(w)
    t, tries = second_order.backtrack(land, w, grad, 1.0, 0.5, 0.2)
    losses = [float(land(w - 0.5 ** j * grad)) for j in range(tries + 2)]
    assert exercises.check_armijo_search(t, tries, loss=float(land(w)), slope=float(grad @ grad),
                                         tried_losses=losses, c=0.2)
    with pytest.raises(ValueError, match="tried_losses: none of"):
        exercises.check_armijo_search(0.5, 1, tried_losses=(11.0, 12.0))
    with pytest.raises(ValueError, match="c must be strictly between 0 and 1"):
        exercises.check_armijo_search(0.25, 3, c=1.0)


@pytest.mark.parametrize("entries, growth, passed, words", [
    (10**8, 1000, True, "100,000,000 numbers"),
    (50_005_000, 1000, True, "distinct entries"),
    (10**4, 1000, False, "the gradient's size"),
    (2 * 10**4, 1000, False, "n × n numbers"),
    (10**12, 1000, False, "the solve's work"),
    (12345, 1000, False, "one number per pair"),
    (10**8, 100, False, "how the Hessian's size grows"),
    (10**8, 10, False, "how the gradient grows"),
    (10**8, 5, False, "about n³/3"),
    (10**8, ..., False, "replace the ..."),
    (..., 1000, False, "replace the ..."),
    ("many", 1000, False, "should be a number"),
])
def test_hessian_cost_checker(entries, growth, passed, words):
    verdict = exercises.check_hessian_cost(entries, growth)
    assert bool(verdict) == passed and words in verdict.message
