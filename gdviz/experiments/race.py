"""The race of optimizers (10): each at settings tuned for the course, from 16 starts, by a stated score.

A race is fair when every optimizer gets the same starts and the same step
budget, runs at settings tuned for the course (so nobody loses for a badly
chosen alpha), reports those settings, and is scored by a measure said in
words. Three measures, one per kind of course:

- "final loss": the loss after the budget, lower is better (Rosenbrock, Rastrigin);
- "steps to loss": the updates until the loss is at most `loss_below`, for
  courses where the best final losses all tie near machine precision (the
  ravines); a walk that never gets there ranks behind, by its final loss;
- "steps to distance": a landscape with no bottom (the saddle) has no best
  alpha, since a bigger one always escapes sooner, so everyone shares one
  alpha and keeps its default settings, and the score is the updates until
  Chad is `escape_distance` from the saddle point. Escaping is the goal, so
  those walks are never stopped as diverged.

Many starts. One walk from one start can win by luck, so every optimizer
walks from the same 16 starts (`race_starts`): the course's own and 15 drawn
with a fixed seed from the disc around it whose radius is a tenth of the
domain's diagonal, inside the domain. An entry keeps its score from each
start (`entry.scores`) and is ranked by their median (`entry.score`); the
lowest and highest show the spread. Walks that diverge score infinity.

Tuning. alpha = 10^(i/48) and beta = 1 - 10^(-j/16) for integers i, j (beta
even in log(1 - beta), j = 0 being beta = 0). Tuned beside alpha is each
optimizer's memory, `MAIN_SETTING`: beta for momentum, Nesterov and RMSProp,
beta1 for Adam (its momentum); beta2 and eps keep their torch.optim defaults
and Adagrad has nothing else to tune. A setting's tuning score is the worst of
three medians: at its alpha, at alpha x 0.9 and at alpha x 1.1, so a setting
that wins only on a knife-edge is not the one chosen. The search (`_tuning.tune`)
starts on a grid of two rates per decade from 1e-3 to 1 (with beta at 0, 0.68,
0.9, 0.97, 0.99), grows it a decade at a time while its best sits on an edge
(alpha within 1e-6 to 1e3, beta up to 0.999), then refines the best by a
compass search with steps of 12, 6, 3 and 1 forty-eighths of a decade in
alpha (4, 2, 1 and 1 sixteenths in beta), diagonals too. The chosen settings
beat all their tried neighbours; where a neighbour lies beyond a limit, the
best is "on the edge" (`on_edge`).

Robust. An entry is `robust` unless its median at alpha x 0.9 or x 1.1
differs from its own by more than 10-fold (final loss; losses below 1e-12
count as 1e-12, the bottom to within rounding) or 1.5-fold (step counts;
reaching the goal and not reaching it differ by any fold). The table says
which are not: a verdict about them is a verdict about one alpha.

All of this walks in batches (`gdviz.run_batch`, the same update rules, bit
for bit); the walk drawn and quoted (`entry.trajectory`) is the one from the
course's start, walked again with `run` on the optimizer's own generator.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .. import _checks, landscapes, optimizers
from .._geometry import rotation
from ..landscapes import Landscape
from ..run import Trajectory, run
from ._many_starts import NUDGES, RACE_STARTS, Course, robust, starts_around
from ._tuning import Axis, tune

__all__ = ["MAIN_SETTING", "NUDGES", "RACE_COURSES", "RACE_OPTIMIZERS", "RACE_STARTS", "RaceEntry",
           "RaceResult", "aligned_ravine", "course_landscape", "momentum_gain", "race", "race_starts"]

RACE_OPTIMIZERS = ("gradient_descent", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
MAIN_SETTING = {"momentum": "beta", "nesterov": "beta", "rmsprop": "beta", "adam": "beta1"}

# Grid indices (integers, so a grid never compares floats): alpha in 48ths of a decade,
# beta in 16ths of a decade of 1 - beta.
_ALPHA_AXIS = Axis(lambda i: float(10.0 ** (i / 48)), (-144, 0), (-288, 144), every=24, widen=48)
# beta = 0 is where the setting itself ends, not where a search was cut short: not an edge.
_BETA_AXIS = Axis(lambda j: float(1.0 - 10.0 ** (-j / 16)), (0, 32), (0, 48), every=8, widen=16,
                  edges=(False, True))
_REFINE = ((12, 4), (6, 2), (3, 1), (1, 1))

# Each course: its budget and its score; "aligned ravine" is `aligned_ravine()`.
RACE_COURSES = {
    "bowl": {"max_steps": 50, "loss_below": 1e-12},
    "ravine": {"max_steps": 200, "loss_below": 1e-12},
    "aligned ravine": {"max_steps": 200, "loss_below": 1e-12},
    "rosenbrock": {"max_steps": 300},
    "himmelblau": {"max_steps": 100, "loss_below": 1e-12},
    "saddle": {"max_steps": 60, "alpha": 0.1, "escape_distance": 10.0},
    "rastrigin": {"max_steps": 200},
}
_GREEK = {"alpha": "α", "beta": "β", "beta1": "β1"}


@dataclass(frozen=True)
class RaceEntry:
    """One optimizer's runs in a race, at the settings it chose.

    alpha, settings : the learning rate, and every other hyperparameter the walks used
    tuned : the names of the settings tuned for this race (empty when alpha was shared)
    trajectory : the walk from the course's start (`run`'s Trajectory); a steps-scored walk ends at its goal
    scores : (16,) the score from each of the race's starts, in `RaceResult.starts` order, lower is
        better; math.inf where the goal was not reached or the walk diverged
    score : their median, the entry's place in the race
    tie_break : the median of how near the goal each walk got (final loss, or minus the distance),
        or in a final-loss race of each walk's mean loss: it orders equal scores
    nudged : {0.9: median score at alpha x 0.9, 1.1: at alpha x 1.1}, the other settings kept
    robust : False when a nudged median differs from `score` by more than the race allows (see the module)
    on_edge : True when a tuned setting sits at a limit of the search
    searched : {"alpha": rates tried, "beta" or "beta1": values tried, "walks": how many were walked}
    """

    name: str
    alpha: float
    settings: dict
    tuned: tuple
    trajectory: Trajectory
    scores: np.ndarray
    score: float
    tie_break: float
    nudged: dict
    robust: bool
    on_edge: bool
    searched: dict = field(default_factory=dict)

    @property
    def final_loss(self):
        """The loss where the walk from the course's start ended."""
        return float(self.trajectory.loss[-1])

    @property
    def reached(self):
        """True when the median start reached the race's goal (a final-loss race has none to miss)."""
        return math.isfinite(self.score)

    @property
    def spread(self):
        """(lowest, highest) score over the starts."""
        return float(self.scores.min()), float(self.scores.max())

    def moved(self, last=10):
        """How far Chad walked in his `last` steps (the length of that stretch of path)."""
        stretch = self.trajectory.w[-(_checks.count("last", last, minimum=1) + 1):]
        return float(np.linalg.norm(np.diff(stretch, axis=0), axis=1).sum())

    def label(self):
        """'momentum α=0.24 β=0.44': the name and the settings tuned (or the shared alpha)."""
        shown = {"alpha": self.alpha, **{key: self.settings[key] for key in self.tuned if key != "alpha"}}
        return " ".join([self.name] + [f"{_GREEK[key]}={value:.2g}" for key, value in shown.items()])


