"""Exercises on minibatches (09): steps per epoch, a step-decay rate, and the order of the batches."""

import math

from .. import classifier, schedules, theory
from ..experiments import sgd_runs
from ._verdict import _number, _read_number, _right, _unanswered, _wrong

__all__ = ["check_schedule_rate", "check_steps_per_epoch", "check_unshuffled_batch_size"]


def check_steps_per_epoch(answer, n_samples, batch_size):
    """Updates in one epoch: ceil(n_samples / batch_size), the last batch being smaller."""
    expected = theory.batches_per_epoch(n_samples, batch_size)
    if _unanswered(answer):
        return _wrong("replace the ... with your count")
    if _number(answer) == expected:
        return _right(f"{n_samples} examples in batches of {batch_size} make {expected} updates per epoch.")
    if _number(answer) == n_samples // batch_size:
        return _wrong("close: the leftover examples still form one last, smaller batch")
    return _wrong(f"{answer} is not it; how many batches of {batch_size} cover {n_samples} examples?")


def check_schedule_rate(answer, alpha, step_size, t, gamma=0.5):
    """The rate of step decay at update t, alpha * gamma ** floor(t / step_size) (`schedules.step_decay`)."""
    schedule = schedules.step_decay(alpha, step_size, gamma)
    expected = schedule(t)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    drops = t // step_size
    if math.isclose(value, expected, rel_tol=1e-6):
        return _right(f"update {t} lies after {drops} drops (t // {step_size} = {drops}), so alpha_t = "
                      f"{alpha:g} * {gamma:g}^{drops} = {expected:g}.")
    if math.isclose(value, alpha * gamma ** (drops + 1), rel_tol=1e-6):
        return _wrong(f"one drop too many: t counts from 0, and the first drop comes at t = {step_size}")
    if drops > 0 and math.isclose(value, alpha * gamma ** (drops - 1), rel_tol=1e-6):
        return _wrong(f"one drop too few: by t = {t} the rate has dropped at t = {step_size}, "
                      f"{2 * step_size}, ... every {step_size} updates")
    if math.isclose(value, alpha * gamma ** (t / step_size), rel_tol=1e-6):
        return _wrong("the rate drops in steps, not smoothly: count whole blocks of updates, "
                      "floor(t / step_size)")
    return _wrong(f"{value:g} is not it; how many times has the rate been multiplied by {gamma:g} "
                  f"by update {t}?")


# The exercise's setting: the sorted data of notebook 09, alpha = 2, 20 epochs, batches in a fixed order.
_UNSHUFFLED = {"alpha": 2.0, "epochs": 20}


def check_unshuffled_batch_size(answer, batch_sizes=(4, 8, 16)):
    """Without reshuffling, which batch size ends farthest above the minimum loss?

    Runs `experiments.sgd_runs` on `classifier.sorted_landscape()` (60
    examples sorted by class) with alpha = 2 for 20 epochs, shuffle=False, for
    each batch size, and compares the final loss above the minimum.
    """
    if _unanswered(answer):
        return _wrong(f"replace the ... with one of {list(batch_sizes)}")
    if _number(answer) not in batch_sizes:
        return _wrong(f"answer one of the batch sizes {list(batch_sizes)}, got {answer!r}")
    landscape = classifier.sorted_landscape()
    minimum = float(landscape(landscape.minima[0]))
    gaps = {}
    for batch_size in batch_sizes:
        runs = sgd_runs(landscape, batch_sizes=(batch_size,), shuffle=False, **_UNSHUFFLED)
        walk, _ = runs[f"batch {batch_size}, unshuffled"]
        gaps[batch_size] = float(walk.loss[-1]) - minimum
    worst = max(gaps, key=gaps.get)
    table = ", ".join(f"batch {size}: {gap:.4f}" for size, gap in gaps.items())
    if _number(answer) == worst:
        return _right(f"loss above the minimum after 20 epochs in a fixed order: {table}. Smaller batches "
                      "mean more updates in a row from one class, so each epoch drags the model further "
                      "one way.")
    return _wrong("count the updates in a row that see only one class: 30 examples of each, in batches of "
                  "4, 8 or 16. The longer one class pulls without the other answering, the further it drags")
