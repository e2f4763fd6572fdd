"""The race (10): optimizers from 16 starts, each at its best settings, and the ravine turned or lined up."""

from plotly.subplots import make_subplots

from .. import _checks
from ..experiments.race import RACE_OPTIMIZERS, RaceResult
from . import theme
from .style import make_trace
from .walks import contour_trace, curve_trace, frame_axes, path_trace

__all__ = ["preconditioning_figure", "race_figure"]


def _race_of(results, name="results"):
    return _checks.result(name, results, RaceResult, "experiments.race")


def _colour_index(name):
    """Each optimizer keeps its colour whoever else races."""
    return RACE_OPTIMIZERS.index(name) if name in RACE_OPTIMIZERS else len(RACE_OPTIMIZERS)


_SCORE_TITLES = {"final loss": "scored by the final loss",
                 "steps to loss": "scored by the steps to a loss of {goal:g}",
                 "steps to distance": "scored by the steps to {goal:g} from the saddle point"}


def race_figure(results, title=None):
    """The race: paths on the map (left) and, per step, what the score reads (right).

    `results` is what `experiments.race` returns. The paths are the walks from
    the course's start; the race's other starts are marked as rings (each
    optimizer's score is its median over all of them). The right panel shows the
    loss, or in an escape from a saddle the distance from the saddle point,
    with the goal as a dashed line; its axis is logarithmic only when every
    value drawn is positive (the saddle's loss is not, its distance is). Each
    legend entry names the settings the optimizer chose.
    """
    results = _race_of(results)
    landscape = results.landscape
    curves = {name: results.progress(entry) for name, entry in results.entries.items()}
    log_y = theme.log_axis_fits(*curves.values())
    reading = "distance from the saddle point" if results.measure == "steps to distance" else "loss"
    panel = f"{reading} per step" + (" (log scale)" if log_y else "")
    figure = make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5], subplot_titles=("paths", panel))
    figure.add_trace(contour_trace(landscape), row=1, col=1)
    others = results.starts[1:]
    figure.add_trace(make_trace("starts", x=others[:, 0], y=others[:, 1],
                                name=f"the {len(others)} other starts, scored but not drawn"), row=1, col=1)
    for name, entry in results.entries.items():
        label, index = entry.label(), _colour_index(name)
        figure.add_trace(path_trace(entry.trajectory, label, index).update(meta=f"path {name}"), row=1, col=1)
        curve = curve_trace(entry.trajectory.t, curves[name], label, index, log_y, role=f"curve {name}")
        figure.add_trace(curve, row=1, col=2)
    # Drawn even when empty (no goal), so that an app can show a goal after a change of course.
    goal = [] if results.goal is None or (log_y and results.goal <= 0) else [results.goal] * 2
    figure.add_trace(make_trace("threshold goal", x=[0, results.max_steps] if goal else [], y=goal,
                                name="goal", line={"color": theme.INK}), row=1, col=2)
    frame_axes(figure, landscape, 1, 1)
    figure.update_xaxes(title_text="step", row=1, col=2)
    figure.update_yaxes(type="log" if log_y else "linear", title_text=reading, exponentformat="power",
                        row=1, col=2)
    score = _SCORE_TITLES[results.measure].format(goal=results.goal)
    title = title or f"The race on {landscape.name}: {results.max_steps} steps at most, {score}"
    figure.update_layout(theme.base_layout(title, 480, 1000))
    return theme.finish(figure)


def preconditioning_figure(aligned, turned, title=None):
    """A ravine lined up with the axes (left) and turned (middle), and every optimizer's steps on both.

    `aligned` and `turned` are two `experiments.race` results scored by steps
    to a loss; the bars show the steps each optimizer needed (a bar at the
    budget, marked "not reached", when it never got there).
    """
    races = {"lined up": _race_of(aligned, "aligned"), "turned": _race_of(turned, "turned")}
    if {result.measure for result in races.values()} != {"steps to loss"}:
        raise ValueError("aligned and turned must both be races scored by steps to a loss, like the ravines")
    titles = [f"{which}: {result.landscape.name}" for which, result in races.items()]
    figure = make_subplots(rows=1, cols=3, column_widths=[0.3, 0.3, 0.4], horizontal_spacing=0.07,
                           subplot_titles=titles + [f"steps to a loss of {races['turned'].goal:g}"])
    for col, (which, result) in enumerate(races.items(), start=1):
        figure.add_trace(contour_trace(result.landscape, role=f"map {which}"), row=1, col=col)
        for name, entry in result.entries.items():
            figure.add_trace(path_trace(entry.trajectory, name, _colour_index(name), showlegend=col == 1)
                             .update(meta=f"path {which} {name}"), row=1, col=col)
        frame_axes(figure, result.landscape, 1, col)
        names = list(result.entries)
        steps = [entry.score if entry.reached else result.max_steps for entry in result.entries.values()]
        text = [f"{entry.score:.0f}" if entry.reached else "not reached" for entry in result.entries.values()]
        figure.add_trace(make_trace(f"bars {which}", x=names, y=steps, text=text, name=which, showlegend=True,
                                    marker={"color": theme.PALETTE[5 if which == "lined up" else 6],
                                            "pattern": {"shape": "" if which == "lined up" else "/"}}),
                         row=1, col=3)
    figure.update_yaxes(title_text="steps (fewer is better)", row=1, col=3)
    figure.update_layout(theme.base_layout(title or "Per-parameter steps help only when the ravine lines up "
                                                    "with the axes", 460, 1150), barmode="group")
    return theme.finish(figure)
