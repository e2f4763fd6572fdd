"""The few pieces of theory the course leans on, each written once.

Experiments, figures, apps and exercise checkers all read them from here, so
a lesson's prose, its picture and its checker cannot drift apart.

Learning-rate regimes of fixed-step descent on a quadratic
L(w) = 1/2 (w - c)^T H (w - c): along the Hessian eigenvector i the distance to
the minimum is multiplied by (1 - alpha lambda_i) at every step. With L the
largest eigenvalue (curvature):

    alpha <= 1/L          "smooth"       every factor in [0, 1): no overshoot
    1/L < alpha < 2/L     "oscillating"  some factor in (-1, 0): overshoots, settles
    alpha = 2/L           "bouncing"     a factor of exactly -1: bounces forever
    alpha > 2/L           "diverging"    a factor below -1: flies off

    >>> learning_rate_regime(2.0, 0.9)
    'oscillating'

Beyond quadratics (07): the L of an L-smooth loss (`log_loss_smoothness`), the
descent lemma's guaranteed decrease, the rates of convex and strongly convex
losses, and the sums of the learning-rate schedules that SGD's step-size
conditions are about.
"""

import math

import numpy as np

from . import _checks

REGIMES = {
    "smooth": "slides smoothly down into the minimum",
    "oscillating": "overshoots from side to side, but settles in the minimum",
    "bouncing": "bounces between two points forever",
    "diverging": "overshoots more and more and flies off",
}


def rate_limits(max_curvature):
    """(1/L, 2/L): the largest rate that never overshoots, and the edge of divergence."""
    high = _checks.positive("max_curvature", max_curvature)
    return 1.0 / high, 2.0 / high


def learning_rate_regime(max_curvature, alpha):
    """Which of `REGIMES` fixed-step descent falls in at rate `alpha`, given L.

    The edges 1/L and 2/L are compared with a relative tolerance of 1e-12, so
    alpha = 2/L computed in floating point still reads as "bouncing".
    """
    high = _checks.positive("max_curvature", max_curvature)
    product = _checks.positive("alpha", alpha) * high
    if math.isclose(product, 2.0, rel_tol=1e-12):
        return "bouncing"
    if product > 2.0:
        return "diverging"
    if product > 1.0 and not math.isclose(product, 1.0, rel_tol=1e-12):
        return "oscillating"
    return "smooth"


def shrink_factor(max_curvature, alpha):
    """|1 - alpha L|: how much the error along the steepest axis is multiplied by per step."""
    return abs(1.0 - _checks.positive("alpha", alpha) * _checks.positive("max_curvature", max_curvature))


def regime_rates(max_curvature):
    """Four rates that show the four behaviours one sees: {label: alpha}.

    "too small" 0.05/L creeps; "1/L" is the largest step that never overshoots
    (on a round bowl it lands in one step); "oscillating" 1.6/L overshoots but
    settles; "diverging" 2.5/L flies off.
    """
    one, _ = rate_limits(max_curvature)
    return {"too small": 0.05 * one, "1/L": one, "oscillating": 1.6 * one, "diverging": 2.5 * one}


def estimate_max_curvature(landscape, points=9, h=1e-4):
    """The largest |Hessian eigenvalue| over a `points` x `points` grid of the domain.

    Exact for a quadratic (its Hessian is known); elsewhere the Hessian at each
    grid point comes from centred differences of the analytic gradient,
    H[:, j] ~ (grad(w + h e_j) - grad(w - h e_j)) / 2h, symmetrised. A rate
    below 2 / this value is safe wherever Chad walks, not only at his start.
    """
    if landscape.max_curvature is not None:
        return landscape.max_curvature
    X, Y, _ = landscape.mesh(_checks.count("points", points, minimum=2))
    largest = 0.0
    for point in np.column_stack([X.ravel(), Y.ravel()]):
        hessian = np.array([(landscape.grad(point + h * e) - landscape.grad(point - h * e)) / (2 * h)
                            for e in np.eye(2)])
        eigenvalues = np.linalg.eigvalsh(0.5 * (hessian + hessian.T))
        largest = max(largest, float(np.max(np.abs(eigenvalues))))
    return largest


