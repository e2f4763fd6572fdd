"""What notebooks 00-05 say, asserted on the same calls the notebooks make.

Each test names the cell whose prose it backs. A number quoted in the prose is
recomputed here from the notebook's own experiment; printed outputs are
nbval's job (the cells tagged `nbval-check-output`), the sentences around them
are this file's. Where the maths allows, a second, independent route (theory,
finite differences, a hand count) checks the experiment too.
"""

import inspect
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import gdviz
from gdviz import exercises, experiments, figures, gradients, landscapes, linear, optimizers, theory
from gdviz.experiments import RACE_ALPHAS
from gdviz.figures import style

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
RAVINE = landscapes.get("ravine")
BOWL = landscapes.get("bowl")


def steep_axis_offsets(walk, landscape=RAVINE):
    """Chad's offset from the minimum along the Hessian's steepest axis (across the ravine's walls)."""
    _, axes = np.linalg.eigh(landscape.hessian)
    return (walk.w - landscape.minima[0]) @ axes[:, -1]


# ---------------------------------------------------------------- 00 start here

def test_00_the_course_map_lists_every_numbered_notebook():
    # 00-00 "twelve Jupyter notebooks"; 00-10's table has a row for each after 00.
    numbered = sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    cells = json.loads((NOTEBOOKS / "00_start_here.ipynb").read_text())["cells"]
    text = "".join("".join(cell["source"]) for cell in cells)
    words = {12: "twelve", 13: "thirteen", 14: "fourteen"}
    assert f"{words[len(numbered)]} Jupyter notebooks" in text
    listed = re.findall(r"^\| `(\d\d_\w+)` \|", text, flags=re.MULTILINE)
    assert listed == numbered[1:]


def test_00_meet_chad_stops_when_the_ground_is_flat():
    # 00-03: alpha = 0.1 from (-2, 1.5), stopped when |grad| <= 1e-3.
    steps = optimizers.gradient_descent("bowl", start=(-2.0, 1.5), alpha=0.1)
    trajectory = gdviz.run(steps, max_steps=60, grad_below=1e-3)
    assert trajectory.stop_reason == "grad_below"
    assert np.linalg.norm(trajectory.grad[-1]) <= 1e-3 < np.linalg.norm(trajectory.grad[-2])


def test_00_the_arrow_is_his_heading_straight_downhill():
    # 00-06: in every frame of the animation, the arrow on the map points along -grad.
    trajectory = gdviz.run(optimizers.gradient_descent("bowl", start=(-2.0, 1.5), alpha=0.1), max_steps=60,
                           grad_below=1e-3)
    figure = figures.animated_figure("bowl", trajectory)
    index = style.trace_index(figure, "map_chad")
    for step, frame in enumerate(figure.frames):
        drawn = frame.data[list(frame.traces).index(index)]
        arrow = np.array([drawn.x[2] - drawn.x[1], drawn.y[2] - drawn.y[1]])
        downhill = -trajectory.grad[step]
        cosine = arrow @ downhill / (np.linalg.norm(arrow) * np.linalg.norm(downhill))
        assert cosine == pytest.approx(1.0, abs=1e-3)


def test_00_exercise_facts_halving_from_a_loss_of_six_and_a_quarter():
    # 00-10: at alpha = 0.25 one step maps w to w / 2 (gradient 2w); the loss starts at 6.25.
    steps = optimizers.gradient_descent("bowl", (-2.0, 1.5), 0.25)
    trajectory = gdviz.run(steps, max_steps=60, loss_below=1e-6)
    assert trajectory.loss[0] == 6.25
    assert np.allclose(trajectory.w[1:], trajectory.w[:-1] / 2)
    assert np.allclose(BOWL.grad(trajectory.w), 2 * trajectory.w)
    assert trajectory.n_updates == 12 and trajectory.stop_reason == "loss_below"


# ---------------------------------------------------------------- 01 parameterized learning

X1 = np.array([[0.5, -1.2, 2.0, 0.3]])
W1 = np.array([[0.2, -0.5, 0.1], [1.5, 1.3, -0.4], [0.0, 0.3, 0.8], [-0.7, 0.4, 0.2]])
B1 = np.array([0.1, -0.2, 0.3])


def test_01_w_is_d_by_k_and_scores_are_x_w_plus_b():
    # 01-01: W is d x k (4 x 3 here), s_j = x . W[:, j] + b_j, s = xW + b.
    assert W1.shape == (X1.shape[1], len(B1))
    by_hand = [sum(X1[0, i] * W1[i, j] for i in range(4)) + B1[j] for j in range(3)]
    assert linear.scores(X1, W1, B1)[0] == pytest.approx(by_hand)
    assert linear.scores(X1, W1, B1)[0] == pytest.approx(X1[0] @ W1 + B1)


