"""Walking SGD and full-batch descent on a classifier's landscape for many rates, starts and seeds at once.

`run_batch` walks the deterministic optimizers in batches; SGD draws its own
minibatch at every step, so its batched walk needs the minibatch gradient at
many points at once, each walk with its own seed's batch. That is written here
for the cross-entropy classifier landscapes of `gdviz.classifier` (w x + b,
one feature), checked against the landscape's own `batch_grad` and loss before
use, and the walks it gives equal `optimizers.sgd` and `run` walk for walk
(tests/test_minibatches_fair.py). Notebook 09 uses it twice:

- the minibatch race (`minibatches.tuned_epoch_race`): each batch size at its
  own tuned rate (`tuned_entry`);
- the measure of SGD's noise (`minibatches.batch_noise`, `noise_floor`): the
  variance of a batch's gradient at one w, and the loss SGD keeps above the
  minimum at a constant rate (`floor_walks`), beside two small-alpha
  estimates of it (`floor_independent`, `floor_reshuffled`).
"""

import collections
from dataclasses import dataclass

import numpy as np

from .. import _checks, data, theory
from ..batch import run_batch
from ._many_starts import LOSS_FLOOR, NUDGES
from ._tuning import Axis, tune

__all__ = ["SAMPLINGS", "BatchNoise", "EpochRaceEntry", "NoiseFloor", "batch_gradients", "batch_streams",
           "batch_variance", "check_batch_landscape", "epoch_gaps", "epoch_mean_gaps", "floor_independent",
           "floor_reshuffled", "floor_walks", "full_batch_losses", "gap_text", "gradient_noise", "hessian",
           "losses", "median_gaps", "per_example_gradients", "random_batches", "sgd_losses", "sgd_walks",
           "tuned_entry"]


# --- many SGD walks as arrays ----------------------------------------------------------------

SAMPLINGS = ("reshuffled", "independent")


def batch_streams(n, batch_size, seeds, sampling="reshuffled"):
    """One endless stream of batches (arrays of example indices) per seed.

    "reshuffled": as `optimizers.sgd` draws them (`data.batch_indices`): every
    epoch a new order, cut into batches, so an epoch reads each example once.
    "independent": every batch drawn afresh, its examples distinct but free of
    the other batches', in the sizes an epoch's batches have (the last one
    smaller when batch_size does not divide n).
    """
    if _checks.choice("sampling", sampling, SAMPLINGS) == "reshuffled":
        return [(index for _, index in data.batch_indices(n, batch_size, True, seed)) for seed in seeds]

    def independent(seed):
        rng = np.random.default_rng(seed)
        while True:
            for first in range(0, n, batch_size):
                yield rng.permutation(n)[:min(batch_size, n - first)]
    return [independent(seed) for seed in seeds]


def sgd_walks(landscape, alphas, starts, streams, updates):
    """SGD from every start at every rate, one column of walks per batch stream, all moving together.

    Yields (weight, bias, escaped), each (alphas, starts, streams), after each
    of `updates` updates w <- w - alpha g_batch(w); `escaped` marks the walks
    that have left (not finite, or further than 1e3 from the origin): where
    `run` would call them diverged.
    """
    x, y = landscape.data
    alpha = np.asarray(alphas, dtype=float)[:, None, None]
    shape = (len(alpha), len(starts), len(streams))
    weight = np.broadcast_to(starts[None, :, None, 0], shape).copy()
    bias = np.broadcast_to(starts[None, :, None, 1], shape).copy()
    escaped = np.zeros(shape, dtype=bool)
    for _ in range(updates):
        index = np.array([next(stream) for stream in streams])  # (streams, batch)
        with np.errstate(over="ignore", invalid="ignore"):
            grad_weight, grad_bias = batch_gradients(x[index], y[index], weight, bias)
            weight, bias = weight - alpha * grad_weight, bias - alpha * grad_bias
            escaped |= ~(np.sqrt(weight * weight + bias * bias) <= 1e3)
        yield weight, bias, escaped


