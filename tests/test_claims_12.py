"""Every number and comparison the prose of notebook 12 states, on the same calls the notebook makes.

Verdicts are nudged (alpha, or the damping, x 0.9 and x 1.1: the experiments walk those too) and
repeated from other starts (the race's starts drawn with another seed).
"""

import math

import numpy as np
import pytest

import gdviz
from gdviz import exercises, experiments, landscapes, optimizers, theory
from gdviz.apps import Explorer

OTHER_SEED = 1  # another 16 starts, drawn as the race draws its own


@pytest.fixture(scope="module")
def ravine():
    return experiments.newton_vs_descent("ravine")


@pytest.fixture(scope="module")
def study():
    return experiments.damping_study("rosenbrock", dampings=(0.0, 1.0, 10.0))


@pytest.fixture(scope="module")
def study_elsewhere():
    return experiments.damping_study("rosenbrock", dampings=(0.0, 1.0, 10.0), seed=OTHER_SEED)


@pytest.fixture(scope="module")
def sweep():
    return experiments.line_search_sweep("ravine", alphas=(0.1, 0.3, 1.0, 3.0, 10.0))


def counting(name):
    """A catalogue landscape whose loss, gradient and Hessian count their calls (one point at a time)."""
    land = landscapes.get(name)
    calls = {"loss": 0, "grad": 0, "hessian": 0}

    def loss(x, y):
        calls["loss"] += 1
        return land(np.stack([x, y], axis=-1))

    def grad(x, y):
        calls["grad"] += 1
        return tuple(land.grad(np.stack([x, y], axis=-1)))

    def hess(x, y):
        calls["hessian"] += 1
        (xx, xy), (_, yy) = land.hessian_at(np.stack([x, y], axis=-1))
        return xx, xy, yy

    return land.replace(name=f"counted {name}", loss=loss, grad=grad, hess=hess, hessian=None), calls


# ---------------------------------------------------------------- Newton on the ravine

def test_newton_lands_on_the_minimum_and_plain_descent_needs_about_150(ravine):
    assert ravine.landed.max() < 1e-12 and len(ravine.starts) == 16
    assert ravine.newton[1.0].tolist() == [1.0] * 16
    # "Newton with alpha x 0.9 or 1.1 ... still needs only 7 updates"
    assert ravine.newton[0.9].tolist() == [7.0] * 16 and ravine.newton[1.1].tolist() == [7.0] * 16
    descent = ravine.descent
    assert f"{descent.alpha:.3f}" == "0.169" and descent.score == 149 and descent.spread == (139, 155)
    assert descent.nudged == {0.9: 166, 1.1: 135} and descent.robust  # "166 and 135 at its own nudges"
    assert abs(descent.score - 150) <= 5  # the introduction's "about 150 steps"


@pytest.mark.parametrize("alpha", [0.9, 1.1])
def test_a_nudged_newton_step_leaves_a_tenth_of_the_distance(alpha):
    land = landscapes.get("ravine")
    walk = gdviz.run(optimizers.newton(land, land.start, alpha=alpha), max_steps=5)
    offsets = walk.w - land.minima[0]
    for before, after in zip(offsets[:-1], offsets[1:], strict=True):
        assert after == pytest.approx((1 - alpha) * before, rel=1e-9, abs=1e-14)


def test_newton_beats_plain_descent_on_the_ravine_from_other_starts_too():
    elsewhere = experiments.newton_vs_descent("ravine", seed=OTHER_SEED)
    assert not np.allclose(elsewhere.starts[1:], experiments.race_starts("ravine")[1:])
    worst_newton = max(steps.max() for steps in elsewhere.newton.values())
    race = experiments.race("ravine", names=("gradient_descent",), max_steps=200, loss_below=1e-12)
    for factor in (1.0, 0.9, 1.1):
        descent = race.scores_at("gradient_descent", factor, starts=elsewhere.starts)
        assert worst_newton <= 7 < 100 < descent.min()