def test_01_class_zero_gets_the_lowest_score_and_losses_behave():
    # 01-04: class 0 has the lowest score; hinge loss is 0 once every margin is met, cross-entropy never.
    scores = linear.scores(X1, W1, B1)[0]
    assert int(np.argmin(scores)) == 0 and int(np.argmax(scores)) == 2
    assert linear.svm_loss(X1, np.array([2]), W1, B1).value == 0.0
    assert linear.softmax_cross_entropy_loss(X1, np.array([2]), W1, B1).value > 0.0
    # "Over a training set, the loss is the average over the examples."
    X2, y2 = np.vstack([X1, -X1]), np.array([0, 1])
    for loss in (linear.svm_loss, linear.softmax_cross_entropy_loss):
        each = [loss(X2[i:i + 1], y2[i:i + 1], W1, B1).value for i in range(2)]
        assert loss(X2, y2, W1, B1).value == pytest.approx(np.mean(each))


def test_01_w_is_perpendicular_to_the_line_and_points_to_class_one():
    # 01-06: the boundary w.x + b = 0 is perpendicular to w; class 1 lies on w's side; b does not turn it.
    w, b = np.array([2.0, 1.5]), 0.7
    along = np.array([-w[1], w[0]])  # the line's direction
    on_line = -b * w / (w @ w)
    assert on_line @ w + b == pytest.approx(0.0) and along @ w == 0.0
    assert linear.predict(np.array([on_line + 0.1 * w]), w, b)[0] == 1
    assert linear.predict(np.array([on_line - 0.1 * w]), w, b)[0] == 0
    for shifted in (-1.0, 0.0, 3.0):  # another b: the same direction, another place
        point = -shifted * w / (w @ w)
        assert (point + along) @ w + shifted == pytest.approx(0.0)


def test_01_the_good_line_beats_the_poor_one_and_a_longer_w_lowers_the_losses():
    # 01-06 and 01-08: losses fall as examples reach the right side.
    X, y = gdviz.data.two_clouds()
    settings = ((1.0, -0.5), (2.0, 1.5), (4.0, 3.0))
    poor, good, longer = (experiments.scoring_summary(X, y, w, 0.0) for w in settings)
    assert poor["accuracy"] < good["accuracy"] == longer["accuracy"] == 1.0
    for loss in ("svm", "cross_entropy"):
        assert poor[loss] > good[loss] > longer[loss]
    # "Cross-entropy keeps falling as the right ones move further from the line ...; the SVM loss of an
    # example stops at zero once its margin passes 1": one example, pushed further by a longer w.
    sure = int(np.argmax(np.where(y == 1, X @ np.array(good.w), -np.inf)))
    example, label = X[sure:sure + 1], y[sure:sure + 1]
    hinge = [float(linear.binary_hinge_loss(example, label, w, 0.0).value) for w in settings[1:]]
    log = [float(linear.log_loss(example, label, w, 0.0).value) for w in settings[1:]]
    assert hinge == [0.0, 0.0] and log[0] > log[1] > 0


@pytest.fixture(scope="module")
def ten_classes():
    X10, y10 = gdviz.data.blobs(200, centers=10, cluster_std=2.0, seed=3)
    objective = linear.LinearModelLoss(X10, y10, loss="cross_entropy", n_classes=10)
    return objective, experiments.search_vs_gradient(objective, budget=2000, alpha=0.464)


def test_01_thirty_parameters_and_the_budget(ten_classes):
    # 01-11: W is 2 x 10, b has 10 entries: 30 parameters; 2 000 evaluations, 999 steps of descent.
    objective, curves = ten_classes
    W, b = objective.unpack(np.zeros(objective.n_params))
    assert W.shape == (2, 10) and b.shape == (10,) and objective.n_params == 30
    assert all(len(curve) == 2000 for curve in curves.values())
    start = np.zeros(30)
    walk = gdviz.run(optimizers.gradient_descent(objective, start, 0.464), max_steps=999)
    assert walk.n_updates == 999 and walk.loss.min() == pytest.approx(curves["gradient descent"][-1])


def test_01_alpha_0464_is_the_grids_best_and_not_on_its_edge(ten_classes):
    # 01-11: "the best rate for this budget on gdviz's grid of 13 rates from 1e-4 to 1, not at the edge".
    objective, _ = ten_classes
    grid = RACE_ALPHAS
    assert len(grid) == 13 and grid[0] == pytest.approx(1e-4) and grid[-1] == pytest.approx(1.0)
    searched = experiments.search_vs_gradient(objective, budget=2000)["gradient descent"]  # the grid's best
    # 999 steps from W = 0, as the search takes them, at the grid's twelfth rate of thirteen: the same walk.
    steps = optimizers.gradient_descent(objective, np.zeros(30), float(grid[11]))
    assert round(float(grid[11]), 3) == 0.464 and searched[-1] == gdviz.run(steps, max_steps=999).loss.min()


def test_01_guessing_fails_in_30_dimensions_but_not_in_two(ten_classes):
    # 01-14: random search never beats W = 0; local search progresses; descent ends lowest.
    _, curves = ten_classes
    zero = math.log(10)
    assert curves["random search"][-1] > zero
    assert curves["gradient descent"][-1] < curves["random local search"][-1] < zero
    # "On the bowl, 1 000 guesses get the loss below 0.05 whatever the random seed, typically to about
    # 0.01" (search_vs_gradient's default budget), over 60 seeds.
    best = np.array([experiments.search_vs_gradient("bowl", seed=seed)["random search"][-1]
                     for seed in range(60)])
    assert experiments.search_vs_gradient("bowl").budget == 1000
    assert best.max() < 0.05 and 0.005 < np.median(best) < 0.02


