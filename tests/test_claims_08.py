"""Every number and comparison in notebook 08's prose, asserted on the experiment calls the notebook makes."""

import numpy as np
import pytest

import gdviz
from gdviz import classifier, experiments, linear, theory
from gdviz.experiments import training


@pytest.fixture(scope="module")
def result():
    return classifier.post_experiment(verbose=False)  # the notebook prints every 20 epochs; same run


def accuracies(result):
    objective = linear.LinearModelLoss(result.X, result.y, "log_loss", bias_trick=True)
    return np.array([linear.accuracy(result.y, linear.predict(result.X, *objective.unpack(theta)))
                     for theta in result.trajectory.w])


# ---------------------------------------------------------------- the experiment

def test_the_experiment_is_as_listed(result):
    assert result.X.shape == (250, 2) and set(np.unique(result.y)) == {0, 1}
    start = result.trajectory.w[0]
    assert start.shape == (3,) and np.all((0 <= start) & (start < 1))  # W and b: 3 numbers in [0, 1)
    assert result.epochs == 100 and result.trajectory.n_updates == 100  # one full-data step per epoch
    # The update is W - 0.01 grad, the gradient X~^T (p - y) / N.
    X_tilde = np.hstack([result.X, np.ones((250, 1))])
    gradient = X_tilde.T @ (theory.sigmoid(X_tilde @ start) - result.y) / 250
    np.testing.assert_allclose(result.trajectory.w[1], start - 0.01 * gradient, rtol=1e-12)


def test_both_losses_end_far_lower_though_the_printed_one_first_rises(result):
    for curve in (result.loss, result.squared_error):
        assert curve[-1] < 0.2 * curve[0]
    assert result.squared_error[2] > result.squared_error[0] and int(np.argmax(result.squared_error)) == 2
    assert np.all(np.diff(result.squared_error[2:]) < 0)


def test_the_line_swings_round_and_separates_from_epoch_44(result):
    accuracy = accuracies(result)
    assert round(accuracy[0], 2) == 0.13 and accuracy[0] < 0.5  # the random start points the wrong way
    assert int(np.argmax(accuracy == 1.0)) == 44 and np.all(accuracy[44:] == 1.0)
    assert result.accuracy == 1.0


def test_the_log_loss_falls_at_every_epoch(result):
    assert np.all(np.diff(result.loss) < 0)


# ---------------------------------------------------------------- the loop in the open

def test_the_notebooks_loop_gives_post_experiments_w_and_b(result):
    X, y = gdviz.data.blobs(250, centers=2, cluster_std=1.05, seed=0, n_features=2)
    X_tilde = np.hstack([X, np.ones((len(X), 1))])
    W = np.random.default_rng(0).uniform(0.0, 1.0, 3)
    alpha, N = 0.01, len(y)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(X_tilde @ W)))
        gradient = X_tilde.T @ (p - y) / N
        W = W - alpha * gradient
    assert np.allclose(W, np.append(result.W, result.b))
    # The gradient check below the loop: centred differences of gdviz's own log loss agree.
    log_loss = linear.LinearModelLoss(X, y, "log_loss", bias_trick=True)
    start = np.random.default_rng(0).uniform(0.0, 1.0, 3)
    check = gdviz.gradients.gradient_check(
        log_loss, lambda W: X_tilde.T @ (1 / (1 + np.exp(-(X_tilde @ W))) - y) / N, start)
    assert check.relative_error < 1e-7 and check.verdict.startswith("excellent")


def test_the_apps_things_to_try():
    start = np.random.default_rng(0).uniform(0.0, 1.0, 3)
    tiny = experiments.loop_training(1e-4, 3)
    assert np.linalg.norm(np.append(tiny.W, tiny.b) - start) < 0.01 * np.linalg.norm(start)  # hardly moved
    assert tiny.accuracy < 0.5  # most points on the wrong side
    usual, large = experiments.loop_training(0.01, 100), experiments.loop_training(1.0, 100)
    assert large.accuracy == usual.accuracy == 1.0
    assert large.loss[-1] < 0.1 * usual.loss[-1]
    assert np.linalg.norm(large.W) > 5 * np.linalg.norm(usual.W)  # a longer W, more confident


# ---------------------------------------------------------------- Chad on a classifier's landscape

@pytest.fixture(scope="module")
def walks():
    cross_entropy = classifier.classifier_landscape(loss="cross_entropy")
    svm = classifier.classifier_landscape(loss="svm")
    return {land: gdviz.run(gdviz.optimizers.gradient_descent(land, land.start, alpha=2.0), max_steps=200,
                            grad_below=1e-4) for land in (cross_entropy, svm)}


