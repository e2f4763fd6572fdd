"""Every number and comparison in notebook 07's prose, asserted on the experiment calls the notebook makes."""

import math

import numpy as np
import pytest

import gdviz
from gdviz import classifier, experiments


@pytest.fixture(scope="module")
def landscape():
    return classifier.sorted_landscape()


@pytest.fixture(scope="module")
def comparison(landscape):
    return experiments.schedule_comparison(landscape, alpha=2.0, batch_size=4, epochs=30)


def above(walk, comparison, index):
    return float(walk.loss[index]) - comparison.minimum_loss


# ---------------------------------------------------------------- minibatches and their average

def test_250_examples_in_batches_of_32():
    X, y = gdviz.data.blobs(250, centers=2, cluster_std=1.05, seed=0)
    sizes = [len(batch_y) for _, _, batch_y in gdviz.data.minibatches(X, y, batch_size=32, seed=0)]
    assert sizes == [32] * 7 + [26] and len(sizes) == math.ceil(250 / 32)


def test_a_random_batch_is_right_on_average(landscape):
    # Unbiased: the first batch of a fresh shuffle, over many shuffles, averages to the full gradient
    # (within 4 standard errors of the Monte Carlo mean); any one batch is off.
    at = landscape.start
    draws = np.array([experiments.epoch_gradients(landscape, at, 4, seed=seed).gradients[0]
                      for seed in range(800)])
    error = draws.std(axis=0) / math.sqrt(len(draws))
    assert np.all(np.abs(draws.mean(axis=0) - landscape.grad(at)) < 4 * error)
    assert np.all(draws.std(axis=0) > 0.05)


def test_weighted_by_size_the_batches_give_back_the_full_gradient(landscape):
    batches = experiments.epoch_gradients(landscape, landscape.start, batch_size=8, alpha=0.5)
    assert batches.sizes.tolist() == [8] * 7 + [4]  # seven batches of 8 and a last one of 4
    np.testing.assert_allclose(batches.weighted_mean, batches.full, rtol=1e-12, atol=1e-15)
    # The plain mean weighs each of the last four examples 1/(8 * 4), the others 1/(8 * 8): twice as much.
    assert batches.sizes[0] / batches.sizes[-1] == 2
    gap = np.abs(batches.plain_mean - batches.full).max()
    assert 0.001 < gap < 0.1 and not np.array_equal(batches.plain_mean.round(2), batches.full.round(2))
    # Along SGD's first epoch the gradients are read elsewhere and average to something else again.
    assert np.abs(batches.moving_mean - batches.full).max() > 0.01
    assert np.abs(batches.moving_mean - batches.plain_mean).max() > 0.01


# ---------------------------------------------------------------- the app's things to try

def test_the_apps_things_to_try(landscape):
    whole = experiments.sgd_runs(landscape, 0.5, (60,), 10)  # batch size 60: the paths coincide
    np.testing.assert_allclose(whole["full batch"][0].w, whole["batch 60"][0].w, rtol=1e-12)
    constant = experiments.sgd_runs(landscape, 0.5, (1,), 10)["batch 1"]
    decaying = experiments.sgd_runs(landscape, 0.5, (1,), 10, schedule="1/t")["batch 1, 1/t"]
    # batch size 1 trembles yet gets close fast: far below full batch after the same 10 epochs ...
    assert constant[0].loss[-1] < 0.5 * whole["full batch"][0].loss[-1]
    # ... and with 1/t the trembling dies out.
    shaking, quiet = (experiments.end_jitter(landscape, walk, per, 2) for walk, per in (constant, decaying))
    assert quiet.spread < 0.2 * shaking.spread


# ---------------------------------------------------------------- epochs against steps

def test_per_step_close_per_epoch_far_apart(landscape):
    runs = experiments.sgd_runs(landscape, alpha=0.5, batch_sizes=(4, 16), epochs=10)
    (full, one), (small, fifteen), (large, four) = runs.values()
    assert (one, fifteen, four) == (1, 15, 4)
    # after ten steps each: close, batches of 4 a little lower than full batch, batches of 16 a little higher
    assert small.loss[10] < full.loss[10] < large.loss[10]
    assert max(abs(small.loss[10] - full.loss[10]), abs(large.loss[10] - full.loss[10])) < 0.05
    # after ten epochs each: both SGD runs far lower
    assert max(small.loss[-1], large.loss[-1]) < 0.5 * full.loss[-1]


# ---------------------------------------------------------------- schedules

