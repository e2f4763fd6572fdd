"""Pin and compare: the Explorer keeps a walk drawn, faded, while its sliders change the live one.

`Comparing` is the part of `Explorer` that walks with given settings and pins a
walk. Pinning fills the pinned walk's traces, which the figure holds from the
start, empty (`gdviz.figures.explorer_pinned`): one Plotly.update, no surface.
Changing alpha afterwards sends the live walk alone, as before; a new
landscape unpins, since the pinned walk walked elsewhere.

    >>> app = Explorer("ravine", optimizer="momentum", alpha=0.05)
    >>> app.pin()                                  # or the pin button
    >>> app.optimizer.value = "gradient_descent"   # the live walk changes, the pinned one stays
"""

import ipywidgets as widgets

from .. import _checks, optimizers
from ..figures import explorer as pictures
from ..figures import explorer_pinned
from ..run import run
from ._base import axes_of, update_figure
from .explorer_controls import GRAD_BELOW, figure_html, walk_label
from .explorer_state import PINNED_KEYS, plain

__all__ = ["Comparing"]

PIN, UNPIN = "pin this walk", "unpin the pinned walk"


class Comparing:
    """Walks with given settings, and a pinned walk; mixed into `Explorer`, whose controls it reads."""

    @staticmethod
    def pin_control():
        """The pin button: named by its words, which say what a press does ("pin this walk").

        No icon: Font Awesome's glyph would join the name a screen reader reads.
        """
        return widgets.Button(description=PIN,
                              tooltip="keep this walk drawn, faded, to compare the next ones with")

    def walk_settings(self):
        """The live walk's settings, JSON-safe: optimizer, alpha, start, max_steps, hyperparameters."""
        return {"optimizer": self.optimizer.value, "alpha": float(self.alpha.value),
                "start": [float(self.start_x.value), float(self.start_y.value)],
                "max_steps": int(self.max_steps.value),
                "hyperparameters": {key: plain(control.value)
                                    for key, control in self.hyperparameters.items()}}

    def walk_with(self, settings):
        """A walk on the landscape on show with `settings` (as `walk_settings` gives them) and the
        app's stop conditions: a `gdviz.Trajectory`."""
        steps = optimizers.get(settings["optimizer"])(self._landscape, settings["start"], settings["alpha"],
                                                      **settings["hyperparameters"])
        return run(steps, max_steps=settings["max_steps"], grad_below=GRAD_BELOW, loss_below=self._loss_below)

    def pin(self, settings=None):
        """Keep a walk drawn, faded, with its own loss curve and a label of its settings.

        Parameters
        ----------
        settings : dict, optional
            The walk to pin: some of optimizer, alpha, start, max_steps and
            hyperparameters; what is left out is the live walk's (an optimizer
            of its own comes with its own defaults, and its own alpha if it has
            one, as Newton's full step). By default the live walk itself.
        """
        if settings is None:
            settings, trajectory = self.walk_settings(), self.trajectory
        else:
            settings = self._pinned_settings(settings)
            trajectory = self.walk_with(settings)
        label = f"pinned: {walk_label(settings['optimizer'], settings['alpha'], settings['hyperparameters'])}"
        self.pinned = (trajectory, settings)
        update_figure(self.figure, data=explorer_pinned.pinned_update(self._frame, trajectory, label),
                      layout=self._curve_type())
        self.pin_button.description = UNPIN
        self.figure_description.value = figure_html(self._landscape, self._pinned_label())
        self._show_shared()

    def unpin(self):
        """Clear the pinned walk from the figure (its traces stay, empty)."""
        self._unpinned()
        update_figure(self.figure, data=explorer_pinned.empty_pinned(), layout=self._curve_type())
        self.figure_description.value = figure_html(self._landscape)
        self._show_shared()

    def _unpinned(self):
        self.pinned = None
        self.pin_button.description = PIN

    def _on_pin(self):
        if self.pinned is None:
            self.pin()
        else:
            self.unpin()

    def _pinned_label(self):
        if self.pinned is None:
            return None
        settings = self.pinned[1]
        return walk_label(settings["optimizer"], settings["alpha"], settings["hyperparameters"])

    def _pinned_settings(self, given):
        """A pinned walk's settings: `given`, checked, completed by the live walk's."""
        if not isinstance(given, dict):
            raise TypeError(f"settings must be a dict of some of {', '.join(PINNED_KEYS)}, got {given!r}")
        unknown = sorted(map(str, set(given) - set(PINNED_KEYS)))
        if unknown:
            raise ValueError(f"a pinned walk's settings have unknown keys {unknown}; allowed: "
                             f"{', '.join(PINNED_KEYS)}")
        live = self.walk_settings()
        optimizer = given.get("optimizer", live["optimizer"])
        _checks.choice("optimizer", optimizer, optimizers.names())
        own = optimizer != live["optimizer"]
        if "alpha" in given:
            alpha = given["alpha"]
        else:  # an optimizer of its own brings its own alpha, if it has one
            alpha = optimizers.default_alpha(optimizer) if own else None
            alpha = live["alpha"] if alpha is None else alpha
        hyperparameters = given.get("hyperparameters", {} if own else live["hyperparameters"])
        allowed = optimizers.hyperparameters(optimizer)
        for key in hyperparameters:
            if key not in allowed:
                raise ValueError(f"{key}={hyperparameters[key]!r} is not a setting of {optimizer}; "
                                 f"its settings are: {', '.join(allowed) or 'none'}")
        return {"optimizer": optimizer, "alpha": _checks.positive("alpha", alpha),
                "start": _checks.point("start", given.get("start", live["start"])).tolist(),
                "max_steps": _checks.count("max_steps", given.get("max_steps", live["max_steps"]), minimum=1),
                "hyperparameters": dict(hyperparameters)}

    def _curve_type(self):
        """The loss axis's type, log or linear, as the live walk's losses and a pinned walk's fit."""
        pinned = None if self.pinned is None else self.pinned[0]
        return {f"{axes_of(self.figure, 'loss_curve')[1]}.type":
                pictures.curve_axes(self.trajectory, pinned)[1]["type"]}
