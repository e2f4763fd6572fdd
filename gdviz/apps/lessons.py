"""Small slider apps for single lessons, each around one FigureWidget.

Every app is an `ipywidgets.VBox`: controls on top, one `go.FigureWidget`
(with subplots when it needs several panels), and a status line that says
what happened. Callbacks run inside `_guarded`, so an exception shows in the
status line in red instead of vanishing (JupyterLab drops exceptions raised
in widget callbacks). Controls that would recompute a whole walk on every
pixel of a drag use `continuous_update=False`.

Setting a control's `.value` in Python fires the same callbacks as a drag in
the browser, which is how the tests drive these apps without one.
"""

import functools
import html

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .. import _checks, classifier, data, landscapes, optimizers
from ..exercises import REGIMES, learning_rate_regime
from ..figures.lessons import (
    CHAD,
    CLASS_COLOURS,
    LOG_FLOOR,
    PALETTE,
    RACE_OPTIMIZERS,
    axis_names,
    contour_trace,
    data_box,
    decision_line,
    normal_arrow,
    race,
    scoring_summary,
    sgd_runs,
)
from ..run import run
from ._base import FigureApp, QuietFigureWidget

__all__ = ["AlphaQuiz", "Race", "SGDLab", "ScoringLab", "StopConditions"]


class _LessonApp(FigureApp):
    """Controls, one FigureWidget and a status line, stacked."""

    def __init__(self, controls, figure):
        self.figure = figure
        self.status = widgets.HTML()
        super().__init__([controls, figure, self.status])

    def _say(self, text, error=False):
        colour = "#b00020" if error else "inherit"
        self.status.value = f'<div style="color:{colour}">{text}</div>'

    def _guarded(self, callback):
        """Wrap a callback so that any error it raises is shown in the status line."""

        @functools.wraps(callback)
        def wrapper(*args, **kwargs):
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # shown to the user, who can act on it
                self._say(f"{type(error).__name__}: {html.escape(str(error))}", error=True)
                return None

        return wrapper

    def _observe(self, controls, callback):
        guarded = self._guarded(callback)
        for control in controls:
            control.observe(lambda change: guarded(), names="value")


def _set_map(figure, landscape, contour_index=0, row=1, col=1):
    """Point a contour trace and its axes at a (new) landscape."""
    fresh = contour_trace(landscape, 60)
    target = figure.data[contour_index]
    target.x, target.y, target.z, target.customdata = fresh.x, fresh.y, fresh.z, fresh.customdata
    (xmin, xmax), (ymin, ymax) = landscape.domain
    figure.update_xaxes(range=[xmin, xmax], row=row, col=col)
    figure.update_yaxes(range=[ymin, ymax], row=row, col=col)


def _loss_axis(figure, values, row=1, col=2):
    """A log loss axis when every value is positive, otherwise linear (the saddle goes negative)."""
    positive = all(np.all(np.asarray(v) > 0) for v in values if len(v))
    figure.update_yaxes(type="log" if positive else "linear", exponentformat="power", row=row, col=col)
    return positive


# ------------------------------------------------------------------ 04: stop conditions

_REASON_WORDS = {
    "max_steps": "the budget of {max_steps} updates is spent",
    "loss_below": "the loss {loss:.3g} is at or below loss_below = {loss_below:.3g}",
    "grad_below": "the gradient's length {grad:.3g} is at or below grad_below = {grad_below:.3g}",
    "no_improvement": ("the best loss has not dropped by more than min_delta = {min_delta:g} "
                       "for {patience} steps in a row"),
    "diverged": "Chad went further than {escape_radius:g} from the origin, or a value overflowed",
}


