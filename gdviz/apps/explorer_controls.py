"""The Explorer's controls and words: its sliders, their grids, its default alpha, its status line.

Everything here is widgets (gdviz's own named sliders, `apps.controls`, and
ipywidgets' dropdowns and checkboxes) and text; `gdviz.apps.explorer` wires
it to the walk and the figure.
"""

import html

import ipywidgets as widgets
import numpy as np

from .. import _checks, optimizers, theory
from ..words import in_words, say
from . import controls as named
from ._base import RED
from ._words import stop_sentence

# What a screen reader announces for a setting's slider, beyond its short label.
SETTING_NAMES = {"beta": "momentum beta", "beta1": "first-moment decay beta1",
                 "beta2": "second-moment decay beta2", "eps": "epsilon, the divide-by-zero guard",
                 "batch_size": "batch size", "noise": "gradient noise", "nesterov": "Nesterov look-ahead",
                 "damping": "Newton's damping lambda", "shrink": "line search's shrink factor per try",
                 "c": "Armijo constant c, the share of the promised drop a step must deliver"}
# Settings picked from a list: their useful values span decades, and damping's include 0 (none).
SETTING_OPTIONS = {"damping": (0.0, 0.001, 0.01, 0.1, 1.0, 10.0, 100.0, 1000.0),
                   "c": (1e-06, 0.0001, 0.01, 0.1, 0.5, 0.9)}

# Step sizes that make each catalogue landscape tell its story at the first
# look: a smooth glide on the bowl, a zig-zag down the ravine, a slow crawl
# along Rosenbrock's banana valley.
DEFAULT_ALPHA = {"bowl": 0.1, "ravine": 0.15, "rosenbrock": 0.001, "himmelblau": 0.01,
                 "saddle": 0.1, "rastrigin": 0.002}
GRAD_BELOW = 1e-3  # Chad calls it converged when the slope under his feet is this flat
ALPHA_EXPONENTS = (-4.0, 1.0)  # the alpha slider spans 10^-4 .. 10^1
WIDE = {"description_width": "90px"}  # ipywidgets' style for the dropdowns' labels
GREEN, GREY = "#1b5e20", "#333"
CUSTOM = "custom"  # the landscape menu's entry for the formula box (`gdviz.landscapes.from_formula`)
DEFAULT_FORMULA = "x**2 + 3*y**2 + 2*sin(2*x)"  # a bowl with a ripple: a formula worth trying first


def default_alpha(landscape):
    """A learning rate that shows something on `landscape`.

    The catalogue's own choice; else 1 / (2L), with L the largest curvature
    (`theory.estimate_max_curvature`: exact on a quadratic, otherwise the
    largest |Hessian eigenvalue| over a 9 x 9 grid of the domain), so the
    step is safe wherever Chad walks, not only at the start. Clipped to the
    alpha slider's span; 0.01 when no curvature can be found.
    """
    if landscape.name in DEFAULT_ALPHA:
        return DEFAULT_ALPHA[landscape.name]
    with np.errstate(all="ignore"):  # a formula's gaps give NaN curvatures, which are skipped
        curvature = theory.estimate_max_curvature(landscape)
    if not np.isfinite(curvature) or curvature <= 0:
        return 0.01
    return float(np.clip(0.5 / curvature, 10 ** ALPHA_EXPONENTS[0], 10 ** ALPHA_EXPONENTS[1]))


def starting_alpha(landscape, optimizer):
    """The optimizer's own alpha where it has one (Newton's full step 1, a line search's first try 1),
    else the landscape's `default_alpha`."""
    own = optimizers.default_alpha(optimizer)
    return default_alpha(landscape) if own is None else own


def optimizer_names(landscape):
    """The optimizers the menu offers on `landscape`: Newton only where it knows its Hessian."""
    return optimizers.names(hessian=landscape.has_hessian)


def optimizer_options(landscape):
    """The optimizer menu's (label, value) pairs on `landscape`: words shown, identifiers kept.

    >>> from gdviz import landscapes
    >>> optimizer_options(landscapes.get("bowl"))[0]
    ('plain descent', 'gradient_descent')
    """
    return [(in_words(name), name) for name in optimizer_names(landscape)]


def alpha_slider(alpha, layout):
    """A log slider over 10^-4 .. 10^1 (wider if alpha is outside), steps of 10^0.02, alpha on its grid."""
    low, high = ALPHA_EXPONENTS
    exponent = float(np.log10(alpha))
    slider = named.FloatLogSlider(value=alpha, base=10, min=min(low, np.floor(exponent)),
                                  max=max(high, np.ceil(exponent)), step=0.02, readout_format=".3g",
                                  description="alpha", accessible_name="learning rate alpha", layout=layout)
    slider.value = slider.nearest(alpha)
    return slider


