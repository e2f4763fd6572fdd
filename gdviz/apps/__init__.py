"""Slider apps: ipywidgets controls around a single plotly FigureWidget each."""

from .classifier import *  # noqa: F403
from .explorer import *  # noqa: F403
from .lessons import *  # noqa: F403
