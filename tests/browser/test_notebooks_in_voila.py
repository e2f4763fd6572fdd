"""Every course notebook as a student's Voila page: each figure and app drawn with its data, and
nothing a person would see wrong, at a laptop's width and a desktop's.

The pages are served with presentation mode off and looked at in a 1366 x 900 window, then the
same page widened to 1920 x 1080: no two labels of a figure overlap, none is cut by its figure's
edge, and no control's label is cut short (`look`). The lecture view, presentation mode at a
projector's sizes, is looked at by `test_look_presentation.py` (`make test-look`).

Voila's page connects to the kernel only after every cell has run, so it draws
widgets from their saved state rather than from the update messages sent while
the cells ran. An app whose saved state lagged behind showed empty axes here
while JupyterLab, connected all along, showed it whole.
"""

import json
import os
import re
from pathlib import Path

import pytest
from look import look, problems

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"

pytestmark = pytest.mark.browser

# jupyterlab-plotly's renderer for a static figure (`fig.show()`), once the figure is
# drawn, stores a PNG snapshot of it in the output's model with `setData`. Voila's
# output models are read-only and have no `setData`, so the snapshot fails after the
# figure is on screen; every figure is still checked below for drawn data.
PLOTLY_SNAPSHOT_IN_VOILA = re.compile(r"^page error: \w+\.setData is not a function$")
# anywidget (0.9.x and later) gives each model 2 s to load its front-end module, then rejects the
# model and drops its every later update. A FigureWidget's module is plotly's whole 5 MB bundle:
# a page that built several at once missed that limit under load. The lesson apps are drawn still
# and go live one after another (`gdviz.apps._pacer`), so a page loads one module at a time, and
# this error fails the test (`test_slow_machine.py` checks it with the CPU throttled 4x).
ANYWIDGET_SLOW_START = re.compile(r"^page error: \[anywidget\] Failed to initialize model\.$")

# Per plotly graph on the page: how many traces, and how many of them carry any points.
GRAPHS_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd) => {
  const traces = gd.data || [];
  const filled = traces.filter((t) => ['x', 'y', 'z', 'values'].some(
    (key) => t[key] && (t[key].length > 0 || Object.keys(t[key]).length > 0)));
  return {traces: traces.length, filled: filled.length};
})"""


TALLEST_JS = "() => Math.max(...Array.from(document.querySelectorAll('*')).map((e) => e.scrollHeight))"

# What a projector would show badly: text under 18 px in a figure or an app (with where it is),
# and anything wider than the window.
PROJECTED_JS = """() => {
  const small = [];
  const note = (element, where) => {
    const text = element.textContent.trim();
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (text && size < 18) small.push(`${where} "${text.slice(0, 30)}": ${size}px`);
  };
  document.querySelectorAll('.js-plotly-plot text').forEach((e) => note(e, 'figure'));
  document.querySelectorAll('.jupyter-widgets *').forEach((e) => {
    if (e.closest('.js-plotly-plot')) return;
    const ownText = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText || (e.tagName === 'INPUT' && e.type === 'text') || e.tagName === 'SELECT') note(e, 'widget');
  });
  const width = window.innerWidth;
  const wide = Array.from(document.querySelectorAll('.js-plotly-plot, .jupyter-widgets'))
    .map((e) => Math.round(e.getBoundingClientRect().right)).filter((right) => right > width);
  return {small: small, wide: wide, page: document.documentElement.scrollWidth, width: width};
}"""


def shows_figures(notebook_name):
    """Whether a notebook displays any figure or app (the instructor key only prints verdicts)."""
    cells = json.loads((NOTEBOOKS / notebook_name).read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    return any(".show()" in source or "apps." in source or "Explorer" in source for source in sources)


def open_in_voila(tab, server, notebook_name, width, height):
    """The notebook's Voila page in a width x height window, once every figure it shows is drawn."""
    page = tab.page
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server.url}voila/render/{notebook_name}?token={server.token}", timeout=180_000)
    # Voila removes its "Running ..." spinner once every cell has run.
    page.wait_for_function("() => document.readyState === 'complete' && !document.getElementById('loading')",
                           timeout=180_000, polling=250)
    # Widgets render after that: wait until the count of graphs stops changing (for a notebook that
    # shows no figure, until it has stayed at none for a second).
    expected = shows_figures(notebook_name)
    previous, graphs = None, []
    for _ in range(40):
        page.wait_for_timeout(500)
        graphs = page.evaluate(GRAPHS_JS)
        if graphs == previous and (graphs or not expected):
            break
        previous = graphs
    assert page.get_by_text("There was an error when executing cell").count() == 0
    assert page.get_by_text("Error displaying widget").count() == 0
    assert page.get_by_text("Traceback").count() == 0
    if not expected:
        assert graphs == [], f"{notebook_name}: figures drawn by a notebook that shows none"
        return page, graphs
    assert graphs, f"{notebook_name}: no plotly figure drawn"
    empty = [index for index, graph in enumerate(graphs) if graph["filled"] == 0]
    assert not empty, f"{notebook_name}: figures {empty} of {len(graphs)} drawn without any data: {graphs}"
    return page, graphs


def saved_screenshot(page, notebook_name, mode, width):
    """With GDVIZ_SCREENSHOTS set (`make screenshots`), the whole page as a picture in that folder."""
    folder = os.environ.get("GDVIZ_SCREENSHOTS")
    if not folder:
        return
    height = page.viewport_size["height"]
    page.set_viewport_size({"width": width, "height": page.evaluate(TALLEST_JS)})
    page.wait_for_timeout(1_000)
    Path(folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(Path(folder) / f"{mode}-{width}-{Path(notebook_name).stem}.png"), full_page=True)
    page.set_viewport_size({"width": width, "height": height})


def no_slow_starts(tab, notebook_name):
    """anywidget never gave up on a figure's module (see ANYWIDGET_SLOW_START); Voila's plotly snapshot
    error (PLOTLY_SNAPSHOT_IN_VOILA) is not ours and is dropped. Called after `looked_at`: by then the
    page's widgets were made over 3 s ago (a second of steady graphs, a second in each size), past
    anywidget's 2 s, so a give-up has been reported."""
    slow = [error for error in tab.errors if ANYWIDGET_SLOW_START.match(error)]
    assert not slow, f"{notebook_name}: anywidget gave up on {len(slow)} figure module(s)"
    tab.errors[:] = [error for error in tab.errors if not PLOTLY_SNAPSHOT_IN_VOILA.match(error)]


def looked_at(page, notebook_name, mode, sizes):
    """The page resized to each (width, height) in turn, `look` finding nothing there; yields each
    size for more checks, then saves its screenshot (`make screenshots`)."""
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1_000)  # plotly redraws a figure that takes its container's width
        found = problems(look(page))
        assert not found, f"{notebook_name} at {width} x {height}, {mode} mode:\n" + "\n".join(found)
        yield width, height
        saved_screenshot(page, notebook_name, mode, width)


def test_notebook_draws_every_figure_readably_in_voila(tab, voila_normal_server, notebook_name):
    page, _ = open_in_voila(tab, voila_normal_server, notebook_name, 1366, 900)
    for _ in looked_at(page, notebook_name, "normal", ((1366, 900), (1920, 1080))):
        pass
    assert not page.locator('[data-title="Share chart..."]').count(), "a figure offers to upload itself"
    no_slow_starts(tab, notebook_name)
