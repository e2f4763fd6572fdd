"""The exercise checkers: right answers pass, typical mistakes fail with a useful hint, nothing raises.

The student solutions below are written with numpy only, not with gdviz, so a
pass compares two independent implementations.
"""

import contextlib
import io
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import gdviz
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


def momentum_other_sign_convention(landscape, start, alpha, beta=0.9):
    # v' = beta v' - alpha g, w += v': the same walk as torch's convention, written the other way.
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity - alpha * landscape.grad(w)
        w = w + velocity


def momentum_step_first(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        grad = landscape.grad(w)
        w = w - alpha * velocity
        velocity = beta * velocity + grad


def momentum_averaged(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + (1 - beta) * landscape.grad(w)
        w = w - alpha * velocity


def momentum_without_gradient(landscape, start, alpha, beta=0.9):
    # The notebook's stub with only the step filled in: the velocity never gains the gradient.
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity
        w = w - alpha * velocity


def momentum_without_step(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + landscape.grad(w)


def momentum_uphill(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = beta * velocity + landscape.grad(w)
        w = w + alpha * velocity


def momentum_yields_after_moving(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        velocity = beta * velocity + landscape.grad(w)
        w = w - alpha * velocity
        yield w


def momentum_looking_ahead(landscape, start, alpha, beta=0.9):
    w, v = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        g = landscape.grad(w)
        v = beta * v + g
        w = w - alpha * g - alpha * beta * v  # Nesterov's step, written out


def momentum_forgets_nothing(landscape, start, alpha, beta=0.9):
    w, v = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        v += landscape.grad(w)
        w = w - alpha * v


def momentum_without_its_rate(landscape, start, alpha, beta=0.9):
    w, v = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        v = v * beta + landscape.grad(w)
        w = w - v


def momentum_beta_ignored(landscape, start, alpha, beta=0.9):
    w, velocity = np.array(start, dtype=float), np.zeros(2)
    while True:
        yield w
        velocity = 0.9 * velocity + landscape.grad(w)
        w = w - alpha * velocity


# ---------------------------------------------------------------- optimizers

def test_a_correct_generator_passes():
    verdict = exercises.check_gradient_descent(good_descent)
    assert verdict.passed and bool(verdict)
    assert repr(verdict).startswith("✔")
    assert exercises.check_gradient_descent(in_place_descent).passed


DESCENT_MISTAKES = [
    (uphill, "uphill"),
    (no_alpha, "multiply it by alpha"),
    (moves_first, "yield the start first"),
    (stuck, "never moved"),
    (ten_steps_only, "while True"),
    (no_yield, "returned None"),
    (crashes, "RuntimeError"),
    (yields_words, "yield Chad's position"),
    (good_descent(None, (0, 0), 0.1), "no parentheses"),
]


@pytest.mark.parametrize("student, hint", DESCENT_MISTAKES)
def test_typical_mistakes_fail_with_a_hint(student, hint):
    verdict = exercises.check_gradient_descent(student)
    assert not verdict.passed
    assert hint in verdict.message
    assert repr(verdict).startswith("✘")


def test_momentum_checker_tells_momentum_from_plain_descent():
    assert exercises.check_optimizer(good_momentum, "momentum").passed
    assert exercises.check_optimizer(momentum_other_sign_convention, "momentum").passed
    assert not exercises.check_optimizer(good_descent, "momentum").passed
    assert exercises.check_optimizer(good_momentum, "momentum", beta=0.5).passed


# Each mistake the momentum checker names, written independently of the checker's own copies.
MOMENTUM_MISTAKES = [
    (momentum_step_first, "w moved with the old velocity"),
    (momentum_averaged, "(1 - beta) * grad"),
    (momentum_without_gradient, "add the gradient at w to the velocity"),
    (momentum_without_step, "add the gradient at w to the velocity"),
    (good_descent, "this is plain descent"),
    (momentum_uphill, "went uphill: the velocity points uphill"),
    (momentum_yields_after_moving, "yield the start first"),
    (momentum_looking_ahead, "Nesterov's look-ahead step"),
    (momentum_forgets_nothing, "the velocity never forgets"),
    (momentum_without_its_rate, "the move was the whole velocity"),
]


@pytest.mark.parametrize("student, hint", MOMENTUM_MISTAKES)
def test_momentum_mistakes_get_momentum_hints(student, hint):
    verdict = exercises.check_optimizer(student, "momentum")
    assert not verdict.passed
    assert hint in verdict.message
    assert "multiply it by alpha" not in verdict.message and "subtract alpha * grad" not in verdict.message


def test_a_momentum_that_ignores_beta_is_caught_when_beta_changes():
    assert exercises.check_optimizer(momentum_beta_ignored, "momentum").passed  # beta = 0.9 hides it
    verdict = exercises.check_optimizer(momentum_beta_ignored, "momentum", beta=0.5)
    assert not verdict.passed and "at step 2" in verdict.message


@pytest.mark.parametrize("reference, tested", [("gradient_descent", DESCENT_MISTAKES),
                                               ("momentum", MOMENTUM_MISTAKES)])
def test_every_named_mistake_is_tested(reference, tested):
    """Each entry of the checker's table of mistakes is caught with its own hint, and one of the
    independently written students above makes that mistake and is run, with that hint, by the
    parametrised test for its optimizer."""
    assert set(exercises.MISTAKES) == {"gradient_descent", "momentum"}
    for mistake, message in exercises.MISTAKES[reference]:
        verdict = exercises.check_optimizer(mistake, reference)
        assert not verdict.passed and message in verdict.message, (mistake.__name__, verdict)
        students = [student for student, hint in tested if callable(student) and hint in message]
        assert students, f"no test above makes the mistake {mistake.__name__}: {message!r}"
        # The student written here is caught as the same mistake, not merely a similar hint.
        assert any(message in exercises.check_optimizer(student, reference).message for student in students)


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


def behind_minus_ahead(f, w, h):
    grad = np.zeros_like(w)
    for i in range(len(w)):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w - step) - f(w + step)) / (2 * h)
    return grad


@pytest.mark.parametrize("student, passed, hint", [
    (centred, True, "agree"),
    (forward, False, "forward differences"),
    (missing_half, False, "twice too big"),
    (behind_minus_ahead, False, "pointing downhill"),
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


SWEEP = experiments.alpha_sweep("ravine", max_steps=50)  # the sweep notebook 06 draws
SETTLED = float(SWEEP.alpha[~SWEEP.diverged & (SWEEP.alpha < 0.2)].max())  # 0.196, its last rate below 2/L
FLEW_OFF = float(SWEEP.alpha[SWEEP.diverged].min())  # 0.226, its first that left the map


@pytest.mark.parametrize("answer, passed, hint", [
    (0.2, True, "2/L"), (0.199, True, ""), (0.1, False, "oscillation starts"),
    (SETTLED, False, "between 0.196 (settled) and 0.226 (flew off)"),
    (round(SETTLED, 3), False, "the sweep's own rates"),
    (FLEW_OFF, False, "the sweep's own rates"),
    (4.0, False, "2/m"),  # the floor's edge, 2 / 0.5
    (float(SWEEP.alpha[SWEEP.final_loss.argmin()]), False, "the sweep's best rate"),
    (0.5, False, "too high"), (0.05, False, "too low"), ("0.2", False, "number"),
    (float("nan"), False, "number"), (..., False, "replace"),
])
def test_divergence_threshold_on_the_ravine(answer, passed, hint):
    verdict = exercises.check_divergence_threshold(answer, "ravine")
    assert verdict.passed is passed and hint in verdict.message


def test_the_sweep_brackets_two_over_l_and_no_sweep_rate_passes():
    assert SETTLED < 0.2 < FLEW_OFF
    verdicts = [exercises.check_divergence_threshold(float(alpha), "ravine") for alpha in SWEEP.alpha]
    assert not any(verdict.passed for verdict in verdicts)


# Exercise 06-3: at alpha = 0.15 on the ravine (m = 0.5, L = 10) the factors are 1 - 0.075 and 1 - 1.5.
SHRINK = {"landscape": "ravine", "alpha": 0.15}


@pytest.mark.parametrize("answers, passed, hint", [
    ((0.925, -0.5, "floor", "oscillating"), True, "the floor sets the pace"),
    ((0.075, -0.5, "floor", "oscillating"), False, "alpha lambda, the part of the offset"),
    ((0.925, 1.5, "floor", "oscillating"), False, "alpha lambda, the part of the offset"),
    ((-0.5, 0.925, "floor", "oscillating"), False, "the walls' factor"),  # axes swapped
    ((0.925, 0.925, "floor", "oscillating"), False, "the floor's factor"),
    ((0.925, 0.5, "floor", "oscillating"), False, "right but not its sign"),
    ((0.925, -0.5, "walls", "oscillating"), False, "nearer to ±1 shrinks more slowly"),
    ((0.925, -0.5, "floor", "smooth"), False, "does not fit the factors"),
    ((0.925, -0.5, "floor", "diverging"), False, "does not fit the factors"),
    ((0.925, -0.9, "floor", "oscillating"), False, "lambda = 10"),
    ((..., ..., ..., ...), False, "replace"),
    ((0.925, -0.5, ..., ...), False, "my_slower"),
    ((0.925, -0.5, "floor", ...), False, "my_regime"),
    ((0.925, -0.5, "up", "oscillating"), False, "'floor' or 'walls'"),
    (("0.925", -0.5, "floor", "oscillating"), False, "number"),
])
def test_shrink_factors_exercise(answers, passed, hint):
    verdict = exercises.check_shrink_factors(*answers, **SHRINK)
    assert verdict.passed is passed and hint in verdict.message


def test_shrink_factors_match_the_walk():
    # Independent of the checker: the walk's offset along each Hessian axis shrinks by those factors.
    ravine = landscapes.get("ravine")
    curvatures, axes = np.linalg.eigh(ravine.hessian)
    walk = experiments.regime_walks("ravine", {"a": 0.15}, max_steps=5)["a"][1]
    offsets = (walk.w - ravine.minima[0]) @ axes  # columns: floor (m), walls (L)
    ratios = offsets[1:] / offsets[:-1]
    assert ratios[:, 0] == pytest.approx(np.full(5, 0.925))
    assert ratios[:, 1] == pytest.approx(np.full(5, -0.5))
    assert curvatures.tolist() == pytest.approx([0.5, 10.0])


@pytest.mark.parametrize("answer, passed, hint", [
    (1.0, True, "relative errors"), (1, True, ""), (1e-5, False, "no truncation error"),
    (0.5, False, "probe sizes offered"), ("1", False, "probe sizes offered"), (..., False, "replace"),
])
def test_probe_size_exercise_on_the_ravine(answer, passed, hint):
    verdict = exercises.check_probe_size(answer, "ravine", choices=(1.0, 1e-5))
    assert verdict.passed is passed and hint in verdict.message


def test_probe_size_off_a_quadratic_prefers_the_small_probe():
    # On Rosenbrock the chord's error at h = 1 is huge: the small probe wins, with the general hint.
    assert exercises.check_probe_size(1e-5, "rosenbrock").passed
    assert "weigh the chord's error" in exercises.check_probe_size(1.0, "rosenbrock").message


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


EXERCISE_00 = {"landscape": "bowl", "alpha": 0.25, "start": (-2.0, 1.5), "max_steps": 60, "loss_below": 1e-6}


def first_below(first, factor, threshold):
    k = 0
    while first * factor**k > threshold:
        k += 1
    return k


@pytest.mark.parametrize("answer, passed, hint", [
    # The reference: the loss falls by (1/2)² per step, 6.25 / 4^k <= 1e-6 first at k = 12.
    (first_below(6.25, 0.25, 1e-6), True, "12 updates"),
    (12.0, True, "12 updates"),
    (13, False, "counts the points"),  # the start counted as a step
    (11, False, "one short"),  # rounded down
    (first_below(6.25, 0.5, 1e-6), False, "the loss is the square of the distance"),  # 23: w's factor
    (30, False, "by what factor"),
    (12.5, False, "whole number"),
    ("12", False, "whole number"),
    (..., False, "replace"),
])
def test_exercise_00_predicts_the_step_count(answer, passed, hint):
    verdict = exercises.check_updates(answer, **EXERCISE_00)
    assert verdict.passed is passed and hint in verdict.message


def test_step_count_hint_for_a_gradient_shrunk_like_the_loss():
    # |grad| = 2|w| = 5 / 2^k <= 1e-3 first at k = 13; shrinking it by 1/4 per step gives 7.
    settings = {**EXERCISE_00, "loss_below": None, "grad_below": 1e-3}
    assert exercises.check_updates(13, **settings).passed
    assert first_below(5.0, 0.25, 1e-3) == 7
    assert "like the distance" in exercises.check_updates(7, **settings).message


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
    # Counting the true class's own term, max(0, -1.81 + 1.81 + 1) = 1, gives 7.82: named.
    verdict = exercises.check_loss_value(7.82, "svm", x, np.array([0]), W, b)
    assert not verdict.passed and "true class's own term" in verdict.message


def test_separating_line_checker():
    X = np.array([[-2.0, 0.0], [-1.0, 0.5], [1.0, -0.5], [2.0, 0.0]])
    y = np.array([0, 0, 1, 1])
    assert exercises.check_separating_line((10.0, 0.0), 0.0, X, y).passed
    assert "confident" in exercises.check_separating_line((0.5, 0.0), 0.0, X, y).message
    assert "wrong side" in exercises.check_separating_line((-1.0, 0.0), 0.0, X, y).message
    assert not exercises.check_separating_line((1.0,), 0.0, X, y).passed
    assert "replace the ..." in exercises.check_separating_line(..., ..., X, y).message


# Two classes one above the other, off the origin: x2 = 1 and x2 = 3, split by the line x2 = 2.
ABOVE = np.array([[-1.0, 1.0], [0.0, 0.8], [1.0, 1.2], [-1.0, 3.0], [0.0, 3.2], [1.0, 2.8]])
ABOVE_LABELS = np.array([0, 0, 0, 1, 1, 1])


def test_separating_line_names_a_line_left_through_the_origin():
    # (0, 0.8), class 0, and (0, 3.2), class 1, lie on one ray from the origin: every line through the
    # origin puts them on the same side.
    assert exercises.check_separating_line((0.0, 10.0), -20.0, ABOVE, ABOVE_LABELS).passed
    for w in [(0.0, 1.0), (1.0, 0.0), (0.3, -2.0)]:
        verdict = exercises.check_separating_line(w, 0.0, ABOVE, ABOVE_LABELS)
        assert not verdict.passed and "Shift it with b" in verdict.message
    # With b != 0, or on data a line through the origin can split, the hint is not given.
    assert "with b" not in exercises.check_separating_line((0.0, 1.0), -0.5, ABOVE, ABOVE_LABELS).message
    X, y = np.array([[-2.0, 0.0], [-1.0, 0.5], [1.0, -0.5], [2.0, 0.0]]), np.array([0, 0, 1, 1])
    verdict = exercises.check_separating_line((0.0, 1.0), 0.0, X, y)
    assert "wrong side" in verdict.message and "with b" not in verdict.message


def test_separating_line_says_scale_w_and_b_together():
    # Right side, not confident: w = (0, 1), b = -2 scores +-1 at most; the hint keeps the line.
    verdict = exercises.check_separating_line((0.0, 1.0), -2.0, ABOVE, ABOVE_LABELS)
    assert not verdict.passed and "Multiply w and b by the same factor" in verdict.message
    assert exercises.check_separating_line((0.0, 10.0), -20.0, ABOVE, ABOVE_LABELS).passed


@pytest.mark.parametrize("answer, passed, hint", [(-0.5, True, "-b / w"), (0.5, False, "sign"),
                                                  (2.0, False, "solve")])
def test_decision_boundary(answer, passed, hint):
    verdict = exercises.check_decision_boundary(answer, w=2.0, b=1.0)
    assert verdict.passed is passed and hint in verdict.message


# ---------------------------------------------------------------- the gradient of one epoch (08-3)
#
# One epoch of the post's loop, right and with each slip the checker names, written here with numpy alone.

def with_ones(X):
    return np.hstack([X, np.ones((len(X), 1))])


def probabilities(X, W):
    return 1 / (1 + np.exp(-(with_ones(X) @ W)))


def epoch_right(X, y, W, alpha):
    return W - alpha * with_ones(X).T @ (probabilities(X, W) - y) / len(y)


def epoch_with_a_two(X, y, W, alpha):  # remembered from d/dp (p - y)^2
    return W - alpha * 2 * with_ones(X).T @ (probabilities(X, W) - y) / len(y)


def epoch_target_minus_prediction(X, y, W, alpha):
    return W - alpha * with_ones(X).T @ (y - probabilities(X, W)) / len(y)


def epoch_summed(X, y, W, alpha):
    return W - alpha * with_ones(X).T @ (probabilities(X, W) - y)


def epoch_without_x(X, y, W, alpha):
    return W - alpha * np.mean(probabilities(X, W) - y)


def epoch_of_squared_error(X, y, W, alpha):
    p = probabilities(X, W)
    return W - alpha * with_ones(X).T @ (2 * (p - y) * p * (1 - p)) / len(y)


def epoch_of_half_squared_error(X, y, W, alpha):
    p = probabilities(X, W)
    return W - alpha * with_ones(X).T @ ((p - y) * p * (1 - p)) / len(y)


def epoch_of_linear_regression(X, y, W, alpha):
    scores = with_ones(X) @ W
    return W - alpha * 2 * with_ones(X).T @ (scores - y) / len(y)


def epoch_without_sigmoid(X, y, W, alpha):
    return W - alpha * with_ones(X).T @ (with_ones(X) @ W - y) / len(y)


EPOCH_SLIPS = [
    (epoch_with_a_two, "the factor 2 belongs to the derivative of a square"),
    (epoch_target_minus_prediction, "the residual is p - y, prediction minus target"),
    (epoch_summed, "you summed over the examples"),
    (epoch_without_x, "that is the bias's gradient alone"),
    (epoch_of_squared_error, "the gradient of the squared error mean (p - y)^2"),
    (epoch_of_half_squared_error, "the gradient of the squared error mean (p - y)^2"),
    (epoch_of_linear_regression, "this model predicts p = sigmoid(X W)"),
    (epoch_without_sigmoid, "this model predicts p = sigmoid(X W)"),
]
EPOCH_HINTS = sorted({hint for _, hint in EPOCH_SLIPS})


@pytest.mark.parametrize("student, hint", EPOCH_SLIPS, ids=[student.__name__ for student, _ in EPOCH_SLIPS])
def test_each_gradient_slip_gets_its_own_hint(student, hint):
    verdict = exercises.check_train_epoch(student)
    assert not verdict.passed and hint in verdict.message, verdict
    assert [other for other in EPOCH_HINTS if other in verdict.message] == [hint]


def test_a_right_epoch_gets_no_slip_hint():
    verdict = exercises.check_train_epoch(epoch_right)
    assert verdict.passed
    assert not any(hint in verdict.message for hint in EPOCH_HINTS)


def test_every_gradient_slip_of_the_checker_is_tested():
    """Each entry of the checker's table is caught with its own hint when a student makes exactly that slip,
    and one of the independently written students above makes it."""
    for slip, hint in exercises.GRADIENT_SLIPS:
        def student(X, y, W, alpha, slip=slip):
            return W - alpha * slip(with_ones(X), y, W)

        verdict = exercises.check_train_epoch(student)
        assert not verdict.passed and hint.format(n=250) == verdict.message.removeprefix("Not yet: "), slip
        assert any(words in hint for _, words in EPOCH_SLIPS), f"no student above makes {slip.__name__}"


# ---------------------------------------------------------------- nothing raises on a wrong answer

def crashes_when_called(*args, **kwargs):
    raise RuntimeError("a student's function that crashes")


GARBAGE = [None, ..., "seven", [1, 2], float("nan"), float("inf"), object(), -1, True, 1j,
           np.array([1.0, 2.0]), np.array([1j, 2j]), np.zeros((3, 3)), np.array(["max_steps"]), max,
           crashes_when_called]


def garbage_id(answer):
    """Named by type and value, not repr: an object's or a function's repr holds its address, which differs
    between runs (and between the two workers of `make test`, which must collect the same tests)."""
    if type(answer) is object:
        return "object"
    if isinstance(answer, np.ndarray):
        return f"array({answer.tolist()})"
    return getattr(answer, "__name__", None) or repr(answer)


SCORED = {"X": np.array([[0.5, -1.2, 2.0, 0.3]]),  # the four-feature example of notebook 01
          "W": np.array([[0.2, -0.5, 0.1], [1.5, 1.3, -0.4], [0.0, 0.3, 0.8], [-0.7, 0.4, 0.2]]),
          "b": np.array([0.1, -0.2, 0.3])}

# (name, checker, a call that hands it the garbage where the student's answer goes): every checker, every
# answer a student gives it, a function's return value included.
JUNK_CHECKS = [
    ("updates", exercises.check_updates, lambda a: exercises.check_updates(a, **EXERCISE_00)),
    ("curvature-along", exercises.check_curvature_along,
     lambda a: exercises.check_curvature_along(a, "ravine", direction=(2, 1))),
    ("steepest-direction", exercises.check_steepest_direction,
     lambda a: exercises.check_steepest_direction(a, "rosenbrock", point=(1, 1))),
    ("condition-number", exercises.check_condition_number,
     lambda a: exercises.check_condition_number(a, "rosenbrock", point=(1, 1))),
    ("variance-ratio", exercises.check_variance_ratio, lambda a: exercises.check_variance_ratio(a)),
    ("smoothness", exercises.check_smoothness_constant, lambda a: exercises.check_smoothness_constant(a)),
    ("guarantee", exercises.check_guaranteed_decrease, lambda a: exercises.check_guaranteed_decrease(a)),
    ("guarantee-returns", exercises.check_guaranteed_decrease,
     lambda a: exercises.check_guaranteed_decrease(lambda alpha, L, grad: a)),
    ("step-sizes", exercises.check_step_size_conditions,
     lambda a: exercises.check_step_size_conditions(a, 300)),
    ("step-sizes-total", exercises.check_step_size_conditions,
     lambda a: exercises.check_step_size_conditions("1/t", a)),
    ("threshold", exercises.check_divergence_threshold,
     lambda a: exercises.check_divergence_threshold(a, "ravine")),
    ("factors", exercises.check_shrink_factors,
     lambda a: exercises.check_shrink_factors(a, a, a, a, **SHRINK)),
    ("slower", exercises.check_shrink_factors,
     lambda a: exercises.check_shrink_factors(0.925, -0.5, a, a, **SHRINK)),
    ("factors-regime", exercises.check_shrink_factors,
     lambda a: exercises.check_shrink_factors(0.925, -0.5, "floor", a, **SHRINK)),
    ("probe", exercises.check_probe_size, lambda a: exercises.check_probe_size(a, "ravine")),
    ("count", exercises.check_parameter_count, lambda a: exercises.check_parameter_count(a, 784, 10)),
    ("regime", exercises.check_regime, lambda a: exercises.check_regime(a, "bowl", 1.0)),
    ("optimizer", exercises.check_optimizer, lambda a: exercises.check_optimizer(a, "momentum")),
    ("optimizer-yields", exercises.check_optimizer, lambda a: exercises.check_optimizer(
        lambda landscape, start, alpha, beta=0.9: iter([a] * 30), "momentum")),
    ("descent", exercises.check_gradient_descent, lambda a: exercises.check_gradient_descent(a)),
    ("descent-yields", exercises.check_gradient_descent, lambda a: exercises.check_gradient_descent(
        lambda landscape, start, alpha: iter([a] * 30))),
    ("slice-shape", exercises.check_slice_shape,
     lambda a: exercises.check_slice_shape(a, "saddle", (0.0, 0.0), (1.0, 0.0))),
    ("stop-reason", exercises.check_stop_reason, lambda a: exercises.check_stop_reason(a, "ravine")),
    ("numeric-gradient", exercises.check_numeric_gradient, lambda a: exercises.check_numeric_gradient(a)),
    ("numeric-gradient-returns", exercises.check_numeric_gradient,
     lambda a: exercises.check_numeric_gradient(lambda f, w, h: a)),
    ("readings", exercises.check_readings_per_step, lambda a: exercises.check_readings_per_step(a, 1000)),
    ("loss-value", exercises.check_loss_value,
     lambda a: exercises.check_loss_value(a, "svm", SCORED["X"], np.array([2]), SCORED["W"], SCORED["b"])),
    ("line-w", exercises.check_separating_line,
     lambda a: exercises.check_separating_line(a, -20.0, ABOVE, ABOVE_LABELS)),
    ("line-b", exercises.check_separating_line,
     lambda a: exercises.check_separating_line((0.0, 10.0), a, ABOVE, ABOVE_LABELS)),
    ("boundary", exercises.check_decision_boundary, lambda a: exercises.check_decision_boundary(a, 2.0, 1.0)),
    ("curvature", exercises.check_curvature_factor, lambda a: exercises.check_curvature_factor(a, factor=10)),
    ("curvature-rate", exercises.check_curvature_factor,
     lambda a: exercises.check_curvature_factor(100, factor=10, rate_factor=a)),
    ("epoch", exercises.check_train_epoch, lambda a: exercises.check_train_epoch(a)),
    ("epoch-returns", exercises.check_train_epoch,
     lambda a: exercises.check_train_epoch(lambda X, y, W, alpha: a)),
    ("steps-per-epoch", exercises.check_steps_per_epoch,
     lambda a: exercises.check_steps_per_epoch(a, n_samples=400, batch_size=32)),
    ("schedule", exercises.check_schedule_rate,
     lambda a: exercises.check_schedule_rate(a, alpha=2.0, step_size=75, t=449)),
    ("unshuffled", exercises.check_unshuffled_batch_size, lambda a: exercises.check_unshuffled_batch_size(a)),
    ("momentum-gain", exercises.check_momentum_gain, lambda a: exercises.check_momentum_gain(a, beta=0.9)),
    ("optimal-beta", exercises.check_optimal_beta, lambda a: exercises.check_optimal_beta(a, "ravine")),
    ("speed-limit", exercises.check_momentum_speed_limit,
     lambda a: exercises.check_momentum_speed_limit(a, beta=0.5, landscape="ravine")),
    ("newton-step", exercises.check_newton_step, lambda a: exercises.check_newton_step(a)),
    ("newton-step-returns", exercises.check_newton_step,
     lambda a: exercises.check_newton_step(lambda w, hessian, grad: a)),
    ("armijo-step", exercises.check_armijo_search, lambda a: exercises.check_armijo_search(a, 3)),
    ("armijo-reads", exercises.check_armijo_search, lambda a: exercises.check_armijo_search(0.25, a)),
    ("hessian-numbers", exercises.check_hessian_cost, lambda a: exercises.check_hessian_cost(a, 1000)),
    ("solve-growth", exercises.check_hessian_cost, lambda a: exercises.check_hessian_cost(10**8, a)),
]


# Warnings are errors here: a ComplexWarning (numpy dropping an imaginary part) is no verdict either.
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("answer", GARBAGE, ids=garbage_id)
@pytest.mark.parametrize("check", [call for _, _, call in JUNK_CHECKS],
                         ids=[name for name, _, _ in JUNK_CHECKS])
def test_checkers_answer_garbage_with_a_verdict(check, answer):
    verdict = check(answer)
    assert isinstance(verdict, exercises.Verdict) and not verdict.passed and verdict.message


def test_every_checker_is_fed_the_garbage():
    checkers = {name for name in dir(exercises) if name.startswith("check_")}
    assert checkers == {checker.__name__ for _, checker, _ in JUNK_CHECKS}


# ---------------------------------------------------------------- the instructor key, notebooks 00-06
#
# Every exercise of notebooks 00-05 solved, run through the notebook's own checker cell: the cell's
# `my_... = ...` lines are replaced by the reference solution, the cells it relies on run first.

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

REFERENCE_DESCENT = '''
def my_gradient_descent(landscape, start, alpha):
    w = np.array(start, dtype=float)
    while True:
        yield w
        w = w - alpha * landscape.grad(w)
'''
REFERENCE_PROBE = '''
def my_numeric_gradient(f, w, h):
    grad = np.zeros_like(w)
    for i in range(len(w)):
        step = np.zeros_like(w)
        step[i] = h
        grad[i] = (f(w + step) - f(w - step)) / (2 * h)
    return grad
'''

# (notebook, checker cell, cells to run first, reference solution)
KEY = [
    ("00_start_here", "00-11", [], "my_steps = 12"),
    ("01_parameterized_learning", "01-15", ["01-02", "01-03"], "my_loss = 0.0"),
    ("01_parameterized_learning", "01-18", ["01-02", "01-17"], "my_w, my_b = (0.0, 3.0), -3.75"),
    ("02_the_loss_landscape", "02-14", [], "my_count = 7850"),
    ("02_the_loss_landscape", "02-17", [], 'my_shape = "up"'),
    ("03_meet_chad", "03-23", [], REFERENCE_PROBE),
    ("03_meet_chad", "03-25", [], "my_readings = 2000"),
    ("03_meet_chad", "03-27", [], "my_h = 1.0"),
    ("04_vanilla_gradient_descent", "04-15", [], REFERENCE_DESCENT),
    ("04_vanilla_gradient_descent", "04-17", [], 'my_reason = "grad_below"'),
    ("05_curvature", "05-24", ["05-03"], "my_curvature = float(np.array([2, 1]) @ H @ np.array([2, 1]) / 5)"),
    ("05_curvature", "05-26", [],
     'my_direction = np.linalg.eigh(gdviz.landscapes.get("rosenbrock").hessian_at((1.0, 1.0)))[1][:, -1]'),
    ("05_curvature", "05-28", [],
     'low, high = np.linalg.eigvalsh(gdviz.landscapes.get("rosenbrock").hessian_at((1.0, 1.0)))\n'
     "my_k = high / low"),
    ("06_learning_rate", "06-16", [], "my_alpha = 0.2"),
    ("06_learning_rate", "06-18", [], 'my_regime = "bouncing"'),
    ("06_learning_rate", "06-20", [],
     'my_floor, my_walls = 0.925, -0.5\nmy_slower = "floor"\nmy_regime = "oscillating"'),
]


def cells_by_id(notebook):
    return {cell.id: cell for cell in nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4).cells}


def run_checker_cell(notebook, cell_id, setup, reference):
    cells = cells_by_id(notebook)
    namespace = {"gdviz": gdviz, "np": np}
    with contextlib.redirect_stdout(io.StringIO()):
        for setup_id in setup:
            exec(cells[setup_id].source, namespace)
    exec(reference, namespace)
    source = cells[cell_id].source
    call = source[source.index("gdviz.exercises.check_"):]
    stubs = source[:source.index("gdviz.exercises.check_")]
    # Above the call, only the student's answers (replaced here by the reference's).
    assert all(re.match(r"my_\w+(, my_\w+)* = ", line) for line in stubs.split("\n") if line)
    return eval(call, namespace)


@pytest.mark.parametrize("notebook, cell_id, setup, reference", KEY, ids=[row[1] for row in KEY])
def test_each_reference_solution_passes_its_notebook_checker(notebook, cell_id, setup, reference):
    verdict = run_checker_cell(notebook, cell_id, setup, reference)
    assert verdict.passed, verdict.message


def test_the_key_holds_every_exercise_of_00_to_06():
    for notebook in sorted({row[0] for row in KEY}):
        checked = {cell_id for cell_id, cell in cells_by_id(notebook).items()
                   if "gdviz.exercises.check_" in cell.source}
        assert checked == {row[1] for row in KEY if row[0] == notebook}


def test_an_unanswered_notebook_exercise_is_told_to_answer():
    # As shipped, with the `...` left in: a verdict, never an exception.
    verdict = run_checker_cell("00_start_here", "00-11", [], "my_steps = ...")
    assert not verdict.passed and "replace the ..." in verdict.message
