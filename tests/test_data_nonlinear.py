"""gdviz.data's two sets that no line separates: two moons and two circles (for gdviz.network)."""

import numpy as np
import pytest

from gdviz import data, linear


@pytest.mark.parametrize("n_samples", [2, 7, 200])
def test_two_moons_lie_on_their_arcs_without_noise(n_samples):
    X, y = data.two_moons(n_samples, noise=0.0, seed=1)
    assert X.shape == (n_samples, 2) and y.shape == (n_samples,)
    assert np.bincount(y, minlength=2).tolist() == [n_samples - n_samples // 2, n_samples // 2]
    upper, lower = X[y == 0], X[y == 1]
    # class 0 on the upper half of the unit circle; class 1 on the lower half of the circle of radius 1
    # around (1, 0.5)
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-12)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_two_moons_noise_has_its_standard_deviation_and_the_seed_fixes_everything():
    clean, labels = data.two_moons(20_000, noise=0.0, seed=2)
    noisy, same_labels = data.two_moons(20_000, noise=0.2, seed=2)
    np.testing.assert_array_equal(labels, same_labels)  # the same shuffle
    assert np.std(noisy - clean) == pytest.approx(0.2, rel=0.02)
    first, again = data.two_moons(50, 0.1, 5), data.two_moons(50, 0.1, 5)
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], data.two_moons(50, 0.1, 6)[0])


def test_no_line_separates_the_moons():
    X, y = data.two_moons(400, noise=0.1, seed=0)
    X1 = linear.add_bias_column(X)
    # the best a line can do is well short of all right: fit the log loss by Newton's method and count
    w = np.zeros(3)
    for _ in range(30):
        p = 1 / (1 + np.exp(-X1 @ w))
        hessian = X1.T @ (X1 * (p * (1 - p))[:, None]) / len(y)
        w -= np.linalg.solve(hessian, X1.T @ (p - y) / len(y))
    assert np.mean((X1 @ w > 0) == y) < 0.92


@pytest.mark.parametrize("factor", [0.3, 0.5, 0.8])
def test_circles_lie_on_their_two_radii_without_noise(factor):
    X, y = data.circles(101, noise=0.0, factor=factor, seed=0)
    assert X.shape == (101, 2) and np.bincount(y).tolist() == [51, 50]
    np.testing.assert_allclose(np.hypot(*X[y == 0].T), 1.0, atol=1e-12)
    np.testing.assert_allclose(np.hypot(*X[y == 1].T), factor, atol=1e-12)
    noisy, _ = data.circles(101, noise=0.05, factor=factor, seed=0)
    assert 0 < np.abs(noisy - X).max() < 0.5


@pytest.mark.parametrize("call, name", [
    (lambda: data.two_moons(1), "n_samples"),
    (lambda: data.two_moons(10, noise=-0.1), "noise"),
    (lambda: data.two_moons(10, seed=-1), "seed"),
    (lambda: data.circles(10, factor=1.0), "factor"),
    (lambda: data.circles(10, factor=0.0), "factor"),
    (lambda: data.circles(10.5), "n_samples"),
])
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises((TypeError, ValueError), match=name):
        call()
