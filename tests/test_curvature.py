"""Lesson 05's layers: the curvature experiments, their figures, the dial app and the exercise checkers."""

import math

import ipywidgets as widgets
import nbformat
import numpy as np
import pytest
from test_exercises import GARBAGE, NOTEBOOKS, garbage_id

from gdviz import exercises, experiments, figures, landscapes
from gdviz.apps import CurvatureDial, controls
from gdviz.experiments import curvature
from gdviz.figures.style import trace

ROSENBROCK_MINIMUM = (1.0, 1.0)


def rotation_form(vectors):
    """Columns v1, v2 with signs such that [v1 v2] is a rotation, [[c, -s], [s, c]] (det +1)."""
    vectors = vectors.copy()
    if np.linalg.det(vectors) < 0:
        vectors[:, 1] *= -1
    return vectors


# ---------------------------------------------------------------- experiments

def test_unit_direction_is_cos_sin_of_degrees():
    assert experiments.unit_direction(0.0) == pytest.approx([1.0, 0.0])
    assert experiments.unit_direction([90.0, 180.0]) == pytest.approx(np.array([[0.0, 1.0], [-1.0, 0.0]]),
                                                                     abs=1e-15)


@pytest.mark.parametrize("hessian, values, angles", [
    ([[0.5, 0.0], [0.0, 10.0]], [0.5, 10.0], [0.0, 90.0]),
    ([[10.0, 0.0], [0.0, 0.5]], [0.5, 10.0], [90.0, 0.0]),
    ([[2.0, 0.0], [0.0, -2.0]], [-2.0, 2.0], [90.0, 0.0]),
    ([[1.0, 1.0], [1.0, 1.0]], [0.0, 2.0], [135.0, 45.0]),
])
def test_eigen_directions_are_sorted_signed_into_a_half_turn_and_are_eigenvectors(hessian, values, angles):
    found, vectors, found_angles = experiments.eigen_directions(hessian)
    assert found == pytest.approx(values, abs=1e-12) and found_angles == pytest.approx(angles, abs=1e-9)
    for value, vector, angle in zip(found, vectors.T, found_angles, strict=True):
        assert np.array(hessian) @ vector == pytest.approx(value * vector, abs=1e-12)
        assert vector == pytest.approx(experiments.unit_direction(angle), abs=1e-12)  # the angle's sign
        assert 0.0 <= angle < 180.0


def test_eigen_directions_refuse_anything_but_a_finite_two_by_two():
    for bad in ([[1.0, 2.0, 3.0]], [[np.nan, 0.0], [0.0, 1.0]], np.eye(3)):
        with pytest.raises(ValueError, match="hessian must be a finite 2 x 2 matrix"):
            experiments.eigen_directions(bad)


def test_a_sweep_reads_the_hessian_at_its_point_and_measures_every_direction():
    sweep = experiments.curvature_sweep("rosenbrock", point=(-1.5, 2.0), angles=[0, 30, 90], h=1e-3)
    assert sweep.point.tolist() == [-1.5, 2.0] and sweep.angles.tolist() == [0.0, 30.0, 90.0]
    assert sweep.hessian == pytest.approx(landscapes.get("rosenbrock").hessian_at((-1.5, 2.0)))
    assert sweep.curvatures == pytest.approx([sweep.along(angle) for angle in (0, 30, 90)])
    assert sweep.measured == pytest.approx(sweep.curvatures, rel=1e-6)
    assert sweep.changes == pytest.approx(sweep.directions @ sweep.hessian.T)
    assert np.all((0 <= sweep.turns) & (sweep.turns <= 180))
    assert sweep.condition_number == pytest.approx(sweep.eigenvalues[1] / sweep.eigenvalues[0])


def test_a_sweep_sits_at_the_landscapes_centre_by_default():
    assert experiments.curvature_sweep("ravine").point.tolist() == [0.0, 0.0]
    assert experiments.curvature_sweep("saddle").point.tolist() == [0.0, 0.0]  # the middle of its domain
    assert experiments.curvature_sweep("aligned ravine").landscape.name == "aligned ravine"
    assert experiments.landscape_centre("himmelblau").tolist() == [3.0, 2.0]


