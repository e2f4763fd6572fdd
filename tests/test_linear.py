"""gdviz.linear: the linear model's scores and predictions, its losses and their gradients, and the
model loss over one parameter vector that the optimizers walk."""

import math

import numpy as np
import pytest

import gdviz
from gdviz import linear, optimizers
from gdviz.data import blobs
from gdviz.gradients import gradient_check

BINARY = ["log_loss", "binary_hinge", "squared_error"]


# --- scores, probabilities, accuracy ----------------------------------------------------------

def test_scores_and_the_bias_trick_agree():
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(5, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    plain = linear.scores(X, W, b)
    np.testing.assert_allclose(plain, X @ W + b)
    tricked = linear.scores(X, np.vstack([W, b]), bias_trick=True)
    np.testing.assert_allclose(tricked, plain, rtol=1e-14)
    np.testing.assert_allclose(linear.add_bias_column(X)[:, -1], 1.0)
    with pytest.raises(ValueError, match="b must be 0 with bias_trick"):
        linear.scores(X, np.vstack([W, b]), b=1.0, bias_trick=True)
    with pytest.raises(ValueError, match="W must have 3 rows"):
        linear.scores(X, W[:2])


def test_predict_and_accuracy_by_hand():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])
    assert linear.predict(X, np.array([1.0, -1.0]), b=0.5).tolist() == [1, 0, 1]
    assert linear.predict(X, np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]])).tolist() == [1, 0, 2]
    assert linear.accuracy([1, 0, 0, 1], [1, 0, 1, 1]) == 0.75
    with pytest.raises(ValueError, match="same shape|one shape"):
        linear.accuracy([1, 0], [1, 0, 1])


# --- losses: values by hand, gradients by finite differences ----------------------------------

