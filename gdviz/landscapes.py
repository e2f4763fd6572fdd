"""Loss landscapes: functions of two parameters w = (w1, w2) that Chad can walk on.

A `Landscape` bundles a loss with its analytic gradient and what a figure or a
slider needs to know about it: the domain worth drawing, the known minima, a
sensible starting point and a formula for titles. Loss and gradient are
vectorised over points stacked in the last axis, so the same code evaluates one
point for an optimizer and a whole 200 x 200 mesh for a surface.

    >>> bowl = get("bowl")
    >>> float(bowl([1.0, 2.0]))
    5.0
    >>> bowl.grad([1.0, 2.0]).tolist()
    [2.0, 4.0]
"""

import numpy as np

from . import _checks
from ._geometry import rotation
from .formula import parse as parse_formula


class Landscape:
    """A loss over two parameters, with its analytic gradient.

    Parameters
    ----------
    name, formula : str
        A short identifier and a human formula for titles ("x^2 + y^2").
    loss : callable(x, y) -> z
        Elementwise on numpy arrays of equal shape.
    grad : callable(x, y) -> (dz/dx, dz/dy)
        The analytic partial derivatives, elementwise like `loss`.
    domain : ((xmin, xmax), (ymin, ymax))
        The rectangle worth drawing and offering to sliders.
    minima : sequence of (x, y)
        Known minimisers; empty when the loss has none (a saddle).
    start : (x, y)
        A default start from which descent has something to show.
    hessian : 2 x 2 array, optional
        The constant Hessian of a quadratic; gives `max_curvature`.
    hess : callable(x, y) -> (d2z/dx2, d2z/dxdy, d2z/dy2), optional
        The analytic second derivatives, elementwise like `loss`, for a landscape
        whose Hessian changes from point to point; `hessian_at` reads it (or the
        constant `hessian`). Second-order methods need one or the other.
    data_size, batch_loss, batch_grad : optional
        For losses that average over a data set (a classifier): the number of
        examples and callables `(w, indices) -> loss` / `-> grad` on a
        minibatch, which `optimizers.sgd` uses.
    data : (x, y), optional
        For the loss of a 1-D two-class model with parameters w = (weight, bias):
        features x of shape (n,) and labels y in {0, 1}. Figures draw the data
        and the decision boundary x = -bias / weight beside the bowl.

    A landscape is immutable: its attributes cannot be set and its arrays are
    read-only, so every result that holds one holds what it was made on.
    `replace(domain=...)` gives a changed copy.
    """

    def __init__(self, name, formula, loss, grad, domain, minima=(), start=None,
                 hessian=None, data_size=None, batch_loss=None, batch_grad=None, data=None, hess=None):
        (xmin, xmax), (ymin, ymax) = domain
        centre = [(xmin + xmax) / 2, (ymin + ymax) / 2]
        fields = {
            "name": name, "formula": formula, "_loss": loss, "_grad": grad,
            "domain": ((float(xmin), float(xmax)), (float(ymin), float(ymax))),
            "minima": _read_only(minima, (-1, 2)),
            "start": _read_only(centre if start is None else start),
            "hessian": None if hessian is None else _read_only(hessian), "_hess": hess,
            "data_size": data_size, "batch_loss": batch_loss, "batch_grad": batch_grad, "data": data,
        }
        for key, value in fields.items():
            object.__setattr__(self, key, value)

    def __setattr__(self, key, value):
        raise AttributeError(f"a Landscape cannot be changed (setting {key!r}): "
                             f"use landscape.replace({key}=...) for a changed copy")

    def __delattr__(self, key):
        raise AttributeError(f"a Landscape cannot be changed (deleting {key!r})")

    def replace(self, **changes):
        """A new Landscape like this one with some constructor arguments changed, e.g. `domain=...`.

        The arguments are those of `Landscape(...)`; `loss` and `grad` are the elementwise callables.
        """
        current = {"name": self.name, "formula": self.formula, "loss": self._loss, "grad": self._grad,
                   "domain": self.domain, "minima": self.minima, "start": self.start, "hessian": self.hessian,
                   "data_size": self.data_size, "batch_loss": self.batch_loss, "batch_grad": self.batch_grad,
                   "data": self.data, "hess": self._hess}
        unknown = set(changes) - set(current)
        if unknown:
            raise TypeError(f"replace() got unknown arguments {sorted(unknown)}; allowed: {sorted(current)}")
        return Landscape(**{**current, **changes})

    def __call__(self, w):
        """Loss at `w`, shape (..., 2) -> (...)."""
        w = np.asarray(w, dtype=float)
        return self._loss(w[..., 0], w[..., 1])

    def grad(self, w):
        """Analytic gradient at `w`, shape (..., 2) -> (..., 2)."""
        w = np.asarray(w, dtype=float)
        if w.shape == (2,):  # one point, once per optimizer step: the short way
            return np.array(self._grad(w[0], w[1]), dtype=float)
        grad = np.empty(w.shape)
        grad[..., 0], grad[..., 1] = self._grad(w[..., 0], w[..., 1])
        return grad

    @property
    def has_hessian(self):
        """True when `hessian_at` can answer: the landscape knows its second derivatives."""
        return self._hess is not None or self.hessian is not None

    def hessian_at(self, w):
        """Analytic Hessian at `w`, shape (..., 2) -> (..., 2, 2): [[Lxx, Lxy], [Lxy, Lyy]].

        Its eigenvalues are the curvatures Chad feels at w, its eigenvectors the
        directions along which the slope changes without turning.
        """
        w = np.asarray(w, dtype=float)
        if self._hess is None:
            if self.hessian is None:
                raise ValueError(f"landscape {self.name!r} has no Hessian (it was made without hess or "
                                 "hessian): second-order methods need one")
            return np.broadcast_to(self.hessian, (*w.shape[:-1], 2, 2)).copy()
        xx, xy, yy = (np.broadcast_to(part, w.shape[:-1]) for part in self._hess(w[..., 0], w[..., 1]))
        return np.stack([np.stack([xx, xy], axis=-1), np.stack([xy, yy], axis=-1)], axis=-2).astype(float)

    @property
    def max_curvature(self):
        """Largest Hessian eigenvalue L of a quadratic, else None.

        On a quadratic, gradient descent with a fixed step alpha converges
        exactly when 0 < alpha < 2 / L and oscillates once alpha > 1 / L.
        """
        if self.hessian is None:
            return None
        return float(np.linalg.eigvalsh(self.hessian).max())

    @property
    def has_data(self):
        """True when the loss averages over examples, so SGD can sample them."""
        return self.batch_grad is not None

    def mesh(self, n=100):
        """Grid over the domain: `X, Y, Z`, each of shape (n, n), rows along y."""
        n = _checks.count("n", n, minimum=2)
        (xmin, xmax), (ymin, ymax) = self.domain
        X, Y = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n))
        return X, Y, self._loss(X, Y)

    def __repr__(self):
        return f"Landscape({self.name!r}: {self.formula})"


