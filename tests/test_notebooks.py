"""The committed course notebooks: valid, complete, clean; and their export to offline HTML.

Running the course is nbval's job (`pytest --nbval-lax notebooks`, in `make
test`); the tests of the course read the files only. A committed notebook
keeps outputs only in cells that nbval compares (tagged `nbval-check-output`,
and `keep_output` so that tools keep them), and those outputs are plain printed
text; it never carries widget state. The tags keep the testing out of the
code a student reads: no cell carries nbval's comment markers.

The formulas of the converted notebooks are LaTeX. The export's tests here
render pages in memory (tests/test_export.py checks the folder it writes);
tests/browser/test_export_offline.py opens exported pages in Chromium with
the network refused, plays Chad and finds typeset maths, with and without code.
"""

import ast
import json
import re
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest
from plotly.offline import get_plotlyjs

from gdviz import export

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE = [
    "00_start_here", "01_parameterized_learning", "02_the_loss_landscape", "03_meet_chad",
    "04_vanilla_gradient_descent", "05_curvature", "06_learning_rate", "07_beyond_quadratics",
    "08_gd_on_a_classifier",
    "09_stochastic_gradient_descent", "10_beyond_vanilla", "11_why_momentum_works",
    "12_second_order", "13_neural_network_landscape",
]
CHECK = "nbval-check-output"  # the tag nbval reads as "compare this cell's output"
WIDGET_TYPES = ("application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json")
# What a notebook may import: the package and the two standard helpers its cells use.
ALLOWED_IMPORTS = {"gdviz", "numpy", "inspect"}


def read(name):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def checked(cell):
    return CHECK in cell.metadata.get("tags", [])


def test_the_numbered_course_is_complete():
    numbered = sorted(path.stem for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert numbered == COURSE


@pytest.fixture(params=COURSE)
def notebook(request):
    return read(request.param)


def test_valid_nbformat_with_a_python_kernel(notebook):
    nbformat.validate(notebook)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_no_widget_state(notebook):
    assert "widgets" not in notebook.metadata
    for cell in code_cells(notebook):
        assert "widgets" not in cell.metadata
        for output in cell.outputs:
            assert not set(output.get("data", {})) & set(WIDGET_TYPES)


def test_outputs_only_in_checked_cells_and_only_as_printed_text(notebook):
    for cell in code_cells(notebook):
        kept = "keep_output" in cell.metadata.get("tags", [])
        assert kept == checked(cell), f"keep_output and {CHECK} disagree in:\n{cell.source}"
        assert "NBVAL" not in cell.source, f"a testing marker in the code a student reads:\n{cell.source}"
        if not checked(cell):
            assert cell.outputs == [] and cell.execution_count is None, cell.source
            continue
        # nbval compares these; it skips (and fails) a cell with outputs but no execution count.
        assert cell.outputs and cell.execution_count is not None, cell.source
        for output in cell.outputs:
            assert output.output_type == "stream" and output.name == "stdout", cell.source
            assert "uid" not in output.text and "FigureWidget" not in output.text


def test_each_notebook_checks_something(notebook):
    assert any(checked(cell) for cell in code_cells(notebook))


def test_cells_are_short_calls_to_gdviz_not_helper_code(notebook):
    for cell in code_cells(notebook):
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                pytest.fail(f"a class defined in a notebook:\n{cell.source}")
            if isinstance(node, ast.FunctionDef):
                # The only functions are the student's own, in the exercises.
                assert node.name.startswith("my_"), cell.source
            if isinstance(node, ast.Import):
                assert {alias.name.split(".")[0] for alias in node.names} <= ALLOWED_IMPORTS, cell.source
            if isinstance(node, ast.ImportFrom):
                assert node.module.split(".")[0] in ALLOWED_IMPORTS, cell.source
        assert len(cell.source.splitlines()) <= 12, f"a long cell:\n{cell.source}"


def test_each_notebook_ends_with_a_summary_and_checkable_exercises(notebook):
    markdown = [cell.source for cell in notebook.cells if cell.cell_type == "markdown"]
    headings = [line for text in markdown for line in text.splitlines() if line.startswith("## ")]
    assert "## Summary" in headings and "## Exercises" in headings
    exercises_at = next(i for i, cell in enumerate(notebook.cells)
                        if cell.cell_type == "markdown" and "## Exercises" in cell.source)
    after = [cell.source for cell in notebook.cells[exercises_at:] if cell.cell_type == "code"]
    assert any("gdviz.exercises.check_" in source for source in after)


def test_no_machine_paths_or_figure_widgets_left_as_checked_values(notebook):
    for cell in notebook.cells:
        assert not re.search(r"/(work|home|root|tmp)/", cell.source), cell.source
    for cell in code_cells(notebook):
        if checked(cell):
            assert "FigureWidget" not in cell.source and ".show()" not in cell.source


# Formulas are LaTeX in the Markdown ($...$ inline, $$...$$ displayed), typeset by JupyterLab, Voila and
# the exported pages; no formula is left in Unicode look-alikes. Checked on the notebooks converted so far.
TYPESET = COURSE[:8]
UNICODE_MATHS = set("²³⁰¹⁴⁵⁶⁷⁸⁹⁻ᵢⱼₖ∂∇αβγλΣ∑≈×√≤≥←−")


def prose_outside_maths_and_code(text):
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    return re.sub(r"\$[^$]*\$", "", text)


@pytest.mark.parametrize("name", TYPESET)
def test_formulas_are_latex(name):
    for cell in read(name).cells:
        if cell.cell_type != "markdown":
            continue
        without_code = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", cell.source, flags=re.S))
        assert without_code.count("$") % 2 == 0, f"an unclosed $ in:\n{cell.source}"
        left = set(prose_outside_maths_and_code(cell.source)) & UNICODE_MATHS
        assert not left, f"maths written as {sorted(left)} outside $...$ in:\n{cell.source}"
    assert any("$" in cell.source for cell in read(name).cells if cell.cell_type == "markdown")


# ---------------------------------------------------------------- the HTML export (gdviz/export.py)

def figure_output(figure):
    """A display_data output as a kernel running with PLOTLY_RENDERER=plotly_mimetype records it."""
    return nbformat.v4.new_output("display_data", data={
        "application/vnd.plotly.v1+json": json.loads(figure.to_json()), "text/plain": "Figure"})


def test_static_outputs_draw_figures_from_their_json_and_replace_apps_with_a_note():
    figure = go.Figure(go.Scatter(x=[0, 1], y=[1, 0]), frames=[go.Frame(name="0", data=[go.Scatter(x=[1])])])
    widget = nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2},
        "text/plain": "VBox()"})
    cell = nbformat.v4.new_code_cell("...", outputs=[figure_output(figure), widget])
    notebook = nbformat.v4.new_notebook(cells=[cell], metadata={"widgets": {"state": {}}})
    export.static_outputs(notebook)
    drawn, note = cell.outputs
    assert set(drawn.data) == {"text/html"} and "Plotly.newPlot" in drawn.data["text/html"]
    assert "Plotly.addFrames" in drawn.data["text/html"]  # the animation travels with the page
    assert note.data == {"text/html": export.APP_NOTE}
    assert "widgets" not in notebook.metadata


