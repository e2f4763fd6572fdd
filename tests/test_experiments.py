"""The lessons' experiments: the numbers underneath each lesson, against closed forms and direct runs."""

import subprocess
import sys

import numpy as np
import pytest

from gdviz import classifier, data, experiments, landscapes, linear, optimizers, run


def test_forward_difference_error_on_the_bowl_matches_the_closed_form():
    # On w1² + w2², (L(w + h e_i) - L(w)) / h = 2 w_i + h exactly, so the error
    # vector is (h, h) and the relative error h √2 / |2w|; centred is exact.
    w = np.array([-2.0, 1.5])
    h_values = np.array([1e-1, 1e-2, 1e-3])
    errors = experiments.probe_errors("bowl", w, h_values).errors
    expected = h_values * np.sqrt(2) / np.linalg.norm(2 * w)
    assert np.allclose(errors["forward"], expected, rtol=1e-6)
    assert np.all(errors["centred"] < 1e-12)


def test_truncation_error_shrinks_like_h_forward_and_h_squared_centred():
    h_values = np.array([1e-2, 1e-3])
    errors = experiments.probe_errors("rosenbrock", (-1.5, 2.0), h_values).errors
    slopes = {method: np.log10(error[0] / error[1]) for method, error in errors.items()}
    assert slopes["forward"] == pytest.approx(1.0, abs=0.15)
    assert slopes["centred"] == pytest.approx(2.0, abs=0.15)


def test_round_off_makes_a_tiny_h_worse_than_a_moderate_one():
    for error in experiments.probe_errors("rosenbrock").errors.values():
        assert error[0] > 100 * error.min()  # h = 1e-13 against the best h


def test_probe_errors_refuse_a_flat_point_and_bad_h():
    with pytest.raises(ValueError, match="stationary"):
        experiments.probe_errors("bowl", (0.0, 0.0))
    with pytest.raises(ValueError, match="h_values"):
        experiments.probe_errors("bowl", None, [1e-3, -1.0])


def test_regimes_come_from_the_curvatures():
    assert experiments.alpha_regimes("bowl") == pytest.approx(
        {"too small": 0.025, "1/L": 0.5, "oscillating": 0.8, "diverging": 1.25})
    ravine = experiments.alpha_regimes("ravine")  # curvatures 0.5 and 10
    assert ravine["1/L"] == pytest.approx(0.1)
    with pytest.raises(ValueError, match="quadratic"):
        experiments.alpha_regimes("rosenbrock")


def test_sweep_diverges_beyond_two_over_l_and_settles_below():
    land = landscapes.get("ravine")
    high = land.max_curvature
    alphas = np.array([0.2, 0.5, 0.9, 1.5, 1.9, 2.5, 3.0]) / high
    sweep = experiments.alpha_sweep(land, alphas, max_steps=60)
    # Well beyond 2/L the error grows by |1 - alpha L| >= 1.5 a step: off the map in 60 steps.
    assert sweep.diverged.tolist() == [False] * 5 + [True] * 2
    assert np.all(sweep.final_loss[:5] < land(land.start))
    # Below 1/L a larger step is a faster descent.
    assert sweep.final_loss[0] > sweep.final_loss[1] > sweep.final_loss[2]


def test_sweep_refuses_bad_alphas():
    with pytest.raises(ValueError, match="alphas"):
        experiments.alpha_sweep("bowl", [0.1, 0.0])


@pytest.mark.parametrize("method", ["global", "local"])


def test_random_search_keeps_the_best_and_is_seeded(method):
    land = landscapes.get("himmelblau")
    best_w, curve = experiments.random_search(land, 150, seed=3, method=method)
    assert len(curve) == 150 and np.all(np.diff(curve) <= 0)
    assert land(best_w) == pytest.approx(curve[-1])
    assert np.array_equal(curve, experiments.random_search(land, 150, seed=3, method=method)[1])


def test_search_works_on_a_classifier_with_many_parameters():
    X, y = data.blobs(60, centers=3, cluster_std=2.0, seed=2)
    objective = linear.LinearModelLoss(X, y, "cross_entropy", n_classes=3)  # 9 parameters
    best_w, curve = experiments.random_search(objective, 40, seed=1, method="local", scale=0.5)
    assert best_w.shape == (9,) and objective(best_w) == pytest.approx(curve[-1])
    assert curve[0] == pytest.approx(np.log(3))  # the local search starts at W = 0: uniform scores
    curves = experiments.search_vs_gradient(objective, budget=60)
    assert set(curves) == {"random search", "random local search", "gradient descent"}
    assert curves["gradient descent"][-1] < curves["gradient descent"][0]


