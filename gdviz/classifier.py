"""A linear classifier, its losses and their gradients, trained by gdviz's own optimizers.

The model scores every example x (a row of X) with a weight matrix W and a bias b,

    scores = X W + b          X: (n, d),  W: (d, k),  b: (k,),  scores: (n, k)

and predicts the class with the highest score. Two classes need only one score
per example, s = X w + b with w: (d,) and b a number, predicting class 1 when
s > 0, i.e. when sigmoid(s) > 1/2. The bias trick appends a column of ones to X
so that b becomes the last row of W and the model is the single product X W.

A loss says how bad a choice of (W, b) is on the data. Conventions here:

- labels are the integers 0 .. k-1 (0 and 1 for two classes);
- a loss is the mean over the n examples of a per-example loss, plus an
  optional L2 penalty (l2 / 2) ||W||^2 on the weights (not on b; with the
  bias trick b sits inside W, so it is penalised too);
- every loss function returns `LossGradient(value, grad_W, grad_b)` with the
  analytic gradient, checked against finite differences in the tests.

Multi-class losses, on the scores S = X W + b (rows s_i, true class y_i):

    svm:            L_i = sum_{j != y_i} max(0, s_ij - s_iy_i + delta),   delta = 1
    cross_entropy:  L_i = -log softmax(s_i)_{y_i} = log sum_j exp(s_ij) - s_iy_i

Two-class forms, on the single score s_i = x_i . w + b, with p_i = sigmoid(s_i)
and t_i = 2 y_i - 1 in {-1, +1}:

    binary_hinge:   L_i = max(0, delta - t_i s_i)
    log_loss:       L_i = -y_i log p_i - (1 - y_i) log(1 - p_i) = log(1 + e^{s_i}) - y_i s_i
    squared_error:  L_i = (p_i - y_i)^2

Two classes are one special case of the other: with W = [0, w] and b = [0, b],
softmax cross-entropy is the log loss and the multi-class SVM is the binary
hinge (the tests check both).

About the post's companion scripts: they compute predictions p = sigmoid(X W)
and update W with the gradient X^T (p - y) / N, which is the gradient of the
mean log loss, yet they print the sum of squared errors sum (p - y)^2, a
different loss. `train` minimises the log loss and reports both, each under
its own name. Their SGD script also takes the minibatches in the same order
every epoch; `train` reshuffles them unless told `shuffle=False`.
"""

from collections import namedtuple
from dataclasses import dataclass

import numpy as np

from . import _checks, landscapes, optimizers
from .data import blobs, labelled
from .run import run

__all__ = ["LOSSES", "LinearModelLoss", "LossGradient", "TrainingResult", "accuracy",
           "add_bias_column", "binary_hinge_loss", "classifier_landscape", "default_landscape_data",
           "log_loss", "post_experiment", "predict", "scores", "sigmoid", "softmax_cross_entropy_loss",
           "sorted_landscape", "squared_error_loss", "svm_loss", "train"]

LossGradient = namedtuple("LossGradient", ["value", "grad_W", "grad_b"])
LossGradient.__doc__ = "A loss value with its gradients: `value, grad_W, grad_b = svm_loss(...)`."


# --- scoring, probabilities, accuracy ---------------------------------------------------------

def add_bias_column(X):
    """The bias trick: X with a column of ones appended, so X W + b = [X, 1] [W; b]."""
    X = np.asarray(X, dtype=float)
    X = X[:, None] if X.ndim == 1 else X
    return np.hstack([X, np.ones((len(X), 1))])


