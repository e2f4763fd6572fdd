"""The race (08): several optimizers from one start, the same number of steps each."""

import ipywidgets as widgets

from .. import _checks, experiments, landscapes, optimizers
from ..figures import race_figure, style
from ._lesson import LessonApp

__all__ = ["Race"]


class Race(LessonApp):
    """Several optimizers race from one start, with the same number of steps each.

    Each gets its best learning rate from a shared grid (see
    `gdviz.experiments.race`). Controls: the landscape, the step budget and
    which optimizers run. The status line ranks them by final loss.
    """

    def __init__(self, landscape="rosenbrock", names=experiments.RACE_OPTIMIZERS, max_steps=200):
        names = list(names)
        for name in names:
            optimizers.get(name)
        self.names = names
        self.landscape_choice = widgets.Dropdown(options=landscapes.names(),
                                                 value=landscapes.get(landscape).name,
                                                 description="landscape")
        self.budget = widgets.IntSlider(value=_checks.count("max_steps", max_steps, minimum=1), min=5,
                                        max=500, step=5, description="steps each", continuous_update=False)
        self.running = {name: widgets.Checkbox(value=True, description=name, indent=False,
                                               layout=widgets.Layout(width="140px")) for name in names}
        self.results = self._race()
        controls = widgets.VBox([widgets.HBox([self.landscape_choice, self.budget]),
                                 widgets.HBox(list(self.running.values()))])
        super().__init__(controls, race_figure(self.landscape_choice.value, self.results))
        self.on_change([self.landscape_choice, self.budget, *self.running.values()], self.update)
        self.update()

    def _race(self):
        chosen = [name for name in self.names if self.running[name].value]
        if not chosen:
            return {}
        return experiments.race(self.landscape_choice.value, chosen, self.budget.value)

    def update(self):
        """Rerun the race with the current controls and redraw."""
        self.results = self._race()
        if not self.results:
            with self.figure.batch_update():
                for trace in self.figure.data:
                    if style.kind_of(style.role_of(trace)) in ("path", "curve"):
                        trace.update(x=[], y=[])
            self.say("Tick at least one optimizer to start the race.")
            return
        landscape = self.landscape_choice.value
        self.redraw(race_figure(landscape, self.results))
        ranking = sorted(self.results.items(), key=lambda item: item[1][1].loss[-1])
        places = " · ".join(f"{place}. {name} (α={alpha:.2g}) {walk.loss[-1]:.3g}"
                            for place, (name, (alpha, walk)) in enumerate(ranking, start=1))
        self.say(f"Final loss after {self.budget.value} steps on {landscape}: {places}")