def test_sweeps_take_one_name_or_several():
    assert list(experiments.curvature_sweeps("bowl")) == ["bowl"]
    assert list(experiments.curvature_sweeps()) == list(experiments.CURVATURE_LANDSCAPES)
    with pytest.raises(ValueError, match="at least one"):
        experiments.curvature_sweeps([])


@pytest.mark.parametrize("call, error, words", [
    (lambda: experiments.curvature_sweep("teacup"), ValueError, "landscape must be one of"),
    (lambda: experiments.curvature_sweep("ravine", point=(1.0,)), ValueError, "point must be two"),
    (lambda: experiments.curvature_sweep("ravine", angles=[0, np.nan]), ValueError, "angles must be finite"),
    (lambda: experiments.curvature_sweep("ravine", h=0.0), ValueError, "h must be a finite number > 0"),
    (lambda: experiments.probed_hessian("ravine", h=-1.0), ValueError, "h must be"),
    (lambda: experiments.curvature_sweep("ravine").along("north"), TypeError, "angle must be a real number"),
])
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_a_landscape_without_second_derivatives_says_so():
    flat = landscapes.Landscape("plane", "w1", lambda x, y: x, lambda x, y: (np.ones_like(x), 0 * y),
                                ((-1, 1), (-1, 1)))
    with pytest.raises(ValueError, match="has no Hessian"):
        experiments.curvature_sweep(flat)


@pytest.mark.parametrize("name", ["bowl", "ravine", "rosenbrock", "himmelblau", "saddle", "rastrigin"])
def test_probed_hessian_matches_the_analytic_one(name):
    land = landscapes.get(name)
    for point in [land.start, (0.37, -0.21)]:
        probed = experiments.probed_hessian(land, point=point)
        assert probed == pytest.approx(land.hessian_at(point), rel=1e-6, abs=1e-6)


# ---------------------------------------------------------------- figures

def test_the_figure_draws_each_eigenvector_as_lambda_v_from_chads_point(all_finite):
    sweep = experiments.curvature_sweep("ravine")
    picture = figures.curvature_figure(sweep)
    scale = figures.curvature.arrow_scale(sweep)
    for index, (value, vector) in enumerate(zip(sweep.eigenvalues, sweep.eigenvectors.T, strict=True), 1):
        arrow = trace(picture, f"eigen {index}")
        assert [arrow.x[0], arrow.y[0]] == pytest.approx(sweep.point)
        assert [arrow.x[1], arrow.y[1]] == pytest.approx(sweep.point + scale * value * vector)
    assert list(trace(picture, "curve").y) == pytest.approx(sweep.curvatures)
    readings = trace(picture, "readings")
    assert list(readings.x) == list(range(0, 181, 15))
    assert list(readings.y) == pytest.approx(sweep.measured[::15])
    assert list(trace(picture, "eigen_angle").x) == pytest.approx([30.0, 120.0])
    assert all_finite(picture)
    with pytest.raises(KeyError):
        trace(picture, "change")  # no direction chosen, none drawn


def test_the_chosen_direction_draws_h_u_and_its_point_on_the_curve():
    sweep = experiments.curvature_sweep("saddle")
    picture = figures.curvature_figure(sweep, angle=60)
    change, chosen = trace(picture, "change"), trace(picture, "chosen")
    tip = sweep.point + figures.curvature.arrow_scale(sweep) * sweep.hessian @ experiments.unit_direction(60)
    assert [change.x[1], change.y[1]] == pytest.approx(tip)
    assert list(chosen.x) == [60.0] and list(chosen.y) == pytest.approx([sweep.along(60)])
    # The negative eigenvalue is drawn dashed, pointing against its eigenvector.
    down = trace(picture, "eigen 1")
    assert down.line.dash == "dash" and down.y[1] < down.y[0]
    assert "curves down" in down.text[1]