def test_random_search_refuses_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        experiments.random_search("bowl", method="lucky")
    with pytest.raises(TypeError, match="budget"):
        experiments.random_search("bowl", budget=2.5)


def test_scoring_summary_matches_hand_computed_losses():
    # Two points on a line, w = (1, 0), b = 0: scores s = (2, -1), labels (1, 1).
    X, y = np.array([[2.0, 0.0], [-1.0, 0.0]]), np.array([1, 1])
    summary = experiments.scoring_summary(X, y, (1.0, 0.0), 0.0)
    assert summary["svm"] == pytest.approx((0.0 + 2.0) / 2)  # max(0, 1 - s) per point
    assert summary["cross_entropy"] == pytest.approx((np.log1p(np.exp(-2)) + np.log1p(np.exp(1))) / 2)
    assert summary["accuracy"] == 0.5


@pytest.fixture(scope="module")
def sorted_landscape():
    return classifier.sorted_landscape()


def test_sgd_runs_spend_the_same_epochs(sorted_landscape):
    runs = experiments.sgd_runs(sorted_landscape, 0.5, batch_sizes=(4, 16), epochs=3)
    assert list(runs) == ["full batch", "batch 4", "batch 16"]
    assert [per_epoch for _, per_epoch in runs.values()] == [1, 15, 4]  # ceil(60 / batch)
    assert [walk.n_updates for walk, _ in runs.values()] == [3, 45, 12]
    full, _ = runs["full batch"]
    direct = run(optimizers.gradient_descent(sorted_landscape, sorted_landscape.start, 0.5), max_steps=3)
    assert np.array_equal(full.w, direct.w)


def test_sgd_needs_data():
    with pytest.raises(ValueError, match="has_data"):
        experiments.sgd_runs("bowl", 0.1)


def test_runs_join_like_dicts_only_on_one_landscape(sorted_landscape):
    shuffled = experiments.sgd_runs(sorted_landscape, 0.5, batch_sizes=(16,), epochs=1)
    fixed = experiments.sgd_runs(sorted_landscape, 0.5, batch_sizes=(16,), epochs=1, shuffle=False)
    joined = shuffled | fixed
    assert list(joined) == ["full batch", "batch 16", "batch 16, unshuffled"]
    assert joined.landscape is sorted_landscape
    assert joined.settings["batch 16, unshuffled"]["shuffle"] is False
    with pytest.raises(ValueError, match="same landscape"):
        shuffled | experiments.sgd_runs(classifier.sorted_landscape(), 0.5, epochs=1)


RAVINE_RESULTS = {
    "regime_walks": lambda land: experiments.regime_walks(land, max_steps=3),
    "alpha_sweep": lambda land: experiments.alpha_sweep(land, [0.1], max_steps=3),
    "probe_errors": lambda land: experiments.probe_errors(land, h_values=[1e-3]),
    "probing": lambda land: experiments.probing(land),
    "gradient_field": lambda land: experiments.gradient_field(land, n=3),
    "slices": lambda land: experiments.slices(land, n=5),
    "step_changes": lambda land: experiments.step_changes(land),
    "search_vs_gradient": lambda land: experiments.search_vs_gradient(land, budget=20, alpha=0.1),
    "momentum_walk": lambda land: experiments.momentum_walk(land, max_steps=3),
    "decoupling": lambda land: experiments.decoupling(land, max_steps=3),
    "race": lambda land: experiments.race(land, ["gradient_descent"], max_steps=3, alpha=0.1),
}
DATA_RESULTS = {
    "sgd_runs": lambda land: experiments.sgd_runs(land, 0.5, epochs=1),
    "schedule_runs": lambda land: experiments.schedule_runs(land, {"a": 0.5}, epochs=1),
    "epoch_gradients": lambda land: experiments.epoch_gradients(land, land.start, 16),
    "schedule_comparison": lambda land: experiments.schedule_comparison(land, batch_size=12, epochs=2,
                                                                        last_epochs=1),
}


@pytest.mark.parametrize("name", list(RAVINE_RESULTS) + list(DATA_RESULTS))
def test_each_result_carries_the_landscape_it_was_made_on(name, sorted_landscape):
    # So that a figure needs the result alone, and never the landscape a second time.
    land = sorted_landscape if name in DATA_RESULTS else landscapes.get("ravine")
    result = {**RAVINE_RESULTS, **DATA_RESULTS}[name](land)
    assert result.landscape is land


def test_the_experiments_need_numpy_only():
    code = ("import sys, gdviz.experiments, gdviz.theory; "
            "print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
