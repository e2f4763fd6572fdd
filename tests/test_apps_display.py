"""What a page that connects late (Voila, a reloaded notebook) builds each app's figure from.

Such a page never saw the update messages sent while the cell ran: it draws the
figure's saved widget state. Showing an app must bring that state up to date.
"""

import numpy as np
import plotly.graph_objects as go
import pytest

import gdviz.apps as apps

APPS = {
    "Explorer": lambda: apps.Explorer("ravine", alpha=0.05),
    "StopConditions": lambda: apps.StopConditions("ravine", alpha=0.05, max_steps=50),
    "AlphaQuiz": lambda: apps.AlphaQuiz("bowl", alpha=0.9),
    "Race": lambda: apps.Race("rosenbrock", max_steps=50),
    "ScoringLab": lambda: apps.ScoringLab(),
    "SGDLab": lambda: apps.SGDLab(),
}


def as_array(value):
    return np.asarray([] if value is None else value).ravel()


def saved_arrays(figure):
    """Every x and y array of the figure's saved state, trace by trace."""
    return [[as_array(trace.get(axis)) for axis in "xy"] for trace in figure._widget_data]


def live_arrays(figure):
    return [[as_array(getattr(trace, axis, None)) for axis in "xy"] for trace in figure.data]


@pytest.mark.parametrize("name", list(APPS))
def test_showing_an_app_saves_its_figure_as_it_is_now(name):
    app = APPS[name]()
    bundle = app._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == app.model_id
    saved, live = saved_arrays(app.figure), live_arrays(app.figure)
    assert len(saved) == len(live) > 0
    for saved_trace, live_trace in zip(saved, live, strict=True):
        for saved_axis, live_axis in zip(saved_trace, live_trace, strict=True):
            np.testing.assert_array_equal(saved_axis, live_axis)
    assert any(len(axis) > 1 for trace in saved for axis in trace), "the saved figure has no data at all"


def test_a_change_before_showing_is_in_the_saved_state():
    app = apps.Explorer("bowl", alpha=0.05)
    app.alpha.value = 0.5  # set in the same cell, before the app is shown
    app._repr_mimebundle_()
    for saved_trace, live_trace in zip(saved_arrays(app.figure), live_arrays(app.figure), strict=True):
        for saved_axis, live_axis in zip(saved_trace, live_trace, strict=True):
            np.testing.assert_array_equal(saved_axis, live_axis)


def echoes(figure):
    """The echo_update messages a figure sends when the page reports a new axis range."""
    sent = []
    original = figure._send
    figure._send = lambda message, buffers=None: (sent.append(message), original(message, buffers))
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
