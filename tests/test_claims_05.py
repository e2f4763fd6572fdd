"""What notebook 05 (curvature) says, asserted on the same calls the notebook makes.

Each test names the cell whose prose it backs. The maths is checked by a
second route that does not go through the code under test: second
differences of the loss (not `hessian_at`), the closed forms of a quadratic
turned by 30°, the 2 x 2 eigenvalue formula by hand, and walks of plain
descent.
"""

import math

import numpy as np
import pytest

import gdviz
from gdviz import experiments, figures, landscapes, optimizers
from gdviz.apps import CurvatureDial
from gdviz.figures.style import trace

RAVINE = landscapes.get("ravine")
ROSENBROCK = landscapes.get("rosenbrock")
COS, SIN = math.cos(math.radians(30)), math.sin(math.radians(30))


def loss_hessian(landscape, point, h=1e-4):
    """The Hessian from loss readings alone (second and mixed centred differences), independent of
    `hessian_at` and of the gradient."""
    point = np.asarray(point, dtype=float)
    steps = np.eye(2) * h
    hessian = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            hessian[i, j] = (landscape(point + steps[i] + steps[j]) - landscape(point + steps[i] - steps[j])
                             - landscape(point - steps[i] + steps[j]) + landscape(point - steps[i] - steps[j])
                             ) / (4 * h * h)
    return hessian


def by_hand(hessian):
    """The eigenvalues of [[a, b], [b, c]] from (a + c)/2 ± sqrt(((a - c)/2)² + b²), smallest first."""
    (a, b), (_, c) = hessian
    middle, radius = (a + c) / 2, math.sqrt(((a - c) / 2) ** 2 + b * b)
    return middle - radius, middle + radius


def line_angle(vector):
    """The angle of the line along `vector`, in [0, 180)."""
    return math.degrees(math.atan2(vector[1], vector[0])) % 180.0


@pytest.fixture(scope="module")
def sweep():
    return experiments.curvature_sweep(RAVINE)  # 05-10


@pytest.fixture(scope="module")
def sweeps():
    return experiments.curvature_sweeps(["bowl", "ravine", "aligned ravine", "saddle"])  # 05-18


# ---------------------------------------------------------------- 05-01 curvature along a line

def test_01_three_readings_are_the_second_derivative_of_a_slice():
    # The readings' formula against a parabola fitted to a slice of Rosenbrock (curvature = 2 x its t² term).
    point, unit = np.array([-1.5, 2.0]), np.array([0.6, 0.8])
    slices = experiments.slices(ROSENBROCK, point, [unit], span=1e-2, n=41)
    (_, _, losses), = slices.lines
    fitted = 2 * np.polyfit(slices.offsets, losses, 4)[2]
    readings = experiments.slice_curvature(ROSENBROCK, point, unit, h=1e-3)
    assert readings == pytest.approx(fitted, rel=1e-6)


def test_01_the_bowl_curves_by_two_everywhere_in_every_direction():
    rng = np.random.default_rng(5)
    for point in rng.uniform(-3, 3, size=(5, 2)):
        each = experiments.curvature_sweep("bowl", point=point)
        assert each.curvatures == pytest.approx(np.full(181, 2.0), abs=1e-12)
        assert each.measured == pytest.approx(np.full(181, 2.0), abs=1e-6)


# ---------------------------------------------------------------- 05-02 .. 05-05 the Hessian

def test_03_04_the_ravines_hessian_is_the_30_degree_closed_form_everywhere():
    expected = np.array([[0.5 * COS**2 + 10 * SIN**2, (0.5 - 10) * SIN * COS],
                         [(0.5 - 10) * SIN * COS, 0.5 * SIN**2 + 10 * COS**2]])
    H = RAVINE.hessian_at((0.0, 0.0))
    assert H == pytest.approx(expected, abs=1e-12)
    assert [round(H[0, 0], 3), round(H[0, 1], 3), round(H[1, 1], 3)] == [2.875, -4.114, 7.625]
    for point in [(0.0, 0.0), (-2.5, 2.0), (1.7, -0.3)]:  # the same wherever Chad stands
        assert RAVINE.hessian_at(point) == pytest.approx(H, abs=1e-12)
        assert loss_hessian(RAVINE, point) == pytest.approx(H, abs=1e-5)


