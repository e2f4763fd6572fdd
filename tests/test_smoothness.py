"""The smoothness lesson's code (07): theory helpers, experiments, figures, app and exercise checkers.

What the notebook's prose says is tests/test_claims_07.py's; here, each function against something
computed another way: hand values, finite differences, brute-force sums, `run` against `run_batch`.
"""

import math

import numpy as np
import pytest

import gdviz
from gdviz import classifier, exercises, experiments, figures, landscapes, optimizers, schedules, theory
from gdviz.apps import DescentLemmaLab
from gdviz.experiments import smoothness
from gdviz.figures.style import trace


@pytest.fixture(scope="module")
def cross_entropy():
    return classifier.classifier_landscape(loss="cross_entropy")


@pytest.fixture(scope="module")
def small_lemma(cross_entropy):
    return experiments.descent_lemma(cross_entropy, multiples=[0.5, 1.9, 24.0], starts=4, max_steps=60)


def numeric_hessian(landscape, w, h=1e-5):
    """Centred differences of the analytic gradient, symmetrised."""
    columns = [(landscape.grad(w + h * e) - landscape.grad(w - h * e)) / (2 * h) for e in np.eye(2)]
    hessian = np.array(columns)
    return (hessian + hessian.T) / 2


# ---------------------------------------------------------------- theory

def test_log_loss_smoothness_by_hand_and_for_several_features():
    # x = -2, -1, 1, 2: X~^T X~ / N = [[2.5, 0], [0, 1]], so L = 2.5 / 4.
    assert theory.log_loss_smoothness([-2.0, -1.0, 1.0, 2.0]) == pytest.approx(0.625, rel=1e-14)
    # x = 0..4: [[6, 2], [2, 1]] / 4, largest eigenvalue (7 + sqrt(41)) / 8.
    assert theory.log_loss_smoothness(np.arange(5.0)) == pytest.approx((7 + math.sqrt(41)) / 8, rel=1e-13)
    # Two features with a column of ones: the same as the eigenvalue of the 3 x 3 matrix by hand.
    X = np.array([[1.0, 0.0], [0.0, 2.0], [-1.0, 1.0]])
    with_ones = np.hstack([X, np.ones((3, 1))])
    by_hand = np.linalg.eigvalsh(with_ones.T @ with_ones)[-1] / 12
    assert theory.log_loss_smoothness(X) == pytest.approx(by_hand)
    # A column is a single feature, as a flat list is.
    assert theory.log_loss_smoothness(np.arange(5.0)[:, None]) == theory.log_loss_smoothness(np.arange(5.0))


@pytest.mark.parametrize("bad, error", [([], ValueError), ([1.0, np.nan], ValueError), ("abc", TypeError),
                                        (np.zeros((2, 2, 2)), ValueError)])
def test_log_loss_smoothness_refuses_bad_features(bad, error):
    with pytest.raises(error, match="x must"):
        theory.log_loss_smoothness(bad)


def test_no_hessian_of_the_classifier_exceeds_its_l_and_the_origin_reaches_it(cross_entropy):
    # Finite differences of the analytic gradient over a grid well beyond the drawn domain.
    L = theory.log_loss_smoothness(cross_entropy.data[0])
    grid = np.linspace(-8, 8, 17)
    largest = max(np.abs(np.linalg.eigvalsh(numeric_hessian(cross_entropy, np.array([w, b])))).max()
                  for w in grid for b in grid)
    assert largest <= L * (1 + 1e-6)
    assert np.linalg.eigvalsh(numeric_hessian(cross_entropy, np.zeros(2)))[-1] == pytest.approx(L, rel=1e-6)


