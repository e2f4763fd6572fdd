"""A small neural network in numpy: its loss over all its weights, and the gradient by backpropagation.

The model is a multilayer perceptron for two classes. With x an example's
features (a row), the layers l = 1 .. L compute

    h_0 = x
    z_l = h_{l-1} W_l^T + b_l,    h_l = f(z_l)      the hidden layers, l < L
    s   = h_{L-1} W_L^T + b_L,    p = sigmoid(s)     one score per example, and P(class 1)

W_l has one row per unit of layer l, holding that unit's incoming weights:
shape (n_l, n_{l-1}). f is tanh (smooth) or relu, max(z, 0). With no hidden
layer (`hidden=()`) the network is the linear classifier of `gdviz.linear`.
The loss is the mean log loss (binary cross-entropy) plus an optional L2
penalty on the weights, not on the biases:

    L(theta) = 1/n sum_i [log(1 + e^{s_i}) - y_i s_i] + l2/2 sum_l ||W_l||^2

Backpropagation gives its gradient, layer by layer from the output back, with
delta_l = dL/dz_l, one row per example:

    delta_L     = (p - y) / n
    dL/dW_l     = delta_l^T h_{l-1} + l2 W_l,     dL/db_l = sum over examples of delta_l
    delta_{l-1} = (delta_l W_l) * f'(z_{l-1}),    tanh' = 1 - h^2,  relu' = 1 where z > 0, else 0

theta is one flat vector: W_1 row by row, b_1, W_2, b_2, ..., W_L, b_L
(`Network.layers` and `Network.pack` go between the two). A `Network` is shaped
like `gdviz.linear.LinearModelLoss`: `n_params`, `net(theta)`, `net.grad(theta)`
and, for `optimizers.sgd`, `data_size`, `batch_loss`, `batch_grad`; so every
optimizer of `gdviz.optimizers` trains it, and `gdviz.run` stops it.
`Network.losses` and `Network.gradients` take many thetas at once (rows), the
engine of the slices through weight space in `gdviz.network_slices`, whose
names are importable from here too.

    >>> from gdviz import data
    >>> X, y = data.two_moons(40, noise=0.1, seed=0)
    >>> net = Network(X, y, hidden=(8, 8))
    >>> net.n_params, net.sizes
    (105, (2, 8, 8, 1))
"""

import functools
from dataclasses import dataclass

import numpy as np

from . import _checks, data, optimizers, theory
from .linear import accuracy
from .run import run

__all__ = ["ACTIVATIONS", "PRESETS", "Network", "Trained", "preset", "split", "train"]

ACTIVATIONS = ("tanh", "relu")
_CHUNK = 1 << 17  # numbers in one layer's activations at once when many thetas meet the data: stays in cache
# Multiply-adds in one matrix product at most: the examples go through in blocks this small. A bigger
# product is shared among BLAS's threads, and on a busy 2-core machine waiting for them cost up to 10
# times the work itself (a 48-unit network's training, measured); the losses and gradients are sums
# over examples, so blocks change nothing but the rounding.
_PRODUCT = 1 << 17