@pytest.mark.parametrize("point", [(-1.9, 2.9), (1.0, 1.0), (-2.0, -1.0)])
def test_arrows_stay_on_the_map_unless_chad_is_at_its_edge(point):
    sweep = experiments.curvature_sweep("rosenbrock", point=point)
    (xmin, xmax), (ymin, ymax) = sweep.landscape.domain
    picture = figures.curvature_figure(sweep, angle=75)
    arrows = [trace(picture, role) for role in ("eigen 1", "eigen 2", "change")]
    tips = [(arrow.x[1], arrow.y[1]) for arrow in arrows]
    room = min(point[0] - xmin, xmax - point[0], point[1] - ymin, ymax - point[1])
    if room > 0.05 * 4 / 0.95:
        assert all(xmin <= x <= xmax and ymin <= y <= ymax for x, y in tips)
    else:  # on the edge: still visible, at the shortest length
        longest = max(math.dist(tip, point) for tip in tips)
        assert longest == pytest.approx(0.05 * 4)


def test_a_round_bowl_marks_no_eigen_direction_and_an_eigenvector_at_0_is_marked_at_180_too():
    bowl = figures.curvature_figure(experiments.curvature_sweep("bowl"))
    assert len(trace(bowl, "eigen_angle").x) == 0
    assert "every direction" in bowl.layout.annotations[1].text
    aligned = figures.curvature_figure(experiments.curvature_sweep("aligned ravine"))
    assert list(trace(aligned, "eigen_angle").x) == [0.0, 90.0, 180.0]


def test_the_gallery_has_a_map_per_landscape_and_one_panel_of_curves(all_finite):
    sweeps = experiments.curvature_sweeps()
    picture = figures.curvature_gallery_figure(sweeps)
    for name, sweep in sweeps.items():
        assert list(trace(picture, f"curve {name}").y) == pytest.approx(sweep.curvatures)
        trace(picture, f"map {name}")
    axes = {trace(picture, f"curve {name}").xaxis for name in sweeps}
    assert len(axes) == 1 and all_finite(picture)


def test_builders_refuse_anything_but_their_result():
    with pytest.raises(TypeError, match="curvature_sweep"):
        figures.curvature_figure(experiments.curvature_sweeps())
    with pytest.raises(TypeError, match="curvature_sweeps"):
        figures.curvature_gallery_figure(experiments.curvature_sweep("bowl"))


# ---------------------------------------------------------------- the dial

@pytest.fixture(scope="module")
def dial():
    return CurvatureDial("ravine", angle=60)


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def test_the_dial_has_one_figure_named_controls_and_a_described_figure(figure_widgets, dial):
    live = dial.figure  # made on first use (an app is drawn still until then)
    assert figure_widgets(dial) == [live]
    inside = list(walk(dial))
    plain = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider, widgets.SelectionSlider,
             widgets.Play)
    assert not [w for w in inside if isinstance(w, plain)]
    names = {w.accessible_name for w in inside if isinstance(w, controls._Slider)}
    assert names == {"direction of u, degrees from the w1 axis", "Chad's place, w1", "Chad's place, w2"}
    assert isinstance(dial.status, controls.Status) and dial.status.live
    assert dial.figure_description.value.count("The figure:") == 1
    assert inside.index(dial.figure_description) == inside.index(dial.figure) - 1


def test_turning_u_sends_one_plotly_update_and_the_status_follows(plotly_messages):
    app = CurvatureDial("ravine", angle=60)
    assert plotly_messages(app.figure, lambda: setattr(app.angle, "value", 45.0)) == ["_py2js_update"]
    assert "uᵀHu = 1.136" in app.status.value and "64° away from u" in app.status.value
    assert list(trace(app.figure, "chosen").x) == [45.0]


def test_the_dial_computes_once_when_built_and_once_per_update(monkeypatch):
    calls = []
    original = CurvatureDial._compute
    monkeypatch.setattr(CurvatureDial, "_compute", lambda self: calls.append(1) or original(self))
    app = CurvatureDial()
    assert len(calls) == 1
    app.angle.value = 10.0
    assert len(calls) == 2


