"""The descent lemma, live (07): move alpha and compare each step's real drop with the guaranteed one."""

import html

import ipywidgets as widgets

from .. import _checks, experiments
from ..experiments.smoothness import GRAD_BELOW
from ..figures import descent_walk_figure
from . import controls as named
from ._lesson import LessonApp

__all__ = ["DescentLemmaLab"]


class DescentLemmaLab(LessonApp):
    """Plain descent at alpha = (alpha L) / L, each step's drop in loss beside the descent lemma's promise.

    The slider sets the rate in units of 1/L, so 1 (the largest guarantee)
    and 2 (no guarantee beyond) sit at the same place on every landscape. The
    walk is `experiments.descent_walk`; the figure
    `figures.descent_walk_figure`. By default the landscape is notebook 08's
    cross-entropy classifier, whose L comes from its data.
    """

    FIGURE = ("The figure: on the left, Chad's path on the contour map of the loss; on the right, for each "
              "step, how much the loss dropped divided by the squared length of the gradient (dots), and the "
              "least drop the descent lemma guarantees per unit of squared gradient (a dashed line). A dot "
              "below zero is a step that went up.")

    def __init__(self, landscape=None, multiple=1.0, start=None, max_steps=100):
        self.landscape = experiments.lemma_landscape(landscape)
        self.smoothness = experiments.smoothness_constant(self.landscape)
        self.start = self.landscape.start if start is None else _checks.point("start", start)
        self.max_steps = _checks.count("max_steps", max_steps, minimum=1)
        multiple = _checks.positive("multiple", multiple)
        self.multiple = named.FloatSlider(min=0.1, max=30.0, step=0.1, readout_format=".1f",
                                          description="α L", accessible_name="learning rate alpha, in units "
                                          "of 1 over L", continuous_update=False, description_width="60px",
                                          layout=widgets.Layout(width="520px"))
        self.multiple.value = self.multiple.nearest(multiple)
        self._compute()
        super().__init__(widgets.VBox([self.multiple]))
        self.on_change([self.multiple], self.update)

    @property
    def alpha(self):
        """The learning rate the slider stands for: (alpha L) / L."""
        return self.multiple.value / self.smoothness

    def _compute(self):
        """Walk at the slider's rate, each step set beside the lemma's guarantee."""
        self.walk = experiments.descent_walk(self.landscape, self.alpha, self.start, self.max_steps,
                                             GRAD_BELOW)

    def _picture(self):
        return descent_walk_figure(self.walk)

    def _report(self):
        """Say what the lemma promises at this rate and what Chad's steps did."""
        walk, multiple = self.walk, self.multiple.value
        promise = walk.guarantee_per_gradient
        words = (f"α = {walk.alpha:.3g} = {multiple:g}/L with L = {self.smoothness:.3g}. The lemma promises "
                 f"a drop of at least α (1 - αL/2) ‖g‖² = {promise:.3g} ‖g‖² at every step")
        if promise > 0:
            words += "."
        elif promise == 0:
            words += ": zero, so at 2/L it promises no descent."
        else:
            words += ": negative, so beyond 2/L it promises no descent, it only caps how far a step can rise."
        steps = walk.trajectory.n_updates
        rose = len(walk.rises)
        if rose:
            what = f"{rose} of Chad's {steps} steps went up"
        else:
            what = f"All {steps} of Chad's steps went down"
        if walk.lemma_held:
            check = "and every step did at least what the lemma promises"
        else:
            check = "and some did less than the lemma promises: L is not a bound everywhere here"
        self.say(html.escape(f"{words} {what}, {check}. "
                             f"Final loss {walk.trajectory.loss[-1]:.6g} ({walk.trajectory.stop_reason})."))