def test_the_guaranteed_decrease_by_hand_and_vectorised():
    assert theory.guaranteed_decrease(0.5, 2.0, [3.0, 4.0]) == pytest.approx(0.5 * 0.5 * 25)
    assert theory.guaranteed_decrease(1.0, 2.0, [3.0, 4.0]) == 0.0  # alpha = 2/L
    assert theory.guaranteed_decrease(1.5, 2.0, [1.0, -2.0]) == pytest.approx(-3.75)  # beyond 2/L: negative
    grads = np.array([[[3.0, 4.0], [1.0, 0.0]]])
    np.testing.assert_allclose(theory.guaranteed_decrease(0.5, 2.0, grads), [[6.25, 0.25]])
    alphas = np.array([[0.5], [1.5]])  # one rate per row, broadcast against the gradients
    np.testing.assert_allclose(theory.guaranteed_decrease(alphas, 2.0, np.array([[3.0, 4.0]] * 2)),
                               [[6.25, 6.25], [-18.75, -18.75]])
    with pytest.raises(ValueError, match="alpha"):
        theory.guaranteed_decrease(-1.0, 2.0, [1.0, 1.0])
    with pytest.raises(ValueError, match="smoothness"):
        theory.guaranteed_decrease(1.0, 0.0, [1.0, 1.0])


def test_the_guarantee_peaks_at_one_over_l_with_a_fraction_half_over_l():
    alphas = np.linspace(0.001, 1.0, 100_000)
    values = theory.guaranteed_decrease(alphas, 4.0, np.array([1.0, 0.0]))
    assert alphas[np.argmax(values)] == pytest.approx(0.25, abs=1e-4)
    assert values.max() == pytest.approx(1 / (2 * 4.0), rel=1e-8)


def test_the_descent_lemma_holds_at_random_points_and_rates(cross_entropy):
    # The lemma itself, on the loss: L(w - alpha g) <= L(w) - guarantee, for any alpha (beyond 2/L too).
    L = theory.log_loss_smoothness(cross_entropy.data[0])
    rng = np.random.default_rng(3)
    for _ in range(300):
        w = rng.uniform(-6, 6, 2)
        alpha = rng.uniform(0.01, 30) / L
        g = cross_entropy.grad(w)
        promised = theory.guaranteed_decrease(alpha, L, g)
        assert cross_entropy(w - alpha * g) <= cross_entropy(w) - promised + 1e-12


def test_the_convex_bound_and_the_quadratic_factor_by_hand():
    assert theory.convex_gap_bound(0.5, 4.0, 2) == pytest.approx(2.0)
    bounds = theory.convex_gap_bound(0.5, np.array([4.0, 8.0]), np.array([1, 4]))
    np.testing.assert_allclose(bounds, [4.0, 2.0])
    with pytest.raises(ValueError, match="t must"):
        theory.convex_gap_bound(0.5, 1.0, 0)
    assert theory.quadratic_gap_factor(0.1, 0.5, 10.0) == pytest.approx(0.95 ** 2)
    assert theory.quadratic_gap_factor(0.19, 0.5, 10.0) == pytest.approx(0.905 ** 2)  # 1 - alpha L = -0.9
    assert theory.quadratic_gap_factor(0.25, 0.5, 10.0) == pytest.approx(1.5 ** 2)  # beyond 2/L: it grows
    with pytest.raises(ValueError, match="low must be at most high"):
        theory.quadratic_gap_factor(0.1, 10.0, 0.5)


def test_the_quadratic_factor_is_the_gap_ratio_of_a_walk_along_the_flat_axis():
    bowl = landscapes.quadratic((0.5, 10.0))
    walk = gdviz.run(optimizers.gradient_descent(bowl, (2.0, 0.0), 0.1), max_steps=20)  # the flat axis alone
    np.testing.assert_allclose(walk.loss[1:] / walk.loss[:-1], theory.quadratic_gap_factor(0.1, 0.5, 10.0),
                               rtol=1e-12)


