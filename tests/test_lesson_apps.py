"""The lesson apps, driven headless: setting a control's value fires the same callbacks as a drag."""

import json

import ipywidgets as widgets
import numpy as np
import pytest

from gdviz import figures, linear, optimizers, run
from gdviz.apps import (
    AlphaQuiz,
    CurvatureDial,
    DescentLemmaLab,
    MomentumMap,
    Race,
    ScoringLab,
    SGDLab,
    StopConditions,
    TrainingLab,
)
from gdviz.experiments import scoring_summary
from gdviz.figures.style import trace
from gdviz.words import in_words


@pytest.fixture(scope="module")
def stop_app():
    return StopConditions("ravine", alpha=0.05, max_steps=100)


def assert_one_figure_made_on_first_use(figure_widgets, app):
    """An app holds no FigureWidget until first used (shown still till then), then exactly one."""
    if app._figure is None:
        assert figure_widgets(app) == [], "a FigureWidget made before the app was used"
    live = app.figure
    assert figure_widgets(app) == [live]


def test_an_app_is_drawn_still_until_a_control_is_used_then_live_in_its_place(figure_widgets):
    app = ScoringLab()
    assert figure_widgets(app) == []
    (still,) = [child for child in app.children if isinstance(child, widgets.Output)]
    (shown,) = still.outputs
    drawn = shown["data"]["application/vnd.plotly.v1+json"]
    built = figures.scoring_figure(scoring_summary(app.X, app.y, app.w, app.b.value))
    assert [trace["meta"] for trace in drawn["data"]] == [trace.meta for trace in built.data]
    assert drawn["layout"]["title"]["text"] == built.layout.title.text
    assert json.dumps(shown)  # plain JSON, as the page receives it
    place = app.children.index(still)
    app.b.value = 1.0  # no page gave the app its turn: the still picture shows the change
    assert figure_widgets(app) == [] and still.outputs[0] is not shown
    # Code that reads the figure makes it live, in the still one's place, showing the change.
    live = app.figure
    assert figure_widgets(app) == [live] and app.children[place] is live
    assert still not in app.children
    now = figures.scoring_figure(scoring_summary(app.X, app.y, app.w, 1.0))
    assert list(trace(app.figure, "bars").y) == pytest.approx(list(trace(now, "bars").y))


# ---------------------------------------------------------------- stop conditions

def test_stop_app_has_one_figure_and_matches_a_direct_run(figure_widgets, stop_app):
    assert_one_figure_made_on_first_use(figure_widgets, stop_app)
    direct = run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), **stop_app.conditions)
    assert np.array_equal(stop_app.trajectory.w, direct.w)
    path = trace(stop_app.figure, "path Chad")
    assert list(path.x) == pytest.approx(direct.w[:, 0])


@pytest.mark.parametrize("settings, reason", [
    ({"max_steps": 20}, "max_steps"),
    ({"use_loss_below": True, "loss_below": 1e-2}, "loss_below"),
    ({"use_grad_below": True, "grad_below": 0.5}, "grad_below"),
    ({"use_patience": True, "patience": 3, "min_delta": 0.05}, "no_improvement"),
    ({"alpha": 0.3}, "diverged"),  # beyond 2/L = 0.2 on the ravine
])
def test_each_condition_can_fire_and_is_marked(settings, reason):
    app = StopConditions("ravine", alpha=0.05, max_steps=200)
    for name, value in settings.items():
        getattr(app, name).value = value
    assert app.stop_reason == reason
    assert [label.value != "" for label in app.fired.values()] == [r == reason for r in app.fired]
    assert f"<b>{in_words(reason)}</b>" in app.status.value  # in words: "slope flat enough", not grad_below
    assert not any(identifier in app.status.value for identifier in ("grad_below", "min_delta", "max_steps"))
    direct = run(optimizers.gradient_descent("ravine", (-2.5, 2.0), app.alpha.value), **app.conditions)
    assert direct.stop_reason == reason and direct.n_updates == app.trajectory.n_updates


