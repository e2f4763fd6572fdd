"""Controls a keyboard and a screen reader can use: named sliders, a play button, a live status line.

ipywidgets' sliders draw a handle with no accessible name, whose value a
screen reader reads as raw floating point (0.09999999999999999), and its Play
widget's buttons are named only by their icons. These are small anywidgets
(`controls.js`) on native elements instead:

- `FloatSlider`, `IntSlider`, `FloatLogSlider`, `SelectionSlider`: an
  ``<input type="range">`` named by `accessible_name` ("learning rate
  alpha"), its visible label `description` ("alpha"), its value read out as
  the formatted number the readout shows; the readout is a text box too.
  Arrow keys, Page Up/Down, Home and End work wherever the page has focus
  on it. Their Python side mirrors ipywidgets' (value, min, max, step,
  readout_format, continuous_update, observe), so apps and tests set
  `slider.value` as before; `slider.nearest(value)` is the value on the
  slider's grid that the page would snap it to. A change the user makes
  sends one message.
- `Play`: a button named "play Chad's walk" (then "pause ..."), whose
  timer runs in the page, as ipywidgets' Play does; link it to a slider
  with `widgets.jslink`.
- `Status`: a line whose content is announced when it changes (an ARIA
  live region that outlives its content); `live=False` makes a plain text
  line, for a figure's description.

With presentation mode on (`gdviz.presentation()`) when a control is made, it
is drawn at 20 px (`large`). The style sheet also carries the rules that
enlarge ipywidgets' own controls inside an app marked for presentation
(`FigureApp` adds the class "gdviz-presenting").
"""

import math
from pathlib import Path

import anywidget
import traitlets

from .. import presentation

__all__ = ["FloatLogSlider", "FloatSlider", "IntSlider", "Play", "SelectionSlider", "Status"]

_HERE = Path(__file__).parent

# What a page tells the kernel about a control: one of its views was drawn ("shown") or taken away
# ("hidden"), it first took the focus ("reached"), or, asked with `ask_when_idle`, the page's main
# thread is idle ("idle"). Apps drawn still use them to go live in time (`_pacer`).
PAGE_EVENTS = ("shown", "hidden", "reached", "idle")


class _Control(anywidget.AnyWidget):
    """What every control shares: the one front-end module, its style sheet, and the text size."""

    _esm = _HERE / "controls.js"
    _css = _HERE / "controls.css"
    _kind = traitlets.Unicode().tag(sync=True)
    large = traitlets.Bool(False, help="20 px text, for a projector").tag(sync=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("large", presentation.is_on())
        super().__init__(**kwargs)
        self._page_listeners = []
        self.on_msg(self._on_page_message)

    def on_page_event(self, callback):
        """Call `callback(event)` for each of `PAGE_EVENTS` a page reports about this control."""
        self._page_listeners.append(callback)

    def ask_when_idle(self):
        """Ask the pages showing this control to report "idle" once their main thread is idle."""
        self.send({"ask": "idle"})

    def _on_page_message(self, widget, content, buffers):
        if isinstance(content, dict) and content.get("event") in PAGE_EVENTS:
            for callback in self._page_listeners:
                callback(content["event"])


class _Slider(_Control):
    """A range slider; `min`, `max` and `step` are in the units of `value` (exponents for a log slider)."""

    description = traitlets.Unicode("", help="the visible label, short: 'alpha'").tag(sync=True)
    accessible_name = traitlets.Unicode(
        "", help="what a screen reader announces: 'learning rate alpha'; else the description").tag(sync=True)
    description_width = traitlets.Unicode("90px").tag(sync=True)
    readout_format = traitlets.Unicode(".2f").tag(sync=True)
    continuous_update = traitlets.Bool(True, help="send while dragging, not only on release").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, value=None, **kwargs):
        # min and max first, so that value is checked against the right range.
        limits = {key: kwargs.pop(key) for key in ("min", "max") if key in kwargs}
        super().__init__(**kwargs)
        low, high = limits.get("min", self.min), limits.get("max", self.max)
        if low > high:
            raise traitlets.TraitError(f"{self.description or 'slider'}: min must not exceed max, "
                                       f"got min={low!r}, max={high!r}")
        with self.hold_trait_notifications():
            for key, limit in limits.items():
                setattr(self, key, limit)
        if value is not None:
            self.value = value

    def _range(self):
        """The lowest and highest value the slider can hold."""
        return self.min, self.max

    def nearest(self, value):
        """The value on the slider's grid (`step`s from `min`) nearest to `value`, inside its range.

        The page snaps a slider's value to that grid and sends the snapped
        value back, which would fire the app's observers a second time with a
        slightly different value: set `slider.value = slider.nearest(value)`
        and the page has nothing to snap. A value on the grid stays as it is.
        """
        ticks = round((self._position(value) - self.min) / self.step)
        low, high = self._range()
        return min(max(self._value_at(round(self.min + ticks * self.step, 10)), low), high)

    def _position(self, value):
        """Where `value` lies along the slider, in the units of min, max and step."""
        return value

    def _value_at(self, position):
        return type(self.value)(position)

    @traitlets.validate("value")
    def _clip(self, proposal):
        low, high = self._range()
        return min(max(proposal["value"], low), high)

    @traitlets.validate("min", "max")
    def _ordered(self, proposal):
        if proposal["trait"].name == "min":
            low, high = proposal["value"], self.max
        else:
            low, high = self.min, proposal["value"]
        if low > high:
            raise traitlets.TraitError(f"{self.description or 'slider'}: min must not exceed max, "
                                       f"got min={low!r}, max={high!r}")
        return proposal["value"]

    @traitlets.observe("min", "max")
    def _keep_inside(self, change):
        self.value = self._clip({"value": self.value})


