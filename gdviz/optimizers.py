"""Optimizers as step-by-step generators.

Vanilla gradient descent is the loop

    while True:
        grad = evaluate_gradient(loss, data, w)
        w = w - alpha * grad

and every optimizer here is that loop written as a Python generator: each pass
yields a `Step` (where Chad stands, his loss reading, the gradient there and the
optimizer's own state about to be used for the move), then moves. The
generators never stop by themselves and never look at stop conditions; a
consumer such as `gdviz.run` decides when Chad has walked far enough. They are
lazy: nothing is computed until the next step is asked for.

Update rules follow PyTorch's `torch.optim` (no weight decay, no dampening):
momentum buffers and accumulators start at zero, eps is added outside the
square root, Adam is bias-corrected. Each docstring gives its rule.

Every optimizer takes `gradient="analytic"` (the landscape's formula) or
`gradient="numeric"` (centred differences from loss readings alone, Chad's
own sensor); a numeric step also reports how many loss readings it cost.
"""

import functools
import inspect
from dataclasses import dataclass, field

import numpy as np

from . import _checks, data, landscapes, schedules
from .gradients import numeric_gradient


# Not frozen: a frozen dataclass costs about 3 µs per step to build, a third
# of a whole vanilla step. Treat a Step as read-only all the same.
@dataclass(slots=True)
class Step:
    """One record of a walk: Chad at `w` at step `t`, before he moves.

    `state` holds what the optimizer carries from step to step, as it will be
    used for the coming move (a velocity, a squared-gradient cache, moments).
    `note` is a sentence a figure may show, set on the first step when the
    optimizer has something to say about how it runs here.
    """

    t: int
    w: np.ndarray
    loss: float
    grad: np.ndarray
    state: dict = field(default_factory=dict)
    note: str = ""


def _prepare(landscape, start, gradient):
    """Validate the common arguments; return (landscape, w0, gradient function).

    `landscape` is a catalogue name, a `Landscape`, or any object shaped like
    one: callable on a parameter vector with a `grad` method (plus `has_data`,
    `data_size`, `batch_loss`, `batch_grad` for minibatch SGD). Such an object
    may have more than two parameters if it says how many in `n_params`, as the
    loss of a classifier's weights does; `start` must then have that length.
    """
    if not (callable(landscape) and callable(getattr(landscape, "grad", None))):
        landscape = landscapes.get(landscape)  # a name; anything else is refused there
    w = _checks.point("start", start, size=getattr(landscape, "n_params", 2))
    _checks.choice("gradient", gradient, ("analytic", "numeric"))
    if gradient == "analytic":
        return landscape, w, landscape.grad

    def numeric(w):
        return numeric_gradient(landscape, w)

    return landscape, w, numeric


def _sensor(gradient, w):
    """Loss readings per step: one for Chad's position, plus 2 per parameter for a numeric gradient."""
    return {"loss_readings": 1 + 2 * w.size} if gradient == "numeric" else {}


class _Probed:
    """A landscape whose `grad` is Chad's probe: centred differences of loss readings."""

    def __init__(self, landscape, probe):
        self._landscape = landscape
        self.grad = probe

    def __call__(self, w):
        return self._landscape(w)

    def __getattr__(self, name):  # everything else (name, domain, ...) is the landscape's own
        return getattr(self._landscape, name)


def _recording_readings(steps, sensor):
    """The steps, each noting in its state the loss readings Chad's probe paid for it."""
    for step in steps:
        step.state.update(sensor)
        yield step


def _prepared(loop):
    """Make an optimizer of a generator written as the bare loop `loop(landscape, start, alpha, gradient)`.

    The optimizer checks its arguments when called (through `_prepare` and
    alpha > 0), so a bad call fails at once rather than at the first step, and
    calls the loop with the landscape itself and `start` as a float array.
    With gradient="numeric" the loop gets a `_Probed` landscape, and each step
    records the loss readings it cost (`_sensor`), so the loop itself never
    needs to know how the gradient was found.
    """

    @functools.wraps(loop)
    def optimizer(landscape, start, alpha, gradient="analytic"):
        landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
        alpha = _checks.positive("alpha", alpha)
        if gradient == "analytic":
            return loop(landscape, w, alpha, gradient)
        steps = loop(_Probed(landscape, evaluate_gradient), w, alpha, gradient)
        return _recording_readings(steps, _sensor(gradient, w))

    return optimizer


@_prepared
def gradient_descent(landscape, start, alpha, gradient="analytic"):
    """Vanilla gradient descent.

        g_t     = ∇L(w_t)
        w_{t+1} = w_t - alpha * g_t

    The body is the loop and nothing else. `@_prepared` does the paperwork
    when the function is called: it checks the arguments at once (a
    generator's own body runs only at the first `next`), turns a landscape's
    name into the landscape and `start` into an array, and with
    gradient="numeric" hands the loop a landscape whose `grad` is Chad's probe.

    >>> steps = gradient_descent("bowl", start=(1.0, 2.0), alpha=0.25)
    >>> [next(steps).w.tolist() for _ in range(2)]
    [[1.0, 2.0], [0.5, 1.0]]
    """
    w = start
    t = 0
    while True:
        grad = landscape.grad(w)
        yield Step(t, w, float(landscape(w)), grad)
        w = w - alpha * grad
        t += 1


