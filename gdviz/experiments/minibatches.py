"""Minibatches (09): SGD against full-batch descent, the batch gradients' noise, and schedules.

- `sgd_runs`: full-batch descent and SGD for the same number of epochs;
- `tuned_epoch_race`: the same race made fair: each batch size at its own
  tuned constant rate, from many starts and seeds, its verdicts nudged;
- `epoch_gradients`: one epoch's batch gradients at a fixed w, weighted by
  batch size, against the full gradient;
- `batch_noise`: how far a random batch's gradient strays from the full
  gradient, against batch size; `noise_floor`: the loss constant-rate SGD
  keeps above the minimum, against alpha and batch size;
- `schedule_comparison`: SGD's jitter at the end of training with a constant
  rate (including the best constant rate) and with decaying schedules
  (`gdviz.schedules`), measured by `end_jitter`.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from .. import _checks, data, landscapes, optimizers, schedules, theory
from ..run import run
from . import _sgd_batches as batched
from ._many_starts import NUDGES, starts_around
from ._mapping import MappingResult
from ._sgd_batches import BatchNoise, EpochRaceEntry, NoiseFloor, check_batch_landscape
from ._tuning import power_of_two_search

__all__ = ["EPOCH_RACE_SEEDS", "EPOCH_RACE_STARTS", "LESSON_SCHEDULES", "BatchNoise", "EpochGradients",
           "EpochRace", "EpochRaceEntry", "Jitter", "NoiseFloor", "Runs", "ScheduleComparison", "batch_noise",
           "end_jitter", "epoch_gradients", "lesson_schedule", "noise_floor", "schedule_comparison",
           "schedule_runs", "sgd_runs", "tuned_epoch_race"]


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
            nudged = ", ".join(batched.gap_text(median) for median in entry.nudged.values())
            edge = "  <- on the edge of the search" if entry.on_edge else ""
            rows.append(f"{entry.label:11s}{entry.steps_per_epoch:11d}{entry.alpha:8.3g}"
                        f"{batched.gap_text(entry.median):>9s}   {nudged}{edge}")
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
    seeds, sizes = _seeds(seeds), _sizes(landscape, batch_sizes, empty=True)
    minimum_loss = check_batch_landscape(landscape, bool(sizes))
    entries = {}
    for size in [None, *sizes]:
        entry = batched.tuned_entry(landscape, size, epochs, starts, seeds, minimum_loss)
        entries[entry.label] = entry
    return EpochRace(landscape, epochs, starts, seeds, minimum_loss, entries)


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


# --- how noisy: a batch gradient's variance, and the loss SGD keeps above the minimum ---------

def batch_noise(landscape, w=None, batch_sizes=(1, 2, 4, 12, 30, 60), draws=4000, seed=0):
    """The variance of a batch's gradient at w against batch size B, measured and in closed form.

    For each B, `draws` batches of B distinct examples drawn at random. A
    batch's gradient g_B, the mean of its examples' gradients, averages to the
    full gradient g, so its variance is the mean of |g_B - g|^2; in closed
    form, sigma^2 / B (n - B) / (n - 1). `w` defaults to the minimum, where
    g = 0 and a batch's gradient is all noise. Returns `BatchNoise`.
    """
    landscape = _with_data(landscape)
    check_batch_landscape(landscape)
    w = landscape.minima[0] if w is None else _checks.point("w", w)
    draws, n = _checks.count("draws", draws, minimum=2), landscape.data_size
    sizes = np.array(_sizes(landscape, batch_sizes))
    each = batched.per_example_gradients(landscape, w)
    squares = np.array([np.sum((each[batched.random_batches(n, size, draws, seed)].mean(axis=1)
                                - each.mean(axis=0)) ** 2, axis=1) for size in sizes])
    per_example = batched.gradient_noise(landscape, w)[0]
    return BatchNoise(landscape, w, draws, per_example, sizes, squares.mean(axis=1),
                      squares.std(axis=1) / np.sqrt(draws), batched.batch_variance(per_example, n, sizes))


def noise_floor(landscape, batch_sizes=(4, 12, 20), ratios=(1 / 32, 1 / 16, 1 / 8, 1 / 4, 1 / 2), epochs=450,
                last_epochs=200, starts=None, seeds=range(4)):
    """SGD's noise floor: the loss it keeps above the minimum at a constant alpha, for each B and alpha.

    Each B runs at alpha = B x each of `ratios`, from each start (default:
    Chad's and 3 around it) with each seed, for `epochs` epochs; its floor is
    the mean loss above the minimum over the last `last_epochs`. Every walk
    runs twice: its batches reshuffled every epoch (as `optimizers.sgd` draws
    them) and each batch drawn afresh ("independent", `_sgd_batches.batch_streams`).
    Returns `NoiseFloor`, with both floors' small-alpha formulas; a walk that flies off counts inf.
    """
    landscape = _with_data(landscape)
    last_epochs = _checks.count("last_epochs", last_epochs, minimum=1)
    epochs = _checks.count("epochs", epochs, minimum=last_epochs)
    sizes = np.array(_sizes(landscape, batch_sizes))
    alphas = np.outer(sizes, _checks.array("ratios", ratios, 0.0, flat=True))
    starts = starts_around(landscape, count=4) if starts is None else _checks.points("starts", starts)
    return batched.floor_walks(landscape, sizes, alphas, starts, _seeds(seeds), epochs, last_epochs)


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


def _seeds(seeds):
    if not (seeds := tuple(_checks.count("seed", seed) for seed in seeds)):
        raise ValueError("seeds must name at least one seed")
    return seeds


def _sizes(landscape, batch_sizes, empty=False):
    sizes = [_checks.count("batch_size", size, minimum=1) for size in batch_sizes]
    if (any(size > landscape.data_size for size in sizes) or len(set(sizes)) < len(sizes)
            or not (sizes or empty)):
        raise ValueError(f"batch_sizes must be different sizes, each at most the {landscape.data_size} "
                         f"examples, got {sizes}")
    return sizes


def _with_data(landscape):
    landscape = landscapes.get(landscape)
    if not landscape.has_data:
        raise ValueError(f"landscape must carry data for minibatches (has_data), got {landscape.name!r}; "
                         "use gdviz.classifier.classifier_landscape()")
    return landscape
