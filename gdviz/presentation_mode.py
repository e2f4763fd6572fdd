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

The page comes along: figures and apps size their own text, but a notebook's prose,
tables and printed output are styled by the page (JupyterLab's or Voila's), which
an environment variable never reaches. So when the mode turns on inside a
Jupyter kernel (by the call, or by the variable, which `import gdviz` reads
when it is plainly on) it displays
`PAGE_STYLE`, a style sheet that sets them at `PROSE_PX`, as an output of the
running cell; turning the mode off empties that output again.

This module imports only the standard library (IPython's display, when a kernel
is running, is looked up then): the figures (plotly) and the
apps (ipywidgets) both read the switch here, and neither pulls in the other.
The apps size their widgets' text with the same constants. The module's name
differs from the switch's, so importing it never rebinds `gdviz.presentation`.
"""

import os
import sys

__all__ = ["ENVIRONMENT_VARIABLE", "FONT_PX", "MIN_FONT_PX", "PAGE_STYLE", "PROSE_PX", "TITLE_FONT_PX",
           "PresentationMode", "presentation"]

ENVIRONMENT_VARIABLE = "GDVIZ_PRESENTATION"
FONT_PX = 20        # body text: axis ticks and titles, legends, annotations, hover labels
MIN_FONT_PX = 18    # no text is drawn smaller than this
TITLE_FONT_PX = 26  # a figure's own title
PROSE_PX = 20       # the page's own text: prose, tables, code and printed output

# JupyterLab and Voila (whose pages are JupyterLab's) size rendered markdown from
# --jp-content-font-size1 and code and printed output from --jp-code-font-size; set on the
# body, they reach every cell. Markdown tables, inline code and the output prompt set a
# smaller size of their own, so they are named too. Headings scale up from the prose.
PAGE_STYLE = f"""<style id="gdviz-presentation-style">
body {{ --jp-content-font-size1: {PROSE_PX}px; --jp-code-font-size: {PROSE_PX}px;
        --jp-content-line-height: 1.5; }}
.jp-RenderedHTMLCommon, .jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon code,
.jp-RenderedHTMLCommon pre, .jp-RenderedText pre, .jp-OutputArea-output pre {{ font-size: {PROSE_PX}px; }}
.jp-RenderedHTMLCommon table {{ max-width: 100%; }}
</style>"""
_STYLE_OUTPUT = "gdviz-presentation-style"  # the display id of that output, so it can be emptied

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
    (`FONT_PX`, `MIN_FONT_PX`, `TITLE_FONT_PX`, and the page's `PROSE_PX` and
    `PAGE_STYLE`), as is `ENVIRONMENT_VARIABLE`.
    """

    ENVIRONMENT_VARIABLE = ENVIRONMENT_VARIABLE
    FONT_PX, MIN_FONT_PX, TITLE_FONT_PX = FONT_PX, MIN_FONT_PX, TITLE_FONT_PX
    PROSE_PX, PAGE_STYLE = PROSE_PX, PAGE_STYLE

    def __init__(self):
        self._on = None  # not yet read from the environment

    def __call__(self, on=True):
        """Turn presentation mode on (`on=True`) or off (`on=False`) for every figure built afterwards.

        In a Jupyter kernel, turning it on also shows `PAGE_STYLE` (the page's prose at
        `PROSE_PX`) as this cell's output, and turning it off empties every such output.
        """
        if not isinstance(on, bool):
            raise TypeError(f"on must be True or False; got {on!r} of type {type(on).__name__}")
        self._on = on
        _show_page_style(on)

    switch = __call__

    def is_on(self):
        """True while presentation mode is on: what figures and apps read before they draw."""
        if self._on is None:
            self._on = _from_environment(os.environ)
            if self._on:
                _show_page_style(True)
        return self._on

    def __repr__(self):
        return f"<gdviz presentation mode: {'on' if self.is_on() else 'off'}>"


def _show_page_style(on):
    """In a Jupyter kernel, show `PAGE_STYLE` (on) or empty the outputs that show it (off).

    Outside a kernel (a script, a test, plain IPython in a terminal) there is no page: nothing
    is shown. An update with the same display id reaches every earlier output of the style.
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if getattr(shell, "kernel", None) is None:
        return
    from IPython.display import HTML, display, update_display

    if on:
        display(HTML(PAGE_STYLE), display_id=_STYLE_OUTPUT)
    else:
        update_display(HTML(""), display_id=_STYLE_OUTPUT)


presentation = PresentationMode()


def read_environment_if_on():
    """Read the variable now if it plainly turns the mode on, so the page's style comes with the
    first cell that imports gdviz (a notebook that draws nothing gets large prose too). Any other
    value waits to be read, and named if bad, when the mode is first asked for."""
    if os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower() in _ON:
        presentation.is_on()
