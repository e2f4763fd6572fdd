"""Neural network landscapes (13): slices of a linear classifier and of a small network, the training path.

Every network here is a preset of `gdviz.network` (two moons, a quarter of
them held out), trained once per process with the seed given; a slice is the
loss on the plane theta + a d1 + b d2 through the trained weights theta
(`gdviz.network_slices`), meshed over a in [-1, 1] and b in [-1, 1] for random
filter-normalised directions. What a slice's shape is measured by:

- its curvature: at each inner point of the mesh, the 2 x 2 Hessian from
  second differences of the mesh; the point curves down somewhere when the
  smaller eigenvalue is below -`CURVES_DOWN` times the largest |eigenvalue|
  on the mesh (a tolerance for rounding). A convex slice has no such point.
- its flatness: the mean loss over the square, `square_mean`: the lower, the
  less the loss rises around theta when every unit's weights change by up to
  their own size.

The comparisons of width, activation and batch size average the square's mean
over three random slices (`DIRECTION_SEEDS`) and state a verdict only per
training seed, so a test can repeat them with other seeds.
"""

from dataclasses import dataclass

import numpy as np

from .. import _checks
from .. import network as nets
from ._mapping import MappingResult

__all__ = ["CURVES_DOWN", "DIRECTION_SEEDS", "VARIATIONS", "LinearSlices", "NetworkSlice", "TrainingPath",
           "Variation", "Variations", "curvatures", "linear_slices", "network_slice", "square_mean",
           "training_path", "variations"]

CURVES_DOWN = 1e-3
DIRECTION_SEEDS = (0, 1, 2)
SQUARE = ((-1.0, 1.0), (-1.0, 1.0))


def curvatures(X, Y, Z):
    """(smallest, largest) eigenvalues of the mesh's 2 x 2 Hessian at each inner point, by second differences.

    X, Y, Z as `Landscape.mesh` gives them (rows along y). Both arrays have shape (n - 2, n - 2).
    """
    X, Y, Z = (np.asarray(values, dtype=float) for values in (X, Y, Z))
    if Z.ndim != 2 or min(Z.shape) < 3 or X.shape != Z.shape or Y.shape != Z.shape:
        raise ValueError(f"X, Y and Z must be meshes of one shape, at least 3 x 3, got {Z.shape}")
    hx, hy = X[0, 1] - X[0, 0], Y[1, 0] - Y[0, 0]
    centre = Z[1:-1, 1:-1]
    xx = (Z[1:-1, 2:] - 2 * centre + Z[1:-1, :-2]) / hx**2
    yy = (Z[2:, 1:-1] - 2 * centre + Z[:-2, 1:-1]) / hy**2
    xy = (Z[2:, 2:] - Z[2:, :-2] - Z[:-2, 2:] + Z[:-2, :-2]) / (4 * hx * hy)
    middle, spread = (xx + yy) / 2, np.sqrt(((xx - yy) / 2) ** 2 + xy**2)
    return middle - spread, middle + spread


def _curves_down(X, Y, Z):
    """The share of the mesh's inner points where the loss curves down along some direction."""
    smallest, largest = curvatures(X, Y, Z)
    scale = max(float(np.max(np.abs(largest))), float(np.max(np.abs(smallest))))
    return float(np.mean(smallest < -CURVES_DOWN * scale))


def square_mean(landscape, n=41):
    """The mean loss over the slice's domain, on an n x n mesh."""
    return float(np.mean(landscape.mesh(_checks.count("n", n, minimum=2))[2]))


def _random_slice(trained, direction_seed, name):
    d1, d2 = nets.random_directions(trained.network, trained.theta, direction_seed)
    return nets.slice_landscape(trained.network, trained.theta, d1, d2, SQUARE, name=name,
                                formula=f"loss(θ + a d1 + b d2), {trained.network.name}")


# ---------------------------------------------------------------- a linear classifier: convex slices

@dataclass(frozen=True)
class LinearSlices:
    """A linear classifier's loss (log loss on two moons) along random directions through its trained weights.

    offsets : (m,) t in [-1, 1]; lines : (k, m) the loss at theta + t d_i, one row per direction
    landscape : the 2-D slice; X, Y, Z : its mesh; curves_down : the share of its inner points curving down
    least_second_difference : the smallest second difference along any of the lines (>= 0: convex)
    """

    trained: object
    offsets: np.ndarray
    lines: np.ndarray
    landscape: object
    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray
    curves_down: float
    least_second_difference: float