def _synced(trait, *defaults):
    """One synced trait of type `trait` per default: value, min, max, step."""
    return [trait(default).tag(sync=True) for default in defaults]


class FloatSlider(_Slider):
    """A slider over real numbers."""

    _kind = traitlets.Unicode("slider").tag(sync=True)
    value, min, max, step = _synced(traitlets.Float, 0.0, 0.0, 1.0, 0.1)


class IntSlider(_Slider):
    """A slider over whole numbers."""

    _kind = traitlets.Unicode("int_slider").tag(sync=True)
    value, min, max, step = _synced(traitlets.Int, 0, 0, 100, 1)
    readout_format = traitlets.Unicode("d").tag(sync=True)


class FloatLogSlider(_Slider):
    """A slider over base**min .. base**max that moves evenly in the exponent, by `step`."""

    _kind = traitlets.Unicode("log_slider").tag(sync=True)
    value = traitlets.Float(1.0).tag(sync=True)
    base = traitlets.Float(10.0).tag(sync=True)
    min = traitlets.Float(0.0, help="the lowest exponent").tag(sync=True)
    max = traitlets.Float(4.0, help="the highest exponent").tag(sync=True)
    step = traitlets.Float(0.1, help="a step of the exponent").tag(sync=True)
    readout_format = traitlets.Unicode(".3g").tag(sync=True)

    def _range(self):
        return self.base ** self.min, self.base ** self.max

    def _position(self, value):
        return math.log(value, self.base)

    def _value_at(self, position):
        return float(self.base ** position)


class SelectionSlider(_Slider):
    """A slider over a list of `options`; `value` is the chosen option. The page moves `index` and
    shows the option's label (`str(option)`)."""

    _kind = traitlets.Unicode("selection").tag(sync=True)
    index = traitlets.Int(0).tag(sync=True)
    labels = traitlets.List(traitlets.Unicode()).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(0).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    value = traitlets.Any()

    def __init__(self, options, value=None, **kwargs):
        options = list(options)
        name = kwargs.get("description", "slider")
        if not options:
            raise ValueError(f"{name}: options must not be empty")
        if value is None:
            value = options[0]
        if value not in options:
            raise ValueError(f"{name}: value must be one of {options}, got {value!r}")
        self.options = options
        super().__init__(labels=[str(option) for option in options], min=0, max=len(options) - 1,
                         index=options.index(value), **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _clip(self, proposal):
        if proposal["value"] not in self.options:
            raise traitlets.TraitError(f"{self.description or 'slider'}: value must be one of "
                                       f"{self.options}, got {proposal['value']!r}")
        return proposal["value"]

    @traitlets.observe("value")
    def _to_index(self, change):
        self.index = self.options.index(change["new"])

    @traitlets.observe("index")
    def _from_index(self, change):
        self.value = self.options[change["new"]]

    @traitlets.observe("min", "max")
    def _keep_inside(self, change):
        pass  # the options fix the range

    def nearest(self, value):
        """The option nearest to `value` (for options that are numbers, such as batch sizes)."""
        return min(self.options, key=lambda option: abs(option - value))


class Play(_Control):
    """A button that walks `value` from `min` to `max`, one step every `interval` ms, in the page."""

    _kind = traitlets.Unicode("play").tag(sync=True)
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(0).tag(sync=True)
    interval = traitlets.Int(150, help="milliseconds between steps").tag(sync=True)
    description = traitlets.Unicode("play").tag(sync=True)
    pause_description = traitlets.Unicode("pause").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)

    @traitlets.validate("interval")
    def _positive(self, proposal):
        if proposal["value"] < 1:
            raise traitlets.TraitError(f"interval must be at least 1 millisecond, got {proposal['value']!r}")
        return proposal["value"]


class Status(_Control):
    """A line of HTML (`value`), announced to a screen reader whenever it changes if `live`."""

    _kind = traitlets.Unicode("status").tag(sync=True)
    value = traitlets.Unicode("").tag(sync=True)
    live = traitlets.Bool(True).tag(sync=True)