def momentum(landscape, start, alpha, beta=0.9, gradient="analytic"):
    """Heavy-ball momentum, as torch.optim.SGD(momentum=beta).

        v_t     = beta * v_{t-1} + g_t,     v_{-1} = 0
        w_{t+1} = w_t - alpha * v_t

    The velocity v is a running sum of past gradients: steps grow along a
    steady slope (up to 1 / (1 - beta) times) and cancel across a ravine.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = _checks.positive("alpha", alpha)
    beta = _checks.fraction("beta", beta)
    sensor = _sensor(gradient, w)

    def steps(w):
        velocity = np.zeros_like(w)
        t = 0
        while True:
            grad = evaluate_gradient(w)
            velocity = beta * velocity + grad
            yield Step(t, w, float(landscape(w)), grad, {"velocity": velocity, **sensor})
            w = w - alpha * velocity
            t += 1

    return steps(w)


def nesterov(landscape, start, alpha, beta=0.9, gradient="analytic"):
    """Nesterov momentum, as torch.optim.SGD(momentum=beta, nesterov=True).

        v_t     = beta * v_{t-1} + g_t,     v_{-1} = 0
        w_{t+1} = w_t - alpha * (g_t + beta * v_t)

    The move looks one velocity step ahead, which damps the overshoot of
    plain momentum.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = _checks.positive("alpha", alpha)
    beta = _checks.fraction("beta", beta)
    sensor = _sensor(gradient, w)

    def steps(w):
        velocity = np.zeros_like(w)
        t = 0
        while True:
            grad = evaluate_gradient(w)
            velocity = beta * velocity + grad
            yield Step(t, w, float(landscape(w)), grad, {"velocity": velocity, **sensor})
            w = w - alpha * (grad + beta * velocity)
            t += 1

    return steps(w)


def adagrad(landscape, start, alpha, eps=1e-10, gradient="analytic"):
    """Adagrad, as torch.optim.Adagrad (no learning-rate decay).

        s_t     = s_{t-1} + g_t²,           s_{-1} = 0  (elementwise)
        w_{t+1} = w_t - alpha * g_t / (sqrt(s_t) + eps)

    Each parameter gets its own step size, shrinking as its gradients pile up.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = _checks.positive("alpha", alpha)
    eps = _checks.positive("eps", eps)
    sensor = _sensor(gradient, w)

    def steps(w):
        square_sum = np.zeros_like(w)
        t = 0
        while True:
            grad = evaluate_gradient(w)
            square_sum = square_sum + grad * grad
            yield Step(t, w, float(landscape(w)), grad, {"square_sum": square_sum, **sensor})
            w = w - alpha * grad / (np.sqrt(square_sum) + eps)
            t += 1

    return steps(w)


def rmsprop(landscape, start, alpha, beta=0.99, eps=1e-8, gradient="analytic"):
    """RMSProp, as torch.optim.RMSprop (which calls beta "alpha").

        s_t     = beta * s_{t-1} + (1 - beta) * g_t²,   s_{-1} = 0
        w_{t+1} = w_t - alpha * g_t / (sqrt(s_t) + eps)

    Like Adagrad, but the squared-gradient cache forgets, so steps do not die out.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = _checks.positive("alpha", alpha)
    beta = _checks.fraction("beta", beta)
    eps = _checks.positive("eps", eps)
    sensor = _sensor(gradient, w)

    def steps(w):
        square_avg = np.zeros_like(w)
        t = 0
        while True:
            grad = evaluate_gradient(w)
            square_avg = beta * square_avg + (1 - beta) * grad * grad
            yield Step(t, w, float(landscape(w)), grad, {"square_avg": square_avg, **sensor})
            w = w - alpha * grad / (np.sqrt(square_avg) + eps)
            t += 1

    return steps(w)


