"""A two-class linear model on two features (01, 06): the data, its decision line, its losses."""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks, linear
from ..experiments.scoring import Scoring
from . import theme
from .style import make_trace

__all__ = ["data_box", "scoring_figure", "training_figure"]


def data_box(X, margin=0.5):
    """((x1 min, x1 max), (x2 min, x2 max)) around the data, with a margin."""
    X = np.asarray(X, dtype=float)
    return tuple((float(column.min()) - margin, float(column.max()) + margin) for column in X.T)


def class_traces(X, y, w, b):
    """One scatter per class (roles "examples 0", "examples 1"); misclassified examples are open markers."""
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    right = linear.predict(X, np.asarray(w, dtype=float), b) == y
    traces = []
    for label in (0, 1):
        rows = y == label
        colour = theme.CLASS_COLOURS[label]
        traces.append(make_trace(f"examples {label}", x=X[rows, 0], y=X[rows, 1], name=f"class {label}",
                                 marker={"color": colour, "line": {"color": colour},
                                         "symbol": np.where(right[rows], "circle", "circle-open").tolist()}))
    return traces


def _data_axes(figure, box):
    figure.update_xaxes(range=list(box[0]), title_text="x1", row=1, col=1)
    figure.update_yaxes(range=list(box[1]), title_text="x2", scaleanchor="x", scaleratio=1, row=1, col=1)


def scoring_figure(summary):
    """Two-feature data with the decision line w·x + b = 0 (left) and the model's losses (right).

    `summary` is what `experiments.scoring_summary` returns: the data, the
    model (w, b) and its mean SVM (hinge) and cross-entropy losses, drawn as
    bars, and its accuracy, in the title. The arrow points along w, towards
    the side the model scores positive (class 1). Misclassified examples are
    open markers.
    """
    summary = _checks.result("summary", summary, Scoring, "experiments.scoring_summary")
    X, y, w, b = summary.X, summary.y, summary.w, summary.b
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have two features, shape (n, 2), got shape {X.shape}")
    box = data_box(X)
    figure = make_subplots(rows=1, cols=2, column_widths=[0.65, 0.35],
                           subplot_titles=("data and decision line", "mean loss"))
    for trace in class_traces(X, y, w, b):
        figure.add_trace(trace, row=1, col=1)
    line_x, line_y = linear.decision_line(w, b, box)
    figure.add_trace(make_trace("decision_line", x=line_x, y=line_y), row=1, col=1)
    arrow_x, arrow_y = linear.normal_arrow(w, b, box)
    figure.add_trace(make_trace("normal", x=arrow_x, y=arrow_y), row=1, col=1)
    losses = [summary["svm"], summary["cross_entropy"]]
    figure.add_trace(make_trace("bars", x=["SVM (hinge)", "cross-entropy"], y=losses,
                                marker={"color": [theme.PALETTE[4], theme.PALETTE[2]]},
                                text=[f"{loss:.3f}" for loss in losses]), row=1, col=2)
    _data_axes(figure, box)
    figure.update_yaxes(title_text="mean loss", range=[0, max(3.0, 1.15 * max(losses))], row=1, col=2)
    w1, w2 = np.asarray(w, dtype=float)
    figure.update_layout(theme.base_layout(f"w = ({w1:.2f}, {w2:.2f}), b = {float(b):.2f}: "
                                           f"accuracy {summary['accuracy']:.0%}", 430, 900))
    return theme.finish(figure)


def training_figure(result):
    """The post's experiment: the data with the learned decision line (left), loss per epoch (right).

    `result` is a `classifier.TrainingResult` of a two-class, two-feature
    model. The right panel shows the log loss that training minimised and the
    mean squared error of sigmoid(score), the quantity the post's script printed.
    """
    W = np.asarray(getattr(result, "W", None), dtype=float)
    if W.shape != (2,) or np.asarray(result.X).shape[1] != 2:
        raise ValueError("result must come from training a two-class model on two features")
    box = data_box(result.X)
    figure = make_subplots(rows=1, cols=2, subplot_titles=("decision line after training", "loss per epoch"))
    for trace in class_traces(result.X, result.y, W, result.b):
        figure.add_trace(trace, row=1, col=1)
    line_x, line_y = linear.decision_line(W, result.b, box)
    figure.add_trace(make_trace("decision_line", x=line_x, y=line_y, name="decision line"), row=1, col=1)
    epochs = np.arange(len(result.loss))
    figure.add_trace(make_trace("curve minimised", x=epochs, y=result.loss, showlegend=True,
                                name=f"{result.loss_name} (minimised)", line={"color": theme.PALETTE[2]}),
                     row=1, col=2)
    if result.squared_error is not None:
        figure.add_trace(make_trace("curve printed", x=epochs, y=result.squared_error, showlegend=True,
                                    name="squared error (printed by the post)",
                                    line={"color": theme.PALETTE[4], "dash": "dash"}), row=1, col=2)
    _data_axes(figure, box)
    figure.update_xaxes(title_text="epoch", row=1, col=2)
    figure.update_yaxes(title_text="mean loss", rangemode="tozero", row=1, col=2)
    title = f"Training accuracy {result.accuracy:.1%} after {result.epochs} epochs"
    figure.update_layout(theme.base_layout(title,
                                           430, 960))
    return theme.finish(figure)