def linear_slices(seed=0, direction_seed=0, n_lines=3, n=61):
    """Slices of the linear classifier (preset "moons-linear", trained with `seed`): `n_lines` 1-D lines and
    one 2-D slice, all along filter-normalised random directions drawn from `direction_seed` on."""
    trained = nets.preset("moons-linear", seed)
    n_lines = _checks.count("n_lines", n_lines, minimum=1)
    n = _checks.count("n", n, minimum=3)
    offsets = np.linspace(-1.0, 1.0, n)
    directions = [nets.random_directions(trained.network, trained.theta, direction_seed + i)[0]
                  for i in range(n_lines)]
    lines = np.array([trained.network.losses(trained.theta + offsets[:, None] * d) for d in directions])
    landscape = _random_slice(trained, direction_seed, "linear classifier slice")
    X, Y, Z = landscape.mesh(n)
    least = float(np.min(lines[:, 2:] - 2 * lines[:, 1:-1] + lines[:, :-2]))
    return LinearSlices(trained, offsets, lines, landscape, X, Y, Z, _curves_down(X, Y, Z), least)


# ---------------------------------------------------------------- the network's slice and its 1-D line

@dataclass(frozen=True)
class NetworkSlice:
    """The trained network's slice along random directions, and the straight line from its start to its end.

    landscape, X, Y, Z : the slice and its mesh; curves_down : the share of its inner points curving down
    ts, line : the loss at (1 - t) theta0 + t theta on the line from the start theta0 to the trained theta
    """

    trained: object
    direction_seed: int
    landscape: object
    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray
    curves_down: float
    ts: np.ndarray
    line: np.ndarray

    @property
    def line_falls(self):
        """True when the loss falls at every step of the line from t = 0 to t = 1."""
        inside = (self.ts >= 0) & (self.ts <= 1)
        return bool(np.all(np.diff(self.line[inside]) < 0))


def network_slice(preset="moons-tanh", seed=0, direction_seed=0, n=61):
    """A random filter-normalised slice of the trained preset, and its 1-D line from start to end (t in
    [-0.25, 1.25])."""
    trained = nets.preset(preset, seed)
    direction_seed = _checks.count("direction_seed", direction_seed)
    landscape = _random_slice(trained, direction_seed, f"{trained.network.name} slice")
    X, Y, Z = landscape.mesh(_checks.count("n", n, minimum=3))
    ts = np.linspace(-0.25, 1.25, 121)
    line = nets.interpolation(trained.network, trained.theta0, trained.theta, ts)
    return NetworkSlice(trained, direction_seed, landscape, X, Y, Z, _curves_down(X, Y, Z), ts, line)


# ---------------------------------------------------------------- the training path, and a random walk's

@dataclass(frozen=True)
class TrainingPath:
    """The training path seen on its principal plane, beside a random walk of the same length and dimension.

    ratios : (2,) the share of the path's variance along its first two principal directions
    landscape, X, Y, Z : the slice through the trained theta along those directions, and its mesh
    coordinates : (T, 2) the path projected on that plane; path_loss : (T,) the network's loss at each
        point of the path; plane_loss : (T,) the slice's loss under each projected point
    random_share : the share of the path's variance in the plane of two random filter-normalised directions
    walk_ratios : (2,) the random walk's; walk_coordinates : (T, 2) the walk projected on its own principal
        plane, around its last point
    """

    trained: object
    ratios: np.ndarray
    landscape: object
    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray
    coordinates: np.ndarray
    path_loss: np.ndarray
    plane_loss: np.ndarray
    random_share: float
    walk_ratios: np.ndarray
    walk_coordinates: np.ndarray


