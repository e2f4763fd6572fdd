"""Steps that read more than the gradient: Newton's step and a backtracking line search.

The optimizers `gdviz.optimizers.newton` and `gdviz.optimizers.line_search`
walk the same loop as every other optimizer (`optimizers.walk`); this module
holds what is new in them, numpy only:

- what they read at w besides the gradient. Newton reads the Hessian H, the
  matrix of second derivatives; the line search reads the loss at trial
  points. Each reading is a "measurement" `gradient_at(w, t) -> (grad, seen)`,
  and what it saw reaches the update rule in its state;
- their update rules, `newton_rule` and `line_search_rule`, in the shape of
  `optimizers.RULES`;
- `backtrack`, the search itself, and `armijo_holds`, the test it applies.

Newton's step, with damping lambda >= 0 (Levenberg's damping):

    d_t     = (H(w_t) + lambda I)^-1 g_t
    w_{t+1} = w_t - alpha * d_t

On a quadratic 1/2 (w - c)^T H (w - c), H d = H (w - c), so d = w - c and one
undamped step with alpha = 1 lands on c from anywhere. Newton goes to the
stationary point of the local quadratic model, whatever kind it is: where
H + lambda I is not positive definite that point is a saddle or a maximum of
the model, and Newton heads for it (on the saddle w1^2 - w2^2 one step lands
exactly on the saddle point, where the gradient is zero and Chad stops).
A large lambda makes d close to g / lambda: plain descent with rate
alpha / lambda. Where H + lambda I is singular, d does not exist and the step
is refused with a ValueError.

A backtracking line search (Armijo's rule) along the downhill direction -g:
try t = alpha, alpha * shrink, alpha * shrink^2, ... and take the first t with

    L(w - t g) <= L(w) - c t ||g||^2                   (the Armijo condition)

so each accepted step lowers the loss by at least a fraction c of what the
slope promised. A step that costs k tries reads the loss at k trial points
(beyond L(w) itself, which Chad reads at every step anyway); the tried step
sizes are alpha * shrink^j for j < k, so the step's state records the
accepted `step_size` and `losses_tried` = k, and nothing else is needed to
count the cost. A search that cannot lower the loss measurably (the drop it
asks for is lost in rounding) gives up with step size 0 (`backtrack`).
"""

import numpy as np

from . import _checks

__all__ = ["MAX_TRIES", "armijo_holds", "backtrack", "curvature_reader", "line_search_rule",
           "newton_rule", "open_fraction", "require_hessian", "search_reader"]

# A guard: a search ends long before, once the drop it asks for is lost in rounding (`backtrack`);
# halving from 1e300 reaches the smallest float in about 1100 tries.
MAX_TRIES = 1100


def open_fraction(name, value):
    """A number strictly between 0 and 1 (a line search's shrink factor and its constant c)."""
    number = _checks.real(name, value)
    if not 0 < number < 1:
        raise ValueError(f"{name} must be strictly between 0 and 1, got {value!r}")
    return number


# ---------------------------------------------------------------- what they read at w

def require_hessian(landscape):
    """The landscape, if it knows its second derivatives (`has_hessian`); else a ValueError naming it."""
    if not getattr(landscape, "has_hessian", False):
        name = getattr(landscape, "name", type(landscape).__name__)
        raise ValueError(f"newton needs the landscape's Hessian, and {name!r} has none (has_hessian is "
                         "False): give it second derivatives (Landscape(..., hess=...)) or use a "
                         "first-order optimizer such as line_search")
    return landscape


def curvature_reader(landscape, evaluate_gradient, readings):
    """Newton's measurement: the gradient at w and the Hessian there, as state["hessian"].

    `readings` ({} or Chad's loss-reading count) is passed on as it is. A
    landscape without second derivatives is refused (`require_hessian`).
    """
    require_hessian(landscape)

    def gradient_at(w, t):
        return evaluate_gradient(w), {"hessian": landscape.hessian_at(w), **readings}

    return gradient_at


def search_reader(landscape, evaluate_gradient, alpha, shrink, c, readings):
    """The line search's measurement: the gradient at w, then the search along -g (`backtrack`).

    Seen: the accepted `step_size` and `losses_tried`; with a numeric gradient,
    `loss_readings` also counts the tries.
    """
    def gradient_at(w, t):
        grad = evaluate_gradient(w)
        step_size, tries = backtrack(landscape, w, grad, alpha, shrink, c)
        seen = {"step_size": step_size, "losses_tried": tries}
        if readings:
            seen["loss_readings"] = readings["loss_readings"] + tries
        return grad, seen

    return gradient_at


# ---------------------------------------------------------------- the update rules

def newton_rule(grad, state, t, alpha, damping):
    """Newton: d_t = (H_t + damping I)^-1 g_t with H_t = state["hessian"]; the move is alpha * d_t.

    Arithmetic on arrays: one walk (g of shape (n,), H (n, n), plain numbers) or many (g (m, n),
    H (m, n, n), alpha and damping plain numbers or (m, 1)), each walk's numbers the same bit for bit.
    """
    hessian = state["hessian"]
    damped = hessian + np.asarray(damping)[..., None] * np.eye(hessian.shape[-1])
    try:
        direction = np.linalg.solve(damped, grad[..., None])[..., 0]
    except np.linalg.LinAlgError:
        raise ValueError(f"Newton's step does not exist here: H + damping I = {damped.tolist()} is "
                         "singular (flat along some direction, to second order); use damping > 0") from None
    return alpha * direction, state


def line_search_rule(grad, state, t):
    """A line search's move: t_k * g_t, with t_k = state["step_size"], the step size the search accepted."""
    return state["step_size"] * grad, state


# ---------------------------------------------------------------- the search

def armijo_holds(loss_here, loss_there, step_size, slope, c):
    """The Armijo condition L(w - t g) <= L(w) - c t ||g||^2, with `slope` = ||g||^2.

    False when the trial loss is not finite (NaN compares false), so a search
    never accepts a step that overflowed.
    """
    return loss_there <= loss_here - c * step_size * slope


def backtrack(loss, w, grad, alpha, shrink, c, max_tries=MAX_TRIES):
    """The first t of alpha, alpha * shrink, alpha * shrink^2, ... that passes `armijo_holds`.

    Returns (t, tries), tries being the losses read at trial points. The search
    gives up, with t = 0 (Chad stays put, and `run`'s patience can stop him),
    when the drop a try asks for, c t ||g||^2, is lost in rounding
    (L(w) - c t ||g||^2 == L(w)), without reading that try's loss: no step
    that short could lower the loss measurably. So a zero gradient costs no
    try at all. `max_tries` is a guard that a search does not reach otherwise.
    """
    here, slope = float(loss(w)), float(grad @ grad)
    for tries in range(max_tries):
        step_size = alpha * shrink ** tries
        if here - c * step_size * slope == here:
            return 0.0, tries
        if armijo_holds(here, float(loss(w - step_size * grad)), step_size, slope, c):
            return step_size, tries + 1
    return 0.0, max_tries
