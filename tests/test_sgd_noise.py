"""SGD's noise (09): a batch gradient's variance, the noise floor, their formulas, figures and exercise.

The closed forms are checked against exact enumerations (every batch, every order of a small data set)
and an exact stationary spread; the batched walks against `optimizers.sgd`, `run` and `end_jitter`, or
against a plain loop over the landscape's own `batch_grad`.
"""

import itertools
import math
import warnings

import numpy as np
import pytest

from gdviz import classifier, data, exercises, experiments, figures, optimizers, theory
from gdviz.experiments import _sgd_batches as batched
from gdviz.experiments._many_starts import starts_around
from gdviz.figures.style import trace
from gdviz.run import run


@pytest.fixture(scope="module")
def landscape():
    return classifier.sorted_landscape()


@pytest.fixture(scope="module")
def small_floor(landscape):
    # Few, short walks, so that each can be walked again one by one; 7 does not divide the 60 examples.
    return experiments.noise_floor(landscape, batch_sizes=(4, 7), ratios=(1 / 8, 1 / 2), epochs=6,
                                   last_epochs=3, starts=starts_around(landscape, count=2), seeds=(0, 3))


# ---------------------------------------------------------------- the variance of a batch's gradient

def exact_variance(vectors, batch_size):
    """The mean of |batch mean - mean|^2 over every batch of `batch_size` distinct rows: by enumeration."""
    full = vectors.mean(axis=0)
    return np.mean([np.sum((vectors[list(batch)].mean(axis=0) - full) ** 2)
                    for batch in itertools.combinations(range(len(vectors)), batch_size)])


def test_the_closed_form_is_the_average_over_every_batch():
    vectors = np.random.default_rng(4).normal(size=(9, 2)) * [1.0, 3.0]
    sigma2 = np.mean(np.sum((vectors - vectors.mean(axis=0)) ** 2, axis=1))
    for size in range(1, 10):
        assert batched.batch_variance(sigma2, 9, size) == pytest.approx(exact_variance(vectors, size),
                                                                          rel=1e-12, abs=1e-15)
    assert batched.batch_variance(sigma2, 9, 9) == 0  # the whole data set: no noise at all


def test_on_the_landscape_too_where_the_batches_can_be_counted(landscape):
    noise = experiments.batch_noise(landscape, batch_sizes=(1, 2, 58, 59))
    each = batched.per_example_gradients(landscape, landscape.minima[0])
    for size, predicted in zip(noise.batch_sizes, noise.predicted, strict=True):
        assert predicted == pytest.approx(exact_variance(each, size), rel=1e-10)


def test_the_measured_variance_is_the_closed_form_within_sampling_error(landscape):
    for seed in range(3):
        noise = experiments.batch_noise(landscape, batch_sizes=(1, 3, 8, 16, 45, 60), draws=3000, seed=seed)
        inside = noise.batch_sizes < 60
        assert np.all(np.abs(noise.measured - noise.predicted)[inside] < 4 * noise.standard_error[inside])
        assert noise.measured[-1] < 1e-30 and noise.predicted[-1] == 0.0
    elsewhere = experiments.batch_noise(landscape, w=landscape.start, batch_sizes=(2, 10), draws=3000)
    assert np.all(np.abs(elsewhere.measured - elsewhere.predicted) < 4 * elsewhere.standard_error)
    assert elsewhere.per_example > 5 * noise.per_example  # noisier far from the minimum, on this landscape