def test_inverse_time_sums_against_brute_force_and_the_basel_sum():
    assert theory.inverse_time_sums(1.0, 1.0) == (math.inf, pytest.approx(math.pi ** 2 / 6, rel=1e-14))
    _, squares = theory.inverse_time_sums(2.0, 15)
    terms = np.arange(2_000_000)
    partial = np.sum((2.0 / (1 + terms / 15)) ** 2)
    # The terms left out, 900 / (15 + t)^2 for t >= n, lie between the integrals from n and from n - 1.
    n = len(terms)
    low, high = 900 / (15 + n), 900 / (15 + n - 1)
    assert partial + low - 1e-9 < squares < partial + high + 1e-9
    assert 4 * 15 < squares < 4 * 16  # between alpha^2 tau and alpha^2 (tau + 1)
    assert theory._trigamma(0.5) == pytest.approx(math.pi ** 2 / 2, rel=1e-13)


def test_step_decay_sums_against_brute_force():
    rates = np.array([schedules.step_decay(2.0, 75, 0.5)(t) for t in range(75 * 60)])
    steps, squares = theory.step_decay_sums(2.0, 75, 0.5)
    assert (steps, squares) == (300.0, 400.0)
    assert rates.sum() == pytest.approx(steps, rel=1e-12) and np.sum(rates ** 2) == pytest.approx(squares)
    assert theory.step_decay_sums(1.0, 3, 1.0) == (math.inf, math.inf)
    with pytest.raises(ValueError, match="gamma"):
        theory.step_decay_sums(1.0, 3, 1.5)
    with pytest.raises(TypeError, match="step_size"):
        theory.step_decay_sums(1.0, 2.5, 0.5)


# ---------------------------------------------------------------- experiments

def test_smoothness_constant_of_each_kind(cross_entropy):
    assert experiments.smoothness_constant("ravine") == pytest.approx(10.0)
    assert experiments.smoothness_constant(cross_entropy) == theory.log_loss_smoothness(cross_entropy.data[0])
    assert experiments.smoothness_constant(experiments.separable_landscape()) == pytest.approx(0.625)
    for refused in ("rosenbrock", classifier.classifier_landscape(l2=0.1),
                    classifier.classifier_landscape(loss="svm")):
        with pytest.raises(ValueError, match="landscape must be a quadratic"):
            experiments.smoothness_constant(refused)


def test_a_descent_walk_sets_each_drop_beside_its_guarantee(cross_entropy):
    walk = experiments.descent_walk(cross_entropy, max_steps=30)
    L = walk.smoothness
    assert walk.alpha == pytest.approx(1 / L) and walk.multiple == pytest.approx(1.0)
    direct = gdviz.run(optimizers.gradient_descent(cross_entropy, cross_entropy.start, 1 / L), max_steps=30,
                       grad_below=1e-6)
    assert np.array_equal(walk.trajectory.w, direct.w)
    np.testing.assert_array_equal(walk.decrease, -np.diff(direct.loss))
    by_hand = (1 / L) * 0.5 * np.sum(direct.grad[:-1] ** 2, axis=1)  # alpha (1 - alpha L / 2) at 1/L
    np.testing.assert_allclose(walk.guaranteed, by_hand, rtol=1e-13)
    assert walk.guarantee_per_gradient == pytest.approx(1 / (2 * L))
    np.testing.assert_allclose(walk.per_gradient, walk.decrease / np.sum(direct.grad[:-1] ** 2, axis=1))
    assert walk.lemma_held and len(walk.rises) == 0


def test_on_a_round_bowl_the_lemma_is_tight_and_held_to_within_rounding():
    # Every direction has curvature L = 2: the drop is exactly the guarantee, as rounding leaves it.
    walk = experiments.descent_walk("bowl", alpha=0.3, max_steps=20)
    np.testing.assert_allclose(walk.decrease, walk.guaranteed, rtol=1e-12)
    assert walk.lemma_held
    rising = experiments.descent_walk("bowl", alpha=1.2, max_steps=10)  # beyond 2/L = 1: every step rises
    assert len(rising.rises) == rising.trajectory.n_updates and rising.lemma_held
    assert rising.guarantee_per_gradient < 0


def test_lemma_held_is_false_when_a_drop_falls_short(cross_entropy):
    walk = experiments.descent_walk(cross_entropy, max_steps=5)
    short = smoothness.DescentWalk(walk.landscape, walk.smoothness, walk.alpha, walk.trajectory,
                                   walk.decrease, walk.guaranteed * 10)
    assert not short.lemma_held