EXERCISE_CLOUDS = "gdviz.data.blobs(100, centers=[(0.0, -0.5), (0.0, 3.0)], cluster_std=0.7, seed=2)"


def test_01_exercise_2_needs_b_and_nothing_above_answers_it():
    # 01-16: new clouds "away from the origin"; "every line printed above has b = 0, so it passes through the
    # origin" (01-09, 01-10), and no such line works here. The lab's sliders (w in [-3, 3], b in [-5, 5])
    # reach an answer: a level line halfway between the centres, w = (0, 2), b = -2.5.
    cells = {cell["id"]: "".join(cell["source"])
             for cell in json.loads((NOTEBOOKS / "01_parameterized_learning.ipynb").read_text())["cells"]}
    assert EXERCISE_CLOUDS in cells["01-17"] and "ScoringLab(X2, y2)" in cells["01-17"]
    assert "X2, y2" in cells["01-18"]
    printed = [(tuple(map(float, w.split(", "))), float(b))
               for w, b in re.findall(r"\(\(([-\d., ]+)\), ([-\d.]+)\)", cells["01-09"])]
    drawn = re.search(r"w=\(([-\d., ]+)\), b=([-\d.]+)", cells["01-10"])
    printed.append((tuple(map(float, drawn.group(1).split(", "))), float(drawn.group(2))))
    assert len(printed) == 4 and all(b == 0.0 for _, b in printed)
    X2, y2 = gdviz.data.blobs(100, centers=[(0.0, -0.5), (0.0, 3.0)], cluster_std=0.7, seed=2)
    assert np.linalg.norm(X2.mean(axis=0)) > 1.0
    # Independently of the checker: no direction of w, among 7 200 around the circle, separates with b = 0.
    angles = np.linspace(0.0, 2 * np.pi, 7200, endpoint=False)
    scores = X2 @ np.stack([np.cos(angles), np.sin(angles)])
    assert ((scores > 0) == (y2[:, None] == 1)).mean(axis=0).max() < 1.0
    for w, b in printed:
        verdict = exercises.check_separating_line(w, b, X2, y2, max_cross_entropy=0.1)
        assert not verdict.passed and "Shift it with b" in verdict.message
    assert exercises.check_separating_line((0.0, 2.0), -2.5, X2, y2, max_cross_entropy=0.1).passed


# ---------------------------------------------------------------- 02 the loss landscape

def test_02_the_bowl_and_its_mesh():
    # 02-00, 02-04: the lowest point is (0, 0); mesh(n) is an n x n grid with the loss at every node.
    assert BOWL.minima.tolist() == [[0.0, 0.0]] and float(BOWL((0.0, 0.0))) == 0.0
    X, Y, Z = BOWL.mesh(7)
    assert X.shape == Y.shape == Z.shape == (7, 7) and np.allclose(Z, X**2 + Y**2)


def test_02_an_image_classifier_has_30730_parameters():
    # 02-06: 32 x 32 colour images, 10 classes: d = 3072, W is 3072 x 10, plus 10 biases.
    d = 32 * 32 * 3
    objective = linear.LinearModelLoss(np.zeros((10, d)), np.arange(10), loss="cross_entropy", n_classes=10)
    W, b = objective.unpack(np.zeros(objective.n_params))
    assert d == 3072 and W.shape == (3072, 10) and b.shape == (10,)
    assert objective.n_params == 30730 and exercises.check_parameter_count(30730, d, 10).passed


def test_02_slices_of_the_saddle():
    # 02-08: along w1 a valley with its floor at the centre, along w2 a hill, along the diagonal flat.
    slices = experiments.slices("saddle", point=(0, 0), directions=[(1, 0), (0, 1), (1, 1)])
    point, offsets = slices.point, slices.offsets
    (_, _, along_w1), (_, _, along_w2), (_, _, diagonal) = slices.lines
    centre = int(np.argmin(np.abs(offsets)))
    assert offsets[centre] == 0.0
    assert int(np.argmin(along_w1)) == centre and np.all(np.diff(along_w1[centre:]) > 0)
    assert int(np.argmax(along_w2)) == centre and np.all(np.diff(along_w2[centre:]) < 0)
    assert np.allclose(diagonal, 0.0)
    assert np.all(landscapes.get("saddle").grad(point) == 0.0)


def test_02_a_walker_slows_to_a_crawl_near_the_saddle():
    # 02-08: starting off the saddle's ridge, descent's steps shrink more than a hundredfold near (0, 0).
    walk = gdviz.run(optimizers.gradient_descent("saddle", (2.0, 1e-4), 0.1), max_steps=200)
    moves = np.linalg.norm(np.diff(walk.w, axis=0), axis=1)
    slowest = int(np.argmin(moves))
    assert moves[slowest] < moves[0] / 100
    assert np.linalg.norm(walk.w[slowest]) < 0.05  # and the crawl happens at the saddle point


