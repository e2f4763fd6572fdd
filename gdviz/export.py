"""Export the course as standalone HTML pages that play with no kernel and no network.

    python -m gdviz.export OUTDIR [NOTEBOOK ...]

Each notebook (by default every `notebooks/*.ipynb` under the current folder)
is executed top to bottom in a fresh kernel and written to OUTDIR as one HTML
page, with an `index.html` linking them all. A lecturer can copy OUTDIR to a
USB stick and open the pages in any browser, offline:

- plotly figures, Chad's animations included, are drawn by plotly.js, which
  is embedded once in every page (about 5 MB), so a ▶ Play button works with
  no server and no internet;
- an ipywidgets app needs a running kernel, so in its place the page says so;
- the notebooks' formulas, written in LaTeX, are typeset by MathJax 2 from a
  copy written once beside the pages (OUTDIR/mathjax, about 8 MB), taken
  from the PyPI package jupyter-server-mathjax, so they typeset with no
  network in a page opened from disk;
- the page loads nothing from the network (nbconvert's require.js, MathJax
  and mermaid links to a CDN are left out).

The kernel runs with `PLOTLY_RENDERER=plotly_mimetype`, so that `fig.show()`
records the figure itself (its JSON) rather than a renderer's HTML; the page
is then written from that JSON by `plotly.io.to_html`.
"""

import argparse
import html
import importlib.util
import os
import shutil
import sys
from pathlib import Path

import nbformat
import plotly.io as pio
from jinja2 import DictLoader
from nbclient import NotebookClient
from nbconvert import HTMLExporter
from plotly.offline import get_plotlyjs

PLOTLY_MIME = "application/vnd.plotly.v1+json"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

MATHJAX_PACKAGE = "jupyter_server_mathjax"  # PyPI: jupyter-server-mathjax, MathJax 2.7 in its static/
MATHJAX_FOLDER = "mathjax"  # beside the pages, shared by all of them

# nbconvert's JupyterLab template, without the three scripts it fetches from a CDN
# (require.js, MathJax, mermaid): plotly.js inline where require.js was, and MathJax from
# the copy beside the pages, in the one configuration that package ships whole (TeX in,
# HTML-CSS out) with its STIX-Web fonts, which browsers load from a subfolder of a page
# opened from disk.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}
<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};</script>
<script type="text/javascript">{{ resources.plotly_js }}</script>
{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
<script type="text/x-mathjax-config">
MathJax.Hub.Config({
    tex2jax: {inlineMath: [["$", "$"]], displayMath: [["$$", "$$"]], processEscapes: true,
              processEnvironments: true},
    "HTML-CSS": {availableFonts: [], imageFont: null, preferredFont: null, webFont: "STIX-Web"},
    displayAlign: "center",
    messageStyle: "none"
});
</script>
<script type="text/javascript" src="{{ resources.mathjax_url }}?config=TeX-AMS-MML_HTMLorMML-full"></script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

APP_NOTE = ("<div style=\"border-left: 4px solid #ff7f0e; padding: 0.5em 1em; background: #fff6ee\">"
            "<b>An interactive app goes here.</b> Its sliders need a running Python kernel: open this "
            "notebook in JupyterLab (or on Binder) to use it.</div>")


def execute(notebook, folder, timeout=600):
    """Run every cell in a fresh kernel started in `folder`; returns the notebook, with outputs."""
    env = {**os.environ, "PLOTLY_RENDERER": "plotly_mimetype"}
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(folder)}}, record_timing=False)
    client.execute(env=env)
    return notebook


def static_outputs(notebook):
    """Turn live outputs into ones a static page can show, in place; returns the notebook.

    A plotly figure's JSON becomes the HTML that draws it (frames, Play button
    and all), relying on the plotly.js that the page embeds; a widget view
    becomes a note saying the app needs a kernel.
    """
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data:
                continue
            if PLOTLY_MIME in data:
                figure = dict(data[PLOTLY_MIME])
                config = figure.pop("config", None)
                page = pio.to_html(figure, config=config, include_plotlyjs=False, full_html=False,
                                   auto_play=False, validate=False)
                output["data"] = {"text/html": page}
            elif WIDGET_MIME in data:
                output["data"] = {"text/html": APP_NOTE}
    notebook.metadata.pop("widgets", None)
    return notebook