def test_descent_lemma_counts_what_each_walk_does_through_run(cross_entropy, small_lemma):
    # The batch of the sweep against walks through `run`, start by start.
    assert small_lemma.starts.shape == (4, 2) and np.array_equal(small_lemma.starts[0], cross_entropy.start)
    for k, multiple in enumerate(small_lemma.multiples):
        walks = [experiments.descent_walk(cross_entropy, multiple / small_lemma.smoothness, start, 60)
                 for start in small_lemma.starts]
        assert small_lemma.rising[k] == sum(len(walk.rises) > 0 for walk in walks)
        assert small_lemma.worst[k] == pytest.approx(min(walk.per_gradient.min() for walk in walks), rel=1e-9)
        assert small_lemma.lemma_held[k] == all(walk.lemma_held for walk in walks)
    assert list(small_lemma.walks) == ["1/L", "1.9/L", "24/L"]
    assert small_lemma.alphas == pytest.approx(small_lemma.multiples / small_lemma.smoothness)


def test_curvature_at_minimum_is_the_hessian_there(cross_entropy):
    at = cross_entropy.minima[0]
    assert smoothness.curvature_at_minimum(cross_entropy) == pytest.approx(
        np.linalg.eigvalsh(numeric_hessian(cross_entropy, at))[-1], rel=1e-6)
    assert smoothness.curvature_at_minimum(landscapes.get("ravine")) == pytest.approx(10.0)


def test_descent_lemma_refuses_bad_arguments():
    with pytest.raises(ValueError, match="multiples"):
        experiments.descent_lemma(multiples=[1.0, -2.0])
    with pytest.raises(TypeError, match="count"):
        experiments.descent_lemma(starts=2.5)
    with pytest.raises(ValueError, match="alpha"):
        experiments.descent_walk(alpha=0.0)


def test_rate_runs_by_kind():
    convex = experiments.rate_runs("convex", steps=400)[0]
    assert convex.landscape.minima.size == 0 and convex.smoothness == pytest.approx(0.625)
    assert convex.alpha == pytest.approx(1.6) and convex.low == 0.0 and convex.bound_proven
    np.testing.assert_array_equal(convex.gap, convex.trajectory.loss)
    assert convex.bound[0] == math.inf and np.all(np.isfinite(convex.bound[1:]))
    t = np.arange(401)
    slope = np.polyfit(np.log(t[40:]), np.log(convex.gap[40:]), 1)[0]
    assert convex.slope == pytest.approx(slope) and convex.fit_from == 40
    two = [[1.0, 1.0], [-2.0, 0.5]]
    strong = experiments.rate_runs("strongly convex", starts=two, multiple=0.9, steps=50)
    assert len(strong) == 2 and strong[1].trajectory.w[0].tolist() == [-2.0, 0.5]
    first = strong[0]
    np.testing.assert_allclose(first.bound, 0.955 ** (2 * np.arange(51)) * first.gap[0], rtol=1e-12)
    assert first.factor == pytest.approx(math.exp(first.slope))
    assert not experiments.rate_runs("convex", multiple=1.1, steps=40)[0].bound_proven


def test_the_convex_bound_is_the_least_over_its_reference_points():
    run = experiments.rate_runs("convex", steps=50)[0]
    start, alpha = run.trajectory.w[0], run.alpha
    for r in np.geomspace(1e-3, 1e3, 400)[::37]:  # every point of the ray gives a bound at least as high
        u = np.array([r, 0.0])
        own = run.landscape(u) + np.sum((start - u) ** 2) / (2 * alpha * np.arange(1, 51))
        assert np.all(run.bound[1:] <= own + 1e-15)


def test_rate_runs_refuse_bad_kinds_and_a_diverging_rate():
    with pytest.raises(ValueError, match="kind"):
        experiments.rate_runs("concave")
    with pytest.raises(ValueError, match="keep alpha below 2/L"):
        experiments.rate_runs("strongly convex", multiple=2.5, steps=200)
    with pytest.raises(ValueError, match="steps"):
        experiments.rate_runs("convex", steps=5)