def test_02_the_catalogue_and_its_gallery():
    # 02-09: six landscapes; white stars at the minima, an orange dot at Chad's start.
    assert landscapes.names() == ["bowl", "ravine", "rosenbrock", "himmelblau", "saddle", "rastrigin"]
    gallery = figures.gallery_figure()
    star = style.trace(gallery, "minimum bowl").marker
    assert star.symbol == "star" and star.color == "white"
    assert style.trace(gallery, "start bowl").marker.color == figures.theme.CHAD == "#E69F00"  # orange


def test_02_on_the_bowl_downhill_points_at_the_minimum():
    # 02-11: "from anywhere, straight downhill points right at it".
    assert experiments.gradient_field("bowl", n=9).miss_angle.max() < 1e-4


def contour_radius(landscape, direction, level=1.0):
    """How far from the minimum the contour L = level lies along a direction: bisection on loss readings."""
    low, high = 0.0, 100.0
    for _ in range(100):
        middle = (low + high) / 2
        inside = float(landscape(landscape.minima[0] + middle * direction)) < level
        low, high = (middle, high) if inside else (low, middle)
    return low


def test_02_the_ravines_contours_are_sqrt_20_times_longer_than_wide():
    # 02-11: curvatures 0.5 and 10, turned 30 degrees; contours sqrt(20) ~ 4.5 times longer than wide.
    curvatures, axes = np.linalg.eigh(RAVINE.hessian)
    assert curvatures.tolist() == pytest.approx([0.5, 10.0])
    floor = axes[:, 0] * np.sign(axes[0, 0])
    assert math.degrees(math.atan2(floor[1], floor[0])) == pytest.approx(30.0)
    # Measured on the contour itself, from loss readings only, in 720 directions.
    angles = np.linspace(0, np.pi, 720, endpoint=False)
    radii = [contour_radius(RAVINE, np.array([math.cos(a), math.sin(a)])) for a in angles]
    ratio = max(radii) / min(radii)
    assert ratio == pytest.approx(math.sqrt(20), rel=1e-4) and round(ratio, 1) == 4.5
    assert max(radii) == pytest.approx(math.sqrt(2 * 1.0 / 0.5), rel=1e-4)  # sqrt(2c / lambda)


def test_02_plain_descent_zig_zags_across_the_ravine():
    # 02-11 and 04-11: at alpha = 0.15, the offset across the walls changes sign at every step.
    walk = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), alpha=0.15), max_steps=40)
    across = steep_axis_offsets(walk)
    assert walk.n_updates == 40 and np.all(across[1:] * across[:-1] < 0)


def test_02_rosenbrock_is_easy_to_enter_and_slow_to_follow():
    # 02-11: the valley w2 = w1^2 is reached within 20 steps; after 2 000 still near (0.56, 0.31).
    rosenbrock = landscapes.get("rosenbrock")
    assert rosenbrock.minima.tolist() == [[1.0, 1.0]]
    walk = gdviz.run(optimizers.gradient_descent("rosenbrock", rosenbrock.start, 1e-3), max_steps=2000)
    off_the_floor = np.abs(walk.w[:, 1] - walk.w[:, 0] ** 2)
    assert off_the_floor[0] == pytest.approx(0.25) and off_the_floor[20] < 0.01
    assert walk.n_updates == 2000 and np.round(walk.w[-1], 2).tolist() == [0.56, 0.31]
    assert np.linalg.norm(walk.w[-1] - 1.0) > 0.8


def test_02_himmelblau_which_minimum_depends_on_the_start():
    # 02-11: four minima with loss 0; four starts reach four different ones.
    himmelblau = landscapes.get("himmelblau")
    assert len(himmelblau.minima) == 4 and np.allclose(himmelblau(himmelblau.minima), 0.0)
    found = set()
    for start in [(0.0, 0.0), (-1.0, 1.0), (-1.0, -1.0), (1.0, -1.0)]:
        steps = optimizers.gradient_descent("himmelblau", start, 0.01)
        walk = gdviz.run(steps, max_steps=2000, grad_below=1e-6)
        nearest = int(np.argmin(np.linalg.norm(himmelblau.minima - walk.w[-1], axis=1)))
        assert np.linalg.norm(himmelblau.minima[nearest] - walk.w[-1]) < 1e-5
        found.add(nearest)
    assert found == {0, 1, 2, 3}


def test_02_the_saddle_has_no_minimum_and_falls_forever_along_w2():
    saddle = landscapes.get("saddle")
    assert len(saddle.minima) == 0
    along_w2 = saddle(np.column_stack([np.zeros(5), [1.0, 10.0, 1e2, 1e3, 1e4]]))
    assert np.all(np.diff(along_w2) < 0) and along_w2[-1] == -1e8


