"""What the small lesson apps share: controls, the builder's figure live, and a status line.

Each lesson app wraps the figure its lesson's builder draws (`gdviz.figures`)
in ONE FigureWidget. When a control changes, the app computes the new result
with `gdviz.experiments` or `gdviz.run`, asks the same builder for the new
picture, and copies it into the live figure by role (`redraw`), in one
`batch_update`: the picture in the app is the builder's picture, with no
second copy of the drawing code. Callbacks run inside `guarded`, so an
exception shows in the status line in red instead of vanishing (JupyterLab
drops exceptions raised in widget callbacks). The status line is a live
region, announced by a screen reader when it changes, and each app says in
words what its figure shows (`FIGURE`), just above it.
"""

import functools
import html

from ..figures import style
from . import controls as named
from ._base import FigureApp, QuietFigureWidget

# Layout entries a redraw never touches: the theme is set once, and sizes and
# margins belong to the app, not to one result.
_FIXED_LAYOUT = ("template", "height", "width", "margin", "font")


class LessonApp(FigureApp):
    """Controls, one FigureWidget made from a builder's figure, and a status line, stacked."""

    FIGURE = "The figure."  # each app says what its figure shows, in words

    def __init__(self, controls, figure):
        self.figure = QuietFigureWidget(figure)
        self.status = named.Status()
        self.figure_description = named.Status(value=f"<small>{html.escape(self.FIGURE)}</small>", live=False)
        super().__init__([controls, self.figure_description, self.figure, self.status])

    def say(self, text, error=False):
        """Put `text` (HTML, already escaped) in the status line."""
        colour = "#b00020" if error else "inherit"
        self.status.value = f'<div style="color:{colour}">{text}</div>'

    def guarded(self, callback):
        """`callback` wrapped so that any error it raises is shown in the status line."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # shown to the user, who can act on it
                self.say(f"{type(error).__name__}: {html.escape(str(error))}", error=True)
                return None

        return wrapper

    def on_change(self, controls, callback):
        """Call `callback()` (guarded) whenever any of `controls` changes value."""
        guarded = self.guarded(callback)
        for control in controls:
            control.observe(lambda change: guarded(), names="value")

    def redraw(self, fresh):
        """Make the live figure show `fresh`, a figure from the same builder, in one update.

        Traces are matched by role; a role the live figure has and `fresh`
        lacks (an optimizer left out of a race) is emptied. Only values that
        differ from what the page holds travel.
        """
        fresh_traces = {style.role_of(trace): trace for trace in fresh.data}
        with self.figure.batch_update():
            for trace in self.figure.data:
                new = fresh_traces.get(style.role_of(trace))
                if new is None:
                    trace.update(x=[], y=[])
                    continue
                properties = new.to_plotly_json()
                for key in ("type", "uid", "meta"):
                    properties.pop(key, None)
                trace.update(properties)
            layout = fresh.layout.to_plotly_json()
            for key in _FIXED_LAYOUT:
                layout.pop(key, None)
            self.figure.layout.update(layout)
