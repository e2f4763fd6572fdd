"""Minibatches (09): SGD against full-batch descent on a classifier's (w, b) landscape."""

import ipywidgets as widgets

from .. import _checks, classifier, landscapes
from ..experiments import LESSON_SCHEDULES, sgd_runs
from ..figures import sgd_figure
from . import controls as named
from ._lesson import LessonApp

__all__ = ["SGDLab"]


class SGDLab(LessonApp):
    """Minibatch SGD against full-batch descent on a classifier's (w, b) landscape.

    Controls: the batch size, the learning rate, the number of epochs, whether
    the data are reshuffled every epoch, SGD's learning-rate schedule
    (`experiments.lesson_schedule`, starting at the learning rate; full-batch
    descent keeps it constant), and whether the loss curve counts epochs
    (passes over the data) or steps (updates). The figure is
    `figures.sgd_figure`. The status line counts the updates each made.
    """

    FIGURE = ("The figure: on the left, the paths of full-batch descent and of SGD on the contour map of "
              "the loss of all the data; on the right, that loss for each, per epoch or per step.")

    def __init__(self, landscape=None, alpha=0.5, batch_size=8, epochs=10, shuffle=True, seed=0,
                 schedule="constant"):
        self.landscape = classifier.sorted_landscape() if landscape is None else landscapes.get(landscape)
        if not self.landscape.has_data:
            raise ValueError(f"landscape must carry data for minibatches (has_data), got "
                             f"{self.landscape.name!r}; use gdviz.classifier.classifier_landscape()")
        size = self.landscape.data_size
        choices = sorted({b for b in (1, 2, 4, 8, 16, 32, 64, 128, 256) if b < size} | {size})
        batch_size = _checks.count("batch_size", batch_size, minimum=1)
        if batch_size not in choices:
            raise ValueError(f"batch_size must be one of {choices} here, got {batch_size}")
        self.seed = _checks.count("seed", seed)
        slider = {"continuous_update": False, "layout": widgets.Layout(width="330px")}
        self.batch_size = named.SelectionSlider(choices, value=batch_size, description="batch size", **slider)
        self.alpha = named.FloatLogSlider(value=_checks.positive("alpha", alpha), base=10, min=-3, max=1,
                                          step=0.05, description="alpha",
                                          accessible_name="learning rate alpha", **slider)
        self.epochs = named.IntSlider(value=_checks.count("epochs", epochs, minimum=1), min=1, max=30,
                                        description="epochs", **slider)
        self.shuffle = widgets.Checkbox(value=bool(shuffle), description="reshuffle every epoch")
        self.schedule = widgets.ToggleButtons(options=list(LESSON_SCHEDULES),
                                              value=_checks.choice("schedule", schedule, LESSON_SCHEDULES),
                                              description="SGD's rate",
                                              tooltips=["alpha at every step", "alpha / (1 + t / one epoch)",
                                                        "alpha halved every 5 epochs"])
        self.x_axis = widgets.ToggleButtons(options=["epochs", "steps"], value="epochs",
                                            description="loss per")
        self._compute()
        controls = widgets.VBox([widgets.HBox([self.batch_size, self.alpha]),
                                 widgets.HBox([self.epochs, self.shuffle]), self.schedule, self.x_axis])
        super().__init__(controls)
        self.on_change([self.batch_size, self.alpha, self.epochs, self.shuffle, self.schedule, self.x_axis],
                       self.update)

    def _compute(self):
        """Run full-batch descent and SGD with the current controls."""
        self.runs = sgd_runs(self.landscape, self.alpha.value, (self.batch_size.value,), self.epochs.value,
                             self.shuffle.value, self.seed, schedule=self.schedule.value)

    def _picture(self):
        # The SGD run's label names its batch size; the app keeps one role for it whatever the size.
        return sgd_figure(self.runs, self.x_axis.value, labels=("full batch", "SGD"))

    def _report(self):
        (full, _), (sgd, per_epoch) = self.runs.values()
        ordering = "reshuffled every epoch" if self.shuffle.value else "in the same order every epoch"
        if self.schedule.value != "constant":
            ordering += f", rate {self.schedule.value} from {self.alpha.value:.3g}"
        plural = "" if per_epoch == 1 else "s"
        self.say(f"Batches of {self.batch_size.value} ({ordering}): {per_epoch} update{plural} per epoch, "
                 f"{sgd.n_updates} in {self.epochs.value} epochs; final loss {sgd.loss[-1]:.4f} "
                 f"({sgd.stop_reason}). Full batch: {full.n_updates} updates, final loss "
                 f"{full.loss[-1]:.4f} ({full.stop_reason}).")