def test_02_rastrigin_traps_a_walker_in_a_dimple():
    # 02-11: dimples are local minima; only (0, 0) is global; descent from the start stays in one.
    rastrigin = landscapes.get("rastrigin")
    assert rastrigin.minima.tolist() == [[0.0, 0.0]] and float(rastrigin((0.0, 0.0))) == 0.0
    X, Y, Z = rastrigin.mesh(401)
    assert Z.min() >= 0.0 and abs(X.ravel()[Z.argmin()]) < 0.03 and abs(Y.ravel()[Z.argmin()]) < 0.03
    walk = gdviz.run(optimizers.gradient_descent("rastrigin", rastrigin.start, 1e-3), max_steps=5000,
                     grad_below=1e-6)
    assert walk.stop_reason == "grad_below" and walk.loss[-1] > 17.0  # a dimple, far above 0
    hessian = np.array([(rastrigin.grad(walk.w[-1] + 1e-5 * e) - rastrigin.grad(walk.w[-1] - 1e-5 * e)) / 2e-5
                        for e in np.eye(2)])
    assert np.all(np.linalg.eigvalsh(hessian) > 0)  # a true local minimum


# ---------------------------------------------------------------- 03 meet Chad

def test_03_on_the_bowl_the_centred_chord_is_the_tangent_whatever_h():
    for h in (0.1, 0.5, 1.0, 2.0):
        probe = experiments.probing("bowl", h=h)
        assert probe.estimate == pytest.approx(probe.exact, abs=1e-12)


def test_03_forward_probing_on_rosenbrock_gets_the_first_slope_wrong_way_round():
    probe = experiments.probing("rosenbrock", h=0.3, method="forward")
    assert np.sign(probe.estimate[0]) == -np.sign(probe.exact[0]) != 0


def test_03_the_error_plot_and_its_reading():
    # 03-09 and 03-11: h from 1e-13 to 1; slopes 1 and 2 on the right; best h near 1e-8 and in
    # [1e-6, 1e-5]; centred better by more than two orders of magnitude.
    probe = experiments.probe_errors("rosenbrock")
    h_values, errors = probe.h_values, probe.errors
    assert h_values[0] == pytest.approx(1e-13) and h_values[-1] == pytest.approx(1.0)
    large = (h_values >= 1e-3) & (h_values <= 1e-1)
    for method, slope in (("forward", 1.0), ("centred", 2.0)):
        fitted = np.polyfit(np.log10(h_values[large]), np.log10(errors[method][large]), 1)[0]
        assert fitted == pytest.approx(slope, abs=0.1)
    best_forward = h_values[errors["forward"].argmin()]
    best_centred = h_values[errors["centred"].argmin()]
    assert 1e-9 <= best_forward <= 1e-7 and math.sqrt(np.finfo(float).eps) == pytest.approx(1.5e-8, rel=0.02)
    assert 1e-6 <= best_centred <= 1e-5
    assert errors["centred"].min() < errors["forward"].min() / 100
    assert 15 < -math.log10(np.finfo(float).eps) < 17  # "about 16 significant digits"


def test_03_gdviz_probes_centred_with_h_1e_5_by_default():
    defaults = inspect.signature(gradients.numeric_gradient).parameters
    assert defaults["h"].default == 1e-5 and defaults["method"].default in ("centred", "centered")


def test_03_the_bowls_gradient_is_2w():
    for w in [(-2.0, 1.5), (0.3, -7.0)]:
        assert BOWL.grad(w).tolist() == [2 * w[0], 2 * w[1]]


def test_03_steps_in_eight_directions_and_along_minus_grad():
    # 03-14a and 03-14c: Taylor's prediction agrees within 1e-3; no direction beats -grad.
    changes = experiments.step_changes("ravine", length=0.01)
    assert len(changes.angles) == 8 and np.allclose(np.diff(changes.angles), 45.0)
    assert np.max(np.abs(changes.changes - changes.predicted)) < 1e-3
    assert changes.downhill_change < changes.changes.min()
    fine = experiments.step_changes("ravine", length=0.01, directions=3600)  # every tenth of a degree
    assert changes.downhill_change <= fine.changes.min()
    grad = RAVINE.grad(RAVINE.start)
    assert changes.downhill_change == pytest.approx(-0.01 * np.linalg.norm(grad), rel=1e-2)


def test_03_the_field_of_arrows_and_where_they_point():
    # 03-14c: 80 points; 03-14e: on the ravine more than half miss the minimum by over 30 degrees,
    # the worst by 65 degrees, which the theory bounds by arccos(2 sqrt(k) / (k + 1)), k = 20.
    field = experiments.gradient_field("ravine", n=9)
    assert len(field.points) == 80
    assert np.mean(field.miss_angle > 30) > 0.5
    bound = math.degrees(math.acos(2 * math.sqrt(20) / 21))
    assert round(field.miss_angle.max()) == 65 and field.miss_angle.max() <= bound + 1e-9


def test_03_the_gradient_check_thresholds():
    # 03-15: below 1e-7 excellent; above 1e-2 wrong.
    assert gradients.verdict(0.9e-7).startswith("excellent")
    assert not gradients.verdict(1.1e-7).startswith("excellent")
    assert gradients.verdict(1.1e-2).startswith("wrong")
    assert not gradients.verdict(0.9e-2).startswith("wrong")


