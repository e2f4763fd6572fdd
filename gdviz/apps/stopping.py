"""Stop conditions (04): gradient descent with every stop condition of `gdviz.run` as a control."""

import html

import ipywidgets as widgets
import numpy as np

from .. import _checks, landscapes, optimizers
from ..figures import stop_conditions_figure
from ..run import STOP_REASONS, run
from ..words import in_words
from . import controls as named
from ._lesson import LessonApp
from ._words import stop_sentence

__all__ = ["StopConditions"]


class StopConditions(LessonApp):
    """Gradient descent with every stop condition of `gdviz.run` as a control.

    Each optional condition has a checkbox; the row of the condition that
    stopped the walk is marked "◀ fired", and the status line says why. The
    figure is `figures.stop_conditions_figure`: the path on the map, the loss
    and the gradient's length per step with the thresholds as dashed lines.
    """

    FIGURE = ("The figure: on the left, Chad's path on the contour map, with a mark where he stopped; on "
              "the right, his loss and the length of the gradient at each step, with the thresholds you "
              "switched on as dashed lines.")

    def __init__(self, landscape="ravine", alpha=0.05, start=None, max_steps=100, loss_below=None,
                 patience=None, min_delta=0.0, grad_below=None, escape_radius=1e3):
        self.landscape = landscapes.get(landscape)
        self.start = self.landscape.start if start is None else _checks.point("start", start)
        slider = {"continuous_update": False, "description_width": "110px",
                  "layout": widgets.Layout(width="420px")}
        self.alpha = named.FloatLogSlider(value=_checks.positive("alpha", alpha), base=10, min=-3,
                                          max=0.5, step=0.01, description="alpha",
                                          accessible_name="learning rate alpha", **slider)
        self.max_steps = named.IntSlider(value=_checks.count("max_steps", max_steps, minimum=1), min=1,
                                         max=500, description="max_steps", accessible_name="max_steps, the "
                                         "step budget", **slider)
        self.use_loss_below, self.loss_below = self._optional(
            "loss_below", loss_below, 1e-4, named.FloatLogSlider, slider, base=10, min=-12, max=1, step=0.1)
        self.use_grad_below, self.grad_below = self._optional(
            "grad_below", grad_below, 1e-3, named.FloatLogSlider, slider, base=10, min=-8, max=1, step=0.1)
        self.use_patience, self.patience = self._optional(
            "patience", patience, 5, named.IntSlider, slider, min=1, max=50)
        self.min_delta = widgets.BoundedFloatText(
            value=_checks.non_negative("min_delta", min_delta), min=0.0, max=1e6, step=1e-4,
            description="min_delta", style={"description_width": slider["description_width"]},
            layout=widgets.Layout(width="220px"))
        self.escape_radius = named.FloatLogSlider(
            value=_checks.positive("escape_radius", escape_radius), base=10, min=0, max=4, step=0.1,
            description="escape_radius", **slider)
        self.fired = {reason: widgets.HTML(layout=widgets.Layout(width="80px")) for reason in STOP_REASONS}
        blank = widgets.Box(layout=widgets.Layout(width="30px"))
        rows = [
            widgets.HBox([blank, self.alpha]),
            widgets.HBox([blank, self.max_steps, self.fired["max_steps"]]),
            widgets.HBox([self.use_loss_below, self.loss_below, self.fired["loss_below"]]),
            widgets.HBox([self.use_grad_below, self.grad_below, self.fired["grad_below"]]),
            widgets.HBox([self.use_patience, self.patience, self.min_delta, self.fired["no_improvement"]]),
            widgets.HBox([blank, self.escape_radius, self.fired["diverged"]]),
        ]
        self._compute()
        super().__init__(widgets.VBox(rows))
        controls = [self.alpha, self.max_steps, self.use_loss_below, self.loss_below, self.use_grad_below,
                    self.grad_below, self.use_patience, self.patience, self.min_delta, self.escape_radius]
        self.on_change(controls, self.update)

    @staticmethod
    def _optional(name, value, default, kind, slider, **limits):
        """A checkbox that switches a condition on, and the slider for its threshold."""
        # Unlabelled on screen (the slider beside it says which), named for a screen reader.
        use = widgets.Checkbox(value=value is not None, indent=False, layout=widgets.Layout(width="30px"),
                               tooltip=f"use {name}")
        if value is None:
            value = default
        elif kind is named.IntSlider:
            value = _checks.count(name, value, minimum=1)
        else:
            value = _checks.positive(name, value)
        return use, kind(value=value, description=name, **limits, **slider)

    @property
    def conditions(self):
        """The keyword arguments for `gdviz.run` that the controls describe."""
        return {
            "max_steps": self.max_steps.value,
            "loss_below": self.loss_below.value if self.use_loss_below.value else None,
            "grad_below": self.grad_below.value if self.use_grad_below.value else None,
            "patience": self.patience.value if self.use_patience.value else None,
            "min_delta": self.min_delta.value,
            "escape_radius": self.escape_radius.value,
        }

    @property
    def stop_reason(self):
        return self.trajectory.stop_reason

    def _compute(self):
        """Walk with the current controls."""
        steps = optimizers.gradient_descent(self.landscape, self.start, self.alpha.value)
        self.trajectory = run(steps, **self.conditions)

    def _picture(self):
        conditions = self.conditions
        return stop_conditions_figure(self.landscape, self.trajectory, conditions["loss_below"],
                                      conditions["grad_below"])

    def _report(self):
        """Mark the condition that fired, grey out the thresholds not in use, and say why Chad stopped."""
        self.loss_below.disabled = not self.use_loss_below.value
        self.grad_below.disabled = not self.use_grad_below.value
        self.patience.disabled = self.min_delta.disabled = not self.use_patience.value
        walk = self.trajectory
        for reason, label in self.fired.items():
            label.value = "<b>◀ fired</b>" if reason == walk.stop_reason else ""
        sentence = html.escape(stop_sentence(walk, **self.conditions))
        self.say(f"<b>{in_words(walk.stop_reason)}</b>: {sentence}. "
                 f"Final loss {walk.loss[-1]:.4g} at w = {np.round(walk.w[-1], 4).tolist()}.")
