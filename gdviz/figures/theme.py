"""One look for every figure: palette, colours by meaning, fonts, and the log-axis rule.

The palette is Okabe and Ito's, chosen to stay distinct for the common kinds
of colour blindness; the landscapes use Viridis, which also reads in grey. A
colour here means one thing everywhere: the trail is always vermillion,
Chad's heading always reddish purple, class 1 always vermillion's partner.

Presentation mode (`gdviz.presentation`) is applied here too, so that no
builder has to know about it: `base_layout` gives the projector's template,
font and height, and every builder returns its figure through `finish`, which
lifts whatever small text or fixed width the builder set itself.
"""

import math
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from .. import presentation

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
# Presentation mode: black text, grid lines dark enough to survive a washed-out projector,
# and a little more height for the larger text; the palette and colour scale stay.
PRESENTATION_INK = "#000000"
PRESENTATION_FONT = {**FONT, "size": presentation.FONT_PX, "color": PRESENTATION_INK}
PRESENTATION_GRID = "#8C8C8C"  # 3.4:1 on white, above WCAG's 3:1 for lines that carry meaning
PRESENTATION_ZERO = "#666666"  # the zero lines, darker than the grid but not mistaken for a black curve
PRESENTATION_HEIGHT_SCALE = 1.15
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


def template():
    """The template every figure starts from: `TEMPLATE`, or in presentation mode its high-contrast copy.

    The copy sets what plotly would otherwise draw small or pale on every
    axis, subplot and hover label of a figure: text size and colour, a title
    size, darker grid lines and visible black axis lines.
    """
    if not presentation.is_on():
        return TEMPLATE
    axis = {"gridcolor": PRESENTATION_GRID, "zerolinecolor": PRESENTATION_ZERO, "linecolor": PRESENTATION_INK,
            "showline": True, "ticks": "outside", "tickcolor": PRESENTATION_INK}
    scene_axis = {"gridcolor": PRESENTATION_GRID, "zerolinecolor": PRESENTATION_ZERO,
                  "linecolor": PRESENTATION_INK}
    projected = go.layout.Template(pio.templates[TEMPLATE])
    projected.layout.update(
        font=PRESENTATION_FONT, title={"font": {"size": presentation.TITLE_FONT_PX}},
        hoverlabel={"font": {"size": presentation.FONT_PX}},  # plotly draws hover text at 13 px otherwise
        xaxis=axis, yaxis=axis, scene={"xaxis": scene_axis, "yaxis": scene_axis, "zaxis": scene_axis})
    return projected


def base_layout(title=None, height=None, width=None):
    """The layout every figure starts from: template, font, title, size.

    In presentation mode the template and font are the projector's, the
    height grows by `PRESENTATION_HEIGHT_SCALE`, and `width` is left out: the
    figure takes its container's width.
    """
    presenting = presentation.is_on()
    layout = {"template": template(), "font": PRESENTATION_FONT if presenting else FONT}
    if title is not None:
        layout["title"] = {"text": title}
    if height is not None:
        layout["height"] = round(height * PRESENTATION_HEIGHT_SCALE) if presenting else height
    if presenting:
        layout["autosize"] = True
    elif width is not None:
        layout["width"] = width
    return layout


LOG_MINOR_TICK_SCALE = 0.75  # plotly.js draws a log axis's 2 ... 9 labels at this share of its tick font


def finish(figure):
    """`figure`, readable on a projector in presentation mode; untouched (the same object) when it is off.

    Every figure builder returns through here after its last change, so what a
    builder set itself cannot escape the mode: a fixed width is dropped, every
    font size given anywhere (subplot titles, annotations, slider labels,
    trace text, the template, animation frames) is raised to
    `presentation.MIN_FONT_PX`, the figure's title to `TITLE_FONT_PX`, and pale
    text turns black with a light halo, so it reads on a dark map too.
    """
    if not presentation.is_on():
        return figure
    figure.layout.width = None
    figure.layout.autosize = True
    parts = [figure.layout, *figure.data]
    for frame in figure.frames:
        parts += [frame.layout, *frame.data]
    for part in parts:
        for key, value in part.to_plotly_json().items():
            readable = _readable(value, (key,))
            if readable is not value:
                part[key] = readable
    # plotly labels a log axis's in-between ticks (2, 3, ... 9) at 3/4 of its tick font size:
    # a log axis's tick font is made large enough for those to be readable too.
    smallest = math.ceil(presentation.MIN_FONT_PX / LOG_MINOR_TICK_SCALE)
    for name, axis in figure.layout.to_plotly_json().items():
        if name.startswith(("xaxis", "yaxis")) and axis.get("type") == "log":
            size = axis.get("tickfont", {}).get("size") or 0
            if size < smallest:
                figure.layout[name].tickfont.size = smallest
    return figure


def _readable(tree, path):
    """`tree` (plotly JSON found at `path`) with every font in it made readable; itself if none changed."""
    if isinstance(tree, dict):
        new = {key: _readable(value, (*path, key)) for key, value in tree.items()}
        if path[-1].endswith("font"):  # font, tickfont, textfont, labelfont, ...
            new = _readable_font(new, presentation.TITLE_FONT_PX if path == ("title", "font")
                                 else presentation.MIN_FONT_PX)
        changed = new.keys() != tree.keys() or any(new[key] is not tree[key] for key in tree)
        return new if changed else tree
    if isinstance(tree, (list, tuple)):
        new = [_readable(item, path) for item in tree]
        return new if any(a is not b for a, b in zip(new, tree, strict=True)) else tree
    return tree


def _readable_font(font, smallest):
    """`font` with its size at least `smallest` (each size, if it is an array) and no pale colour.

    Only what changes is replaced, so an unchanged font comes back with the same values.
    """
    font = dict(font)
    if "size" in font and np.min(font["size"]) < smallest:
        font["size"] = np.maximum(font["size"], smallest).tolist()
    if isinstance(font.get("color"), str) and is_pale(font["color"]):
        font.update(color=PRESENTATION_INK, shadow="auto")  # auto: a halo in the contrasting colour
    return font


_NAMED = {"white": (255, 255, 255), "black": (0, 0, 0), "grey": (128, 128, 128), "gray": (128, 128, 128)}


def is_pale(colour):
    """True when text in `colour` reads poorly on white: a contrast ratio below 4.5 to 1 (WCAG's AA).

    Knows hex colours, "rgb(...)", "rgba(...)" and white, black and grey by
    name; any other colour is not judged and counts as not pale.
    """
    rgb = _rgb(colour)
    if rgb is None:
        return False
    channels = [value / 255 for value in rgb]  # WCAG's relative luminance of an sRGB colour
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05) < 4.5


def _rgb(colour):
    """(red, green, blue) from 0 to 255 of a colour string, or None for a form not known here."""
    colour = colour.strip().lower()
    if colour in _NAMED:
        return _NAMED[colour]
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        return tuple(int(digit * 2, 16) for digit in colour[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    found = re.fullmatch(r"rgba?\(([^,]+),([^,]+),([^,)]+)(,[^)]*)?\)", colour)
    return tuple(float(found.group(i)) for i in (1, 2, 3)) if found else None
