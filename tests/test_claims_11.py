"""Every number and comparison the prose of notebook 11 states, on the same calls the notebook makes."""

import math

import numpy as np
import pytest

from gdviz import experiments, landscapes, optimizers, run, theory
from gdviz.apps import MomentumMap

LOW, HIGH = theory.quadratic_curvatures(landscapes.get("ravine"))
CURVATURES = (LOW, HIGH)


@pytest.fixture(scope="module")
def rates():
    return experiments.rate_map((LOW, HIGH))


@pytest.fixture(scope="module")
def best():
    return experiments.momentum_optimum((LOW, HIGH))


# ---------------------------------------------------------------- one ravine, two separate problems

def test_ravine_curvatures_and_condition_number():
    # "curvatures m = 0.5, L = 10, condition number k = 20"
    assert (LOW, HIGH) == pytest.approx((0.5, 10.0), rel=1e-12)
    assert HIGH / LOW == pytest.approx(20.0, rel=1e-12)


# ---------------------------------------------------------------- the 2 x 2 step

def test_the_printed_matrix():
    assert experiments.momentum_matrix(10.0, alpha=0.2, beta=0.5) == pytest.approx(
        np.array([[-1.0, -0.1], [10.0, 0.5]]))


def test_three_facts_from_the_quadratic_equation():
    # beta = 0: the root is 1 - alpha lambda.
    assert max(abs(np.linalg.eigvals(experiments.momentum_matrix(10.0, 0.15, 0.0)))) == pytest.approx(0.5)
    # The roots multiply to beta, so the rate is never below sqrt(beta).
    for alpha, beta in [(0.05, 0.3), (0.2, 0.5), (0.35, 0.9)]:
        roots = np.linalg.eigvals(experiments.momentum_matrix(10.0, alpha, beta))
        assert np.prod(roots).real == pytest.approx(beta) and max(abs(roots)) >= math.sqrt(beta) - 1e-12
    # Inside the window the roots are complex with size sqrt(beta); below it real and positive
    # ("slides in"), above it real and negative ("jumps across").
    beta = 0.5
    bottom, top = (1 - math.sqrt(beta)) ** 2, (1 + math.sqrt(beta)) ** 2
    inside = np.linalg.eigvals(experiments.momentum_matrix(1.0, (bottom + top) / 2, beta))
    assert np.all(inside.imag != 0) and abs(inside) == pytest.approx([math.sqrt(beta)] * 2)
    below = np.linalg.eigvals(experiments.momentum_matrix(1.0, 0.9 * bottom, beta))
    above = np.linalg.eigvals(experiments.momentum_matrix(1.0, 1.1 * top, beta))
    assert np.all(below.imag == 0) and np.all(below.real > 0)
    assert np.all(above.imag == 0) and np.all(above.real < 0)


def test_slides_in_below_the_window_and_jumps_across_above_it():
    # One curvature, as a 1-D walk with the same matrix: below the window the offset keeps its sign
    # from some step on; above it, it changes sign at every step from some step on.
    beta = 0.5
    bottom, top = (1 - math.sqrt(beta)) ** 2, (1 + math.sqrt(beta)) ** 2
    for alpha, flips in ((0.9 * bottom, False), (1.1 * top, True)):
        matrix, state, offsets = experiments.momentum_matrix(1.0, alpha, beta), np.array([1.0, 0.0]), []
        for _ in range(60):
            offsets.append(state[0])
            state = matrix @ state
        signs = np.sign(offsets[20:])
        assert np.all(signs[1:] == -signs[:-1]) if flips else np.all(signs == signs[0])


SETTINGS = [(0.19, 0.0), (0.2, 0.5), (0.05, 0.9)]


@pytest.mark.parametrize("alpha, beta", SETTINGS)
def test_theory_and_run_agree_within_half_a_percent(alpha, beta):
    walk = experiments.momentum_walk("ravine", alpha, beta, max_steps=200)
    assert walk.measured == pytest.approx(walk.rate, rel=0.005)
    assert walk.fit_from == 100  # "a straight-line fit over its second half" of a 200-step run


def test_plain_descents_two_directions_shrink_at_nearly_the_same_rate():
    # "0.905 along the floor, 0.900 across the walls"
    assert experiments.momentum_rate([LOW], 0.19, 0.0) == pytest.approx(0.905)
    assert experiments.momentum_rate([HIGH], 0.19, 0.0) == pytest.approx(0.900)
    walk = experiments.momentum_walk("ravine", 0.19, 0.0, max_steps=200)
    assert walk.measured != pytest.approx(walk.rate, rel=1e-3)  # the gap the prose explains is real
    assert 0.900 < walk.measured < 0.905  # a mixture of the two directions' rates