def test_05_the_probed_cross_terms_are_two_measurements_that_agree():
    # 05-05: ravine -4.1136 both ways; Rosenbrock at (1, 1): -400 both ways (its L12 = -400 w1).
    for name, cross in [("ravine", (0.5 - 10) * SIN * COS), ("rosenbrock", -400.0 * 1.0)]:
        probed = experiments.probed_hessian(name)
        assert probed[0, 1] == pytest.approx(cross, rel=1e-8)
        assert probed[1, 0] == pytest.approx(cross, rel=1e-8)
        assert f"{probed[0, 1]:+.4f}" == f"{probed[1, 0]:+.4f}" == f"{cross:+.4f}"
    assert experiments.landscape_centre("rosenbrock").tolist() == [1.0, 1.0]
    # Symmetric at ordinary points of every landscape with a Hessian, not only at these two.
    for name in ("rosenbrock", "himmelblau", "rastrigin"):
        for point in [(-1.2, 0.7), (0.3, 1.9)]:
            probed = experiments.probed_hessian(name, point=point)
            assert probed[0, 1] == pytest.approx(probed[1, 0], rel=1e-6, abs=1e-6)


# ---------------------------------------------------------------- 05-06 .. 05-08 any direction

def test_07_08_readings_agree_with_u_h_u_to_every_printed_digit():
    few = experiments.curvature_sweep(RAVINE, angles=[0, 45, 90, 135])
    printed = [f"{value:.5f}" for value in few.curvatures]
    assert printed == ["2.87500", "1.13638", "7.62500", "9.36362"]
    assert [f"{value:.5f}" for value in few.measured] == printed
    # The cross term's share: (H11 + H22)/2 = 5.25, then -4.114 along 45°, +4.114 along 135°.
    H = RAVINE.hessian
    assert (H[0, 0] + H[1, 1]) / 2 == pytest.approx(5.25)
    assert few.curvatures[1] == pytest.approx(5.25 + H[0, 1])
    assert few.curvatures[3] == pytest.approx(5.25 - H[0, 1])
    assert round(few.curvatures[1], 3) == 1.136 and round(few.curvatures[3], 3) == 9.364
    # Taylor: the t² term of a slice is half of uᵀHu (a slice's fitted parabola, independent of the readings).
    for angle, curvature in zip(few.angles, few.curvatures, strict=True):
        unit = experiments.unit_direction(angle)
        offsets = np.linspace(-0.5, 0.5, 11)
        losses = RAVINE(np.array([0.3, -0.2]) + offsets[:, None] * unit)
        assert 2 * np.polyfit(offsets, losses, 2)[0] == pytest.approx(curvature, rel=1e-9)


# ---------------------------------------------------------------- 05-09 .. 05-11 eigenvectors

def test_09_a_step_along_w1_turns_the_gradient_55_degrees_below_the_axis():
    H = RAVINE.hessian
    change = H @ np.array([1.0, 0.0])
    assert [round(value, 3) for value in change] == [2.875, -4.114]
    assert round(math.degrees(math.atan2(change[1], change[0]))) == -55
    # The gradient's change over a short step is H d, read from the gradient itself.
    point, step = np.array([-2.5, 2.0]), np.array([1e-3, 0.0])
    assert (RAVINE.grad(point + step) - RAVINE.grad(point)) / 1e-3 == pytest.approx(change, rel=1e-6)


