"""Every landscape in one table: gradients against finite differences, minima, vectorisation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdviz import landscapes
from gdviz.gradients import gradient_check

LANDSCAPES = [landscapes.get(name) for name in landscapes.names()] + [
    landscapes.quadratic((0.3, 4.0), angle=-50, centre=(1.0, -0.5), name="tilted quadratic"),
]
IDS = [landscape.name for landscape in LANDSCAPES]
unit = st.floats(0.0, 1.0)


def point_in(landscape, u, v):
    (xmin, xmax), (ymin, ymax) = landscape.domain
    return np.array([xmin + u * (xmax - xmin), ymin + v * (ymax - ymin)])


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(u=unit, v=unit)
def test_gradient_matches_centred_differences(landscape, u, v):
    w = point_in(landscape, u, v)
    # Relative error means little where the slope itself is nearly flat.
    if np.linalg.norm(landscape.grad(w)) > 1e-2:
        assert gradient_check(landscape, landscape.grad, w).relative_error < 1e-6


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(u=unit, v=unit)
def test_hessian_matches_centred_differences_of_the_gradient(landscape, u, v):
    w = point_in(landscape, u, v)
    h = 1e-5
    columns = [(landscape.grad(w + h * step) - landscape.grad(w - h * step)) / (2 * h) for step in np.eye(2)]
    numeric = np.column_stack(columns)
    hessian = landscape.hessian_at(w)
    assert landscape.has_hessian and hessian.shape == (2, 2) and np.array_equal(hessian, hessian.T)
    assert np.allclose(hessian, numeric, rtol=1e-5, atol=1e-4 * max(1.0, np.abs(numeric).max()))
    # Many points at once give each point the Hessian it has alone.
    many = landscape.hessian_at(np.stack([w, w + 0.1, w - 0.2]))
    assert many.shape == (3, 2, 2) and np.array_equal(many[0], hessian)


def test_a_landscape_without_second_derivatives_says_so():
    flat = landscapes.Landscape("flat", "0", lambda x, y: 0 * x, lambda x, y: (0 * x, 0 * y),
                                ((-1, 1), (-1, 1)))
    assert not flat.has_hessian
    with pytest.raises(ValueError, match="'flat' has no Hessian"):
        flat.hessian_at((0.0, 0.0))
    assert flat.replace(hess=lambda x, y: (1.0, 0.0, 1.0)).hessian_at((0.5, 0.5)).tolist() == [[1, 0], [0, 1]]


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
def test_gradient_vanishes_at_every_listed_minimum(landscape):
    for minimum in landscape.minima:
        assert np.linalg.norm(landscape.grad(minimum)) < 1e-9
        # ... and it is a minimum, not a saddle: every nearby point is higher.
        for angle in np.linspace(0, 2 * np.pi, 16, endpoint=False):
            nearby = minimum + 1e-3 * np.array([np.cos(angle), np.sin(angle)])
            assert landscape(nearby) > landscape(minimum)


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
def test_vectorised_and_pointwise_calls_agree(landscape):
    X, Y, Z = landscape.mesh(7)
    stacked = np.stack([X, Y], axis=-1)
    assert Z.shape == (7, 7)
    np.testing.assert_allclose(landscape(stacked), Z)
    grads = landscape.grad(stacked)
    assert grads.shape == (7, 7, 2)
    for i in range(7):
        for j in range(7):
            point = stacked[i, j]
            assert landscape(point) == pytest.approx(Z[i, j])
            np.testing.assert_allclose(landscape.grad(point), grads[i, j])


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
@settings(max_examples=60, deadline=None)
@given(u=unit, v=unit)
def test_a_point_has_the_loss_and_gradient_it_has_among_many_to_the_last_bit(landscape, u, v):
    # What lets gdviz.run_batch walk many starts exactly as gdviz.run walks each.
    w = point_in(landscape, u, v)
    many = np.stack([w[::-1], w, 3 * w])
    assert float(landscape(w)) == landscape(many)[1]
    assert np.array_equal(landscape.grad(w), landscape.grad(many)[1])


@pytest.mark.parametrize("landscape", LANDSCAPES, ids=IDS)
def test_domain_start_and_mesh_fit_together(landscape):
    (xmin, xmax), (ymin, ymax) = landscape.domain
    assert xmin < xmax and ymin < ymax
    assert xmin <= landscape.start[0] <= xmax and ymin <= landscape.start[1] <= ymax
    for x, y in landscape.minima:
        assert xmin <= x <= xmax and ymin <= y <= ymax
    X, Y, _ = landscape.mesh(5)
    assert (X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]) == (xmin, xmax, ymin, ymax)
    assert landscape.formula and landscape.name in repr(landscape)


def test_catalogue_has_the_promised_landscapes():
    assert {"bowl", "ravine", "rosenbrock", "himmelblau", "saddle", "rastrigin"} <= set(landscapes.names())
    assert len(landscapes.get("himmelblau").minima) == 4
    assert len(landscapes.get("saddle").minima) == 0
    np.testing.assert_allclose(landscapes.get("rosenbrock").minima, [[1.0, 1.0]])


def test_named_formulas_match_their_closed_forms():
    bowl, saddle = landscapes.get("bowl"), landscapes.get("saddle")
    assert bowl([3.0, -4.0]) == pytest.approx(25.0)
    assert saddle([3.0, -4.0]) == pytest.approx(9.0 - 16.0)
    assert landscapes.get("rosenbrock")([0.0, 0.0]) == pytest.approx(1.0)
    assert landscapes.get("himmelblau")([0.0, 0.0]) == pytest.approx(121 + 49)
    assert landscapes.get("rastrigin")([0.5, 0.0]) == pytest.approx(20 + 0.25 + 10 - 10)


def test_rastrigin_has_many_local_minima():
    # Gradient descent with a small step from near each integer grid point
    # settles close to that point: each is a local minimum of its own.
    rastrigin = landscapes.get("rastrigin")
    for cell in [(1, 0), (2, -1), (-3, 2)]:
        w = np.array(cell, dtype=float) + 0.1
        for _ in range(500):
            w = w - 0.001 * rastrigin.grad(w)
        np.testing.assert_allclose(w, cell, atol=0.06)
        assert rastrigin(w) > rastrigin([0.0, 0.0]) + 0.5


def test_quadratic_curvature_is_the_largest_hessian_eigenvalue():
    ravine = landscapes.quadratic((0.5, 10.0), angle=30)
    assert ravine.max_curvature == pytest.approx(10.0)
    np.testing.assert_allclose(np.linalg.eigvalsh(ravine.hessian), [0.5, 10.0])
    assert landscapes.get("bowl").max_curvature == pytest.approx(2.0)
    assert landscapes.get("rosenbrock").max_curvature is None
    # The Hessian is the gradient's Jacobian: check one column by differences.
    w, h = np.array([0.3, -0.7]), 1e-6
    column = (ravine.grad(w + [h, 0]) - ravine.grad(w - [h, 0])) / (2 * h)
    np.testing.assert_allclose(column, ravine.hessian[:, 0], rtol=1e-6)


def test_unknown_name_lists_the_valid_ones():
    with pytest.raises(ValueError, match="landscape must be one of 'bowl'.*'rastrigin'.*got 'bowel'"):
        landscapes.get("bowel")


@pytest.mark.parametrize("curvatures, error", [((0.0, 1.0), ValueError), ((1.0, float("nan")), ValueError),
                                               ((1.0, "x"), TypeError)])
def test_quadratic_rejects_bad_curvatures(curvatures, error):
    with pytest.raises(error, match="curvatures"):
        landscapes.quadratic(curvatures)


def test_mesh_rejects_a_silly_size():
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        landscapes.get("bowl").mesh(1)


def test_a_landscape_cannot_be_changed_only_replaced_by_a_changed_copy():
    bowl = landscapes.get("bowl")
    with pytest.raises(AttributeError, match=r"replace\(domain=...\)"):
        bowl.domain = ((0.0, 1.0), (0.0, 1.0))
    with pytest.raises(ValueError, match="read-only"):
        bowl.start[0] = 5.0
    zoomed = bowl.replace(domain=((0, 1), (0, 1)), start=(0.5, 0.5))
    assert zoomed.domain == ((0.0, 1.0), (0.0, 1.0)) and bowl.domain == ((-3.0, 3.0), (-3.0, 3.0))
    assert zoomed.start.tolist() == [0.5, 0.5] and bowl.start.tolist() == [-2.0, 1.5]
    assert float(zoomed((1.0, 1.0))) == 2.0 and zoomed.max_curvature == bowl.max_curvature
    with pytest.raises(TypeError, match="unknown"):
        bowl.replace(colour="red")
    start = np.array([1.0, 2.0])
    landscapes.quadratic(start=start)
    start[0] = 3.0  # the caller's own array stays writeable: the landscape keeps a copy
