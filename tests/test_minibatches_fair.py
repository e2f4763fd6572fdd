"""`experiments.tuned_epoch_race`: each batch size at its own tuned rate, its walks, nudges and verdicts."""

import numpy as np
import pytest

from gdviz import classifier, experiments, figures, optimizers
from gdviz.experiments import _sgd_batches, minibatches
from gdviz.experiments._many_starts import LOSS_FLOOR, starts_around
from gdviz.run import run

SEPARABLE = ([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1])  # no finite minimum: the loss keeps falling as w grows


@pytest.fixture(scope="module")
def landscape():
    return classifier.sorted_landscape()


@pytest.fixture(scope="module")
def small_race(landscape):
    # Few walks, so that the checks below can walk every one of them again through `run`.
    return experiments.tuned_epoch_race(landscape, epochs=2, batch_sizes=(4, 7, 16),
                                        starts=starts_around(landscape, count=3), seeds=(0, 5))


def test_every_walk_is_the_walk_the_optimizers_and_run_give(small_race):
    for start in range(3):
        for column, seed in enumerate(small_race.seeds):
            for label, (walk, per_epoch) in small_race.runs(start, seed).items():
                assert walk.n_updates == 2 * per_epoch and walk.stop_reason == "max_steps"
                assert walk.loss[-1] - small_race.minimum_loss == small_race[label].gaps[start, column], label
    full = small_race["full batch"].gaps
    assert np.array_equal(full[:, 0], full[:, 1])  # full batch draws no batches: one walk per start


def test_the_nudged_medians_are_the_medians_at_alpha_times_0_9_and_1_1(small_race, landscape):
    entry = small_race["batch 7"]
    for factor, median in entry.nudged.items():
        gaps = [run(optimizers.sgd(landscape, start, factor * entry.alpha, batch_size=7, seed=seed),
                    max_steps=2 * entry.steps_per_epoch).loss[-1] - small_race.minimum_loss
                for start in small_race.starts for seed in small_race.seeds]
        assert median == np.median(np.maximum(gaps, LOSS_FLOOR))
    assert entry.medians == (entry.median, entry.nudged[0.9], entry.nudged[1.1])


def test_the_tuned_rate_scores_lowest_and_its_grid_neighbours_were_tried(small_race):
    step = 10 ** (1 / 48)
    for entry in small_race.values():
        assert not entry.on_edge and np.all(np.diff(entry.tried) > 0)
        assert entry.scores.min() == entry.scores[np.flatnonzero(entry.tried == entry.alpha)[0]]
        assert entry.median == entry.scores.min()
        for neighbour in (entry.alpha / step, entry.alpha * step):
            assert np.isclose(entry.tried, neighbour, rtol=1e-12).any()
        powers = 48 * np.log10(entry.tried)
        np.testing.assert_allclose(powers, np.round(powers), atol=1e-9)


def entry(medians):
    median, *nudged = medians
    return minibatches.EpochRaceEntry("x", 1, 1, 1.0, False, np.zeros((1, 1)), median,
                                      dict(zip((0.9, 1.1), nudged, strict=True)), np.ones(1), np.ones(1))


def test_a_lead_counts_only_when_every_nudge_keeps_it():
    assert entry((1.0, 1.5, 2.0)).beats(entry((2.5, 3.0, 4.0)))
    assert not entry((1.0, 1.5, 3.0)).beats(entry((2.5, 3.0, 4.0)))  # its x 1.1 is worse than the other
    assert not entry((2.5, 3.0, 4.0)).beats(entry((1.0, 1.5, 3.0)))
    assert not entry((1.0, 1.0, 1.0)).beats(entry((1.0, 1.0, 1.0)))


def test_a_walk_that_flies_off_scores_inf_as_run_calls_it_diverged(landscape):
    starts = np.array([landscape.start])
    losses = _sgd_batches.sgd_losses(landscape, [1.0, 1e4], starts, 4, 1, (0,))
    walks = [run(optimizers.sgd(landscape, landscape.start, alpha, batch_size=4), max_steps=15)
             for alpha in (1.0, 1e4)]
    assert [walk.stop_reason for walk in walks] == ["max_steps", "diverged"]
    assert losses[0, 0, 0] == walks[0].loss[-1] and losses[1, 0, 0] == np.inf


def test_the_table_says_the_score_each_entry_and_the_verdicts(small_race):
    rows = small_race.table().splitlines()
    assert rows[0] == "score: " + small_race.describe()
    assert "after 2 epochs" in rows[0] and "3 starts x 2 seeds" in rows[0]
    assert [row.split()[0] + " " + row.split()[1] for row in rows[2:-1]] == list(small_race)
    assert rows[-1].startswith("ahead at every nudge: ")
    assert all(f"{one} over {other}" in rows[-1] for one, other in small_race.verdicts())


def test_the_result_and_its_walks_carry_the_landscape(small_race, landscape):
    assert small_race.landscape is landscape and small_race.runs().landscape is landscape
    assert small_race.runs(2, 5).settings["batch 4"] == {"alpha": small_race["batch 4"].alpha,
                                                         "batch_size": 4, "seed": 5}


def test_the_default_race_starts_from_chads_start_and_15_around_it(landscape):
    race = experiments.tuned_epoch_race(landscape, epochs=1, batch_sizes=())
    np.testing.assert_array_equal(race.starts, starts_around(landscape, count=16))
    assert race.seeds == tuple(range(8)) and list(race) == ["full batch"]


@pytest.mark.parametrize("kwargs, match", [
    ({"landscape": "bowl"}, "has_data"),
    ({"landscape": classifier.classifier_landscape(loss="svm")}, "cross-entropy"),
    ({"landscape": classifier.classifier_landscape(l2=0.1)}, "cross-entropy"),
    ({"landscape": classifier.classifier_landscape(SEPARABLE), "batch_sizes": (2,)}, "minimum"),
    ({"batch_sizes": (61,)}, "batch_sizes"),
    ({"batch_sizes": (4, 4)}, "batch_sizes"),
    ({"seeds": ()}, "seed"),
    ({"epochs": 0}, "epochs"),
])
def test_it_refuses_what_it_cannot_race(landscape, kwargs, match):
    with pytest.raises(ValueError, match=match):
        experiments.tuned_epoch_race(**{"landscape": landscape, "epochs": 1, **kwargs})


def test_sgd_figure_can_draw_the_loss_above_the_minimum_on_a_log_axis(small_race):
    runs = small_race.runs()
    figure = figures.sgd_figure(runs, above_minimum=True)
    assert figure.layout.yaxis2.type == "log" and figure.layout.yaxis2.title.text == "loss - minimum loss"
    curves = [trace for trace in figure.data if trace.xaxis == "x2"]
    for curve, (walk, _) in zip(curves, runs.values(), strict=True):
        np.testing.assert_allclose(curve.y, np.maximum(walk.loss - small_race.minimum_loss, 1e-17))
    plain = figures.sgd_figure(runs)
    assert plain.layout.yaxis2.type != "log"
    first = next(trace for trace in plain.data if trace.xaxis == "x2")
    assert list(first.y) == list(runs["full batch"][0].loss)


def test_sgd_figure_needs_a_minimum_to_draw_the_loss_above_it():
    separable = classifier.classifier_landscape(SEPARABLE)
    runs = experiments.sgd_runs(separable, 0.5, (2,), 1)
    with pytest.raises(ValueError, match="minimum"):
        figures.sgd_figure(runs, above_minimum=True)