def _read_only(values, shape=None):
    """A read-only float copy of `values` (a copy, so the caller's own array stays writeable)."""
    array = np.array(values, dtype=float)
    array = array if shape is None else array.reshape(shape)
    array.flags.writeable = False
    return array


def quadratic(curvatures=(1.0, 10.0), angle=0.0, centre=(0.0, 0.0), name="quadratic",
              domain=None, start=None, formula=None):
    """The quadratic bowl L(w) = 1/2 (w - c)^T H (w - c).

    H = R diag(curvatures) R^T, where R rotates by `angle` degrees, so the
    curvatures are the Hessian's eigenvalues along the bowl's two axes and their
    ratio is the condition number that makes a ravine. Both must be > 0.
    """
    low, high = (_checks.positive("curvatures", value) for value in curvatures)
    turn = np.deg2rad(_checks.real("angle", angle))
    cx, cy = _checks.point("centre", centre)
    axes = rotation(turn)
    hessian = axes @ np.diag([low, high]) @ axes.T
    (a, b), (_, c) = hessian

    def loss(x, y):
        dx, dy = x - cx, y - cy
        return 0.5 * (a * dx * dx + 2 * b * dx * dy + c * dy * dy)

    def grad(x, y):
        dx, dy = x - cx, y - cy
        return a * dx + b * dy, b * dx + c * dy

    if domain is None:
        domain = ((cx - 3, cx + 3), (cy - 3, cy + 3))
    if start is None:
        start = (cx - 2.5, cy + 2.0)
    if formula is None:
        formula = f"½ (w - c)ᵀ H (w - c), curvatures {low:g} and {high:g}, turned {angle:g}°"
    def hess(x, y):  # the coefficients the gradient uses, so the matrix is exactly symmetric
        return a, b, c

    return Landscape(name, formula, loss, grad, domain, [(cx, cy)], start, hessian, hess=hess)


def _bowl():
    return quadratic((2.0, 2.0), name="bowl", start=(-2.0, 1.5), formula="w1² + w2²")


def _ravine():
    # Condition number 20, turned so neither axis lines up with the valley:
    # vanilla descent zig-zags across it, momentum and Adam show their worth.
    return quadratic((0.5, 10.0), angle=30.0, name="ravine", start=(-2.5, 2.0))


def _rosenbrock():
    # Squares as products, here and in himmelblau: `** 2` on a number calls pow, on an array
    # multiplies, which differ in the last bit; a product gives one point the loss it has
    # among many (`gdviz.run_batch` relies on it).
    def loss(x, y):
        across, along = 1 - x, y - x * x
        return across * across + 100 * (along * along)

    def grad(x, y):
        return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)

    def hess(x, y):
        return 2 - 400 * y + 1200 * x * x, -400 * x, 200.0

    return Landscape("rosenbrock", "(1 - w1)² + 100 (w2 - w1²)²", loss, grad,
                     ((-2.0, 2.0), (-1.0, 3.0)), [(1.0, 1.0)], (-1.5, 2.0), hess=hess)


