"""Optimizers side by side from one start (08), and what momentum gains on a steady slope."""

import math

import numpy as np

from .. import _checks, landscapes, optimizers
from ..landscapes import Landscape
from ..run import run

__all__ = ["RACE_ALPHAS", "RACE_OPTIMIZERS", "best_walk", "momentum_gain", "race", "walk"]

RACE_OPTIMIZERS = ("gradient_descent", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
RACE_ALPHAS = np.geomspace(1e-4, 1.0, 13)


def walk(landscape, optimizer, start, alpha, max_steps, **hyperparameters):
    """One walk of `optimizer` (a name from `optimizers.names()`) run to `max_steps`."""
    steps = optimizers.get(optimizer)(landscape, start, alpha, **hyperparameters)
    return run(steps, max_steps=max_steps)


def best_walk(walk_with, alphas=RACE_ALPHAS):
    """(alpha, walk) with the lowest final loss over `alphas`, among walks that did not diverge.

    `walk_with(alpha)` returns a Trajectory. Ties (two walks both at 0) go to
    the lower mean loss along the way, the faster one. If every rate diverges,
    the gentlest is returned, flying off.
    """
    best = None
    for alpha in map(float, alphas):
        trajectory = walk_with(alpha)
        if trajectory.stop_reason == "diverged":
            continue
        score = (trajectory.loss[-1], trajectory.loss.mean())
        if best is None or score < best[0]:
            best = (score, alpha, trajectory)
    if best is None:
        alpha = float(alphas[0])
        return alpha, walk_with(alpha)
    return best[1], best[2]


def race(landscape, names=RACE_OPTIMIZERS, max_steps=200, start=None, alphas=None):
    """Run several optimizers from one start for the same number of steps.

    Each optimizer uses `alphas[name]` when given; otherwise it gets its best
    learning rate from the grid `RACE_ALPHAS` (1e-4 to 1), judged by
    `best_walk`. Returns {name: (alpha, Trajectory)}, in the order of `names`.
    """
    landscape = landscapes.get(landscape)
    names = list(names)
    for name in names:
        optimizers.get(name)  # raises a ValueError naming the allowed optimizers
    max_steps = _checks.count("max_steps", max_steps, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    alphas = {} if alphas is None else dict(alphas)
    results = {}
    for name in names:
        if name in alphas:
            alpha = _checks.positive(f"alphas[{name!r}]", alphas[name])
            results[name] = (alpha, walk(landscape, name, start, alpha, max_steps))
        else:
            results[name] = best_walk(lambda alpha, name=name: walk(landscape, name, start, alpha, max_steps))
    return results


def _plane():
    """L(w) = w1 + w2: the same slope everywhere, so a step's length shows the optimizer's gain."""
    return Landscape("plane", "w1 + w2", lambda x, y: x + y,
                     lambda x, y: (np.ones_like(x), np.ones_like(y)), ((-1, 1), (-1, 1)))


def momentum_gain(beta):
    """Step length of heavy-ball momentum on a steady slope, over plain descent's, in the long run.

    Measured by running `optimizers.momentum` on a plane until beta^steps is
    below 1e-9; theory says 1 + beta + beta² + ... -> 1 / (1 - beta).
    """
    beta = _checks.fraction("beta", beta)
    steps = 2 if beta == 0 else max(2, math.ceil(math.log(1e-9) / math.log(beta)))
    trajectory = run(optimizers.momentum(_plane(), (0.0, 0.0), 1.0, beta=beta), max_steps=steps,
                     escape_radius=1e300)
    last_step = np.linalg.norm(trajectory.w[-1] - trajectory.w[-2])
    return float(last_step / np.linalg.norm(trajectory.grad[-2]))
