"""The post's training loop in the open, and what feature scaling does to the landscape (08).

The loop itself is written out in notebook 08, a dozen lines of numpy, and
checked there against `classifier.train`; `loop_training` is what the
TrainingLab's sliders run. Feature scaling: the cross-entropy of a one-feature
model s = w x + b over (w, b) has the Hessian

    H(w, b) = mean_i p_i (1 - p_i) [[x_i^2, x_i], [x_i, 1]],    p_i = sigmoid(w x_i + b)

(`log_loss_hessian`). Multiply every x by 10 and the w-w entry grows 100
times while the b-b entry stays: the bowl becomes a ravine, whose condition
number (largest over smallest eigenvalue) measures how stretched it is.
Standardising, z = (x - mean x) / std x, makes mean z = 0 and mean z^2 = 1,
so wherever w = 0 (every p equal) H is a multiple of the identity: a round
bowl. `feature_scaling` measures both landscapes and tunes plain descent on
each.
"""

from dataclasses import dataclass

import numpy as np

from .. import _checks, classifier, linear, optimizers
from ..run import run
from ._tuning import power_of_two_search

__all__ = ["ScaledFeature", "ScalingResult", "condition_number", "feature_scaling", "log_loss_hessian",
           "loop_training", "settling_steps"]


def loop_training(alpha=0.01, epochs=100, seed=0):
    """The post's experiment (`classifier.post_experiment`) at learning rate `alpha` for `epochs` epochs.

    Full-batch descent on the log loss of 250 two-feature points with the bias
    trick: exactly the loop of notebook 08, one update per epoch.
    """
    return classifier.post_experiment("vanilla", seed=seed, epochs=epochs, alpha=alpha)


