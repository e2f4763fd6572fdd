"""Refresh the outputs a notebook keeps: those of its cells tagged `nbval-check-output`.

    python tests/checked_outputs.py notebooks/06_learning_rate.ipynb [...]

Runs each notebook top to bottom in a fresh kernel (this interpreter), then
writes it back with the printed output of every checked cell, numbered in
order, and no output anywhere else: what nbval compares and nothing more.
"""

import os
import sys

import nbformat
from nbclient import NotebookClient

CHECK = "nbval-check-output"


def refresh(path):
    notebook = nbformat.read(path, as_version=4)
    executed = nbformat.read(path, as_version=4)
    folder = os.path.dirname(path) or "."
    client = NotebookClient(executed, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": folder}})
    client.execute()
    count = 0
    for cell, ran in zip(notebook.cells, executed.cells, strict=True):
        if cell.cell_type != "code":
            continue
        if CHECK in cell.metadata.get("tags", []):
            count += 1
            cell.outputs = [output for output in ran.outputs if output.output_type == "stream"]
            cell.execution_count = count
            for output in cell.outputs:
                output.pop("execution_count", None)
        else:
            cell.outputs, cell.execution_count = [], None
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        refresh(argument)
        print("refreshed", argument)