def test_the_rates_compared(comparison):
    labels = list(comparison.runs)
    assert labels == ["constant 2", "best constant 0.25", "1/t from 2", "step decay from 2"]
    walk, per_epoch = comparison.runs["constant 2"]
    assert per_epoch == 15 and walk.n_updates == 30 * 15 and comparison.last_epochs == 5
    assert not comparison.on_edge and np.all(np.diff(np.log2(comparison.constant_alphas)) == 1)
    one_over_t, step = comparison.schedules["1/t from 2"], comparison.schedules["step decay from 2"]
    assert one_over_t(15) == pytest.approx(1.0)  # halved after one epoch
    assert (step(74), step(75), step(150)) == (2.0, 1.0, 0.5)  # halved every 5 epochs
    # 1/t's rate falls fastest early on: below step decay's through the first five epochs
    assert all(one_over_t(t) < step(t) for t in range(1, 75))


def test_the_constant_rates_fast_or_quiet(comparison):
    large, _ = comparison.runs["constant 2"]
    best, _ = comparison.runs["best constant 0.25"]
    assert above(large, comparison, 15) < 0.003  # within 0.003 after one epoch
    assert round(comparison.jitter["constant 2"].loss_gap, 3) == 0.009
    assert round(comparison.jitter["constant 2"].spread, 2) == 0.55
    assert comparison.best_constant == 0.25
    assert round(comparison.jitter["best constant 0.25"].spread, 3) == 0.081
    assert round(above(best, comparison, 15), 3) == 0.465


def test_the_best_constant_rate_is_still_drifting_in(comparison, landscape):
    walk, per_epoch = comparison.runs["best constant 0.25"]
    tail = walk.w[-5 * per_epoch:]
    # its last epochs sit to one side of the minimum, further off than they wander, and still closing in
    assert np.linalg.norm(tail.mean(axis=0) - landscape.minima[0]) > 2 * comparison.jitter[
        "best constant 0.25"].spread
    distance = np.linalg.norm(walk.w[::per_epoch] - landscape.minima[0], axis=1)
    assert distance[30] < distance[25]


def test_the_schedules_start_fast_and_end_quiet(comparison):
    best = comparison.jitter["best constant 0.25"]
    slow_start = above(comparison.runs["best constant 0.25"][0], comparison, 15)
    for label in ("1/t from 2", "step decay from 2"):
        walk, _ = comparison.runs[label]
        assert above(walk, comparison, 15) < 0.01 < slow_start
        assert comparison.jitter[label].spread < best.spread / 3
    assert round(comparison.jitter["1/t from 2"].spread, 3) == 0.023
    assert round(comparison.jitter["step decay from 2"].spread, 3) == 0.020
    step_gap = comparison.jitter["step decay from 2"].loss_gap
    assert step_gap < best.loss_gap / 10
    assert (round(step_gap, 6), round(best.loss_gap, 5)) == (1.4e-5, 4.8e-4)
    assert round(comparison.jitter["1/t from 2"].loss_gap, 6) == 9.4e-5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_holds_on_other_batches_too(landscape, seed):
    # The summary's general claims, on other shuffles: the schedules wander less and end closer
    # than the best constant rate, which itself wanders less than the large one.
    other = experiments.schedule_comparison(landscape, alpha=2.0, batch_size=4, epochs=30, seed=seed)
    best = other.jitter[f"best constant {other.best_constant:g}"]
    assert not other.on_edge and other.jitter["constant 2"].spread > best.spread
    for label in ("1/t from 2", "step decay from 2"):
        assert other.jitter[label].spread < best.spread / 3
        assert other.jitter[label].loss_gap < best.loss_gap
    assert other.jitter["step decay from 2"].loss_gap < best.loss_gap / 10


# ---------------------------------------------------------------- shuffling

def test_sorted_batches_pull_one_way_then_the_other(landscape):
    x, y = landscape.data
    assert np.all(y[:8] == 0) and np.all(y[-4:] == 1)  # the first batch all class 0, the last all class 1
    minimum = float(landscape(landscape.minima[0]))
    runs = (experiments.sgd_runs(landscape, alpha=2.0, batch_sizes=(8,), epochs=20, shuffle=True)
            | experiments.sgd_runs(landscape, alpha=2.0, batch_sizes=(8,), epochs=20, shuffle=False))
    shuffled, fixed = runs["batch 8"][0], runs["batch 8, unshuffled"][0]
    assert fixed.loss[-1] - minimum > 10 * (shuffled.loss[-1] - minimum)
    # the same loop every epoch: where each epoch ends hardly changes, while within it Chad travels far
    ends = fixed.w[::8]
    assert np.linalg.norm(ends[-1] - ends[-2]) < 0.01
    assert np.linalg.norm(fixed.w[-8:] - fixed.w[-8:].mean(axis=0), axis=1).max() > 0.3


def test_on_the_posts_own_data_the_order_hardly_matters():
    shuffled, fixed = (classifier.post_experiment("sgd", shuffle=shuffle) for shuffle in (True, False))
    assert abs(shuffled.loss[-1] - fixed.loss[-1]) < 1e-3
    assert shuffled.accuracy == fixed.accuracy