def test_one_step_whatever_the_condition_number():
    conditions = experiments.one_step_by_condition((10, 100, 1e4, 1e6))
    assert f"{conditions.start_distance:.2f}" == "3.20"
    assert np.all(conditions.distance < 1e-10)
    # "loses about log10 k of the 16 digits": the landing error is within a few k * machine epsilon.
    for k, distance in zip(conditions.conditions, conditions.distance, strict=True):
        assert distance <= 10 * k * np.finfo(float).eps * conditions.start_distance
    plain = experiments.speedup_table(conditions.conditions)
    assert [f"{row['descent_steps']:,.1f}" for row in plain] == ["11.5", "115.1", "11,512.9", "1,151,292.5"]
    assert plain[-1]["descent_steps"] > 1e6  # "over a million steps per digit"
    for row in plain:  # those steps are ln 10 / -ln((k - 1)/(k + 1)), the best fixed rate's (11)
        best = theory.descent_optimum(1.0, row["k"])
        assert row["descent_steps"] == pytest.approx(math.log(10) / -math.log(best[1]), rel=1e-9)


# ---------------------------------------------------------------- Rosenbrock, undamped

def test_the_undamped_walk_as_printed(study):
    walk = study[0.0].walk
    distance = np.linalg.norm(walk.w - [1.0, 1.0], axis=1)
    shown = [[f"{value:.3g}" if value > 1e-15 else "<1e-15" for value in values]
             for values in (walk.loss, distance)]
    assert shown[0] == ["12.5", "6.01", "752", "0.631", "39.7", "1.09e-07", "1.2e-12", "<1e-15"]
    assert shown[1] == ["2.69", "2.69", "3.78", "1.24", "0.631", "0.000739", "1.09e-07", "<1e-15"]
    # "below 1e-12 in seven updates (after six it is a hair above)"
    assert walk.n_updates == 7 and walk.stop_reason == "loss_below" and 1e-12 < walk.loss[6] < 1.5e-12
    # "its second step leaps ... off the drawn map to w2 ~ -2.7, where the loss is 752, 60 times the start's"
    assert round(walk.w[2, 1], 1) == -2.7 and walk.w[2, 1] < study.landscape.domain[1][0]
    assert round(walk.loss[2] / walk.loss[0]) == 60
    assert walk.loss[3] < walk.loss[2] and walk.loss[4] > walk.loss[3]  # "its fourth step climbs again"


def test_near_the_minimum_the_digits_about_double(study):
    walk = study[0.0].walk
    distance = np.linalg.norm(walk.w - [1.0, 1.0], axis=1)
    digits = -np.log10(distance[5:7])
    assert np.round(digits).tolist() == [3, 7] and 1.8 < digits[1] / digits[0] < 2.5
    # "at most a fixed multiple of the square": the theory's multiple (tests/test_second_order.py)
    third = math.sqrt(2400.0 ** 2 + 3 * 400.0 ** 2)
    bound = 0.5 * third / np.linalg.eigvalsh(study.landscape.hessian_at((1.0, 1.0)))[0]
    assert distance[6] <= bound * distance[5] ** 2 and distance[5] <= bound * distance[4] ** 2
    # Plain descent's error shrinks by a constant factor: on the ravine, (k - 1)/(k + 1) = 0.905 per step.
    plain = gdviz.run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 2 / 10.5), max_steps=200).w
    ratios = np.linalg.norm(plain[101:], axis=1) / np.linalg.norm(plain[100:-1], axis=1)
    assert ratios == pytest.approx(9.5 / 10.5, rel=1e-6)


# ---------------------------------------------------------------- damping

def test_damping_divides_each_slope_by_its_curvature_plus_lambda():
    # "along a direction of curvature h the step becomes g_h / (h + lambda) instead of g_h / h"
    land = landscapes.get("rosenbrock")
    curvatures, axes = np.linalg.eigh(land.hessian_at(land.start))
    slopes = axes.T @ land.grad(land.start)
    for damping in (0.0, 1.0, 10.0):
        walk = gdviz.run(optimizers.newton(land, land.start, damping=damping), max_steps=1).w
        step = axes.T @ (walk[0] - walk[1])
        assert step == pytest.approx(slopes / (curvatures + damping), rel=1e-9)


