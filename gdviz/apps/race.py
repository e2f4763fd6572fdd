"""The race (10): optimizers from 16 starts, each at its best settings, ranked by their median score."""

import html

import ipywidgets as widgets
import plotly.graph_objects as go

from .. import _checks, experiments, optimizers, words
from ..figures import race_figure
from ..figures.walks import contour_trace
from . import controls as named
from ._lesson import LessonApp

__all__ = ["Race"]


class Race(LessonApp):
    """Optimizers race from 16 starts, each at settings tuned for the course (see `experiments.race`).

    `course` is a name from `experiments.RACE_COURSES`, or a `RaceResult`
    already run (the app shows it without racing again). Controls: the
    course, the step budget and who runs. The status line states the score,
    ranks the runners by their median over the race's starts, with the
    spread, names the settings each chose and flags a result that a nudge of
    alpha would change. Each change races again, tuning included, which
    takes a second or two.
    """

    FIGURE = ("The figure: on the left, each optimizer's path on the course's contour map, one colour "
              "each; on the right, each one's score per step (loss or distance, as the title says).")

    def __init__(self, course="rosenbrock", names=experiments.RACE_OPTIMIZERS, max_steps=None):
        given = course if isinstance(course, experiments.RaceResult) else None
        if given is not None:
            course, names, max_steps = given.landscape.name, list(given.entries), given.max_steps
        _checks.choice("course", course, list(experiments.RACE_COURSES))  # a Landscape has no course
        names = list(names)
        for name in names:
            optimizers.get(name)  # raises a ValueError naming the allowed optimizers
        if max_steps is None:
            max_steps = experiments.RACE_COURSES[course]["max_steps"]
        self.names = names
        courses = list(experiments.RACE_COURSES)
        self.course = widgets.Dropdown(options=courses, value=course, description="course")
        max_steps = _checks.count("max_steps", max_steps, minimum=1)
        self.budget = named.IntSlider(value=max_steps, min=5, max=500, step=5, description="steps at most",
                                      accessible_name="steps at most, each optimizer's budget",
                                      continuous_update=False, description_width="auto",
                                      layout=widgets.Layout(width="400px"))
        self.running = {name: widgets.Checkbox(value=True, description=words.in_words(name), indent=False,
                                               layout=widgets.Layout(width="140px")) for name in names}
        if given is None:
            self._compute()
        else:
            self.results = given
        super().__init__(widgets.VBox([widgets.HBox([self.course, self.budget]),
                                       widgets.HBox(list(self.running.values()))]))
        self.on_change([self.course, self.budget, *self.running.values()], self.update)

    def update(self):
        """Race again with the current controls, redraw, and rank the runners."""
        self.say("Racing: each optimizer is tuning its settings…")
        super().update()

    def _compute(self):
        """Race the ticked optimizers; `results` is None when none is ticked."""
        chosen = [name for name in self.names if self.running[name].value]
        self.results = experiments.race(self.course.value, chosen, self.budget.value) if chosen else None

    def _picture(self):
        if self.results is None:  # the course's map alone: every path and curve, and the goal, emptied
            return go.Figure([contour_trace(experiments.course_landscape(self.course.value))])
        return race_figure(self.results)

    def _report(self):
        results = self.results
        if results is None:
            self.say("Tick at least one optimizer to start the race.")
            return
        places = []
        for place, entry in enumerate(results.ranking(), start=1):
            low, high = (results.reading(value) for value in entry.spread)
            notes = "" if entry.robust else ", not robust to α x 0.9 or x 1.1"
            notes += ", on the edge of the search" if entry.on_edge else ""
            places.append(f"{place}. {html.escape(words.say(entry.label()))}: {results.reading(entry.score)} "
                          f"({low} to {high}{notes})")
        unit = "final loss" if results.measure == "final loss" else "steps"
        self.say(f"Score: {html.escape(results.describe())}.<br>Each runner's median {unit} of "
                 f"{len(results.starts)} starts (lowest to highest): " + " · ".join(places))