def scores(X, W, b=0.0, bias_trick=False):
    """Class scores X W + b: (n, k) for W of shape (d, k), (n,) for a weight vector W (d,).

    With `bias_trick=True`, W carries the bias as its last row (shape (d + 1, ...))
    and b must be left at 0.
    """
    X = np.asarray(X, dtype=float)
    X = X[:, None] if X.ndim == 1 else X
    W = np.asarray(W, dtype=float)
    if bias_trick:
        if np.any(np.asarray(b) != 0):
            raise ValueError("b must be 0 with bias_trick=True: the bias is the last row of W")
        X = add_bias_column(X)
    if W.ndim not in (1, 2) or W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} rows to match X of shape {X.shape}, got shape {W.shape}")
    return X @ W + b


def sigmoid(z):
    """1 / (1 + e^{-z}), computed without overflow for any z (large |z| saturates to 0 or 1)."""
    z = np.asarray(z, dtype=float)
    small = np.exp(-np.abs(z))  # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def _softplus(z):
    """log(1 + e^z) without overflow: max(z, 0) + log(1 + e^{-|z|})."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def predict(X, W, b=0.0):
    """Predicted labels: argmax of the scores, or (s > 0) for a weight vector W."""
    s = scores(X, W, b)
    return (s > 0).astype(int) if s.ndim == 1 else np.argmax(s, axis=1)


def accuracy(y, predicted):
    """The fraction of labels predicted right."""
    y, predicted = np.asarray(y), np.asarray(predicted)
    if y.shape != predicted.shape or y.size == 0:
        raise ValueError(f"y and predicted must be non-empty and of one shape, got {y.shape} "
                         f"and {predicted.shape}")
    return float(np.mean(y == predicted))


# --- the per-example two-class losses, shared by everything below ------------------------------

BINARY_LOSSES = ("log_loss", "binary_hinge", "squared_error")


def _binary_terms(kind, s, y, delta=1.0, derivatives=1):
    """Per-example loss of score s against label y in {0, 1}, and its derivatives in s.

    Returns (L, dL/ds) or, with derivatives=2, (L, dL/ds, d2L/ds2); derivatives=0
    gives (L,). The hinge's derivative is taken as 0 exactly at its kink.
    """
    if kind == "log_loss":
        p = sigmoid(s)
        terms = (_softplus(s) - y * s, p - y, p * (1 - p))
    elif kind == "binary_hinge":
        sign = 2.0 * y - 1.0
        margin = delta - sign * s
        active = margin > 0
        terms = (np.where(active, margin, 0.0), np.where(active, -sign, 0.0), np.zeros_like(margin))
    else:  # squared_error of sigmoid predictions
        p = sigmoid(s)
        slope = p * (1 - p)
        terms = ((p - y) ** 2, 2 * (p - y) * slope,
                 2 * slope * slope + 2 * (p - y) * slope * (1 - 2 * p))
    return terms[: derivatives + 1]


def _binary_loss(kind, X, y, w, b, l2, delta):
    """Mean two-class loss and its gradients, on checked inputs."""
    s = X @ w + b
    value, slope = _binary_terms(kind, s, y, delta)
    n = len(y)
    return LossGradient(float(value.mean() + 0.5 * l2 * w @ w), X.T @ slope / n + l2 * w,
                        float(slope.mean()))


def _checked(X, y, W, b, l2, delta, n_classes=None):
    """Validate a loss's arguments; return them cleaned (binary when W is 1-D)."""
    W = np.asarray(W, dtype=float)
    if W.ndim not in (1, 2) or (W.ndim == 2 and W.shape[1] < 2):
        raise ValueError(f"W must be a vector (d,) or a matrix (d, k) with k >= 2 classes, "
                         f"got shape {W.shape}")
    X, y = labelled(X, y, n_classes=2 if W.ndim == 1 else W.shape[1])
    if W.shape[0] != X.shape[1]:
        raise ValueError(f"W must have {X.shape[1]} rows to match X with {X.shape[1]} feature(s), "
                         f"got shape {W.shape}")
    if not np.all(np.isfinite(W)):
        raise ValueError("W must be finite")
    b = np.asarray(b, dtype=float)
    allowed = [()] if W.ndim == 1 else [(), (W.shape[1],)]
    if b.shape not in allowed or not np.all(np.isfinite(b)):
        raise ValueError(f"b must be a finite number{'' if W.ndim == 1 else f' or {W.shape[1]} of them'}, "
                         f"got {b.tolist()!r}")
    return X, y, W, b, _checks.non_negative("l2", l2), _checks.positive("delta", delta)