def test_undamped_newton_is_fastest_at_alpha_one_and_fragile(study):
    row = study[0.0]
    assert row.median() == 5 and row.worst() == 8 and row.reached() == 16
    assert row.median("α × 0.9") == 25 and row.reached("α × 0.9") == 16
    assert row.reached("α × 1.1") == 6  # "10 of the 16 starts never arrive"
    # "(they fly off the map)": those walks diverged
    batch = gdviz.run_batch("newton", "rosenbrock", study.starts, alpha=1.1, max_steps=1000,
                            loss_below=1e-12)
    assert (batch.stop_reason == "diverged").sum() == 10
    assert max(row.median(), row.worst()) < min(study[1.0].median(), study[10.0].median())


def test_damping_one_arrives_from_every_start_at_every_nudge_here(study):
    row = study[1.0]
    assert set(row.steps) == {"as set", "α × 0.9", "α × 1.1", "λ × 0.9", "λ × 1.1"}
    assert all(row.reached(label) == 16 for label in row.steps)
    assert min(steps.min() for steps in row.steps.values()) == 36
    assert max(steps.max() for steps in row.steps.values()) == 133
    assert all(40 <= row.median(label) <= 60 for label in row.steps)  # "about 50 updates"


def test_damping_ten_arrives_everywhere_and_at_alpha_one_never_rises(study, study_elsewhere):
    for where in (study, study_elsewhere):  # "from all 32 starts at every nudge, in 300 to 400 updates"
        row = where[10.0]
        assert all(row.reached(label) == 16 for label in row.steps)
        assert 300 <= min(steps.min() for steps in row.steps.values())
        assert max(steps.max() for steps in row.steps.values()) <= 400
        assert row.rises["as set"].max() == 0


def test_plain_descent_reaches_the_goal_from_no_start(study):
    assert all(np.isinf(steps).all() for steps in study.descent_steps.values())
    assert f"{study.descent.alpha:.4f}" == "0.0021" and round(study.descent.score, 2) == 0.76
    assert study.max_steps == 1000


def test_the_damping_verdicts_from_other_starts(study_elsewhere):
    undamped, middle = study_elsewhere[0.0], study_elsewhere[1.0]
    assert not np.allclose(study_elsewhere.starts[1:], experiments.race_starts("rosenbrock")[1:])
    # undamped: fastest at alpha = 1, and "9 of the other 16" fail at alpha x 1.1
    assert undamped.reached() == 16 and undamped.median() < middle.median() < study_elsewhere[10.0].median()
    assert undamped.reached("α × 1.1") == 7
    # lambda = 1: "from the other 16 starts, one walk with alpha times 1.1 does not" arrive
    assert middle.reached("α × 1.1") == 15
    assert all(middle.reached(label) == 16 for label in middle.steps if label != "α × 1.1")
    assert all(np.isinf(steps).all() for steps in study_elsewhere.descent_steps.values())


# ---------------------------------------------------------------- flat spots

def test_where_newton_stops():
    assert dict(experiments.newton_stops("saddle")) == {"saddle point": 16}
    assert dict(experiments.newton_stops("saddle", damping=3.0)) == {"did not stop": 16}
    hills = experiments.newton_stops("himmelblau")
    assert dict(hills) == {"maximum": 12, "saddle point": 3, "minimum": 1}
    tops = hills.ends[[kind == "maximum" for kind in hills.kinds]]
    assert tops == pytest.approx(np.tile([-0.270845, -0.923039], (12, 1)), abs=1e-5)  # the middle hilltop
    walk = hills.walks["Newton, λ = 0"]
    assert walk.loss[-1] > walk.loss[0]  # "gains loss on the way up"


