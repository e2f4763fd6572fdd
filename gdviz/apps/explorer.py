"""Chad's explorer: sliders around one live plotly figure of his walk.

    >>> from gdviz.apps import Explorer
    >>> app = Explorer("ravine", alpha=0.15)   # show it with display(app), or as a cell's last value
    >>> app.alpha.value = 0.19                 # what a student's drag does: Chad walks again

Everything the student sees is drawn in ONE `go.FigureWidget` (`app.figure`):
each FigureWidget ships plotly's whole JavaScript bundle to the browser, so
the bowl, the contour map, the loss curve and (for a classifier) the data
share it as subplots. What a control changes decides what is sent:

- landscape: everything, the surface included (the only time it travels);
- alpha, start, optimizer, its hyperparameters, max steps: a new walk, so
  the trail, Chad and the loss curve, in one update message (what
  `batch_update` would send, built directly and without what did not
  change: see `Explorer._send`);
- step (or play): Chad alone.

Callbacks never raise into the void: an error is shown in the status line
and its traceback in `app.error_log`, because notebook front-ends drop exceptions
raised in widget callbacks.
"""

import functools
import html
import traceback

import ipywidgets as widgets
import numpy as np
from plotly.basedatatypes import Undefined

from .. import _checks, landscapes, optimizers
from ..figures import explorer as pictures
from ..run import run
from ._base import FigureApp, QuietFigureWidget

__all__ = ["Explorer"]

# Step sizes that make each catalogue landscape tell its story at the first
# look: a smooth glide on the bowl, a zig-zag down the ravine, a slow crawl
# along Rosenbrock's banana valley.
DEFAULT_ALPHA = {"bowl": 0.1, "ravine": 0.15, "rosenbrock": 0.001, "himmelblau": 0.01,
                 "saddle": 0.1, "rastrigin": 0.002}
GRAD_BELOW = 1e-3  # Chad calls it converged when the slope under his feet is this flat
ALPHA_EXPONENTS = (-4.0, 1.0)  # the alpha slider spans 10^-4 .. 10^1


def _reported(method):
    """Run a callback; show any error in the app instead of losing it."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except Exception as error:  # shown to the user, not swallowed
            self._show_error(error)
    return wrapper


def default_alpha(landscape):
    """A learning rate that shows something on `landscape`.

    The catalogue's own choice; else 1 / (2L), with L the largest curvature:
    exact on a quadratic, otherwise the largest Hessian eigenvalue (by
    centred differences of the gradient) over a 9 x 9 grid of the domain, so
    the step is safe wherever Chad walks, not only at the start.
    """
    if landscape.name in DEFAULT_ALPHA:
        return DEFAULT_ALPHA[landscape.name]
    curvature = landscape.max_curvature
    if curvature is None:
        h = 1e-4
        X, Y, _ = landscape.mesh(9)
        curvature = 0.0
        for point in np.column_stack([X.ravel(), Y.ravel()]):
            hessian = np.array([(landscape.grad(point + h * e) - landscape.grad(point - h * e)) / (2 * h)
                                for e in np.eye(2)])
            curvature = max(curvature, float(np.max(np.abs(np.linalg.eigvalsh(0.5 * (hessian + hessian.T))))))
    if not np.isfinite(curvature) or curvature <= 0:
        return 0.01
    return float(np.clip(0.5 / curvature, 10 ** ALPHA_EXPONENTS[0], 10 ** ALPHA_EXPONENTS[1]))


def _hyperparameter_widget(name, default):
    """A control for one optimizer setting, chosen by its name and default's type."""
    style = {"description_width": "90px"}
    layout = widgets.Layout(width="320px")
    if isinstance(default, bool):
        return widgets.Checkbox(value=default, description=name, style=style, layout=layout)
    if name == "batch_size":
        return widgets.IntSlider(value=default, min=1, max=max(256, default), description="batch size",
                                 style=style, layout=layout)
    if isinstance(default, int):
        return widgets.IntSlider(value=default, min=0, max=max(100, 2 * default), description=name,
                                 style=style, layout=layout)
    if name.startswith("beta"):
        return widgets.FloatSlider(value=default, min=0.0, max=0.999, step=0.001, readout_format=".3f",
                                   description=name, style=style, layout=layout)
    if name == "eps":
        return widgets.FloatLogSlider(value=default, base=10, min=-12, max=-1, step=1, readout_format=".0e",
                                      description=name, style=style, layout=layout)
    return widgets.FloatSlider(value=default, min=0.0, max=max(5.0, 5 * default), step=0.05,
                               description=name, style=style, layout=layout)


