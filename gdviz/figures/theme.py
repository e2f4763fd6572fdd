"""One look for every figure: palette, colours by meaning, fonts, titles that fit, and log axes' labels.

The palette is Okabe and Ito's, chosen to stay distinct for the common kinds
of colour blindness; the landscapes use Viridis, which also reads in grey. A
colour here means one thing everywhere: the trail is always vermillion,
Chad's heading always reddish purple, class 1 always vermillion's partner.

Presentation mode (`gdviz.presentation`) is applied here too, so that no
builder has to know about it: `base_layout` gives the projector's template,
font and height, and every builder returns its figure through `finish`, which
lifts whatever small text or fixed width the builder set itself.

`finish` also puts identifiers into words (`gdviz.words`), and lays out what
plotly would otherwise let collide, in both modes:
a long title becomes a title and a subtitle, wrapped to the figure's width and
allowed to push the margin; a log axis labels whole decades (in-between
ticks unlabelled) unless its data span too few for that; tick labels stand off
their axis so two axes' labels never meet at a corner; and no figure offers
plotly's button that uploads it to a cloud service.
"""

import math
import re

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from .. import presentation, words

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
# The modebar buttons that send a figure away: plotly 7's "Share chart..." (and its older name).
SEND_BUTTONS = ("sendChartToCloud", "sendDataToCloud")
TICK_STANDOFF_PX = 6   # between an axis line and its tick labels: two axes' labels never meet at a corner
LOG_LABELS = 6         # at most this many labelled decades on a log axis
TITLE_WIDTH_PX = 900   # what a title may take when the figure's width is its container's (1024 px or more)
CHAR_WIDTH = 0.56      # an average character's width in Arial, as a share of the font size


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
    standoff = {"ticklabelstandoff": TICK_STANDOFF_PX, "automargin": True}
    themed = go.layout.Template(pio.templates[TEMPLATE])
    if not presentation.is_on():
        themed.layout.update(xaxis=standoff, yaxis=standoff)
        return themed
    axis = {**standoff, "gridcolor": PRESENTATION_GRID, "zerolinecolor": PRESENTATION_ZERO, "showline": True,
            "linecolor": PRESENTATION_INK, "ticks": "outside", "tickcolor": PRESENTATION_INK}
    scene_axis = {"gridcolor": PRESENTATION_GRID, "zerolinecolor": PRESENTATION_ZERO,
                  "linecolor": PRESENTATION_INK}
    projected = themed
    projected.layout.update(
        font=PRESENTATION_FONT, title={"font": {"size": presentation.TITLE_FONT_PX}},
        hoverlabel={"font": {"size": presentation.FONT_PX}},  # plotly draws hover text at 13 px otherwise
        xaxis=axis, yaxis=axis, scene={"xaxis": scene_axis, "yaxis": scene_axis, "zaxis": scene_axis})
    return projected


def presenting():
    """True in presentation mode: a builder whose panels are too dense for a projector lays them out
    otherwise (stacked, a 2 x 2 grid) rather than drawing smaller text."""
    return presentation.is_on()


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
    """`figure` laid out to be read (see the module), and in presentation mode readable on a projector.

    Every figure builder returns through here after its last change, so what a
    builder set itself cannot escape the mode: a fixed width is dropped, every
    font size given anywhere (subplot titles, annotations, slider labels,
    trace text, the template, animation frames) is raised to
    `presentation.MIN_FONT_PX`, the figure's title to `TITLE_FONT_PX`, and pale
    text turns black with a light halo, so it reads on a dark map too.
    """
    figure.layout.modebar.remove = list(SEND_BUTTONS)
    _in_words(figure)
    presenting = presentation.is_on()
    if presenting:
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
    _legend_below(figure, presenting)
    _fit_title(figure, presenting)
    if presenting:
        _scenes_on_a_projector(figure)
    for name, axis in figure.layout.to_plotly_json().items():
        if name.startswith(("xaxis", "yaxis")) and axis.get("type") == "log":
            _label_decades(figure, name, axis, presenting)
    return figure


