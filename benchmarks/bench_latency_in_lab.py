"""How much of the Explorer's latency is ours: measured against a floor in the same JupyterLab page.

    python benchmarks/bench_latency_in_lab.py      (`make benchmark` runs it with the others)

It runs as one pytest test so that it drives the page with the browser tests' own fixtures
(tests/conftest.py and tests/browser/conftest.py, loaded as plugins): a real JupyterLab and
Debian's Chromium. Without Chromium it is skipped with the reason.

The floor is the least a kernel-driven figure can cost here: a bare FigureWidget with the
Explorer's bowl surface (60 x 60) and one marker, moved by one of gdviz's sliders whose observer
sets the marker's x and z. In one page session, after a warm-up figure has loaded plotly's
bundle, the test times

- open: from the command that runs a cell to its marker (for the floor) or Chad (for the
  Explorer) first drawn in the page;
- a key press: from the keydown on a slider to the marker or Chad moved in the page, for the
  floor's slider, the Explorer's alpha slider and its step slider, alternated, several times.

All of it runs twice: as this machine runs the page, and with Chromium's CPU throttled 4x
(`Emulation.setCPUThrottlingRate` through the DevTools protocol), as a busy Binder or an old
laptop would; the kernel is not slowed, only the page. The medians and their ratios to the floor
are printed in the run's summary for each, with the kernel websocket bytes per key press; they
are never asserted (a shared machine is too noisy). What is asserted: every press moved what it
should, to where the kernel put it.

Where the rest went, measured with this page: the kernel's reply reaches the page 40-70 ms after
the key press for both; the difference is the page's own work on the Explorer's figure (14
traces in four panels, redrawn whole by plotly.js on any change, then reported back to the
kernel by the FigureWidget as 14 kB, even when only Chad's marker moved). Contour lines drawn
on the 3D surface were half of that redraw; the Explorer leaves them off unless asked
(`Explorer(surface_contours=True)`).
"""

import statistics
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

NOTEBOOK = "gdviz_latency_floor.ipynb"
PRESSES = 5

WARM_UP = """import plotly.graph_objects as go
go.FigureWidget(go.Scatter(x=[0, 1], y=[0, 1], name="warm-up"))"""

FLOOR = """import ipywidgets as widgets
import plotly.graph_objects as go
from gdviz import landscapes
from gdviz.apps import controls

bowl = landscapes.get("bowl")
X, Y, Z = bowl.mesh(60)
floor = go.FigureWidget([go.Surface(x=X[0], y=Y[:, 0], z=Z, showscale=False),
                         go.Scatter3d(x=[-2.0], y=[1.5], z=[bowl((-2.0, 1.5))], mode="markers",
                                      name="floor marker")])
floor_slider = controls.FloatSlider(value=-2.0, min=-3.0, max=3.0, step=0.01, description="w1",
                                    accessible_name="floor marker w1")

def move(change):
    floor.data[1].update(x=[change["new"]], z=[bowl((change["new"], 1.5))])

floor_slider.observe(move, "value")
widgets.VBox([floor_slider, floor])"""

EXPLORER = """from gdviz.apps import Explorer
explorer = Explorer("bowl")
explorer"""

KERNEL_STATE = """{"floor": [float(floor.data[1].x[0]), float(floor.data[1].z[0])],
 "chad": [float(v) for t in explorer.figure.data if t.name == "Chad" for v in (*t.x, *t.y, *t.z)]}"""

# Watch the trace named `name` in whichever graph holds it; note when it first differs from now.
# The clock starts at the next keydown (heard first, on the window) or at `window.__gdvizStart()`.
WATCH_JS = """(name) => {
  const read = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const trace = (gd.data || []).find((t) => t.name === name);
      if (trace) return JSON.stringify([trace.x, trace.y, trace.z].map((v) => Array.from(v || [], Number)));
    }
    return null;
  };
  const watch = {baseline: read(), start: null, seen: null};
  window.__gdvizWatch = watch;
  window.__gdvizStart = () => { watch.start = performance.now(); };
  window.addEventListener('keydown', () => { if (watch.start === null) watch.start = performance.now(); },
                          {capture: true, once: true});
  const timer = setInterval(() => {
    const now = read();
    if (watch.start !== null && now !== null && now !== watch.baseline) {
      watch.seen = performance.now();
      clearInterval(timer);
    }
  }, 5);
  setTimeout(() => clearInterval(timer), 120000);
}"""

# Run cell `index` of the current notebook, starting the watch's clock as the command is given.
RUN_CELL_JS = """(index) => {
  const app = window.jupyterapp;
  app.shell.currentWidget.content.activeCellIndex = index;
  window.__gdvizStart();
  return app.commands.execute('notebook:run-cell');
}"""