def batch_gradients(x, y, weight, bias):
    """The cross-entropy's minibatch gradient (mean of (sigmoid(w x + b) - y) (x, 1)), at many (w, b):
    x, y (seeds, batch), weight and bias (..., seeds); the sums run as in `landscape.batch_grad`."""
    slope = theory.sigmoid(weight[..., None] * x + bias[..., None]) - y
    return np.mean(slope * x, axis=-1), np.mean(slope, axis=-1)


def losses(x, y, weight, bias):
    """The cross-entropy on all the data, mean log(1 + e^s) - y s with s = w x + b, at many (w, b):
    weight and bias (...), x and y (n,); log(1 + e^s) as max(s, 0) + log(1 + e^-|s|), never overflowing."""
    s = np.asarray(weight)[..., None] * x + np.asarray(bias)[..., None]
    return np.mean(np.maximum(s, 0.0) + np.log1p(np.exp(-np.abs(s))) - y * s, axis=-1)


def check_batch_landscape(landscape, minibatches=True):
    """The loss at `landscape`'s minimum, after making sure it has one and, for `minibatches`, that
    `batch_gradients` and `losses` are its own; a ValueError naming the landscape otherwise."""
    if not len(landscape.minima):
        raise ValueError(f"landscape must have a known minimum to measure the loss above it, "
                         f"got {landscape.name!r}")
    if minibatches:
        x, y = landscape.data
        index = np.arange(min(5, landscape.data_size))
        for point in (landscape.start, landscape.start + 1.0):
            mine = batch_gradients(x[index][None], y[index][None], point[:1], point[1:])
            if not (np.allclose(np.ravel(mine), landscape.batch_grad(point, index), rtol=1e-12, atol=1e-15)
                    and np.isclose(losses(x, y, point[0], point[1]), landscape(point), rtol=1e-12)):
                raise ValueError(f"SGD's walks in batches (tuned_epoch_race, noise_floor) take the "
                                 f"cross-entropy classifier landscapes of gdviz.classifier (no l2), got "
                                 f"{landscape.name!r}: {landscape.formula}")
    return float(landscape(landscape.minima[0]))


# --- the race: each batch size at its own tuned constant rate (`minibatches.tuned_epoch_race`) --

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


def tuned_entry(landscape, size, epochs, starts, seeds, minimum_loss):
    """The `EpochRaceEntry` of batch size `size` (None: full-batch descent): its rate tuned by
    `_tuning.tune` on alpha = 10^(i/48) for the median gap after `epochs` epochs, then nudged."""
    def gaps_at(alphas):  # (alphas, starts, seeds)
        return epoch_gaps(landscape, alphas, starts, size, epochs, seeds, minimum_loss)

    def score_all(settings):
        return [float(median) for median in median_gaps(gaps_at([alpha for (alpha,) in settings]))]

    tuning = tune(score_all, [_ALPHA_AXIS], refine=_REFINE)
    (alpha,) = tuning.settings()
    tried = sorted(tuning.scores)
    at_alpha, *nudged = gaps_at([alpha, *(alpha * factor for factor in NUDGES)])
    return EpochRaceEntry(
        "full batch" if size is None else f"batch {size}", landscape.data_size if size is None else size,
        1 if size is None else theory.batches_per_epoch(landscape.data_size, size), alpha, tuning.on_edge,
        np.array(at_alpha), float(median_gaps(at_alpha[None])[0]),
        dict(zip(NUDGES, (float(median) for median in median_gaps(np.array(nudged))), strict=True)),
        np.array([_ALPHA_AXIS.value(index) for (index,) in tried]),
        np.array([tuning.scores[point] for point in tried]))