def test_threshold_lines_follow_the_checkboxes(stop_app):
    stop_app.use_loss_below.value = True
    stop_app.loss_below.value = 1e-3
    assert list(trace(stop_app.figure, "threshold loss_below").y) == pytest.approx([1e-3, 1e-3])
    stop_app.use_loss_below.value = False
    assert len(trace(stop_app.figure, "threshold loss_below").y) == 0
    assert stop_app.loss_below.disabled


def test_a_failing_callback_shows_its_error_in_the_status_line():
    app = StopConditions("bowl")
    app.start = np.array([np.nan, 0.0])
    app.alpha.value = 0.2
    assert "ValueError" in app.status.value and "start" in app.status.value
    assert "#b00020" in app.status.value


def test_stop_app_refuses_bad_arguments():
    with pytest.raises(ValueError, match="alpha"):
        StopConditions("bowl", alpha=-1.0)
    with pytest.raises(ValueError, match="landscape"):
        StopConditions("teacup")


# ---------------------------------------------------------------- the quiz

@pytest.mark.parametrize("alpha, answer", [(0.2, "smooth"), (0.9, "oscillating"), (1.0, "bouncing"),
                                           (1.2, "diverging")])
def test_quiz_answer_from_theory_is_what_the_walk_does(alpha, answer):
    quiz = AlphaQuiz("bowl", alpha=alpha, max_steps=30)  # bowl: L = 2
    assert quiz.answer == answer
    assert quiz.reveal.disabled and not quiz.revealed
    quiz.choices.value = answer
    quiz.reveal.click()
    walk = quiz.trajectory
    assert quiz.status.value.count("✔") == 1
    first = walk.w[:, 0]  # -2 at the start, multiplied by 1 - 2 alpha per step
    if answer == "smooth":
        assert np.all(np.diff(walk.loss) < 0) and np.all(first < 0)
    elif answer == "oscillating":
        assert np.all(np.sign(first[1:]) != np.sign(first[:-1])) and walk.loss[-1] < 1e-3 * walk.loss[0]
    elif answer == "bouncing":
        assert np.allclose(walk.loss, walk.loss[0])
    else:
        assert walk.stop_reason == "diverged"
    assert list(trace(quiz.figure, "path Chad").x) == pytest.approx(first)


def test_quiz_says_so_when_the_prediction_is_wrong():
    quiz = AlphaQuiz("bowl", alpha=0.9)
    quiz.choices.value = "diverging"
    assert not quiz.reveal.disabled
    quiz.reveal.click()
    assert "✘" in quiz.status.value and "overshoots from side to side" in quiz.status.value


def test_quiz_needs_a_quadratic():
    with pytest.raises(ValueError, match="quadratic"):
        AlphaQuiz("rosenbrock")


# ---------------------------------------------------------------- scoring with w and b

@pytest.fixture(scope="module")
def scoring_app():
    return ScoringLab()


def test_scoring_app_has_one_figure_and_follows_its_sliders(figure_widgets, scoring_app):
    assert_one_figure_made_on_first_use(figure_widgets, scoring_app)
    scoring_app.w1.value, scoring_app.w2.value, scoring_app.b.value = 2.0, 1.0, -0.5
    X, y = scoring_app.X, scoring_app.y
    expected = scoring_summary(X, y, (2.0, 1.0), -0.5)
    assert scoring_app.summary == pytest.approx(expected)
    bars = trace(scoring_app.figure, "bars")
    assert list(bars.y) == pytest.approx([expected["svm"], expected["cross_entropy"]])
    line = trace(scoring_app.figure, "decision_line")
    for x1, x2 in zip(line.x, line.y, strict=True):
        assert 2.0 * x1 + 1.0 * x2 - 0.5 == pytest.approx(0.0, abs=1e-9)
    assert f"accuracy {expected['accuracy']:.0%}" in scoring_app.status.value