def test_03_what_probing_costs():
    # 03-19: 4 readings for 2 parameters (5 with Chad's own); 61 460 for 30 730 parameters.
    _, readings = gradients.numeric_gradient(BOWL, BOWL.start, return_evaluations=True)
    assert readings == 4
    walk = gdviz.run(optimizers.gradient_descent("bowl", start=BOWL.start, alpha=0.1, gradient="numeric"),
                     max_steps=30)
    assert np.all(walk.state["loss_readings"] == 5)
    for n in (1, 2, 5, 100):  # two per parameter, counted by the probe itself
        _, count = gradients.numeric_gradient(lambda w: float(w @ w), np.ones(n), return_evaluations=True)
        assert count == 2 * n
    assert 2 * 30730 == 61460


# ---------------------------------------------------------------- 04 vanilla gradient descent

def body_lines(function):
    """A function's source after its docstring, one stripped line each."""
    source = inspect.getsource(function)
    body = source[source.index('"""', source.index('"""') + 3) + 3:] if '"""' in source else source
    return [line.strip() for line in body.strip().splitlines()]


def test_04_the_source_shown_is_the_loop():
    # 04-02 and 04-03: the loop printed holds the two lines of the pseudocode and nothing of the
    # bookkeeping; plain descent's rule is the move alpha * grad.
    loop = body_lines(optimizers.walk)
    assert loop == ["w, state, t = start, {}, 0", "while True:", "grad, seen = gradient_at(w, t)",
                    "move, state = update(grad, {**state, **seen}, t)",
                    "yield Step(t, w, float(landscape(w)), grad, {**state, **seen})",
                    "w = w - move", "t += 1"]
    assert body_lines(optimizers.descent_rule) == ["return alpha * grad, state"]
    assert not re.search(r"_checks|sensor|numeric", "\n".join(loop))
    # "does only the paperwork": gradient_descent is the loop with that rule, step for step.
    steps = optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05)
    by_hand = optimizers.walk(landscapes.get("ravine"), np.array([-2.5, 2.0]),
                              lambda grad, state, t: optimizers.descent_rule(grad, state, t, alpha=0.05),
                              lambda w, t: (landscapes.get("ravine").grad(w), {}))
    for _ in range(20):
        assert np.array_equal(next(steps).w, next(by_hand).w)


def test_04_numeric_gradient_hands_the_loop_chads_probe():
    analytic = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), max_steps=50)
    probed = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05, gradient="numeric"),
                       max_steps=50)
    assert np.allclose(probed.w, analytic.w, rtol=0, atol=1e-8)
    assert "loss_readings" in probed.state and "loss_readings" not in analytic.state


def test_04_a_quarter_halves_the_distance_and_quarters_the_loss():
    # 04-03 and 04-04.
    steps = optimizers.gradient_descent("bowl", start=(-2.0, 1.5), alpha=0.25)
    walk = [next(steps) for _ in range(4)]
    for before, after in zip(walk, walk[1:], strict=False):
        assert np.allclose(after.w, before.w / 2) and after.loss == pytest.approx(before.loss / 4)


def test_04_each_tenfold_stricter_grad_below_costs_about_90_steps():
    # 04-07: 70, 161 and 252 steps; the floor's factor 1 - alpha m = 0.975 predicts ln 10 / -ln 0.975.
    counts = [gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), max_steps=500,
                        grad_below=threshold).n_updates for threshold in (1e-1, 1e-2, 1e-3)]
    assert counts == [70, 161, 252]
    per_decade = math.log(10) / -math.log(1 - 0.05 * 0.5)
    assert round(per_decade, -1) == 90 and np.allclose(np.diff(counts), per_decade, atol=1.0)


def test_04_patience_stops_chad_early_and_a_large_alpha_diverges():
    # 04-07: patience 5, min_delta 0.01 -> 49 steps at loss 0.028; loss_below 1e-6 -> 252 steps;
    # alpha = 0.21 > 2/L diverges after 62 steps (the app's max_steps is 200).
    impatient = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), max_steps=200, patience=5,
                          min_delta=0.01)
    assert impatient.stop_reason == "no_improvement" and impatient.n_updates == 49
    assert round(impatient.loss[-1], 3) == 0.028
    patient = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), max_steps=500,
                        loss_below=1e-6)
    assert patient.n_updates == 252
    wild = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.21), max_steps=200)
    assert wild.stop_reason == "diverged" and wild.n_updates == 62 and 0.21 > 2 / RAVINE.max_curvature
    assert np.linalg.norm(wild.w[-1]) > 1e3  # the escape radius fired


# ---------------------------------------------------------------- 06 the learning rate

def test_06_the_bowls_curvature_is_two_and_point_nine_oscillates():
    assert BOWL.hessian.tolist() == [[2.0, 0.0], [0.0, 2.0]]
    assert theory.learning_rate_regime(BOWL.max_curvature, 0.9) == "oscillating"


@pytest.fixture(scope="module")
def regime_walks():
    return experiments.regime_walks("ravine", max_steps=30)