def test_separable_direction_and_its_refusals():
    direction = smoothness._margin_direction(experiments.separable_landscape())
    np.testing.assert_allclose(direction, [1.0, 0.0])
    flipped = classifier.classifier_landscape((np.array([3.0, 4.0, 0.0, 1.0]), np.array([0, 0, 1, 1])))
    np.testing.assert_allclose(smoothness._margin_direction(flipped), np.array([-1.0, 2.0]) / math.sqrt(5))
    with pytest.raises(ValueError, match="not separable"):
        smoothness._margin_direction(classifier.classifier_landscape(loss="cross_entropy"))


def test_schedule_sums_are_the_sums_of_the_schedules_calls():
    sums = experiments.schedule_sums(alpha=1.0, decay_steps=4, step_size=3, gamma=0.5, horizons=[1, 7, 50])
    assert list(sums) == ["constant", "1/t", "step decay"] and sums.horizons.tolist() == [1, 7, 50]
    for partial in sums.values():
        rates = [partial.schedule(t) for t in range(50)]
        for i, T in enumerate((1, 7, 50)):
            assert partial.steps[i] == pytest.approx(sum(rates[:T]))
            assert partial.squares[i] == pytest.approx(sum(r * r for r in rates[:T]))
        assert len(partial.running_steps) == 50
    assert [(p.reaches_anywhere, p.noise_dies_out) for p in sums.values()] == [(True, False), (True, True),
                                                                                (False, True)]
    with pytest.raises(ValueError, match="horizons"):
        experiments.schedule_sums(horizons=[10, 2.5])
    with pytest.raises(ValueError, match="horizons"):
        experiments.schedule_sums(horizons=[0])


def test_schedule_walks_follow_the_product_of_their_factors():
    walks = experiments.schedule_walks("bowl", alpha=0.05, decay_steps=10, step_size=10, steps=300)
    start = np.linalg.norm(walks.start)
    for name in walks:
        factors = [1 - 2 * walks.schedules[name](t) for t in range(300)]  # the bowl's gradient is 2 w
        assert walks.distances()[name] == pytest.approx(start * np.prod(factors), rel=1e-9)
    assert walks.distances()["start"] == pytest.approx(2.5)
    with pytest.raises(ValueError, match="minimum"):
        experiments.schedule_walks("saddle")


# ---------------------------------------------------------------- figures

def test_figures_draw_what_their_results_hold(small_lemma, all_finite):
    figure = figures.descent_lemma_figure(small_lemma)
    assert list(trace(figure, "curve worst").y) == pytest.approx(small_lemma.worst)
    promise = trace(figure, "curve guarantee")
    L = small_lemma.smoothness
    np.testing.assert_allclose(promise.y, np.asarray(promise.x) / L * (1 - np.asarray(promise.x) / 2))
    rose = trace(figure, "examples rose 24/L")
    assert list(rose.x) == list(small_lemma.walks["24/L"].rises + 1)
    walk = small_lemma.walks["1.9/L"]
    drawn = figures.descent_walk_figure(walk)
    assert list(trace(drawn, "curve actual").y) == pytest.approx(walk.per_gradient)
    assert list(trace(drawn, "threshold guarantee").y) == pytest.approx([walk.guarantee_per_gradient] * 2)
    for made in (figure, drawn):
        assert all_finite(made)


def test_rates_and_sums_figures(all_finite):
    rates = experiments.convergence_rates(convex_steps=300, strong_steps=60)
    figure = figures.rates_figure(rates)
    gap = trace(figure, "curve gap convex 1")
    assert gap.x[0] == 1 and list(gap.y) == pytest.approx(rates["convex"].gap[1:])
    assert list(trace(figure, "curve gap convex 2").x) == list(range(61))  # the strong run's steps only
    assert all_finite(figure)
    sums = experiments.schedule_sums(horizons=[10, 500])
    drawn = figures.schedule_sums_figure(sums)
    limit = trace(drawn, "threshold step decay 1")
    assert list(limit.y) == [300.0, 300.0]
    with pytest.raises(KeyError):
        trace(drawn, "threshold constant 1")  # no whole sum to draw: it grows without end
    assert all_finite(drawn)