def test_a_page_links_plotly_beside_it_and_nothing_remote():
    cell = nbformat.v4.new_code_cell("...", outputs=[figure_output(go.Figure(go.Bar(y=[1, 2])))])
    page = export.to_html(nbformat.v4.new_notebook(cells=[cell]), "tiny")
    assert get_plotlyjs()[:300] not in page  # plotly.js is one file beside the pages, not in each
    assert len(re.findall(r'<script[^>]+src="plotly\.min\.js"', page)) == 1
    assert not re.search(r"<(script|link)[^>]+(src|href)=\"https?://", page)
    assert "<title>tiny</title>" in page


def test_export_command_refuses_a_missing_notebook(tmp_path, capsys):
    with pytest.raises(SystemExit):
        export.main([str(tmp_path / "out"), str(tmp_path / "nowhere.ipynb")])
    assert "no such notebook" in capsys.readouterr().err


def test_a_page_links_the_one_mathjax_copy_beside_it():
    cell = nbformat.v4.new_markdown_cell("the step $w \\leftarrow w - \\alpha \\nabla L(w)$")
    page = export.to_html(nbformat.v4.new_notebook(cells=[cell]), "maths")
    link = r'<script[^>]+src="mathjax/MathJax\.js\?config=TeX-AMS-MML_HTMLorMML-full"'
    assert len(re.findall(link, page)) == 1
    assert "MathJax.Hub.Config" in page and "cdnjs" not in page


def test_mathjax_is_copied_once_beside_the_pages(tmp_path):
    pytest.importorskip(export.MATHJAX_PACKAGE, reason="the export extra's jupyter-server-mathjax")
    for _ in range(2):  # a second export into the same folder overwrites the copy
        folder = export.copy_mathjax(tmp_path)
    assert folder == tmp_path / "mathjax" and (folder / "MathJax.js").is_file()
    assert (folder / "config" / "TeX-AMS-MML_HTMLorMML-full.js").is_file()
    assert (folder / "fonts" / "HTML-CSS" / "STIX-Web" / "woff").is_dir()
    assert [path.name for path in (folder / "localization").iterdir()] == ["en"]


def test_export_command_names_the_missing_mathjax_package(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export.importlib.util, "find_spec", lambda name: None)
    source = tmp_path / "tiny.ipynb"
    nbformat.write(nbformat.v4.new_notebook(), source)
    with pytest.raises(SystemExit):
        export.main([str(tmp_path / "out"), str(source)])
    assert "jupyter-server-mathjax" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # refused before writing anything


def checker_calls(notebook):
    """The exercise checkers a notebook calls, in order: ["check_updates", ...]."""
    return [match for cell in code_cells(notebook)
            for match in re.findall(r"exercises\.(check_\w+)\(", cell.source)]


def test_the_instructor_key_solves_every_exercise_of_the_course_in_order():
    # Running the key (nbval, in make test) shows each solution passes its checker; here, that
    # the key leaves none out: its checker calls are the course's, notebook by notebook.
    course = [call for name in COURSE for call in checker_calls(read(name))]
    assert checker_calls(read("instructor_key")) == course
