"""The learning rate (06): one map per regime, and the final loss against alpha."""

import math

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks, theory
from ..experiments.learning_rate import RegimeWalks, Sweep
from . import theme
from .style import make_trace
from .walks import contour_trace, frame_axes

__all__ = ["alpha_sweep_figure", "regimes_figure"]


def regimes_figure(walks):
    """One map per learning rate, each with Chad's path, the final loss and why he stopped.

    `walks` is what `experiments.regime_walks` returns, {label: (alpha,
    Trajectory)} on its landscape.
    """
    walks = _checks.result("walks", walks, RegimeWalks, "experiments.regime_walks")
    landscape = walks.landscape
    # Two columns: each map keeps room for its two-line title, on a laptop and on a projector.
    columns = min(len(walks), 2)
    rows = math.ceil(len(walks) / columns)
    titles = [f"{label}: α={alpha:.3g}<br>final loss {walk.loss[-1]:.3g} ({walk.stop_reason})"
              for label, (alpha, walk) in walks.items()]
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=titles,
                           horizontal_spacing=0.12, vertical_spacing=0.22 if rows > 1 else 0.15)
    for index, (label, (_, walk)) in enumerate(walks.items()):
        row, col = index // columns + 1, index % columns + 1
        figure.add_trace(contour_trace(landscape, 60, role=f"map {label}"), row=row, col=col)
        figure.add_trace(make_trace(f"path {label}", x=walk.w[:, 0], y=walk.w[:, 1], name=label,
                                    showlegend=False,
                                    line={"color": theme.CHAD}, marker={"size": 5, "color": theme.CHAD}),
                         row=row, col=col)
        frame_axes(figure, landscape, row, col)
    figure.update_annotations(font_size=13)
    steps = max(walk.n_updates for _, walk in walks.values())
    figure.update_layout(theme.base_layout(f"Learning rates on {landscape.name}, up to {steps} steps each",
                                           330 * rows + 80, 340 * columns + 100))
    return theme.finish(figure)


def alpha_sweep_figure(sweep):
    """Final loss against alpha (log-log), with the theory's 1/L and 2/L marked.

    `sweep` is what `experiments.alpha_sweep` returns. On a quadratic with
    largest curvature L, descent moves monotonically for alpha < 1/L,
    oscillates but converges for 1/L < alpha < 2/L and diverges beyond 2/L.
    Diverged walks are crosses at the loss where they left.
    """
    sweep = _checks.result("sweep", sweep, Sweep, "experiments.alpha_sweep")
    shown = theme.on_log_axis(sweep.final_loss)
    settled, flew = ~sweep.diverged, sweep.diverged
    figure = make_subplots(rows=1, cols=1)
    figure.add_trace(make_trace("curve settled", x=sweep.alpha[settled], y=shown[settled],
                                mode="lines+markers",
                                name=f"final loss after {sweep.max_steps} steps", showlegend=True,
                                line={"color": theme.colour(0)}))
    figure.add_trace(make_trace("stop diverged", x=sweep.alpha[flew], y=shown[flew], name="diverged",
                                marker={"size": 9, "color": theme.TRAIL}))
    high = sweep.max_curvature
    if high is not None:
        one, two = theory.rate_limits(high)
        for value, words in ((one, "1/L: oscillation starts"), (two, "2/L: divergence")):
            figure.add_vline(x=value, line={"dash": "dash", "color": "grey"})
            # On a log axis an annotation's x is given as log10 of the value.
            figure.add_annotation(x=np.log10(value), y=1.0, yref="paper", text=words, textangle=-90,
                                  showarrow=False, xanchor="right", yanchor="top", font={"size": 11})
    figure.update_xaxes(type="log", title_text="learning rate α", exponentformat="power")
    figure.update_yaxes(type="log", title_text="final loss", exponentformat="power")
    curvature = "" if high is None else f" (L = {high:g})"
    figure.update_layout(theme.base_layout(f"Sweeping α on {sweep.landscape.name}{curvature}", 420, 760),
                         legend=theme.legend_inside("bottom left"))
    return theme.finish(figure)
