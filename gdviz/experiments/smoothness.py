"""Beyond quadratics (07): L-smoothness and the descent lemma, convex against strongly convex, step sizes.

- `smoothness_constant(landscape)`: the L of a quadratic (its largest
  curvature) or of a cross-entropy classifier's landscape (from its data,
  `theory.log_loss_smoothness`): every Hessian eigenvalue, everywhere, is at most L.
- `descent_walk`: one walk of plain descent, each step's actual drop in loss
  beside the descent lemma's guaranteed drop alpha (1 - alpha L / 2) ||g||^2.
- `descent_lemma`: the same from many starts over a sweep of alpha, plus a
  few walks to show.
- `rate_runs`, `convergence_rates`: the loss gap of a convex loss with no
  minimum (the log loss of separable data) and of a strongly convex one (the
  ravine), each beside the theory's bound on it, with the fitted rate.
- `schedule_sums`, `schedule_walks`: partial sums of alpha_t and alpha_t^2
  for the schedules of notebook 09, and noise-free walks with each schedule.
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import _checks, classifier, landscapes, optimizers, schedules, theory
from ..batch import run_batch
from ..run import run
from ._many_starts import RACE_STARTS, starts_around
from ._mapping import MappingResult
from .training import log_loss_hessian

__all__ = ["GRAD_BELOW", "SEPARABLE_DATA", "DescentLemma", "DescentWalk", "PartialSums", "RateComparison",
           "RateRun", "ScheduleSums", "ScheduledWalks", "convergence_rates", "descent_lemma", "descent_walk",
           "lemma_landscape", "rate_runs", "schedule_sums", "schedule_walks", "separable_landscape",
           "smoothness_constant"]

GRAD_BELOW = 1e-6  # walks stop here: below it a step's drop in loss is lost in rounding
ROUNDING = 1e-12  # a drop may fall short of the guarantee by this much of the loss: rounding, not a failure
# Four examples on a line that a boundary at x = 0 separates: the log loss has no minimum (08).
SEPARABLE_DATA = (np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0, 0, 1, 1]))
SHOWN_MULTIPLES = (1.0, 1.9, 24.0)  # alpha L of the walks `descent_lemma` keeps to show


def separable_landscape():
    """The cross-entropy (w, b) landscape of `SEPARABLE_DATA`: convex, smooth, its infimum 0 at infinity."""
    return classifier.classifier_landscape(SEPARABLE_DATA)


def smoothness_constant(landscape):
    """L: at most L in size is every Hessian eigenvalue of the landscape, everywhere.

    A quadratic's largest curvature; for a cross-entropy classifier's
    landscape without a penalty, `theory.log_loss_smoothness` of its data.
    """
    landscape = landscapes.get(landscape)
    if landscape.max_curvature is not None:
        return landscape.max_curvature
    penalised = "w²" in landscape.formula
    if landscape.data is not None and landscape.name == "cross_entropy classifier" and not penalised:
        return theory.log_loss_smoothness(landscape.data[0])
    raise ValueError(f"landscape must be a quadratic or a cross-entropy classifier's landscape without a "
                     f"penalty, whose L is known everywhere; got {landscape.name!r}")


def lemma_landscape(landscape=None):
    """The landscape asked for; by default notebook 08's cross-entropy classifier, L from its data."""
    if landscape is None:
        return classifier.classifier_landscape(loss="cross_entropy")
    return landscapes.get(landscape)


def curvature_at_minimum(landscape):
    """The largest Hessian eigenvalue at the landscape's minimum: what Chad feels once he gets there."""
    if landscape.max_curvature is not None:
        return landscape.max_curvature
    (x, y), (w, b) = landscape.data, landscape.minima[0]
    return float(np.linalg.eigvalsh(log_loss_hessian(x, y, w, b))[-1])


# ---------------------------------------------------------------- the descent lemma

