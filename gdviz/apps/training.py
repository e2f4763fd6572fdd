"""Training in the open (08): alpha and epochs on sliders, the decision line moving."""

import ipywidgets as widgets
import numpy as np

from .. import _checks
from ..experiments import loop_training
from ..figures import training_figure
from . import controls as named
from ._lesson import LessonApp

__all__ = ["TrainingLab"]


class TrainingLab(LessonApp):
    """The post's training loop with its learning rate and its number of epochs on sliders.

    Every change reruns the loop of notebook 08 (`experiments.loop_training`:
    full-batch descent on the log loss of the post's 250 points) and redraws
    `figures.training_figure`: the data with the decision line where training
    left it, and the loss per epoch. The status line gives W, b and the accuracy.
    """

    FIGURE = ("The figure: on the left, the two classes of examples and the decision line where training "
              "left it; on the right, the loss per epoch.")

    def __init__(self, alpha=0.01, epochs=100, seed=0):
        self.seed = _checks.count("seed", seed)
        slider = {"continuous_update": False, "layout": widgets.Layout(width="380px"),
                  "description_width": "150px"}
        self.alpha = named.FloatLogSlider(value=_checks.positive("alpha", alpha), base=10, min=-4, max=1,
                                            step=0.1, readout_format=".4g", description="learning rate alpha",
                                            **slider)
        self.epochs = named.IntSlider(value=_checks.count("epochs", epochs, minimum=1), min=1, max=300,
                                        description="epochs (updates)", **slider)
        self._compute()
        super().__init__(widgets.HBox([self.alpha, self.epochs]))
        self.on_change([self.alpha, self.epochs], self.update)

    def _compute(self):
        """Run the loop with the sliders' alpha and epochs."""
        self.result = loop_training(self.alpha.value, self.epochs.value, self.seed)

    def _picture(self):
        return training_figure(self.result)

    def _report(self):
        result = self.result
        weights = ", ".join(f"{value:.3f}" for value in np.ravel(result.W))
        ended = "" if result.stop_reason == "max_steps" else f" (stopped early: {result.stop_reason})"
        self.say(f"After {result.epochs} epochs at alpha = {self.alpha.value:.4g}{ended}: log loss "
                 f"{result.loss[-1]:.4f}, training accuracy {result.accuracy:.1%}; "
                 f"W = ({weights}), b = {float(result.b):.3f}.")
