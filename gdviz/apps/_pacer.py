"""One plotly module loading in a page at a time: the page's still apps go live one after another.

Every FigureWidget brings plotly's 5 MB module to the page, and anywidget gives a widget's module
2 s to load before it drops every later update to that widget. A lesson app is therefore drawn
still (`FigureApp._still_figure`) and made live here, paced by what the page reports:

- an app joins the line when the page first shows one of its controls (event "shown"), in the
  order the page shows them, which is the page's order;
- the first app in line goes live once no FigureWidget of the kernel is being drawn, that is,
  once the page has reported drawing every one made so far (the Explorer's included), and then
  only when the page, asked, reports its main thread idle ("idle"): a module parsed while other
  widgets still load theirs would hold them past anywidget's 2 s;
- an app a student reaches for (a control takes the focus: "reached") or changes moves to the
  front, and goes live as soon as the page is idle; until then a change redraws its still
  picture, which the page's own plotly draws without loading a module;
- a figure the page never draws (its output cleared first, the page closed), or a question the
  page never answers, holds the line for `PATIENCE_S` at most after the page last showed something.

So a page parses one module at a time, and a student who reads before pressing finds every app
live. Without a page (nbval, the kernel's own tests) no event comes: an app goes live when code
reads `app.figure`; until then a change redraws its still picture.
"""

import time
import weakref

from ._plotly_compat import when_drawn

PATIENCE_S = 20.0

_drawing = {}  # id(figure) -> (weak reference to it, when it was made)
_line = []  # weak references to apps drawn still and shown in a page, the next to go live first
_shown = weakref.WeakKeyDictionary()  # app -> {id(control): control} of its controls a page shows
_asked = [None, 0.0]  # the app whose page was asked whether it is idle (weakly), and when
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


def page_event(app, event, control):
    """What a page reported about `control`, one of `app`'s: "shown", "hidden", "reached" or "idle"."""
    shown = _shown.setdefault(app, {})
    if event == "shown":
        _last_shown[0] = time.monotonic()
        shown[id(control)] = control
        if not any(ref() is app for ref in _line):
            _line.append(weakref.ref(app))
    elif event == "hidden":
        shown.pop(id(control), None)
    elif event == "reached":
        shown[id(control)] = control  # a control with the focus is shown
        wanted(app)
        return
    elif event == "idle" and _asked[0] is not None and _asked[0]() is app:
        _asked[0] = None
        if not _drawing and _first_in_line() is app and app.is_still:
            _line.pop(0)
            app.guarded(app._go_live)()
            return
    _next()


def wanted(app):
    """A student reached for `app` or changed it: it goes live next, as soon as the page is idle."""
    _line[:] = [weakref.ref(app)] + [ref for ref in _line if ref() is not app]
    _next()


def _first_in_line():
    """The first app in line that is still and shown, dropping those before it that are not."""
    while _line:
        app = _line[0]()
        if app is not None and app.is_still and _shown.get(app):
            return app
        _line.pop(0)
    return None


def _next():
    """Ask the page of the first app in line whether it is idle, unless a figure is being drawn."""
    now = time.monotonic()
    for key, (ref, made) in list(_drawing.items()):
        if ref() is None or now - max(made, _last_shown[0] or made) > PATIENCE_S:
            del _drawing[key]
    app = _first_in_line()
    if _drawing or app is None:
        return
    if _asked[0] is not None and _asked[0]() is app and now - _asked[1] < PATIENCE_S:
        return  # asked already: the answer comes when the page is idle
    _asked[:] = [weakref.ref(app), now]
    next(iter(_shown[app].values())).ask_when_idle()


def forget():
    """Start afresh, as a new kernel does (for tests)."""
    _drawing.clear()
    _line.clear()
    _shown.clear()
    _asked[:] = [None, 0.0]
    _last_shown[0] = None
