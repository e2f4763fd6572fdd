"""Why momentum works (11): its rate of convergence on a quadratic, in theory and in a run.

On L(w) = 1/2 (w - c)^T H (w - c) write x = Q^T (w - c) in the eigenvectors of
H = Q diag(lambda) Q^T. The gradient is then diag(lambda) x, so heavy-ball
momentum (torch's convention, `optimizers.momentum`)

    v_t = beta v_{t-1} + g_t,    w_{t+1} = w_t - alpha v_t

moves each coordinate x_i on its own, with its own curvature lambda_i:

    v_t     = beta v_{t-1} + lambda x_t
    x_{t+1} = x_t - alpha v_t = (1 - alpha lambda) x_t - alpha beta v_{t-1}

that is, (x_{t+1}, v_t) = M (x_t, v_{t-1}) with the 2 x 2 matrix

    M = [[1 - alpha lambda,  -alpha beta],
         [lambda,             beta      ]]

After t steps the error is M^t times the start, so it shrinks like rho^t, rho
being M's largest |eigenvalue|. The eigenvalues solve
z^2 - (1 + beta - alpha lambda) z + beta = 0; their product is beta, so
rho >= sqrt(beta) always, with equality when they are complex (a spiral).
With beta = 0, M's only non-zero eigenvalue is 1 - alpha lambda: plain descent.
"""

import math
from dataclasses import dataclass

import numpy as np

from .. import _checks, landscapes, optimizers, theory
from ..run import run

__all__ = ["Decoupling", "MomentumWalk", "Optimum", "RateMap", "best_alpha", "decoupling", "fitted_rate",
           "momentum_matrix", "momentum_optimum", "momentum_rate", "momentum_walk", "rate_map",
           "speedup_table", "steps_per_digit"]


def _curvatures(curvatures):
    return _checks.array("curvatures", curvatures, 0.0, flat=True)


def momentum_matrix(curvature, alpha, beta):
    """M = [[1 - alpha lambda, -alpha beta], [lambda, beta]]: one step on (x_t, v_{t-1}) along a curvature."""
    curvature = _checks.positive("curvature", curvature)
    alpha = _checks.positive("alpha", alpha)
    beta = _checks.fraction("beta", beta)
    return np.array([[1.0 - alpha * curvature, -alpha * beta], [curvature, beta]])


def momentum_rate(curvatures, alpha, beta):
    """The rate rho: the largest spectral radius of M over `curvatures`; the error shrinks like rho^t.

    `alpha` (> 0) and `beta` (in [0, 1)) may be numbers or arrays that
    broadcast together (a grid for a heat map); the result has their shape.
    The eigenvalues of M solve z^2 - s z + beta = 0 with s = 1 + beta - alpha lambda:
    complex when s^2 < 4 beta, both of modulus sqrt(beta); else real, the
    larger in size being (|s| + sqrt(s^2 - 4 beta)) / 2. rho >= 1 means no
    convergence (> 1: divergence). beta = 0 gives plain descent's max |1 - alpha lambda|.
    """
    curvatures = _curvatures(curvatures)
    alpha = _checks.array("alpha", alpha, 0.0)
    beta = _checks.array("beta", beta, 0.0, 1.0, low_allowed=True)
    alpha, beta = np.broadcast_arrays(alpha, beta)
    trace = 1.0 + beta[..., None] - alpha[..., None] * curvatures
    discriminant = trace * trace - 4.0 * beta[..., None]
    real = 0.5 * (np.abs(trace) + np.sqrt(np.maximum(discriminant, 0.0)))
    radius = np.where(discriminant < 0, np.sqrt(beta)[..., None], real).max(axis=-1)
    return float(radius) if radius.ndim == 0 else radius


@dataclass(frozen=True)
class Optimum:
    """The best settings on curvatures in [low, high], k = high / low, for momentum and for plain descent."""

    low: float
    high: float
    condition: float
    alpha: float          # 4 / (sqrt L + sqrt m)^2
    beta: float           # ((sqrt k - 1) / (sqrt k + 1))^2
    rate: float           # (sqrt k - 1) / (sqrt k + 1)
    descent_alpha: float  # 2 / (L + m)
    descent_rate: float   # (k - 1) / (k + 1)


def momentum_optimum(curvatures):
    """The `Optimum` for these curvatures (only the smallest and the largest matter)."""
    curvatures = _curvatures(curvatures)
    low, high = float(curvatures.min()), float(curvatures.max())
    alpha, beta, rate = theory.momentum_optimum(low, high)
    descent_alpha, descent_rate = theory.descent_optimum(low, high)
    return Optimum(low, high, high / low, alpha, beta, rate, descent_alpha, descent_rate)


