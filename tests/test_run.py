"""Stop conditions: every reason reachable, arrays always finite, bad budgets refused."""

import numpy as np
import pytest

import gdviz
from gdviz import STOP_REASONS, optimizers


def descend(alpha=0.1, start=(-2.0, 1.5), landscape="bowl"):
    return optimizers.gradient_descent(landscape, start, alpha)


def assert_finite(trajectory):
    for array in (trajectory.w, trajectory.loss, trajectory.grad, *trajectory.state.values()):
        assert np.all(np.isfinite(array))


@pytest.mark.parametrize("k", [0, 1, 7, 100])
def test_max_steps_k_means_k_updates_and_k_plus_one_points(k):
    trajectory = gdviz.run(descend(), max_steps=k)
    assert trajectory.stop_reason == "max_steps"
    assert len(trajectory) == k + 1 == trajectory.n_updates + 1
    assert trajectory.w.shape == (k + 1, 2) and trajectory.grad.shape == (k + 1, 2)
    assert trajectory.loss.shape == (k + 1,) and trajectory.t.tolist() == list(range(k + 1))


def test_loss_below_stops_at_the_first_low_enough_point():
    trajectory = gdviz.run(descend(), max_steps=500, loss_below=1e-3)
    assert trajectory.stop_reason == "loss_below"
    assert trajectory.loss[-1] <= 1e-3 < trajectory.loss[:-1].min()


def test_grad_below_stops_where_the_slope_is_flat():
    trajectory = gdviz.run(descend(), max_steps=500, grad_below=1e-2)
    norms = np.linalg.norm(trajectory.grad, axis=1)
    assert trajectory.stop_reason == "grad_below"
    assert norms[-1] <= 1e-2 < norms[:-1].min()


def test_no_improvement_after_patience_steps():
    # alpha = 1 on x² + y² jumps between w and -w: the loss never improves.
    trajectory = gdviz.run(descend(alpha=1.0), max_steps=100, patience=5)
    assert trajectory.stop_reason == "no_improvement"
    assert len(trajectory) == 6
    np.testing.assert_allclose(trajectory.loss, trajectory.loss[0])


def test_min_delta_counts_tiny_gains_as_no_improvement():
    trajectory = gdviz.run(descend(alpha=0.01), max_steps=5000, patience=3, min_delta=1e-3)
    assert trajectory.stop_reason == "no_improvement"
    gains = -np.diff(trajectory.loss)
    assert np.all(gains[-3:] <= 1e-3) and gains[0] > 1e-3


def test_overflow_ends_in_diverged_with_finite_arrays():
    with np.errstate(all="raise"):  # run must not let numpy's overflow escape
        trajectory = gdviz.run(descend(alpha=1e150), max_steps=100, escape_radius=1e300)
    assert trajectory.stop_reason == "diverged"
    assert 1 <= len(trajectory) < 100
    assert_finite(trajectory)


def test_escaping_chad_ends_in_diverged_and_is_seen_leaving():
    trajectory = gdviz.run(descend(alpha=1.5), max_steps=100)
    assert trajectory.stop_reason == "diverged"
    assert np.linalg.norm(trajectory.w[-1]) > 1e3 >= np.linalg.norm(trajectory.w[-2])
    saddle = gdviz.landscapes.get("saddle")
    trajectory = gdviz.run(descend(alpha=0.1, start=saddle.start, landscape=saddle), max_steps=500)
    assert trajectory.stop_reason == "diverged"
    assert_finite(trajectory)


def test_divergence_with_optimizer_state_keeps_state_finite():
    trajectory = gdviz.run(optimizers.momentum("bowl", (1.0, 1.0), 1e200), max_steps=50, escape_radius=1e308)
    assert trajectory.stop_reason == "diverged"
    assert_finite(trajectory)


def test_every_stop_reason_is_reachable():
    seen = {
        gdviz.run(descend(), max_steps=3).stop_reason,
        gdviz.run(descend(), loss_below=0.1).stop_reason,
        gdviz.run(descend(), grad_below=0.1).stop_reason,
        gdviz.run(descend(alpha=1.0), patience=2).stop_reason,
        gdviz.run(descend(alpha=3.0)).stop_reason,
    }
    assert seen == set(STOP_REASONS)


def test_state_is_stacked_per_point():
    trajectory = gdviz.run(optimizers.adam("ravine", (1.0, 1.0), 0.1), max_steps=9)
    assert set(trajectory.state) == {"mean", "square_avg"}
    assert trajectory.state["mean"].shape == (10, 2)


def test_a_start_that_is_already_broken_is_an_error():
    surface = gdviz.Landscape("hole", "log(x)", lambda x, y: np.log(x) + 0 * y,
                              lambda x, y: (1 / x, 0 * y), ((-1, 1), (-1, 1)))
    with np.errstate(all="ignore"), pytest.raises(ValueError, match="first step is already not finite"):
        gdviz.run(optimizers.gradient_descent(surface, (-1.0, 0.0), 0.1))


@pytest.mark.parametrize("kwargs, error, words", [
    ({"max_steps": -1}, ValueError, "max_steps must be an integer >= 0, got -1"),
    ({"max_steps": 2.5}, TypeError, "max_steps must be an integer >= 0, got 2.5"),
    ({"max_steps": True}, TypeError, "max_steps must be an integer"),
    ({"patience": 0}, ValueError, "patience must be an integer >= 1"),
    ({"min_delta": -1.0}, ValueError, "min_delta must be a finite number >= 0"),
    ({"grad_below": float("nan")}, ValueError, "grad_below must be finite"),
    ({"loss_below": "low"}, TypeError, "loss_below must be a real number"),
    ({"escape_radius": 0}, ValueError, "escape_radius must be a finite number > 0"),
])
def test_bad_stop_settings_are_named(kwargs, error, words):
    with pytest.raises(error, match=words):
        gdviz.run(descend(), **kwargs)


def test_numpy_integers_are_fine_budgets():
    assert len(gdviz.run(descend(), max_steps=np.int64(4))) == 5