def test_builders_refuse_anything_but_their_result():
    with pytest.raises(TypeError, match="DescentLemma that experiments.descent_lemma"):
        figures.descent_lemma_figure("bowl")
    with pytest.raises(TypeError, match="DescentWalk that experiments.descent_walk"):
        figures.descent_walk_figure(None)
    with pytest.raises(TypeError, match="RateComparison"):
        figures.rates_figure({})
    with pytest.raises(TypeError, match="ScheduleSums"):
        figures.schedule_sums_figure([])


# ---------------------------------------------------------------- the app

def test_the_app_walks_as_the_experiment_does_and_says_so(figure_widgets, cross_entropy):
    app = DescentLemmaLab(cross_entropy, max_steps=60)
    live = app.figure  # made on first use (an app is drawn still until then)
    assert figure_widgets(app) == [live]
    assert app.multiple.accessible_name and app.multiple.description == "α L"
    direct = experiments.descent_walk(cross_entropy, 1 / app.smoothness, cross_entropy.start, 60)
    assert np.array_equal(app.walk.trajectory.w, direct.trajectory.w)
    assert "All 60 of Chad" in app.status.value
    app.multiple.value = 24.0
    assert app.alpha == pytest.approx(24.0 / app.smoothness)
    assert list(trace(app.figure, "curve actual").y) == pytest.approx(app.walk.per_gradient)
    assert f"{len(app.walk.rises)} of Chad" in app.status.value and "negative" in app.status.value
    app.multiple.value = 2.0
    assert "zero" in app.status.value and app.error is None


def test_the_app_sends_one_update_per_change_and_computes_once(plotly_messages, monkeypatch):
    app = DescentLemmaLab("ravine", multiple=0.5, max_steps=20)
    assert plotly_messages(app.figure, lambda: setattr(app.multiple, "value", 1.5)) == ["_py2js_update"]
    calls = []
    original = DescentLemmaLab._compute
    monkeypatch.setattr(DescentLemmaLab, "_compute", lambda self: calls.append(1) or original(self))
    DescentLemmaLab("ravine", max_steps=5)
    assert len(calls) == 1


def test_the_app_refuses_bad_arguments():
    with pytest.raises(ValueError, match="multiple"):
        DescentLemmaLab(multiple=-1.0)
    with pytest.raises(ValueError, match="landscape must be a quadratic"):
        DescentLemmaLab("rosenbrock")


# ---------------------------------------------------------------- exercises

def good_guarantee(alpha, L, grad):
    return alpha * (1 - alpha * L / 2) * float(np.dot(grad, grad))


def crashes_when_called(*args, **kwargs):
    raise RuntimeError("a student's function that crashes")


def test_right_answers_pass():
    L = (7 + math.sqrt(41)) / 8  # by hand, for x = 0 .. 4
    assert exercises.check_smoothness_constant(L, x=(0.0, 1.0, 2.0, 3.0, 4.0))
    assert exercises.check_guaranteed_decrease(good_guarantee)
    assert exercises.check_guaranteed_decrease(good_guarantee, 0.25, smoothness=4.0)
    assert exercises.check_step_size_conditions("1/t", 300)
    assert exercises.check_step_size_conditions("inverse_time", 300.0)


