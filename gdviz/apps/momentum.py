"""Why momentum works (11): click the rate map, and Chad walks the ravine with those settings."""

import math

import ipywidgets as widgets

from .. import _checks, experiments, landscapes, theory
from ..figures import momentum_walk_figure, style
from . import controls as named
from ._lesson import LessonApp

__all__ = ["MomentumMap"]

# The sliders' steps; a click is put on their grid. beta needs three decimals: just below beta* the
# rate worsens steeply (beta = 0.40 with the best alpha is 5% slower than beta* = 0.4026 on the ravine).
_ALPHA_STEP, _BETA_STEP = 0.001, 0.001


class MomentumMap(LessonApp):
    """Choose momentum's (alpha, beta) on its rate map; Chad walks the ravine with them.

    Click a cell of the map (or move the sliders, or press one of the two
    buttons) and Chad runs `optimizers.momentum` on the landscape; the bottom
    panel sets his distance to the minimum per step beside the prediction
    distance_0 rate^t, where rate is `experiments.momentum_rate` of the
    landscape's curvatures. The status line gives both rates, the rate along
    each eigen-direction, and the optimum for comparison.

    Headless, set `app.alpha.value` / `app.beta.value`, call `app.choose(alpha,
    beta)`, or call `app.clicked(trace, points, state)` as plotly does on a click.
    """

    FIGURE = ("The figure: at the top left, the rate per step of momentum for each learning rate alpha "
              "(across) and momentum beta (up), brighter is faster, with momentum's optimum (a star), plain"
              " descent's best (a diamond) and the chosen setting marked; at the top right, Chad's path "
              "on the ravine's contour map; below, his distance to the minimum at each step, measured and"
              " predicted.")

    def __init__(self, landscape="ravine", alpha=None, beta=0.0, max_steps=100):
        self.landscape = landscapes.get(landscape)
        self.curvatures = theory.quadratic_curvatures(self.landscape)
        self.rate_map = experiments.rate_map(self.curvatures)
        self.optimum = self.rate_map.optimum
        alpha = self.optimum.descent_alpha if alpha is None else _checks.positive("alpha", alpha)
        beta = _checks.fraction("beta", beta)
        top = float(self.rate_map.alpha[-1])
        slider = {"continuous_update": False, "description_width": "150px",
                  "layout": widgets.Layout(width="480px")}
        self.alpha = named.FloatSlider(min=_ALPHA_STEP, max=top, step=_ALPHA_STEP, readout_format=".3f",
                                       description="learning rate alpha", **slider)
        self.beta = named.FloatSlider(min=0.0, max=0.99, step=_BETA_STEP, readout_format=".3f",
                                      description="momentum beta", **slider)
        self.alpha.value, self.beta.value = self.alpha.nearest(alpha), self.beta.nearest(beta)
        self.max_steps = named.IntSlider(value=_checks.count("max_steps", max_steps, minimum=2), min=10,
                                           max=300, step=10, description="steps Chad walks", **slider)
        self.to_momentum = widgets.Button(description="momentum's best", icon="star",
                                          tooltip="set alpha and beta to momentum's optimum (the star)")
        self.to_descent = widgets.Button(description="plain descent's best",
                                         tooltip="set beta = 0 and plain descent's best alpha (the diamond)")
        self._compute()
        super().__init__(widgets.VBox([self.alpha, self.beta, self.max_steps,
                                       widgets.HBox([self.to_momentum, self.to_descent])]))
        self.on_change([self.alpha, self.beta, self.max_steps], self.update)
        pick = self.guarded(self.clicked)
        for trace in self.figure.data:  # the map and the markers drawn on it: a click on either chooses
            if trace.xaxis in (None, "x") and style.role_of(trace) is not None:
                trace.on_click(pick)
        best, descent = self.guarded(self.choose_momentum_best), self.guarded(self.choose_descent_best)
        self.to_momentum.on_click(lambda button: best())
        self.to_descent.on_click(lambda button: descent())

    def choose(self, alpha, beta):
        """Set both sliders (on their grids) and walk once."""
        alpha, beta = _checks.positive("alpha", alpha), _checks.fraction("beta", beta)
        with self.quietly():
            self.alpha.value, self.beta.value = self.alpha.nearest(alpha), self.beta.nearest(beta)
        self.update()

    def clicked(self, trace, points, state=None):
        """Plotly's click callback: choose the (alpha, beta) of the clicked point of the map."""
        if points.xs:
            self.choose(points.xs[0], points.ys[0])

    def choose_momentum_best(self):
        self.choose(self.optimum.alpha, self.optimum.beta)

    def choose_descent_best(self):
        self.choose(self.optimum.descent_alpha, 0.0)

    def _compute(self):
        """Walk with the sliders' settings."""
        self.walk = experiments.momentum_walk(self.landscape, self.alpha.value, self.beta.value,
                                              self.max_steps.value)

    def _picture(self):
        return momentum_walk_figure(self.rate_map, self.walk)

    def _report(self):
        """Compare the measured rate with the predicted one, and with the best possible."""
        walk = self.walk
        directions = ", ".join(f"{experiments.momentum_rate([curvature], walk.alpha, walk.beta):.4f} along "
                               f"curvature {curvature:.3g}" for curvature in self.curvatures)
        setting = f"α = {walk.alpha:.3f}, β = {walk.beta:.3f}{' (plain descent)' if walk.beta == 0 else ''}"
        if walk.rate < 1:
            verdict = (f"predicted rate {walk.rate:.4f} per step ({directions}): the error shrinks ten times "
                       f"every {experiments.steps_per_digit(walk.rate):.1f} steps")
        elif walk.diverged:
            verdict = (f"predicted rate {walk.rate:.4f} ≥ 1 ({directions}): Chad flies off, "
                       f"leaving the map after {walk.trajectory.n_updates} steps")
        else:
            verdict = f"predicted rate {walk.rate:.4f} ≥ 1 ({directions}): Chad never settles"
        measured = (f"measured over steps {walk.fit_from}–{walk.trajectory.n_updates}: {walk.measured:.4f}"
                    if math.isfinite(walk.measured) else "too few steps to measure")
        best = self.optimum
        self.say(f"{setting}. {verdict}; {measured}. Best possible: {best.rate:.4f} at "
                 f"α* = {best.alpha:.3f}, β* = {best.beta:.3f} "
                 f"(plain descent at its best: {best.descent_rate:.4f}).")
