"""The lesson apps, driven headless: setting a control's value fires the same callbacks as a drag."""

import numpy as np
import plotly.graph_objects as go
import pytest

from gdviz import landscapes, optimizers, run
from gdviz.apps.lessons import AlphaQuiz, Race, StopConditions


def figure_widgets(app):
    """Every FigureWidget inside an app's widget tree."""
    found, stack = [], [app]
    while stack:
        widget = stack.pop()
        if isinstance(widget, go.FigureWidget):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


@pytest.fixture(scope="module")
def stop_app():
    return StopConditions("ravine", alpha=0.05, max_steps=100)


# ---------------------------------------------------------------- stop conditions

def test_stop_app_has_one_figure_and_matches_a_direct_run(stop_app):
    assert figure_widgets(stop_app) == [stop_app.figure]
    direct = run(optimizers.gradient_descent("ravine", (-2.5, 2.0), 0.05), **stop_app.conditions)
    assert np.array_equal(stop_app.trajectory.w, direct.w)
    path = stop_app.figure.data[1]
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
    assert f"<b>{reason}</b>" in app.status.value
    direct = run(optimizers.gradient_descent("ravine", (-2.5, 2.0), app.alpha.value), **app.conditions)
    assert direct.stop_reason == reason and direct.n_updates == app.trajectory.n_updates


def test_threshold_lines_follow_the_checkboxes(stop_app):
    stop_app.use_loss_below.value = True
    stop_app.loss_below.value = 1e-3
    assert list(stop_app.figure.data[5].y) == pytest.approx([1e-3, 1e-3])
    stop_app.use_loss_below.value = False
    assert len(stop_app.figure.data[5].y) == 0
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
    assert list(quiz.figure.data[1].x) == pytest.approx(first)


def test_quiz_says_so_when_the_prediction_is_wrong():
    quiz = AlphaQuiz("bowl", alpha=0.9)
    quiz.choices.value = "diverging"
    assert not quiz.reveal.disabled
    quiz.reveal.click()
    assert "✘" in quiz.status.value and "overshoots from side to side" in quiz.status.value


def test_quiz_needs_a_quadratic():
    with pytest.raises(ValueError, match="quadratic"):
        AlphaQuiz("rosenbrock")


# ---------------------------------------------------------------- the race

def test_race_app_draws_every_contender_and_ranks_them():
    app = Race("ravine", ["gradient_descent", "momentum", "adam"], max_steps=30)
    assert figure_widgets(app) == [app.figure]
    assert len(app.figure.data) == 1 + 2 * 3
    finals = {name: walk.loss[-1] for name, (_, walk) in app.results.items()}
    winner = min(finals, key=finals.get)
    assert f"1. {winner}" in app.status.value
    _, walk = app.results["momentum"]
    assert list(app.figure.data[2].x) == pytest.approx(walk.w[:, 0])
    assert all(walk.n_updates == 30 for _, walk in app.results.values())


def test_race_app_follows_its_controls():
    app = Race("ravine", ["gradient_descent", "adam"], max_steps=20)
    app.running["adam"].value = False
    assert set(app.results) == {"gradient_descent"} and len(app.figure.data[2].x) == 0
    app.landscape_choice.value = "saddle"  # loss goes negative: the loss axis turns linear
    assert app.figure.layout.yaxis2.type == "linear"
    contour = app.figure.data[0]
    assert np.allclose(np.asarray(contour.customdata), landscapes.get("saddle").mesh(60)[2])
    assert tuple(app.figure.layout.xaxis.range) == landscapes.get("saddle").domain[0]
    app.running["gradient_descent"].value = False
    assert app.results == {} and "Tick" in app.status.value
