"""The lessons' computations, numpy only: every number a notebook prints or a figure draws.

Each function runs the core package (landscapes, optimizers, `gdviz.run`) and
returns a plain result: a frozen dataclass that carries the landscape (or the
data) and the settings it was made with, so that a figure needs the result
alone; a result that is a dict of runs or curves reads as that dict
(`result[label]`, `result.items()`). Small measures are plain numbers, arrays
or tuples. The figure builders in `gdviz.figures` only draw what these return,
and the notebooks' prose is tested against the same calls, so a printed number
and a drawn one cannot differ. One module per lesson, named as the lesson is
in every layer (`figures`, `exercises`, `apps`):

- `scoring`: a linear model's losses; guessing against following the slope (01);
- `slices`: slices of a landscape (02);
- `probing`: Chad's probed slope and its error, the gradient field (03);
- `curvature`: the Hessian, the curvature along a direction, its eigen-directions (05);
- `learning_rate`: regimes and sweeps of alpha (06);
- `smoothness`: the descent lemma, convex and strongly convex rates, step-size sums (07);
- `training`: the post's training loop and feature scaling (08);
- `minibatches`: SGD against full-batch descent, the noise of its batches and its noise floor, and
  learning-rate schedules (09);
- `race`: optimizers from 16 starts, each tuned and nudged (10), and momentum's long-run gain;
- `momentum`: why momentum works, on a quadratic (11);
- `second_order`: Newton's step, its damping, a backtracking line search, what a step costs (12);
- `neural_landscape`: a small network's loss through random and principal slices, its training
  path, and what width, activation and batch size change (13).

Shared by them: `_tuning`, the one search for the best settings,
`_many_starts`, scoring a setting from many starts at once and nudging it,
`_sgd_batches`, many SGD walks at once on a classifier's landscape, and
`_mapping`, the base of results that read as a dict.
"""

from ._tuning import *  # noqa: F403
from .curvature import *  # noqa: F403
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
from .training import *  # noqa: F403