@dataclass(frozen=True)
class DescentWalk:
    """One walk of plain descent, the descent lemma checked at every step.

    decrease[t] = L(w_t) - L(w_t+1), what update t took off the loss
    (negative: the loss rose); guaranteed[t] = alpha (1 - alpha L / 2) ||g_t||^2,
    the least the lemma promises (negative beyond 2/L, where it only caps a rise).
    """

    landscape: object
    smoothness: float
    alpha: float
    trajectory: object
    decrease: np.ndarray
    guaranteed: np.ndarray

    @property
    def multiple(self):
        """alpha L: the rate in units of 1/L."""
        return self.alpha * self.smoothness

    @property
    def guarantee_per_gradient(self):
        """alpha (1 - alpha L / 2): the guaranteed drop per unit of ||g||^2, the same at every step."""
        return self.alpha * (1.0 - self.alpha * self.smoothness / 2.0)

    @property
    def per_gradient(self):
        """decrease[t] / ||g_t||^2, to set against `guarantee_per_gradient`."""
        grad = self.trajectory.grad[:-1]
        return self.decrease / np.sum(grad * grad, axis=-1)

    @property
    def rises(self):
        """The updates after which the loss was higher than before."""
        return np.flatnonzero(self.decrease < 0)

    @property
    def lemma_held(self):
        """True when every step took off at least the guarantee (to within `ROUNDING` of the loss)."""
        slack = ROUNDING * (1.0 + np.abs(self.trajectory.loss[:-1]))
        return bool(np.all(self.decrease >= self.guaranteed - slack))


def _descent_walk(landscape, smoothness, alpha, trajectory):
    decrease = trajectory.loss[:-1] - trajectory.loss[1:]
    guaranteed = theory.guaranteed_decrease(alpha, smoothness, trajectory.grad[:-1])
    return DescentWalk(landscape, smoothness, alpha, trajectory, decrease, guaranteed)


def descent_walk(landscape=None, alpha=None, start=None, max_steps=100, grad_below=GRAD_BELOW):
    """Plain descent with each step's drop set beside the descent lemma's guarantee, as a `DescentWalk`.

    The landscape defaults to notebook 08's cross-entropy classifier, alpha to
    1/L; the walk stops after `max_steps` or once |g| <= `grad_below`.
    """
    landscape = lemma_landscape(landscape)
    smoothness = smoothness_constant(landscape)
    alpha = 1.0 / smoothness if alpha is None else _checks.positive("alpha", alpha)
    start = landscape.start if start is None else _checks.point("start", start)
    steps = optimizers.gradient_descent(landscape, start, alpha)
    trajectory = run(steps, max_steps=max_steps, grad_below=grad_below)
    return _descent_walk(landscape, smoothness, alpha, trajectory)


@dataclass(frozen=True)
class DescentLemma:
    """The descent lemma against many walks: one entry per rate of the sweep, and walks to show.

    multiples (k,) : alpha L of each rate, alphas (k,) the rates themselves.
    worst (k,) : the smallest decrease / ||g||^2 of any step from any start.
    rising (k,) : how many of the starts' walks had a step that rose.
    lemma_held (k,) : every step of every walk took off at least its guarantee.
    walks : {label: DescentWalk} from the landscape's start, e.g. "1/L".
    curvature_at_minimum : the largest curvature at the minimum, where the walks end.
    """

    landscape: object
    smoothness: float
    starts: np.ndarray
    max_steps: int
    multiples: np.ndarray
    alphas: np.ndarray
    worst: np.ndarray
    rising: np.ndarray
    lemma_held: np.ndarray
    walks: dict
    curvature_at_minimum: float