@dataclass(frozen=True)
class RaceResult:
    """A race: the course, its starts, how it is scored, and its entries {name: RaceEntry} in the order run.

    starts : (16, 2) where every optimizer started; the first is the course's start, the walk drawn
    measure : "final loss", "steps to loss" or "steps to distance"
    goal : `loss_below` for "steps to loss", `escape_distance` for "steps to distance", else None
    escape_from : the saddle point distances are measured from
    """

    landscape: Landscape
    max_steps: int
    measure: str
    goal: float | None
    entries: dict
    escape_from: tuple = (0.0, 0.0)
    starts: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def __getitem__(self, name):
        return self.entries[name]

    def describe(self):
        """The score in words."""
        starts = f"the median over {len(self.starts)} starts"
        if self.measure == "steps to loss":
            return (f"steps until the loss is at most {self.goal:g}, fewer is better, {starts} (within "
                    f"{self.max_steps}; a walk that never gets there ranks behind, by its final loss)")
        if self.measure == "steps to distance":
            shared = next(iter(self.entries.values())).alpha
            return (f"steps until Chad is {self.goal:g} away from the saddle point, fewer is better, "
                    f"{starts} (within {self.max_steps}; all at α = {shared:g})")
        return f"the loss after {self.max_steps} steps, lower is better, {starts}"

    def progress(self, entry):
        """What the score reads at each step: the loss, or in an escape the distance from the saddle point."""
        if self.measure == "steps to distance":
            return np.linalg.norm(entry.trajectory.w - np.asarray(self.escape_from), axis=-1)
        return entry.trajectory.loss

    def ranking(self):
        """The entries, best first: by median score, then by the median tie-break."""
        return sorted(self.entries.values(), key=lambda entry: (entry.score, entry.tie_break))

    def reading(self, score):
        """A score as the table prints it: '39' (steps), '0.0012' (a loss), 'not in 200', 'diverged'."""
        if self.measure == "final loss":
            return f"{score:.3g}" if math.isfinite(score) else "diverged"
        return f"{score:g}" if math.isfinite(score) else f"not in {self.max_steps}"

    def table(self):
        """One printable row per entry, best first: place, name, median score, [lowest to highest],
        settings; under it the warnings: not robust to a nudge of alpha, on the edge of the search."""
        unit = "final loss" if self.measure == "final loss" else "steps"
        rows = [f"   {'':17s}{f'median {unit}':18s}{f'[lowest to highest, {len(self.starts)} starts]':36s}"
                "settings"]
        for place, entry in enumerate(self.ranking(), start=1):
            low, high = (self.reading(value) for value in entry.spread)
            settings = ", ".join(f"{key} {value:.3g}" if isinstance(value, float) else f"{key} {value}"
                                 for key, value in {"alpha": entry.alpha, **entry.settings}.items()
                                 if key != "eps")
            warnings = [] if entry.robust else [
                "not robust: median " + ", ".join(f"{self.reading(score)} at α x {factor:g}"
                                                  for factor, score in entry.nudged.items())]
            warnings += ["on the edge of the search"] if entry.on_edge else []
            rows.append(f"{place}. {entry.name:17s}{self.reading(entry.score):18s}{f'[{low} to {high}]':36s}"
                        f"{settings}" + "".join(f"\n     <- {warning}" for warning in warnings))
        return "\n".join(rows)

    def scores_at(self, name, factor=1.0, starts=None):
        """Each start's score for `name` at its chosen settings with alpha x `factor`, from `starts`
        ((n, 2); the race's own by default): how a verdict is nudged."""
        entry = self.entries[name]
        goal = {self.measure: self.goal}
        course = Course(self.landscape, self.starts if starts is None else _checks.points("starts", starts),
                        self.max_steps, goal.get("steps to loss"), goal.get("steps to distance"),
                        np.asarray(self.escape_from))
        settings = {key: [value] for key, value in entry.settings.items()}
        return course.per_start(name, [entry.alpha], settings, (_checks.positive("factor", factor),))[0][0, 0]


