"""Every number and comparison in notebook 07's prose, asserted on the experiment calls the notebook makes.

Each test names the cell whose prose it backs; the printed numbers are nbval's (cells tagged
`nbval-check-output`), the sentences around them this file's. Verdicts are nudged: the sweep at 0.9
and 1.1 times its rates and from other starts, the rates from 7 more starts at 0.9/L and 1.1/L. The
theory is checked by another route where one exists: the loss itself for the lemma, finite
differences for curvatures, brute-force sums and products for the schedules.
"""

import math

import numpy as np
import pytest

import gdviz
from gdviz import classifier, experiments, landscapes, theory
from gdviz.experiments._many_starts import starts_around


@pytest.fixture(scope="module")
def cross_entropy():
    return classifier.classifier_landscape(loss="cross_entropy")


@pytest.fixture(scope="module")
def lemma(cross_entropy):
    return experiments.descent_lemma(cross_entropy)


@pytest.fixture(scope="module")
def rates():
    return experiments.convergence_rates()


@pytest.fixture(scope="module")
def sums():
    return experiments.schedule_sums()


@pytest.fixture(scope="module")
def walks():
    return experiments.schedule_walks("bowl", alpha=0.05, decay_steps=10, step_size=10, steps=2000)


def numeric_hessian(landscape, w, h=1e-5):
    columns = [(landscape.grad(w + h * e) - landscape.grad(w - h * e)) / (2 * h) for e in np.eye(2)]
    return (np.array(columns) + np.array(columns).T) / 2


def top_curvature(landscape, w):
    x, y = landscape.data
    return np.linalg.eigvalsh(experiments.log_loss_hessian(x, y, *w))[-1]


# ---------------------------------------------------------------- 07-01, 07-02: L-smoothness

def test_the_classifier_hessian_is_bounded_by_its_data_everywhere(cross_entropy):
    # 07-01: 60 examples; H = mean p (1 - p) [[x^2, x], [x, 1]] (checked by finite differences); no H exceeds
    # X~^T X~ / (4N) (the difference is positive semi-definite); the bound is reached at w = b = 0.
    x, y = cross_entropy.data
    assert len(x) == 60
    with_ones = np.column_stack([x, np.ones_like(x)])
    bound = with_ones.T @ with_ones / (4 * len(x))
    rng = np.random.default_rng(7)
    for w in rng.uniform(-8, 8, (40, 2)):
        hessian = experiments.log_loss_hessian(x, y, *w)
        np.testing.assert_allclose(hessian, numeric_hessian(cross_entropy, w), atol=1e-7)
        assert np.linalg.eigvalsh(bound - hessian)[0] >= -1e-15
    np.testing.assert_allclose(experiments.log_loss_hessian(x, y, 0.0, 0.0), bound, rtol=1e-14)
    assert theory.log_loss_smoothness(x) == pytest.approx(np.linalg.eigvalsh(bound)[-1])


def test_the_labels_play_no_part(cross_entropy):
    # 07-01: at w = b = 0 the Hessian, and so L, is the same whatever the labels.
    x, y = cross_entropy.data
    flipped = experiments.log_loss_hessian(x, 1 - y, 0.0, 0.0)
    np.testing.assert_array_equal(flipped, experiments.log_loss_hessian(x, y, 0.0, 0.0))


def test_at_the_minimum_the_curvature_is_almost_nine_times_smaller(cross_entropy):
    # 07-03: "almost nine times smaller"; 07-02 prints L / 8.9.
    L = theory.log_loss_smoothness(cross_entropy.data[0])
    ratio = L / top_curvature(cross_entropy, cross_entropy.minima[0])
    assert 8.5 < ratio < 9 and round(ratio, 1) == 8.9


# ---------------------------------------------------------------- 07-03: the descent lemma

