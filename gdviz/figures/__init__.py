"""Figure builders: pure functions that draw results handed to them and return a `go.Figure`.

They never display anything and never import ipywidgets; the apps wrap them.
The numbers they draw come from `gdviz.experiments`: a builder takes an
experiment's result, which carries its landscape and settings, as its first
argument and never runs an experiment, a walk or an optimizer itself (meshing
a landscape to draw it is drawing). Every trace is made by role from one style
table (`figures.style`) in one palette (`figures.theme`).
One module per lesson, named as the lesson is in every layer (`scoring` 01,
`slices` 02, `probing` 03, `stopping` 04, `curvature` 05, `learning_rate` 06,
`smoothness` 07, `training` 08, `minibatches` 09, `race` 10, `momentum` 11,
`second_order` 12). Shared by them: `walks` (maps of
a landscape and walks on them), `data` (a two-class data set), `style` and
`theme`; the explorer's picture lives in `explorer`, `explorer_data` and `robot`.
"""

from .curvature import *  # noqa: F403
from .data import *  # noqa: F403
from .explorer import *  # noqa: F403
from .learning_rate import *  # noqa: F403
from .minibatches import *  # noqa: F403
from .momentum import *  # noqa: F403
from .neural_landscape import *  # noqa: F403
from .probing import *  # noqa: F403
from .race import *  # noqa: F403
from .scoring import *  # noqa: F403
from .second_order import *  # noqa: F403
from .slices import *  # noqa: F403
from .smoothness import *  # noqa: F403
from .stopping import *  # noqa: F403
from .training import *  # noqa: F403
from .walks import *  # noqa: F403
