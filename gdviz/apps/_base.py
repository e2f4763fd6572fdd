"""What every gdviz app shares: one FigureWidget updated in one message, and a status line errors reach.

- `update_figure(figure, picture)` or `update_figure(figure, data=..., layout=...)`
  is the one way an app changes its figure: traces matched by role, only
  what differs assigned, all of it sent as ONE Plotly.update;
- `FigureApp.guarded(callback)` is the one error guard: an error a callback
  raises is shown in the app's status line, never lost;
- `FigureApp._still_figure(picture)` shows an app's first picture without a
  FigureWidget, which the app makes when `_pacer` gives it its turn or on
  first use (one 5 MB module loading in a page at a time);
- `FigureApp.on_change(controls, callback)` wires controls to a callback,
  through the guard, and `FigureApp.quietly()` changes several controls at
  once without each of them firing it.

Everything here uses plotly's and ipywidgets' public API only; the two jobs
no public API can do live in `_plotly_compat`.
"""

import contextlib
import functools
import html
import json
import traceback

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from .. import presentation
from ..figures import style
from . import _pacer
from ._plotly_compat import PRESENTATION_WIDTH_PX, QuietFigureWidget, refresh_saved_state
from .controls import _Control

__all__ = ["FIXED_LAYOUT", "RED", "FigureApp", "QuietFigureWidget", "axes_of", "error_html", "update_figure"]

RED = "#b00020"  # the status line's colour for errors and for a walk that diverged

# Layout entries a new picture never changes: the theme is set once, and sizes
# and margins belong to the app, not to one result.
FIXED_LAYOUT = ("template", "height", "width", "margin", "font")


