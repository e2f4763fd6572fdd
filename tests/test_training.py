"""Training in the open (08): the loop's experiment, feature scaling, its figure, the TrainingLab and
the exercises of 06."""

import numpy as np
import pytest

import gdviz
from gdviz import classifier, exercises, experiments, figures, theory
from gdviz.apps import TrainingLab
from gdviz.experiments import training
from gdviz.figures.style import trace

# ---------------------------------------------------------------- the Hessian and its condition number

@pytest.mark.parametrize("factor", [1.0, 10.0])
@pytest.mark.parametrize("point", [(0.0, 0.0), (0.3, 4.0), (3.4, 0.1)])
def test_log_loss_hessian_matches_differences_of_the_gradient(factor, point):
    x, y = classifier.default_landscape_data()
    landscape = classifier.classifier_landscape((factor * x, y))
    point, h = np.array(point), 1e-5
    numeric = np.array([(landscape.grad(point + h * e) - landscape.grad(point - h * e)) / (2 * h)
                        for e in np.eye(2)])
    exact = training.log_loss_hessian(factor * x, y, *point)
    np.testing.assert_allclose(exact, numeric, rtol=1e-6, atol=1e-9)


def test_standardised_data_make_a_round_bowl_wherever_w_is_zero():
    x, y = classifier.default_landscape_data()
    z = (x - x.mean()) / x.std()
    for b in (-3.0, 0.0, 4.0):
        p = float(theory.sigmoid(b))
        np.testing.assert_allclose(training.log_loss_hessian(z, y, 0.0, b), p * (1 - p) * np.eye(2),
                                   atol=1e-15)
    # and multiplying x by c multiplies the w-w entry by c^2, the b-b entry not at all
    raw, scaled = training.log_loss_hessian(x, y, 0.0, 4.0), training.log_loss_hessian(10 * x, y, 0.0, 4.0)
    assert scaled[0, 0] == pytest.approx(100 * raw[0, 0]) and scaled[1, 1] == pytest.approx(raw[1, 1])


def test_condition_number():
    assert training.condition_number(np.diag([2.0, 8.0])) == pytest.approx(4.0)
    assert training.condition_number(np.eye(2)) == 1.0
    with pytest.raises(ValueError, match="hessian must be positive definite"):
        training.condition_number(np.diag([1.0, -1.0]))


def test_settling_steps_by_hand():
    # On the bowl L = |w|^2 from (1, 0) with alpha = 1/4, w halves every step: L_t = 4^-t.
    steps, walk = training.settling_steps(gdviz.landscapes.get("bowl"), (1.0, 0.0), 0.25, budget=30,
                                          tolerance=1e-6)
    assert steps == 10 and walk.loss[10] <= 1e-6 < walk.loss[9]
    # alpha = 1.2 > 2/L = 1 flies off: never settles.
    assert training.settling_steps(gdviz.landscapes.get("bowl"), (1.0, 0.0), 1.2, 30, 1e-6)[0] == 31
    # alpha = 1 bounces between (1, 0) and (-1, 0): within reach of nothing, it never settles either.
    assert training.settling_steps(gdviz.landscapes.get("bowl"), (1.0, 0.0), 1.0, 30, 1e-6)[0] == 31


def test_power_of_two_search_widens_until_the_best_is_inside():
    scored = []

    def score(rate):
        scored.append(rate)
        return abs(np.log2(rate) - 6.3)  # best at 2^6

    rates, scores, best, on_edge = experiments.power_of_two_search(score, low=-1, high=2)
    assert rates[best] == 64 and not on_edge and rates[-1] == 128 and rates[0] == 0.5
    assert sorted(scored) == sorted(set(scored))  # each rate scored once
    # a best beyond the limit stays on the edge, and says so
    rates, _, best, on_edge = experiments.power_of_two_search(lambda rate: -rate, low=0, high=1, limit=3)
    assert rates[best] == 8 and on_edge


# ---------------------------------------------------------------- feature scaling

def test_both_codings_are_the_same_classifiers(scaling):
    unscaled, standard = scaling.unscaled, scaling.standardised
    start_loss = float(standard.landscape(standard.start))
    assert float(unscaled.landscape(unscaled.start)) == pytest.approx(start_loss)
    assert unscaled.minimum_loss == pytest.approx(standard.minimum_loss, rel=1e-10)
    # z = (x - m) / s, so w_z = w_x s and b_z = b_x + w_x m at the same classifier.
    m, s = unscaled.x.mean(), unscaled.x.std()
    (w_x, b_x), (w_z, b_z) = unscaled.landscape.minima[0], standard.landscape.minima[0]
    assert (w_z, b_z) == pytest.approx((w_x * s, b_x + w_x * m), rel=1e-7)


