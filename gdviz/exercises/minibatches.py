"""Exercises on minibatches (07)."""

from .. import theory
from ._verdict import _number, _right, _unanswered, _wrong

__all__ = ["check_steps_per_epoch"]


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
