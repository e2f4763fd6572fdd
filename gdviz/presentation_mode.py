"""Presentation mode: figures that read from the back of a lecture hall on a 1024 px projector.

One switch for the whole course, the object `gdviz.presentation`. While it is
on, every figure that `gdviz.figures` builds draws its text at `MIN_FONT_PX` or
more (body text `FONT_PX`, figure titles `TITLE_FONT_PX`), black on white with
darker grid and axis lines, and takes the width of its container instead of a
fixed one. Figures built before the switch keep the look they were built with.

    >>> import gdviz
    >>> gdviz.presentation()            # on, for every figure built from now on
    >>> gdviz.presentation.is_on()
    True
    >>> gdviz.presentation(on=False)    # back to the notebook look

With `GDVIZ_PRESENTATION=1` in the environment the mode starts on, so
`GDVIZ_PRESENTATION=1 voila notebooks/explorer.ipynb` is a lecture view with
no code changed. Off by default. The variable is read when the mode is first
asked for, so a bad value is named then, and `import gdviz` never fails on it.

This module imports only the standard library: the figures (plotly) and the
apps (ipywidgets) both read the switch here, and neither pulls in the other.
The apps size their widgets' text with the same constants. The module's name
differs from the switch's, so importing it never rebinds `gdviz.presentation`.
"""

import os

__all__ = ["ENVIRONMENT_VARIABLE", "FONT_PX", "MIN_FONT_PX", "TITLE_FONT_PX", "PresentationMode",
           "presentation"]

ENVIRONMENT_VARIABLE = "GDVIZ_PRESENTATION"
FONT_PX = 20        # body text: axis ticks and titles, legends, annotations, hover labels
MIN_FONT_PX = 18    # no text is drawn smaller than this
TITLE_FONT_PX = 26  # a figure's own title

_ON, _OFF = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def _from_environment(environment):
    """The mode `environment` (a mapping such as os.environ) asks for: True, False, or an error."""
    given = environment.get(ENVIRONMENT_VARIABLE, "")
    if given.strip().lower() in _ON:
        return True
    if given.strip().lower() in _OFF:
        return False
    raise ValueError(f"the environment variable {ENVIRONMENT_VARIABLE} must be 1 (presentation mode on) "
                     f"or 0 (off), or be unset; got {given!r}")


class PresentationMode:
    """The switch: call it to turn the mode on (`on=True`) or off; `is_on()` reads it.

    The sizes figures and apps draw at in the mode are its attributes too
    (`FONT_PX`, `MIN_FONT_PX`, `TITLE_FONT_PX`), as is `ENVIRONMENT_VARIABLE`.
    """

    ENVIRONMENT_VARIABLE = ENVIRONMENT_VARIABLE
    FONT_PX, MIN_FONT_PX, TITLE_FONT_PX = FONT_PX, MIN_FONT_PX, TITLE_FONT_PX

    def __init__(self):
        self._on = None  # not yet read from the environment

    def __call__(self, on=True):
        """Turn presentation mode on (`on=True`) or off (`on=False`) for every figure built afterwards."""
        if not isinstance(on, bool):
            raise TypeError(f"on must be True or False; got {on!r} of type {type(on).__name__}")
        self._on = on

    switch = __call__

    def is_on(self):
        """True while presentation mode is on: what figures and apps read before they draw."""
        if self._on is None:
            self._on = _from_environment(os.environ)
        return self._on

    def __repr__(self):
        return f"<gdviz presentation mode: {'on' if self.is_on() else 'off'}>"


presentation = PresentationMode()