@dataclass(frozen=True)
class RateMap:
    """momentum_rate over a grid: `rate[i, j]` at beta[i], alpha[j].

    `grid_best` is (alpha, beta, rate) of the grid's smallest rate, and
    `best_on_edge` says whether that cell lies on the grid's border.
    `speed_limit[i]` is 2 (1 + beta[i]) / L, the edge of divergence.
    """

    curvatures: tuple
    alpha: np.ndarray
    beta: np.ndarray
    rate: np.ndarray
    optimum: Optimum
    speed_limit: np.ndarray
    grid_best: tuple
    best_on_edge: bool


def rate_map(curvatures=(0.5, 10.0), alphas=None, betas=None):
    """The rate at every (alpha, beta) of a grid, as a `RateMap`.

    By default alpha runs in 140 even steps up to 4.2 / L (a little beyond
    4 / L, the largest speed limit any beta in [0, 1) allows) and beta from 0
    to 0.99 in steps of 0.01, so the bottom row is plain descent. The axes are
    linear, which draws the edge of divergence alpha = 2 (1 + beta) / L as a
    straight line.
    """
    curvatures = _curvatures(curvatures)
    high = float(curvatures.max())
    alphas = np.linspace(4.2 / high / 140, 4.2 / high, 140) if alphas is None else alphas
    betas = np.linspace(0.0, 0.99, 100) if betas is None else betas
    alphas = _checks.array("alphas", alphas, 0.0, flat=True)
    betas = _checks.array("betas", betas, 0.0, 1.0, low_allowed=True, flat=True)
    rate = momentum_rate(curvatures, alphas[None, :], betas[:, None])
    row, col = np.unravel_index(np.argmin(rate), rate.shape)
    on_edge = row in (0, len(betas) - 1) or col in (0, len(alphas) - 1)
    return RateMap(tuple(float(c) for c in curvatures), alphas, betas, rate, momentum_optimum(curvatures),
                   2.0 * (1.0 + betas) / high, (float(alphas[col]), float(betas[row]), float(rate[row, col])),
                   bool(on_edge))


def best_alpha(curvatures, beta):
    """The alpha that gives the smallest rate for this beta, on curvatures from m to L.

    A curvature lambda spirals in at exactly sqrt(beta), the least possible,
    when (1 - sqrt beta)^2 <= alpha lambda <= (1 + sqrt beta)^2. If one alpha
    puts both m and L in that window (beta >= beta*), the middle of the alphas
    that do is returned. Otherwise m sits below its window and L above its own,
    both rates real; m's falls and L's rises as alpha grows, so the best alpha
    makes them equal, found by bisection. (The rate at a curvature between m
    and L never exceeds the larger of theirs.) beta = 0 gives 2 / (L + m).
    """
    curvatures = _curvatures(curvatures)
    beta = _checks.fraction("beta", beta)
    low, high = float(curvatures.min()), float(curvatures.max())
    root = math.sqrt(beta)
    steep_spirals_up_to = (1 + root) ** 2 / high
    flat_spirals_from = (1 - root) ** 2 / low
    if flat_spirals_from <= steep_spirals_up_to:
        return 0.5 * (flat_spirals_from + steep_spirals_up_to)
    below, above = steep_spirals_up_to, flat_spirals_from
    for _ in range(200):
        middle = 0.5 * (below + above)
        if middle in (below, above):
            break
        flat, steep = momentum_rate([low], middle, beta), momentum_rate([high], middle, beta)
        below, above = (middle, above) if flat > steep else (below, middle)
    return 0.5 * (below + above)


def fitted_rate(distance, first=0):
    """exp(slope) of a least-squares line through log(distance[t]) for t >= first: a measured rate.

    Exact zeros (Chad landed on the minimum) are left out; fewer than two
    usable points give nan.
    """
    distance = np.asarray(distance, dtype=float)
    steps = np.arange(distance.size)
    usable = (steps >= _checks.count("first", first)) & (distance > 0) & np.isfinite(distance)
    if usable.sum() < 2:
        return math.nan
    slope = np.polyfit(steps[usable], np.log(distance[usable]), 1)[0]
    return float(np.exp(slope))


