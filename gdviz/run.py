"""Stop conditions: walk an optimizer's steps until one of them says stop.

The optimizers never stop by themselves; `run` applies the usual conditions:
a step budget is spent, the loss is low enough, the loss stopped improving,
the gradient is nearly flat, or the walk diverged.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from . import _checks

STOP_REASONS = ("max_steps", "loss_below", "no_improvement", "grad_below", "diverged")


@dataclass(frozen=True)
class Trajectory:
    """A finished walk, as stacked arrays of its n points (n - 1 updates).

    w : (n, 2), loss : (n,), grad : (n, 2), t : (n,)
    state : dict of stacked optimizer state, each (n, ...)
    stop_reason : one of STOP_REASONS
    note : what the optimizer said about itself ("" when nothing)
    """

    w: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    t: np.ndarray
    stop_reason: str
    state: dict = field(default_factory=dict)
    note: str = ""

    def __len__(self):
        return len(self.loss)

    @property
    def n_updates(self):
        """Moves made: one fewer than the points visited."""
        return len(self.loss) - 1


def _finite(step):
    """True when every number in the step is finite.

    For w and the gradient, w·w is finite exactly when every entry is, unless
    some entry is beyond 1e154, which counts as diverged all the same; it costs
    half of np.isfinite(w).all() in the loop that runs once per step.
    """
    return (math.isfinite(step.loss) and math.isfinite(step.w @ step.w)
            and math.isfinite(step.grad @ step.grad)
            and all(np.isfinite(value).all() for value in step.state.values()))


def stop_conditions(max_steps, loss_below, patience, min_delta, grad_below, escape_radius):
    """`run`'s stop conditions checked, in its order of arguments (`run_batch` takes the same)."""
    return (_checks.count("max_steps", max_steps),
            None if loss_below is None else _checks.real("loss_below", loss_below),
            None if patience is None else _checks.count("patience", patience, minimum=1),
            _checks.non_negative("min_delta", min_delta),
            None if grad_below is None else _checks.non_negative("grad_below", grad_below),
            _checks.positive("escape_radius", escape_radius))


def run(steps, max_steps=100, loss_below=None, patience=None, min_delta=0.0,
        grad_below=None, escape_radius=1e3):
    """Consume an optimizer's steps until a stop condition holds.

    Conditions, checked in this order after each point is recorded:

    - "loss_below": loss <= loss_below;
    - "grad_below": |grad| <= grad_below (Euclidean norm);
    - "no_improvement": the best loss has not dropped by more than `min_delta`
      for `patience` steps in a row;
    - "max_steps": `max_steps` updates are done, so there are max_steps + 1 points.

    and, before any of them, "diverged": a value became NaN or infinite (that
    step is dropped, so the arrays stay finite) or Chad is further than
    `escape_radius` from the origin (that point is kept, so he is seen flying
    off). Divergence is a result, not an error: nothing is raised.

    `gdviz.run_batch` applies the same conditions, in the same order, to many
    walks at once; tests/test_batch.py checks that the two agree walk for walk.
    """
    max_steps, loss_below, patience, min_delta, grad_below, escape_radius = stop_conditions(
        max_steps, loss_below, patience, min_delta, grad_below, escape_radius)

    records, best, waited, reason = [], np.inf, 0, "max_steps"
    # A diverging walk overflows on purpose; the check below reports it.
    with np.errstate(over="ignore", invalid="ignore"):
        for step in steps:
            if not _finite(step):
                reason = "diverged"
                break
            records.append(step)
            if math.sqrt(step.w @ step.w) > escape_radius:
                reason = "diverged"
                break
            if loss_below is not None and step.loss <= loss_below:
                reason = "loss_below"
                break
            if grad_below is not None and np.linalg.norm(step.grad) <= grad_below:
                reason = "grad_below"
                break
            if step.loss < best - min_delta:
                best, waited = step.loss, 0
            else:
                waited += 1
            if patience is not None and waited >= patience:
                reason = "no_improvement"
                break
            if len(records) > max_steps:
                break
    if not records:
        raise ValueError("the optimizer's first step is already not finite: check the start point")
    return Trajectory(
        w=np.array([step.w for step in records]),
        loss=np.array([step.loss for step in records]),
        grad=np.array([step.grad for step in records]),
        t=np.array([step.t for step in records]),
        stop_reason=reason,
        state={key: np.array([step.state[key] for step in records]) for key in records[0].state},
        note=records[0].note,
    )
