"""Save and share a view of the Explorer: its state, rebuilt from a state, a preset, or a page's address.

`Sharing` is the part of `Explorer` that turns the app into a state and back
(the state itself, its line to paste and its query string are `explorer_state`):

    >>> state = app.state()                 # {"landscape": "ravine", "optimizer": ..., "step": 12}
    >>> Explorer.from_state(state)          # the same view, walk for walk
    >>> Explorer.preset("zigzag")           # a lesson's view by name (`explorer_state.PRESETS`)
    >>> Explorer.from_link()                # in Voila: the view the page's address asks for

and the share button, which shows the one line to paste into a cell and, in
Voila, the link that opens this view for a whole class.
"""

import os

import ipywidgets as widgets

from .. import _checks
from . import explorer_state
from ._base import error_html

__all__ = ["Sharing"]

SHARE, HIDE = "share this view", "hide the shared view"


class Sharing:
    """A view as a state and back; mixed into `Explorer`."""

    @staticmethod
    def share_control():
        """The share button: named by its words, which say what a press does ("share this view").

        No icon: Font Awesome's glyph would join the name a screen reader reads.
        """
        return widgets.Button(description=SHARE,
                              tooltip="the line to paste, or the link, that opens this view")

    def state(self):
        """Every setting of this view as a JSON-safe dict (see `explorer_state`).

        The landscape is its description (`explorer_state.describe_landscape`);
        one that cannot be described, such as a hand-built `Landscape`, is a
        ValueError naming it and what can be described.
        """
        state = {"landscape": explorer_state.describe_landscape(self._landscape), **self.walk_settings(),
                 "step": int(self.step.value)}
        if self._loss_below is not None:
            state["loss_below"] = self._loss_below
        if self.pinned is not None:
            state["pinned"] = self.pinned[1]
        return state

    @classmethod
    def from_state(cls, state):
        """The Explorer `state` describes (from `app.state()`, a preset or a link), walk for walk.

        Keys left out take the Explorer's defaults; unknown keys and bad values are refused,
        each error naming the setting, its value and what is allowed.
        """
        state = explorer_state.checked(state)
        landscape = explorer_state.landscape_from(state.get("landscape", "bowl"))
        given = {key: state[key] for key in ("optimizer", "alpha", "start", "max_steps", "loss_below")
                 if key in state}
        app = cls(landscape, **given, **state.get("hyperparameters", {}))
        app._exactly(state.get("alpha"), state.get("start"))
        if state.get("pinned") is not None:
            app.pin(state["pinned"])
        if state.get("step") is not None:
            step, last = _checks.count("step", state["step"]), len(app.trajectory) - 1
            if step > last:
                raise ValueError(f"step must be between 0 and {last} for this walk, got {step}")
            app.step.value = step
        return app

    def _exactly(self, alpha, start):
        """Alpha and start as a state gives them, where the constructor put them on the sliders' grid:
        a state saved after code set a slider off its grid still gives the same walk. (The page shows
        such a value as it is; only a student's move snaps it.)"""
        wanted = [(self.alpha, alpha), *zip((self.start_x, self.start_y), start or (None, None), strict=True)]
        off = [(slider, value) for slider, value in wanted if value is not None and value != slider.value]
        if off:
            with self.quietly():
                for slider, value in off:
                    slider.value = value
            self._redraw_walk()

    @classmethod
    def preset(cls, name):
        """A lesson's view by its name, one of `explorer_state.PRESETS` ("zigzag", "momentum", ...)."""
        return cls.from_state(explorer_state.preset_state(name))

    @classmethod
    def from_link(cls, query=None):
        """The view a page's address asks for (`explorer_state.state_from_query`); else the default one.

        `query` defaults to the QUERY_STRING that Voila hands the kernel (empty
        elsewhere). A link that cannot be used never shows a traceback: the
        default Explorer opens, its status line saying what was wrong. The share
        button of an Explorer made here shows, in Voila, a link to its own page.
        """
        query = os.environ.get("QUERY_STRING", "") if query is None else query
        try:
            app = cls.from_state(explorer_state.state_from_query(query))
        except Exception as error:  # the page still gets an Explorer, and the reason in words
            app = cls()
            app.status.value = error_html(error).replace("Error:", "Error: this page's address asks for a "
                                                         "view that cannot be shown:", 1)
            app.error = error
        app._from_link = True
        return app

    def _on_share(self):
        self._sharing = not self._sharing
        self.share_button.description = HIDE if self._sharing else SHARE
        self._show_shared()

    def _show_shared(self):
        """While shown, the line (and link) follow the view; a view that cannot be described says why."""
        if not self._sharing:
            self.shared.value = ""
            return
        try:
            self.shared.value = explorer_state.share_html(
                self.state(), explorer_state.link_target(self._from_link))
        except (TypeError, ValueError) as error:
            self.shared.value = error_html(error)