def epoch_gaps(landscape, alphas, starts, batch_size, epochs, seeds, minimum_loss):
    """(alphas, starts, seeds) the loss above `minimum_loss` after `epochs` epochs of SGD with
    `batch_size` (None: full-batch descent, the same for every seed); inf where a walk diverged."""
    losses = (full_batch_losses(landscape, alphas, starts, epochs) if batch_size is None
              else sgd_losses(landscape, alphas, starts, batch_size, epochs, seeds))
    return np.broadcast_to(losses, (len(alphas), len(starts), len(seeds))) - minimum_loss


def median_gaps(gaps):
    """(alphas,) the median over starts and seeds of gaps (alphas, starts, seeds), floored at LOSS_FLOOR."""
    return np.median(np.maximum(gaps, LOSS_FLOOR).reshape(len(gaps), -1), axis=1)


def gap_text(gap):
    """A loss gap as the race's table prints it: a gap below LOSS_FLOOR as "<1e-12"."""
    return f"<{LOSS_FLOOR:.0e}" if gap <= LOSS_FLOOR else f"{gap:.1e}"


def full_batch_losses(landscape, alphas, starts, epochs):
    """(alphas, starts, 1) the loss after `epochs` steps of gradient descent; inf where a walk diverged."""
    batch = run_batch("gradient_descent", landscape, np.tile(starts, (len(alphas), 1)), max_steps=epochs,
                      alpha=np.repeat(alphas, len(starts)))
    losses = np.where(batch.stop_reason == "diverged", np.inf, batch.final_loss)
    return losses.reshape(len(alphas), len(starts), 1)


def sgd_losses(landscape, alphas, starts, batch_size, epochs, seeds):
    """(alphas, starts, seeds) the loss after `epochs` epochs of SGD, every walk at once; inf where one
    diverged as `run` sees it (not finite, or further than 1e3 from the origin)."""
    streams = batch_streams(landscape.data_size, batch_size, seeds)
    updates = epochs * theory.batches_per_epoch(landscape.data_size, batch_size)
    weight, bias, escaped = collections.deque(sgd_walks(landscape, alphas, starts, streams, updates),
                                              maxlen=1)[0]  # where the walks end
    losses = landscape(np.stack([weight, bias], axis=-1))
    return np.where(escaped | ~np.isfinite(losses), np.inf, losses)


# --- SGD's noise: a batch gradient's variance, and the floor it keeps SGD's loss at -------------

def per_example_gradients(landscape, w):
    """(n, 2) each example's own gradient at w, by `batch_gradients` with batches of one."""
    x, y = landscape.data
    grad_weight, grad_bias = batch_gradients(x[:, None], y[:, None], np.full(len(x), w[0]),
                                             np.full(len(x), w[1]))
    return np.column_stack([grad_weight, grad_bias])


def hessian(landscape, w):
    """The cross-entropy classifier's Hessian at w = (weight, bias): mean p (1 - p) (x, 1)(x, 1)^T,
    p = sigmoid(weight x + bias)."""
    x, _ = landscape.data
    p = theory.sigmoid(w[0] * x + w[1])
    slope = p * (1 - p)
    return np.array([[np.mean(slope * x * x), np.mean(slope * x)], [np.mean(slope * x), np.mean(slope)]])


def gradient_noise(landscape, w):
    """(sigma^2, tr(H Sigma)) at w: Sigma the covariance of the examples' own gradients about their mean
    (dividing by n), sigma^2 its trace, H the loss's Hessian (`hessian`)."""
    covariance = np.cov(per_example_gradients(landscape, w).T, bias=True)
    return float(np.trace(covariance)), float(np.trace(hessian(landscape, w) @ covariance))


def random_batches(n, batch_size, draws, seed=0):
    """(draws, batch_size) example indices: each row batch_size distinct examples of the n, drawn at random
    (the first batch_size of a random order, as the first batch of a shuffled epoch is)."""
    return np.argsort(np.random.default_rng(seed).random((draws, n)), axis=1, kind="stable")[:, :batch_size]