def test_scoring_app_marks_exactly_the_misclassified_points(scoring_app):
    scoring_app.w1.value, scoring_app.w2.value, scoring_app.b.value = 1.0, -1.0, 0.0
    wrong = linear.predict(scoring_app.X, np.array([1.0, -1.0]), 0.0) != scoring_app.y
    symbols = [*trace(scoring_app.figure, "examples 0").marker.symbol,
               *trace(scoring_app.figure, "examples 1").marker.symbol]
    assert symbols.count("circle-open") == wrong.sum() > 0


def test_scoring_app_without_weights_has_no_line(scoring_app):
    scoring_app.w1.value = scoring_app.w2.value = 0.0
    assert len(trace(scoring_app.figure, "decision_line").x) == 0
    assert "no decision line" in scoring_app.status.value
    # w = 0 scores every example b = 0: the hinge loss is exactly 1, cross-entropy log 2.
    assert scoring_app.summary["svm"] == pytest.approx(1.0)
    assert scoring_app.summary["cross_entropy"] == pytest.approx(np.log(2))


def test_scoring_app_refuses_data_without_two_features():
    with pytest.raises(ValueError, match="two features"):
        ScoringLab(np.zeros((5, 1)), [0, 1, 0, 1, 0])


# ---------------------------------------------------------------- minibatches

@pytest.fixture(scope="module")
def sgd_app():
    return SGDLab(alpha=0.5, batch_size=8, epochs=4)


def test_sgd_app_counts_updates_per_epoch(figure_widgets, sgd_app):
    assert_one_figure_made_on_first_use(figure_widgets, sgd_app)
    (full, _), (sgd, per_epoch) = sgd_app.runs.values()
    assert per_epoch == 8 and sgd.n_updates == 32 and full.n_updates == 4  # 60 examples, batches of 8
    assert "8 updates per epoch" in sgd_app.status.value
    assert list(trace(sgd_app.figure, "curve SGD").x) == pytest.approx(sgd.t / 8)


def test_sgd_app_shuffle_and_axis_controls(sgd_app):
    shuffled = sgd_app.runs["batch 8"][0].w.copy()
    sgd_app.shuffle.value = False
    fixed_order = sgd_app.runs["batch 8, unshuffled"][0]
    assert not np.allclose(fixed_order.w, shuffled)
    # Unshuffled sorted data: the first batch of an epoch is all class 0, so it pulls one way.
    direct = run(optimizers.sgd(sgd_app.landscape, sgd_app.landscape.start, 0.5, batch_size=8, shuffle=False),
                 max_steps=32)
    assert np.array_equal(direct.w, fixed_order.w)
    sgd_app.x_axis.value = "steps"
    assert list(trace(sgd_app.figure, "curve SGD").x) == list(range(33))
    assert sgd_app.figure.layout.xaxis2.title.text == "steps"


def test_sgd_app_with_one_batch_of_everything_matches_full_batch(sgd_app):
    sgd_app.batch_size.value = 60
    (full, _), (sgd, _) = sgd_app.runs.values()
    assert np.allclose(full.w, sgd.w, rtol=1e-12)


def test_sgd_app_needs_data_and_a_listed_batch_size():
    with pytest.raises(ValueError, match="has_data"):
        SGDLab("bowl")
    with pytest.raises(ValueError, match="batch_size"):
        SGDLab(batch_size=7)


# ---------------------------------------------------------------- what reaches the page



@pytest.mark.parametrize("make, control, value", [
    (lambda: StopConditions("ravine", alpha=0.05), "alpha", 0.08),
    (lambda: Race("ravine", ["gradient_descent", "adam"], max_steps=20), "budget", 30),
    (lambda: ScoringLab(), "b", 1.0),
    (lambda: SGDLab(epochs=3), "alpha", 1.0),
])
def test_a_control_change_sends_one_plotly_update(plotly_messages, make, control, value):
    app = make()
    sent = plotly_messages(app.figure, lambda: setattr(getattr(app, control), "value", value))
    assert sent == ["_py2js_update"]