def adam(landscape, start, alpha, beta1=0.9, beta2=0.999, eps=1e-8, gradient="analytic"):
    """Adam, as torch.optim.Adam, with bias correction.

        m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t,      m_{-1} = 0
        s_t     = beta2 * s_{t-1} + (1 - beta2) * g_t²,     s_{-1} = 0
        w_{t+1} = w_t - alpha * m̂ / (sqrt(ŝ) + eps),
                  m̂ = m_t / (1 - beta1^(t+1)),  ŝ = s_t / (1 - beta2^(t+1))

    (t counts from 0 here, so the corrections use t + 1 updates so far.) Early
    steps have length about alpha whatever the gradient's size.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = _checks.positive("alpha", alpha)
    beta1 = _checks.fraction("beta1", beta1)
    beta2 = _checks.fraction("beta2", beta2)
    eps = _checks.positive("eps", eps)
    sensor = _sensor(gradient, w)

    def steps(w):
        mean, square_avg = np.zeros_like(w), np.zeros_like(w)
        t = 0
        while True:
            grad = evaluate_gradient(w)
            mean = beta1 * mean + (1 - beta1) * grad
            square_avg = beta2 * square_avg + (1 - beta2) * grad * grad
            yield Step(t, w, float(landscape(w)), grad,
                       {"mean": mean, "square_avg": square_avg, **sensor})
            mean_hat = mean / (1 - beta1 ** (t + 1))
            square_hat = square_avg / (1 - beta2 ** (t + 1))
            w = w - alpha * mean_hat / (np.sqrt(square_hat) + eps)
            t += 1

    return steps(w)


def sgd(landscape, start, alpha, batch_size=32, shuffle=True, noise=1.0, seed=0,
        gradient="analytic"):
    """Stochastic gradient descent: vanilla steps on a noisy gradient.

        w_{t+1} = w_t - alpha_t * ĝ_t

    `alpha` is a number (alpha_t = alpha at every step) or a learning-rate
    schedule t -> alpha_t from `gdviz.schedules` (or any callable giving a
    positive number), t counting updates from 0; a decaying schedule lets the
    noise of the steps fade as Chad nears the minimum.

    On a landscape with data (`landscape.has_data`), ĝ_t is the gradient on a
    minibatch of `batch_size` examples; the data are reshuffled every epoch
    (unless `shuffle=False`) by a generator seeded with `seed`, and each step
    reports its `epoch` and the `batch_loss`. `loss` is always the loss on all
    the data, so curves compare fairly with full-batch descent.

    An analytic landscape has no examples to sample, so ĝ_t is the exact
    gradient plus seeded Gaussian noise with standard deviation `noise` per
    component; the first step's `note` says so, and `state["noise"]` holds the
    noise drawn. The same seed gives the same walk.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    alpha = schedules.as_schedule(alpha)
    seed = _checks.count("seed", seed)
    if landscape.has_data:
        batch_size = _checks.count("batch_size", batch_size, minimum=1)
        if batch_size > landscape.data_size:
            raise ValueError(f"batch_size must be at most the {landscape.data_size} examples "
                             f"of this landscape, got {batch_size}")
        if gradient == "numeric":
            raise ValueError("gradient='numeric' is for analytic landscapes; on data, "
                             "sgd samples minibatch gradients, so use gradient='analytic'")
        batches = data.batch_indices(landscape.data_size, batch_size, shuffle, seed)
        return _minibatch_steps(landscape, w, alpha, batches)
    noise = _checks.non_negative("noise", noise)
    return _noisy_steps(landscape, w, alpha, evaluate_gradient, noise, seed, _sensor(gradient, w))


def _minibatch_steps(landscape, w, alpha, batches):
    """SGD on data; `alpha` is a schedule, so update t moves by alpha(t) times the batch gradient."""
    t = 0
    while True:
        epoch, indices = next(batches)
        grad = landscape.batch_grad(w, indices)
        state = {"epoch": epoch, "batch_loss": float(landscape.batch_loss(w, indices))}
        yield Step(t, w, float(landscape(w)), grad, state)
        w = w - alpha(t) * grad
        t += 1


def _noisy_steps(landscape, w, alpha, evaluate_gradient, noise, seed, sensor):
    """Imitated SGD on an analytic landscape; `alpha` is a schedule, as in `_minibatch_steps`."""
    note = (f"{landscape.name} has no data to sample, so SGD is imitated: the exact "
            f"gradient plus Gaussian noise of std {noise:g} (seed {seed}).")
    rng = np.random.default_rng(seed)
    t = 0
    while True:
        drawn = rng.normal(0.0, noise, size=w.shape)
        grad = evaluate_gradient(w) + drawn
        yield Step(t, w, float(landscape(w)), grad, {"noise": drawn, **sensor}, note if t == 0 else "")
        w = w - alpha(t) * grad
        t += 1


_OPTIMIZERS = {
    "gradient_descent": gradient_descent,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "sgd": sgd,
}


def names():
    """Names accepted by `get`."""
    return list(_OPTIMIZERS)


def get(name):
    """The optimizer function called `name`."""
    _checks.choice("optimizer", name, names())
    return _OPTIMIZERS[name]


def hyperparameters(name):
    """An optimizer's own settings and their defaults, beyond landscape, start and alpha.

    >>> hyperparameters("adam")
    {'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-08}
    """
    shared = {"landscape", "start", "alpha", "gradient"}
    signature = inspect.signature(get(name))
    return {key: p.default for key, p in signature.parameters.items() if key not in shared}
