"""Every course notebook, opened in JupyterLab and run top to bottom in Chromium, shows no error.

``notebook_name`` is parametrised over notebooks/*.ipynb by ``pytest_generate_tests`` in conftest.
"""

import sys

import pytest

pytestmark = pytest.mark.browser


def describe(cell: dict) -> str:
    errors = [f"{out['ename']}: {out['evalue']}" for out in cell["outputs"] if out["type"] == "error"]
    return f"cell {cell['index']} (execution count {cell['count']}): " + "; ".join(errors)


def test_notebook_runs_without_errors(tab, open_notebook, notebook_name):
    name = notebook_name
    notebook = open_notebook(tab, name)
    state = notebook.run_all()

    failed = [describe(cell) for cell in state["cells"] if any(o["type"] == "error" for o in cell["outputs"])]
    assert not failed, f"{name}: error outputs in\n" + "\n".join(failed)
    assert state["run"]["ok"], f"{name}: Run All Cells did not complete: {state['run']}"
    not_run = [cell["index"] for cell in state["cells"] if cell["count"] is None]
    assert not not_run, f"{name}: code cells never executed: {not_run}"
    assert state["kernel"] == "idle"
    # The kernel is this interpreter, so the notebook used the gdviz under test.
    assert notebook.kernel_json("__import__('sys').executable") == sys.executable
    broken_widgets = tab.page.get_by_text("Error displaying widget").count()
    assert broken_widgets == 0, f"{name}: {broken_widgets} widget(s) failed to render"