def test_svm_loss_by_hand():
    # X = I, so the scores are the rows of W. Example 0, class 0: margins 2 - 1 + 1 = 2 and
    # -1 - 1 + 1 = -1 -> 2. Example 1, class 2: 0 - 3 + 1 < 0 twice -> 0. Mean 1.
    W = np.array([[1.0, 2.0, -1.0], [0.0, 0.0, 3.0]])
    value, grad_W, grad_b = linear.svm_loss(np.eye(2), [0, 2], W)
    assert value == pytest.approx(1.0)
    np.testing.assert_allclose(grad_W, [[-0.5, 0.5, 0.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(grad_b, [-0.5, 0.5, 0.0])


def test_cross_entropy_by_hand():
    # Scores (0, ln 3): softmax (1/4, 3/4). Class 1 costs -ln(3/4), class 0 costs ln 4.
    X = np.array([[1.0]])
    W = np.array([[0.0, math.log(3.0)]])
    assert linear.softmax_cross_entropy_loss(X, [1], W).value == pytest.approx(-math.log(0.75))
    assert linear.softmax_cross_entropy_loss(X, [0], W).value == pytest.approx(math.log(4.0))
    # Huge scores do not overflow: the softmax is taken after shifting by the row maximum.
    big = linear.softmax_cross_entropy_loss(X, [0], np.array([[1000.0, 1000.0 + math.log(3.0)]]))
    assert big.value == pytest.approx(math.log(4.0))


def test_binary_losses_by_hand():
    X, y, w, b = np.array([[2.0], [-1.0]]), [1, 1], np.array([0.5]), 0.0  # scores 1 and -0.5
    p = 1 / (1 + np.exp(-np.array([1.0, -0.5])))
    assert linear.log_loss(X, y, w, b).value == pytest.approx(-np.log(p).mean())
    assert linear.binary_hinge_loss(X, y, w, b).value == pytest.approx((0.0 + 1.5) / 2)
    assert linear.squared_error_loss(X, y, w, b).value == pytest.approx(np.mean((p - 1) ** 2))


def test_two_classes_are_the_special_case_of_the_multiclass_losses():
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(20, 3)), rng.integers(0, 2, 20)
    w, b = rng.normal(size=3), 0.3
    W2, b2 = np.column_stack([np.zeros(3), w]), np.array([0.0, b])
    assert linear.softmax_cross_entropy_loss(X, y, W2, b2).value == pytest.approx(
        linear.log_loss(X, y, w, b).value, rel=1e-12)
    assert linear.svm_loss(X, y, W2, b2).value == pytest.approx(
        linear.binary_hinge_loss(X, y, w, b).value, rel=1e-12)


@pytest.mark.parametrize("name", list(linear.LOSSES))
def test_l2_adds_half_l2_times_the_squared_weights(name):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(10, 3))
    y = rng.integers(0, 2 if name in BINARY else 4, 10)
    W = rng.normal(size=3 if name in BINARY else (3, 4))
    plain = linear.LOSSES[name](X, y, W, 0.2)
    penalised = linear.LOSSES[name](X, y, W, 0.2, l2=0.6)
    assert penalised.value == pytest.approx(plain.value + 0.3 * np.sum(W * W))
    np.testing.assert_allclose(penalised.grad_W, plain.grad_W + 0.6 * W)
    np.testing.assert_allclose(penalised.grad_b, plain.grad_b)


def random_problem(name, seed):
    rng = np.random.default_rng(seed)
    n, d, k = 9, 3, 4
    X = rng.normal(size=(n, d)) * 2
    if name in BINARY:
        return X, rng.integers(0, 2, n), rng.normal(size=d), float(rng.normal())
    return X, rng.integers(0, k, n), rng.normal(size=(d, k)), rng.normal(size=k)


def distance_to_kinks(name, X, y, W, b):
    """How far the scores are from a hinge kink (infinite for smooth losses)."""
    if name == "binary_hinge":
        return np.abs(1 - (2 * y - 1) * (X @ W + b)).min()
    if name == "svm":
        S = X @ W + b
        margins = S - S[np.arange(len(y)), y][:, None] + 1
        margins[np.arange(len(y)), y] = np.inf
        return np.abs(margins).min()
    return np.inf


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("l2", [0.0, 0.3])
@pytest.mark.parametrize("name", list(linear.LOSSES))
def test_every_loss_gradient_matches_finite_differences(name, l2, seed):
    X, y, W, b = random_problem(name, seed)
    # Away from the hinge's kinks the loss is smooth; a kink within reach of the
    # finite-difference probe would make the comparison meaningless.
    assert distance_to_kinks(name, X, y, W, b) > 1e-3
    loss = linear.LOSSES[name]
    analytic = loss(X, y, W, b, l2=l2)

    def of_parameters(theta):  # W and b as one vector, so the check covers both at once
        weights, bias = theta[:W.size].reshape(W.shape), theta[W.size:]
        return loss(X, y, weights, bias if np.ndim(b) else float(bias[0]), l2=l2).value

    theta = np.concatenate([W.ravel(), np.ravel(b)])
    both = np.concatenate([analytic.grad_W.ravel(), np.ravel(analytic.grad_b)])
    assert gradient_check(of_parameters, lambda _: both, theta).relative_error < 1e-6


@pytest.mark.parametrize("name, changes, message", [
    ("log_loss", {"y": [0, 1, 1]}, "same length"),
    ("log_loss", {"y": [0, 2, 1, 0]}, "labels outside the classes 0 .. 1: 2"),
    ("binary_hinge", {"y": [-1, 1, 1, -1]}, "labels outside the classes 0 .. 1: -1"),
    ("svm", {"y": [0, 3, 1, 0]}, "labels outside the classes 0 .. 2: 3"),
    ("log_loss", {"X": np.zeros((0, 2)), "y": []}, "X is empty"),
    ("cross_entropy", {"X": [[1.0, np.nan]] * 4}, "NaN"),
    ("log_loss", {"W": np.ones(3)}, "W must have 2 rows"),
    ("svm", {"W": np.ones((2, 1))}, "k >= 2 classes"),
    ("svm", {"b": np.ones(2)}, "b must be a finite number or 3 of them"),
    ("log_loss", {"b": np.ones(2)}, "b must be a finite number"),
    ("log_loss", {"l2": -0.1}, "l2 must be a finite number >= 0"),
    ("binary_hinge", {"delta": 0.0}, "delta must be a finite number > 0"),
    ("svm", {"W": np.full((2, 3), np.nan)}, "W must be finite"),
])
def test_losses_bad_input_names_the_problem(name, changes, message):
    arguments = {"X": np.ones((4, 2)), "y": [0, 1, 1, 0],
                 "W": np.ones(2) if name in BINARY else np.ones((2, 3)), "b": 0.0, **changes}
    with pytest.raises(ValueError, match=message):
        linear.LOSSES[name](**arguments)


# --- the model loss over one parameter vector, as the optimizers see it ------------------------

@pytest.mark.parametrize("bias_trick", [False, True])
@pytest.mark.parametrize("name", list(linear.LOSSES))
def test_model_loss_gradient_and_minibatches(name, bias_trick):
    X, y, W, b = random_problem(name, 5)
    objective = linear.LinearModelLoss(X, y, name, bias_trick=bias_trick, l2=0.1,
                                           n_classes=None if name in BINARY else 4)
    theta = objective.pack(W, b)
    W_back, b_back = objective.unpack(theta)
    np.testing.assert_array_equal(W_back, W)
    np.testing.assert_array_equal(b_back, b)
    assert objective.n_params == theta.size
    assert gradient_check(objective, objective.grad, theta).relative_error < 1e-6
    everyone = np.arange(len(y))
    assert objective.batch_loss(theta, everyone) == pytest.approx(objective(theta), rel=1e-14)
    # Equal batches that cover the data once: their mean gradient is the full gradient.
    halves = [everyone[:3], everyone[3:6], everyone[6:]]
    mean_batch = np.mean([objective.batch_grad(theta, rows) for rows in halves], axis=0)
    np.testing.assert_allclose(mean_batch, objective.grad(theta), rtol=1e-12, atol=1e-14)


def test_model_loss_uses_the_posts_gradient():
    # The post's update direction: X^T (sigmoid(X W) - y) / N, with the bias column in X.
    X, y = blobs(50, 2, 1.05, seed=3)
    objective = linear.LinearModelLoss(X, y, "log_loss", bias_trick=True)
    theta = np.array([0.2, -0.4, 0.7])
    augmented = np.column_stack([X, np.ones(len(X))])
    by_hand = augmented.T @ (1 / (1 + np.exp(-augmented @ theta)) - y) / len(y)
    np.testing.assert_allclose(objective.grad(theta), by_hand, rtol=1e-12)


def test_model_loss_refuses_bad_input():
    with pytest.raises(ValueError, match="loss must be one of"):
        linear.LinearModelLoss([[1.0]], [0], "hinge")
    objective = linear.LinearModelLoss([[1.0], [2.0]], [0, 1], "log_loss")
    with pytest.raises(ValueError, match=r"theta must have shape \(2,\)"):
        objective(np.zeros(3))
    with pytest.raises(ValueError, match="start must be 3 finite numbers"):  # two weights and b
        optimizers.gradient_descent(linear.LinearModelLoss([[1.0, 2.0]], [1], "log_loss"),
                                    np.zeros(2), 0.1)


@pytest.mark.parametrize("name", optimizers.names(hessian=False))  # the model carries no Hessian
def test_every_optimizer_trains_a_model_with_many_parameters(name):
    X, y = blobs(120, 3, 1.0, seed=4)  # three classes: W is 3 x 3, theta has 9 numbers
    objective = linear.LinearModelLoss(X, y, "cross_entropy", bias_trick=True)
    alpha = {"adagrad": 0.1, "rmsprop": 0.01, "adam": 0.01}.get(name, 0.01)
    trajectory = gdviz.run(optimizers.get(name)(objective, np.zeros(9), alpha), max_steps=60)
    assert trajectory.w.shape == (61, 9) and trajectory.grad.shape == (61, 9)
    assert trajectory.loss[-1] < 0.5 * trajectory.loss[0]


def test_numeric_gradient_option_counts_readings_per_parameter():
    X, y = blobs(40, 2, 1.0, seed=0)
    objective = linear.LinearModelLoss(X, y, "log_loss", bias_trick=True)
    numeric = gdviz.run(optimizers.gradient_descent(objective, [0.1, 0.2, 0.3], 0.01, gradient="numeric"),
                        max_steps=5)
    analytic = gdviz.run(optimizers.gradient_descent(objective, [0.1, 0.2, 0.3], 0.01), max_steps=5)
    np.testing.assert_allclose(numeric.w, analytic.w, rtol=1e-7)
    assert numeric.state["loss_readings"].tolist() == [7] * 6  # 1 + 2 per parameter


# --- the per-example two-class losses, shared with the (w, b) landscapes ----------------------

@pytest.mark.parametrize("kind", BINARY)
def test_per_example_derivatives_match_finite_differences(kind):
    # The first and second derivatives in the score feed the gradients and Newton's Hessian.
    s = np.linspace(-6, 6, 97) + 0.013  # clear of the hinge's kink at s = +-1
    h = 1e-5
    for label in (0.0, 1.0):
        value, first, second = linear.binary_loss_terms(kind, s, label, derivatives=2)
        ahead, behind = (linear.binary_loss_terms(kind, s + step, label, derivatives=2) for step in (h, -h))
        np.testing.assert_allclose(first, (ahead[0] - behind[0]) / (2 * h), atol=1e-9)
        np.testing.assert_allclose(second, (ahead[1] - behind[1]) / (2 * h), atol=1e-9)


def test_per_example_terms_come_in_the_number_asked_for():
    s, label = np.array([-2.0, 0.5, 3.0]), np.array([1.0, 0.0, 1.0])
    for kind in BINARY:
        (value,) = linear.binary_loss_terms(kind, s, label, derivatives=0)
        value_again, first = linear.binary_loss_terms(kind, s, label)
        np.testing.assert_array_equal(value, value_again)
        assert first.shape == s.shape
    # log(1 + e^s) - y s by hand at s = 0.5, y = 0: log(1 + e^0.5).
    (value,) = linear.binary_loss_terms("log_loss", 0.5, 0.0, derivatives=0)
    assert float(value) == pytest.approx(math.log1p(math.exp(0.5)), rel=1e-14)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"kind": "hinge"}, ValueError, "kind must be one of 'log_loss', 'binary_hinge', 'squared_error'"),
    ({"derivatives": 3}, ValueError, "derivatives must be 0, 1 or 2, got 3"),
    ({"derivatives": True}, ValueError, "derivatives must be 0, 1 or 2, got True"),
    ({"delta": 0.0}, ValueError, "delta must be a finite number > 0"),
])
def test_per_example_terms_bad_input_names_the_problem(kwargs, error, message):
    arguments = {"kind": "binary_hinge", "s": [0.5], "y": [1], **kwargs}
    with pytest.raises(error, match=message):
        linear.binary_loss_terms(**arguments)


@pytest.mark.parametrize("w, b", [((1.0, -0.5), 0.3), ((0.0, 2.0), -1.0), ((3.0, 0.0), 1.5),
                                  ((1.0, 1.0), 0.0)])
def test_decision_line_ends_lie_on_the_line_and_the_box(w, b):
    box = ((-4.0, 4.0), (-3.0, 3.0))
    xs, ys = linear.decision_line(w, b, box)
    assert len(xs) == 2
    for x1, x2 in zip(xs, ys, strict=True):
        assert w[0] * x1 + w[1] * x2 + b == pytest.approx(0.0, abs=1e-9)
        on_edge = min(abs(x1 - box[0][0]), abs(x1 - box[0][1]), abs(x2 - box[1][0]), abs(x2 - box[1][1]))
        assert on_edge == pytest.approx(0.0, abs=1e-9)


def test_no_line_without_weights_or_outside_the_box():
    assert linear.decision_line((0.0, 0.0), 1.0, ((-1, 1), (-1, 1))) == ([], [])
    assert linear.decision_line((1.0, 0.0), -5.0, ((-1, 1), (-1, 1))) == ([], [])  # x1 = 5