def aligned_ravine():
    """The catalogue's ravine (curvatures 0.5 and 10) with its axes along w1 and w2 instead of turned 30°.

    Chad starts at the ravine's start turned back by 30°, the same place
    relative to the valley, so a method that does not care which way the axes
    point (plain descent, momentum, Nesterov) walks the same walk on both.
    """
    start = rotation(np.deg2rad(-30.0)) @ landscapes.get("ravine").start
    return landscapes.quadratic((0.5, 10.0), angle=0.0, name="aligned ravine", start=start,
                                formula="½ (0.5 w1² + 10 w2²)")


def course_landscape(landscape):
    """The landscape of a course: a catalogue name, "aligned ravine", or a Landscape itself."""
    return aligned_ravine() if landscape == "aligned ravine" else landscapes.get(landscape)


def race_starts(landscape, start=None, count=RACE_STARTS, seed=0):
    """(count, 2) starts for a race on `landscape` (a course name or a Landscape): `start` first (the
    landscape's own by default), then count - 1 drawn uniformly, with `seed`, from the disc around it
    of radius a tenth of the domain's diagonal, keeping only those inside the domain."""
    return starts_around(course_landscape(landscape), start, count, seed)


def _medians(score, tie):
    """Over the starts (the last axis): the median score and the median tie-break."""
    return np.median(score, axis=-1), np.median(tie, axis=-1)


def _tune(course, name, tune_beta=True):
    """`name` at its best on `course`: (alpha, {main setting: value} or {}, on_edge, searched).

    Each point's tuning score is the worst, over alpha x 1, 0.9 and 1.1, of its (median score,
    median tie-break)."""
    setting = MAIN_SETTING.get(name) if tune_beta else None
    factors = (1.0, *NUDGES)
    walked = []

    def score_all(points):
        alphas = [point[0] for point in points]
        settings = {} if setting is None else {setting: [point[1] for point in points]}
        scores, ties = _medians(*course.per_start(name, alphas, settings, factors))
        walked.append(scores.size * len(course.starts))
        return [max(zip(*row, strict=True)) for row in zip(scores.tolist(), ties.tolist(), strict=True)]

    axes = [_ALPHA_AXIS] if setting is None else [_ALPHA_AXIS, _BETA_AXIS]
    tuning = tune(score_all, axes, refine=[steps[:len(axes)] for steps in _REFINE])
    values = tuning.settings()
    searched = {"alpha": tuning.tried(0), "walks": sum(walked)}
    if setting is not None:
        searched[setting] = tuning.tried(1)
    return values[0], ({} if setting is None else {setting: values[1]}), tuning.on_edge, searched


