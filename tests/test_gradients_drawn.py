"""The gradient drawn (03): -grad on a grid, the arrows on the map, and the steps that back Taylor's argument.

Perpendicularity is checked from loss readings alone: along the level set
through a point the loss does not change to first order, so its centred slope
along the arrow's normal must vanish, while along the arrow it is -|grad|.
"""

import math

import numpy as np
import pytest

from gdviz import experiments, figures, landscapes, theory
from gdviz.figures import style
from gdviz.gradients import numeric_gradient

SMOOTH = ["bowl", "ravine", "rosenbrock", "himmelblau", "saddle", "rastrigin"]


def slope_along(landscape, point, direction, h=1e-6):
    """d/dt L(point + t u) at t = 0 for a unit u, by centred differences of loss readings."""
    return (float(landscape(point + h * direction)) - float(landscape(point - h * direction))) / (2 * h)


@pytest.mark.parametrize("name", SMOOTH)
def test_each_arrow_is_minus_the_gradient_and_perpendicular_to_its_level_set(name):
    landscape = landscapes.get(name)
    field = experiments.gradient_field(name, n=7)
    assert len(field.points) > 0 and np.allclose(np.linalg.norm(field.downhill, axis=1), 1.0)
    for point, downhill, grad in zip(field.points, field.downhill, field.grad, strict=True):
        probed = numeric_gradient(landscape, point)
        assert downhill == pytest.approx(-probed / np.linalg.norm(probed), abs=1e-6)
        steepness = np.linalg.norm(grad)
        along_contour = np.array([-downhill[1], downhill[0]])
        assert abs(slope_along(landscape, point, along_contour)) < 1e-6 * max(steepness, 1.0)
        assert slope_along(landscape, point, downhill) == pytest.approx(-steepness, rel=1e-5)


def test_the_field_leaves_out_stationary_points_and_measures_its_miss_angle():
    bowl = experiments.gradient_field("bowl", n=3)  # the centre (0, 0) is the minimum: no arrow there
    assert len(bowl.points) == 8 and not np.any(np.all(bowl.points == 0.0, axis=1))
    ravine = experiments.gradient_field("ravine", n=5)
    towards = -ravine.points / np.linalg.norm(ravine.points, axis=1, keepdims=True)  # the minimum is (0, 0)
    by_hand = np.degrees(np.arccos(np.clip(np.sum(towards * ravine.downhill, axis=1), -1, 1)))
    assert ravine.miss_angle == pytest.approx(by_hand)
    assert np.all(np.isnan(experiments.gradient_field("saddle", n=4).miss_angle))  # no minimum to aim at
    assert ravine.spacing == pytest.approx((6 / 5, 6 / 5))


def test_the_worst_miss_on_a_quadratic_matches_the_theory():
    # On a quadratic with condition number k, cos(angle between -grad and the way to the minimum)
    # is at least 2 sqrt(k) / (k + 1); a fine grid comes close to that bound.
    field = experiments.gradient_field("ravine", n=61)
    bound = math.degrees(math.acos(2 * math.sqrt(20) / 21))
    assert bound - 1.0 < field.miss_angle.max() <= bound + 1e-9


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n must be an integer >= 2"):
        experiments.gradient_field("ravine", n=1)
    with pytest.raises(ValueError, match="stationary point"):
        experiments.step_changes("bowl", w=(0.0, 0.0))
    with pytest.raises(ValueError, match="length must be a finite number > 0"):
        experiments.step_changes("bowl", length=0.0)


@pytest.mark.parametrize("name", ["bowl", "ravine", "himmelblau"])
def test_no_direction_lowers_the_loss_faster_than_minus_grad(name):
    changes = experiments.step_changes(name, length=1e-3, directions=720)
    assert changes.downhill_change <= changes.changes.min() + 1e-12
    # Taylor: the first-order prediction is off by at most length² / 2 times the largest curvature.
    landscape = landscapes.get(name)
    second_order = 0.5 * 1e-3**2 * theory.estimate_max_curvature(landscape)
    assert np.max(np.abs(changes.changes - changes.predicted)) <= second_order * (1 + 1e-6)  # = on a bowl
    downhill = np.radians(changes.downhill_angle)
    grad = landscape.grad(landscape.start)
    assert np.array([math.cos(downhill), math.sin(downhill)]) == pytest.approx(-grad / np.linalg.norm(grad))


def test_the_figure_draws_each_arrow_along_minus_grad_on_equal_axes():
    field = experiments.gradient_field("ravine", n=9)
    figure = figures.gradient_field_figure(field)
    arrows = style.trace(figure, "downhill field")
    x, y = np.array(arrows.x, dtype=object), np.array(arrows.y, dtype=object)
    assert all(value is None for value in x[2::3]) and all(value is None for value in y[2::3])
    tails = np.column_stack([x[0::3], y[0::3]]).astype(float)
    tips = np.column_stack([x[1::3], y[1::3]]).astype(float)
    drawn = tips - tails
    assert tails == pytest.approx(field.points)
    assert np.linalg.norm(drawn, axis=1) == pytest.approx(np.full(len(drawn), 0.6 * min(field.spacing)))
    assert drawn / np.linalg.norm(drawn, axis=1, keepdims=True) == pytest.approx(field.downhill)
    # Perpendicular to the contour drawn through each tail, read from the landscape itself.
    ravine = landscapes.get("ravine")
    for tail, arrow in zip(tails, drawn, strict=True):
        normal = np.array([-arrow[1], arrow[0]]) / np.linalg.norm(arrow)
        assert abs(slope_along(ravine, tail, normal)) < 1e-6
    # Arrowheads only at the tips, and a map whose units are equal on both axes (right angles look right).
    assert list(arrows.marker.size) == [0, 13, 0] * len(tails)
    assert figure.layout.yaxis.scaleanchor == "x" and figure.layout.yaxis.scaleratio == 1
    assert style.trace(figure, "map").type == "contour"
    assert style.trace(figure, "minimum").x == (0.0,)


def test_the_figure_draws_the_field_it_is_given_and_runs_nothing_itself():
    figure = figures.gradient_field_figure(experiments.gradient_field("bowl", n=4))
    assert len(style.trace(figure, "downhill field").x) == 3 * 16
    with pytest.raises(TypeError, match="GradientField that experiments.gradient_field"):
        figures.gradient_field_figure("bowl")
