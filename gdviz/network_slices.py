"""Slices of a network's loss through weight space: two directions, and the loss on the plane they span.

A network of n parameters has a loss over n dimensions; a picture has two. A
slice through the weights theta along directions d1 and d2 is the landscape

    L(a, b) = loss(theta + a d1 + b d2),    grad L(a, b) = (g . d1, g . d2),  g = the backpropagated gradient

so Chad can walk it like any other `Landscape` (its loss and gradient are
evaluated for many (a, b) at once, and its minibatch versions sample the
network's real examples, so SGD on a slice is SGD). Which directions:

- `random_directions`: Gaussian, then filter-normalised (Li et al., 2018):
  each unit's incoming weights in a direction (a row of W_l) are rescaled to
  the norm of the same unit's weights in theta, and the directions' bias
  entries are zero, so a step a = 1 changes every unit by its own size.
  Without it, a direction would barely move large weights and swamp small ones.
- `pca_directions`: the first principal directions of a training path, the
  plane in which the path moved most; `variance_share` says how much of its
  movement that plane holds, and `project_path` gives the path's coordinates
  in any plane. The same for a `random_walk` of the same length and dimension
  shows what such numbers prove (Antognini and Sohl-Dickstein, 2018).
- `interpolation`: the 1-D view, the loss on the straight line from one theta
  to another (Goodfellow et al., 2015).

`preset_slice(name, directions, seed)` builds the slice of a trained preset
(`gdviz.network.PRESETS`); its landscape's name, "network:<preset>:<directions>:<seed>",
is a recipe that `from_slice_name` rebuilds.
"""

import functools

import numpy as np

from . import _checks
from .landscapes import Landscape

__all__ = ["DIRECTIONS", "NORMALISATIONS", "from_slice_name", "interpolation", "pca_directions",
           "preset_slice", "project_path", "random_directions", "random_walk", "slice_landscape",
           "variance_share"]

NORMALISATIONS = ("filter", "layer")
DIRECTIONS = ("random", "pca")
SLICE_PREFIX = "network"


def _network(network):
    from .network import Network  # here, not at the top: gdviz.network imports this module

    if not isinstance(network, Network):
        raise TypeError(f"network must be a gdviz.network.Network, got {type(network).__name__}")
    return network


def _vector(network, name, value):
    return _checks.point(name, value, size=network.n_params)


def random_directions(network, theta, seed=0, normalise="filter"):
    """Two seeded Gaussian directions in weight space, normalised to theta's own sizes: shape (2, n_params).

    normalise="filter": each unit's row of incoming weights d_j is rescaled to
    ||theta_j|| / ||d_j|| times itself, the norm of the same unit's weights in
    theta (a unit whose weights are all 0 gets a zero row); "layer": each W_l
    of the direction is rescaled to ||W_l|| of theta as a whole. Either way the
    directions' bias entries are 0.
    """
    network = _network(network)
    theta = _vector(network, "theta", theta)
    _checks.choice("normalise", normalise, NORMALISATIONS)
    rng = np.random.default_rng(_checks.count("seed", seed))
    directions = rng.standard_normal((2, network.n_params))
    directions[:, network.bias_mask()] = 0.0
    groups = {}  # the entries rescaled together: one unit's row (filter), or a whole W_l (layer)
    for unit, (layer, row) in enumerate(network.weight_rows()):
        entries = np.arange(row.start, row.stop)
        groups.setdefault(unit if normalise == "filter" else layer, []).append(entries)
    for parts in groups.values():
        entries = np.concatenate(parts)
        size = np.linalg.norm(theta[entries])
        for direction in directions:
            norm = np.linalg.norm(direction[entries])
            direction[entries] *= size / norm if norm > 0 else 0.0
    return directions


def _path(path, name="path"):
    array = np.asarray(path, dtype=float)
    if array.ndim != 2 or len(array) < 2 or array.shape[1] < 2:
        raise ValueError(f"{name} must be points of a walk, shape (steps + 1, n) with at least 2 points "
                         f"of n >= 2 numbers, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite numbers")
    return array


