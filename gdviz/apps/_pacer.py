"""One plotly module loading in a page at a time: the page's still apps go live one after another.

Every FigureWidget brings plotly's 5 MB module to the page, and anywidget gives a widget's module
2 s to load before it drops every later update to that widget. A lesson app is therefore drawn
still (`FigureApp._still_figure`) and made live here, paced by what the page reports:

- an app joins the line when the page first shows one of its controls (event "shown"), in the
  order the page shows them, which is the page's order;
- the first app in line goes live once no FigureWidget of the kernel is being drawn, that is,
  once the page has reported drawing every one made so far (the Explorer's included);
- an app a student reaches for (a control takes the focus: "reached") or changes moves to the
  front, and goes live at once if nothing is being drawn; until then a change redraws its still
  picture, which the page's own plotly draws without loading a module;
- a figure the page never draws (its output cleared first, the page closed) holds the line for
  `PATIENCE_S` at most after the page last showed something.

So a page parses one module at a time, and a student who reads before pressing finds every app
live. Without a page (nbval, the kernel's own tests) no event comes: an app goes live when code
reads `app.figure`, or on its first change once no figure is waiting to be drawn.
"""

import time
import weakref

from ._plotly_compat import when_drawn

PATIENCE_S = 20.0

_drawing = {}  # id(figure) -> (weak reference to it, when it was made)
_line = []  # weak references to apps drawn still and shown in a page, the next to go live first
_views = weakref.WeakKeyDictionary()  # app -> how many of its controls a page shows now
_last_shown = [None]  # when a page last showed a control; None while no page has shown one


def figure_made(figure):
    """Count `figure` as being drawn until a page reports it drawn; then make the next app live."""
    key = id(figure)
    _drawing[key] = (weakref.ref(figure), time.monotonic())

    def drawn():
        _drawing.pop(key, None)
        _next()

    when_drawn(figure, drawn)


def is_drawing(figure):
    """True while a page shows controls and has not yet drawn `figure`: an update sent now would
    reach a page whose module is still loading and be lost, so the app refreshes the saved state."""
    entry = _drawing.get(id(figure))
    return _last_shown[0] is not None and entry is not None and entry[0]() is figure


def page_event(app, event):
    """What a page reported about one of `app`'s controls: "shown", "hidden" or "reached"."""
    if event == "shown":
        _last_shown[0] = time.monotonic()
        _views[app] = _views.get(app, 0) + 1
        if not any(ref() is app for ref in _line):
            _line.append(weakref.ref(app))
    elif event == "hidden":
        _views[app] = max(0, _views.get(app, 0) - 1)
    elif event == "reached":
        wanted(app)
        return
    _next()


def wanted(app):
    """A student reached for `app` or changed it: it goes live next, at once if nothing is drawn."""
    _views[app] = max(1, _views.get(app, 0))  # a control the student uses is shown
    _line[:] = [weakref.ref(app)] + [ref for ref in _line if ref() is not app]
    _next()


def _next():
    """Make the first app in line live, unless a figure is still being drawn."""
    now = time.monotonic()
    for key, (ref, made) in list(_drawing.items()):
        waited = now - max(made, _last_shown[0] or made)
        if ref() is None or waited > PATIENCE_S:
            del _drawing[key]
    while _line and not _drawing:
        app = _line.pop(0)()
        if app is not None and app.is_still and _views.get(app, 0) > 0:
            app.guarded(app._go_live)()


def forget():
    """Start afresh, as a new kernel does (for tests)."""
    _drawing.clear()
    _line.clear()
    _views.clear()
    _last_shown[0] = None