def test_06_four_learning_rates(regime_walks):
    # 06-06: too small leaves a fifth of the offset across the walls; 1/L lands on the floor in one step;
    # oscillating settles lower than 1/L; diverging stops itself.
    (tiny, small), (_, one), (_, swinging), (_, wild) = regime_walks.values()
    assert tiny == pytest.approx(0.005)
    across = steep_axis_offsets(small)
    assert round(across[-1] / across[0], 1) == 0.2
    assert across[-1] / across[0] == pytest.approx((1 - 0.005 * 10) ** 30)  # the theory's factor, 30 times
    assert abs(steep_axis_offsets(one)[1]) < 1e-12 * abs(steep_axis_offsets(one)[0])
    swing = steep_axis_offsets(swinging)
    assert np.all(swing[1:] * swing[:-1] < 0) and np.all(np.abs(swing[1:]) < np.abs(swing[:-1]))
    assert swinging.loss[-1] < one.loss[-1]
    assert wild.stop_reason == "diverged" and np.all(np.isfinite(wild.w))


@pytest.mark.parametrize("alpha, behaviour", [(0.25, "one side"), (0.5, "one step"),
                                              (0.75, "overshoots, less"), (1.0, "bounces"),
                                              (1.25, "overshoots, more")])
def test_06_the_table_of_factors_on_the_bowl(alpha, behaviour):
    # 06-07's table, on the bowl (lambda = 2 in every direction): alpha lambda = 0.5, 1, 1.5, 2, 2.5.
    walk = gdviz.run(optimizers.gradient_descent("bowl", (1.0, 0.0), alpha), max_steps=6)
    x = walk.w[:, 0]
    if behaviour == "one side":
        assert np.all(x > 0) and np.all(np.diff(x) < 0)
    elif behaviour == "one step":
        assert x[1] == 0.0
    elif behaviour == "bounces":
        assert np.allclose(np.abs(x), 1.0) and np.all(x[1:] * x[:-1] < 0)
    else:
        assert np.all(x[1:] * x[:-1] < 0)
        growing = np.abs(x[1:]) > np.abs(x[:-1])
        assert np.all(growing) if behaviour.endswith("more") else not np.any(growing)


def test_06_the_best_factor_is_about_one_minus_2m_over_l():
    # 06-07: with alpha below 2/L, the floor's factor is at best about 1 - 2m/L (exactly (L - m)/(L + m)).
    m, high = 0.5, 10.0
    alphas = np.linspace(1e-4, 2 / high, 20001)[:-1]
    slowest = np.maximum(np.abs(1 - alphas * m), np.abs(1 - alphas * high))
    assert slowest.min() == pytest.approx((high - m) / (high + m), abs=1e-4)
    assert slowest.min() == pytest.approx(1 - 2 * m / high, abs=0.01)


@pytest.fixture(scope="module")
def sweep():
    return experiments.alpha_sweep("ravine", max_steps=50)


def test_06_the_sweeps_grid(sweep):
    # 06-09: 41 rates from 0.01/L to 3/L, each 15 % above the last, 50 steps each.
    assert len(sweep.alpha) == 41 and sweep.max_steps == 50
    assert sweep.alpha[0] == pytest.approx(0.01 / 10) and sweep.alpha[-1] == pytest.approx(3 / 10)
    steps = sweep.alpha[1:] / sweep.alpha[:-1]
    assert np.allclose(steps, steps[0]) and round(steps[0] - 1, 2) == 0.15


def test_06_reading_the_sweep(sweep):
    # 06-11: the loss falls up to the best rate 0.170 (factors -0.70 and 0.915); 0.196, just below 2/L,
    # has a factor -0.96, a tenth of the offset left after 50 steps, final loss 0.49; 0.226 is past 2/L,
    # factor -1.26, off the map after 26 steps; the sweep brackets 2/L = 0.2 between them.
    best = int(sweep.final_loss.argmin())
    assert np.all(np.diff(sweep.final_loss[:best + 1]) < 0)
    assert round(sweep.alpha[best], 3) == 0.170
    assert round(1 - sweep.alpha[best] * 10, 2) == -0.70 and round(1 - sweep.alpha[best] * 0.5, 3) == 0.915
    below, above = sweep.alpha[best + 1], sweep.alpha[best + 2]
    assert round(below, 3) == 0.196 and below < 2 / 10 < above and round(above, 3) == 0.226
    assert round(1 - below * 10, 2) == -0.96 and round(abs(1 - below * 10) ** 50, 1) == 0.1
    assert not sweep.diverged[best + 1] and round(sweep.final_loss[best + 1], 2) == 0.49
    assert round(1 - above * 10, 2) == -1.26
    assert sweep.diverged[best + 2] and sweep.steps[best + 2] == 26
    assert sweep.alpha[sweep.diverged].min() == above
    assert theory.rate_limits(RAVINE.max_curvature)[1] == pytest.approx(0.2, rel=1e-12)  # L = 10 - 2e-15


# ---------------------------------------------------------------- 03 meet Chad: the chain rule as code

ROSENBROCK_TEXT = "(1 - x)**2 + 100 * (y - x**2)**2"  # 03-20d, as typed there


