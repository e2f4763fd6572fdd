"""Predict, then reveal (06): what does Chad do with this learning rate?"""

import ipywidgets as widgets

from .. import _checks, landscapes, optimizers, theory
from ..figures import walk_figure
from ..run import run
from ._lesson import LessonApp

__all__ = ["AlphaQuiz"]


class AlphaQuiz(LessonApp):
    """Predict what Chad does with a given alpha, then press Reveal to watch him.

    The right answer comes from the theory of quadratics
    (`theory.learning_rate_regime`); the revealed walk shows it happen.
    """

    FIGURE = ("The figure: on the left, the landscape's contour map with Chad's path once revealed; on "
              "the right, his loss at each step.")

    def __init__(self, landscape="bowl", alpha=0.9, start=None, max_steps=30):
        self.landscape = landscapes.get(landscape)
        self.alpha = _checks.positive("alpha", alpha)
        self.start = self.landscape.start if start is None else _checks.point("start", start)
        self.max_steps = _checks.count("max_steps", max_steps, minimum=1)
        high = theory.quadratic_curvature(self.landscape)
        self.answer = theory.learning_rate_regime(high, self.alpha)
        self.trajectory = None
        question = widgets.HTML(
            f"<b>Predict:</b> on <i>{self.landscape.name}</i> ({self.landscape.formula}, largest "
            f"curvature L = {high:g}) Chad starts at ({self.start[0]:g}, {self.start[1]:g}) with "
            f"α = {self.alpha:g}. What does he do?")
        self.choices = widgets.RadioButtons(options=[(words, key) for key, words in theory.REGIMES.items()],
                                            value=None, description="prediction",
                                            layout=widgets.Layout(width="auto"))
        self.reveal = widgets.Button(description="Reveal", button_style="primary", disabled=True)
        super().__init__(widgets.VBox([question, self.choices, self.reveal]))  # no walk until Reveal
        self.on_change([self.choices], self._chosen)
        show = self.guarded(self.update)
        self.reveal.on_click(lambda button: show())

    def _chosen(self):
        self.reveal.disabled = self.choices.value is None

    @property
    def revealed(self):
        return self.trajectory is not None

    def _compute(self):
        """Run the walk."""
        self.trajectory = run(optimizers.gradient_descent(self.landscape, self.start, self.alpha),
                              max_steps=self.max_steps)

    def _picture(self):
        return walk_figure(self.landscape, self.trajectory)

    def _report(self):
        """Say whether the prediction was right, and why Chad does what he does."""
        walk = self.trajectory
        if walk is None:
            self.say("Choose an answer, then press Reveal.")
            return
        high = self.landscape.max_curvature
        why = (f"α L = {self.alpha * high:g}: each step multiplies Chad's distance from the minimum, "
               f"along the steepest direction, by 1 - α L = {1 - self.alpha * high:g}")
        what = f"After {walk.n_updates} steps the loss is {walk.loss[-1]:.3g} ({walk.stop_reason})."
        words = theory.REGIMES[self.answer]
        if self.choices.value == self.answer:
            self.say(f"✔ Right: Chad {words}. {why}. {what}")
        elif self.choices.value is None:
            self.say(f"Chad {words}. {why}. {what}")
        else:
            self.say(f"✘ Not this time: Chad {words}. {why}. {what}")