def test_the_dial_names_a_downward_eigenvector_and_a_round_bowl():
    app = CurvatureDial("saddle", angle=90)
    assert "points against u" in app.status.value and "no condition number" in app.status.value
    app.landscape.value = "bowl"
    assert "every direction is an eigenvector" in app.status.value and app.error is None


def test_a_new_landscape_puts_chad_at_its_centre_on_its_own_domain(dial):
    dial.landscape.value = "rosenbrock"
    assert (dial.w1.min, dial.w1.max, dial.w2.min, dial.w2.max) == (-2.0, 2.0, -1.0, 3.0)
    assert dial.point.tolist() == [1.0, 1.0] and dial.error is None
    assert "2508" in dial.status.value
    dial.landscape.value = "ravine"
    assert (dial.w1.min, dial.w1.max) == (-3.0, 3.0) and dial.point.tolist() == [0.0, 0.0]


def test_the_dial_takes_a_landscape_of_its_own_and_shows_errors_in_its_status_line(assert_saved_is_live):
    mine = landscapes.quadratic((1.0, 4.0), angle=45.0, name="mine")
    app = CurvatureDial(mine, angle=45)
    assert app.landscape.value == "mine" and "u is an eigenvector" in app.status.value
    app._repr_mimebundle_()
    assert_saved_is_live(app.figure)
    app._landscapes["bowl"] = "teacup"
    app.landscape.value = "bowl"
    assert "ValueError" in app.status.value and "#b00020" in app.status.value


# ---------------------------------------------------------------- exercise checkers

RAVINE_H = landscapes.get("ravine").hessian
UNIT = np.array([2.0, 1.0]) / math.sqrt(5.0)
MINIMUM_H = landscapes.get("rosenbrock").hessian_at(ROSENBROCK_MINIMUM)


def test_curvature_along_passes_u_h_u_and_readings():
    assert exercises.check_curvature_along(float(UNIT @ RAVINE_H @ UNIT), "ravine", direction=(2, 1))
    # Chad's way: three readings along the unit direction, computed here with numpy only.
    ravine, h = landscapes.get("ravine"), 1e-3
    readings = (ravine(h * UNIT) - 2 * ravine(np.zeros(2)) + ravine(-h * UNIT)) / h**2
    assert exercises.check_curvature_along(float(readings), "ravine", direction=(2, 1))


@pytest.mark.parametrize("answer, hint", [
    (RAVINE_H[0, 0] * UNIT[0] ** 2 + RAVINE_H[1, 1] * UNIT[1] ** 2, "left out the cross term"),
    (RAVINE_H[0, 0] * UNIT[0] ** 2 + RAVINE_H[0, 1] * UNIT @ [UNIT[1], 0] + RAVINE_H[1, 1] * UNIT[1] ** 2,
     "counts twice"),
    (float(np.array([2.0, 1.0]) @ RAVINE_H @ np.array([2.0, 1.0])), "not a unit vector"),
    (4 * RAVINE_H[0, 0] + RAVINE_H[1, 1], "two slips"),
    (-float(UNIT @ RAVINE_H @ UNIT), "not the sign"),
    (0.5, "eigenvalue"),
    (RAVINE_H @ UNIT, "that is H u"),
    (3.0, "make it a unit vector"),
])
def test_curvature_along_names_the_slips(answer, hint):
    verdict = exercises.check_curvature_along(answer, "ravine", direction=(2, 1))
    assert not verdict and hint in verdict.message


def test_curvature_along_refuses_a_zero_direction():
    with pytest.raises(ValueError, match="direction must not be"):
        exercises.check_curvature_along(1.0, "ravine", direction=(0, 0))


def test_steepest_direction_passes_the_largest_eigenvector_either_way_round_and_any_length():
    values, vectors = np.linalg.eigh(MINIMUM_H)
    for answer in (vectors[:, -1], -3 * vectors[:, -1], tuple(vectors[:, -1])):
        assert exercises.check_steepest_direction(answer, "rosenbrock", point=ROSENBROCK_MINIMUM)
    near = experiments.unit_direction(153.0)  # read off the dial, a degree at a time
    assert exercises.check_steepest_direction(near, "rosenbrock", point=ROSENBROCK_MINIMUM)


