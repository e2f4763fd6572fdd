"""What one slider change costs in the Explorer, against a naive app measured in the same run.

    python benchmarks/bench_explorer.py

The path: 100 steps of vanilla descent on the bowl (alpha = 0.02 stops on the
step budget, not before). Two kinds of change are timed in the kernel and the
bytes they put on the wire are counted at the FigureWidget's send:

- step: Chad moves along the walk (what Play does ten times a second);
- alpha: a new 100-step walk is computed and drawn.

The naive baseline is what a first attempt writes: rebuild the whole figure
(`explorer_figure`) on every change and send it, so its cost is the build plus
`to_json()` and its bytes are the JSON's length. (A naive app that made a new
FigureWidget per change would also resend plotly's ~5 MB JavaScript bundle.)

Targets, printed rather than asserted: under 2 ms and under 4 kB per change,
at least 10x fewer bytes than the naive app. Also printed: the bytes needed to
open one Explorer, with and without the JavaScript bundle, and, for an alpha
change, the two parts no drawing of Chad can avoid: the time of `gdviz.run`
and the bytes of the new walk itself (trail on the bowl and on the map, loss
curve: six float32 arrays and plotly's message around them).
"""

import json
import statistics
import time

from ipywidgets.widgets.widget import _instances, _remove_buffers

import gdviz
from gdviz import optimizers
from gdviz.apps import Explorer
from gdviz.apps.explorer import GRAD_BELOW
from gdviz.figures import explorer as pictures
from gdviz.figures import explorer_figure

ALPHAS = (0.02, 0.021)  # both walk the full 100 steps on the bowl from its start


class Wire:
    """Counts what a FigureWidget sends: JSON text plus binary buffers."""

    def __init__(self, figure):
        self.bytes = 0
        original = figure._send

        def send(message, buffers=None):
            self.bytes += len(json.dumps(message, default=str)) + sum(len(bytes(b)) for b in buffers or [])
            return original(message, buffers)

        figure._send = send


def timed(changes):
    """Median and best wall time of each change, in ms."""
    times = []
    for change in changes:
        start = time.perf_counter()
        change()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times), min(times)


def explorer_costs(app, kind, repeat):
    wire = Wire(app.figure)
    if kind == "step":
        last = len(app.trajectory) - 1
        changes = [lambda k=k: setattr(app.step, "value", k % (last + 1)) for k in range(repeat)]
    else:
        changes = [lambda k=k: setattr(app.alpha, "value", ALPHAS[(k + 1) % 2]) for k in range(repeat)]
    median, best = timed(changes)
    return median, best, wire.bytes / repeat


def walk(alpha):
    """The walk the Explorer computes for this alpha, with the same stop conditions."""
    bowl = gdviz.landscapes.get("bowl")
    steps = optimizers.gradient_descent(bowl, bowl.start, alpha)
    return gdviz.run(steps, max_steps=100, grad_below=GRAD_BELOW)


def naive_costs(kind, repeat):
    bowl = gdviz.landscapes.get("bowl")
    sizes = []
    trajectory = walk(ALPHAS[0])

    def change(k):
        path = walk(ALPHAS[k % 2]) if kind == "alpha" else trajectory
        step = len(path) - 1 if kind == "alpha" else k % len(path)
        sizes.append(len(explorer_figure(bowl, path, step).to_json()))

    median, best = timed([lambda k=k: change(k) for k in range(repeat)])
    return median, best, statistics.mean(sizes)


def walk_bytes():
    """Bytes of an alpha change's message if it carried the new walk alone, without Chad."""
    app = Explorer("bowl", alpha=ALPHAS[0], max_steps=100)
    wire = Wire(app.figure)
    app._send(pictures.path_update(walk(ALPHAS[1])))
    return wire.bytes


def opening_bytes(app):
    """What the browser receives to build the app: every widget's state, buffers included."""
    seen, stack, total, bundle = set(), [app, app._play_link], 0, 0
    while stack:
        widget = stack.pop()
        if widget.model_id in seen:
            continue
        seen.add(widget.model_id)
        full_state = widget.get_state()
        state, _, buffers = _remove_buffers(full_state)
        total += len(json.dumps(state, default=str)) + sum(len(bytes(b)) for b in buffers)
        if isinstance(state.get("_esm"), str):  # anywidget ships the JavaScript as a state string
            bundle += len(json.dumps(state["_esm"]))
        for value in full_state.values():  # children, layout, style: other widgets, as "IPY_MODEL_<id>"
            stack.extend(_referenced(value))
    return total, bundle


def _referenced(value):
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return [_instances[value[len("IPY_MODEL_"):]]]
    if isinstance(value, (list, tuple)):
        return [widget for item in value for widget in _referenced(item)]
    return []


def main():
    app = Explorer("bowl", alpha=ALPHAS[0], max_steps=100)
    assert app.trajectory.n_updates == 100, app.status.value
    explorer_costs(app, "step", 20)  # warm caches before measuring
    print("per slider change, 100-step path on the bowl   kernel ms (median / best)   bytes sent")
    rows = {}
    for kind, repeat in (("step", 300), ("alpha", 60)):
        rows[kind] = (explorer_costs(app, kind, repeat), naive_costs(kind, max(20, repeat // 5)))
        (fast_median, fast_best, fast_bytes), (slow_median, slow_best, slow_bytes) = rows[kind]
        print(f"  {kind:<6} Explorer                        {fast_median:7.2f} / {fast_best:5.2f}"
              f"          {fast_bytes:9,.0f}")
        print(f"  {kind:<6} naive: rebuild + to_json        {slow_median:7.2f} / {slow_best:5.2f}"
              f"          {slow_bytes:9,.0f}")
        print(f"  {kind:<6} naive / Explorer                {slow_median / fast_median:7.1f}x"
              f"                 {slow_bytes / fast_bytes:8.1f}x fewer bytes")
    walk_median, _ = timed([lambda k=k: walk(ALPHAS[k % 2]) for k in range(60)])
    print(f"  of an alpha change, computing the 100-step walk itself (gdviz.run): {walk_median:.2f} ms")
    print(f"  of an alpha change, sending the new walk itself, without Chad: {walk_bytes():,} bytes")
    print("targets: < 2 ms and < 4,000 bytes per change; >= 10x fewer bytes than the naive app")
    for kind, ((median, _, sent), (_, _, naive)) in rows.items():
        verdict = [("time", median < 2), ("bytes", sent < 4000), ("ratio", naive / sent >= 10)]
        print(f"  {kind:<6} " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in verdict))

    total, bundle = opening_bytes(Explorer())
    print(f"\nopening one Explorer: {total:,} bytes of widget state, of which {bundle:,} are plotly's "
          f"JavaScript bundle and {total - bundle:,} the figure and controls")


if __name__ == "__main__":
    main()
