"""What every gdviz app shares: a VBox whose figure is one plotly FigureWidget, updated in one message.

An app changes its figure through `send_changes`, which uses plotly's public
API only: it reads what the figure holds through the traces' and the
layout's own getters, assigns what differs, and lets `figure.batch_update()`
send it as ONE Plotly.update message. The two jobs no public API can do live
in `_plotly_compat`.
"""

import ipywidgets as widgets
import numpy as np

from .. import presentation
from ._plotly_compat import QuietFigureWidget, refresh_saved_state

__all__ = ["FigureApp", "QuietFigureWidget", "send_changes"]


class FigureApp(widgets.VBox):
    """A column of widgets around `self.figure`, a `go.FigureWidget`.

    Made while presentation mode is on, its controls' text is 20 px and its
    rows wrap to the page's width. Showing the app first brings the figure's saved widget state up to date
    (see `_plotly_compat.refresh_saved_state`), so a page that connects late
    (Voila, a reloaded notebook) draws the figure as it is, not as it was built.
    """

    figure = None  # set by each app before it is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if presentation.is_on():
            # apps/controls.css enlarges ipywidgets' own controls inside a box with this class
            self.add_class("gdviz-presenting")

    def _repr_mimebundle_(self, **kwargs):
        if self.figure is not None:
            refresh_saved_state(self.figure)
        return super()._repr_mimebundle_(**kwargs)


def send_changes(figure, changes):
    """Apply `changes` to `figure` and send what differs to the page as ONE Plotly.update.

    Parameters
    ----------
    figure : go.FigureWidget
    changes : iterable of (part, {property: value})
        A part of `figure` (a trace of `figure.data`, `figure.layout` or a
        part of it such as `figure.layout.scene`) with its new values, nested
        ({"marker": {"color": c}}) or as paths ({"marker.color": c}). A list
        of items (such as annotations) is replaced as a whole.

    Only the values that differ from what the figure holds are assigned, so
    only they travel: a trace's values are read with its getters, the whole
    layout through its `to_plotly_json()` once (a layout getter walks plotly's
    object tree, up to half a millisecond each). Inside `figure.batch_update()`
    plotly collects the assignments and sends them, when the block ends, as
    one Plotly.update (plus its own edit-counter messages). Never wrap this in
    a widget's `hold_sync()`: the update would be set and cleared inside the
    hold, and the page would never receive it while every kernel-side test
    still passed.
    """
    with figure.batch_update():
        for part, properties in changes:
            held = part.to_plotly_json() if part is figure.layout else part
            for path, value in _flatten(properties).items():
                if not _same(_lookup(held, path), value):
                    _assign(part, path, value)


def _flatten(tree, prefix=""):
    """{"marker": {"color": c}} -> {"marker.color": c}: one value per property path."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _lookup(held, path):
    """The value at "marker.color" of a plotly object or of its JSON; None where there is none.

    Items of a list (annotations) come back as their JSON.
    """
    for key in path.split("."):
        if isinstance(held, dict):
            held = held.get(key)
        elif held is not None and not isinstance(held, (list, tuple, np.ndarray)):
            held = held[key]
        else:
            return None
    if isinstance(held, tuple) and held and hasattr(held[0], "to_plotly_json"):
        return [item.to_plotly_json() for item in held]
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
