"""Why a walk stopped, in words: the one wording of `Trajectory.stop_reason` the apps show."""

import inspect

import numpy as np

from ..run import run

# The conditions as `gdviz.run` applies them when its caller leaves them out.
_RUN_DEFAULTS = {name: parameter.default for name, parameter in inspect.signature(run).parameters.items()
                 if parameter.default is not inspect.Parameter.empty}

# One sentence per stop reason, in words (the settings named as a reader says them, not as `run`
# spells them); only the fired one is formatted, so its threshold is set.
_SENTENCES = {
    "grad_below": ("converged to {where} in {count}: the slope there, {slope:.3g}, is at or below "
                   "the flatness limit {grad_below:.3g}"),
    "loss_below": ("stopped: loss below {loss_below:.3g} after {count}, at {where}; the loss there is "
                   "{loss:.3g}"),
    "no_improvement": ("stopped: the loss stopped improving after {count}, at {where}; the best loss has not "
                       "dropped by the least improvement, {min_delta:g}, for {patience} steps in a row"),
    "diverged": ("diverged after {count}: Chad went further than {escape_radius:g} from the origin, or a "
                 "value overflowed"),
    "max_steps": ("walked all {count} without converging: the step budget is spent; Chad stands at "
                  "{where}, his sensor reads {loss:.3g}"),
}


def _two_decimals(value):
    """1.234 -> "1.23", and -0.0001 -> "0.00" rather than "-0.00"."""
    return f"{value:.2f}" if abs(value) >= 0.005 else "0.00"


def stop_sentence(trajectory, **conditions):
    """What Chad did and why `gdviz.run` stopped him, in one sentence of plain text (not yet escaped).

    `conditions` are the keyword arguments the walk was run with (max_steps,
    loss_below, grad_below, patience, min_delta, escape_radius); those left
    out are `run`'s defaults. For example "converged to (0.00, 0.00) in 39
    steps: the slope there, 0.000958, is at or below the flatness limit 0.001".
    """
    steps = trajectory.n_updates
    (x, y), loss = trajectory.w[-1], float(trajectory.loss[-1])
    return _SENTENCES[trajectory.stop_reason].format(
        count=f"{steps} step{'' if steps == 1 else 's'}", where=f"({_two_decimals(x)}, {_two_decimals(y)})",
        loss=loss, slope=float(np.linalg.norm(trajectory.grad[-1])), **{**_RUN_DEFAULTS, **conditions})