def _flatten(tree, prefix=""):
    """{"marker": {"color": c}} -> {"marker.color": c}: the property paths plotly updates take."""
    flat = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _transport(value):
    """An array as it can travel: short ones as JSON lists (cheaper than a binary
    buffer and its bookkeeping), long ones as contiguous buffers, which the
    kernel's comm requires (a column such as mesh[:, 0] is a strided view)."""
    if isinstance(value, np.ndarray):
        return value.tolist() if value.size <= 8 else np.ascontiguousarray(value)
    return value


def _store(properties, path, value):
    """Put `value` at `path` ("x", "marker.color", "scene.annotations[0].x") in a figure's
    nested dict of properties; False if that value was there already, so it need not travel."""
    *parents, last = path.split(".")
    for name in parents:  # "annotations[0]" is item 0 of the list "annotations"
        name, _, index = name.partition("[")
        properties = properties.setdefault(name, [] if index else {})
        if index:
            position = int(index.rstrip("]"))
            properties.extend({} for _ in range(position + 1 - len(properties)))
            properties = properties[position]
    old = properties.get(last)
    if isinstance(old, np.ndarray) or isinstance(value, np.ndarray):
        unchanged = old is not None and np.shape(old) == np.shape(value) and np.array_equal(old, value)
    else:
        unchanged = last in properties and old == value
    properties[last] = value
    return not unchanged


def _two_decimals(value):
    """1.234 -> "1.23", and -0.0001 -> "0.00" rather than "-0.00"."""
    return f"{value:.2f}" if abs(value) >= 0.005 else "0.00"


def _on_grid(slider, value, low=None):
    """`value` moved onto the slider's grid of steps from its minimum (`low` if given).

    The page snaps a slider's value to that grid and sends the snapped value
    back, which would walk Chad a second time from a slightly different
    place; a value already on the grid stays as it is.
    """
    low = slider.min if low is None else low
    if isinstance(slider, widgets.FloatLogSlider):
        exponent = low + round((np.log10(value) - low) / slider.step) * slider.step
        return float(slider.base ** round(exponent, 10))
    return float(round(low + round((value - low) / slider.step) * slider.step, 10))


def _relevant(name, landscape):
    """SGD samples minibatches on data, and imitates them with noise elsewhere."""
    if name in ("batch_size", "shuffle"):
        return landscape.has_data
    if name == "noise":
        return not landscape.has_data
    return True


