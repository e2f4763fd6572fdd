"""Walking SGD and full-batch descent on a classifier's landscape for many rates, starts and seeds at once.

`run_batch` walks the deterministic optimizers in batches; SGD draws its own
minibatch at every step, so its batched walk needs the minibatch gradient at
many points at once, each walk with its own seed's batch. That is written here
for the cross-entropy classifier landscapes of `gdviz.classifier` (w x + b,
one feature), checked against the landscape's own `batch_grad` before use,
and the walks it gives equal `optimizers.sgd` and `run` walk for walk
(tests/test_minibatches_fair.py). The minibatch race of notebook 09 uses it.
"""

import numpy as np

from .. import data, theory
from ..batch import run_batch
from ._many_starts import LOSS_FLOOR

__all__ = ["batch_gradients", "check_batch_landscape", "epoch_gaps", "full_batch_losses", "median_gaps",
           "sgd_losses"]


def epoch_gaps(landscape, alphas, starts, batch_size, epochs, seeds, minimum_loss):
    """(alphas, starts, seeds) the loss above `minimum_loss` after `epochs` epochs of SGD with
    `batch_size` (None: full-batch descent, the same for every seed); inf where a walk diverged."""
    losses = (full_batch_losses(landscape, alphas, starts, epochs) if batch_size is None
              else sgd_losses(landscape, alphas, starts, batch_size, epochs, seeds))
    return np.broadcast_to(losses, (len(alphas), len(starts), len(seeds))) - minimum_loss


def median_gaps(gaps):
    """(alphas,) the median over starts and seeds of gaps (alphas, starts, seeds), floored at LOSS_FLOOR."""
    return np.median(np.maximum(gaps, LOSS_FLOOR).reshape(len(gaps), -1), axis=1)


def check_batch_landscape(landscape, minibatches=True):
    """The loss at `landscape`'s minimum, after making sure it has one and, for `minibatches`, that
    `batch_gradients` is its minibatch gradient; a ValueError naming the landscape otherwise."""
    if not len(landscape.minima):
        raise ValueError(f"landscape must have a known minimum to measure the loss above it, "
                         f"got {landscape.name!r}")
    if minibatches:
        check_batch_gradient(landscape)
    return float(landscape(landscape.minima[0]))


def full_batch_losses(landscape, alphas, starts, epochs):
    """(alphas, starts, 1) the loss after `epochs` steps of gradient descent; inf where a walk diverged."""
    batch = run_batch("gradient_descent", landscape, np.tile(starts, (len(alphas), 1)), max_steps=epochs,
                      alpha=np.repeat(alphas, len(starts)))
    losses = np.where(batch.stop_reason == "diverged", np.inf, batch.final_loss)
    return losses.reshape(len(alphas), len(starts), 1)


def sgd_losses(landscape, alphas, starts, batch_size, epochs, seeds):
    """(alphas, starts, seeds) the loss after `epochs` epochs of SGD, every walk at once; inf where one
    diverged as `run` sees it (not finite, or further than 1e3 from the origin)."""
    x, y = landscape.data
    alpha = np.asarray(alphas, dtype=float)[:, None, None]
    shape = (len(alpha), len(starts), len(seeds))
    weight = np.broadcast_to(starts[None, :, None, 0], shape).copy()
    bias = np.broadcast_to(starts[None, :, None, 1], shape).copy()
    escaped = np.zeros(shape, dtype=bool)
    batches = [data.batch_indices(landscape.data_size, batch_size, True, seed) for seed in seeds]
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(epochs * theory.batches_per_epoch(landscape.data_size, batch_size)):
            index = np.array([next(seed_batches)[1] for seed_batches in batches])  # (seeds, batch)
            grad_weight, grad_bias = batch_gradients(x[index], y[index], weight, bias)
            weight, bias = weight - alpha * grad_weight, bias - alpha * grad_bias
            escaped |= ~(np.sqrt(weight * weight + bias * bias) <= 1e3)
    losses = landscape(np.stack([weight, bias], axis=-1))
    return np.where(escaped | ~np.isfinite(losses), np.inf, losses)


def batch_gradients(x, y, weight, bias):
    """The cross-entropy's minibatch gradient (mean of (sigmoid(w x + b) - y) (x, 1)), at many (w, b):
    x, y (seeds, batch), weight and bias (..., seeds); the sums run as in `landscape.batch_grad`."""
    slope = theory.sigmoid(weight[..., None] * x + bias[..., None]) - y
    return np.mean(slope * x, axis=-1), np.mean(slope, axis=-1)


def check_batch_gradient(landscape):
    """Make sure `batch_gradients` is this landscape's minibatch gradient (a cross-entropy classifier's)."""
    x, y = landscape.data
    index = np.arange(min(5, landscape.data_size))
    for point in (landscape.start, landscape.start + 1.0):
        mine = batch_gradients(x[index][None], y[index][None], np.array([point[0]]), np.array([point[1]]))
        if not np.allclose(np.ravel(mine), landscape.batch_grad(point, index), rtol=1e-12, atol=1e-15):
            raise ValueError(f"tuned_epoch_race walks the cross-entropy classifier landscapes of "
                             f"gdviz.classifier (no l2), got {landscape.name!r}: {landscape.formula}")
