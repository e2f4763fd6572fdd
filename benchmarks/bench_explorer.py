"""What one slider change costs in the Explorer, against a naive app measured in the same run.

    python benchmarks/bench_explorer.py

The path: 100 steps of vanilla descent on the bowl (alpha = 0.02 stops on the
step budget, not before). Two kinds of change are timed in the kernel, set
the way a drag sets them (`app.alpha.value = ...`), through the app's public
path (`figure.batch_update()`):

- step: Chad moves along the walk (what Play does ten times a second);
- alpha: a new 100-step walk is computed and drawn.

Bytes are counted where they leave the kernel: every widget comm is created
through `comm.create_comm`, which the `comm` package lets a host replace; here
it makes comms that count the JSON text and binary buffers of every message
(comm_open and updates) instead of sending them. The same counter checks that
each change sends exactly one Plotly.update.

The naive baseline is what a first attempt writes: rebuild the whole figure
(`explorer_figure`) on every change and send it, so its cost is the build plus
`to_json()` and its bytes are the JSON's length. (A naive app that made a new
FigureWidget per change would also resend plotly's ~5 MB JavaScript bundle.)

Targets, printed rather than asserted: under 10 ms of kernel time per alpha
change (the median of the kernel process's CPU time: this machine is shared,
and wall time also counts waits for a core; both are printed), at least 10x
fewer bytes per change than the naive app, and plotly's bundle shipped once
when an Explorer opens.
"""

import json
import statistics
import time

import comm

import gdviz
from gdviz import optimizers
from gdviz.apps.explorer_controls import GRAD_BELOW
from gdviz.figures import explorer_figure

ALPHAS = (0.02, 0.021)  # both walk the full 100 steps on the bowl from its start
BUNDLE = 1_000_000  # a state string this long is plotly's JavaScript bundle (~5 MB)


class Wire:
    """Every message the kernel's widgets would send, counted: bytes, Plotly.updates, bundles."""

    def __init__(self):
        self.bytes = self.updates = self.bundles = self.bundle_bytes = 0

    def count(self, data, buffers):
        self.bytes += len(json.dumps(data, default=str)) + sum(memoryview(b).nbytes for b in buffers or [])
        state = (data or {}).get("state", {})
        self.updates += bool(state.get("_py2js_update"))
        for value in state.values():
            if isinstance(value, str) and len(value) > BUNDLE:
                self.bundles += 1
                self.bundle_bytes += len(json.dumps(value))


WIRE = Wire()


class CountingComm(comm.DummyComm):
    def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
        WIRE.count(data, buffers)


comm.create_comm = CountingComm  # before any widget exists; `comm` says this hook is meant to be replaced

from gdviz.apps import Explorer  # noqa: E402  (after the hook, so every widget counts)


def timed(changes):
    """Per change: median wall time and median CPU time of this process in ms, bytes, Plotly.updates.

    On a shared machine wall time also counts the waits for a free core; the
    process's CPU time is the kernel's own work, what a student's idle core spends.
    """
    wall, cpu, start_bytes, start_updates = [], [], WIRE.bytes, WIRE.updates
    for change in changes:
        start, start_cpu = time.perf_counter(), time.process_time()
        change()
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    n = len(changes)
    sent, updates = (WIRE.bytes - start_bytes) / n, (WIRE.updates - start_updates) / n
    return statistics.median(wall), statistics.median(cpu), sent, updates


def explorer_costs(app, kind, repeat):
    if kind == "step":
        last = len(app.trajectory) - 1
        changes = [lambda k=k: setattr(app.step, "value", k % (last + 1)) for k in range(1, repeat + 1)]
    else:
        changes = [lambda k=k: setattr(app.alpha, "value", ALPHAS[(k + 1) % 2]) for k in range(repeat)]
    return timed(changes)


def walk(alpha):
    """The walk the Explorer computes for this alpha, with the same stop conditions."""
    bowl = gdviz.landscapes.get("bowl")
    steps = optimizers.gradient_descent(bowl, bowl.start, alpha)
    return gdviz.run(steps, max_steps=100, grad_below=GRAD_BELOW)


def naive_costs(kind, repeat):
    bowl = gdviz.landscapes.get("bowl")
    sizes, trajectory = [], walk(ALPHAS[0])

    def change(k):
        path = walk(ALPHAS[k % 2]) if kind == "alpha" else trajectory
        step = len(path) - 1 if kind == "alpha" else k % len(path)
        sizes.append(len(explorer_figure(bowl, path, step).to_json()))

    wall, cpu, _, _ = timed([lambda k=k: change(k) for k in range(repeat)])
    return wall, cpu, statistics.mean(sizes)


def opening_costs():
    """Bytes from `Explorer()` to its display: every widget's comm_open, then the display's refresh."""
    before, bundles, bundle_bytes = WIRE.bytes, WIRE.bundles, WIRE.bundle_bytes
    app = Explorer()
    built = WIRE.bytes - before
    app._repr_mimebundle_()  # what showing it as a cell's value does
    return built, WIRE.bytes - before - built, WIRE.bundles - bundles, WIRE.bundle_bytes - bundle_bytes


def main():
    app = Explorer("bowl", alpha=ALPHAS[0], max_steps=100)
    assert app.trajectory.n_updates == 100, app.status.value
    explorer_costs(app, "step", 20)  # warm caches before measuring
    print("per change, 100-step walk on the bowl     kernel ms, median (wall / CPU)     bytes"
          "   Plotly.updates")
    rows = {}
    for kind, repeat in (("step", 300), ("alpha", 100)):
        rows[kind] = (explorer_costs(app, kind, repeat), naive_costs(kind, max(20, repeat // 5)))
        (fast_wall, fast_cpu, fast_bytes, updates), (slow_wall, slow_cpu, slow_bytes) = rows[kind]
        print(f"  {kind:<6} Explorer (batch_update)       {fast_wall:7.2f} / {fast_cpu:6.2f}"
              f"                {fast_bytes:7,.0f}   {updates:.2f} per change")
        print(f"  {kind:<6} naive: rebuild + to_json      {slow_wall:7.2f} / {slow_cpu:6.2f}"
              f"                {slow_bytes:7,.0f}")
        print(f"  {kind:<6} naive / Explorer              {slow_wall / fast_wall:6.1f}x /"
              f" {slow_cpu / fast_cpu:5.1f}x               {slow_bytes / fast_bytes:5.1f}x fewer bytes")
    walk_wall, walk_cpu, _, _ = timed([lambda k=k: walk(ALPHAS[k % 2]) for k in range(100)])
    print(f"  of an alpha change, computing the 100-step walk itself (gdviz.run): "
          f"{walk_wall:.2f} / {walk_cpu:.2f} ms")
    print("targets: alpha change < 10 ms of kernel CPU (median); >= 10x fewer bytes than the naive app; "
          "one Plotly.update")
    for kind, ((_, cpu, sent, updates), (_, _, naive)) in rows.items():
        checks = [("one update", updates == 1), ("ratio", naive / sent >= 10)]
        if kind == "alpha":
            checks.insert(0, ("time", cpu < 10))
        print(f"  {kind:<6} " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in checks))

    built, shown, bundles, bundle_bytes = opening_costs()
    print(f"\nopening one Explorer: {built + shown:,} bytes in all; plotly's JavaScript bundle shipped "
          f"{bundles} time(s) ({bundle_bytes:,} bytes);\n  the figure and controls {built - bundle_bytes:,} "
          f"bytes when built, and {shown:,} more when shown\n  (the figure's saved state, refreshed for "
          f"pages that connect late)")


if __name__ == "__main__":
    main()
