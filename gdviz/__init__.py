"""gdviz: watch Chad the robot learn by gradient descent.

The core (landscapes, formula, gradients, optimizers, second_order, run, batch,
data, theory, linear, classifier, network, words) and the lessons' computations
(`gdviz.experiments`) need only numpy. The plotly figures and the ipywidgets apps are imported on first use,
as `gdviz.figures` and `gdviz.apps`, so `import gdviz` stays light.
`gdviz.presentation()` turns on presentation mode, large high-contrast text
for a projector, in every figure built afterwards (`gdviz.presentation_mode`).
"""

import importlib

from . import data, gradients, landscapes, optimizers
from .batch import Batch, run_batch
from .landscapes import Landscape
from .optimizers import Step
from .presentation_mode import presentation, read_environment_if_on
from .run import STOP_REASONS, Trajectory, run

__all__ = ["Batch", "Landscape", "STOP_REASONS", "Step", "Trajectory", "data", "gradients",
           "landscapes", "optimizers", "presentation", "run", "run_batch"]

read_environment_if_on()

_LAZY = {"apps", "classifier", "exercises", "experiments", "figures", "linear", "network", "schedules",
         "theory"}


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'gdviz' has no attribute {name!r}")
