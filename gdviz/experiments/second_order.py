"""Second-order steps (12): Newton's step, its damping, a backtracking line search, and what a step costs.

Every comparison walks from the 16 starts of the race (10) (`race_starts`: the
course's start and 15 drawn around it), scores a walk by its updates until the
loss is at most `LOSS_GOAL` (1e-12, the race's own goal on the ravine; a walk
that never gets there scores infinity), and walks again with alpha, and the
damping where there is some, times 0.9 and 1.1 (`NUDGES`): a verdict must
hold at every nudge. Newton walks in batches (`gdviz.run_batch`, bit for bit
the walks of `run`); the line search, whose tries differ from walk to walk,
walks one start at a time through `run`.
"""

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes, optimizers, second_order
from ..batch import run_batch
from ..run import run
from ._many_starts import NUDGES
from ._mapping import MappingResult
from .race import race, race_starts

__all__ = ["LOSS_GOAL", "ArmijoSearch", "Conditions", "DampingRow", "DampingStudy", "NewtonRace",
           "NewtonStops", "SearchSweep", "armijo_search", "cost_table", "damping_study", "hessian_costs",
           "line_search_sweep", "newton_stops", "newton_vs_descent", "one_step_by_condition",
           "solve_multiply_adds"]

LOSS_GOAL = 1e-12


def _scores(batch):
    """(n,) updates until the goal for each walk of a batch; inf where the goal was not reached."""
    return np.where(batch.stop_reason == "loss_below", batch.n_updates, np.inf)


def _steps_of(walk):
    """Updates until the goal for one walk of `run`; inf where the goal was not reached."""
    return walk.n_updates if walk.stop_reason == "loss_below" else math.inf


def _rises(batch):
    """(n,) how many of each walk's steps raised the loss."""
    steps = np.arange(batch.loss.shape[1] - 1)
    rose = np.diff(batch.loss, axis=1) > 0
    return (rose & (steps < (batch.length - 1)[:, None])).sum(axis=1)


# ---------------------------------------------------------------- one step on a quadratic

@dataclass(frozen=True, eq=False)
class NewtonRace(MappingResult):
    """Newton against plain descent at its best, from the race's starts: {label: walk from the first start}.

    descent : the race's entry for plain descent (10), tuned on this course (`RaceEntry`)
    newton : {alpha factor: (16,) Newton's updates to the goal, at alpha = factor}, factors 1, 0.9, 1.1
    landed : (16,) each start's distance to the minimum after one Newton step with alpha = 1
    walks : {label: Trajectory}, both walks from the course's start, for the figure
    """

    ITEMS = "walks"
    landscape: object
    starts: np.ndarray
    goal: float
    descent: object
    newton: dict
    landed: np.ndarray
    walks: dict


def newton_vs_descent(landscape="ravine", max_steps=200, seed=0):
    """Newton (alpha 1, no damping) and the race's tuned plain descent on a quadratic, from 16 starts
    (the race's, drawn with `seed`)."""
    land = landscapes.get(landscape)
    descent = race(land, names=("gradient_descent",), max_steps=max_steps, loss_below=LOSS_GOAL, seed=seed)
    entry = descent.entries["gradient_descent"]
    starts = descent.starts
    newton = {}
    for factor in (1.0, *NUDGES):
        newton[factor] = _scores(run_batch("newton", land, starts, alpha=factor, max_steps=max_steps,
                                           loss_below=LOSS_GOAL))
    first = run_batch("newton", land, starts, alpha=1.0, max_steps=1)
    landed = np.linalg.norm(first.w[:, 1] - land.minima[0], axis=1)
    walk = run(optimizers.newton(land, starts[0]), max_steps=max_steps, loss_below=LOSS_GOAL)
    walks = {f"plain descent, α = {entry.alpha:.3g}": entry.trajectory, "Newton, α = 1": walk}
    return NewtonRace(land, starts, LOSS_GOAL, entry, newton, landed, walks)


@dataclass(frozen=True)
class Conditions:
    """One Newton step on quadratics of growing condition number k (curvatures 1 and k, turned 30°).

    distance : (len(k),) distance to the minimum after the step, from `start` (at `start_distance`)
    """

    conditions: np.ndarray
    start: np.ndarray
    start_distance: float
    distance: np.ndarray


