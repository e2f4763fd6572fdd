"""One lesson notebook in JupyterLab, as a student meets it: Run All, then its app driven by keys.

Every notebook of the course runs in a kernel under nbval and draws every figure in Voila; this
test adds what only a connected JupyterLab page shows, on the lesson whose app has the most to
agree on (`11_why_momentum_works`, the `MomentumMap`): the whole notebook runs with no error
output and no broken widget, the kernel is the interpreter under test, and after each key the
page's Chad (his whole walk, `gd.data` of the graph holding the trace named "Chad") is the walk
the kernel computed for the sliders' values.
"""

import json
import re
import sys

import pytest

pytestmark = pytest.mark.browser

LESSON = "11_why_momentum_works.ipynb"

# The lesson's app, found in the kernel (the notebook does not name it), as JSON.
KERNEL_APP = """
import gc as _gc
from gdviz.apps import MomentumMap as _MomentumMap
_apps = [_o for _o in _gc.get_objects() if isinstance(_o, _MomentumMap)]
assert len(_apps) == 1, f"expected one MomentumMap in the kernel, found {len(_apps)}"
_app = _apps[0]
print(_json.dumps({"alpha": _app.alpha.value, "beta": _app.beta.value,
                   "walk": [[float(v) for v in point] for point in _app.walk.trajectory.w],
                   "best": [_app.optimum.alpha, _app.optimum.beta], "status": _app.status.value}))
"""

# Chad's walk as the page draws it: the trace named "Chad" in whichever graph holds one.
PAGE_WALK_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot')) {
    const trace = (gd.data || []).find((t) => t.name === 'Chad');
    if (trace) return Array.from(trace.x, (x, i) => [Number(x), Number(trace.y[i])]);
  }
  return null;
}"""


def describe(cell: dict) -> str:
    errors = [f"{out['ename']}: {out['evalue']}" for out in cell["outputs"] if out["type"] == "error"]
    return f"cell {cell['index']} (execution count {cell['count']}): " + "; ".join(errors)


# Resolves once the beta slider's spoken value is no longer `old`.
BETA_CHANGED_JS = """(old) => {
  const slider = document.querySelector('input[type=range][aria-label="momentum beta"]');
  return slider !== null && slider.getAttribute('aria-valuetext') !== old;
}"""


def app_in_kernel(notebook) -> dict:
    return json.loads(notebook.kernel_execute("import json as _json\n" + KERNEL_APP))


def assert_page_walk_is_kernels(tab, kernel: dict) -> None:
    page = tab.page.evaluate(PAGE_WALK_JS)
    assert page is not None, "no trace named Chad in any graph of the page"
    assert len(page) == len(kernel["walk"]) > 1
    flat = [value for point in page for value in point]
    assert flat == pytest.approx([v for point in kernel["walk"] for v in point], rel=1e-9, abs=1e-12)


def test_the_momentum_lesson_runs_and_its_app_follows_the_keyboard(tab, open_notebook, named_controls,
                                                                  settled, report_line):
    notebook = open_notebook(tab, LESSON)
    state = notebook.run_all()
    failed = [describe(cell) for cell in state["cells"] if any(o["type"] == "error" for o in cell["outputs"])]
    assert not failed, f"{LESSON}: error outputs in\n" + "\n".join(failed)
    assert state["run"]["ok"], f"{LESSON}: Run All Cells did not complete: {state['run']}"
    assert not [cell["index"] for cell in state["cells"] if cell["count"] is None], "cells never run"
    assert notebook.kernel_json("__import__('sys').executable") == sys.executable
    assert tab.page.get_by_text("Error displaying widget").count() == 0
    settled(tab)

    before = app_in_kernel(notebook)
    assert_page_walk_is_kernels(tab, before)

    # beta, found by its accessible name, moved one step by the keyboard: a new walk in the page.
    controls = named_controls(tab)
    beta = controls.slider("momentum beta")
    assert beta.count() == 1
    spoken = beta.get_attribute("aria-valuetext")
    assert float(spoken) == pytest.approx(before["beta"], abs=1e-9)
    beta.focus()
    tab.page.keyboard.press("ArrowRight")
    tab.page.wait_for_function(BETA_CHANGED_JS, arg=spoken, timeout=30_000)
    settled(tab)
    after = app_in_kernel(notebook)
    assert after["beta"] == pytest.approx(before["beta"] + 0.001, abs=1e-9)
    assert after["walk"] != before["walk"] and after["status"] != before["status"]
    assert_page_walk_is_kernels(tab, after)

    # The "momentum's best" button, reached and pressed by keyboard: the sliders jump to the star.
    # (The name is matched, not exact: the star icon adds a glyph of Font Awesome's to it.)
    button = tab.page.get_by_role("button", name=re.compile(r"^\W*momentum's best$"))
    assert button.count() == 1
    button.focus()
    spoken = controls.slider("momentum beta").get_attribute("aria-valuetext")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function(BETA_CHANGED_JS, arg=spoken, timeout=30_000)
    settled(tab)
    best = app_in_kernel(notebook)
    assert best["alpha"] == pytest.approx(best["best"][0], abs=0.0005 + 1e-9)
    assert best["beta"] == pytest.approx(best["best"][1], abs=0.0005 + 1e-9)
    assert float(controls.slider("momentum beta").get_attribute("aria-valuetext")) == pytest.approx(
        best["beta"], abs=1e-9)
    assert_page_walk_is_kernels(tab, best)
    report_line(f"JupyterLab, {LESSON}: beta and the 'momentum's best' button driven by keyboard; "
                f"page and kernel agree on Chad's {len(best['walk'])}-point walk")