class StopConditions(_LessonApp):
    """Gradient descent with every stop condition of `gdviz.run` as a control.

    Each optional condition has a checkbox; the row of the condition that
    stopped the walk is marked "◀ fired", and the status line says why. The
    left panel shows the path on the map, the right one the loss and the
    gradient's length per step with the thresholds as dashed lines.
    """

    def __init__(self, landscape="ravine", alpha=0.05, start=None, max_steps=100, loss_below=None,
                 patience=None, min_delta=0.0, grad_below=None, escape_radius=1e3):
        self.landscape = landscapes.get(landscape)
        self.start = self.landscape.start if start is None else _checks.point("start", start)
        self.trajectory = None
        slider = {"continuous_update": False, "style": {"description_width": "110px"},
                  "layout": widgets.Layout(width="420px")}
        self.alpha = widgets.FloatLogSlider(value=_checks.positive("alpha", alpha), base=10, min=-3,
                                            max=0.5, step=0.01, description="alpha", **slider)
        self.max_steps = widgets.IntSlider(value=_checks.count("max_steps", max_steps, minimum=1), min=1,
                                           max=500, description="max_steps", **slider)
        self.use_loss_below = widgets.Checkbox(value=loss_below is not None, indent=False,
                                               layout=widgets.Layout(width="30px"))
        self.loss_below = widgets.FloatLogSlider(
            value=1e-4 if loss_below is None else _checks.positive("loss_below", loss_below),
            base=10, min=-12, max=1, step=0.1, description="loss_below", **slider)
        self.use_grad_below = widgets.Checkbox(value=grad_below is not None, indent=False,
                                               layout=widgets.Layout(width="30px"))
        self.grad_below = widgets.FloatLogSlider(
            value=1e-3 if grad_below is None else _checks.positive("grad_below", grad_below),
            base=10, min=-8, max=1, step=0.1, description="grad_below", **slider)
        self.use_patience = widgets.Checkbox(value=patience is not None, indent=False,
                                             layout=widgets.Layout(width="30px"))
        self.patience = widgets.IntSlider(
            value=5 if patience is None else _checks.count("patience", patience, minimum=1),
            min=1, max=50, description="patience", **slider)
        self.min_delta = widgets.BoundedFloatText(
            value=_checks.non_negative("min_delta", min_delta), min=0.0, max=1e6, step=1e-4,
            description="min_delta", style=slider["style"], layout=widgets.Layout(width="220px"))
        self.escape_radius = widgets.FloatLogSlider(
            value=_checks.positive("escape_radius", escape_radius), base=10, min=0, max=4, step=0.1,
            description="escape_radius", **slider)
        self.fired = {reason: widgets.HTML(layout=widgets.Layout(width="80px")) for reason in _REASON_WORDS}
        blank = widgets.Box(layout=widgets.Layout(width="30px"))
        rows = [
            widgets.HBox([blank, self.alpha]),
            widgets.HBox([blank, self.max_steps, self.fired["max_steps"]]),
            widgets.HBox([self.use_loss_below, self.loss_below, self.fired["loss_below"]]),
            widgets.HBox([self.use_grad_below, self.grad_below, self.fired["grad_below"]]),
            widgets.HBox([self.use_patience, self.patience, self.min_delta, self.fired["no_improvement"]]),
            widgets.HBox([blank, self.escape_radius, self.fired["diverged"]]),
        ]
        figure = QuietFigureWidget(make_subplots(rows=1, cols=2, column_widths=[0.5, 0.5],
                                               subplot_titles=("Chad's path", "per step")))
        figure.add_trace(contour_trace(self.landscape, 60), row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="path", line={"color": CHAD},
                                    marker={"size": 4}), row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="markers", name="where he stopped",
                                    marker={"size": 13, "color": CHAD, "symbol": "x"}), row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="loss", line={"color": PALETTE[0]}),
                         row=1, col=2)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="|gradient|", line={"color": PALETTE[2]}),
                         row=1, col=2)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="loss_below",
                                    line={"color": PALETTE[0], "dash": "dash"}), row=1, col=2)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="grad_below",
                                    line={"color": PALETTE[2], "dash": "dash"}), row=1, col=2)
        (xmin, xmax), (ymin, ymax) = self.landscape.domain
        figure.update_xaxes(range=[xmin, xmax], title_text="w1", row=1, col=1)
        figure.update_yaxes(range=[ymin, ymax], title_text="w2", row=1, col=1)
        figure.update_xaxes(title_text="step", row=1, col=2)
        figure.update_layout(height=430, width=920, margin={"t": 40, "b": 40},
                             legend={"orientation": "h", "y": -0.2})
        super().__init__(widgets.VBox(rows), figure)
        controls = [self.alpha, self.max_steps, self.use_loss_below, self.loss_below, self.use_grad_below,
                    self.grad_below, self.use_patience, self.patience, self.min_delta, self.escape_radius]
        self._observe(controls, self.update)
        self.update()

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
        return None if self.trajectory is None else self.trajectory.stop_reason

    def update(self):
        """Rerun the walk with the current controls and redraw."""
        self.loss_below.disabled = not self.use_loss_below.value
        self.grad_below.disabled = not self.use_grad_below.value
        self.patience.disabled = self.min_delta.disabled = not self.use_patience.value
        conditions = self.conditions
        walk = run(optimizers.gradient_descent(self.landscape, self.start, self.alpha.value), **conditions)
        self.trajectory = walk
        grad_norm = np.linalg.norm(walk.grad, axis=1)
        ends = [0, max(walk.n_updates, 1)]
        with self.figure.batch_update():
            path, stop, loss, grad, loss_line, grad_line = self.figure.data[1:7]
            path.x, path.y = walk.w[:, 0], walk.w[:, 1]
            stop.x, stop.y = walk.w[-1:, 0], walk.w[-1:, 1]
            positive = _loss_axis(self.figure, [walk.loss])
            loss.x, loss.y = walk.t, np.maximum(walk.loss, LOG_FLOOR) if positive else walk.loss
            grad.x, grad.y = walk.t, np.maximum(grad_norm, LOG_FLOOR) if positive else grad_norm
            threshold = conditions["loss_below"]
            loss_line.x, loss_line.y = (ends, [threshold] * 2) if threshold is not None else ([], [])
            threshold = conditions["grad_below"]
            grad_line.x, grad_line.y = (ends, [threshold] * 2) if threshold is not None else ([], [])
        for reason, label in self.fired.items():
            label.value = "<b>◀ fired</b>" if reason == walk.stop_reason else ""
        # Only the fired condition's words are formatted, and its threshold is set.
        words = _REASON_WORDS[walk.stop_reason].format(loss=walk.loss[-1], grad=grad_norm[-1], **conditions)
        self._say(f"Stopped after {walk.n_updates} updates by <b>{walk.stop_reason}</b>: {words}. "
                  f"Final loss {walk.loss[-1]:.4g} at w = {np.round(walk.w[-1], 4).tolist()}.")