def test_the_lemma_on_the_loss_itself(cross_entropy):
    # 07-03's inequality, checked on the loss (not on the walks): any w, any alpha, below 2/L or beyond.
    L = theory.log_loss_smoothness(cross_entropy.data[0])
    rng = np.random.default_rng(11)
    for w, multiple in zip(rng.uniform(-8, 8, (400, 2)), rng.uniform(0.05, 30, 400), strict=True):
        g = cross_entropy.grad(w)
        promised = theory.guaranteed_decrease(multiple / L, L, g)
        assert cross_entropy(w) - cross_entropy(w - multiple / L * g) >= promised - 1e-12


def test_the_guarantee_is_a_parabola_in_alpha():
    # 07-03: positive for 0 < alpha < 2/L, largest at 1/L where it is ||g||^2 / (2L), zero at 2/L, negative
    # beyond.
    L, g = 0.5535, np.array([0.3, -0.4])
    alphas = np.linspace(1e-4, 3 / L, 30001)
    values = theory.guaranteed_decrease(alphas, L, g)
    assert np.all(values[alphas < 2 / L * (1 - 1e-9)] > 0) and np.all(values[alphas > 2 / L * (1 + 1e-9)] < 0)
    assert alphas[np.argmax(values)] == pytest.approx(1 / L, rel=1e-3)
    assert theory.guaranteed_decrease(1 / L, L, g) == pytest.approx(g @ g / (2 * L))
    assert theory.guaranteed_decrease(2 / L, L, g) == pytest.approx(0.0, abs=1e-15)


def test_the_sweep_is_as_described(lemma, cross_entropy):
    # 07-03: 50 rates alpha L from 0.1 to 30, evenly spaced in log; 16 starts, Chad's first; up to 100 steps,
    # stopping once |g| <= 1e-6; walks at 1/L, 1.9/L and 24/L from Chad's start.
    assert len(lemma.multiples) == 50
    assert lemma.multiples[0] == pytest.approx(0.1) and lemma.multiples[-1] == pytest.approx(30)
    ratios = lemma.multiples[1:] / lemma.multiples[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)
    assert lemma.starts.shape == (16, 2) and np.array_equal(lemma.starts[0], cross_entropy.start)
    assert lemma.max_steps == 100
    assert list(lemma.walks) == ["1/L", "1.9/L", "24/L"]
    for multiple, walk in zip((1.0, 1.9, 24.0), lemma.walks.values(), strict=True):
        assert walk.alpha * walk.smoothness == pytest.approx(multiple)
        assert np.array_equal(walk.trajectory.w[0], cross_entropy.start)
        assert walk.trajectory.n_updates <= 100
        ended = walk.trajectory.stop_reason
        assert ended == "max_steps" or np.linalg.norm(walk.trajectory.grad[-1]) <= 1e-6


def test_below_two_over_l_every_step_of_every_walk_descends_by_at_least_the_guarantee(lemma, cross_entropy):
    # 07-04: from all 16 starts, every step went down, each by at least the guarantee; the lemma held in all
    # 800 walks, above 2/L too. Other starts (seed 1) say the same below 2/L.
    below = lemma.multiples < 2
    assert below.sum() == 26 and lemma.rising[below].sum() == 0
    assert np.all(lemma.worst[below] > 0)
    assert lemma.lemma_held.all() and len(lemma.multiples) * len(lemma.starts) == 800
    others = experiments.descent_lemma(cross_entropy, multiples=lemma.multiples[below], seed=1)
    assert others.rising.sum() == 0 and others.lemma_held.all()


def test_far_past_two_over_l_no_step_rose(lemma, cross_entropy):
    # 07-04: no step rose up to 16.8/L ("over eight times the edge"); the first rise at 18.8/L. Nudged: at 0.9
    # and 1.1 times each rate up to 14/L, none rose either.
    quiet = lemma.multiples[lemma.rising == 0].max()
    first = lemma.multiples[lemma.rising > 0].min()
    assert round(quiet, 1) == 16.8 and round(first, 1) == 18.8 and quiet / 2 > 8
    assert np.all(lemma.rising[lemma.multiples <= quiet] == 0)
    calm = lemma.multiples[lemma.multiples <= 14]
    for factor in (0.9, 1.1):
        nudged = experiments.descent_lemma(cross_entropy, multiples=calm * factor, shown=())
        assert nudged.rising.sum() == 0, factor
    # The margin is no rounding: the smallest drop per ||g||^2 up to 14/L is far above zero.
    assert lemma.worst[lemma.multiples <= 14].min() > 0.1


