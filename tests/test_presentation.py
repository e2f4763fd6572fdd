"""Presentation mode: with it on, every figure builder draws large black text and no fixed width.

Each public builder of `gdviz.figures` is built with the mode on and its whole
JSON (layout, traces, template, animation frames) is searched for a width and
for any font smaller than `presentation.MIN_FONT_PX` or paler than WCAG's 4.5:1
on white. With the mode off the figures keep their notebook look.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest

import gdviz
from gdviz import classifier, data, experiments, figures, optimizers, presentation, run
from gdviz.apps._plotly_compat import PRESENTATION_WIDTH_PX
from gdviz.figures import theme


@pytest.fixture
def presenting():
    """Presentation mode on for one test, and back as it was afterwards, even when the test fails."""
    before = presentation.is_on()
    gdviz.presentation(True)
    yield
    gdviz.presentation(before)


@pytest.fixture
def not_presenting():
    before = presentation.is_on()
    gdviz.presentation(False)
    yield
    gdviz.presentation(before)


def walk(landscape="bowl", alpha=0.1, max_steps=20, start=None):
    steps = optimizers.gradient_descent(landscape, start or gdviz.landscapes.get(landscape).start, alpha)
    return run(steps, max_steps=max_steps, grad_below=1e-3)


@pytest.fixture(scope="module")
def results():
    """What the builders draw, computed once, small: the experiments do not depend on the mode."""
    sorted_landscape = classifier.sorted_landscape()
    X, y = data.blobs(40, centers=[(-1.5, -1.0), (1.5, 1.0)], cluster_std=1.0, seed=1)
    return {
        "bowl": walk("bowl"), "ravine": walk("ravine", alpha=0.01), "fast": walk("ravine", alpha=0.15),
        "sorted": sorted_landscape, "sorted walk": walk(sorted_landscape, alpha=0.5, max_steps=10),
        "X": X, "y": y,
        "sweep": experiments.alpha_sweep("bowl", max_steps=20),
        "field": experiments.gradient_field("ravine", n=4),
        "probe errors": experiments.probe_errors("rosenbrock"),
        "probing": experiments.probing("rosenbrock", h=0.2),
        "regimes": experiments.regime_walks("bowl", max_steps=10),
        "scoring": experiments.scoring_summary(X, y, (2.0, 1.5), 0.0),
        "search": experiments.search_vs_gradient("bowl", budget=50, alpha=0.25),
        "slices": experiments.slices("saddle", (0.0, 0.0), span=1.5, n=31),
        "rates": experiments.rate_map((0.5, 10.0)),
        "momentum walk": experiments.momentum_walk("ravine", 0.25, 0.5, max_steps=40),
        "aligned": experiments.race("aligned ravine", ["gradient_descent", "adagrad"], max_steps=40),
        "turned": experiments.race("ravine", ["gradient_descent", "adagrad"], max_steps=40),
        "race": experiments.race("saddle", ["gradient_descent", "adam"], max_steps=40),
        "scaling": experiments.feature_scaling(factor=10, budget=40),
        "schedules": experiments.schedule_comparison(sorted_landscape, batch_size=12, epochs=4,
                                                     last_epochs=2),
        "sgd": experiments.sgd_runs(sorted_landscape, 0.5, batch_sizes=(16,), epochs=2, shuffle=False),
        "training": classifier.post_experiment(epochs=10),
        "curvature": experiments.curvature_sweep("ravine"),
        "curvatures": experiments.curvature_sweeps(["bowl", "saddle"]),
        "lemma": experiments.descent_lemma(),
        "descent walk": experiments.descent_walk(max_steps=20),
        "convergence": experiments.convergence_rates(),
        "sums": experiments.schedule_sums(),
        "noise": experiments.batch_noise(sorted_landscape, batch_sizes=(1, 4, 60), draws=200),
        "floor": experiments.noise_floor(sorted_landscape, batch_sizes=(4, 12), ratios=(1 / 8, 1 / 2),
                                         epochs=4, last_epochs=2, seeds=(0,)),
        "damping": experiments.damping_study(dampings=(0.0, 1.0), max_steps=100),
        "armijo": experiments.armijo_search("ravine"),
        "line searches": experiments.line_search_sweep(alphas=(0.1, 1.0), max_steps=300),
        "linear slices": experiments.linear_slices(n=21),
        "network slice": experiments.network_slice(n=21),
        "training path": experiments.training_path(n=21),
        "variations": experiments.variations(direction_seeds=(0,), labels=("16 units", "relu"), n=11),
    }


# Every public figure builder, called as the lessons and the explorer call it, on small inputs.
BUILDERS = {
    "linear_slices_figure": lambda r: figures.linear_slices_figure(r["linear slices"]),
    "network_slice_figure": lambda r: figures.network_slice_figure(r["network slice"]),
    "interpolation_figure": lambda r: figures.interpolation_figure(r["network slice"]),
    "training_path_figure": lambda r: figures.training_path_figure(r["training path"]),
    "variations_figure": lambda r: figures.variations_figure(r["variations"]),
    "alpha_sweep_figure": lambda r: figures.alpha_sweep_figure(r["sweep"]),
    "armijo_figure": lambda r: figures.armijo_figure(r["armijo"]),
    "newton_walks_figure": lambda r: figures.newton_walks_figure(r["damping"]),
    "search_sweep_figure": lambda r: figures.search_sweep_figure(r["line searches"]),
    "animated_figure": lambda r: figures.animated_figure("bowl", walk("bowl", max_steps=4), resolution=20),
    "bowl_figure": lambda r: figures.bowl_figure("ravine", r["ravine"], resolution=20),
    "curvature_figure": lambda r: figures.curvature_figure(r["curvature"], angle=60),
    "curvature_gallery_figure": lambda r: figures.curvature_gallery_figure(r["curvatures"]),
    "descent_lemma_figure": lambda r: figures.descent_lemma_figure(r["lemma"]),
    "descent_walk_figure": lambda r: figures.descent_walk_figure(r["descent walk"]),
    "rates_figure": lambda r: figures.rates_figure(r["convergence"]),
    "schedule_sums_figure": lambda r: figures.schedule_sums_figure(r["sums"]),
    "batch_noise_figure": lambda r: figures.batch_noise_figure(r["noise"]),
    "noise_floor_figure": lambda r: figures.noise_floor_figure(r["floor"]),
    "contour_figure": lambda r: figures.contour_figure("himmelblau", resolution=20),
    "data_figure": lambda r: figures.data_figure(r["sorted"], r["sorted walk"]),
    "explorer_figure": lambda r: figures.explorer_figure(r["sorted"], r["sorted walk"], resolution=20),
    "gallery_figure": lambda r: figures.gallery_figure(["bowl", "ravine", "saddle", "rosenbrock"], n=20),
    "gradient_field_figure": lambda r: figures.gradient_field_figure(r["field"]),
    "loss_curve_figure": lambda r: figures.loss_curve_figure(r["bowl"]),
    "loss_curves_figure": lambda r: figures.loss_curves_figure({"slow": r["ravine"], "fast": r["fast"]}),
    "momentum_rate_figure": lambda r: figures.momentum_rate_figure(r["rates"], chosen=(0.1, 0.5)),
    "momentum_walk_figure": lambda r: figures.momentum_walk_figure(r["rates"], r["momentum walk"]),
    "paths_figure": lambda r: figures.paths_figure("ravine", {"slow": r["ravine"], "fast": r["fast"]}),
    "preconditioning_figure": lambda r: figures.preconditioning_figure(r["aligned"], r["turned"]),
    "probe_error_figure": lambda r: figures.probe_error_figure(r["probe errors"]),
    "probing_figure": lambda r: figures.probing_figure(r["probing"]),
    "race_figure": lambda r: figures.race_figure(r["race"]),
    "regimes_figure": lambda r: figures.regimes_figure(r["regimes"]),
    "scaling_figure": lambda r: figures.scaling_figure(r["scaling"]),
    "schedules_figure": lambda r: figures.schedules_figure(r["schedules"]),
    "scoring_figure": lambda r: figures.scoring_figure(r["scoring"]),
    "search_vs_gradient_figure": lambda r: figures.search_vs_gradient_figure(r["search"]),
    "sgd_figure": lambda r: figures.sgd_figure(r["sgd"]),
    "slices_figure": lambda r: figures.slices_figure(r["slices"]),
    "stop_conditions_figure": lambda r: figures.stop_conditions_figure("bowl", r["bowl"], 1e-3, 1e-2),
    "training_figure": lambda r: figures.training_figure(r["training"]),
    "walk_figure": lambda r: figures.walk_figure("bowl", r["bowl"]),
}
# The notebook look, as the builders set it: (figure, base font, width).
NOTEBOOK_WIDTHS = {"walk_figure": 880, "race_figure": 1000, "scaling_figure": 1150, "sgd_figure": 1000,
                   "momentum_rate_figure": 720, "alpha_sweep_figure": 760, "paths_figure": 620}


# ---------------------------------------------------------------- reading a figure's JSON


def fonts(tree, path=()):
    """(path, font) for every font given anywhere in plotly JSON: font, tickfont, textfont, title.font, ..."""
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key.endswith("font") and isinstance(value, dict):
                yield (*path, key), value
            yield from fonts(value, (*path, key))
    elif isinstance(tree, (list, tuple)):
        for index, value in enumerate(tree):
            yield from fonts(value, (*path, index))


def contrast_on_white(colour):
    """WCAG's contrast ratio of an "#rrggbb", "#rgb", "rgb(...)" or named black/white colour against white."""
    named = {"black": "#000000", "white": "#ffffff"}
    colour = named.get(colour.lower(), colour.lower())
    if re.fullmatch(r"#[0-9a-f]{3}", colour):
        colour = "#" + "".join(digit * 2 for digit in colour[1:])
    if re.fullmatch(r"#[0-9a-f]{6}", colour):
        rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        found = re.fullmatch(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+).*\)", colour)
        assert found, f"the test cannot read the colour {colour!r}"
        rgb = [float(found.group(i)) for i in (1, 2, 3)]
    linear = [(c / 255 / 12.92) if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


# Where a trace is placed: a figure too dense for a projector lays its panels out otherwise
# (stacked, a 2 x 2 grid), so its traces may sit on other axes and its colour bar elsewhere.
PLACEMENT = {"xaxis", "yaxis", "x", "y", "len", "xanchor", "yanchor"}


def without_fonts(tree, inside=()):
    """Plotly JSON with every font and every placement left out: what presentation mode must not change."""
    if isinstance(tree, dict):
        placed = not inside or inside[-1] == "colorbar"  # a trace's own keys, or its colour bar's
        return {key: without_fonts(value, (*inside, key)) for key, value in tree.items()
                if not key.endswith("font")
                and not (placed and key in PLACEMENT and not isinstance(value, list))}
    if isinstance(tree, list):
        return [without_fonts(value, inside) for value in tree]
    return tree


# ---------------------------------------------------------------- the switch


def test_the_switch_turns_the_mode_on_and_off(not_presenting):
    assert presentation.is_on() is False
    gdviz.presentation()
    assert gdviz.presentation.is_on() is True
    gdviz.presentation(on=False)
    assert presentation.is_on() is False
    presentation.switch(True)
    assert presentation.is_on() is True


def test_importing_the_mode_module_leaves_the_switch_in_place():
    # A module named like the switch would replace gdviz.presentation when first imported.
    done = python("import gdviz, gdviz.presentation_mode as mode, gdviz.figures, gdviz.apps; "
                  "print(gdviz.presentation is mode.presentation, callable(gdviz.presentation))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


@pytest.mark.parametrize("bad", [1, 0, "yes", None, np.bool_(True)])
def test_the_switch_refuses_anything_but_true_or_false(not_presenting, bad):
    with pytest.raises(TypeError, match="on must be True or False"):
        gdviz.presentation(bad)
    assert presentation.is_on() is False


def python(code, mode=None):
    """Run `code` in a fresh interpreter importing this gdviz, GDVIZ_PRESENTATION=mode (None: unset)."""
    environment = dict(os.environ)
    environment.pop(presentation.ENVIRONMENT_VARIABLE, None)
    if mode is not None:
        environment[presentation.ENVIRONMENT_VARIABLE] = mode
    here = str(Path(gdviz.__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join([here, environment.get("PYTHONPATH", "")])
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)


def test_the_environment_variable_turns_it_on_at_import():
    code = ("import gdviz; figure = gdviz.figures.walk_figure('bowl'); "
            "print(gdviz.presentation.is_on(), figure.layout.font.size, figure.layout.width)")
    done = python(code, "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", str(presentation.FONT_PX), "None"]


def test_off_by_default_and_with_the_variable_at_zero():
    code = ("import gdviz; figure = gdviz.figures.walk_figure('bowl'); "
            "print(gdviz.presentation.is_on(), figure.layout.font.size, figure.layout.width)")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "13", "880"]
    for mode in ("0", "", "off"):
        done = python("import gdviz; print(gdviz.presentation.is_on())", mode)
        assert done.stdout.split() == ["False"], (mode, done.stderr)


def test_a_bad_environment_value_is_named_in_the_error():
    done = python("import gdviz; gdviz.presentation.is_on()", "maybe")
    assert done.returncode != 0
    assert "GDVIZ_PRESENTATION must be 1" in done.stderr and "'maybe'" in done.stderr


def test_the_switch_needs_neither_plotly_nor_widgets():
    code = ("import sys, gdviz; gdviz.presentation(True); "
            "print(sorted(m for m in ('plotly', 'ipywidgets') if m in sys.modules))")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


class Kernel:
    """Stands in for a Jupyter kernel's shell: what `IPython.display` was asked to show, in order."""

    kernel = object()

    def __init__(self):
        self.shown = []


@pytest.fixture
def in_a_kernel(monkeypatch):
    import IPython
    import IPython.display

    shell = Kernel()
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(IPython.display, "display",
                        lambda obj, display_id=None: shell.shown.append(("display", display_id, obj.data)))
    monkeypatch.setattr(IPython.display, "update_display",
                        lambda obj, display_id=None: shell.shown.append(("update", display_id, obj.data)))
    return shell


def test_in_a_kernel_the_switch_brings_the_pages_style_and_takes_it_away(not_presenting, in_a_kernel):
    gdviz.presentation()
    gdviz.presentation(False)
    (shown, id_on, style), (updated, id_off, emptied) = in_a_kernel.shown
    assert (shown, updated) == ("display", "update") and id_on == id_off
    assert emptied == "" and style == presentation.PAGE_STYLE
    # The prose, tables and printed output are set at the lecture's size, from JupyterLab's variables.
    assert style.startswith("<style") and style.rstrip().endswith("</style>")
    for rule in (f"--jp-content-font-size1: {presentation.PROSE_PX}px",
                 f"--jp-code-font-size: {presentation.PROSE_PX}px", "table", ".jp-OutputArea-output pre"):
        assert rule in style
    assert presentation.PROSE_PX >= 20


def test_with_the_variable_set_the_first_reading_brings_the_style_once(in_a_kernel, monkeypatch):
    monkeypatch.setenv(presentation.ENVIRONMENT_VARIABLE, "1")
    mode = type(presentation)()  # a fresh switch, not yet read
    assert mode.is_on() and mode.is_on()
    assert [what for what, _, _ in in_a_kernel.shown] == ["display"]
    monkeypatch.setenv(presentation.ENVIRONMENT_VARIABLE, "0")
    assert type(presentation)().is_on() is False and len(in_a_kernel.shown) == 1


def test_with_the_variable_on_importing_gdviz_in_a_kernel_brings_the_style():
    # A notebook that draws nothing (the instructor's key) still gets its prose at lecture size.
    code = ("import IPython, IPython.display as shown; from types import SimpleNamespace; "
            "IPython.get_ipython = lambda: SimpleNamespace(kernel=1); "
            "shown.display = lambda obj, display_id: print('style' in obj.data, display_id); import gdviz")
    done = python(code, "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "gdviz-presentation-style"]
    assert python(code, "0").stdout == "" and python(code, "maybe").returncode == 0


def test_outside_a_kernel_the_switch_shows_nothing():
    code = ("import IPython, gdviz; gdviz.presentation(True); gdviz.presentation(False); print('quiet')")
    done = python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "quiet"


# ---------------------------------------------------------------- every builder, mode on


def test_every_public_builder_is_checked_here():
    public = {name for name in dir(figures) if name.endswith("_figure") and callable(getattr(figures, name))}
    assert public == set(BUILDERS), "add the new builder to BUILDERS so presentation mode is checked on it"


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_with_the_mode_on_every_text_is_large_and_dark_and_no_width_is_fixed(presenting, results, name):
    figure = BUILDERS[name](results)
    tree = figure.to_plotly_json()
    layouts = [tree["layout"]] + [frame.get("layout", {}) for frame in tree.get("frames", [])]
    assert all("width" not in layout for layout in layouts)
    assert tree["layout"].get("autosize") is True

    base = tree["layout"]["font"]
    assert base["size"] >= presentation.FONT_PX >= presentation.MIN_FONT_PX
    assert base["color"] == theme.PRESENTATION_INK == "#000000"
    found = list(fonts(tree))
    assert found, "the walk must see at least the base font"
    for path, font in found:
        for size in np.ravel(font.get("size", presentation.MIN_FONT_PX)):
            assert size >= presentation.MIN_FONT_PX, (path, font)
        if isinstance(font.get("color"), str):
            assert contrast_on_white(font["color"]) >= 4.5, (path, font)

    # Hover labels do not follow the base font in plotly (13 px): the size must be given.
    template = tree["layout"]["template"]["layout"]
    hover = tree["layout"].get("hoverlabel", {}).get("font", {}).get("size")
    hover = hover or template["hoverlabel"]["font"]["size"]
    assert hover >= presentation.MIN_FONT_PX
    # A figure's own title is larger than its text.
    if tree["layout"].get("title", {}).get("text"):
        title = tree["layout"]["title"].get("font", {}).get("size") or template["title"]["font"]["size"]
        assert title >= presentation.TITLE_FONT_PX > presentation.FONT_PX

    # Grid lines at 3:1 or more on white (WCAG's contrast for non-text), axis lines drawn in black.
    scene = template["scene"]
    for axis in (template["xaxis"], template["yaxis"], scene["xaxis"], scene["yaxis"], scene["zaxis"]):
        assert contrast_on_white(axis["gridcolor"]) >= 3.0
        assert contrast_on_white(axis["linecolor"]) >= 7.0
    assert template["xaxis"]["showline"] and template["yaxis"]["showline"]

    # A log axis labels whole decades only; where it spans too few for that, plotly's 2 and 5 labels
    # are drawn at 3/4 of the tick font, and that font is large enough for them.
    for key, axis in tree["layout"].items():
        if key.startswith(("xaxis", "yaxis")) and axis.get("type") == "log":
            if isinstance(axis["dtick"], str):
                assert axis["tickfont"]["size"] * theme.LOG_MINOR_TICK_SCALE >= presentation.MIN_FONT_PX, key
            else:
                assert axis["dtick"] >= 1, key  # whole decades, labelled at the tick font


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_mode_changes_the_look_never_the_traces_roles_or_palette(results, name):
    before = presentation.is_on()
    try:
        gdviz.presentation(False)
        notebook = json.loads(BUILDERS[name](results).to_json())
        gdviz.presentation(True)
        projected = json.loads(BUILDERS[name](results).to_json())
    finally:
        gdviz.presentation(before)
    assert without_fonts(projected["data"]) == without_fonts(notebook["data"])
    assert without_fonts(projected.get("frames")) == without_fonts(notebook.get("frames"))


def test_subplot_titles_and_small_annotations_are_lifted_and_the_heights_grow(presenting, results):
    figure = figures.walk_figure("bowl", results["bowl"])  # subplot titles, 16 px in plotly's default
    assert [a.font.size for a in figure.layout.annotations] == [presentation.MIN_FONT_PX] * 2
    assert figure.layout.height == round(380 * theme.PRESENTATION_HEIGHT_SCALE)
    sweep = figures.alpha_sweep_figure(results["sweep"])  # its 1/L and 2/L notes are 11 px off the mode
    assert {a.font.size for a in sweep.layout.annotations} == {presentation.MIN_FONT_PX}


def test_base_layout_gives_the_projector_look_and_finish_drops_a_width_set_later(presenting):
    layout = theme.base_layout("t", 300, 500)
    assert "width" not in layout and layout["autosize"] is True
    assert layout["height"] == round(300 * theme.PRESENTATION_HEIGHT_SCALE) > 300
    assert layout["font"] == theme.PRESENTATION_FONT
    figure = figures.loss_curve_figure(walk("bowl", max_steps=3))
    figure.update_layout(width=900, annotations=[{"text": "a note", "font": {"size": 9}}])
    assert theme.finish(figure).layout.width is None
    assert figure.layout.annotations[0].font.size == presentation.MIN_FONT_PX


def test_the_explorer_sensor_label_and_chads_map_label_are_readable(presenting):
    figure = figures.explorer_figure("ravine", walk("ravine", max_steps=5), resolution=20)
    sensor = figure.layout.template.layout.scene.annotationdefaults
    assert sensor.font.size >= presentation.MIN_FONT_PX
    assert sensor.bgcolor == figures.explorer.SENSOR_STYLE["bgcolor"]
    label = next(trace for trace in figure.data if trace.meta == "map_chad").textfont
    assert label.size >= presentation.MIN_FONT_PX and label.color == "#000000" and label.shadow == "auto"
    assert figure.layout.title.font.size == presentation.TITLE_FONT_PX


def test_the_explorer_app_runs_in_the_mode_and_keeps_its_large_text(presenting):
    from gdviz.apps import Explorer

    app = Explorer()
    # An app's figure gets a projector's width: in a widget box plotly.js would fall back to 700 px.
    assert app.figure.layout.width == PRESENTATION_WIDTH_PX
    assert app.figure.layout.font.size == presentation.FONT_PX
    app.alpha.value = 0.3
    app.landscape.value = "rosenbrock"
    chad = figures.style.trace(app.figure, "chad")
    assert (chad.x[0], chad.y[0]) == tuple(app.trajectory.w[-1])
    assert app.figure.layout.title.font.size == presentation.TITLE_FONT_PX
    assert app.figure.layout.template.layout.scene.annotationdefaults.font.size >= presentation.MIN_FONT_PX


# ---------------------------------------------------------------- mode off: the notebook look


@pytest.mark.parametrize("name", sorted(NOTEBOOK_WIDTHS))
def test_with_the_mode_off_figures_keep_their_font_and_width(not_presenting, results, name):
    figure = BUILDERS[name](results)
    assert figure.layout.font.size == theme.FONT["size"] == 13
    assert figure.layout.font.color == theme.INK
    assert figure.layout.width == NOTEBOOK_WIDTHS[name]
    assert figure.layout.autosize is None
    assert figure.layout.template.layout.xaxis.gridcolor == "#EBF0F8"  # plotly_white's


def test_with_the_mode_off_finish_changes_no_font_size_or_trace(not_presenting, results):
    figure = figures.walk_figure("bowl", results["bowl"])
    before = json.loads(figure.to_json())
    assert theme.finish(figure) is figure
    after = json.loads(figure.to_json())
    assert after["data"] == before["data"]
    assert [a.font.size for a in figure.layout.annotations] == [16, 16]
    assert figure.layout.height == 380 and figure.layout.width == before["layout"]["width"]
    assert list(figure.layout.modebar.remove) == list(theme.SEND_BUTTONS)
    layout = theme.base_layout("t", 300, 500)
    assert {key: value for key, value in layout.items() if key != "template"} == {
        "font": theme.FONT, "title": {"text": "t"}, "height": 300, "width": 500}
    template = layout["template"].layout
    assert template.xaxis.gridcolor == "#EBF0F8"  # plotly_white's, with the tick labels standing off
    assert template.xaxis.ticklabelstandoff == template.yaxis.ticklabelstandoff == theme.TICK_STANDOFF_PX


def test_is_pale_reads_the_colours_the_figures_use():
    assert theme.is_pale("white") and theme.is_pale("#EBF0F8") and theme.is_pale("rgba(255, 255, 255, 0.5)")
    assert not theme.is_pale(theme.INK) and not theme.is_pale("#000") and not theme.is_pale("rgb(0,0,0)")


# ---------------------------------------------------------------- laid out to be read, in both modes

def test_wrap_breaks_between_words_within_the_width():
    text = "Chad on the ravine: L(w) = ½ (w - c)ᵀ H (w - c), curvatures 0.5 and 10, turned 30°"
    wrapped = theme.wrap(text, 30)
    assert wrapped.replace("<br>", " ") == text
    assert all(len(line) <= 30 for line in wrapped.split("<br>")) and wrapped.count("<br>") >= 2
    assert theme.wrap("short", 30) == "short" and theme.wrap("unbreakable" * 5, 10) == "unbreakable" * 5


@pytest.mark.parametrize("presenting", [False, True])
def test_a_long_title_becomes_a_title_and_a_subtitle_that_fit(presenting):
    before = presentation.is_on()
    try:
        gdviz.presentation(presenting)
        long = "Chad on the ravine: L(w) = ½ (w - c)ᵀ H (w - c), curvatures 0.5 and 10, turned 30°, at length"
        figure = theme.finish(go.Figure(layout=theme.base_layout(long, 400, 700)))
        title = figure.layout.title
        assert title.text == "Chad on the ravine"
        assert (title.yref, title.y, title.yanchor) == ("container", 1, "top")
        (note,) = [note for note in figure.layout.annotations if note.name == theme.SUBTITLE]
        width = (700 if not presenting else theme.TITLE_WIDTH_PX) - 60
        lines = note.text.split("<br>")
        assert " ".join(lines) == long.partition(": ")[2]
        assert max(map(len, lines)) * theme.CHAR_WIDTH * note.font.size <= width
        # The top margin holds the title and the detail's lines.
        top = figure.layout.margin.t or 100  # plotly's default
        assert top >= 10 + 1.5 * (title.font.size or 18) + len(lines) * 1.35 * note.font.size
        short = theme.finish(go.Figure(layout=theme.base_layout("The race", 400, 700))).layout.title
        assert short.text == "The race" and not short.subtitle.text
    finally:
        gdviz.presentation(before)


@pytest.mark.parametrize(("top", "dtick"), [(1e6, 1), (1e20, 4), (50.0, "D2")])
def test_a_log_axis_labels_whole_decades_when_its_data_span_enough(top, dtick):
    figure = go.Figure([go.Scatter(x=[0, 1], y=[1.0, top]), go.Scatter(x=[0, 1], y=[2.0, 3.0], yaxis="y2")],
                       layout={"yaxis": {"type": "log"}, "yaxis2": {"type": "log", "dtick": 0.5}})
    figure = theme.finish(figure)
    assert figure.layout.yaxis.dtick == dtick
    assert (figure.layout.yaxis.minor.ticks == "outside") == (dtick != "D2")
    assert figure.layout.yaxis2.dtick == 0.5  # a builder's own choice stays
    labelled = np.log10(top) / dtick if dtick != "D2" else 0
    assert labelled <= theme.LOG_LABELS