# ------------------------------------------------------------------ 05: predict, then reveal

class AlphaQuiz(_LessonApp):
    """Predict what Chad does with a given alpha, then press Reveal to watch him.

    The right answer comes from the theory of quadratics
    (`exercises.learning_rate_regime`); the revealed walk shows it happen.
    """

    def __init__(self, landscape="bowl", alpha=0.9, start=None, max_steps=30):
        self.landscape = landscapes.get(landscape)
        self.alpha = _checks.positive("alpha", alpha)
        self.start = self.landscape.start if start is None else _checks.point("start", start)
        self.max_steps = _checks.count("max_steps", max_steps, minimum=1)
        self.answer = learning_rate_regime(self.landscape, self.alpha)
        self.trajectory = None
        high = self.landscape.max_curvature
        question = widgets.HTML(
            f"<b>Predict:</b> on <i>{self.landscape.name}</i> ({self.landscape.formula}, largest "
            f"curvature L = {high:g}) Chad starts at ({self.start[0]:g}, {self.start[1]:g}) with "
            f"α = {self.alpha:g}. What does he do?")
        self.choices = widgets.RadioButtons(options=[(words, key) for key, words in REGIMES.items()],
                                            value=None, layout=widgets.Layout(width="auto"))
        self.reveal = widgets.Button(description="Reveal", button_style="primary", disabled=True)
        figure = QuietFigureWidget(make_subplots(rows=1, cols=2, subplot_titles=("path", "loss per step")))
        figure.add_trace(contour_trace(self.landscape, 60), row=1, col=1)
        figure.add_trace(go.Scatter(x=[self.start[0]], y=[self.start[1]], mode="lines+markers", name="Chad",
                                    line={"color": CHAD}, marker={"size": 6}), row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="loss",
                                    line={"color": PALETTE[0]}), row=1, col=2)
        (xmin, xmax), (ymin, ymax) = self.landscape.domain
        figure.update_xaxes(range=[xmin, xmax], title_text="w1", row=1, col=1)
        figure.update_yaxes(range=[ymin, ymax], title_text="w2", row=1, col=1)
        figure.update_xaxes(title_text="step", row=1, col=2)
        figure.update_yaxes(type="log", title_text="loss", exponentformat="power", row=1, col=2)
        figure.update_layout(height=380, width=880, showlegend=False, margin={"t": 40, "b": 40})
        super().__init__(widgets.VBox([question, self.choices, self.reveal]), figure)
        self._observe([self.choices], self._chosen)
        guarded = self._guarded(self.show)
        self.reveal.on_click(lambda button: guarded())
        self._say("Choose an answer, then press Reveal.")

    def _chosen(self):
        self.reveal.disabled = self.choices.value is None

    @property
    def revealed(self):
        return self.trajectory is not None

    def show(self):
        """Run the walk, draw it and say whether the prediction was right."""
        walk = run(optimizers.gradient_descent(self.landscape, self.start, self.alpha),
                   max_steps=self.max_steps)
        self.trajectory = walk
        with self.figure.batch_update():
            self.figure.data[1].x, self.figure.data[1].y = walk.w[:, 0], walk.w[:, 1]
            self.figure.data[2].x, self.figure.data[2].y = walk.t, np.maximum(walk.loss, LOG_FLOOR)
        high = self.landscape.max_curvature
        why = (f"α L = {self.alpha * high:g}: each step multiplies Chad's distance from the minimum, "
               f"along the steepest direction, by 1 - α L = {1 - self.alpha * high:g}")
        what = f"After {walk.n_updates} steps the loss is {walk.loss[-1]:.3g} ({walk.stop_reason})."
        if self.choices.value == self.answer:
            self._say(f"✔ Right: Chad {REGIMES[self.answer]}. {why}. {what}")
        elif self.choices.value is None:
            self._say(f"Chad {REGIMES[self.answer]}. {why}. {what}")
        else:
            self._say(f"✘ Not this time: Chad {REGIMES[self.answer]}. {why}. {what}")