def test_chad_never_meets_the_worst_curvature(lemma, cross_entropy):
    # 07-04: on the 1/L walk the largest curvature he meets is about half of L; at the minimum L/8.9, whose
    # own edge 2 x 8.9 / L = 17.8/L lies where rises begin (between the sweep's 16.8/L and 18.8/L).
    L = lemma.smoothness
    met = max(top_curvature(cross_entropy, w) for w in lemma.walks["1/L"].trajectory.w)
    assert 0.45 < met / L < 0.55
    edge = 2 * L / lemma.curvature_at_minimum
    assert round(edge, 1) == 17.8
    assert lemma.multiples[lemma.rising == 0].max() < edge < lemma.multiples[lemma.rising > 0].min()


def test_at_24_over_l_chad_nears_the_minimum_and_is_thrown_out(lemma, cross_entropy):
    # 07-04: within 1e-9 of the minimum loss after 33 steps, then the loss climbs by a factor of a hundred
    # million and keeps bouncing (steps still rise near the end of the walk).
    walk = lemma.walks["24/L"]
    gap = walk.trajectory.loss - cross_entropy(cross_entropy.minima[0])
    closest = int(np.argmin(gap))
    assert closest == 33 and gap[closest] < 1e-9
    assert gap[closest:].max() / gap[closest] > 1e8
    assert np.any(walk.rises >= walk.trajectory.n_updates - 10) and gap[-1] > 1e-3


# ---------------------------------------------------------------- 07-08 to 07-11: convex, strongly convex

def test_the_two_landscapes_are_as_described():
    # 07-08: x = -2, -1 (class 0) and 1, 2 (class 1); no minimum, the loss falls towards 0 as w grows and the
    # curvature fades; convex (no negative curvature) with L = 0.625; the ravine has m = 0.5 and L = 10.
    separable = experiments.separable_landscape()
    x, y = separable.data
    assert x.tolist() == [-2.0, -1.0, 1.0, 2.0] and y.tolist() == [0, 0, 1, 1]
    assert separable.minima.size == 0
    along = separable(np.column_stack([np.linspace(0, 40, 81), np.zeros(81)]))
    assert np.all(np.diff(along) < 0) and along[-1] < 1e-17
    assert np.linalg.eigvalsh(numeric_hessian(separable, np.array([20.0, 0.0])))[-1] < 1e-7
    grid = np.linspace(-6, 6, 13)
    lowest = min(np.linalg.eigvalsh(experiments.log_loss_hessian(x, y, w, b))[0] for w in grid for b in grid)
    assert lowest >= 0
    assert experiments.smoothness_constant(separable) == pytest.approx(0.625)
    assert theory.quadratic_curvatures(landscapes.get("ravine")) == pytest.approx((0.5, 10.0))


def test_the_runs_are_as_described(rates):
    # 07-08: alpha = 1/L on each; 5000 steps on the log loss, 200 on the ravine; the bound's reference points
    # lie on the ray u = (r, 0), the widest-margin boundary x = 0.
    convex, strong = rates["convex"], rates["strongly convex"]
    assert convex.alpha == pytest.approx(1 / 0.625) and strong.alpha == pytest.approx(0.1)
    assert convex.trajectory.n_updates == 5000 and strong.trajectory.n_updates == 200
    np.testing.assert_allclose(experiments.smoothness._margin_direction(convex.landscape), [1.0, 0.0])


