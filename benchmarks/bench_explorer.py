"""What one slider change costs in the Explorer, against a naive app measured in the same run.

    python benchmarks/bench_explorer.py

The path: 100 steps of vanilla descent on the bowl (alpha = 0.02 stops on the
step budget, not before). Two kinds of change are timed in the kernel, set
the way a drag sets them (`app.alpha.value = ...`), through the app's public
path (`figure.batch_update()`):

- step: Chad moves along the walk (what Play does ten times a second);
- alpha: a new 100-step walk is computed and drawn.

Bytes are counted where they leave the kernel, by the tests' own recorder
(tests/recording.py): every widget comm is made through `comm.create_comm`,
which the `comm` package lets a host replace; here it makes comms that keep
every message (comm_open and updates) instead of sending it, and the JSON
text and binary buffers of each are counted after the timing. The same
record checks that each change sends exactly one Plotly.update.

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
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' recorder, tests/recording.py

import gdviz  # noqa: E402
from gdviz import optimizers  # noqa: E402
from gdviz.apps.explorer_controls import GRAD_BELOW  # noqa: E402
from gdviz.figures import explorer_figure  # noqa: E402
from tests.recording import Tally, install  # noqa: E402

ALPHAS = (0.02, 0.021)  # both walk the full 100 steps on the bowl from its start

install()  # before any widget exists, so every widget's messages are recorded
from gdviz.apps import Explorer  # noqa: E402


def timed(changes):
    """Per change: median wall time and median CPU time of this process in ms, bytes, Plotly.updates.

    On a shared machine wall time also counts the waits for a free core; the
    process's CPU time is the kernel's own work, what a student's idle core spends.
    """
    wall, cpu, tally = [], [], Tally()
    for change in changes:
        start, start_cpu = time.perf_counter(), time.process_time()
        change()
        wall.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    n = len(changes)
    sent = tally.bytes / n
    updates = sum(bool(message.state.get("_py2js_update")) for message in tally.messages) / n
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
    building = Tally()
    app = Explorer()
    built = building.bytes
    bundles = [bundle for message in building.messages for bundle in message.bundles]
    showing = Tally()
    app._repr_mimebundle_()  # what showing it as a cell's value does
    return built, showing.bytes, len(bundles), sum(len(json.dumps(bundle)) for bundle in bundles)

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
