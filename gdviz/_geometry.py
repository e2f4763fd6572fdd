"""Rotations, built once for the package: the turned ravine, the aligned one, Chad's 3D pose."""

import numpy as np


def rotation(angle, plane=(0, 1), size=2):
    """The `size` x `size` matrix turning by `angle` radians in `plane`, from its first axis to its second.

    With the defaults, [[cos, -sin], [sin, cos]]: counter-clockwise in the (w1, w2) plane.
    """
    first, second = plane
    cos, sin = np.cos(angle), np.sin(angle)
    matrix = np.eye(size)
    matrix[first, first], matrix[first, second] = cos, -sin
    matrix[second, first], matrix[second, second] = sin, cos
    return matrix