def test_steepest_direction_names_the_slips():
    values, vectors = np.linalg.eigh(MINIMUM_H)
    rotation = rotation_form(experiments.eigen_directions(MINIMUM_H)[1])
    slips = [
        (values[-1], "largest eigenvalue"),
        (153.48, "angle"),
        (vectors[:, 0], "smallest eigenvalue"),
        ((1, 2), "smallest eigenvalue"),  # along the valley floor, w2 = w1²
        (rotation[-1], "column"),
        (MINIMUM_H[0], "row of H"),
        ((1, 0), "below the largest"),
        ((0, 0), "no direction"),
        ((1.0, np.inf), "finite"),
        (-1, "two numbers"),
    ]
    for answer, hint in slips:
        verdict = exercises.check_steepest_direction(answer, "rosenbrock", point=ROSENBROCK_MINIMUM)
        assert not verdict and hint in verdict.message, (answer, verdict)


def test_steepest_direction_needs_a_steepest_direction():
    with pytest.raises(ValueError, match="no direction is steepest"):
        exercises.check_steepest_direction((1, 0), "bowl")


def test_condition_number_passes_l_over_m_and_names_the_slips():
    low, high = np.linalg.eigvalsh(MINIMUM_H)
    assert exercises.check_condition_number(high / low, "rosenbrock", point=ROSENBROCK_MINIMUM)
    assert exercises.check_condition_number(20, "ravine")
    slips = [(low / high, "upside down"), (MINIMUM_H[0, 0] / MINIMUM_H[1, 1], "diagonal"),
             (MINIMUM_H[1, 1] / MINIMUM_H[0, 0], "diagonal"), (high - low, "not a difference"),
             (math.sqrt(high / low), "√k"), (high, "L alone"), (1002 / 0.4, "rounded"), (7.0, "not L/m")]
    for answer, hint in slips:
        verdict = exercises.check_condition_number(answer, "rosenbrock", point=ROSENBROCK_MINIMUM)
        assert not verdict and hint in verdict.message, (answer, verdict)


def test_condition_number_needs_a_bowl():
    with pytest.raises(ValueError, match="no condition number"):
        exercises.check_condition_number(1.0, "saddle")


CHECKS = {
    "curvature-along": lambda a: exercises.check_curvature_along(a, "ravine", direction=(2, 1)),
    "steepest-direction": lambda a: exercises.check_steepest_direction(a, "rosenbrock", point=(1, 1)),
    "condition-number": lambda a: exercises.check_condition_number(a, "rosenbrock", point=(1, 1)),
}


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("answer", GARBAGE, ids=garbage_id)
@pytest.mark.parametrize("check", list(CHECKS.values()), ids=list(CHECKS))
def test_checkers_answer_garbage_with_a_verdict(check, answer):
    verdict = check(answer)
    assert isinstance(verdict, exercises.Verdict) and not verdict.passed and verdict.message


def test_the_notebook_calls_the_checkers_with_these_arguments():
    # The calls above are the notebook's own (05's exercise cells), so their garbage is the students'.
    cells = nbformat.read(NOTEBOOKS / "05_curvature.ipynb", as_version=4).cells
    calls = [cell.source.splitlines()[-1] for cell in cells if "gdviz.exercises.check_" in cell.source]
    assert calls == ['gdviz.exercises.check_curvature_along(my_curvature, "ravine", direction=(2, 1))',
                     'gdviz.exercises.check_steepest_direction(my_direction, "rosenbrock", point=(1, 1))',
                     'gdviz.exercises.check_condition_number(my_k, "rosenbrock", point=(1, 1))']
    assert curvature.__doc__.splitlines()[0].endswith("(05): the Hessian, the curvature along a direction, "
                                                      "and the directions of pure curvature.")
