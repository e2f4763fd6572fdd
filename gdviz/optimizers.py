"""Optimizers as step-by-step generators: one loop, and one update rule per optimizer.

Vanilla gradient descent is the loop

    while True:
        grad = evaluate_gradient(loss, data, w)
        w = w - alpha * grad

Every optimizer here keeps that loop (`walk`) and changes only how far the
second line moves: its update rule turns the gradient, and the state it
carries, into the move. `walk` is a Python generator: each pass yields a
`Step` (where Chad stands, his loss reading, the gradient there and the rule's
state about to be used for the move), then moves. It never stops by itself
and never looks at stop conditions; a consumer such as `gdviz.run` decides when
Chad has walked far enough. It is lazy: nothing is computed until the next
step is asked for.

An update rule `rule(grad, state, t, **settings) -> (move, state)` is
arithmetic on arrays only, so the same rule moves one walk (`grad` of shape
(2,)) or many at once (shape (n, 2), with settings of shape (n, 1) or plain
numbers); a state starts as {} and each entry as 0. `RULES` names them.
What a step reads at w besides the gradient (Newton's Hessian, the step size
a line search accepted: `gdviz.second_order`) is in the state its rule gets.

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

from . import _checks, data, landscapes, schedules, second_order
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


# ---------------------------------------------------------------- the update rules

def descent_rule(grad, state, t, alpha):
    """Plain descent's move: alpha * g_t. No state."""
    return alpha * grad, state


def scheduled_descent_rule(grad, state, t, alpha):
    """SGD's move: alpha(t) * g_t, `alpha` a learning-rate schedule (`gdviz.schedules`)."""
    return alpha(t) * grad, state


def momentum_rule(grad, state, t, alpha, beta):
    """Heavy ball: v_t = beta * v_{t-1} + g_t; the move is alpha * v_t."""
    velocity = beta * state.get("velocity", 0.0) + grad
    return alpha * velocity, {"velocity": velocity}


def nesterov_rule(grad, state, t, alpha, beta):
    """Nesterov: v_t = beta * v_{t-1} + g_t; the move is alpha * (g_t + beta * v_t)."""
    velocity = beta * state.get("velocity", 0.0) + grad
    return alpha * (grad + beta * velocity), {"velocity": velocity}


def adagrad_rule(grad, state, t, alpha, eps):
    """Adagrad: s_t = s_{t-1} + g_t²; the move is alpha * g_t / (sqrt(s_t) + eps)."""
    square_sum = state.get("square_sum", 0.0) + grad * grad
    return alpha * grad / (np.sqrt(square_sum) + eps), {"square_sum": square_sum}


def rmsprop_rule(grad, state, t, alpha, beta, eps):
    """RMSProp: s_t = beta * s_{t-1} + (1 - beta) g_t²; the move is alpha * g_t / (sqrt(s_t) + eps)."""
    square_avg = beta * state.get("square_avg", 0.0) + (1 - beta) * grad * grad
    return alpha * grad / (np.sqrt(square_avg) + eps), {"square_avg": square_avg}


def adam_rule(grad, state, t, alpha, beta1, beta2, eps):
    """Adam: bias-corrected moving averages of g_t and g_t²; see `adam` for the formula."""
    mean = beta1 * state.get("mean", 0.0) + (1 - beta1) * grad
    square_avg = beta2 * state.get("square_avg", 0.0) + (1 - beta2) * grad * grad
    # np.power, not **: Python's float power and numpy's round differently, and a rule
    # must move one walk (plain numbers) and many (arrays) alike, bit for bit.
    mean_hat = mean / (1 - np.power(beta1, t + 1))
    square_hat = square_avg / (1 - np.power(beta2, t + 1))
    return alpha * mean_hat / (np.sqrt(square_hat) + eps), {"mean": mean, "square_avg": square_avg}


