"""What every gdviz app shares: a VBox whose figure is one plotly FigureWidget."""

from copy import deepcopy

import ipywidgets as widgets


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