def descent_lemma(landscape=None, multiples=None, shown=SHOWN_MULTIPLES, starts=RACE_STARTS, seed=0,
                  max_steps=100, grad_below=GRAD_BELOW):
    """Plain descent at alpha = multiple / L from `starts` starts (`starts_around`), as a `DescentLemma`.

    `multiples` defaults to 50 values from 0.1 to 30, evenly spaced in log;
    `shown` are the multiples walked from the landscape's own start and kept
    whole. Every walk stops after `max_steps` or once |g| <= `grad_below`.
    """
    landscape = lemma_landscape(landscape)
    smoothness = smoothness_constant(landscape)
    multiples = (np.geomspace(0.1, 30.0, 50) if multiples is None
                 else _checks.array("multiples", multiples, 0.0, flat=True))
    points = starts_around(landscape, count=starts, seed=seed)
    alphas = multiples / smoothness
    n = len(points)
    batch = run_batch("gradient_descent", landscape, np.tile(points, (len(alphas), 1)),
                      alpha=np.repeat(alphas, n), max_steps=max_steps, grad_below=grad_below)
    taken = np.arange(batch.loss.shape[1] - 1)[None, :] < batch.n_updates[:, None]  # padding is not a step
    decrease = batch.loss[:, :-1] - batch.loss[:, 1:]
    squared = np.sum(batch.grad[:, :-1] ** 2, axis=-1)
    guaranteed = theory.guaranteed_decrease(np.repeat(alphas, n)[:, None], smoothness, batch.grad[:, :-1])
    slack = ROUNDING * (1.0 + np.abs(batch.loss[:, :-1]))
    per_gradient = np.where(taken, decrease / np.where(taken, squared, 1.0), np.inf)
    shape = (len(alphas), n)
    worst = per_gradient.min(axis=1).reshape(shape).min(axis=1)
    rising = ((decrease < 0) & taken).any(axis=1).reshape(shape).sum(axis=1)
    held = (~taken | (decrease >= guaranteed - slack)).all(axis=1).reshape(shape).all(axis=1)
    walks = {f"{multiple:g}/L": descent_walk(landscape, multiple / smoothness, landscape.start, max_steps,
                                             grad_below)
             for multiple in shown}
    return DescentLemma(landscape, smoothness, points, max_steps, multiples, alphas, worst, rising, held,
                        walks, curvature_at_minimum(landscape))


# ---------------------------------------------------------------- convex against strongly convex

RATE_KINDS = ("convex", "strongly convex")
RATE_STEPS = {"convex": 5000, "strongly convex": 200}


@dataclass(frozen=True)
class RateRun:
    """One walk of plain descent: its loss gap beside the theory's bound on that gap.

    kind : "convex" (the log loss of `SEPARABLE_DATA`, infimum 0 at infinity) or
        "strongly convex" (the ravine, m = 0.5, L = 10).
    gap (n,) : L(w_t) - inf L. bound (n,) : the theory's cap on it at each t:
        convex, the best L(u) + ||w0 - u||^2 / (2 alpha t) over points u on the
        ray of the widest-margin boundary (inf at t = 0), proven for alpha <= 1/L;
        strongly convex, `theory.quadratic_gap_factor`^t times the first gap,
        proven for alpha <= 2/(L + m).
    slope : fitted over t from `fit_from` to the end, of log gap against log t
        for the convex run (-1 is 1/t) and against t for the strongly convex one
        (`factor` = e^slope is the gap's factor per step).
    """

    kind: str
    landscape: object
    alpha: float
    smoothness: float
    low: float  # m, the smallest curvature: 0 for the convex run, which flattens out
    trajectory: object
    gap: np.ndarray
    bound: np.ndarray
    fit_from: int
    slope: float

    @property
    def factor(self):
        """e^slope: the per-step factor of the gap that the fit finds (for the strongly convex run)."""
        return math.exp(self.slope)

    @property
    def bound_proven(self):
        """True when alpha is in the range where the theory proves `bound`."""
        limit = 1.0 / self.smoothness if self.kind == "convex" else 2.0 / (self.smoothness + self.low)
        return self.alpha <= limit * (1 + 1e-12)


def _margin_direction(landscape):
    """The unit direction in (w, b) of the widest-margin boundary of separable 1-D data, class 1 positive."""
    x, y = landscape.data
    if x[y == 0].max() < x[y == 1].min():
        middle, sign = (x[y == 0].max() + x[y == 1].min()) / 2, 1.0
    elif x[y == 1].max() < x[y == 0].min():
        middle, sign = (x[y == 1].max() + x[y == 0].min()) / 2, -1.0
    else:
        raise ValueError(f"landscape {landscape.name!r}: its data are not separable, its minimum is finite")
    direction = sign * np.array([1.0, -middle])
    return direction / np.linalg.norm(direction)