def one_step_by_condition(conditions=(1, 10, 100, 1e4, 1e6), start=(-2.5, 2.0)):
    """Where one Newton step (alpha 1) lands on each quadratic, as a distance from its minimum."""
    conditions = _checks.array("conditions", conditions, 1.0, low_allowed=True, flat=True)
    start = _checks.point("start", start)
    distance = []
    for k in conditions:
        bowl = landscapes.quadratic((1.0, float(k)), angle=30.0)
        step = run(optimizers.newton(bowl, start), max_steps=1).w[-1]
        distance.append(float(np.linalg.norm(step - bowl.minima[0])))
    return Conditions(conditions, start, float(np.linalg.norm(start)), np.array(distance))


# ---------------------------------------------------------------- damping on a curved valley

@dataclass(frozen=True)
class DampingRow:
    """Newton with one damping lambda from the 16 starts.

    steps : {nudge label: (16,) updates to the goal}; "as set", "α × 0.9", "α × 1.1", and for
        lambda > 0 "λ × 0.9", "λ × 1.1"
    rises : {nudge label: (16,) how many steps raised the loss}
    walk : the walk from the course's start, as set (a `Trajectory`)
    """

    damping: float
    steps: dict
    rises: dict
    walk: object

    def median(self, label="as set"):
        return float(np.median(self.steps[label]))

    def reached(self, label="as set"):
        """How many of the starts reached the goal."""
        return int(np.isfinite(self.steps[label]).sum())

    def worst(self, label="as set"):
        return float(np.max(self.steps[label]))


@dataclass(frozen=True, eq=False)
class DampingStudy(MappingResult):
    """Newton on a landscape with several dampings: {damping: DampingRow}; `walks` labels their walks.

    descent : the race's entry for plain descent on this course (10), tuned for its own score
    descent_steps : {alpha factor: (16,) plain descent's updates to the goal at the entry's alpha x factor}
    """

    ITEMS = "rows"
    landscape: object
    starts: np.ndarray
    goal: float
    max_steps: int
    rows: dict
    descent: object
    descent_steps: dict

    @property
    def walks(self):
        """{label: Trajectory}, each damping's walk from the course's start."""
        return {f"Newton, λ = {damping:g}": row.walk for damping, row in self.rows.items()}

    def table(self):
        """Printable rows: median updates to the goal [fewest-most], per nudge, or how many starts failed;
        then the most steps that raised the loss on one walk, as set."""
        labels = ("as set", "α × 0.9", "α × 1.1", "λ × 0.9", "λ × 1.1")
        lines = [f"{'damping':>8s} " + "".join(f"{label:>17s}" for label in labels) + "   rises"]
        for damping, row in self.rows.items():
            cells = []
            for label in labels:
                if label not in row.steps:
                    cells.append(f"{'-':>17s}")
                    continue
                steps, missed = row.steps[label], len(self.starts) - row.reached(label)
                finite = steps[np.isfinite(steps)]
                text = f"{np.median(steps):g} [{finite.min():g}-{finite.max():g}]" if missed == 0 else \
                    f"{missed} of {len(steps)} fail"
                cells.append(f"{text:>17s}")
            lines.append(f"{damping:8g} " + "".join(cells) + f"   {int(row.rises['as set'].max())}")
        return "\n".join(lines)


def damping_study(landscape="rosenbrock", dampings=(0.0, 1.0, 10.0), max_steps=1000, seed=0):
    """Undamped and damped Newton (alpha 1) from the race's 16 starts (drawn with `seed`), each nudged,
    as a `DampingStudy`; beside them plain descent at the alpha the race (10) tunes on this course
    (from its own starts), nudged, with the same budget."""
    land = landscapes.get(landscape)
    dampings = _checks.array("dampings", dampings, 0.0, low_allowed=True, flat=True)
    max_steps = _checks.count("max_steps", max_steps, minimum=1)
    starts = race_starts(land, seed=seed)
    n = len(starts)
    rows = {}
    for damping in dampings:
        nudges = {"as set": (1.0, 1.0), "α × 0.9": (NUDGES[0], 1.0), "α × 1.1": (NUDGES[1], 1.0)}
        if damping > 0:
            nudges.update({"λ × 0.9": (1.0, NUDGES[0]), "λ × 1.1": (1.0, NUDGES[1])})
        alphas = np.repeat([alpha for alpha, _ in nudges.values()], n)
        lambdas = np.repeat([damping * factor for _, factor in nudges.values()], n)
        batch = run_batch("newton", land, np.tile(starts, (len(nudges), 1)), alpha=alphas, damping=lambdas,
                          max_steps=max_steps, loss_below=LOSS_GOAL)
        steps = dict(zip(nudges, _scores(batch).reshape(len(nudges), n), strict=True))
        rises = dict(zip(nudges, _rises(batch).reshape(len(nudges), n), strict=True))
        rows[float(damping)] = DampingRow(float(damping), steps, rises, batch.trajectory(0))
    descent = race(land, names=("gradient_descent",)).entries["gradient_descent"]
    descent_steps = {factor: _scores(run_batch("gradient_descent", land, starts, alpha=descent.alpha * factor,
                                               max_steps=max_steps, loss_below=LOSS_GOAL))
                     for factor in (1.0, *NUDGES)}
    return DampingStudy(land, starts, LOSS_GOAL, max_steps, rows, descent, descent_steps)