def test_the_convex_gap_falls_like_one_over_alpha_t_below_its_bound(rates):
    # 07-11: slope -0.99 on log-log axes; alpha t gap = 0.99 at t = 5000; the bound above at every step,
    # falling more slowly, like (log t)^2 / t; ten times the steps for one more digit.
    convex = rates["convex"]
    assert round(convex.slope, 2) == -0.99
    t = np.arange(len(convex.gap))
    assert round(convex.alpha * t[-1] * convex.gap[-1], 2) == 0.99
    assert np.all(convex.gap[1:] <= convex.bound[1:])
    late = t >= 500
    bound_slope = np.polyfit(np.log(t[late]), np.log(convex.bound[late]), 1)[0]
    assert convex.slope < bound_slope < -0.7
    shape = convex.bound[late] * t[late] / np.log(t[late]) ** 2
    assert shape.max() / shape.min() < 1.25 and 5000 * convex.bound[5000] / (500 * convex.bound[500]) > 1.5
    assert 0.09 < convex.gap[5000] / convex.gap[500] < 0.12


def test_the_ravine_gap_falls_by_a_fixed_factor(rates):
    # 07-11: 0.9025 = (1 - alpha m)^2 per step; at 1/L the steep direction is settled in one step and the flat
    # one shrinks by 0.95 per step; about 22 steps per digit.
    strong = rates["strongly convex"]
    assert round(strong.factor, 4) == 0.9025 == round((1 - strong.alpha * strong.low) ** 2, 4)
    assert np.all(strong.gap[1:] <= strong.bound[1:] * (1 + 1e-12))
    _, axes = np.linalg.eigh(strong.landscape.hessian)
    offsets = (strong.trajectory.w - strong.landscape.minima[0]) @ axes  # columns: flat, steep
    assert np.all(np.abs(offsets[1:, 1]) < 1e-12 * np.abs(offsets[0, 1]))
    np.testing.assert_allclose(offsets[1:, 0] / offsets[:-1, 0], 0.95, rtol=1e-9)
    assert round(math.log(10) / -math.log(strong.factor)) == 22


@pytest.mark.parametrize("multiple", [0.9, 1.0, 1.1])
def test_the_rates_hold_from_other_starts_and_nudged(multiple):
    # 07-11: from 7 other starts and at 0.9/L and 1.1/L: slopes between -1 and -0.95, factors (1 - alpha m)^2
    # within 0.1 %. The bounds are proven for alpha <= 1/L (convex) and <= 2/(L + m) (the ravine): there they
    # hold at every step, and the distance to the ravine's minimum shrinks by at least 1 - alpha m per step.
    separable, ravine = experiments.separable_landscape(), landscapes.get("ravine")
    for run in experiments.rate_runs("convex", starts=starts_around(separable, count=8), multiple=multiple):
        assert -1.0 < run.slope < -0.95
        if run.bound_proven:
            assert np.all(run.gap[1:] <= run.bound[1:])
    others = starts_around(ravine, count=8)
    for run in experiments.rate_runs("strongly convex", starts=others, multiple=multiple):
        assert run.factor == pytest.approx((1 - run.alpha * run.low) ** 2, rel=1e-3)
        assert run.bound_proven and np.all(run.gap[1:] <= run.bound[1:] * (1 + 1e-12))
        distance = np.linalg.norm(run.trajectory.w - ravine.minima[0], axis=1)
        assert np.all(distance[1:] <= (1 - run.alpha * run.low) * distance[:-1] * (1 + 1e-12))


# ---------------------------------------------------------------- 07-12 to 07-16: step-size conditions

def test_the_schedules_are_notebook_09s(sums):
    # 07-12: constant 2; 1/t, 2 / (1 + t/15); step decay from 2, halved every 75 updates.
    constant, inverse, decay = (sums[name].schedule for name in ("constant", "1/t", "step decay"))
    assert [constant(t) for t in (0, 999)] == [2.0, 2.0]
    assert inverse(15) == pytest.approx(1.0) and inverse(45) == pytest.approx(0.5)
    assert [decay(t) for t in (74, 75, 150)] == [2.0, 1.0, 0.5]


