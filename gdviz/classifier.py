"""Training a linear classifier with gdviz's own optimizers, and the loss landscapes of its (w, b).

The model and its losses live in `gdviz.linear`; this module puts them to work:

- `train` walks a `linear.LinearModelLoss` with any optimizer of
  `gdviz.optimizers`, epoch by epoch, and returns a `TrainingResult`;
  `post_experiment` is the post's own two-class experiment on blobs.
- `classifier_landscape` is the loss of a 1-D two-class model s = w x + b as a
  `Landscape` over its two parameters (w, b), so Chad can walk it like any
  other bowl; its minimum is found exactly (hinge) or by Newton's method.

About the post's companion scripts: they compute predictions p = sigmoid(X W)
and update W with the gradient X^T (p - y) / N, which is the gradient of the
mean log loss, yet they print the sum of squared errors sum (p - y)^2, a
different loss. `train` minimises the log loss and reports both, each under
its own name. Their SGD script also takes the minibatches in the same order
every epoch; `train` reshuffles them unless told `shuffle=False`.
"""

from dataclasses import dataclass

import numpy as np

from . import _checks, landscapes, optimizers, theory
from .data import blobs, labelled
from .linear import LinearModelLoss, accuracy, binary_loss_terms, predict, squared_error_loss
from .run import run

__all__ = ["TrainingResult", "classifier_landscape", "default_landscape_data", "post_experiment",
           "sorted_landscape", "train"]


# --- training ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrainingResult:
    """What `train` returns.

    loss : (epochs + 1,) the loss being minimised, on all the data, at the start
        (index 0) and after each epoch.
    squared_error : (epochs + 1,) or None
        For two-class models, the mean squared error of sigmoid(scores) at the
        same moments: the post's printed loss (its script printed the sum, n
        times this). Not the loss whose gradient is followed unless `loss_name`
        is "squared_error".
    W, b : the final weights and bias (b split off W under the bias trick).
    accuracy : training accuracy of the final W, b.
    trajectory : the `Trajectory` of every optimizer step, in the flat parameters.
    stop_reason : from `gdviz.run`: "max_steps" when every epoch ran, "diverged" otherwise.
    X, y : the training data.
    note : what was minimised, and what was only monitored.
    """

    loss_name: str
    loss: np.ndarray
    squared_error: np.ndarray
    W: np.ndarray
    b: object
    accuracy: float
    trajectory: object
    stop_reason: str
    X: np.ndarray
    y: np.ndarray
    note: str = ""

    @property
    def epochs(self):
        """Epochs completed."""
        return len(self.loss) - 1


def train(X, y, loss="log_loss", optimizer="gradient_descent", alpha=0.01, epochs=100, batch_size=None,
          shuffle=True, seed=0, bias_trick=True, l2=0.0, start=None, verbose=False, **hyperparameters):
    """Train a linear classifier with one of `gdviz.optimizers`, epoch by epoch.

    The optimizer walks a `linear.LinearModelLoss`; `gdviz.run` stops it after
    `epochs` epochs: one step per epoch for full-batch optimizers, ceil(n /
    batch_size) minibatch steps per epoch (`theory.batches_per_epoch`) for
    `optimizer="sgd"` (batch_size default 32, reshuffled every epoch unless
    `shuffle=False`, seeded by `seed`).

    Parameters
    ----------
    loss : a name in `linear.LOSSES`; two-class losses need labels 0 and 1.
    start : initial flat parameters; default uniform in [0, 1) drawn with `seed`,
        like the post's script.
    verbose : bool or int
        Print a line per epoch (or every `verbose` epochs) as the run goes, the
        way a training script does.
    hyperparameters : passed on to the optimizer (e.g. beta for momentum).

    Divergence is a result: the run stops, `stop_reason` is "diverged" and the
    arrays hold the finite part.
    """
    objective = LinearModelLoss(X, y, loss, bias_trick=bias_trick, l2=l2)
    epochs = _checks.count("epochs", epochs, minimum=1)
    seed = _checks.count("seed", seed)
    _checks.choice("optimizer", optimizer, optimizers.names(hessian=False))  # the model has no Hessian
    if optimizer == "sgd":
        batch_size = 32 if batch_size is None else batch_size
        hyperparameters.update(batch_size=batch_size, shuffle=shuffle, seed=seed)
    elif batch_size is not None:
        raise ValueError(f"batch_size is for optimizer='sgd'; {optimizer!r} uses all the data, got "
                         f"batch_size={batch_size!r}")
    if start is None:
        start = np.random.default_rng(seed).uniform(0.0, 1.0, objective.n_params)
    steps = optimizers.get(optimizer)(objective, start, alpha, **hyperparameters)
    steps_per_epoch = 1 if optimizer != "sgd" else theory.batches_per_epoch(objective.data_size, batch_size)
    if verbose:
        every = 1 if verbose is True else _checks.count("verbose", verbose, minimum=1)
        steps = _printing(steps, objective, steps_per_epoch, every)
    trajectory = run(steps, max_steps=epochs * steps_per_epoch)

    at_epochs = trajectory.w[::steps_per_epoch]
    W, b = objective.unpack(trajectory.w[-1])
    squared = None
    if objective.binary:
        squared = np.array([_squared_error(objective, theta) for theta in at_epochs])
    note = (f"minimised: mean {loss}" + (f" + {l2:g}/2 ||W||^2" if l2 else "")
            + ("; squared_error is only monitored, as the post's script printed it"
               if objective.binary and loss != "squared_error" else ""))
    return TrainingResult(loss, trajectory.loss[::steps_per_epoch], squared, W, b,
                          accuracy(objective.y, predict(objective.X, W, b)), trajectory,
                          trajectory.stop_reason, objective.X, objective.y, note)