@dataclass(frozen=True, eq=False)
class BatchNoise:
    """What `minibatches.batch_noise` returns: how far a random batch's gradient strays from the full one.

    measured (k,) : the mean of |g_B - g|^2 over `draws` random batches of each of `batch_sizes`;
    standard_error (k,) : that mean's; predicted (k,) : the closed form (`batch_variance`);
    per_example : sigma^2, the variance of the examples' own gradients (the trace of their covariance).
    """

    landscape: object
    w: np.ndarray
    draws: int
    per_example: float
    batch_sizes: np.ndarray
    measured: np.ndarray
    standard_error: np.ndarray
    predicted: np.ndarray


def batch_variance(per_example_variance, n, batch_size):
    """The variance of a batch's mean gradient, its B examples drawn at random, all distinct, from n:

        Var_B = (sigma^2 / B) (n - B) / (n - 1),

    sigma^2 the per-example variance (the trace of the examples' gradient
    covariance, dividing by n). The factor (n - B) / (n - 1) is what drawing
    without replacement saves: near 1 for B << n, 0 at B = n.
    """
    batch_size = np.asarray(batch_size, dtype=float)
    return per_example_variance / batch_size * (n - batch_size) / (n - 1)


def floor_independent(alpha, variance):
    """The loss SGD keeps above a minimum, for small alpha, when every batch is drawn afresh:

        alpha Var_B / 4.

    Near the minimum L = L* + e^T H e / 2, and a step is e <- e - alpha (H e +
    xi) with noise xi of variance Var_B, fresh at every step. In balance the
    spread C = E[e e^T] satisfies H C + C H = alpha Cov(xi) (to first order in
    alpha), whose trace gives E[e^T H e] / 2 = alpha Var_B / 4, whatever H is.
    """
    return np.asarray(alpha, dtype=float) * variance / 4


def floor_reshuffled(alpha, batch_size, n, curvature_noise):
    """The loss SGD keeps above a minimum, for small alpha, with the batches reshuffled every epoch:

        alpha^2 tr(H Sigma) (n^2 - B^2) / (12 B^2 (n - 1)),

    Sigma the examples' gradient covariance at the minimum (`curvature_noise`
    is tr(H Sigma)). An epoch reads each example once, so its m = n / B batch
    noises add up to zero: k steps into an epoch w is off by alpha times the
    sum S_k of k batch noises, a walk tied back to zero at the epoch's end,
    with Cov(S_k) = k (n - k B) Sigma / (B (n - 1)). The mean of
    alpha^2 tr(H Cov(S_k)) / 2 over the m points of an epoch is the formula
    (m^2 - 1 = (n^2 - B^2) / B^2). It assumes B divides n and alpha small
    enough that w hardly drifts in an epoch; the noise of an epoch's start,
    of order alpha^3, is left out.
    """
    alpha, batch_size = np.asarray(alpha, dtype=float), np.asarray(batch_size, dtype=float)
    return alpha**2 * curvature_noise * (n**2 - batch_size**2) / (12 * batch_size**2 * (n - 1))