def training_path(preset="moons-tanh", seed=0, direction_seed=0, n=61):
    """The preset's training path (trained with `seed`) on its PCA plane, the share a random plane (drawn with
    `direction_seed`) holds, and a random walk (seeded with `seed`) with as many steps and dimensions."""
    trained = nets.preset(preset, seed)
    path, theta = trained.path, trained.theta
    basis, ratios = nets.pca_directions(path)
    coordinates = nets.project_path(path, theta, basis)
    low, high = coordinates.min(axis=0), coordinates.max(axis=0)
    margin = 0.15 * float(np.max(high - low))
    domain = tuple((float(lo - margin), float(hi + margin)) for lo, hi in zip(low, high, strict=True))
    landscape = nets.slice_landscape(
        trained.network, theta, *basis, domain=domain, start=tuple(coordinates[0]),
        name=f"{trained.network.name}, principal plane",
        formula="loss(θ + a d1 + b d2), d1 and d2 the path's principal directions")
    X, Y, Z = landscape.mesh(_checks.count("n", n, minimum=3))
    plane_loss = landscape(coordinates)
    direction_seed = _checks.count("direction_seed", direction_seed)
    random_plane = nets.random_directions(trained.network, theta, direction_seed)
    walk = nets.random_walk(len(path) - 1, trained.network.n_params, seed)
    walk_basis, walk_ratios = nets.pca_directions(walk)
    return TrainingPath(trained, ratios, landscape, X, Y, Z, coordinates, trained.trajectory.loss, plane_loss,
                        nets.variance_share(path, random_plane), walk_ratios,
                        nets.project_path(walk, walk[-1], walk_basis))


# ---------------------------------------------------------------- what width, activation, batch size change

# {label: (group, preset)}: each group compares presets that differ in one thing only.
VARIATIONS = {
    "4 units": ("width", "moons-narrow"),
    "16 units": ("width", "moons-tanh"),
    "48 units": ("width", "moons-wide"),
    "tanh": ("activation", "moons-tanh"),
    "relu": ("activation", "moons-relu"),
    "batch 8": ("batch size", "moons-minibatch"),
    "full batch": ("batch size", "moons-fullbatch"),
}


@dataclass(frozen=True)
class Variation:
    """One preset's slices: `square_means` (one per direction seed) and the first slice's mesh to draw."""

    group: str
    trained: object
    square_means: np.ndarray
    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray

    @property
    def square_mean(self):
        """The mean loss over the square, averaged over the random slices."""
        return float(np.mean(self.square_means))


@dataclass(frozen=True, eq=False)
class Variations(MappingResult):
    """{label: Variation} for the labels of `VARIATIONS`, every preset trained with `seed`."""

    ITEMS = "rows"
    seed: int
    direction_seeds: tuple
    rows: dict

    def flattest(self, group):
        """The label of the group's flattest slice (lowest mean loss over the square)."""
        members = [label for label, row in self.rows.items() if row.group == group]
        if not members:
            raise ValueError(f"group must be one of {sorted({row.group for row in self.rows.values()})}, "
                             f"got {group!r}")
        return min(members, key=lambda label: self.rows[label].square_mean)

    def table(self):
        """Printable rows: held-out accuracy, final training loss, the square's mean loss, per variation."""
        lines = [f"{'':12s}{'held out':>10s}{'final loss':>12s}{'mean loss over the square':>27s}"]
        for label, row in self.rows.items():
            means = " ".join(f"{value:.2f}" for value in row.square_means)
            lines.append(f"{label:12s}{row.trained.test_accuracy:>10.0%}{row.trained.trajectory.loss[-1]:>12.4f}"
                         f"{row.square_mean:>9.2f}  ({means})")
        return "\n".join(lines)


def variations(seed=0, direction_seeds=DIRECTION_SEEDS, labels=None, n=31):
    """Each variation of `VARIATIONS` (or those `labels`), trained with `seed`, sliced along random directions
    drawn from each of `direction_seeds`."""
    labels = list(VARIATIONS) if labels is None else [_checks.choice("labels", label, list(VARIATIONS))
                                                      for label in labels]
    seeds = tuple(_checks.count("direction_seeds", value) for value in direction_seeds)
    if not seeds:
        raise ValueError("direction_seeds must hold at least one seed")
    n = _checks.count("n", n, minimum=3)
    rows, meshed = {}, {}  # a preset in two groups (16 tanh units) is meshed once
    for label in labels:
        group, name = VARIATIONS[label]
        trained = nets.preset(name, seed)
        if name not in meshed:
            meshed[name] = [_random_slice(trained, direction_seed, label).mesh(n) for direction_seed in seeds]
        meshes = meshed[name]
        means = np.array([float(np.mean(Z)) for _, _, Z in meshes])
        rows[label] = Variation(group, trained, means, *meshes[0])
    return Variations(_checks.count("seed", seed), seeds, rows)
