"""The fair race (10): tuning, scores, the aligned ravine, the figures and the app.

Every check recomputes what it needs from the optimizers and `gdviz.run`
directly (its own scoring, its own neighbours on the grid), so it does not
trust the race's bookkeeping to check the race.
"""

import math

import numpy as np
import pytest

from gdviz import experiments, figures, landscapes, optimizers, words
from gdviz.apps import Race
from gdviz.figures.style import trace
from gdviz.run import run

STEP = 10 ** (1 / 48)  # the finest step of the race's alpha grid, a forty-eighth of a decade
BETA_STEP = 10 ** (1 / 16)  # and of its beta grid, a sixteenth of a decade of 1 - beta


def score_from(result, name, start, factor=1.0, **changed):
    """One start's score for `name` at its settings (alpha x factor, `changed` replacing any), walked
    here with `run` and scored here: steps to the goal, or the final loss; inf when never or diverged."""
    entry, landscape = result[name], result.landscape
    settings = {**entry.settings, **changed}
    escaping = result.measure == "steps to distance"
    walk = run(optimizers.get(name)(landscape, start, entry.alpha * factor, **settings),
               max_steps=result.max_steps, escape_radius=1e150 if escaping else 1e3)
    if escaping:
        far = np.flatnonzero(np.linalg.norm(walk.w - result.escape_from, axis=1) >= result.goal)
        return float(far[0]) if far.size else math.inf
    if result.measure == "steps to loss":
        below = np.flatnonzero(walk.loss <= result.goal)
        return float(below[0]) if below.size else math.inf
    return math.inf if walk.stop_reason == "diverged" else float(walk.loss[-1])


def median_from(result, name, factor=1.0, **changed):
    return float(np.median([score_from(result, name, start, factor, **changed) for start in result.starts]))


@pytest.fixture(scope="module")
def ravine_pair():
    return experiments.race("ravine", ["gradient_descent", "momentum"], max_steps=200)


def test_every_optimizer_walks_from_sixteen_starts_around_the_course_start(ravine_pair):
    starts, ravine = ravine_pair.starts, landscapes.get("ravine")
    assert starts.shape == (16, 2) and np.array_equal(starts[0], ravine.start)
    (x_low, x_high), (y_low, y_high) = ravine.domain
    radius = 0.1 * math.hypot(x_high - x_low, y_high - y_low)
    assert np.all(np.linalg.norm(starts - ravine.start, axis=1) <= radius)
    assert np.all((starts[:, 0] >= x_low) & (starts[:, 0] <= x_high) & (starts[:, 1] >= y_low)
                  & (starts[:, 1] <= y_high))
    assert len({tuple(start) for start in starts}) == 16
    assert np.array_equal(experiments.race_starts("ravine"), starts)  # a fixed seed: the same starts
    assert not np.array_equal(experiments.race_starts("ravine", seed=1)[1:], starts[1:])
    # Near a corner, every start still lies inside the domain.
    cornered = experiments.race_starts("ravine", start=(2.95, -2.95))
    assert cornered.shape == (16, 2) and np.all(np.abs(cornered) <= 3.0)
    with pytest.raises(ValueError, match="start"):
        experiments.race_starts("ravine", start=(50.0, 50.0))


def test_each_start_is_scored_as_run_walks_it_and_the_entry_ranks_by_the_median(ravine_pair):
    for name, entry in ravine_pair.entries.items():
        expected = [score_from(ravine_pair, name, start) for start in ravine_pair.starts]
        assert entry.scores.tolist() == expected
        assert entry.score == np.median(expected) and entry.spread == (min(expected), max(expected))
        # The walk drawn is the one from the course's start, walked by `run`, ending at the goal.
        assert entry.trajectory.n_updates == expected[0]
        assert entry.trajectory.loss[-1] <= 1e-12 < entry.trajectory.loss[-2]
    assert [entry.name for entry in ravine_pair.ranking()] == sorted(
        ravine_pair.entries, key=lambda name: ravine_pair[name].score)


def test_the_nudges_and_the_robustness_flag_are_what_run_finds(ravine_pair):
    for name, entry in ravine_pair.entries.items():
        for factor in (0.9, 1.1):
            nudged = median_from(ravine_pair, name, factor)
            assert entry.nudged[factor] == nudged
            assert ravine_pair.scores_at(name, factor).tolist() == [
                score_from(ravine_pair, name, start, factor) for start in ravine_pair.starts]
        folds = [max(entry.score, nudged) / min(entry.score, nudged) for nudged in entry.nudged.values()]
        assert entry.robust == (max(folds) <= 1.5)
    # The bowl's best steps are few, so one step more is more than 1.5-fold: flagged, and said so.
    bowl = experiments.race("bowl", ["gradient_descent"], max_steps=50)
    entry = bowl["gradient_descent"]
    folds = [max(entry.score, nudged) / min(entry.score, nudged) for nudged in entry.nudged.values()]
    assert entry.robust == (max(folds) <= 1.5)
    assert ("not robust" in bowl.table()) == (not entry.robust)


