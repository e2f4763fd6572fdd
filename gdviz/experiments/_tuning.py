"""The one search for the best settings, shared by every lesson that tunes a rate (01, 08, 09, 10).

Settings live on a grid of integer indices, one `Axis` per setting tuned
(alpha, and in the race a second axis for momentum's beta); an axis turns an
index into a value: 2^i, 10^(i/48), or the i-th rate of a list. `tune` scores
every point of a first grid (each point once), widens an axis by `widen`
indices at an end while the best point sits there, up to the axis's limits,
and then, when asked, refines the best by a compass search: it scores the
neighbours `step` indices away (diagonals too) and moves to the lowest while
it is lower than where it stands, for each step in turn. Lower scores are
better; a score may be any comparable value (a number, a tuple with
tie-breaks). Of equal scores the lower indices win: the gentler setting.

The score is asked for a list of points at once (a whole grid, or all the
neighbours), so a caller that walks in batches scores them together; `one_by_one`
turns a score of one point into that form.

The lessons' searches are this one with their own grid and score:
`best_walk` (a fixed list of rates, 01), `power_of_two_search` (powers of
two, widened, 08 and 09) and the race's tuner (alpha and beta on a log grid,
widened, then refined, 10).
"""

import itertools
from dataclasses import dataclass

import numpy as np

# The lessons' public names; `tune`, `Axis` and `Tuning` are for the experiments' own modules.
__all__ = ["RACE_ALPHAS", "best_walk", "power_of_two_search"]

# The grid of `best_walk` (search_vs_gradient tunes plain descent on it): 13 rates, 1e-4 to 1.
RACE_ALPHAS = np.geomspace(1e-4, 1.0, 13)


@dataclass(frozen=True)
class Axis:
    """One setting's indices: its value at index i, the first grid, and how far the grid may widen.

    value : index -> the setting (a float)
    first : (lowest, highest) index of the first grid; every `every`-th index between them is tried
    limits : (lowest, highest) index the grid may widen to, `widen` indices at a time
    edges : whether the best at each limit counts as on the edge of the search (False where the
        setting itself ends there, as beta = 0 does)
    """

    value: object
    first: tuple
    limits: tuple
    every: int = 1
    widen: int = 1
    edges: tuple = (True, True)


@dataclass(frozen=True)
class Tuning:
    """What `tune` found: the best point (a tuple of indices, one per axis) and every point's score."""

    axes: tuple
    best: tuple
    scores: dict  # {point: score}, in the order scored

    def settings(self, point=None):
        """The values at `point` (by default the best), one per axis."""
        point = self.best if point is None else point
        return tuple(axis.value(index) for axis, index in zip(self.axes, point, strict=True))

    def tried(self, axis=0):
        """The values tried along one axis, ascending."""
        return np.array(sorted({self.axes[axis].value(point[axis]) for point in self.scores}))

    @property
    def on_edge(self):
        """True when the best sits at a limit of an axis that counts as an edge (see `Axis.edges`)."""
        return any(index == limit and edge
                   for axis, index in zip(self.axes, self.best, strict=True)
                   for limit, edge in zip(axis.limits, axis.edges, strict=True))


def _neighbours(point, steps, axes):
    """The points `steps` indices from `point` (one step per axis) along any axes, diagonals too,
    within the limits."""
    for offsets in itertools.product(*((-step, 0, step) for step in steps)):
        moved = tuple(index + offset for index, offset in zip(point, offsets, strict=True))
        if any(offsets) and all(low <= index <= high for index, (low, high) in
                                zip(moved, (axis.limits for axis in axes), strict=True)):
            yield moved


def one_by_one(score):
    """`score(*settings)` of one point as the score `tune` asks for: a list of points in, a list out."""
    return lambda many: [score(*settings) for settings in many]


def tune(score_all, axes, refine=()):
    """The point of the axes' grid with the lowest score, as a `Tuning`.

    `score_all(list of settings)` returns one score per settings (a settings
    being one value per axis); `axes` is one `Axis` per setting; `refine` the
    compass steps tried after the grid has stopped widening (none by default),
    each one number of indices for every axis or a tuple, one per axis.
    """
    axes = tuple(axes)
    scores = {}

    def score_points(points):
        new = [point for point in dict.fromkeys(points) if point not in scores]
        if new:
            values = score_all([tuple(axis.value(index) for axis, index in zip(axes, point, strict=True))
                                for point in new])
            scores.update(zip(new, values, strict=True))

    def lowest(points):
        return min(points, key=lambda point: (scores[point], point))

    ranges = [list(axis.first) for axis in axes]
    while True:
        score_points(list(itertools.product(*(range(low, high + 1, axis.every)
                                              for axis, (low, high) in zip(axes, ranges, strict=True)))))
        best = lowest(scores)
        for dimension, axis in enumerate(axes):
            low, high = ranges[dimension]
            if best[dimension] == low and low > axis.limits[0]:
                ranges[dimension][0] -= axis.widen
                break
            if best[dimension] == high and high < axis.limits[1]:
                ranges[dimension][1] += axis.widen
                break
        else:
            break
    for step in refine:
        steps = tuple(step) if isinstance(step, tuple) else (step,) * len(axes)
        while True:
            around = list(_neighbours(best, steps, axes))
            score_points(around)
            if not around or not scores[lowest(around)] < scores[best]:
                break
            best = lowest(around)
    return Tuning(axes, best, scores)


def best_walk(walk_with, alphas=RACE_ALPHAS):
    """(alpha, walk) with the lowest final loss over `alphas`, among walks that did not diverge.

    `walk_with(alpha)` returns a Trajectory. Ties (two walks both at 0) go to
    the lower mean loss along the way, the faster one. If every rate diverges,
    the first (the gentlest) is returned, flying off: `tune` on the list as it
    is, never widened.
    """
    alphas = [float(alpha) for alpha in alphas]
    walks = {}

    def score(alpha):
        walks[alpha] = trajectory = walk_with(alpha)
        if trajectory.stop_reason == "diverged":
            return np.inf, np.inf
        return trajectory.loss[-1], trajectory.loss.mean()

    last = len(alphas) - 1
    (alpha,) = tune(one_by_one(score), [Axis(alphas.__getitem__, (0, last), (0, last))]).settings()
    return alpha, walks[alpha]


def power_of_two_search(score, low, high, limit=20):
    """The rate 2^p with the lowest score(2^p), widening the powers tried while the best is at an end.

    Tries p = low .. high; while the lowest score sits at an end of that range
    (and within 2^-limit .. 2^limit), tries one more power beyond it: `tune` on
    powers of two. score may return anything comparable (a number, a tuple);
    each rate is scored once. Returns (rates, scores, index of the best,
    on_edge), on_edge being True only when the best is still at an end of the
    final range.
    """
    tuning = tune(one_by_one(score), [Axis(lambda power: 2.0 ** power, (low, high), (-limit, limit))])
    powers = sorted(power for (power,) in tuning.scores)
    return (np.array([2.0 ** power for power in powers]), [tuning.scores[(power,)] for power in powers],
            powers.index(tuning.best[0]), tuning.on_edge)
