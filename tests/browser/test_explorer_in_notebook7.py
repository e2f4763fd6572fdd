"""The Explorer in Jupyter Notebook 7, driven by keyboard: its page binds the arrow keys to moving
between cells, so this is where a slider that let the page take its keys would fail."""

import json

import pytest

pytestmark = pytest.mark.browser

# Chad in the kernel's figure, and the walk at the current step, as the Lab tests read them.
KERNEL_CHECK = """
import gc as _gc, json as _json
from gdviz.apps import Explorer as _Explorer
_app, = [_o for _o in _gc.get_objects() if isinstance(_o, _Explorer)]
_chad = [t for t in _app.figure.data if t.name == "Chad"][0]
print(_json.dumps({"error": None if _app.error is None else str(_app.error),
                   "figure": [float(v) for v in (*_chad.x, *_chad.y, *_chad.z)],
                   "walk": [*map(float, _app.trajectory.w[_app.step.value]),
                            float(_app.trajectory.loss[_app.step.value])]}))
"""


def test_a_keyboard_alone_drives_the_explorer_in_notebook7(explorer_in_notebook7, named_controls):
    """Found by role and name, operated by keys only (`NamedControls.drive_by_keyboard`); then the
    page's Chad is the kernel's."""
    notebook = explorer_in_notebook7
    named_controls(notebook.tab).drive_by_keyboard("Notebook 7")
    kernel = json.loads(notebook.kernel_execute(KERNEL_CHECK))
    assert kernel["error"] is None
    page = [value for trace in notebook.tab.chad() for axis in "xyz" for value in trace[axis]]
    assert page == pytest.approx(kernel["figure"], rel=1e-9, abs=1e-12)
    assert page == pytest.approx(kernel["walk"], rel=1e-9, abs=1e-12)
