"""One look for every figure: palette, colours by meaning, fonts, and the log-axis rule.

The palette is Okabe and Ito's, chosen to stay distinct for the common kinds
of colour blindness; the landscapes use Viridis, which also reads in grey. A
colour here means one thing everywhere: the trail is always vermillion,
Chad's heading always reddish purple, class 1 always vermillion's partner.
"""

import numpy as np

# Okabe-Ito: blue, vermillion, bluish green, orange, reddish purple, sky blue, black, yellow.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
COLOURSCALE = "Viridis"  # perceptually uniform, readable in grey and by most colour-blind eyes
INK = "#222222"          # text, outlines, Chad's body marker
CHAD = PALETTE[3]        # Chad's marker on the lesson maps: orange
TRAIL = PALETTE[1]       # where Chad has been: vermillion
HEADING = PALETTE[4]     # his downhill arrow, -grad: reddish purple
CLASS_COLOURS = (PALETTE[0], PALETTE[1])  # class 0, class 1
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": INK}
TEMPLATE = "plotly_white"
# An exact zero cannot sit on a log axis; it is drawn here, below double precision.
LOG_FLOOR = 1e-17


def colour(index):
    """The palette's colour for the index-th series, cycling; a name keeps its colour across figures."""
    return PALETTE[index % len(PALETTE)]


def log_axis_fits(*series, decades=0.0):
    """True when every value is > 0 and together they span at least `decades` powers of ten.

    A log axis cannot show zero or a negative loss (the saddle's loss goes
    negative), and over less than a decade or two it only distorts.
    """
    values = [np.asarray(values, dtype=float).ravel() for values in series]
    values = np.concatenate(values) if values else np.zeros(0)
    if values.size == 0 or not np.all(values > 0):
        return False
    return bool(values.max() >= 10.0**decades * values.min())


def on_log_axis(values):
    """Values ready for a log axis: exact zeros lifted to `LOG_FLOOR`."""
    return np.maximum(np.asarray(values, dtype=float), LOG_FLOOR)


def legend_inside(corner):
    """A legend inside the plot, in a corner ("bottom left") the curves leave empty."""
    y, x = corner.split()
    return {"x": 0.01 if x == "left" else 0.99, "y": 0.01 if y == "bottom" else 0.99, "xanchor": x,
            "yanchor": y, "bgcolor": "rgba(255,255,255,0.75)"}


def base_layout(title=None, height=None, width=None):
    """The layout every figure starts from: template, font, title, size."""
    layout = {"template": TEMPLATE, "font": FONT}
    if title is not None:
        layout["title"] = {"text": title}
    if height is not None:
        layout["height"] = height
    if width is not None:
        layout["width"] = width
    return layout