def test_what_each_schedule_meets(sums):
    # 07-14: constant: both sums grow without end, the squares by 4 per update; step decay: 300 in all;
    # 1/t: squares add up to 62.0, the rates grow like 30 ln T, passing 300 only after more than 300,000
    # updates.
    constant, inverse, decay = sums["constant"], sums["1/t"], sums["step decay"]
    assert np.all(np.diff(constant.running_squares) == 4.0)
    assert (constant.reaches_anywhere, constant.noise_dies_out) == (True, False)
    assert (decay.reaches_anywhere, decay.noise_dies_out) == (False, True) and decay.steps_limit == 300
    assert (inverse.reaches_anywhere, inverse.noise_dies_out) == (True, True)
    assert round(inverse.squares_limit, 1) == 62.0
    T = np.arange(1, len(inverse.running_steps) + 1)
    # Between the integral of 30 / (1 + t/15) from 0 to T and 2 more (the first term), for every T.
    assert np.all(30 * np.log1p(T / 15) <= inverse.running_steps)
    assert np.all(inverse.running_steps <= 2 + 30 * np.log1p(T / 15))
    assert 2 + 30 * math.log1p(300_000 / 15) < 300
    direct = np.sum(2.0 / (1 + np.arange(300_000) / 15))  # the sum itself, without the schedule
    assert direct < 300 < decay.running_steps[-1] + 1e-6


def test_the_journey_of_step_decay_is_bounded_by_its_sum(walks):
    # 07-14: the whole journey is at most (sum of the rates) x the largest gradient met: on the bowl's walk.
    walk = walks["step decay"]
    travelled = np.sum(np.linalg.norm(np.diff(walk.w, axis=0), axis=1))
    assert travelled <= 1.0 * np.linalg.norm(walk.grad, axis=1).max()


def test_without_noise_step_decay_stops_short(walks):
    # 07-14: alpha 0.05, tau 10, halving every 10 updates (rates adding up to 1), 2000 updates from (-2, 1.5).
    # 07-16: step decay stalls 0.315 from the minimum, an eighth of where it started, since the product of
    # 1 - 2 alpha_t never falls below 0.126; the constant rate arrives fastest; 1/t keeps closing in.
    assert theory.step_decay_sums(0.05, 10, 0.5)[0] == pytest.approx(1.0)
    assert walks.start.tolist() == [-2.0, 1.5] and all(w.n_updates == 2000 for w in walks.values())
    distances = walks.distances()
    assert round(distances["step decay"], 3) == 0.315
    assert round(distances["step decay"] / distances["start"], 3) in (0.125, 0.126)
    rates = 0.05 * 0.5 ** (np.arange(10 * 1100) // 10)  # every rate until they vanish below rounding
    assert round(float(np.prod(1 - 2 * rates)), 3) == 0.126
    assert distances["constant"] < distances["1/t"] < distances["step decay"]
    closing = np.linalg.norm(walks["1/t"].w, axis=1)
    assert np.all(np.diff(closing) < 0) and closing[-1] < 0.02


# ---------------------------------------------------------------- 07-17: the summary and the exercises

def test_the_exercises_have_answers(lemma):
    # Each exercise's answer passes its checker (the instructor key runs them too).
    L = gdviz.theory.log_loss_smoothness([0.0, 1.0, 2.0, 3.0, 4.0])
    assert gdviz.exercises.check_smoothness_constant(L, x=(0.0, 1.0, 2.0, 3.0, 4.0))
    assert gdviz.exercises.check_guaranteed_decrease(lambda a, s, g: a * (1 - a * s / 2) * (g @ g), 0.25,
                                                     smoothness=4.0)
    assert gdviz.exercises.check_step_size_conditions("1/t", 300, alpha=2.0, step_size=75, gamma=0.5)