# ------------------------------------------------------------------ 08: the race

class Race(_LessonApp):
    """Several optimizers race from one start, with the same number of steps each.

    Each gets its best learning rate from a shared grid (see
    `gdviz.figures.race`). Controls: the landscape, the step budget and which
    optimizers run. The status line ranks them by final loss.
    """

    def __init__(self, landscape="rosenbrock", names=RACE_OPTIMIZERS, max_steps=200):
        names = list(names)
        for name in names:
            optimizers.get(name)
        self.names = names
        self.results = {}
        self.landscape_choice = widgets.Dropdown(options=landscapes.names(),
                                                 value=landscapes.get(landscape).name,
                                                 description="landscape")
        self.budget = widgets.IntSlider(value=_checks.count("max_steps", max_steps, minimum=1), min=5,
                                        max=500, step=5, description="steps each", continuous_update=False)
        self.running = {name: widgets.Checkbox(value=True, description=name, indent=False,
                                               layout=widgets.Layout(width="140px")) for name in names}
        figure = QuietFigureWidget(make_subplots(rows=1, cols=2, subplot_titles=("paths", "loss per step")))
        figure.add_trace(contour_trace(landscape, 60), row=1, col=1)
        for index, name in enumerate(names):
            figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name=name, legendgroup=name,
                                        line={"color": PALETTE[index % len(PALETTE)], "width": 2},
                                        marker={"size": 3}), row=1, col=1)
        for index, name in enumerate(names):
            figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name=name, legendgroup=name,
                                        showlegend=False, line={"color": PALETTE[index % len(PALETTE)]}),
                             row=1, col=2)
        figure.update_xaxes(title_text="w1", row=1, col=1)
        figure.update_yaxes(title_text="w2", row=1, col=1)
        figure.update_xaxes(title_text="step", row=1, col=2)
        figure.update_layout(height=450, width=980, margin={"t": 40, "b": 40})
        controls = widgets.VBox([widgets.HBox([self.landscape_choice, self.budget]),
                                 widgets.HBox(list(self.running.values()))])
        super().__init__(controls, figure)
        self._landscape = None
        self._observe([self.landscape_choice, self.budget, *self.running.values()], self.update)
        self.update()

    def update(self):
        """Rerun the race with the current controls and redraw."""
        landscape = landscapes.get(self.landscape_choice.value)
        chosen = [name for name in self.names if self.running[name].value]
        self.results = race(landscape, chosen, self.budget.value) if chosen else {}
        count = len(self.names)
        with self.figure.batch_update():
            if self._landscape != landscape.name:
                _set_map(self.figure, landscape)
                self._landscape = landscape.name
            for index, name in enumerate(self.names):
                path, curve = self.figure.data[1 + index], self.figure.data[1 + count + index]
                if name in self.results:
                    alpha, walk = self.results[name]
                    path.x, path.y = walk.w[:, 0], walk.w[:, 1]
                    curve.x, curve.y = walk.t, walk.loss
                    path.name = f"{name} α={alpha:.2g}"
                else:
                    path.x = path.y = curve.x = curve.y = []
            positive = _loss_axis(self.figure, [walk.loss for _, walk in self.results.values()])
            if positive:
                for index in range(count):
                    curve = self.figure.data[1 + count + index]
                    if curve.y is not None and len(curve.y):
                        curve.y = np.maximum(curve.y, LOG_FLOOR)
        if not self.results:
            self._say("Tick at least one optimizer to start the race.")
            return
        ranking = sorted(self.results.items(), key=lambda item: item[1][1].loss[-1])
        places = " · ".join(f"{place}. {name} (α={alpha:.2g}) {walk.loss[-1]:.3g}"
                            for place, (name, (alpha, walk)) in enumerate(ranking, start=1))
        self._say(f"Final loss after {self.budget.value} steps on {landscape.name}: {places}")


