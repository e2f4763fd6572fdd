"""The optimizers, one table: hand-computed first steps, convergence, theory, bad input."""

import functools
import inspect
import itertools
import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdviz
from gdviz import landscapes, optimizers, theory
from gdviz.landscapes import Landscape

START = (1.0, 2.0)
ALPHA = 0.1


def take(steps, k):
    return [next(steps) for _ in range(k)]


def adagrad_second():
    # g0 = (2, 4), s0 = g0², w1 = w0 - 0.1 * g0 / |g0| = (0.9, 1.9); g1 = 2 w1.
    return [0.9 - 0.1 * 1.8 / math.sqrt(4 + 1.8 ** 2), 1.9 - 0.1 * 3.8 / math.sqrt(16 + 3.8 ** 2)]


def adam_second():
    # First move: bias-corrected m / sqrt(s) is sign(g0), so w1 = w0 - 0.1.
    m1 = [0.9 * 0.2 + 0.1 * 1.8, 0.9 * 0.4 + 0.1 * 3.8]
    s1 = [0.999 * 0.004 + 0.001 * 1.8 ** 2, 0.999 * 0.016 + 0.001 * 3.8 ** 2]
    return [w - 0.1 * (m / 0.19) / (math.sqrt(s / (1 - 0.999 ** 2)) + 1e-8)
            for w, m, s in zip([0.9, 1.9], m1, s1, strict=True)]


# On the bowl L = x² + y² (gradient 2w) from (1, 2) with alpha = 0.1, worked by hand:
# (name, extra settings, w1, w2).
HAND_STEPS = [
    ("gradient_descent", {}, [0.8, 1.6], [0.64, 1.28]),
    # v0 = g0 = (2, 4); v1 = 0.9 v0 + g1 = (3.4, 6.8)
    ("momentum", {}, [0.8, 1.6], [0.8 - 0.34, 1.6 - 0.68]),
    # w1 = w0 - 0.1 (g0 + 0.9 v0); v1 = 0.9 v0 + g1 = (3.04, 6.08); w2 = w1 - 0.1 (g1 + 0.9 v1)
    ("nesterov", {}, [0.62, 1.24], [0.62 - 0.1 * (1.24 + 2.736), 1.24 - 0.1 * (2.48 + 5.472)]),
    ("adagrad", {}, [0.9, 1.9], adagrad_second()),
    # s0 = 0.01 g0² = (0.04, 0.16), so the first move is 0.1 * g0 / (0.1 |g0|) = (1, 1);
    # g1 = (0, 2), s1 = (0.0396, 0.1984). A negligible eps keeps the arithmetic exact.
    ("rmsprop", {"eps": 1e-30}, [0.0, 1.0], [0.0, 1.0 - 0.2 / math.sqrt(0.1984)]),
    ("adam", {}, [0.9, 1.9], adam_second()),
    # With no noise, SGD on an analytic landscape is vanilla descent.
    ("sgd", {"noise": 0.0}, [0.8, 1.6], [0.64, 1.28]),
    # The first try t = alpha passes Armijo's test (loss 5 -> 3.2, then 3.2 -> 2.048): vanilla steps.
    ("line_search", {}, [0.8, 1.6], [0.64, 1.28]),
    # H = 2 I, so H^-1 g = w: each step keeps 1 - alpha of w.
    ("newton", {}, [0.9, 1.8], [0.81, 1.62]),
]


