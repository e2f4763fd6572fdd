"""What every checker returns, and the small readers of a student's answer they share."""

import math
import numbers
from dataclasses import dataclass


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
