"""What a page that connects late (Voila, a reloaded notebook) builds each app's figure from.

Such a page never saw the update messages sent while the cell ran: it asks the kernel for
each widget's state (`get_state()`) and draws the figure from that. Showing an app must bring
that state up to date; `gdviz.apps._plotly_compat` does it, and these tests check its effect.
"""

import numpy as np
import plotly.graph_objects as go
import pytest
from recording import Wire

import gdviz.apps as apps
from gdviz.apps import controls
from gdviz.apps._base import FigureApp, update_figure
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
    "CurvatureDial": lambda: apps.CurvatureDial("ravine", angle=60),
    "DescentLemmaLab": lambda: apps.DescentLemmaLab(),
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
    wire = Wire(figure)
    figure.set_state({"_js2py_layoutDelta": {"layout_delta": {"xaxis": {"range": [0, 3]}},
                                             "layout_edit_id": figure._last_layout_edit_id}})
    return [message for message in wire.messages if message.data.get("method") == "echo_update"]


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


def two_traces(layout=None):
    """A live figure of two traces tagged with their roles, as the builders tag theirs."""
    return go.FigureWidget(go.Figure([go.Scatter(x=[0, 1], y=[0, 1], marker={"color": "red"}, meta="path a"),
                                      go.Scatter(x=[5], y=[5], meta="path b")], layout=layout))


def test_update_figure_sends_one_update_with_only_what_differs():
    figure = two_traces()
    wire = Wire(figure)
    update_figure(figure, data={"path a": {"x": [0, 1], "y": [2, 3], "marker": {"color": "red"}},
                                "path b": {"x": [5]}},
                  layout={"title": {"text": "moved"}, "xaxis.range": [0, 2]})
    update = wire.update
    assert update["style_data"] == {"y": [[2, 3]]} and update["style_traces"] == [0]
    assert update["layout_data"] == {"title.text": "moved", "xaxis.range": [0, 2]}
    assert list(figure.data[0].y) == [2, 3] and figure.layout.title.text == "moved"
    wire.clear()
    update_figure(figure, data={"path a": {"y": [2, 3]}}, layout={"xaxis": {"range": (0, 2)}})
    assert wire.messages == [], "nothing differs: nothing travels"


def test_update_figure_replaces_a_list_of_items_whole():
    figure = go.FigureWidget(go.Figure(layout={"annotations": [{"x": 0, "y": 0, "text": "a"}]}))
    wire = Wire(figure)
    update_figure(figure, layout={"annotations": [{"x": 1, "y": 0, "text": "a"}]})
    update = wire.update
    assert update["layout_data"] == {"annotations": [{"x": 1, "y": 0, "text": "a"}]}
    wire.clear()
    update_figure(figure, layout={"annotations": [{"x": 1, "y": 0, "text": "a"}]})
    assert wire.messages == []


def test_update_figure_shows_a_new_picture_by_role_and_empties_a_role_it_lacks():
    figure = two_traces(layout={"height": 300, "title": {"text": "old"}})
    wire = Wire(figure)
    # The new picture draws its traces in another order, and has no "path b".
    picture = go.Figure([go.Scatter(x=[0, 1], y=[4, 4], marker={"color": "red"}, meta="path a")],
                        layout={"height": 900, "title": {"text": "new"}})
    update_figure(figure, picture)
    update = wire.update
    assert update["style_traces"] == [0, 1] and update["style_data"]["y"] == [[4, 4], []]
    assert update["layout_data"] == {"title.text": "new"}, "sizes belong to the app, not to one picture"
    assert list(figure.data[1].x) == [] and figure.layout.height == 300
    wire.clear()
    update_figure(figure, picture)
    assert wire.messages == [], "the same picture again: nothing travels"


def test_update_figure_refuses_a_role_the_live_figure_lacks():
    with pytest.raises(KeyError, match="'path c'"):
        update_figure(two_traces(), data={"path c": {"x": [1]}})


def test_quietly_holds_back_on_change_and_guarded_shows_errors_in_the_status_line():
    app = FigureApp()
    app.status = controls.Status()
    x, y = controls.FloatSlider(), controls.FloatSlider()
    calls = []
    app.on_change([x, y], lambda: calls.append((x.value, y.value)))
    x.value = 0.5
    with app.quietly():
        x.value, y.value = 0.2, 0.3
    assert calls == [(0.5, 0.0)], "inside quietly(), neither change fires the callback"
    y.value = 0.4
    assert calls[-1] == (0.2, 0.4)

    def broken():
        raise RuntimeError("the <formula> broke")

    app.on_change([x], broken)
    x.value = 0.9
    assert isinstance(app.error, RuntimeError)
    assert "Error: RuntimeError: the &lt;formula&gt; broke" in app.status.value
    assert "#b00020" in app.status.value
    app.say("all well")
    assert app.error is None and app.status.value == "all well"