def _entry(course, name, alpha, settings, tuned, on_edge=False, searched=None):
    """The entry for `name` at these settings: its walk, its scores from every start, nudged too."""
    factors = (1.0, *NUDGES)
    per_start, ties = course.per_start(name, [alpha], {key: [value] for key, value in settings.items()},
                                       factors)
    scores, tie_breaks = _medians(per_start[0], ties[0])
    nudged = {factor: float(score) for factor, score in zip(NUDGES, scores[1:], strict=True)}
    return RaceEntry(name, alpha, settings, tuned, course.walk(name, alpha, settings), per_start[0, 0],
                     float(scores[0]), float(tie_breaks[0]), nudged,
                     robust(course.measure, float(scores[0]), nudged.values()), on_edge, searched or {})


def _course_of(landscape, max_steps, loss_below, escape_distance, alpha):
    """The course's budget and score: its entry in RACE_COURSES, unless the caller sets a score."""
    course = dict(RACE_COURSES.get(landscape.name, {"max_steps": 200}))
    if (loss_below, escape_distance, alpha) != (None, None, None):
        course = {"max_steps": course["max_steps"]}  # the caller's score replaces the course's
    given = {"max_steps": max_steps, "loss_below": loss_below, "escape_distance": escape_distance,
             "alpha": alpha}
    course.update({key: value for key, value in given.items() if value is not None})
    if course.get("escape_distance") is not None and course.get("alpha") is None:
        raise ValueError("alpha: a race scored by escape_distance needs one shared alpha, since on a "
                         "landscape without a bottom a bigger alpha always escapes sooner")
    return course


def race(landscape, names=RACE_OPTIMIZERS, max_steps=None, start=None, loss_below=None,
         escape_distance=None, alpha=None, escape_from=(0.0, 0.0), tune_beta=True, seed=0):
    """Race optimizers from 16 starts, each at its best settings, scored by a stated measure.

    `landscape`: a catalogue name, "aligned ravine" or a Landscape. A course in
    `RACE_COURSES` brings its budget and score; `max_steps` replaces the budget,
    and `loss_below` (score: steps until the loss is at most it),
    `escape_distance` (steps until Chad is that far from `escape_from`) or
    `alpha` (one rate shared by all, default settings, nothing tuned) replace
    the score. `start` is the course's start (the landscape's by default) and
    `seed` draws the other 15 (`race_starts`). Without a shared alpha each
    optimizer is tuned as the module docstring says; `tune_beta=False` tunes
    alpha alone, every other setting at its default. Returns a `RaceResult`.
    """
    landscape = course_landscape(landscape)
    names = list(names)
    if not names:
        raise ValueError("names must list at least one optimizer, got an empty list")
    for name in names:
        optimizers.get(name)  # raises a ValueError naming the allowed optimizers
        if name == "sgd":
            raise ValueError("names: the race is for full-gradient optimizers; 'sgd' races in notebook 09")
    course = _course_of(landscape, max_steps, loss_below, escape_distance, alpha)
    goal = course.get("loss_below")
    goal = None if goal is None else _checks.real("loss_below", goal)
    escape = course.get("escape_distance")
    escape = None if escape is None else _checks.positive("escape_distance", escape)
    shared = course.get("alpha")
    shared = None if shared is None else _checks.positive("alpha", shared)
    starts = race_starts(landscape, start, RACE_STARTS, seed)
    max_steps = _checks.count("max_steps", course["max_steps"], minimum=1)
    course = Course(landscape, starts, max_steps, goal, escape, _checks.point("escape_from", escape_from))
    entries = {}
    for name in names:
        settings = optimizers.hyperparameters(name)
        if shared is not None:
            entries[name] = _entry(course, name, shared, settings, ())
            continue
        best, memory, on_edge, searched = _tune(course, name, bool(tune_beta))
        entries[name] = _entry(course, name, best, {**settings, **memory}, ("alpha", *memory), on_edge,
                               searched)
    return RaceResult(landscape, max_steps, course.measure, goal if escape is None else escape, entries,
                      tuple(course.escape_from), starts)


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