def test_descent_is_tuned_off_the_edge_of_its_grid(scaling):
    for coding in (scaling.unscaled, scaling.standardised):
        assert not coding.on_edge
        assert np.all(np.diff(np.log2(coding.alphas)) == 1)  # powers of 2
        assert coding.best_steps == coding.steps.min() <= scaling.budget
        # Its walk is the one at the best rate, and it settles where the score says.
        again, walk = training.settling_steps(coding.landscape, coding.start, coding.best_alpha,
                                              scaling.budget, scaling.tolerance)
        np.testing.assert_array_equal(walk.w, coding.walk.w)
        assert again == coding.best_steps
        assert walk.loss[again] - coding.minimum_loss <= scaling.tolerance


def test_the_last_steps_shrink_as_the_quadratic_theory_says(scaling):
    # Near the minimum descent is linear: the distance to the minimum shrinks by the largest
    # |1 - alpha lambda_i| of the Hessian there, per step (notebook 06's shrink factors).
    coding = scaling.unscaled
    rate = max(theory.shrink_factor(value, coding.best_alpha)
               for value in np.linalg.eigvalsh(coding.hessian_minimum))
    distance = np.linalg.norm(coding.walk.w - coding.landscape.minima[0], axis=1)
    measured = (distance[190] / distance[150]) ** (1 / 40)
    assert measured == pytest.approx(rate, rel=0.01)


def test_framing_shows_the_whole_walk_and_the_minimum(scaling):
    for coding in (scaling.unscaled, scaling.standardised):
        (x_low, x_high), (y_low, y_high) = coding.landscape.domain
        assert x_high - x_low == pytest.approx(y_high - y_low)  # square: equal units show the true shape
        seen = np.vstack([coding.walk.w, coding.landscape.minima])
        assert np.all(seen[:, 0] > x_low) and np.all(seen[:, 0] < x_high)
        assert np.all(seen[:, 1] > y_low) and np.all(seen[:, 1] < y_high)


@pytest.mark.parametrize("change, error, words", [
    ({"factor": 0}, ValueError, "factor must be a finite number > 0"),
    ({"start": (1.0, 4.0)}, ValueError, "start must have w = 0"),
    ({"budget": 0}, ValueError, "budget must be an integer >= 1"),
    ({"data": (np.array([-1.0, -0.5, 0.5, 1.0]), np.array([0, 0, 1, 1]))}, ValueError, "data must overlap"),
])
def test_feature_scaling_bad_input(change, error, words):
    with pytest.raises(error, match=words):
        experiments.feature_scaling(**change)


def test_scaling_figure_draws_both_codings_by_role(all_finite, scaling):
    figure = figures.scaling_figure(scaling)
    assert all_finite(figure)
    for name, coding in (("unscaled", scaling.unscaled), ("standardised", scaling.standardised)):
        assert list(trace(figure, f"path {name}").x) == pytest.approx(coding.walk.w[:, 0])
        gap = np.asarray(trace(figure, f"curve {name}").y)
        assert np.all(gap > 0) and gap[0] == pytest.approx(coding.walk.loss[0] - coding.minimum_loss)
        assert f"k = {coding.condition_start:.0f}" in str(figure.layout.annotations)
    assert figure.layout.xaxis.scaleanchor == "x" or figure.layout.yaxis.scaleanchor == "x"
    assert figure.layout.yaxis3.type == "log"
    with pytest.raises(TypeError, match="ScalingResult"):
        figures.scaling_figure({})


# ---------------------------------------------------------------- the loop, and the app around it

def open_loop(alpha=0.01, epochs=100):
    """The loop of notebook 08, line for line."""
    X, y = gdviz.data.blobs(250, centers=2, cluster_std=1.05, seed=0, n_features=2)
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    W = np.random.default_rng(0).uniform(0.0, 1.0, 3)
    N = len(y)
    for _ in range(epochs):
        p = 1 / (1 + np.exp(-(X_tilde @ W)))
        gradient = X_tilde.T @ (p - y) / N
        W = W - alpha * gradient
    return W


@pytest.mark.parametrize("alpha, epochs", [(0.01, 100), (1.0, 7)])
def test_the_open_loop_is_classifier_train(alpha, epochs):
    result = experiments.loop_training(alpha, epochs)
    np.testing.assert_allclose(open_loop(alpha, epochs), np.append(result.W, result.b), rtol=1e-12,
                               atol=1e-15)
    assert result.epochs == epochs


def test_training_lab_moves_the_line_with_its_sliders(all_finite, figure_widgets, plotly_messages,
                                                       assert_saved_is_live):
    app = TrainingLab(alpha=1e-4, epochs=3)
    live = app.figure  # made on first use (an app is drawn still until then)
    assert figure_widgets(app) == [live]
    line = trace(app.figure, "decision_line")
    before = (tuple(line.x), tuple(line.y))
    app.alpha.value = 1.0
    app.epochs.value = 50
    after = experiments.loop_training(1.0, 50)
    assert (tuple(line.x), tuple(line.y)) != before
    assert list(trace(app.figure, "curve minimised").y) == pytest.approx(after.loss)
    assert "After 50 epochs at alpha = 1" in app.status.value and "100.0%" in app.status.value
    assert all_finite(app.figure)
    # one plotly update per slider change, and a late page (Voila) draws the figure as it is now
    assert plotly_messages(app.figure, lambda: setattr(app.alpha, "value", 0.1)) == ["_py2js_update"]
    app._repr_mimebundle_()
    assert_saved_is_live(app.figure)
    with pytest.raises(ValueError, match="alpha must be a finite number > 0"):
        TrainingLab(alpha=0)
    with pytest.raises(ValueError, match="epochs must be an integer >= 1"):
        TrainingLab(epochs=0)