@pytest.mark.parametrize("name, settings_, w1, w2", HAND_STEPS, ids=[row[0] for row in HAND_STEPS])
def test_first_two_steps_match_hand_computation(name, settings_, w1, w2):
    steps = optimizers.get(name)("bowl", START, ALPHA, **settings_)
    first, second, third = take(steps, 3)
    assert (first.t, second.t, third.t) == (0, 1, 2)
    np.testing.assert_allclose(first.w, START)  # the start itself comes first, before any move
    assert first.loss == pytest.approx(5.0)
    np.testing.assert_allclose(first.grad, [2.0, 4.0])
    np.testing.assert_allclose(second.w, w1, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(third.w, w2, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(second.grad, 2 * np.asarray(w1), rtol=1e-9, atol=1e-12)


def test_state_is_reported_for_drawing():
    first, second = take(optimizers.momentum("bowl", START, ALPHA), 2)
    np.testing.assert_allclose(first.state["velocity"], [2.0, 4.0])
    np.testing.assert_allclose(second.state["velocity"], [3.4, 6.8])
    first, _ = take(optimizers.adam("bowl", START, ALPHA), 2)
    np.testing.assert_allclose(first.state["mean"], [0.2, 0.4])
    np.testing.assert_allclose(first.state["square_avg"], [0.004, 0.016])
    first, _ = take(optimizers.adagrad("bowl", START, ALPHA), 2)
    np.testing.assert_allclose(first.state["square_sum"], [4.0, 16.0])


# --- one table: every optimizer on every landscape ----------------------------------------------
#
# A row per optimizer gives its settings on a landscape, computed from the landscape's largest
# curvature L (theory.estimate_max_curvature: exact on a quadratic, the largest over the drawn
# domain elsewhere) and the distance d from the start to the minimum, and its first move w1 - w0
# from the true gradient g at the start, written from its update rule with every buffer at zero.
# A row per landscape gives the goal and the step budget. A new optimizer or landscape joins by
# one line; every pair is tested.


class Optimizer(NamedTuple):
    settings: Callable  # (L, d) -> keyword arguments beyond landscape and start
    first_move: Callable  # (g, state of the first step, all settings) -> w1 - w0
    noisy: bool = False  # whether the walk is random, so only statistical claims hold


OPTIMIZER_TABLE = {
    # 1/L: the largest rate that never overshoots along any axis of a quadratic (theory.rate_limits).
    "gradient_descent": Optimizer(lambda L, d: {"alpha": 1 / L}, lambda g, state, p: -p["alpha"] * g),
    # Heavy ball at alpha = 1/L, beta = 0.9 shrinks every axis whose curvature lies in
    # [(1 - sqrt(beta))² L, L] by sqrt(beta) per step: down to about L/380, well past the ravine's L/20.
    "momentum": Optimizer(lambda L, d: {"alpha": 1 / L, "beta": 0.9}, lambda g, state, p: -p["alpha"] * g),
    "nesterov": Optimizer(lambda L, d: {"alpha": 1 / L, "beta": 0.9},
                          lambda g, state, p: -p["alpha"] * (1 + p["beta"]) * g),
    # The adaptive methods step about alpha per coordinate whatever the curvature, so alpha is
    # a fraction of the distance. Adagrad's steps then shrink like 1/sqrt(t): a tenth of it.
    "adagrad": Optimizer(lambda L, d: {"alpha": d / 10},
                         lambda g, state, p: -p["alpha"] * g / (np.sqrt(g * g) + p["eps"])),
    # With a fixed alpha RMSProp never settles: near the minimum its cache tracks g², every step
    # is about alpha long per coordinate, and Chad ends hopping between about +-alpha/2 (a cycle
    # of radius alpha/sqrt(2) on the bowl and the ravine). So alpha is well below the goal's radius.
    "rmsprop": Optimizer(lambda L, d: {"alpha": d / 1000},
                         lambda g, state, p: -p["alpha"] * g / (np.sqrt((1 - p["beta"]) * g * g) + p["eps"])),
    # Bias correction makes the first step's averages exactly m = g and s = g².
    "adam": Optimizer(lambda L, d: {"alpha": d / 100},
                      lambda g, state, p: -p["alpha"] * g / (np.sqrt(g * g) + p["eps"])),
    # Vanilla's rate, on the gradient plus the noise the step reports (an analytic landscape has no data).
    "sgd": Optimizer(lambda L, d: {"alpha": 1 / L},
                     lambda g, state, p: -p["alpha"] * (g + state["noise"]), noisy=True),
    # A gradient step of the size the search accepted (tests/test_second_order.py checks the search).
    "line_search": Optimizer(lambda L, d: {"alpha": 1.0}, lambda g, state, p: -state["step_size"] * g),
    # The full Newton step, solved from the Hessian the step reports.
    "newton": Optimizer(lambda L, d: {"alpha": 1.0}, lambda g, state, p: -p["alpha"] * np.linalg.solve(
        state["hessian"] + p["damping"] * np.eye(2), g)),
}


class Goal(NamedTuple):
    reach: float  # the last tenth of the walk stays within reach * d of the minimum
    max_steps: int


LANDSCAPE_TABLE = {
    "bowl": Goal(0.01, 2000),  # a quadratic: settle at the minimum
    "ravine": Goal(0.01, 2000),
    "rosenbrock": Goal(0.5, 10_000),  # the curved valley: at least halfway to (1, 1), and staying
}


@functools.cache
def table_case(name, landscape):
    """The landscape, the optimizer's computed settings on it, and the start's distance to the minimum."""
    surface = landscapes.get(landscape)
    distance = float(np.linalg.norm(surface.start - surface.minima[0]))
    settings = OPTIMIZER_TABLE[name].settings(theory.estimate_max_curvature(surface), distance)
    return surface, settings, distance


def positions(name, landscape, max_steps, **changes):
    """Where the table's walk stands at steps 0 .. max_steps, as an array (max_steps + 1, 2)."""
    surface, settings, _ = table_case(name, landscape)
    steps = optimizers.get(name)(surface, surface.start, **{**settings, **changes})
    return np.array([step.w for step in itertools.islice(steps, max_steps + 1)])


def hovering(hessian, alpha, noise, n_steps):
    """Where noisy descent w <- w - alpha (H (w - c) + noise z), z standard normal, hovers.

    Along a Hessian eigenvector of curvature lam the error follows e' = rho e - alpha noise z,
    rho = 1 - alpha lam, whose stationary variance is var = alpha noise² / (lam (2 - alpha lam)).
    Returns the stationary mean loss sum lam var / 2, the eigenvectors, and along each the
    standard error of a mean over n_steps correlated positions, sqrt(var (1 + rho) / ((1 - rho) n)).
    """
    curvatures, axes = np.linalg.eigh(hessian)
    rho = 1 - alpha * curvatures
    variance = alpha * noise ** 2 / (curvatures * (2 - alpha * curvatures))
    standard_error = np.sqrt(variance * (1 + rho) / ((1 - rho) * n_steps))
    return float(np.sum(curvatures * variance) / 2), axes, standard_error


def test_every_optimizer_and_landscape_is_in_the_table():
    assert set(OPTIMIZER_TABLE) == set(optimizers.names())
    assert {row[0] for row in HAND_STEPS} == set(optimizers.names())
    assert set(LANDSCAPE_TABLE) <= set(landscapes.names())


@pytest.mark.parametrize("landscape", LANDSCAPE_TABLE)
@pytest.mark.parametrize("name", OPTIMIZER_TABLE)
def test_first_move_follows_the_update_rule(name, landscape):
    surface, settings, _ = table_case(name, landscape)
    first, second = take(optimizers.get(name)(surface, surface.start, **settings), 2)
    every_setting = {**optimizers.hyperparameters(name), **settings}
    expected = OPTIMIZER_TABLE[name].first_move(surface.grad(surface.start), first.state, every_setting)
    np.testing.assert_allclose(second.w - first.w, expected, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("landscape", LANDSCAPE_TABLE)
@pytest.mark.parametrize("name", OPTIMIZER_TABLE)
def test_walk_reaches_the_goal(name, landscape):
    surface, settings, distance = table_case(name, landscape)
    goal = LANDSCAPE_TABLE[landscape]
    walk = positions(name, landscape, goal.max_steps)
    minimum = surface.minima[0]
    if OPTIMIZER_TABLE[name].noisy and surface.hessian is not None:
        # Noise keeps Chad from settling on a quadratic; theory says how high and where he hovers.
        # The second half of the budget is long past the start (the slowest axis shrinks by
        # 1 - alpha lam_min per step) and long enough to average.
        every_setting = {**optimizers.hyperparameters(name), **settings}
        settled = walk[goal.max_steps // 2:]
        level, axes, standard_error = hovering(surface.hessian, settings["alpha"], every_setting["noise"],
                                               len(settled))
        mean_loss = surface(settled).mean()
        # Over seeds 0 .. 299 this mean stayed within 12% (bowl) and 22% (ravine) of the level.
        assert mean_loss == pytest.approx(level, rel=0.3)
        assert mean_loss < 0.1 * float(surface(walk[0]))  # well below the start
        assert np.all(np.abs(axes.T @ (settled.mean(axis=0) - minimum)) < 5 * standard_error)
        seed = every_setting["seed"]  # the same seed gives the same walk, another seed another
        again, other = (positions(name, landscape, 50, seed=value) for value in (seed, seed + 1))
        np.testing.assert_array_equal(again, walk[:51])
        assert not np.allclose(other, walk[:51])
    else:
        last_tenth = walk[-(goal.max_steps // 10):]
        gaps = np.linalg.norm(last_tenth - minimum, axis=1)
        assert gaps.max() <= goal.reach * distance, (gaps.max(), goal.reach * distance)
        assert float(surface(walk[-1])) < float(surface(walk[0]))


def test_sgd_says_it_imitates_noise_and_is_reproducible():
    def walk(seed):
        return gdviz.run(optimizers.sgd("bowl", START, ALPHA, noise=0.3, seed=seed), max_steps=20)

    first, again, other = walk(7), walk(7), walk(8)
    np.testing.assert_array_equal(first.w, again.w)
    assert not np.allclose(first.w, other.w)
    assert "noise" in first.note and "0.3" in first.note
    # The reported noise is exactly the gap between the used and the true gradient.
    np.testing.assert_allclose(first.grad - 2 * first.w, first.state["noise"], atol=1e-12)
    drawn = gdviz.run(optimizers.sgd("bowl", START, 1e-6, noise=0.3), max_steps=4000).state["noise"]
    assert drawn.mean() == pytest.approx(0.0, abs=0.02) and drawn.std() == pytest.approx(0.3, rel=0.05)


def test_sgd_on_data_takes_minibatches_by_epoch(points_landscape):
    rng = np.random.default_rng(0)
    surface = points_landscape(rng.normal(size=(10, 2)))
    trajectory = gdviz.run(optimizers.sgd(surface, surface.start, 0.1, batch_size=4, seed=1), max_steps=8)
    # 10 examples in batches of 4: three batches (4, 4, 2) per epoch.
    assert trajectory.state["epoch"].tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2]
    assert trajectory.note == ""
    # A full batch is plain gradient descent on the whole data.
    full = gdviz.run(optimizers.sgd(surface, surface.start, 0.1, batch_size=10), max_steps=5)
    plain = gdviz.run(optimizers.gradient_descent(surface, surface.start, 0.1), max_steps=5)
    np.testing.assert_allclose(full.w, plain.w)
    again = gdviz.run(optimizers.sgd(surface, surface.start, 0.1, batch_size=4, seed=1), max_steps=8)
    np.testing.assert_array_equal(trajectory.w, again.w)


def test_sgd_on_data_rejects_impossible_batches(points_landscape):
    surface = points_landscape(np.zeros((5, 2)))
    with pytest.raises(ValueError, match="batch_size must be at most the 5 examples"):
        optimizers.sgd(surface, surface.start, 0.1, batch_size=6)
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        optimizers.sgd(surface, surface.start, 0.1, batch_size=0)


@pytest.mark.parametrize("name", optimizers.names())
def test_numeric_gradient_walks_the_same_path(name):
    rosenbrock = landscapes.get("rosenbrock")
    alpha = 1e-3 if name in ("gradient_descent", "momentum", "nesterov", "sgd") else 1e-2
    analytic = gdviz.run(optimizers.get(name)(rosenbrock, (-1.0, 1.5), alpha), max_steps=50)
    numeric = gdviz.run(optimizers.get(name)(rosenbrock, (-1.0, 1.5), alpha, gradient="numeric"),
                        max_steps=50)
    np.testing.assert_allclose(numeric.w, analytic.w, atol=1e-5)
    # 1 + 2 per parameter, and a line search's trial points besides
    expected = np.broadcast_to(5 + numeric.state.get("losses_tried", 0), 51)
    assert numeric.state["loss_readings"].tolist() == expected.tolist()


@pytest.mark.parametrize("name", optimizers.names())
def test_generators_are_lazy(name):
    readings = []

    def loss(x, y):
        readings.append(1)
        return x * x + y * y

    surface = Landscape("counted", "x² + y²", loss, lambda x, y: (2 * x, 2 * y), ((-1, 1), (-1, 1)),
                        hess=lambda x, y: (2.0, 0.0, 2.0))
    steps = optimizers.get(name)(surface, (0.5, 0.5), 0.1)
    assert inspect.isgenerator(steps) and readings == []
    first = next(steps)
    # One reading where Chad stands; a line search reads L(w) again for its test, and its trial points.
    searched = 1 + first.state["losses_tried"] if name == "line_search" else 0
    assert len(readings) == 1 + searched


def test_vanilla_descent_matches_the_closed_form_on_a_quadratic():
    # w_k - c = (I - alpha H)^k (w_0 - c)
    surface = landscapes.quadratic((0.7, 3.0), angle=25, centre=(0.5, -1.0))
    start, alpha, k = np.array([-2.0, 1.5]), 0.3, 40
    trajectory = gdviz.run(optimizers.gradient_descent(surface, start, alpha), max_steps=k)
    centre = surface.minima[0]
    expected = centre + np.linalg.matrix_power(np.eye(2) - alpha * surface.hessian, k) @ (start - centre)
    np.testing.assert_allclose(trajectory.w[-1], expected, rtol=1e-10, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0.2, 5.0), ratio=st.floats(1.0, 20.0), angle=st.floats(0, 180),
       below=st.floats(0.3, 0.97), above=st.floats(1.03, 1.6))
def test_alpha_below_two_over_L_converges_and_above_diverges(low, ratio, angle, below, above):
    surface = landscapes.quadratic((low, low * ratio), angle=angle)
    limit = 2 / surface.max_curvature
    # A start with a component along the steep axis, where divergence begins.
    start = surface.minima[0] + 2.0 * np.linalg.eigh(surface.hessian)[1][:, -1] + [0.3, -0.2]
    tame = gdviz.run(optimizers.gradient_descent(surface, start, below * limit), max_steps=4000)
    wild = gdviz.run(optimizers.gradient_descent(surface, start, above * limit), max_steps=4000)
    assert tame.stop_reason == "max_steps" and tame.loss[-1] < tame.loss[0]
    assert np.all(np.isfinite(tame.w))
    assert wild.stop_reason == "diverged" and wild.loss[-1] > wild.loss[0]


def test_hyperparameters_come_from_the_signatures():
    assert optimizers.hyperparameters("gradient_descent") == {}
    assert optimizers.hyperparameters("momentum") == {"beta": 0.9}
    assert optimizers.hyperparameters("adam") == {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}


BAD_CALLS = [
    ({"alpha": 0.0}, ValueError, "alpha must be a finite number > 0, got 0.0"),
    ({"alpha": -0.1}, ValueError, "alpha must be a finite number > 0"),
    ({"alpha": float("nan")}, ValueError, "alpha must be finite, got nan"),
    ({"alpha": float("inf")}, ValueError, "alpha must be finite"),
    ({"alpha": "0.1"}, TypeError, "alpha must be a real number, got '0.1'"),
    ({"alpha": True}, TypeError, "alpha must be a real number"),
    ({"start": (1.0,)}, ValueError, r"start must be two finite numbers"),
    ({"start": (1.0, 2.0, 3.0)}, ValueError, "start must be two finite numbers"),
    ({"start": (float("nan"), 0.0)}, ValueError, "start must be two finite numbers"),
    ({"start": ("a", "b")}, TypeError, "start must be two finite numbers"),
    ({"gradient": "guess"}, ValueError, "gradient must be one of 'analytic', 'numeric'; got 'guess'"),
    ({"landscape": "moon"}, ValueError, "landscape must be one of 'bowl'"),
]


@pytest.mark.parametrize("name", optimizers.names())
@pytest.mark.parametrize("change, error, words", BAD_CALLS)
def test_bad_input_is_named(name, change, error, words):
    call = {"landscape": "bowl", "start": START, "alpha": ALPHA, **change}
    with pytest.raises(error, match=words):
        optimizers.get(name)(**call)


@pytest.mark.parametrize("name, parameter", [("momentum", "beta"), ("nesterov", "beta"), ("rmsprop", "beta"),
                                             ("adam", "beta1"), ("adam", "beta2")])
@pytest.mark.parametrize("value", [1.0, -0.1, 1.5])
def test_decay_rates_must_lie_in_zero_one(name, parameter, value):
    with pytest.raises(ValueError, match=rf"{parameter} must be in \[0, 1\), got {value}"):
        optimizers.get(name)("bowl", START, ALPHA, **{parameter: value})


def test_unknown_optimizer_lists_the_valid_ones():
    with pytest.raises(ValueError, match="optimizer must be one of 'gradient_descent'.*'sgd'; got 'lbfgs'"):
        optimizers.get("lbfgs")


# ---------------------------------------------------------------- one rule for one walk or many

STARTS = np.array([[1.0, 2.0], [-2.5, 0.5], [0.3, -1.7]])
ALPHAS = np.array([[0.05], [0.1], [0.02]])  # one learning rate per walk, broadcast over w1 and w2


def test_every_optimizer_has_its_rule_in_the_table():
    assert set(optimizers.RULES) == set(optimizers.names())


# The rules that read the gradient alone; Newton's reads the Hessian too (tests/test_batch.py walks it
# in batches), and a line search's step size is searched per walk.
GRADIENT_RULES = [name for name in optimizers.names() if name not in ("sgd", "line_search", "newton")]


@pytest.mark.parametrize("name", GRADIENT_RULES)
def test_one_rule_moves_many_walks_as_it_moves_each(name):
    """The rule that moves one walk moves n walks at once, arrays (n, 2), each as if alone, bit for bit."""
    ravine = landscapes.get("ravine")
    settings_ = optimizers.hyperparameters(name)
    rule = optimizers.RULES[name]
    w, state = STARTS.copy(), {}
    together = [w]
    for t in range(30):
        move, state = rule(ravine.grad(w), state, t, alpha=ALPHAS, **settings_)
        w = w - move
        together.append(w)
    together = np.stack(together, axis=1)  # (walk, step, 2)
    for start, alpha, walk in zip(STARTS, ALPHAS[:, 0], together, strict=True):
        alone = gdviz.run(optimizers.get(name)(ravine, start, alpha), max_steps=30).w
        np.testing.assert_array_equal(walk, alone)


def test_sgds_rule_follows_its_schedule():
    schedule = gdviz.schedules.step_decay(1.0, step_size=2, gamma=0.5)
    moves = [optimizers.scheduled_descent_rule(np.array([1.0, 2.0]), {}, t, schedule)[0] for t in range(4)]
    assert [move.tolist() for move in moves] == [[1, 2], [1, 2], [0.5, 1], [0.5, 1]]