def sigmoid(z):
    """1 / (1 + e^-z), computed without overflow for any z (large |z| saturates to 0 or 1)."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def batches_per_epoch(n_samples, batch_size):
    """Updates in one pass over the data: ceil(n / batch_size), the last batch being smaller."""
    n_samples = _checks.count("n_samples", n_samples, minimum=1)
    batch_size = _checks.count("batch_size", batch_size, minimum=1)
    return -(-n_samples // batch_size)


def quadratic_curvature(landscape):
    """L, the largest Hessian eigenvalue of a quadratic landscape; an error naming it otherwise."""
    high = getattr(landscape, "max_curvature", None)
    if high is None:
        name = getattr(landscape, "name", landscape)
        raise ValueError(f"landscape must be a quadratic (with a Hessian) to read its regimes from theory, "
                         f"got {name!r}; try 'bowl' or 'ravine'")
    return high


# ---------------------------------------------------------------- heavy-ball momentum on a quadratic (11)
#
# Torch's convention, v <- beta v + g then w <- w - alpha v, is Polyak's heavy ball
# w_{t+1} = w_t - alpha g_t + beta (w_t - w_{t-1}) with the same alpha and beta, so the
# classical tuning below applies unchanged. (With the averaging convention
# v <- beta v + (1 - beta) g the step alpha would have to be divided by 1 - beta.)

def quadratic_curvatures(landscape):
    """(m, L): the smallest and largest Hessian eigenvalues of a quadratic landscape."""
    quadratic_curvature(landscape)  # the error naming a landscape without a Hessian
    low, high = np.linalg.eigvalsh(landscape.hessian)[[0, -1]]
    return float(low), float(high)


def _extremes(low, high):
    low, high = _checks.positive("low", low), _checks.positive("high", high)
    if low > high:
        raise ValueError(f"low must be at most high (the smallest and largest curvature), "
                         f"got {low!r} > {high!r}")
    return low, high


def descent_optimum(low, high):
    """(alpha, rate) of plain descent at its best: alpha = 2/(L + m), rate (k - 1)/(k + 1), k = L/m.

    The slowest factor |1 - alpha lambda| over [m, L] is smallest when the two
    ends are equal and opposite: 1 - alpha m = alpha L - 1.
    """
    low, high = _extremes(low, high)
    return 2.0 / (high + low), (high - low) / (high + low)


def momentum_optimum(low, high):
    """(alpha*, beta*, rate*) of heavy-ball momentum at its best on curvatures in [m, L].

        alpha* = 4 / (sqrt L + sqrt m)^2
        beta*  = ((sqrt k - 1) / (sqrt k + 1))^2,   k = L / m
        rate*  = sqrt(beta*) = (sqrt k - 1) / (sqrt k + 1)

    Both ends m and L sit on the edge of critical damping, (1 - sqrt beta)^2 = alpha m
    and (1 + sqrt beta)^2 = alpha L; every curvature between them then spirals in at
    sqrt(beta) per step, the least any curvature can do (the iteration's determinant is beta).
    """
    low, high = _extremes(low, high)
    root_low, root_high = math.sqrt(low), math.sqrt(high)
    rate = (root_high - root_low) / (root_high + root_low)
    return 4.0 / (root_high + root_low) ** 2, rate * rate, rate


def momentum_speed_limit(max_curvature, beta):
    """2 (1 + beta) / L: momentum converges on a quadratic exactly for 0 < alpha < this.

    A root of z^2 - (1 + beta - alpha lambda) z + beta reaches -1 when
    alpha lambda = 2 (1 + beta); beta = 0 gives plain descent's 2/L.
    """
    beta = _checks.fraction("beta", beta)
    return 2.0 * (1.0 + beta) / _checks.positive("max_curvature", max_curvature)


# ---------------------------------------------------------------- beyond quadratics (07)
#
# A loss is L-smooth when its gradient changes at most L times as fast as w,
# ||grad(u) - grad(v)|| <= L ||u - v||; for a twice-differentiable loss, when every Hessian
# eigenvalue everywhere is at most L in size. Along a step of length alpha ||g|| the loss then
# curves up at most as fast as a parabola of curvature L, which gives the descent lemma
#
#     L(w - alpha g) <= L(w) - alpha (1 - alpha L / 2) ||g||^2,
#
# so every alpha < 2/L lowers the loss at every step, most surely at alpha = 1/L.

def log_loss_smoothness(x):
    """L for the mean log loss of a linear model with a bias: the largest eigenvalue of X~^T X~ / (4N).

    x : (n,) one feature, or (n, d) features; X~ is x with a column of ones
    appended (the bias). The Hessian over (w, b) is mean_i p_i (1 - p_i) x~_i x~_i^T,
    and p (1 - p) <= 1/4 (equal where the score is 0), so every Hessian is at
    most X~^T X~ / (4N): an L that holds everywhere, reached where w = 0, b = 0.
    The labels play no part.

        >>> log_loss_smoothness([-2.0, -1.0, 1.0, 2.0])
        0.625
    """
    try:
        features = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"x must be numbers, features of shape (n,) or (n, d), got {x!r}") from None
    if features.ndim == 1:
        features = features[:, None]
    if features.ndim != 2 or len(features) == 0 or not np.all(np.isfinite(features)):
        raise ValueError(f"x must be finite features, shape (n,) or (n, d) with n >= 1, got shape "
                         f"{features.shape}")
    with_ones = np.hstack([features, np.ones((len(features), 1))])
    return float(np.linalg.eigvalsh(with_ones.T @ with_ones / (4 * len(features)))[-1])


def guaranteed_decrease(alpha, smoothness, grad):
    """alpha (1 - alpha L / 2) ||g||^2: the least one step of size alpha lowers an L-smooth loss.

    `grad` is one gradient (d,) or a stack (..., d); the result has one number
    per gradient. `alpha` is one rate, or rates that broadcast against that
    result. It is largest, ||g||^2 / (2L), at alpha = 1/L, zero at 2/L and
    negative beyond: there the lemma only caps how far the loss can rise.
    """
    alpha = _checks.positive("alpha", alpha) if np.ndim(alpha) == 0 else _checks.array("alpha", alpha, 0.0)
    smoothness = _checks.positive("smoothness", smoothness)
    grad = np.asarray(grad, dtype=float)
    return alpha * (1.0 - alpha * smoothness / 2.0) * np.sum(grad * grad, axis=-1)


def convex_gap_bound(alpha, distance_squared, t):
    """||w0 - u||^2 / (2 alpha t): how far above L(u) descent can still be after t steps.

    On a convex L-smooth loss with alpha <= 1/L, L(w_t) <= L(u) + ||w0 - u||^2 / (2 alpha t)
    for every point u and every t >= 1; with a minimiser w* and u = w*, the loss gap falls
    at least like 1/t. `distance_squared` and `t` may be arrays (broadcast).
    """
    alpha = _checks.positive("alpha", alpha)
    t = np.asarray(t, dtype=float)
    if np.any(t < 1):
        raise ValueError("t must be at least 1: the bound says nothing before the first step")
    return np.asarray(distance_squared, dtype=float) / (2.0 * alpha * t)


def quadratic_gap_factor(alpha, low, high):
    """max(|1 - alpha m|, |1 - alpha L|)^2: the least each step shrinks the loss gap on a quadratic.

    Each eigen-direction's offset is multiplied by 1 - alpha lambda, its share of
    the gap by the square; for alpha <= 2/(L + m) the flattest direction is the
    slowest, so the factor is (1 - alpha m)^2 and the gap falls geometrically.
    """
    low, high = _extremes(low, high)
    alpha = _checks.positive("alpha", alpha)
    return max(abs(1.0 - alpha * low), abs(1.0 - alpha * high)) ** 2


# The step-size conditions of stochastic approximation (Robbins and Monro): sum alpha_t = infinity
# (Chad can still travel any distance) and sum alpha_t^2 < infinity (the noise the steps inject
# stays bounded). Here the whole sums of the schedules of `gdviz.schedules`.

def _trigamma(x):
    """sum_{k >= 0} 1 / (x + k)^2 for x > 0: shifted up past 20, then the asymptotic series."""
    shifted = 0.0
    while x < 20.0:
        shifted += 1.0 / (x * x)
        x += 1.0
    inverse = 1.0 / x
    squared = inverse * inverse
    # 1/x + 1/(2x^2) + 1/(6x^3) - 1/(30x^5) + 1/(42x^7) - 1/(30x^9): to 1e-15 for x >= 20
    tail = 1 / 6 - squared / 30 + squared * squared / 42 - squared ** 3 / 30
    return shifted + inverse + squared / 2 + inverse * squared * tail


def inverse_time_sums(alpha, decay_steps):
    """(sum alpha_t, sum alpha_t^2) over t = 0, 1, ... of alpha_t = alpha / (1 + t / tau): (inf, finite).

    The steps add up like alpha tau log t, without end; their squares to
    alpha^2 tau^2 psi_1(tau) (psi_1 the trigamma function), between alpha^2 tau
    and alpha^2 (tau + 1).
    """
    alpha = _checks.positive("alpha", alpha)
    tau = _checks.positive("decay_steps", decay_steps)
    return math.inf, alpha * alpha * tau * tau * _trigamma(tau)


def step_decay_sums(alpha, step_size, gamma):
    """(sum alpha_t, sum alpha_t^2) over t = 0, 1, ... of alpha gamma^floor(t / s): both finite if gamma < 1.

    s steps at each rate: alpha s / (1 - gamma) and alpha^2 s / (1 - gamma^2),
    geometric series. So with gamma < 1 the steps add up to a finite distance,
    and Chad can stop short of a minimum that is further away. gamma = 1 is a
    constant rate: (inf, inf).
    """
    alpha = _checks.positive("alpha", alpha)
    step_size = _checks.count("step_size", step_size, minimum=1)
    gamma = _checks.positive("gamma", gamma)
    if gamma > 1:
        raise ValueError(f"gamma must be in (0, 1], got {gamma!r}")
    if gamma == 1:
        return math.inf, math.inf
    return alpha * step_size / (1 - gamma), alpha * alpha * step_size / (1 - gamma * gamma)