def test_the_live_figure_is_the_builders_figure():
    app = ScoringLab()
    app.w1.value, app.b.value = 0.5, -1.0
    drawn = figures.scoring_figure(scoring_summary(app.X, app.y, app.w, app.b.value))
    for built in drawn.data:
        live = trace(app.figure, built.meta)
        assert list(np.ravel(live.x)) == list(np.ravel(built.x)) and list(np.ravel(live.y)) == pytest.approx(
            list(np.ravel(built.y)))
    assert app.figure.layout.title.text == drawn.layout.title.text


def test_the_explorer_and_the_stop_conditions_word_a_stop_reason_the_same_way():
    import html

    from gdviz.apps import Explorer
    from gdviz.apps._words import stop_sentence

    stops = StopConditions("bowl", alpha=0.1, max_steps=200)
    stops.use_grad_below.value = True
    stops.grad_below.value = 1e-3
    explorer = Explorer("bowl", alpha=0.1, max_steps=200)  # the Explorer stops at grad_below = 1e-3 too
    assert stops.stop_reason == explorer.trajectory.stop_reason == "grad_below"
    words = html.escape(stop_sentence(stops.trajectory, **stops.conditions))
    assert words.startswith("converged to (0.00, 0.00) in ") and "the flatness limit 0.001" in words
    assert "grad_below" not in stops.status.value and "slope flat enough" in stops.status.value
    assert words in stops.status.value and words in explorer.status.value


# ---------------------------------------------------------------- one computation per event

LESSON_APPS = [AlphaQuiz, Race, ScoringLab, SGDLab, StopConditions, MomentumMap, TrainingLab, CurvatureDial,
               DescentLemmaLab]


@pytest.mark.parametrize("app_class", LESSON_APPS, ids=lambda cls: cls.__name__)
def test_a_lesson_app_computes_once_when_built_and_once_per_update(app_class, monkeypatch):
    calls = []
    original = app_class._compute
    monkeypatch.setattr(app_class, "_compute", lambda self: calls.append(1) or original(self))
    app = app_class()
    # AlphaQuiz computes nothing until the student asks for the answer: the walk is the answer.
    assert len(calls) == (0 if app_class is AlphaQuiz else 1)
    calls.clear()
    app.update()
    assert len(calls) == 1


def test_an_app_goes_live_when_one_of_its_controls_first_takes_the_focus(figure_widgets):
    app = ScoringLab()
    assert figure_widgets(app) == []
    # What controls.js sends when the slider takes the focus in a page, then when the page is idle
    # (asked by the kernel: tests/test_pacer.py).
    app.b._on_page_message(app.b, {"event": "reached"}, [])
    assert figure_widgets(app) == []
    app.b._on_page_message(app.b, {"event": "idle"}, [])
    assert figure_widgets(app) == [app._figure] and app.error is None
    before = app._figure
    app.w1._on_page_message(app.w1, {"event": "reached"}, [])  # a second control: still the one figure
    app.b._on_page_message(app.b, {"event": "something else"}, [])
    assert figure_widgets(app) == [before] and app.figure is before


def test_a_first_change_makes_the_live_figure_showing_it_with_every_role_of_the_first_picture():
    app = Race("ravine", ["gradient_descent", "adam"], max_steps=20)
    roles = [trace.meta for trace in app._still[0].data]
    app.running["adam"].value = False  # the first use: adam's traces are emptied, not dropped
    assert [trace.meta for trace in app.figure.data] == roles
    assert len(trace(app.figure, "path adam").x) == 0
    assert len(trace(app.figure, "path gradient_descent").x) > 0
