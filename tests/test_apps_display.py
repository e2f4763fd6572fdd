"""What a page that connects late (Voila, a reloaded notebook) builds each app's figure from.

Such a page never saw the update messages sent while the cell ran: it asks the kernel for
each widget's state (`get_state()`) and draws the figure from that. Showing an app must bring
that state up to date; `gdviz.apps._plotly_compat` does it, and these tests check its effect.
"""

import numpy as np
import plotly.graph_objects as go
import pytest

import gdviz.apps as apps
from gdviz.apps._base import send_changes
from gdviz.apps._plotly_compat import QuietFigureWidget

APPS = {
    "Explorer": lambda: apps.Explorer("ravine", alpha=0.05),
    "StopConditions": lambda: apps.StopConditions("ravine", alpha=0.05, max_steps=50),
    "AlphaQuiz": lambda: apps.AlphaQuiz("bowl", alpha=0.9),
    "Race": lambda: apps.Race("rosenbrock", max_steps=50),
    "ScoringLab": lambda: apps.ScoringLab(),
    "SGDLab": lambda: apps.SGDLab(),
    "MomentumMap": lambda: apps.MomentumMap("ravine", max_steps=30),
    "TrainingLab": lambda: apps.TrainingLab(),
}




@pytest.mark.parametrize("name", list(APPS))
def test_showing_an_app_saves_its_figure_as_it_is_now(assert_saved_is_live, saved_arrays, name):
    app = APPS[name]()
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.model_id
    assert_saved_is_live(app.figure)
    saved = saved_arrays(app.figure)
    assert any(len(axis) > 1 for trace in saved for axis in trace), "the saved figure has no data at all"


def test_a_change_before_showing_is_in_the_saved_state(assert_saved_is_live, saved_arrays):
    app = apps.Explorer("bowl", alpha=0.05)
    app.alpha.value = 0.5  # set in the same cell, before the app is shown
    app.step.value = 3
    before = saved_arrays(app.figure)
    app._repr_mimebundle_()
    assert_saved_is_live(app.figure)
    # Without the refresh a late page would draw the walk of alpha = 0.05, not this one.
    after = saved_arrays(app.figure)
    assert any(not np.array_equal(old, new) for old_trace, new_trace in zip(before, after, strict=True)
               for old, new in zip(old_trace, new_trace, strict=True))


def echoes(figure):
    """The echo_update messages a figure sends when the page reports a new axis range."""
    sent = []
    figure.comm.send = lambda data=None, metadata=None, buffers=None: sent.append(data)
    figure.set_state({"_js2py_layoutDelta": {"layout_delta": {"xaxis": {"range": [0, 3]}},
                                             "layout_edit_id": figure._last_layout_edit_id}})
    return [message for message in sent if message.get("method") == "echo_update"]


@pytest.mark.parametrize("name", list(APPS))
def test_the_page_reports_are_not_echoed_back(name):
    app = APPS[name]()
    assert echoes(app.figure) == []
    # The report itself still lands, among what plotly.js computed.
    assert app.figure._layout_defaults["xaxis"]["range"] == [0, 3]


def test_a_plain_figure_widget_would_echo():
    # The saving above is real only if ipywidgets echoes by default.
    assert echoes(go.FigureWidget(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])))) != []


def test_every_page_report_trait_of_plotly_is_quiet():
    # If plotly renames or adds a report trait, the override must follow: this fails first.
    reports = {name for name in go.FigureWidget.class_trait_names() if name.startswith("_js2py_")}
    assert reports, "plotly's FigureWidget no longer reports through _js2py_* traits"
    traits = QuietFigureWidget.class_traits()
    quiet = {name for name in reports if traits[name].metadata.get("echo_update") is False}
    assert quiet == reports


def plotly_updates(figure):
    """A list that fills with every message the figure sends to its page."""
    sent = []
    figure.comm.send = lambda data=None, metadata=None, buffers=None: sent.append(data)
    return sent


def the_update(sent):
    """The one Plotly.update among the messages sent."""
    (update,) = [state["_py2js_update"] for state in (message["state"] for message in sent)
                 if state.get("_py2js_update")]
    return update


def test_send_changes_sends_one_update_with_only_what_differs():
    figure = go.FigureWidget(go.Figure([go.Scatter(x=[0, 1], y=[0, 1], marker={"color": "red"}),
                                        go.Scatter(x=[5], y=[5])]))
    sent = plotly_updates(figure)
    send_changes(figure, [(figure.data[0], {"x": [0, 1], "y": [2, 3], "marker": {"color": "red"}}),
                          (figure.data[1], {"x": [5]}),
                          (figure.layout, {"title": {"text": "moved"}, "xaxis.range": [0, 2]})])
    update = the_update(sent)
    assert update["style_data"] == {"y": [[2, 3]]} and update["style_traces"] == [0]
    assert update["layout_data"] == {"title.text": "moved", "xaxis.range": [0, 2]}
    assert list(figure.data[0].y) == [2, 3] and figure.layout.title.text == "moved"
    sent.clear()
    send_changes(figure, [(figure.data[0], {"y": [2, 3]}), (figure.layout, {"xaxis": {"range": (0, 2)}})])
    assert sent == [], "nothing differs: nothing travels"


def test_send_changes_replaces_a_list_of_items_whole():
    figure = go.FigureWidget(go.Figure(layout={"annotations": [{"x": 0, "y": 0, "text": "a"}]}))
    sent = plotly_updates(figure)
    send_changes(figure, [(figure.layout, {"annotations": [{"x": 1, "y": 0, "text": "a"}]})])
    update = the_update(sent)
    assert update["layout_data"] == {"annotations": [{"x": 1, "y": 0, "text": "a"}]}
    sent.clear()
    send_changes(figure, [(figure.layout, {"annotations": [{"x": 1, "y": 0, "text": "a"}]})])
    assert sent == []
