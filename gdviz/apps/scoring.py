"""Scoring with w and b (01): sliders for a two-class linear model on two features."""

import ipywidgets as widgets
import numpy as np

from .. import _checks, data
from ..experiments import scoring_summary
from ..figures import scoring_figure
from . import controls as named
from ._lesson import LessonApp

__all__ = ["ScoringLab"]


class ScoringLab(LessonApp):
    """Sliders for the weights w = (w1, w2) and the bias b of a two-class linear model.

    The model scores an example x as s = w·x + b and predicts class 1 when
    s > 0. The figure is `figures.scoring_figure`: the data, the decision
    line w·x + b = 0 with an arrow along w, misclassified examples open, and
    the mean SVM (hinge) and cross-entropy losses. The status line gives both
    losses and the accuracy.
    """

    FIGURE = ("The figure: on the left, the two classes of examples as coloured points, the decision line"
              " w·x + b = 0 with an arrow along w, and misclassified examples drawn open; on the right, "
              "bars of the mean SVM and cross-entropy losses.")

    def __init__(self, X=None, y=None, w=(1.0, -0.5), b=0.0):
        if X is None and y is None:
            X, y = data.two_clouds()
        self.X, self.y = data.labelled(X, y, n_classes=2)
        _checks.features("X", self.X)
        w1, w2 = _checks.point("w", w)
        slider = {"min": -3.0, "max": 3.0, "step": 0.05, "continuous_update": True,
                  "layout": widgets.Layout(width="300px")}
        self.w1 = named.FloatSlider(value=w1, description="w1", accessible_name="weight w1", **slider)
        self.w2 = named.FloatSlider(value=w2, description="w2", accessible_name="weight w2", **slider)
        self.b = named.FloatSlider(accessible_name="bias b", value=_checks.real("b", b), description="b",
                                     **{**slider, "min": -5.0, "max": 5.0})
        self._compute()
        super().__init__(widgets.HBox([self.w1, self.w2, self.b]))
        self.on_change([self.w1, self.w2, self.b], self.update)

    @property
    def w(self):
        return np.array([self.w1.value, self.w2.value])

    def _compute(self):
        """Score the data with the sliders' w and b."""
        self.summary = scoring_summary(self.X, self.y, self.w, self.b.value)

    def _picture(self):
        return scoring_figure(self.summary)

    def _report(self):
        w, b = self.w, self.b.value
        where = ("no decision line (w = 0): every score is b" if not np.any(w)
                 else f"line {w[0]:.2f} x1 + {w[1]:.2f} x2 + {b:.2f} = 0")
        self.say(f"accuracy {self.summary['accuracy']:.0%} · SVM (hinge) loss {self.summary['svm']:.3f} · "
                 f"cross-entropy {self.summary['cross_entropy']:.3f} · {where}")
