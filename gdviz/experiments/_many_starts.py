"""Scoring a setting from many starts, and nudging it: what makes a verdict of the race (10) robust.

One walk from one start can win by luck, and a setting can win on a knife-edge
of alpha. So a comparison walks every optimizer from the same starts
(`starts_around`: the course's own and more drawn around it), ranks by the
median score, and asks whether that median holds at alpha x 0.9 and x 1.1
(`robust`). The walks go in batches (`gdviz.run_batch`): every start at every
setting tried, at once.
"""

import math

import numpy as np

from .. import _checks, optimizers
from ..batch import run_batch
from ..run import run

__all__ = ["LOSS_FLOOR", "NUDGES", "RACE_STARTS", "ROBUST_FOLD", "Course", "robust", "starts_around"]

RACE_STARTS = 16
NUDGES = (0.9, 1.1)  # the factors on alpha a verdict must survive
# How far a nudged median may differ from the entry's own, by the race's measure.
ROBUST_FOLD = {"final loss": 10.0, "steps to loss": 1.5, "steps to distance": 1.5}
LOSS_FLOOR = 1e-12  # final losses below it all count as it: the bottom, to within rounding


def starts_around(landscape, start=None, count=RACE_STARTS, seed=0):
    """(count, 2) starts for a race: `start` first (the landscape's own by default), then count - 1
    drawn uniformly, with `seed`, from the disc around it of radius a tenth of the domain's diagonal,
    keeping only those inside the domain."""
    start = landscape.start if start is None else _checks.point("start", start)
    count = _checks.count("count", count, minimum=1)
    (x_low, x_high), (y_low, y_high) = landscape.domain
    radius = 0.1 * math.hypot(x_high - x_low, y_high - y_low)
    rng = np.random.default_rng(_checks.count("seed", seed))
    found, tries = [start], 0
    while len(found) < count:
        tries += 1
        if tries > 100 * count:
            raise ValueError(f"start: {start.tolist()} is too far outside the domain {landscape.domain} to "
                             f"draw {count} starts around it inside the domain")
        distance, angle = radius * math.sqrt(rng.random()), 2 * math.pi * rng.random()
        point = start + distance * np.array([math.cos(angle), math.sin(angle)])
        if x_low <= point[0] <= x_high and y_low <= point[1] <= y_high:
            found.append(point)
    return np.array(found)


class Course:
    """How one race walks and scores, the same for every optimizer in it."""

    def __init__(self, landscape, starts, max_steps, loss_below, escape_distance, escape_from):
        self.landscape, self.starts, self.max_steps = landscape, starts, max_steps
        self.loss_below, self.escape_distance, self.escape_from = loss_below, escape_distance, escape_from
        self.measure = ("steps to distance" if escape_distance is not None
                        else "steps to loss" if loss_below is not None else "final loss")

    def walk(self, name, alpha, settings):
        """The walk from the course's start, through `run` and the optimizer's generator."""
        steps = optimizers.get(name)(self.landscape, self.starts[0], alpha, **settings)
        if self.measure == "steps to distance":
            # Far away is the goal here, so the divergence guard stands far beyond it.
            return run(_until_far(steps, self.escape_from, self.escape_distance), max_steps=self.max_steps,
                       escape_radius=1e150)
        return run(steps, max_steps=self.max_steps, loss_below=self.loss_below)

    def per_start(self, name, alphas, settings, factors):
        """(score, tie-break), each (len(alphas), len(factors), starts): every start walked at each alpha
        times each factor, `settings` {name: one value per alpha} alongside; lower is better in both."""
        n_points, n_factors, n_starts = len(alphas), len(factors), len(self.starts)
        per_walk = {"alpha": np.repeat(np.outer(alphas, factors).ravel(), n_starts)}
        per_walk.update({key: np.repeat(values, n_factors * n_starts) for key, values in settings.items()})
        starts = np.tile(self.starts, (n_points * n_factors, 1))
        if self.measure == "steps to distance":
            batch = run_batch(name, self.landscape, starts, max_steps=self.max_steps, escape_radius=1e150,
                              **per_walk)
        else:
            batch = run_batch(name, self.landscape, starts, max_steps=self.max_steps,
                              loss_below=self.loss_below, **per_walk)
        score, tie = self._scores(batch)
        shape = (n_points, n_factors, n_starts)
        return score.reshape(shape), tie.reshape(shape)

    def _scores(self, batch):
        """Each walk's (score, tie-break): steps to the goal or the final loss, and how near it got."""
        if self.measure == "steps to distance":
            distance = np.linalg.norm(batch.w - self.escape_from, axis=-1)
            far = distance >= self.escape_distance
            return np.where(far.any(axis=1), far.argmax(axis=1), np.inf), -distance[:, -1]
        diverged = batch.stop_reason == "diverged"
        final = np.where(diverged, np.inf, batch.final_loss)
        if self.measure == "steps to loss":
            return np.where(batch.stop_reason == "loss_below", batch.n_updates, np.inf), final
        return final, np.where(diverged, np.inf, batch.loss.mean(axis=1))


def _until_far(steps, point, distance):
    """The steps up to and including the first at least `distance` from `point`."""
    for step in steps:
        yield step
        if np.linalg.norm(step.w - point) >= distance:
            return


def _fold(one, other, measure):
    """How many times one median differs from the other (1 when equal, inf when only one is finite)."""
    if measure == "final loss":
        one, other = max(one, LOSS_FLOOR), max(other, LOSS_FLOOR)
    if one == other:
        return 1.0
    low, high = sorted((one, other))
    return high / low if math.isfinite(high) and low > 0 else math.inf


def robust(measure, own, nudged):
    """True when every nudged median is within the fold `ROBUST_FOLD[measure]` of the entry's own."""
    return all(_fold(own, score, measure) <= ROBUST_FOLD[measure] for score in nudged)
