"""A network slice's 60 x 60 mesh at once against a loop over its points, as ratios in the same process.

    python benchmarks/bench_network.py

The slice is the preset "moons-tanh" (a 2-16-16-1 tanh network, 337 parameters, 300 training examples)
along filter-normalised random directions (`gdviz.network.preset_slice`). Timed: its loss on the 3600
points of a 60 x 60 mesh (`landscape.mesh(60)`, one call) and its projected gradient there (one call of
`landscape.grad` on the stacked points), each against the same points one at a time through the same
landscape. Each time is the best of 3. The two answers are compared too: printed, not asserted
(tests/test_network.py asserts it).

Target, printed rather than asserted: the mesh's loss in well under 1 s on this 2-core machine.
"""

import time

import numpy as np

from gdviz import network

N = 60


def seconds(function, repeat=3):
    """Fastest wall time of one call and its result: the time least disturbed by other work."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    start = time.perf_counter()
    land = network.preset_slice("moons-tanh", "random")
    print(f"training the preset and drawing the directions: {time.perf_counter() - start:.2f} s "
          "(once per process)")
    trained = network.preset("moons-tanh")
    net = trained.network
    print(f"{net.name}, {net.n_params} parameters, {net.data_size} examples; a {N} x {N} mesh of its slice\n")
    X, Y, _ = land.mesh(N)
    points = np.stack([X, Y], axis=-1).reshape(-1, 2)

    mesh_time, (_, _, Z) = seconds(lambda: land.mesh(N))
    loop_time, looped = seconds(lambda: np.array([float(land(point)) for point in points]))
    grad_time, grads = seconds(lambda: land.grad(points))
    grad_loop_time, grads_looped = seconds(lambda: np.array([land.grad(point) for point in points]))

    print("                      at once   point by point    ratio   largest difference")
    print(f"loss on the mesh     {mesh_time:7.3f} s   {loop_time:10.3f} s   {loop_time / mesh_time:6.1f}x"
          f"   {np.max(np.abs(Z.ravel() - looped)):.1e}")
    print(f"gradient on the mesh {grad_time:7.3f} s   {grad_loop_time:10.3f} s   "
          f"{grad_loop_time / grad_time:6.1f}x   {np.max(np.abs(grads - grads_looped)):.1e}")
    verdict = "met" if mesh_time < 1.0 else "NOT met"
    print(f"\ntarget: the mesh's loss under 1 s: {verdict} ({mesh_time:.3f} s)")


if __name__ == "__main__":
    main()