def test_middle_and_last_settings_run_at_sqrt_beta():
    # "In the middle setting both directions are inside their windows and the rate is sqrt(0.5) ~ 0.7071"
    for curvature in CURVATURES:
        assert (1 - math.sqrt(0.5)) ** 2 < 0.2 * curvature < (1 + math.sqrt(0.5)) ** 2
    assert experiments.momentum_rate(CURVATURES, 0.2, 0.5) == pytest.approx(math.sqrt(0.5))
    assert f"{math.sqrt(0.5):.4f}" == "0.7071"
    assert experiments.momentum_rate(CURVATURES, 0.05, 0.9) == pytest.approx(math.sqrt(0.9))
    assert f"{math.sqrt(0.9):.4f}" == "0.9487"


# ---------------------------------------------------------------- the map

def test_map_grid(rates):
    # "140 values of alpha and 100 values of beta (from 0 to 0.99)"
    assert rates.rate.shape == (100, 140) and len(rates.alpha) == 140 and len(rates.beta) == 100
    assert rates.beta[0] == 0 and rates.beta[-1] == pytest.approx(0.99)


def test_bottom_row_is_plain_descent_and_its_best(rates, best):
    assert rates.rate[0] == pytest.approx(np.maximum(abs(1 - LOW * rates.alpha), abs(1 - HIGH * rates.alpha)))
    assert best.descent_alpha == pytest.approx(2 / (HIGH + LOW))
    # "the floor's factor and the walls' are equal and opposite" there
    assert 1 - best.descent_alpha * LOW == pytest.approx(-(1 - best.descent_alpha * HIGH))
    k = HIGH / LOW
    assert best.descent_rate == pytest.approx((k - 1) / (k + 1))


def test_grey_edge_is_the_straight_line_of_the_speed_limit(rates):
    for row, beta in enumerate(rates.beta):
        limit = 2 * (1 + beta) / HIGH
        converging = rates.rate[row] < 1
        assert np.all(converging[rates.alpha < limit * (1 - 1e-9)])
        assert not np.any(converging[rates.alpha > limit * (1 + 1e-9)])
    # "from plain descent's 2/L, up to 4/L as beta -> 1"
    assert theory.momentum_speed_limit(HIGH, 0.0) == pytest.approx(2 / HIGH)
    assert theory.momentum_speed_limit(HIGH, 0.999999) == pytest.approx(4 / HIGH, rel=1e-6)


def test_alternating_gradients_add_up_to_one_over_one_plus_beta():
    for beta in (0.3, 0.5, 0.9):
        velocity = 0.0
        for t in range(2000):
            velocity = beta * velocity + (-1) ** t
        assert abs(velocity) == pytest.approx(1 / (1 + beta), rel=1e-9)
        # "plain descent's limit 2/L on that step reads alpha < 2 (1 + beta) / L"
        assert 2 / HIGH * (1 + beta) == pytest.approx(theory.momentum_speed_limit(HIGH, beta))


def test_top_is_dark_and_beta_09_cannot_beat_plain_descent(rates, best):
    assert np.all(rates.rate >= np.sqrt(rates.beta)[:, None] - 1e-12)
    row = int(np.argmin(abs(rates.beta - 0.9)))
    assert rates.rate[row].min() >= math.sqrt(0.9) - 1e-12
    alpha = experiments.best_alpha(CURVATURES, 0.9)
    assert experiments.momentum_rate(CURVATURES, alpha, 0.9) == pytest.approx(math.sqrt(0.9))
    assert f"{math.sqrt(0.9):.3f}" == "0.949" and math.sqrt(0.9) > best.descent_rate


def test_the_bright_tongue_narrows_to_a_point_at_the_optimum(best):
    # The alphas that put both curvatures in their windows: an interval that shrinks to a point at beta*.
    def width(beta):
        root = math.sqrt(beta)
        return (1 + root) ** 2 / HIGH - (1 - root) ** 2 / LOW

    assert width(best.beta) == pytest.approx(0.0, abs=1e-12)
    assert width(0.6) > width(0.5) > width(0.45) > 0 > width(0.38)
    for beta in (0.45, 0.6):  # inside the tongue the best rate is sqrt(beta)
        alpha = experiments.best_alpha(CURVATURES, beta)
        assert experiments.momentum_rate(CURVATURES, alpha, beta) == pytest.approx(math.sqrt(beta))


# ---------------------------------------------------------------- the best setting

def test_printed_optimum(best):
    assert f"{best.alpha:.4f} {best.beta:.4f} {best.rate:.4f}" == "0.2672 0.4026 0.6345"
    assert f"{best.descent_alpha:.4f} {best.descent_rate:.4f}" == "0.1905 0.9048"
    assert experiments.momentum_rate((LOW, HIGH), best.alpha, best.beta) == pytest.approx(best.rate, rel=1e-7)
    # The derivation: floor at the window's bottom, walls at its top.
    assert best.alpha * LOW == pytest.approx((1 - math.sqrt(best.beta)) ** 2)
    assert best.alpha * HIGH == pytest.approx((1 + math.sqrt(best.beta)) ** 2)


