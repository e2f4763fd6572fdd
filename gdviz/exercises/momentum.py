"""Exercises on why momentum works (11): its best beta, its speed limit."""

import math

from .. import experiments, landscapes, theory
from ._verdict import _read_number, _right, _wrong

__all__ = ["check_momentum_speed_limit", "check_optimal_beta"]


# The optimal-beta exercise runs long enough that the fit of the measured rate is
# within about 0.3% of the theory, and accepts a run within 1.5% of the optimum.
_OPTIMUM_STEPS, _OPTIMUM_TOLERANCE = 600, 0.015


def _beta_mistakes(condition):
    """{value: hint} for the usual slips in ((sqrt k - 1)/(sqrt k + 1))^2."""
    root = math.sqrt(condition)
    return {
        (root - 1) / (root + 1): "that is (√k − 1)/(√k + 1), the best *rate*; β* is its square, since "
                                 "with complex roots the rate is √β",
        ((condition - 1) / (condition + 1)) ** 2: "that uses k where the formula has √k: momentum's whole "
                                                  "gain is that √k replaces k",
        (condition - 1) / (condition + 1): "that is plain descent's best rate (k − 1)/(k + 1); momentum's "
                                           "formula has √k, and is squared",
    }


def check_optimal_beta(answer, landscape="ravine"):
    """The best momentum beta* = ((sqrt k - 1)/(sqrt k + 1))^2 for a quadratic, checked by running it.

    The checker runs `optimizers.momentum` on the landscape with the
    student's beta and the alpha that suits that beta best
    (`experiments.best_alpha`), for 600 steps, and fits the rate at which
    Chad's distance to the minimum shrinks over the second half. The answer
    passes when that measured rate is within 1.5% of the optimum
    (sqrt k - 1)/(sqrt k + 1). Named slips: the square forgotten, k for sqrt k,
    plain descent's ratio (k - 1)/(k + 1), and rounding beta* down, which
    costs far more than rounding it up.
    """
    land = landscapes.get(landscape)
    curvatures = theory.quadratic_curvatures(land)
    best = experiments.momentum_optimum(curvatures)
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    if not 0 <= value < 1:
        return _wrong(f"beta must be in [0, 1) (a fraction of the velocity kept each step), got {value:g}")
    alpha = experiments.best_alpha(curvatures, value)
    walk = experiments.momentum_walk(land, alpha, value, _OPTIMUM_STEPS)
    ran = (f"with β = {value:g} and its best α = {alpha:.4f}, Chad's distance shrank by {walk.measured:.4f} "
           f"per step (fit over steps {walk.fit_from}–{walk.trajectory.n_updates}); the optimum is "
           f"{best.rate:.4f}, plain descent's best {best.descent_rate:.4f}")
    for mistake, hint in _beta_mistakes(best.condition).items():
        if math.isclose(value, mistake, rel_tol=0.005):
            return _wrong(f"{hint}. Run: {ran}.")
    if walk.measured <= best.rate * (1 + _OPTIMUM_TOLERANCE):
        return _right(f"k = {best.condition:g}, so β* = ((√k − 1)/(√k + 1))² = {best.beta:.4f}. Run: {ran}.")
    if value < best.beta and best.beta - value < 0.01:
        return _wrong(f"close, but below β* = ((√k − 1)/(√k + 1))²: just under β* no α keeps both directions "
                      f"in the window where they shrink by √β, and the rate worsens steeply, so give three "
                      f"decimals, rounding up if anything. Run: {ran}.")
    side = (f"too much momentum: the rate can never beat √β = {math.sqrt(value):.4f}" if value > best.beta
            else "too little momentum")
    return _wrong(f"{side}. Use k = L/m = {best.condition:g} in ((√k − 1)/(√k + 1))². Run: {ran}.")


def check_momentum_speed_limit(answer, beta=0.5, landscape="ravine"):
    """The largest alpha at which momentum still converges on a quadratic: 2 (1 + beta) / L, within 1%.

    Checked by running momentum 3% below and 3% above the student's alpha.
    Named slips: plain descent's 2/L; 2 (1 - beta)/L (as if the steady-slope
    gain 1/(1 - beta) applied across the ravine); 4/L, the limit only as
    beta -> 1 (equal to 2/(L (1 - beta)) when beta = 0.5); and
    (1 + sqrt beta)^2 / L, where the steep direction leaves the window of complex roots.
    """
    land = landscapes.get(landscape)
    high = theory.quadratic_curvature(land)
    limit = theory.momentum_speed_limit(high, beta)
    value, problem = _read_number(answer)
    if problem is not None:
        return problem
    if value <= 0:
        return _wrong(f"a learning rate is > 0, got {value:g}")

    def fate(alpha):
        walk = experiments.momentum_walk(land, alpha, beta, 300)
        settled = not walk.diverged and walk.distance[-1] < walk.distance[0]
        return f"at α = {alpha:.4g} Chad {'settles' if settled else 'does not settle'}"

    ran = f"{fate(0.97 * value)}; {fate(1.03 * value)}"
    if math.isclose(value, limit, rel_tol=0.01):
        return _right(f"a root of z² − (1 + β − αL) z + β reaches −1 when αL = 2(1 + β), so the limit is "
                      f"2(1 + {beta:g})/{high:g} = {limit:g}: {ran}.")
    mistakes = {
        2 / high: "that is plain descent's limit 2/L; near the edge the steep direction's gradient flips "
                  "sign every step, and a velocity of alternating gradients sums only 1 − β + β² − ... = "
                  "1/(1 + β) of one, which lets α go higher",
        2 * (1 - beta) / high: "the gain 1/(1 − β) holds on a steady slope; across the steep direction the "
                               "gradient flips sign every step, so the velocity sums 1 − β + β² − ... = "
                               "1/(1 + β) gradients instead",
        4 / high: "4/L is the limit only as β → 1; for a given β, find where a root of "
                  "z² − (1 + β − αL) z + β reaches −1",
        (1 + math.sqrt(beta)) ** 2 / high: "that is the top of the window where the steep direction's swings "
                                           "shrink by exactly √β; Chad still settles beyond it, until a root "
                                           "reaches −1",
    }
    for mistake, hint in mistakes.items():
        if math.isclose(value, mistake, rel_tol=0.01):
            return _wrong(f"{hint}. Run: {ran}.")
    side = "too high" if value > limit else "too low"
    return _wrong(f"{value:g} is {side}: put z = −1 into z² − (1 + β − αL) z + β = 0 and solve for α. "
                  f"Run: {ran}.")
