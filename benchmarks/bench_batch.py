"""Walks in batches against the one-walk loop, as ratios measured in the same process.

    python benchmarks/bench_batch.py

What a race over many starts and settings costs: every optimizer `gdviz.run_batch` takes walks
Rosenbrock from 16 starts x 64 alphas (x 8 betas for momentum's, Nesterov's and RMSProp's beta
and Adam's beta1), 300 steps with `run`'s default stop conditions: 34,816 walks in all. The
batched time is the best of 3 calls per optimizer.

The baseline is the one-walk loop, `gdviz.run` on each optimizer's generator, walk after walk.
All of it would take minutes, so it is timed on a seeded sample of 128 walks per optimizer and
scaled up to all the walks (the output says so). The sampled walks are also compared with their
rows of the batch, bit for bit, as tests/test_batch.py asserts: printed, not asserted.

Target, printed rather than asserted: the batched total under 2 s on this machine.
"""

import time

import numpy as np

import gdviz
from gdviz import batch, landscapes, optimizers

ROSENBROCK = landscapes.get("rosenbrock")
MAX_STEPS = 300
SAMPLE = 128
_rng = np.random.default_rng(0)
(_xmin, _xmax), (_ymin, _ymax) = ROSENBROCK.domain
STARTS = np.column_stack([_rng.uniform(_xmin, _xmax, 16), _rng.uniform(_ymin, _ymax, 16)])
ALPHAS = np.logspace(-5, -1, 64)  # from too slow to diverging
BETAS = 1 - np.logspace(-3, np.log10(0.5), 8)  # 0.999 down to 0.5
BETA_OF = {"momentum": "beta", "nesterov": "beta", "rmsprop": "beta", "adam": "beta1"}


def grid(optimizer):
    """One row per walk: every start with every alpha (and every beta), as run_batch takes them."""
    beta = BETA_OF.get(optimizer)
    axes = [np.arange(len(STARTS)), ALPHAS] + ([BETAS] if beta else [])
    which, *values = (axis.ravel() for axis in np.meshgrid(*axes, indexing="ij"))
    return STARTS[which], dict(zip(["alpha", beta], values, strict=False))


def batched(optimizer, starts, settings):
    return gdviz.run_batch(optimizer, ROSENBROCK, starts, max_steps=MAX_STEPS, **settings)


def one_walk_loop(optimizer, starts, settings, sample):
    """The walks in `sample`, one after another through the optimizer's generator and `run`."""
    walks = []
    for i in sample:
        settings_ = {name: float(values[i]) for name, values in settings.items()}
        steps = optimizers.get(optimizer)(ROSENBROCK, starts[i], **settings_)
        walks.append(gdviz.run(steps, max_steps=MAX_STEPS))
    return walks


def seconds(function, repeat=3):
    """Fastest wall time of one call and its result: the time least disturbed by other work."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def same(trajectory, expected):
    return trajectory.stop_reason == expected.stop_reason and all(
        np.array_equal(getattr(trajectory, name), getattr(expected, name)) for name in ("w", "loss", "grad"))


def main():
    print(f"Rosenbrock, {MAX_STEPS} steps, 16 starts x 64 alphas (x 8 betas); the one-walk loop timed on "
          f"{SAMPLE} sampled walks per optimizer and scaled up to all (it would take minutes)\n")
    print("                     walks   batched   one-walk loop (est.)    ratio   diverged   same walks")
    total_batched = total_loop = 0.0
    for optimizer in batch.OPTIMIZERS:
        starts, settings = grid(optimizer)
        n = len(starts)
        fast, result = seconds(lambda: batched(optimizer, starts, settings))  # noqa: B023
        sample = np.random.default_rng(1).choice(n, SAMPLE, replace=False)
        slow, alone = seconds(lambda: one_walk_loop(optimizer, starts, settings, sample), repeat=1)  # noqa: B023
        slow *= n / SAMPLE
        agree = sum(same(result.trajectory(i), expected) for i, expected in zip(sample, alone, strict=True))
        diverged = np.mean(result.stop_reason == "diverged")
        total_batched, total_loop = total_batched + fast, total_loop + slow
        print(f"  {optimizer:<18} {n:5d}   {fast:6.3f} s   {slow:8.1f} s            {slow / fast:5.0f}x     "
              f"{diverged:4.0%}      {agree}/{SAMPLE}")
    print(f"\n  total              34816   {total_batched:6.3f} s   {total_loop:8.1f} s            "
          f"{total_loop / total_batched:5.0f}x")
    print(f"target: the batched total under 2 s here: {total_batched:.2f} s, "
          f"{'met' if total_batched < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
