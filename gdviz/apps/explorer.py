"""Chad's explorer: sliders around one live plotly figure of his walk.

    >>> from gdviz.apps import Explorer
    >>> app = Explorer("ravine", alpha=0.15)   # show it with display(app), or as a cell's last value
    >>> app.alpha.value = 0.19                 # what a student's drag does: Chad walks again

Everything the student sees is drawn in ONE `go.FigureWidget` (`app.figure`):
each FigureWidget ships plotly's whole JavaScript bundle to the browser, so
the bowl, the contour map, the loss curve and (for a classifier) the data
share it as subplots. Every change goes out as ONE Plotly.update through
`_base.update_figure`, which finds each trace by its role (its `meta`, see
`gdviz.figures.style`) and sends only the values that changed. What a
control changes decides what that is:

- landscape: everything, the surface included (the only time it travels);
- alpha, start, optimizer, its hyperparameters, max steps: a new walk, so
  the trail, Chad and the loss curve;
- landscape or optimizer: also the optimizer menu (Newton is offered only on
  a landscape with a Hessian) and, into or out of an optimizer with its own
  alpha (Newton's full step, a line search's first try), the alpha slider;
- step (or play): Chad alone, and the step's update written out under the
  figure (`explorer_step`);
- pin: the pinned walk's own traces, empty until then (`figures.explorer_pinned`);
- a formula typed in the "custom" landscape's text box: the landscape, as above.

`app.state()` holds every setting as a JSON-safe dict, and `Explorer.from_state`,
`Explorer.preset` and `Explorer.from_link` (a page address's query string, in
Voila) rebuild the view from one (`explorer_state`).

Callbacks never raise into the void (`FigureApp.guarded`): an error is shown
in the status line and its traceback in `app.error_log`, because notebook
front-ends drop exceptions raised in widget callbacks.
"""

import html

import ipywidgets as widgets

from .. import _checks, landscapes, optimizers
from ..figures import explorer as pictures
from ..figures import explorer_data, explorer_pinned, style
from ..words import in_words
from . import controls as named
from . import explorer_controls as controls
from ._base import FigureApp, QuietFigureWidget, update_figure
from .explorer_compare import Comparing
from .explorer_controls import (
    CUSTOM,
    GRAD_BELOW,
    default_alpha,  # noqa: F401 (importable from here, as it always was)
    optimizer_names,
    starting_alpha,
)
from .explorer_sharing import Sharing
from .explorer_step import explain

__all__ = ["Explorer"]