SUBTITLE = "subtitle"  # the name of the note that carries a long title's detail


def _fit_title(figure, presenting):
    """A long "what: detail" title split into a one-line title and its detail, wrapped to the
    figure's width, and a top margin that holds them and the subplots' titles, so none is cut or
    covered.

    The detail is a note (an annotation named `SUBTITLE`) just above the subplots' titles, not
    plotly's own subtitle: plotly.js sets a subtitle a few pixels into a large title's line, and
    places a title of several lines as if it had one, cutting its first line.
    """
    title = figure.layout.title
    if not title.text:
        return
    width = (figure.layout.width or TITLE_WIDTH_PX) - 60
    size = title.font.size or (presentation.TITLE_FONT_PX if presenting else round(FONT["size"] * 1.4))
    text_size = presentation.FONT_PX if presenting else FONT["size"] + 1
    above = [note for note in figure.layout.annotations if note.name != SUBTITLE
             and note.yref == "paper" and (note.y or 0) >= 1 and note.yanchor == "bottom"]
    block = (max(str(note.text).count("<br>") + 1 for note in above)
             * 1.35 * max(note.font.size or text_size for note in above) + 6) if above else 0
    text = title.text
    if "<br>" not in text and len(text) * CHAR_WIDTH * size > width:
        head, rest = _split_title(text)
        first, _, more = wrap(head, width / (CHAR_WIDTH * size)).partition("<br>")
        title.text = first
        more = more.replace("<br>", " ")
        detail = f"{more}: {rest}" if more and rest else more or rest
        if detail:
            figure.add_annotation(name=SUBTITLE, text=wrap(detail, width / (CHAR_WIDTH * text_size)),
                                  xref="paper", yref="paper", x=0, y=1, xanchor="left", yanchor="bottom",
                                  yshift=block + 4, align="left", showarrow=False, font={"size": text_size})
    # The title hung from the top of the figure, above a margin measured for it and what is below
    # it: plotly's automargin leaves the subplots' titles out, and they would sit on it.
    title.update(yref="container", y=1, yanchor="top", pad={"t": 10})
    top = 10 + 1.5 * size + block
    for note in figure.layout.annotations:
        if note.name == SUBTITLE:
            top += (str(note.text).count("<br>") + 1) * 1.35 * (note.font.size or text_size) + 8
    top = math.ceil(top + 12)
    added = top - (figure.layout.margin.t if figure.layout.margin.t is not None else 100)
    if added > 0:
        figure.layout.margin.t = top
        if figure.layout.height:
            figure.layout.height += added  # the plots keep their size


def _in_words(figure):
    """Titles, subtitles, subplot titles, axis titles and legend entries say identifiers in words
    (`gdviz.words`): "plain descent", not "gradient_descent"."""
    layout = figure.layout
    for title in (layout.title, layout.legend.title):
        if title.text:
            title.text = words.say(title.text)
    for note in layout.annotations:
        if note.text:
            note.text = words.say(note.text)
    for name in layout.to_plotly_json():
        if name.startswith(("xaxis", "yaxis")) and layout[name].title.text:
            layout[name].title.text = words.say(layout[name].title.text)
    for trace in figure.data:
        if trace.name:
            trace.name = words.say(trace.name)


def _scenes_on_a_projector(figure):
    """3D scenes read on a projector: WebGL draws their text with no automargin, so tick labels at
    the least size and at most five to an axis, and a camera that has not been placed by its builder
    stands farther off than plotly's (1.25, 1.25, 1.25), so the labels stay inside the scene's box."""
    for name in figure.layout.to_plotly_json():
        if not name.startswith("scene"):
            continue
        scene = figure.layout[name]
        for axis in (scene.xaxis, scene.yaxis, scene.zaxis):
            if axis.tickfont.size is None or axis.tickfont.size > presentation.MIN_FONT_PX:
                axis.tickfont.size = presentation.MIN_FONT_PX
            if axis.nticks is None:
                axis.nticks = 5
        if scene.camera.eye.x is None:
            scene.camera.eye = {"x": 1.6, "y": 1.6, "z": 1.6}