def pca_directions(path, n_components=2):
    """The path's first principal directions and the share of its variance each explains.

    The points (rows) are centred on their mean, C; the directions are the top
    right singular vectors of C (orthonormal, shape (k, n)), each signed so the
    path runs forward along it (last point minus first has a positive
    component, when it has one), and the ratios are s_i^2 / sum of all s^2, the
    share of the points' total variance along each. They come from the
    eigenvectors of the smaller of C^T C and C C^T (eigenvalues s^2): for 1001
    points of 337 numbers, a 337 x 337 problem rather than an SVD of the whole path.
    """
    path = _path(path)
    k = _checks.count("n_components", n_components, minimum=1)
    if k > min(path.shape):
        raise ValueError(f"n_components must be at most {min(path.shape)} for a path of shape {path.shape}, "
                         f"got {k}")
    centred = path - path.mean(axis=0)
    total = float(np.sum(centred * centred))
    if total == 0:
        raise ValueError("path must move: all its points are the same")
    wide = len(centred) < centred.shape[1]
    values, vectors = np.linalg.eigh(centred @ centred.T if wide else centred.T @ centred)
    top = np.argsort(values)[::-1][:k]
    values = values[top]
    if values[-1] <= 1e-13 * total:
        raise ValueError(f"n_components must be at most the number of directions the path moves in; "
                         f"got {k}, but its direction {k} holds no variance")
    directions = (centred.T @ vectors[:, top] / np.sqrt(values)).T if wide else vectors[:, top].T
    travel = path[-1] - path[0]
    directions[directions @ travel < 0] *= -1
    return directions, values / total


def variance_share(path, directions):
    """The share of the path's variance (points centred on their mean) that lies in the span of `directions`.

    For a path's own principal directions this is the sum of their ratios; for
    random directions in n dimensions, about (number of directions) / n.
    """
    path = _path(path)
    basis, _ = np.linalg.qr(_directions(directions, path.shape[1]).T)  # orthonormal columns, same span
    centred = path - path.mean(axis=0)
    total = float(np.sum(centred**2))
    if total == 0:
        raise ValueError("path must move: all its points are the same")
    return float(np.sum((centred @ basis) ** 2) / total)