class FigureApp(widgets.VBox):
    """A column of widgets around `self.figure`, a `go.FigureWidget`, with a status line `self.status`.

    An app says what happened with `say`, wires its controls with `on_change`
    (every callback through `guarded`) and sets several controls together
    inside `quietly()`. Made while presentation mode is on, its controls'
    text is 20 px and its rows wrap to the page's width. Showing the app
    first brings the figure's saved widget state up to date (see
    `_plotly_compat.refresh_saved_state`), so a page that connects late
    (Voila, a reloaded notebook) draws the figure as it is, not as it was built.
    """

    _figure = None  # the app's one FigureWidget, once made
    _still = None  # (picture, holder) while the app shows its picture still (`_still_figure`)
    status = None  # its status line (`apps.controls.Status`), set by each app
    error_log = None  # an `Output` for a callback's traceback, in an app that shows one
    error = None  # the last error a callback raised; None once the app says something new
    _quiet = 0  # > 0 inside `quietly()`

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_class("gdviz-app")  # apps/controls.css keeps its controls' labels whole
        if presentation.is_on():
            # apps/controls.css enlarges ipywidgets' own controls inside a box with this class
            self.add_class("gdviz-presenting")

    @property
    def figure(self):
        """The app's one `go.FigureWidget`; an app showing its picture still makes it now."""
        if self.is_still:
            self._go_live()
        return self._figure

    @figure.setter
    def figure(self, widget):
        self._figure = widget
        _pacer.figure_made(widget)

    @property
    def is_still(self):
        """True while the app shows its first picture still, with no FigureWidget yet."""
        return self._figure is None and self._still is not None

    def _still_figure(self, picture):
        """A widget showing `picture` drawn by the page's own plotly, until the app is first used.

        Every FigureWidget brings plotly's 5 MB module to the page, and anywidget gives a widget's
        module 2 s to load before it drops the widget's every later update (its figure would stop
        following its controls). A page built with several at once misses that on a slow machine
        (measured in tests/browser/test_slow_machine.py). So an app that need not be live yet
        shows its first picture as a plain figure in an `Output`, which plotly's renderer already
        in the page draws. It makes its FigureWidget when `_pacer` gives it its turn (a page shows
        the app and has drawn every figure made before), or the first time anything asks for
        `app.figure`: the first change of a control, or code reading it.
        """
        holder = widgets.Output(layout={"width": "100%"})
        self._show_still(picture, holder)
        return holder

    def _show_still(self, picture, holder):
        """Draw `picture` in `holder`, the still figure's `Output`, as the page's plotly draws it."""
        still = go.Figure(picture)
        if presentation.is_on() and still.layout.width is None:
            still.layout.width = PRESENTATION_WIDTH_PX
        holder.outputs = ({"output_type": "display_data", "metadata": {},
                           "data": {"application/vnd.plotly.v1+json": json.loads(pio.to_json(still)),
                                    "text/plain": "the app's figure, live in its turn"}},)
        self._still = (picture, holder)

    def _paced(self):
        """Tell `_pacer` what the page reports about the app's controls, so that the app goes live
        in its turn once the page shows it, or at once when a student reaches for a control."""
        boxes = list(self.children)
        while boxes:
            widget = boxes.pop()
            boxes += list(getattr(widget, "children", ()))
            if isinstance(widget, _Control):
                widget.on_page_event(self.guarded(functools.partial(_pacer.page_event, self, control=widget)))

    def _go_live(self):
        """Put the app's FigureWidget, made from its still picture, where that picture was shown."""
        picture, holder = self._still
        self._still = None
        self.figure = QuietFigureWidget(picture)
        self.children = tuple(self._figure if child is holder else child for child in self.children)

    def _repr_mimebundle_(self, **kwargs):
        if self._figure is not None:
            refresh_saved_state(self._figure)
        return super()._repr_mimebundle_(**kwargs)

    def say(self, text):
        """Put `text` (HTML, already escaped) in the status line, in place of any error shown there."""
        self.error = None
        if self.error_log is not None:
            self.error_log.outputs = ()
        self.status.value = text

    def guarded(self, callback):
        """`callback` wrapped so that an error it raises is shown in the status line, never lost.

        JupyterLab drops exceptions raised in widget callbacks, so every
        callback of an app runs inside this guard: the status line then reads
        "Error: TypeName: message" in red, `app.error` holds the exception and
        `app.error_log`, in an app that has one, its traceback.
        """

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # shown to the user, who can act on it
                self.status.value = error_html(error)
                self.error = error
                if self.error_log is not None:
                    self.error_log.outputs = ({"output_type": "stream", "name": "stderr",
                                               "text": "".join(traceback.format_exception(error))},)
                return None

        return wrapper

    def on_change(self, controls, callback):
        """Call `callback()`, guarded, whenever one of `controls` changes value, except inside `quietly()`."""
        guarded = self.guarded(callback)

        def observer(change):
            if not self._quiet:
                guarded()

        for control in controls:
            control.observe(observer, names="value")

    @contextlib.contextmanager
    def quietly(self):
        """Change several controls at once without each firing the callbacks of `on_change`.

            with app.quietly():
                app.start_x.value, app.start_y.value = 1.0, 2.0
            ...  # then redraw once
        """
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1


def error_html(error):
    """An error for the status line: "Error: TypeName: message", in red."""
    return (f'<span style="color: {RED}">Error: {html.escape(type(error).__name__)}: '
            f'{html.escape(str(error))}</span>')


def axes_of(figure, role):
    """The layout names of the axes the trace of `role` is drawn on, e.g. ("xaxis2", "yaxis2").

    An app addresses a panel's axes by what is drawn there, never by the
    panel's number in the subplot grid.
    """
    trace = style.trace(figure, role)
    return tuple(f"{letter}axis{(trace[letter + 'axis'] or letter)[1:]}" for letter in "xy")