def test_one_step_onto_the_saddle_point_and_damping_three_slides_away():
    saddle = landscapes.get("saddle")
    assert saddle.hessian_at((0.3, -0.7)).tolist() == [[2.0, 0.0], [0.0, -2.0]]
    for start in experiments.race_starts("saddle"):
        walk = gdviz.run(optimizers.newton(saddle, start), max_steps=5, grad_below=1e-8)
        assert walk.n_updates == 1 and walk.w[1].tolist() == [0.0, 0.0]
        away = gdviz.run(optimizers.newton(saddle, start, damping=3.0), max_steps=200)
        assert away.stop_reason == "diverged" and np.all(np.diff(away.loss) < 0)
        assert np.all(np.diff(np.abs(away.w[:, 1])) > 0)  # "slides off along w2"
    assert np.all(np.linalg.eigvalsh(saddle.hessian_at((0.0, 0.0)) + 3 * np.eye(2)) == [1.0, 5.0])


def test_plain_descent_from_the_same_starts_never_climbs_to_the_hilltop():
    batch = gdviz.run_batch("gradient_descent", "himmelblau", experiments.race_starts("himmelblau"),
                            alpha=0.01, max_steps=2000, grad_below=1e-8)
    assert np.all(batch.stop_reason == "grad_below") and np.all(batch.final_loss < 1e-12)  # all at minima


# ---------------------------------------------------------------- the line search

def test_the_first_search_on_the_ravine():
    search = experiments.armijo_search("ravine", alpha=1.0)
    assert f"{search.loss_here:.4g} {search.slope:.4g}" == "44.8 889.6" and search.c == 1e-4
    assert search.tried.tolist() == [1.0, 0.5, 0.25, 0.125] and search.accepted == 0.125
    assert [f"{loss:.4g}" for loss in search.tried_losses] == ["3602", "711.6", "100.3", "3.077"]
    # "t = 1, 1/2 and 1/4 land high on the far wall": above the start's loss, past the ray's lowest point
    land = search.landscape
    for t, there in zip(search.tried[:3], search.tried_losses[:3], strict=True):
        assert there > search.loss_here and land.grad(search.w - t * search.grad) @ -search.grad > 0


def test_a_search_reads_one_loss_per_try_and_one_gradient_per_step():
    land, calls = counting("ravine")
    walk = gdviz.run(optimizers.line_search(land, land.start), max_steps=10)
    assert calls["grad"] == len(walk) and calls["hessian"] == 0
    # Chad's reading at each point, L(w) again for the test, and one per try
    assert calls["loss"] == 2 * len(walk) + walk.state["losses_tried"].sum()


def test_the_search_frees_alpha_where_plain_descent_diverges(sweep):
    assert len(sweep.starts) == 16
    for alpha in (0.3, 1.0, 3.0, 10.0):
        for factor in (1.0, 0.9, 1.1):
            assert np.isfinite(sweep.search[alpha][factor]).all()
            plain = gdviz.run_batch("gradient_descent", "ravine", sweep.starts, alpha=alpha * factor,
                                    max_steps=500, loss_below=1e-12)
            assert np.all(plain.stop_reason == "diverged") and alpha * factor > sweep.edge
    steps = np.concatenate([sweep.search[alpha][factor] for alpha in (0.3, 1.0, 3.0, 10.0)
                            for factor in (1.0, 0.9, 1.1)])
    assert (steps.min(), steps.max()) == (45, 139)
    assert sweep.edge == pytest.approx(0.2)
    assert (0.3 * 0.9, 10 * 1.1) == pytest.approx((0.27, 11))  # "first tries from 0.27 to 11"


def test_near_a_tenth_the_search_is_plain_descent_step_for_step(sweep):
    for factor in (1.0, 0.9, 1.1):
        alpha = 0.1 * factor
        for start in sweep.starts[:4]:
            searched = gdviz.run(optimizers.line_search("ravine", start, alpha), max_steps=300,
                                 loss_below=1e-12)
            plain = gdviz.run(optimizers.gradient_descent("ravine", start, alpha), max_steps=300,
                              loss_below=1e-12)
            assert np.array_equal(searched.w, plain.w) and np.all(searched.state["losses_tried"] == 1)
    low = min(sweep.search[0.1][factor].min() for factor in (1.0, 0.9, 1.1))
    high = max(sweep.search[0.1][factor].max() for factor in (1.0, 0.9, 1.1))
    assert (low, high) == (217, 298)
    assert np.array_equal(sweep.search[0.1][1.0], sweep.descent[0.1])