def test_03_the_chain_rule_for_a_sine_of_a_product():
    # 03-20a: sin's derivative is cos; a product uv changes by v per unit of u and by u per unit of v;
    # d/dx sin(xy) = cos(xy) y. 03-20c: cos(xy) times y along x, times x along y. Checked against
    # centred differences, and in the words the program writes (03-20b).
    from gdviz import formula

    product, sine = formula.parse("sin(x * y)"), formula.parse("sin(x)")
    assert (product.written("d/dx"), product.written("d/dy")) == ("cos(x*y)*y", "cos(x*y)*x")
    assert sine.written("d/dx") == "cos(x)" and formula.parse("x * y").written("d/dx") == "y"
    for x, y in np.random.default_rng(3).uniform(-2, 2, size=(20, 2)):
        numeric = gradients.numeric_gradient(lambda w: math.sin(w[0] * w[1]), (x, y))
        assert np.allclose(product.grad(x, y), numeric, atol=1e-8)
        assert np.allclose(product.grad(x, y), (math.cos(x * y) * y, math.cos(x * y) * x), rtol=1e-14)
        assert formula.parse("x * y").grad(x, y) == (y, x)


def test_03_a_formula_may_use_w1_and_w2_for_x_and_y():
    # 03-20a: "in x and y (or w1 and w2)".
    points = np.random.default_rng(4).uniform(-2, 2, size=(10, 2))
    aliased = landscapes.from_formula("(1 - w1)**2 + 100 * (w2 - w1**2)**2")
    typed = landscapes.from_formula(ROSENBROCK_TEXT)
    assert np.array_equal(aliased(points), typed(points))
    assert np.array_equal(aliased.grad(points), typed.grad(points))


def test_03_rosenbrock_typed_in_has_the_hand_worked_gradient():
    # 03-20c: exactly the catalogue's gradient (equal at Chad; to rounding everywhere else), and the
    # gradient check reads it as closely as the hand-written one (both excellent, 03-16 and 03-20d).
    typed, rosenbrock = landscapes.from_formula(ROSENBROCK_TEXT), landscapes.get("rosenbrock")
    chad = BOWL.start
    assert typed.grad(chad).tolist() == rosenbrock.grad(chad).tolist() == [-2006.0, -500.0]
    points = np.random.default_rng(5).uniform(-2, 2, size=(200, 2))
    assert np.allclose(typed.grad(points), rosenbrock.grad(points), rtol=1e-13, atol=1e-12)
    mine = gradients.gradient_check(typed, typed.grad, (-1.5, 2.0))
    theirs = gradients.gradient_check(rosenbrock, rosenbrock.grad, (-1.5, 2.0))
    assert mine.verdict == theirs.verdict and mine.verdict.startswith("excellent")
    assert mine.relative_error < 1e-9 and theirs.relative_error < 1e-9


def test_03_anything_else_is_refused_by_name_and_place_and_never_run(monkeypatch):
    # 03-20e: only numbers, x and y, + - * / **, parentheses and eight functions; anything else is an
    # error naming it and where it stands; the text is never run as Python: parsing and evaluating
    # work while compile may only build a syntax tree and eval and exec fail.
    import ast
    import builtins

    from gdviz import formula

    assert set(formula.FUNCTIONS) == {"sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh"}
    for text, named in [("x + os", "'os' at column 5"), ("x.real", "'x.real' at column 1"),
                        ("2 * print(x)", "'print' in 'print(x)' at column 5"),
                        ("x % 2", "'x % 2' at column 1"), ("'x'", "at column 1")]:
        with pytest.raises(ValueError, match=re.escape(named)):
            landscapes.from_formula(text)
    real_compile, compiled = builtins.compile, []

    def tree_only(source, filename, mode, flags=0, *args, **kwargs):
        compiled.append(flags)
        assert flags & ast.PyCF_ONLY_AST, "a formula was compiled to code"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def never(*args, **kwargs):
        raise AssertionError("a formula was run as Python")

    monkeypatch.setattr(builtins, "compile", tree_only)
    monkeypatch.setattr(builtins, "eval", never)
    monkeypatch.setattr(builtins, "exec", never)
    typed = landscapes.from_formula(ROSENBROCK_TEXT + " + sin(x) * exp(y) / sqrt(abs(x) + 1)")
    typed.mesh(20), typed.grad(typed.start), typed.hessian_at(typed.start)
    assert len(compiled) == 1  # ast.parse: text to a syntax tree, once


def test_03_the_gradient_reuses_what_the_loss_computes_and_costs_less_than_twice_it(formula_calls):
    # 03-20e and 03-20f: both squares' insides, 1 - x and y - x**2, are computed once for the loss and
    # its gradient; 7 operations for the loss, 13 with the gradient, fewer than twice 7; probing reads
    # the loss four more times (centred, two parameters).
    from gdviz import formula

    valley = formula.parse(ROSENBROCK_TEXT)
    calls = formula_calls
    calls.clear()  # counting starts once the formula is read
    valley.loss(-2.0, 1.5)
    alone = len(calls)
    assert calls.count("sub") == 2
    calls.clear()
    valley.grad(-2.0, 1.5)
    assert calls.count("sub") == 2 and len(calls) == valley.count("loss", "d/dx", "d/dy")
    assert (alone, len(calls)) == (valley.count("loss"), 13) == (7, 13) and 13 < 2 * 7
    _, readings = gradients.numeric_gradient(BOWL, BOWL.start, return_evaluations=True)
    assert readings == 4