def log_loss(X, y, W, b=0.0, l2=0.0):
    """Binary logistic loss (cross-entropy of sigmoid probabilities) and its gradient.

        L = 1/n sum_i [log(1 + e^{s_i}) - y_i s_i] + l2/2 ||W||^2,   s = X W + b
        dL/dW = X^T (p - y) / n + l2 W,   dL/db = mean(p - y),   p = sigmoid(s)

    W is a weight vector (d,), b a number, labels 0 and 1. This is the
    gradient the post's script uses: X^T (p - y) / N.
    """
    X, y, W, b, l2, _ = _checked(X, y, W, b, l2, 1.0)
    _require_vector(W)
    return _binary_loss("log_loss", X, y, W, float(b), l2, 1.0)


def binary_hinge_loss(X, y, W, b=0.0, delta=1.0, l2=0.0):
    """Two-class SVM (hinge) loss on labels t = 2y - 1 in {-1, +1}, and its (sub)gradient.

        L = 1/n sum_i max(0, delta - t_i s_i) + l2/2 ||W||^2,   s = X W + b
        dL/dW = -1/n sum_{i: margin > 0} t_i x_i + l2 W,   dL/db = -1/n sum_{i: margin > 0} t_i

    W is a weight vector (d,), b a number, labels 0 and 1. At a kink
    (margin exactly 0) the subgradient chosen is 0.
    """
    X, y, W, b, l2, delta = _checked(X, y, W, b, l2, delta)
    _require_vector(W)
    return _binary_loss("binary_hinge", X, y, W, float(b), l2, delta)


def squared_error_loss(X, y, W, b=0.0, l2=0.0):
    """Mean squared error of sigmoid predictions, the quantity the post's script prints.

        L = 1/n sum_i (p_i - y_i)^2 + l2/2 ||W||^2,   p = sigmoid(X W + b)
        dL/dW = X^T [2 (p - y) p (1 - p)] / n + l2 W

    (The script prints the sum, n times the mean.) It is not convex in (W, b),
    and its gradient fades where sigmoid saturates, even on wrong answers.
    """
    X, y, W, b, l2, _ = _checked(X, y, W, b, l2, 1.0)
    _require_vector(W)
    return _binary_loss("squared_error", X, y, W, float(b), l2, 1.0)


def _require_vector(W):
    if W.ndim != 1:
        raise ValueError(f"W must be a weight vector of shape (d,) for a two-class loss, got shape {W.shape}")


# --- multi-class losses ------------------------------------------------------------------------

def _multiclass_loss(kind, X, y, W, b, l2, delta):
    """Mean multi-class loss and its gradients, on checked inputs."""
    S = X @ W + b
    n, rows = len(y), np.arange(len(y))
    if kind == "svm":
        margins = S - S[rows, y][:, None] + delta
        margins[rows, y] = 0.0  # the true class is not compared with itself
        active = margins > 0
        per_example = np.where(active, margins, 0.0).sum(axis=1)
        slope = active.astype(float)
        slope[rows, y] = -active.sum(axis=1)
    else:
        shifted = S - S.max(axis=1, keepdims=True)  # softmax is unchanged, exp cannot overflow
        log_norm = np.log(np.exp(shifted).sum(axis=1))
        per_example = log_norm - shifted[rows, y]
        slope = np.exp(shifted - log_norm[:, None])
        slope[rows, y] -= 1.0
    slope /= n
    return LossGradient(float(per_example.mean() + 0.5 * l2 * np.sum(W * W)), X.T @ slope + l2 * W,
                        slope.sum(axis=0))