def test_10_11_eigenvectors_eigenvalues_and_the_hand_formula(sweep):
    H = RAVINE.hessian
    assert sweep.eigenvalues == pytest.approx([0.5, 10.0], rel=1e-12)
    assert sweep.eigenvalues == pytest.approx(by_hand(H), rel=1e-12)
    (a, b), (_, c) = H
    assert round((a + c) / 2, 3) == 5.25 and round((a - c) / 2, 3) == -2.375
    assert math.sqrt(((a - c) / 2) ** 2 + b * b) == pytest.approx(4.75)
    assert sweep.eigen_angles == pytest.approx([30.0, 120.0], abs=1e-9)
    assert sweep.eigenvectors == pytest.approx(np.array([[COS, -SIN], [SIN, COS]]), abs=1e-12)
    assert sweep.eigenvectors[:, 0] @ sweep.eigenvectors[:, 1] == pytest.approx(0.0, abs=1e-15)
    for value, vector in zip(sweep.eigenvalues, sweep.eigenvectors.T, strict=True):
        assert H @ vector == pytest.approx(value * vector, abs=1e-12)
        assert vector @ H @ vector == pytest.approx(value, rel=1e-12)  # the curvature along it
    # tan 2θ = 2b / (a - c): the axes of a symmetric 2 x 2 by hand, at 30° and 120°.
    assert math.degrees(math.atan2(2 * b, a - c)) / 2 % 90 == pytest.approx(30.0)
    printed = [f"({v[0]:+.3f}, {v[1]:+.3f})" for v in (H @ sweep.eigenvectors).T]
    assert printed == ["(+0.433, +0.250)", "(-5.000, +8.660)"]


# ---------------------------------------------------------------- 05-11 .. 05-14 largest and smallest

def test_11_the_floors_arrow_is_twenty_times_shorter(sweep):
    picture = figures.curvature_figure(sweep)
    arrows = [trace(picture, f"eigen {index}") for index in (1, 2)]
    lengths = [np.hypot(np.diff(arrow.x)[0], np.diff(arrow.y)[0]) for arrow in arrows]
    assert lengths[1] / lengths[0] == pytest.approx(20.0)


def test_13_14_the_extremes_are_the_eigenvalues_rayleigh(sweep):
    top, bottom = sweep.curvatures.argmax(), sweep.curvatures.argmin()
    assert f"{sweep.curvatures[top]:.4f} {sweep.angles[top]:.0f}" == "10.0000 120"
    assert f"{sweep.curvatures[bottom]:.4f} {sweep.angles[bottom]:.0f}" == "0.5000 30"
    # The readings find the same extremes, and they agree with uᵀHu direction by direction.
    assert sweep.angles[sweep.measured.argmax()] == 120 and sweep.angles[sweep.measured.argmin()] == 30
    assert sweep.measured == pytest.approx(sweep.curvatures, abs=1e-6)
    # The weighted average λ1 cos²φ + λ2 sin²φ, φ measured from the first eigenvector.
    phi = np.radians(sweep.angles - 30.0)
    assert sweep.curvatures == pytest.approx(0.5 * np.cos(phi) ** 2 + 10 * np.sin(phi) ** 2, abs=1e-12)
    # No direction at all, not only on the sweep's grid, curves more than L or less than m.
    units = np.random.default_rng(0).normal(size=(10_000, 2))
    units /= np.linalg.norm(units, axis=1, keepdims=True)
    quotients = np.einsum("ni,ij,nj->n", units, RAVINE.hessian, units)
    assert quotients.min() >= 0.5 - 1e-12 and quotients.max() <= 10 + 1e-12


# ---------------------------------------------------------------- 05-15 .. 05-16 the dial

def test_15_h_u_is_pulled_towards_the_steep_eigenvector_and_lines_up_only_at_eigenvectors(sweep):
    turns = sweep.turns
    eigen = np.isin(sweep.angles, [30.0, 120.0])
    assert np.all(turns[eigen] < 1e-6) and np.all(turns[~eigen] > 0.5)
    assert np.mean(turns > 10) > 0.75  # "for most directions it points well away from u"
    for unit, change in zip(sweep.directions[~eigen], sweep.changes[~eigen], strict=True):
        # H u's line lies nearer the steep eigenvector's (120°) than u's does.
        gap = lambda angle: min(abs(angle - 120.0), 180 - abs(angle - 120.0))  # noqa: E731
        assert gap(line_angle(change)) < gap(line_angle(unit))