# ------------------------------------------------------------------ 01: scoring with w and b

class ScoringLab(_LessonApp):
    """Sliders for the weights w = (w1, w2) and the bias b of a two-class linear model.

    The model scores an example x as s = w·x + b and predicts class 1 when
    s > 0. Left: the data, the decision line w·x + b = 0 and an arrow along w
    (towards the side scored positive); misclassified examples are open
    markers. Right: the mean SVM (hinge) and cross-entropy losses. The status
    line gives both losses and the accuracy.
    """

    def __init__(self, X=None, y=None, w=(1.0, -0.5), b=0.0):
        if X is None and y is None:
            X, y = data.two_clouds()
        self.X, self.y = data.labelled(X, y, n_classes=2)
        if self.X.shape[1] != 2:
            raise ValueError(f"X must have two features, shape (n, 2), got shape {self.X.shape}")
        w1, w2 = _checks.point("w", w)
        self.box = data_box(self.X)
        slider = {"min": -3.0, "max": 3.0, "step": 0.05, "continuous_update": True,
                  "layout": widgets.Layout(width="300px")}
        self.w1 = widgets.FloatSlider(value=w1, description="w1", **slider)
        self.w2 = widgets.FloatSlider(value=w2, description="w2", **slider)
        self.b = widgets.FloatSlider(value=_checks.real("b", b), description="b",
                                     **{**slider, "min": -5.0, "max": 5.0})
        figure = QuietFigureWidget(make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35],
                                               subplot_titles=("data and decision line", "mean loss")))
        for label in (0, 1):
            rows = self.y == label
            figure.add_trace(go.Scatter(x=self.X[rows, 0], y=self.X[rows, 1], mode="markers",
                                        name=f"class {label}",
                                        marker={"color": CLASS_COLOURS[label], "size": 7,
                                                "line": {"width": 1.5, "color": CLASS_COLOURS[label]}}),
                             row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name="w·x + b = 0",
                                    line={"color": "black", "width": 2}), row=1, col=1)
        figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name="w", line={"color": "black"},
                                    marker={"symbol": "arrow", "angleref": "previous", "size": [0, 12]}),
                         row=1, col=1)
        figure.add_trace(go.Bar(x=["SVM (hinge)", "cross-entropy"], y=[0, 0], showlegend=False,
                                marker={"color": [PALETTE[4], PALETTE[2]]}, textposition="outside"),
                         row=1, col=2)
        figure.update_xaxes(range=list(self.box[0]), title_text="x1", row=1, col=1)
        figure.update_yaxes(range=list(self.box[1]), title_text="x2", scaleanchor="x", scaleratio=1,
                            row=1, col=1)
        figure.update_yaxes(range=[0, 3], title_text="mean loss", row=1, col=2)
        figure.update_layout(height=420, width=900, margin={"t": 40})
        super().__init__(widgets.HBox([self.w1, self.w2, self.b]), figure)
        self.summary = {}
        self._observe([self.w1, self.w2, self.b], self.update)
        self.update()

    @property
    def w(self):
        return np.array([self.w1.value, self.w2.value])

    def update(self):
        """Redraw the line, the markers and the losses for the sliders' w and b."""
        w, b = self.w, self.b.value
        self.summary = scoring_summary(self.X, self.y, w, b)
        right = classifier.predict(self.X, w, b) == self.y
        with self.figure.batch_update():
            for label in (0, 1):
                symbols = np.where(right[self.y == label], "circle", "circle-open")
                self.figure.data[label].marker.symbol = symbols.tolist()
            line, arrow, bars = self.figure.data[2:5]
            line.x, line.y = decision_line(w, b, self.box)
            arrow.x, arrow.y = normal_arrow(w, b, self.box)
            losses = [self.summary["svm"], self.summary["cross_entropy"]]
            bars.y = losses
            bars.text = [f"{loss:.3f}" for loss in losses]
            self.figure.layout.yaxis2.range = [0, max(3.0, 1.15 * max(losses))]
        where = ("no decision line (w = 0): every score is b" if not np.any(w)
                 else f"line {w[0]:.2f} x1 + {w[1]:.2f} x2 + {b:.2f} = 0")
        self._say(f"accuracy {self.summary['accuracy']:.0%} · SVM (hinge) loss {self.summary['svm']:.3f} · "
                  f"cross-entropy {self.summary['cross_entropy']:.3f} · {where}")


