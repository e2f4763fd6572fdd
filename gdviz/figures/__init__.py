"""Figure builders: pure functions that return a `plotly.graph_objects.Figure`.

They never display anything and never import ipywidgets; the apps wrap them.
"""

from .classifier import *  # noqa: F403
from .explorer import *  # noqa: F403
from .lessons import *  # noqa: F403