# ---------------------------------------------------------------- flat spots that are not minima

KINDS = ("minimum", "saddle point", "maximum", "did not stop")


@dataclass(frozen=True, eq=False)
class NewtonStops(MappingResult):
    """Where Newton stops from the 16 starts, and what kind of flat spot each end is.

    ends : (16, 2) the last points; kinds : (16,) each one of KINDS, from the signs of the Hessian's
    eigenvalues there (a walk that did not stop on a flat spot is "did not stop")
    counts : {kind: how many starts}, the ITEMS; walks : {label: the walk from the course's start}
    """

    ITEMS = "counts"
    landscape: object
    damping: float
    starts: np.ndarray
    ends: np.ndarray
    kinds: tuple
    counts: dict
    walks: dict


def newton_stops(landscape="himmelblau", damping=0.0, max_steps=100, grad_below=1e-8):
    """Newton (alpha 1) from the race's 16 starts until the slope is below `grad_below`, as `NewtonStops`."""
    land = landscapes.get(landscape)
    damping = _checks.non_negative("damping", damping)
    starts = race_starts(land)
    batch = run_batch("newton", land, starts, alpha=1.0, damping=damping, max_steps=max_steps,
                      grad_below=grad_below)
    ends = batch.w[np.arange(len(starts)), batch.length - 1]
    curvatures = np.linalg.eigvalsh(land.hessian_at(ends))
    kinds = tuple("did not stop" if reason != "grad_below" else
                  "minimum" if low > 0 else "maximum" if high < 0 else "saddle point"
                  for reason, (low, high) in zip(batch.stop_reason, curvatures, strict=True))
    counts = {kind: number for kind, number in Counter(kinds).most_common()}
    walk = batch.trajectory(0)
    return NewtonStops(land, damping, starts, ends, kinds, counts, {f"Newton, λ = {damping:g}": walk})


# ---------------------------------------------------------------- the line search

@dataclass(frozen=True)
class ArmijoSearch:
    """One backtracking search at w, along -g: the loss along the ray and the step sizes tried.

    step_sizes, along : the loss L(w - t g) at t from a quarter of the last try to 1.05 alpha,
        evenly in log t (the tries are a geometric sequence), for the curve
    tried, tried_losses : each t the search tried, in order, and the loss there; the last is accepted
    accepted : the t taken; promised : the slope's promise L(w) - t ||g||^2 at `step_sizes`;
    armijo : the condition's line L(w) - c t ||g||^2 at `step_sizes`
    """

    landscape: object
    w: np.ndarray
    grad: np.ndarray
    loss_here: float
    slope: float
    alpha: float
    shrink: float
    c: float
    tried: np.ndarray
    tried_losses: np.ndarray
    accepted: float
    step_sizes: np.ndarray
    along: np.ndarray
    promised: np.ndarray
    armijo: np.ndarray


def armijo_search(landscape="ravine", w=None, alpha=1.0, shrink=0.5, c=1e-4, points=200):
    """The search `optimizers.line_search` makes at w (the landscape's start by default), laid out."""
    land = landscapes.get(landscape)
    w = land.start if w is None else _checks.point("w", w)
    alpha = _checks.positive("alpha", alpha)
    shrink, c = second_order.open_fraction("shrink", shrink), second_order.open_fraction("c", c)
    grad = land.grad(w)
    accepted, tries = second_order.backtrack(land, w, grad, alpha, shrink, c)
    tried = alpha * np.power(shrink, np.arange(tries))
    tried_losses = np.array([float(land(w - t * grad)) for t in tried])
    here, slope = float(land(w)), float(grad @ grad)
    step_sizes = np.geomspace(tried[-1] / 4, 1.05 * alpha, _checks.count("points", points, minimum=2))
    along = land(w[None, :] - step_sizes[:, None] * grad[None, :])
    return ArmijoSearch(land, w, grad, here, slope, alpha, shrink, c, tried, tried_losses, accepted,
                        step_sizes, along, here - step_sizes * slope, here - c * step_sizes * slope)