def mathjax_source():
    """The MathJax 2 folder that the package jupyter-server-mathjax installs; an error naming it if absent."""
    spec = importlib.util.find_spec(MATHJAX_PACKAGE)
    folder = None if spec is None or spec.origin is None else Path(spec.origin).parent / "static"
    if folder is None or not (folder / "MathJax.js").is_file():
        raise RuntimeError("the export typesets formulas with MathJax from the package "
                           "jupyter-server-mathjax, which is not installed: python -m pip install "
                           "'gdviz[export]' (or python -m pip install jupyter-server-mathjax)")
    return folder


def copy_mathjax(outdir):
    """Copy MathJax beside the pages, once, as OUTDIR/mathjax; returns that folder.

    Only English of its 40-odd menu translations is copied.
    """
    source = mathjax_source()
    target = Path(outdir) / MATHJAX_FOLDER

    def other_languages(folder, names):
        return [name for name in names if name != "en"] if Path(folder).name == "localization" else []

    shutil.copytree(source, target, ignore=other_languages, dirs_exist_ok=True)
    return target


def to_html(notebook, title, mathjax_url=f"{MATHJAX_FOLDER}/MathJax.js"):
    """A whole HTML page for an executed notebook, plotly.js inline, nothing fetched from the network.

    Its formulas are typeset by the MathJax at `mathjax_url`, by default the
    copy `copy_mathjax` writes beside the pages.
    """
    exporter = HTMLExporter(template_name="lab", extra_loaders=[DictLoader({"offline.html.j2": _TEMPLATE})],
                            template_file="offline.html.j2", mathjax_url=mathjax_url)
    resources = {"plotly_js": get_plotlyjs(), "metadata": {"name": title}}
    body, _ = exporter.from_notebook_node(static_outputs(notebook), resources=resources)
    return body


def export_notebook(path, outdir, timeout=600):
    """Execute one notebook and write it as OUTDIR/<name>.html; returns the page's path."""
    path = Path(path)
    notebook = nbformat.read(path, as_version=4)
    execute(notebook, path.parent.resolve(), timeout)
    page = Path(outdir) / f"{path.stem}.html"
    page.write_text(to_html(notebook, path.stem), encoding="utf-8")
    return page


def write_index(pages, outdir):
    """An index.html linking the exported pages, in order."""
    items = "\n".join(f'<li><a href="{html.escape(page.name)}">{html.escape(page.stem)}</a></li>'
                      for page in pages)
    index = Path(outdir) / "index.html"
    index.write_text("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<title>gdviz: the course</title></head>\n<body><h1>gdviz: gradient descent with Chad"
                     f"</h1>\n<p>Open a notebook; animations play offline.</p>\n<ol>\n{items}\n</ol>\n"
                     "</body></html>\n", encoding="utf-8")
    return index


def main(argv=None):
    """Command line: python -m gdviz.export OUTDIR [NOTEBOOK ...]."""
    parser = argparse.ArgumentParser(prog="python -m gdviz.export", description=(
        "Execute the course notebooks and write them as standalone HTML pages that play offline."))
    parser.add_argument("outdir", type=Path, help="folder for the HTML pages (created if missing)")
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to export (default: every notebooks/*.ipynb here)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    arguments = parser.parse_args(argv)
    notebooks = arguments.notebooks or sorted(Path("notebooks").glob("*.ipynb"))
    if not notebooks:
        parser.error("no notebooks given and none found in ./notebooks")
    missing = [str(path) for path in notebooks if not path.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")
    try:
        mathjax_source()
    except RuntimeError as error:
        parser.error(str(error))
    arguments.outdir.mkdir(parents=True, exist_ok=True)
    copy_mathjax(arguments.outdir)
    pages = []
    for path in notebooks:
        print(f"exporting {path} ...", file=sys.stderr, flush=True)
        pages.append(export_notebook(path, arguments.outdir, arguments.timeout))
    index = write_index(pages, arguments.outdir)
    print(f"wrote {len(pages)} pages and {index}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
