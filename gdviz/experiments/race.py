"""The race of optimizers (08): each at its best settings, from one start, scored by a stated measure.

A race is fair when every optimizer gets the same start and the same step
budget, runs at settings tuned for this course (so nobody loses for a badly
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

Tuning. alpha = 10^(i/16) and beta = 1 - 10^(-j/16) for integers i, j (beta
even in log(1 - beta), j = 0 being beta = 0). Tuned beside alpha is each
optimizer's memory, `MAIN_SETTING`: beta for momentum, Nesterov and RMSProp,
beta1 for Adam (its momentum); beta2 and eps keep their torch.optim defaults
and Adagrad has nothing else to tune. First a grid of two rates per decade
from 1e-3 to 1 (with beta at 0, 0.68, 0.9, 0.97, 0.99) grows a decade at a
time while its best sits on an edge (alpha within 1e-6 to 1e3, beta up to
0.999). Then a compass search refines the best: it tries the neighbours 4, 2
and 1 sixteenths of a decade away (diagonals too), moving while one is
better. So the chosen settings beat all their tried neighbours; only where a
neighbour lies beyond a limit is the best "on the edge" (`on_edge`). Walks
that diverge are never chosen; in a race scored by steps, a walk is cut off
once it has used as many steps as the best so far, since it cannot win. The
search is the one every lesson that tunes shares, `_tuning.tune`, on these two axes.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from .. import _checks, landscapes, optimizers
from .._geometry import rotation
from ..landscapes import Landscape
from ..run import Trajectory, run
from ._tuning import Axis, tune

__all__ = ["MAIN_SETTING", "RACE_COURSES", "RACE_OPTIMIZERS", "RaceEntry", "RaceResult", "aligned_ravine",
           "course_landscape", "momentum_gain", "race"]

RACE_OPTIMIZERS = ("gradient_descent", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
MAIN_SETTING = {"momentum": "beta", "nesterov": "beta", "rmsprop": "beta", "adam": "beta1"}

# Grid indices (integers, so a grid never compares floats): 16 per decade.
_PER_DECADE = 16
_COARSE = 8                 # the first grid: every 8th index, two per decade
_ALPHA_START = (-48, 0)     # 1e-3 to 1
_ALPHA_LIMITS = (-96, 48)   # 1e-6 to 1e3
_BETA_START = 32            # beta 0 to 0.99
_BETA_LIMIT = 48            # 0.999

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
    """One optimizer's run in a race, at the settings it chose.

    alpha, settings : the learning rate, and every other hyperparameter the walk used
    tuned : the names of the settings tuned for this race (empty when alpha was shared)
    trajectory : the walk (`run`'s Trajectory); a steps-scored walk ends at its goal
    score : the race's measure, lower is better; math.inf when the goal was not reached
    on_edge : True when a tuned setting sits at a limit of the search (see the module)
    searched : {"alpha": rates tried, "beta" or "beta1": values tried, "walks": how many}
    """

    name: str
    alpha: float
    settings: dict
    tuned: tuple
    trajectory: Trajectory
    score: float
    on_edge: bool
    searched: dict = field(default_factory=dict)

    @property
    def final_loss(self):
        return float(self.trajectory.loss[-1])

    @property
    def reached(self):
        """True when the walk reached the race's goal (a final-loss race has none to miss)."""
        return math.isfinite(self.score)

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
    """A race: the course, how it is scored, and its entries {name: RaceEntry} in the order run.

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

    def __getitem__(self, name):
        return self.entries[name]

    def describe(self):
        """The score in words."""
        if self.measure == "steps to loss":
            return (f"steps until the loss is at most {self.goal:g}, fewer is better (within "
                    f"{self.max_steps}; a walk that never gets there ranks behind, by its final loss)")
        if self.measure == "steps to distance":
            return (f"steps until Chad is {self.goal:g} away from the saddle point, fewer is better "
                    f"(within {self.max_steps}; all at α = {next(iter(self.entries.values())).alpha:g})")
        return f"the loss after {self.max_steps} steps, lower is better"

    def progress(self, entry):
        """What the score reads at each step: the loss, or in an escape the distance from the saddle point."""
        if self.measure == "steps to distance":
            return np.linalg.norm(entry.trajectory.w - np.asarray(self.escape_from), axis=-1)
        return entry.trajectory.loss

    def ranking(self):
        """The entries, best first: by score; walks short of the goal by how near they got."""
        sign = -1.0 if self.measure == "steps to distance" else 1.0
        return sorted(self.entries.values(), key=lambda entry: (entry.score, sign * self.progress(entry)[-1]))

    def table(self):
        """One printable row per entry, best first: place, name, score, settings, edge warnings."""
        rows = []
        for place, entry in enumerate(self.ranking(), start=1):
            if self.measure == "final loss":
                score = f"loss {entry.final_loss:.3g}"
            elif entry.reached:
                score = f"{entry.score:.0f} steps"
            else:
                reading = "distance" if self.measure == "steps to distance" else "loss"
                score = f"not in {self.max_steps} ({reading} {self.progress(entry)[-1]:.3g})"
            settings = ", ".join(f"{key} {value:.3g}" if isinstance(value, float) else f"{key} {value}"
                                 for key, value in {"alpha": entry.alpha, **entry.settings}.items()
                                 if key != "eps")
            edge = "  <- on the edge of the search" if entry.on_edge else ""
            rows.append(f"{place}. {entry.name:17s}{score:28s}{settings}{edge}")
        return "\n".join(rows)


    def endings(self, last=10):
        """Where each walk ends, its loss there, and how far it moved in its `last` steps: printable rows.

        The distance moved is rounded to 4 decimals: a walk at rest prints 0, not its rounding noise.
        """
        rows = []
        for name, entry in self.entries.items():
            end = np.round(entry.trajectory.w[-1], 2) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0
            rows.append(f"{name:17s}ends at ({end[0]:.2f}, {end[1]:.2f}), loss {entry.final_loss:.3g}, "
                        f"moved {round(entry.moved(last), 4):.2g} in its last {last} steps")
        return "\n".join(rows)


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


def _until_far(steps, point, distance):
    """The steps up to and including the first at least `distance` from `point`."""
    for step in steps:
        yield step
        if np.linalg.norm(step.w - point) >= distance:
            return


class _Course:
    """How one race walks and scores, the same for every optimizer in it."""

    def __init__(self, landscape, start, max_steps, loss_below, escape_distance, escape_from):
        self.landscape, self.start, self.max_steps = landscape, start, max_steps
        self.loss_below, self.escape_distance, self.escape_from = loss_below, escape_distance, escape_from
        self.measure = ("steps to distance" if escape_distance is not None
                        else "steps to loss" if loss_below is not None else "final loss")

    def walk(self, name, alpha, settings, bound=None):
        """One walk; `bound` caps a steps-scored walk at the best step count so far."""
        steps = optimizers.get(name)(self.landscape, self.start, alpha, **settings)
        if self.measure == "steps to distance":
            # Far away is the goal here, so the divergence guard stands far beyond it.
            return run(_until_far(steps, self.escape_from, self.escape_distance), max_steps=self.max_steps,
                       escape_radius=1e150)
        max_steps = self.max_steps if bound is None else min(self.max_steps, int(bound))
        return run(steps, max_steps=max_steps, loss_below=self.loss_below)

    def score(self, trajectory):
        """(score, tie-break), lower is better in both; diverged is (inf, inf).

        The tie-break is how near the goal a walk got (its final loss, or minus
        its distance), and for a final-loss score the mean loss along the walk:
        of two walks that end equally low (both at the bottom of one dimple),
        the one that got there sooner wins.
        """
        if self.measure == "steps to distance":
            distance = np.linalg.norm(trajectory.w - self.escape_from, axis=-1)
            far = np.flatnonzero(distance >= self.escape_distance)
            return (float(far[0]) if far.size else math.inf), -float(distance[-1])
        if trajectory.stop_reason == "diverged":
            return math.inf, math.inf
        final = float(trajectory.loss[-1])
        if self.measure == "steps to loss":
            reached = trajectory.stop_reason == "loss_below"
            return (float(trajectory.n_updates) if reached else math.inf), final
        return final, float(trajectory.loss.mean())


def _alpha(index):
    return float(10.0 ** (index / _PER_DECADE))


def _beta(index):
    return float(1.0 - 10.0 ** (-index / _PER_DECADE))


_ALPHA_AXIS = Axis(_alpha, _ALPHA_START, _ALPHA_LIMITS, every=_COARSE, widen=_PER_DECADE)
# beta = 0 is where the setting itself ends, not where a search was cut short: not an edge.
_BETA_AXIS = Axis(_beta, (0, _BETA_START), (0, _BETA_LIMIT), every=_COARSE, widen=_PER_DECADE,
                  edges=(False, True))


def _tune(course, name, tune_beta=True):
    """`name` at its best on `course`: (alpha, main setting or None, walk, score, on_edge, searched)."""
    setting = MAIN_SETTING.get(name) if tune_beta else None
    walks, reached = {}, []  # {(alpha, beta or None): walk}; the step counts of walks that got there

    def measure(alpha, beta=None):
        bound = min(reached) if reached and course.measure == "steps to loss" else None
        walks[alpha, beta] = trajectory = course.walk(name, alpha, {} if beta is None else {setting: beta},
                                                      bound)
        score = course.score(trajectory)
        if math.isfinite(score[0]):
            reached.append(score[0])
        return score

    axes = [_ALPHA_AXIS] if setting is None else [_ALPHA_AXIS, _BETA_AXIS]
    tuning = tune(measure, axes, refine=(4, 2, 1))
    alpha, beta = tuning.settings() if setting is not None else (*tuning.settings(), None)
    searched = {"alpha": tuning.tried(0), "walks": len(tuning.scores)}
    if setting is not None:
        searched[setting] = tuning.tried(1)
    return alpha, beta, walks[alpha, beta], tuning.scores[tuning.best][0], tuning.on_edge, searched


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
         escape_distance=None, alpha=None, escape_from=(0.0, 0.0), tune_beta=True):
    """Race optimizers from one start, each at its best settings, scored by a stated measure.

    `landscape`: a catalogue name, "aligned ravine" or a Landscape. A course in
    `RACE_COURSES` brings its budget and score; `max_steps` replaces the budget,
    and `loss_below` (score: steps until the loss is at most it),
    `escape_distance` (steps until Chad is that far from `escape_from`) or
    `alpha` (one rate shared by all, default settings, nothing tuned) replace
    the score. Without a shared alpha each optimizer is tuned as the module
    docstring says; `tune_beta=False` tunes alpha alone, every other setting
    at its default. Returns a `RaceResult`.
    """
    landscape = course_landscape(landscape)
    names = list(names)
    if not names:
        raise ValueError("names must list at least one optimizer, got an empty list")
    for name in names:
        optimizers.get(name)  # raises a ValueError naming the allowed optimizers
        if name == "sgd":
            raise ValueError("names: the race is for full-gradient optimizers; 'sgd' races in notebook 07")
    course = _course_of(landscape, max_steps, loss_below, escape_distance, alpha)
    goal = course.get("loss_below")
    goal = None if goal is None else _checks.real("loss_below", goal)
    escape = course.get("escape_distance")
    escape = None if escape is None else _checks.positive("escape_distance", escape)
    shared = course.get("alpha")
    shared = None if shared is None else _checks.positive("alpha", shared)
    start = landscape.start if start is None else _checks.point("start", start)
    max_steps = _checks.count("max_steps", course["max_steps"], minimum=1)
    course = _Course(landscape, start, max_steps, goal, escape, _checks.point("escape_from", escape_from))
    entries = {}
    for name in names:
        settings = optimizers.hyperparameters(name)
        if shared is not None:
            trajectory = course.walk(name, shared, {})
            score = course.score(trajectory)[0]
            entries[name] = RaceEntry(name, shared, settings, (), trajectory, score, False)
            continue
        best, memory, trajectory, score, on_edge, searched = _tune(course, name, bool(tune_beta))
        tuned = ("alpha",) if memory is None else ("alpha", MAIN_SETTING[name])
        if memory is not None:
            settings[MAIN_SETTING[name]] = memory
        entries[name] = RaceEntry(name, best, settings, tuned, trajectory, score, on_edge, searched)
    return RaceResult(landscape, max_steps, course.measure, goal if escape is None else escape, entries,
                      tuple(course.escape_from))


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
