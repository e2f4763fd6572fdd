"""Walks in batches: many starts x settings of one optimizer, walked together as numpy arrays.

`run_batch` moves n walks at once with the optimizer's own update rule
(`optimizers.RULES`, the rule that moves one walk moves n; Newton's rule gets
each walk's Hessian, as its generator does) and applies `run`'s
stop conditions, in `run`'s order, as one mask per condition. Each walk ends
as `run` would end it alone, bit for bit: same points, losses, stop_reason
and length (tests/test_batch.py checks it on every landscape of the catalogue).

    >>> batch = run_batch("momentum", "bowl", [[-2.0, 1.5], [1.0, 1.0]], alpha=[0.1, 2.0], max_steps=50)
    >>> batch.stop_reason.tolist(), batch.length.tolist()
    (['max_steps', 'diverged'], [51, 15])
"""

from dataclasses import dataclass

import numpy as np

from . import _checks, landscapes, optimizers, second_order
from .run import STOP_REASONS, Trajectory, stop_conditions

# The deterministic optimizers whose step is the same arithmetic in every walk. SGD is left to
# `run`: its gradient is random per walk and its alpha may be a schedule, so one walk in a batch
# could not be the walk `run` gives.
OPTIMIZERS = ("gradient_descent", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton")
# Optimizers of the catalogue that walk one start at a time, and why.
ONE_AT_A_TIME = {"line_search": "its search tries a different number of step sizes in each walk"}


@dataclass(frozen=True)
class Batch:
    """n walks of one optimizer, walk i in row i of every array.

    optimizer : str, the optimizer's name
    settings : {name: (n,) array}, each walk's settings (alpha, beta, ...), defaults filled in
    w : (n, max_steps + 1, 2), loss : (n, max_steps + 1), grad : (n, max_steps + 1, 2)
    state : {name: (n, max_steps + 1, ...)}, the optimizer's state as each `Step` holds it (a
        velocity (2,) per point, Newton's Hessian (2, 2))
    length : (n,) the points walk i visited, 1 to max_steps + 1 (`len` of its Trajectory)
    stop_reason : (n,) str, why walk i stopped, one of STOP_REASONS

    Padding: after its last point a walk stays where it stopped. Its rows repeat
    that point's w, loss, grad and state, so every array is finite and
    `loss[:, -1]` is each walk's final loss; `length` tells the walk from the padding.
    """

    optimizer: str
    settings: dict
    w: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    state: dict
    length: np.ndarray
    stop_reason: np.ndarray

    def __len__(self):
        return len(self.length)

    @property
    def final_loss(self):
        """(n,) the loss at each walk's last point."""
        return self.loss[:, -1]

    @property
    def n_updates(self):
        """(n,) the moves each walk made: one fewer than its points."""
        return self.length - 1

    def trajectory(self, i):
        """Walk i as the `Trajectory` that `run` returns for it."""
        k = self.length[i]
        return Trajectory(w=self.w[i, :k].copy(), loss=self.loss[i, :k].copy(), grad=self.grad[i, :k].copy(),
                          t=np.arange(k), stop_reason=str(self.stop_reason[i]),
                          state={key: value[i, :k].copy() for key, value in self.state.items()})


def run_batch(optimizer, landscape, starts, max_steps=100, loss_below=None, patience=None, min_delta=0.0,
              grad_below=None, escape_radius=1e3, gradient="analytic", **settings):
    """Walk n starts of one optimizer at once; walk i is what `run` gives for start i and setting i.

    optimizer : a name in OPTIMIZERS, e.g. "adam" (not "sgd" or "line_search": walk those with `run`)
    landscape : a catalogue name or a `Landscape` (its loss and gradient take (n, 2) points)
    starts : (n, 2) start points, one per walk
    max_steps, loss_below, patience, min_delta, grad_below, escape_radius : `run`'s stop conditions,
        with `run`'s defaults
    gradient : "analytic" only; Chad's numeric probe walks one start at a time, through `run`
    settings : the optimizer's settings (alpha, beta, ...), each one number for every walk or
        n numbers, one per walk; those left out take the optimizer's defaults

    Every step, each walk still walking is checked as `run` checks it, in this order:
    "diverged" if a value is not finite (that point is dropped) or the point lies further
    than escape_radius from the origin (that point is kept), then "loss_below", "grad_below",
    "no_improvement" and "max_steps". A stopped walk stays where it stopped (see `Batch`).

    Returns a `Batch`; `batch.trajectory(i)` is walk i as a `Trajectory`.
    """
    if optimizer in ONE_AT_A_TIME:
        raise ValueError(f"run_batch cannot walk {optimizer!r}: {ONE_AT_A_TIME[optimizer]}; walk each start "
                         "with gdviz.run instead")
    _checks.choice("optimizer", optimizer, OPTIMIZERS)
    _checks.choice("gradient", gradient, ("analytic",))
    landscape = landscapes.get(landscape)
    if optimizer == "newton":
        second_order.require_hessian(landscape)
    w = _checks.points("starts", starts)
    max_steps, loss_below, patience, min_delta, grad_below, escape_radius = stop_conditions(
        max_steps, loss_below, patience, min_delta, grad_below, escape_radius)
    settings = _per_walk(optimizer, settings, len(w))
    rule = optimizers.RULES[optimizer]

    n = len(w)
    walking, length = np.ones(n, dtype=bool), np.zeros(n, dtype=int)
    stop_reason = np.full(n, "max_steps", dtype=f"<U{max(map(len, STOP_REASONS))}")
    best, waited = np.full(n, np.inf), np.zeros(n, dtype=int)
    state, history = {}, _History(max_steps + 1)

    def stop(where, reason):
        stopping = walking & where
        stop_reason[stopping] = reason
        walking[stopping] = False

    # Diverging walks overflow on purpose, as in `run`; the masks below report them.
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(max_steps + 1):
            loss, grad = landscape(w), landscape.grad(w)
            seen = {"hessian": landscape.hessian_at(w)} if optimizer == "newton" else {}
            move, state = rule(grad, {**state, **seen}, t, **settings)
            w_squared, grad_squared = _squared_norms(w), _squared_norms(grad)
            finite = np.isfinite(loss) & np.isfinite(w_squared) & np.isfinite(grad_squared)
            for value in state.values():
                finite &= np.isfinite(value).reshape(n, -1).all(axis=1)
            stop(~finite, "diverged")
            if t == 0 and not walking.all():
                raise ValueError(f"starts: the first step of walks {np.flatnonzero(~walking).tolist()} is "
                                 "already not finite: check their start points")
            length += walking
            history.record(t, w, loss, grad, state)
            stop(np.sqrt(w_squared) > escape_radius, "diverged")
            if loss_below is not None:
                stop(loss <= loss_below, "loss_below")
            if grad_below is not None:
                stop(np.sqrt(grad_squared) <= grad_below, "grad_below")
            improved = loss < best - min_delta
            best, waited = np.where(improved, loss, best), np.where(improved, 0, waited + 1)
            if patience is not None:
                stop(waited >= patience, "no_improvement")
            if not walking.any():
                break
            # A stopped walk stays where it stopped; its numbers are still computed, unused (keeping
            # the arrays whole is simpler than shrinking them, and recording costs more anyway).
            w = np.where(walking[:, None], w - move, w)

    records = history.padded(length)
    return Batch(optimizer, {name: value[:, 0] for name, value in settings.items()},
                 records.pop("w"), records.pop("loss"), records.pop("grad"), records, length, stop_reason)


def _per_walk(optimizer, settings, n):
    """The optimizer's settings for n walks, each an (n, 1) float array, defaults filled in.

    Each distinct value passes the check the optimizer gives one walk, so a bad one is
    refused with the same words.
    """
    allowed = {"alpha": optimizers.default_alpha(optimizer), **optimizers.hyperparameters(optimizer)}
    unknown = set(settings) - set(allowed)
    if unknown:
        raise TypeError(f"{optimizer} has no setting {sorted(unknown)}; its settings: {', '.join(allowed)}")
    if "alpha" not in settings and allowed["alpha"] is None:
        raise TypeError(f"{optimizer} needs alpha, the learning rate: one number or {n}, one per walk")
    per_walk = {}
    for name, value in {**allowed, **settings}.items():
        values = np.asarray(value)
        for one in set(values.ravel().tolist()):
            optimizers._checked(**{name: one})
        if values.ndim > 1 or values.size not in (1, n):
            raise ValueError(f"{name} must be one number or {n}, one per walk; got shape {values.shape}")
        per_walk[name] = np.broadcast_to(values.astype(float).reshape(-1, 1), (n, 1))
    return per_walk


def _squared_norms(vectors):
    """v @ v for each row of (n, 2): the dot product `run` takes of one vector, rounded alike
    (an elementwise v1² + v2² can differ from it in the last bit)."""
    return (vectors[:, None, :] @ vectors[:, :, None])[:, 0, 0]


class _History:
    """What every step gave every walk, kept time-major (one row per step) while walking."""

    def __init__(self, points):
        self.points, self.arrays = points, {}

    def record(self, t, w, loss, grad, state):
        for name, value in {"w": w, "loss": loss, "grad": grad, **state}.items():
            if name not in self.arrays:
                self.arrays[name] = np.empty((self.points, *value.shape))
            self.arrays[name][t] = value

    def padded(self, length):
        """{name: (n, points, ...)}: each walk's records up to its length, then its last one repeated."""
        for last in np.unique(length[length < self.points]):
            ended = length == last
            for array in self.arrays.values():
                array[last:, ended] = array[last - 1, ended]
        return {name: np.moveaxis(array, 0, 1) for name, array in self.arrays.items()}