def svm_loss(X, y, W, b=0.0, delta=1.0, l2=0.0):
    """Multi-class SVM (hinge) loss and its (sub)gradient.

        L = 1/n sum_i sum_{j != y_i} max(0, s_ij - s_iy_i + delta) + l2/2 ||W||^2,   S = X W + b
        dL/dS_ij = 1[margin_ij > 0] / n  (j != y_i),   dL/dS_iy_i = -(number of j with margin_ij > 0) / n
        dL/dW = X^T dL/dS + l2 W,   dL/db = column sums of dL/dS

    W has shape (d, k), b is a number or (k,); labels 0 .. k-1.
    """
    X, y, W, b, l2, delta = _checked(X, y, W, b, l2, delta)
    _require_matrix(W)
    return _multiclass_loss("svm", X, y, W, b, l2, delta)


def softmax_cross_entropy_loss(X, y, W, b=0.0, l2=0.0):
    """Softmax cross-entropy loss and its gradient.

        L = 1/n sum_i [log sum_j e^{s_ij} - s_iy_i] + l2/2 ||W||^2,   S = X W + b
        dL/dS = (softmax(S) - onehot(y)) / n,   dL/dW = X^T dL/dS + l2 W

    Scores are shifted by their row maximum first, so large scores do not overflow.
    """
    X, y, W, b, l2, _ = _checked(X, y, W, b, l2, 1.0)
    _require_matrix(W)
    return _multiclass_loss("cross_entropy", X, y, W, b, l2, 1.0)


def _require_matrix(W):
    if W.ndim != 2:
        raise ValueError(f"W must be a matrix of shape (d, k) for a multi-class loss, got shape {W.shape}")


LOSSES = {
    "svm": svm_loss,
    "cross_entropy": softmax_cross_entropy_loss,
    "binary_hinge": binary_hinge_loss,
    "log_loss": log_loss,
    "squared_error": squared_error_loss,
}


# --- the loss of a model as a function of one parameter vector, for the optimizers -------------