def update_figure(figure, picture=None, *, data=None, layout=None):
    """Make the live `figure` show `picture`, or apply `data` and `layout`, in ONE Plotly.update.

    Parameters
    ----------
    figure : go.FigureWidget
        An app's figure; each trace carries its role (`gdviz.figures.style`).
    picture : go.Figure, optional
        A new figure from the builder that drew `figure`. Its traces are
        matched to the live ones by role; a role the live figure has and
        `picture` lacks (an optimizer left out of a race) is emptied, so every
        trace an app may fill later exists, empty, from the start. Its layout
        replaces the live one's, except `FIXED_LAYOUT`.
    data : {role: {property: value}}, optional
        Instead of a picture, changes to some traces only.
    layout : {property: value}, optional
        Instead of a picture, changes to the layout only.

    Values are nested ({"marker": {"color": c}}) or paths ({"marker.color": c});
    a list of items (annotations) is replaced whole. Only the values that
    differ from what the figure holds are assigned, so only they travel:
    what the figure holds is read once per top-level property (a getter walks
    plotly's object tree, up to half a millisecond each). Inside
    `figure.batch_update()` plotly collects the assignments and sends them as
    one Plotly.update (plus its own edit-counter messages). Never wrap this in
    a widget's `hold_sync()`: the update would be set and cleared inside the
    hold, and the page would never receive it while every kernel-side test
    still passed.
    """
    traces = {style.role_of(trace): trace for trace in figure.data}
    if picture is not None:
        if data is not None or layout is not None:
            raise TypeError("give either a picture or data and layout changes, not both")
        data, layout = _changes(picture, traces)
    unknown = set(data or {}) - set(traces)
    if unknown:
        raise KeyError(f"the figure has no trace with role {', '.join(map(repr, sorted(unknown)))}; "
                       f"its roles are {', '.join(map(repr, traces))}")
    with figure.batch_update():
        for role, properties in (data or {}).items():
            _assign_what_differs(traces[role], properties)
        _assign_what_differs(figure.layout, layout or {})
    if _pacer.is_drawing(figure):
        # The page is still loading this figure's module, and would draw it from the saved state
        # and never see this update: bring that state up to date too.
        refresh_saved_state(figure)


def _changes(picture, traces):
    """({role: properties}, layout) that make a figure with `traces` show `picture`."""
    data = {}
    for trace in picture.data:
        properties = trace.to_plotly_json()
        for key in ("type", "uid", "meta"):
            properties.pop(key, None)
        data[style.role_of(trace)] = properties
    for role, trace in traces.items():
        if role not in data:  # nothing of this role to show now: empty it
            data[role] = {axis: [] for axis in ("x", "y", "z") if axis in trace}
    layout = {key: value for key, value in picture.layout.to_plotly_json().items() if key not in FIXED_LAYOUT}
    return data, layout


def _assign_what_differs(part, properties):
    """Assign to `part` (a trace or the layout) each value of `properties` it does not hold already."""
    held = {}
    for path, value in _flatten(properties).items():
        top = path.split(".", 1)[0]
        if top not in held:
            held[top] = _plain(part[top])
        if not _same(_lookup(held, path), value):
            _assign(part, path, value)


def _flatten(tree, prefix=""):
    """{"marker": {"color": c}} -> {"marker.color": c}: one value per property path; {} sets nothing."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _plain(value):
    """A plotly object (or a tuple of them, such as annotations) as its JSON; any other value as it is."""
    if hasattr(value, "to_plotly_json"):
        return value.to_plotly_json()
    if isinstance(value, tuple) and value and hasattr(value[0], "to_plotly_json"):
        return [item.to_plotly_json() for item in value]
    return value


def _lookup(held, path):
    """The value at "marker.color" of a JSON tree; None where there is none."""
    for key in path.split("."):
        if not isinstance(held, dict):
            return None
        held = held.get(key)
    return held


def _assign(part, path, value):
    """part["marker"]["color"] = value: one key at a time, which plotly resolves fastest."""
    *parents, last = path.split(".")
    for key in parents:
        part = part[key]
    part[last] = value


def _same(held, new):
    """True when the figure already holds `new`: arrays, lists and tuples compare by shape and values."""
    sequences = (np.ndarray, list, tuple)
    if not (isinstance(held, sequences) or isinstance(new, sequences)):
        return held == new
    if isinstance(new, (list, tuple)) and new and isinstance(new[0], dict):  # items such as annotations
        return isinstance(held, sequences) and list(held) == list(new)
    held, new = np.asarray(held), np.asarray(new)
    try:
        return held.shape == new.shape and bool(np.array_equal(held, new))
    except (TypeError, ValueError):  # numbers against text: not the same
        return False