@pytest.mark.parametrize("answer, words", [
    (4 * (7 + math.sqrt(41)) / 8, "divide by 4"),
    (5 * (7 + math.sqrt(41)) / 8, "divide X~^T X~ by N"),
    (6 / 4, "column of ones"),
    ((7 - math.sqrt(41)) / 8, "smallest eigenvalue"),
    (7 / 4, "trace"),
    (8 / (7 + math.sqrt(41)), "1/L"),
    (16 / (7 + math.sqrt(41)), "2/L"),
    (3.0, "largest eigenvalue"),
])
def test_smoothness_hints(answer, words):
    verdict = exercises.check_smoothness_constant(answer)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("student, words", [
    (lambda a, L, g: a * (1 - a * L) * (g @ g), "1 - alpha L / 2"),
    (lambda a, L, g: (1 - a * L / 2) * (g @ g), "alpha in front is missing"),
    (lambda a, L, g: a * (1 - a * L / 2) * np.linalg.norm(g), "not ||g||"),
    (lambda a, L, g: -a * (1 - a * L / 2) * (g @ g), "sign is turned round"),
    (lambda a, L, g: a * (1 - a * L / 2) * np.sum(g) ** 2, "not the sum of its entries"),
    (lambda a, L, g: a * (1 - a * L / 2) * g * g, "one number per component"),
    (lambda a, L, g: None, "returned None"),
    (crashes_when_called, "raised RuntimeError"),
    (lambda a, L, g: 2.0, "you returned 2"),
    (lambda a, L, g: np.zeros((3, 3)), "shape (3, 3)"),
    (lambda a, L, g: float("nan"), "returned nan"),
    (good_guarantee(0.5, 2.0, np.array([3.0, 4.0])), "pass your function itself"),
])
def test_guarantee_hints(student, words):
    verdict = exercises.check_guaranteed_decrease(student)
    assert not verdict and words in verdict.message


@pytest.mark.parametrize("best, words", [(0.5, "zero"), (0.125, "1/(2L)"), (4.0, "L itself"), (1.0, "not 1"),
                                         (None, "replace the ...")])
def test_best_alpha_hints(best, words):
    verdict = exercises.check_guaranteed_decrease(good_guarantee, best, smoothness=4.0)
    assert not verdict and words in verdict.message and "your function is right" in verdict.message


@pytest.mark.parametrize("both, total, words", [
    ("constant", 300, "squares"), ("step decay", 300, "stop short"), ("sgd", 300, "answer one of"),
    ("1/t", 4, "multiply by 75"), ("1/t", 150, "first block"), ("1/t", 400, "sum of the squares"),
    ("1/t", math.inf, "do not add up to infinity"), ("1/t", 12, "geometric series"),
])
def test_step_size_hints(both, total, words):
    verdict = exercises.check_step_size_conditions(both, total)
    assert not verdict and words in verdict.message


GARBAGE = [None, ..., "seven", [1, 2], float("nan"), float("inf"), object(), -1, True, 1j,
           np.array([1.0, 2.0]), np.array([1j, 2j]), np.zeros((3, 3)), np.array(["max_steps"]), max,
           crashes_when_called]


def garbage_id(answer):
    if type(answer) is object:
        return "object"
    if isinstance(answer, np.ndarray):
        return f"array({answer.tolist()})"
    return getattr(answer, "__name__", None) or repr(answer)


JUNK_CHECKS = {
    "smoothness": lambda a: exercises.check_smoothness_constant(a),
    "guarantee-function": lambda a: exercises.check_guaranteed_decrease(a),
    "guarantee-returns": lambda a: exercises.check_guaranteed_decrease(lambda alpha, L, grad: a),
    "best-alpha": lambda a: exercises.check_guaranteed_decrease(good_guarantee, a),
    "both": lambda a: exercises.check_step_size_conditions(a, 300),
    "total": lambda a: exercises.check_step_size_conditions("1/t", a),
}


# Warnings are errors here: a ComplexWarning (numpy dropping an imaginary part) is no verdict either.
@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("answer", GARBAGE, ids=garbage_id)
@pytest.mark.parametrize("check", list(JUNK_CHECKS.values()), ids=list(JUNK_CHECKS))
def test_checkers_answer_garbage_with_a_verdict(check, answer):
    verdict = check(answer)
    assert isinstance(verdict, exercises.Verdict) and not verdict.passed and verdict.message
