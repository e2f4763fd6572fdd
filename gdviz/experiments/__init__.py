"""The lessons' computations, numpy only: every number a notebook prints or a figure draws.

Each function runs the core package (landscapes, optimizers, `gdviz.run`) and
returns plain results: arrays, dicts and dataclasses. The figure builders in
`gdviz.figures` only draw what these return, and the notebooks' prose is
tested against the same calls, so a printed number and a drawn one cannot
differ. One module per group of lessons:

- `search`: guessing against following the slope (01);
- `sensing`: slices of a landscape (02), Chad's probed slope and its error (03);
- `learning_rate`: regimes and sweeps of alpha (05);
- `scoring`: a two-class linear model's losses and decision line (01, 06);
- `minibatches`: SGD against full-batch descent (07);
- `race`: optimizers from one start (08), and momentum's long-run gain.
"""

from .learning_rate import Sweep, alpha_regimes, alpha_sweep, default_alphas, regime_walks
from .minibatches import sgd_runs
from .race import RACE_ALPHAS, RACE_OPTIMIZERS, best_walk, momentum_gain, race, walk
from .scoring import decision_line, normal_arrow, scoring_summary
from .search import random_search, search_vs_gradient
from .sensing import Probing, probe_errors, probing, slice_curvature, slices

__all__ = [
    "Probing", "RACE_ALPHAS", "Sweep", "RACE_OPTIMIZERS", "alpha_regimes", "alpha_sweep", "best_walk",
    "decision_line", "default_alphas", "momentum_gain", "normal_arrow", "probe_errors", "probing", "race",
    "random_search", "regime_walks", "scoring_summary", "search_vs_gradient", "sgd_runs", "slice_curvature",
    "slices", "walk",
]