def _squared_error(objective, theta):
    """The post's monitored loss at theta: mean (sigmoid(X W + b) - y)^2, without any penalty."""
    W, b = objective.unpack(theta)
    return squared_error_loss(objective.X, objective.y, W, b).value


def _printing(steps, objective, steps_per_epoch, every):
    """Pass the steps through unchanged, printing a progress line at each chosen epoch's end."""
    for step in steps:
        epoch, within = divmod(step.t, steps_per_epoch)
        if step.t > 0 and within == 0 and epoch % every == 0:
            line = f"epoch {epoch}, {objective.loss_name} {step.loss:.6f}"
            if objective.binary and objective.loss_name != "squared_error":
                line += f", squared error {_squared_error(objective, step.w):.6f}"
            print(line)
        yield step


# The companion scripts' settings: (samples, cluster std, optimizer, batch size).
_POST = {
    "vanilla": (250, 1.05, "gradient_descent", None),
    "sgd": (400, 2.5, "sgd", 32),
}


def post_experiment(variant="vanilla", seed=0, shuffle=True, epochs=100, alpha=0.01, verbose=False):
    """The post's experiment: a two-class blobs problem trained with sigmoid and the log-loss gradient.

    "vanilla": 250 points in 2 features, cluster std 1.05, bias trick, full-batch
    gradient descent, 100 epochs, alpha 0.01. "sgd": 400 points, cluster std 2.5,
    minibatches of 32, reshuffled every epoch (pass `shuffle=False` for the
    post's fixed order). Data and the initial W both come from `seed`.
    """
    _checks.choice("variant", variant, list(_POST))
    n_samples, spread, optimizer, batch_size = _POST[variant]
    X, y = blobs(n_samples, centers=2, cluster_std=spread, seed=seed, n_features=2)
    if optimizer != "sgd" and not shuffle:
        raise ValueError("shuffle=False only matters for variant='sgd'")
    return train(X, y, loss="log_loss", optimizer=optimizer, alpha=alpha, epochs=epochs,
                 batch_size=batch_size, shuffle=shuffle, seed=seed, bias_trick=True, verbose=verbose)


# --- the loss landscape of a 1-D two-class model over its two parameters (w, b) ---------------

_LANDSCAPE_LOSSES = {"cross_entropy": "log_loss", "svm": "binary_hinge", "squared_error": "squared_error"}
_FORMULAS = {
    "cross_entropy": "mean[log(1 + e^s) - y s]",
    "svm": "mean max(0, 1 - t s), t = 2y - 1",
    "squared_error": "mean (σ(s) - y)²",
}
_CHUNK = 1 << 20  # scores computed at once when a mesh meets the data: bounds the memory used


def default_landscape_data():
    """Overlapping 1-D two-class data (60 points, centres -1 and +1, std 1, seed 0).

    The classes overlap on purpose: on separable data cross-entropy has no
    finite minimum (it keeps falling as w grows), so Chad would never arrive.
    """
    X, y = blobs(60, centers=[-1.0, 1.0], cluster_std=1.0, seed=0)
    return X[:, 0], y


