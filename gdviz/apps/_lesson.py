"""What the small lesson apps share: controls, the builder's figure live, and a status line.

Each lesson app wraps the figure its lesson's builder draws (`gdviz.figures`)
in ONE FigureWidget, made in its turn once a page shows the app, or when it is
first used (drawn still till then; see `_pacer`).
A lesson app is three steps, each a method: `_compute`
the result with `gdviz.experiments` or `gdviz.run`, draw its `_picture` with
the builder, `_report` it in words. On construction it computes once and
builds its figure from that result; when a control changes, `update` runs
the three again and `_base.update_figure` copies the new picture into the
live figure by role, in one Plotly.update: the picture in the app is the
builder's picture, with no second copy of the drawing code. Callbacks run
inside `guarded` (`_base.FigureApp`), so an exception shows in the status
line in red instead of vanishing. The status line is a live region,
announced by a screen reader when it changes, and each app says in words
what its figure shows (`FIGURE`), just above it.
"""

import html

import plotly.graph_objects as go

from . import _pacer
from . import controls as named
from ._base import FigureApp, update_figure


class LessonApp(FigureApp):
    """Controls, one FigureWidget made from a builder's figure, and a status line, stacked.

    A subclass makes its controls and its first result (`self._compute()`,
    unless it starts with none), then calls `LessonApp.__init__`, which
    draws that result and reports it.
    """

    FIGURE = "The figure."  # each app says what its figure shows, in words

    def __init__(self, controls):
        self.status = named.Status()
        self.figure_description = named.Status(value=f"<small>{html.escape(self.FIGURE)}</small>", live=False)
        # Drawn still, made live in its turn once the page shows it or on first use (`_pacer`): a
        # page of several apps then loads one FigureWidget at a time.
        still = self._still_figure(self._picture())
        super().__init__([controls, self.figure_description, still, self.status])
        self._paced()
        self._report()

    def update(self):
        """Compute anew with the controls' values, redraw the figure, and say what it shows."""
        self._compute()
        picture = self._picture()
        if self.is_still:
            # Not live yet: the still picture shows the change (the page's plotly redraws it, no
            # module to load) and the app goes next in `_pacer`'s line. Its live figure is made
            # from this picture, which keeps the first picture's traces, matched by role.
            first, holder = self._still
            shown = go.Figure(first)
            update_figure(shown, picture)
            self._show_still(shown, holder)
            _pacer.wanted(self)
        else:
            update_figure(self.figure, picture)
        self._report()

    def _compute(self):
        """Compute the lesson's result from the controls' values and keep it."""
        raise NotImplementedError

    def _picture(self):
        """The builder's figure of the current result."""
        raise NotImplementedError

    def _report(self):
        """Say what the current result shows, in the status line."""
        raise NotImplementedError
