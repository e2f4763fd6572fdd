"""Figure builders: pure functions that draw results handed to them and return a `go.Figure`.

They never display anything and never import ipywidgets; the apps wrap them.
The numbers they draw come from `gdviz.experiments`: a builder takes an
experiment's result, which carries its landscape and settings, as its first
argument and never runs an experiment, a walk or an optimizer itself (meshing
a landscape to draw it is drawing). Every trace is made by role from one style
table (`figures.style`) in one palette (`figures.theme`).
One module per group of lessons; the explorer's picture lives in `explorer`.
"""

from .classifier import *  # noqa: F403
from .explorer import *  # noqa: F403
from .gradients import *  # noqa: F403
from .learning_rate import *  # noqa: F403
from .maps import *  # noqa: F403
from .minibatches import *  # noqa: F403
from .momentum import *  # noqa: F403
from .probing import *  # noqa: F403
from .race import *  # noqa: F403
from .training import *  # noqa: F403
from .walks import *  # noqa: F403