def log_loss_hessian(x, y, w, b):
    """The Hessian over (w, b) of the mean log loss of s = w x + b, in closed form.

        H = mean_i p_i (1 - p_i) [[x_i^2, x_i], [x_i, 1]],   p_i = sigmoid(w x_i + b)

    since d^2/ds^2 [log(1 + e^s) - y s] = p (1 - p) and ds/dw = x, ds/db = 1.
    """
    x, y = np.asarray(x, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    curvature = linear.binary_loss_terms("log_loss", w * x + b, y, 1.0, 2)[2]
    return np.array([[np.mean(curvature * x * x), np.mean(curvature * x)],
                     [np.mean(curvature * x), np.mean(curvature)]])


def condition_number(hessian):
    """Largest over smallest eigenvalue of a symmetric positive definite matrix: 1 for a round bowl."""
    eigenvalues = np.linalg.eigvalsh(np.asarray(hessian, dtype=float))
    if not eigenvalues[0] > 0:
        raise ValueError(f"hessian must be positive definite, got eigenvalues {eigenvalues.tolist()}")
    return float(eigenvalues[-1] / eigenvalues[0])


def settling_steps(landscape, start, alpha, budget, tolerance):
    """Plain descent for `budget` steps; the step from which the loss stays within `tolerance` of its minimum.

    Returns (steps, Trajectory); steps is budget + 1 when the walk never
    settles within the budget or diverges. "Stays" matters: a rate a little
    too large for the bottom of the bowl can pass close to it and then leave.
    """
    walk = run(optimizers.gradient_descent(landscape, start, alpha), max_steps=budget)
    if walk.stop_reason == "diverged":
        return budget + 1, walk
    gap = walk.loss - float(landscape(landscape.minima[0]))
    outside = np.flatnonzero(gap > tolerance)
    settled = 0 if outside.size == 0 else int(outside[-1]) + 1
    return (settled if settled <= budget else budget + 1), walk


@dataclass(frozen=True)
class ScaledFeature:
    """One coding of the feature: its (w, b) landscape, its curvature, and plain descent tuned on it.

    hessian_start, hessian_minimum : `log_loss_hessian` at the start and at the minimum.
    alphas, steps : the rates tried (powers of 2) and the steps each took to settle
        (budget + 1 for never); best_alpha settles soonest (ties: the smaller
        final loss), on_edge says whether it is the grid's first or last rate.
    walk : plain descent at best_alpha.
    """

    label: str
    x: np.ndarray
    landscape: object
    start: np.ndarray
    hessian_start: np.ndarray
    hessian_minimum: np.ndarray
    alphas: np.ndarray
    steps: np.ndarray
    best_alpha: float
    on_edge: bool
    walk: object

    @property
    def condition_start(self):
        return condition_number(self.hessian_start)

    @property
    def condition_minimum(self):
        return condition_number(self.hessian_minimum)

    @property
    def best_steps(self):
        return int(self.steps[np.flatnonzero(self.alphas == self.best_alpha)[0]])

    @property
    def minimum_loss(self):
        return float(self.landscape(self.landscape.minima[0]))


@dataclass(frozen=True)
class ScalingResult:
    """What `feature_scaling` returns: the same data coded two ways, and how descent fares on each."""

    factor: float
    budget: int
    tolerance: float
    unscaled: ScaledFeature
    standardised: ScaledFeature


def feature_scaling(factor=10.0, start=(0.0, 4.0), budget=200, tolerance=1e-6, data=None):
    """The cross-entropy (w, b) landscape of a feature multiplied by `factor`, and of it standardised.

    data : (x, y) of a one-feature two-class problem; default
        `classifier.default_landscape_data()` (60 overlapping points).
    start : (w, b) where descent starts on both landscapes. With w = 0 it is
        the same classifier in both codings (it predicts sigmoid(b) for every
        example), so both walks start at the same loss and end at the same
        minimum loss: only the coordinates differ.

    Each landscape is framed in a square around the best walk and the
    minimum, so that equal units on both axes show its true shape. Plain descent is
    tuned on each: rates are powers of 2, widened until the best is not on an
    edge (or up to 2^-20 .. 2^20), scored by `settling_steps` within `budget`.
    """
    factor = _checks.positive("factor", factor)
    start = _checks.point("start", start)
    if start[0] != 0:
        raise ValueError(f"start must have w = 0, so that it is one classifier in both codings, "
                         f"got {start.tolist()}")
    budget = _checks.count("budget", budget, minimum=1)
    tolerance = _checks.positive("tolerance", tolerance)
    x, y = classifier.default_landscape_data() if data is None else data
    raw = factor * np.asarray(x, dtype=float).ravel()
    standard = (raw - raw.mean()) / raw.std()
    coded = [_scaled_feature(f"unscaled (x times {factor:g})", raw, y, start, budget, tolerance),
             _scaled_feature("standardised", standard, y, start, budget, tolerance)]
    return ScalingResult(factor, budget, tolerance, *coded)


def _scaled_feature(label, x, y, start, budget, tolerance):
    landscape = classifier.classifier_landscape((x, y), loss="cross_entropy")
    if not len(landscape.minima):
        raise ValueError("data must overlap (no line separates the classes) so the log loss has a minimum")
    alphas, steps, walks, best, on_edge = _tune(landscape, start, budget, tolerance)
    # The same loss, started at `start` and framed in a square around the best walk and the minimum.
    seen = np.vstack([walks[best].w, landscape.minima])
    low, high = seen.min(axis=0), seen.max(axis=0)
    half = 0.55 * float(np.max(high - low))
    landscape = landscape.replace(start=start, domain=tuple((float(centre - half), float(centre + half))
                                                            for centre in (low + high) / 2))
    return ScaledFeature(label, x, landscape, start.copy(), log_loss_hessian(x, y, *start),
                         log_loss_hessian(x, y, *landscape.minima[0]), alphas, steps, float(alphas[best]),
                         on_edge, walks[best])


def _tune(landscape, start, budget, tolerance):
    """Plain descent tuned for `settling_steps`: (rates, steps, walks, index of the best, on_edge).

    Ranked by the steps to settle, then the lowest final loss (a diverged walk
    counts as infinite), then the smaller rate.
    """
    walks = {}

    def score(rate):
        steps, walk = settling_steps(landscape, start, rate, budget, tolerance)
        walks[rate] = walk
        return steps, (np.inf if walk.stop_reason == "diverged" else float(walk.loss[-1])), rate

    rates, scores, best, on_edge = power_of_two_search(score, low=-2, high=4)
    return rates, np.array([steps for steps, _, _ in scores]), [walks[rate] for rate in rates], best, on_edge
