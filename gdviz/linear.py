"""A linear classifier: its scores, its predictions, its losses and their gradients.

The model scores every example x (a row of X) with a weight matrix W and a bias b,

    scores = X W + b          X: (n, d),  W: (d, k),  b: (k,),  scores: (n, k)

and predicts the class with the highest score. Two classes need only one score
per example, s = X w + b with w: (d,) and b a number, predicting class 1 when
s > 0, i.e. when sigmoid(s) > 1/2 (`gdviz.theory.sigmoid`). The bias trick
appends a column of ones to X so that b becomes the last row of W and the model
is the single product X W.

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

`LinearModelLoss` packs (W, b) into one flat vector so that every optimizer in
`gdviz.optimizers` can walk the loss; `gdviz.classifier` trains with it.
`decision_line` gives where a two-class model's line w·x + b = 0 crosses a box,
for the figures that draw it.
"""

from collections import namedtuple

import numpy as np

from . import _checks, theory
from .data import labelled

__all__ = ["BINARY_LOSSES", "LOSSES", "LinearModelLoss", "LossGradient", "accuracy", "add_bias_column",
           "binary_hinge_loss", "binary_loss_terms", "decision_line", "log_loss", "normal_arrow", "predict",
           "scores", "softmax_cross_entropy_loss", "squared_error_loss", "svm_loss"]

LossGradient = namedtuple("LossGradient", ["value", "grad_W", "grad_b"])
LossGradient.__doc__ = "A loss value with its gradients: `value, grad_W, grad_b = svm_loss(...)`."


# --- scoring and accuracy ---------------------------------------------------------------------

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


# --- the two-class decision line w·x + b = 0, where a figure draws it ------------------------

def decision_line(w, b, box):
    """Where the line w1 x1 + w2 x2 + b = 0 crosses the box ((x1 min, x1 max), (x2 min, x2 max)).

    Returns ([x1, x1'], [x2, x2']), the two ends of the visible segment, or
    ([], []) when w = 0 (no line) or the line misses the box.
    """
    w1, w2 = _checks.point("w", w)
    b = _checks.real("b", b)
    (x1_low, x1_high), (x2_low, x2_high) = box
    ends = []
    if w2 != 0:
        for x1 in (x1_low, x1_high):
            ends.append((x1, -(w1 * x1 + b) / w2))
    if w1 != 0:
        for x2 in (x2_low, x2_high):
            ends.append((-(w2 * x2 + b) / w1, x2))
    slack = 1e-9 * (1 + max(abs(x1_high - x1_low), abs(x2_high - x2_low)))  # rounding at the corners
    inside = [(x1, x2) for x1, x2 in ends
              if x1_low - slack <= x1 <= x1_high + slack and x2_low - slack <= x2 <= x2_high + slack]
    if len(inside) < 2:
        return [], []
    inside.sort()
    first, last = inside[0], inside[-1]
    return [first[0], last[0]], [first[1], last[1]]


def normal_arrow(w, b, box):
    """A short arrow along w from the middle of the decision line: the side scored positive."""
    xs, ys = decision_line(w, b, box)
    if not xs:
        return [], []
    w = np.asarray(w, dtype=float)
    middle = np.array([np.mean(xs), np.mean(ys)])
    length = 0.15 * min(box[0][1] - box[0][0], box[1][1] - box[1][0])
    tip = middle + length * w / np.linalg.norm(w)
    return [middle[0], tip[0]], [middle[1], tip[1]]


# --- the per-example two-class losses, shared by everything below ------------------------------

BINARY_LOSSES = ("log_loss", "binary_hinge", "squared_error")


def binary_loss_terms(kind, s, y, delta=1.0, derivatives=1):
    """Per-example two-class loss of scores s against labels y in {0, 1}, and its derivatives in s.

    kind is a name in `BINARY_LOSSES`; with p = sigmoid(s) and t = 2y - 1,

        log_loss:       L = log(1 + e^s) - y s,    L' = p - y,             L'' = p (1 - p)
        binary_hinge:   L = max(0, delta - t s),   L' = -t where L > 0,    L'' = 0
        squared_error:  L = (p - y)^2,             L' = 2 (p - y) p (1 - p),
                        L'' = 2 [p (1 - p)]^2 + 2 (p - y) p (1 - p) (1 - 2p)

    elementwise over arrays s and y that broadcast together. Returns the tuple
    (L,), (L, L') or (L, L', L'') for derivatives = 0, 1 or 2. The hinge's
    derivative is taken as 0 exactly at its kink. These are the single copy of
    the two-class losses: the mean losses below and the (w, b) landscapes of
    `gdviz.classifier` are built on them.
    """
    _checks.choice("kind", kind, BINARY_LOSSES)
    delta = _checks.positive("delta", delta)
    if isinstance(derivatives, bool) or derivatives not in (0, 1, 2):
        raise ValueError(f"derivatives must be 0, 1 or 2, got {derivatives!r}")
    s, y = np.asarray(s, dtype=float), np.asarray(y, dtype=float)
    if kind == "log_loss":
        p = theory.sigmoid(s)
        terms = (_softplus(s) - y * s, p - y, p * (1 - p))
    elif kind == "binary_hinge":
        sign = 2.0 * y - 1.0
        margin = delta - sign * s
        active = margin > 0
        terms = (np.where(active, margin, 0.0), np.where(active, -sign, 0.0), np.zeros_like(margin))
    else:  # squared_error of sigmoid predictions
        p = theory.sigmoid(s)
        slope = p * (1 - p)
        terms = ((p - y) ** 2, 2 * (p - y) * slope,
                 2 * slope * slope + 2 * (p - y) * slope * (1 - 2 * p))
    return terms[: derivatives + 1]


def _binary_loss(kind, X, y, w, b, l2, delta):
    """Mean two-class loss and its gradients, on checked inputs."""
    s = X @ w + b
    value, slope = binary_loss_terms(kind, s, y, delta)
    n = len(y)
    return LossGradient(float(value.mean() + 0.5 * l2 * w @ w), X.T @ slope / n + l2 * w,
                        float(slope.mean()))


def _checked(X, y, W, b, l2, delta):
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
