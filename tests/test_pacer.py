"""The page's still apps go live one after another (`gdviz.apps._pacer`), as the page reports.

The page's reports are what `controls.js` and plotly's page module send: a control's view drawn
("shown") or taken away ("hidden"), a control taking the focus ("reached"), the page idle when
asked ("idle"), and a FigureWidget drawn (plotly's first report of its traces, which
`_plotly_compat.when_drawn` listens for). Here they are sent the way ipywidgets delivers them
from a page, and the kernel's questions are caught where `controls.js` would receive them.
"""

import json

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from gdviz.apps import Explorer, ScoringLab, _pacer
from gdviz.apps.controls import _Control


def controls_of(app):
    found, stack = [], [app]
    while stack:
        widget = stack.pop()
        if isinstance(widget, _Control):
            found.append(widget)
        stack.extend(getattr(widget, "children", ()))
    return found


def page_reports(app, event):
    """What a page sends when it draws (or takes away) every control of `app`."""
    for control in controls_of(app):
        control._on_page_message(control, {"event": event}, [])


@pytest.fixture(autouse=True)
def questions(monkeypatch):
    """The controls the kernel asked whether their page is idle, in order."""
    asked = []
    monkeypatch.setattr(_Control, "ask_when_idle", lambda control: asked.append(control))
    return asked


def page_idle(app):
    """What `controls.js` answers, once the page is idle, to the kernel's question."""
    control = controls_of(app)[0]
    control._on_page_message(control, {"event": "idle"}, [])


def page_draws(figure):
    """What plotly's page module sends once plotly.js has drawn `figure`: its traces' full defaults."""
    report = {"trace_deltas": [{"uid": trace.uid} for trace in figure.data],
              "trace_edit_id": figure._last_trace_edit_id}
    figure.set_state({"_js2py_traceDeltas": report})


def test_without_a_page_every_app_stays_still():
    apps = [ScoringLab(), ScoringLab()]
    assert all(app.is_still for app in apps)


def test_the_apps_a_page_shows_go_live_one_after_another_when_the_page_is_idle(questions):
    first, second, third = ScoringLab(), ScoringLab(), ScoringLab()
    for app in (first, second, third):
        page_reports(app, "shown")
    assert [app.is_still for app in (first, second, third)] == [True, True, True]
    assert [control in controls_of(first) for control in questions] == [True]  # asked once, first
    page_idle(first)
    assert [app.is_still for app in (first, second, third)] == [False, True, True]
    page_idle(second)  # an answer to no question changes nothing
    assert second.is_still
    page_draws(first.figure)
    assert questions[-1] in controls_of(second)
    page_idle(second)
    page_draws(second.figure)
    page_idle(third)
    assert not third.is_still and first.error is second.error is third.error is None


def test_still_apps_wait_for_the_explorers_figure_to_be_drawn(questions):
    explorer = Explorer()
    lesson = ScoringLab()
    page_reports(explorer, "shown")
    page_reports(lesson, "shown")
    assert questions == []  # nothing is asked while the Explorer's module loads
    page_draws(explorer.figure)
    page_idle(lesson)
    assert not lesson.is_still


def test_an_app_reached_for_goes_next_and_an_app_taken_away_never_goes_live():
    loading, waiting, reached, gone = ScoringLab(), ScoringLab(), ScoringLab(), ScoringLab()
    for app in (loading, waiting, reached, gone):
        page_reports(app, "shown")
    page_idle(loading)
    page_reports(gone, "hidden")
    reached.b._on_page_message(reached.b, {"event": "reached"}, [])
    assert reached.is_still  # the page is still drawing the first: one module at a time
    page_draws(loading.figure)
    page_idle(reached)
    assert not reached.is_still and waiting.is_still
    page_draws(reached.figure)
    page_idle(waiting)
    page_draws(waiting.figure)
    page_idle(gone)
    assert gone.is_still


def test_a_figure_the_page_never_draws_holds_the_line_only_so_long(monkeypatch):
    first, second = ScoringLab(), ScoringLab()
    page_reports(first, "shown")
    page_reports(second, "shown")
    page_idle(first)
    assert second.is_still
    monkeypatch.setattr(_pacer, "PATIENCE_S", 0.0)
    second.b._on_page_message(second.b, {"event": "reached"}, [])
    page_idle(second)
    assert not second.is_still


def test_an_update_while_the_page_loads_the_figure_reaches_the_state_it_draws_from(assert_saved_is_live):
    loading = ScoringLab()
    page_reports(loading, "shown")
    page_idle(loading)
    figure = loading.figure
    loading.b.value = loading.b.value + 1.0
    assert loading.error is None
    assert_saved_is_live(figure)  # the page draws the figure as it is now, not as it was made
    page_draws(figure)
    loading.b.value = loading.b.value + 1.0
    with pytest.raises(AssertionError):  # drawn: updates travel as Plotly.update alone again
        assert_saved_is_live(figure)


def test_a_change_before_its_turn_redraws_the_still_picture_and_goes_next():
    loading, changed = ScoringLab(), ScoringLab()
    page_reports(loading, "shown")
    page_reports(changed, "shown")
    page_idle(loading)
    first_picture = changed._still[1].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    changed.b.value = changed.b.value + 1.0
    assert changed.is_still and changed.error is None  # no second module while the first loads
    redrawn = changed._still[1].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert redrawn["data"] != first_picture["data"]
    page_draws(loading.figure)
    page_idle(changed)
    assert not changed.is_still
    # The live figure starts from the changed picture, with every trace of the first.
    assert [trace.meta for trace in changed.figure.data] == [trace["meta"] for trace in first_picture["data"]]
    assert json.loads(pio.to_json(go.Figure(changed.figure)))["data"] == redrawn["data"]


def test_without_a_page_a_change_redraws_the_still_picture_and_reading_the_figure_makes_it_live():
    app = ScoringLab()
    app.b.value = app.b.value + 1.0
    assert app.is_still and app.error is None
    assert app.figure is not None and not app.is_still
