"""The fair race (08): tuning, scores, the aligned ravine, the figures and the app.

Every check recomputes what it needs from the optimizers and `gdviz.run`
directly (its own scoring, its own neighbours on the grid), so it does not
trust the race's bookkeeping to check the race.
"""

import math

import numpy as np
import pytest

from gdviz import experiments, figures, landscapes, optimizers
from gdviz.apps import Race
from gdviz.figures.style import trace
from gdviz.run import run

SIXTEENTH = 10 ** (1 / 16)  # the finest step of the race's grids, a sixteenth of a decade


def steps_to(landscape, name, alpha, goal, budget, **settings):
    """Steps until the loss is at most `goal`, counted here; inf when never (or diverged)."""
    walk = run(optimizers.get(name)(landscape, landscape.start, alpha, **settings), max_steps=budget)
    below = np.flatnonzero(walk.loss <= goal)
    return float(below[0]) if below.size and walk.stop_reason != "diverged" else math.inf


@pytest.fixture(scope="module")
def ravine_pair():
    return experiments.race("ravine", ["gradient_descent", "momentum"], max_steps=200)


def test_the_chosen_settings_beat_their_neighbours_on_the_finest_grid(ravine_pair):
    land = landscapes.get("ravine")
    plain, heavy = ravine_pair["gradient_descent"], ravine_pair["momentum"]
    assert ravine_pair.measure == "steps to loss" and ravine_pair.goal == 1e-12
    assert plain.score == steps_to(land, "gradient_descent", plain.alpha, 1e-12, 200)
    for factor in (1 / SIXTEENTH, SIXTEENTH):
        assert steps_to(land, "gradient_descent", plain.alpha * factor, 1e-12, 200) >= plain.score
    beta = heavy.settings["beta"]
    assert heavy.tuned == ("alpha", "beta") and heavy.score == steps_to(land, "momentum", heavy.alpha, 1e-12,
                                                                        200, beta=beta)
    for alpha_factor in (1 / SIXTEENTH, 1, SIXTEENTH):
        for gap_factor in (1 / SIXTEENTH, 1, SIXTEENTH):  # beta moves evenly in log(1 - beta)
            neighbour = 1 - (1 - beta) * gap_factor
            steps = steps_to(land, "momentum", heavy.alpha * alpha_factor, 1e-12, 200, beta=neighbour)
            assert steps >= heavy.score, (alpha_factor, gap_factor)


def test_plain_descent_tunes_to_just_under_its_divergence_edge(ravine_pair):
    plain = ravine_pair["gradient_descent"]
    _, edge = landscapes.get("ravine").max_curvature, 2 / landscapes.get("ravine").max_curvature
    assert plain.alpha < edge < plain.alpha * SIXTEENTH
    assert not plain.on_edge and plain.searched["alpha"].min() <= 1e-3 and plain.searched["alpha"].max() >= 1


def test_an_entry_reports_its_settings_and_its_walk(ravine_pair):
    heavy = ravine_pair["momentum"]
    direct = run(optimizers.momentum("ravine", landscapes.get("ravine").start, heavy.alpha,
                                     beta=heavy.settings["beta"]), max_steps=200, loss_below=1e-12)
    assert np.array_equal(heavy.trajectory.w, direct.w)
    assert heavy.trajectory.loss[-1] <= 1e-12 < heavy.trajectory.loss[-2]  # a steps-scored walk ends there
    assert heavy.label().startswith("momentum α=") and "β=" in heavy.label()
    assert f"alpha {heavy.alpha:.3g}, beta {heavy.settings['beta']:.3g}" in ravine_pair.table()


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
    assert [entry.final_loss for entry in ranked] == sorted(entry.score for entry in ranked)
    for entry in ranked:
        direct = run(optimizers.get(entry.name)("rosenbrock", (-1.5, 2.0), entry.alpha), max_steps=40)
        assert entry.score == direct.loss[-1]


def test_walks_short_of_the_goal_rank_behind_by_their_final_loss():
    result = experiments.race("ravine", ["gradient_descent", "adam", "momentum"], max_steps=60)
    ranked = result.ranking()
    reached = [entry for entry in ranked if entry.reached]
    assert reached and ranked[:len(reached)] == reached
    assert [entry.score for entry in reached] == sorted(entry.score for entry in reached)
    missing = ranked[len(reached):]
    assert [entry.final_loss for entry in missing] == sorted(entry.final_loss for entry in missing)
    assert all(entry.trajectory.n_updates == 60 for entry in missing)


def test_the_saddle_is_raced_at_one_alpha_and_escaping_is_never_a_failure():
    result = experiments.race("saddle")
    assert result.measure == "steps to distance" and result.goal == 10.0
    for entry in result.entries.values():
        assert entry.alpha == 0.1 and entry.tuned == ()
        assert entry.settings == optimizers.hyperparameters(entry.name)
        assert entry.trajectory.stop_reason != "diverged"
        distance = np.linalg.norm(entry.trajectory.w, axis=1)
        far = np.flatnonzero(distance >= 10)
        assert entry.score == (far[0] if far.size else math.inf)
        if far.size:  # the walk ends where it crossed the line
            assert far[0] == entry.trajectory.n_updates
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
    assert [trace.meta for trace in figure.data] == ["map", "path gradient_descent", "curve gradient_descent",
                                                     "path adam", "curve adam", "threshold goal"]
    # The distance from the saddle point is positive, so it sits on a log axis; the goal is drawn at 10.
    assert figure.layout.yaxis2.type == "log"
    assert list(trace(figure, "curve adam").y) == pytest.approx(np.linalg.norm(result["adam"].trajectory.w,
                                                                               axis=1))
    assert list(trace(figure, "threshold goal").y) == [10.0, 10.0]
    assert trace(figure, "path adam").name == "adam α=0.1"


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
    assert list(bars.y) == [aligned["gradient_descent"].score, aligned["adagrad"].score]
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
    assert status.index("1. momentum α=0.24 β=0.44") < status.index("2. gradient_descent α=0.18")


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
