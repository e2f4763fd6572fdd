"""gdviz.classifier: training a linear model with the shared optimizers, and the loss landscape of
a 1-D two-class model over (w, b)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gdviz
from gdviz import classifier, linear, optimizers, theory
from gdviz.data import blobs
from gdviz.gradients import gradient_check

# --- training -------------------------------------------------------------------------------

def test_training_is_the_shared_optimizer_walk():
    X, y = blobs(60, 2, 1.0, seed=1)
    result = classifier.train(X, y, alpha=0.05, epochs=20, seed=2)
    objective = linear.LinearModelLoss(X, y, "log_loss", bias_trick=True)
    start = np.random.default_rng(2).uniform(0.0, 1.0, 3)
    direct = gdviz.run(optimizers.gradient_descent(objective, start, 0.05), max_steps=20)
    np.testing.assert_array_equal(result.trajectory.w, direct.w)
    np.testing.assert_array_equal(result.loss, direct.loss)
    assert result.epochs == 20 and result.stop_reason == "max_steps"
    np.testing.assert_allclose(np.append(result.W, result.b), direct.w[-1])


def test_post_vanilla_experiment_learns_the_blobs():
    result = classifier.post_experiment("vanilla", seed=0)
    assert result.X.shape == (250, 2) and result.epochs == 100
    assert result.W.shape == (2,) and np.isscalar(result.b)
    assert result.accuracy >= 0.95
    assert result.loss[-1] < 0.1 * result.loss[0]
    assert result.squared_error[-1] < result.squared_error[0]
    # The monitored squared error is what the post's script printed, divided by N.
    p = theory.sigmoid(result.X @ result.W + result.b)
    assert result.squared_error[-1] == pytest.approx(np.sum((p - result.y) ** 2) / 250)
    assert "squared_error is only monitored" in result.note


@pytest.mark.parametrize("seed", range(3))
def test_training_on_well_separated_blobs_reaches_95_percent(seed):
    X, y = blobs(200, [[-3.0, -3.0], [3.0, 3.0]], cluster_std=1.05, seed=seed)
    for optimizer, batch_size in (("gradient_descent", None), ("sgd", 32)):
        result = classifier.train(X, y, optimizer=optimizer, batch_size=batch_size, epochs=30, seed=seed)
        assert result.accuracy >= 0.95, (optimizer, result.accuracy)


@pytest.mark.parametrize("loss", ["log_loss", "squared_error", "cross_entropy"])
def test_with_a_small_alpha_the_full_batch_loss_never_increases(loss):
    X, y = blobs(250, 2, 1.05, seed=0)
    # Log loss is L-smooth with L <= largest eigenvalue of X^T X / (4n) (plus the bias column);
    # any alpha < 2 / L descends. Squared error of sigmoid is smoother still, so it holds there too.
    augmented = linear.add_bias_column(X)
    smoothness = np.linalg.eigvalsh(augmented.T @ augmented / len(X)).max() / 4
    result = classifier.train(X, y, loss=loss, alpha=1.0 / smoothness / 2, epochs=200)
    assert np.all(np.diff(result.trajectory.loss) <= 1e-12)


def test_sgd_is_reproducible_under_a_seed():
    X, y = blobs(400, 2, 2.5, seed=1)
    first = classifier.train(X, y, optimizer="sgd", batch_size=32, epochs=5, seed=9)
    again = classifier.train(X, y, optimizer="sgd", batch_size=32, epochs=5, seed=9)
    other = classifier.train(X, y, optimizer="sgd", batch_size=32, epochs=5, seed=10)
    np.testing.assert_array_equal(first.trajectory.w, again.trajectory.w)
    assert not np.array_equal(first.W, other.W)
    # 400 examples in batches of 32: 13 steps per epoch; loss is reported per epoch.
    assert len(first.trajectory) == 5 * 13 + 1 and len(first.loss) == 6
    assert first.trajectory.state["epoch"].tolist() == [e for e in range(5) for _ in range(13)] + [5]


def test_sgd_shuffles_differently_each_epoch_unless_told_not_to():
    X, y = blobs(64, 2, 2.5, seed=1, shuffle=False)  # sorted by class: the trap
    shuffled = classifier.train(X, y, optimizer="sgd", batch_size=64, epochs=3, seed=0)
    fixed = classifier.train(X, y, optimizer="sgd", batch_size=64, epochs=3, seed=0, shuffle=False)
    # One batch of all the data per epoch: order does not change the gradient, so both walks agree.
    np.testing.assert_allclose(shuffled.trajectory.w, fixed.trajectory.w, rtol=1e-12)
    shuffled = classifier.train(X, y, optimizer="sgd", batch_size=16, epochs=3, seed=0)
    fixed = classifier.train(X, y, optimizer="sgd", batch_size=16, epochs=3, seed=0, shuffle=False)
    assert not np.allclose(shuffled.trajectory.w, fixed.trajectory.w)
    # Without shuffling the same four batches repeat, so each epoch's walk has the same steps' shape.
    steps = np.diff(fixed.trajectory.w, axis=0)
    assert np.sign(steps[:4]).tolist() == np.sign(steps[4:8]).tolist()


def test_post_sgd_experiment():
    result = classifier.post_experiment("sgd", seed=0)
    assert result.X.shape == (400, 2)
    assert len(result.trajectory) == 100 * 13 + 1
    assert result.loss[-1] < result.loss[0] and result.accuracy >= 0.9


def test_progress_lines_read_like_a_script(capsys):
    X, y = blobs(40, 2, 1.0, seed=0)
    result = classifier.train(X, y, epochs=4, verbose=True)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(",")[0] for line in lines] == ["epoch 1", "epoch 2", "epoch 3", "epoch 4"]
    assert lines[0].startswith(f"epoch 1, log_loss {result.loss[1]:.6f}, squared error")
    classifier.train(X, y, epochs=4, verbose=2)
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_divergence_is_a_result():
    X, y = blobs(40, 2, 1.0, seed=0)
    result = classifier.train(X, y, loss="cross_entropy", alpha=1e6, epochs=50)
    assert result.stop_reason == "diverged" and np.all(np.isfinite(result.loss))


@pytest.mark.parametrize("kwargs, error, message", [
    ({"loss": "hinge"}, ValueError, "loss must be one of"),
    ({"optimizer": "newton"}, ValueError, "optimizer must be one of"),
    ({"batch_size": 8}, ValueError, "batch_size is for optimizer='sgd'"),
    ({"optimizer": "sgd", "batch_size": 0}, ValueError, "batch_size"),
    ({"optimizer": "sgd", "batch_size": 41}, ValueError, "batch_size must be at most"),
    ({"epochs": 0}, ValueError, "epochs"),
    ({"alpha": -1.0}, ValueError, "alpha"),
    ({"start": [1.0]}, ValueError, "start must be 3 finite numbers"),
    ({"y": np.arange(40) % 3}, ValueError, "labels outside the classes 0 .. 1"),
])
def test_train_bad_input_names_the_problem(kwargs, error, message):
    X, y = blobs(40, 2, 1.0, seed=0)
    arguments = {"X": X, "y": y, **kwargs}
    with pytest.raises(error, match=message):
        classifier.train(**arguments)


def test_post_experiment_bad_input():
    with pytest.raises(ValueError, match="variant must be one of"):
        classifier.post_experiment("adam")
    with pytest.raises(ValueError, match="shuffle=False only matters"):
        classifier.post_experiment("vanilla", shuffle=False)


# --- the loss landscape over (w, b) -----------------------------------------------------------

LANDSCAPE_LOSSES = ["cross_entropy", "svm", "squared_error"]


@pytest.fixture(scope="module", params=[(loss, l2) for loss in LANDSCAPE_LOSSES for l2 in (0.0, 0.2)],
                ids=lambda case: f"{case[0]}-l2={case[1]}")
def surface(request):
    loss, l2 = request.param
    return classifier.classifier_landscape(loss=loss, l2=l2)


def test_default_data_overlap_so_every_loss_has_a_minimum(surface):
    x, y = surface.data
    assert x.shape == (60,) and set(np.unique(y)) == {0, 1}
    assert x[y == 0].max() > x[y == 1].min()  # the classes overlap
    assert surface.minima.shape == (1, 2) and surface.data_size == 60
    (w_low, w_high), (b_low, b_high) = surface.domain
    for w, b in (*surface.minima, surface.start):
        assert w_low < w < w_high and b_low < b < b_high
    assert np.linalg.norm(surface.start - surface.minima[0]) > 1.0


def test_landscape_gradient_matches_finite_differences(surface):
    x, y = surface.data
    rng = np.random.default_rng(0)
    (w_low, w_high), (b_low, b_high) = surface.domain
    checked = 0
    while checked < 10:
        point = np.array([rng.uniform(w_low, w_high), rng.uniform(b_low, b_high)])
        if "svm" in surface.name and np.abs(1 - (2 * y - 1) * (point[0] * x + point[1])).min() < 1e-3:
            continue  # within reach of a kink, where no finite difference can agree: draw again
        assert gradient_check(surface, surface.grad, point).relative_error < 1e-6
        checked += 1


@settings(max_examples=25, deadline=None)
@given(points=hnp.arrays(float, st.tuples(st.integers(1, 4), st.integers(1, 3), st.just(2)),
                         elements=st.floats(-8, 8)))
def test_landscape_vectorised_agrees_with_pointwise(points):
    for loss in LANDSCAPE_LOSSES:
        surface = classifier.classifier_landscape(loss=loss, l2=0.1)
        values, grads = surface(points), surface.grad(points)
        assert values.shape == points.shape[:-1] and grads.shape == points.shape
        for index in np.ndindex(points.shape[:-1]):
            assert values[index] == pytest.approx(float(surface(points[index])), rel=1e-12, abs=1e-15)
            np.testing.assert_allclose(grads[index], surface.grad(points[index]), rtol=1e-12, atol=1e-15)
            assert values[index] == pytest.approx(surface.batch_loss(points[index], np.arange(60)), rel=1e-12)


def test_landscape_mesh_is_finite(surface):
    X, Y, Z = surface.mesh(80)
    assert Z.shape == (80, 80) and np.all(np.isfinite(Z))
    assert Z.min() >= float(surface(surface.minima[0])) - 1e-12  # nothing on the grid beats the minimum


def test_landscape_minimum_matches_a_long_gradient_descent_run(surface):
    minimum = surface.minima[0]
    if "svm" in surface.name:
        # Gradient descent rattles around a kink, so compare loss values: the exact minimum is
        # at or below every point of the walk, and the walk's best comes within a hair of it.
        trajectory = gdviz.run(optimizers.gradient_descent(surface, surface.start, 0.01), max_steps=20_000)
        assert float(surface(minimum)) <= trajectory.loss.min() + 1e-12
        assert trajectory.loss.min() - float(surface(minimum)) < 1e-3
        w_span = np.linspace(minimum[0] - 0.05, minimum[0] + 0.05, 201)
        b_span = np.linspace(minimum[1] - 0.05, minimum[1] + 0.05, 201)
        assert float(surface(minimum)) <= surface(np.stack(np.meshgrid(w_span, b_span), -1)).min() + 1e-12
    else:
        trajectory = gdviz.run(optimizers.gradient_descent(surface, surface.start, 0.5), max_steps=50_000,
                               grad_below=1e-10)
        np.testing.assert_allclose(trajectory.w[-1], minimum, atol=1e-6)
        assert np.linalg.norm(surface.grad(minimum)) < 1e-9


ALPHAS = {"gradient_descent": 0.3, "momentum": 0.05, "nesterov": 0.05, "adagrad": 0.5,
          "rmsprop": 0.02, "adam": 0.05, "sgd": 0.3, "line_search": 1.0}


@pytest.mark.parametrize("name", optimizers.names(hessian=False))  # these landscapes carry no Hessian
def test_every_optimizer_walks_the_classifier_landscape_unchanged(surface, name):
    steps = optimizers.get(name)(surface, surface.start, ALPHAS[name])
    trajectory = gdviz.run(steps, max_steps=300)
    assert trajectory.stop_reason == "max_steps"
    assert np.all(np.isfinite(trajectory.w)) and np.all(np.isfinite(trajectory.loss))
    start_gap = trajectory.loss[0] - float(surface(surface.minima[0]))
    assert trajectory.loss[-1] - float(surface(surface.minima[0])) < 0.5 * start_gap
    if name == "sgd":  # minibatches from the data, not imitation noise
        assert trajectory.note == ""
        epochs = trajectory.state["epoch"]
        assert epochs[0] == 0 and np.all(np.diff(epochs) >= 0) and epochs[-1] == 300 // 2


def test_sgd_on_the_landscape_reports_epochs_and_batch_losses():
    surface = classifier.classifier_landscape()
    trajectory = gdviz.run(optimizers.sgd(surface, surface.start, 0.3, batch_size=10, seed=1), max_steps=30)
    assert trajectory.state["epoch"].tolist() == [e for e in range(5) for _ in range(6)] + [5]
    again = gdviz.run(optimizers.sgd(surface, surface.start, 0.3, batch_size=10, seed=1), max_steps=30)
    np.testing.assert_array_equal(trajectory.w, again.w)
    assert not np.allclose(trajectory.state["batch_loss"], trajectory.loss)


def test_landscape_batches_average_to_the_full_gradient():
    surface = classifier.classifier_landscape(loss="squared_error", l2=0.1)
    point = np.array([0.7, -0.3])
    parts = np.arange(60).reshape(6, 10)
    mean = np.mean([surface.batch_grad(point, rows) for rows in parts], axis=0)
    np.testing.assert_allclose(mean, surface.grad(point), rtol=1e-12)


def test_hinge_minimum_by_hand_where_it_lies_between_the_kinks():
    # x = (-1, 1), y = (0, 1), l2 = 2. Where both hinges are active the loss is
    # 1/2 [(1 - w + b) + (1 - w - b)] + w² = 1 - w + w², flat in b, least at w = 1/2: 0.75,
    # for b in [-1/2, 1/2]. The kinks cross at (1, 0), where the loss is 1: worse.
    surface = classifier.classifier_landscape(([-1.0, 1.0], [0, 1]), "svm", l2=2.0)
    w, b = surface.minima[0]
    assert float(surface(surface.minima[0])) == pytest.approx(0.75, abs=1e-12)
    assert w == pytest.approx(0.5, abs=1e-12) and abs(b) <= 0.5 + 1e-12
    unregularised = classifier.classifier_landscape(([-1.0, 1.0], [0, 1]), "svm")
    assert float(unregularised(unregularised.minima[0])) == pytest.approx(0.0, abs=1e-12)


def test_separable_data_have_no_cross_entropy_minimum_without_l2():
    x = np.array([-2.0, -1.5, -1.0, 1.0, 1.5, 2.0])
    y = np.array([0, 0, 0, 1, 1, 1])
    for loss in ("cross_entropy", "squared_error"):
        surface = classifier.classifier_landscape((x, y), loss)
        assert surface.minima.shape == (0, 2) and "no finite minimum" in surface.formula
        trajectory = gdviz.run(optimizers.gradient_descent(surface, surface.start, 1.0), max_steps=500)
        assert np.all(np.diff(trajectory.w[100:, 0]) > 0)  # w keeps growing: there is no bottom
    regularised = classifier.classifier_landscape((x, y), "cross_entropy", l2=0.1)
    trajectory = gdviz.run(optimizers.gradient_descent(regularised, regularised.start, 0.5),
                           max_steps=20_000, grad_below=1e-10)
    np.testing.assert_allclose(trajectory.w[-1], regularised.minima[0], atol=1e-6)
    hinge = classifier.classifier_landscape((x, y), "svm")
    assert float(hinge(hinge.minima[0])) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("data, kwargs, error, message", [
    (([1.0, 2.0, 3.0], [0, 1]), {}, ValueError, "same length"),
    (([1.0, 2.0, 3.0], [0, 1, 2]), {}, ValueError, "labels outside the classes 0 .. 1"),
    (([1.0, np.nan, 3.0], [0, 1, 0]), {}, ValueError, "NaN"),
    (([], []), {}, ValueError, "empty"),
    (([1.0, 2.0, 3.0], [1, 1, 1]), {}, ValueError, "both classes"),
    (([1.0, 1.0, 1.0], [0, 1, 0]), {}, ValueError, "two distinct x"),
    ((np.ones((3, 2)), [0, 1, 0]), {}, ValueError, "one feature"),
    ("data", {}, TypeError, "data must be a pair"),
    (([1.0, 2.0], [0, 1]), {"loss": "log"}, ValueError, "loss must be one of"),
    (([1.0, 2.0], [0, 1]), {"l2": -1.0}, ValueError, "l2 must be a finite number >= 0"),
])
def test_landscape_bad_input_names_the_problem(data, kwargs, error, message):
    with pytest.raises(error, match=message):
        classifier.classifier_landscape(data, **kwargs)
