"""The Explorer served by Voila, the classroom view: outputs only, and the sliders still drive Chad."""

import json
import math
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def numbers(chad: list[dict]) -> list[float]:
    return [value for trace in chad for axis in "xyz" for value in (trace[axis] or [])]


def code_lines(notebook: Path) -> list[str]:
    """The non-blank source lines of a notebook's code cells."""
    cells = json.loads(notebook.read_text())["cells"]
    sources = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    return [line.strip() for source in sources for line in source.splitlines() if line.strip()]


def test_voila_draws_chad_and_shows_no_code(explorer_in_voila, voila_server):
    page = explorer_in_voila.page
    chad = numbers(explorer_in_voila.chad())
    assert len(chad) == 3, f"expected one trace named Chad with one point, got {explorer_in_voila.chad()}"
    assert all(math.isfinite(value) for value in chad)
    # A code cell's input area or an editor is what code looks like on these pages (markdown
    # cells render inside an input area too, so only code cells' count).
    assert page.locator(".jp-CodeCell .jp-InputArea, .jp-InputPrompt, .cm-editor, .CodeMirror").count() == 0
    # And no code cell's source text is on screen (markdown may quote code, so only code cells).
    code_cells_text = "\n".join(page.locator(".jp-CodeCell").all_inner_texts())
    lines = code_lines(voila_server.root / "explorer.ipynb")
    shown = [line for line in lines if len(line) >= 8 and line in code_cells_text]
    assert not shown, f"code visible on the Voila page: {shown}"
    assert page.get_by_text("Traceback").count() == 0
    assert page.get_by_text("There was an error when executing cell").count() == 0
    assert page.get_by_role("slider").count() >= 1


def test_voila_alpha_arrow_key_moves_chad(explorer_in_voila, settled, report_line, named_controls):
    tab = explorer_in_voila
    settled(tab)
    chad_before = numbers(tab.chad())
    received_before, sent_before = tab.traffic()
    controls = named_controls(tab)
    readout = controls.readout("learning rate alpha")
    alpha_before = float(readout.input_value())

    seconds = tab.press_and_time(controls.slider("learning rate alpha"), "ArrowRight")
    settled(tab)
    received, sent = tab.traffic()
    report_line(
        f"Voila, ArrowRight on alpha: Chad moved {seconds:.3f} s after the key press; "
        f"kernel websocket {received - received_before:,} B received, {sent - sent_before:,} B sent"
    )
    assert float(readout.input_value()) > alpha_before
    # The Explorer shows callback errors in its status line, starting "Error:".
    assert tab.page.get_by_text(re.compile(r"^Error:")).count() == 0
    chad_after = numbers(tab.chad())
    assert chad_after != chad_before
    assert len(chad_after) == 3 and all(math.isfinite(value) for value in chad_after)


# A notebook that changes the Explorer in the same cell that shows it, as a lecturer's notebook
# might: the page connects after the kernel ran it, so it builds the figure from the widget state.
LATE_PAGE_NOTEBOOK = "gdviz_late_page_check.ipynb"
LATE_PAGE_CELLS = [
    "import json\n"
    "from gdviz.apps import Explorer\n"
    "from gdviz.figures import style\n"
    "app = Explorer('bowl')\n"
    "app.landscape.value = 'ravine'\n"
    "app",
    "chad = style.trace(app.figure, 'chad')\n"
    "surface = style.trace(app.figure, 'surface')\n"
    "print('GDVIZ-STATE ' + json.dumps({'title': app.figure.layout.title.text,\n"
    "                                   'z_row': [float(v) for v in surface.z[0]],\n"
    "                                   'chad': [float(v) for v in (*chad.x, *chad.y, *chad.z)]}))",
]

# The figure as the page draws it: its title, the surface's first row, Chad.
PAGE_FIGURE_JS = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const surface = gd.data.find((trace) => trace.type === 'surface');
  return {title: gd.layout.title.text, z_row: Array.from(surface.z[0], Number)};
}"""


def test_voila_draws_changes_made_before_the_page_connected(voila_course_server, tab, report_line,
                                                             write_notebook):
    """Guards `gdviz.apps._plotly_compat.refresh_saved_state`.

    The Explorer is switched to the ravine after it was built on the bowl, before it is shown.
    Voila's page connects after the kernel ran the cell, so it builds the figure from the
    FigureWidget's saved state, which plotly refreshes only when the figure itself is displayed,
    never inside the app's VBox. Without the workaround the page draws the bowl's title and
    surface under the ravine's controls. (Chad alone would not tell: the page sends the alpha
    slider's value back once, 1e-16 off the kernel's, and the walk drawn again moves him.)
    """
    write_notebook(voila_course_server.root / LATE_PAGE_NOTEBOOK, LATE_PAGE_CELLS)
    server = voila_course_server
    tab.page.goto(f"{server.url}voila/render/{LATE_PAGE_NOTEBOOK}?token={server.token}")
    tab.wait_for_graph(timeout_ms=120_000)
    printed = tab.page.get_by_text(re.compile(r"^GDVIZ-STATE ")).first.inner_text(timeout=60_000)
    kernel = json.loads(printed.removeprefix("GDVIZ-STATE "))
    assert "ravine" in kernel["title"]
    page = tab.page.evaluate(PAGE_FIGURE_JS)
    report_line(f"Voila, a landscape changed before the page connected: page title {page['title']!r}")
    assert page["title"] == kernel["title"]
    assert page["z_row"] == pytest.approx(kernel["z_row"], rel=1e-9, abs=1e-12)
    assert numbers(tab.chad()) == pytest.approx(kernel["chad"], rel=1e-6, abs=1e-9)