def classifier_landscape(data=None, loss="cross_entropy", l2=0.0):
    """The loss of a 1-D two-class model s = w x + b as a `Landscape` over (w, b).

    Parameters
    ----------
    data : (x, y), optional
        Features x of shape (n,) (or (n, 1)) and labels y in {0, 1}, both
        classes present, at least two distinct x. Default:
        `default_landscape_data()`, which overlaps.
    loss : "cross_entropy" (log loss, a smooth bowl), "svm" (binary hinge with
        delta 1: tilted planes meeting at creases) or "squared_error" (of sigmoid
        predictions: not convex, with plateaus).
    l2 : float >= 0, penalty l2/2 w^2 on the weight (not the bias).

    The landscape has the analytic gradient, `data_size`, `batch_loss`,
    `batch_grad` for `optimizers.sgd`, and `data = (x, y)` for figures that draw
    the decision boundary x = -b / w. Its minimum is exact for "svm" (the
    lowest of the points where a piecewise linear-plus-quadratic function can
    bottom out) and found by Newton's method otherwise. With l2 = 0, separable
    data give cross-entropy and squared error no finite minimum (the loss keeps
    falling as w grows): then `minima` is empty and the formula says so.
    """
    x, y = _landscape_data(default_landscape_data() if data is None else data)
    _checks.choice("loss", loss, list(_LANDSCAPE_LOSSES))
    l2 = _checks.non_negative("l2", l2)
    value, gradient, hessian = _landscape_functions(_LANDSCAPE_LOSSES[loss], x, y, l2)

    if loss == "svm":
        minimum = _hinge_minimum(x, 2.0 * y - 1.0, l2, value, gradient)
    else:
        # Cross-entropy is convex, so Newton from the origin finds its minimum. Squared error
        # is not: Newton starts from the cross-entropy minimum, already close to its own.
        minimum = _newton(*_landscape_functions("log_loss", x, y, l2), np.zeros(2))
        if minimum is not None and loss == "squared_error":
            minimum = _newton(value, gradient, hessian, minimum)

    def batch_loss(point, indices):
        s = point[0] * x[indices] + point[1]
        kind = _LANDSCAPE_LOSSES[loss]
        return float(binary_loss_terms(kind, s, y[indices], 1.0, 0)[0].mean() + 0.5 * l2 * point[0] ** 2)

    def batch_grad(point, indices):
        s = point[0] * x[indices] + point[1]
        slope = binary_loss_terms(_LANDSCAPE_LOSSES[loss], s, y[indices], 1.0, 1)[1]
        return np.array([np.mean(slope * x[indices]) + l2 * point[0], np.mean(slope)])

    formula = _FORMULAS[loss] + (f" + {l2:g}/2 w²" if l2 else "") + ", s = w x + b"
    if minimum is None:
        formula += " (separable data: no finite minimum)"
        span = 6.0 / np.ptp(x)
        domain, minima, start = ((-span, span), (-6.0, 6.0)), [], (-0.5 * span, 3.0)
    else:
        span = max(2.0, 1.5 * float(np.max(np.abs(minimum))))
        w_min, b_min = minimum
        domain = ((w_min - span, w_min + span), (b_min - span, b_min + span))
        minima, start = [minimum], (w_min - 0.8 * span, b_min + 0.7 * span)
    return landscapes.Landscape(f"{loss} classifier", formula, value, gradient, domain, minima, start,
                                data_size=len(x), batch_loss=batch_loss, batch_grad=batch_grad,
                                data=(x, y))


