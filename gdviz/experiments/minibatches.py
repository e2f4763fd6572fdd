"""Minibatches (09): SGD against full-batch descent, the batch gradients' average, and schedules.

- `sgd_runs`: full-batch descent and SGD for the same number of epochs;
- `tuned_epoch_race`: the same race made fair: each batch size at its own
  tuned constant rate, from many starts and seeds, its verdicts nudged;
- `epoch_gradients`: one epoch's batch gradients at a fixed w, weighted by
  batch size, against the full gradient;
- `schedule_comparison`: SGD's jitter at the end of training with a constant
  rate (including the best constant rate) and with decaying schedules
  (`gdviz.schedules`), measured by `end_jitter`.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from .. import _checks, data, landscapes, optimizers, schedules, theory
from ..run import run
from ._many_starts import LOSS_FLOOR, NUDGES, starts_around
from ._mapping import MappingResult
from ._sgd_batches import check_batch_landscape, epoch_gaps, median_gaps
from ._tuning import Axis, power_of_two_search, tune

__all__ = ["EPOCH_RACE_SEEDS", "EPOCH_RACE_STARTS", "LESSON_SCHEDULES", "EpochGradients", "EpochRace",
           "EpochRaceEntry", "Jitter", "Runs", "ScheduleComparison", "end_jitter", "epoch_gradients",
           "lesson_schedule", "schedule_comparison", "schedule_runs", "sgd_runs", "tuned_epoch_race"]


@dataclass(frozen=True, eq=False)
class Runs(MappingResult):
    """Walks on one landscape with data, from one start: a mapping {label: (Trajectory, steps_per_epoch)}.

    `runs` is that dict, in the order run; `settings` gives each label's settings
    ({"alpha": ..., "batch_size": ..., ...}). `a | b` joins two such results made
    on the same landscape from the same start (like two dicts: b's labels win).
    """

    ITEMS = "runs"
    landscape: object
    start: np.ndarray
    epochs: int
    runs: dict
    settings: dict

    def __or__(self, other):
        if not isinstance(other, Runs):
            return NotImplemented
        if other.landscape is not self.landscape or not np.array_equal(other.start, self.start):
            raise ValueError("only runs on the same landscape from the same start can be joined")
        return Runs(self.landscape, self.start, max(self.epochs, other.epochs), self.runs | other.runs,
                    self.settings | other.settings)


def sgd_runs(landscape, alpha, batch_sizes=(8,), epochs=10, shuffle=True, seed=0, start=None,
             schedule="constant"):
    """Full-batch descent and SGD for each batch size, from one start, for the same epochs.

    An epoch is one pass over the data: one step of full-batch descent, or
    ceil(n / batch_size) minibatch steps (`theory.batches_per_epoch`). Returns
    `Runs`, {label: (Trajectory, steps_per_epoch)}, the full-batch run first.
    `landscape` must carry data (`landscape.has_data`), like
    `classifier.classifier_landscape()`. `schedule` names the SGD runs' rate
    (`lesson_schedule`: "constant", "1/t" or "step decay", starting at alpha);
    full-batch descent keeps alpha throughout.
    """
    landscape = _with_data(landscape)
    epochs = _checks.count("epochs", epochs, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    runs = {"full batch": (run(optimizers.gradient_descent(landscape, start, alpha), max_steps=epochs), 1)}
    settings = {"full batch": {"alpha": alpha, "batch_size": landscape.data_size}}
    for batch_size in batch_sizes:
        per_epoch = theory.batches_per_epoch(landscape.data_size, batch_size)
        rate = lesson_schedule(schedule, alpha, per_epoch)
        steps = optimizers.sgd(landscape, start, rate, batch_size=batch_size, shuffle=shuffle, seed=seed)
        label = (f"batch {batch_size}" + ("" if shuffle else ", unshuffled")
                 + ("" if schedule == "constant" else f", {schedule}"))
        runs[label] = (run(steps, max_steps=epochs * per_epoch), per_epoch)
        settings[label] = {"alpha": alpha, "batch_size": batch_size, "shuffle": shuffle, "seed": seed,
                           "schedule": schedule}
    return Runs(landscape, start, epochs, runs, settings)


# --- per epoch, each at its best rate: the fair version of the race above ----------------------

EPOCH_RACE_STARTS = 16        # Chad's start and 15 around it (`starts_around`)
EPOCH_RACE_SEEDS = tuple(range(8))
# Rates alpha = 10^(i/48): first every 8th index (six a decade) from 0.1 to 100, widened half a decade
# at a time while the best sits at an end (within 1e-3 to 1e3), then refined by a compass search to the
# neighbours 4, 2 and 1 index away; one index is a factor 1.049, so a nudge by 0.9 or 1.1 is about two.
_PER_DECADE = 48
_ALPHA_AXIS = Axis(lambda index: 10.0 ** (index / _PER_DECADE), first=(-48, 96), limits=(-144, 144),
                   every=8, widen=24)
_REFINE = (4, 2, 1)


@dataclass(frozen=True, eq=False)
class EpochRaceEntry:
    """One batch size in `tuned_epoch_race`, walked at its own tuned constant rate.

    label : "full batch" or "batch B"; batch_size, steps_per_epoch : B and ceil(n / B)
    alpha : the tuned rate; on_edge : True when it sits at a limit of the search (1e-3 or 1e3)
    gaps : (starts, seeds) the loss above the minimum after the race's epochs, one per walk
        (inf for a walk that diverged); full-batch descent draws no batches, so its columns agree
    median : the score, the median of `gaps`, each gap below LOSS_FLOOR counted as LOSS_FLOOR
    nudged : {factor: median} the same score at alpha x 0.9 and x 1.1
    tried, scores : every rate tried, ascending, and its score
    """

    label: str
    batch_size: int
    steps_per_epoch: int
    alpha: float
    on_edge: bool
    gaps: np.ndarray
    median: float
    nudged: dict
    tried: np.ndarray
    scores: np.ndarray

    @property
    def medians(self):
        """The score at alpha and at each nudge of it."""
        return (self.median, *self.nudged.values())

    def beats(self, other):
        """True when all of this entry's medians (at alpha, x 0.9, x 1.1) are lower than all of `other`'s:
        a lead that no nudge of either rate undoes. Entries of different races compare too."""
        return max(self.medians) < min(other.medians)


@dataclass(frozen=True, eq=False)
class EpochRace(MappingResult):
    """What `tuned_epoch_race` returns: {label: EpochRaceEntry}, full batch first.

    landscape, epochs, starts (n, 2), seeds : what the race was run with; minimum_loss : the
    loss at the landscape's minimum, from which the gaps are measured
    """

    ITEMS = "entries"
    landscape: object
    epochs: int
    starts: np.ndarray
    seeds: tuple
    minimum_loss: float
    entries: dict

    def describe(self):
        """The score in words."""
        return (f"loss above the minimum after {self.epochs} epoch{'s' * (self.epochs != 1)}, median of "
                f"{len(self.starts)} starts x {len(self.seeds)} seeds (lower is better)")

    def verdicts(self):
        """[(ahead, behind)]: every pair of labels where one entry `beats` the other, nudges and all."""
        return [(one, other) for one, entry in self.entries.items()
                for other, rival in self.entries.items() if entry.beats(rival)]

    def table(self):
        """Printable rows: the score in words, one row per entry, and the verdicts that survive nudges."""
        nudges = ", ".join(f"x {factor:g}" for factor in NUDGES)
        rows = [f"score: {self.describe()}",
                f"{'':11s}{'steps/epoch':>11s}{'alpha':>8s}{'median':>9s}   at alpha {nudges}"]
        for entry in self.entries.values():
            nudged = ", ".join(_gap_text(median) for median in entry.nudged.values())
            edge = "  <- on the edge of the search" if entry.on_edge else ""
            rows.append(f"{entry.label:11s}{entry.steps_per_epoch:11d}{entry.alpha:8.3g}"
                        f"{_gap_text(entry.median):>9s}   {nudged}{edge}")
        verdicts = self.verdicts()
        rows.append("ahead at every nudge: " + ("; ".join(f"{one} over {other}" for one, other in verdicts)
                                                if verdicts else "none"))
        return "\n".join(rows)

    def runs(self, start=0, seed=0):
        """The entries' walks from one of the starts (by index; 0 is Chad's) with one seed, at their tuned
        rates, through the optimizers and `run`: a `Runs`, for `figures.sgd_figure`."""
        start = self.starts[_checks.count("start", start)]
        walks, settings = {}, {}
        for label, entry in self.entries.items():
            if label == "full batch":
                steps = optimizers.gradient_descent(self.landscape, start, entry.alpha)
            else:
                steps = optimizers.sgd(self.landscape, start, entry.alpha, batch_size=entry.batch_size,
                                       seed=seed)
            walks[label] = (run(steps, max_steps=self.epochs * entry.steps_per_epoch), entry.steps_per_epoch)
            settings[label] = {"alpha": entry.alpha, "batch_size": entry.batch_size, "seed": seed}
        return Runs(self.landscape, start, self.epochs, walks, settings)


def tuned_epoch_race(landscape, epochs, batch_sizes=(4, 16), starts=None, seeds=EPOCH_RACE_SEEDS):
    """Full-batch descent and SGD per batch size for `epochs` epochs, each at its own tuned constant rate.

    The score: the loss above the minimum after `epochs` epochs, median over
    every start and shuffling seed (a walk that diverges scores inf; gaps
    below LOSS_FLOOR count as it, so rates that all reach the bottom tie and
    the gentler wins). Each entry's alpha is tuned on alpha = 10^(i/48) by
    `_tuning.tune`: every 8th index from 0.1 to 100, widened while the best is
    at an end, then refined to its neighbours 4, 2 and 1 index away. The tuned
    rate is walked again at alpha x 0.9 and x 1.1 (`EpochRaceEntry.nudged`);
    `EpochRace.verdicts` keeps only the leads that hold at all three.

    starts : (n, 2); by default Chad's start and 15 drawn around it (`starts_around`).
    seeds : the seeds of SGD's shuffles. Full-batch descent walks each start once.

    The walks move together as arrays (`_sgd_batches`, for the cross-entropy
    classifier landscapes), each equal to the one `optimizers.sgd` and `run` give.
    """
    landscape = _with_data(landscape)
    epochs = _checks.count("epochs", epochs, minimum=1)
    starts = (starts_around(landscape, count=EPOCH_RACE_STARTS) if starts is None
              else _checks.points("starts", starts))
    if not (seeds := tuple(_checks.count("seed", seed) for seed in seeds)):
        raise ValueError("seeds must name at least one seed")
    sizes = [_checks.count("batch_size", size, minimum=1) for size in batch_sizes]
    if any(size > landscape.data_size for size in sizes) or len(set(sizes)) < len(sizes):
        raise ValueError(f"batch_sizes must be different sizes, each at most the {landscape.data_size} "
                         f"examples, got {sizes}")
    minimum_loss = check_batch_landscape(landscape, bool(sizes))
    entries = {}
    for size in [None, *sizes]:
        def gaps_at(alphas, size=size):  # (alphas, starts, seeds)
            return epoch_gaps(landscape, alphas, starts, size, epochs, seeds, minimum_loss)

        def score_all(settings, gaps_at=gaps_at):
            return [float(median) for median in median_gaps(gaps_at([alpha for (alpha,) in settings]))]

        tuning = tune(score_all, [_ALPHA_AXIS], refine=_REFINE)
        (alpha,) = tuning.settings()
        tried = sorted(tuning.scores)
        at_alpha, *nudged = gaps_at([alpha, *(alpha * factor for factor in NUDGES)])
        label = "full batch" if size is None else f"batch {size}"
        entries[label] = EpochRaceEntry(
            label, landscape.data_size if size is None else size,
            1 if size is None else theory.batches_per_epoch(landscape.data_size, size), alpha, tuning.on_edge,
            np.array(at_alpha), float(median_gaps(at_alpha[None])[0]),
            dict(zip(NUDGES, (float(median) for median in median_gaps(np.array(nudged))), strict=True)),
            np.array([_ALPHA_AXIS.value(index) for (index,) in tried]),
            np.array([tuning.scores[point] for point in tried]))
    return EpochRace(landscape, epochs, starts, seeds, minimum_loss, entries)


def _gap_text(gap):
    return f"<{LOSS_FLOOR:.0e}" if gap <= LOSS_FLOOR else f"{gap:.1e}"


# --- the averaging sentence: batch gradients at one fixed w ----------------------------------

@dataclass(frozen=True)
class EpochGradients:
    """The gradients of one epoch's minibatches, all read at one fixed w, against the full gradient.

    sizes : (m,) examples in each batch (the last may be smaller).
    gradients : (m, 2) each batch's mean gradient at w.
    full : the gradient on all the data at w.
    weighted_mean : sum_j (size_j / n) g_j, equal to `full` up to rounding.
    plain_mean : mean_j g_j, which counts the small last batch as much as the others.
    moving_mean : size-weighted mean of the gradients SGD actually used over
        one epoch from w with rate `alpha` (None without alpha): each read where
        the previous steps had moved it, so not the full gradient at w.
    landscape, batch_size, seed, shuffle, alpha : the settings `epoch_gradients` was given.
    """

    landscape: object
    w: np.ndarray
    batch_size: int
    seed: int
    shuffle: bool
    alpha: float | None
    sizes: np.ndarray
    gradients: np.ndarray
    full: np.ndarray
    weighted_mean: np.ndarray
    plain_mean: np.ndarray
    moving_mean: object


def epoch_gradients(landscape, w, batch_size, seed=0, shuffle=True, alpha=None):
    """One epoch's minibatch gradients at a fixed w (`EpochGradients`), cut as `optimizers.sgd` cuts them.

    The full gradient is the mean over the n examples; a batch's gradient is
    the mean over its own. Grouping the examples by batch,

        full = (1/n) sum_j size_j g_j,

    so the batch gradients average to the full one when weighted by size, at
    the w they were all read at. With `alpha`, also runs one epoch of SGD from
    w and averages the gradients it used along the way (`moving_mean`).
    """
    landscape = _with_data(landscape)
    w = _checks.point("w", w)
    batches = data.batch_indices(landscape.data_size, batch_size, shuffle, seed)
    indices = [index for _, index in itertools.islice(batches, theory.batches_per_epoch(landscape.data_size,
                                                                                           batch_size))]
    sizes = np.array([len(index) for index in indices])
    gradients = np.array([landscape.batch_grad(w, index) for index in indices])
    moving = None
    if alpha is not None:
        steps = optimizers.sgd(landscape, w, alpha, batch_size=batch_size, shuffle=shuffle, seed=seed)
        used = np.array([step.grad for step in itertools.islice(steps, len(indices))])
        moving = sizes @ used / sizes.sum()
    return EpochGradients(landscape, w, batch_size, seed, shuffle, alpha, sizes, gradients, landscape.grad(w),
                          sizes @ gradients / sizes.sum(), gradients.mean(axis=0), moving)


# --- schedules: the end-of-training jitter, and how a decaying rate fades it ----------------

@dataclass(frozen=True)
class Jitter:
    """How much an SGD walk still moves over its last epochs.

    loss_gap : mean of L(w_t) - min L over those steps: how far above the bottom, on average.
    spread : root-mean-square distance of w_t from their own average: how far it wanders.
    """

    loss_gap: float
    spread: float


def end_jitter(landscape, trajectory, per_epoch, last_epochs=5):
    """`Jitter` of the points of the last `last_epochs` epochs of a walk (per_epoch updates each)."""
    landscape = landscapes.get(landscape)
    if not len(landscape.minima):
        raise ValueError(f"landscape must have a known minimum to measure the loss above it, "
                         f"got {landscape.name!r}")
    per_epoch = _checks.count("per_epoch", per_epoch, minimum=1)
    count = _checks.count("last_epochs", last_epochs, minimum=1) * per_epoch
    if count > trajectory.n_updates:
        raise ValueError(f"last_epochs covers {count} updates, more than the walk's {trajectory.n_updates}")
    tail_w, tail_loss = trajectory.w[-count:], trajectory.loss[-count:]
    spread = np.sqrt(np.mean(np.sum((tail_w - tail_w.mean(axis=0)) ** 2, axis=1)))
    return Jitter(float(np.mean(tail_loss) - float(landscape(landscape.minima[0]))), float(spread))


def schedule_runs(landscape, rates, batch_size=4, epochs=30, seed=0, start=None):
    """SGD with each learning rate or schedule of `rates` ({label: number or schedule}), same batches.

    Returns `Runs` {label: (Trajectory, steps_per_epoch)}, as `sgd_runs`
    does, so `figures.sgd_figure` draws it too. Every run uses the same
    seed, so the same minibatches in the same order: only the rates differ.
    """
    landscape = _with_data(landscape)
    epochs = _checks.count("epochs", epochs, minimum=1)
    start = landscape.start if start is None else _checks.point("start", start)
    per_epoch = theory.batches_per_epoch(landscape.data_size, batch_size)
    runs = {label: (run(optimizers.sgd(landscape, start, rate, batch_size=batch_size, seed=seed),
                        max_steps=epochs * per_epoch), per_epoch)
            for label, rate in rates.items()}
    settings = {label: {"rate": rate, "batch_size": batch_size, "shuffle": True, "seed": seed}
                for label, rate in rates.items()}
    return Runs(landscape, start, epochs, runs, settings)


@dataclass(frozen=True)
class ScheduleComparison:
    """What `schedule_comparison` returns.

    landscape, alpha, batch_size, epochs, seed : the settings it was given.
    schedules : {label: Schedule}, in the order run.
    runs : {label: (Trajectory, steps_per_epoch)}.
    jitter : {label: Jitter} over the last `last_epochs` epochs.
    constant_alphas, constant_gaps : the constant rates tried (powers of 2) and
        the loss gap each ended with; `best_constant` is the lowest, on_edge
        says whether it sits at an end of that grid.
    """

    landscape: object
    alpha: float
    batch_size: int
    epochs: int
    seed: int
    schedules: dict
    runs: dict
    jitter: dict
    last_epochs: int
    constant_alphas: np.ndarray
    constant_gaps: np.ndarray
    best_constant: float
    on_edge: bool
    minimum_loss: float


def schedule_comparison(landscape, alpha=2.0, batch_size=4, epochs=30, last_epochs=5, seed=0,
                        decay_epochs=1, step_epochs=5, gamma=0.5):
    """SGD's end-of-training jitter with a constant rate and with two decaying schedules.

    Four runs on the same minibatches: the constant rate `alpha`; the best
    constant rate, tuned on powers of 2 (widened while the best is on an edge)
    for the lowest loss gap over the last epochs; and two schedules starting
    at `alpha`: 1/t, halved after `decay_epochs` epochs, and step decay,
    multiplied by `gamma` every `step_epochs` epochs. The schedules are not
    tuned: they only need to beat the constant rates at their best.
    """
    landscape = _with_data(landscape)
    last_epochs = _checks.count("last_epochs", last_epochs, minimum=1)
    epochs = _checks.count("epochs", epochs, minimum=last_epochs)
    alpha = _checks.positive("alpha", alpha)
    per_epoch = theory.batches_per_epoch(landscape.data_size, batch_size)
    constant_runs = {}  # rate -> run, so a rate of the grid is walked once

    def constant_run(rate):
        if rate not in constant_runs:
            constant_runs[rate] = schedule_runs(landscape, {"": rate}, batch_size, epochs, seed)[""]
        return constant_runs[rate]

    def gap(rate):
        walk, _ = constant_run(rate)
        if walk.stop_reason == "diverged":
            return np.inf
        return end_jitter(landscape, walk, per_epoch, last_epochs).loss_gap

    rates, gaps, best_index, on_edge = power_of_two_search(gap, low=-3, high=1, limit=12)
    best = float(rates[best_index])
    chosen = {f"constant {alpha:g}": schedules.constant(alpha),
              f"best constant {best:g}": schedules.constant(best),
              f"1/t from {alpha:g}": lesson_schedule("1/t", alpha, per_epoch, decay_epochs=decay_epochs),
              f"step decay from {alpha:g}": lesson_schedule("step decay", alpha, per_epoch,
                                                           step_epochs=step_epochs, gamma=gamma)}
    decaying = schedule_runs(landscape, dict(list(chosen.items())[2:]), batch_size, epochs, seed)
    runs = {label: constant_run(rate) for label, rate in zip(list(chosen)[:2], (alpha, best), strict=True)}
    runs.update(decaying.runs)
    jitter = {label: end_jitter(landscape, walk, per_epoch, last_epochs) for label, (walk, _) in runs.items()}
    return ScheduleComparison(landscape, alpha, batch_size, epochs, seed, chosen, runs, jitter, last_epochs,
                              rates, np.array(gaps), best, on_edge, float(landscape(landscape.minima[0])))


LESSON_SCHEDULES = ("constant", "1/t", "step decay")


def lesson_schedule(name, alpha, per_epoch, decay_epochs=1, step_epochs=5, gamma=0.5):
    """The lesson's schedules by name, set in epochs of `per_epoch` updates, starting at `alpha`.

    "constant": alpha throughout; "1/t": alpha / (1 + t / (decay_epochs
    per_epoch)), halved after `decay_epochs` epochs; "step decay": multiplied
    by `gamma` every `step_epochs` epochs.
    """
    _checks.choice("schedule", name, LESSON_SCHEDULES)
    per_epoch = _checks.count("per_epoch", per_epoch, minimum=1)
    if name == "constant":
        return schedules.constant(alpha)
    if name == "1/t":
        return schedules.inverse_time(alpha, _checks.positive("decay_epochs", decay_epochs) * per_epoch)
    step_epochs = _checks.count("step_epochs", step_epochs, minimum=1)
    return schedules.step_decay(alpha, step_epochs * per_epoch, gamma)


def _with_data(landscape):
    landscape = landscapes.get(landscape)
    if not landscape.has_data:
        raise ValueError(f"landscape must carry data for minibatches (has_data), got {landscape.name!r}; "
                         "use gdviz.classifier.classifier_landscape()")
    return landscape
