"""The Explorer and one lesson in JupyterLab, looked at as the Voila pages are: in a student's
laptop and desktop windows (1366 x 900, 1920 x 1080), and as a lecturer projects them, after
`gdviz.presentation()` in the first cell, in a projector's two windows (1024 x 768, 1280 x 720).

In each size: no two labels of a figure overlap, none is cut by its figure, no control label is
cut short, no icon is blank (`look`). In presentation mode also the notebook's prose, tables and
printed output at `PROSE_PX` or more: JupyterLab styles those, not gdviz, and an environment
variable never reaches its page, so this is where `gdviz.presentation()` bringing its own style
into the page is seen to work. Marker `look`: these run in `make test-look`.
"""

import json

import pytest
from look import look, problems, small_prose
from test_notebooks_in_voila import PROJECTED_JS, saved_screenshot

from gdviz import presentation

pytestmark = [pytest.mark.browser, pytest.mark.look]

NOTEBOOKS = ["explorer.ipynb", "11_why_momentum_works.ipynb"]
TURN_ON = "import gdviz\n\ngdviz.presentation()  # large text for a projector, in figures, apps and prose"


def lecture_copy(root, name):
    """`name` with a first cell that turns presentation mode on, as a lecturer would add it."""
    notebook = json.loads((root / name).read_text())
    notebook["cells"].insert(0, {"cell_type": "code", "execution_count": None, "metadata": {},
                                 "outputs": [], "source": TURN_ON})
    copy = f"lecture-{name}"
    (root / copy).write_text(json.dumps(notebook))
    return copy


def run_in_lab(tab, open_notebook, name):
    notebook = open_notebook(tab, name)
    # The left side bar closed, as for a projector: the notebook gets the window's width.
    tab.page.evaluate("() => window.jupyterapp.shell.collapseLeft()")
    state = notebook.run_all()
    errors = [out for cell in state["cells"] for out in cell["outputs"] if out["type"] == "error"]
    assert not errors, f"{name} raised in JupyterLab: {errors}"
    assert tab.page.get_by_text("Error displaying widget").count() == 0
    return notebook


def look_in_sizes(page, name, mode, sizes):
    """Each size in turn, the whole notebook scrolled through (JupyterLab draws cells as they come
    into view), `look` finding nothing; yields each size for more checks."""
    for width, height in sizes:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(1_000)
        found = []
        for cell in range(page.locator(".jp-Cell").count()):
            page.locator(".jp-Cell").nth(cell).scroll_into_view_if_needed()
            page.wait_for_timeout(150)
            found += [line for line in problems(look(page)) if line not in found]
        assert not found, f"JupyterLab, {name} at {width} x {height}, {mode} mode:\n" + "\n".join(found)
        yield width
        saved_screenshot(page, f"lab-{name}", mode, width)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_students_notebook_in_lab_reads_well(tab, open_notebook, name):
    run_in_lab(tab, open_notebook, name)
    for _ in look_in_sizes(tab.page, name, "normal", ((1366, 900), (1920, 1080))):
        pass


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_lecture_in_lab_reads_well_and_its_prose_is_large(tab, open_notebook, jupyter_home, name):
    _, root = jupyter_home
    run_in_lab(tab, open_notebook, lecture_copy(root, name))
    page = tab.page
    least = presentation.PROSE_PX
    for width in look_in_sizes(page, name, "presentation", ((1024, 768), (1280, 720))):
        small = []
        for cell in range(page.locator(".jp-Cell").count()):
            page.locator(".jp-Cell").nth(cell).scroll_into_view_if_needed()
            small += small_prose(page, least)
        small = sorted(set(small))
        assert not small, f"JupyterLab, {name} at {width} px, prose under {least} px: {small[:8]}"
        projected = page.evaluate(PROJECTED_JS)
        assert not projected["small"], f"JupyterLab, {name}: text under 18 px: {projected['small'][:8]}"
        assert not projected["wide"], f"JupyterLab, {name}: wider than a {width} px window: {projected}"
