"""The learning rate on a quadratic (06): the four regimes, and a sweep of alpha."""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes, optimizers, theory
from ..run import run
from ._mapping import MappingResult

__all__ = ["RegimeWalks", "Sweep", "alpha_regimes", "alpha_sweep", "default_alphas", "regime_walks", "walk"]


def walk(landscape, optimizer, start, alpha, max_steps, **hyperparameters):
    """One walk of `optimizer` (a name from `optimizers.names()`) run to `max_steps`."""
    steps = optimizers.get(optimizer)(landscape, start, alpha, **hyperparameters)
    return run(steps, max_steps=max_steps)


def alpha_regimes(landscape="bowl"):
    """Four rates showing the four behaviours on a quadratic landscape: `theory.regime_rates` of its L."""
    landscape = landscapes.get(landscape)
    return theory.regime_rates(theory.quadratic_curvature(landscape))


@dataclass(frozen=True, eq=False)
class RegimeWalks(MappingResult):
    """Plain descent from one start at several rates: a mapping {label: (alpha, Trajectory)}.

    `walks` is that dict; the landscape, start and step budget are those of every walk.
    """

    ITEMS = "walks"
    landscape: object
    start: np.ndarray
    max_steps: int
    walks: dict


def regime_walks(landscape="bowl", alphas=None, start=None, max_steps=30):
    """Plain descent at each rate, as `RegimeWalks` {label: (alpha, Trajectory)}; default `alpha_regimes`."""
    landscape = landscapes.get(landscape)
    alphas = alpha_regimes(landscape) if alphas is None else dict(alphas)
    start = landscape.start if start is None else _checks.point("start", start)
    max_steps = _checks.count("max_steps", max_steps, minimum=1)
    walks = {label: (float(alpha), walk(landscape, "gradient_descent", start, _checks.positive(label, alpha),
                                        max_steps))
             for label, alpha in alphas.items()}
    return RegimeWalks(landscape, start, max_steps, walks)


def default_alphas(landscape):
    """41 rates, evenly spaced in log: 0.01/L to 3/L on a quadratic, else 1e-4 to 1."""
    high = landscape.max_curvature
    if high is None:
        return np.geomspace(1e-4, 1.0, 41)
    return np.geomspace(0.01 / high, 3.0 / high, 41)


@dataclass(frozen=True)
class Sweep:
    """Plain descent at many rates: one entry per alpha, in the order swept.

    A diverged walk's final loss is the last finite one, read where Chad left
    the map. `max_curvature` is L on a quadratic, else None.
    """

    landscape: object
    start: np.ndarray
    alpha: np.ndarray
    final_loss: np.ndarray
    steps: np.ndarray  # updates made
    diverged: np.ndarray  # bool
    max_steps: int
    max_curvature: float | None


def alpha_sweep(landscape="bowl", alphas=None, start=None, max_steps=50):
    """Final loss after `max_steps` of plain descent for each learning rate, as a `Sweep`."""
    landscape = landscapes.get(landscape)
    alphas = default_alphas(landscape) if alphas is None else _checks.array("alphas", alphas, 0.0,
                                                                            flat=True)
    start = landscape.start if start is None else _checks.point("start", start)
    walks = [walk(landscape, "gradient_descent", start, float(alpha), max_steps) for alpha in alphas]
    return Sweep(landscape, start, alphas,
                 final_loss=np.array([trajectory.loss[-1] for trajectory in walks]),
                 steps=np.array([trajectory.n_updates for trajectory in walks]),
                 diverged=np.array([trajectory.stop_reason == "diverged" for trajectory in walks]),
                 max_steps=max_steps, max_curvature=landscape.max_curvature)
