"""Turn a direction u around Chad (05): the curvature along it, and how his slope changes along it."""

import html

import ipywidgets as widgets
import numpy as np

from .. import _checks, experiments
from ..figures import curvature_figure
from ..figures.curvature import eigen_words
from . import controls as named
from ._lesson import LessonApp

__all__ = ["CURVATURE_CHOICES", "CurvatureDial"]

# The lesson's four landscapes, and one whose Hessian changes from point to point.
CURVATURE_CHOICES = (*experiments.CURVATURE_LANDSCAPES, "rosenbrock")
_PLACE_STEP = 0.05  # the grid of Chad's place; every landscape's centre lies on it
_ALONG_TOLERANCE = 0.5  # degrees: H u this close to ±u reads as "along u", an eigen-direction


class CurvatureDial(LessonApp):
    """Turn a direction u around Chad and read the curvature along it, uᵀ H u, and H u.

    The figure is `figures.curvature_figure` of `experiments.curvature_sweep`
    at Chad's place, with u drawn: the line through him along u, the arrow
    H u (how his gradient changes per unit step along u) and u's point on the
    curve. Turning u past an eigen-direction swings H u into line with u.
    The menu picks the landscape (`CURVATURE_CHOICES`, or the Landscape
    given); the two place sliders move Chad, which changes nothing on a
    quadratic and everything on Rosenbrock. Headless, set `app.angle.value`,
    `app.w1.value`, `app.w2.value` or `app.landscape.value`.
    """

    FIGURE = ("The figure: on the left, the contour map with Chad, the Hessian's two eigenvectors as white "
              "arrows as long as their curvatures (dashed where the ground curves down), the line through "
              "Chad along u (dotted) and the orange arrow H u, how his gradient changes per unit step along "
              "u; on the right, the curvature along u for every direction from 0 to 180 degrees, with "
              "Chad's three-reading measurements every 15 degrees, the eigen-directions as diamonds and u "
              "ringed.")

    def __init__(self, landscape="ravine", angle=0.0, point=None):
        chosen = experiments.curvature_landscape(landscape)
        self._landscapes = {name: name for name in CURVATURE_CHOICES}
        self._landscapes[chosen.name] = landscape if not isinstance(landscape, str) else chosen.name
        angle = _checks.real("angle", angle) % 180.0
        slider = {"continuous_update": True, "description_width": "120px",
                  "layout": widgets.Layout(width="430px")}
        self.landscape = widgets.Dropdown(options=list(self._landscapes), value=chosen.name,
                                          description="landscape", layout=widgets.Layout(width="320px"),
                                          style={"description_width": slider["description_width"]})
        self.angle = named.FloatSlider(min=0.0, max=180.0, step=1.0, readout_format=".0f",
                                       description="direction of u",
                                       accessible_name="direction of u, degrees from the w1 axis", **slider)
        self.angle.value = self.angle.nearest(angle)
        self.w1 = named.FloatSlider(step=_PLACE_STEP, description="Chad's w1",
                                    accessible_name="Chad's place, w1", **slider)
        self.w2 = named.FloatSlider(step=_PLACE_STEP, description="Chad's w2",
                                    accessible_name="Chad's place, w2", **slider)
        self._place(chosen, point)
        self._compute()
        super().__init__(widgets.VBox([self.landscape, self.angle, widgets.HBox([self.w1, self.w2])]))
        self.on_change([self.angle, self.w1, self.w2], self.update)
        self.on_change([self.landscape], self._new_landscape)

    @property
    def current_landscape(self):
        return experiments.curvature_landscape(self._landscapes[self.landscape.value])

    @property
    def point(self):
        return np.array([self.w1.value, self.w2.value])

    def _place(self, landscape, point=None):
        """Set the place sliders to the landscape's domain and Chad to `point` (its centre by default)."""
        point = experiments.landscape_centre(landscape) if point is None else _checks.point("point", point)
        (xmin, xmax), (ymin, ymax) = landscape.domain
        with self.quietly():
            for slider, low, high, value in ((self.w1, xmin, xmax, point[0]),
                                             (self.w2, ymin, ymax, point[1])):
                # Widen first, then narrow: a slider refuses a min above its max at every assignment.
                slider.min, slider.max = min(low, slider.min), max(high, slider.max)
                slider.min, slider.max = low, high
                slider.value = slider.nearest(value)

    def _new_landscape(self):
        self._place(self.current_landscape)
        self.update()

    def _compute(self):
        """The sweep at Chad's place; u and H u are read from it."""
        self.sweep = experiments.curvature_sweep(self.current_landscape, self.point)
        self.unit = self.sweep.direction_at(self.angle.value)
        self.change = self.sweep.change_at(self.angle.value)
        self.reading = experiments.slice_curvature(self.sweep.landscape, self.sweep.point, self.unit,
                                                   h=self.sweep.h)

    def _picture(self):
        return curvature_figure(self.sweep, angle=self.angle.value)

    def _report(self):
        """The curvature along u, measured and from H, and whether H u turns away from u."""
        sweep, angle = self.sweep, self.angle.value
        curvature = sweep.along(angle)
        size = float(np.linalg.norm(self.change))
        head = (f"u at {angle:.0f}°: the curvature along u is uᵀHu = {curvature:.4g} (Chad's three readings: "
                f"{self.reading:.4g}). ")
        if size == 0:
            body = "H u = 0: the slope does not change along u at all. "
        else:
            across = self.change[1] * self.unit[0] - self.change[0] * self.unit[1]
            turn = float(np.degrees(np.arctan2(abs(across), self.change @ self.unit)))
            pointing = float(np.degrees(np.arctan2(self.change[1], self.change[0])) % 360.0)
            # A rounding crumb (1e-16 where cos 90° is not quite 0) reads as the 0 it is.
            parts = [0.0 if abs(part) < 1e-12 * size else part for part in self.change]
            vector = f"H u = ({parts[0]:.3g}, {parts[1]:.3g})"
            if sweep.is_round:
                body = f"{vector} points along u, as for every u here: every direction is an eigenvector. "
            elif turn < _ALONG_TOLERANCE:
                body = (f"{vector} points along u: u is an eigenvector, and the slope grows without "
                        f"turning. Its eigenvalue is λ = {curvature:.4g}. ")
            elif turn > 180 - _ALONG_TOLERANCE:
                body = (f"{vector} points against u: u is an eigenvector along which the ground curves "
                        f"down, λ = {curvature:.4g}. ")
            else:
                body = (f"{vector} points at {pointing:.0f}°, {turn:.0f}° away from u: a step along u turns "
                        "the slope as well as changing its size. ")
        words = eigen_words(sweep)
        condition = sweep.condition_number
        tail = (f"Eigenvalues here: {words}; " + (f"condition number k = L/m = {condition:.4g}."
                                                  if condition is not None else "no condition number: the "
                                                  "ground curves down along one eigenvector."))
        self.say(html.escape(head + body + tail))
