"""The exercise checkers: right answers pass, typical mistakes fail with a useful hint, nothing raises.

The student solutions below are written with numpy only, not with gdviz, so a
pass compares two independent implementations.
"""

import numpy as np
import pytest

from gdviz import exercises, experiments, landscapes, theory

# ---------------------------------------------------------------- student solutions


def good_descent(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w - alpha * landscape.grad(w)


def in_place_descent(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w -= alpha * landscape.grad(w)  # the checker copies each yield, so this is fine


def uphill(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w + alpha * landscape.grad(w)


def no_alpha(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w - landscape.grad(w)


def moves_first(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        w = w - alpha * landscape.grad(w)
        yield w


def stuck(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w


def ten_steps_only(landscape, start, alpha):
    w = np.array(start, dtype=float)
    for _ in range(10):
        yield w
        w = w - alpha * landscape.grad(w)


def no_yield(landscape, start, alpha):
    return None


def crashes(landscape, start, alpha):
    yield np.array(start, dtype=float)
    raise RuntimeError("oops")


def yields_words(landscape, start, alpha):
    while True:
        yield "downhill"


def good_momentum(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + landscape.grad(w)
        w = w - alpha * velocity


# ---------------------------------------------------------------- optimizers

def test_a_correct_generator_passes():
    verdict = exercises.check_gradient_descent(good_descent)
    assert verdict.passed and bool(verdict)
    assert repr(verdict).startswith("✔")
    assert exercises.check_gradient_descent(in_place_descent).passed


@pytest.mark.parametrize("student, hint", [
    (uphill, "uphill"),
    (no_alpha, "multiply it by alpha"),
    (moves_first, "yield the start first"),
    (stuck, "did not move"),
    (ten_steps_only, "while True"),
    (no_yield, "returned None"),
    (crashes, "RuntimeError"),
    (yields_words, "yield Chad's position"),
    (good_descent(None, (0, 0), 0.1), "no parentheses"),
])
def test_typical_mistakes_fail_with_a_hint(student, hint):
    verdict = exercises.check_gradient_descent(student)
    assert not verdict.passed
    assert hint in verdict.message
    assert repr(verdict).startswith("✘")


def test_momentum_checker_tells_momentum_from_plain_descent():
    assert exercises.check_optimizer(good_momentum, "momentum").passed
    assert not exercises.check_optimizer(good_descent, "momentum").passed
    assert exercises.check_optimizer(good_momentum, "momentum", beta=0.5).passed


# ---------------------------------------------------------------- gradients

def centred(f, w, h):
    grad = np.zeros_like(w)
    for i in range(len(w)):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / (2 * h)
    return grad


def forward(f, w, h):
    grad = np.zeros_like(w)
    for i in range(len(w)):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w)) / h
    return grad


def missing_half(f, w, h):
    return 2 * centred(f, w, h)


@pytest.mark.parametrize("student, passed, hint", [
    (centred, True, "agree"),
    (forward, False, "forward differences"),
    (missing_half, False, "twice too big"),
    (lambda f, w, h: 0.0, False, "shape"),
    (lambda f, w, h: 1 / 0, False, "ZeroDivisionError"),
])
def test_numeric_gradient_checker(student, passed, hint):
    verdict = exercises.check_numeric_gradient(student)
    assert verdict.passed is passed and hint in verdict.message


@pytest.mark.parametrize("answer, n, method, passed", [
    (4, 2, "centred", True), (3, 2, "forward", True), (2000, 1000, "centred", True),
    (1001, 1000, "forward", True), (2, 2, "centred", False), (..., 2, "centred", False),
])
def test_readings_per_step(answer, n, method, passed):
    assert exercises.check_readings_per_step(answer, n, method).passed is passed


# ---------------------------------------------------------------- learning rate

@pytest.mark.parametrize("landscape, alpha, regime", [
    ("bowl", 0.1, "smooth"), ("bowl", 0.5, "smooth"), ("bowl", 0.7, "oscillating"),
    ("bowl", 1.0, "bouncing"), ("bowl", 1.01, "diverging"),
    ("ravine", 0.1, "smooth"), ("ravine", 0.15, "oscillating"), ("ravine", 0.2, "bouncing"),
    ("ravine", 0.25, "diverging"),
])
def test_regime_from_theory(landscape, alpha, regime):
    assert theory.learning_rate_regime(landscapes.get(landscape).max_curvature, alpha) == regime
    assert exercises.check_regime(regime, landscape, alpha).passed
    wrong = "diverging" if regime != "diverging" else "smooth"
    assert not exercises.check_regime(wrong, landscape, alpha).passed


def test_regime_needs_a_quadratic_and_a_known_word():
    with pytest.raises(ValueError, match="quadratic"):
        exercises.check_regime("smooth", "rosenbrock", 0.1)
    assert "one of" in exercises.check_regime("wobbly", "bowl", 0.1).message


@pytest.mark.parametrize("answer, passed, hint", [
    (0.2, True, "2/L"), (0.199, True, ""), (0.1, False, "oscillation starts"),
    (0.5, False, "too high"), (0.05, False, "too low"), ("0.2", False, "number"),
    (float("nan"), False, "number"), (..., False, "replace"),
])
def test_divergence_threshold_on_the_ravine(answer, passed, hint):
    verdict = exercises.check_divergence_threshold(answer, "ravine")
    assert verdict.passed is passed and hint in verdict.message


def test_divergence_threshold_doctest_message():
    assert repr(exercises.check_divergence_threshold(0.2, "ravine")) == (
        "✔ Right: on ravine L = 10, so descent diverges for alpha > 2/L = 0.2.")


# ---------------------------------------------------------------- stop conditions, epochs

def test_stop_reason_checker_runs_the_walk():
    settings = {"landscape": "ravine", "alpha": 0.05, "max_steps": 200, "loss_below": 1e-2}
    assert exercises.check_stop_reason("loss_below", **settings).passed
    assert not exercises.check_stop_reason("max_steps", **settings).passed
    assert "not a stop reason" in exercises.check_stop_reason("tired", **settings).message
    assert exercises.check_stop_reason("diverged", "ravine", alpha=0.3, max_steps=200).passed


@pytest.mark.parametrize("answer, n, batch, passed, hint", [
    (8, 250, 32, True, "8 updates"), (7, 250, 32, False, "smaller"), (13, 400, 32, True, ""),
    (1, 400, 400, True, ""), (250, 250, 1, True, ""), (9, 250, 32, False, "how many"),
])
def test_steps_per_epoch(answer, n, batch, passed, hint):
    verdict = exercises.check_steps_per_epoch(answer, n, batch)
    assert verdict.passed is passed and hint in verdict.message


# ---------------------------------------------------------------- landscapes, updates, momentum

@pytest.mark.parametrize("answer, passed, hint", [
    (7850, True, "7850 dimensions"), (7840, False, "own bias"), (784, False, "count"),
    (..., False, "replace"),
])
def test_parameter_count(answer, passed, hint):
    verdict = exercises.check_parameter_count(answer, n_features=784, n_classes=10)
    assert verdict.passed is passed and hint in verdict.message


@pytest.mark.parametrize("direction, shape", [((1, 0), "up"), ((0, 1), "down"), ((1, 1), "flat"),
                                              ((2, -1), "up")])
def test_slice_shape_through_the_saddle(direction, shape):
    # Second derivative of w1² - w2² along a unit d is 2 (d1² - d2²).
    d = np.array(direction, dtype=float) / np.linalg.norm(direction)
    assert experiments.slice_curvature("saddle", (0, 0), direction) == pytest.approx(2 * (d[0]**2 - d[1]**2))
    assert exercises.check_slice_shape(shape, "saddle", (0, 0), direction).passed
    assert not exercises.check_slice_shape("down" if shape != "down" else "up", "saddle", (0, 0),
                                           direction).passed


def test_updates_checker():
    # alpha = 1/L on the round bowl lands on the minimum in one update.
    assert exercises.check_updates(1, "bowl", 0.5, max_steps=100, loss_below=1e-6).passed
    assert not exercises.check_updates(2, "bowl", 0.5, max_steps=100, loss_below=1e-6).passed
    # alpha = 0.25 halves w each step: loss 6.25 * 4^-k <= 1e-6 first at k = 12.
    assert exercises.check_updates(12, "bowl", 0.25, max_steps=100, loss_below=1e-6).passed


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.99])
def test_momentum_gain_is_one_over_one_minus_beta(beta):
    assert experiments.momentum_gain(beta) == pytest.approx(1 / (1 - beta), rel=1e-6)
    assert exercises.check_momentum_gain(1 / (1 - beta), beta).passed
    assert not exercises.check_momentum_gain(1 + beta, beta).passed or beta == 0.0


# ---------------------------------------------------------------- classifiers

def test_loss_value_checker_against_a_hand_computed_svm_loss():
    # Scores (-1.81, -1.29, 2.49), true class 0: max(0, -1.29 + 1.81 + 1) + max(0, 2.49 + 1.81 + 1) = 6.82.
    x = np.array([[0.5, -1.2, 2.0, 0.3]])
    W = np.array([[0.2, -0.5, 0.1], [1.5, 1.3, -0.4], [0.0, 0.3, 0.8], [-0.7, 0.4, 0.2]])
    b = np.array([0.1, -0.2, 0.3])
    assert exercises.check_loss_value(6.82, "svm", x, np.array([0]), W, b).passed
    assert exercises.check_loss_value(0.0, "svm", x, np.array([2]), W, b).passed  # margins met
    assert not exercises.check_loss_value(5.3, "svm", x, np.array([0]), W, b).passed
    assert "number" in exercises.check_loss_value("6.82", "svm", x, np.array([0]), W, b).message


def test_separating_line_checker():
    X = np.array([[-2.0, 0.0], [-1.0, 0.5], [1.0, -0.5], [2.0, 0.0]])
    y = np.array([0, 0, 1, 1])
    assert exercises.check_separating_line((10.0, 0.0), 0.0, X, y).passed
    assert "confident" in exercises.check_separating_line((0.5, 0.0), 0.0, X, y).message
    assert "wrong side" in exercises.check_separating_line((-1.0, 0.0), 0.0, X, y).message
    assert not exercises.check_separating_line((1.0,), 0.0, X, y).passed


@pytest.mark.parametrize("answer, passed, hint", [(-0.5, True, "-b / w"), (0.5, False, "sign"),
                                                  (2.0, False, "solve")])
def test_decision_boundary(answer, passed, hint):
    verdict = exercises.check_decision_boundary(answer, w=2.0, b=1.0)
    assert verdict.passed is passed and hint in verdict.message
