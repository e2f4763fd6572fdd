"""The page's still apps go live one after another (`gdviz.apps._pacer`), as the page reports.

The page's reports are what `controls.js` and plotly's page module send: a control's view drawn
("shown") or taken away ("hidden"), a control taking the focus ("reached"), and a FigureWidget
drawn (plotly's first report of its traces, which `_plotly_compat.when_drawn` listens for). Here
they are sent the way ipywidgets delivers them from a page.
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


def page_draws(figure):
    """What plotly's page module sends once plotly.js has drawn `figure`: its traces' full defaults."""
    report = {"trace_deltas": [{"uid": trace.uid} for trace in figure.data],
              "trace_edit_id": figure._last_trace_edit_id}
    figure.set_state({"_js2py_traceDeltas": report})


def test_without_a_page_every_app_stays_still():
    apps = [ScoringLab(), ScoringLab()]
    assert all(app.is_still for app in apps)


def test_the_apps_a_page_shows_go_live_one_after_another_as_each_figure_is_drawn():
    first, second, third = ScoringLab(), ScoringLab(), ScoringLab()
    for app in (first, second, third):
        page_reports(app, "shown")
    assert [app.is_still for app in (first, second, third)] == [False, True, True]
    page_draws(first.figure)
    assert [app.is_still for app in (first, second, third)] == [False, False, True]
    page_draws(second.figure)
    assert not third.is_still and first.error is second.error is third.error is None


def test_still_apps_wait_for_the_explorers_figure_to_be_drawn():
    explorer = Explorer()
    lesson = ScoringLab()
    page_reports(explorer, "shown")
    page_reports(lesson, "shown")
    assert lesson.is_still
    page_draws(explorer.figure)
    assert not lesson.is_still


def test_an_app_reached_for_goes_next_and_an_app_taken_away_never_goes_live():
    loading, waiting, reached, gone = ScoringLab(), ScoringLab(), ScoringLab(), ScoringLab()
    for app in (loading, waiting, reached, gone):
        page_reports(app, "shown")
    page_reports(gone, "hidden")
    reached.b._on_page_message(reached.b, {"event": "reached"}, [])
    assert reached.is_still  # the page is still drawing the first: one module at a time
    page_draws(loading.figure)
    assert not reached.is_still and waiting.is_still
    page_draws(reached.figure)
    assert not waiting.is_still
    page_draws(waiting.figure)
    assert gone.is_still


def test_a_figure_the_page_never_draws_holds_the_line_only_so_long(monkeypatch):
    first, second = ScoringLab(), ScoringLab()
    page_reports(first, "shown")
    page_reports(second, "shown")
    assert second.is_still
    monkeypatch.setattr(_pacer, "PATIENCE_S", 0.0)
    second.b._on_page_message(second.b, {"event": "reached"}, [])
    assert not second.is_still


def test_an_update_while_the_page_loads_the_figure_reaches_the_state_it_draws_from(assert_saved_is_live):
    loading = ScoringLab()
    page_reports(loading, "shown")
    figure = loading.figure
    loading.b.value = loading.b.value + 1.0
    assert loading.error is None
    assert_saved_is_live(figure)  # the page draws the figure as it is now, not as it was made
    page_draws(figure)
    loading.b.value = loading.b.value + 1.0
    with pytest.raises(AssertionError):  # drawn: updates travel as Plotly.update alone again
        assert_saved_is_live(figure)


def test_a_change_while_another_figure_is_drawn_redraws_the_still_picture_and_goes_next():
    loading, changed = ScoringLab(), ScoringLab()
    page_reports(loading, "shown")
    page_reports(changed, "shown")
    first_picture = changed._still[1].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    changed.b.value = changed.b.value + 1.0
    assert changed.is_still and changed.error is None  # no second module while the first loads
    redrawn = changed._still[1].outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert redrawn["data"] != first_picture["data"]
    page_draws(loading.figure)
    assert not changed.is_still
    # The live figure starts from the changed picture, with every trace of the first.
    assert [trace.meta for trace in changed.figure.data] == [trace["meta"] for trace in first_picture["data"]]
    assert json.loads(pio.to_json(go.Figure(changed.figure)))["data"] == redrawn["data"]