def _landscape_functions(kind, x, y, l2):
    """Loss, gradient and Hessian of mean L_i(w x_i + b) + l2/2 w^2, vectorised over (w, b).

    The scores of a whole mesh against all the data are formed in chunks of
    about `_CHUNK` numbers, so a fine mesh on a large data set stays small in memory.
    """
    def means(w, b, derivatives):
        def chunk(w, b):
            s = w[:, None] * x + b[:, None]
            terms = binary_loss_terms(kind, s, y, 1.0, derivatives)
            out = [terms[0].mean(axis=1)]
            if derivatives >= 1:
                out += [(terms[1] * x).mean(axis=1), terms[1].mean(axis=1)]
            if derivatives == 2:
                out += [(terms[2] * x * x).mean(axis=1), (terms[2] * x).mean(axis=1), terms[2].mean(axis=1)]
            return out

        w, b = np.broadcast_arrays(np.asarray(w, dtype=float), np.asarray(b, dtype=float))
        flat_w, flat_b = w.ravel(), b.ravel()
        size = max(1, _CHUNK // len(x))
        parts = [chunk(flat_w[i:i + size], flat_b[i:i + size]) for i in range(0, max(flat_w.size, 1), size)]
        return [np.concatenate(column).reshape(w.shape) for column in zip(*parts, strict=True)]

    def value(w, b):
        return means(w, b, 0)[0] + 0.5 * l2 * np.asarray(w) ** 2

    def gradient(w, b):
        _, d_w, d_b = means(w, b, 1)
        return d_w + l2 * np.asarray(w), d_b

    def hessian(w, b):
        *_, xx, x1, ones = means(w, b, 2)
        return np.array([[xx + l2, x1], [x1, ones]])

    return value, gradient, hessian


def _landscape_data(pair):
    """Check (x, y) for a 1-D two-class landscape; return x (n,) float and y (n,) in {0, 1}."""
    try:
        features, labels = pair
    except (TypeError, ValueError):
        raise TypeError(f"data must be a pair (x, y), got {type(pair).__name__}") from None
    X, y = labelled(features, labels, n_classes=2)
    if X.shape[1] != 1:
        raise ValueError(f"data must have one feature (x of shape (n,) or (n, 1)), got {X.shape[1]}")
    x = X[:, 0]
    if np.unique(y).size < 2:
        raise ValueError("data must contain both classes 0 and 1 for a two-class landscape")
    if np.unique(x).size < 2:
        raise ValueError("data must have at least two distinct x values, else only w x + b is determined")
    return x, y.astype(float)


def _newton(value, gradient, hessian, start, max_iterations=100):
    """Damped Newton's method for a smooth minimum over (w, b); None when there is none to find.

    Each step solves H d = -g (the plain gradient direction where H is not
    positive definite) and is halved until the loss drops enough (Armijo). The
    walk ends when no step lowers the loss any more; it reports a minimum only
    if the gradient there vanishes and the Hessian is positive definite, so a
    loss that keeps falling towards infinity (separable data) gives None.
    """
    def f(point):
        return float(value(point[0], point[1]))

    point = np.asarray(start, dtype=float)
    for _ in range(max_iterations):
        grad = np.array(gradient(point[0], point[1]), dtype=float)
        matrix = hessian(point[0], point[1])
        direction = -grad
        if np.all(np.linalg.eigvalsh(matrix) > 1e-12):
            direction = -np.linalg.solve(matrix, grad)
        here, step = f(point), 1.0
        while f(point + step * direction) > here + 1e-4 * step * (grad @ direction) and step > 1e-12:
            step /= 2
        move = step * direction
        if step <= 1e-12 or not np.all(np.isfinite(point + move)):
            break  # nothing lowers the loss any more: converged to rounding
        point = point + move
        if np.linalg.norm(move) <= 1e-15 * (1 + np.linalg.norm(point)):
            break
    grad = np.array(gradient(point[0], point[1]), dtype=float)
    positive = np.all(np.linalg.eigvalsh(hessian(point[0], point[1])) > 1e-10)
    return point if np.linalg.norm(grad) < 1e-8 and positive else None


def _hinge_minimum(x, t, l2, value, gradient):
    """Exact minimum of mean max(0, 1 - t (w x + b)) + l2/2 w^2 over (w, b).

    Each hinge bends along the line w x_i + b = t_i. Between these lines the
    loss is linear plus l2/2 w^2, so a minimiser lies where two lines cross or,
    when l2 > 0, at the minimum of a quadratic along a stretch of one line
    (between its crossings with the others). Try all those points; keep the lowest.
    """
    lines = np.unique(np.column_stack([x, t]), axis=0)
    xs, cs = lines[:, 0], lines[:, 1]
    first, second = np.triu_indices(len(xs), k=1)
    crossing = xs[first] != xs[second]
    first, second = first[crossing], second[crossing]
    w_cross = (cs[first] - cs[second]) / (xs[first] - xs[second])
    candidates = [np.column_stack([w_cross, cs[first] - w_cross * xs[first]])]
    if l2 > 0:
        for x_j, c_j in lines:
            breaks = np.unique((cs - c_j)[xs != x_j] / (xs - x_j)[xs != x_j])
            low = np.concatenate([[-np.inf], breaks])
            high = np.concatenate([breaks, [np.inf]])
            inside = np.concatenate([[breaks[0] - 1.0], (breaks[:-1] + breaks[1:]) / 2, [breaks[-1] + 1.0]])
            # Along the line b = c_j - w x_j the loss is quadratic with curvature l2 on each stretch.
            d_w, d_b = gradient(inside, c_j - inside * x_j)
            best = np.clip(inside - (d_w - x_j * d_b) / l2, low, high)
            candidates.append(np.column_stack([best, c_j - best * x_j]))
    points = np.concatenate(candidates)
    return points[np.argmin(value(points[:, 0], points[:, 1]))]


def sorted_landscape(seed=0):
    """The cross-entropy (w, b) landscape of 60 one-feature examples sorted by class.

    Sorted data make the order of the minibatches matter: without shuffling,
    the first batches of every epoch hold only class 0 and the last only class 1.
    """
    X, y = blobs(60, centers=[-1.0, 1.0], cluster_std=1.0, seed=seed, shuffle=False)
    return classifier_landscape((X[:, 0], y))
