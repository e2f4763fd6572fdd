"""Exercises on minibatches (09): steps per epoch, a step-decay rate, the order of the batches, and the
variance of a batch's gradient."""

import math

from .. import _checks, classifier, schedules, theory
from ..experiments import batch_noise, sgd_runs
from ._verdict import _number, _read_number, _right, _unanswered, _wrong

__all__ = ["check_schedule_rate", "check_steps_per_epoch", "check_unshuffled_batch_size",
           "check_variance_ratio"]


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


def check_variance_ratio(answer, small=4, large=16, n_samples=60):
    """How many times larger the variance of a batch's gradient is with `small` examples than with `large`.

    With B distinct examples drawn at random from n, Var_B = sigma^2 / B (n - B) / (n - 1), so the ratio is
    (large / small) (n - small) / (n - large): sigma^2 cancels. A right answer is within 1%. The verdict
    also quotes the ratio `experiments.batch_noise` measures on notebook 09's 60 examples.
    """
    small, large = _checks.count("small", small, minimum=1), _checks.count("large", large, minimum=1)
    n_samples = _checks.count("n_samples", n_samples, minimum=2)
    if not small < large < n_samples:
        raise ValueError(f"small < large < n_samples is needed, got {small}, {large}, {n_samples}")
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    plain = large / small
    expected = plain * (n_samples - small) / (n_samples - large)

    def near(target):
        return math.isclose(value, target, rel_tol=0.01)

    if near(expected):
        words = (f"(sigma^2 / {small}) ({n_samples} - {small}) over (sigma^2 / {large}) ({n_samples} - "
                 f"{large}) is {plain:g} x {n_samples - small}/{n_samples - large} = {expected:.3g}")
        if n_samples == classifier.sorted_landscape().data_size:
            noise = batch_noise(classifier.sorted_landscape(), batch_sizes=(small, large))
            words += (f"; measured over {noise.draws} random batches each: "
                      f"{noise.measured[0] / noise.measured[1]:.2f}")
        return _right(words + ".")
    if near(plain):
        return _wrong(f"close: {plain:g} is the 1/B part alone. Drawn without replacement, a batch of "
                      f"{large} is {large / n_samples:.0%} of the {n_samples} examples, and the factor "
                      "(n - B) / (n - 1) shrinks its variance further")
    if near(1 / expected) or near(1 / plain):
        return _wrong("upside down: the smaller batch is the noisier one, so the ratio is above 1")
    if near(math.sqrt(expected)) or near(math.sqrt(plain)):
        return _wrong("that is a ratio of standard deviations; the question asks about variances, "
                      "their squares")
    return _wrong(f"{value:g} is not it; write Var_B for B = {small} and B = {large} with the formula above "
                  "and divide: sigma^2 cancels")