def _convex_bound(landscape, start, alpha, t):
    """min over u = r d of L(u) + ||w0 - u||^2 / (2 alpha t): each u gives a bound, so their least does."""
    radii = np.geomspace(1e-3, 1e3, 400)
    points = radii[:, None] * _margin_direction(landscape)
    far = np.sum((points - start) ** 2, axis=-1)
    return np.min(landscape(points) + theory.convex_gap_bound(alpha, far, t[:, None]), axis=1)


def rate_runs(kind, starts=None, multiple=1.0, steps=None):
    """Plain descent at alpha = multiple / L from each start, a list of `RateRun`, one per start.

    kind : "convex" or "strongly convex" (see `RateRun`); starts : (n, 2),
    default the landscape's own; steps : default 5000 (convex) or 200.
    """
    _checks.choice("kind", kind, RATE_KINDS)
    landscape = separable_landscape() if kind == "convex" else landscapes.get("ravine")
    points = landscape.start[None, :] if starts is None else _checks.points("starts", starts)
    steps = RATE_STEPS[kind] if steps is None else _checks.count("steps", steps, minimum=20)
    smoothness = smoothness_constant(landscape)
    low = 0.0 if kind == "convex" else theory.quadratic_curvatures(landscape)[0]
    alpha = _checks.positive("multiple", multiple) / smoothness
    batch = run_batch("gradient_descent", landscape, points, alpha=alpha, max_steps=steps)
    t = np.arange(steps + 1)
    fit_from = steps // 10
    runs = []
    for index in range(len(points)):
        trajectory = batch.trajectory(index)
        if trajectory.stop_reason != "max_steps":
            raise ValueError(f"multiple: at alpha = {multiple:g}/L the walk from {points[index].tolist()} "
                             f"{trajectory.stop_reason}; keep alpha below 2/L")
        if kind == "convex":
            gap = trajectory.loss  # the infimum is 0, approached as w grows without end
            bound = np.concatenate([[np.inf], _convex_bound(landscape, points[index], alpha, t[1:])])
            slope = np.polyfit(np.log(t[fit_from:]), np.log(gap[fit_from:]), 1)[0]
        else:
            gap = trajectory.loss - float(landscape(landscape.minima[0]))
            bound = theory.quadratic_gap_factor(alpha, low, smoothness) ** t * gap[0]
            slope = np.polyfit(t[fit_from:], np.log(gap[fit_from:]), 1)[0]
        runs.append(RateRun(kind, landscape, alpha, smoothness, low, trajectory, gap, bound, fit_from,
                            float(slope)))
    return runs


@dataclass(frozen=True, eq=False)
class RateComparison(MappingResult):
    """The two `RateRun`s, {"convex": ..., "strongly convex": ...}, each from its landscape's start."""

    ITEMS = "runs"
    multiple: float
    runs: dict


def convergence_rates(multiple=1.0, convex_steps=RATE_STEPS["convex"],
                      strong_steps=RATE_STEPS["strongly convex"]):
    """Both runs of `rate_runs` at alpha = multiple / L of their own landscape, as a `RateComparison`."""
    runs = {"convex": rate_runs("convex", multiple=multiple, steps=convex_steps)[0],
            "strongly convex": rate_runs("strongly convex", multiple=multiple, steps=strong_steps)[0]}
    return RateComparison(float(multiple), runs)


# ---------------------------------------------------------------- step-size conditions