class LinearModelLoss:
    """The mean loss of a linear classifier on its data, as a function of one flat vector theta.

    It is shaped like a `Landscape` so that every optimizer in `gdviz.optimizers`
    walks on it unchanged: `loss(theta)`, `loss.grad(theta)`, `n_params`, and for
    `sgd` the minibatch versions `batch_loss(theta, indices)` and
    `batch_grad(theta, indices)` (same formula on the examples `indices`,
    penalty included, so a minibatch gradient is an unbiased estimate of the
    full one). Unlike a `Landscape` it evaluates one theta at a time.

    theta packs W (and b, unless the bias trick puts b inside W) in that order;
    `unpack(theta)` returns (W, b) with the bias always split off.
    """

    def __init__(self, X, y, loss="log_loss", bias_trick=False, l2=0.0, delta=1.0, n_classes=None):
        _checks.choice("loss", loss, list(LOSSES))
        self.binary = loss in BINARY_LOSSES
        if not self.binary and n_classes is None:
            n_classes = max(2, int(np.max(labelled(X, y)[1])) + 1)
        self.X, self.y = labelled(X, y, n_classes=2 if self.binary else n_classes)
        self.loss_name = loss
        self.bias_trick = bool(bias_trick)
        self.l2 = _checks.non_negative("l2", l2)
        self.delta = _checks.positive("delta", delta)
        self.n_classes = 2 if self.binary else n_classes
        self.name = f"{loss} of a linear classifier"
        self._design = add_bias_column(self.X) if self.bias_trick else self.X
        n_features = self._design.shape[1]
        self._shape = (n_features,) if self.binary else (n_features, self.n_classes)
        self._n_weights = int(np.prod(self._shape))
        n_biases = 0 if self.bias_trick else (1 if self.binary else self.n_classes)
        self.n_params = self._n_weights + n_biases

    has_data = True

    @property
    def data_size(self):
        return len(self.y)

    def _weights(self, theta):
        theta = np.asarray(theta, dtype=float)
        if theta.shape != (self.n_params,):
            raise ValueError(f"theta must have shape ({self.n_params},), got {theta.shape}")
        W = theta[: self._n_weights].reshape(self._shape)
        if self.bias_trick:
            return W, 0.0
        bias = theta[self._n_weights:]
        return W, float(bias[0]) if self.binary else bias

    def unpack(self, theta):
        """(W, b) from theta; with the bias trick, b is split off the last row of W."""
        W, b = self._weights(theta)
        if self.bias_trick:
            return W[:-1].copy(), (float(W[-1]) if self.binary else W[-1].copy())
        return W.copy(), b

    def pack(self, W, b):
        """theta from (W, b), the inverse of `unpack`."""
        W = np.asarray(W, dtype=float)
        if self.bias_trick:
            W = np.concatenate([W, np.reshape(b, (1,) + W.shape[1:])])
            return W.ravel()
        return np.concatenate([W.ravel(), np.ravel(b)])

    def _evaluate(self, theta, rows=slice(None)):
        W, b = self._weights(theta)
        X, y = self._design[rows], self.y[rows]
        if self.binary:
            return _binary_loss(self.loss_name, X, y, W, b, self.l2, self.delta)
        return _multiclass_loss(self.loss_name, X, y, W, b, self.l2, self.delta)

    def _flat_grad(self, result):
        if self.bias_trick:
            return result.grad_W.ravel()
        return np.concatenate([result.grad_W.ravel(), np.ravel(result.grad_b)])

    def __call__(self, theta):
        return self._evaluate(theta).value

    def grad(self, theta):
        return self._flat_grad(self._evaluate(theta))

    def batch_loss(self, theta, indices):
        return self._evaluate(theta, indices).value

    def batch_grad(self, theta, indices):
        return self._flat_grad(self._evaluate(theta, indices))

    def __repr__(self):
        return f"LinearModelLoss({self.loss_name!r}, {self.data_size} examples, {self.n_params} parameters)"


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

    The optimizer walks a `LinearModelLoss`; `gdviz.run` stops it after
    `epochs` epochs: one step per epoch for full-batch optimizers, ceil(n /
    batch_size) minibatch steps per epoch for `optimizer="sgd"` (batch_size
    default 32, reshuffled every epoch unless `shuffle=False`, seeded by `seed`).

    Parameters
    ----------
    loss : a name in `LOSSES`; two-class losses need labels 0 and 1.
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
    _checks.choice("optimizer", optimizer, optimizers.names())
    if optimizer == "sgd":
        batch_size = 32 if batch_size is None else batch_size
        hyperparameters.update(batch_size=batch_size, shuffle=shuffle, seed=seed)
    elif batch_size is not None:
        raise ValueError(f"batch_size is for optimizer='sgd'; {optimizer!r} uses all the data, got "
                         f"batch_size={batch_size!r}")
    if start is None:
        start = np.random.default_rng(seed).uniform(0.0, 1.0, objective.n_params)
    steps = optimizers.get(optimizer)(objective, start, alpha, **hyperparameters)
    steps_per_epoch = 1 if optimizer != "sgd" else -(-objective.data_size // batch_size)
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
    W, b = objective._weights(theta)
    p = sigmoid(objective._design @ W + b)
    return float(np.mean((p - objective.y) ** 2))


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
        delta 1: flat facets and kinks) or "squared_error" (of sigmoid
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
        return float(_binary_terms(kind, s, y[indices], 1.0, 0)[0].mean() + 0.5 * l2 * point[0] ** 2)

    def batch_grad(point, indices):
        s = point[0] * x[indices] + point[1]
        slope = _binary_terms(_LANDSCAPE_LOSSES[loss], s, y[indices], 1.0, 1)[1]
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
            terms = _binary_terms(kind, s, y, 1.0, derivatives)
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
