"""What every checker returns, and the small readers of a student's answer they share."""

import math
import numbers
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: `passed` and a sentence for the student."""

    passed: bool
    message: str

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return ("✔ " if self.passed else "✘ ") + self.message


def _right(message):
    return Verdict(True, "Right: " + message)


def _wrong(message):
    return Verdict(False, "Not yet: " + message)


def _number(answer):
    """The answer as a float, or None when it is not a finite real number."""
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None
    value = float(answer)
    return value if math.isfinite(value) else None


def _unanswered(answer):
    return answer is None or answer is Ellipsis


def _read_number(answer):
    """`(value, None)` for a usable number, else `(None, a verdict that says what to fix)`."""
    if _unanswered(answer):
        return None, _wrong("replace the ... with your number")
    value = _number(answer)
    if value is None:
        return None, _wrong(f"the answer should be a number, got {answer!r}")
    return value, None


def _real_array(answer):
    """The answer as a float array, or None when it is not real numbers (text, complex, objects, ragged)."""
    try:
        array = np.asarray(answer)
    except Exception:  # a ragged list, or an object that cannot be read as numbers: not an answer
        return None
    if array.dtype.kind not in "iuf":  # bools, complex numbers, text and objects are not an answer
        return None
    return array.astype(float)
