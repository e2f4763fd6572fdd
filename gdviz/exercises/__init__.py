"""Checkers for the exercises at the end of each notebook.

Each checker takes the student's answer (a number, a word or a function),
compares it with something gdviz computes independently (the reference
optimizer, the theory of quadratics, a run of the stop conditions) and
returns a `Verdict`: true or false, with a sentence that says what is right
or, when it is wrong, a hint about where to look. A checker never raises on
a wrong answer or on code that crashes: the crash is the verdict.

    >>> check_divergence_threshold(0.2, "ravine")
    ✔ Right: on ravine L = 10, so descent diverges for alpha > 2/L = 0.2.

One module per lesson, named as the lesson is in every layer; every checker is
importable from here. `_verdict` holds what they share.
"""

from ._verdict import Verdict  # noqa: F401
from .curvature import *  # noqa: F403
from .learning_rate import *  # noqa: F403
from .minibatches import *  # noqa: F403
from .momentum import *  # noqa: F403
from .probing import *  # noqa: F403
from .race import *  # noqa: F403
from .scoring import *  # noqa: F403
from .second_order import *  # noqa: F403
from .slices import *  # noqa: F403
from .smoothness import *  # noqa: F403
from .stopping import *  # noqa: F403
from .training import *  # noqa: F403