# ------------------------------------------------------------------ 07: minibatches

class SGDLab(_LessonApp):
    """Minibatch SGD against full-batch descent on a classifier's (w, b) landscape.

    Controls: the batch size, the learning rate, the number of epochs, whether
    the data are reshuffled every epoch, and whether the loss curve counts
    epochs (passes over the data) or steps (updates). Left: both paths on the
    map of the loss on all the data; right: that loss. The status line counts
    the updates each made.
    """

    def __init__(self, landscape=None, alpha=0.5, batch_size=8, epochs=10, shuffle=True, seed=0):
        self.landscape = classifier.sorted_landscape() if landscape is None else landscapes.get(landscape)
        if not self.landscape.has_data:
            raise ValueError(f"landscape must carry data for minibatches (has_data), got "
                             f"{self.landscape.name!r}; use gdviz.classifier.classifier_landscape()")
        size = self.landscape.data_size
        choices = sorted({b for b in (1, 2, 4, 8, 16, 32, 64, 128, 256) if b < size} | {size})
        batch_size = _checks.count("batch_size", batch_size, minimum=1)
        if batch_size not in choices:
            raise ValueError(f"batch_size must be one of {choices} here, got {batch_size}")
        self.runs = {}
        self.seed = _checks.count("seed", seed)
        slider = {"continuous_update": False, "layout": widgets.Layout(width="330px")}
        self.batch_size = widgets.SelectionSlider(options=choices, value=batch_size, description="batch size",
                                                  **slider)
        self.alpha = widgets.FloatLogSlider(value=_checks.positive("alpha", alpha), base=10, min=-3, max=1,
                                            step=0.05, description="alpha", **slider)
        self.epochs = widgets.IntSlider(value=_checks.count("epochs", epochs, minimum=1), min=1, max=30,
                                        description="epochs", **slider)
        self.shuffle = widgets.Checkbox(value=bool(shuffle), description="reshuffle every epoch")
        self.x_axis = widgets.ToggleButtons(options=["epochs", "steps"], value="epochs",
                                            description="loss per")
        figure = QuietFigureWidget(make_subplots(rows=1, cols=2, subplot_titles=(
            "paths on the loss of all the data", "loss on all the data")))
        figure.add_trace(contour_trace(self.landscape, 60), row=1, col=1)
        for index, label in enumerate(("full batch", "SGD")):
            figure.add_trace(go.Scatter(x=[], y=[], mode="lines+markers", name=label, legendgroup=label,
                                        line={"color": PALETTE[index], "width": 2}, marker={"size": 3}),
                             row=1, col=1)
        for index, label in enumerate(("full batch", "SGD")):
            figure.add_trace(go.Scatter(x=[], y=[], mode="lines", name=label, legendgroup=label,
                                        showlegend=False, line={"color": PALETTE[index]}), row=1, col=2)
        (xmin, xmax), (ymin, ymax) = self.landscape.domain
        first, second = axis_names(self.landscape)
        figure.update_xaxes(range=[xmin, xmax], title_text=first, row=1, col=1)
        figure.update_yaxes(range=[ymin, ymax], title_text=second, row=1, col=1)
        figure.update_yaxes(title_text="loss", row=1, col=2)
        figure.update_layout(height=450, width=980, margin={"t": 40})
        controls = widgets.VBox([widgets.HBox([self.batch_size, self.alpha]),
                                 widgets.HBox([self.epochs, self.shuffle]), self.x_axis])
        super().__init__(controls, figure)
        self._observe([self.batch_size, self.alpha, self.epochs, self.shuffle, self.x_axis], self.update)
        self.update()

    def update(self):
        """Rerun both walks with the current controls and redraw."""
        runs = sgd_runs(self.landscape, self.alpha.value, (self.batch_size.value,), self.epochs.value,
                        self.shuffle.value, self.seed)
        self.runs = runs
        x = self.x_axis.value
        with self.figure.batch_update():
            for index, (walk, per_epoch) in enumerate(runs.values()):
                path, curve = self.figure.data[1 + index], self.figure.data[3 + index]
                path.x, path.y = walk.w[:, 0], walk.w[:, 1]
                curve.x = walk.t / per_epoch if x == "epochs" else walk.t
                curve.y = walk.loss
            self.figure.layout.xaxis2.title.text = x
        (full, _), (sgd, per_epoch) = runs.values()
        ordering = "reshuffled every epoch" if self.shuffle.value else "in the same order every epoch"
        plural = "" if per_epoch == 1 else "s"
        self._say(f"Batches of {self.batch_size.value} ({ordering}): {per_epoch} update{plural} per epoch, "
                  f"{sgd.n_updates} in {self.epochs.value} epochs; final loss {sgd.loss[-1]:.4f} "
                  f"({sgd.stop_reason}). Full batch: {full.n_updates} updates, final loss "
                  f"{full.loss[-1]:.4f} ({full.stop_reason}).")
