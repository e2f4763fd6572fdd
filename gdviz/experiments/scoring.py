"""Scoring with W and b (01): a two-class linear model s = w·x + b on two features, its losses and
accuracy on data; and guessing against following the slope: random search, random local search and
gradient descent, each paying for its evaluations of the loss.

The model's decision line w·x + b = 0, which the figures draw, is `linear.decision_line`.
"""

from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes, linear, optimizers
from ..run import run
from ._mapping import MappingResult
from ._tuning import RACE_ALPHAS, best_walk

__all__ = ["Scoring", "SearchCurves", "objective_of", "random_search", "scoring_summary",
           "search_vs_gradient", "start_of"]


@dataclass(frozen=True, eq=False)
class Scoring(MappingResult):
    """A model (w, b) scored on data (X, y): a mapping {"svm", "cross_entropy", "accuracy": value}.

    `measures` is that dict; X, y, w and b are the data and the model it was measured on.
    """

    ITEMS = "measures"
    X: np.ndarray
    y: np.ndarray
    w: np.ndarray
    b: float
    measures: dict


def scoring_summary(X, y, w, b):
    """The model's mean losses and accuracy on data (X, y), labels in {0, 1}, as a `Scoring`.

    "svm" is the mean binary hinge loss max(0, 1 - t s) with t = 2y - 1;
    "cross_entropy" the mean log loss of sigmoid(s); both from `gdviz.linear`.
    """
    X, y, w = np.asarray(X, dtype=float), np.asarray(y), np.asarray(w, dtype=float)
    measures = {"svm": float(linear.binary_hinge_loss(X, y, w, b).value),
                "cross_entropy": float(linear.log_loss(X, y, w, b).value),
                "accuracy": linear.accuracy(y, linear.predict(X, w, b))}
    return Scoring(X, y, w, float(b), measures)


def objective_of(objective):
    """A catalogue landscape by name, or any landscape-like object (loss(w), grad(w), n_params)."""
    if callable(objective) and callable(getattr(objective, "grad", None)):
        return objective
    return landscapes.get(objective)


def _search_box(objective, scale):
    """Where random search draws: the landscape's domain, else [-scale, scale] for every parameter."""
    domain = getattr(objective, "domain", None)
    if domain is not None:
        low, high = np.array(domain, dtype=float).T
        return low, high
    n_params = getattr(objective, "n_params", 2)
    return np.full(n_params, -scale), np.full(n_params, scale)


def start_of(objective):
    """Where a search starts: the landscape's start, else all parameters zero."""
    start = getattr(objective, "start", None)
    return np.zeros(getattr(objective, "n_params", 2)) if start is None else np.asarray(start, dtype=float)


def random_search(objective, budget=200, seed=0, method="global", step_size=None, start=None, scale=1.0):
    """Search without a gradient; the best loss found after each evaluation of the loss.

    "global": every evaluation is at a fresh point drawn uniformly from the
    landscape's domain (or from [-scale, scale] in every parameter for an
    objective without one, such as `linear.LinearModelLoss`).
    "local": from the best point so far (first `start`, by default the
    landscape's start or all zeros), try a step of length `step_size` in a
    random direction and keep it if the loss is lower; the default step is a
    tenth of the search box's width. Returns (best_w, best_loss_curve), one
    entry per evaluation, `budget` in all.
    """
    objective = objective_of(objective)
    budget = _checks.count("budget", budget, minimum=1)
    seed = _checks.count("seed", seed)
    _checks.choice("method", method, ("global", "local"))
    scale = _checks.positive("scale", scale)
    low, high = _search_box(objective, scale)
    step_size = 0.1 * float(np.mean(high - low)) if step_size is None else _checks.positive(
        "step_size", step_size)
    rng = np.random.default_rng(seed)
    if method == "global":
        points = rng.uniform(low, high, size=(budget, len(low)))
        losses = np.array([float(objective(point)) for point in points])
        return points[int(np.argmin(losses))], np.minimum.accumulate(losses)
    best_w = start_of(objective) if start is None else np.asarray(start, dtype=float)
    best_loss = float(objective(best_w))
    curve = [best_loss]
    for _ in range(budget - 1):
        direction = rng.standard_normal(len(best_w))
        trial = best_w + step_size * direction / np.linalg.norm(direction)
        loss = float(objective(trial))
        if loss < best_loss:
            best_w, best_loss = trial, loss
        curve.append(best_loss)
    return best_w, np.array(curve)


@dataclass(frozen=True, eq=False)
class SearchCurves(MappingResult):
    """Three searches of one objective: a mapping {label: best loss after each evaluation, (budget,)}.

    landscape : the objective searched (a Landscape, or a landscape-like objective such as
        `linear.LinearModelLoss`); start : where the local search and descent began.
    alpha : the rate descent used (tuned on `RACE_ALPHAS` when none was given).
    `curves` is the dict; the other fields are the settings of `search_vs_gradient`.
    """

    ITEMS = "curves"
    landscape: object
    start: np.ndarray
    budget: int
    alpha: float
    seed: int
    scale: float
    gradient: str
    curves: dict

    @property
    def name(self):
        """The objective's name, else its type's."""
        return getattr(self.landscape, "name", type(self.landscape).__name__)


def search_vs_gradient(objective="bowl", budget=1000, alpha=None, seed=0, scale=1.0, gradient="analytic"):
    """Best loss against evaluations for random search, random local search and gradient descent.

    Everyone pays for evaluations of the loss. A random-search guess costs one.
    A step of descent with the analytic gradient is charged two (the loss and
    its gradient, about what backpropagation costs); with `gradient="numeric"`
    it pays Chad's price, 1 + 2n readings for n parameters. Without `alpha`,
    descent gets its best rate for this budget on the grid `RACE_ALPHAS`.
    Returns `SearchCurves`, {label: best-loss curve of length `budget`}.
    """
    objective = objective_of(objective)
    budget = _checks.count("budget", budget, minimum=1)
    _checks.choice("gradient", gradient, ("analytic", "numeric"))
    start = start_of(objective)
    cost = 2 if gradient == "analytic" else 1 + 2 * len(start)
    updates = budget // cost - 1
    if updates < 1:
        raise ValueError(f"budget must pay for at least two steps of descent ({2 * cost} evaluations "
                         f"here), got {budget}")

    def descend(alpha):
        return run(optimizers.gradient_descent(objective, start, alpha, gradient=gradient), max_steps=updates)

    if alpha is None:
        alpha, walk = best_walk(descend, RACE_ALPHAS)
    else:
        alpha = _checks.positive("alpha", alpha)
        walk = descend(alpha)
    # Each step's evaluations all know the loss at the point it started from.
    descent = np.repeat(np.minimum.accumulate(walk.loss), cost)
    descent = np.concatenate([descent, np.full(max(budget - len(descent), 0), descent[-1])])[:budget]
    label = "gradient descent" + (" (numeric gradient)" if gradient == "numeric" else "")
    curves = {"random search": random_search(objective, budget, seed, "global", scale=scale)[1],
              "random local search": random_search(objective, budget, seed, "local", scale=scale)[1],
              label: descent}
    return SearchCurves(objective, start, budget, float(alpha), seed, scale, gradient, curves)