RULES = {
    "gradient_descent": descent_rule,
    "momentum": momentum_rule,
    "nesterov": nesterov_rule,
    "adagrad": adagrad_rule,
    "rmsprop": rmsprop_rule,
    "adam": adam_rule,
    "sgd": scheduled_descent_rule,
    "newton": second_order.newton_rule,
    "line_search": second_order.line_search_rule,
}


# ---------------------------------------------------------------- the loop

def walk(landscape, start, update, gradient_at):
    """The loop every optimizer shares: measure the slope, move by the update rule's step, repeat.

    `gradient_at(w, t)` gives the gradient to use at step t and what it cost
    or saw (a dict added to the step's state); `update(grad, state, t)` is an
    update rule with its settings bound, giving the move and its new state; what
    `gradient_at` saw is in the state it gets (Newton's rule reads the Hessian there).
    """
    w, state, t = start, {}, 0
    while True:
        grad, seen = gradient_at(w, t)
        move, state = update(grad, {**state, **seen}, t)
        yield Step(t, w, float(landscape(w)), grad, {**state, **seen})
        w = w - move
        t += 1


# Every setting's check, in one place: what each optimizer's keyword arguments may be (SGD's
# alpha may also be a schedule, which `schedules.as_schedule` checks).
_SETTING_CHECKS = {
    "alpha": _checks.positive,
    "beta": _checks.fraction,
    "beta1": _checks.fraction,
    "beta2": _checks.fraction,
    "eps": _checks.positive,
    "batch_size": lambda name, value: _checks.count(name, value, minimum=1),
    "noise": _checks.non_negative,
    "seed": _checks.count,
    "damping": _checks.non_negative,
    "shrink": second_order.open_fraction,
    "c": second_order.open_fraction,
}


def _checked(**settings):
    """The settings, each passed through its check: a bad one fails here, naming itself."""
    return {name: _SETTING_CHECKS[name](name, value) for name, value in settings.items()}


def _optimizer(rule, landscape, start, gradient, **settings):
    """An optimizer's walk: its arguments checked now (a generator's body waits for the first
    `next`), a landscape's name looked up, and the rule's settings bound."""
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    settings = _checked(**settings)
    readings = _sensor(gradient, w)
    return walk(landscape, w, functools.partial(rule, **settings),
                lambda w, t: (evaluate_gradient(w), readings))


def _sensor(gradient, w):
    """Loss readings per step: one for Chad's position, plus 2 per parameter for a numeric gradient."""
    return {"loss_readings": 1 + 2 * w.size} if gradient == "numeric" else {}


# ---------------------------------------------------------------- the optimizers

def gradient_descent(landscape, start, alpha, gradient="analytic"):
    """Vanilla gradient descent.

        g_t     = ∇L(w_t)
        w_{t+1} = w_t - alpha * g_t

    The loop is `walk`, the move `descent_rule`. Calling it checks the
    arguments at once, turns a landscape's name into the landscape and `start`
    into an array; with gradient="numeric" the gradient is Chad's probe.

    >>> steps = gradient_descent("bowl", start=(1.0, 2.0), alpha=0.25)
    >>> [next(steps).w.tolist() for _ in range(2)]
    [[1.0, 2.0], [0.5, 1.0]]
    """
    return _optimizer(descent_rule, landscape, start, gradient, alpha=alpha)


def momentum(landscape, start, alpha, beta=0.9, gradient="analytic"):
    """Heavy-ball momentum, as torch.optim.SGD(momentum=beta).

        v_t     = beta * v_{t-1} + g_t,     v_{-1} = 0
        w_{t+1} = w_t - alpha * v_t

    The velocity v is a running sum of past gradients: steps grow along a
    steady slope (up to 1 / (1 - beta) times) and cancel across a ravine.
    """
    return _optimizer(momentum_rule, landscape, start, gradient, alpha=alpha, beta=beta)