def test_each_examples_gradient_and_the_hessian_are_the_landscapes(landscape):
    for w in (landscape.minima[0], landscape.start, np.array([1.5, -0.7])):
        each = batched.per_example_gradients(landscape, w)
        for i in (0, 17, 59):
            np.testing.assert_allclose(each[i], landscape.batch_grad(w, [i]), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(each.mean(axis=0), landscape.grad(w), rtol=1e-10, atol=1e-13)
        h = 1e-5  # the Hessian by central differences of the gradient
        numeric = np.array([(landscape.grad(w + h * e) - landscape.grad(w - h * e)) / (2 * h)
                            for e in np.eye(2)])
        np.testing.assert_allclose(batched.hessian(landscape, w), numeric, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(batched.per_example_gradients(landscape, landscape.minima[0]).mean(axis=0), 0,
                               atol=1e-10)  # the full gradient vanishes at the minimum


def test_gradient_noise_is_the_trace_of_the_covariance_and_of_h_times_it(landscape):
    w = landscape.minima[0]
    each = np.array([landscape.batch_grad(w, [i]) for i in range(60)])
    centred = each - each.mean(axis=0)
    sigma2, curvature_noise = batched.gradient_noise(landscape, w)
    assert sigma2 == pytest.approx(np.mean(np.sum(centred**2, axis=1)), rel=1e-12)
    h = 1e-5
    hessian = np.array([(landscape.grad(w + h * e) - landscape.grad(w - h * e)) / (2 * h) for e in np.eye(2)])
    assert curvature_noise == pytest.approx(np.trace(hessian @ (centred.T @ centred / 60)), rel=1e-6)


def test_random_batches_are_distinct_examples_each_drawn_as_often(landscape):
    batches = batched.random_batches(60, 12, 5000, seed=2)
    assert batches.shape == (5000, 12)
    assert all(len(set(row)) == 12 for row in batches[:200])
    counts = np.bincount(batches.ravel(), minlength=60)  # each example: 5000 x 12 / 60 = 1000 expected
    assert np.all(np.abs(counts - 1000) < 5 * math.sqrt(1000))


# ---------------------------------------------------------------- the two floors' formulas

def spread_in_balance(hessian, covariance, alpha):
    """The stationary E[e e^T] of e <- (I - alpha H) e - alpha xi, xi fresh with covariance `covariance`:
    the fixed point C = A C A^T + alpha^2 Cov, solved exactly as a linear system in C's entries."""
    step = np.eye(2) - alpha * hessian
    matrix = np.eye(4) - np.kron(step, step)
    return np.linalg.solve(matrix, alpha**2 * covariance.ravel()).reshape(2, 2)


def test_the_independent_floor_is_the_stationary_loss_for_small_alpha(landscape):
    hessian = batched.hessian(landscape, landscape.minima[0])
    each = batched.per_example_gradients(landscape, landscape.minima[0])
    covariance = np.cov(each.T, bias=True) * (60 - 4) / (4 * 59)  # a batch of 4's covariance
    errors = []
    for alpha in (1e-1, 1e-2, 1e-3):
        exact = 0.5 * np.trace(hessian @ spread_in_balance(hessian, covariance, alpha))
        errors.append(abs(exact / batched.floor_independent(alpha, np.trace(covariance)) - 1))
    assert errors[-1] < 1e-3 and errors[0] > errors[1] > errors[2]  # exact in the limit, and approached


def reshuffled_epoch_loss(noises, hessian, alpha, batch_size):
    """The mean over every order of the examples, and over the points of one epoch started at the minimum,
    of e^T H e / 2, for e <- (I - alpha H) e - alpha (batch's mean noise), the batches cut in order."""
    n, total, count = len(noises), 0.0, 0
    step = np.eye(2) - alpha * hessian
    for order in itertools.permutations(range(n)):
        e = np.zeros(2)
        for first in range(0, n, batch_size):
            e = step @ e - alpha * noises[list(order[first:first + batch_size])].mean(axis=0)
            total, count = total + 0.5 * e @ hessian @ e, count + 1
    return total / count


@pytest.mark.parametrize("batch_size", [1, 2, 3])
def test_the_reshuffled_floor_is_the_average_over_every_order(batch_size):
    rng = np.random.default_rng(1)
    noises = rng.normal(size=(6, 2)) * [2.0, 0.5]
    noises -= noises.mean(axis=0)  # at the minimum the examples' gradients add up to zero
    hessian = np.array([[1.0, 0.3], [0.3, 0.5]])
    curvature_noise = np.trace(hessian @ np.cov(noises.T, bias=True))
    alpha = 1e-3  # small: the walk hardly feels the bowl within one epoch
    exact = reshuffled_epoch_loss(noises, hessian, alpha, batch_size)
    assert batched.floor_reshuffled(alpha, batch_size, 6, curvature_noise) == pytest.approx(exact, rel=5e-3)


def test_the_formulas_depend_on_alpha_over_b_while_b_is_small():
    ratio, n = 0.05, 10_000
    for small, large in ((2, 4), (4, 12)):
        one, other = (batched.floor_reshuffled(ratio * size, size, n, 1.0) for size in (small, large))
        assert other == pytest.approx(one, rel=1e-5)
        one, other = (batched.floor_independent(ratio * size, batched.batch_variance(1.0, n, size))
                      for size in (small, large))
        assert other == pytest.approx(one, rel=1e-3)
    double, single = (batched.floor_reshuffled(alpha, 4, 60, 1.0) for alpha in (2.0, 1.0))
    assert double == pytest.approx(4 * single)
    assert batched.floor_reshuffled(1.0, 60, 60, 1.0) == 0.0  # full batch settles


# ---------------------------------------------------------------- the batched walks

def test_reshuffled_streams_are_the_optimizers_batches_and_independent_ones_fresh_draws():
    reshuffled = batched.batch_streams(60, 7, (0, 3))
    for stream, seed in zip(reshuffled, (0, 3), strict=True):
        expected_batches = itertools.islice(data.batch_indices(60, 7, True, seed), 30)
        for (_, expected), got in zip(expected_batches, stream, strict=False):  # the stream never ends
            np.testing.assert_array_equal(got, expected)
    (independent,) = batched.batch_streams(60, 7, (0,), "independent")
    drawn = list(itertools.islice(independent, 18))
    assert [len(batch) for batch in drawn] == [7] * 8 + [4] + [7] * 8 + [4]  # an epoch's sizes, twice
    assert all(len(set(batch.tolist())) == len(batch) for batch in drawn)
    first_epoch = np.concatenate(drawn[:9])
    assert len(set(first_epoch.tolist())) < 60  # free of each other: an epoch repeats some, misses others
    with pytest.raises(ValueError, match="sampling must be one of 'reshuffled', 'independent'"):
        batched.batch_streams(60, 7, (0,), "with replacement")


def test_every_reshuffled_walk_is_the_one_optimizers_sgd_and_run_give(small_floor, landscape):
    minimum = float(landscape(landscape.minima[0]))
    for i, size in enumerate(small_floor.batch_sizes):
        per_epoch = theory.batches_per_epoch(60, size)
        for j, alpha in enumerate(small_floor.alphas[i]):
            for s, start in enumerate(small_floor.starts):
                for k, seed in enumerate(small_floor.seeds):
                    walk = run(optimizers.sgd(landscape, start, alpha, batch_size=int(size), seed=seed),
                               max_steps=6 * per_epoch)
                    means = [walk.loss[1 + e * per_epoch:1 + (e + 1) * per_epoch].mean() - minimum
                             for e in range(6)]
                    curve = small_floor.curves["reshuffled"][i, j, s, k]
                    np.testing.assert_allclose(curve, [walk.loss[0] - minimum, *means], rtol=1e-9, atol=1e-15)
                    jitter = experiments.end_jitter(landscape, walk, per_epoch, last_epochs=3)
                    assert small_floor.floors["reshuffled"][i, j, s, k] == pytest.approx(jitter.loss_gap,
                                                                                       rel=1e-9)


def test_every_independent_walk_is_a_plain_loop_over_fresh_batches(small_floor, landscape):
    minimum = float(landscape(landscape.minima[0]))
    size, alpha, start, seed = 7, small_floor.alphas[1, 1], small_floor.starts[1], 3
    rng, w, losses = np.random.default_rng(seed), start.copy(), []
    for _ in range(6):
        for first in range(0, 60, size):  # the same draws as the stream: one permutation per batch
            w = w - alpha * landscape.batch_grad(w, rng.permutation(60)[:min(size, 60 - first)])
            losses.append(landscape(w) - minimum)
    means = np.array(losses).reshape(6, 9).mean(axis=1)
    np.testing.assert_allclose(small_floor.curves["independent"][1, 1, 1, 1, 1:], means, rtol=1e-9)


def test_what_the_floor_reports(small_floor, landscape):
    floor = small_floor
    assert floor.alphas.tolist() == [[0.5, 2.0], [0.875, 3.5]] and floor.ratios.tolist() == [0.125, 0.5]
    assert floor.curves["reshuffled"].shape == (2, 2, 2, 2, 7) and floor.seeds == (0, 3)
    np.testing.assert_allclose(floor.floors["independent"],
                               floor.curves["independent"][..., -3:].mean(axis=-1))
    np.testing.assert_allclose(floor.mean("independent"), floor.floors["independent"].mean(axis=(2, 3)))
    sigma2, curvature_noise = batched.gradient_noise(landscape, landscape.minima[0])
    assert floor.curvature_noise == curvature_noise
    np.testing.assert_allclose(floor.variance, [batched.batch_variance(sigma2, 60, size) for size in (4, 7)])
    expected = [batched.floor_reshuffled(alpha, 7, 60, curvature_noise) for alpha in (0.875, 3.5)]
    np.testing.assert_allclose(floor.predicted["reshuffled"][1], expected)
    expected = np.array([0.5, 2.0]) * floor.variance[0] / 4
    np.testing.assert_allclose(floor.predicted["independent"][0], expected)
    rows = floor.table().splitlines()
    assert len(rows) == 5 and rows[0].split()[:3] == ["B", "alpha", "alpha/B"]
    assert rows[4].split()[:3] == ["7", "3.5", "0.5"]
    assert f"{floor.mean('reshuffled')[1, 1]:.1e}" in rows[4]


def test_a_walk_that_flies_off_is_a_result(landscape):
    with warnings.catch_warnings():  # and no warning on the way
        warnings.simplefilter("error")
        wild = experiments.noise_floor(landscape, batch_sizes=(4,), ratios=(1e4,), epochs=2, last_epochs=1,
                                       seeds=(0,))
    assert np.all(np.isinf(wild.floors["reshuffled"])) and np.all(np.isinf(wild.floors["independent"]))


@pytest.mark.parametrize("call, error, words", [
    (lambda land: experiments.noise_floor("bowl"), ValueError, "has_data"),
    (lambda land: experiments.noise_floor(classifier.classifier_landscape(loss="svm")), ValueError,
     "cross-entropy"),
    (lambda land: experiments.noise_floor(land, batch_sizes=(61,)), ValueError, "batch_sizes"),
    (lambda land: experiments.noise_floor(land, batch_sizes=(4, 4)), ValueError, "batch_sizes"),
    (lambda land: experiments.noise_floor(land, batch_sizes=()), ValueError, "batch_sizes"),
    (lambda land: experiments.noise_floor(land, ratios=(0.1, -1.0)), ValueError, "ratios"),
    (lambda land: experiments.noise_floor(land, epochs=10, last_epochs=20), ValueError, "epochs"),
    (lambda land: experiments.noise_floor(land, seeds=()), ValueError, "seed"),
    (lambda land: experiments.noise_floor(land, starts=[1.0, 2.0]), ValueError, "starts"),
    (lambda land: experiments.batch_noise(land, draws=1), ValueError, "draws"),
    (lambda land: experiments.batch_noise(land, w=(1.0,)), ValueError, "w must be two"),
    (lambda land: experiments.batch_noise(land, batch_sizes=(0,)), ValueError, "batch_size"),
    (lambda land: experiments.batch_noise(land, batch_sizes=(2.5,)), TypeError, "batch_size"),
])
def test_bad_input_is_named(landscape, call, error, words):
    with pytest.raises(error, match=words):
        call(landscape)


def test_a_floor_reads_only_known_samplings(small_floor):
    with pytest.raises(ValueError, match="sampling must be one of"):
        small_floor.mean("sideways")
    with pytest.raises(ValueError, match="of must be one of"):
        small_floor.mean(of="starts")


# ---------------------------------------------------------------- figures

def test_the_variance_figure_draws_the_result(landscape, all_finite):
    noise = experiments.batch_noise(landscape, batch_sizes=(1, 4, 60), draws=500)
    figure = figures.batch_noise_figure(noise)
    assert all_finite(figure)
    measured = trace(figure, "readings measured")
    assert list(measured.x) == [1, 4] and list(measured.y) == pytest.approx(noise.measured[:2])  # not B = 60
    formula = trace(figure, "curve formula")
    assert list(formula.x) == list(range(1, 60))
    assert list(formula.y) == pytest.approx(batched.batch_variance(noise.per_example, 60, np.arange(1, 60)))
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.type == "log"
    with pytest.raises(TypeError, match="BatchNoise"):
        figures.batch_noise_figure({})


def test_the_floor_figure_draws_the_result(small_floor, all_finite):
    figure = figures.noise_floor_figure(small_floor)
    assert all_finite(figure)
    for i, size in enumerate(small_floor.batch_sizes):
        for sampling in ("reshuffled", "independent"):
            left, middle = (trace(figure, f"curve B = {size}, {sampling} {col}") for col in (1, 2))
            assert list(left.x) == pytest.approx(small_floor.alphas[i])
            assert list(middle.x) == pytest.approx([1 / 8, 1 / 2])
            assert list(left.y) == list(middle.y) == pytest.approx(small_floor.mean(sampling)[i])
    epochs = trace(figure, "curve α / B = 1/2, B = 7")
    assert list(epochs.x) == list(range(1, 7))
    assert list(epochs.y) == pytest.approx(small_floor.mean(of="curves")[1, 1, 1:])
    formula = trace(figure, "threshold reshuffled formula")
    assert list(formula.y) == pytest.approx(small_floor.predicted["reshuffled"][0])
    assert all(getattr(figure.layout, f"xaxis{n}").type == "log" for n in ("", 2, 3))
    with pytest.raises(TypeError, match="NoiseFloor"):
        figures.noise_floor_figure(small_floor.curves)


# ---------------------------------------------------------------- the exercise

def test_check_variance_ratio_reference_and_named_mistakes():
    expected = 4 * 56 / 44  # (16 / 4) (60 - 4) / (60 - 16)
    verdict = exercises.check_variance_ratio(expected)
    assert verdict.passed and "5.09" in verdict.message and "measured" in verdict.message
    assert exercises.check_variance_ratio(5.1).passed  # within 1%
    hints = {4: "1/B part alone", 0.25: "upside down", 1 / expected: "upside down",
             math.sqrt(expected): "standard deviations", 2.0: "standard deviations", 6.0: "is not it",
             ...: "replace the ..."}
    for answer, words in hints.items():
        verdict = exercises.check_variance_ratio(answer)
        assert not verdict.passed and words in verdict.message, (answer, verdict)
    assert exercises.check_variance_ratio(3 * 90 / 70, small=10, large=30, n_samples=100).passed
    with pytest.raises(ValueError, match="small < large < n_samples"):
        exercises.check_variance_ratio(5.0, small=16, large=4)


GARBAGE = [None, ..., "seven", [1, 2], float("nan"), float("inf"), object(), -1, True, 1j,
           np.array([1.0, 2.0]), np.array([1j, 2j]), np.zeros((3, 3)), np.array(["max_steps"]), max]


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("answer", GARBAGE, ids=lambda answer: type(answer).__name__)
def test_check_variance_ratio_answers_garbage_with_a_verdict(answer):
    verdict = exercises.check_variance_ratio(answer)
    assert isinstance(verdict, exercises.Verdict) and not verdict.passed and verdict.message
