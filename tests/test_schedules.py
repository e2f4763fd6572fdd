"""Learning-rate schedules (gdviz.schedules), SGD with a schedule, and the minibatch lesson's experiments,
figure, app control and exercises (09)."""

import math

import numpy as np
import pytest

import gdviz
from gdviz import classifier, exercises, experiments, figures, optimizers, schedules
from gdviz.apps import SGDLab
from gdviz.figures.style import trace


@pytest.fixture(scope="module")
def sorted_landscape():
    return classifier.sorted_landscape()


# ---------------------------------------------------------------- the schedules, by hand

def test_each_schedule_follows_its_formula():
    assert [schedules.constant(0.3)(t) for t in (0, 1, 1000)] == [0.3, 0.3, 0.3]
    one_over_t = schedules.inverse_time(2.0, decay_steps=15)
    # alpha / (1 + t / 15): halved at t = 15, a third at t = 30.
    assert [one_over_t(t) for t in (0, 15, 30, 150)] == pytest.approx([2.0, 1.0, 2 / 3, 2 / 11])
    step = schedules.step_decay(2.0, step_size=75, gamma=0.5)
    assert [step(t) for t in (0, 74, 75, 149, 150, 449, 450)] == [2.0, 2.0, 1.0, 1.0, 0.5, 0.0625, 0.03125]
    assert "2 / (1 + t/15)" in one_over_t.formula and step.name == "step decay"


def test_one_over_t_takes_unbounded_steps_of_bounded_squared_size():
    # Robbins and Monro's conditions, which the module gives as the reason for 1/t: with
    # alpha_t = 10 / (10 + t), the steps grow like 10 log t, the squares sum to 100 sum_{n >= 10} 1/n^2.
    rates = np.array([schedules.inverse_time(1.0, 10)(t) for t in range(20_000)])
    assert rates.sum() - rates[:2000].sum() == pytest.approx(10 * math.log(10), rel=0.01)
    squares = 100 * (math.pi**2 / 6 - sum(1 / n**2 for n in range(1, 10)))
    assert (rates**2).sum() == pytest.approx(squares, rel=1e-3)