# ---------------------------------------------------------------- exercises of 08 (reference solutions)

def reference_train_epoch(X, y, W, alpha):
    """The instructor's solution of exercise 08-3."""
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    p = 1 / (1 + np.exp(-(X_tilde @ W)))
    return W - alpha * X_tilde.T @ (p - y) / len(y)


def forgot_the_bias_column(X, y, W, alpha):
    p = 1 / (1 + np.exp(-(X @ W)))
    return W - alpha * X.T @ (p - y) / len(y)


def forgot_to_divide_by_n(X, y, W, alpha):
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    return W - alpha * X_tilde.T @ (1 / (1 + np.exp(-(X_tilde @ W))) - y)


def stepped_uphill(X, y, W, alpha):
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    return W + alpha * X_tilde.T @ (1 / (1 + np.exp(-(X_tilde @ W))) - y) / len(y)


LEFT_OVER_W = np.array([-0.5, 0.1, 0.0])  # a W from the notebook's loop, read by mistake


def p_from_the_wrong_w(X, y, W, alpha):
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    p = 1 / (1 + np.exp(-(X_tilde @ LEFT_OVER_W)))
    return W - alpha * X_tilde.T @ (p - y) / len(y)


def ones_first(X, y, W, alpha):
    X_tilde = np.hstack([np.ones((len(X), 1)), X])
    return W - alpha * X_tilde.T @ (1 / (1 + np.exp(-(X_tilde @ W))) - y) / len(y)


def bias_never_moves(X, y, W, alpha):
    new = reference_train_epoch(X, y, W, alpha)
    new[-1] = W[-1]
    return new


def hard_coded_n(X, y, W, alpha):
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    return W - alpha * X_tilde.T @ (1 / (1 + np.exp(-(X_tilde @ W))) - y) / 250


calls = []


def keeps_state(X, y, W, alpha):
    calls.append(1)
    return reference_train_epoch(X, y, W, alpha) * (1.0 if len(calls) < 3 else 1.01)


def returns_nothing(X, y, W, alpha):
    reference_train_epoch(X, y, W, alpha)


@pytest.mark.parametrize("student, words", [
    (forgot_the_bias_column, "append a column of ones"),
    (forgot_to_divide_by_n, "divide X^T (p - y) by N"),
    (stepped_uphill, "subtract alpha * gradient"),
    (p_from_the_wrong_w, "compute p = sigmoid(X W) from that W"),
    (ones_first, "append the ones at the end"),
    (bias_never_moves, "the bias did not"),
    (hard_coded_n, "divide by N = len(y), not a fixed number"),  # right on the post's 250 points, not on 60
    (keeps_state, "keep something from one call to the next"),
    (returns_nothing, "return the new W"),
    (lambda X, y, W, alpha: W, "W did not change"),
    ("my_train_epoch", "pass your function itself"),
])
def test_check_train_epoch_names_each_mistake(student, words):
    calls.clear()
    verdict = exercises.check_train_epoch(student)
    assert not verdict.passed and words in verdict.message, verdict


def test_check_train_epoch_passes_the_reference_and_leaves_inputs_alone():
    assert exercises.check_train_epoch(reference_train_epoch).passed

    def in_place(X, y, W, alpha):  # the post's `W += -alpha * gradient`, on the array passed in
        W += -alpha * (reference_train_epoch(X, y, W, alpha) - W) / -alpha
        return W

    assert exercises.check_train_epoch(in_place).passed


def test_check_curvature_factor_reference_and_named_mistakes():
    assert exercises.check_curvature_factor(100, factor=10).passed
    hints = {10: "x appears twice", 0.01: "upside down", 1: "curvature along b", 42: "is not it",
             ...: "replace the ..."}
    for answer, words in hints.items():
        verdict = exercises.check_curvature_factor(answer, factor=10)
        assert not verdict.passed and words in verdict.message, (answer, verdict)


def test_check_curvature_factor_asks_what_it_means_for_two_over_l():
    # 2/L shrinks by the ratio of the Hessian's largest eigenvalues at w = b = 0: 0.01002 on the
    # default data (L grows from 0.553 to 55.2), so "a hundred times smaller" passes.
    assert exercises.check_curvature_factor(100, factor=10, rate_factor=0.01).passed
    hints = {100: "the other way", 10: "largest curvature", ...: "now the rate", "0.01": "now the rate"}
    for rate, words in hints.items():
        verdict = exercises.check_curvature_factor(100, factor=10, rate_factor=rate)
        assert not verdict.passed and words in verdict.message, (rate, verdict)
    # A wrong curvature factor is named first, whatever the rate.
    assert "x appears twice" in exercises.check_curvature_factor(10, factor=10, rate_factor=0.1).message