def test_16_the_dial_lines_h_u_up_with_the_eigenvector_arrow_and_moving_chad_matters_on_rosenbrock():
    app = CurvatureDial("ravine", angle=60)
    assert "55° away from u" in app.status.value
    for angle, index in [(30, 1), (120, 2)]:
        app.angle.value = angle
        change, arrow = trace(app.figure, "change"), trace(app.figure, f"eigen {index}")
        assert list(change.x) == pytest.approx(list(arrow.x))
        assert list(change.y) == pytest.approx(list(arrow.y))
        assert "u is an eigenvector" in app.status.value
    before = app.sweep.eigenvalues
    app.w1.value, app.w2.value = -2.0, 1.5
    assert app.sweep.eigenvalues == pytest.approx(before, rel=1e-12)  # the ravine: nothing changes
    app.landscape.value = "rosenbrock"
    at_minimum = app.sweep.eigenvalues
    app.w1.value, app.w2.value = -1.5, 2.0
    assert app.sweep.eigenvalues[1] / at_minimum[1] > 2  # Rosenbrock: a great deal


# ---------------------------------------------------------------- 05-17 .. 05-20 four landscapes

def test_19_the_printed_table(sweeps):
    rows = {name: (np.round(each.hessian, 3).ravel() + 0.0, each.eigenvalues, each.condition_number)
            for name, each in sweeps.items()}
    assert rows["bowl"][0].tolist() == [2, 0, 0, 2] and rows["bowl"][2] == pytest.approx(1.0)
    assert rows["ravine"][0].tolist() == [2.875, -4.114, -4.114, 7.625]
    assert rows["aligned ravine"][0].tolist() == [0.5, 0, 0, 10]
    assert rows["ravine"][2] == pytest.approx(20) and rows["aligned ravine"][2] == pytest.approx(20)
    assert rows["saddle"][0].tolist() == [2, 0, 0, -2] and rows["saddle"][2] is None
    assert rows["saddle"][1].tolist() == [-2.0, 2.0]


def test_20_bowl_every_direction_is_an_eigenvector(sweeps):
    bowl = sweeps["bowl"]
    assert bowl.is_round and np.allclose(bowl.curvatures, 2.0)
    assert bowl.changes == pytest.approx(2 * bowl.directions, abs=1e-12) and np.all(bowl.turns < 1e-6)
    # So the gradient H w = 2w points straight away from the minimum, and downhill straight at it.
    for w in np.random.default_rng(3).uniform(-3, 3, size=(5, 2)):
        grad = landscapes.get("bowl").grad(w)
        assert grad == pytest.approx(bowl.hessian @ w) and grad == pytest.approx(2 * w)


def test_20_the_aligned_ravine_has_the_same_eigenvalues_turned_eigenvectors_and_a_shifted_curve(sweeps):
    ravine, aligned = sweeps["ravine"], sweeps["aligned ravine"]
    assert aligned.hessian.tolist() == [[0.5, 0.0], [0.0, 10.0]]
    assert aligned.eigenvalues == pytest.approx(ravine.eigenvalues, rel=1e-12)
    assert aligned.eigen_angles.tolist() == [0.0, 90.0]
    assert ravine.eigen_angles - aligned.eigen_angles == pytest.approx([30.0, 30.0])
    shifted = ravine.curvatures[(np.arange(181) + 30) % 180]  # the ravine's curve 30° further on
    assert aligned.curvatures == pytest.approx(shifted, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.05 * 0.9, 0.05, 0.05 * 1.1, 0.15])
@pytest.mark.parametrize("start", [(-2.5, 2.0), (1.0, 2.5), (2.0, -1.0)])
def test_20_plain_descent_walks_the_same_walk_turned_on_both_ravines(alpha, start):
    turn = np.array([[COS, SIN], [-SIN, COS]])  # turns a point of the ravine back by 30°
    aligned = experiments.aligned_ravine()
    on_ravine = gdviz.run(optimizers.gradient_descent(RAVINE, start, alpha), max_steps=60)
    on_aligned = gdviz.run(optimizers.gradient_descent(aligned, turn @ np.array(start), alpha), max_steps=60)
    assert on_aligned.w == pytest.approx(on_ravine.w @ turn.T, abs=1e-9)