@pytest.mark.parametrize("make, error, words", [
    (lambda: schedules.constant(0.0), ValueError, "alpha must be a finite number > 0"),
    (lambda: schedules.inverse_time(1.0, 0), ValueError, "decay_steps must be a finite number > 0"),
    (lambda: schedules.step_decay(1.0, 0), ValueError, "step_size must be an integer >= 1"),
    (lambda: schedules.step_decay(1.0, 10, gamma=1.5), ValueError, r"gamma must be in \(0, 1\]"),
    (lambda: schedules.step_decay(1.0, 10, gamma=0.0), ValueError, "gamma must be a finite number > 0"),
    (lambda: schedules.constant(1.0)(-1), ValueError, "t must be an integer >= 0"),
    (lambda: schedules.constant(1.0)(0.5), TypeError, "t must be an integer"),
    (lambda: schedules.as_schedule("fast"), TypeError, "alpha must be a real number.*or pass a schedule"),
    (lambda: schedules.as_schedule(lambda t: 1.0 - t)(2), ValueError,
     "alpha schedule must give a finite number > 0 at every t, got -1.0 at t=2"),
])
def test_bad_schedules_are_named(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_as_schedule_takes_numbers_schedules_and_plain_functions():
    assert schedules.as_schedule(0.5)(7) == 0.5
    halving = schedules.step_decay(1.0, 3)
    assert schedules.as_schedule(halving) is halving
    assert schedules.as_schedule(lambda t: 1 / (t + 1))(3) == 0.25


# ---------------------------------------------------------------- SGD with a schedule


@pytest.mark.parametrize("where", ["data", "noise"])
def test_a_number_and_a_constant_schedule_walk_the_same_path(points_landscape, where):
    surface = points_landscape(np.random.default_rng(0).normal(size=(10, 2))) if where == "data" else "bowl"
    start = (4.0, 4.0) if where == "data" else (1.0, -2.0)
    plain = gdviz.run(optimizers.sgd(surface, start, 0.1, batch_size=4, noise=0.3, seed=2), max_steps=30)
    scheduled = gdviz.run(optimizers.sgd(surface, start, schedules.constant(0.1), batch_size=4, noise=0.3,
                                         seed=2), max_steps=30)
    np.testing.assert_array_equal(plain.w, scheduled.w)


def test_sgd_moves_by_the_rate_of_each_update(points_landscape):
    surface = points_landscape(np.random.default_rng(1).normal(size=(10, 2)))
    rate = schedules.step_decay(0.4, step_size=3, gamma=0.5)
    walk = gdviz.run(optimizers.sgd(surface, surface.start, rate, batch_size=4, seed=1), max_steps=9)
    for t in range(9):  # w_{t+1} = w_t - alpha_t g_t, with the minibatch gradient the step reports
        np.testing.assert_allclose(walk.w[t + 1], walk.w[t] - rate(t) * walk.grad[t], rtol=1e-15)
    # By hand on the noiseless bowl: w_{t+1} = (1 - 2 alpha_t) w_t with alpha_t = 0.2 / (1 + t).
    bowl = gdviz.run(optimizers.sgd("bowl", (1.0, 0.0), lambda t: 0.2 / (1 + t), noise=0.0), max_steps=3)
    assert bowl.w[:, 0] == pytest.approx([1.0, 0.6, 0.48, 0.48 * (1 - 0.4 / 3)])


def test_a_schedule_that_goes_wrong_stops_the_walk_with_its_name():
    steps = optimizers.sgd("bowl", (1.0, 0.0), lambda t: 0.1 if t < 2 else 0.0, noise=0.0)
    with pytest.raises(ValueError, match="alpha schedule must give a finite number > 0 .* got 0.0 at t=2"):
        gdviz.run(steps, max_steps=5)


# ---------------------------------------------------------------- the averaging sentence

def test_batch_gradients_weighted_by_size_average_to_the_full_gradient(sorted_landscape):
    at = np.array([1.5, -0.7])
    for batch_size in (7, 8, 16, 60):
        batches = experiments.epoch_gradients(sorted_landscape, at, batch_size, seed=3)
        assert batches.sizes.sum() == 60 and batches.sizes[-1] == 60 - batch_size * (len(batches.sizes) - 1)
        np.testing.assert_allclose(batches.weighted_mean, batches.full, rtol=1e-12, atol=1e-15)
        # The full gradient itself, by finite differences of the full loss.
        numeric = gdviz.gradients.numeric_gradient(sorted_landscape, at)
        np.testing.assert_allclose(batches.full, numeric, rtol=1e-7)
    # With a smaller last batch the plain mean is wrong; with equal batches it is right.
    assert not np.allclose(experiments.epoch_gradients(sorted_landscape, at, 8).plain_mean, batches.full,
                           rtol=1e-3)
    equal = experiments.epoch_gradients(sorted_landscape, at, 6)  # 60 = 10 x 6
    np.testing.assert_allclose(equal.plain_mean, equal.full, rtol=1e-12)


def test_sgd_moving_through_an_epoch_reads_other_gradients(sorted_landscape):
    batches = experiments.epoch_gradients(sorted_landscape, sorted_landscape.start, 8, alpha=0.5)
    walk = gdviz.run(optimizers.sgd(sorted_landscape, sorted_landscape.start, 0.5, batch_size=8), max_steps=8)
    np.testing.assert_allclose(batches.moving_mean, batches.sizes @ walk.grad[:8] / 60)
    assert np.linalg.norm(batches.moving_mean - batches.full) > 0.05
    np.testing.assert_allclose(walk.grad[0], batches.gradients[0])  # the same first batch


# ---------------------------------------------------------------- jitter and schedules

def test_end_jitter_by_hand(points_landscape):
    surface = points_landscape([[0.0, 0.0], [2.0, 0.0]])  # minimum (1, 0), loss there 1/2
    walk = gdviz.Trajectory(w=np.array([[9.0, 9.0], [1.0, 1.0], [1.0, -1.0]]),
                            loss=np.array([50.0, 1.0, 1.0]), grad=np.zeros((3, 2)), t=np.arange(3),
                            stop_reason="max_steps")
    jitter = experiments.end_jitter(surface, walk, per_epoch=1, last_epochs=2)
    assert jitter.loss_gap == pytest.approx(0.5) and jitter.spread == pytest.approx(1.0)
    with pytest.raises(ValueError, match="last_epochs covers 3 updates"):
        experiments.end_jitter(surface, walk, per_epoch=3, last_epochs=1)


def test_lesson_schedules_are_set_in_epochs():
    assert experiments.lesson_schedule("1/t", 2.0, per_epoch=15)(15) == pytest.approx(1.0)
    assert experiments.lesson_schedule("step decay", 2.0, per_epoch=15)(75) == 1.0
    assert experiments.lesson_schedule("constant", 2.0, per_epoch=15)(999) == 2.0
    with pytest.raises(ValueError, match="schedule must be one of 'constant', '1/t', 'step decay'"):
        experiments.lesson_schedule("cosine", 2.0, 15)


def test_schedule_runs_share_their_batches(sorted_landscape):
    runs = experiments.schedule_runs(sorted_landscape, {"a": 0.5, "b": schedules.step_decay(0.5, 5)},
                                     batch_size=8, epochs=2)
    (first, per_epoch), (second, _) = runs.values()
    assert per_epoch == 8 and first.n_updates == 16
    np.testing.assert_array_equal(first.w[:6], second.w[:6])  # equal until the first drop at t = 5
    assert not np.allclose(first.w[7:], second.w[7:])


def test_schedule_comparison_tunes_the_constant_rate_off_the_edge(sorted_landscape):
    comparison = experiments.schedule_comparison(sorted_landscape, alpha=2.0, batch_size=12, epochs=6,
                                                 last_epochs=2)
    assert not comparison.on_edge
    best = int(np.argmin(comparison.constant_gaps))
    assert comparison.best_constant == comparison.constant_alphas[best]
    assert list(comparison.runs) == ["constant 2", f"best constant {comparison.best_constant:g}",
                                     "1/t from 2", "step decay from 2"]
    # The reported gap of the best constant rate is the one its run shows.
    walk, per_epoch = comparison.runs[f"best constant {comparison.best_constant:g}"]
    assert comparison.constant_gaps[best] == pytest.approx(np.mean(walk.loss[-2 * per_epoch:])
                                                           - comparison.minimum_loss)


def test_schedule_experiments_need_data():
    with pytest.raises(ValueError, match="has_data"):
        experiments.schedule_comparison("bowl")
    with pytest.raises(ValueError, match="has_data"):
        experiments.epoch_gradients("bowl", (0.0, 0.0), 4)


def test_schedules_figure_draws_each_run_by_role(all_finite, sorted_landscape):
    comparison = experiments.schedule_comparison(sorted_landscape, batch_size=12, epochs=6, last_epochs=2)
    figure = figures.schedules_figure(comparison)
    assert all_finite(figure)
    for label, (walk, per_epoch) in comparison.runs.items():
        assert len(trace(figure, f"path {label}").x) == 2 * per_epoch  # the last epochs only
        assert list(trace(figure, f"curve alpha_t {label}").y) == pytest.approx(
            [comparison.schedules[label](t) for t in range(walk.n_updates)])
    assert figure.layout.yaxis2.type == "log" and figure.layout.yaxis3.type == "log"
    with pytest.raises(TypeError, match="ScheduleComparison"):
        figures.schedules_figure({})


def test_sgd_app_offers_a_schedule(figure_widgets, plotly_messages):
    app = SGDLab(alpha=2.0, batch_size=8, epochs=10, schedule="step decay")
    live = app.figure  # made on first use (an app is drawn still until then)
    assert figure_widgets(app) == [live]
    (_, _), (walk, per_epoch) = app.runs.values()
    rate = schedules.step_decay(2.0, 5 * per_epoch)
    direct = gdviz.run(optimizers.sgd(app.landscape, app.landscape.start, rate, batch_size=8),
                       max_steps=10 * per_epoch)
    np.testing.assert_array_equal(walk.w, direct.w)
    assert "rate step decay from 2" in app.status.value
    sent = plotly_messages(app.figure, lambda: setattr(app.schedule, "value", "constant"))
    assert sent == ["_py2js_update"] and "rate" not in app.status.value
    assert list(trace(app.figure, "path SGD").x) == pytest.approx(app.runs["batch 8"][0].w[:, 0])
    with pytest.raises(ValueError, match="schedule must be one of"):
        SGDLab(schedule="cosine")


# ---------------------------------------------------------------- exercises of 09 (reference answers)

def test_check_schedule_rate_reference_and_named_mistakes():
    assert exercises.check_schedule_rate(0.0625, alpha=2.0, step_size=75, t=449).passed  # 2 * 0.5^5
    hints = {0.03125: "one drop too many", 0.125: "one drop too few", 2.0 * 0.5 ** (449 / 75): "in steps",
             0.3: "is not it", ...: "replace the ..."}
    for answer, words in hints.items():
        verdict = exercises.check_schedule_rate(answer, alpha=2.0, step_size=75, t=449)
        assert not verdict.passed and words in verdict.message, (answer, verdict)


def test_check_unshuffled_batch_size_reference_and_hint():
    # The reference answer, 4: in a fixed order, 7 updates in a row see class 0 only, then 7 class 1 only.
    assert exercises.check_unshuffled_batch_size(4).passed
    for wrong in (8, 16):
        verdict = exercises.check_unshuffled_batch_size(wrong)
        assert not verdict.passed and "in a row" in verdict.message
    assert "one of the batch sizes" in exercises.check_unshuffled_batch_size(5).message
    assert "replace the ..." in exercises.check_unshuffled_batch_size(...).message


def test_check_steps_per_epoch_reference_and_hint():
    assert exercises.check_steps_per_epoch(13, n_samples=400, batch_size=32).passed
    assert "smaller batch" in exercises.check_steps_per_epoch(12, n_samples=400, batch_size=32).message