def set_start_sliders(sliders, landscape, start):
    """Fit the (w1, w2) start sliders to the landscape's domain and put `start` on their grid.

    The grid step is the power of ten nearest below 1/500 of each side of the domain.
    """
    for slider, (low, high), value in zip(sliders, landscape.domain, start, strict=True):
        # Widen first, so no state in between (here or in the page) has min > max or a value outside.
        slider.min, slider.max = min(low, slider.min), max(high, slider.max)
        slider.step = 10.0 ** np.floor(np.log10((high - low) / 500))
        slider.readout_format = f".{max(0, -int(np.log10(slider.step)))}f"
        slider.min, slider.max = low, high
        slider.value = slider.nearest(value)  # on the grid of steps from the new min


def formula_box(formula=None):
    """The "custom" landscape's text box, named for screen readers by its label, and its row, shown
    only when `formula` is given (the custom landscape is on show). Enter (or leaving it) sends it."""
    box = widgets.Text(value=DEFAULT_FORMULA if formula is None else formula,
                       description="your formula L(x, y)", continuous_update=False,
                       placeholder="in x and y, e.g. x**2 + 3*y**2; Enter draws it",
                       style={"description_width": "initial"}, layout=widgets.Layout(width="520px"))
    return box, widgets.HBox([box], layout=widgets.Layout(display="none" if formula is None else None))


def snapshot(app):
    """What `restore` needs to put an Explorer's landscape and controls back as they are now."""
    sliders = [(slider.min, slider.max, slider.step, slider.readout_format, slider.value)
               for slider in (app.start_x, app.start_y)]
    return (app._landscape, app._frame, app.landscape.value, app.optimizer.options, app.optimizer.value,
            app.alpha.value, app.formula_row.layout.display, sliders)


def restore(app, snapshot):
    """An Explorer's landscape and controls as `snapshot` saw them (call inside `app.quietly()`)."""
    (app._landscape, app._frame, landscape, options, optimizer, alpha, display, sliders) = snapshot
    app.landscape.value = landscape
    app.optimizer.options, app.optimizer.value = options, optimizer
    app._optimizer_shown = optimizer
    app.alpha.value, app.formula_row.layout.display = alpha, display
    for slider, (low, high, step, readout, value) in zip((app.start_x, app.start_y), sliders, strict=True):
        slider.min, slider.max = min(low, slider.min), max(high, slider.max)  # widen first, as below
        slider.step, slider.readout_format = step, readout
        slider.min, slider.max, slider.value = low, high, value
    app._show_hyperparameters()


def inside(label, landscape, point):
    """`point` as an array, checked to lie in the landscape's domain."""
    x, y = _checks.point(label, point)
    (xmin, xmax), (ymin, ymax) = landscape.domain
    if not (xmin <= x <= xmax and ymin <= y <= ymax):
        raise ValueError(f"{label} must lie in the {landscape.name} domain w1 in [{xmin:g}, {xmax:g}], "
                         f"w2 in [{ymin:g}, {ymax:g}]; got {tuple(point)!r}")
    return np.array([x, y])


def hyperparameter_widget(name, default):
    """A control for one optimizer setting, chosen by its name and its default's type."""
    layout = widgets.Layout(width="320px")
    if isinstance(default, bool):
        return widgets.Checkbox(value=default, description=SETTING_NAMES.get(name, name), layout=layout)
    common = {"description": name.replace("_", " "), "accessible_name": SETTING_NAMES.get(name, name),
              "layout": layout}
    if name in SETTING_OPTIONS:
        return named.SelectionSlider(SETTING_OPTIONS[name], value=default, **common)
    if name == "shrink":
        return named.FloatSlider(value=default, min=0.05, max=0.95, step=0.05, **common)
    if name == "batch_size":
        return named.IntSlider(value=default, min=1, max=max(256, default), **common)
    if isinstance(default, int):
        return named.IntSlider(value=default, min=0, max=max(100, 2 * default), **common)
    if name.startswith("beta"):
        return named.FloatSlider(value=default, min=0.0, max=0.999, step=0.001, readout_format=".3f",
                                 **common)
    if name == "eps":
        return named.FloatLogSlider(value=default, base=10, min=-12, max=-1, step=1, readout_format=".0e",
                                    **common)
    return named.FloatSlider(value=default, min=0.0, max=max(5.0, 5 * default), step=0.05, **common)


