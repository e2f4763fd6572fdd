"""Slider apps: ipywidgets controls around a single plotly FigureWidget each."""

from .alpha_quiz import *  # noqa: F403
from .explorer import *  # noqa: F403
from .momentum import *  # noqa: F403
from .race import *  # noqa: F403
from .scoring import *  # noqa: F403
from .sgd import *  # noqa: F403
from .stop_conditions import *  # noqa: F403
from .training import *  # noqa: F403