def nesterov(landscape, start, alpha, beta=0.9, gradient="analytic"):
    """Nesterov momentum, as torch.optim.SGD(momentum=beta, nesterov=True).

        v_t     = beta * v_{t-1} + g_t,     v_{-1} = 0
        w_{t+1} = w_t - alpha * (g_t + beta * v_t)

    The move looks one velocity step ahead, which damps the overshoot of
    plain momentum.
    """
    return _optimizer(nesterov_rule, landscape, start, gradient, alpha=alpha, beta=beta)


def adagrad(landscape, start, alpha, eps=1e-10, gradient="analytic"):
    """Adagrad, as torch.optim.Adagrad (no learning-rate decay).

        s_t     = s_{t-1} + g_t²,           s_{-1} = 0  (elementwise)
        w_{t+1} = w_t - alpha * g_t / (sqrt(s_t) + eps)

    Each parameter gets its own step size, shrinking as its gradients pile up.
    """
    return _optimizer(adagrad_rule, landscape, start, gradient, alpha=alpha, eps=eps)


def rmsprop(landscape, start, alpha, beta=0.99, eps=1e-8, gradient="analytic"):
    """RMSProp, as torch.optim.RMSprop (which calls beta "alpha").

        s_t     = beta * s_{t-1} + (1 - beta) * g_t²,   s_{-1} = 0
        w_{t+1} = w_t - alpha * g_t / (sqrt(s_t) + eps)

    Like Adagrad, but the squared-gradient cache forgets, so steps do not die out.
    """
    return _optimizer(rmsprop_rule, landscape, start, gradient, alpha=alpha, beta=beta, eps=eps)


def adam(landscape, start, alpha, beta1=0.9, beta2=0.999, eps=1e-8, gradient="analytic"):
    """Adam, as torch.optim.Adam, with bias correction.

        m_t     = beta1 * m_{t-1} + (1 - beta1) * g_t,      m_{-1} = 0
        s_t     = beta2 * s_{t-1} + (1 - beta2) * g_t²,     s_{-1} = 0
        w_{t+1} = w_t - alpha * m̂ / (sqrt(ŝ) + eps),
                  m̂ = m_t / (1 - beta1^(t+1)),  ŝ = s_t / (1 - beta2^(t+1))

    (t counts from 0 here, so the corrections use t + 1 updates so far.) Early
    steps have length about alpha whatever the gradient's size.
    """
    return _optimizer(adam_rule, landscape, start, gradient, alpha=alpha, beta1=beta1, beta2=beta2, eps=eps)