@dataclass(frozen=True)
class SearchSweep:
    """The line search from the 16 starts at several first tries alpha, beside plain descent at each.

    search : {alpha: {factor: (16,) updates to the goal}}, factors 1, 0.9, 1.1
    tries : {alpha: (16,) trial losses per update, averaged over each walk, at factor 1}
    descent : {alpha: (16,) plain descent's updates to the goal with that fixed alpha}
    walks : {alpha: the line search's walk from the course's start}; edge : 2/L, plain descent's limit
    """

    landscape: object
    starts: np.ndarray
    goal: float
    max_steps: int
    search: dict
    tries: dict
    descent: dict
    walks: dict
    edge: float

    def median(self, alpha, factor=1.0):
        return float(np.median(self.search[alpha][factor]))


def line_search_sweep(landscape="ravine", alphas=(0.1, 0.3, 1.0, 3.0, 10.0), max_steps=500, seed=0):
    """The line search (shrink 0.5, c 1e-4) and plain descent from the race's 16 starts (drawn with
    `seed`), at each alpha."""
    land = landscapes.get(landscape)
    alphas = _checks.array("alphas", alphas, 0.0, flat=True)
    starts = race_starts(land, seed=seed)
    search, tries, descent, walks = {}, {}, {}, {}
    for alpha in map(float, alphas):
        search[alpha] = {}
        for factor in (1.0, *NUDGES):
            runs = [run(optimizers.line_search(land, start, alpha * factor), max_steps=max_steps,
                        loss_below=LOSS_GOAL) for start in starts]
            search[alpha][factor] = np.array([_steps_of(walk) for walk in runs])
            if factor == 1.0:
                tries[alpha] = np.array([walk.state["losses_tried"][:-1].mean() for walk in runs])
                walks[alpha] = runs[0]
        descent[alpha] = _scores(run_batch("gradient_descent", land, starts, alpha=alpha, max_steps=max_steps,
                                           loss_below=LOSS_GOAL))
    edge = 2 / land.max_curvature if land.max_curvature else math.nan
    return SearchSweep(land, starts, LOSS_GOAL, max_steps, search, tries, descent, walks, edge)


# ---------------------------------------------------------------- what a step costs

def cost_table(newton_race, sweep, alpha=1.0):
    """Per method, from the course's start to the goal: updates, gradients, Hessians, trial losses.

    Plain descent at the race's alpha (`newton_race.descent`), the line search at first try `alpha`
    (a walk of `sweep`), Newton's walk: printable rows, and the numbers as {method: {count: value}}.
    """
    newton_race = _checks.result("newton_race", newton_race, NewtonRace, "experiments.newton_vs_descent")
    sweep = _checks.result("sweep", sweep, SearchSweep, "experiments.line_search_sweep")
    descent, searched = newton_race.descent.trajectory, sweep.walks[float(alpha)]
    newton = newton_race.walks["Newton, α = 1"]
    counts = {
        "plain descent": {"updates": descent.n_updates, "gradients": descent.n_updates, "hessians": 0,
                          "trial losses": 0},
        "line search": {"updates": searched.n_updates, "gradients": searched.n_updates, "hessians": 0,
                        "trial losses": int(searched.state["losses_tried"][:-1].sum())},
        "Newton": {"updates": newton.n_updates, "gradients": newton.n_updates, "hessians": newton.n_updates,
                   "trial losses": 0},
    }
    header = f"{'':14s}{'updates':>8s}{'gradients':>11s}{'Hessians':>10s}{'trial losses':>14s}"
    rows = [header] + [f"{method:14s}{row['updates']:8d}{row['gradients']:11d}{row['hessians']:10d}"
                       f"{row['trial losses']:14d}" for method, row in counts.items()]
    return "\n".join(rows), counts


def solve_multiply_adds(n):
    """Multiply-adds to solve H d = g by Gaussian elimination, n unknowns: (n-1) n (2n-1) / 6 to
    factor H, then n (n-1) / 2 for each of the two triangular solves (divisions not counted)."""
    n = _checks.count("n", n, minimum=1)
    return (n - 1) * n * (2 * n - 1) // 6 + n * (n - 1)


def hessian_costs(sizes=(2, 1_000, 1_000_000)):
    """For n parameters: numbers in a gradient (n), in a Hessian (n^2), its bytes as float64 (8 n^2), and
    the multiply-adds of one Newton solve (`solve_multiply_adds`, about n^3 / 3): a list of dicts."""
    rows = []
    for n in sizes:
        n = _checks.count("sizes", n, minimum=1)
        rows.append({"n": n, "gradient": n, "hessian": n * n, "bytes": 8 * n * n,
                     "solve": solve_multiply_adds(n)})
    return rows