class Explorer(FigureApp):
    """Chad on a loss landscape, with sliders: the live 3D bowl, the map and the loss curve.

    Parameters
    ----------
    landscape : str or Landscape
        A catalogue name (`gdviz.landscapes.names()`) or your own `Landscape`,
        which joins the landscape dropdown.
    optimizer : str
        One of `gdviz.optimizers.names()`.
    alpha : float, optional
        The learning rate; by default one chosen for the landscape. Like every
        slider value it is put on the slider's grid (here steps of 10^0.02,
        under 5 %), because the page would snap it there anyway.
    start : (float, float), optional
        Chad's start, inside the landscape's domain; `landscape.start` by
        default. Put on the start sliders' grid (a power of ten near 1/500 of
        the domain).
    max_steps : int
        The step budget of a walk.
    loss_below : float, optional
        Also stop once the loss is at most this.
    resolution : int
        Mesh points per axis of the surface.
    **hyperparameters
        The optimizer's own settings, e.g. beta=0.5 for momentum.

    Attributes
    ----------
    landscape, optimizer, alpha, start_x, start_y, max_steps, step, play, reset :
        The controls (ipywidgets); `alpha` is a log-scale slider, `play`
        animates `step`. The chosen optimizer's own settings are in
        `hyperparameters` and are also attributes (`app.beta`).
    status : widgets.HTML
        What happened, in words ("converged to (0.00, 0.00) in 39 steps").
    error_log : widgets.Output
        The traceback of the last error in a callback, if any.
    figure : go.FigureWidget
        The one figure: bowl, contour map, loss curve and, for a classifier,
        its data (traces in the order of `gdviz.figures.explorer.PANEL`).
    trajectory : Trajectory
        Chad's current walk, from `gdviz.run`.
    error : Exception or None
        The last error raised in a callback, None after a successful update.
    """

    def __init__(self, landscape="bowl", optimizer="gradient_descent", alpha=None, start=None,
                 max_steps=100, loss_below=None, resolution=60, **hyperparameters):
        chosen = landscapes.get(landscape)
        self._given = {} if isinstance(landscape, str) else {chosen.name: chosen}
        _checks.choice("optimizer", optimizer, optimizers.names())
        alpha = default_alpha(chosen) if alpha is None else _checks.positive("alpha", alpha)
        start = chosen.start if start is None else self._inside("start", chosen, start)
        max_steps = _checks.count("max_steps", max_steps, minimum=1)
        self._loss_below = None if loss_below is None else _checks.real("loss_below", loss_below)
        self._resolution = _checks.count("resolution", resolution, minimum=2)
        self._max_steps_given = max_steps
        self._busy = False  # set while several controls change together: one redraw at the end
        self.error = None

        wide = {"style": {"description_width": "90px"}, "layout": widgets.Layout(width="340px")}
        self.landscape = widgets.Dropdown(options=self._landscape_names(), value=chosen.name,
                                          description="landscape", **wide)
        self.optimizer = widgets.Dropdown(options=optimizers.names(), value=optimizer,
                                          description="optimizer", **wide)
        low, high = ALPHA_EXPONENTS
        exponent = float(np.log10(alpha))
        self.alpha = widgets.FloatLogSlider(value=alpha, base=10, min=min(low, np.floor(exponent)),
                                            max=max(high, np.ceil(exponent)), step=0.02,
                                            readout_format=".3g", description="alpha", **wide)
        self.alpha.value = _on_grid(self.alpha, alpha)
        self.alpha_guide = widgets.HTML()
        self.start_x = widgets.FloatSlider(description="start w1", **wide)
        self.start_y = widgets.FloatSlider(description="start w2", **wide)
        self.max_steps = widgets.IntSlider(value=max_steps, min=1, max=max(500, max_steps),
                                           description="max steps", **wide)
        self.step = widgets.IntSlider(value=0, min=0, max=0, description="step", **wide)
        self.play = widgets.Play(value=0, min=0, max=0, interval=150, description="play Chad's walk")
        # The step slider is the link's source: when the page builds the link it
        # copies step into play, not play's 0 into step. Runs in the browser only.
        self._play_link = widgets.jslink((self.step, "value"), (self.play, "value"))
        self.reset = widgets.Button(description="reset", icon="undo", tooltip="start, alpha and settings "
                                    "back to the landscape's defaults")
        self.status = widgets.HTML()
        self.error_log = widgets.Output()

        self._hyper = {name: {key: _hyperparameter_widget(key, default)
                              for key, default in optimizers.hyperparameters(name).items()}
                       for name in optimizers.names()}
        self._apply_hyperparameters(optimizer, hyperparameters)
        self.hyperparameter_box = widgets.VBox()

        self._landscape = chosen
        self._set_start_sliders(chosen, start)
        self._show_hyperparameters()
        self._frame = pictures.frame(chosen, self._resolution)
        self.trajectory = self._walk()
        last = len(self.trajectory) - 1
        self._set_step_range(last)
        self.figure = QuietFigureWidget(pictures.explorer_figure(self._frame, self.trajectory, step=last))
        self._index = {role: index for index, role in enumerate(pictures.PANEL)}
        for role in ("surface", "contour"):
            self.figure.data[self._index[role]].on_click(self._on_click)
        self._describe()

        for control in (self.alpha, self.start_x, self.start_y, self.max_steps):
            control.observe(self._on_walk_change, "value")
        for controls in self._hyper.values():
            for control in controls.values():
                control.observe(self._on_walk_change, "value")
        self.optimizer.observe(self._on_optimizer, "value")
        self.landscape.observe(self._on_landscape, "value")
        self.step.observe(self._on_step, "value")
        self.reset.on_click(self._on_reset)

        super().__init__(children=[
            widgets.HBox([self.landscape, self.optimizer, self.reset]),
            widgets.HBox([widgets.VBox([self.alpha, self.max_steps]),
                          widgets.VBox([self.start_x, self.start_y]), self.hyperparameter_box]),
            self.alpha_guide,
            widgets.HBox([self.play, self.step]),
            self.status, self.error_log, self.figure,
        ])

    # ------------------------------------------------------------------ public helpers

    @property
    def hyperparameters(self):
        """{name: widget} of the chosen optimizer's settings that apply on this landscape."""
        return {name: control for name, control in self._hyper[self.optimizer.value].items()
                if _relevant(name, self._landscape)}

    def __getattr__(self, name):
        # Only reached when normal lookup fails: app.beta etc. for the chosen optimizer.
        hyper, optimizer = self.__dict__.get("_hyper"), self.__dict__.get("optimizer")
        if hyper is not None and optimizer is not None and name in hyper[optimizer.value]:
            return hyper[optimizer.value][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------------ setting up controls

    def _landscape_names(self):
        return landscapes.names() + [name for name in self._given if name not in landscapes.names()]

    def _landscape_for(self, name):
        return self._given.get(name) or landscapes.get(name)

    @staticmethod
    def _inside(label, landscape, point):
        x, y = _checks.point(label, point)
        (xmin, xmax), (ymin, ymax) = landscape.domain
        if not (xmin <= x <= xmax and ymin <= y <= ymax):
            raise ValueError(f"{label} must lie in the {landscape.name} domain w1 in [{xmin:g}, {xmax:g}], "
                             f"w2 in [{ymin:g}, {ymax:g}]; got {tuple(point)!r}")
        return np.array([x, y])

    def _apply_hyperparameters(self, optimizer, values):
        controls = self._hyper[optimizer]
        for key, value in values.items():
            if key not in controls:
                allowed = ", ".join(controls) or "none"
                raise ValueError(f"{key}={value!r} is not a setting of {optimizer}; "
                                 f"its settings are: {allowed}")
            if isinstance(controls[key], widgets.Checkbox):
                if not isinstance(value, bool):
                    raise TypeError(f"{key} must be True or False, got {value!r}")
            else:
                value = _checks.real(key, value)
                if not controls[key].min <= value <= controls[key].max:
                    raise ValueError(f"{key} must be between {controls[key].min:g} and {controls[key].max:g} "
                                     f"here, got {value!r}")
            controls[key].value = value

    def _set_start_sliders(self, landscape, start):
        for slider, (low, high), value in zip((self.start_x, self.start_y), landscape.domain, start,
                                              strict=True):
            # Widen first, so no intermediate state has min > max or a value outside.
            slider.min, slider.max = min(low, slider.min), max(high, slider.max)
            slider.step = 10.0 ** np.floor(np.log10((high - low) / 500))
            slider.readout_format = f".{max(0, -int(np.log10(slider.step)))}f"
            slider.value = _on_grid(slider, value, low)
            slider.min, slider.max = low, high

    def _set_step_range(self, last):
        self.play.max = self.step.max = last
        self.step.value = last  # show where the walk ends; Play starts again from 0

    def _show_hyperparameters(self):
        self.hyperparameter_box.children = list(self.hyperparameters.values())
        batch = self._hyper["sgd"]["batch_size"]
        if self._landscape.has_data:
            batch.max = self._landscape.data_size
        curvature = self._landscape.max_curvature
        if curvature is None:
            self.alpha_guide.value = ""
        else:
            self.alpha_guide.value = (
                f"<small>quadratic, largest curvature L = {curvature:.3g}: for gradient descent, "
                f"alpha &lt; 1/L = {1 / curvature:.3g} glides in, up to 2/L = {2 / curvature:.3g} "
                f"zig-zags in, above 2/L diverges</small>")

    # ------------------------------------------------------------------ the walk and the picture

    def _walk(self):
        name = self.optimizer.value
        settings = {key: control.value for key, control in self.hyperparameters.items()}
        start = (self.start_x.value, self.start_y.value)
        steps = optimizers.get(name)(self._landscape, start, self.alpha.value, **settings)
        return run(steps, max_steps=self.max_steps.value, grad_below=GRAD_BELOW, loss_below=self._loss_below)

    def _send(self, data, layout=None):
        """Every change to the figure goes through here, as ONE plotly update message.

        `data` is {role: {property: value}} and `layout` {property path: value},
        as the figures module makes them. This is what `figure.plotly_update`
        does, done directly, and leaner in two ways:

        - no checks: plotly would check every property path of every trace
          again (it did when the figure was built from these same roles), which
          costs more kernel time than the rest of a slider change;
        - a value equal to the one the figure holds stays out of the message.
        """
        figure = self.figure
        roles, changes = [], {}  # changes: {property: {position in roles: value}}
        for role, properties in data.items():
            trace = figure._data[self._index[role]]
            changed = False
            for key, value in _flatten(properties).items():
                value = _transport(value)
                if _store(trace, key, value):
                    changes.setdefault(key, {})[len(roles)] = value
                    changed = True
            if changed:
                roles.append(role)
        restyle = {key: [values.get(position, Undefined) for position in range(len(roles))]
                   for key, values in changes.items()}
        relayout = {}
        for key, value in _flatten(layout or {}).items():
            value = _transport(value)
            if _store(figure._layout, key, value):
                relayout[key] = value
        if restyle or relayout:
            self._post(restyle, relayout, [self._index[role] for role in roles])

    def _post(self, restyle, relayout, trace_indexes):
        """Send one Plotly.update to the page, as `FigureWidget._send_update_msg` would.

        Plotly numbers its edits and sends each counter as a message of its
        own before the update; held together, the counters ride in the update
        message itself. The update is then cleared, so the next one is a change
        even if it is equal, as plotly does.
        """
        figure = self.figure
        with figure.hold_sync():
            figure._last_trace_edit_id += 1
            figure._last_layout_edit_id += 1
            figure._trace_edit_in_process = figure._layout_edit_in_process = True
            figure._py2js_update = {
                "style_data": restyle, "layout_data": relayout, "style_traces": trace_indexes,
                "trace_edit_id": figure._last_trace_edit_id, "layout_edit_id": figure._last_layout_edit_id,
                "source_view_id": None}
        figure._py2js_update = None

    def _chad(self, step):
        """Chad's trace data and his sensor's label, as (data, layout).

        Only the label's position and text travel; its style stays in the page.
        """
        note = pictures.sensor_note(self._frame, self.trajectory, step)
        label = {f"scene.annotations[0].{key}": value for key, value in note.items()}
        return pictures.chad_update(self._frame, self.trajectory, step), label

    def _redraw_walk(self, landscape_changed=False):
        """A new walk: trail, Chad and loss curve (and the landscape itself if it changed)."""
        self.trajectory = self._walk()
        last = len(self.trajectory) - 1
        self._busy = True
        try:
            self._set_step_range(last)
        finally:
            self._busy = False
        chad, sensor = self._chad(last)
        data = {**pictures.path_update(self.trajectory), **chad}
        if landscape_changed:
            data.update(pictures.landscape_data(self._frame))
            layout = pictures.explorer_layout(self._frame, self.trajectory)
        else:
            _, curve_y = pictures.curve_axes(self.trajectory)
            layout = {"yaxis2.type": curve_y["type"]}
        self._send(data, {**layout, **sensor})
        self._describe()

    def _describe(self):
        """The status line: what happened to Chad, in words."""
        trajectory, landscape = self.trajectory, self._landscape
        steps = trajectory.n_updates
        count = f"{steps} step{'' if steps == 1 else 's'}"
        (x, y), loss = trajectory.w[-1], trajectory.loss[-1]
        where = f"({_two_decimals(x)}, {_two_decimals(y)})"
        reason = trajectory.stop_reason
        if reason == "grad_below":
            text = f"converged to {where} in {count}: the slope there is below {GRAD_BELOW:g}"
        elif reason == "loss_below":
            text = f"stopped: loss below {self._loss_below:g} after {count}, at {where}"
        elif reason == "no_improvement":
            text = f"stopped: the loss stopped improving after {count}, at {where}"
        elif reason == "diverged":
            curvature = landscape.max_curvature
            if (curvature is not None and self.optimizer.value == "gradient_descent"
                    and self.alpha.value > 2 / curvature):
                text = (f"diverged after {count}: alpha is above 2/L = {2 / curvature:.3g}, so every step "
                        f"overshoots further than the last")
            else:
                text = f"diverged after {count}: the steps grew without bound; try a smaller alpha"
        else:
            text = (f"walked all {count} without converging; Chad stands at {where}, "
                    f"his sensor reads {loss:.3g}")
        if trajectory.note:
            text += f". {trajectory.note}"
        colour = "#b00020" if reason == "diverged" else "#1b5e20" if reason == "grad_below" else "#333"
        self.status.value = f'<span style="color: {colour}">{html.escape(text)}</span>'
        self.error = None
        self.error_log.outputs = ()

    def _show_error(self, error):
        self.error = error
        self.status.value = (f'<span style="color: #b00020">Error: {html.escape(type(error).__name__)}: '
                             f'{html.escape(str(error))}</span>')
        self.error_log.outputs = ({"output_type": "stream", "name": "stderr",
                             "text": "".join(traceback.format_exception(error))},)

    # ------------------------------------------------------------------ callbacks

    @_reported
    def _on_walk_change(self, change):
        if not self._busy:
            self._redraw_walk()

    @_reported
    def _on_optimizer(self, change):
        self._show_hyperparameters()
        self._redraw_walk()

    @_reported
    def _on_landscape(self, change):
        landscape = self._landscape_for(change["new"])
        self._landscape = landscape
        self._frame = pictures.frame(landscape, self._resolution)
        self._busy = True
        try:
            self._set_start_sliders(landscape, landscape.start)
            self.alpha.value = _on_grid(self.alpha, default_alpha(landscape))
            self._show_hyperparameters()
        finally:
            self._busy = False
        self._redraw_walk(landscape_changed=True)

    @_reported
    def _on_step(self, change):
        if self._busy:
            return
        step = min(int(change["new"]), len(self.trajectory) - 1)
        chad, sensor = self._chad(step)
        self._send(chad, sensor)

    @_reported
    def _on_click(self, trace, points, state):
        if not points.xs:  # plotly asks every trace; only the clicked one has points
            return
        self._busy = True
        try:
            for slider, value in ((self.start_x, points.xs[0]), (self.start_y, points.ys[0])):
                slider.value = _on_grid(slider, float(np.clip(value, slider.min, slider.max)))
        finally:
            self._busy = False
        self._redraw_walk()

    @_reported
    def _on_reset(self, button=None):
        landscape = self._landscape
        self._busy = True
        try:
            self._set_start_sliders(landscape, landscape.start)
            self.alpha.value = _on_grid(self.alpha, default_alpha(landscape))
            self.max_steps.value = self._max_steps_given
            for name, default in optimizers.hyperparameters(self.optimizer.value).items():
                self._hyper[self.optimizer.value][name].value = default
        finally:
            self._busy = False
        self._redraw_walk()