@dataclass(frozen=True)
class MomentumWalk:
    """Chad's momentum walk on a quadratic, its distance to the minimum, and what theory predicted.

    distance[t] = |w_t - c|; predicted[t] = distance[0] rate^t; `measured` is
    `fitted_rate(distance, fit_from)`, over the second half of the walk.
    """

    landscape: object  # the Landscape walked
    alpha: float
    beta: float
    trajectory: object
    distance: np.ndarray
    predicted: np.ndarray
    rate: float
    measured: float
    fit_from: int

    @property
    def diverged(self):
        return self.trajectory.stop_reason == "diverged"


def momentum_walk(landscape="ravine", alpha=0.2, beta=0.5, max_steps=100, start=None):
    """Run `optimizers.momentum` on a quadratic and set its decay beside the theory's, as a `MomentumWalk`."""
    landscape = landscapes.get(landscape)
    curvatures = theory.quadratic_curvatures(landscape)
    start = landscape.start if start is None else _checks.point("start", start)
    max_steps = _checks.count("max_steps", max_steps, minimum=2)
    walk = run(optimizers.momentum(landscape, start, alpha, beta=beta), max_steps=max_steps)
    distance = np.linalg.norm(walk.w - landscape.minima[0], axis=1)
    rate = momentum_rate(curvatures, alpha, beta)
    fit_from = walk.n_updates // 2
    return MomentumWalk(landscape, float(alpha), float(beta), walk, distance,
                        distance[0] * rate ** walk.t.astype(float), rate, fitted_rate(distance, fit_from),
                        fit_from)


@dataclass(frozen=True)
class Decoupling:
    """A 2-D momentum walk seen along the Hessian's eigenvectors, beside the 1-D iteration of each.

    from_walk[:, i] = q_i . (w_t - c) from the real run; from_matrix[:, i] is the
    first entry of M_i^t (x_0, 0), M_i built from curvature i alone; `gap` is
    the largest difference between them; `landscape`, `alpha` and `beta` made the walk.
    """

    landscape: object
    alpha: float
    beta: float
    curvatures: np.ndarray
    from_walk: np.ndarray
    from_matrix: np.ndarray
    gap: float


def decoupling(landscape="ravine", alpha=0.2, beta=0.5, max_steps=40):
    """Check that momentum on a quadratic is one 2 x 2 iteration per eigen-direction, as a `Decoupling`."""
    landscape = landscapes.get(landscape)
    theory.quadratic_curvatures(landscape)  # refuses a landscape without a Hessian
    curvatures, directions = np.linalg.eigh(landscape.hessian)
    walk = run(optimizers.momentum(landscape, landscape.start, alpha, beta=beta),
               max_steps=_checks.count("max_steps", max_steps, minimum=1), escape_radius=1e300)
    from_walk = (walk.w - landscape.minima[0]) @ directions
    from_matrix = np.empty_like(from_walk)
    for i, curvature in enumerate(curvatures):
        matrix, state = momentum_matrix(curvature, alpha, beta), np.array([from_walk[0, i], 0.0])
        for t in range(len(from_walk)):
            from_matrix[t, i] = state[0]
            state = matrix @ state
    return Decoupling(landscape, float(alpha), float(beta), curvatures, from_walk, from_matrix,
                      float(np.abs(from_walk - from_matrix).max()))


def steps_per_digit(rate):
    """ln 10 / -ln(rate): steps for the error to shrink ten times at this rate (in (0, 1))."""
    rate = _checks.positive("rate", rate)
    if rate >= 1:
        raise ValueError(f"rate must be < 1 for the error to shrink, got {rate!r}")
    return math.log(10.0) / -math.log(rate)


def speedup_table(conditions=(10, 20, 100, 1000, 10000)):
    """For each condition number k: both optimal rates and the steps per digit each needs.

    Rows are dicts with k, descent_rate (k - 1)/(k + 1), momentum_rate
    (sqrt k - 1)/(sqrt k + 1), their steps per digit, and their ratio, which
    approaches sqrt k as k grows.
    """
    rows = []
    for k in conditions:
        k = _checks.positive("conditions", k)
        if k <= 1:
            raise ValueError(f"conditions must be > 1 (a ravine, not a round bowl), got {k!r}")
        best = momentum_optimum((1.0, k))
        descent, momentum = steps_per_digit(best.descent_rate), steps_per_digit(best.rate)
        rows.append({"k": k, "descent_rate": best.descent_rate, "momentum_rate": best.rate,
                     "descent_steps": descent, "momentum_steps": momentum, "ratio": descent / momentum})
    return rows
