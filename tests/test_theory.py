"""The course's theory, each piece checked against something independent of its formula."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gdviz import data, landscapes, optimizers, run, theory


@given(low=st.floats(0.1, 5.0), ratio=st.floats(1.0, 30.0), share=st.floats(0.02, 0.98))
def test_each_regime_is_what_descent_does(low, ratio, share):
    # A quadratic with curvatures low and high; alpha anywhere in (0, 3/L).
    high = low * ratio
    alpha = share * 3.0 / high
    land = landscapes.quadratic((low, high))
    regime = theory.learning_rate_regime(high, alpha)
    walk = run(optimizers.gradient_descent(land, land.start, alpha), max_steps=40, escape_radius=1e12)
    one, two = theory.rate_limits(high)
    if regime == "smooth":
        assert alpha <= one and np.all(np.diff(walk.loss) <= 1e-12)
    elif regime == "oscillating":
        assert one < alpha < two
        # Along the steep axis the offset changes sign every step.
        steep = walk.w[:, 1]
        assert np.all(np.sign(steep[1:12]) == -np.sign(steep[:11]))
    elif regime == "diverging":
        assert alpha > two and walk.loss[-1] > walk.loss[0]


def test_the_edges_are_one_and_two_over_l():
    assert theory.rate_limits(4.0) == (0.25, 0.5)
    assert theory.learning_rate_regime(4.0, 0.25) == "smooth"
    assert theory.learning_rate_regime(4.0, 0.5) == "bouncing"
    assert theory.learning_rate_regime(4.0, 0.5 + 1e-9) == "diverging"
    assert theory.shrink_factor(4.0, 0.4) == pytest.approx(0.6)
    assert theory.regime_rates(2.0) == pytest.approx(
        {"too small": 0.025, "1/L": 0.5, "oscillating": 0.8, "diverging": 1.25})
    with pytest.raises(ValueError, match="max_curvature"):
        theory.rate_limits(0.0)
    with pytest.raises(ValueError, match="quadratic"):
        theory.quadratic_curvature(landscapes.get("rosenbrock"))


def test_curvature_estimate_is_exact_on_a_quadratic_and_matches_rosenbrocks_hessian():
    assert theory.estimate_max_curvature(landscapes.get("ravine")) == pytest.approx(10.0)
    # Rosenbrock's Hessian in closed form: [[2 - 400 (y - 3x²), -400x], [-400x, 200]];
    # over the domain the largest |eigenvalue| sits at a corner of the 9 x 9 grid.
    land = landscapes.get("rosenbrock")
    X, Y, _ = land.mesh(9)
    largest = max(np.max(np.abs(np.linalg.eigvalsh([[2 - 400 * (y - 3 * x * x), -400 * x], [-400 * x, 200]])))
                  for x, y in zip(X.ravel(), Y.ravel(), strict=True))
    assert theory.estimate_max_curvature(land) == pytest.approx(largest, rel=1e-5)


def test_sigmoid_is_stable_and_right():
    z = np.linspace(-30, 30, 121)
    np.testing.assert_allclose(theory.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14)
    np.testing.assert_allclose(theory.sigmoid(-z), 1 - theory.sigmoid(z), atol=2e-16)  # 1 - p rounds
    with np.errstate(over="raise", invalid="raise"):  # no overflow on the way to 0 and 1
        extremes = theory.sigmoid([-1e4, -800.0, 0.0, 800.0, 1e4])
    assert extremes.tolist() == [0.0, 0.0, 0.5, 1.0, 1.0]


@pytest.mark.parametrize("n, batch", [(60, 8), (64, 8), (5, 5), (250, 32)])
def test_batches_per_epoch_counts_what_minibatches_yields(n, batch):
    X, y = np.zeros((n, 2)), np.zeros(n, dtype=int)
    batches = list(data.minibatches(X, y, batch_size=batch))
    assert theory.batches_per_epoch(n, batch) == len(batches)
    with pytest.raises(ValueError, match="batch_size"):
        theory.batches_per_epoch(n, 0)