def _directions(directions, n):
    array = np.asarray(directions, dtype=float)
    if array.ndim != 2 or array.shape[1] != n or not 1 <= len(array) <= n:
        raise ValueError(f"directions must be rows of {n} numbers, shape (k, {n}), got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.linalg.matrix_rank(array) < len(array):
        raise ValueError("directions must be finite and independent (none a combination of the others)")
    return array


def project_path(path, origin, directions):
    """(T, k) each point's coordinates c in the plane origin + c_1 d_1 + c_2 d_2 (least squares).

    The point of the plane nearest to each point of the path; for orthonormal
    directions, simply (point - origin) . d_i.
    """
    path = _path(path)
    origin = _checks.point("origin", origin, size=path.shape[1])
    basis = _directions(directions, path.shape[1])
    coordinates, *_ = np.linalg.lstsq(basis.T, (path - origin).T, rcond=None)
    return coordinates.T


def random_walk(n_steps, dimension, seed=0):
    """A seeded Gaussian random walk from the origin: (n_steps + 1, dimension), each step N(0, I)."""
    n_steps = _checks.count("n_steps", n_steps, minimum=1)
    dimension = _checks.count("dimension", dimension, minimum=2)
    steps = np.random.default_rng(_checks.count("seed", seed)).standard_normal((n_steps, dimension))
    return np.vstack([np.zeros(dimension), np.cumsum(steps, axis=0)])


def interpolation(network, theta0, theta1, ts=None):
    """The loss on the straight line (1 - t) theta0 + t theta1, at each t of `ts` (default -0.25 .. 1.25)."""
    network = _network(network)
    theta0, theta1 = _vector(network, "theta0", theta0), _vector(network, "theta1", theta1)
    ts = np.linspace(-0.25, 1.25, 61) if ts is None else _checks.array("ts", ts, -np.inf, flat=True)
    return network.losses(theta0 + ts[:, None] * (theta1 - theta0))


def slice_landscape(network, theta, d1, d2, domain=((-1.0, 1.0), (-1.0, 1.0)), start=None,
                    name="network slice", formula=None):
    """The `Landscape` L(a, b) = loss(theta + a d1 + b d2) of a network, with its projected gradient.

    Loss and gradient take arrays of (a, b) of any equal shape and evaluate
    them all in one pass (`Network.losses` and `Network.gradients`). The
    landscape carries the network's data for SGD: `batch_loss((a, b), indices)`
    and `batch_grad` are the network's on those examples, projected the same
    way. Its (a, b) = (0, 0) is theta. No minimum is claimed (`minima` is empty).
    """
    network = _network(network)
    theta = _vector(network, "theta", theta)
    basis = np.array([_vector(network, "d1", d1), _vector(network, "d2", d2)])
    if np.linalg.matrix_rank(basis) < 2:
        raise ValueError("d1 and d2 must be independent directions (neither zero, nor one a multiple of "
                         "the other)")

    def thetas(a, b):
        a, b = np.broadcast_arrays(np.asarray(a, dtype=float), np.asarray(b, dtype=float))
        return a.shape, theta + np.column_stack([a.ravel(), b.ravel()]) @ basis

    def loss(a, b):
        shape, points = thetas(a, b)
        return network.losses(points).reshape(shape)

    def grad(a, b):
        shape, points = thetas(a, b)
        projected = network.gradients(points) @ basis.T
        return projected[:, 0].reshape(shape), projected[:, 1].reshape(shape)

    def batch_loss(w, indices):
        return network.batch_loss(theta + np.asarray(w, dtype=float) @ basis, indices)

    def batch_grad(w, indices):
        return basis @ network.batch_grad(theta + np.asarray(w, dtype=float) @ basis, indices)

    (a_low, a_high), (b_low, b_high) = domain
    if start is None:
        start = (a_low + 0.15 * (a_high - a_low), b_high - 0.2 * (b_high - b_low))
    if formula is None:
        formula = f"loss(θ + a d1 + b d2) of a {network.name}"
    return Landscape(name, formula, loss, grad, domain, (), start, data_size=network.data_size,
                     batch_loss=batch_loss, batch_grad=batch_grad)


# ---------------------------------------------------------------- slices of the presets, by name

def preset_slice(name, directions="random", seed=0):
    """The slice through the trained weights of preset `name` (`gdviz.network.PRESETS`, trained with seed 0).

    directions="random": filter-normalised random directions drawn with `seed`,
    over a in [-1, 1] and b in [-1, 1]. directions="pca": the first two principal
    directions of the preset's training path (`seed` plays no part), over a box
    that holds the whole path's projection, Chad starting where training started.
    The landscape's name, "network:<name>:<directions>:<seed>", is the recipe
    `from_slice_name` rebuilds it from. Built once per process.
    """
    from .network import PRESETS

    _checks.choice("preset", name, list(PRESETS))
    _checks.choice("directions", directions, DIRECTIONS)
    return _preset_slice(name, directions, _checks.count("seed", seed))


@functools.cache
def _preset_slice(name, directions, seed):
    from .network import preset

    trained = preset(name)
    network, theta = trained.network, trained.theta
    recipe = f"{SLICE_PREFIX}:{name}:{directions}:{seed}"
    if directions == "random":
        d1, d2 = random_directions(network, theta, seed)
        formula = f"loss(θ + a·d1 + b·d2), d1, d2 random (seed {seed})"  # short: a figure's note
        return slice_landscape(network, theta, d1, d2, name=recipe, formula=formula)
    basis, _ = pca_directions(trained.path)
    coordinates = project_path(trained.path, theta, basis)
    low, high = coordinates.min(axis=0), coordinates.max(axis=0)
    margin = 0.15 * max(float(np.max(high - low)), 1e-3)
    domain = tuple((float(lo - margin), float(hi + margin)) for lo, hi in zip(low, high, strict=True))
    formula = "loss(θ + a·d1 + b·d2) on the path's principal plane"  # short: a figure's note
    return slice_landscape(network, theta, *basis, domain=domain, start=tuple(coordinates[0]), name=recipe,
                           formula=formula)


def from_slice_name(name):
    """The slice a `preset_slice` landscape's name describes: "network:<preset>:<directions>:<seed>"."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a string like 'network:moons-tanh:random:0', got {name!r}")
    parts = name.split(":")
    if len(parts) != 4 or parts[0] != SLICE_PREFIX or not parts[3].isdigit():
        raise ValueError(f"name must read 'network:<preset>:<directions>:<seed>', e.g. "
                         f"'network:moons-tanh:random:0', got {name!r}")
    _, preset_name, directions, seed = parts
    return preset_slice(preset_name, directions, int(seed))
