"""Learning-rate schedules: the step size alpha_t of update t, as alpha_t = schedule(t).

With a fixed alpha, SGD never settles: every minibatch gradient is the full
gradient plus noise, so even at the minimum each step kicks Chad by about
alpha times that noise. A schedule takes big steps while he is far away and
ever smaller ones later, so the kicks fade. t counts updates from 0, and

    constant(alpha)                       alpha_t = alpha
    inverse_time(alpha, decay_steps)      alpha_t = alpha / (1 + t / decay_steps)    ("1/t")
    step_decay(alpha, step_size, gamma)   alpha_t = alpha * gamma ** floor(t / step_size)

The names follow the libraries a student meets next: `step_decay` is
torch.optim.lr_scheduler.StepLR stepped once per update, `inverse_time` is
Keras' InverseTimeDecay with decay_rate 1.
1/t is the classic choice of stochastic approximation (Robbins and Monro): the
steps add up to infinity, so Chad can still travel any distance, while their
squares add up to a finite amount, so the noise they inject stays bounded.

`optimizers.sgd` takes a number or a schedule for alpha.

    >>> halving = step_decay(1.0, step_size=10, gamma=0.5)
    >>> [halving(t) for t in (0, 9, 10, 25)]
    [1.0, 1.0, 0.5, 0.25]
"""

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass

from . import _checks

__all__ = ["Schedule", "as_schedule", "constant", "inverse_time", "step_decay"]


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: `schedule(t)` is alpha_t for update t = 0, 1, 2, ...

    name : short, for legends ("1/t", "step decay").
    formula : the rule with its settings ("alpha_t = 2 / (1 + t/15)").
    rate : the function t -> alpha_t, called with a checked t.
    """

    name: str
    formula: str
    rate: Callable[[int], float]

    def __call__(self, t):
        return self.rate(_checks.count("t", t))

    def __repr__(self):
        return f"Schedule({self.name}: {self.formula})"


def constant(alpha):
    """alpha_t = alpha: plain SGD, whose jitter never fades."""
    alpha = _checks.positive("alpha", alpha)
    return Schedule("constant", f"alpha_t = {alpha:g}", lambda t: alpha)


def inverse_time(alpha, decay_steps):
    """alpha_t = alpha / (1 + t / decay_steps): halved after `decay_steps` updates, a third after 2 x that."""
    alpha = _checks.positive("alpha", alpha)
    decay_steps = _checks.positive("decay_steps", decay_steps)
    return Schedule("1/t", f"alpha_t = {alpha:g} / (1 + t/{decay_steps:g})",
                    lambda t: alpha / (1.0 + t / decay_steps))


def step_decay(alpha, step_size, gamma=0.5):
    """alpha_t = alpha * gamma ** floor(t / step_size): multiplied by `gamma` every `step_size` updates."""
    alpha = _checks.positive("alpha", alpha)
    step_size = _checks.count("step_size", step_size, minimum=1)
    gamma = _checks.positive("gamma", gamma)
    if gamma > 1:
        raise ValueError(f"gamma must be in (0, 1] so that the rate never grows, got {gamma!r}")
    return Schedule("step decay", f"alpha_t = {alpha:g} * {gamma:g}^floor(t/{step_size})",
                    lambda t: alpha * gamma ** (t // step_size))


def as_schedule(alpha):
    """A `Schedule` from a number (a constant rate) or any callable t -> alpha_t.

    A callable that is not a `Schedule` is wrapped so that every rate it gives
    is checked: a zero, negative or non-finite alpha_t raises an error naming t.
    """
    if isinstance(alpha, Schedule):
        return alpha
    if not callable(alpha):
        try:
            return constant(alpha)
        except TypeError as error:  # neither a number nor a schedule: say both are allowed
            raise TypeError(f"{error}; or pass a schedule t -> alpha_t") from None

    def checked(t):
        value = alpha(t)
        number = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if not (number and math.isfinite(value) and value > 0):
            raise ValueError(f"alpha schedule must give a finite number > 0 at every t, "
                             f"got {value!r} at t={t}")
        return float(value)

    return Schedule(getattr(alpha, "__name__", "schedule"), "alpha_t = schedule(t)", checked)
