"""gdviz's own controls (`gdviz.apps.controls`): named, formatted, one message per change, everywhere.

What the page does with them (keys, names a screen reader finds, the live status line) is
checked in a real browser by tests/browser; here, their Python side and that every app uses them.
"""


import ipywidgets as widgets
import pytest
import traitlets
from recording import Wire

import gdviz
from gdviz import apps
from gdviz.apps import controls

ALL_APPS = [apps.Explorer, apps.AlphaQuiz, apps.MomentumMap, apps.Race, apps.ScoringLab, apps.SGDLab,
            apps.StopConditions, apps.TrainingLab, apps.CurvatureDial, apps.DescentLemmaLab]


def walk(widget):
    """Every widget inside `widget`, itself included."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


@pytest.fixture
def presenting():
    gdviz.presentation(True)
    try:
        yield
    finally:
        gdviz.presentation(False)


def test_a_slider_keeps_its_value_inside_its_range():
    slider = controls.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.1)
    slider.value = 7.0
    assert slider.value == 1.0
    slider.min = -5.0
    slider.max = -2.0  # the value moves with its range
    assert slider.value == -2.0
    assert controls.IntSlider(value=50, min=0, max=10).value == 10


def test_a_log_slider_is_bounded_by_powers_of_its_base():
    slider = controls.FloatLogSlider(value=0.1, base=10, min=-4, max=1, step=0.02)
    assert slider.value == 0.1
    slider.value = 1e6
    assert slider.value == 10.0
    slider.value = 1e-9
    assert slider.value == pytest.approx(1e-4)


def test_nearest_is_the_value_on_the_sliders_grid_inside_its_range():
    # The page snaps a value to the grid of steps from min; nearest gives it that value first.
    slider = controls.FloatSlider(min=-3.0, max=3.0, step=0.01)
    assert slider.nearest(0.123456) == 0.12 and slider.nearest(-1.0) == -1.0
    assert slider.nearest(7.0) == 3.0 and slider.nearest(-9.0) == -3.0
    steps = controls.FloatSlider(min=0.001, max=0.5, step=0.001)  # the grid starts at min, not at 0
    assert steps.nearest(0.2641) == 0.264 and steps.nearest(0.0) == 0.001
    counts = controls.IntSlider(min=10, max=300, step=10)
    assert counts.nearest(64) == 60 and isinstance(counts.nearest(64), int)
    alpha = controls.FloatLogSlider(base=10, min=-4, max=1, step=0.02)  # steps of the exponent
    assert alpha.nearest(0.1) == 0.1 and alpha.nearest(0.0123) == pytest.approx(10 ** -1.92)  # log10 = -1.910
    assert alpha.nearest(1e6) == 10.0
    assert controls.SelectionSlider([1, 2, 4, 8]).nearest(5) == 4


def test_a_slider_refuses_a_range_upside_down():
    with pytest.raises(traitlets.TraitError, match="alpha: min must not exceed max"):
        controls.FloatSlider(min=2.0, max=1.0, description="alpha")
    with pytest.raises(traitlets.TraitError, match=r"w1: min must not exceed max, got min=0.0, max=-1.0"):
        controls.FloatSlider(max=-1.0, description="w1")  # below the default min
    slider = controls.IntSlider(min=0, max=5, description="steps")
    with pytest.raises(traitlets.TraitError, match="steps: min must not exceed max"):
        slider.min = 9


def test_a_selection_slider_moves_between_its_options():
    slider = controls.SelectionSlider([1, 2, 4, 8], value=4, description="batch size")
    assert (slider.index, slider.labels, slider.max) == (2, ["1", "2", "4", "8"], 3)
    slider.index = 3  # as the page sends it
    assert slider.value == 8
    slider.value = 1
    assert slider.index == 0
    with pytest.raises(traitlets.TraitError, match="batch size: value must be one of"):
        slider.value = 3
    with pytest.raises(ValueError, match="batch size: value must be one of"):
        controls.SelectionSlider([1, 2], value=5, description="batch size")
    with pytest.raises(ValueError, match="options must not be empty"):
        controls.SelectionSlider([], description="batch size")


def test_play_refuses_an_interval_below_a_millisecond():
    with pytest.raises(traitlets.TraitError, match="interval must be at least 1 millisecond"):
        controls.Play(interval=0)


def test_a_change_is_one_message_with_the_new_value_only():
    slider = controls.FloatLogSlider(value=0.1, base=10, min=-4, max=1, step=0.02)
    wire = Wire(slider)
    slider.value = 0.2
    assert wire.states == [{"value": 0.2}]
    slider.value = 0.2  # the same value again: nothing to send
    assert len(wire.messages) == 1


@pytest.mark.parametrize("app_class", ALL_APPS, ids=lambda cls: cls.__name__)
def test_every_app_uses_named_controls_only(app_class):
    """No ipywidgets slider or Play is left (they have no accessible name); every slider is named."""
    app = app_class()
    app.figure  # noqa: B018 (made live, as its first use makes it: the figure then sits where the picture was)
    inside = list(walk(app))
    unnamed_kinds = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider, widgets.SelectionSlider,
                     widgets.Play)
    assert not [type(w).__name__ for w in inside if isinstance(w, unnamed_kinds)]
    for slider in [w for w in inside if isinstance(w, controls._Slider)]:
        assert slider.accessible_name or slider.description, slider
    # The status line is a live region and the figure is described in words, just above it.
    assert isinstance(app.status, controls.Status) and app.status.live
    assert isinstance(app.figure_description, controls.Status) and not app.figure_description.live
    assert app.figure_description.value.count("The figure:") == 1
    assert inside.index(app.figure_description) == inside.index(app.figure) - 1


def test_the_explorer_names_its_controls_for_what_they_do():
    app = apps.Explorer("ravine", optimizer="momentum")
    names = {app.alpha.accessible_name, app.start_x.accessible_name, app.start_y.accessible_name,
             app.step.accessible_name, app.play.description, app.beta.accessible_name}
    assert names == {"learning rate alpha", "Chad's start, w1", "Chad's start, w2",
                     "step of Chad's walk shown", "play Chad's walk", "momentum beta"}
    assert "ravine" in app.figure_description.value
    app.landscape.value = "bowl"
    assert "bowl" in app.figure_description.value and "ravine" not in app.figure_description.value


def test_presentation_mode_makes_controls_large_and_marks_the_app(presenting):
    app = apps.ScoringLab()
    assert "gdviz-presenting" in app._dom_classes
    assert all(w.large for w in walk(app) if isinstance(w, controls._Control))


def test_controls_are_normal_size_by_default():
    app = apps.ScoringLab()
    assert "gdviz-presenting" not in app._dom_classes
    assert not any(w.large for w in walk(app) if isinstance(w, controls._Control))
