"""Argument checks shared by the package.

Each check either returns the cleaned value or raises an error that names the
parameter, repeats the value it was given and says what is allowed, so a typo
in a notebook cell reads as a sentence rather than a stack of numpy noise.
"""

import numbers
import reprlib

import numpy as np


def positive(name, value):
    """A finite real number > 0 (learning rates, epsilons, noise levels)."""
    number = real(name, value)
    if not number > 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return number


def non_negative(name, value):
    """A finite real number >= 0."""
    number = real(name, value)
    if number < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return number


def real(name, value):
    """A finite real number (bools are refused: True is not a learning rate)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def fraction(name, value):
    """A decay rate in [0, 1), such as momentum's beta."""
    number = real(name, value)
    if not 0 <= number < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return number


def count(name, value, minimum=0):
    """An integer >= minimum (step budgets, batch sizes)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def point(name, value, size=2):
    """`size` finite numbers (two by default, Chad's w1 and w2), as a float array."""
    numbers = "two" if size == 2 else str(size)
    example = " like (1.0, -2.0)" if size == 2 else ""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {numbers} finite numbers{example}, got {value!r}") from None
    if array.shape != (size,):
        raise ValueError(f"{name} must be {numbers} finite numbers{example}, got {value!r}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be {numbers} finite numbers, got {value!r}")
    return array


def points(name, values):
    """At least one point of two finite numbers, as a float array of shape (n, 2)."""
    wanted = f"{name} must be points of two numbers, shape (n, 2) with n >= 1"
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{wanted}, got {reprlib.repr(values)}") from None
    if array.ndim != 2 or array.shape[1] != 2 or len(array) == 0:
        raise ValueError(f"{wanted}, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers, got {reprlib.repr(values)}")
    return array


def array(name, values, low, high=None, low_allowed=False, flat=False):
    """Finite numbers, each > low (>= low with `low_allowed`) and < high when given, as a float array.

    At least one number; `flat` asks for a 1-D list (a grid of rates, a list of curvatures).
    """
    try:
        numbers = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be numbers, got {values!r}") from None
    inside = np.isfinite(numbers) & ((numbers >= low) if low_allowed else (numbers > low))
    if high is not None:
        inside &= numbers < high
    if numbers.size == 0 or not np.all(inside):
        allowed = f"{'>=' if low_allowed else '>'} {low:g}" + ("" if high is None else f" and < {high:g}")
        raise ValueError(f"{name} must be finite numbers {allowed}, got {values!r}")
    if flat and numbers.ndim != 1:
        raise ValueError(f"{name} must be a flat list of numbers, got shape {numbers.shape}")
    return numbers


def features(name, X, count=2):
    """A table of examples with `count` features (two by default), shape (n, count), as it was given."""
    shape = np.shape(X)
    if len(shape) != 2 or shape[1] != count:
        words = "two" if count == 2 else str(count)
        raise ValueError(f"{name} must have {words} features, shape (n, {count}), got shape {shape}")
    return X


def choice(name, value, options):
    """One of a fixed set of strings."""
    if value not in options:
        allowed = ", ".join(repr(option) for option in options)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}")
    return value


def result(name, value, kind, made_by):
    """An experiment's result of type `kind`; the error names the experiment that makes one."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be the {kind.__name__} that {made_by}() returns, "
                        f"got {reprlib.repr(value)}")
    return value