def test_each_doubling_of_the_first_try_costs_about_one_more_loss(sweep):
    tries = {alpha: float(np.median(sweep.tries[alpha])) for alpha in sweep.tries}
    for low, high in ((0.3, 1.0), (1.0, 3.0), (3.0, 10.0)):
        assert (tries[high] - tries[low]) / math.log2(high / low) == pytest.approx(1.0, abs=0.15)
    assert f"{tries[10.0]:.1f}" == "6.7"
    assert [f"{tries[alpha]:.2f}" for alpha in tries] == ["1.00", "1.60", "3.25", "4.99", "6.67"]


def test_on_rosenbrock_the_search_still_crawls():
    land = landscapes.get("rosenbrock")
    for factor in (1.0, 0.9, 1.1):
        walk = gdviz.run(optimizers.line_search(land, land.start, factor), max_steps=1000, loss_below=1e-12)
        assert walk.stop_reason == "max_steps" and walk.loss[-1] > 1e-12
    for start in experiments.race_starts("rosenbrock", seed=OTHER_SEED)[1:6]:  # and from other starts
        walk = gdviz.run(optimizers.line_search(land, start), max_steps=1000, loss_below=1e-12)
        assert walk.stop_reason == "max_steps"


# ---------------------------------------------------------------- what a step costs

def test_the_cost_table(ravine, sweep):
    table, counts = experiments.cost_table(ravine, sweep, alpha=1.0)
    assert counts == {
        "plain descent": {"updates": 150, "gradients": 150, "hessians": 0, "trial losses": 0},
        "line search": {"updates": 104, "gradients": 104, "hessians": 0, "trial losses": 338},
        "Newton": {"updates": 1, "gradients": 1, "hessians": 1, "trial losses": 0},
    }
    assert "338" in table


def test_a_newton_step_reads_one_gradient_and_one_hessian():
    land, calls = counting("rosenbrock")
    walk = gdviz.run(optimizers.newton(land, land.start), max_steps=4)
    assert calls["grad"] == calls["hessian"] == len(walk)
    assert experiments.solve_multiply_adds(2) == 3  # "a 2 x 2 system of a few multiplications"


def test_the_sizes_of_a_hessian():
    rows = experiments.hessian_costs((2, 1_000, 1_000_000))
    big = rows[-1]
    assert big["gradient"] == 10**6 and big["hessian"] == 10**12
    assert big["bytes"] / 1e9 == 8000  # "8000 GB"
    assert f"{big['solve']:.2g}" == "3.3e+17" and round(big["solve"] / 1e17) == 3  # "about 3 x 10^17"
    assert [row["solve"] for row in rows[:2]] == [3, 333_832_500]
    for row in rows[1:]:  # "about n^3 / 3 multiply-adds"
        assert row["solve"] == pytest.approx(row["n"] ** 3 / 3, rel=0.01)


# ---------------------------------------------------------------- the app and the exercises

def test_the_explorer_as_the_notebook_opens_it():
    app = Explorer("rosenbrock", optimizer="newton")
    assert app.error is None and app.alpha.value == 1.0
    assert (min(app.damping.options), max(app.damping.options)) == (0.0, 1000.0)  # "0 to 1000"
    app.landscape.value = "himmelblau"
    assert "hilltop" in app.status.value
    app.optimizer.value = "line_search"
    assert "trial losses per step" in app.status.value and {"shrink", "c"} <= set(app.hyperparameters)


def test_the_exercises_as_posed_have_the_answers_the_key_gives():
    assert exercises.check_newton_step(lambda w, hessian, grad: w - np.linalg.solve(hessian, grad))
    tried = (10.4, 9.9, 9.5, 9.1, 8.9)
    assert exercises.check_armijo_search(0.25, 3, loss=10.0, slope=8.0, tried_losses=tried, alpha=1.0,
                                         shrink=0.5, c=0.1)
    assert exercises.check_hessian_cost(10_000 ** 2, 1000, n=10_000)
