"""Why momentum works (11): its rate on a quadratic, checked against things that do not share its formula.

The rate is checked against numpy's eigenvalues of the explicit matrix, the
matrix against the optimizer's own steps, the closed forms against a fine grid,
and the whole theory against decay rates measured on runs of
`optimizers.momentum`. Then the figure, the app (headless) and the checkers.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from plotly.callbacks import Points

from gdviz import exercises, experiments, figures, landscapes, optimizers, run, theory
from gdviz.apps import MomentumMap
from gdviz.figures.style import trace

RAVINE = (0.5, 10.0)


def eigen_rate(curvatures, alpha, beta):
    """The rate straight from numpy: the largest |eigenvalue| of the written-out matrix, over curvatures."""
    return max(np.abs(np.linalg.eigvals(np.array([[1 - alpha * c, -alpha * beta], [c, beta]]))).max()
               for c in curvatures)


# ---------------------------------------------------------------- the matrix and the rate

@settings(max_examples=200, deadline=None)
@given(low=st.floats(0.05, 5.0), ratio=st.floats(1.0, 200.0), share=st.floats(0.01, 1.2),
       beta=st.floats(0.0, 0.99))
def test_rate_is_the_largest_eigenvalue_of_the_written_out_matrix(low, ratio, share, beta):
    curvatures = (low, low * ratio)
    alpha = share * 4.0 / curvatures[1]
    # A repeated eigenvalue is only found to about sqrt(machine epsilon) by numpy.
    assert experiments.momentum_rate(curvatures, alpha, beta) == pytest.approx(
        eigen_rate(curvatures, alpha, beta), rel=1e-6, abs=1e-6)


def test_matrix_is_one_step_of_the_optimizer_along_each_axis():
    # An axis-aligned quadratic: the eigen-coordinates are w itself; read (w, v) off the optimizer's steps.
    land = landscapes.quadratic((0.5, 10.0))
    alpha, beta = 0.15, 0.6
    steps = run(optimizers.momentum(land, (2.0, -1.5), alpha, beta), max_steps=12)
    velocity = steps.state["velocity"]
    for axis, curvature in enumerate((0.5, 10.0)):
        matrix = experiments.momentum_matrix(curvature, alpha, beta)
        for t in range(1, 12):
            before = np.array([steps.w[t, axis], velocity[t - 1, axis]])
            after = np.array([steps.w[t + 1, axis], velocity[t, axis]])
            assert matrix @ before == pytest.approx(after, abs=1e-12)


def test_torch_convention_is_polyaks_heavy_ball_with_the_same_alpha_and_beta():
    # w_{t+1} = w_t - alpha g_t + beta (w_t - w_{t-1}), by hand: the classical tuning applies as it stands.
    land = landscapes.get("ravine")
    alpha, beta = 0.2, 0.5
    walk = run(optimizers.momentum(land, land.start, alpha, beta), max_steps=30)
    previous, w = land.start, land.start - alpha * land.grad(land.start)
    assert walk.w[1] == pytest.approx(w)
    for t in range(2, 31):
        previous, w = w, w - alpha * land.grad(w) + beta * (w - previous)
        assert walk.w[t] == pytest.approx(w, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.01, 0.1, 0.19, 0.25, 0.5])
def test_beta_zero_is_plain_descent(alpha):
    assert experiments.momentum_rate(RAVINE, alpha, 0.0) == pytest.approx(
        max(abs(1 - alpha * c) for c in RAVINE), abs=1e-15)


def test_rate_is_vectorised_over_a_grid_and_scalar_for_numbers():
    alphas, betas = np.linspace(0.01, 0.4, 7), np.linspace(0, 0.9, 5)
    grid = experiments.momentum_rate(RAVINE, alphas[None, :], betas[:, None])
    assert grid.shape == (5, 7)
    for i, beta in enumerate(betas):
        for j, alpha in enumerate(alphas):
            assert grid[i, j] == experiments.momentum_rate(RAVINE, alpha, beta)
    assert isinstance(experiments.momentum_rate(RAVINE, 0.1, 0.5), float)


def test_rate_is_never_below_sqrt_beta():
    rates = experiments.rate_map(RAVINE)
    assert np.all(rates.rate >= np.sqrt(rates.beta)[:, None] - 1e-12)


# ---------------------------------------------------------------- the closed forms

@pytest.mark.parametrize("curvatures", [RAVINE, (1.0, 100.0), (2.0, 3.0)])
def test_optimum_closed_forms_match_the_matrices_and_beat_every_cell_of_a_fine_grid(curvatures):
    low, high = curvatures
    k = high / low
    best = experiments.momentum_optimum(curvatures)
    assert best.rate == pytest.approx((math.sqrt(k) - 1) / (math.sqrt(k) + 1))
    # A double root there: rounding of order 1e-16 in the discriminant moves the root by its square root.
    assert experiments.momentum_rate(curvatures, best.alpha, best.beta) == pytest.approx(best.rate, rel=1e-7)
    assert eigen_rate(curvatures, best.alpha, best.beta) == pytest.approx(best.rate, rel=1e-6)
    alphas = np.linspace(best.alpha * 0.5, best.alpha * 1.5, 801)
    betas = np.linspace(0.0, min(0.999, best.beta * 2 + 0.05), 801)
    grid = experiments.momentum_rate(curvatures, alphas[None, :], betas[:, None])
    assert grid.min() >= best.rate - 1e-12
    row, col = np.unravel_index(np.argmin(grid), grid.shape)
    assert alphas[col] == pytest.approx(best.alpha, rel=0.02)
    assert betas[row] == pytest.approx(best.beta, abs=0.01)
    # Plain descent: its best alpha on the beta = 0 line, and its rate (k - 1)/(k + 1).
    line = experiments.momentum_rate(curvatures, np.linspace(1e-3, 2.5 / high, 20001), 0.0)
    assert best.descent_rate == pytest.approx((k - 1) / (k + 1))
    assert line.min() == pytest.approx(best.descent_rate, abs=1e-4)
    assert experiments.momentum_rate(curvatures, best.descent_alpha, 0.0) == pytest.approx(best.descent_rate)


def test_ravine_optimum_numbers():
    best = experiments.momentum_optimum(RAVINE)
    assert best.alpha == pytest.approx(4 / (math.sqrt(10) + math.sqrt(0.5)) ** 2)
    assert (best.alpha, best.beta, best.rate) == pytest.approx((0.26716, 0.40261, 0.63451), abs=1e-5)
    assert best.descent_alpha == pytest.approx(2 / 10.5) and best.condition == 20


@pytest.mark.parametrize("beta", [0.0, 0.1, 0.3, 0.38, 0.4, 0.402, 0.41, 0.5, 0.8, 0.95])
def test_best_alpha_matches_a_brute_force_search(beta):
    alpha = experiments.best_alpha(RAVINE, beta)
    grid = np.linspace(1e-4, theory.momentum_speed_limit(10.0, beta), 200001)
    brute_force = experiments.momentum_rate(RAVINE, grid, beta).min()
    assert experiments.momentum_rate(RAVINE, alpha, beta) <= brute_force + 1e-9


def test_best_alpha_at_the_ends_is_the_closed_forms():
    best = experiments.momentum_optimum(RAVINE)
    assert experiments.best_alpha(RAVINE, 0.0) == pytest.approx(best.descent_alpha, rel=1e-12)
    assert experiments.best_alpha(RAVINE, best.beta) == pytest.approx(best.alpha, rel=1e-9)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9])
def test_speed_limit_is_where_runs_stop_converging(beta):
    limit = theory.momentum_speed_limit(10.0, beta)
    assert limit == pytest.approx(2 * (1 + beta) / 10)
    assert experiments.momentum_rate(RAVINE, 0.99 * limit, beta) < 1 < experiments.momentum_rate(
        RAVINE, 1.01 * limit, beta)
    inside = run(optimizers.momentum("ravine", (-2.5, 2.0), 0.97 * limit, beta), max_steps=2000)
    outside = run(optimizers.momentum("ravine", (-2.5, 2.0), 1.03 * limit, beta), max_steps=2000)
    assert inside.stop_reason == "max_steps" and np.linalg.norm(inside.w[-1]) < 1e-3
    assert outside.stop_reason == "diverged"


# ---------------------------------------------------------------- theory against runs

def measured(landscape, alpha, beta, steps=300):
    land = landscapes.get(landscape)
    walk = run(optimizers.momentum(land, land.start, alpha, beta), max_steps=steps, escape_radius=1e300)
    distance = np.linalg.norm(walk.w - land.minima[0], axis=1)
    # A straight line through log distance over the second half, fitted here with numpy alone.
    t = np.arange(steps // 2, steps + 1)
    return math.exp(np.polyfit(t, np.log(distance[t]), 1)[0])


@pytest.mark.parametrize("alpha, beta", [(0.1, 0.5), (0.2, 0.3), (0.05, 0.9), (0.3, 0.6), (0.02, 0.0),
                                         (0.25, 0.5), (0.35, 0.8), (0.1, 0.95), (0.3, 0.2)])
def test_predicted_rate_is_the_decay_measured_on_the_ravine(alpha, beta):
    assert measured("ravine", alpha, beta) == pytest.approx(experiments.momentum_rate(RAVINE, alpha, beta),
                                                            rel=2e-3)


def test_a_run_at_the_optimum_decays_at_the_optimal_rate():
    # Both ends are critically damped there (a repeated root), so the distance falls like t rho^t:
    # a long run is needed before the fitted rate comes within half a percent.
    best = experiments.momentum_optimum(RAVINE)
    assert measured("ravine", best.alpha, best.beta, steps=800) == pytest.approx(best.rate, rel=5e-3)
    descent = measured("ravine", 0.1, 0.0, steps=300)
    assert descent == pytest.approx(0.95, rel=1e-6)  # plain descent, floor factor 1 - 0.1 * 0.5


def test_momentum_walk_measures_what_a_direct_fit_measures():
    walk = experiments.momentum_walk("ravine", 0.2, 0.5, max_steps=200)
    direct = run(optimizers.momentum("ravine", (-2.5, 2.0), 0.2, 0.5), max_steps=200)
    assert np.array_equal(walk.trajectory.w, direct.w)
    assert walk.distance == pytest.approx(np.linalg.norm(direct.w, axis=1))
    assert walk.predicted == pytest.approx(walk.distance[0] * walk.rate ** np.arange(201))
    assert walk.fit_from == 100 and walk.measured == pytest.approx(math.sqrt(0.5), rel=1e-3)


def test_a_diverging_walk_is_a_result():
    walk = experiments.momentum_walk("ravine", 0.39, 0.1, max_steps=100)
    assert walk.diverged and walk.rate > 1 and walk.measured > 1


def test_fitted_rate_of_an_exact_geometric_sequence_and_of_too_little():
    assert experiments.fitted_rate(3.0 * 0.8 ** np.arange(50)) == pytest.approx(0.8, rel=1e-12)
    assert experiments.fitted_rate(3.0 * 0.8 ** np.arange(50), first=40) == pytest.approx(0.8, rel=1e-12)
    assert math.isnan(experiments.fitted_rate([1.0, 0.0, 0.0]))


def test_the_ravine_decouples_into_two_one_dimensional_walks():
    split = experiments.decoupling("ravine", alpha=0.2, beta=0.5, max_steps=40)
    assert split.curvatures == pytest.approx(RAVINE)
    assert split.gap < 1e-12
    # The coordinates really move: the check is not comparing zeros.
    assert np.abs(split.from_walk[:5]).max() > 1


def test_speedup_table_and_steps_per_digit():
    assert experiments.steps_per_digit(0.1) == pytest.approx(1.0)
    assert experiments.steps_per_digit(0.5) == pytest.approx(math.log(10) / math.log(2))
    # Count the steps by hand: 0.9^n first drops to 0.1 at n = ceil(21.85) = 22.
    assert math.ceil(experiments.steps_per_digit(0.9)) == next(n for n in range(100) if 0.9 ** n <= 0.1)
    rows = experiments.speedup_table((20, 10000))
    assert rows[0]["descent_rate"] == pytest.approx(19 / 21)
    assert rows[1]["ratio"] == pytest.approx(100, rel=1e-3)


def test_rate_map_rows_columns_and_its_best_cell():
    rates = experiments.rate_map(RAVINE)
    assert rates.rate.shape == (100, 140) and rates.beta[0] == 0 and rates.beta[-1] == pytest.approx(0.99)
    assert rates.alpha[-1] == pytest.approx(0.42) and rates.alpha[0] == pytest.approx(0.003)
    assert rates.rate[0] == pytest.approx(np.maximum(abs(1 - 0.5 * rates.alpha), abs(1 - 10 * rates.alpha)))
    alpha, beta, rate = rates.grid_best
    assert rate == rates.rate.min() and not rates.best_on_edge
    assert rates.speed_limit == pytest.approx(2 * (1 + rates.beta) / 10)
    corner = experiments.rate_map(RAVINE, alphas=[0.01, 0.02], betas=[0.0, 0.5])
    assert corner.best_on_edge


@pytest.mark.parametrize("call, message", [
    (lambda: experiments.momentum_rate(RAVINE, 0.0, 0.5), "alpha"),
    (lambda: experiments.momentum_rate(RAVINE, 0.1, 1.0), "beta"),
    (lambda: experiments.momentum_rate(RAVINE, 0.1, -0.1), "beta"),
    (lambda: experiments.momentum_rate((-1.0, 2.0), 0.1, 0.5), "curvatures"),
    (lambda: experiments.momentum_rate([], 0.1, 0.5), "curvatures"),
    (lambda: experiments.momentum_rate(RAVINE, [0.1, np.nan], 0.5), "alpha"),
    (lambda: experiments.momentum_matrix(10.0, 0.1, 1.5), "beta"),
    (lambda: experiments.rate_map(RAVINE, alphas=[[0.1]]), "alphas"),
    (lambda: experiments.steps_per_digit(1.2), "rate"),
    (lambda: experiments.speedup_table((1,)), "conditions"),
    (lambda: experiments.decoupling("rosenbrock"), "landscape"),
    (lambda: experiments.momentum_walk("saddle"), "landscape"),
    (lambda: theory.momentum_optimum(10.0, 0.5), "low"),
    (lambda: theory.momentum_speed_limit(10.0, 1.0), "beta"),
])
def test_bad_input_is_refused_by_name(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


# ---------------------------------------------------------------- the figures

def test_rate_figure_draws_the_map_and_marks_both_optima(all_finite):
    rates = experiments.rate_map(RAVINE)
    figure = figures.momentum_rate_figure(rates, chosen=(0.1, 0.5))
    assert all_finite(figure)
    heat = trace(figure, "rate_map")
    assert np.array_equal(np.asarray(heat.z), rates.rate)
    best = rates.optimum
    star, diamond = trace(figure, "optimum momentum"), trace(figure, "optimum descent")
    assert (star.x, star.y) == ((best.alpha,), (best.beta,))
    assert (diamond.x, diamond.y) == ((best.descent_alpha,), (0,))
    assert list(trace(figure, "threshold speed limit").x) == pytest.approx(rates.speed_limit)
    assert trace(figure, "setting").x == (0.1,)
    # Every rate >= 1 falls in the scale's grey top band: the band starts exactly at 1.
    edge = next(stop for stop, colour in heat.colorscale if colour == figures.momentum.DIVERGING)
    assert heat.zmin + edge * (heat.zmax - heat.zmin) == pytest.approx(1.0)
    assert heat.zmin <= best.rate
    assert figure.layout.xaxis.title.text == "learning rate α"
    assert figure.layout.yaxis.title.text == "momentum β"


def test_walk_figure_draws_the_walk_and_both_decays_on_a_log_axis(all_finite):
    rates = experiments.rate_map(RAVINE)
    walk = experiments.momentum_walk("ravine", 0.25, 0.5, max_steps=60)
    figure = figures.momentum_walk_figure(rates, walk)
    assert all_finite(figure)
    assert list(trace(figure, "path Chad").x) == pytest.approx(walk.trajectory.w[:, 0])
    assert list(trace(figure, "curve measured").y) == pytest.approx(walk.distance)
    assert list(trace(figure, "curve predicted").y) == pytest.approx(walk.predicted)
    assert figure.layout.yaxis3.type == "log"
    assert trace(figure, "setting").x == (0.25,) and trace(figure, "setting").y == (0.5,)


# ---------------------------------------------------------------- the app, headless

@pytest.fixture(scope="module")
def app():
    return MomentumMap("ravine", max_steps=60)


def test_app_starts_at_plain_descents_best_with_one_figure(figure_widgets, app):
    live = app.figure  # made on first use (an app is drawn still until then)
    assert figure_widgets(app) == [live]
    assert app.alpha.value == 0.19 and app.beta.value == 0.0
    assert "plain descent" in app.status.value and "0.9050" in app.status.value
    assert app.alpha.description == "learning rate alpha" and app.beta.description == "momentum beta"


def test_sliders_walk_chad_as_a_direct_run_does(app):
    app.alpha.value = 0.2
    app.beta.value = 0.5
    direct = run(optimizers.momentum("ravine", (-2.5, 2.0), 0.2, 0.5), max_steps=60)
    assert np.array_equal(app.walk.trajectory.w, direct.w)
    assert list(trace(app.figure, "path Chad").x) == pytest.approx(direct.w[:, 0])
    assert list(trace(app.figure, "curve measured").y) == pytest.approx(np.linalg.norm(direct.w, axis=1))
    assert trace(app.figure, "setting").x == (0.2,) and trace(app.figure, "setting").y == (0.5,)
    assert "0.7071" in app.status.value


def test_a_click_on_the_map_chooses_its_cell_and_walks_once(app, monkeypatch):
    heat = trace(app.figure, "rate_map")
    assert heat._click_callbacks  # wired to plotly's click event (no public getter exists)
    walks = []
    original = app._compute
    monkeypatch.setattr(app, "_compute", lambda: walks.append(1) or original())
    app.clicked(heat, Points(point_inds=[[40, 88]], xs=[0.264], ys=[0.4], trace_name="rate per step",
                             trace_index=0))
    assert (app.alpha.value, app.beta.value) == (0.264, 0.4) and len(walks) == 1
    assert app.walk.alpha == 0.264 and app.walk.beta == 0.4


def test_buttons_jump_to_both_optima(app):
    app.to_momentum.click()
    assert (app.alpha.value, app.beta.value) == (0.267, 0.403)
    assert app.walk.rate == pytest.approx(math.sqrt(0.403), rel=1e-9)
    app.to_descent.click()
    assert (app.alpha.value, app.beta.value) == (0.19, 0.0)


def test_app_says_when_chad_flies_off(app):
    app.choose(0.39, 0.1)
    assert app.walk.diverged and "flies off" in app.status.value
    assert np.all(np.asarray(trace(app.figure, "curve measured").y) > 0)


def test_a_bad_click_shows_its_error_in_the_status_line(app):
    heat = trace(app.figure, "rate_map")
    app.guarded(app.clicked)(heat, Points(point_inds=[[0, 0]], xs=[-1.0], ys=[0.5], trace_name="",
                                          trace_index=0))
    assert "ValueError" in app.status.value and "alpha" in app.status.value and "#b00020" in app.status.value


def test_app_refuses_bad_arguments():
    with pytest.raises(ValueError, match="landscape"):
        MomentumMap("rosenbrock")
    with pytest.raises(ValueError, match="beta"):
        MomentumMap(beta=1.5)


# ---------------------------------------------------------------- the exercises

def test_optimal_beta_reference_solutions_pass():
    k = 20.0
    reference = ((math.sqrt(k) - 1) / (math.sqrt(k) + 1)) ** 2
    for answer in (reference, 0.403):
        verdict = exercises.check_optimal_beta(answer, "ravine")
        assert verdict.passed, verdict.message
        assert "0.4026" in verdict.message and "0.6345" in verdict.message


@pytest.mark.parametrize("answer, hint", [
    ((math.sqrt(20) - 1) / (math.sqrt(20) + 1), "its square"),       # the square forgotten
    (((20 - 1) / (20 + 1)) ** 2, "√k replaces k"),                   # k for sqrt k
    ((20 - 1) / (20 + 1), "plain descent's best rate"),              # plain descent's ratio
    (0.40, "rounding up if anything"),                               # beta* rounded down
    (0.9, "never beat √β"),
    (0.2, "too little momentum"),
    (1.2, "must be in [0, 1)"),
    ("0.4", "should be a number"),
    (..., "replace the ..."),
])
def test_optimal_beta_mistakes_get_their_hints(answer, hint):
    verdict = exercises.check_optimal_beta(answer, "ravine")
    assert not verdict.passed and hint in verdict.message, verdict.message


def test_optimal_beta_checker_reports_the_run_it_made():
    verdict = exercises.check_optimal_beta(0.6, "ravine")
    alpha = experiments.best_alpha(RAVINE, 0.6)
    walk = experiments.momentum_walk("ravine", alpha, 0.6, 600)
    assert f"{walk.measured:.4f}" in verdict.message and f"{alpha:.4f}" in verdict.message


def test_speed_limit_reference_solution_passes():
    verdict = exercises.check_momentum_speed_limit(2 * (1 + 0.5) / 10, beta=0.5, landscape="ravine")
    assert verdict.passed and "Chad settles" in verdict.message and "does not settle" in verdict.message


@pytest.mark.parametrize("answer, hint", [
    (0.2, "plain descent's limit"),
    (0.1, "steady slope"),
    (0.4, "only as β → 1"),
    ((1 + math.sqrt(0.5)) ** 2 / 10, "top of the window"),
    (0.25, "too low"),
    (0.35, "too high"),
    (-0.3, "> 0"),
    (..., "replace the ..."),
])
def test_speed_limit_mistakes_get_their_hints(answer, hint):
    verdict = exercises.check_momentum_speed_limit(answer, beta=0.5, landscape="ravine")
    assert not verdict.passed and hint in verdict.message, verdict.message


def test_app_walks_a_quadratic_that_is_not_in_the_catalogue():
    land = landscapes.quadratic((1.0, 4.0), angle=10.0, name="gentle")
    app = MomentumMap(land, max_steps=20)
    assert app.walk.landscape is land and "gentle" in app.figure.layout.annotations[1].text
    assert app.optimum.condition == pytest.approx(4.0)