def set_hyperparameters(controls, optimizer, values):
    """Set an optimizer's controls to `values`, refusing unknown names and values off the sliders."""
    for key, value in values.items():
        if key not in controls:
            allowed = ", ".join(controls) or "none"
            raise ValueError(f"{key}={value!r} is not a setting of {optimizer}; its settings are: {allowed}")
        if isinstance(controls[key], widgets.Checkbox):
            if not isinstance(value, bool):
                raise TypeError(f"{key} must be True or False, got {value!r}")
        elif isinstance(controls[key], named.SelectionSlider):
            value = _checks.real(key, value)
            if value not in controls[key].options:
                allowed = ", ".join(f"{option:g}" for option in controls[key].options)
                raise ValueError(f"{key} must be one of {allowed} here, got {value!r}")
        else:
            value = _checks.real(key, value)
            low, high = controls[key].min, controls[key].max
            if isinstance(controls[key], named.FloatLogSlider):  # its min and max are exponents
                low, high = controls[key].base ** low, controls[key].base ** high
            if not low <= value <= high:
                raise ValueError(f"{key} must be between {low:g} and {high:g} here, got {value!r}")
        controls[key].value = value


def relevant(name, landscape):
    """Whether a setting applies here: SGD samples minibatches on data, and imitates them with noise
    elsewhere."""
    if name in ("batch_size", "shuffle"):
        return landscape.has_data
    if name == "noise":
        return not landscape.has_data
    return True


# --------------------------------------------------------------------------- words


def alpha_guide(landscape):
    """Where alpha's regimes change on a quadratic (`theory.rate_limits`: 1/L and 2/L); "" elsewhere."""
    curvature = landscape.max_curvature
    if curvature is None:
        return ""
    smooth, edge = theory.rate_limits(curvature)
    return (f"<small>quadratic, largest curvature L = {curvature:.3g}: for gradient descent, "
            f"alpha &lt; 1/L = {smooth:.3g} glides in, up to 2/L = {edge:.3g} "
            f"zig-zags in, above 2/L diverges</small>")


def status_html(trajectory, landscape, optimizer, alpha, conditions):
    """The status line: what happened to Chad and why, in words (`_words.stop_sentence`).

    Red when he diverged, green when he converged. `conditions` are those the
    walk was run with (`gdviz.run`'s keyword arguments).
    """
    text = stop_sentence(trajectory, **conditions)
    reason = trajectory.stop_reason
    if reason == "diverged":
        curvature = landscape.max_curvature
        edge = None if curvature is None else theory.rate_limits(curvature)[1]
        if edge is not None and optimizer == "gradient_descent" and alpha > edge:
            text += f"; alpha is above 2/L = {edge:.3g}, so every step overshoots further than the last"
        else:
            text += "; try a smaller alpha"
    text += _second_order_words(trajectory)
    if trajectory.note:
        text += f". {trajectory.note}"
    colour = RED if reason == "diverged" else GREEN if reason == "grad_below" else GREY
    return f'<span style="color: {colour}">{html.escape(say(text))}</span>'


def _second_order_words(trajectory):
    """What a line search cost per step; where Newton stopped on a flat spot that is no minimum."""
    state = trajectory.state
    if "losses_tried" in state:
        return f"; the line search read {state['losses_tried'].mean():.1f} trial losses per step"
    if "hessian" in state and trajectory.stop_reason == "grad_below":
        low, high = np.linalg.eigvalsh(state["hessian"][-1])
        if low <= 0:
            kind = "a hilltop" if high <= 0 else "a saddle point"
            return (f"; but the curvatures there are {low:.3g} and {high:.3g}, not both positive: this flat "
                    f"spot is {kind}, and Newton's step heads for any flat spot, not only for minima")
    return ""


def walk_label(optimizer, alpha, settings):
    """A walk's settings in words, as a pinned walk's label says them: "momentum, α = 0.05, β = 0.9"."""
    shown = [f"{in_words(key) if key not in _GREEK else _GREEK[key]} = {_setting(value)}"
             for key, value in settings.items()]
    return ", ".join([in_words(optimizer), f"α = {alpha:.3g}", *shown])


_GREEK = {"beta": "β", "beta1": "β1", "beta2": "β2", "eps": "ε", "damping": "λ"}


def _setting(value):
    return ("on" if value else "off") if isinstance(value, bool) else f"{value:.3g}"


def figure_html(landscape, pinned=None):
    """What the Explorer's figure shows, in words, for anyone who cannot see it."""
    surface = "your own loss surface" if landscape.name == CUSTOM else f"the {landscape.name} loss surface"
    text = (f"The figure: on the left, {surface} in 3D, L(w) = {landscape.formula}, "
            f"with Chad standing on it, his sensor reading above him and his trail; on the right, the same "
            f"landscape as a contour map seen from above, with the trail and his downhill arrow, and "
            f"below it his sensor reading at every step")
    if landscape.has_data:
        text += ", then the data his model classifies, with its decision boundary"
    if pinned:
        text += f"; faded and dashed, a walk pinned for comparison ({pinned}), with its own loss curve"
    return f"<small>{html.escape(text)}.</small>"