def seconds_until_seen(page, timeout_ms=120_000):
    page.wait_for_function("() => window.__gdvizWatch.seen !== null", timeout=timeout_ms, polling=20)
    watch = page.evaluate("() => window.__gdvizWatch")
    return (watch["seen"] - watch["start"]) / 1000


def open_cell(notebook, index, name):
    """Run cell `index`; seconds from the run command to the trace `name` drawn in the page."""
    notebook.page.evaluate(WATCH_JS, name)
    notebook.page.evaluate(RUN_CELL_JS, index)
    return seconds_until_seen(notebook.page)


def press(notebook, slider, key, name, settled):
    """Press `key` on `slider`; seconds until the trace `name` moved, and kernel bytes (in, out)."""
    settled(notebook.tab)
    received, sent = notebook.tab.traffic()
    slider.focus()
    notebook.page.evaluate(WATCH_JS, name)
    notebook.page.keyboard.press(key)
    seconds = seconds_until_seen(notebook.page, 30_000)
    settled(notebook.tab)
    after = notebook.tab.traffic()
    return seconds, after[0] - received, after[1] - sent


@pytest.mark.parametrize("slowdown", [1, 4])
def test_explorer_latency_against_the_floor(lab_server, tab, open_notebook, named_controls, settled,
                                           report_line, write_notebook, slowdown):
    name = NOTEBOOK.replace(".ipynb", f"_{slowdown}x.ipynb")
    write_notebook(lab_server.root / name, [WARM_UP, FLOOR, EXPLORER])
    notebook = open_notebook(tab, name)
    if slowdown > 1:
        devtools = tab.page.context.new_cdp_session(tab.page)
        devtools.send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    warm = open_cell(notebook, 0, "warm-up")
    floor_open = open_cell(notebook, 1, "floor marker")
    settled(tab)
    explorer_open = open_cell(notebook, 2, "Chad")
    settled(tab)

    controls = named_controls(tab)
    floor_slider = controls.slider("floor marker w1")
    alpha, step = controls.slider("learning rate alpha"), controls.slider("step of Chad's walk shown")
    times = {"floor": [], "alpha": [], "step": []}
    traffic = {"floor": [], "alpha": [], "step": []}
    for index in range(PRESSES):
        key = "ArrowRight" if index % 2 == 0 else "ArrowLeft"  # back and forth, never off a slider's end
        # A new alpha puts the step slider at the walk's end: one step back moves Chad.
        for label, slider, slider_key, name in (("floor", floor_slider, key, "floor marker"),
                                                ("alpha", alpha, key, "Chad"),
                                                ("step", step, "ArrowLeft", "Chad")):
            seconds, received, sent = press(notebook, slider, slider_key, name, settled)
            times[label].append(seconds)
            traffic[label].append(received + sent)

    # Each press moved what it should, to where the kernel put it.
    kernel = notebook.kernel_json(KERNEL_STATE)
    page = notebook.page.evaluate("""() => {
      const found = {};
      for (const gd of document.querySelectorAll('.js-plotly-plot')) for (const t of gd.data || []) {
        if (t.name === 'floor marker') found.floor = [Number(t.x[0]), Number(t.z[0])];
        if (t.name === 'Chad') found.chad = [...t.x, ...t.y, ...t.z].map(Number);
      }
      return found; }""")
    assert page["floor"] == pytest.approx(kernel["floor"], rel=1e-9)
    assert page["chad"] == pytest.approx(kernel["chad"], rel=1e-9, abs=1e-12)

    median = {label: statistics.median(values) for label, values in times.items()}
    pace = "as this machine runs it" if slowdown == 1 else f"CPU {slowdown}x slower"
    report_line(f"Latency against the floor (JupyterLab, one page, {pace}, median of {PRESSES} presses each; "
                f"warm-up figure {warm:.2f} s):")
    report_line(f"  open: floor {floor_open:.2f} s, Explorer's first Chad {explorer_open:.2f} s: "
                f"ratio {explorer_open / floor_open:.2f}")
    floor_bytes = statistics.median(traffic["floor"])
    for label in ("alpha", "step"):
        report_line(f"  key to Chad, {label}: {median[label]:.3f} s against the floor's "
                    f"{median['floor']:.3f} s: ratio {median[label] / median['floor']:.2f}; kernel websocket "
                    f"per press {statistics.median(traffic[label]):,.0f} B against {floor_bytes:,.0f} B")


if __name__ == "__main__":
    ROOT = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(ROOT))  # so that the browser tests' fixtures import as a plugin
    sys.path.insert(0, str(ROOT / "tests"))  # and the helpers they import beside them (recording)
    plugins = ["-p", "tests.conftest", "-p", "tests.browser.conftest"]
    sys.exit(pytest.main([__file__, "--rootdir", str(ROOT), *plugins, "-q"]))