def line_search(landscape, start, alpha=1.0, shrink=0.5, c=1e-4, gradient="analytic"):
    """Gradient descent with a backtracking line search (Armijo's rule).

        t_k     = the first of alpha, alpha * shrink, alpha * shrink², ... with
                  L(w_t - t_k g_t) <= L(w_t) - c t_k ||g_t||²
        w_{t+1} = w_t - t_k g_t

    alpha is the first step tried, not a rate to tune: the search shrinks it
    until the loss falls by at least a fraction c of what the slope promised.
    Each step's state holds the accepted `step_size` and `losses_tried` (k,
    the loss readings the search cost); a search that cannot lower the loss
    measurably gives up with step size 0. See `gdviz.second_order`.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    settings = _checked(alpha=alpha, shrink=shrink, c=c)
    readings = _sensor(gradient, w)
    measure = second_order.search_reader(landscape, evaluate_gradient, readings=readings, **settings)
    return walk(landscape, w, second_order.line_search_rule, measure)


def newton(landscape, start, alpha=1.0, damping=0.0, gradient="analytic"):
    """Newton's method, with an optional damping lambda (Levenberg's).

        d_t     = (H(w_t) + lambda I)^-1 g_t,      H the Hessian, lambda = damping >= 0
        w_{t+1} = w_t - alpha * d_t

    On a quadratic, one undamped step with alpha = 1 lands on the minimum.
    Where H + lambda I is not positive definite, Newton heads for the saddle
    or maximum of its local model; where it is singular, the step is refused
    (ValueError). A large lambda gives plain descent with rate alpha / lambda.
    The landscape must have a Hessian (`has_hessian`); each step's state
    holds the Hessian used. See `gdviz.second_order`.
    """
    landscape, w, evaluate_gradient = _prepare(landscape, start, gradient)
    settings = _checked(alpha=alpha, damping=damping)
    measure = second_order.curvature_reader(landscape, evaluate_gradient, _sensor(gradient, w))
    return walk(landscape, w, functools.partial(second_order.newton_rule, **settings), measure)


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
    update = functools.partial(scheduled_descent_rule, alpha=schedules.as_schedule(alpha))
    seed = _checked(seed=seed)["seed"]
    if landscape.has_data:
        batch_size = _checked(batch_size=batch_size)["batch_size"]
        if batch_size > landscape.data_size:
            raise ValueError(f"batch_size must be at most the {landscape.data_size} examples "
                             f"of this landscape, got {batch_size}")
        if gradient == "numeric":
            raise ValueError("gradient='numeric' is for analytic landscapes; on data, "
                             "sgd samples minibatch gradients, so use gradient='analytic'")
        return walk(landscape, w, update, _minibatch_gradients(landscape, batch_size, shuffle, seed))
    noise = _checked(noise=noise)["noise"]
    steps = walk(landscape, w, update, _noisy_gradients(evaluate_gradient, noise, seed, _sensor(gradient, w)))
    return _noted(steps, f"{landscape.name} has no data to sample, so SGD is imitated: the exact "
                         f"gradient plus Gaussian noise of std {noise:g} (seed {seed}).")


def _minibatch_gradients(landscape, batch_size, shuffle, seed):
    """SGD's gradient source on data: each step's gradient on the next minibatch, with its epoch."""
    batches = data.batch_indices(landscape.data_size, batch_size, shuffle, seed)

    def gradient_at(w, t):
        epoch, indices = next(batches)
        seen = {"epoch": epoch, "batch_loss": float(landscape.batch_loss(w, indices))}
        return landscape.batch_grad(w, indices), seen

    return gradient_at


def _noisy_gradients(evaluate_gradient, noise, seed, readings):
    """Imitated SGD's gradient source: the exact gradient plus seeded Gaussian noise."""
    rng = np.random.default_rng(seed)

    def gradient_at(w, t):
        drawn = rng.normal(0.0, noise, size=w.shape)
        return evaluate_gradient(w) + drawn, {"noise": drawn, **readings}

    return gradient_at


def _noted(steps, note):
    """The steps, the first carrying `note`: a sentence a figure may show about how the walk runs."""
    first = next(steps)
    first.note = note
    yield first
    yield from steps


_OPTIMIZERS = {
    "gradient_descent": gradient_descent,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "line_search": line_search,
    "newton": newton,
    "sgd": sgd,  # last: the one walk that is random
}


def names(hessian=True):
    """Names accepted by `get`; hessian=False leaves out those that need a Hessian (newton), for a
    landscape that has none (`landscape.has_hessian`)."""
    return [name for name in _OPTIMIZERS if hessian or name != "newton"]


def get(name):
    """The optimizer function called `name`."""
    _checks.choice("optimizer", name, names())
    return _OPTIMIZERS[name]


def default_alpha(name):
    """An optimizer's own alpha (Newton's full step 1, a line search's first try 1), or None.

    >>> default_alpha("newton"), default_alpha("adam")
    (1.0, None)
    """
    default = inspect.signature(get(name)).parameters["alpha"].default
    return None if default is inspect.Parameter.empty else default


def hyperparameters(name):
    """An optimizer's own settings and their defaults, beyond landscape, start and alpha.

    >>> hyperparameters("adam")
    {'beta1': 0.9, 'beta2': 0.999, 'eps': 1e-08}
    """
    shared = {"landscape", "start", "alpha", "gradient"}
    signature = inspect.signature(get(name))
    return {key: p.default for key, p in signature.parameters.items() if key not in shared}