def _softplus(z):
    """log(1 + e^z) without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


class Network:
    """The mean loss of a two-class multilayer perceptron on its data, as a function of one flat theta.

    Parameters
    ----------
    X, y : the training data: features (n, d) and labels 0 and 1.
    hidden : the widths of the hidden layers, e.g. (16, 16); () for a linear classifier.
    activation : "tanh" or "relu", the hidden units' f.
    l2 : float >= 0, the penalty l2/2 sum ||W_l||^2 on the weights.
    """

    has_data = True

    def __init__(self, X, y, hidden=(16, 16), activation="tanh", l2=0.0):
        self.X, self.y = data.labelled(X, y, n_classes=2)
        try:
            widths = tuple(hidden)
        except TypeError:
            raise TypeError(f"hidden must be a list of layer widths like (16, 16), got {hidden!r}") from None
        self.hidden = tuple(_checks.count("hidden", width, minimum=1) for width in widths)
        self.activation = _checks.choice("activation", activation, ACTIVATIONS)
        self.l2 = _checks.non_negative("l2", l2)
        self.sizes = (self.X.shape[1], *self.hidden, 1)
        # Where each layer's W and b sit in theta: (start of W, its shape, start of b, end of b).
        self._slots, start = [], 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=True):
            bias = start + fan_out * fan_in
            self._slots.append((start, (fan_out, fan_in), bias, bias + fan_out))
            start = bias + fan_out
        self.n_params = start
        self.name = f"{'-'.join(map(str, self.sizes))} {self.activation} network"
        self._remembered = None  # (theta, loss) of the last `grad`, for the loss an optimizer reads next
        self._weights = (~self.bias_mask()).astype(float)  # 1 where theta holds a weight, 0 at a bias

    @property
    def data_size(self):
        return len(self.y)

    def __repr__(self):
        return f"Network({self.name!r}, {self.data_size} examples, {self.n_params} parameters)"

    # ------------------------------------------------------------ theta and the layers

    def _thetas(self, thetas, name="theta"):
        """Checked parameter vectors as a float array (P, n_params); one vector becomes P = 1."""
        array = np.asarray(thetas, dtype=float)
        if array.ndim not in (1, 2) or array.shape[-1] != self.n_params:
            raise ValueError(f"{name} must have {self.n_params} parameters (shape ({self.n_params},), or "
                             f"(P, {self.n_params}) for many), got shape {array.shape}")
        return array.reshape(-1, self.n_params)

    def _unpack(self, thetas):
        """[(W (P, n_l, n_{l-1}), b (P, n_l)) per layer], views into thetas (P, n_params)."""
        return [(thetas[:, w:bias].reshape(-1, *shape), thetas[:, bias:end])
                for w, shape, bias, end in self._slots]

    def layers(self, theta):
        """[(W_l, b_l), ...] of one theta: W_l of shape (n_l, n_{l-1}), one row per unit; copies."""
        return [(W[0].copy(), b[0].copy()) for W, b in self._unpack(self._thetas(theta))]

    def pack(self, layers):
        """theta from [(W_l, b_l), ...], the inverse of `layers`."""
        if len(layers) != len(self._slots):
            raise ValueError(f"layers must hold {len(self._slots)} (W, b) pairs, got {len(layers)}")
        parts = []
        for (W, b), (_, shape, _, _) in zip(layers, self._slots, strict=True):
            W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
            if W.shape != shape or b.shape != shape[:1]:
                raise ValueError(f"a layer must have W of shape {shape} and b of shape {shape[:1]}, "
                                 f"got {W.shape} and {b.shape}")
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    def weight_rows(self):
        """[(layer, slice of theta), ...]: where each unit's incoming weights (a row of W_l) sit in theta."""
        rows = []
        for layer, (w, (fan_out, fan_in), _, _) in enumerate(self._slots):
            rows += [(layer, slice(w + unit * fan_in, w + (unit + 1) * fan_in)) for unit in range(fan_out)]
        return rows

    def bias_mask(self):
        """(n_params,) True where theta holds a bias."""
        mask = np.zeros(self.n_params, dtype=bool)
        for _, _, bias, end in self._slots:
            mask[bias:end] = True
        return mask

    def initial(self, seed=0):
        """Seeded starting weights: W_l normal with standard deviation gain / sqrt(n_{l-1}), biases 0.

        gain is 1 for tanh (LeCun's choice) and sqrt(2) for relu (He's), so the
        units' inputs start with about the same spread in every layer.
        """
        rng = np.random.default_rng(_checks.count("seed", seed))
        gain = 1.0 if self.activation == "tanh" else np.sqrt(2.0)
        return self.pack([(rng.normal(0.0, gain / np.sqrt(shape[1]), shape), np.zeros(shape[0]))
                          for _, shape, _, _ in self._slots])

    # ------------------------------------------------------------ forward and backward, many thetas at once

    def _rows(self, indices):
        if indices is None:
            return self.X, self.y
        indices = np.asarray(indices)
        if indices.ndim != 1 or indices.size == 0:
            raise ValueError(f"indices must be a non-empty list of example numbers, got {indices!r}")
        return self.X[indices], self.y[indices]

    def _forward(self, layers, X):
        """The hidden layers' outputs [h_0 = X, h_1, ...] and the scores s (P, n)."""
        outputs = [X[None]]
        for W, b in layers[:-1]:
            z = outputs[-1] @ W.transpose(0, 2, 1) + b[:, None, :]
            outputs.append(np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0))
        W, b = layers[-1]
        return outputs, (outputs[-1] @ W.transpose(0, 2, 1))[..., 0] + b

    def _loss_part(self, thetas, X, y, n):
        """The examples X's share of the mean log loss over n examples, for P thetas at once."""
        _, s = self._forward(self._unpack(thetas), X)
        return (_softplus(s) - y * s).sum(axis=1) / n

    def _grad_part(self, thetas, X, y, n):
        """Backpropagation, written out: the formulas of the module's docstring, for P thetas at once.

        Returns (P, 1 + n_params): the examples X's share of each theta's loss (the forward pass has
        it), then their share of its gradient, over n examples in all; the penalty is added after.
        """
        layers = self._unpack(thetas)
        outputs, s = self._forward(layers, X)
        both = np.empty((len(thetas), 1 + self.n_params))
        both[:, 0] = (_softplus(s) - y * s).sum(axis=1) / n
        grads = both[:, 1:]
        delta = ((theory.sigmoid(s) - y) / n)[..., None]                # dL/ds, (P, examples, 1)
        for layer in reversed(range(len(layers))):
            W, _ = layers[layer]
            h = outputs[layer]                                          # this layer's input h_{l-1}
            w, shape, bias, end = self._slots[layer]
            grad_W = delta.transpose(0, 2, 1) @ h                       # delta_l^T h_{l-1} (+ l2 W_l, later)
            grads[:, w:bias] = grad_W.reshape(len(thetas), -1)
            grads[:, bias:end] = delta.sum(axis=1)                      # sum of delta_l over examples
            if layer > 0:                                               # back through W_l, then f'
                slope = 1.0 - h * h if self.activation == "tanh" else (h > 0).astype(float)
                delta = (delta @ W) * slope
        return both

    def _summed(self, part, thetas, indices):
        """`part` summed over blocks of examples, for blocks of thetas: see `_PRODUCT` and `_CHUNK`."""
        X, y = self._rows(indices)
        widest = max(self.sizes)
        step = max(1, _PRODUCT // (widest * widest))
        size = max(1, _CHUNK // (min(step, len(y)) * widest))
        blocks = [sum(part(thetas[i:i + size], X[j:j + step], y[j:j + step], len(y))
                      for j in range(0, len(y), step))
                  for i in range(0, len(thetas), size)]
        return np.concatenate(blocks) if blocks else part(thetas, X, y, len(y))  # no thetas: an empty answer

    def _loss_and_grads(self, thetas, indices=None):
        """(P, 1 + n_params): each theta's loss, then its gradient, the penalty included."""
        both = self._summed(self._grad_part, thetas, indices)
        if self.l2:
            weights = thetas * self._weights
            both[:, 0] += 0.5 * self.l2 * np.sum(weights * weights, axis=1)
            both[:, 1:] += self.l2 * weights
        return both

    def losses(self, thetas, indices=None):
        """(P,) the loss at each row of thetas (P, n_params), on all the data or on the examples `indices`."""
        thetas = self._thetas(thetas, "thetas")
        losses = self._summed(self._loss_part, thetas, indices)
        if self.l2:
            weights = thetas * self._weights
            losses = losses + 0.5 * self.l2 * np.sum(weights * weights, axis=1)
        return losses

    def gradients(self, thetas, indices=None):
        """(P, n_params) the backpropagated gradient at each row of thetas (P, n_params)."""
        return self._loss_and_grads(self._thetas(thetas, "thetas"), indices)[:, 1:]

    # ------------------------------------------------------------ shaped like a landscape, for the optimizers

    def __call__(self, theta):
        theta = self._thetas(theta)
        if self._remembered is not None and np.array_equal(theta[0], self._remembered[0]):
            return self._remembered[1]  # an optimizer reads the loss where it has just taken the gradient
        return float(self.losses(theta)[0])

    def grad(self, theta):
        theta = self._thetas(theta)
        both = self._loss_and_grads(theta)[0]
        self._remembered = (theta[0].copy(), float(both[0]))  # the same forward pass's loss, bit for bit
        return both[1:]

    def batch_loss(self, theta, indices):
        """The loss on the examples `indices` (penalty included, so it estimates the full loss fairly)."""
        return float(self.losses(self._thetas(theta), indices)[0])

    def batch_grad(self, theta, indices):
        return self.gradients(self._thetas(theta), indices)[0]

    # ------------------------------------------------------------ what the network says about examples

    def probabilities(self, theta, X=None):
        """P(class 1) = sigmoid(s) for each example of X (the training data by default)."""
        X = self.X if X is None else _checks.features("X", np.asarray(X, dtype=float), self.sizes[0])
        _, s = self._forward(self._unpack(self._thetas(theta)), X)
        return theory.sigmoid(s[0])

    def predict(self, theta, X=None):
        """Predicted labels: 1 where P(class 1) > 1/2 (a score s > 0), else 0."""
        return (self.probabilities(theta, X) > 0.5).astype(int)

    def accuracy(self, theta, X=None, y=None):
        """The share of examples predicted right, on the training data or on (X, y)."""
        if (X is None) != (y is None):
            raise ValueError("give both X and y, or neither for the training data")
        if X is None:
            return accuracy(self.y, self.predict(theta))
        X, y = data.labelled(X, y, n_classes=2)
        return accuracy(y, self.predict(theta, X))


# ---------------------------------------------------------------- training, and the named setups

def split(X, y, held_out=0.25, seed=0):
    """(X_train, y_train, X_test, y_test): a seeded random share `held_out` of the examples kept aside."""
    X, y = data.labelled(X, y)
    held_out = _checks.real("held_out", held_out)
    n_test = int(round(held_out * len(y)))
    if not 0 < n_test < len(y):
        raise ValueError(f"held_out must keep some examples on each side, got {held_out!r} of {len(y)}")
    order = np.random.default_rng(_checks.count("seed", seed)).permutation(len(y))
    test, kept = order[:n_test], order[n_test:]
    return X[kept], y[kept], X[test], y[test]


def train(network, start=None, optimizer="adam", alpha=0.01, steps=1000, seed=0, **settings):
    """A training run: `optimizer` (from `gdviz.optimizers`) walks the network's loss for `steps` updates.

    Returns the `Trajectory` of `gdviz.run`: `trajectory.w` is the path of
    theta, (steps + 1, n_params). `start` is `network.initial(seed)` by
    default; with optimizer="sgd", `seed` also seeds the minibatches and
    `batch_size` is one of the settings.
    """
    if not isinstance(network, Network):
        raise TypeError(f"network must be a gdviz.network.Network, got {type(network).__name__}")
    start = network.initial(seed) if start is None else start
    if optimizer == "sgd":
        settings.setdefault("seed", seed)
    steps_ = optimizers.get(optimizer)(network, start, alpha, **settings)
    return run(steps_, max_steps=_checks.count("steps", steps, minimum=1))


# Named setups: the data (two moons or circles, a quarter held out), the network, and its training.
# Each trains in well under a second; `preset` remembers what it trained.
PRESETS = {
    "moons-tanh": {"data": "moons", "hidden": (16, 16), "activation": "tanh"},
    "moons-relu": {"data": "moons", "hidden": (16, 16), "activation": "relu"},
    "moons-narrow": {"data": "moons", "hidden": (4, 4), "activation": "tanh"},
    "moons-wide": {"data": "moons", "hidden": (48, 48), "activation": "tanh"},
    "moons-minibatch": {"data": "moons", "hidden": (16, 16), "activation": "tanh", "optimizer": "sgd",
                        "alpha": 0.3, "batch_size": 8},
    "moons-fullbatch": {"data": "moons", "hidden": (16, 16), "activation": "tanh", "optimizer": "sgd",
                        "alpha": 0.3, "batch_size": 300},
    "circles-tanh": {"data": "circles", "hidden": (16, 16), "activation": "tanh"},
    "moons-linear": {"data": "moons", "hidden": (), "activation": "tanh"},
}
_DEFAULTS = {"n_samples": 400, "noise": 0.15, "l2": 0.0, "optimizer": "adam", "alpha": 0.01, "steps": 1000,
             "batch_size": None}


@dataclass(frozen=True, eq=False)
class Trained:
    """A preset trained: the network (its training data), the held-out data and the path of theta.

    theta0 : where training started; theta : where it ended; trajectory : the `gdviz.run` walk.
    The arrays are read-only: a preset is remembered and shared.
    """

    name: str
    seed: int
    settings: dict
    network: Network
    X_test: np.ndarray
    y_test: np.ndarray
    trajectory: object

    @property
    def theta0(self):
        return self.trajectory.w[0]

    @property
    def theta(self):
        return self.trajectory.w[-1]

    @property
    def path(self):
        """(steps + 1, n_params) every theta the optimizer stood on."""
        return self.trajectory.w

    @property
    def train_accuracy(self):
        return self.network.accuracy(self.theta)

    @property
    def test_accuracy(self):
        return self.network.accuracy(self.theta, self.X_test, self.y_test)


def preset(name, seed=0):
    """The preset `name` of `PRESETS`, trained once per process; data, split and start drawn with `seed`."""
    _checks.choice("preset", name, list(PRESETS))
    return _trained(name, _checks.count("seed", seed))


@functools.cache
def _trained(name, seed):
    settings = {**_DEFAULTS, **PRESETS[name]}
    if settings["data"] == "moons":
        X, y = data.two_moons(settings["n_samples"], settings["noise"], seed)
    else:
        X, y = data.circles(settings["n_samples"], settings["noise"], 0.5, seed)
    X_train, y_train, X_test, y_test = split(X, y, 0.25, seed)
    network = Network(X_train, y_train, settings["hidden"], settings["activation"], settings["l2"])
    extra = {} if settings["batch_size"] is None else {"batch_size": settings["batch_size"]}
    walk = train(network, None, settings["optimizer"], settings["alpha"], settings["steps"], seed, **extra)
    for array in (network.X, network.y, X_test, y_test, walk.w, walk.loss, walk.grad):
        array.flags.writeable = False
    return Trained(name, seed, settings, network, X_test, y_test, walk)


from .network_slices import *  # noqa: E402, F403  (the slices, importable from here too)
from .network_slices import __all__ as _slice_names  # noqa: E402

__all__ += _slice_names
