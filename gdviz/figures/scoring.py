"""Scoring with W and b (01): a two-class linear model on two features, its decision line and losses;
and guessing against following the slope."""

import numpy as np
from plotly.subplots import make_subplots

from .. import _checks, linear
from ..experiments.scoring import Scoring, SearchCurves
from . import theme
from .data import class_traces, data_axes, data_box
from .style import make_trace
from .walks import curve_trace

__all__ = ["scoring_figure", "search_vs_gradient_figure"]


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
    _checks.features("X", X)
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
    data_axes(figure, box)
    figure.update_yaxes(title_text="mean loss", range=[0, max(3.0, 1.15 * max(losses))], row=1, col=2)
    w1, w2 = np.asarray(w, dtype=float)
    figure.update_layout(theme.base_layout(f"w = ({w1:.2f}, {w2:.2f}), b = {float(b):.2f}: "
                                           f"accuracy {summary['accuracy']:.0%}", 430, 900))
    return theme.finish(figure)


def search_vs_gradient_figure(curves):
    """The three searches' best loss against the number of loss evaluations (log y).

    `curves` is what `experiments.search_vs_gradient` returns.
    """
    curves = _checks.result("curves", curves, SearchCurves, "experiments.search_vs_gradient")
    figure = make_subplots(rows=1, cols=1)
    for index, (label, curve) in enumerate(curves.items()):
        figure.add_trace(curve_trace(np.arange(1, len(curve) + 1), curve, label, index, log_y=True,
                                     showlegend=True))
    figure.update_xaxes(title_text="evaluations of the loss")
    figure.update_yaxes(type="log", title_text="best loss so far", exponentformat="power")
    title = f"Guessing against following the slope: {curves.name}, {len(curves.start)} parameters"
    figure.update_layout(theme.base_layout(title,
                                           420, 760), legend=theme.legend_inside("bottom left"))
    return theme.finish(figure)
