"""Core speed on this machine, as ratios against plain-Python loops run in the same process.

    python benchmarks/bench_core.py

Prints the time to evaluate a 200 x 200 mesh for each landscape (targets: under
5 ms) and the time per step of each optimizer over a 1000-step run through
gdviz.run (target for vanilla descent: under 10 ms for the whole run). The
baselines are what a first attempt would write: a double loop over the grid
calling the loss per point, and a list-based descent loop.
"""

import timeit

import gdviz
from gdviz import landscapes, optimizers


def best_of(function, repeat=7):
    """Fastest wall time of one call, in seconds: the least disturbed by other work."""
    number = max(1, int(0.05 / max(timeit.timeit(function, number=1), 1e-7)))
    return min(timeit.repeat(function, number=number, repeat=repeat)) / number


def loop_mesh(landscape, n=200):
    (xmin, xmax), (ymin, ymax) = landscape.domain
    xs = [xmin + (xmax - xmin) * i / (n - 1) for i in range(n)]
    ys = [ymin + (ymax - ymin) * j / (n - 1) for j in range(n)]
    return [[float(landscape([x, y])) for x in xs] for y in ys]


def loop_descent(alpha=0.01, steps=1000):
    # x² + y² by hand, lists and floats: the plain-Python floor for one step.
    w, path = [-2.0, 1.5], []
    for _ in range(steps + 1):
        grad = [2 * w[0], 2 * w[1]]
        path.append((w, w[0] ** 2 + w[1] ** 2, grad))
        w = [w[0] - alpha * grad[0], w[1] - alpha * grad[1]]
    return path


def main():
    print("mesh 200 x 200                  gdviz      per-point loop   ratio")
    for name in landscapes.names():
        landscape = landscapes.get(name)
        fast = best_of(lambda landscape=landscape: landscape.mesh(200))
        slow = best_of(lambda landscape=landscape: loop_mesh(landscape), repeat=2)
        print(f"  {name:<28} {fast * 1e3:7.2f} ms  {slow * 1e3:9.1f} ms   {slow / fast:6.0f}x")

    baseline = best_of(loop_descent)
    print(f"\n1000 steps through gdviz.run     total      per step    "
          f"vs list loop ({baseline * 1e3:.2f} ms)")
    for name in optimizers.names():
        bowl = landscapes.get("bowl")

        def walk(name=name, bowl=bowl):
            return gdviz.run(optimizers.get(name)(bowl, bowl.start, 0.01), max_steps=1000)

        seconds = best_of(walk, repeat=3)
        ratio = seconds / baseline
        print(f"  {name:<28} {seconds * 1e3:7.2f} ms  {seconds * 1e3:7.2f} µs   {ratio:5.1f}x slower")


if __name__ == "__main__":
    main()