def _himmelblau():
    def loss(x, y):
        first, second = x * x + y - 11, x + y * y - 7
        return first * first + second * second

    def grad(x, y):
        first, second = x * x + y - 11, x + y * y - 7
        return 4 * x * first + 2 * second, 2 * first + 4 * y * second

    def hess(x, y):
        first, second = x * x + y - 11, x + y * y - 7
        return 4 * first + 8 * x * x + 2, 4 * x + 4 * y, 4 * second + 8 * y * y + 2

    # The four minima (loss 0), found by Newton's method to machine precision.
    minima = [(3.0, 2.0),
              (-2.805118086952745, 3.131312518250573),
              (-3.779310253377747, -3.283185991286169),
              (3.5844283403304917, -1.8481265269644034)]
    return Landscape("himmelblau", "(w1² + w2 - 11)² + (w1 + w2² - 7)²", loss, grad,
                     ((-5.0, 5.0), (-5.0, 5.0)), minima, (-0.5, -0.5), hess=hess)


def _saddle():
    def loss(x, y):
        return x * x - y * y

    def grad(x, y):
        return 2 * x, -2 * y

    # Start a hair off the ridge: exactly on it, descent would slide to the
    # saddle point and stop, which is the lesson of a different notebook.
    def hess(x, y):  # the same everywhere; not `hessian`, which marks a bowl with a bottom
        return 2.0, 0.0, -2.0

    return Landscape("saddle", "w1² - w2²", loss, grad, ((-2.0, 2.0), (-2.0, 2.0)),
                     [], (-1.8, 0.05), hess=hess)


def _rastrigin():
    def loss(x, y):
        return 20 + x * x - 10 * np.cos(2 * np.pi * x) + y * y - 10 * np.cos(2 * np.pi * y)

    def grad(x, y):
        return (2 * x + 20 * np.pi * np.sin(2 * np.pi * x),
                2 * y + 20 * np.pi * np.sin(2 * np.pi * y))

    def hess(x, y):
        return 2 + 40 * np.pi**2 * np.cos(2 * np.pi * x), 0.0, 2 + 40 * np.pi**2 * np.cos(2 * np.pi * y)

    return Landscape("rastrigin", "20 + Σ (wᵢ² - 10 cos 2πwᵢ)", loss, grad,
                     ((-5.12, 5.12), (-5.12, 5.12)), [(0.0, 0.0)], (3.2, -2.7), hess=hess)


_CATALOGUE = {
    "bowl": _bowl,
    "ravine": _ravine,
    "rosenbrock": _rosenbrock,
    "himmelblau": _himmelblau,
    "saddle": _saddle,
    "rastrigin": _rastrigin,
}


def names():
    """Names accepted by `get`, in the order the course meets them."""
    return list(_CATALOGUE)


def get(name):
    """A fresh `Landscape` from the catalogue, or the one passed in unchanged."""
    if isinstance(name, Landscape):
        return name
    _checks.choice("landscape", name, names())
    return _CATALOGUE[name]()


def from_formula(text, domain=((-3, 3), (-3, 3)), start=None, name="custom"):
    """A `Landscape` from a formula typed as text, in x and y (or w1 and w2): "x**2 + 3*sin(y)".

    The text is read safely (`gdviz.formula.parse`: numbers, x, y, + - * / **, parentheses
    and sin cos tan exp log sqrt abs tanh; anything else is a ValueError naming it), and the
    gradient and Hessian are its exact derivatives, so every optimizer, Newton included, walks
    on it. Where the formula is undefined (log(x) for x < 0) the loss and its derivatives are
    NaN, which a surface draws as a gap. The landscape knows no minima; `formula` is the text
    as given (stripped). `start` must lie in `domain`; by default it is the first of a few
    points a fifth of the way in from the domain's corners (left-top first) where the loss and
    its gradient are finite, else the centre.
    """
    parsed = parse_formula(text)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {name!r} ({type(name).__name__})")
    wanted = (f"domain must be ((xmin, xmax), (ymin, ymax)) with finite xmin < xmax and ymin < ymax, "
              f"got {domain!r}")
    try:
        bounds = np.asarray(domain, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(wanted) from None
    if bounds.shape != (2, 2) or not np.all(np.isfinite(bounds)) or not np.all(bounds[:, 0] < bounds[:, 1]):
        raise ValueError(wanted)
    (xmin, xmax), (ymin, ymax) = bounds.tolist()
    if start is None:
        fifths = [(1, 4), (4, 4), (4, 1), (1, 1), (2.5, 2.5)]  # a fifth of the way in from each corner
        points = [(((5 - u) * xmin + u * xmax) / 5, ((5 - v) * ymin + v * ymax) / 5) for u, v in fifths]
        start = next((w for w in points if np.all(np.isfinite([parsed.loss(*w), *parsed.grad(*w)]))),
                     points[-1])
    else:
        start = _checks.point("start", start)
        if not (xmin <= start[0] <= xmax and ymin <= start[1] <= ymax):
            raise ValueError(f"start must lie inside the domain {((xmin, xmax), (ymin, ymax))}, "
                             f"got {start.tolist()}")
    return Landscape(name, parsed.text, parsed.loss, parsed.grad, ((xmin, xmax), (ymin, ymax)),
                     start=start, hess=parsed.hess)
