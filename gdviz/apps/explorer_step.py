"""The step explained: one step of Chad's walk written out as its update rule, with its numbers.

Under the Explorer's figure, following the step slider and Play: for plain
descent

    g(3) = ∇L(w(3)) = (-0.8192, 0.6144)
    w(4) = w(3) - α g(3) = (-0.4096, 0.3072) - 0.1 × (-0.8192, 0.6144) = (-0.3277, 0.2458)

and for every other optimizer its own rule (`gdviz.optimizers`) in the same
shape: momentum's velocity, Adam's two moments and their corrections, SGD's
noise or the batch it drew, Newton's Hessian, the line search's accepted step.

The numbers come from the walk itself: a step's gradient and the state its
rule carried (`Trajectory.state`, as it was used for the move), the state
before it from the step before (zero at step 0, as every accumulator starts).
The last line works the move out anew from those numbers, so it can be
checked against the walk's next point (tests/test_explorer_step.py does).
Vectors are elementwise: g² and √s are per component.
"""

import html

import numpy as np

from .. import data
from ..words import in_words

__all__ = ["explain", "explanation_lines"]


def _number(value):
    return f"{float(value):.4g}"


def _vector(values):
    """(a, b) to 4 significant digits."""
    return "(" + ", ".join(_number(value) for value in np.ravel(values)) + ")"


def _before(trajectory, key, step):
    """The rule's state `key` before step `step`: the step before's, or zero at the first step."""
    return trajectory.state[key][step - 1] if step > 0 else np.zeros(2)


def _move(t, w, filled, move, rule):
    """(w(t+1), its line): w(t+1) = w(t) - `rule` = w(t) - `filled` (the rule's numbers) = w(t) - move."""
    after = w - move
    return after, f"w({t + 1}) = w({t}) - {rule} = {_vector(w)} - {filled} = {_vector(after)}"


def _descent(trajectory, step, alpha, settings, landscape):
    t, w, g = step, trajectory.w[step], trajectory.grad[step]
    after, line = _move(t, w, f"{_number(alpha)} × {_vector(g)}", alpha * g, f"α g({t})")
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}", line], after


def _momentum(trajectory, step, alpha, settings, landscape, nesterov=False):
    t, w, g, beta = step, trajectory.w[step], trajectory.grad[step], settings["beta"]
    previous, velocity = _before(trajectory, "velocity", step), trajectory.state["velocity"][step]
    lines = [f"g({t}) = ∇L(w({t})) = {_vector(g)}",
             f"v({t}) = β v({t - 1}) + g({t}) = {_number(beta)} × {_vector(previous)} + {_vector(g)} "
             f"= {_vector(velocity)}"]
    if nesterov:
        direction = g + beta * velocity
        filled = f"{_number(alpha)} × ({_vector(g)} + {_number(beta)} × {_vector(velocity)})"
        after, line = _move(t, w, filled, alpha * direction, f"α (g({t}) + β v({t}))")
    else:
        after, line = _move(t, w, f"{_number(alpha)} × {_vector(velocity)}", alpha * velocity,
                            f"α v({t})")
    return [*lines, line], after


def _nesterov(trajectory, step, alpha, settings, landscape):
    return _momentum(trajectory, step, alpha, settings, landscape, nesterov=True)


def _scaled_move(t, w, g, square, alpha, eps, name):
    """The adaptive move alpha g / (sqrt(s) + eps) of Adagrad and RMSProp."""
    move = alpha * g / (np.sqrt(square) + eps)
    return _move(t, w, f"{_number(alpha)} × {_vector(g)} / ({_vector(np.sqrt(square))} + {_number(eps)})",
                 move, f"α g({t}) / (√{name}({t}) + ε)")


def _adagrad(trajectory, step, alpha, settings, landscape):
    t, w, g, eps = step, trajectory.w[step], trajectory.grad[step], settings["eps"]
    previous, square = _before(trajectory, "square_sum", step), trajectory.state["square_sum"][step]
    after, line = _scaled_move(t, w, g, square, alpha, eps, "s")
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}",
            f"s({t}) = s({t - 1}) + g({t})² = {_vector(previous)} + {_vector(g * g)} = {_vector(square)}",
            line], after