class Explorer(Sharing, Comparing, FigureApp):
    """Chad on a loss landscape, with sliders: the live 3D bowl, the map and the loss curve.

    Parameters
    ----------
    landscape : str or Landscape
        A catalogue name (`gdviz.landscapes.names()`) or your own `Landscape`,
        which joins the landscape dropdown; one from `landscapes.from_formula`
        (named "custom") is the menu's "custom", its formula in the formula box.
    optimizer : str
        One of `gdviz.optimizers.names()`; "newton" only on a landscape with a Hessian.
    alpha : float, optional
        The learning rate; by default the optimizer's own (1 for Newton and the
        line search) or else one chosen for the landscape. Like every
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
    surface_contours : bool
        Also draw contour lines on the 3D surface and below it. Off by default:
        the map beside it has them, and on every move the page redraws them in
        3D, which measured about half of the time from a key press to Chad
        redrawn (tests/browser/test_latency_floor.py).
    **hyperparameters
        The optimizer's own settings, e.g. beta=0.5 for momentum.

    Attributes
    ----------
    landscape, optimizer, alpha, start_x, start_y, max_steps, step, play, reset :
        The controls: dropdowns and a button from ipywidgets, the sliders and
        Play from `apps.controls` (named for screen readers: "learning rate
        alpha", "Chad's start, w1", "play Chad's walk"); `alpha` is a
        log-scale slider, `play` animates `step`. The optimizer menu shows
        words ("plain descent") for its values (`gradient_descent`). The chosen
        optimizer's own settings are in `hyperparameters` and are also
        attributes (`app.beta`).
    formula : widgets.Text
        The "custom" landscape's formula in x and y, shown when "custom" is
        chosen; Enter draws it. A bad formula is refused in the status line and
        the last good surface stays.
    pin_button, share_button : widgets.Button
        Pin the walk on show for comparison (again: unpin it); show the line to
        paste and, in Voila, the link that opens this view (again: hide them).
    pinned : (Trajectory, dict) or None
        The pinned walk and its settings.
    explanation, shared : apps.controls.Status
        The step on show written out with its numbers (`explorer_step`); what
        the share button shows.
    status : apps.controls.Status
        What happened, in words ("converged to (0.00, 0.00) in 39 steps"); a
        live region, so a screen reader announces each new status.
    figure_description : apps.controls.Status
        What the figure shows, in words, just above it.
    error_log : widgets.Output
        The traceback of the last error in a callback, if any.
    figure : go.FigureWidget
        The one figure: bowl, contour map, loss curve and, for a classifier,
        its data; each trace's `meta` is its role (`gdviz.figures.style.trace(app.figure, "chad")`).
    trajectory : Trajectory
        Chad's current walk, from `gdviz.run`.
    error : Exception or None
        The last error raised in a callback, None after a successful update.
    """

    def __init__(self, landscape="bowl", optimizer="gradient_descent", alpha=None, start=None,
                 max_steps=100, loss_below=None, resolution=60, surface_contours=False, **hyperparameters):
        chosen = landscapes.get(landscape)
        self._custom = chosen if chosen.name == CUSTOM else None  # the last good formula's landscape
        self._given = {} if isinstance(landscape, str) or self._custom else {chosen.name: chosen}
        _checks.choice("optimizer", optimizer, optimizers.names())
        if optimizer not in optimizer_names(chosen):
            offered = ", ".join(map(repr, optimizer_names(chosen)))
            raise ValueError(f"optimizer {optimizer!r} needs the landscape's Hessian, and {chosen.name!r} "
                             f"has none; choose one of {offered}")
        alpha = starting_alpha(chosen, optimizer) if alpha is None else _checks.positive("alpha", alpha)
        start = chosen.start if start is None else controls.inside("start", chosen, start)
        max_steps = _checks.count("max_steps", max_steps, minimum=1)
        self._loss_below = None if loss_below is None else _checks.real("loss_below", loss_below)
        self._resolution = _checks.count("resolution", resolution, minimum=2)
        if not isinstance(surface_contours, bool):
            raise TypeError(f"surface_contours must be True or False, got {surface_contours!r}")
        self._surface_contours = surface_contours
        self._max_steps_given = max_steps

        wide = {"layout": widgets.Layout(width="340px")}
        self.landscape = widgets.Dropdown(options=self._landscape_names(), value=chosen.name,
                                          description="landscape", style=controls.WIDE, **wide)
        self.optimizer = widgets.Dropdown(options=controls.optimizer_options(chosen), value=optimizer,
                                          description="optimizer", style=controls.WIDE, **wide)
        self.formula, self.formula_row = controls.formula_box(chosen.formula if self._custom else None)
        self.alpha = controls.alpha_slider(alpha, wide["layout"])
        self.alpha_guide = widgets.HTML()
        self.start_x = named.FloatSlider(description="start w1", accessible_name="Chad's start, w1", **wide)
        self.start_y = named.FloatSlider(description="start w2", accessible_name="Chad's start, w2", **wide)
        self.max_steps = named.IntSlider(value=max_steps, min=1, max=max(500, max_steps),
                                         description="max steps", accessible_name="most steps Chad may take",
                                         **wide)
        self.step = named.IntSlider(value=0, min=0, max=0, description="step",
                                    accessible_name="step of Chad's walk shown", **wide)
        self.play = named.Play(value=0, min=0, max=0, interval=150, description="play Chad's walk",
                               pause_description="pause Chad's walk")
        # The step slider is the link's source: when the page builds the link it
        # copies step into play, not play's 0 into step. Runs in the browser only.
        self._play_link = widgets.jslink((self.step, "value"), (self.play, "value"))
        self.reset = widgets.Button(description="reset", icon="undo", tooltip="start, alpha and settings "
                                    "back to the landscape's defaults")
        self.pin_button, self.share_button = Comparing.pin_control(), Sharing.share_control()
        self.status = named.Status()
        self.figure_description, self.explanation, self.shared = (named.Status(live=False) for _ in range(3))
        self.error_log = widgets.Output()
        self.pinned, self._sharing, self._from_link = None, False, False

        self._landscape = chosen
        self._optimizer_shown = optimizer  # the optimizer of the walk on show, until the menu changes
        # An optimizer's setting controls are made when it is first chosen: each control is a
        # widget the page must load, and most students never try all seven optimizers.
        self._hyper = {}
        controls.set_hyperparameters(self._settings(optimizer), optimizer, hyperparameters)
        self.hyperparameter_box = widgets.VBox()

        controls.set_start_sliders((self.start_x, self.start_y), chosen, start)
        self._show_hyperparameters()
        self._frame = explorer_data.frame(chosen, self._resolution)
        self.trajectory = self.walk_with(self.walk_settings())
        self._set_step_range(len(self.trajectory) - 1)
        self.figure = QuietFigureWidget(pictures.explorer_figure(
            self._frame, self.trajectory, step=self.step.value, contours=self._surface_contours))
        for role in ("surface", "contour"):
            style.trace(self.figure, role).on_click(self.guarded(self._on_click))
        self._describe()

        self.on_change([self.alpha, self.start_x, self.start_y, self.max_steps], self._redraw_walk)
        self.on_change([self.optimizer], self._on_optimizer)
        self.on_change([self.landscape], self._on_landscape)
        self.on_change([self.step], self._on_step)
        self.on_change([self.formula], self._on_formula)
        for button, callback in ((self.reset, self._on_reset), (self.pin_button, self._on_pin),
                                 (self.share_button, self._on_share)):
            guarded = self.guarded(callback)
            button.on_click(lambda button, guarded=guarded: guarded())

        super().__init__(children=[
            widgets.HBox([self.landscape, self.optimizer, self.reset]),
            self.formula_row,
            widgets.HBox([widgets.VBox([self.alpha, self.max_steps]),
                          widgets.VBox([self.start_x, self.start_y]), self.hyperparameter_box]),
            self.alpha_guide,
            widgets.HBox([self.play, self.step, self.pin_button, self.share_button]),
            self.status, self.error_log, self.shared, self.figure_description, self.figure, self.explanation,
        ])

    # ------------------------------------------------------------------ public helpers

    @property
    def hyperparameters(self):
        """{name: widget} of the chosen optimizer's settings that apply on this landscape."""
        return {name: control for name, control in self._settings(self.optimizer.value).items()
                if controls.relevant(name, self._landscape)}

    def __getattr__(self, name):
        # Only reached when normal lookup fails: app.beta etc. for the chosen optimizer.
        hyper, optimizer = self.__dict__.get("_hyper"), self.__dict__.get("optimizer")
        if hyper is not None and optimizer is not None:
            if name in optimizers.hyperparameters(optimizer.value):
                return self._settings(optimizer.value)[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _settings(self, optimizer):
        """{setting: control} of `optimizer`, made (and wired to redraw the walk) on first use."""
        if optimizer not in self._hyper:
            made = {key: controls.hyperparameter_widget(key, default)
                    for key, default in optimizers.hyperparameters(optimizer).items()}
            self.on_change(made.values(), self._redraw_walk)
            self._hyper[optimizer] = made
            self._fit_batch_size()
        return self._hyper[optimizer]

    def _fit_batch_size(self):
        """SGD's batch-size slider spans the landscape's data, where there are data."""
        if self._landscape.has_data and "batch_size" in self._hyper.get("sgd", {}):
            self._hyper["sgd"]["batch_size"].max = self._landscape.data_size

    # ------------------------------------------------------------------ controls

    def _landscape_names(self):
        given = [name for name in self._given if name not in landscapes.names() and name != CUSTOM]
        return [*landscapes.names(), CUSTOM, *given]

    def _landscape_for(self, name):
        if name == CUSTOM:  # the last good formula, else the one in the box
            return self._custom or landscapes.from_formula(self.formula.value)
        return self._given.get(name) or landscapes.get(name)

    def _set_step_range(self, last):
        self.play.max = self.step.max = last
        self.step.value = last  # show where the walk ends; Play starts again from 0

    def _show_hyperparameters(self):
        self.hyperparameter_box.children = list(self.hyperparameters.values())
        self._fit_batch_size()
        self.alpha_guide.value = controls.alpha_guide(self._landscape)

    def _defaults(self, landscape):
        """Start and alpha back to the landscape's own (alpha: the optimizer's own, if it has one),
        with no redraw in between."""
        controls.set_start_sliders((self.start_x, self.start_y), landscape, landscape.start)
        self.alpha.value = self.alpha.nearest(starting_alpha(landscape, self.optimizer.value))

    # ------------------------------------------------------------------ the walk and the picture

    def _conditions(self):
        """The stop conditions of a walk, as `gdviz.run` takes them."""
        return {"max_steps": self.max_steps.value, "grad_below": GRAD_BELOW, "loss_below": self._loss_below}

    def _chad(self, step):
        """Chad's trace data, and the layout of his sensor label: where it points and its text.

        The label's style is in the figure's template (`figures.explorer.sensor_template`),
        so the annotation holds these four values only and is replaced whole.
        """
        label = {"scene.annotations": [explorer_data.sensor_note(self._frame, self.trajectory, step)]}
        return explorer_data.chad_update(self._frame, self.trajectory, step), label

    def _redraw_walk(self, landscape_changed=False):
        """A new walk: trail, Chad and loss curve (and the landscape itself if it changed, which
        also unpins a pinned walk: it walked elsewhere)."""
        self.trajectory = self.walk_with(self.walk_settings())
        last = len(self.trajectory) - 1
        with self.quietly():
            self._set_step_range(last)
        data, layout = self._chad(last)
        data.update(explorer_data.path_update(self.trajectory))
        if landscape_changed:  # the only time the surface travels
            data.update(explorer_data.landscape_data(self._frame, self._surface_contours))
            data.update(explorer_pinned.empty_pinned())
            self._unpinned()
            layout.update(pictures.explorer_layout(self._frame, self.trajectory))
        else:
            layout.update(self._curve_type())
        update_figure(self.figure, data=data, layout=layout)
        self._describe()

    def _describe(self):
        self.figure_description.value = controls.figure_html(self._landscape, self._pinned_label())
        self.say(controls.status_html(self.trajectory, self._landscape, self.optimizer.value,
                                      self.alpha.value, self._conditions()))
        self._explain()

    def _explain(self):
        """The step on show, written out (`explorer_step`); and the shared view, if shown, follows it."""
        settings, step = self.walk_settings(), min(self.step.value, len(self.trajectory) - 1)
        self.explanation.value = explain(self.trajectory, step, settings["optimizer"], settings["alpha"],
                                         settings["hyperparameters"], self._landscape)
        self._show_shared()

    # ------------------------------------------------------------------ callbacks (run guarded)

    def _on_optimizer(self):
        before, now = self._optimizer_shown, self.optimizer.value
        self._optimizer_shown = now
        with self.quietly():
            # An alpha is kept between optimizers that share its meaning, a learning rate; Newton's
            # full step and a line search's first try are on another scale, so theirs comes with them.
            if optimizers.default_alpha(before) is not None or optimizers.default_alpha(now) is not None:
                self.alpha.value = self.alpha.nearest(starting_alpha(self._landscape, now))
            self._show_hyperparameters()
        self._redraw_walk()

    def _on_landscape(self):
        try:
            landscape = self._landscape_for(self.landscape.value)
        except ValueError:  # the formula in the box is refused: back to the landscape on show
            with self.quietly():
                self.landscape.value = self._landscape.name
            raise
        self._show_landscape(landscape)

    def _show_landscape(self, landscape):
        """Everything for a new landscape, or, if anything fails on the way, the old one as it was."""
        before = controls.snapshot(self)
        try:
            self._landscape = landscape
            self._frame = explorer_data.frame(landscape, self._resolution)
            with self.quietly():
                offered = optimizer_names(landscape)
                dropped = self.optimizer.value not in offered  # Newton, on a landscape without a Hessian
                if dropped:
                    self.optimizer.value = "gradient_descent"
                self.optimizer.options = controls.optimizer_options(landscape)
                self._optimizer_shown = self.optimizer.value
                self.formula_row.layout.display = None if landscape.name == CUSTOM else "none"
                self._defaults(landscape)
                self._show_hyperparameters()
            self._redraw_walk(landscape_changed=True)
        except Exception:
            with self.quietly():
                controls.restore(self, before)
            raise
        if dropped:
            self.say(f"{self.status.value} <small>(Newton needs the landscape's Hessian, which "
                     f"{html.escape(landscape.name)} lacks: back to {in_words('gradient_descent')})</small>")

    def _on_formula(self):
        """A formula typed in the box: its landscape drawn, or its error said and the last good one kept."""
        landscape = landscapes.from_formula(self.formula.value)
        self._show_landscape(landscape)
        self._custom = landscape
        if self.landscape.value != CUSTOM:
            with self.quietly():
                self.landscape.value = CUSTOM

    def _on_step(self):
        data, layout = self._chad(min(self.step.value, len(self.trajectory) - 1))
        update_figure(self.figure, data=data, layout=layout)
        self._explain()

    def _on_click(self, trace, points, state):
        if not points.xs:  # plotly asks every trace; only the clicked one has points
            return
        with self.quietly():
            for slider, value in ((self.start_x, points.xs[0]), (self.start_y, points.ys[0])):
                slider.value = slider.nearest(value)
        self._redraw_walk()

    def _on_reset(self):
        with self.quietly():
            self._defaults(self._landscape)
            self.max_steps.value = self._max_steps_given
            for name, default in optimizers.hyperparameters(self.optimizer.value).items():
                self._settings(self.optimizer.value)[name].value = default
        self._redraw_walk()