def _legend_below(figure, presenting):
    """A legend that sits below the plots goes to the foot of the figure, in rows, under the axis
    titles, and the figure grows by those rows so the plots keep their height. On a projector a
    legend that the builder left at plotly's place (beside the plots, taking the width they need)
    goes there too. A legend placed inside the plots stays."""
    legend = figure.layout.legend
    beside = legend.x is None and legend.y is None
    below = legend.y is not None and legend.y < 0 and legend.yref != "container"
    if figure.layout.showlegend is False or not (below or (beside and presenting)):
        return
    if any(name.startswith("scene") for name in figure.layout.to_plotly_json()):
        return  # a 3D scene keeps its own layout
    names = [str(trace.name) for trace in figure.data if trace.showlegend is not False and trace.name]
    if not names:
        return
    width = (figure.layout.width or TITLE_WIDTH_PX) - 60
    size = legend.font.size or (presentation.FONT_PX if presenting else FONT["size"])
    rows, used = 1, 0.0
    for name in names:
        entry = len(name) * CHAR_WIDTH * size + 60
        if used and used + entry > width:
            rows, used = rows + 1, 0.0
        used += entry
    legend.update(orientation="h", yref="container", y=0, yanchor="bottom", x=0, xanchor="left")
    old = figure.layout.margin.b if figure.layout.margin.b is not None else 80
    bottom = math.ceil(2.2 * (presentation.FONT_PX if presenting else FONT["size"]) + 40
                       + rows * 1.9 * size + 10)
    if bottom > old:
        figure.layout.margin.b = bottom
        if figure.layout.height:
            figure.layout.height += bottom - old


def _split_title(text):
    """(what, detail) at the first ": " outside brackets, or (text, "") when there is none."""
    depth = 0
    for index, character in enumerate(text):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(character, 0)
        if depth == 0 and text.startswith(": ", index):
            return text[:index], text[index + 2:]
    return text, ""


def wrap(text, characters):
    """`text` with "<br>" between words so no line is longer than `characters` (a word longer stays whole)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > characters:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "<br>".join([*lines, line])


def _label_decades(figure, name, axis, presenting):
    """A log axis's labels: every k-th power of ten (at most `LOG_LABELS`), the ticks between them
    unlabelled; over less than two decades, plotly's 1, 2, 5 labels, their font large enough.

    The span is read from the axis's range or from the data the figure draws on it. A builder that
    chose its own ticks keeps them.
    """
    if axis.get("dtick") is not None or axis.get("tickvals") is not None:
        return
    letter, reference = name[0], name[0] + name[5:]
    if axis.get("range"):
        low, high = sorted(axis["range"])
        decades = high - low
    else:
        values = [np.asarray(getattr(trace, letter), dtype=float).ravel() for trace in figure.data
                  if getattr(trace, letter, None) is not None
                  and (getattr(trace, f"{letter}axis", None) or letter) == reference]
        values = np.concatenate(values) if values else np.zeros(0)
        values = values[np.isfinite(values) & (values > 0)]
        decades = float(np.log10(values.max() / values.min())) if values.size else math.inf  # none yet
    if decades >= 2:
        figure.layout[name].dtick = math.ceil(decades / LOG_LABELS) if math.isfinite(decades) else 1
        figure.layout[name].minor = {"ticks": "outside", "ticklen": 4, "showgrid": False}
        return
    figure.layout[name].dtick = "D2"
    smallest = math.ceil(presentation.MIN_FONT_PX / LOG_MINOR_TICK_SCALE)
    size = axis.get("tickfont", {}).get("size") or 0
    if presenting and size < smallest:
        figure.layout[name].tickfont.size = smallest


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