def worst_median(result, name, factor=1.0, **changed):
    """The tuner's score, recomputed here: the worst median over alpha x 0.9, x 1, x 1.1 (ties ignored)."""
    return max(median_from(result, name, factor * nudge, **changed) for nudge in (0.9, 1.0, 1.1))


def test_the_chosen_settings_beat_their_neighbours_on_the_finest_grid(ravine_pair):
    heavy = ravine_pair["momentum"]
    assert ravine_pair.measure == "steps to loss" and ravine_pair.goal == 1e-12
    chosen = worst_median(ravine_pair, "gradient_descent")
    for factor in (1 / STEP, STEP):
        assert worst_median(ravine_pair, "gradient_descent", factor) >= chosen
    beta = heavy.settings["beta"]
    assert heavy.tuned == ("alpha", "beta")
    chosen = worst_median(ravine_pair, "momentum")
    for alpha_factor in (1 / STEP, 1, STEP):
        for gap_factor in (1 / BETA_STEP, 1, BETA_STEP):  # beta moves evenly in log(1 - beta)
            neighbour = 1 - (1 - beta) * gap_factor
            assert worst_median(ravine_pair, "momentum", alpha_factor, beta=neighbour) >= chosen


def test_plain_descent_keeps_a_nudge_of_margin_below_its_divergence_edge(ravine_pair):
    plain = ravine_pair["gradient_descent"]
    edge = 2 / landscapes.get("ravine").max_curvature
    assert plain.alpha * 1.1 < edge  # alpha x 1.1 must still converge from every start
    assert not plain.on_edge and plain.searched["alpha"].min() <= 1e-3 and plain.searched["alpha"].max() >= 1
    exponents = np.log10(plain.searched["alpha"]) * 48
    assert np.allclose(exponents, np.round(exponents))


def test_an_entry_reports_its_settings_and_its_walk(ravine_pair):
    heavy = ravine_pair["momentum"]
    direct = run(optimizers.momentum("ravine", landscapes.get("ravine").start, heavy.alpha,
                                     beta=heavy.settings["beta"]), max_steps=200, loss_below=1e-12)
    assert np.array_equal(heavy.trajectory.w, direct.w)
    assert heavy.label().startswith("momentum α=") and "β=" in heavy.label()
    table = ravine_pair.table()
    assert f"alpha {heavy.alpha:.3g}, beta {heavy.settings['beta']:.3g}" in table
    low, high = heavy.spread
    assert f"[{low:g} to {high:g}]" in table and "16 starts" in table


def test_the_grid_grows_past_one_when_the_best_rate_is_larger():
    entry = experiments.race("aligned ravine", ["adagrad"], max_steps=60)["adagrad"]
    assert entry.alpha > 1 and entry.searched["alpha"].max() > entry.alpha and not entry.on_edge


def test_a_best_at_a_limit_of_the_search_is_flagged():
    flat = landscapes.quadratic((1e-4, 1e-4), name="flat")  # wants alpha = 1e4, beyond the limit 1e3
    entry = experiments.race(flat, ["gradient_descent"], max_steps=3)["gradient_descent"]
    assert entry.alpha == pytest.approx(1e3) and entry.on_edge
    assert "on the edge" in experiments.race(flat, ["gradient_descent"], max_steps=3).table()


def test_when_every_rate_diverges_the_gentlest_is_shown_flying_off():
    steep = landscapes.quadratic((1e8, 1e8), name="steep")  # alpha * L > 2 for every alpha >= 1e-6
    entry = experiments.race(steep, ["gradient_descent"], max_steps=20)["gradient_descent"]
    assert entry.alpha == pytest.approx(1e-6) and entry.on_edge
    assert entry.trajectory.stop_reason == "diverged" and entry.score == math.inf


def test_final_loss_scores_rank_and_tie_break():
    result = experiments.race("rosenbrock", ["gradient_descent", "adagrad"], max_steps=40)
    assert result.measure == "final loss"
    ranked = result.ranking()
    assert [entry.score for entry in ranked] == sorted(entry.score for entry in ranked)
    for entry in ranked:
        assert entry.score == median_from(result, entry.name)
        direct = run(optimizers.get(entry.name)("rosenbrock", (-1.5, 2.0), entry.alpha), max_steps=40)
        assert entry.final_loss == direct.loss[-1] == entry.scores[0]