def _rmsprop(trajectory, step, alpha, settings, landscape):
    t, w, g, beta, eps = step, trajectory.w[step], trajectory.grad[step], settings["beta"], settings["eps"]
    previous, square = _before(trajectory, "square_avg", step), trajectory.state["square_avg"][step]
    after, line = _scaled_move(t, w, g, square, alpha, eps, "s")
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}",
            f"s({t}) = β s({t - 1}) + (1 - β) g({t})² = {_number(beta)} × {_vector(previous)} + "
            f"{_number(1 - beta)} × {_vector(g * g)} = {_vector(square)}", line], after


def _adam(trajectory, step, alpha, settings, landscape):
    t, w, g = step, trajectory.w[step], trajectory.grad[step]
    beta1, beta2, eps = settings["beta1"], settings["beta2"], settings["eps"]
    mean, square = trajectory.state["mean"][step], trajectory.state["square_avg"][step]
    first, second = 1 - np.power(beta1, t + 1), 1 - np.power(beta2, t + 1)
    mean_hat, square_hat = mean / first, square / second
    move = alpha * mean_hat / (np.sqrt(square_hat) + eps)
    after, line = _move(t, w, f"{_number(alpha)} × {_vector(mean_hat)} / ({_vector(np.sqrt(square_hat))} + "
                        f"{_number(eps)})", move, "α m̂ / (√ŝ + ε)")
    mean_before, square_before = _before(trajectory, "mean", step), _before(trajectory, "square_avg", step)
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}",
            f"m({t}) = β1 m({t - 1}) + (1 - β1) g({t}) = {_number(beta1)} × {_vector(mean_before)} + "
            f"{_number(1 - beta1)} × {_vector(g)} = {_vector(mean)}",
            f"s({t}) = β2 s({t - 1}) + (1 - β2) g({t})² = {_number(beta2)} × {_vector(square_before)} + "
            f"{_number(1 - beta2)} × {_vector(g * g)} = {_vector(square)}",
            f"corrected: m̂ = m({t}) / (1 - β1^{t + 1}) = {_vector(mean)} / {_number(first)} = "
            f"{_vector(mean_hat)}; ŝ = s({t}) / (1 - β2^{t + 1}) = {_vector(square)} / {_number(second)} = "
            f"{_vector(square_hat)}",
            line], after


def drawn_batch(landscape, step, settings):
    """The example indices SGD's minibatch held at `step`: the same seeded batches, drawn again."""
    batches = data.batch_indices(landscape.data_size, settings["batch_size"], settings["shuffle"],
                                 settings["seed"])
    for _ in range(step):
        next(batches)
    return next(batches)[1]


def _sgd(trajectory, step, alpha, settings, landscape):
    t, w, g = step, trajectory.w[step], trajectory.grad[step]
    if "noise" in trajectory.state:  # no data: the exact gradient plus drawn noise
        noise = trajectory.state["noise"][step]
        sensed = [f"g({t}) = ∇L(w({t})) + noise = {_vector(g - noise)} + {_vector(noise)} = {_vector(g)}"]
    else:
        epoch, batch = trajectory.state["epoch"][step], drawn_batch(landscape, step, settings)
        shown = ", ".join(str(int(index)) for index in batch[:12]) + (", ..." if len(batch) > 12 else "")
        sensed = [f"the batch it drew (epoch {int(epoch)}): examples {shown}, {len(batch)} of "
                  f"{landscape.data_size}; their loss {_number(trajectory.state['batch_loss'][step])}",
                  f"g({t}) = the gradient of the batch's loss = {_vector(g)}"]
    after, line = _move(t, w, f"{_number(alpha)} × {_vector(g)}", alpha * g, f"α g({t})")
    return [*sensed, line], after