def test_averaging_convention_needs_alpha_divided_by_one_minus_beta():
    land = landscapes.get("ravine")
    alpha, beta = 0.2, 0.5
    torch = run(optimizers.momentum(land, land.start, alpha, beta), max_steps=30).w
    w, average = land.start.copy(), np.zeros(2)
    for t in range(31):
        assert w == pytest.approx(torch[t], abs=1e-12)
        average = beta * average + (1 - beta) * land.grad(w)
        w = w - alpha / (1 - beta) * average


def test_no_cell_beats_the_optimum_and_the_best_cell_is_a_little_slower(rates, best):
    alpha, beta, rate = rates.grid_best
    assert rates.rate.min() > best.rate
    assert f"{alpha:.3f} {beta:.2f} {rate:.4f}" == "0.261 0.41 0.6403"
    assert rate < best.rate * 1.01  # "close to the formula's point but a little slower"
    assert 0.40 < best.beta < 0.41  # "beta* ~ 0.4026 falls between two rows"
    assert f"{best.beta:.4f}" == "0.4026"
    assert not rates.best_on_edge


def test_steep_below_and_gentle_above(best):
    # Also the summary: "just below beta* the rate worsens much faster than just above it".
    def rate(beta):
        return experiments.momentum_rate(CURVATURES, experiments.best_alpha(CURVATURES, beta), beta)

    # "Rounding beta* down to 0.40 costs 5% on the rate; rounding it up to 0.41 costs under 1%"
    assert rate(0.40) / best.rate - 1 == pytest.approx(0.05, abs=0.005)
    assert 0 < rate(0.41) / best.rate - 1 < 0.01
    assert rate(0.41) == pytest.approx(math.sqrt(0.41))  # "just above, it is sqrt(beta)"
    assert rate(0.38) > rate(0.40) > best.rate
    step = 0.005
    assert rate(best.beta - step) - best.rate > 5 * (rate(best.beta + step) - best.rate)
    printed = [f"{rate(beta):.4f}" for beta in (0.38, 0.40, best.beta, 0.41, 0.45)]
    assert printed == ["0.7229", "0.6667", "0.6345", "0.6403", "0.6708"]


# ---------------------------------------------------------------- sqrt(k) instead of k

def test_steps_per_digit_on_the_ravine_and_at_k_10000():
    ravine, huge = experiments.speedup_table((20, 10000))[0], experiments.speedup_table((10000,))[0]
    assert round(ravine["momentum_steps"]) == 5 and round(ravine["descent_steps"]) == 23
    assert round(huge["momentum_steps"]) == 115 and round(huge["descent_steps"]) == 11513
    assert huge["ratio"] == pytest.approx(100, rel=1e-3)  # "a hundred times fewer"


def test_ratio_tends_to_sqrt_k_and_the_large_k_approximations():
    rows = experiments.speedup_table((10, 20, 100, 1000, 10000))
    gaps = [abs(row["ratio"] / math.sqrt(row["k"]) - 1) for row in rows]
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-3
    for row in rows[2:]:  # k >= 100: about (k/2) ln 10 and (sqrt k / 2) ln 10
        assert row["descent_steps"] == pytest.approx(row["k"] / 2 * math.log(10), rel=0.01)
        assert row["momentum_steps"] == pytest.approx(math.sqrt(row["k"]) / 2 * math.log(10), rel=0.01)


# ---------------------------------------------------------------- the app

def test_what_the_app_shows_for_each_suggestion(best):
    app = MomentumMap("ravine")
    assert app.max_steps.value == 100  # "within the 100 steps"
    app.to_descent.click()
    descent_slope = math.log(app.walk.rate)
    app.to_momentum.click()
    # "a line about four and a half times steeper"
    assert math.log(app.walk.rate) / descent_slope == pytest.approx(4.5, abs=0.1)
    assert math.log(best.rate) / math.log(best.descent_rate) == pytest.approx(4.5, abs=0.1)
    for alpha in (0.01, 0.1, 0.19):  # "beta = 0.9 with any alpha: never steeper than sqrt(0.9)"
        app.choose(alpha, 0.9)
        assert app.walk.rate >= math.sqrt(0.9) - 1e-12
    # "on its edge the prediction is flat and Chad bounces for ever"
    app.choose(0.3, 0.5)  # the edge 2 (1 + beta) / L, a cell of the map
    assert app.walk.rate == pytest.approx(1.0, abs=1e-12) and not app.walk.diverged
    assert app.walk.measured == pytest.approx(1.0, abs=1e-6)
    # "past the edge the prediction rises and Chad's distance with it; far enough in he leaves the map"
    rates = app.rate_map
    row = int(np.argmin(abs(rates.beta - 0.5)))
    past = rates.alpha[np.argmax(rates.rate[row] > 1 + 1e-9)]
    app.choose(past, 0.5)
    assert app.walk.rate > 1 and app.walk.predicted[-1] > app.walk.predicted[0]
    assert app.walk.distance[-1] > app.walk.distance[0]
    app.choose(past + 0.03, 0.5)
    assert app.walk.diverged
