"""The one place where gdviz reaches past plotly's public API, and why.

Everywhere else the apps use public API only: `figure.batch_update()`, trace
and layout properties, ipywidgets traits. Two jobs have no public API; each
workaround below names the upstream behaviour it works around and is guarded
by a browser test that fails when it stops working. When plotly or
ipywidgets change, this file is the one to read.
"""

import plotly.graph_objects as go
from plotly.serializers import custom_serializers
from traitlets import Dict

from .. import presentation

# An app's figure on a projector: plotly.js draws a FigureWidget before its box has a width and
# falls back to 700 px, which squeezes a projector's larger text into collisions; this fits a
# 1024 px window, in Voila and in JupyterLab beside its prompts and side bar.
PRESENTATION_WIDTH_PX = 820

__all__ = ["QuietFigureWidget", "refresh_saved_state", "when_drawn"]


def refresh_saved_state(figure):
    """Copy the figure as it is now into the widget state a late page builds it from.

    Upstream behaviour: a `FigureWidget` sends its traces and layout to the
    page once, as widget state, and every later change as a Plotly.update
    message. Since plotly/plotly.py#4956 (the fix of plotly/plotly.py#4933)
    that state is refreshed from the live figure only in the FigureWidget's
    own `_repr_mimebundle_`, which IPython calls when the figure itself is
    shown. Inside a VBox it never is, so a page that connects after the cell
    ran (Voila, a reloaded notebook) draws the figure as it was built and
    misses every change made before it connected (the same behaviour as
    quarto-dev/quarto-cli#6663; marimo-team/marimo#8430 works around it the
    same way). Calling that display hook ourselves runs plotly's own refresh,
    without naming the private traits it writes.

    Guarded by tests/browser/test_explorer_in_voila.py::
    test_voila_draws_changes_made_before_the_page_connected.
    """
    figure._repr_mimebundle_()


def when_drawn(figure, callback):
    """Call `callback()` once, when a page reports that it has drawn `figure`.

    Upstream behaviour: once plotly.js has drawn a FigureWidget in a page
    (its view's first `newPlot`), plotly's page module reports the traces'
    full defaults to the kernel through the `_js2py_traceDeltas` trait. That
    first report is the only sign a kernel gets that the page has loaded the
    5 MB module and drawn the figure: the public callbacks (`on_change`,
    `on_click`) fire on later edits and clicks, never on the first draw.
    `_pacer` waits for it before it lets the page load the next module.

    Guarded by tests/browser/test_slow_machine.py (a page's still apps all go
    live, one after another, with no error from anywidget) and by
    tests/test_pacer.py, which fails if plotly renames the trait.
    """
    reported = []

    def first(change):
        # plotly's own handler sets the trait back to None inside this change, so the first
        # report arrives here twice (None, then the report): act once.
        if not reported:
            reported.append(change)
            figure.unobserve(first, names="_js2py_traceDeltas")
            callback()

    figure.observe(first, names="_js2py_traceDeltas")


def _not_echoed():
    return Dict(allow_none=True).tag(sync=True, echo_update=False, **custom_serializers)


class QuietFigureWidget(go.FigureWidget):
    """A `go.FigureWidget` whose page reports are not echoed back to the page.

    Upstream behaviour: after each update plotly.js reports what it computed
    (the touched traces' full defaults, the new axis ranges) to the kernel
    through the `_js2py_*` traits, and ipywidgets 8 sends every state report
    back to the page it came from as an `echo_update` message
    (jupyter-widgets/ipywidgets#3394), for the sake of other views of the same
    widget. Plotly's page does not act on them (its model listens to changes of
    `_py2js_*`, `_widget_data` and `_widget_layout` only): they only cost bandwidth.
    ipywidgets' own opt-out is the trait metadata `echo_update=False`, which
    only the class that declares a trait can set, so the traits are declared
    again here with it; there is no public switch per widget (the environment
    variable JUPYTER_WIDGETS_ECHO would turn echoes off for every widget of the
    kernel, including the sliders whose echoes keep several views in step).

    Measured in JupyterLab with the Explorer (tests/browser/test_explorer_in_lab.py
    reports the kernel websocket bytes a key press brings to the page): an alpha
    key press 15.1 kB with this class, 31.1 kB without; a step key press 10.2 kB
    against 26.2 kB. Half of what a student's key press costs is echo, so the
    override stays. Guarded in the browser by test_alpha_arrow_key_moves_chad_to_
    the_kernels_point (it counts echoed reports reaching the page) and in the
    kernel by tests/test_apps_display.py, which fails if plotly renames or adds
    report traits or ipywidgets stops honouring the tag.
    """

    _js2py_traceDeltas = _not_echoed()
    _js2py_layoutDelta = _not_echoed()
    _js2py_restyle = _not_echoed()
    _js2py_relayout = _not_echoed()
    _js2py_update = _not_echoed()
    _js2py_pointsCallback = _not_echoed()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        if presentation.is_on() and self.layout.width is None:
            self.layout.width = PRESENTATION_WIDTH_PX
