"""`python -m gdviz.export`'s layout and options, read from the files it writes, with no browser.

The kernel is left out (`export.execute` is replaced by one that keeps the outputs the notebook
already has), so these tests check what the command writes, not how a notebook runs; the
browser tests in tests/browser/test_export_offline.py run real notebooks and open the pages.
"""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# The export tool's own needs (the `export` extra): absent from a plain install.
for _module in ("nbconvert", "nbclient", "jupyter_server_mathjax"):
    pytest.importorskip(_module, reason="the export extra is not installed")

import nbformat  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
from plotly.offline import get_plotlyjs  # noqa: E402

from gdviz import export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CODE = "trajectory = gdviz.run(steps, max_steps=20)  # the code cell's own words"
PROSE = "Chad takes a step of alpha times the slope."
# plotly.js's opening comment names its version: in a page, a sign that plotly.js was pasted in.
PLOTLY_BANNER = get_plotlyjs()[:40]


class Page(HTMLParser):
    """What a browser would make of a page: its scripts, the classes of its elements, its text."""

    def __init__(self, text):
        super().__init__()
        self.scripts = []  # (attributes, inline text), in page order
        self.classes = set()
        self.words = []  # text outside <script> and <style>
        self._inside = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.classes.update((attributes.get("class") or "").split())
        if tag in ("script", "style"):
            self._inside = tag
            if tag == "script":
                self.scripts.append((attributes, ""))

    def handle_endtag(self, tag):
        if tag == self._inside:
            self._inside = None

    def handle_data(self, data):
        if self._inside == "script":
            attributes, text = self.scripts[-1]
            self.scripts[-1] = (attributes, text + data)
        elif self._inside is None:
            self.words.append(data)

    @property
    def text(self):
        return " ".join("".join(self.words).split())


def notebook_with_outputs(path):
    """A notebook as the kernel would leave it: prose, and a code cell that drew an animated figure."""
    figure = go.Figure(go.Scatter(x=[0, 1], y=[1, 0], name="Chad"),
                       frames=[go.Frame(name="0", data=[go.Scatter(x=[1], y=[0])])])
    drawn = nbformat.v4.new_output("display_data", data={
        export.PLOTLY_MIME: json.loads(figure.to_json()), "text/plain": "Figure"})
    result = nbformat.v4.new_output("execute_result", data={"text/plain": "20"}, execution_count=1)
    cells = [nbformat.v4.new_markdown_cell(PROSE),
             nbformat.v4.new_code_cell(CODE, outputs=[drawn, result], execution_count=1)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


@pytest.fixture
def no_kernel(monkeypatch):
    """Keep the notebook's outputs instead of running it."""
    monkeypatch.setattr(export, "execute", lambda notebook, folder, timeout=600: notebook)


def test_plotly_js_is_written_once_beside_the_pages_and_each_page_links_it(tmp_path, no_kernel):
    sources = [notebook_with_outputs(tmp_path / f"{name}.ipynb") for name in ("one", "two")]
    outdir = tmp_path / "html"
    assert export.main([str(outdir), *map(str, sources)]) == 0
    assert (outdir / "plotly.min.js").read_text(encoding="utf-8") == get_plotlyjs()
    assert sorted(path.name for path in outdir.glob("*.js")) == ["plotly.min.js"]
    for name in ("one", "two"):
        text = (outdir / f"{name}.html").read_text(encoding="utf-8")
        assert len(text.encode()) < 1_000_000 and PLOTLY_BANNER not in text  # a link, not a copy
        scripts = Page(text).scripts
        linked = [index for index, (attributes, _) in enumerate(scripts) if "src" in attributes]
        sources_linked = [scripts[index][0]["src"] for index in linked]
        assert sources_linked.count("plotly.min.js") == 1
        assert all(not re.match(r"(https?:)?//", src) for src in sources_linked)  # nothing remote
        plotly = linked[sources_linked.index("plotly.min.js")]
        config = [index for index, (_, code) in enumerate(scripts) if "window.PlotlyConfig" in code]
        drawing = [index for index, (_, code) in enumerate(scripts) if "Plotly.newPlot" in code]
        # plotly.js reads its MathJax setting as it loads, and must be there before a figure is drawn
        assert config == [plotly - 1] and drawing and min(drawing) > plotly
        assert 'MathJaxConfig: "local"' in scripts[config[0]][1]
    assert 'href="one.html"' in (outdir / "index.html").read_text()


def test_no_code_leaves_out_the_code_cells_but_keeps_the_prose_and_the_figures(tmp_path, no_kernel):
    source = notebook_with_outputs(tmp_path / "lesson.ipynb")
    pages = {}
    for folder, options in (("full", []), ("lecture", ["--no-code"])):
        assert export.main([str(tmp_path / folder), str(source), *options]) == 0
        pages[folder] = Page((tmp_path / folder / "lesson.html").read_text(encoding="utf-8"))
    full, lecture = pages["full"], pages["lecture"]
    assert "gdviz.run(" in full.text and "the code cell's own words" in full.text
    assert "jp-InputArea-editor" in full.classes and "In [1]:" in full.text and "Out[1]:" in full.text
    assert "gdviz.run(" not in lecture.text and "the code cell's own words" not in lecture.text
    assert not {"jp-InputArea-editor", "jp-InputPrompt", "highlight"} & lecture.classes
    assert "In [" not in lecture.text and "Out[" not in lecture.text
    for page in (full, lecture):
        assert PROSE in page.text and "jp-RenderedMarkdown" in page.classes
        assert sum("Plotly.addFrames" in code for _, code in page.scripts) == 1  # the animation stays
        assert "20" in page.text  # and so does the printed result


@pytest.mark.parametrize(("arguments", "named"), [
    (["--timeout", "0"], "--timeout"),
    (["--timeout", "-5"], "--timeout"),
])
def test_export_command_refuses_a_timeout_that_is_not_positive(tmp_path, capsys, arguments, named):
    source = notebook_with_outputs(tmp_path / "lesson.ipynb")
    with pytest.raises(SystemExit):
        export.main([str(tmp_path / "out"), str(source), *arguments])
    assert named in capsys.readouterr().err
    assert not (tmp_path / "out").exists()  # refused before writing anything


def test_export_command_refuses_an_outdir_that_is_a_file(tmp_path, capsys):
    source = notebook_with_outputs(tmp_path / "lesson.ipynb")
    taken = tmp_path / "notes.txt"
    taken.write_text("not a folder")
    with pytest.raises(SystemExit):
        export.main([str(taken), str(source)])
    assert "OUTDIR" in capsys.readouterr().err and taken.read_text() == "not a folder"


@pytest.mark.parametrize("name", ["plotly_url", "mathjax_url"])
def test_a_page_needs_an_address_for_each_script(name):
    with pytest.raises(ValueError, match=name):
        export.to_html(nbformat.v4.new_notebook(), "empty", **{name: ""})