def test_20_the_saddle_curves_down_between_45_and_135_degrees(sweeps):
    saddle = sweeps["saddle"]
    assert saddle.eigenvalues.tolist() == [-2.0, 2.0] and saddle.eigen_angles.tolist() == [90.0, 0.0]
    inside = (saddle.angles > 45) & (saddle.angles < 135)
    assert np.all(saddle.curvatures[inside] < 0) and np.all(saddle.curvatures[~inside] > -1e-12)
    assert saddle.curvatures[[45, 135]] == pytest.approx([0.0, 0.0], abs=1e-12)
    flat = experiments.slices("saddle", point=(0, 0), directions=[(1, 1), (1, -1)])
    assert all(np.allclose(losses, 0.0, atol=1e-12) for _, _, losses in flat.lines)  # notebook 02's slices


# ---------------------------------------------------------------- 05-21 the words of the later notebooks

def contour_radius(landscape, unit, level=1.0):
    """How far from the minimum, along `unit`, the loss reaches `level` (bisection on the loss)."""
    low, high = 0.0, 100.0
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if landscape(middle * unit) < level else (low, middle)
    return low


def test_21_condition_numbers_and_the_stretch_of_the_contours(sweep, sweeps):
    assert sweep.condition_number == pytest.approx(20.0)
    assert sweeps["bowl"].condition_number == pytest.approx(1)
    floor, walls = sweep.eigenvectors.T
    stretch = contour_radius(RAVINE, floor) / contour_radius(RAVINE, walls)
    assert stretch == pytest.approx(math.sqrt(20)) and round(stretch, 1) == 4.5


def test_21_one_step_multiplies_an_eigen_offset_by_one_minus_alpha_lambda_and_2_over_l_is_the_edge(sweep):
    for value, vector in zip(sweep.eigenvalues, sweep.eigenvectors.T, strict=True):
        for alpha in (0.05, 0.15, 0.19, 0.21):
            walk = gdviz.run(optimizers.gradient_descent(RAVINE, vector, alpha), max_steps=1)
            assert walk.w[1] == pytest.approx((1 - alpha * value) * vector, abs=1e-12)
    steep = sweep.eigenvalues[1]
    assert abs(1 - 0.95 * 2 / steep * steep) < 1 < abs(1 - 1.05 * 2 / steep * steep)


# ---------------------------------------------------------------- 05-22 .. 05-23 Rosenbrock

def test_22_23_rosenbrocks_curvatures_change_from_point_to_point():
    printed = []
    for point in [(-1.5, 2.0), (0.0, 0.0)]:
        here = experiments.curvature_sweep(ROSENBROCK, point=point)
        x, y = point  # the Hessian by hand: L11 = 2 - 400 y + 1200 x², L12 = -400 x, L22 = 200
        hand = np.array([[2 - 400 * y + 1200 * x * x, -400 * x], [-400 * x, 200.0]])
        assert here.hessian == pytest.approx(hand)
        assert loss_hessian(ROSENBROCK, point) == pytest.approx(hand, rel=1e-5)
        assert here.eigenvalues == pytest.approx(by_hand(hand), rel=1e-12)
        (m, L), (m_angle, L_angle) = here.eigenvalues, here.eigen_angles
        printed.append(f"m = {m:.4g} along {m_angle:.1f}°, L = {L:.4g} along {L_angle:.1f}°, "
                       f"k = {here.condition_number:.4g}")
    assert printed == ["m = 9.75 along 107.6°, L = 2092 along 17.6°, k = 214.6",
                       "m = 2 along 0.0°, L = 200 along 90.0°, k = 100"]
    start = experiments.curvature_sweep(ROSENBROCK, point=(-1.5, 2.0))
    assert round(start.eigenvalues[1] / 200) == 10  # "ten times less" at the origin
    assert tuple(ROSENBROCK.start) == (-1.5, 2.0)


# ---------------------------------------------------------------- exercises: the prompts' facts

def test_exercise_3_the_diagonal_guess_is_far_from_k_at_rosenbrocks_minimum():
    H = ROSENBROCK.hessian_at((1.0, 1.0))
    low, high = by_hand(H)
    assert H[0, 0] / H[1, 1] == pytest.approx(4.01) and round(high / low) == 2508