@dataclass(frozen=True)
class PartialSums:
    """One schedule's partial sums: steps[i] of alpha_t and squares[i] of alpha_t^2, over t < horizons[i].

    running_steps, running_squares : the same for every T from 1 to the largest
    horizon (entry T - 1). steps_limit, squares_limit : the whole sums, from
    theory (inf when they grow without end).
    """

    schedule: object
    steps: np.ndarray
    squares: np.ndarray
    running_steps: np.ndarray
    running_squares: np.ndarray
    steps_limit: float
    squares_limit: float

    @property
    def reaches_anywhere(self):
        """sum alpha_t = infinity: the steps add up to any distance."""
        return math.isinf(self.steps_limit)

    @property
    def noise_dies_out(self):
        """sum alpha_t^2 < infinity: the noise the steps add up to stays bounded."""
        return math.isfinite(self.squares_limit)


@dataclass(frozen=True, eq=False)
class ScheduleSums(MappingResult):
    """Partial sums of the three schedules of notebook 09: {schedule name: PartialSums}."""

    ITEMS = "sums"
    horizons: np.ndarray
    sums: dict


def _schedules(alpha, decay_steps, step_size, gamma):
    return (schedules.constant(alpha), schedules.inverse_time(alpha, decay_steps),
            schedules.step_decay(alpha, step_size, gamma))


def schedule_sums(alpha=2.0, decay_steps=15, step_size=75, gamma=0.5, horizons=(10, 100, 1000, 10_000)):
    """Sums of alpha_t and alpha_t^2 over the first T updates, for each T in `horizons`, as `ScheduleSums`.

    The schedules are notebook 09's: a constant alpha, 1/t with `decay_steps`,
    step decay by `gamma` every `step_size` updates, each called for every t.
    """
    horizons = _checks.array("horizons", horizons, 1.0, low_allowed=True, flat=True)
    if not np.all(horizons == np.round(horizons)):
        raise ValueError(f"horizons must be whole numbers of updates, got {horizons.tolist()}")
    horizons = horizons.astype(int)
    limits = ((math.inf, math.inf), theory.inverse_time_sums(alpha, decay_steps),
              theory.step_decay_sums(alpha, step_size, gamma))
    sums = {}
    plan = _schedules(alpha, decay_steps, step_size, gamma)
    for schedule, (steps_limit, squares_limit) in zip(plan, limits, strict=True):
        rates = np.array([schedule(t) for t in range(int(horizons.max()))])
        running, squared = np.cumsum(rates), np.cumsum(rates * rates)
        sums[schedule.name] = PartialSums(schedule, running[horizons - 1], squared[horizons - 1], running,
                                          squared, steps_limit, squares_limit)
    return ScheduleSums(horizons, sums)


@dataclass(frozen=True, eq=False)
class ScheduledWalks(MappingResult):
    """Noise-free walks, one per schedule: {schedule name: Trajectory}, all from `start` on `landscape`."""

    ITEMS = "walks"
    landscape: object
    start: np.ndarray
    walks: dict
    schedules: dict

    def distances(self):
        """{name: distance from the minimum at the end of the walk}, and "start" for the start's."""
        minimum = self.landscape.minima[0]
        found = {"start": float(np.linalg.norm(self.start - minimum))}
        found.update({name: float(np.linalg.norm(walk.w[-1] - minimum)) for name, walk in self.walks.items()})
        return found


def schedule_walks(landscape="bowl", alpha=0.05, decay_steps=10, step_size=10, gamma=0.5, steps=2000,
                   start=None):
    """Descent with each schedule's alpha_t and the exact gradient (SGD with no noise), as `ScheduledWalks`.

    Without noise only the first condition matters: step decay's rates add up
    to alpha step_size / (1 - gamma), and on the bowl every step multiplies the
    distance by 1 - 2 alpha_t, so Chad stops short of the minimum.
    """
    landscape = landscapes.get(landscape)
    if not len(landscape.minima):
        raise ValueError(f"landscape must have a minimum to measure the distance to, got {landscape.name!r}")
    start = landscape.start if start is None else _checks.point("start", start)
    plan = {schedule.name: schedule for schedule in _schedules(alpha, decay_steps, step_size, gamma)}
    walks = {name: run(optimizers.sgd(landscape, start, schedule, noise=0.0), max_steps=steps)
             for name, schedule in plan.items()}
    return ScheduledWalks(landscape, start, walks, plan)
