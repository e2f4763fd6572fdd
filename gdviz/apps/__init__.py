"""Slider apps: ipywidgets controls around a single plotly FigureWidget each.

One module per lesson that has an app, named as the lesson is in every layer; `explorer` (with
`explorer_controls`) is the Explorer of several lessons, and `_base`, `_lesson`, `controls`,
`_plotly_compat` and `_words` are what the apps share.
"""

from .curvature import *  # noqa: F403
from .explorer import *  # noqa: F403
from .learning_rate import *  # noqa: F403
from .minibatches import *  # noqa: F403
from .momentum import *  # noqa: F403
from .race import *  # noqa: F403
from .scoring import *  # noqa: F403
from .smoothness import *  # noqa: F403
from .stopping import *  # noqa: F403
from .training import *  # noqa: F403