def test_walks_short_of_the_goal_rank_behind_by_their_final_loss():
    result = experiments.race("ravine", ["gradient_descent", "adam", "momentum"], max_steps=60)
    ranked = result.ranking()
    reached = [entry for entry in ranked if entry.reached]
    assert reached and ranked[:len(reached)] == reached
    assert [entry.score for entry in reached] == sorted(entry.score for entry in reached)
    missing = ranked[len(reached):]
    assert [entry.tie_break for entry in missing] == sorted(entry.tie_break for entry in missing)
    for entry in missing:  # the tie-break is the median final loss over the starts
        finals = [run(optimizers.get(entry.name)("ravine", start, entry.alpha, **entry.settings),
                      max_steps=60, loss_below=1e-12).loss[-1] for start in result.starts]
        assert entry.tie_break == np.median(finals)
    assert "not in 60" in result.table() or not missing


def test_the_saddle_is_raced_at_one_alpha_and_escaping_is_never_a_failure():
    result = experiments.race("saddle")
    assert result.measure == "steps to distance" and result.goal == 10.0
    for entry in result.entries.values():
        assert entry.alpha == 0.1 and entry.tuned == ()
        assert entry.settings == optimizers.hyperparameters(entry.name)
        assert entry.trajectory.stop_reason != "diverged"
        assert entry.scores.tolist() == [score_from(result, entry.name, start) for start in result.starts]
        distance = np.linalg.norm(entry.trajectory.w, axis=1)
        far = np.flatnonzero(distance >= 10)
        if far.size:  # the walk from the course's start ends where it crossed the line
            assert far[0] == entry.trajectory.n_updates == entry.scores[0]
    # Far beyond the old divergence guard of radius 1000, an escape still counts.
    far_away = experiments.race("saddle", ["momentum"], max_steps=60, alpha=0.1, escape_distance=1e4)
    assert far_away["momentum"].reached and far_away["momentum"].trajectory.stop_reason != "diverged"


def test_a_saddle_raced_without_a_shared_alpha_is_refused():
    with pytest.raises(ValueError, match="alpha"):
        experiments.race("saddle", escape_distance=5.0)


def test_a_shared_alpha_is_the_optimizers_own_walk_with_default_settings():
    result = experiments.race("ravine", ["momentum", "adam"], max_steps=25, alpha=0.02)
    direct = run(optimizers.momentum("ravine", landscapes.get("ravine").start, 0.02), max_steps=25)
    assert result.measure == "final loss" and result["momentum"].alpha == 0.02
    assert np.array_equal(result["momentum"].trajectory.w, direct.w)
    assert all(entry.trajectory.n_updates == 25 for entry in result.entries.values())


def test_the_aligned_ravine_is_the_ravine_turned_back():
    turned, aligned = landscapes.get("ravine"), experiments.aligned_ravine()
    assert np.allclose(aligned.hessian, np.diag([0.5, 10.0]))
    assert np.allclose(np.linalg.eigvalsh(turned.hessian), [0.5, 10.0])
    # The ravine's floor (the eigenvector of 0.5) points 30 degrees up from the w1 axis.
    floor = np.linalg.eigh(turned.hessian)[1][:, 0]
    assert abs(np.degrees(np.arctan(floor[1] / floor[0]))) == pytest.approx(30.0)
    angle = np.deg2rad(30.0)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    assert np.allclose(rotation @ aligned.start, turned.start)
    assert aligned(aligned.start) == pytest.approx(turned(turned.start))
    # Plain descent does not care which way the axes point: the same walk, turned.
    on_aligned = run(optimizers.gradient_descent(aligned, aligned.start, 0.15), max_steps=30)
    on_turned = run(optimizers.gradient_descent(turned, turned.start, 0.15), max_steps=30)
    assert np.allclose(on_aligned.w @ rotation.T, on_turned.w)
    assert experiments.course_landscape("aligned ravine").name == "aligned ravine"


def test_bad_races_are_refused_with_the_parameter_named():
    with pytest.raises(ValueError, match="optimizer"):
        experiments.race("ravine", ["gradient_ascent"])
    with pytest.raises(ValueError, match="names"):
        experiments.race("ravine", [])
    with pytest.raises(ValueError, match="sgd"):
        experiments.race("ravine", ["sgd"])
    with pytest.raises(ValueError, match="landscape"):
        experiments.race("moonscape")
    with pytest.raises(TypeError, match="max_steps"):
        experiments.race("ravine", ["adam"], max_steps=2.5)


def test_moved_measures_the_last_stretch_of_path(ravine_pair):
    entry = ravine_pair["gradient_descent"]
    w = entry.trajectory.w
    assert entry.moved(1) == pytest.approx(np.linalg.norm(w[-1] - w[-2]))
    assert entry.moved(3) == pytest.approx(sum(np.linalg.norm(w[-k] - w[-k - 1]) for k in (1, 2, 3)))