def epoch_mean_gaps(landscape, alphas, starts, streams, per_epoch, epochs, minimum_loss):
    """(alphas, starts, streams, epochs + 1) SGD's loss above `minimum_loss` along the walks of
    `sgd_walks`: at the start (index 0), then its mean over the points of each epoch (the points after
    the epoch's updates, as `end_jitter` averages them). A walk that escaped counts inf from then on."""
    x, y = landscape.data
    shape = (len(alphas), len(starts), len(streams))
    gaps, running = np.zeros((*shape, epochs + 1)), np.zeros(shape)
    gaps[..., 0] = (losses(x, y, starts[:, 0], starts[:, 1]) - minimum_loss)[:, None]
    walks = sgd_walks(landscape, alphas, starts, streams, epochs * per_epoch)
    for t, (weight, bias, escaped) in enumerate(walks, start=1):
        with np.errstate(over="ignore", invalid="ignore"):
            running += np.where(escaped, np.inf, losses(x, y, weight, bias) - minimum_loss)
        if t % per_epoch == 0:
            gaps[..., t // per_epoch], running = running / per_epoch, np.zeros(shape)
    return gaps


@dataclass(frozen=True, eq=False)
class NoiseFloor:
    """What `minibatches.noise_floor` returns: SGD's loss above the minimum late in long constant-rate runs.

    alphas (b, r) : each of `batch_sizes` (b,) times each of `ratios` (r,), alpha / B
    curves {sampling: (b, r, starts, seeds, epochs + 1)} : the loss above the minimum at the start, then
        its mean over each epoch's points; floors (same, without the last axis) : its mean over the last
        `last_epochs` epochs
    predicted {sampling: (b, r)} : `floor_reshuffled` and `floor_independent`, from the minimum's
        Var_B (`variance`, (b,)) and tr(H Sigma) (`curvature_noise`)
    """

    landscape: object
    epochs: int
    last_epochs: int
    starts: np.ndarray
    seeds: tuple
    batch_sizes: np.ndarray
    ratios: np.ndarray
    alphas: np.ndarray
    curves: dict
    predicted: dict
    variance: np.ndarray
    curvature_noise: float

    @property
    def floors(self):
        """{sampling: (b, r, starts, seeds)} the mean loss above the minimum over the last epochs."""
        return {sampling: curves[..., -self.last_epochs:].mean(axis=-1)
                for sampling, curves in self.curves.items()}

    def mean(self, sampling="reshuffled", of="floors"):
        """The mean over starts and seeds of `floors` (b, r) or `curves` (b, r, epochs + 1)."""
        values = getattr(self, _checks.choice("of", of, ("floors", "curves")))
        return values[_checks.choice("sampling", sampling, SAMPLINGS)].mean(axis=(2, 3))

    def table(self):
        """Printable rows: each B and alpha, its floor with both samplings, measured (mean) and predicted."""
        rows = [f"{'B':>3s}{'alpha':>7s}{'alpha/B':>9s}   reshuffled (formula)   independent (formula)"]
        for i, size in enumerate(self.batch_sizes):
            for j, ratio in enumerate(self.ratios):
                rows.append(f"{size:3d}{self.alphas[i, j]:7.3g}{ratio:9.3g}" + "".join(
                    f"{self.mean(s)[i, j]:12.1e} ({self.predicted[s][i, j]:.1e})" for s in SAMPLINGS))
        return "\n".join(rows)


def floor_walks(landscape, sizes, alphas, starts, seeds, epochs, last_epochs):
    """The `NoiseFloor` of batch sizes (b,) at rates alphas (b, r), every walk reshuffled and independent."""
    minimum_loss, n, walked = check_batch_landscape(landscape), landscape.data_size, []
    for size, row in zip(sizes, alphas, strict=True):
        streams = [one for sampling in SAMPLINGS for one in batch_streams(n, size, seeds, sampling)]
        walked.append(epoch_mean_gaps(landscape, row, starts, streams, theory.batches_per_epoch(n, size),
                                      epochs, minimum_loss))
    # Each walk's columns: the seeds reshuffled, then the same seeds drawn independently.
    curves = {sampling: np.stack([np.split(gaps, 2, axis=2)[i] for gaps in walked])
              for i, sampling in enumerate(SAMPLINGS)}
    per_example, curvature_noise = gradient_noise(landscape, landscape.minima[0])
    variance = batch_variance(per_example, n, sizes)
    predicted = {"reshuffled": floor_reshuffled(alphas, sizes[:, None], n, curvature_noise),
                 "independent": floor_independent(alphas, variance[:, None])}
    return NoiseFloor(landscape, epochs, last_epochs, starts, seeds, sizes, alphas[0] / sizes[0], alphas,
                      curves, predicted, variance, curvature_noise)