def _newton(trajectory, step, alpha, settings, landscape):
    t, w, g, damping = step, trajectory.w[step], trajectory.grad[step], settings["damping"]
    hessian = trajectory.state["hessian"][step]
    direction = np.linalg.solve(hessian + damping * np.eye(2), g)
    (a, b), (_, c) = hessian
    after, line = _move(t, w, f"{_number(alpha)} × {_vector(direction)}", alpha * direction,
                        f"α d({t})")
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}",
            f"H({t}) = [[{_number(a)}, {_number(b)}], [{_number(b)}, {_number(c)}]], λ = {_number(damping)}",
            f"d({t}) = (H({t}) + λ I)⁻¹ g({t}) = {_vector(direction)}", line], after


def _line_search(trajectory, step, alpha, settings, landscape):
    t, w, g = step, trajectory.w[step], trajectory.grad[step]
    size, tries = float(trajectory.state["step_size"][step]), int(trajectory.state["losses_tried"][step])
    c, here = settings["c"], float(trajectory.loss[step])
    if size > 0:
        there = float(landscape(w - size * g))
        sizes = "step size" if tries == 1 else "step sizes"
        found = (f"tried {tries} {sizes} from α = {_number(alpha)}, shrinking by "
                 f"{_number(settings['shrink'])}; took s = {_number(size)}, the first with L(w - s g) ≤ "
                 f"L(w) - c s |g|²: {_number(there)} ≤ {_number(here - c * size * (g @ g))}")
    else:
        found = f"tried {tries} step sizes and none lowered the loss measurably: s = 0, Chad stays"
    after, line = _move(t, w, f"{_number(size)} × {_vector(g)}", size * g, f"s g({t})")
    return [f"g({t}) = ∇L(w({t})) = {_vector(g)}", found, line], after


_RULES = {"gradient_descent": _descent, "momentum": _momentum, "nesterov": _nesterov, "adagrad": _adagrad,
          "rmsprop": _rmsprop, "adam": _adam, "sgd": _sgd, "newton": _newton, "line_search": _line_search}


def explanation_lines(trajectory, step, optimizer, alpha, settings, landscape):
    """(lines, next_w): one step of the walk as plain-text lines, and the w(t+1) they work out.

    Parameters
    ----------
    trajectory : Trajectory
        The walk, from `gdviz.run`.
    step : int
        Which step, 0 <= step < len(trajectory).
    optimizer : str
        The walk's optimizer, one of `gdviz.optimizers.names()`.
    alpha : float
        Its alpha (a line search's first try).
    settings : dict
        Its other settings as it walked with them ({"beta": 0.9}).
    landscape : Landscape
        Where it walked (the line search reads a loss there; SGD's batches need its data size).
    """
    if optimizer not in _RULES:
        raise ValueError(f"optimizer must be one of {', '.join(map(repr, _RULES))}; got {optimizer!r}")
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step < len(trajectory):
        raise ValueError(f"step must be a whole number from 0 to {len(trajectory) - 1} for this walk, "
                         f"got {step!r}")
    step = int(step)
    with np.errstate(all="ignore"):  # a diverging walk's last numbers may overflow: they are shown as inf
        lines, after = _RULES[optimizer](trajectory, step, alpha, settings, landscape)
    head = (f"step {step} of {len(trajectory) - 1}, {in_words(optimizer)}: Chad at w({step}) = "
            f"{_vector(trajectory.w[step])}, his sensor reads L = {_number(trajectory.loss[step])}")
    lines = [head, *lines]
    if step == len(trajectory) - 1:
        lines.append(f"the walk stops here ({in_words(trajectory.stop_reason)}): this move is not taken")
    return lines, after


def explain(trajectory, step, optimizer, alpha, settings, landscape):
    """The step's update as HTML for the Explorer: `explanation_lines`, a line each, formulas in monospace."""
    lines, _ = explanation_lines(trajectory, step, optimizer, alpha, settings, landscape)
    head, *rest = (html.escape(line) for line in lines)
    body = "".join(f"<div>{line}</div>" for line in rest)
    return (f'<div class="gdviz-step"><div><b>{head}</b></div>'
            f'<div style="font-family: var(--jp-code-font-family, monospace)">{body}</div></div>')
