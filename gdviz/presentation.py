"""Presentation mode: figures that read from the back of a lecture hall on a 1024 px projector.

One switch for the whole course. While it is on, every figure that
`gdviz.figures` builds draws its text at `MIN_FONT_PX` or more (body text
`FONT_PX`, figure titles `TITLE_FONT_PX`), black on white with darker grid
and axis lines, and takes the width of its container instead of a fixed one.
Figures built before the switch keep the look they were built with.

    >>> import gdviz
    >>> gdviz.presentation()            # on, for every figure built from now on
    >>> gdviz.presentation.is_on()
    True
    >>> gdviz.presentation(on=False)    # back to the notebook look

With `GDVIZ_PRESENTATION=1` in the environment the mode starts on, so
`GDVIZ_PRESENTATION=1 voila notebooks/explorer.ipynb` is a lecture view with
no code changed. Off by default.

This module imports only the standard library: the figures (plotly) and the
apps (ipywidgets) both read the switch here, and neither pulls in the other.
The apps size their widgets' text with the same constants.

The module itself is callable. Python binds a submodule to its package's
attribute of the same name when it is first imported, so a function named
`gdviz.presentation` beside a module of that name would be swapped for the
module; calling the module (`switch` does the work) avoids the clash.
"""

import os
import sys
import types

__all__ = ["ENVIRONMENT_VARIABLE", "FONT_PX", "MIN_FONT_PX", "TITLE_FONT_PX", "is_on", "switch"]

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


_state = {"on": _from_environment(os.environ)}


def switch(on=True):
    """Turn presentation mode on (`on=True`) or off (`on=False`) for every figure built afterwards."""
    if not isinstance(on, bool):
        raise TypeError(f"on must be True or False; got {on!r} of type {type(on).__name__}")
    _state["on"] = on


def is_on():
    """True while presentation mode is on: what figures and apps read before they draw."""
    return _state["on"]


class _CallableModule(types.ModuleType):
    """This module's type: `gdviz.presentation(on)` is `gdviz.presentation.switch(on)`."""

    def __call__(self, on=True):
        switch(on)


sys.modules[__name__].__class__ = _CallableModule