def test_cross_entropy_settles_and_the_svm_only_stops_at_the_budget(walks):
    (cross_entropy, smooth), (svm, creased) = walks.items()
    assert smooth.stop_reason == "grad_below" and creased.stop_reason == "max_steps"
    accuracy = {}
    for land, walk in walks.items():
        w, b = walk.w[-1]
        x, y = land.data
        assert abs(-b / w) < 0.2  # the boundary sits close to 0, where the classes meet
        accuracy[land] = linear.accuracy(y, (w * x + b > 0).astype(int))
        assert accuracy[land] < 1.0  # overlap: not every point right
    assert abs(accuracy[cross_entropy] - accuracy[svm]) <= 0.05  # similar accuracies
    # The SVM walk hops around its minimum: over its last 20 steps it never comes within 0.02.
    assert np.linalg.norm(creased.w[-20:] - svm.minima[0], axis=1).min() > 0.02


def test_the_hinge_is_tilted_planes_not_flat_pieces(walks):
    # "The SVM (hinge) loss is made of tilted planes joined along creases": nowhere on its map is
    # it flat, so its gradient never vanishes near the minimum either.
    _, svm = walks
    x, y, _ = svm.mesh(61)
    slopes = np.linalg.norm(svm.grad(np.stack([x, y], axis=-1)), axis=-1)
    assert slopes.min() > 1e-3


# ---------------------------------------------------------------- feature scaling

def test_ten_times_the_feature_a_hundred_times_the_curvature_along_w():
    x, y = classifier.default_landscape_data()
    # At the walks' start, w = 0, both codings give the same p, so the entries compare directly.
    original = training.log_loss_hessian(x, y, 0.0, 4.0)
    scaled = training.log_loss_hessian(10 * x, y, 0.0, 4.0)
    assert scaled[0, 0] == pytest.approx(100 * original[0, 0])
    assert scaled[1, 1] == pytest.approx(original[1, 1])
    # Exercise 2's formula: at w = b = 0 the Hessian is 1/4 [[mean x^2, mean x], [mean x, 1]].
    np.testing.assert_allclose(training.log_loss_hessian(x, y, 0.0, 0.0),
                               0.25 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]), rtol=1e-12)


def test_the_common_start_and_the_search(scaling):
    assert float(theory.sigmoid(4.0)) == pytest.approx(0.98, abs=0.005)
    assert scaling.budget == 200 and scaling.tolerance == 1e-6
    for coding in (scaling.unscaled, scaling.standardised):
        assert coding.start.tolist() == [0.0, 4.0] and not coding.on_edge
        assert np.all(np.diff(np.log2(coding.alphas)) == 1)
    hessian = scaling.standardised.hessian_start  # a multiple of the identity where w = 0
    assert hessian[0, 1] == pytest.approx(0.0, abs=1e-15) and hessian[0, 0] == pytest.approx(hessian[1, 1])


def test_condition_numbers(scaling):
    unscaled, standard = scaling.unscaled, scaling.standardised
    assert round(unscaled.condition_start, -1) == 220 and round(unscaled.condition_minimum, 1) == 26.5
    assert standard.condition_start == pytest.approx(1.0, abs=1e-9) and round(standard.condition_minimum) == 9
    assert round(unscaled.condition_minimum / standard.condition_minimum) == 3


def test_best_rates_and_settling_steps(scaling):
    unscaled, standard = scaling.unscaled, scaling.standardised
    assert (unscaled.best_alpha, unscaled.best_steps) == (1.0, 137)
    assert (standard.best_alpha, standard.best_steps) == (32.0, 45)
    assert round(unscaled.best_steps / standard.best_steps) == 3


def test_both_overshoot_on_a_nearly_flat_start_then_the_ravine_floor(scaling):
    x, y = classifier.default_landscape_data()
    for coding in (scaling.unscaled, scaling.standardised):
        distance = np.linalg.norm(coding.walk.w - coding.landscape.minima[0], axis=1)
        assert distance[1] > distance[0]  # the first step overshoots
        at_origin = training.log_loss_hessian(coding.x, y, 0.0, 0.0)
        assert np.linalg.eigvalsh(coding.hessian_start).max() < 0.1 * np.linalg.eigvalsh(at_origin).max()
    moves = np.abs(np.diff(scaling.unscaled.walk.w, axis=0))
    assert np.all(moves[30:scaling.unscaled.best_steps, 1] > 5 * moves[30:scaling.unscaled.best_steps, 0])
