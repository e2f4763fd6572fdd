"""Exercises on the race (10): momentum's gain on a steady slope."""

import math

from .. import experiments
from ._verdict import _read_number, _right, _wrong

__all__ = ["check_momentum_gain"]


def check_momentum_gain(answer, beta=0.9):
    """On a steady slope, how many times longer do momentum's steps become than plain descent's?"""
    gain = experiments.momentum_gain(beta)
    value, problem = _read_number(answer)
    if problem is not None:  # a Verdict is falsy when it fails
        return problem
    if math.isclose(value, gain, rel_tol=0.02):
        return _right(f"with beta = {beta:g} the velocity sums 1 + beta + beta² + ... = 1/(1 - beta) "
                      f"= {1 / (1 - beta):g} gradients; the run measured {gain:.4g}.")
    return _wrong("write the velocity after many steps as a sum of gradients and add up the series")
