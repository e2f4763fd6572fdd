"""What every gdviz app shares: a VBox whose figure is one plotly FigureWidget."""

from copy import deepcopy

import ipywidgets as widgets
import plotly.graph_objects as go
from plotly.serializers import custom_serializers
from traitlets import Dict


def _not_echoed():
    return Dict(allow_none=True).tag(sync=True, echo_update=False, **custom_serializers)


class QuietFigureWidget(go.FigureWidget):
    """A `go.FigureWidget` whose page reports are not echoed back to the page.

    After each update the page reports what plotly.js computed (the traces'
    defaults, the new axis ranges) to the kernel, and ipywidgets 8 echoes every
    such report back to the page, where it only serves a second view of the
    same figure. The echo made each slider move cost about 25 kB more.
    """

    _js2py_traceDeltas = _not_echoed()
    _js2py_layoutDelta = _not_echoed()
    _js2py_restyle = _not_echoed()
    _js2py_relayout = _not_echoed()
    _js2py_update = _not_echoed()
    _js2py_pointsCallback = _not_echoed()


class FigureApp(widgets.VBox):
    """A column of widgets around `self.figure`, a `go.FigureWidget`.

    A FigureWidget refreshes the state a page builds it from (`_widget_data`,
    `_widget_layout`) only when it is displayed itself. Inside a container it
    never is, so a page that connects after the cell ran (Voila, a reloaded
    notebook) would draw the figure as it was built, before any trace was
    added or moved. Showing the app therefore refreshes that state first.
    """

    figure = None  # set by each app before it is shown

    def _repr_mimebundle_(self, **kwargs):
        self.figure._widget_layout = deepcopy(self.figure._layout_obj._props)
        self.figure._widget_data = deepcopy(self.figure._data)
        return super()._repr_mimebundle_(**kwargs)