def test_momentum_gain_and_best_walk_still_serve_other_lessons():
    assert experiments.momentum_gain(0.9) == pytest.approx(10.0, rel=1e-6)
    alpha, walk = experiments.best_walk(lambda a: run(optimizers.gradient_descent("bowl", (1.0, 1.0), a),
                                                      max_steps=5), [0.1, 0.5, 2.0])
    assert alpha == 0.5 and walk.loss[-1] == 0.0


# ---------------------------------------------------------------- figures

def test_race_figure_draws_what_the_score_reads_with_the_goal():
    result = experiments.race("saddle", ["gradient_descent", "adam"])
    figure = figures.race_figure(result)
    assert [trace.meta for trace in figure.data] == ["map", "starts", "path gradient_descent",
                                                     "curve gradient_descent", "path adam", "curve adam",
                                                     "threshold goal"]
    assert np.array_equal(np.column_stack([trace(figure, "starts").x, trace(figure, "starts").y]),
                          result.starts[1:])
    # The distance from the saddle point is positive, so it sits on a log axis; the goal is drawn at 10.
    assert figure.layout.yaxis2.type == "log"
    assert list(trace(figure, "curve adam").y) == pytest.approx(np.linalg.norm(result["adam"].trajectory.w,
                                                                               axis=1))
    assert list(trace(figure, "threshold goal").y) == [10.0, 10.0]
    assert trace(figure, "path adam").name == "Adam α=0.1"  # the legend says it in words


def test_a_negative_loss_is_never_put_on_a_log_axis():
    figure = figures.race_figure(experiments.race("saddle", ["gradient_descent"], alpha=0.1))
    assert figure.layout.yaxis2.type == "linear" and len(trace(figure, "threshold goal").y) == 0
    positive = figures.race_figure(experiments.race("bowl", ["gradient_descent"], max_steps=10))
    assert positive.layout.yaxis2.type == "log"


def test_preconditioning_figure_shows_both_ravines_and_their_steps():
    aligned = experiments.race("aligned ravine", ["gradient_descent", "adagrad"], max_steps=150)
    turned = experiments.race("ravine", ["gradient_descent", "adagrad"], max_steps=150)
    figure = figures.preconditioning_figure(aligned, turned)
    bars = trace(figure, "bars lined up")
    assert list(bars.x) == ["gradient_descent", "adagrad"]
    assert list(bars.y) == [aligned["gradient_descent"].score, aligned["adagrad"].score]  # the medians
    assert trace(figure, "path turned adagrad").x[0] == pytest.approx(turned.landscape.start[0])
    with pytest.raises(ValueError, match="steps"):
        figures.preconditioning_figure(aligned, experiments.race("rosenbrock", ["adagrad"], max_steps=5))
    with pytest.raises(TypeError, match="RaceResult"):
        figures.race_figure({})


# ---------------------------------------------------------------- the app

def test_race_app_shows_a_race_it_is_given_and_ranks_by_the_score():
    result = experiments.race("ravine", ["gradient_descent", "momentum"], max_steps=60)
    app = Race(result)
    assert app.results is result and app.course.value == "ravine" and app.budget.value == 60
    assert list(trace(app.figure, "path momentum").x) == pytest.approx(result["momentum"].trajectory.w[:, 0])
    status = app.status.value
    assert "steps until the loss is at most 1e-12" in status
    first, second = result.ranking()
    assert status.index(f"1. {words.say(first.label())}") < status.index(f"2. {words.say(second.label())}")
    assert "plain descent α=" in status and "gradient_descent" not in status  # in words
    assert "median steps of 16 starts" in status
    low, high = first.spread
    assert f"{result.reading(low)} to {result.reading(high)}" in status


def test_race_app_races_again_when_its_controls_change():
    app = Race("ravine", ["gradient_descent", "adam"], max_steps=30)
    app.running["adam"].value = False
    assert set(app.results.entries) == {"gradient_descent"} and len(trace(app.figure, "path adam").x) == 0
    app.course.value = "saddle"
    assert app.results.measure == "steps to distance" and app.figure.layout.yaxis2.type == "log"
    contour = np.asarray(trace(app.figure, "map").customdata)
    assert np.allclose(contour, figures.contour_trace("saddle").customdata)
    assert tuple(app.figure.layout.xaxis.range) == landscapes.get("saddle").domain[0]
    assert "away from the saddle point" in app.status.value
    app.running["gradient_descent"].value = False
    assert app.results is None and "Tick" in app.status.value
    assert len(trace(app.figure, "threshold goal").x) == 0


def test_race_app_refuses_what_is_no_course():
    with pytest.raises(ValueError, match="course"):
        Race("moonscape")
    with pytest.raises(ValueError, match="optimizer"):
        Race("ravine", ["gradient_ascent"])
